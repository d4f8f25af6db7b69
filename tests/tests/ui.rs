//! Compile-time checks of `#[derive(Message)]`: every `ui/fail` case must
//! fail with exactly its reviewed `.stderr`; every `ui/pass` case must build
//! and run (they assert round trips in `main`).
//!
//! Regenerate expectations with `TRYBUILD=overwrite cargo test -p krafka-tests --test ui`
//! and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*/*.rs");
    cases.pass("ui/pass/*.rs");
}
