//! The kcat modes of the `krafka` binary against a real broker
//! (`KRAFKA_BOOTSTRAP`, default 127.0.0.1:9092), exact output each (issue
//! 17): `-Q` offsets for timestamps, stops (`-o e@`, `--stop-offset`, `-c`
//! per partition), several topics without `-G`, `-d protocol`, produce's
//! `-k`, `-T`, `-W`, `-L -J`, and the kcat mode flags in `--help`.
//!
//! Without a broker these tests fail under `CI=true` (or when
//! `KRAFKA_BOOTSTRAP` is set) and say they skipped otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;
use std::time::Duration;

use krafka_tests::unique_topic;
use serde_json::Value;

mod support;

use support::{broker, create, fails, krafka, now_ms, ok};

/// Produces `lines` (one record each) to `topic`, partition `partition`.
fn produce_to(b: &str, topic: &str, partition: i32, lines: &str) {
    ok(
        b,
        &["-P", "-t", topic, "-p", &partition.to_string(), "-q"],
        lines,
    );
}

/// Waits until the clock has moved past the last record's timestamp and
/// returns a time between it and the next record's.
fn a_moment() -> i64 {
    std::thread::sleep(Duration::from_millis(20));
    let at = now_ms();
    std::thread::sleep(Duration::from_millis(20));
    at
}

#[test]
fn query_gives_kcats_offsets_for_timestamps() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-query");
    create(&b, &topic, "2");
    produce_to(&b, &topic, 0, "a\nb\n");
    let between = a_moment();
    produce_to(&b, &topic, 0, "c\n");
    let q = |p: i32, ts: i64| format!("{topic}:{p}:{ts}");
    // Sorted by topic and partition, whatever the order asked in.
    let out = ok(&b, &["-Q", "-t", &q(1, -1), "-t", &q(0, between)], "");
    assert_eq!(out, format!("{topic} [0] offset 2\n{topic} [1] offset 0\n"));
    let out = ok(&b, &["query", "-t", &q(0, -1), "-t", &q(1, -2)], "");
    assert_eq!(out, format!("{topic} [0] offset 3\n{topic} [1] offset 0\n"));
    // No record that recent: -1, as kcat prints it.
    let out = ok(&b, &["-Q", "-t", &q(0, now_ms() + 3_600_000)], "");
    assert_eq!(out, format!("{topic} [0] offset -1\n"));
    let out = ok(&b, &["-Q", "-J", "-t", &q(0, 0)], "");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"topic": topic, "partition": 0, "offset": 0}])
    );
    let twice = fails(&b, &["-Q", "-t", &q(0, 0), "-t", &q(0, 5)]);
    assert!(twice.contains("asked for twice"), "{twice}");
    let missing = fails(&b, &["-Q", "-t", &format!("{topic}:7:0")]);
    assert!(missing.contains("has no partition 7"), "{missing}");
}

#[test]
fn partitions_stop_at_a_timestamp_an_offset_or_a_count_of_their_own() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-stops");
    create(&b, &topic, "2");
    produce_to(&b, &topic, 0, "a\nb\n");
    produce_to(&b, &topic, 1, "d\n");
    let between = a_moment();
    produce_to(&b, &topic, 0, "c\n");
    produce_to(&b, &topic, 1, "e\nf\n");
    let sorted = |out: String| {
        let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
        lines.sort();
        lines.join(" ")
    };
    let fmt = "%p:%o:%s\n";
    // kcat's e@: each partition stops before its first record at or after
    // the timestamp; once all have stopped the command ends (no -e).
    let out = ok(
        &b,
        &["-C", "-t", &topic, "-o", &format!("e@{between}"), "-f", fmt],
        "",
    );
    assert_eq!(sorted(out), "0:0:a 0:1:b 1:0:d");
    // A start and a stop.
    let out = ok(
        &b,
        &[
            "-C",
            "-t",
            &topic,
            "-o",
            "1",
            "-o",
            &format!("e@{between}"),
            "-f",
            fmt,
        ],
        "",
    );
    assert_eq!(sorted(out), "0:1:b");
    let out = ok(
        &b,
        &["-C", "-t", &topic, "--stop-offset", "2", "-f", fmt],
        "",
    );
    assert_eq!(sorted(out), "0:0:a 0:1:b 1:0:d 1:1:e");
    // -c per partition: the first record of each; plain -c counts all.
    let out = ok(
        &b,
        &[
            "-C",
            "-t",
            &topic,
            "-c",
            "1",
            "--count-per-partition",
            "-f",
            fmt,
        ],
        "",
    );
    assert_eq!(sorted(out), "0:0:a 1:0:d");
    let out = ok(
        &b,
        &["-C", "-t", &topic, "-p", "1", "-c", "2", "-f", fmt],
        "",
    );
    assert_eq!(sorted(out), "1:0:d 1:1:e");
    // With -e, a partition that stops early does not hold the end back.
    let out = ok(
        &b,
        &["-C", "-t", &topic, "-e", "--stop-offset", "1", "-f", fmt],
        "",
    );
    assert_eq!(sorted(out), "0:0:a 1:0:d");
    let bad = fails(&b, &["-C", "-t", &topic, "-o", "e@1", "-o", "e@2"]);
    assert!(bad.contains("one stop"), "{bad}");
}

