//! OffsetDelete (API key 47): [`OffsetDeleteRequest`] and [`OffsetDeleteResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `OffsetDeleteRequest.json` and `OffsetDeleteResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The OffsetDelete request (API key 47), answered by [`OffsetDeleteResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 47, request, versions = "0", flexible = "none", response = OffsetDeleteResponse)]
pub struct OffsetDeleteRequest {
    /// The unique group identifier.
    pub group_id: String,
    /// The topics to delete offsets for.
    pub topics: Vec<OffsetDeleteRequestTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to delete offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetDeleteRequestTopic {
    /// The topic name.
    pub name: String,
    /// Each partition to delete offsets for.
    pub partitions: Vec<OffsetDeleteRequestPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition to delete offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetDeleteRequestPartition {
    /// The partition index.
    pub partition_index: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The OffsetDelete response (API key 47) to [`OffsetDeleteRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 47, response, versions = "0", flexible = "none")]
pub struct OffsetDeleteResponse {
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(ignorable)]
    pub throttle_time_ms: i32,
    /// The responses for each topic.
    pub topics: Vec<OffsetDeleteResponseTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetDeleteResponseTopic {
    /// The topic name.
    pub name: String,
    /// The responses for each partition in the topic.
    pub partitions: Vec<OffsetDeleteResponsePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each partition in the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetDeleteResponsePartition {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
