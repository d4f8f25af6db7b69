//! IncrementalAlterConfigs (API key 44): [`IncrementalAlterConfigsRequest`] and
//! [`IncrementalAlterConfigsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `IncrementalAlterConfigsRequest.json` and
//! `IncrementalAlterConfigsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The IncrementalAlterConfigs request (API key 44), answered by
/// [`IncrementalAlterConfigsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 44,
    request,
    versions = "0-1",
    flexible = "1+",
    response = IncrementalAlterConfigsResponse,
)]
pub struct IncrementalAlterConfigsRequest {
    /// The incremental updates for each resource.
    pub resources: Vec<AlterConfigsResource>,
    /// True if we should validate the request, but not change the configurations.
    pub validate_only: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The incremental updates for each resource.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterConfigsResource {
    /// The resource type.
    pub resource_type: i8,
    /// The resource name.
    pub resource_name: String,
    /// The configurations.
    pub configs: Vec<AlterableConfig>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The configurations.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterableConfig {
    /// The configuration key name.
    pub name: String,
    /// The type (Set, Delete, Append, Subtract) of operation.
    pub config_operation: i8,
    /// The value to set for the configuration key.
    #[kafka(nullable_versions = "0+", default = "")]
    pub value: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The IncrementalAlterConfigs response (API key 44) to [`IncrementalAlterConfigsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 44, response, versions = "0-1", flexible = "1+")]
pub struct IncrementalAlterConfigsResponse {
    /// Duration in milliseconds for which the request was throttled due to a quota violation, or
    /// zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The responses for each resource.
    pub responses: Vec<AlterConfigsResourceResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each resource.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AlterConfigsResourceResponse {
    /// The resource error code.
    pub error_code: i16,
    /// The resource error message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The resource type.
    pub resource_type: i8,
    /// The resource name.
    pub resource_name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
