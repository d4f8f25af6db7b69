//! Record batches (v2) against Apache Kafka's own record classes
//! (`MemoryRecordsBuilder`, `MemoryRecords`, `DefaultRecordBatch` of
//! `org.apache.kafka:kafka-clients` at the pinned `KAFKA_VERSION`), both ways,
//! all five codecs, driven by `tests/java/conformance/run.sh records-write`
//! and `records-read` (see `Records.java`).
//!
//! - Java → krafka: Java writes seeded random batches for every codec (plain,
//!   idempotent, transactional, sequence wrap-around, create and log-append
//!   time, offset gaps, null/empty/~100 KB keys and values, headers with null
//!   values, commit and abort markers in control batches, compressed or not)
//!   and describes each as its own reader sees it. krafka decodes each batch
//!   alone (`RecordBatch::decode`) and all of a codec's batches back to back
//!   (`RecordBatchReader`), through `records()`, `record_views()` and
//!   `collect_records()`, and every header field and record must match.
//!   Then krafka rebuilds each batch with `RecordBatchBuilder` (when its
//!   offsets have no gaps): the uncompressed records must be byte-identical
//!   to Java's decompressed ones, the header too under create time, and an
//!   uncompressed create-time batch byte-identical as a whole (CRC included).
//! - krafka → Java: krafka builds an equivalent random set per codec with
//!   `RecordBatchBuilder` (control batches with `control(true)` and
//!   `ControlRecord`'s key and value); Java reads each batch alone and each
//!   codec's batches back to back, checks every CRC (`ensureValid`) and
//!   describes them; the description must equal what krafka built.
//!
//! Env: `KRAFKA_RECORDS_SEED` (default fixed). Without Java or Maven the test
//! is skipped, except under `CI=true`, where it fails.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use bytes::Bytes;
use krafka_core::records::{
    BATCH_HEADER_LEN, Compression, ControlRecord, Header, NO_PRODUCER_EPOCH, NO_PRODUCER_ID,
    NO_SEQUENCE, RecordBatch, RecordBatchBuilder, RecordBatchReader, TimestampType,
};
use krafka_tests::java::{out_dir, repo_root, run_java};
use krafka_tests::json::{self, Value};
use krafka_tests::wire_gen::Rng;

const DEFAULT_SEED: u64 = 0x0072_6563_6f72_6473;
/// Mismatches shown in full.
const SHOWN: usize = 12;
/// How this test names itself in messages.
const WHAT: &str = "records interop";
const CODECS: [Compression; 5] = [
    Compression::None,
    Compression::Gzip,
    Compression::Snappy,
    Compression::Lz4,
    Compression::Zstd,
];
/// A plausible "now" in ms, so timestamps look real and runs reproduce.
const NOW: i64 = 1_790_000_000_000;

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Bytes for a message: their length and first bytes.
fn short(bytes: &Option<Vec<u8>>) -> String {
    match bytes {
        None => "null".to_owned(),
        Some(b) if b.len() <= 24 => format!("{:?}", hex(b)),
        Some(b) => format!("{} bytes {}…", b.len(), hex(&b[..24])),
    }
}

// ---------------------------------------------------------------------------
// The description both sides agree on (the shape Records.java prints).

#[derive(Debug, Clone, PartialEq)]
struct RecordDesc {
    offset: i64,
    timestamp: i64,
    sequence: i32,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// Control records: the type code and, for commit/abort, the coordinator epoch.
    control: Option<(i16, Option<i32>)>,
}

#[derive(Debug, Clone, PartialEq)]
struct BatchDesc {
    base_offset: i64,
    last_offset: i64,
    partition_leader_epoch: i32,
    crc: u32,
    size_in_bytes: usize,
    compression: String,
    timestamp_type: TimestampType,
    transactional: bool,
    control: bool,
    base_timestamp: i64,
    max_timestamp: i64,
    producer_id: i64,
    producer_epoch: i16,
    base_sequence: i32,
    last_sequence: i32,
    count: i32,
    records: Vec<RecordDesc>,
}

/// Kafka's sequence arithmetic: sequences wrap from `i32::MAX` to 0.
fn increment_sequence(sequence: i32, increment: i32) -> i32 {
    if sequence > i32::MAX - increment {
        increment - (i32::MAX - sequence) - 1
    } else {
        sequence + increment
    }
}

fn record_sequence(base_sequence: i32, offset_delta: i32) -> i32 {
    if base_sequence < 0 {
        NO_SEQUENCE
    } else {
        increment_sequence(base_sequence, offset_delta)
    }
}

fn last_sequence(base_sequence: i32, last_offset_delta: i32) -> i32 {
    if base_sequence == NO_SEQUENCE {
        NO_SEQUENCE
    } else {
        increment_sequence(base_sequence, last_offset_delta)
    }
}

