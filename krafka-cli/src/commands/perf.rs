//! `krafka perf produce`: a producer throughput benchmark in the spirit of
//! Kafka's `kafka-producer-perf-test`, printing a human summary and a
//! machine-readable `RESULT` line (records/s, MB/s, client CPU and peak RSS)
//! that `scripts/perf/produce-compare.sh` compares with rdkafka and Java.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::{Args, Subcommand};
use krafka::messages::CreateTopicsRequest;
use krafka::messages::create_topics::CreatableTopic;
use krafka::{
    ClientConfig, Cluster, DeliveryFuture, ErrorCode, KrafkaError, Producer, ProducerConfig,
    ProducerRecord,
};
use tokio::task::Unconstrained;

#[derive(Subcommand)]
pub enum PerfCommand {
    /// Produce N records of S bytes as fast as the producer takes them.
    Produce(ProduceArgs),
}

#[derive(Args)]
pub struct ProduceArgs {
    /// `bootstrap.servers`.
    #[arg(long, short = 'b', default_value = "127.0.0.1:9092")]
    bootstrap: String,
    /// The topic (created with `--partitions` when it does not exist).
    #[arg(long, short = 't')]
    topic: String,
    /// How many records to produce.
    #[arg(long, default_value_t = 1_000_000)]
    num_records: u64,
    /// Value size in bytes (records have no key).
    #[arg(long, default_value_t = 100)]
    record_size: usize,
    /// `acks` (0, 1, all).
    #[arg(long)]
    acks: Option<String>,
    /// `linger.ms`.
    #[arg(long)]
    linger_ms: Option<u64>,
    /// `batch.size`.
    #[arg(long)]
    batch_size: Option<usize>,
    /// `compression.type` (none, gzip, snappy, lz4, zstd).
    #[arg(long)]
    compression: Option<String>,
    /// Partitions of the topic when it has to be created.
    #[arg(long, default_value_t = 1)]
    partitions: i32,
    /// Replication factor of the topic when it has to be created.
    #[arg(long, default_value_t = 1)]
    replication_factor: i16,
    /// Any producer or client property, as `key=value` (repeatable; applied
    /// after the flags above).
    #[arg(short = 'X', value_name = "KEY=VALUE")]
    properties: Vec<String>,
    /// Name printed in the `RESULT` line.
    #[arg(long, default_value = "krafka")]
    label: String,
    /// No progress lines on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(command: PerfCommand) -> Result<(), String> {
    match command {
        PerfCommand::Produce(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("tokio runtime: {e}"))?;
            runtime.block_on(produce(args))
        }
    }
}

fn config(args: &ProduceArgs) -> Result<ProducerConfig, String> {
    let mut properties: Vec<(String, String)> =
        vec![("bootstrap.servers".to_owned(), args.bootstrap.clone())];
    let flags = [
        ("acks", args.acks.clone()),
        ("linger.ms", args.linger_ms.map(|v| v.to_string())),
        ("batch.size", args.batch_size.map(|v| v.to_string())),
        ("compression.type", args.compression.clone()),
    ];
    for (key, value) in flags {
        if let Some(value) = value {
            properties.push((key.to_owned(), value));
        }
    }
    for property in &args.properties {
        let (key, value) = property
            .split_once('=')
            .ok_or_else(|| format!("-X expects key=value, got `{property}`"))?;
        properties.push((key.trim().to_owned(), value.to_owned()));
    }
    ProducerConfig::from_properties(properties).map_err(|e| e.to_string())
}

/// Creates the topic; an existing topic is fine.
async fn ensure_topic(
    cluster: &Cluster,
    topic: &str,
    partitions: i32,
    replication_factor: i16,
) -> Result<(), KrafkaError> {
    let request = CreateTopicsRequest {
        topics: vec![CreatableTopic {
            name: topic.to_owned(),
            num_partitions: partitions,
            replication_factor,
            ..Default::default()
        }],
        timeout_ms: 30_000,
        ..Default::default()
    };
    let response = cluster.send_to_any(&request).await?;
    for result in response.topics {
        if result.error_code != 0
            && result.error_code != ErrorCode::TopicAlreadyExists.code()
            && result.name == topic
        {
            let code = ErrorCode::check(result.error_code)
                .err()
                .unwrap_or(ErrorCode::UnknownServerError);
            return Err(KrafkaError::Broker {
                code,
                raw: result.error_code,
                message: result.error_message,
            });
        }
    }
    Ok(())
}

