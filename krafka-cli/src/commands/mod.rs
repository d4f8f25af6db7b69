//! One module per command, and the pieces they share.

pub mod connect;
pub mod consume;
pub mod delimiters;
pub mod deliveries;
pub mod escape;
pub mod format;
pub mod input;
pub mod json;
pub mod metadata;
pub mod offset_spec;
pub mod output;
pub mod perf;
pub mod produce;
pub mod protocol;
pub mod record_reader;
pub mod topic;
pub mod topic_check;
