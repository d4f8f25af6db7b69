//! DescribeClientQuotas (API key 48): [`DescribeClientQuotasRequest`] and
//! [`DescribeClientQuotasResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeClientQuotasRequest.json` and
//! `DescribeClientQuotasResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeClientQuotas request (API key 48), answered by [`DescribeClientQuotasResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 48,
    request,
    versions = "0-1",
    flexible = "1+",
    response = DescribeClientQuotasResponse,
)]
pub struct DescribeClientQuotasRequest {
    /// Filter components to apply to quota entities.
    pub components: Vec<ComponentData>,
    /// Whether the match is strict, i.e. should exclude entities with unspecified entity types.
    pub strict: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Filter components to apply to quota entities.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ComponentData {
    /// The entity type that the filter component applies to.
    pub entity_type: String,
    /// How to match the entity {0 = exact name, 1 = default name, 2 = any specified name}.
    pub match_type: i8,
    /// The string to match against, or null if unused for the match type.
    #[kafka(nullable_versions = "0+", default = "")]
    pub r#match: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeClientQuotas response (API key 48) to [`DescribeClientQuotasRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 48, response, versions = "0-1", flexible = "1+")]
pub struct DescribeClientQuotasResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or `0` if the quota description succeeded.
    pub error_code: i16,
    /// The error message, or `null` if the quota description succeeded.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// A result entry.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub entries: Option<Vec<EntryData>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// A result entry.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct EntryData {
    /// The quota entity description.
    pub entity: Vec<EntityData>,
    /// The quota values for the entity.
    pub values: Vec<ValueData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The quota entity description.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct EntityData {
    /// The entity type.
    pub entity_type: String,
    /// The entity name, or null if the default.
    #[kafka(nullable_versions = "0+", default = "")]
    pub entity_name: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The quota values for the entity.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ValueData {
    /// The quota configuration key.
    pub key: String,
    /// The quota configuration value.
    pub value: f64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
