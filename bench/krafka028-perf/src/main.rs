//! The `krafka perf produce` and `krafka perf consume` workloads with the
//! crates.io `krafka` 0.28 (upstream Krafka), for
//! `scripts/perf/produce-compare.sh` and `scripts/perf/consume-compare.sh`:
//! the same flags as `bench/rdkafka-perf`, the same summary and `RESULT`
//! line, CPU and peak RSS read from /proc the same way.
//!
//! Usage:
//!   krafka028-perf [produce] --topic T [--bootstrap B] [--num-records N]
//!        [--record-size S] [--acks A] [--linger-ms L] [--batch-size B]
//!        [--compression C] [-X key=value]... [--label L]
//!   krafka028-perf consume --topic T [--bootstrap B] [--num-records N]
//!        [--timeout-ms MS] [-X key=value]... [--label L]
//!
//! 0.28 is configured through builder methods, not Java property names, so
//! `-X` takes only the properties listed in `produce.rs` and `consume.rs`;
//! any other is refused rather than silently ignored.

mod consume;
mod produce;

use std::time::Duration;

/// Which workload.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Produce,
    Consume,
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
        label: "krafka028".into(),
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
            "--label" => args.label = value()?,
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
    Ok(args)
}

/// A property's value as a number.
fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{key}={value}: not a number"))
}

/// What a run measured, printed as a summary and a `RESULT` line.
struct Outcome {
    records: u64,
    bytes: u64,
    elapsed: Duration,
    errors: u64,
    cpu_s: f64,
    peak_rss_mb: f64,
}

impl Outcome {
    /// The counts of a finished run, with the process's CPU and peak RSS
    /// read now (before the client is dropped, as `krafka perf` does).
    fn measure(records: u64, bytes: u64, elapsed: Duration, errors: u64) -> Outcome {
        Outcome {
            records,
            bytes,
            elapsed,
            errors,
            cpu_s: cpu_seconds().unwrap_or(f64::NAN),
            peak_rss_mb: peak_rss_mb().unwrap_or(f64::NAN),
        }
    }
}

/// The whole process's user+system CPU seconds (every thread), at USER_HZ 100.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Peak resident set size (VmHWM) in MiB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn report(label: &str, verb: &str, outcome: &Outcome) {
    let secs = outcome.elapsed.as_secs_f64().max(1e-9);
    let n = outcome.records;
    let rps = n as f64 / secs;
    let mbps = outcome.bytes as f64 / secs / (1024.0 * 1024.0);
    let record_size = outcome.bytes.checked_div(n).unwrap_or(0);
    let cpu = outcome.cpu_s;
    let us = cpu * 1e6 / n.max(1) as f64;
    let rss = outcome.peak_rss_mb;
    let errors = outcome.errors;
    println!(
        "{n} records {verb} in {secs:.2} s: {rps:.1} records/s ({mbps:.2} MB/s), client CPU {cpu:.2} s ({us:.2} µs/record), peak RSS {rss:.1} MB, {errors} errors"
    );
    println!(
        "RESULT {label} records={n} record_size={record_size} elapsed_s={secs:.3} records_per_sec={rps:.1} mb_per_sec={mbps:.3} cpu_s={cpu:.2} cpu_us_per_record={us:.3} peak_rss_mb={rss:.1} errors={errors}"
    );
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("krafka028-perf: {e}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("krafka028-perf: starting the runtime: {e}");
            std::process::exit(1);
        }
    };
    let (verb, result) = match args.mode {
        Mode::Produce => ("sent", runtime.block_on(produce::run(&args))),
        Mode::Consume => ("received", runtime.block_on(consume::run(&args))),
    };
    match result {
        Ok(outcome) => {
            report(&args.label, verb, &outcome);
            if outcome.errors > 0 {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("krafka028-perf: {e}");
            std::process::exit(1);
        }
    }
}
