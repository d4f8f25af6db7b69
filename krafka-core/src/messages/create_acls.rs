//! CreateAcls (API key 30): [`CreateAclsRequest`] and [`CreateAclsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `CreateAclsRequest.json` and `CreateAclsResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The CreateAcls request (API key 30), answered by [`CreateAclsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 30, request, versions = "1-3", flexible = "2+", response = CreateAclsResponse)]
pub struct CreateAclsRequest {
    /// The ACLs that we want to create.
    pub creations: Vec<AclCreation>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ACLs that we want to create.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AclCreation {
    /// The type of the resource.
    pub resource_type: i8,
    /// The resource name for the ACL.
    pub resource_name: String,
    /// The pattern type for the ACL.
    #[kafka(versions = "1+", default = 3)]
    pub resource_pattern_type: i8,
    /// The principal for the ACL.
    pub principal: String,
    /// The host for the ACL.
    pub host: String,
    /// The operation type for the ACL (read, write, etc.).
    pub operation: i8,
    /// The permission type for the ACL (allow, deny, etc.).
    pub permission_type: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The CreateAcls response (API key 30) to [`CreateAclsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 30, response, versions = "1-3", flexible = "2+")]
pub struct CreateAclsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The results for each ACL creation.
    pub results: Vec<AclCreationResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each ACL creation.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AclCreationResult {
    /// The result error, or zero if there was no error.
    pub error_code: i16,
    /// The result message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
