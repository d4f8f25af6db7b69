//! Conformance with Apache Kafka's own codec: the generated `*Data` classes
//! of `org.apache.kafka:kafka-clients` at the pinned version (`KAFKA_VERSION`),
//! driven by the Java program in `tests/java/conformance/` (see its README).
//!
//! For every message krafka covers, at every version, both directions:
//! - Kafka → krafka: Java writes seeded random values (every field, nulls,
//!   empty strings and arrays, tagged fields absent, default and set); krafka
//!   decodes the bytes (consuming all of them), renders the value in Kafka's
//!   JSON form, which must equal the one Java printed, and encodes it again
//!   to the very same bytes, with `encoded_len` agreeing.
//! - krafka → Kafka: krafka encodes its own random values (from wire bytes
//!   generated from the schema alone, unknown tags included); Java decodes
//!   them to the JSON krafka renders and encodes them back to the same bytes.
//!
//! The vectors are made on the fly in `target/conformance/`, so a Kafka
//! version bump regenerates them. Env: `KRAFKA_CONFORMANCE_SEED` (default
//! fixed), `KRAFKA_CONFORMANCE_SAMPLES` (per version, default 20). Without
//! Java or Maven the test is skipped, except under `CI=true`, where it fails.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use krafka_core::codec::CatalogueEntry;
use krafka_core::messages;
use krafka_tests::java::{out_dir, repo_root, run_java};
use krafka_tests::json;
use krafka_tests::wire_gen::{Rng, WireGen};

const DEFAULT_SEED: u64 = 0x6b72_6166_6b61;
const DEFAULT_SAMPLES: u32 = 20;
/// krafka-made values per (message, version) sent to Java.
const REVERSE_SAMPLES: u64 = 10;
/// Mismatches shown in full.
const SHOWN: usize = 12;
/// How this test names itself in messages.
const WHAT: &str = "conformance";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a valid value")),
        Err(_) => default,
    }
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".to_owned();
    }
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn unhex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// One Kafka-written vector.
struct Vector {
    name: String,
    version: i16,
    unstable: bool,
    bytes: Vec<u8>,
    json: String,
}

fn parse_vector(line: &str) -> Vector {
    let mut parts = line.splitn(5, ' ');
    let mut next = || parts.next().expect("vector line has 5 parts");
    let name = next().to_owned();
    let version = next().parse().expect("version");
    let unstable = next() == "u";
    let bytes = unhex(next());
    let json = next().to_owned();
    Vector {
        name,
        version,
        unstable,
        bytes,
        json,
    }
}

type Pair = (String, i16);

