//! krafka's consumer against Kafka's own Java clients, on the real single
//! broker (`KRAFKA_BOOTSTRAP`):
//!
//! - records written by Kafka's console producer (keys, headers, null and
//!   empty values, UTF-8) over several partitions are consumed exactly once,
//!   with the same content, in order per partition;
//! - seeking by timestamp (records produced by krafka with explicit, partly
//!   out-of-order timestamps) lands where Java's `offsetsForTimes` says, for
//!   timestamps before, among and after the records;
//! - `read_committed` shows exactly the records of the transactions Java's
//!   transactional producers committed (plus non-transactional ones) and
//!   none of the aborted ones, `read_uncommitted` shows all of them, and no
//!   control record shows in either;
//! - while a Java transaction is open, `read_committed` stops at the last
//!   stable offset (its end offset and lag count from there) although later
//!   records exist, and after the commit hands out the transaction's records
//!   and the later ones exactly once, in order.
//!
//! The Java side is `tests/java/conformance/run.sh` (modes `console-producer`,
//! `offsets-for-times`, `txn-produce`, `txn-open`). Without a JDK or Maven
//! the tests skip, except under `CI=true`, where they fail; an unreachable
//! broker always fails them.

mod broker_support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::Child;
use std::time::{Duration, Instant};

use broker_support::{connect, consume_exactly, create_topic, single, unique_topic};
use bytes::Bytes;
use krafka_client::{Consumer, ConsumerRecord, TopicPartition};
use krafka_client::{Producer, ProducerRecord, partition_for_key};
use krafka_core::records::{Header, TimestampType};
use krafka_tests::java::{run_java_io, spawn_java, wait_java};
use tokio::sync::mpsc;

/// How long a test waits for records it knows are there.
const PATIENCE: Duration = Duration::from_secs(60);

/// A consumer on the single broker with these properties (Kafka names).
async fn consumer(properties: &[(&str, &str)]) -> Consumer {
    broker_support::consumer(&single(), properties).await
}

fn partitions(topic: &str, count: i32) -> Vec<TopicPartition> {
    (0..count).map(|p| TopicPartition::new(topic, p)).collect()
}

/// Polls until every partition's position reached the end offset it had when
/// called (the last stable offset under read_committed), then once more: all
/// records handed out on the way, in the order received.
async fn read_to_end(consumer: &Consumer, tps: &[TopicPartition]) -> Vec<ConsumerRecord> {
    let ends: BTreeMap<TopicPartition, i64> = consumer
        .end_offsets(tps)
        .await
        .expect("end offsets")
        .into_iter()
        .collect();
    let deadline = Instant::now() + PATIENCE;
    let mut out = Vec::new();
    loop {
        let mut positions = BTreeMap::new();
        for tp in tps {
            positions.insert(tp.partition, consumer.position(tp).await.expect("position"));
        }
        if tps.iter().all(|tp| positions[&tp.partition] >= ends[tp]) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "positions {positions:?} did not reach the end offsets {ends:?} in {PATIENCE:?} \
             ({} records received)",
            out.len()
        );
        out.extend(
            consumer
                .poll(Duration::from_millis(200))
                .await
                .expect("poll"),
        );
    }
    // Nothing lies beyond the end.
    let late = consumer
        .poll(Duration::from_millis(300))
        .await
        .expect("poll");
    assert!(
        late.is_empty(),
        "records past the end offsets {ends:?}: {:?}",
        late.iter()
            .map(|r| (r.partition, r.offset))
            .collect::<Vec<_>>()
    );
    out
}

/// Records grouped by partition, in the order received.
fn by_partition(records: &[ConsumerRecord]) -> BTreeMap<i32, Vec<&ConsumerRecord>> {
    let mut out: BTreeMap<i32, Vec<&ConsumerRecord>> = BTreeMap::new();
    for record in records {
        out.entry(record.partition).or_default().push(record);
    }
    out
}

// ---------------------------------------------------------------------------
// Kafka's console producer -> krafka's consumer
// ---------------------------------------------------------------------------

