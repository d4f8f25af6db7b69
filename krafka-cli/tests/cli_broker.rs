//! The `krafka` binary against a real broker (`KRAFKA_BOOTSTRAP`, default
//! 127.0.0.1:9092): topics, produce from stdin, consume with formats, JSON,
//! offsets and counts, metadata, and one-line errors.
//!
//! Without a broker these tests fail under `CI=true` (or when
//! `KRAFKA_BOOTSTRAP` is set) and say they skipped otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use krafka_tests::unique_topic;
use serde_json::{Value, json};

mod support;

use support::{broker, create, fails, krafka, now_ms, ok};

#[test]
fn topics_are_created_listed_described_and_deleted() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("topics");
    let out = ok(
        &b,
        &[
            "topic",
            "create",
            &topic,
            "-p",
            "3",
            "-r",
            "1",
            "-c",
            "retention.ms=3600000",
        ],
        "",
    );
    assert_eq!(out, format!("created topic {topic}\n"));
    let listed = ok(&b, &["topic", "list"], "");
    assert!(listed.lines().any(|l| l == topic), "{listed}");
    assert!(!listed.lines().any(|l| l.starts_with("__")), "{listed}");

    let again = fails(&b, &["topic", "create", &topic, "-p", "3"]);
    assert!(again.contains("TOPIC_ALREADY_EXISTS (36)"), "{again}");
    let tolerated = ok(
        &b,
        &["topic", "create", &topic, "-p", "3", "--if-not-exists"],
        "",
    );
    assert_eq!(tolerated, format!("topic {topic} already exists\n"));

    let metadata = ok(&b, &["metadata", "-t", &topic], "");
    assert!(
        metadata.contains(&format!("topic \"{topic}\" with 3 partitions:")),
        "{metadata}"
    );
    for partition in 0..3 {
        assert!(
            metadata.contains(&format!("    partition {partition}, leader ")),
            "{metadata}"
        );
    }
    assert!(metadata.contains(" brokers:\n  broker "), "{metadata}");
    let all = ok(&b, &["metadata"], "");
    assert!(all.contains(&format!("topic \"{topic}\"")), "{all}");

    let deleted = ok(&b, &["topic", "delete", &topic], "");
    assert_eq!(deleted, format!("deleted topic {topic}\n"));
    let listed = ok(&b, &["topic", "list"], "");
    assert!(!listed.lines().any(|l| l == topic), "{listed}");
    let gone = fails(&b, &["topic", "delete", &topic]);
    assert!(gone.contains("UNKNOWN_TOPIC_OR_PARTITION"), "{gone}");
    assert_eq!(
        gone.matches("This server does not host this topic-partition")
            .count(),
        1,
        "the broker's message once: {gone}"
    );
}

