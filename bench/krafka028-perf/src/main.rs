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
#[path = "../../shared/outcome.rs"]
mod outcome;
mod produce;

use std::time::Duration;

use outcome::Outcome;

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
            outcome.report(&args.label, verb);
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
