//! The README shows the quickstart and group consumer examples as they are
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let example =
        std::fs::read_to_string(root.join("krafka/examples/group_consumer.rs")).expect("example");
    let code = example
        .lines()
        .skip_while(|line| line.starts_with("//!") || line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(code.contains("subscribe"), "{code}");
    let shown = readme
        .split("```rust\n")
        .filter_map(|rest| rest.split("```").next())
        .any(|block| block.trim_end() == code.trim_end());
    assert!(
        shown,
        "README.md does not show krafka/examples/group_consumer.rs as it is"
    );
}
