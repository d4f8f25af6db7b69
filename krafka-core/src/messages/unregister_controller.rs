//! UnregisterController (API key 94): [`UnregisterControllerRequest`] and
//! [`UnregisterControllerResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `UnregisterControllerRequest.json` and
//! `UnregisterControllerResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The UnregisterController request (API key 94), answered by [`UnregisterControllerResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 94,
    request,
    versions = "0",
    flexible = "0+",
    response = UnregisterControllerResponse,
)]
pub struct UnregisterControllerRequest {
    /// The controller ID to unregister.
    pub controller_id: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The UnregisterController response (API key 94) to [`UnregisterControllerRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 94, response, versions = "0", flexible = "0+")]
pub struct UnregisterControllerResponse {
    /// Duration in milliseconds for which the request was throttled due to a quota violation, or
    /// zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or `null` if there was no top-level error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
