//! ApiVersions (key 18): which API versions the broker supports.

use crate::Message;
use crate::codec::TaggedFields;

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 18, request, versions = "0-5", flexible = "3+", response = ApiVersionsResponse)]
pub struct ApiVersionsRequest {
    #[kafka(versions = "3+", ignorable)]
    pub client_software_name: String,
    #[kafka(versions = "3+", ignorable)]
    pub client_software_version: String,
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub cluster_id: Option<String>,
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub node_id: i32,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 18,
    response,
    versions = "0-5",
    flexible = "3+",
    response_header_v0
)]
pub struct ApiVersionsResponse {
    pub error_code: i16,
    pub api_keys: Vec<ApiVersion>,
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    #[kafka(versions = "3+", tag = 0, tagged_versions = "3+", ignorable)]
    pub supported_features: Vec<SupportedFeatureKey>,
    #[kafka(versions = "3+", tag = 1, tagged_versions = "3+", default = -1, ignorable)]
    pub finalized_features_epoch: i64,
    #[kafka(versions = "3+", tag = 2, tagged_versions = "3+", ignorable)]
    pub finalized_features: Vec<FinalizedFeatureKey>,
    #[kafka(
        versions = "3+",
        tag = 3,
        tagged_versions = "3+",
        default = false,
        ignorable
    )]
    pub zk_migration_ready: bool,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
pub struct ApiVersion {
    pub api_key: i16,
    pub min_version: i16,
    pub max_version: i16,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
pub struct SupportedFeatureKey {
    #[kafka(versions = "3+")]
    pub name: String,
    #[kafka(versions = "3+")]
    pub min_version: i16,
    #[kafka(versions = "3+")]
    pub max_version: i16,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

#[derive(Debug, Clone, PartialEq, Message)]
pub struct FinalizedFeatureKey {
    #[kafka(versions = "3+")]
    pub name: String,
    #[kafka(versions = "3+")]
    pub max_version_level: i16,
    #[kafka(versions = "3+")]
    pub min_version_level: i16,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
