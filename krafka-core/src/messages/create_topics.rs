//! CreateTopics (API key 19): [`CreateTopicsRequest`] and [`CreateTopicsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `CreateTopicsRequest.json` and `CreateTopicsResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The CreateTopics request (API key 19), answered by [`CreateTopicsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 19, request, versions = "2-7", flexible = "5+", response = CreateTopicsResponse)]
pub struct CreateTopicsRequest {
    /// The topics to create.
    pub topics: Vec<CreatableTopic>,
    /// How long to wait in milliseconds before timing out the request.
    #[kafka(default = 60000, name = "timeoutMs")]
    pub timeout_ms: i32,
    /// If true, check that the topics can be created as specified, but don't create anything.
    #[kafka(versions = "1+", default = false, name = "validateOnly")]
    pub validate_only: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to create.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatableTopic {
    /// The topic name.
    pub name: String,
    /// The number of partitions to create in the topic, or -1 if we are either specifying a manual
    /// partition assignment or using the default partitions.
    pub num_partitions: i32,
    /// The number of replicas to create for each partition in the topic, or -1 if we are either
    /// specifying a manual partition assignment or using the default replication factor.
    pub replication_factor: i16,
    /// The manual partition assignment, or the empty array if we are using automatic assignment.
    pub assignments: Vec<CreatableReplicaAssignment>,
    /// The custom topic configurations to set.
    pub configs: Vec<CreatableTopicConfig>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The manual partition assignment, or the empty array if we are using automatic assignment.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatableReplicaAssignment {
    /// The partition index.
    pub partition_index: i32,
    /// The brokers to place the partition on.
    pub broker_ids: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The custom topic configurations to set.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatableTopicConfig {
    /// The configuration name.
    pub name: String,
    /// The configuration value.
    #[kafka(nullable_versions = "0+", default = "")]
    pub value: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The CreateTopics response (API key 19) to [`CreateTopicsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 19, response, versions = "2-7", flexible = "5+")]
pub struct CreateTopicsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "2+", ignorable)]
    pub throttle_time_ms: i32,
    /// Results for each topic we tried to create.
    pub topics: Vec<CreatableTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Results for each topic we tried to create.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatableTopicResult {
    /// The topic name.
    pub name: String,
    /// The unique topic ID.
    #[kafka(versions = "7+", ignorable)]
    pub topic_id: Uuid,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "1+", nullable_versions = "1+", default = "", ignorable)]
    pub error_message: Option<String>,
    /// Optional topic config error returned if configs are not returned in the response.
    #[kafka(versions = "5+", tag = 0, tagged_versions = "5+", ignorable)]
    pub topic_config_error_code: i16,
    /// Number of partitions of the topic.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub num_partitions: i32,
    /// Replication factor of the topic.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub replication_factor: i16,
    /// Configuration of the topic.
    #[kafka(versions = "5+", nullable_versions = "5+", default = Some(Vec::new()), ignorable)]
    pub configs: Option<Vec<CreatableTopicConfigs>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Configuration of the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatableTopicConfigs {
    /// The configuration name.
    #[kafka(versions = "5+")]
    pub name: String,
    /// The configuration value.
    #[kafka(versions = "5+", nullable_versions = "5+", default = "")]
    pub value: Option<String>,
    /// True if the configuration is read-only.
    #[kafka(versions = "5+")]
    pub read_only: bool,
    /// The configuration source.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub config_source: i8,
    /// True if this configuration is sensitive.
    #[kafka(versions = "5+")]
    pub is_sensitive: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