/// One record as fed to the console producer, and how it must come back.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    key: Bytes,
    value: Option<Bytes>,
    headers: Vec<Header>,
}

const NULL_MARKER: &str = "<NULL>";

fn header(key: &str, value: Option<&str>) -> Header {
    Header {
        key: Bytes::copy_from_slice(key.as_bytes()),
        value: value.map(|v| Bytes::copy_from_slice(v.as_bytes())),
    }
}

/// Record `i`: a unique key, and by `i % 5` a value with spaces and the key
/// separator, an empty value, a null value, UTF-8, or 2 KB.
fn console_record(i: usize, with_headers: bool) -> Sent {
    let value = match i % 5 {
        0 => Some(format!("value {i} with spaces|and the separator")),
        1 => Some(String::new()),
        2 => None,
        3 => Some(format!("ünïcödé {i} значение 🦀")),
        _ => Some(format!("{}{i}", "x".repeat(2000))),
    };
    let headers = if !with_headers {
        Vec::new()
    } else {
        match i % 3 {
            0 => vec![header("h1", Some(&format!("v{i}")))],
            1 => vec![
                header("h1", Some(&format!("v{i}"))),
                header("h2", None),
                header("h1", Some("again")),
            ],
            _ => vec![
                header("trace", Some(&i.to_string())),
                header("empty", Some("")),
            ],
        }
    };
    Sent {
        key: Bytes::from(format!("key-{i}")),
        value: value.map(Bytes::from),
        headers,
    }
}

/// The console producer's input line for a record: `headers<TAB>key|value`
/// (headers `k:v,k:v`) with parse.headers, else `key|value`.
fn console_line(sent: &Sent, with_headers: bool) -> String {
    let text = |b: &Bytes| String::from_utf8(b.to_vec()).expect("UTF-8");
    let mut line = String::new();
    if with_headers {
        let pairs: Vec<String> = sent
            .headers
            .iter()
            .map(|h| {
                let value = h.value.as_ref().map_or(NULL_MARKER.to_owned(), text);
                format!("{}:{value}", text(&h.key))
            })
            .collect();
        line.push_str(&pairs.join(","));
        line.push('\t');
    }
    line.push_str(&text(&sent.key));
    line.push('|');
    line.push_str(&sent.value.as_ref().map_or(NULL_MARKER.to_owned(), text));
    line.push('\n');
    line
}

