//! Consumer groups (the classic protocol): the consumer protocol's data,
//! assignors, membership and committed offsets.

pub mod assignor;
pub(crate) mod committed;
pub mod protocol;
