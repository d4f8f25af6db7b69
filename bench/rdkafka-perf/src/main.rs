//! The `krafka perf produce` and `krafka perf consume` workloads with
//! rust-rdkafka (librdkafka), for `scripts/perf/produce-compare.sh` and
//! `scripts/perf/consume-compare.sh`: the same summary and `RESULT` line,
//! CPU and peak RSS read from /proc the same way.
//!
//! Usage:
//!   rdkafka-perf [produce] --topic T [--bootstrap B] [--num-records N]
//!        [--record-size S] [--acks A] [--linger-ms L] [--batch-size B]
//!        [--compression C] [-X key=value]... [--label L]
//!        [--throughput R]
//!   rdkafka-perf consume --topic T [--bootstrap B] [--num-records N]
//!        [--timeout-ms MS] [--group G] [-X key=value]... [--label L]
//!   rdkafka-perf e2e --topic T --throughput R [the produce flags]
//!        [--timeout-ms MS]
//!
//! produce: N keyless records of S bytes (see `produce.rs`); the topic must
//! exist (the script creates it with `krafka perf produce --num-records 0
//! --partitions 6`). With `--throughput R` (records/s; -1 or absent: as
//! fast as possible), on a fixed schedule with each record's latency from
//! its due time to its delivery report (see `latency.rs`).
//! e2e: produce at R records/s and consume in the same process, each
//! record's latency from its due time to its receipt (see `e2e.rs`).
//! consume: every partition of the topic from its beginning until N records
//! were read (see `consume.rs`); fails when no record comes for
//! `--timeout-ms` (default 30000). With `--group`, subscribes as a member of
//! that consumer group instead (auto.offset.reset=earliest, auto-commit on).

mod consume;
mod e2e;
mod latency;
#[path = "../../shared/outcome.rs"]
mod outcome;
mod produce;

// The latency histogram and the schedule of `krafka perf`, the same code,
// so that both clients are paced and measured alike (not every method is
// used here).
#[allow(dead_code)]
#[path = "../../../krafka-cli/src/commands/perf/histogram.rs"]
mod histogram;
#[path = "../../../krafka-cli/src/commands/perf/pacer.rs"]
mod pacer;

use outcome::Outcome;
use pacer::Pacer;

use std::time::Duration;

/// Which workload.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Produce,
    Consume,
    E2e,
}

struct Args {
    mode: Mode,
    bootstrap: String,
    topic: String,
    num_records: u64,
    record_size: usize,
    idle_timeout: Duration,
    properties: Vec<(String, String)>,
    label: String,
    group: Option<String>,
    /// `--throughput`: records per second, `None` for as fast as possible.
    throughput: Option<Pacer>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        mode: Mode::Produce,
        bootstrap: "127.0.0.1:9092".into(),
        topic: String::new(),
        num_records: 1_000_000,
        record_size: 100,
        idle_timeout: Duration::from_secs(30),
        properties: Vec::new(),
        label: "rdkafka".into(),
        group: None,
        throughput: None,
    };
    let mut it = std::env::args().skip(1).peekable();
    match it.peek().map(String::as_str) {
        Some("consume") => {
            args.mode = Mode::Consume;
            it.next();
        }
        Some("produce") => {
            it.next();
        }
        Some("e2e") => {
            args.mode = Mode::E2e;
            it.next();
        }
        _ => {}
    }
    let producer_only = |flag: &str| -> Result<(), String> {
        if args.mode == Mode::Consume {
            return Err(format!("{flag} is a produce flag"));
        }
        Ok(())
    };
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--bootstrap" | "-b" => args.bootstrap = value()?,
            "--topic" | "-t" => args.topic = value()?,
            "--num-records" => args.num_records = value()?.parse().map_err(|e| format!("{e}"))?,
            "--record-size" => {
                producer_only(&flag)?;
                args.record_size = value()?.parse().map_err(|e| format!("{e}"))?;
            }
            "--acks" | "--linger-ms" | "--batch-size" | "--compression" => {
                producer_only(&flag)?;
                let key = match flag.as_str() {
                    "--acks" => "acks",
                    "--linger-ms" => "linger.ms",
                    "--batch-size" => "batch.size",
                    _ => "compression.type",
                };
                args.properties.push((key.into(), value()?));
            }
            "--timeout-ms" => {
                let ms: u64 = value()?.parse().map_err(|e| format!("{e}"))?;
                args.idle_timeout = Duration::from_millis(ms);
            }
            "--throughput" => {
                producer_only(&flag)?;
                let rate: f64 = value()?.parse().map_err(|e| format!("{e}"))?;
                args.throughput = Pacer::new(rate);
            }
            "--label" => args.label = value()?,
            "--group" => args.group = Some(value()?),
            "-X" => {
                let kv = value()?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or(format!("-X expects key=value, got {kv}"))?;
                args.properties.push((k.into(), v.into()));
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.topic.is_empty() {
        return Err("--topic is required".into());
    }
    if args.mode == Mode::E2e && args.throughput.is_none() {
        return Err("e2e needs --throughput <records/s> (a positive rate)".into());
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("rdkafka-perf: {e}");
            std::process::exit(2);
        }
    };
    let (verb, result) = match (args.mode, args.throughput) {
        (Mode::Produce, None) => ("sent", produce::run(&args)),
        (Mode::Produce, Some(pacer)) => ("sent", latency::run(&args, pacer)),
        (Mode::Consume, _) => ("received", consume::run(&args)),
        (Mode::E2e, Some(pacer)) => ("received", e2e::run(&args, pacer)),
        (Mode::E2e, None) => ("received", Err("e2e needs --throughput".to_owned())),
    };
    match result {
        Ok(outcome) => {
            outcome.report(&args.label, verb);
            if outcome.errors > 0 {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("rdkafka-perf: {e}");
            std::process::exit(1);
        }
    }
}
