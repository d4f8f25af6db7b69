//! One module per top-level command.

pub mod perf;
pub mod protocol;
