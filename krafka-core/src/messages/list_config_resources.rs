//! ListConfigResources (API key 74): [`ListConfigResourcesRequest`] and
//! [`ListConfigResourcesResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ListConfigResourcesRequest.json` and
//! `ListConfigResourcesResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The ListConfigResources request (API key 74), answered by [`ListConfigResourcesResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 74,
    request,
    versions = "0-1",
    flexible = "0+",
    response = ListConfigResourcesResponse,
)]
pub struct ListConfigResourcesRequest {
    /// The list of resource type. If the list is empty, it uses default supported config resource
    /// types.
    #[kafka(versions = "1+")]
    pub resource_types: Vec<i8>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ListConfigResources response (API key 74) to [`ListConfigResourcesRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 74, response, versions = "0-1", flexible = "0+")]
pub struct ListConfigResourcesResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Each config resource in the response.
    pub config_resources: Vec<ConfigResource>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each config resource in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ConfigResource {
    /// The resource name.
    pub resource_name: String,
    /// The resource type.
    #[kafka(versions = "1+", default = 16, ignorable)]
    pub resource_type: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
