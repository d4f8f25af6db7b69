//! AlterPartitionReassignments (API key 45): [`AlterPartitionReassignmentsRequest`] and
//! [`AlterPartitionReassignmentsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AlterPartitionReassignmentsRequest.json` and
//! `AlterPartitionReassignmentsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The AlterPartitionReassignments request (API key 45), answered by
/// [`AlterPartitionReassignmentsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 45,
    request,
    versions = "0-1",
    flexible = "0+",
    response = AlterPartitionReassignmentsResponse,
)]
pub struct AlterPartitionReassignmentsRequest {
    /// The time in ms to wait for the request to complete.
    #[kafka(default = 60000)]
    pub timeout_ms: i32,
    /// The option indicating whether changing the replication factor of any given partition as part
    /// of this request is a valid move.
    #[kafka(versions = "1+", default = true)]
    pub allow_replication_factor_change: bool,
    /// The topics to reassign.
    pub topics: Vec<ReassignableTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to reassign.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReassignableTopic {
    /// The topic name.
    pub name: String,
    /// The partitions to reassign.
    pub partitions: Vec<ReassignablePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions to reassign.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReassignablePartition {
    /// The partition index.
    pub partition_index: i32,
    /// The replicas to place the partitions on, or null to cancel a pending reassignment for this
    /// partition.
    #[kafka(nullable_versions = "0+")]
    pub replicas: Option<Vec<i32>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AlterPartitionReassignments response (API key 45) to [`AlterPartitionReassignmentsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 45, response, versions = "0-1", flexible = "0+")]
pub struct AlterPartitionReassignmentsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The option indicating whether changing the replication factor of any given partition as part
    /// of the request was allowed.
    #[kafka(versions = "1+", default = true, ignorable)]
    pub allow_replication_factor_change: bool,
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The responses to topics to reassign.
    pub responses: Vec<ReassignableTopicResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses to topics to reassign.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReassignableTopicResponse {
    /// The topic name.
    pub name: String,
    /// The responses to partitions to reassign.
    pub partitions: Vec<ReassignablePartitionResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses to partitions to reassign.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReassignablePartitionResponse {
    /// The partition index.
    pub partition_index: i32,
    /// The error code for this partition, or 0 if there was no error.
    pub error_code: i16,
    /// The error message for this partition, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
