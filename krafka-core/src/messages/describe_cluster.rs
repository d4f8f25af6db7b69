//! DescribeCluster (API key 60): [`DescribeClusterRequest`] and [`DescribeClusterResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeClusterRequest.json` and
//! `DescribeClusterResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeCluster request (API key 60), answered by [`DescribeClusterResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 60,
    request,
    versions = "0-2",
    flexible = "0+",
    response = DescribeClusterResponse,
)]
pub struct DescribeClusterRequest {
    /// Whether to include cluster authorized operations.
    pub include_cluster_authorized_operations: bool,
    /// The endpoint type to describe. 1=brokers, 2=controllers.
    #[kafka(versions = "1+", default = 1)]
    pub endpoint_type: i8,
    /// Whether to include fenced brokers when listing brokers.
    #[kafka(versions = "2+")]
    pub include_fenced_brokers: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeCluster response (API key 60) to [`DescribeClusterRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 60, response, versions = "0-2", flexible = "0+")]
pub struct DescribeClusterResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The endpoint type that was described. 1=brokers, 2=controllers.
    #[kafka(versions = "1+", default = 1)]
    pub endpoint_type: i8,
    /// The cluster ID that responding broker belongs to.
    pub cluster_id: String,
    /// The ID of the controller. When handled by a controller, returns the current voter leader ID.
    /// When handled by a broker, returns a random alive broker ID as a fallback.
    #[kafka(default = -1)]
    pub controller_id: i32,
    /// Each broker in the response.
    pub brokers: Vec<DescribeClusterBroker>,
    /// 32-bit bitfield to represent authorized operations for this cluster.
    #[kafka(default = -2147483648)]
    pub cluster_authorized_operations: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each broker in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeClusterBroker {
    /// The broker ID.
    pub broker_id: i32,
    /// The broker hostname.
    pub host: String,
    /// The broker port.
    pub port: i32,
    /// The rack of the broker, or null if it has not been assigned to a rack.
    #[kafka(nullable_versions = "0+")]
    pub rack: Option<String>,
    /// Whether the broker is fenced
    #[kafka(versions = "2+")]
    pub is_fenced: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
