//! AlterClientQuotas (API key 49): [`AlterClientQuotasRequest`] and [`AlterClientQuotasResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AlterClientQuotasRequest.json` and
//! `AlterClientQuotasResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The AlterClientQuotas request (API key 49), answered by [`AlterClientQuotasResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 49,
    request,
    versions = "0-1",
    flexible = "1+",
    response = AlterClientQuotasResponse,
)]
pub struct AlterClientQuotasRequest {
    /// The quota configuration entries to alter.
    pub entries: Vec<RequestEntryData>,
    /// Whether the alteration should be validated, but not performed.
    pub validate_only: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The quota configuration entries to alter.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "EntryData")]
pub struct RequestEntryData {
    /// The quota entity to alter.
    pub entity: Vec<RequestEntityData>,
    /// An individual quota configuration entry to alter.
    pub ops: Vec<OpData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The quota entity to alter.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "EntityData")]
pub struct RequestEntityData {
    /// The entity type.
    pub entity_type: String,
    /// The name of the entity, or null if the default.
    #[kafka(nullable_versions = "0+", default = "")]
    pub entity_name: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// An individual quota configuration entry to alter.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OpData {
    /// The quota configuration key.
    pub key: String,
    /// The value to set, otherwise ignored if the value is to be removed.
    pub value: f64,
    /// Whether the quota configuration value should be removed, otherwise set.
    pub remove: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AlterClientQuotas response (API key 49) to [`AlterClientQuotasRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 49, response, versions = "0-1", flexible = "1+")]
pub struct AlterClientQuotasResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The quota configuration entries to alter.
    pub entries: Vec<ResponseEntryData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The quota configuration entries to alter.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "EntryData")]
pub struct ResponseEntryData {
    /// The error code, or `0` if the quota alteration succeeded.
    pub error_code: i16,
    /// The error message, or `null` if the quota alteration succeeded.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The quota entity to alter.
    pub entity: Vec<ResponseEntityData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The quota entity to alter.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "EntityData")]
pub struct ResponseEntityData {
    /// The entity type.
    pub entity_type: String,
    /// The name of the entity, or null if the default.
    #[kafka(nullable_versions = "0+", default = "")]
    pub entity_name: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
