//! The `krafka perf produce` workload with rust-rdkafka (librdkafka), for
//! `scripts/perf/produce-compare.sh`: N keyless records of S bytes through a
//! `BaseProducer` (non-blocking `send`, polling for delivery reports, waiting
//! only when librdkafka's queue is full), then `flush`; prints the same
//! summary and `RESULT` line, CPU and peak RSS read from /proc the same way.
//!
//! Usage: rdkafka-perf --topic T [--bootstrap B] [--num-records N]
//!        [--record-size S] [--acks A] [--linger-ms L] [--batch-size B]
//!        [--compression C] [-X key=value]... [--label L]
//! The topic must exist (the script creates it with `krafka perf produce
//! --num-records 0 --partitions 6`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::ClientContext;

#[derive(Default)]
struct Counting {
    delivered: AtomicU64,
    errors: AtomicU64,
}

impl ClientContext for Counting {}

impl ProducerContext for Counting {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: Self::DeliveryOpaque) {
        match result {
            Ok(_) => self.delivered.fetch_add(1, Ordering::Relaxed),
            Err((error, _)) => {
                if self.errors.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("first delivery error: {error}");
                }
                0
            }
        };
    }
}

struct Args {
    bootstrap: String,
    topic: String,
    num_records: u64,
    record_size: usize,
    properties: Vec<(String, String)>,
    label: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        bootstrap: "127.0.0.1:9092".into(),
        topic: String::new(),
        num_records: 1_000_000,
        record_size: 100,
        properties: Vec::new(),
        label: "rdkafka".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--bootstrap" | "-b" => args.bootstrap = value()?,
            "--topic" | "-t" => args.topic = value()?,
            "--num-records" => args.num_records = value()?.parse().map_err(|e| format!("{e}"))?,
            "--record-size" => args.record_size = value()?.parse().map_err(|e| format!("{e}"))?,
            "--acks" => args.properties.push(("acks".into(), value()?)),
            "--linger-ms" => args.properties.push(("linger.ms".into(), value()?)),
            "--batch-size" => args.properties.push(("batch.size".into(), value()?)),
            "--compression" => args.properties.push(("compression.type".into(), value()?)),
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

fn payload(size: usize) -> Vec<u8> {
    let mut state: u32 = 0x9e37_79b9;
    (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            b'A' + (state % 26) as u8
        })
        .collect()
}

fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("rdkafka-perf: {e}");
            std::process::exit(2);
        }
    };
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", &args.bootstrap);
    for (k, v) in &args.properties {
        config.set(k, v);
    }
    let producer: BaseProducer<Counting> = match config.create_with_context(Counting::default()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("rdkafka-perf: creating the producer: {e}");
            std::process::exit(1);
        }
    };
    // Connect and load the topic's metadata before the clock starts.
    if let Err(e) = producer
        .client()
        .fetch_metadata(Some(&args.topic), Duration::from_secs(30))
    {
        eprintln!("rdkafka-perf: metadata: {e}");
        std::process::exit(1);
    }
    let value = payload(args.record_size);
    let started = Instant::now();
    for i in 0..args.num_records {
        loop {
            match producer.send(BaseRecord::<(), [u8], ()>::to(&args.topic).payload(&value[..])) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    producer.poll(Duration::from_millis(1));
                }
                Err((e, _)) => {
                    eprintln!("rdkafka-perf: send: {e}");
                    std::process::exit(1);
                }
            }
        }
        if i & 0x3ff == 0 {
            producer.poll(Duration::ZERO);
        }
    }
    if let Err(e) = producer.flush(Duration::from_secs(300)) {
        eprintln!("rdkafka-perf: flush: {e}");
    }
    let elapsed = started.elapsed();
    let ctx = producer.context();
    let errors = ctx.errors.load(Ordering::Relaxed);
    let delivered = ctx.delivered.load(Ordering::Relaxed);
    if delivered + errors != args.num_records {
        eprintln!(
            "rdkafka-perf: only {delivered} delivered and {errors} failed of {}",
            args.num_records
        );
    }
    let secs = elapsed.as_secs_f64().max(1e-9);
    let rps = args.num_records as f64 / secs;
    let mbps = rps * args.record_size as f64 / (1024.0 * 1024.0);
    let cpu = cpu_seconds().unwrap_or(f64::NAN);
    let us = cpu * 1e6 / args.num_records.max(1) as f64;
    let rss = peak_rss_mb().unwrap_or(f64::NAN);
    println!(
        "{} records sent in {secs:.2} s: {rps:.1} records/s ({mbps:.2} MB/s), client CPU {cpu:.2} s ({us:.2} µs/record), peak RSS {rss:.1} MB, {errors} errors",
        args.num_records
    );
    println!(
        "RESULT {} records={} record_size={} elapsed_s={secs:.3} records_per_sec={rps:.1} mb_per_sec={mbps:.3} cpu_s={cpu:.2} cpu_us_per_record={us:.3} peak_rss_mb={rss:.1} errors={errors}",
        args.label, args.num_records, args.record_size
    );
    drop(producer);
    if errors > 0 {
        std::process::exit(1);
    }
}
