//! LeaveGroup (API key 13): [`LeaveGroupRequest`] and [`LeaveGroupResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `LeaveGroupRequest.json` and `LeaveGroupResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The LeaveGroup request (API key 13), answered by [`LeaveGroupResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 13, request, versions = "0-5", flexible = "4+", response = LeaveGroupResponse)]
pub struct LeaveGroupRequest {
    /// The ID of the group to leave.
    pub group_id: String,
    /// The member ID to remove from the group.
    #[kafka(versions = "0-2")]
    pub member_id: String,
    /// List of leaving member identities.
    #[kafka(versions = "3+")]
    pub members: Vec<MemberIdentity>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// List of leaving member identities.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct MemberIdentity {
    /// The member ID to remove from the group.
    #[kafka(versions = "3+")]
    pub member_id: String,
    /// The group instance ID to remove from the group.
    #[kafka(versions = "3+", nullable_versions = "3+")]
    pub group_instance_id: Option<String>,
    /// The reason why the member left the group.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub reason: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The LeaveGroup response (API key 13) to [`LeaveGroupRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 13, response, versions = "0-5", flexible = "4+")]
pub struct LeaveGroupResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// List of leaving member responses.
    #[kafka(versions = "3+")]
    pub members: Vec<MemberResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// List of leaving member responses.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct MemberResponse {
    /// The member ID to remove from the group.
    #[kafka(versions = "3+")]
    pub member_id: String,
    /// The group instance ID to remove from the group.
    #[kafka(versions = "3+", nullable_versions = "3+", default = "")]
    pub group_instance_id: Option<String>,
    /// The error code, or 0 if there was no error.
    #[kafka(versions = "3+")]
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
