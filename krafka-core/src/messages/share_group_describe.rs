//! ShareGroupDescribe (API key 77): [`ShareGroupDescribeRequest`] and
//! [`ShareGroupDescribeResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ShareGroupDescribeRequest.json` and
//! `ShareGroupDescribeResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The ShareGroupDescribe request (API key 77), answered by [`ShareGroupDescribeResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 77,
    request,
    versions = "1",
    flexible = "0+",
    response = ShareGroupDescribeResponse,
)]
pub struct ShareGroupDescribeRequest {
    /// The ids of the groups to describe.
    pub group_ids: Vec<String>,
    /// Whether to include authorized operations.
    pub include_authorized_operations: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ShareGroupDescribe response (API key 77) to [`ShareGroupDescribeRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 77, response, versions = "1", flexible = "0+")]
pub struct ShareGroupDescribeResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Each described group.
    pub groups: Vec<DescribedGroup>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each described group.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribedGroup {
    /// The describe error, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The group ID string.
    pub group_id: String,
    /// The group state string, or the empty string.
    pub group_state: String,
    /// The group epoch.
    pub group_epoch: i32,
    /// The assignment epoch.
    pub assignment_epoch: i32,
    /// The selected assignor.
    pub assignor_name: String,
    /// The members.
    pub members: Vec<Member>,
    /// 32-bit bitfield to represent authorized operations for this group.
    #[kafka(default = -2147483648)]
    pub authorized_operations: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The members.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Member {
    /// The member ID.
    pub member_id: String,
    /// The member rack ID.
    #[kafka(nullable_versions = "0+")]
    pub rack_id: Option<String>,
    /// The current member epoch.
    pub member_epoch: i32,
    /// The client ID.
    pub client_id: String,
    /// The client host.
    pub client_host: String,
    /// The subscribed topic names.
    pub subscribed_topic_names: Vec<String>,
    /// The current assignment.
    pub assignment: Assignment,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The assigned topic-partitions to the member.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicPartitions {
    /// The topic ID.
    pub topic_id: Uuid,
    /// The topic name.
    pub topic_name: String,
    /// The partitions.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current assignment.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Assignment {
    /// The assigned topic-partitions to the member.
    pub topic_partitions: Vec<TopicPartitions>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