/// Runs Kafka's console producer over `records`; `None` when Java is missing
/// (outside CI).
fn console_produce(topic: &str, records: &[Sent], with_headers: bool) -> Option<()> {
    let input: String = records
        .iter()
        .map(|r| console_line(r, with_headers))
        .collect();
    let bootstrap = single();
    let parse_headers = format!("parse.headers={with_headers}");
    let null_marker = format!("null.marker={NULL_MARKER}");
    let args = [
        "console-producer",
        "--bootstrap-server",
        &bootstrap,
        "--topic",
        topic,
        "--reader-property",
        "parse.key=true",
        "--reader-property",
        "key.separator=|",
        "--reader-property",
        &parse_headers,
        "--reader-property",
        &null_marker,
    ];
    run_java_io("console producer", &args, input.as_bytes()).map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_producer_records_are_consumed_exactly_once_in_order() {
    const PARTITIONS: i32 = 4;
    const WITH_HEADERS: usize = 300;
    const TOTAL: usize = 500;
    let conn = connect(&single()).await;
    let topic = unique_topic("consumer-java-console");
    create_topic(&conn, &topic, PARTITIONS, 1).await;

    // Two runs of the console producer: with headers (parse.headers needs
    // at least one per line), then without.
    let sent: Vec<Sent> = (0..TOTAL)
        .map(|i| console_record(i, i < WITH_HEADERS))
        .collect();
    if console_produce(&topic, &sent[..WITH_HEADERS], true).is_none() {
        return;
    }
    console_produce(&topic, &sent[WITH_HEADERS..], false).expect("Java was there a moment ago");

    let consumer = consumer(&[("auto.offset.reset", "earliest")]).await;
    let tps = partitions(&topic, PARTITIONS);
    consumer.assign(tps.clone()).await.expect("assign");
    let received = read_to_end(&consumer, &tps).await;

    let index_of: BTreeMap<Bytes, usize> = sent
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key.clone(), i))
        .collect();
    let mut seen = BTreeSet::new();
    let grouped = by_partition(&received);
    assert!(
        grouped.len() >= 3,
        "records over several partitions: {:?}",
        grouped.keys()
    );
    for (partition, records) in &grouped {
        let mut previous: Option<usize> = None;
        for (n, record) in records.iter().enumerate() {
            assert_eq!(&*record.topic, topic.as_str());
            assert_eq!(
                record.offset, n as i64,
                "partition {partition}: offsets 0, 1, 2, ... in order"
            );
            let key = record.key.clone().expect("every record has a key");
            let i = *index_of
                .get(&key)
                .unwrap_or_else(|| panic!("unknown key {key:?} in partition {partition}"));
            assert!(seen.insert(i), "record {i} ({key:?}) consumed twice");
            assert!(
                previous.is_none_or(|p| p < i),
                "partition {partition}: record {i} after record {previous:?}, not in send order"
            );
            previous = Some(i);
            let got = Sent {
                key,
                value: record.value.clone(),
                headers: record.headers.to_vec(),
            };
            assert_eq!(got, sent[i], "record {i} at {partition}@{}", record.offset);
            assert_eq!(
                *partition,
                partition_for_key(&sent[i].key, PARTITIONS),
                "record {i}: placed by Java's key partitioning"
            );
            assert_eq!(record.timestamp_type, TimestampType::CreateTime);
            assert!(record.timestamp > 0, "record {i}: a create time");
            assert!(record.leader_epoch.is_some(), "record {i}: a leader epoch");
        }
    }
    assert_eq!(
        seen.len(),
        TOTAL,
        "every record exactly once (missing: {:?})",
        (0..TOTAL).filter(|i| !seen.contains(i)).collect::<Vec<_>>()
    );
    consumer.close().await.expect("close");
}

// ---------------------------------------------------------------------------
// Seek by timestamp vs Java's offsetsForTimes
// ---------------------------------------------------------------------------

/// Java's answers: (partition, timestamp) -> (offset, record timestamp), or
/// `None` when no record has a timestamp at or after it.
type JavaOffsets = BTreeMap<(i32, i64), Option<(i64, i64)>>;

fn java_offsets_for_times(topic: &str, partitions: i32, timestamps: &[i64]) -> Option<JavaOffsets> {
    let bootstrap = single();
    let list: Vec<String> = (0..partitions).map(|p| p.to_string()).collect();
    let list = list.join(",");
    let stamps: Vec<String> = timestamps.iter().map(i64::to_string).collect();
    let mut args = vec!["offsets-for-times", &bootstrap, topic, &list];
    args.extend(stamps.iter().map(String::as_str));
    let out = run_java_io("offsetsForTimes", &args, b"")?;
    let mut answers = BTreeMap::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 4, "offsets-for-times line {line:?}");
        let number =
            |s: &str| -> i64 { s.parse().unwrap_or_else(|_| panic!("number in {line:?}")) };
        let found = match (fields[2], fields[3]) {
            ("-", "-") => None,
            (offset, ts) => Some((number(offset), number(ts))),
        };
        answers.insert((number(fields[0]) as i32, number(fields[1])), found);
    }
    assert_eq!(
        answers.len(),
        timestamps.len() * partitions as usize,
        "one answer per (partition, timestamp):\n{out}"
    );
    Some(answers)
}