/// A seed per (message, version, sample), so that one message's samples do
/// not depend on another's (FNV-1a over the name, then the numbers).
fn sample_seed(seed: u64, name: &str, version: i16, sample: u64) -> u64 {
    let mut h = seed ^ 0xcbf2_9ce4_8422_2325;
    for b in name
        .bytes()
        .chain(version.to_be_bytes())
        .chain(sample.to_be_bytes())
    {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[derive(Default)]
struct Tally {
    /// Pairs with at least one checked sample, and those with a failure.
    checked: BTreeSet<Pair>,
    failed: BTreeSet<Pair>,
    failures: Vec<String>,
    /// JSON comparisons, and how many of them were equal as text too.
    json_compared: usize,
    json_identical: usize,
}

impl Tally {
    fn fail(&mut self, pair: &Pair, detail: String) {
        self.failed.insert(pair.clone());
        self.failures.push(detail);
    }

    fn compare_json(&mut self, pair: &Pair, at: &str, kafka: &str, krafka: &str) {
        self.json_compared += 1;
        if kafka == krafka {
            self.json_identical += 1;
        } else if let Some(diff) = json::difference(kafka, krafka) {
            self.fail(
                pair,
                format!("{at}: JSON differs: {diff}\n  kafka  {kafka}\n  krafka {krafka}"),
            );
        }
    }

    fn verified(&self) -> BTreeSet<Pair> {
        self.checked.difference(&self.failed).cloned().collect()
    }
}

/// Kafka → krafka: decode, compare the JSON, re-encode.
fn check_vector(entry: &CatalogueEntry, v: &Vector, line_no: usize, tally: &mut Tally) {
    let pair = (v.name.clone(), v.version);
    tally.checked.insert(pair.clone());
    let at = format!("{} v{} (vector line {line_no})", v.name, v.version);
    match (entry.transcode)(&v.bytes, v.version) {
        Err(e) => {
            tally.fail(
                &pair,
                format!(
                    "{at}: krafka cannot decode Kafka's bytes: {e}\n  bytes {}\n  kafka {}",
                    hex(&v.bytes),
                    v.json
                ),
            );
            return;
        }
        Ok(t) => {
            if t.consumed != v.bytes.len() {
                tally.fail(
                    &pair,
                    format!(
                        "{at}: krafka consumed {} of {} bytes\n  bytes {}",
                        t.consumed,
                        v.bytes.len(),
                        hex(&v.bytes)
                    ),
                );
            } else if t.encoded[..] != v.bytes[..] {
                tally.fail(
                    &pair,
                    format!(
                        "{at}: krafka re-encodes differently\n  kafka {}\n  krafka {}\n  json {}",
                        hex(&v.bytes),
                        hex(&t.encoded),
                        v.json
                    ),
                );
            } else if t.encoded_len != v.bytes.len() {
                tally.fail(
                    &pair,
                    format!(
                        "{at}: encoded_len {} but {} bytes",
                        t.encoded_len,
                        v.bytes.len()
                    ),
                );
            }
        }
    }
    match (entry.to_json)(&v.bytes, v.version) {
        Err(e) => tally.fail(&pair, format!("{at}: to_json: {e}")),
        Ok(rust) => tally.compare_json(&pair, &at, &v.json, &rust),
    }
}

/// krafka → Kafka: one value krafka encoded, and what Java made of it.
struct Sent {
    name: String,
    version: i16,
    bytes: Vec<u8>,
    json: String,
}

fn check_decoded(sent: &Sent, answer: &str, tally: &mut Tally) {
    let pair = (sent.name.clone(), sent.version);
    tally.checked.insert(pair.clone());
    let at = format!(
        "{} v{} (krafka-encoded {})",
        sent.name,
        sent.version,
        hex(&sent.bytes)
    );
    let Some(ok) = answer.strip_prefix("ok ") else {
        tally.fail(
            &pair,
            format!(
                "{at}: Kafka cannot decode krafka's bytes: {answer}\n  krafka {}",
                sent.json
            ),
        );
        return;
    };
    let (bytes, java_json) = ok.split_once(' ').expect("ok <hex> <json>");
    tally.compare_json(&pair, &at, java_json, &sent.json);
    if unhex(bytes) != sent.bytes {
        tally.fail(
            &pair,
            format!("{at}: Kafka re-encodes krafka's value differently\n  kafka {bytes}"),
        );
    }
}

#[test]
fn every_message_and_version_matches_kafkas_own_codec() {
    let seed: u64 = env_or("KRAFKA_CONFORMANCE_SEED", DEFAULT_SEED);
    let samples: u32 = env_or("KRAFKA_CONFORMANCE_SAMPLES", DEFAULT_SAMPLES);
    let dir = out_dir();
    let run = std::process::id();
    let vectors_path = dir.join(format!("vectors-{run}.txt"));
    let sent_path = dir.join(format!("krafka-encoded-{run}.txt"));
    let decoded_path = dir.join(format!("kafka-decoded-{run}.txt"));
    let path_str = |p: &Path| p.to_str().expect("utf-8 path").to_owned();

    let vectors_arg = path_str(&vectors_path);
    if run_java(
        WHAT,
        &[
            "vectors",
            &vectors_arg,
            &seed.to_string(),
            &samples.to_string(),
        ],
    )
    .is_none()
    {
        return;
    }

    let catalogue: BTreeMap<&'static str, CatalogueEntry> = messages::catalogue()
        .into_iter()
        .map(|e| ((e.schema)().name, e))
        .collect();
    let mut rust_pairs = BTreeSet::new();
    for (name, entry) in &catalogue {
        let range = (entry.schema)().valid_versions;
        for version in range.min..=range.max {
            rust_pairs.insert((name.to_string(), version));
        }
    }

    // Kafka → krafka.
    let text = std::fs::read_to_string(&vectors_path).expect("read vectors");
    let mut forward = Tally::default();
    let mut java_pairs = BTreeSet::new();
    let mut unstable_skipped = BTreeSet::new();
    let mut vector_count = 0;
    for (i, line) in text.lines().enumerate() {
        let v = parse_vector(line);
        let pair = (v.name.clone(), v.version);
        let entry = catalogue
            .get(v.name.as_str())
            .filter(|e| (e.schema)().valid_versions.contains(v.version));
        match entry {
            Some(entry) => {
                java_pairs.insert(pair);
                vector_count += 1;
                check_vector(entry, &v, i + 1, &mut forward);
            }
            // Kafka's unstable latest versions exist only with krafka's
            // `unstable-versions` feature.
            None if v.unstable => {
                unstable_skipped.insert(pair);
            }
            None => {
                java_pairs.insert(pair.clone());
                if forward.failed.insert(pair) {
                    forward.failures.push(format!(
                        "{} v{}: Kafka has this stable (message, version), krafka does not",
                        v.name, v.version
                    ));
                }
            }
        }
    }

    // krafka → Kafka.
    let mut sent = Vec::new();
    for (name, entry) in &catalogue {
        let schema = (entry.schema)();
        for version in schema.valid_versions.min..=schema.valid_versions.max {
            for sample in 0..REVERSE_SAMPLES {
                let mut rng = Rng::new(sample_seed(seed, name, version, sample));
                let wire = WireGen::new(&mut rng).message(&schema, version);
                let (Ok(t), Ok(json)) = (
                    (entry.transcode)(&wire, version),
                    (entry.to_json)(&wire, version),
                ) else {
                    // all_messages.rs reports these; nothing to send.
                    continue;
                };
                sent.push(Sent {
                    name: name.to_string(),
                    version,
                    bytes: t.encoded.to_vec(),
                    json,
                });
            }
        }
    }
    let mut listing = String::new();
    for s in &sent {
        let _ = writeln!(listing, "{} {} {}", s.name, s.version, hex(&s.bytes));
    }
    std::fs::write(&sent_path, listing).expect("write krafka-encoded values");
    run_java(
        WHAT,
        &["decode", &path_str(&sent_path), &path_str(&decoded_path)],
    )
    .expect("Java ran a moment ago");
    let answers = std::fs::read_to_string(&decoded_path).expect("read Kafka's decodings");
    let answers: Vec<&str> = answers.lines().collect();
    assert_eq!(
        answers.len(),
        sent.len(),
        "Java answered {} of {} lines",
        answers.len(),
        sent.len()
    );
    let mut reverse = Tally::default();
    for (s, answer) in sent.iter().zip(&answers) {
        check_decoded(s, answer, &mut reverse);
    }

    // Both directions, every pair.
    let all: BTreeSet<Pair> = rust_pairs.union(&java_pairs).cloned().collect();
    let both: BTreeSet<Pair> = forward
        .verified()
        .intersection(&reverse.verified())
        .cloned()
        .collect();
    let missing: Vec<String> = all
        .difference(&both)
        .map(|(n, v)| format!("{n} v{v}"))
        .collect();
    println!(
        "conformance: {} of {} (message, version) pairs verified in both directions \
         (Kafka {}, seed {seed:#x}, {samples} Kafka samples and {REVERSE_SAMPLES} krafka samples per version, \
         {vector_count} Kafka vectors, {} krafka values)",
        both.len(),
        all.len(),
        std::fs::read_to_string(repo_root().join("KAFKA_VERSION"))
            .unwrap_or_default()
            .trim(),
        sent.len(),
    );
    println!(
        "conformance: JSON identical as text in {} of {} comparisons (the others equal by value: \
         Java 17 prints some doubles with a needless digit)",
        forward.json_identical + reverse.json_identical,
        forward.json_compared + reverse.json_compared,
    );
    if !unstable_skipped.is_empty() {
        println!(
            "conformance: skipped Kafka's unstable versions, absent without krafka's `unstable-versions` feature: {}",
            unstable_skipped
                .iter()
                .map(|(n, v)| format!("{n} v{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let failures: Vec<&String> = forward.failures.iter().chain(&reverse.failures).collect();
    if failures.is_empty() && missing.is_empty() {
        for p in [&vectors_path, &sent_path, &decoded_path] {
            let _ = std::fs::remove_file(p);
        }
        return;
    }
    let mut report = format!(
        "{} mismatches; {} pairs not verified in both directions: {}\n(inputs kept in {})\n",
        failures.len(),
        missing.len(),
        missing
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        dir.display()
    );
    for f in failures.iter().take(SHOWN) {
        report.push_str("\n- ");
        report.push_str(f);
    }
    panic!("{report}");
}