/// Parses one batch description printed by Records.java.
fn from_java(v: &Value) -> Result<BatchDesc, String> {
    let field = |o: &Value, k: &str| -> Result<Value, String> {
        o.get(k)
            .map(clone_value)
            .ok_or_else(|| format!("Java's description has no {k:?}"))
    };
    let int = |o: &Value, k: &str| -> Result<i64, String> {
        field(o, k)?
            .as_i64()
            .ok_or_else(|| format!("{k:?} is not an integer"))
    };
    let boolean = |o: &Value, k: &str| -> Result<bool, String> {
        field(o, k)?
            .as_bool()
            .ok_or_else(|| format!("{k:?} is not a boolean"))
    };
    let nullable_hex = |o: &Value, k: &str| -> Result<Option<Vec<u8>>, String> {
        let f = field(o, k)?;
        if f.is_null() {
            return Ok(None);
        }
        f.as_str()
            .map(|s| Some(unhex(s)))
            .ok_or_else(|| format!("{k:?} is neither hex nor null"))
    };
    let narrow = |n: i64, k: &str| -> Result<i32, String> {
        i32::try_from(n).map_err(|_| format!("{k:?} = {n} out of range"))
    };
    let timestamp_type = match field(v, "timestampType")?.as_str() {
        Some("CreateTime") => TimestampType::CreateTime,
        Some("LogAppendTime") => TimestampType::LogAppendTime,
        other => return Err(format!("unexpected timestampType {other:?}")),
    };
    let mut records = Vec::new();
    for r in field(v, "records")?.as_array().ok_or("records")? {
        let mut headers = Vec::new();
        for h in field(r, "headers")?.as_array().ok_or("headers")? {
            let key = nullable_hex(h, "key")?.ok_or("null header key")?;
            headers.push((key, nullable_hex(h, "value")?));
        }
        let control = field(r, "control")?;
        let control = if control.is_null() {
            None
        } else {
            let epoch = field(&control, "coordinatorEpoch")?;
            let epoch = if epoch.is_null() {
                None
            } else {
                Some(narrow(epoch.as_i64().ok_or("epoch")?, "coordinatorEpoch")?)
            };
            Some((int(&control, "type")? as i16, epoch))
        };
        records.push(RecordDesc {
            offset: int(r, "offset")?,
            timestamp: int(r, "timestamp")?,
            sequence: narrow(int(r, "sequence")?, "sequence")?,
            key: nullable_hex(r, "key")?,
            value: nullable_hex(r, "value")?,
            headers,
            control,
        });
    }
    Ok(BatchDesc {
        base_offset: int(v, "baseOffset")?,
        last_offset: int(v, "lastOffset")?,
        partition_leader_epoch: narrow(int(v, "partitionLeaderEpoch")?, "partitionLeaderEpoch")?,
        crc: u32::try_from(int(v, "crc")?).map_err(|_| "crc out of range")?,
        size_in_bytes: usize::try_from(int(v, "sizeInBytes")?).map_err(|_| "size")?,
        compression: field(v, "compression")?
            .as_str()
            .ok_or("compression")?
            .to_owned(),
        timestamp_type,
        transactional: boolean(v, "transactional")?,
        control: boolean(v, "control")?,
        base_timestamp: int(v, "baseTimestamp")?,
        max_timestamp: int(v, "maxTimestamp")?,
        producer_id: int(v, "producerId")?,
        producer_epoch: i16::try_from(int(v, "producerEpoch")?).map_err(|_| "epoch")?,
        base_sequence: narrow(int(v, "baseSequence")?, "baseSequence")?,
        last_sequence: narrow(int(v, "lastSequence")?, "lastSequence")?,
        count: narrow(int(v, "count")?, "count")?,
        records,
    })
}

fn clone_value(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(n.clone()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(items) => Value::Array(items.iter().map(clone_value).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), clone_value(v)))
                .collect(),
        ),
    }
}

