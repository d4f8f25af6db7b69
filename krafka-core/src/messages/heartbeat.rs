//! Heartbeat (API key 12): [`HeartbeatRequest`] and [`HeartbeatResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `HeartbeatRequest.json` and `HeartbeatResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The Heartbeat request (API key 12), answered by [`HeartbeatResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 12, request, versions = "0-4", flexible = "4+", response = HeartbeatResponse)]
pub struct HeartbeatRequest {
    /// The group id.
    pub group_id: String,
    /// The generation of the group.
    pub generation_id: i32,
    /// The member ID.
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "3+", nullable_versions = "3+")]
    pub group_instance_id: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The Heartbeat response (API key 12) to [`HeartbeatRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 12, response, versions = "0-4", flexible = "4+")]
pub struct HeartbeatResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
