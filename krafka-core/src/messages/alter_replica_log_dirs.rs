//! AlterReplicaLogDirs (API key 34): [`AlterReplicaLogDirsRequest`] and
//! [`AlterReplicaLogDirsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AlterReplicaLogDirsRequest.json` and
//! `AlterReplicaLogDirsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The AlterReplicaLogDirs request (API key 34), answered by [`AlterReplicaLogDirsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 34,
    request,
    versions = "1-2",
    flexible = "2+",
    response = AlterReplicaLogDirsResponse,
)]
pub struct AlterReplicaLogDirsRequest {
    /// The alterations to make for each directory.
    pub dirs: Vec<AlterReplicaLogDir>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The alterations to make for each directory.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterReplicaLogDir {
    /// The absolute directory path.
    pub path: String,
    /// The topics to add to the directory.
    pub topics: Vec<AlterReplicaLogDirTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to add to the directory.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterReplicaLogDirTopic {
    /// The topic name.
    pub name: String,
    /// The partition indexes.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AlterReplicaLogDirs response (API key 34) to [`AlterReplicaLogDirsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 34, response, versions = "1-2", flexible = "2+")]
pub struct AlterReplicaLogDirsResponse {
    /// Duration in milliseconds for which the request was throttled due to a quota violation, or
    /// zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The results for each topic.
    pub results: Vec<AlterReplicaLogDirTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterReplicaLogDirTopicResult {
    /// The name of the topic.
    pub topic_name: String,
    /// The results for each partition.
    pub partitions: Vec<AlterReplicaLogDirPartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterReplicaLogDirPartitionResult {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
