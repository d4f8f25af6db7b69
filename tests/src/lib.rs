//! Helpers shared by the cross-crate tests (the tests themselves live in
//! `tests/tests/` and `tests/ui/`).

pub mod java;
pub mod json;
pub mod wire_gen;
