//! Cross-crate tests live in tests/tests/ and tests/ui/.
