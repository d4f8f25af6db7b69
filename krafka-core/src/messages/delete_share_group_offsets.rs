//! DeleteShareGroupOffsets (API key 92): [`DeleteShareGroupOffsetsRequest`] and
//! [`DeleteShareGroupOffsetsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DeleteShareGroupOffsetsRequest.json` and
//! `DeleteShareGroupOffsetsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The DeleteShareGroupOffsets request (API key 92), answered by
/// [`DeleteShareGroupOffsetsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 92,
    request,
    versions = "0",
    flexible = "0+",
    response = DeleteShareGroupOffsetsResponse,
)]
pub struct DeleteShareGroupOffsetsRequest {
    /// The group identifier.
    pub group_id: String,
    /// The topics to delete offsets for.
    pub topics: Vec<DeleteShareGroupOffsetsRequestTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to delete offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteShareGroupOffsetsRequestTopic {
    /// The topic name.
    pub topic_name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DeleteShareGroupOffsets response (API key 92) to [`DeleteShareGroupOffsetsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 92, response, versions = "0", flexible = "0+")]
pub struct DeleteShareGroupOffsetsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The results for each topic.
    pub responses: Vec<DeleteShareGroupOffsetsResponseTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteShareGroupOffsetsResponseTopic {
    /// The topic name.
    pub topic_name: String,
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The topic-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The topic-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
