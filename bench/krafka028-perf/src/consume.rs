//! The consume workload: a consumer without a group (nothing committed)
//! assigned every partition of the topic, starting at the earliest offset,
//! polled until N records were read. The clock starts after the metadata is
//! loaded and the partitions assigned, right before the first poll, and
//! stops at the Nth record. Bytes are key plus value bytes.
//!
//! `-X` properties taken (Java names, 0.28 builder methods): fetch.min.bytes,
//! fetch.max.bytes, max.partition.fetch.bytes, fetch.max.wait.ms,
//! max.poll.records.

use std::time::{Duration, Instant};

use krafka::consumer::{AutoOffsetReset, ConsumerBuilder};
use krafka::Kafka;

use crate::{number, Args, Outcome};

/// How long one poll waits before checking the idle timeout.
const POLL: Duration = Duration::from_millis(100);

fn configure(mut builder: ConsumerBuilder, args: &Args) -> Result<ConsumerBuilder, String> {
    for (key, value) in &args.properties {
        builder = match key.as_str() {
            "fetch.min.bytes" => builder.fetch_min_bytes(number(key, value)?),
            "fetch.max.bytes" => builder.fetch_max_bytes(number(key, value)?),
            "max.partition.fetch.bytes" => builder.max_partition_fetch_bytes(number(key, value)?),
            "fetch.max.wait.ms" => {
                builder.fetch_max_wait(Duration::from_millis(number(key, value)?))
            }
            "max.poll.records" => builder.max_poll_records(number(key, value)?),
            _ => {
                return Err(format!(
                    "{key}: not a consumer property krafka028-perf maps"
                ))
            }
        };
    }
    Ok(builder)
}

pub(crate) async fn run(args: &Args) -> Result<Outcome, String> {
    let kafka = Kafka::builder(args.bootstrap.as_str())
        .client_id("krafka028-perf")
        .connect()
        .await
        .map_err(|e| format!("connecting: {e}"))?;
    let consumer = configure(
        kafka
            .consumer_without_group()
            .auto_offset_reset(AutoOffsetReset::Earliest),
        args,
    )?
    .build()
    .await
    .map_err(|e| format!("creating the consumer: {e}"))?;
    let metadata = consumer
        .fetch_metadata(Some(&args.topic))
        .await
        .map_err(|e| format!("metadata: {e}"))?;
    let topic = metadata
        .topics
        .iter()
        .find(|t| t.name == args.topic)
        .ok_or_else(|| format!("no metadata for {}", args.topic))?;
    let mut partitions: Vec<_> = topic.partitions.keys().copied().collect();
    if partitions.is_empty() {
        return Err(format!("topic {} has no partitions", args.topic));
    }
    partitions.sort_unstable();
    consumer
        .assign(&args.topic, partitions)
        .await
        .map_err(|e| format!("assign: {e}"))?;

    let started = Instant::now();
    let mut last_record = started;
    let (mut records, mut bytes) = (0u64, 0u64);
    while records < args.num_records {
        let batch = consumer
            .poll(POLL)
            .await
            .map_err(|e| format!("poll after {records} records: {e}"))?;
        if batch.is_empty() {
            if last_record.elapsed() >= args.idle_timeout {
                return Err(format!(
                    "no record for {:?} after {records} of {}",
                    args.idle_timeout, args.num_records
                ));
            }
            continue;
        }
        last_record = Instant::now();
        let wanted = usize::try_from(args.num_records - records).unwrap_or(usize::MAX);
        for record in batch.iter().take(wanted) {
            bytes += record.key.as_ref().map_or(0, |k| k.len() as u64);
            bytes += record.value.as_ref().map_or(0, |v| v.len() as u64);
            records += 1;
        }
    }
    let elapsed = started.elapsed();
    let outcome = Outcome::measure(records, bytes, elapsed, 0);
    let _ = consumer.close().await;
    Ok(outcome)
}
