//! PushTelemetry (API key 72): [`PushTelemetryRequest`] and [`PushTelemetryResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `PushTelemetryRequest.json` and `PushTelemetryResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields, Uuid};

/// The PushTelemetry request (API key 72), answered by [`PushTelemetryResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 72, request, versions = "0", flexible = "0+", response = PushTelemetryResponse)]
pub struct PushTelemetryRequest {
    /// Unique id for this client instance.
    pub client_instance_id: Uuid,
    /// Unique identifier for the current subscription.
    pub subscription_id: i32,
    /// Client is terminating the connection.
    pub terminating: bool,
    /// Compression codec used to compress the metrics.
    pub compression_type: i8,
    /// Metrics encoded in OpenTelemetry MetricsData v1 protobuf format.
    pub metrics: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The PushTelemetry response (API key 72) to [`PushTelemetryRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 72, response, versions = "0", flexible = "0+")]
pub struct PushTelemetryResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