/// The timestamp of record `i` in partition `p`: mostly rising by a second,
/// some repeated, some going back in time.
fn record_timestamp(base: i64, p: i32, i: i64) -> i64 {
    let step = match i % 10 {
        3 => i - 1, // the same as the record before
        7 => i - 5, // earlier than several before it
        _ => i,
    };
    base + step * 1000 + i64::from(p) * 10
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seek_to_timestamp_lands_where_java_offsets_for_times_says() {
    const PARTITIONS: i32 = 3;
    const PER_PARTITION: i64 = 40;
    let conn = connect(&single()).await;
    let topic = unique_topic("consumer-java-times");
    create_topic(&conn, &topic, PARTITIONS, 1).await;

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let base = (now - 3_600_000) / 1000 * 1000;
    let producer =
        broker_support::producer(&single(), &[("linger.ms", "20"), ("batch.size", "1024")]).await;
    let mut deliveries = Vec::new();
    for i in 0..PER_PARTITION {
        for p in 0..PARTITIONS {
            let record = ProducerRecord::new(&topic)
                .partition(p)
                .timestamp(record_timestamp(base, p, i))
                .key(format!("p{p}-{i}"))
                .value(format!("record {i} of partition {p}"));
            deliveries.push(producer.send(record).await.expect("send"));
        }
    }
    producer.flush().await;
    for delivery in deliveries {
        delivery.await.expect("delivered");
    }
    producer.close().await.expect("close producer");

    let last = base + (PER_PARTITION - 1) * 1000 + i64::from(PARTITIONS - 1) * 10;
    let timestamps = [
        0,                 // before every record
        base - 60_000,     // before every record
        base,              // the very first record of partition 0
        base + 1,          // between records
        base + 2_500,      // after record 2, before the repeated 3
        base + 2_010,      // hits a repeated timestamp in partition 1
        base + 6_005,      // around the out-of-order record 7
        base + 17_000,     // exactly a record of partition 0
        base + 30_020,     // exactly a record of partition 2
        last - 10,         // the last record of partition 1, after partition 0's
        last,              // only partition 2's last record
        last + 1,          // after every record
        last + 86_400_000, // far after every record
    ];
    let Some(java) = java_offsets_for_times(&topic, PARTITIONS, &timestamps) else {
        return;
    };
    // The query covers the three cases in every partition.
    assert!(
        java.values().any(Option::is_none),
        "some timestamp after all records"
    );
    assert!(
        java.iter()
            .any(|((_, ts), found)| *ts == 0 && *found == Some((0, base))),
        "a timestamp before all records finds offset 0"
    );

    let consumer = consumer(&[("auto.offset.reset", "earliest")]).await;
    let tps = partitions(&topic, PARTITIONS);
    consumer.assign(tps.clone()).await.expect("assign");
    let ends: BTreeMap<TopicPartition, i64> = consumer
        .end_offsets(&tps)
        .await
        .expect("end offsets")
        .into_iter()
        .collect();
    for tp in &tps {
        assert_eq!(ends[tp], PER_PARTITION, "end offset of {tp:?}");
    }

    // offsets_for_times answers like Java, timestamp by timestamp.
    for &ts in &timestamps {
        let query: Vec<(TopicPartition, i64)> = tps.iter().map(|tp| (tp.clone(), ts)).collect();
        let answers = consumer
            .offsets_for_times(&query)
            .await
            .expect("offsets_for_times");
        let got: BTreeMap<i32, Option<(i64, i64)>> = answers
            .into_iter()
            .map(|(tp, found)| (tp.partition, found.map(|f| (f.offset, f.timestamp))))
            .collect();
        for p in 0..PARTITIONS {
            assert_eq!(
                got.get(&p),
                Some(&java[&(p, ts)]),
                "offsets_for_times at {ts} (base{:+}) for partition {p}",
                ts - base
            );
        }
    }

    // seek_to_timestamp puts every partition where Java says (its end when
    // there is no such record), and the next record handed out is that one.
    // The seeks go back and forth, so prefetched data must be dropped.
    for &ts in timestamps.iter().rev().chain(timestamps.iter()) {
        consumer
            .seek_to_timestamp(&tps, ts)
            .await
            .expect("seek_to_timestamp");
        let mut waiting: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
        for tp in &tps {
            let expected = java[&(tp.partition, ts)];
            let position = consumer.position(tp).await.expect("position");
            let want = expected.map_or(ends[tp], |(offset, _)| offset);
            assert_eq!(
                position,
                want,
                "position of {tp:?} after seek_to_timestamp({ts}, base{:+})",
                ts - base
            );
            if let Some(found) = expected {
                waiting.insert(tp.partition, found);
            }
        }
        let deadline = Instant::now() + PATIENCE;
        let mut first: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
        while first.len() < waiting.len() {
            assert!(
                Instant::now() < deadline,
                "after seek_to_timestamp({ts}): only {first:?} of {waiting:?} arrived"
            );
            for record in consumer
                .poll(Duration::from_millis(200))
                .await
                .expect("poll")
            {
                assert!(
                    waiting.contains_key(&record.partition),
                    "after seek_to_timestamp({ts}) partition {} is at its end, yet gave offset {}",
                    record.partition,
                    record.offset
                );
                first
                    .entry(record.partition)
                    .or_insert((record.offset, record.timestamp));
            }
        }
        assert_eq!(
            first,
            waiting,
            "first record per partition after seek_to_timestamp({ts}, base{:+})",
            ts - base
        );
    }
    consumer.close().await.expect("close");
}

// ---------------------------------------------------------------------------
// read_committed vs Java's transactional producers
// ---------------------------------------------------------------------------

/// One record Java wrote: whether it is visible under read_committed
/// (committed or non-transactional) and where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Written {
    partition: i32,
    offset: i64,
    key: String,
    value: String,
    committed: bool,
}

