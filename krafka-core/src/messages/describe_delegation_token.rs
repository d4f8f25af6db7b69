//! DescribeDelegationToken (API key 41): [`DescribeDelegationTokenRequest`] and
//! [`DescribeDelegationTokenResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeDelegationTokenRequest.json` and
//! `DescribeDelegationTokenResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The DescribeDelegationToken request (API key 41), answered by
/// [`DescribeDelegationTokenResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 41,
    request,
    versions = "1-3",
    flexible = "2+",
    response = DescribeDelegationTokenResponse,
)]
pub struct DescribeDelegationTokenRequest {
    /// Each owner that we want to describe delegation tokens for, or null to describe all tokens.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub owners: Option<Vec<DescribeDelegationTokenOwner>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each owner that we want to describe delegation tokens for, or null to describe all tokens.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeDelegationTokenOwner {
    /// The owner principal type.
    pub principal_type: String,
    /// The owner principal name.
    pub principal_name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeDelegationToken response (API key 41) to [`DescribeDelegationTokenRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 41, response, versions = "1-3", flexible = "2+")]
pub struct DescribeDelegationTokenResponse {
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The tokens.
    pub tokens: Vec<DescribedDelegationToken>,
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The tokens.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribedDelegationToken {
    /// The token principal type.
    pub principal_type: String,
    /// The token principal name.
    pub principal_name: String,
    /// The principal type of the requester of the token.
    #[kafka(versions = "3+")]
    pub token_requester_principal_type: String,
    /// The principal type of the requester of the token.
    #[kafka(versions = "3+")]
    pub token_requester_principal_name: String,
    /// The token issue timestamp in milliseconds.
    pub issue_timestamp: i64,
    /// The token expiry timestamp in milliseconds.
    pub expiry_timestamp: i64,
    /// The token maximum timestamp length in milliseconds.
    pub max_timestamp: i64,
    /// The token ID.
    pub token_id: String,
    /// The token HMAC.
    pub hmac: Bytes,
    /// Those who are able to renew this token before it expires.
    pub renewers: Vec<DescribedDelegationTokenRenewer>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Those who are able to renew this token before it expires.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribedDelegationTokenRenewer {
    /// The renewer principal type.
    pub principal_type: String,
    /// The renewer principal name.
    pub principal_name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
