//! DescribeLogDirs (API key 35): [`DescribeLogDirsRequest`] and [`DescribeLogDirsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeLogDirsRequest.json` and
//! `DescribeLogDirsResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeLogDirs request (API key 35), answered by [`DescribeLogDirsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 35,
    request,
    versions = "1-5",
    flexible = "2+",
    response = DescribeLogDirsResponse,
)]
pub struct DescribeLogDirsRequest {
    /// Each topic that we want to describe log directories for, or null for all topics.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub topics: Option<Vec<DescribableLogDirTopic>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic that we want to describe log directories for, or null for all topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribableLogDirTopic {
    /// The topic name.
    pub topic: String,
    /// The partition indexes.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeLogDirs response (API key 35) to [`DescribeLogDirsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 35, response, versions = "1-5", flexible = "2+")]
pub struct DescribeLogDirsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    #[kafka(versions = "3+", ignorable)]
    pub error_code: i16,
    /// The log directories.
    pub results: Vec<DescribeLogDirsResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The log directories.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeLogDirsResult {
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The absolute log directory path.
    pub log_dir: String,
    /// The topics.
    pub topics: Vec<DescribeLogDirsTopic>,
    /// The total size in bytes of the volume the log directory is in. This value does not include
    /// the size of data stored in remote storage.
    #[kafka(versions = "4+", default = -1, ignorable)]
    pub total_bytes: i64,
    /// The usable size in bytes of the volume the log directory is in. This value does not include
    /// the size of data stored in remote storage.
    #[kafka(versions = "4+", default = -1, ignorable)]
    pub usable_bytes: i64,
    /// True if this log directory is cordoned.
    #[kafka(versions = "5+", default = false, ignorable)]
    pub is_cordoned: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeLogDirsTopic {
    /// The topic name.
    pub name: String,
    /// The partitions.
    pub partitions: Vec<DescribeLogDirsPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeLogDirsPartition {
    /// The partition index.
    pub partition_index: i32,
    /// The size of the log segments in this partition in bytes.
    pub partition_size: i64,
    /// The lag of the log's LEO w.r.t. partition's HW (if it is the current log for the partition)
    /// or current replica's LEO (if it is the future log for the partition).
    pub offset_lag: i64,
    /// True if this log is created by AlterReplicaLogDirsRequest and will replace the current log
    /// of the replica in the future.
    pub is_future_key: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
