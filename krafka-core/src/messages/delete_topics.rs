//! DeleteTopics (API key 20): [`DeleteTopicsRequest`] and [`DeleteTopicsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DeleteTopicsRequest.json` and `DeleteTopicsResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The DeleteTopics request (API key 20), answered by [`DeleteTopicsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 20, request, versions = "1-6", flexible = "4+", response = DeleteTopicsResponse)]
pub struct DeleteTopicsRequest {
    /// The name or topic ID of the topic.
    #[kafka(versions = "6+")]
    pub topics: Vec<DeleteTopicState>,
    /// The names of the topics to delete.
    #[kafka(versions = "0-5", ignorable)]
    pub topic_names: Vec<String>,
    /// The length of time in milliseconds to wait for the deletions to complete.
    pub timeout_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The name or topic ID of the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteTopicState {
    /// The topic name.
    #[kafka(versions = "6+", nullable_versions = "6+")]
    pub name: Option<String>,
    /// The unique topic ID.
    #[kafka(versions = "6+")]
    pub topic_id: Uuid,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DeleteTopics response (API key 20) to [`DeleteTopicsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 20, response, versions = "1-6", flexible = "4+")]
pub struct DeleteTopicsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The results for each topic we tried to delete.
    pub responses: Vec<DeletableTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each topic we tried to delete.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeletableTopicResult {
    /// The topic name.
    #[kafka(nullable_versions = "6+", default = "")]
    pub name: Option<String>,
    /// The unique topic ID.
    #[kafka(versions = "6+", ignorable)]
    pub topic_id: Uuid,
    /// The deletion error, or 0 if the deletion succeeded.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
