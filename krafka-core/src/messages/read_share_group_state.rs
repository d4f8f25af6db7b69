//! ReadShareGroupState (API key 84): [`ReadShareGroupStateRequest`] and
//! [`ReadShareGroupStateResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ReadShareGroupStateRequest.json` and
//! `ReadShareGroupStateResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The ReadShareGroupState request (API key 84), answered by [`ReadShareGroupStateResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 84,
    request,
    versions = "0",
    flexible = "0+",
    response = ReadShareGroupStateResponse,
)]
pub struct ReadShareGroupStateRequest {
    /// The group identifier.
    pub group_id: String,
    /// The data for the topics.
    pub topics: Vec<ReadStateData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReadStateData {
    /// The topic identifier.
    pub topic_id: Uuid,
    /// The data for the partitions.
    pub partitions: Vec<PartitionData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionData {
    /// The partition index.
    pub partition: i32,
    /// The leader epoch of the share-partition.
    pub leader_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ReadShareGroupState response (API key 84) to [`ReadShareGroupStateRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 84, response, versions = "0", flexible = "0+")]
pub struct ReadShareGroupStateResponse {
    /// The read results.
    pub results: Vec<ReadStateResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The read results.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReadStateResult {
    /// The topic identifier.
    pub topic_id: Uuid,
    /// The results for the partitions.
    pub partitions: Vec<PartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for the partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionResult {
    /// The partition index.
    pub partition: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The state epoch of the share-partition.
    pub state_epoch: i32,
    /// The share-partition start offset, which can be -1 if it is not yet initialized.
    pub start_offset: i64,
    /// The state batches for this share-partition.
    pub state_batches: Vec<StateBatch>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The state batches for this share-partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct StateBatch {
    /// The first offset of this state batch.
    pub first_offset: i64,
    /// The last offset of this state batch.
    pub last_offset: i64,
    /// The delivery state - 0:Available,2:Acked,4:Archived.
    pub delivery_state: i8,
    /// The delivery count.
    pub delivery_count: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