#[test]
fn records_with_keys_and_headers_come_back_exactly() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("roundtrip");
    create(&b, &topic, "1");
    let before = now_ms();
    let produced = krafka(
        &b,
        &[
            "produce",
            "-t",
            &topic,
            "-K",
            ":",
            "-H",
            "trace=a=b",
            "-H",
            "flag",
            "-Z",
        ],
        "k1:first value\nk2:second:with colon\nno key here\nk4:\n\n",
    );
    let after = now_ms();
    assert!(produced.status.success(), "{produced:?}");
    assert_eq!(
        String::from_utf8_lossy(&produced.stderr),
        format!("5 records produced to {topic} (0 failed)\n")
    );

    let formatted = ok(
        &b,
        &[
            "consume",
            "-t",
            &topic,
            "-e",
            "-q",
            "-f",
            "%t|%p|%o|%k|%s|%h|%K|%S\\n",
        ],
        "",
    );
    let expected = [
        "0|0|k1|first value|trace=a=b,flag|2|11",
        "0|1|k2|second:with colon|trace=a=b,flag|2|17",
        "0|2||no key here|trace=a=b,flag|-1|11",
        "0|3|k4||trace=a=b,flag|2|-1",
        "0|4|||trace=a=b,flag|-1|-1",
    ]
    .iter()
    .map(|l| format!("{topic}|{l}\n"))
    .collect::<String>();
    assert_eq!(formatted, expected);

    let lines = ok(&b, &["consume", "-t", &topic, "-e", "-q", "-J"], "");
    let records: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let headers = json!(["trace", "a=b", "flag", null]);
    let expected = [
        (json!("k1"), json!("first value")),
        (json!("k2"), json!("second:with colon")),
        (json!(null), json!("no key here")),
        (json!("k4"), json!(null)),
        (json!(null), json!(null)),
    ];
    assert_eq!(records.len(), expected.len(), "{lines}");
    for (offset, (record, (key, value))) in records.iter().zip(expected).enumerate() {
        let timestamp = record["ts"].as_i64().unwrap();
        assert!(
            (before - 1000..=after + 1000).contains(&timestamp),
            "{timestamp} not in {before}..{after}"
        );
        let mut without_time = record.clone();
        without_time.as_object_mut().unwrap().remove("ts");
        assert_eq!(
            without_time,
            json!({
                "topic": topic, "partition": 0, "offset": offset, "tstype": "create",
                "key": key, "payload": value, "headers": headers,
            })
        );
    }

    // The default format with -K, and null keys as NULL.
    let keyed = ok(
        &b,
        &[
            "consume", "-t", &topic, "-e", "-q", "-K", "\\t", "-Z", "-c", "3",
        ],
        "",
    );
    assert_eq!(
        keyed,
        "k1\tfirst value\nk2\tsecond:with colon\nNULL\tno key here\n"
    );
    // -D ends each record; -o -N starts N before the end.
    let delimited = ok(
        &b,
        &["consume", "-t", &topic, "-e", "-q", "-D", ";", "-o", "-3"],
        "",
    );
    assert_eq!(delimited, "no key here;;;");
}

#[test]
fn every_record_of_every_partition_arrives_once() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("partitions");
    create(&b, &topic, "4");
    let input: String = (0..200).map(|i| format!("key-{i}|value-{i}\n")).collect();
    ok(&b, &["produce", "-t", &topic, "-K", "|", "-q"], &input);
    let out = ok(
        &b,
        &["consume", "-t", &topic, "-e", "-q", "-f", "%p %o %k|%s\\n"],
        "",
    );
    let mut seen: Vec<&str> = Vec::new();
    let mut last_offset = std::collections::HashMap::new();
    for line in out.lines() {
        let (position, record) = line.rsplit_once(' ').unwrap();
        let (partition, offset) = position.split_once(' ').unwrap();
        let offset: i64 = offset.parse().unwrap();
        let previous = last_offset.insert(partition.to_owned(), offset);
        assert_eq!(
            previous.map_or(0, |p| p + 1),
            offset,
            "gap or reorder: {line}"
        );
        seen.push(record);
    }
    seen.sort_unstable();
    let mut expected: Vec<&str> = input.lines().collect();
    expected.sort_unstable();
    assert_eq!(seen, expected);
    assert!(last_offset.len() > 1, "keys all went to one partition");
}

