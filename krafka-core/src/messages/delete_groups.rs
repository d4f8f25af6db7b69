//! DeleteGroups (API key 42): [`DeleteGroupsRequest`] and [`DeleteGroupsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DeleteGroupsRequest.json` and `DeleteGroupsResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DeleteGroups request (API key 42), answered by [`DeleteGroupsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 42, request, versions = "0-3", flexible = "2+", response = DeleteGroupsResponse)]
pub struct DeleteGroupsRequest {
    /// The group names to delete.
    pub groups_names: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DeleteGroups response (API key 42) to [`DeleteGroupsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 42, response, versions = "0-3", flexible = "2+")]
pub struct DeleteGroupsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The deletion results.
    pub results: Vec<DeletableGroupResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The deletion results.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeletableGroupResult {
    /// The group id.
    pub group_id: String,
    /// The deletion error, or 0 if the deletion succeeded.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "3+", nullable_versions = "3+", ignorable)]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
