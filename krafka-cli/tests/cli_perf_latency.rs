//! `krafka perf produce --throughput` and `krafka perf e2e` against a real
//! broker (`KRAFKA_BOOTSTRAP`, default 127.0.0.1:9092): every record is
//! delivered (read back from the topic) and the `RESULT` line carries
//! well-formed latency percentiles. Nothing here depends on how fast the
//! machine is.
//!
//! Without a broker these tests fail under `CI=true` (or when
//! `KRAFKA_BOOTSTRAP` is set) and say they skipped otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use krafka_tests::unique_topic;

mod support;

use support::{broker, fails, ok};

/// `krafka perf <args>` must succeed; its `RESULT` line.
fn result_line(bootstrap: &str, args: &str) -> String {
    let args: Vec<&str> = args.split_whitespace().collect();
    let out = ok(bootstrap, &args, "");
    out.lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line in {out}"))
        .to_owned()
}

/// The value of `name=` in a `RESULT` line.
fn field(line: &str, name: &str) -> f64 {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {name} in {line}"))
        .parse()
        .unwrap_or_else(|e| panic!("{name} in {line}: {e}"))
}

/// p50 <= p95 <= p99 <= p99.9 <= max, all above zero.
fn assert_percentiles(line: &str) {
    let values: Vec<f64> = ["p50_ms", "p95_ms", "p99_ms", "p99_9_ms", "max_ms"]
        .iter()
        .map(|name| field(line, name))
        .collect();
    assert!(values[0] > 0.0, "{line}");
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{line}");
}

/// Exactly `records` records are in `topic`: all of them can be read from
/// the beginning, one more cannot.
fn assert_holds(bootstrap: &str, topic: &str, records: u64) {
    let line = result_line(
        bootstrap,
        &format!("perf consume -q -t {topic} --num-records {records}"),
    );
    assert_eq!(field(&line, "records"), records as f64, "{line}");
    let more = (records + 1).to_string();
    let line = fails(
        bootstrap,
        &[
            "perf",
            "consume",
            "-q",
            "-t",
            topic,
            "--num-records",
            &more,
            "--idle-timeout-ms",
            "1000",
        ],
    );
    assert!(
        line.contains(&format!("only {records} of {more} records")),
        "{line}"
    );
}

#[test]
fn perf_produce_at_a_fixed_rate_reports_latency_percentiles() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("perf-rate");
    let line = result_line(
        &b,
        &format!(
            "perf produce -q -t {topic} --partitions 3 --throughput 2000 --num-records 4000 \
             --label fixed"
        ),
    );
    assert!(line.starts_with("RESULT fixed records=4000 "), "{line}");
    assert_eq!(field(&line, "errors"), 0.0, "{line}");
    assert_percentiles(&line);
    assert_holds(&b, &topic, 4000);

    // Without --throughput (or with -1): as fast as possible, no latencies.
    let line = result_line(
        &b,
        &format!("perf produce -q -t {topic} --throughput -1 --num-records 10"),
    );
    assert!(!line.contains("p50_ms="), "{line}");
    ok(&b, &["topic", "delete", &topic], "");
}

#[test]
fn perf_e2e_receives_every_record_and_reports_latency_percentiles() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("perf-e2e");
    let line = result_line(
        &b,
        &format!(
            "perf e2e -q -t {topic} --partitions 3 --throughput 2000 --num-records 4000 \
             --record-size 64"
        ),
    );
    assert!(
        line.starts_with("RESULT krafka records=4000 record_size=64 "),
        "{line}"
    );
    assert_eq!(field(&line, "errors"), 0.0, "{line}");
    assert_percentiles(&line);
    assert_holds(&b, &topic, 4000);

    let line = fails(&b, &["perf", "e2e", "-q", "-t", &topic]);
    assert!(line.contains("perf e2e needs --throughput"), "{line}");
    let line = fails(
        &b,
        &[
            "perf",
            "e2e",
            "-q",
            "-t",
            &topic,
            "--throughput",
            "10",
            "--record-size",
            "4",
        ],
    );
    assert!(line.contains("--record-size of at least 8"), "{line}");
    ok(&b, &["topic", "delete", &topic], "");
}