#[test]
fn offsets_counts_and_timestamps_choose_the_records() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("offsets");
    create(&b, &topic, "1");
    let first: String = (0..5).map(|i| format!("v{i}\n")).collect();
    ok(&b, &["produce", "-t", &topic, "-q"], &first);
    std::thread::sleep(Duration::from_millis(50));
    let second: String = (5..10).map(|i| format!("v{i}\n")).collect();
    ok(&b, &["produce", "-t", &topic, "-q"], &second);

    let consume = |extra: &[&str]| {
        let mut args = vec!["consume", "-t", topic.as_str(), "-q", "-f", "%o:%s\\n"];
        args.extend_from_slice(extra);
        ok(&b, &args, "")
    };
    assert_eq!(consume(&["-o", "3", "-c", "2"]), "3:v3\n4:v4\n");
    assert_eq!(consume(&["-o", "-2", "-e"]), "8:v8\n9:v9\n");
    assert_eq!(consume(&["-o", "-20", "-c", "1"]), "0:v0\n");
    assert_eq!(consume(&["-o", "beginning", "-c", "1"]), "0:v0\n");
    assert_eq!(consume(&["-o", "end", "-e"]), "");
    assert_eq!(consume(&["-o", "9", "-e"]), "9:v9\n");
    // Past the end: from the end, with a warning (as kcat).
    let past = krafka(&b, &["consume", "-t", &topic, "-q", "-o", "100", "-e"], "");
    assert!(past.status.success(), "{past:?}");
    assert_eq!(String::from_utf8_lossy(&past.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&past.stderr),
        format!(
            "krafka: warning: partition 0 of {topic}: offset 100 is past the end (10); reading \
             from offset 10\n"
        )
    );

    // s@: the first record of the second run and everything after it.
    let times = ok(
        &b,
        &["consume", "-t", &topic, "-q", "-e", "-f", "%o %T\\n"],
        "",
    );
    let stamp_of_5 = times
        .lines()
        .find_map(|l| l.strip_prefix("5 "))
        .unwrap()
        .to_owned();
    let from_time = consume(&["-o", &format!("s@{stamp_of_5}"), "-e"]);
    assert_eq!(from_time, "5:v5\n6:v6\n7:v7\n8:v8\n9:v9\n");
}

#[test]
fn consume_stops_quietly_when_the_reader_goes_away() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("pipe");
    create(&b, &topic, "1");
    let input: String = (0..20_000)
        .map(|i| format!("record number {i}\n"))
        .collect();
    ok(&b, &["produce", "-t", &topic, "-q"], &input);
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(["consume", "-t", &topic, "-q"])
        .env("KRAFKA_BOOTSTRAP", &b)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "record number 0\n");
    // The reader is dropped here, like `| head -1` exiting.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn unknown_topics_fail_with_one_line() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("missing");
    let line = fails(&b, &["consume", "-t", &topic, "-e"]);
    assert_eq!(
        line,
        format!(
            "krafka: topic {topic} does not exist (`krafka topic create {topic} -p N` creates it)"
        )
    );
    let line = fails(&b, &["produce", "-t", &topic]);
    assert!(line.contains("does not exist"), "{line}");
}

#[test]
fn an_unreachable_bootstrap_fails_at_once_naming_the_address() {
    // No broker needed: nothing listens on a port we just freed.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let address = format!("127.0.0.1:{port}");
    for args in [
        vec!["metadata"],
        vec!["consume", "-t", "t", "-e"],
        vec!["topic", "list"],
    ] {
        let started = std::time::Instant::now();
        let line = fails(&address, &args);
        assert!(line.contains(&address), "{line}");
        assert!(line.to_lowercase().contains("refused"), "{line}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{args:?} took too long"
        );
    }
}

#[test]
fn usage_mistakes_are_one_line_too() {
    for args in [
        vec!["consume", "-t", "t", "-o", "sometime"],
        vec!["produce"],
        vec!["consume", "-t", "t", "-f", "%x"],
        vec!["topic", "create", "t", "-c", "novalue"],
    ] {
        let line = fails("127.0.0.1:9", &args);
        assert!(line.len() > "krafka: ".len(), "{line}");
    }
    // A negative partition says what to do instead (produce's -1 is the
    // partitioner, as in kcat).
    let line = fails("127.0.0.1:9", &["consume", "-t", "t", "-p", "-1"]);
    assert_eq!(
        line,
        "krafka: invalid value '-1' for '--partition <PARTITIONS>': partitions are numbered from \
         0; leave -p out for every partition (got -1) (see --help)"
    );
    let line = fails("127.0.0.1:9", &["produce", "-t", "t", "-p", "-2"]);
    assert!(
        line.contains("-1 or no -p lets the partitioner choose (got -2)"),
        "{line}"
    );
}

