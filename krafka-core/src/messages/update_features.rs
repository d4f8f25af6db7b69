//! UpdateFeatures (API key 57): [`UpdateFeaturesRequest`] and [`UpdateFeaturesResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `UpdateFeaturesRequest.json` and
//! `UpdateFeaturesResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator, not
//! this file.

use crate::codec::{Message, TaggedFields};

/// The UpdateFeatures request (API key 57), answered by [`UpdateFeaturesResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 57,
    request,
    versions = "0-2",
    flexible = "0+",
    response = UpdateFeaturesResponse,
)]
pub struct UpdateFeaturesRequest {
    /// How long to wait in milliseconds before timing out the request.
    #[kafka(default = 60000, name = "timeoutMs")]
    pub timeout_ms: i32,
    /// The list of updates to finalized features.
    pub feature_updates: Vec<FeatureUpdateKey>,
    /// True if we should validate the request, but not perform the upgrade or downgrade.
    #[kafka(versions = "1+", default = false)]
    pub validate_only: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The list of updates to finalized features.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct FeatureUpdateKey {
    /// The name of the finalized feature to be updated.
    pub feature: String,
    /// The new maximum version level for the finalized feature. A value >= 1 is valid. A value < 1,
    /// is special, and can be used to request the deletion of the finalized feature.
    pub max_version_level: i16,
    /// DEPRECATED in version 1 (see DowngradeType). When set to true, the finalized feature version
    /// level is allowed to be downgraded/deleted. The downgrade request will fail if the new
    /// maximum version level is a value that's not lower than the existing maximum finalized
    /// version level.
    #[kafka(versions = "0")]
    pub allow_downgrade: bool,
    /// Determine which type of upgrade will be performed: 1 will perform an upgrade only (default),
    /// 2 is safe downgrades only (lossless), 3 is unsafe downgrades (lossy).
    #[kafka(versions = "1+", default = 1)]
    pub upgrade_type: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The UpdateFeatures response (API key 57) to [`UpdateFeaturesRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 57, response, versions = "0-2", flexible = "0+")]
pub struct UpdateFeaturesResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level error code, or `0` if there was no top-level error.
    pub error_code: i16,
    /// The top-level error message, or `null` if there was no top-level error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Results for each feature update.
    #[kafka(versions = "0-1", ignorable)]
    pub results: Vec<UpdatableFeatureResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Results for each feature update.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct UpdatableFeatureResult {
    /// The name of the finalized feature.
    pub feature: String,
    /// The feature update error code or `0` if the feature update succeeded.
    pub error_code: i16,
    /// The feature update error, or `null` if the feature update succeeded.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
