//! ElectLeaders (API key 43): [`ElectLeadersRequest`] and [`ElectLeadersResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ElectLeadersRequest.json` and `ElectLeadersResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The ElectLeaders request (API key 43), answered by [`ElectLeadersResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 43, request, versions = "0-2", flexible = "2+", response = ElectLeadersResponse)]
pub struct ElectLeadersRequest {
    /// Type of elections to conduct for the partition. A value of '0' elects the preferred replica.
    /// A value of '1' elects the first live replica if there are no in-sync replica.
    #[kafka(versions = "1+")]
    pub election_type: i8,
    /// The topic partitions to elect leaders.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub topic_partitions: Option<Vec<TopicPartitions>>,
    /// The time in ms to wait for the election to complete.
    #[kafka(default = 60000)]
    pub timeout_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topic partitions to elect leaders.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicPartitions {
    /// The name of a topic.
    pub topic: String,
    /// The partitions of this topic whose leader should be elected.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ElectLeaders response (API key 43) to [`ElectLeadersRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 43, response, versions = "0-2", flexible = "2+")]
pub struct ElectLeadersResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top level response error code.
    #[kafka(versions = "1+")]
    pub error_code: i16,
    /// The election results, or an empty array if the requester did not have permission and the
    /// request asks for all partitions.
    pub replica_election_results: Vec<ReplicaElectionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The election results, or an empty array if the requester did not have permission and the request
/// asks for all partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReplicaElectionResult {
    /// The topic name.
    pub topic: String,
    /// The results for each partition.
    pub partition_result: Vec<PartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionResult {
    /// The partition id.
    pub partition_id: i32,
    /// The result error, or zero if there was no error.
    pub error_code: i16,
    /// The result message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
