//! ReadShareGroupStateSummary (API key 87): [`ReadShareGroupStateSummaryRequest`] and
//! [`ReadShareGroupStateSummaryResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ReadShareGroupStateSummaryRequest.json` and
//! `ReadShareGroupStateSummaryResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The ReadShareGroupStateSummary request (API key 87), answered by
/// [`ReadShareGroupStateSummaryResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 87,
    request,
    versions = "0-1",
    flexible = "0+",
    response = ReadShareGroupStateSummaryResponse,
)]
pub struct ReadShareGroupStateSummaryRequest {
    /// The group identifier.
    pub group_id: String,
    /// The data for the topics.
    pub topics: Vec<ReadStateSummaryData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReadStateSummaryData {
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

/// The ReadShareGroupStateSummary response (API key 87) to [`ReadShareGroupStateSummaryRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 87, response, versions = "0-1", flexible = "0+")]
pub struct ReadShareGroupStateSummaryResponse {
    /// The read results.
    pub results: Vec<ReadStateSummaryResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The read results.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReadStateSummaryResult {
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
    /// The leader epoch of the share-partition.
    pub leader_epoch: i32,
    /// The share-partition start offset.
    pub start_offset: i64,
    /// The number of offsets greater than or equal to share-partition start offset for which
    /// delivery has been completed.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub delivery_complete_count: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
