//! `SnapshotFooterRecord`: the KRaft control record that ends a snapshot.
//!
//! Generated from Apache Kafka 4.4.0's `SnapshotFooterRecord.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The KRaft control record that ends a snapshot.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "0+")]
pub struct SnapshotFooterRecord {
    /// The version of the snapshot footer record.
    pub version: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
