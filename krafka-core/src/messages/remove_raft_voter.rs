//! RemoveRaftVoter (API key 81): [`RemoveRaftVoterRequest`] and [`RemoveRaftVoterResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `RemoveRaftVoterRequest.json` and
//! `RemoveRaftVoterResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The RemoveRaftVoter request (API key 81), answered by [`RemoveRaftVoterResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 81, request, versions = "0", flexible = "0+", response = RemoveRaftVoterResponse)]
pub struct RemoveRaftVoterRequest {
    /// The cluster id of the request.
    #[kafka(nullable_versions = "0+", default = "")]
    pub cluster_id: Option<String>,
    /// The replica id of the voter getting removed from the topic partition.
    pub voter_id: i32,
    /// The directory id of the voter getting removed from the topic partition.
    pub voter_directory_id: Uuid,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The RemoveRaftVoter response (API key 81) to [`RemoveRaftVoterRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 81, response, versions = "0", flexible = "0+")]
pub struct RemoveRaftVoterResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "", ignorable)]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
