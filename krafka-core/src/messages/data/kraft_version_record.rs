//! `KRaftVersionRecord`: the KRaft control record that carries the kraft protocol version.
//!
//! Generated from Apache Kafka 4.4.0's `KRaftVersionRecord.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The KRaft control record that carries the kraft protocol version.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "0+")]
pub struct KRaftVersionRecord {
    /// The version of the kraft version record.
    pub version: i16,
    /// The kraft protocol version.
    #[kafka(name = "KRaftVersion")]
    pub kraft_version: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
