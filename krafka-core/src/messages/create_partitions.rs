//! CreatePartitions (API key 37): [`CreatePartitionsRequest`] and [`CreatePartitionsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `CreatePartitionsRequest.json` and
//! `CreatePartitionsResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The CreatePartitions request (API key 37), answered by [`CreatePartitionsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 37,
    request,
    versions = "0-3",
    flexible = "2+",
    response = CreatePartitionsResponse,
)]
pub struct CreatePartitionsRequest {
    /// Each topic that we want to create new partitions inside.
    pub topics: Vec<CreatePartitionsTopic>,
    /// The time in ms to wait for the partitions to be created.
    pub timeout_ms: i32,
    /// If true, then validate the request, but don't actually increase the number of partitions.
    pub validate_only: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic that we want to create new partitions inside.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatePartitionsTopic {
    /// The topic name.
    pub name: String,
    /// The new partition count.
    pub count: i32,
    /// The new partition assignments.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub assignments: Option<Vec<CreatePartitionsAssignment>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The new partition assignments.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatePartitionsAssignment {
    /// The assigned broker IDs.
    pub broker_ids: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The CreatePartitions response (API key 37) to [`CreatePartitionsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 37, response, versions = "0-3", flexible = "2+")]
pub struct CreatePartitionsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The partition creation results for each topic.
    pub results: Vec<CreatePartitionsTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partition creation results for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatePartitionsTopicResult {
    /// The topic name.
    pub name: String,
    /// The result error, or zero if there was no error.
    pub error_code: i16,
    /// The result message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
