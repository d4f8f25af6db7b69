//! DescribeAcls (API key 29): [`DescribeAclsRequest`] and [`DescribeAclsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeAclsRequest.json` and `DescribeAclsResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeAcls request (API key 29), answered by [`DescribeAclsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 29, request, versions = "1-3", flexible = "2+", response = DescribeAclsResponse)]
pub struct DescribeAclsRequest {
    /// The resource type.
    pub resource_type_filter: i8,
    /// The resource name, or null to match any resource name.
    #[kafka(nullable_versions = "0+", default = "")]
    pub resource_name_filter: Option<String>,
    /// The resource pattern to match.
    #[kafka(versions = "1+", default = 3)]
    pub pattern_type_filter: i8,
    /// The principal to match, or null to match any principal.
    #[kafka(nullable_versions = "0+", default = "")]
    pub principal_filter: Option<String>,
    /// The host to match, or null to match any host.
    #[kafka(nullable_versions = "0+", default = "")]
    pub host_filter: Option<String>,
    /// The operation to match.
    pub operation: i8,
    /// The permission type to match.
    pub permission_type: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeAcls response (API key 29) to [`DescribeAclsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 29, response, versions = "1-3", flexible = "2+")]
pub struct DescribeAclsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Each Resource that is referenced in an ACL.
    pub resources: Vec<DescribeAclsResource>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each Resource that is referenced in an ACL.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeAclsResource {
    /// The resource type.
    pub resource_type: i8,
    /// The resource name.
    pub resource_name: String,
    /// The resource pattern type.
    #[kafka(versions = "1+", default = 3)]
    pub pattern_type: i8,
    /// The ACLs.
    pub acls: Vec<AclDescription>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ACLs.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AclDescription {
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
