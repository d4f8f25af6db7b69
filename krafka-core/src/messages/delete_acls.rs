//! DeleteAcls (API key 31): [`DeleteAclsRequest`] and [`DeleteAclsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DeleteAclsRequest.json` and `DeleteAclsResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DeleteAcls request (API key 31), answered by [`DeleteAclsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 31, request, versions = "1-3", flexible = "2+", response = DeleteAclsResponse)]
pub struct DeleteAclsRequest {
    /// The filters to use when deleting ACLs.
    pub filters: Vec<DeleteAclsFilter>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The filters to use when deleting ACLs.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteAclsFilter {
    /// The resource type.
    pub resource_type_filter: i8,
    /// The resource name, or null to match any resource name.
    #[kafka(nullable_versions = "0+", default = "")]
    pub resource_name_filter: Option<String>,
    /// The pattern type.
    #[kafka(versions = "1+", default = 3)]
    pub pattern_type_filter: i8,
    /// The principal filter, or null to accept all principals.
    #[kafka(nullable_versions = "0+", default = "")]
    pub principal_filter: Option<String>,
    /// The host filter, or null to accept all hosts.
    #[kafka(nullable_versions = "0+", default = "")]
    pub host_filter: Option<String>,
    /// The ACL operation.
    pub operation: i8,
    /// The permission type.
    pub permission_type: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DeleteAcls response (API key 31) to [`DeleteAclsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 31, response, versions = "1-3", flexible = "2+")]
pub struct DeleteAclsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The results for each filter.
    pub filter_results: Vec<DeleteAclsFilterResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each filter.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteAclsFilterResult {
    /// The error code, or 0 if the filter succeeded.
    pub error_code: i16,
    /// The error message, or null if the filter succeeded.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The ACLs which matched this filter.
    pub matching_acls: Vec<DeleteAclsMatchingAcl>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ACLs which matched this filter.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteAclsMatchingAcl {
    /// The deletion error code, or 0 if the deletion succeeded.
    pub error_code: i16,
    /// The deletion error message, or null if the deletion succeeded.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The ACL resource type.
    pub resource_type: i8,
    /// The ACL resource name.
    pub resource_name: String,
    /// The ACL resource pattern type.
    #[kafka(versions = "1+", default = 3)]
    pub pattern_type: i8,
    /// The ACL principal.
    pub principal: String,
    /// The ACL host.
    pub host: String,
    /// The ACL operation.
    pub operation: i8,
    /// The ACL permission type.
    pub permission_type: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
