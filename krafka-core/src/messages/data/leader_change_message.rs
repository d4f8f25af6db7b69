//! `LeaderChangeMessage`: the KRaft control record that announces a newly elected leader and its
//! voters.
//!
//! Generated from Apache Kafka 4.4.0's `LeaderChangeMessage.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The KRaft control record that announces a newly elected leader and its voters.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0-1", flexible = "0+")]
pub struct LeaderChangeMessage {
    /// The version of the leader change message.
    pub version: i16,
    /// The ID of the newly elected leader.
    pub leader_id: i32,
    /// The set of voters in the quorum for this epoch.
    pub voters: Vec<Voter>,
    /// The voters who voted for the leader at the time of election.
    pub granting_voters: Vec<Voter>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The set of voters in the quorum for this epoch.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Voter {
    /// The ID of the voter.
    pub voter_id: i32,
    /// The directory id of the voter.
    #[kafka(versions = "1+")]
    pub voter_directory_id: Uuid,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
