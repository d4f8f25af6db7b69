//! DescribeConfigs (API key 32): [`DescribeConfigsRequest`] and [`DescribeConfigsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeConfigsRequest.json` and
//! `DescribeConfigsResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeConfigs request (API key 32), answered by [`DescribeConfigsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 32,
    request,
    versions = "1-4",
    flexible = "4+",
    response = DescribeConfigsResponse,
)]
pub struct DescribeConfigsRequest {
    /// The resources whose configurations we want to describe.
    pub resources: Vec<DescribeConfigsResource>,
    /// True if we should include all synonyms.
    #[kafka(versions = "1+", default = false)]
    pub include_synonyms: bool,
    /// True if we should include configuration documentation.
    #[kafka(versions = "3+", default = false)]
    pub include_documentation: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The resources whose configurations we want to describe.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeConfigsResource {
    /// The resource type.
    pub resource_type: i8,
    /// The resource name.
    pub resource_name: String,
    /// The configuration keys to list, or null to list all configuration keys.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub configuration_keys: Option<Vec<String>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeConfigs response (API key 32) to [`DescribeConfigsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 32, response, versions = "1-4", flexible = "4+")]
pub struct DescribeConfigsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The results for each resource.
    pub results: Vec<DescribeConfigsResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each resource.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeConfigsResult {
    /// The error code, or 0 if we were able to successfully describe the configurations.
    pub error_code: i16,
    /// The error message, or null if we were able to successfully describe the configurations.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The resource type.
    pub resource_type: i8,
    /// The resource name.
    pub resource_name: String,
    /// Each listed configuration.
    pub configs: Vec<DescribeConfigsResourceResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each listed configuration.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeConfigsResourceResult {
    /// The configuration name.
    pub name: String,
    /// The configuration value.
    #[kafka(nullable_versions = "0+", default = "")]
    pub value: Option<String>,
    /// True if the configuration is read-only.
    pub read_only: bool,
    /// The configuration source.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub config_source: i8,
    /// True if this configuration is sensitive.
    pub is_sensitive: bool,
    /// The synonyms for this configuration key.
    #[kafka(versions = "1+", ignorable)]
    pub synonyms: Vec<DescribeConfigsSynonym>,
    /// The configuration data type. Type can be one of the following values - BOOLEAN, STRING, INT,
    /// SHORT, LONG, DOUBLE, LIST, CLASS, PASSWORD.
    #[kafka(versions = "3+", default = 0, ignorable)]
    pub config_type: i8,
    /// The configuration documentation.
    #[kafka(versions = "3+", nullable_versions = "3+", default = "", ignorable)]
    pub documentation: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The synonyms for this configuration key.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeConfigsSynonym {
    /// The synonym name.
    #[kafka(versions = "1+")]
    pub name: String,
    /// The synonym value.
    #[kafka(versions = "1+", nullable_versions = "1+", default = "")]
    pub value: Option<String>,
    /// The synonym source.
    #[kafka(versions = "1+")]
    pub source: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