#[test]
fn several_topics_are_read_without_a_group() {
    let Some(b) = broker() else { return };
    let first = unique_topic("cli-multi-a");
    let second = unique_topic("cli-multi-b");
    create(&b, &first, "2");
    create(&b, &second, "1");
    produce_to(&b, &first, 0, "a0\n");
    produce_to(&b, &first, 1, "a1\n");
    produce_to(&b, &second, 0, "b0\nb1\n");
    let out = krafka(
        &b,
        &["-C", "-t", &first, &second, "-e", "-f", "%t/%p/%o=%s\n"],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            format!("{first}/0/0=a0"),
            format!("{first}/1/0=a1"),
            format!("{second}/0/0=b0"),
            format!("{second}/0/1=b1"),
        ]
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("4 records consumed from {first}, {second}\n")
    );
    let bad = fails(&b, &["-C", "-t", &first, &second, "-p", "0"]);
    assert!(bad.contains("-p names partitions of one topic"), "{bad}");
}

#[test]
fn debug_protocol_traces_versions_requests_and_responses() {
    let Some(b) = broker() else { return };
    for flag in [["-d", "protocol"], ["-X", "debug=protocol"]] {
        let plain = ok(&b, &["-L"], "");
        let out = krafka(&b, &["-L", flag[0], flag[1]], "");
        assert!(out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        // The listing itself is unchanged (topics may come and go between
        // the two runs: the header is compared).
        assert_eq!(stdout.lines().next(), plain.lines().next());
        let lines: Vec<&str> = stderr.lines().collect();
        assert!(lines.iter().all(|l| l.starts_with('%')), "{stderr}");
        let negotiated = lines
            .iter()
            .find(|l| l.contains("negotiated"))
            .unwrap_or_else(|| panic!("{stderr}"));
        assert!(negotiated.contains("Metadata:v"), "{negotiated}");
        let request = lines
            .iter()
            .find(|l| l.contains("request MetadataRequest v"))
            .unwrap_or_else(|| panic!("{stderr}"));
        for field in ["correlation_id=", "size=", "peer="] {
            assert!(request.contains(field), "{request}");
        }
        let response = lines
            .iter()
            .find(|l| l.contains("response to MetadataRequest v"))
            .unwrap_or_else(|| panic!("{stderr}"));
        assert!(response.contains("latency="), "{response}");
    }
    // Without -d, nothing on stderr.
    let out = krafka(&b, &["-L"], "");
    assert!(out.stderr.is_empty());
    let bad = fails(&b, &["-L", "-d", "bogus"]);
    assert!(bad.contains("unknown debug context"), "{bad}");
}

#[test]
fn produce_with_a_fixed_key_echo_and_whole_files() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-produce-modes");
    create(&b, &topic, "1");
    let echoed = ok(
        &b,
        &["-P", "-t", &topic, "-k", "K", "-K", ":", "-T", "-q"],
        "a\nk:b\n",
    );
    assert_eq!(echoed, "a\nk:b\n");
    let dir = std::env::temp_dir().join(unique_topic("cli-whole"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("record.txt");
    std::fs::write(&file, "line 1\nline 2\n").unwrap();
    let path = file.to_str().unwrap();
    ok(&b, &["-P", "-t", &topic, "-W", "-q", path], "");
    // Without -W (or with kcat's -l) a file is split into lines.
    ok(&b, &["-P", "-t", &topic, "-l", "-q", path], "");
    let out = ok(&b, &["-C", "-t", &topic, "-e", "-q", "-J"], "");
    let records: Vec<(Value, Value)> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["key"].clone(), v["payload"].clone())
        })
        .collect();
    let s = |t: &str| Value::String(t.to_owned());
    assert_eq!(
        records,
        [
            (s("K"), s("a")),
            (s("k"), s("b")),
            (Value::Null, s("line 1\nline 2\n")),
            (Value::Null, s("line 1")),
            (Value::Null, s("line 2")),
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn metadata_as_json_has_kcats_layout() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-metadata-json");
    create(&b, &topic, "3");
    let out = ok(&b, &["-L", "-J", "-t", &topic], "");
    assert_eq!(out.lines().count(), 1, "{out}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["query"]["topic"], Value::String(topic.clone()));
    let brokers = json["brokers"].as_array().unwrap();
    assert!(!brokers.is_empty());
    let node = brokers[0]["id"].as_i64().unwrap();
    assert!(brokers[0]["name"].as_str().unwrap().contains(':'));
    assert!(json["controllerid"].as_i64().is_some());
    let topics = json["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 1);
    assert_eq!(topics[0]["topic"], Value::String(topic.clone()));
    let partitions = topics[0]["partitions"].as_array().unwrap();
    assert_eq!(partitions.len(), 3);
    for (i, p) in partitions.iter().enumerate() {
        assert_eq!(p["partition"].as_i64(), Some(i as i64));
        assert_eq!(p["leader"].as_i64(), Some(node));
        assert_eq!(p["replicas"], serde_json::json!([{ "id": node }]));
        assert_eq!(p["isrs"], serde_json::json!([{ "id": node }]));
    }
}

#[test]
fn help_names_kcats_modes_and_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "produce",
        "-P",
        "consume",
        "-C",
        "metadata",
        "-L",
        "query",
        "-Q",
        "Exit status: 0",
        "1 failure",
        "2 usage",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}
