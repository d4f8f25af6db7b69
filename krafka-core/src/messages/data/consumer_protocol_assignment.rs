//! `ConsumerProtocolAssignment`: the assignment half of the consumer group protocol, the partitions
//! a member owns (carried by SyncGroup).
//!
//! Generated from Apache Kafka 4.4.0's `ConsumerProtocolAssignment.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The assignment half of the consumer group protocol, the partitions a member owns (carried by
/// SyncGroup).
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0-3", flexible = "none")]
pub struct ConsumerProtocolAssignment {
    /// The list of topics and partitions assigned to this consumer.
    pub assigned_partitions: Vec<TopicPartition>,
    /// User data.
    #[kafka(nullable_versions = "0+")]
    pub user_data: Option<Bytes>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The list of topics and partitions assigned to this consumer.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicPartition {
    /// The topic name.
    pub topic: String,
    /// The list of partitions assigned to this consumer.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
