//! GetTelemetrySubscriptions (API key 71): [`GetTelemetrySubscriptionsRequest`] and
//! [`GetTelemetrySubscriptionsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `GetTelemetrySubscriptionsRequest.json` and
//! `GetTelemetrySubscriptionsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The GetTelemetrySubscriptions request (API key 71), answered by
/// [`GetTelemetrySubscriptionsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 71,
    request,
    versions = "0",
    flexible = "0+",
    response = GetTelemetrySubscriptionsResponse,
)]
pub struct GetTelemetrySubscriptionsRequest {
    /// Unique id for this client instance, must be set to 0 on the first request.
    pub client_instance_id: Uuid,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The GetTelemetrySubscriptions response (API key 71) to [`GetTelemetrySubscriptionsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 71, response, versions = "0", flexible = "0+")]
pub struct GetTelemetrySubscriptionsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Assigned client instance id if ClientInstanceId was 0 in the request, else 0.
    pub client_instance_id: Uuid,
    /// Unique identifier for the current subscription set for this client instance.
    pub subscription_id: i32,
    /// Compression types that broker accepts for the PushTelemetryRequest.
    pub accepted_compression_types: Vec<i8>,
    /// Configured push interval, which is the lowest configured interval in the current
    /// subscription set.
    pub push_interval_ms: i32,
    /// The maximum bytes of binary data the broker accepts in PushTelemetryRequest.
    pub telemetry_max_bytes: i32,
    /// Flag to indicate monotonic/counter metrics are to be emitted as deltas or cumulative values.
    pub delta_temporality: bool,
    /// Requested metrics prefix string match. Empty array: No metrics subscribed, Array\[0\] empty
    /// string: All metrics subscribed.
    pub requested_metrics: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