#[test]
fn perf_produce_and_consume_move_every_record() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("perf");
    // `krafka perf <command> -t <topic> -q <more>`.
    let perf = |command: &str, more: &str| -> Vec<String> {
        let mut args: Vec<String> = ["perf", command, "-t", &topic, "-q"]
            .map(str::to_owned)
            .to_vec();
        args.extend(more.split_whitespace().map(str::to_owned));
        args
    };
    let result_line = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = ok(&b, &args, "");
        out.lines()
            .find(|l| l.starts_with("RESULT "))
            .unwrap_or_else(|| panic!("no RESULT line in {out}"))
            .to_owned()
    };

    let more = "--num-records 3000 --record-size 50 --partitions 3 --label p";
    let line = result_line(perf("produce", more));
    assert!(
        line.starts_with("RESULT p records=3000 record_size=50 "),
        "{line}"
    );
    assert!(line.ends_with(" errors=0"), "{line}");

    let line = result_line(perf("consume", "--num-records 3000"));
    assert!(
        line.starts_with("RESULT krafka records=3000 record_size=50 "),
        "{line}"
    );

    // Asking for more than the topic holds fails after the idle timeout.
    let args = perf("consume", "--num-records 3001 --idle-timeout-ms 1000");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let line = fails(&b, &args);
    assert!(line.contains("only 3000 of 3001 records"), "{line}");
}

/// The table rows of `out` without its header, each split into columns.
fn rows(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .skip_while(|l| !l.starts_with("GROUP"))
        .skip(1)
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn groups_offsets_are_reset_shown_described_and_deleted() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-group");
    let group = unique_topic("cli-group-g");
    create(&b, &topic, "2");
    ok(&b, &["produce", "-t", &topic, "-p", "1"], "a\nb\nc\nd\ne\n");
    let t = topic.as_str();
    let g = group.as_str();

    // A dry run plans and changes nothing.
    let planned = krafka(
        &b,
        &["group", "offsets", g, "-t", t, "--reset-to", "latest"],
        "",
    );
    assert!(planned.status.success());
    let stderr = String::from_utf8(planned.stderr).unwrap();
    assert!(stderr.contains("dry run"), "{stderr}");
    assert_eq!(
        rows(&String::from_utf8(planned.stdout).unwrap()),
        vec![vec![g, t, "0", "0"], vec![g, t, "1", "5"]]
    );
    assert_eq!(
        fails(&b, &["group", "describe", g]),
        format!("krafka: group {g} does not exist")
    );

    // --execute commits; an offset beyond the log is kept within it.
    let out = ok(
        &b,
        &[
            "group",
            "offsets",
            g,
            "-t",
            t,
            "--reset-to",
            "3",
            "--execute",
        ],
        "",
    );
    assert_eq!(rows(&out), vec![vec![g, t, "0", "0"], vec![g, t, "1", "3"]]);
    let out = ok(&b, &["group", "offsets", g], "");
    assert_eq!(
        rows(&out),
        vec![
            vec![g, t, "0", "0", "0", "0", "-"],
            vec![g, t, "1", "3", "5", "2", "-"]
        ]
    );
    let out = ok(&b, &["group", "describe", g], "");
    assert!(
        out.starts_with(&format!("Group {g}: state Empty, assignor -, 0 members")),
        "{out}"
    );
    assert_eq!(
        rows(&out),
        vec![
            vec![g, t, "0", "0", "0", "0", "-", "-", "-"],
            vec![g, t, "1", "3", "5", "2", "-", "-", "-"]
        ]
    );
    assert!(ok(&b, &["group", "list"], "").lines().any(|l| l == g));
    let long = ok(&b, &["group", "list", "-l", "--state", "Empty"], "");
    assert!(
        long.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [g, "classic", "-", "Empty"]),
        "{long}"
    );
    assert!(
        !ok(&b, &["group", "list", "--state", "Stable"], "")
            .lines()
            .any(|l| l == g)
    );

    // Without --topic the group's own partitions; by date, then earliest.
    let out = ok(
        &b,
        &[
            "group",
            "offsets",
            g,
            "--reset-to",
            "2000-01-01T00:00:00Z",
            "--execute",
        ],
        "",
    );
    assert_eq!(rows(&out), vec![vec![g, t, "0", "0"], vec![g, t, "1", "0"]]);
    let out = ok(
        &b,
        &[
            "group",
            "offsets",
            g,
            "--reset-to",
            &format!("s@{}", now_ms() + 3_600_000),
        ],
        "",
    );
    assert_eq!(rows(&out), vec![vec![g, t, "0", "0"], vec![g, t, "1", "5"]]);

    let missing = unique_topic("cli-group-missing");
    let line = fails(&b, &["group", "delete", g, &missing]);
    assert!(
        line.contains(&format!("deleting group {missing}")) && line.contains("GROUP_ID_NOT_FOUND"),
        "{line}"
    );
    assert!(!line.contains(&format!("deleting group {g}:")), "{line}");
    assert!(rows(&ok(&b, &["group", "offsets", g], "")).is_empty());
    let line = fails(&b, &["group", "offsets", g, "--reset-to", "earliest"]);
    assert!(line.contains("no committed offsets"), "{line}");
    let line = fails(&b, &["group", "offsets", g, "--reset-to", "yesterday"]);
    assert!(line.contains("invalid reset target"), "{line}");
    let line = fails(&b, &["group", "offsets", g, "--execute"]);
    assert!(line.contains("--reset-to"), "{line}");
}

