//! `VotersRecord`: the KRaft control record that lists the voters of the quorum.
//!
//! Generated from Apache Kafka 4.4.0's `VotersRecord.json` by `cargo run -p xtask -- gen-messages`;
//! change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The KRaft control record that lists the voters of the quorum.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "0+")]
pub struct VotersRecord {
    /// The version of the voters record.
    pub version: i16,
    /// The set of voters in the quorum for this epoch.
    pub voters: Vec<Voter>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The set of voters in the quorum for this epoch.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Voter {
    /// The replica id of the voter in the topic partition.
    pub voter_id: i32,
    /// The directory id of the voter in the topic partition.
    pub voter_directory_id: Uuid,
    /// The endpoint that can be used to communicate with the voter.
    pub endpoints: Vec<Endpoint>,
    /// The range of versions of the protocol that the replica supports.
    #[kafka(name = "KRaftVersionFeature")]
    pub kraft_version_feature: KRaftVersionFeature,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The endpoint that can be used to communicate with the voter.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Endpoint {
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

/// The range of versions of the protocol that the replica supports.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct KRaftVersionFeature {
    /// The minimum supported KRaft protocol version.
    pub min_supported_version: i16,
    /// The maximum supported KRaft protocol version.
    pub max_supported_version: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
