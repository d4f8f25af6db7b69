//! JoinGroup (API key 11): [`JoinGroupRequest`] and [`JoinGroupResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `JoinGroupRequest.json` and `JoinGroupResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The JoinGroup request (API key 11), answered by [`JoinGroupResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 11, request, versions = "0-9", flexible = "6+", response = JoinGroupResponse)]
pub struct JoinGroupRequest {
    /// The group identifier.
    pub group_id: String,
    /// The coordinator considers the consumer dead if it receives no heartbeat after this timeout
    /// in milliseconds.
    pub session_timeout_ms: i32,
    /// The maximum time in milliseconds that the coordinator will wait for each member to rejoin
    /// when rebalancing the group.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub rebalance_timeout_ms: i32,
    /// The member id assigned by the group coordinator.
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "5+", nullable_versions = "5+")]
    pub group_instance_id: Option<String>,
    /// The unique name the for class of protocols implemented by the group we want to join.
    pub protocol_type: String,
    /// The list of protocols that the member supports.
    pub protocols: Vec<JoinGroupRequestProtocol>,
    /// The reason why the member (re-)joins the group.
    #[kafka(versions = "8+", nullable_versions = "8+", ignorable)]
    pub reason: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The list of protocols that the member supports.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct JoinGroupRequestProtocol {
    /// The protocol name.
    pub name: String,
    /// The protocol metadata.
    pub metadata: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The JoinGroup response (API key 11) to [`JoinGroupRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 11, response, versions = "0-9", flexible = "6+")]
pub struct JoinGroupResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "2+", ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The generation ID of the group.
    #[kafka(default = -1)]
    pub generation_id: i32,
    /// The group protocol name.
    #[kafka(versions = "7+", nullable_versions = "7+", ignorable)]
    pub protocol_type: Option<String>,
    /// The group protocol selected by the coordinator.
    #[kafka(nullable_versions = "7+", default = "")]
    pub protocol_name: Option<String>,
    /// The leader of the group.
    pub leader: String,
    /// True if the leader must skip running the assignment.
    #[kafka(versions = "9+", default = false)]
    pub skip_assignment: bool,
    /// The member ID assigned by the group coordinator.
    pub member_id: String,
    /// The group members.
    pub members: Vec<JoinGroupResponseMember>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The group members.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct JoinGroupResponseMember {
    /// The group member ID.
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub group_instance_id: Option<String>,
    /// The group member metadata.
    pub metadata: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
