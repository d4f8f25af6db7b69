//! TxnOffsetCommit (API key 28): [`TxnOffsetCommitRequest`] and [`TxnOffsetCommitResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `TxnOffsetCommitRequest.json` and
//! `TxnOffsetCommitResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The TxnOffsetCommit request (API key 28), answered by [`TxnOffsetCommitResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 28,
    request,
    versions = "0-6",
    flexible = "3+",
    response = TxnOffsetCommitResponse,
)]
pub struct TxnOffsetCommitRequest {
    /// The ID of the transaction.
    pub transactional_id: String,
    /// The ID of the group.
    pub group_id: String,
    /// The current producer ID in use by the transactional ID.
    pub producer_id: i64,
    /// The current epoch associated with the producer ID.
    pub producer_epoch: i16,
    /// The generation of the group if using the classic group protocol or the member epoch if using
    /// the consumer protocol.
    #[kafka(versions = "3+", default = -1)]
    pub generation_id_or_member_epoch: i32,
    /// The member ID assigned by the group coordinator.
    #[kafka(versions = "3+", default = "")]
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "3+", nullable_versions = "3+")]
    pub group_instance_id: Option<String>,
    /// Each topic that we want to commit offsets for.
    pub topics: Vec<TxnOffsetCommitRequestTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic that we want to commit offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TxnOffsetCommitRequestTopic {
    /// The topic name.
    #[kafka(versions = "0-5", ignorable)]
    pub name: String,
    /// The topic ID.
    #[kafka(versions = "6+", ignorable)]
    pub topic_id: Uuid,
    /// The partitions inside the topic that we want to commit offsets for.
    pub partitions: Vec<TxnOffsetCommitRequestPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions inside the topic that we want to commit offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TxnOffsetCommitRequestPartition {
    /// The index of the partition within the topic.
    pub partition_index: i32,
    /// The message offset to be committed.
    pub committed_offset: i64,
    /// The leader epoch of the last consumed record.
    #[kafka(versions = "2+", default = -1, ignorable)]
    pub committed_leader_epoch: i32,
    /// Any associated metadata the client wants to keep.
    #[kafka(nullable_versions = "0+", default = "")]
    pub committed_metadata: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The TxnOffsetCommit response (API key 28) to [`TxnOffsetCommitRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 28, response, versions = "0-6", flexible = "3+")]
pub struct TxnOffsetCommitResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The responses for each topic.
    pub topics: Vec<TxnOffsetCommitResponseTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TxnOffsetCommitResponseTopic {
    /// The topic name.
    #[kafka(versions = "0-5", ignorable)]
    pub name: String,
    /// The topic ID.
    #[kafka(versions = "6+", ignorable)]
    pub topic_id: Uuid,
    /// The responses for each partition in the topic.
    pub partitions: Vec<TxnOffsetCommitResponsePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each partition in the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TxnOffsetCommitResponsePartition {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