#[test]
fn a_group_consumer_reads_once_and_resumes_at_its_commits() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("cli-group");
    let group = unique_topic("cli-group-id");
    create(&b, &topic, "3");
    let first: String = (0..30).map(|i| format!("v{i}\n")).collect();
    ok(&b, &["produce", "-t", &topic, "-q"], &first);
    let read = |args: &[&str]| {
        let mut all = vec![
            "consume",
            "-t",
            topic.as_str(),
            "-G",
            group.as_str(),
            "-e",
            "-q",
        ];
        all.extend_from_slice(args);
        let out = ok(&b, &all, "");
        let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
        lines.sort_unstable();
        lines
    };
    let mut expected: Vec<String> = first.lines().map(str::to_owned).collect();
    expected.sort_unstable();
    assert_eq!(read(&[]), expected);
    // The positions were committed on exit: the next run reads only what
    // came since.
    ok(&b, &["produce", "-t", &topic, "-q"], "w1\nw2\nw3\n");
    assert_eq!(read(&["-o", "stored"]), ["w1", "w2", "w3"]);
    let line = fails(&b, &["consume", "-t", &topic, "-o", "stored", "-e"]);
    assert!(line.contains("-G"), "{line}");
    let line = fails(&b, &["consume", "-t", &topic, "-G", &group, "-o", "5"]);
    assert!(line.contains("-G"), "{line}");
}

/// The values of `topic` so far (`consume -e`).
fn values(bootstrap: &str, topic: &str) -> Vec<String> {
    ok(bootstrap, &["consume", "-t", topic, "-e", "-q"], "")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn produce_sends_lines_as_they_come_and_delivers_them_on_sigint() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("produce-sigint");
    // Records over 1000 bytes are refused by the broker (MESSAGE_TOO_LARGE).
    ok(
        &b,
        &[
            "topic",
            "create",
            &topic,
            "-p",
            "1",
            "-r",
            "1",
            "-c",
            "max.message.bytes=1000",
        ],
        "",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(["produce", "-t", &topic, "-X", "linger.ms=1500"])
        .env("KRAFKA_BOOTSTRAP", &b)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"one\ntwo\n").unwrap();
    stdin.flush().unwrap();
    // Sent after linger.ms although standard input stays open.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while values(&b, &topic) != ["one", "two"] {
        assert!(
            std::time::Instant::now() < deadline,
            "lines not sent before the input ended: {:?}",
            values(&b, &topic)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(child.try_wait().unwrap().is_none(), "produce ended early");

    // A record the broker refuses (sent alone once linger.ms passed), then
    // one that is still lingering when SIGINT comes: it is delivered.
    stdin.write_all(&[b'x'; 2000]).unwrap();
    stdin.write_all(b"\n").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_secs(3));
    stdin.write_all(b"late\n").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = std::time::Instant::now();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "took {:?} after SIGINT",
        started.elapsed()
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with("krafka: SIGINT: stopped reading; waiting at most 10 s"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!("3 records produced to {topic} (1 failed)")
    );
    assert!(
        lines[2].starts_with("krafka: 1 of 4 records failed; first error: ")
            && lines[2].contains("MESSAGE_TOO_LARGE"),
        "{stderr}"
    );
    assert_eq!(values(&b, &topic), ["one", "two", "late"]);
}