async fn produce(args: ProduceArgs) -> Result<(), String> {
    let config = config(&args)?;
    let client: ClientConfig = config.client.clone();
    let cluster = Cluster::connect(client)
        .await
        .map_err(|e| format!("connecting to {}: {e}", args.bootstrap))?;
    ensure_topic(
        &cluster,
        &args.topic,
        args.partitions,
        args.replication_factor,
    )
    .await
    .map_err(|e| format!("creating topic {}: {e}", args.topic))?;
    let producer = Producer::on_cluster(cluster, config, None)
        .await
        .map_err(|e| format!("starting the producer: {e}"))?;
    // Load the topic's metadata before the clock starts (what the other
    // tools do while connecting), so try_send has it.
    producer
        .cluster()
        .topic_metadata(&args.topic)
        .await
        .map_err(|e| format!("metadata of {}: {e}", args.topic))?;

    let value = Bytes::from(payload(args.record_size));
    let mut pending = Pending::default();
    let mut progress = Progress::new(args.quiet, args.num_records);
    let started = Instant::now();
    for sent in 0..args.num_records {
        let record = ProducerRecord::new(args.topic.as_str()).value(value.clone());
        let delivery = match producer.try_send(record) {
            Ok(delivery) => delivery,
            // buffer.memory is full (or another failure, which `send`
            // reports): wait for room like a blocking send.
            Err(_) => {
                let record = ProducerRecord::new(args.topic.as_str()).value(value.clone());
                producer
                    .send(record)
                    .await
                    .map_err(|e| format!("send: {e}"))?
            }
        };
        pending.push(delivery);
        if sent & 0xfff == 0 {
            progress.tick(sent, started);
        }
    }
    producer.flush().await;
    pending.finish().await;
    let elapsed = started.elapsed();
    producer.close().await.map_err(|e| format!("close: {e}"))?;
    progress.done();

    let usage = Usage::now();
    let report = Report {
        label: &args.label,
        records: args.num_records,
        record_size: args.record_size,
        elapsed,
        usage,
        errors: pending.errors,
    };
    report.print();
    if let Some(first) = pending.first_error {
        return Err(format!(
            "{} of {} records failed; first error: {first}",
            pending.errors, args.num_records
        ));
    }
    Ok(())
}

/// Deterministic printable bytes (like Java's perf tool, random letters
/// would work as well; the content does not matter without compression
/// beyond being not trivially compressible).
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

/// Delivery futures not yet seen resolved, oldest first; resolved ones at
/// the front are dropped as the run goes (polled without waiting), so the
/// queue stays about as long as what `buffer.memory` holds.
#[derive(Default)]
struct Pending {
    queue: VecDeque<Unconstrained<DeliveryFuture>>,
    errors: u64,
    first_error: Option<KrafkaError>,
}

impl Pending {
    fn push(&mut self, delivery: DeliveryFuture) {
        // Unconstrained: the producing loop seldom yields, and a polled
        // oneshot would otherwise run out of tokio's cooperative budget and
        // report Pending for good, letting the queue grow without bound.
        self.queue.push_back(tokio::task::unconstrained(delivery));
        let mut cx = Context::from_waker(Waker::noop());
        while let Some(front) = self.queue.front_mut() {
            match Pin::new(front).poll(&mut cx) {
                Poll::Ready(result) => {
                    self.record(result.err());
                    self.queue.pop_front();
                }
                Poll::Pending => break,
            }
        }
    }

    async fn finish(&mut self) {
        while let Some(front) = self.queue.pop_front() {
            let error = front.await.err();
            self.record(error);
        }
    }