/// A batch as krafka's reader sees it, through `records()`; `record_views()`
/// and `collect_records()` must agree with it.
fn from_krafka(batch: &RecordBatch) -> Result<BatchDesc, String> {
    let h = batch.header();
    let records: Vec<_> = batch
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("records(): {e}"))?;
    let collected = batch
        .collect_records()
        .map_err(|e| format!("collect_records(): {e}"))?;
    if collected != records {
        return Err("collect_records() differs from records()".to_owned());
    }
    let views: Vec<_> = batch
        .record_views()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("record_views(): {e}"))?;
    if views.len() != records.len() {
        return Err(format!(
            "record_views() gave {} records, records() {}",
            views.len(),
            records.len()
        ));
    }
    let mut out = Vec::with_capacity(records.len());
    for (r, view) in records.iter().zip(&views) {
        let view_headers: Vec<_> = view
            .headers()
            .map(|hv| (hv.key.to_vec(), hv.value.map(<[u8]>::to_vec)))
            .collect();
        let headers: Vec<_> = r
            .headers
            .iter()
            .map(|h| (h.key.to_vec(), h.value.as_ref().map(|v| v.to_vec())))
            .collect();
        if view.offset != r.offset
            || view.timestamp != r.timestamp
            || view.key != r.key.as_deref()
            || view.value != r.value.as_deref()
            || view_headers != headers
        {
            return Err(format!(
                "record_views() differs from records() at offset {}",
                r.offset
            ));
        }
        let control = if batch.is_control() {
            let c = ControlRecord::parse(r).map_err(|e| format!("control record: {e}"))?;
            Some((c.kind.code(), c.marker.map(|m| m.coordinator_epoch)))
        } else {
            None
        };
        let delta = i32::try_from(r.offset - h.base_offset).map_err(|_| "offset delta")?;
        out.push(RecordDesc {
            offset: r.offset,
            timestamp: r.timestamp,
            sequence: record_sequence(h.base_sequence, delta),
            key: r.key.as_ref().map(|k| k.to_vec()),
            value: r.value.as_ref().map(|v| v.to_vec()),
            headers,
            control,
        });
    }
    Ok(BatchDesc {
        base_offset: h.base_offset,
        last_offset: h.last_offset(),
        partition_leader_epoch: h.partition_leader_epoch,
        crc: h.crc,
        size_in_bytes: h.total_len(),
        compression: batch.compression().name().to_owned(),
        timestamp_type: h.attributes.timestamp_type(),
        transactional: batch.is_transactional(),
        control: batch.is_control(),
        base_timestamp: h.base_timestamp,
        max_timestamp: h.max_timestamp,
        producer_id: h.producer_id,
        producer_epoch: h.producer_epoch,
        base_sequence: h.base_sequence,
        last_sequence: last_sequence(h.base_sequence, h.last_offset_delta),
        count: h.record_count,
        records: out,
    })
}

/// Every field that differs, named; empty when `expected == actual`.
fn differences(expected: &BatchDesc, actual: &BatchDesc) -> Vec<String> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident),*) => {$(
            if expected.$f != actual.$f {
                out.push(format!(
                    "{}: expected {:?}, got {:?}",
                    stringify!($f), expected.$f, actual.$f
                ));
            }
        )*};
    }
    cmp!(
        base_offset,
        last_offset,
        partition_leader_epoch,
        crc,
        size_in_bytes,
        compression,
        timestamp_type,
        transactional,
        control,
        base_timestamp,
        max_timestamp,
        producer_id,
        producer_epoch,
        base_sequence,
        last_sequence,
        count
    );
    if expected.records.len() != actual.records.len() {
        out.push(format!(
            "records: expected {}, got {}",
            expected.records.len(),
            actual.records.len()
        ));
    }
    for (i, (e, a)) in expected.records.iter().zip(&actual.records).enumerate() {
        macro_rules! rcmp {
            ($($f:ident),*) => {$(
                if e.$f != a.$f {
                    out.push(format!(
                        "record {i} {}: expected {:?}, got {:?}",
                        stringify!($f), e.$f, a.$f
                    ));
                }
            )*};
        }
        rcmp!(offset, timestamp, sequence, control);
        if e.key != a.key {
            out.push(format!(
                "record {i} key: expected {}, got {}",
                short(&e.key),
                short(&a.key)
            ));
        }
        if e.value != a.value {
            out.push(format!(
                "record {i} value: expected {}, got {}",
                short(&e.value),
                short(&a.value)
            ));
        }
        if e.headers != a.headers {
            out.push(format!(
                "record {i} headers: expected {:?}, got {:?}",
                e.headers, a.headers
            ));
        }
    }
    out
}

fn codec_by_name(name: &str) -> Compression {
    name.parse()
        .unwrap_or_else(|_| panic!("unknown codec {name:?}"))
}

// ---------------------------------------------------------------------------
// Java → krafka.

struct JavaBatch {
    codec: Compression,
    bytes: Bytes,
    desc: BatchDesc,
    line: usize,
}

#[derive(Default)]
struct Tally {
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, at: &str, expected: &BatchDesc, actual: Result<BatchDesc, String>) -> bool {
        match actual {
            Err(e) => {
                self.failures.push(format!("{at}: {e}"));
                false
            }
            Ok(actual) => {
                let diffs = differences(expected, &actual);
                if diffs.is_empty() {
                    return true;
                }
                self.failures
                    .push(format!("{at}:\n    {}", diffs.join("\n    ")));
                false
            }
        }
    }
}