/// Runs `krafka args…` with extra environment variables and no stdin.
fn krafka_env(bootstrap: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(args)
        .env("KRAFKA_BOOTSTRAP", bootstrap)
        .env_remove("KRAFKA_CONFIG")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn settings_of_the_other_role_warn_and_every_source_counts() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("settings");
    create(&b, &topic, "1");

    // The other role's setting: a warning, and the command works.
    let produced = krafka(
        &b,
        &[
            "produce",
            "-t",
            &topic,
            "-X",
            "isolation.level=read_committed",
        ],
        "a\n",
    );
    assert!(produced.status.success(), "{produced:?}");
    assert_eq!(
        String::from_utf8_lossy(&produced.stderr),
        format!(
            "krafka: warning: `isolation.level` is a consumer setting; ignored by produce\n\
             1 records produced to {topic} (0 failed)\n"
        )
    );
    let consumed = krafka(
        &b,
        &["consume", "-t", &topic, "-e", "-X", "linger.ms=5"],
        "",
    );
    assert!(consumed.status.success(), "{consumed:?}");
    assert_eq!(String::from_utf8_lossy(&consumed.stdout), "a\n");
    assert!(
        String::from_utf8_lossy(&consumed.stderr).starts_with(
            "krafka: warning: `linger.ms` is a producer setting; ignored by consume\n"
        ),
        "{consumed:?}"
    );
    // Unknown names stay errors.
    let unknown = fails(&b, &["produce", "-t", &topic, "-X", "lingr.ms=5"]);
    assert_eq!(
        unknown,
        "krafka: configuration error: unknown setting `lingr.ms`"
    );

    // -X list: every setting with type, default and doc; no topic needed.
    let list = ok(&b, &["produce", "-X", "list"], "");
    assert_eq!(list.lines().next(), Some("name\ttype\tdefault\tdoc"));
    let linger = list.lines().find(|l| l.starts_with("linger.ms\t")).unwrap();
    let columns: Vec<&str> = linger.split('\t').collect();
    assert_eq!(columns[..3], ["linger.ms", "ms", "5"], "{linger}");
    assert!(!columns[3].is_empty(), "{linger}");
    assert!(list.lines().any(|l| l.starts_with("bootstrap.servers\t")));
    assert!(!list.lines().any(|l| l.starts_with("isolation.level\t")));
    let consumer_list = ok(&b, &["consume", "-X", "list"], "");
    assert!(
        consumer_list
            .lines()
            .any(|l| l.starts_with("isolation.level\tread_uncommitted|read_committed\t")),
        "{consumer_list}"
    );

    // Sources in order: KRAFKA_CONFIG, -F, -b, the flags, -X; -X dump
    // shows the outcome as a properties file.
    let dir = std::env::temp_dir().join(format!("krafka-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let from_env = dir.join("env.properties");
    std::fs::write(
        &from_env,
        "# from KRAFKA_CONFIG\nlinger.ms=11\nclient.id=env\nbatch.size=1000\n",
    )
    .unwrap();
    let from_flag = dir.join("flag.properties");
    std::fs::write(&from_flag, "linger.ms : 22\nclient.id = file\n").unwrap();
    let dumped = krafka_env(
        &b,
        &[
            "produce",
            "-t",
            &topic,
            "-F",
            from_flag.to_str().unwrap(),
            "-b",
            "127.0.0.1",
            "-z",
            "lz4",
            "-X",
            "client.id=flag",
            "-X",
            "dump",
        ],
        &[("KRAFKA_CONFIG", from_env.to_str().unwrap())],
    );
    assert!(dumped.status.success(), "{dumped:?}");
    let dump = String::from_utf8(dumped.stdout).unwrap();
    for line in [
        "bootstrap.servers=127.0.0.1:9092",
        "linger.ms=22",
        "client.id=flag",
        "batch.size=1000",
        "compression.type=lz4",
        "acks=all",
    ] {
        assert!(dump.lines().any(|l| l == line), "no {line} in\n{dump}");
    }
    // The dump reads back as a -F file.
    let again = dir.join("dump.properties");
    std::fs::write(&again, &dump).unwrap();
    let redumped = krafka_env(
        &b,
        &[
            "produce",
            "-t",
            &topic,
            "-F",
            again.to_str().unwrap(),
            "-X",
            "dump",
        ],
        &[],
    );
    assert_eq!(String::from_utf8(redumped.stdout).unwrap(), dump);
    let missing = krafka_env(
        &b,
        &["metadata"],
        &[("KRAFKA_CONFIG", "/nonexistent/krafka.properties")],
    );
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "krafka: KRAFKA_CONFIG: cannot read /nonexistent/krafka.properties: No such file or \
         directory (os error 2)\n"
    );
    std::fs::remove_dir_all(dir).unwrap();

    // -b without a port means 9092, as in kcat.
    if let Some(host) = b.strip_suffix(":9092").filter(|h| !h.contains(',')) {
        let metadata = krafka_env(host, &["metadata", "-t", &topic], &[]);
        assert!(metadata.status.success(), "{metadata:?}");
    }
}

/// Standard padded base64 back to bytes.
fn from_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).unwrap();
        bits = (bits << 6) | u32::try_from(value).unwrap();
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).unwrap());
        }
    }
    out
}

