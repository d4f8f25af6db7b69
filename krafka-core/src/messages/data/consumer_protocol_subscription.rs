//! `ConsumerProtocolSubscription`: the subscription half of the consumer group protocol, the topics
//! a member wants (carried by JoinGroup).
//!
//! Generated from Apache Kafka 4.4.0's `ConsumerProtocolSubscription.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The subscription half of the consumer group protocol, the topics a member wants (carried by
/// JoinGroup).
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0-3", flexible = "none")]
pub struct ConsumerProtocolSubscription {
    /// The topics that the member wants to consume.
    pub topics: Vec<String>,
    /// User data that will be passed back to the consumer.
    #[kafka(nullable_versions = "0+")]
    pub user_data: Option<Bytes>,
    /// The partitions that the member owns.
    #[kafka(versions = "1+", ignorable)]
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation id of the member.
    #[kafka(versions = "2+", default = -1, ignorable)]
    pub generation_id: i32,
    /// The rack id of the member.
    #[kafka(versions = "3+", nullable_versions = "3+", ignorable)]
    pub rack_id: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions that the member owns.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicPartition {
    /// The topic name.
    #[kafka(versions = "1+")]
    pub topic: String,
    /// The partition ids.
    #[kafka(versions = "1+")]
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
