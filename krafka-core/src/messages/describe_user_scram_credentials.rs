//! DescribeUserScramCredentials (API key 50): [`DescribeUserScramCredentialsRequest`] and
//! [`DescribeUserScramCredentialsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeUserScramCredentialsRequest.json` and
//! `DescribeUserScramCredentialsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeUserScramCredentials request (API key 50), answered by
/// [`DescribeUserScramCredentialsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 50,
    request,
    versions = "0",
    flexible = "0+",
    response = DescribeUserScramCredentialsResponse,
)]
pub struct DescribeUserScramCredentialsRequest {
    /// The users to describe, or null/empty to describe all users.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub users: Option<Vec<UserName>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The users to describe, or null/empty to describe all users.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct UserName {
    /// The user name.
    pub name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeUserScramCredentials response (API key 50) to
/// [`DescribeUserScramCredentialsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 50, response, versions = "0", flexible = "0+")]
pub struct DescribeUserScramCredentialsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The message-level error code, 0 except for user authorization or infrastructure issues.
    pub error_code: i16,
    /// The message-level error message, if any.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The results for descriptions, one per user.
    pub results: Vec<DescribeUserScramCredentialsResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for descriptions, one per user.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeUserScramCredentialsResult {
    /// The user name.
    pub user: String,
    /// The user-level error code.
    pub error_code: i16,
    /// The user-level error message, if any.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The mechanism and related information associated with the user's SCRAM credentials.
    pub credential_infos: Vec<CredentialInfo>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The mechanism and related information associated with the user's SCRAM credentials.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct CredentialInfo {
    /// The SCRAM mechanism.
    pub mechanism: i8,
    /// The number of iterations used in the SCRAM credential.
    pub iterations: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
