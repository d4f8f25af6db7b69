//! How many connections a `krafka` command opens, and how often it asks a
//! broker for ApiVersions at a version the broker does not speak (issue 17,
//! finding 7). The fake broker plays a one-node cluster that speaks
//! ApiVersions up to v3 (as Kafka 2.4-3.x brokers do), so krafka's first
//! ApiVersions v5 is answered UNSUPPORTED_VERSION.
//!
//! - A command opens one connection per purpose it uses, and no extra one to
//!   see whether the bootstrap server answers.
//! - The v5 attempt is made once per broker: later connections to the same
//!   broker start at the version it accepted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use krafka::protocol::ApiKey;
use krafka::protocol::versions::API_VERSIONS_MAX;
use krafka_tests::fake_broker::{FakeBroker, FakeCluster};

/// The highest ApiVersions version the fake speaks.
const BROKER_API_VERSIONS_MAX: i16 = 3;

/// Runs the CLI to completion with `stdin` (off the runtime's threads: the
/// fake broker answers on them meanwhile).
async fn run(args: Vec<String>, stdin: &'static str) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_krafka"))
            .args(&args)
            .env_remove("KRAFKA_CONFIG")
            .env_remove("KRAFKA_BOOTSTRAP")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot run krafka");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("krafka output")
    })
    .await
    .expect("CLI runner")
}

/// Runs `command` against a fresh fake broker; returns the connections it
/// accepted and the ApiVersions versions it was asked for.
async fn connections_of(command: &[&str], stdin: &'static str) -> (u64, Vec<i16>) {
    let cluster = FakeCluster::new()
        .topic("events", 2)
        .with_values("events", 0, &["a", "b"]);
    let fake = FakeBroker::start(cluster.script().versions(
        ApiKey::ApiVersions,
        0,
        BROKER_API_VERSIONS_MAX,
    ))
    .await;
    let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
    args.extend(["-b".to_owned(), fake.addr.clone()]);
    let out = run(args, stdin).await;
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (fake.connections(), fake.versions_of(ApiKey::ApiVersions))
}

fn assert_quiet(command: &[&str], (connections, versions): (u64, Vec<i16>), most: u64) {
    eprintln!("{command:?}: {connections} connections, ApiVersions versions {versions:?}");
    assert!(
        connections <= most,
        "{command:?} opened {connections} connections, expected at most {most}"
    );
    assert_eq!(
        versions.len() as u64,
        connections + 1,
        "{command:?}: one ApiVersions per connection, and one retry lower: {versions:?}"
    );
    assert_eq!(
        versions
            .iter()
            .filter(|v| **v > BROKER_API_VERSIONS_MAX)
            .count(),
        1,
        "{command:?}: ApiVersions above the broker's v{BROKER_API_VERSIONS_MAX} more than once: \
         {versions:?}"
    );
    assert_eq!(versions[0], API_VERSIONS_MAX);
    assert!(
        versions[1..].iter().all(|v| *v == BROKER_API_VERSIONS_MAX),
        "{versions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_opens_one_connection() {
    let command = ["metadata"];
    assert_quiet(&command, connections_of(&command, "").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn produce_opens_a_connection_per_purpose_and_negotiates_once() {
    // Metadata and InitProducerId on one, Produce on the other.
    let command = ["produce", "-t", "events"];
    assert_quiet(&command, connections_of(&command, "x\ny\n").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consume_opens_a_connection_per_purpose_and_negotiates_once() {
    // Metadata and ListOffsets on one, Fetch on the other. `assign` gives
    // the partitions their auto.offset.reset position (the end) and the
    // fetch task starts at once; the command's seek to the beginning comes
    // right after. When the first Fetch, a long poll at the end, is already
    // out by then (1 run in 25 on a loaded 2-core host), the fetch task gives
    // up that connection rather than wait out fetch.max.wait.ms, and opens
    // the fetch connection again: one more connection, still one
    // ApiVersions v5 attempt.
    let command = ["consume", "-t", "events", "-e"];
    assert_quiet(&command, connections_of(&command, "").await, 3);
}
