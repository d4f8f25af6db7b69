//! `krafka txn` against a real broker (`KRAFKA_BOOTSTRAP`, default
//! 127.0.0.1:9092), with Kafka's own transactional producer
//! (`krafka_tests::java_txn`) holding a transaction open: `list`,
//! `describe`, `producers` and `find-hanging` as tables and JSON, `abort`
//! of the transaction once its producer went away (a read_committed
//! consumer then reads past it), `fence`, and one-line failures.
//!
//! Without a broker these tests fail under `CI=true` (or when
//! `KRAFKA_BOOTSTRAP` is set) and say they skipped otherwise; without a JDK
//! or Maven they skip, except under `CI=true`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use krafka_tests::java_txn::{JavaTxnSession, java_read_committed};
use krafka_tests::unique_topic;
use serde_json::Value;

mod support;

use support::broker;

/// `krafka args…` (no input) that must succeed; its stdout.
fn ok(bootstrap: &str, args: &[&str]) -> String {
    support::ok(bootstrap, args, "")
}

/// `krafka args…` that must fail with one `krafka: …` line; that line.
fn fails(bootstrap: &str, args: &[&str]) -> String {
    support::fails(bootstrap, args)
}

/// A table's cells, row by row (the header first).
fn rows(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

#[test]
fn transactions_are_listed_described_aborted_and_fenced() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-txn");
    ok(&b, &["topic", "create", &topic, "-p", "2", "-r", "1"]);
    let id = format!("{topic}-java");
    let Some(mut java) = JavaTxnSession::start(&b, &id, Duration::from_secs(120)) else {
        return; // no JDK (outside CI)
    };
    java.begin().unwrap();
    java.send(&topic, 0, 2).unwrap();

    let listed = ok(&b, &["txn", "list"]);
    let table = rows(&listed);
    assert_eq!(
        table[0],
        ["TRANSACTIONAL-ID", "COORDINATOR", "PRODUCER-ID", "STATE"]
    );
    let row = table
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("{id} not listed:\n{listed}"));
    assert_eq!(row[3], "Ongoing");
    let pid = row[2].clone();
    let filtered = json_lines(&ok(
        &b,
        &[
            "txn",
            "list",
            "-J",
            "--state",
            "Ongoing",
            "--producer-id",
            &pid,
            "--duration-filter",
            "0",
        ],
    ));
    assert_eq!(filtered.len(), 1, "{filtered:?}");
    assert_eq!(filtered[0]["transactional_id"], id.as_str());
    assert_eq!(filtered[0]["producer_id"].as_i64(), pid.parse().ok());
    assert_eq!(filtered[0]["state"], "Ongoing");
    let none = ok(
        &b,
        &[
            "txn",
            "list",
            "--state",
            "CompleteCommit",
            "--producer-id",
            &pid,
        ],
    );
    assert_eq!(rows(&none).len(), 1, "only the header:\n{none}");

    let described = rows(&ok(&b, &["txn", "describe", "--transactional-id", &id]));
    assert_eq!(
        described[0],
        [
            "COORDINATOR",
            "TRANSACTIONAL-ID",
            "PRODUCER-ID",
            "PRODUCER-EPOCH",
            "STATE",
            "TIMEOUT-MS",
            "START-TIME-MS",
            "DURATION-MS",
            "PARTITIONS"
        ]
    );
    assert_eq!(described.len(), 2);
    assert_eq!(described[1][1], id);
    assert_eq!(described[1][2], pid);
    assert_eq!(described[1][4], "Ongoing");
    assert_eq!(described[1][5], "120000");
    assert_eq!(described[1][8], format!("{topic}-0"));
    let nobody = format!("{id}-nobody");
    let line = fails(&b, &["txn", "describe", "--transactional-id", &nobody]);
    assert!(line.contains("TRANSACTIONAL_ID_NOT_FOUND"), "{line}");
    assert!(line.contains(&nobody), "{line}");

    let producers = json_lines(&ok(
        &b,
        &["txn", "producers", "-t", &topic, "-p", "0", "-J"],
    ));
    let java_producer = producers
        .iter()
        .find(|p| p["producer_id"].as_i64() == pid.parse().ok())
        .unwrap_or_else(|| panic!("{pid} not among {producers:?}"));
    assert_eq!(java_producer["txn_start_offset"], 0);
    assert_eq!(java_producer["last_sequence"], 1);
    assert!(
        java_producer["coordinator_epoch"].is_null(),
        "{java_producer}"
    );
    let empty = ok(&b, &["txn", "describe-producers", "-t", &topic, "-p", "1"]);
    assert_eq!(
        rows(&empty).len(),
        1,
        "no producer on partition 1:\n{empty}"
    );
    let line = fails(&b, &["txn", "producers", "-t", &topic, "-p", "9"]);
    assert!(line.contains("UNKNOWN_TOPIC_OR_PARTITION"), "{line}");

    // The coordinator counts the partition: not hanging.
    let hanging = ok(
        &b,
        &[
            "txn",
            "find-hanging",
            "-t",
            &topic,
            "--max-transaction-timeout",
            "0",
        ],
    );
    assert_eq!(rows(&hanging)[0][0], "TOPIC");
    assert_eq!(rows(&hanging).len(), 1, "{hanging}");

    java.hang();
    let held = java_read_committed(&b, &topic, Duration::from_secs(60)).expect("Java");
    assert_eq!(held.ends[&0], 0, "the open transaction holds the LSO");
    let aborted = ok(
        &b,
        &[
            "txn",
            "abort",
            "-t",
            &topic,
            "-p",
            "0",
            "--start-offset",
            "0",
        ],
    );
    assert!(
        aborted.starts_with(&format!("aborted the transaction of producer {pid} ")),
        "{aborted}"
    );
    let after = java_read_committed(&b, &topic, Duration::from_secs(60)).expect("Java");
    assert!(after.records.is_empty(), "{:?}", after.records);
    assert_eq!(after.ends[&0], 3, "two records and the abort marker");
    let line = fails(
        &b,
        &[
            "txn",
            "abort",
            "-t",
            &topic,
            "-p",
            "0",
            "--start-offset",
            "0",
        ],
    );
    assert!(
        line.contains("no open transaction starts at offset 0"),
        "{line}"
    );

    let fenced = json_lines(&ok(&b, &["txn", "fence", "--transactional-id", &id, "-J"]));
    assert_eq!(fenced.len(), 1);
    assert_eq!(fenced[0]["transactional_id"], id.as_str());
    assert_eq!(fenced[0]["producer_id"].as_i64(), pid.parse().ok());
    assert!(fenced[0]["producer_epoch"].as_i64().is_some(), "{fenced:?}");
}

#[test]
fn usage_mistakes_fail_before_connecting() {
    // An address nothing listens on: these must fail on their arguments.
    let nowhere = "127.0.0.1:1";
    let line = fails(nowhere, &["txn", "abort", "-t", "t", "-p", "0"]);
    assert!(line.contains("--start-offset"), "{line}");
    let line = fails(
        nowhere,
        &["txn", "abort", "-t", "t", "-p", "0", "--producer-id", "5"],
    );
    assert!(line.contains("--producer-epoch"), "{line}");
    let line = fails(nowhere, &["txn", "find-hanging"]);
    assert!(line.contains("--topic"), "{line}");
    let line = fails(
        nowhere,
        &["txn", "find-hanging", "-p", "0", "--broker-id", "1"],
    );
    assert!(line.contains("--topic"), "{line}");
    let line = fails(nowhere, &["txn", "producers", "-t", "t", "-p", "-1"]);
    assert!(line.contains("partitions are numbered from 0"), "{line}");
}
