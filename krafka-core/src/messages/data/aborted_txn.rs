//! `AbortedTxn`: an aborted transaction, as kept in a partition's transaction index.
//!
//! Generated from Apache Kafka 4.4.0's `AbortedTxn.json` by `cargo run -p xtask -- gen-messages`;
//! change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// An aborted transaction, as kept in a partition's transaction index.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "none")]
pub struct AbortedTxn {
    /// The producer id associated with the aborted transaction
    pub producer_id: i64,
    /// The first offset in the aborted transaction
    pub first_offset: i64,
    /// The last offset in the aborted transaction
    pub last_offset: i64,
    /// The last stable offset at the time the transaction was aborted
    pub last_stable_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