fn parse_txn_output(out: &str) -> Vec<Written> {
    let mut written = Vec::new();
    let mut done = None;
    for line in out.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        match fields[..] {
            ["done", n] => done = Some(n.parse::<usize>().expect("count")),
            [verdict, partition, offset, key, value] => written.push(Written {
                partition: partition.parse().expect("partition"),
                offset: offset.parse().expect("offset"),
                key: key.to_owned(),
                value: value.to_owned(),
                committed: match verdict {
                    "committed" | "plain" => true,
                    "aborted" => false,
                    other => panic!("unknown verdict {other} in {line:?}"),
                },
            }),
            _ => panic!("txn-produce line {line:?}"),
        }
    }
    assert_eq!(
        done,
        Some(written.len()),
        "txn-produce output complete:\n{out}"
    );
    written.sort();
    written
}

/// What a consumer handed out, comparable with [`Written`].
fn as_written(records: &[ConsumerRecord], committed: bool) -> Vec<Written> {
    let text = |b: &Option<Bytes>| {
        String::from_utf8(b.as_ref().expect("key and value").to_vec()).expect("UTF-8")
    };
    records
        .iter()
        .map(|r| Written {
            partition: r.partition,
            offset: r.offset,
            key: text(&r.key),
            value: text(&r.value),
            committed,
        })
        .collect()
}

