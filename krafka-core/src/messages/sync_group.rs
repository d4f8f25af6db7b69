//! SyncGroup (API key 14): [`SyncGroupRequest`] and [`SyncGroupResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `SyncGroupRequest.json` and `SyncGroupResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The SyncGroup request (API key 14), answered by [`SyncGroupResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 14, request, versions = "0-5", flexible = "4+", response = SyncGroupResponse)]
pub struct SyncGroupRequest {
    /// The unique group identifier.
    pub group_id: String,
    /// The generation of the group.
    pub generation_id: i32,
    /// The member ID assigned by the group.
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "3+", nullable_versions = "3+")]
    pub group_instance_id: Option<String>,
    /// The group protocol type.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub protocol_type: Option<String>,
    /// The group protocol name.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub protocol_name: Option<String>,
    /// Each assignment.
    pub assignments: Vec<SyncGroupRequestAssignment>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each assignment.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct SyncGroupRequestAssignment {
    /// The ID of the member to assign.
    pub member_id: String,
    /// The member assignment.
    pub assignment: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The SyncGroup response (API key 14) to [`SyncGroupRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 14, response, versions = "0-5", flexible = "4+")]
pub struct SyncGroupResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The group protocol type.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub protocol_type: Option<String>,
    /// The group protocol name.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub protocol_name: Option<String>,
    /// The member assignment.
    pub assignment: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
