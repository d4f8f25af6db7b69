//! FindCoordinator (API key 10): [`FindCoordinatorRequest`] and [`FindCoordinatorResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `FindCoordinatorRequest.json` and
//! `FindCoordinatorResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The FindCoordinator request (API key 10), answered by [`FindCoordinatorResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 10,
    request,
    versions = "0-6",
    flexible = "3+",
    response = FindCoordinatorResponse,
)]
pub struct FindCoordinatorRequest {
    /// The coordinator key.
    #[kafka(versions = "0-3")]
    pub key: String,
    /// The coordinator key type. (group, transaction, share).
    #[kafka(versions = "1+", default = 0)]
    pub key_type: i8,
    /// The coordinator keys.
    #[kafka(versions = "4+")]
    pub coordinator_keys: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The FindCoordinator response (API key 10) to [`FindCoordinatorRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 10, response, versions = "0-6", flexible = "3+")]
pub struct FindCoordinatorResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    #[kafka(versions = "0-3")]
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "1-3", nullable_versions = "1-3", default = "", ignorable)]
    pub error_message: Option<String>,
    /// The node id.
    #[kafka(versions = "0-3")]
    pub node_id: i32,
    /// The host name.
    #[kafka(versions = "0-3")]
    pub host: String,
    /// The port.
    #[kafka(versions = "0-3")]
    pub port: i32,
    /// Each coordinator result in the response.
    #[kafka(versions = "4+")]
    pub coordinators: Vec<Coordinator>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each coordinator result in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Coordinator {
    /// The coordinator key.
    #[kafka(versions = "4+")]
    pub key: String,
    /// The node id.
    #[kafka(versions = "4+")]
    pub node_id: i32,
    /// The host name.
    #[kafka(versions = "4+")]
    pub host: String,
    /// The port.
    #[kafka(versions = "4+")]
    pub port: i32,
    /// The error code, or 0 if there was no error.
    #[kafka(versions = "4+")]
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "4+", nullable_versions = "4+", default = "", ignorable)]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
