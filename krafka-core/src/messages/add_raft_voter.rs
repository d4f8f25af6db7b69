//! AddRaftVoter (API key 80): [`AddRaftVoterRequest`] and [`AddRaftVoterResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AddRaftVoterRequest.json` and `AddRaftVoterResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The AddRaftVoter request (API key 80), answered by [`AddRaftVoterResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 80, request, versions = "0-1", flexible = "0+", response = AddRaftVoterResponse)]
pub struct AddRaftVoterRequest {
    /// The cluster id.
    #[kafka(nullable_versions = "0+", default = "")]
    pub cluster_id: Option<String>,
    /// The maximum time to wait for the request to complete before returning.
    pub timeout_ms: i32,
    /// The replica id of the voter getting added to the topic partition.
    pub voter_id: i32,
    /// The directory id of the voter getting added to the topic partition.
    pub voter_directory_id: Uuid,
    /// The endpoints that can be used to communicate with the voter.
    pub listeners: Vec<Listener>,
    /// When true, return a response after the new voter set is committed. Otherwise, return after
    /// the leader writes the changes locally.
    #[kafka(versions = "1+", default = true)]
    pub ack_when_committed: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The endpoints that can be used to communicate with the voter.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Listener {
    /// The name of the endpoint.
    pub name: String,
    /// The hostname.
    pub host: String,
    /// The port.
    pub port: u16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AddRaftVoter response (API key 80) to [`AddRaftVoterRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 80, response, versions = "0-1", flexible = "0+")]
pub struct AddRaftVoterResponse {
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
