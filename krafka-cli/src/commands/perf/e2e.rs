//! `krafka perf e2e`: end-to-end latency. One process produces N records
//! to a topic at a fixed rate (`--throughput`) and reads them back with a
//! consumer assigned every partition at its end, measuring for each record
//! the time from its due time on the producer's schedule to the moment a
//! `poll` hands it to the consumer. The due time travels in the record's
//! first 8 bytes (nanoseconds after the run's start, little-endian: one
//! process, one monotonic clock); the rest of the value is the same
//! payload as `perf produce`.

use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Args;
use krafka::ConsumerConfig;

use super::fixed_rate::spawn_sender;
use super::histogram::Histogram;
use super::pacer::Pacer;
use super::produce::{self, ProduceArgs};
use super::progress::Progress;
use super::report::{Report, Usage, all_delivered};
use crate::commands::chain;
use crate::commands::consume::assigned_consumer;

/// How long one poll waits before the idle timeout is looked at again.
const POLL_WAIT: Duration = Duration::from_millis(200);

/// Bytes of the due time at the start of each value.
const STAMP: usize = 8;

#[derive(Args)]
pub struct E2eArgs {
    #[command(flatten)]
    produce: ProduceArgs,
    /// Give up when no record has arrived for this long (milliseconds).
    #[arg(long, default_value_t = 10_000)]
    idle_timeout_ms: u64,
}

/// The value of a record due `since_start` after the start.
fn stamped(payload: &[u8], since_start: Duration) -> Bytes {
    let mut value = payload.to_vec();
    let nanos = u64::try_from(since_start.as_nanos()).unwrap_or(u64::MAX);
    value[..STAMP].copy_from_slice(&nanos.to_le_bytes());
    Bytes::from(value)
}

/// The due time in a value made by [`stamped`].
fn stamp(value: &[u8]) -> Option<Duration> {
    let bytes: [u8; STAMP] = value.get(..STAMP)?.try_into().ok()?;
    Some(Duration::from_nanos(u64::from_le_bytes(bytes)))
}

pub async fn run(args: E2eArgs) -> Result<(), String> {
    let E2eArgs {
        produce,
        idle_timeout_ms,
    } = args;
    let Some(pacer) = Pacer::new(produce.throughput) else {
        return Err("perf e2e needs --throughput <records/s> (a positive rate)".to_owned());
    };
    if produce.record_size < STAMP {
        return Err(format!(
            "perf e2e needs --record-size of at least {STAMP} (the due time travels in the value)"
        ));
    }
    let Some(consumer_config) = produce
        .run
        .connect
        .config::<ConsumerConfig>("perf e2e's consumer", [])?
    else {
        return Ok(());
    };
    let Some(producer) = produce::start(&produce).await? else {
        return Ok(());
    };
    let run = &produce.run;
    let (consumer, partitions) =
        assigned_consumer(consumer_config, std::slice::from_ref(&run.topic), &[]).await?;
    // Positioned (ListOffsets answered) before the first record is sent: a
    // seek to a partition whose leader is not ready yet (a topic just made)
    // stays pending, and would later skip the records sent meanwhile.
    consumer
        .seek_to_end(&partitions)
        .await
        .map_err(|e| format!("seeking to the end of {}: {}", run.topic, chain(&e)))?;
    for tp in &partitions {
        consumer
            .position(tp)
            .await
            .map_err(|e| format!("the end of {tp}: {}", chain(&e)))?;
    }

    let payload = produce::payload(produce.record_size);
    let start = Instant::now();
    let mut sender = spawn_sender(
        producer.clone(),
        run.topic.clone(),
        pacer,
        start,
        run.num_records,
        move |due| stamped(&payload, due.saturating_duration_since(start)),
        None,
    );
    let mut sender_done = false;
    let idle_limit = Duration::from_millis(idle_timeout_ms);
    let progress = Progress::new(run.quiet, "e2e", run.num_records);
    let mut latency = Histogram::new();
    let (mut records, mut bytes, mut foreign) = (0u64, 0u64, 0u64);
    let mut last_record = Instant::now();
    while records < run.num_records {
        let batch = consumer
            .poll(POLL_WAIT)
            .await
            .map_err(|e| format!("after {records} records: {}", chain(&e)))?;
        let now = Instant::now();
        if batch.is_empty() {
            if !sender_done && sender.is_finished() {
                sender_done = true;
                (&mut sender)
                    .await
                    .map_err(|e| format!("the sending thread failed: {e}"))??;
            }
            if now.duration_since(last_record) >= idle_limit {
                progress.finish();
                return Err(format!(
                    "only {records} of {} records arrived (none in the last {:.1} s)",
                    run.num_records,
                    idle_limit.as_secs_f64()
                ));
            }
            continue;
        }
        last_record = now;
        for record in &batch {
            if records == run.num_records {
                break;
            }
            let value = record.value.as_deref().unwrap_or_default();
            // A value this run did not write may hold anything.
            let due = stamp(value).and_then(|since_start| start.checked_add(since_start));
            let Some(due) = due.filter(|due| *due <= now) else {
                foreign += 1;
                continue;
            };
            latency.record_duration(now.duration_since(due));
            bytes = bytes.saturating_add(value.len() as u64);
            records += 1;
        }
        progress.set(records, bytes);
    }
    let elapsed = start.elapsed();
    if !sender_done {
        sender
            .await
            .map_err(|e| format!("the sending thread failed: {e}"))??;
    }
    producer.flush().await;
    let counts = producer.delivery_counts();
    progress.finish();
    let _ = consumer.close().await;
    producer
        .close()
        .await
        .map_err(|e| format!("closing the producer: {}", chain(&e)))?;

    let report = Report {
        label: &run.label,
        verb: "received",
        records,
        bytes,
        record_size: produce.record_size,
        elapsed,
        usage: Usage::now(),
        errors: counts.failed + foreign,
        latency: latency.percentiles().map(|p| ("end-to-end", p)),
    };
    report.print()?;
    all_delivered(
        run.num_records,
        counts.delivered,
        counts.failed,
        counts.first_error.as_ref(),
    )?;
    if foreign > 0 {
        return Err(format!(
            "{foreign} records on {} were not written by this run (no due time in their value)",
            run.topic
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_due_time_travels_in_the_value() {
        let payload = produce::payload(100);
        let value = stamped(&payload, Duration::from_nanos(1_234_567_890_123));
        assert_eq!(value.len(), 100);
        assert_eq!(value[STAMP..], payload[STAMP..]);
        assert_eq!(stamp(&value), Some(Duration::from_nanos(1_234_567_890_123)));
        assert_eq!(stamp(b"short"), None);
    }
}
