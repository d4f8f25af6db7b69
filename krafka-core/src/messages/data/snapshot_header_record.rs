//! `SnapshotHeaderRecord`: the KRaft control record that starts a snapshot.
//!
//! Generated from Apache Kafka 4.4.0's `SnapshotHeaderRecord.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The KRaft control record that starts a snapshot.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "0+")]
pub struct SnapshotHeaderRecord {
    /// The version of the snapshot header record.
    pub version: i16,
    /// The append time of the last record from the log contained in this snapshot.
    pub last_contained_log_timestamp: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
