//! ListGroups (API key 16): [`ListGroupsRequest`] and [`ListGroupsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ListGroupsRequest.json` and `ListGroupsResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The ListGroups request (API key 16), answered by [`ListGroupsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 16, request, versions = "0-5", flexible = "3+", response = ListGroupsResponse)]
pub struct ListGroupsRequest {
    /// The states of the groups we want to list. If empty, all groups are returned with their
    /// state.
    #[kafka(versions = "4+")]
    pub states_filter: Vec<String>,
    /// The types of the groups we want to list. If empty, all groups are returned with their type.
    #[kafka(versions = "5+")]
    pub types_filter: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ListGroups response (API key 16) to [`ListGroupsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 16, response, versions = "0-5", flexible = "3+")]
pub struct ListGroupsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Each group in the response.
    pub groups: Vec<ListedGroup>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each group in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ListedGroup {
    /// The group ID.
    pub group_id: String,
    /// The group protocol type.
    pub protocol_type: String,
    /// The group state name.
    #[kafka(versions = "4+", ignorable)]
    pub group_state: String,
    /// The group type name.
    #[kafka(versions = "5+", ignorable)]
    pub group_type: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
