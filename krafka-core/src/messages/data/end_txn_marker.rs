//! `EndTxnMarker`: the value of a transaction marker (commit or abort) control record.
//!
//! Generated from Apache Kafka 4.4.0's `EndTxnMarker.json` by `cargo run -p xtask -- gen-messages`;
//! change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The value of a transaction marker (commit or abort) control record.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "none")]
pub struct EndTxnMarker {
    /// The coordinator epoch when appending the record
    pub coordinator_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
