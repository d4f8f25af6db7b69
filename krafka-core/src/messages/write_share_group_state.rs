//! WriteShareGroupState (API key 85): [`WriteShareGroupStateRequest`] and
//! [`WriteShareGroupStateResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `WriteShareGroupStateRequest.json` and
//! `WriteShareGroupStateResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The WriteShareGroupState request (API key 85), answered by [`WriteShareGroupStateResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 85,
    request,
    versions = "0-1",
    flexible = "0+",
    response = WriteShareGroupStateResponse,
)]
pub struct WriteShareGroupStateRequest {
    /// The group identifier.
    pub group_id: String,
    /// The data for the topics.
    pub topics: Vec<WriteStateData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WriteStateData {
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
    /// The state epoch of the share-partition.
    pub state_epoch: i32,
    /// The leader epoch of the share-partition.
    pub leader_epoch: i32,
    /// The share-partition start offset, or -1 if the start offset is not being written.
    pub start_offset: i64,
    /// The number of offsets greater than or equal to share-partition start offset for which
    /// delivery has been completed.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub delivery_complete_count: i32,
    /// The state batches for the share-partition.
    pub state_batches: Vec<StateBatch>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The state batches for the share-partition.
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

/// The WriteShareGroupState response (API key 85) to [`WriteShareGroupStateRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 85, response, versions = "0-1", flexible = "0+")]
pub struct WriteShareGroupStateResponse {
    /// The write results.
    pub results: Vec<WriteStateResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The write results.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WriteStateResult {
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
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
