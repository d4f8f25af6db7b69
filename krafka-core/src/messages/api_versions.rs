//! ApiVersions (API key 18): [`ApiVersionsRequest`] and [`ApiVersionsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ApiVersionsRequest.json` and `ApiVersionsResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The ApiVersions request (API key 18), answered by [`ApiVersionsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 18, request, versions = "0-5", flexible = "3+", response = ApiVersionsResponse)]
pub struct ApiVersionsRequest {
    /// The name of the client.
    #[kafka(versions = "3+", ignorable)]
    pub client_software_name: String,
    /// The version of the client.
    #[kafka(versions = "3+", ignorable)]
    pub client_software_version: String,
    /// The cluster ID the client intends to connect to. Provide both ClusterId and NodeId, if
    /// known.
    #[kafka(versions = "5+", nullable_versions = "5+", ignorable)]
    pub cluster_id: Option<String>,
    /// The node ID the client intends to connect to. Provide both ClusterId and NodeId, if known.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub node_id: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ApiVersions response (API key 18) to [`ApiVersionsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 18,
    response,
    versions = "0-5",
    flexible = "3+",
    response_header_v0
)]
pub struct ApiVersionsResponse {
    /// The top-level error code.
    pub error_code: i16,
    /// The APIs supported by the broker.
    pub api_keys: Vec<ApiVersion>,
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// Features supported by the broker. Note: in v0-v3, features with MinSupportedVersion = 0 are
    /// omitted.
    #[kafka(versions = "3+", tag = 0, tagged_versions = "3+", ignorable)]
    pub supported_features: Vec<SupportedFeatureKey>,
    /// The monotonically increasing epoch for the finalized features information. Valid values
    /// are >= 0. A value of -1 is special and represents unknown epoch.
    #[kafka(versions = "3+", tag = 1, tagged_versions = "3+", default = -1, ignorable)]
    pub finalized_features_epoch: i64,
    /// List of cluster-wide finalized features. The information is valid only if
    /// FinalizedFeaturesEpoch >= 0.
    #[kafka(versions = "3+", tag = 2, tagged_versions = "3+", ignorable)]
    pub finalized_features: Vec<FinalizedFeatureKey>,
    /// Set by a KRaft controller if the required configurations for ZK migration are present.
    #[kafka(
        versions = "3+",
        tag = 3,
        tagged_versions = "3+",
        default = false,
        ignorable
    )]
    pub zk_migration_ready: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The APIs supported by the broker.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ApiVersion {
    /// The API index.
    pub api_key: i16,
    /// The minimum supported version, inclusive.
    pub min_version: i16,
    /// The maximum supported version, inclusive.
    pub max_version: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Features supported by the broker. Note: in v0-v3, features with MinSupportedVersion = 0 are
/// omitted.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct SupportedFeatureKey {
    /// The name of the feature.
    #[kafka(versions = "3+")]
    pub name: String,
    /// The minimum supported version for the feature.
    #[kafka(versions = "3+")]
    pub min_version: i16,
    /// The maximum supported version for the feature.
    #[kafka(versions = "3+")]
    pub max_version: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// List of cluster-wide finalized features. The information is valid only if
/// FinalizedFeaturesEpoch >= 0.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct FinalizedFeatureKey {
    /// The name of the feature.
    #[kafka(versions = "3+")]
    pub name: String,
    /// The cluster-wide finalized max version level for the feature.
    #[kafka(versions = "3+")]
    pub max_version_level: i16,
    /// The cluster-wide finalized min version level for the feature.
    #[kafka(versions = "3+")]
    pub min_version_level: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
