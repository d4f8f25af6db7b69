//! `krafka perf produce`: a producer throughput benchmark; with
//! `--throughput`, a latency benchmark at that fixed rate.

use std::time::Instant;

use bytes::Bytes;
use clap::Args;
use krafka::{ErrorCode, NewTopic, Producer, ProducerConfig, ProducerRecord};

use super::RunArgs;
use super::fixed_rate;
use super::pacer::Pacer;
use super::progress::Progress;
use super::report::{Report, Usage, all_delivered};
use crate::commands::{chain, connect};

#[derive(Args)]
pub struct ProduceArgs {
    #[command(flatten)]
    pub(super) run: RunArgs,
    /// Records per second: send on that fixed schedule and report the
    /// latency percentiles, each record measured from its due time (not
    /// from when a late sender got to it) to its acknowledgement. -1 (the
    /// default): as fast as the producer takes them, no latencies.
    #[arg(long, default_value_t = -1.0, allow_negative_numbers = true)]
    pub(super) throughput: f64,
    /// Value size in bytes (records have no key; at most `max.request.size`).
    #[arg(long, default_value_t = 100)]
    pub(super) record_size: usize,
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
}

fn config(args: &ProduceArgs) -> Result<Option<ProducerConfig>, String> {
    let Some(config) = args.run.connect.config::<ProducerConfig>(
        "perf produce",
        [
            ("acks", args.acks.clone()),
            ("linger.ms", args.linger_ms.map(|v| v.to_string())),
            ("batch.size", args.batch_size.map(|v| v.to_string())),
            ("compression.type", args.compression.clone()),
        ],
    )?
    else {
        return Ok(None);
    };
    if args.record_size > config.max_request_size {
        return Err(format!(
            "--record-size {} is larger than max.request.size ({} bytes)",
            args.record_size, config.max_request_size
        ));
    }
    Ok(Some(config))
}

/// Creates the topic unless it exists and starts a producer that knows its
/// metadata; `None` when `-X list` or `-X dump` was answered instead.
pub(super) async fn start(args: &ProduceArgs) -> Result<Option<Producer>, String> {
    let Some(config) = config(args)? else {
        return Ok(None);
    };
    let run = &args.run;
    let kafka = connect::kafka(config.client.clone()).await?;
    let topic = NewTopic::new(&run.topic, args.partitions, args.replication_factor);
    match kafka.admin().create_topics(&[topic]).await {
        Err(e) if e.error_code() != Some(ErrorCode::TopicAlreadyExists) => {
            return Err(format!("creating topic {}: {}", run.topic, chain(&e)));
        }
        _ => {}
    }
    let producer = kafka
        .producer(config)
        .await
        .map_err(|e| format!("starting the producer: {}", chain(&e)))?;
    // Load the topic's metadata before the clock starts (what the other
    // tools do while connecting), so try_send has it.
    producer
        .cluster()
        .topic_metadata(&run.topic)
        .await
        .map_err(|e| format!("metadata of {}: {}", run.topic, chain(&e)))?;
    Ok(Some(producer))
}

pub async fn run(args: ProduceArgs) -> Result<(), String> {
    let Some(producer) = start(&args).await? else {
        return Ok(());
    };
    let run = &args.run;
    // One payload for the whole run, shared by every record without a
    // reference count (what a user sending a fixed message would do).
    let value = Bytes::from_static(payload(args.record_size).leak());
    let record_bytes = args.record_size as u64;
    let progress = Progress::new(run.quiet, "produce", run.num_records);
    if let Some(pacer) = Pacer::new(args.throughput) {
        return fixed_rate_run(&args, producer, pacer, value, progress).await;
    }
    let started = Instant::now();
    for sent in 0..run.num_records {
        let record = ProducerRecord::new(run.topic.as_str()).value(value.clone());
        // The non-blocking path; outcomes are counted per batch by the
        // producer (`delivery_counts`), so the futures are not kept.
        if producer.try_send(record).is_err() {
            // buffer.memory is full (or another failure, which `send`
            // reports): wait for room like a blocking send.
            let record = ProducerRecord::new(run.topic.as_str()).value(value.clone());
            let _delivery = producer
                .send(record)
                .await
                .map_err(|e| format!("sending to {}: {}", run.topic, chain(&e)))?;
        }
        if sent & 0xfff == 0 {
            let counts = producer.delivery_counts();
            let done = counts.delivered + counts.failed;
            progress.set(done, done.saturating_mul(record_bytes));
        }
    }
    producer.flush().await;
    let elapsed = started.elapsed();
    let counts = producer.delivery_counts();
    producer
        .close()
        .await
        .map_err(|e| format!("closing the producer: {}", chain(&e)))?;
    progress.finish();

    let report = Report {
        label: &run.label,
        verb: "sent",
        records: run.num_records,
        bytes: run.num_records.saturating_mul(record_bytes),
        record_size: args.record_size,
        elapsed,
        usage: Usage::now(),
        errors: counts.failed,
        latency: None,
    };
    report.print()?;
    all_delivered(
        run.num_records,
        counts.delivered,
        counts.failed,
        counts.first_error.as_ref(),
    )
}

/// `--throughput`: the records on the pacer's schedule, each one's latency
/// to its acknowledgement in the report.
async fn fixed_rate_run(
    args: &ProduceArgs,
    producer: Producer,
    pacer: Pacer,
    value: Bytes,
    progress: Progress,
) -> Result<(), String> {
    let run = &args.run;
    let acked = fixed_rate::produce(
        &producer,
        &run.topic,
        pacer,
        run.num_records,
        value,
        &progress,
    )
    .await?;
    producer
        .close()
        .await
        .map_err(|e| format!("closing the producer: {}", chain(&e)))?;
    progress.finish();
    let delivered = acked.latency.count();
    let report = Report {
        label: &run.label,
        verb: "sent",
        records: run.num_records,
        bytes: run.num_records.saturating_mul(args.record_size as u64),
        record_size: args.record_size,
        elapsed: acked.elapsed,
        usage: Usage::now(),
        errors: acked.failed,
        latency: acked.latency.percentiles().map(|p| ("produce", p)),
    };
    report.print()?;
    all_delivered(
        run.num_records,
        delivered,
        acked.failed,
        acked.first_error.as_ref(),
    )
}

/// Deterministic printable bytes (like Java's perf tool, random letters
/// would work as well; the content does not matter without compression
/// beyond being not trivially compressible).
pub(super) fn payload(size: usize) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_has_the_size() {
        assert_eq!(payload(100).len(), 100);
        assert!(payload(100).iter().all(u8::is_ascii_uppercase));
    }
}
