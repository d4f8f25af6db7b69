//! The README shows the quickstart, group consumer and transactional
//! pipeline examples as they are compiled and run, opens with `cargo add
//! krafka`, and lists every example (each of which the test script runs).

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

#[test]
fn the_readme_opens_with_cargo_add_before_the_first_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let before_code = readme.split("```rust\n").next().expect("text");
    assert!(
        before_code.contains("```sh\ncargo add krafka\n"),
        "README.md does not open with `cargo add krafka`"
    );
}

/// Each example is in the README's table and run by the test script, so a
/// new one is neither hidden nor left to rot.
#[test]
fn every_example_is_listed_in_the_readme_and_run_by_the_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let script = std::fs::read_to_string(root.join("scripts/test.sh")).expect("test.sh");
    let mut names: Vec<String> = std::fs::read_dir(root.join("krafka/examples"))
        .expect("krafka/examples")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in &names {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README.md's example table lacks `{name}`"
        );
        let run = script.lines().any(|line| {
            line.split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w[0] == "run_example" && w[1] == name)
        });
        assert!(run, "scripts/test.sh does not run the `{name}` example");
    }
}
