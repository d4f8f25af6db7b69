//! Metadata (API key 3): [`MetadataRequest`] and [`MetadataResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `MetadataRequest.json` and `MetadataResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The Metadata request (API key 3), answered by [`MetadataResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 3, request, versions = "0-13", flexible = "9+", response = MetadataResponse)]
pub struct MetadataRequest {
    /// The topics to fetch metadata for.
    #[kafka(nullable_versions = "1+", default = Some(Vec::new()))]
    pub topics: Option<Vec<MetadataRequestTopic>>,
    /// If this is true, the broker may auto-create topics that we requested which do not already
    /// exist, if it is configured to do so.
    #[kafka(versions = "4+", default = true)]
    pub allow_auto_topic_creation: bool,
    /// Whether to include cluster authorized operations.
    #[kafka(versions = "8-10")]
    pub include_cluster_authorized_operations: bool,
    /// Whether to include topic authorized operations.
    #[kafka(versions = "8+")]
    pub include_topic_authorized_operations: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to fetch metadata for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct MetadataRequestTopic {
    /// The topic id.
    #[kafka(versions = "10+", ignorable)]
    pub topic_id: Uuid,
    /// The topic name.
    #[kafka(nullable_versions = "10+", default = "")]
    pub name: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The Metadata response (API key 3) to [`MetadataRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 3, response, versions = "0-13", flexible = "9+")]
pub struct MetadataResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "3+", ignorable)]
    pub throttle_time_ms: i32,
    /// A list of brokers present in the cluster.
    pub brokers: Vec<MetadataResponseBroker>,
    /// The cluster ID that responding broker belongs to.
    #[kafka(versions = "2+", nullable_versions = "2+", ignorable)]
    pub cluster_id: Option<String>,
    /// The ID of the controller broker.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub controller_id: i32,
    /// Each topic in the response.
    pub topics: Vec<MetadataResponseTopic>,
    /// 32-bit bitfield to represent authorized operations for this cluster.
    #[kafka(versions = "8-10", default = -2147483648)]
    pub cluster_authorized_operations: i32,
    /// The top-level error code, or 0 if there was no error.
    #[kafka(versions = "13+", ignorable)]
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// A list of brokers present in the cluster.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct MetadataResponseBroker {
    /// The broker ID.
    pub node_id: i32,
    /// The broker hostname.
    pub host: String,
    /// The broker port.
    pub port: i32,
    /// The rack of the broker, or null if it has not been assigned to a rack.
    #[kafka(versions = "1+", nullable_versions = "1+", ignorable)]
    pub rack: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct MetadataResponseTopic {
    /// The topic error, or 0 if there was no error.
    pub error_code: i16,
    /// The topic name. Null for non-existing topics queried by ID. This is never null when
    /// ErrorCode is zero. One of Name and TopicId is always populated.
    #[kafka(nullable_versions = "12+", default = "")]
    pub name: Option<String>,
    /// The topic id. Zero for non-existing topics queried by name. This is never zero when
    /// ErrorCode is zero. One of Name and TopicId is always populated.
    #[kafka(versions = "10+", ignorable)]
    pub topic_id: Uuid,
    /// True if the topic is internal.
    #[kafka(versions = "1+", default = false, ignorable)]
    pub is_internal: bool,
    /// Each partition in the topic.
    pub partitions: Vec<MetadataResponsePartition>,
    /// 32-bit bitfield to represent authorized operations for this topic.
    #[kafka(versions = "8+", default = -2147483648)]
    pub topic_authorized_operations: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition in the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct MetadataResponsePartition {
    /// The partition error, or 0 if there was no error.
    pub error_code: i16,
    /// The partition index.
    pub partition_index: i32,
    /// The ID of the leader broker.
    pub leader_id: i32,
    /// The leader epoch of this partition.
    #[kafka(versions = "7+", default = -1, ignorable)]
    pub leader_epoch: i32,
    /// The set of all nodes that host this partition.
    pub replica_nodes: Vec<i32>,
    /// The set of nodes that are in sync with the leader for this partition.
    pub isr_nodes: Vec<i32>,
    /// The set of offline replicas of this partition.
    #[kafka(versions = "5+", ignorable)]
    pub offline_replicas: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
