//! AlterShareGroupOffsets (API key 91): [`AlterShareGroupOffsetsRequest`] and
//! [`AlterShareGroupOffsetsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AlterShareGroupOffsetsRequest.json` and
//! `AlterShareGroupOffsetsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The AlterShareGroupOffsets request (API key 91), answered by [`AlterShareGroupOffsetsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 91,
    request,
    versions = "0",
    flexible = "0+",
    response = AlterShareGroupOffsetsResponse,
)]
pub struct AlterShareGroupOffsetsRequest {
    /// The group identifier.
    pub group_id: String,
    /// The topics to alter offsets for.
    pub topics: Vec<AlterShareGroupOffsetsRequestTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to alter offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterShareGroupOffsetsRequestTopic {
    /// The topic name.
    pub topic_name: String,
    /// Each partition to alter offsets for.
    pub partitions: Vec<AlterShareGroupOffsetsRequestPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition to alter offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterShareGroupOffsetsRequestPartition {
    /// The partition index.
    pub partition_index: i32,
    /// The share-partition start offset.
    pub start_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AlterShareGroupOffsets response (API key 91) to [`AlterShareGroupOffsetsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 91, response, versions = "0", flexible = "0+")]
pub struct AlterShareGroupOffsetsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The results for each topic.
    pub responses: Vec<AlterShareGroupOffsetsResponseTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterShareGroupOffsetsResponseTopic {
    /// The topic name.
    pub topic_name: String,
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The partitions.
    pub partitions: Vec<AlterShareGroupOffsetsResponsePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterShareGroupOffsetsResponsePartition {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
