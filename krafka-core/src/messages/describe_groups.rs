//! DescribeGroups (API key 15): [`DescribeGroupsRequest`] and [`DescribeGroupsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeGroupsRequest.json` and
//! `DescribeGroupsResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator, not
//! this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The DescribeGroups request (API key 15), answered by [`DescribeGroupsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 15,
    request,
    versions = "0-6",
    flexible = "5+",
    response = DescribeGroupsResponse,
)]
pub struct DescribeGroupsRequest {
    /// The names of the groups to describe.
    pub groups: Vec<String>,
    /// Whether to include authorized operations.
    #[kafka(versions = "3+")]
    pub include_authorized_operations: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeGroups response (API key 15) to [`DescribeGroupsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 15, response, versions = "0-6", flexible = "5+")]
pub struct DescribeGroupsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
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
    /// The describe error message, or null if there was no error.
    #[kafka(versions = "6+", nullable_versions = "6+")]
    pub error_message: Option<String>,
    /// The group ID string.
    pub group_id: String,
    /// The group state string, or the empty string.
    pub group_state: String,
    /// The group protocol type, or the empty string.
    pub protocol_type: String,
    /// The group protocol data, or the empty string.
    pub protocol_data: String,
    /// The group members.
    pub members: Vec<DescribedGroupMember>,
    /// 32-bit bitfield to represent authorized operations for this group.
    #[kafka(versions = "3+", default = -2147483648)]
    pub authorized_operations: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The group members.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribedGroupMember {
    /// The member id.
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "4+", nullable_versions = "4+", ignorable)]
    pub group_instance_id: Option<String>,
    /// The client ID used in the member's latest join group request.
    pub client_id: String,
    /// The client host.
    pub client_host: String,
    /// The metadata corresponding to the current group protocol in use.
    pub member_metadata: Bytes,
    /// The current assignment provided by the group leader.
    pub member_assignment: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
