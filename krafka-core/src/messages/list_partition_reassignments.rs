//! ListPartitionReassignments (API key 46): [`ListPartitionReassignmentsRequest`] and
//! [`ListPartitionReassignmentsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ListPartitionReassignmentsRequest.json` and
//! `ListPartitionReassignmentsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The ListPartitionReassignments request (API key 46), answered by
/// [`ListPartitionReassignmentsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 46,
    request,
    versions = "0",
    flexible = "0+",
    response = ListPartitionReassignmentsResponse,
)]
pub struct ListPartitionReassignmentsRequest {
    /// The time in ms to wait for the request to complete.
    #[kafka(default = 60000)]
    pub timeout_ms: i32,
    /// The topics to list partition reassignments for, or null to list everything.
    #[kafka(nullable_versions = "0+")]
    pub topics: Option<Vec<ListPartitionReassignmentsTopics>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to list partition reassignments for, or null to list everything.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ListPartitionReassignmentsTopics {
    /// The topic name.
    pub name: String,
    /// The partitions to list partition reassignments for.
    pub partition_indexes: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ListPartitionReassignments response (API key 46) to [`ListPartitionReassignmentsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 46, response, versions = "0", flexible = "0+")]
pub struct ListPartitionReassignmentsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The ongoing reassignments for each topic.
    pub topics: Vec<OngoingTopicReassignment>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ongoing reassignments for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OngoingTopicReassignment {
    /// The topic name.
    pub name: String,
    /// The ongoing reassignments for each partition.
    pub partitions: Vec<OngoingPartitionReassignment>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ongoing reassignments for each partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OngoingPartitionReassignment {
    /// The index of the partition.
    pub partition_index: i32,
    /// The current replica set.
    pub replicas: Vec<i32>,
    /// The set of replicas we are currently adding.
    pub adding_replicas: Vec<i32>,
    /// The set of replicas we are currently removing.
    pub removing_replicas: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
