//! `ControlRecordTypeSchema`: the key of a control record, which gives its type (such as commit or
//! abort).
//!
//! Generated from Apache Kafka 4.4.0's `ControlRecordTypeSchema.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The key of a control record, which gives its type (such as commit or abort).
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "none")]
pub struct ControlRecordTypeSchema {
    /// The type of the control record, such as commit or abort
    pub r#type: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
