//! The README shows the quickstart, group consumer and transactional
//! pipeline examples as they are
//! compiled and run.

use std::path::Path;

#[test]
fn the_readme_shows_the_quickstart_example_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let example =
        std::fs::read_to_string(root.join("krafka/examples/quickstart.rs")).expect("example");
    // The example's code, after its `//!` header.
    let code = example
        .lines()
        .skip_while(|line| line.starts_with("//!") || line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(code.contains("Kafka::connect"), "{code}");
    let first_block = readme
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a rust block in the README");
    assert_eq!(first_block.trim_end(), code.trim_end());
}

#[test]
fn the_readme_shows_the_group_consumer_example_verbatim() {
    assert_readme_shows("krafka/examples/group_consumer.rs", "subscribe");
}

#[test]
fn the_readme_shows_the_transactional_pipeline_example_verbatim() {
    assert_readme_shows(
        "krafka/examples/transactional_pipeline.rs",
        "send_offsets_to_transaction",
    );
}

/// The README has a `rust` block that is `example` without its leading doc
/// comment (`marker` checks the example is the expected one).
fn assert_readme_shows(example: &str, marker: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let source = std::fs::read_to_string(root.join(example)).expect("example");
    let code = source
        .lines()
        .skip_while(|line| line.starts_with("//!") || line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(code.contains(marker), "{code}");
    let shown = readme
        .split("```rust\n")
        .filter_map(|rest| rest.split("```").next())
        .any(|block| block.trim_end() == code.trim_end());
    assert!(shown, "README.md does not show {example} as it is");
}