#[test]
fn json_with_base64_keeps_every_byte() {
    let Some(b) = broker() else { return };
    let topic = unique_topic("json-base64");
    create(&b, &topic, "1");
    let key: &[u8] = b"k\xff\x00\xc3";
    let value: &[u8] = b"\xfe\xed\"\\\x01v\x80";
    let mut input = key.to_vec();
    input.push(b'\t');
    input.extend_from_slice(value);
    input.push(b'\n');
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(["produce", "-t", &topic, "-K", "\t", "-H", "h=\u{e9}", "-q"])
        .env("KRAFKA_BOOTSTRAP", &b)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let produced = child.wait_with_output().unwrap();
    assert!(produced.status.success(), "{produced:?}");

    let out = ok(
        &b,
        &["consume", "-t", &topic, "-e", "-q", "-J", "--base64"],
        "",
    );
    let record: Value = serde_json::from_str(out.trim_end()).unwrap();
    assert_eq!(from_base64(record["key"].as_str().unwrap()), key);
    assert_eq!(from_base64(record["payload"].as_str().unwrap()), value);
    assert_eq!(record["headers"][0], json!("h"));
    assert_eq!(
        from_base64(record["headers"][1].as_str().unwrap()),
        "\u{e9}".as_bytes()
    );
    // Without --base64 the JSON stays valid, the bytes replaced.
    let lossy = ok(&b, &["consume", "-t", &topic, "-e", "-q", "-J"], "");
    let record: Value = serde_json::from_str(lossy.trim_end()).unwrap();
    assert_eq!(record["key"], json!("k\u{fffd}\u{0}\u{fffd}"));
    let refused = fails(&b, &["consume", "-t", &topic, "--base64"]);
    assert!(refused.contains("--json"), "{refused}");
}