/// krafka rebuilds a Java batch with its builder; returns whether anything
/// was compared (offset gaps cannot be rebuilt) and whether the whole batch
/// was byte-identical.
fn rebuild(b: &JavaBatch, tally: &mut Tally) -> (bool, bool) {
    let at = format!("Java batch on line {} ({})", b.line, b.codec);
    let d = &b.desc;
    let contiguous = d
        .records
        .iter()
        .enumerate()
        .all(|(i, r)| r.offset == d.base_offset + i as i64);
    if !contiguous || d.records.is_empty() {
        return (false, false);
    }
    let batch = RecordBatch::decode(b.bytes.clone()).expect("decoded a moment ago");
    let records = batch.collect_records().expect("decoded a moment ago");
    let mut builder = RecordBatchBuilder::new()
        .base_offset(d.base_offset)
        .partition_leader_epoch(d.partition_leader_epoch)
        .producer_id(d.producer_id)
        .producer_epoch(d.producer_epoch)
        .base_sequence(d.base_sequence)
        .transactional(d.transactional)
        .control(d.control)
        .timestamp_type(d.timestamp_type);
    let base = d.base_timestamp;
    for r in &records {
        // Under log-append time a record's own timestamp is its delta from the base.
        let raw_timestamp = if d.timestamp_type == TimestampType::LogAppendTime {
            raw_record_timestamp(&batch, r.offset).unwrap_or(base)
        } else {
            r.timestamp
        };
        builder
            .push_record(
                Some(raw_timestamp),
                r.key.as_deref(),
                r.value.as_deref(),
                &r.headers.to_vec(),
            )
            .expect("push_record");
    }
    let built = builder.build().expect("build");
    // The records as Java wrote them, decompressed.
    let java_records = match b.codec.codec() {
        None => b.bytes[BATCH_HEADER_LEN..].to_vec(),
        Some(codec) => codec
            .decompress(&b.bytes[BATCH_HEADER_LEN..], usize::MAX / 2)
            .expect("decompress"),
    };
    if built[BATCH_HEADER_LEN..] != java_records[..] {
        tally.failures.push(format!(
            "{at}: krafka's builder writes the records differently\n    java   {}\n    krafka {}",
            hex(&java_records[..java_records.len().min(200)]),
            hex(&built[BATCH_HEADER_LEN..built.len().min(BATCH_HEADER_LEN + 200)])
        ));
        return (true, false);
    }
    if d.timestamp_type == TimestampType::LogAppendTime {
        // The broker's log-append time is not something a producer writes.
        return (true, false);
    }
    // Header: everything but the length, the CRC and the compression bits.
    let ours = RecordBatch::decode(built.clone()).expect("krafka reads its own batch");
    let (jh, kh) = (batch.header(), ours.header());
    let strip = |h: &krafka_core::records::BatchHeader| {
        let mut h = *h;
        h.batch_length = 0;
        h.crc = 0;
        h.attributes = h.attributes.with_compression(Compression::None);
        h
    };
    if strip(jh) != strip(kh) {
        tally.failures.push(format!(
            "{at}: krafka's builder writes another header\n    java   {jh:?}\n    krafka {kh:?}"
        ));
        return (true, false);
    }
    if b.codec == Compression::None {
        if built[..] != b.bytes[..] {
            tally.failures.push(format!(
                "{at}: uncompressed batch not byte-identical\n    java   {}\n    krafka {}",
                hex(&b.bytes[..b.bytes.len().min(200)]),
                hex(&built[..built.len().min(200)])
            ));
            return (true, false);
        }
        return (true, true);
    }
    (true, false)
}

/// A record's own timestamp (base + delta) even under log-append time,
/// read off the wire by hand: length, attributes, timestamp delta varlong.
fn raw_record_timestamp(batch: &RecordBatch, offset: i64) -> Option<i64> {
    let records = match batch.compression().codec() {
        None => batch.raw()[BATCH_HEADER_LEN..].to_vec(),
        Some(codec) => codec
            .decompress(&batch.raw()[BATCH_HEADER_LEN..], usize::MAX / 2)
            .ok()?,
    };
    let mut pos = 0;
    let varint = |pos: &mut usize| -> Option<i64> {
        let mut value: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = *records.get(*pos)?;
            *pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        Some((value >> 1) as i64 ^ -((value & 1) as i64))
    };
    let wanted = offset - batch.header().base_offset;
    for _ in 0..batch.header().record_count {
        let len = varint(&mut pos)?;
        let start = pos;
        pos += 1; // attributes
        let timestamp_delta = varint(&mut pos)?;
        let offset_delta = varint(&mut pos)?;
        if offset_delta == wanted {
            return Some(batch.header().base_timestamp + timestamp_delta);
        }
        pos = start + usize::try_from(len).ok()?;
    }
    None
}