    fn record(&mut self, error: Option<KrafkaError>) {
        if let Some(error) = error {
            self.errors += 1;
            self.first_error.get_or_insert(error);
        }
    }
}

/// A line on stderr at most every 2 s.
struct Progress {
    quiet: bool,
    total: u64,
    last: Option<Instant>,
    printed: bool,
}

impl Progress {
    fn new(quiet: bool, total: u64) -> Self {
        Progress {
            quiet,
            total,
            last: None,
            printed: false,
        }
    }

    fn tick(&mut self, sent: u64, started: Instant) {
        if self.quiet {
            return;
        }
        let now = Instant::now();
        let last = *self.last.get_or_insert(started);
        if now.duration_since(last) < Duration::from_secs(2) {
            return;
        }
        self.last = Some(now);
        let secs = now.duration_since(started).as_secs_f64();
        eprint!(
            "\r{sent}/{} records queued, {:.0} records/s   ",
            self.total,
            sent as f64 / secs
        );
        self.printed = true;
    }

    fn done(&self) {
        if self.printed {
            eprintln!();
        }
    }
}

/// Process CPU time and peak RSS, read from /proc (Linux).
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    /// utime + stime, seconds (None off Linux).
    cpu_s: Option<f64>,
    /// VmHWM, MiB.
    peak_rss_mb: Option<f64>,
}

/// `sysconf(_SC_CLK_TCK)`: 100 on every Linux architecture Rust targets
/// in practice (the kernel's USER_HZ); read without libc.
const CLOCK_TICKS_PER_SEC: f64 = 100.0;

impl Usage {
    fn now() -> Usage {
        Usage {
            cpu_s: std::fs::read_to_string("/proc/self/stat")
                .ok()
                .and_then(|stat| cpu_seconds(&stat)),
            peak_rss_mb: std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|status| peak_rss_mb(&status)),
        }
    }
}

/// utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line, seconds.
fn cpu_seconds(stat: &str) -> Option<f64> {
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state), so field N is at index N - 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / CLOCK_TICKS_PER_SEC)
}

/// VmHWM of `/proc/<pid>/status`, MiB.
fn peak_rss_mb(status: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

struct Report<'a> {
    label: &'a str,
    records: u64,
    record_size: usize,
    elapsed: Duration,
    usage: Usage,
    errors: u64,
}

impl Report<'_> {
    fn print(&self) {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let records_per_sec = self.records as f64 / secs;
        let mb_per_sec = records_per_sec * self.record_size as f64 / (1024.0 * 1024.0);
        let cpu = self.usage.cpu_s.unwrap_or(f64::NAN);
        let cpu_us_per_record = cpu * 1e6 / (self.records.max(1) as f64);
        let rss = self.usage.peak_rss_mb.unwrap_or(f64::NAN);
        println!(
            "{} records sent in {secs:.2} s: {records_per_sec:.1} records/s ({mb_per_sec:.2} MB/s), \
             client CPU {cpu:.2} s ({cpu_us_per_record:.2} µs/record), peak RSS {rss:.1} MB, {} errors",
            self.records, self.errors
        );
        println!(
            "RESULT {} records={} record_size={} elapsed_s={secs:.3} records_per_sec={records_per_sec:.1} \
             mb_per_sec={mb_per_sec:.3} cpu_s={cpu:.2} cpu_us_per_record={cpu_us_per_record:.3} \
             peak_rss_mb={rss:.1} errors={}",
            self.label, self.records, self.record_size, self.errors
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_stat() {
        let stat = "1234 (my (odd) cmd) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0";
        assert_eq!(cpu_seconds(stat), Some(3.0));
    }

    #[test]
    fn parses_proc_status() {
        let status = "Name:\tkrafka\nVmPeak:\t  9000 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n";
        assert_eq!(peak_rss_mb(status), Some(2.0));
    }

    #[test]
    fn payload_has_the_size() {
        assert_eq!(payload(100).len(), 100);
        assert!(payload(100).iter().all(u8::is_ascii_uppercase));
    }
}
