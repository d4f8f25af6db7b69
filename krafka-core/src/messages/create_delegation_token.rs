//! CreateDelegationToken (API key 38): [`CreateDelegationTokenRequest`] and
//! [`CreateDelegationTokenResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `CreateDelegationTokenRequest.json` and
//! `CreateDelegationTokenResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The CreateDelegationToken request (API key 38), answered by [`CreateDelegationTokenResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 38,
    request,
    versions = "1-3",
    flexible = "2+",
    response = CreateDelegationTokenResponse,
)]
pub struct CreateDelegationTokenRequest {
    /// The principal type of the owner of the token. If it's null it defaults to the token request
    /// principal.
    #[kafka(versions = "3+", nullable_versions = "3+", default = "")]
    pub owner_principal_type: Option<String>,
    /// The principal name of the owner of the token. If it's null it defaults to the token request
    /// principal.
    #[kafka(versions = "3+", nullable_versions = "3+", default = "")]
    pub owner_principal_name: Option<String>,
    /// A list of those who are allowed to renew this token before it expires.
    pub renewers: Vec<CreatableRenewers>,
    /// The maximum lifetime of the token in milliseconds, or -1 to use the server side default.
    pub max_lifetime_ms: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// A list of those who are allowed to renew this token before it expires.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CreatableRenewers {
    /// The type of the Kafka principal.
    pub principal_type: String,
    /// The name of the Kafka principal.
    pub principal_name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The CreateDelegationToken response (API key 38) to [`CreateDelegationTokenRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 38, response, versions = "1-3", flexible = "2+")]
pub struct CreateDelegationTokenResponse {
    /// The top-level error, or zero if there was no error.
    pub error_code: i16,
    /// The principal type of the token owner.
    pub principal_type: String,
    /// The name of the token owner.
    pub principal_name: String,
    /// The principal type of the requester of the token.
    #[kafka(versions = "3+")]
    pub token_requester_principal_type: String,
    /// The principal type of the requester of the token.
    #[kafka(versions = "3+")]
    pub token_requester_principal_name: String,
    /// When this token was generated.
    pub issue_timestamp_ms: i64,
    /// When this token expires.
    pub expiry_timestamp_ms: i64,
    /// The maximum lifetime of this token.
    pub max_timestamp_ms: i64,
    /// The token UUID.
    pub token_id: String,
    /// HMAC of the delegation token.
    pub hmac: Bytes,
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