// ---------------------------------------------------------------------------
// krafka → Java.

/// One batch krafka built, and the description Java must give of it.
struct Built {
    label: String,
    bytes: Bytes,
    desc: BatchDesc,
}

const HEADER_KEYS: [&str; 7] = [
    "",
    "trace-id",
    "retry",
    "content-type",
    "ключ",
    "鍵",
    "emoji-😀",
];

fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    if rng.chance(2) {
        (0..len).map(|_| rng.next_u64() as u8).collect()
    } else {
        let word = format!("krafka-{}-", rng.below(1000));
        word.bytes().cycle().take(len).collect()
    }
}

fn nullable_bytes(rng: &mut Rng, max: u64) -> Option<Vec<u8>> {
    match rng.below(6) {
        0 => None,
        1 => Some(Vec::new()),
        _ => {
            let len = 1 + rng.below(max) as usize;
            Some(random_bytes(rng, len))
        }
    }
}

fn random_headers(rng: &mut Rng) -> Vec<Header> {
    let n = match rng.below(4) {
        0 | 1 => 0,
        2 => 1 + rng.below(2),
        _ => 3 + rng.below(5),
    };
    (0..n)
        .map(|i| {
            let mut key = HEADER_KEYS[rng.below(HEADER_KEYS.len() as u64) as usize].to_owned();
            if rng.chance(2) {
                key.push_str(&format!("-{i}"));
            }
            let value = nullable_bytes(rng, 60);
            Header::new(&key, value.as_deref())
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Plain,
    Idempotent,
    IdempotentWrap,
    Transactional,
    Commit,
    Abort,
}

/// A record to add: timestamp, key, value, headers, and the control
/// description for control records.
type Planned = (
    i64,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Vec<Header>,
    Option<(i16, Option<i32>)>,
);

struct Shape {
    kind: Kind,
    timestamp_type: TimestampType,
    large: bool,
    /// Records stamped by the builder's default timestamp now and then.
    default_timestamps: bool,
    /// A single record with null key and value, no headers.
    single_null: bool,
}

fn build_one(rng: &mut Rng, codec: Compression, shape: &Shape, label: String) -> Built {
    let mut builder = RecordBatchBuilder::new().compression(codec);
    if codec != Compression::None && codec != Compression::Snappy && rng.chance(3) {
        let level = match codec {
            Compression::Gzip => 1 + rng.below(9) as i32,
            Compression::Lz4 => 1 + rng.below(17) as i32,
            _ => rng.below(25) as i32 - 5,
        };
        builder = builder.compression_level(level);
    }
    let base_offset = if rng.chance(2) {
        0
    } else {
        rng.below(1 << 50) as i64
    };
    let leader_epoch = if rng.chance(3) {
        -1
    } else {
        rng.below(1 << 20) as i32
    };
    builder = builder
        .base_offset(base_offset)
        .partition_leader_epoch(leader_epoch)
        .timestamp_type(shape.timestamp_type);
    let (mut producer_id, mut producer_epoch, mut base_sequence) =
        (NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE);
    let control = matches!(shape.kind, Kind::Commit | Kind::Abort);
    let transactional = matches!(shape.kind, Kind::Transactional) || control;
    if shape.kind != Kind::Plain {
        producer_id = (rng.next_u64() >> 1) as i64;
        producer_epoch = rng.below(i16::MAX as u64 + 1) as i16;
        base_sequence = match shape.kind {
            Kind::IdempotentWrap => i32::MAX - rng.below(3) as i32,
            Kind::Commit | Kind::Abort => NO_SEQUENCE,
            _ => rng.below(i32::MAX as u64) as i32,
        };
    }
    builder = builder
        .producer_id(producer_id)
        .producer_epoch(producer_epoch)
        .base_sequence(base_sequence)
        .transactional(transactional)
        .control(control);
    let default_timestamp = NOW + rng.below(1_000_000) as i64;
    builder = builder.timestamp(default_timestamp);

    let mut plan: Vec<Planned> = Vec::new();
    if control {
        let marker = ControlRecord::transaction_marker(
            shape.kind == Kind::Commit,
            rng.below(1 << 20) as i32,
        );
        let epoch = marker.marker.map(|m| m.coordinator_epoch);
        plan.push((
            NOW + rng.below(200_000) as i64 - 100_000,
            Some(marker.key().to_vec()),
            marker.value().map(|v| v.to_vec()),
            Vec::new(),
            Some((marker.kind.code(), epoch)),
        ));
    } else if shape.single_null {
        plan.push((NOW, None, None, Vec::new(), None));
    } else {
        let count = if shape.large {
            1 + rng.below(3)
        } else {
            1 + rng.below(24)
        };
        let big_at = rng.below(count);
        for i in 0..count {
            let timestamp = if rng.chance(12) {
                -1
            } else {
                NOW + rng.below(7_200_000) as i64 - 3_600_000
            };
            let key = nullable_bytes(rng, 40);
            let value = if shape.large && i == big_at {
                let len = 100_000 + rng.below(2_000) as usize;
                Some(random_bytes(rng, len))
            } else {
                nullable_bytes(rng, 300)
            };
            plan.push((timestamp, key, value, random_headers(rng), None));
        }
    }
    let mut timestamps = Vec::new();
    for (i, (timestamp, key, value, headers, _)) in plan.iter().enumerate() {
        // The builder's own timestamp for some records (not the first, so
        // the base timestamp stays the seeded one half the time).
        if shape.default_timestamps && i > 0 && rng.chance(3) {
            builder = builder.add_record(key.as_deref(), value.as_deref(), headers.clone());
            timestamps.push(default_timestamp);
        } else {
            builder
                .push_record(Some(*timestamp), key.as_deref(), value.as_deref(), headers)
                .expect("push_record");
            timestamps.push(*timestamp);
        }
    }
    let bytes = builder.build().expect("build");

    let count = plan.len() as i32;
    let max_timestamp = timestamps.iter().copied().max().unwrap_or(-1);
    let records = plan
        .into_iter()
        .zip(&timestamps)
        .enumerate()
        .map(
            |(i, ((_, key, value, headers, control), &timestamp))| RecordDesc {
                offset: base_offset + i as i64,
                timestamp: if shape.timestamp_type == TimestampType::LogAppendTime {
                    max_timestamp
                } else {
                    timestamp
                },
                sequence: record_sequence(base_sequence, i as i32),
                key,
                value,
                headers: headers
                    .iter()
                    .map(|h| (h.key.to_vec(), h.value.as_ref().map(|v| v.to_vec())))
                    .collect(),
                control,
            },
        )
        .collect();
    let desc = BatchDesc {
        base_offset,
        last_offset: base_offset + i64::from(count) - 1,
        partition_leader_epoch: leader_epoch,
        // Java checks the CRC itself (ensureValid) and reports the stored one.
        crc: u32::from_be_bytes(bytes[17..21].try_into().expect("4 bytes")),
        size_in_bytes: bytes.len(),
        compression: codec.name().to_owned(),
        timestamp_type: shape.timestamp_type,
        transactional,
        control,
        base_timestamp: timestamps[0],
        max_timestamp,
        producer_id,
        producer_epoch,
        base_sequence,
        last_sequence: last_sequence(base_sequence, count - 1),
        count,
        records,
    };
    Built { label, bytes, desc }
}

fn build_set(seed: u64, codec: Compression) -> Vec<Built> {
    let mut rng = Rng::new(seed ^ u64::from(codec.code()).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let shape = |kind, timestamp_type, large, default_timestamps| Shape {
        kind,
        timestamp_type,
        large,
        default_timestamps,
        single_null: false,
    };
    let (ct, lat) = (TimestampType::CreateTime, TimestampType::LogAppendTime);
    let mut shapes = vec![
        ("plain", shape(Kind::Plain, ct, false, false)),
        (
            "plain, default timestamps",
            shape(Kind::Plain, ct, false, true),
        ),
        ("idempotent", shape(Kind::Idempotent, ct, false, false)),
        (
            "idempotent, sequence wraps",
            shape(Kind::IdempotentWrap, ct, false, false),
        ),
        ("transactional", shape(Kind::Transactional, ct, false, true)),
        (
            "plain, log-append time",
            shape(Kind::Plain, lat, false, false),
        ),
        (
            "transactional, log-append time",
            shape(Kind::Transactional, lat, false, false),
        ),
        ("plain, ~100 KB value", shape(Kind::Plain, ct, true, false)),
        (
            "transactional, ~100 KB value",
            shape(Kind::Transactional, ct, true, false),
        ),
        (
            "single null record",
            Shape {
                single_null: true,
                ..shape(Kind::Plain, ct, false, false)
            },
        ),
        ("commit marker", shape(Kind::Commit, ct, false, false)),
        ("abort marker", shape(Kind::Abort, ct, false, false)),
    ];
    let kinds = [
        Kind::Plain,
        Kind::Idempotent,
        Kind::IdempotentWrap,
        Kind::Transactional,
    ];
    for _ in 0..6 {
        let kind = kinds[rng.below(kinds.len() as u64) as usize];
        let timestamp_type = if rng.chance(2) { ct } else { lat };
        let large = rng.chance(4);
        let default_timestamps = rng.chance(2);
        shapes.push((
            "random",
            shape(kind, timestamp_type, large, default_timestamps),
        ));
    }
    shapes
        .iter()
        .enumerate()
        .map(|(i, (name, shape))| {
            build_one(&mut rng, codec, shape, format!("{codec} #{i} ({name})"))
        })
        .collect()
}

// ---------------------------------------------------------------------------

#[test]
fn record_batches_match_kafkas_own_codec_both_ways() {
    let started = Instant::now();
    let seed: u64 = match std::env::var("KRAFKA_RECORDS_SEED") {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("KRAFKA_RECORDS_SEED={v} is not a number")),
        Err(_) => DEFAULT_SEED,
    };
    let dir = out_dir();
    let run = std::process::id();
    let written_path = dir.join(format!("records-java-{run}.txt"));
    let sent_path = dir.join(format!("records-krafka-{run}.txt"));
    let read_path = dir.join(format!("records-java-read-{run}.txt"));
    let path_str = |p: &Path| p.to_str().expect("utf-8 path").to_owned();

    // Java → krafka.
    let java_seed = (seed & (i64::MAX as u64)).to_string();
    if run_java(
        WHAT,
        &["records-write", &path_str(&written_path), &java_seed],
    )
    .is_none()
    {
        return;
    }
    let text = std::fs::read_to_string(&written_path).expect("read Java's batches");
    let mut tally = Tally::default();
    let mut java_batches = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut parts = line.splitn(3, ' ');
        let (Some(codec), Some(bytes), Some(desc)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("line {}: expected <codec> <hex> <json>", i + 1);
        };
        let desc = json::parse(desc)
            .map_err(|e| format!("Java's JSON does not parse: {e}"))
            .and_then(|v| from_java(&v))
            .unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        java_batches.push(JavaBatch {
            codec: codec_by_name(codec),
            bytes: Bytes::from(unhex(bytes)),
            desc,
            line: i + 1,
        });
    }
    let forward_started = Instant::now();
    let mut forward_ok = 0;
    let mut java_shapes = [0usize; 6]; // idempotent, transactional, control, log-append, compressed control, large
    for b in &java_batches {
        let at = format!("Java batch on line {} ({})", b.line, b.codec);
        let decoded = RecordBatch::decode(b.bytes.clone())
            .map_err(|e| format!("krafka cannot decode it: {e}"))
            .and_then(|batch| from_krafka(&batch));
        if tally.check(&at, &b.desc, decoded) {
            forward_ok += 1;
        }
        if b.desc.compression != b.codec.name() {
            tally
                .failures
                .push(format!("{at}: Java says codec {}", b.desc.compression));
        }
        let d = &b.desc;
        java_shapes[0] += usize::from(d.producer_id >= 0 && !d.transactional);
        java_shapes[1] += usize::from(d.transactional && !d.control);
        java_shapes[2] += usize::from(d.control);
        java_shapes[3] += usize::from(d.timestamp_type == TimestampType::LogAppendTime);
        java_shapes[4] += usize::from(d.control && b.codec != Compression::None);
        java_shapes[5] += usize::from(
            d.records
                .iter()
                .any(|r| r.value.as_ref().is_some_and(|v| v.len() >= 100_000)),
        );
    }
    // All of a codec's batches back to back, through the reader.
    let mut reader_batches = 0;
    for codec in CODECS {
        let group: Vec<&JavaBatch> = java_batches.iter().filter(|b| b.codec == codec).collect();
        let mut all = Vec::new();
        for b in &group {
            all.extend_from_slice(&b.bytes);
        }
        let mut reader = RecordBatchReader::new(Bytes::from(all));
        let mut n = 0;
        for (b, batch) in group.iter().zip(&mut reader) {
            let at = format!(
                "Java batch on line {} ({codec}), via RecordBatchReader",
                b.line
            );
            let decoded = batch
                .map_err(|e| format!("krafka cannot decode it: {e}"))
                .and_then(|batch| from_krafka(&batch));
            tally.check(&at, &b.desc, decoded);
            n += 1;
        }
        if n != group.len() || reader.next().is_some() || reader.incomplete_tail() {
            tally.failures.push(format!(
                "{codec}: RecordBatchReader read {n} of {} batches back to back",
                group.len()
            ));
        }
        reader_batches += n;
    }
    let mut rebuilt = 0;
    let mut identical = 0;
    for b in &java_batches {
        let (compared, same) = rebuild(b, &mut tally);
        rebuilt += usize::from(compared);
        identical += usize::from(same);
    }
    let forward_elapsed = forward_started.elapsed();

    // krafka → Java.
    let reverse_started = Instant::now();
    let mut built = Vec::new();
    for codec in CODECS {
        built.push(build_set(seed, codec));
    }
    let mut lines = String::new();
    // One line per batch, then one line per codec with all of its batches.
    for b in built.iter().flatten() {
        lines.push_str(&hex(&b.bytes));
        lines.push('\n');
    }
    for group in &built {
        for b in group {
            lines.push_str(&hex(&b.bytes));
        }
        lines.push('\n');
    }
    std::fs::write(&sent_path, lines).expect("write krafka's batches");
    let build_elapsed = reverse_started.elapsed();
    run_java(
        WHAT,
        &["records-read", &path_str(&sent_path), &path_str(&read_path)],
    )
    .expect("Java ran a moment ago");
    let answers = std::fs::read_to_string(&read_path).expect("read Java's answers");
    let answers: Vec<&str> = answers.lines().collect();
    let singles: Vec<&Built> = built.iter().flatten().collect();
    assert_eq!(
        answers.len(),
        singles.len() + built.len(),
        "Java answered {} of {} lines",
        answers.len(),
        singles.len() + built.len()
    );
    let mut reverse_ok = 0;
    let check_answer = |answer: &str, expected: &[&Built], tally: &mut Tally| -> usize {
        let at = || {
            expected
                .iter()
                .map(|b| b.label.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let Some(ok) = answer.strip_prefix("ok ") else {
            tally.failures.push(format!(
                "krafka batch {}: Java cannot read it: {answer}",
                at()
            ));
            return 0;
        };
        let parsed = match json::parse(ok) {
            Ok(v) => v,
            Err(e) => {
                tally
                    .failures
                    .push(format!("krafka batch {}: Java's JSON: {e}", at()));
                return 0;
            }
        };
        let described = parsed.as_array().unwrap_or_default();
        if described.len() != expected.len() {
            tally.failures.push(format!(
                "krafka batches {}: Java read {} batches, krafka built {}",
                at(),
                described.len(),
                expected.len()
            ));
            return 0;
        }
        let mut ok = 0;
        for (b, d) in expected.iter().zip(described) {
            let at = format!("krafka batch {} read by Java", b.label);
            if tally.check(&at, &b.desc, from_java(d)) {
                ok += 1;
            }
        }
        ok
    };
    for (b, answer) in singles.iter().zip(&answers) {
        reverse_ok += check_answer(answer, &[b], &mut tally);
    }
    let mut reverse_grouped = 0;
    for (group, answer) in built.iter().zip(&answers[singles.len()..]) {
        let group: Vec<&Built> = group.iter().collect();
        reverse_grouped += check_answer(answer, &group, &mut tally);
    }
    let reverse_elapsed = reverse_started.elapsed();

    println!(
        "records interop: {} batches Java->Rust, {} batches Rust->Java, 5 codecs \
         (Kafka {}, seed {seed:#x})",
        java_batches.len(),
        singles.len(),
        std::fs::read_to_string(repo_root().join("KAFKA_VERSION"))
            .unwrap_or_default()
            .trim(),
    );
    println!(
        "records interop: Java->Rust {forward_ok} of {} batches equal one by one, {reader_batches} \
         read back to back by RecordBatchReader; Java wrote {} idempotent, {} transactional, {} \
         control ({} compressed), {} log-append-time, {} with a ~100 KB value; krafka's builder \
         rebuilt {rebuilt} (gap-free) with identical records, {identical} uncompressed ones \
         byte-identical",
        java_batches.len(),
        java_shapes[0],
        java_shapes[1],
        java_shapes[2],
        java_shapes[4],
        java_shapes[3],
        java_shapes[5],
    );
    println!(
        "records interop: Rust->Java {reverse_ok} of {} batches equal one by one (CRC checked by \
         ensureValid), {reverse_grouped} read back to back in {} lines",
        singles.len(),
        built.len(),
    );
    println!(
        "records interop: timings: Java->Rust checks {:.2} s, Rust build {:.2} s, Rust->Java \
         round {:.2} s, whole test {:.1} s",
        forward_elapsed.as_secs_f64(),
        build_elapsed.as_secs_f64(),
        reverse_elapsed.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    if tally.failures.is_empty() {
        for p in [&written_path, &sent_path, &read_path] {
            let _ = std::fs::remove_file(p);
        }
        return;
    }
    let mut report = format!(
        "{} mismatches (inputs kept in {})\n",
        tally.failures.len(),
        dir.display()
    );
    for f in tally.failures.iter().take(SHOWN) {
        report.push_str("\n- ");
        report.push_str(f);
    }
    panic!("{report}");
}