/// Consumes the whole topic under `isolation.level`; checks the order per
/// partition and returns the records sorted by partition and offset.
async fn consume_all(topic: &str, partitions_count: i32, isolation: &str) -> Vec<ConsumerRecord> {
    let consumer = consumer(&[
        ("auto.offset.reset", "earliest"),
        ("isolation.level", isolation),
    ])
    .await;
    let tps = partitions(topic, partitions_count);
    consumer.assign(tps.clone()).await.expect("assign");
    let records = read_to_end(&consumer, &tps).await;
    for (partition, in_partition) in by_partition(&records) {
        for pair in in_partition.windows(2) {
            assert!(
                pair[0].offset < pair[1].offset,
                "{isolation}: partition {partition} gave offset {} then {}",
                pair[0].offset,
                pair[1].offset
            );
        }
    }
    consumer.close().await.expect("close");
    let mut sorted = records;
    sorted.sort_by_key(|r| (r.partition, r.offset));
    sorted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_committed_hides_aborted_java_transactions() {
    const PARTITIONS: i32 = 3;
    let conn = connect(&single()).await;
    let topic = unique_topic("consumer-java-txn");
    create_topic(&conn, &topic, PARTITIONS, 1).await;
    let bootstrap = single();
    let Some(out) = run_java_io(
        "transactional producer",
        &["txn-produce", &bootstrap, &topic, "4"],
        b"",
    ) else {
        return;
    };
    let written = parse_txn_output(&out);
    let committed: Vec<Written> = written.iter().filter(|w| w.committed).cloned().collect();
    let aborted: Vec<Written> = written.iter().filter(|w| !w.committed).cloned().collect();
    assert!(
        !committed.is_empty() && !aborted.is_empty(),
        "Java wrote both committed and aborted records"
    );
    // Offsets Java did not report are control records (transaction markers).
    let data_offsets: BTreeSet<(i32, i64)> =
        written.iter().map(|w| (w.partition, w.offset)).collect();

    let read_committed = consume_all(&topic, PARTITIONS, "read_committed").await;
    for record in &read_committed {
        assert!(
            data_offsets.contains(&(record.partition, record.offset)),
            "read_committed handed out {}@{}, which is not a data record (a control record?)",
            record.partition,
            record.offset
        );
    }
    let leaked: Vec<&Written> = aborted
        .iter()
        .filter(|a| {
            read_committed
                .iter()
                .any(|r| r.partition == a.partition && r.offset == a.offset)
        })
        .collect();
    assert!(
        leaked.is_empty(),
        "read_committed showed aborted records: {leaked:?}"
    );
    assert_eq!(
        as_written(&read_committed, true),
        committed,
        "read_committed: exactly the committed and non-transactional records"
    );

    let read_uncommitted = consume_all(&topic, PARTITIONS, "read_uncommitted").await;
    for record in &read_uncommitted {
        assert!(
            data_offsets.contains(&(record.partition, record.offset)),
            "read_uncommitted handed out {}@{}, which is not a data record (a control record?)",
            record.partition,
            record.offset
        );
    }
    let everything: Vec<Written> = written
        .iter()
        .map(|w| Written {
            committed: true,
            ..w.clone()
        })
        .collect();
    assert_eq!(
        as_written(&read_uncommitted, true),
        everything,
        "read_uncommitted: every data record, aborted ones included"
    );
}

// ---------------------------------------------------------------------------
// read_committed stops at the last stable offset of an open Java transaction
// ---------------------------------------------------------------------------

/// How long Java keeps its transaction open.
const HOLD: Duration = Duration::from_millis(15000);

/// How long a read_committed consumer must stay silent at the LSO.
const QUIET: Duration = Duration::from_secs(2);

/// Java's `txn-open` running as a child process: its output lines arrive
/// through `lines`; killed when dropped before it finished.
struct OpenTxn {
    child: Child,
    args: Vec<String>,
    lines: mpsc::UnboundedReceiver<String>,
}

impl OpenTxn {
    fn start(args: Vec<String>) -> Self {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = spawn_java(&argv);
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        OpenTxn { child, args, lines }
    }

    /// The next output line; `None` once Java closed its output.
    async fn next_line(&mut self) -> Option<String> {
        tokio::time::timeout(PATIENCE, self.lines.recv())
            .await
            .unwrap_or_else(|_| panic!("txn-open printed nothing for {PATIENCE:?}"))
    }

    /// Waits for Java to exit: `None` when a tool is missing (outside CI).
    fn wait(&mut self) -> Option<()> {
        let argv: Vec<&str> = self.args.iter().map(String::as_str).collect();
        wait_java("open transaction", &argv, &mut self.child)
    }
}

impl Drop for OpenTxn {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A record as (offset, key, value).
type Plain = (i64, String, String);

/// Sends `count` records `<prefix>-<i>` / `value-of-<prefix>-<i>` to partition
/// 0 and returns them with the offsets the broker gave them.
async fn produce_plain(producer: &Producer, topic: &str, prefix: &str, count: usize) -> Vec<Plain> {
    let mut pending = Vec::new();
    for i in 0..count {
        let key = format!("{prefix}-{i}");
        let value = format!("value-of-{key}");
        let record = ProducerRecord::new(topic)
            .partition(0)
            .key(key.clone())
            .value(value.clone());
        pending.push((producer.send(record).await.expect("send"), key, value));
    }
    producer.flush().await;
    let mut out = Vec::new();
    for (delivery, key, value) in pending {
        let metadata = delivery.await.expect("delivered");
        out.push((metadata.offset, key, value));
    }
    out
}

/// Records as [`Plain`] triples, in the order received.
fn as_plain(records: &[ConsumerRecord]) -> Vec<Plain> {
    let text = |b: &Option<Bytes>| {
        String::from_utf8(b.as_ref().expect("key and value").to_vec()).expect("UTF-8")
    };
    records
        .iter()
        .map(|r| (r.offset, text(&r.key), text(&r.value)))
        .collect()
}

async fn end_offset(consumer: &Consumer, tp: &TopicPartition) -> i64 {
    let ends = consumer
        .end_offsets(std::slice::from_ref(tp))
        .await
        .expect("end offsets");
    assert_eq!(ends.len(), 1, "one end offset: {ends:?}");
    ends[0].1
}

/// Polls for `within`, returning everything handed out meanwhile.
async fn poll_for(consumer: &Consumer, within: Duration) -> Vec<ConsumerRecord> {
    let until = Instant::now() + within;
    let mut out = Vec::new();
    while Instant::now() < until {
        out.extend(
            consumer
                .poll(Duration::from_millis(200))
                .await
                .expect("poll"),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_committed_stops_at_the_lso_of_an_open_java_transaction() {
    const BEFORE: usize = 3;
    const IN_TXN: usize = 4;
    const AFTER: usize = 3;
    let conn = connect(&single()).await;
    let topic = unique_topic("consumer-java-lso");
    create_topic(&conn, &topic, 1, 1).await;
    let tp = TopicPartition::new(&topic, 0);
    let producer = broker_support::producer(&single(), &[]).await;
    let before = produce_plain(&producer, &topic, "before", BEFORE).await;
    let offsets: Vec<i64> = before.iter().map(|p| p.0).collect();
    assert_eq!(offsets, (0..BEFORE as i64).collect::<Vec<_>>());

    // Java opens a transaction after them and keeps it open for HOLD.
    let mut txn = OpenTxn::start(vec![
        "txn-open".to_owned(),
        single(),
        topic.clone(),
        "0".to_owned(),
        IN_TXN.to_string(),
        HOLD.as_millis().to_string(),
    ]);
    let Some(line) = txn.next_line().await else {
        if txn.wait().is_none() {
            return;
        }
        panic!("txn-open exited without opening a transaction");
    };
    let opened = Instant::now();
    let (first, last) = match line.split(' ').collect::<Vec<_>>()[..] {
        ["open", first, last] => (
            first.parse::<i64>().expect("first offset"),
            last.parse::<i64>().expect("last offset"),
        ),
        _ => panic!("txn-open printed {line:?}, not \"open <first> <last>\""),
    };
    assert_eq!(
        (first, last),
        (BEFORE as i64, (BEFORE + IN_TXN) as i64 - 1),
        "the transaction's records right after the plain ones"
    );
    let in_txn: Vec<Plain> = (0..IN_TXN)
        .map(|i| {
            (
                first + i as i64,
                format!("txn-{i}"),
                format!("value-of-txn-{i}"),
            )
        })
        .collect();

    // Plain records after the open transaction: past the LSO.
    let after = produce_plain(&producer, &topic, "after", AFTER).await;
    let offsets: Vec<i64> = after.iter().map(|p| p.0).collect();
    assert_eq!(
        offsets,
        (last + 1..=last + AFTER as i64).collect::<Vec<_>>()
    );
    let high_watermark = last + 1 + AFTER as i64;

    // read_committed: the plain records before the transaction, then
    // nothing, although more records exist.
    let committed = consumer(&[
        ("auto.offset.reset", "earliest"),
        ("isolation.level", "read_committed"),
    ])
    .await;
    committed.assign(vec![tp.clone()]).await.expect("assign");
    let mut early = consume_exactly(&committed, BEFORE, PATIENCE).await;
    early.extend(poll_for(&committed, QUIET).await);
    let stable_end = end_offset(&committed, &tp).await;
    let stable_position = committed.position(&tp).await.expect("position");
    let stable_lag = committed.lag(&tp);

    // read_uncommitted: everything at once, the open transaction included.
    let uncommitted = consumer(&[
        ("auto.offset.reset", "earliest"),
        ("isolation.level", "read_uncommitted"),
    ])
    .await;
    uncommitted.assign(vec![tp.clone()]).await.expect("assign");
    let uncommitted_end = end_offset(&uncommitted, &tp).await;
    let everything = read_to_end(&uncommitted, std::slice::from_ref(&tp)).await;
    let uncommitted_lag = uncommitted.lag(&tp);
    uncommitted.close().await.expect("close");

    // All of that must have happened while the transaction was open.
    let elapsed = opened.elapsed();
    eprintln!("open-transaction checks took {elapsed:.1?} of the {HOLD:?} hold");
    assert!(
        elapsed + Duration::from_secs(1) < HOLD,
        "the open-transaction checks took {elapsed:?} of the {HOLD:?} Java holds the \
         transaction open: too slow to tell (raise HOLD)"
    );
    assert_eq!(
        as_plain(&early),
        before,
        "read_committed with a transaction open at offset {first}: exactly the records before it"
    );
    assert_eq!(
        stable_end, first,
        "read_committed end offset: the LSO (the open transaction's first offset)"
    );
    assert_eq!(stable_position, first, "read_committed stops at the LSO");
    assert_eq!(
        stable_lag,
        Some(0),
        "read_committed lag against the LSO {first}, not the high watermark {high_watermark}"
    );
    assert_eq!(
        uncommitted_end, high_watermark,
        "read_uncommitted end offset: the high watermark"
    );
    let all: Vec<Plain> = before
        .iter()
        .chain(&in_txn)
        .chain(&after)
        .cloned()
        .collect();
    assert_eq!(
        as_plain(&everything),
        all,
        "read_uncommitted: every record, the open transaction's included"
    );
    assert_eq!(uncommitted_lag, Some(0), "read_uncommitted lag at the end");

    // Java commits: the transaction's records and the later plain ones come
    // through, once each, in order, without the commit marker.
    let line = txn.next_line().await;
    assert_eq!(
        line.as_deref(),
        Some("committed"),
        "txn-open after the hold"
    );
    txn.wait().expect("Java was there a moment ago");
    // The commit returns before the coordinator has written the markers:
    // the LSO passes the transaction a moment later.
    let deadline = Instant::now() + PATIENCE;
    while end_offset(&committed, &tp).await <= high_watermark {
        assert!(
            Instant::now() < deadline,
            "the LSO did not pass the committed transaction within {PATIENCE:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let late = read_to_end(&committed, std::slice::from_ref(&tp)).await;
    let expected: Vec<Plain> = in_txn.iter().chain(&after).cloned().collect();
    assert_eq!(
        as_plain(&late),
        expected,
        "read_committed after the commit: the transaction's records, then the plain ones after it"
    );
    // The commit marker took the offset after them.
    let end = end_offset(&committed, &tp).await;
    assert_eq!(end, high_watermark + 1, "end offset past the commit marker");
    assert_eq!(
        committed.position(&tp).await.expect("position"),
        end,
        "read_committed position past the commit marker"
    );
    committed.close().await.expect("close");
    producer.close().await.expect("close producer");
}
