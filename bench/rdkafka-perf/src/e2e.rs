//! The end-to-end latency workload, the same as `krafka perf e2e`: one
//! process produces N records at `--throughput` records/s (the fixed-rate
//! producer of `latency.rs`, on its own thread) and reads them back with a
//! `BaseConsumer` assigned every partition at its high watermark (no group
//! join, nothing committed), polled one message at a time on the main
//! thread. Each record's latency runs from its due time on the schedule to
//! the moment `poll` returns it; the due time travels in the value's first
//! 8 bytes (nanoseconds after the start, little-endian), the rest of the
//! value is the produce workload's payload.

use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};

use crate::histogram::Histogram;
use crate::latency::{self, Timing};
use crate::pacer::Pacer;
use crate::{Args, Outcome};

/// How long one poll waits before checking the idle timeout.
const POLL: Duration = Duration::from_millis(100);

/// Bytes of the due time at the start of each value.
const STAMP: usize = 8;

/// A consumer reading every partition of the topic from its end now.
fn consumer_at_end(args: &Args) -> Result<BaseConsumer, String> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &args.bootstrap)
        // librdkafka's assign wants a group.id even though no group is
        // joined and nothing is committed.
        .set("group.id", format!("rdkafka-perf-{}", std::process::id()))
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .create()
        .map_err(|e| format!("creating the consumer: {e}"))?;
    let metadata = consumer
        .fetch_metadata(Some(&args.topic), Duration::from_secs(30))
        .map_err(|e| format!("metadata: {e}"))?;
    let topic = metadata
        .topics()
        .iter()
        .find(|t| t.name() == args.topic)
        .ok_or_else(|| format!("no metadata for {}", args.topic))?;
    let mut assignment = TopicPartitionList::new();
    for partition in topic.partitions() {
        // The end as an offset, not Offset::End, which librdkafka looks up
        // after the assignment, when the first records may be written.
        let (_, high) = consumer
            .fetch_watermarks(&args.topic, partition.id(), Duration::from_secs(30))
            .map_err(|e| format!("watermarks: {e}"))?;
        assignment
            .add_partition_offset(&args.topic, partition.id(), Offset::Offset(high))
            .map_err(|e| format!("assignment: {e}"))?;
    }
    if assignment.count() == 0 {
        return Err(format!("topic {} has no partitions", args.topic));
    }
    consumer
        .assign(&assignment)
        .map_err(|e| format!("assign: {e}"))?;
    Ok(consumer)
}

pub(crate) fn run(args: &Args, pacer: Pacer) -> Result<Outcome, String> {
    if args.record_size < STAMP {
        return Err(format!("e2e needs --record-size of at least {STAMP}"));
    }
    // The producer first: its priming records are then behind the
    // consumer's starting offsets.
    let producer = latency::producer(args, Timing::new(pacer, false))?;
    let consumer = consumer_at_end(args)?;
    let value = crate::produce::payload(args.record_size);
    let start = Instant::now();
    std::thread::scope(|scope| {
        let sender = scope.spawn(|| {
            latency::send_on_schedule(&producer, args, pacer, start, value, |due, value| {
                let nanos = u64::try_from(due.duration_since(start).as_nanos()).unwrap_or(u64::MAX);
                value[..STAMP].copy_from_slice(&nanos.to_le_bytes());
            })
        });
        let received = receive(&consumer, args, start, || sender.is_finished());
        let sent = sender
            .join()
            .map_err(|_| "the sending thread panicked".to_owned())?;
        sent?;
        let (records, bytes, elapsed, mut errors, histogram) = received?;
        let (delivered, failed) = latency::settle(&producer, args.num_records);
        if delivered != args.num_records {
            eprintln!(
                "rdkafka-perf: only {delivered} delivered and {failed} failed of {}",
                args.num_records
            );
        }
        errors += failed;
        let mut outcome = Outcome::measure(records, bytes, elapsed, errors);
        outcome.latency = histogram
            .percentiles()
            .map(|p| (p.summary("end-to-end"), p.result_fields()));
        Ok(outcome)
    })
}

type Received = (u64, u64, Duration, u64, Histogram);

/// Polls until N records came (fails when none came for the idle timeout
/// after the sender is done).
fn receive(
    consumer: &BaseConsumer,
    args: &Args,
    start: Instant,
    sender_done: impl Fn() -> bool,
) -> Result<Received, String> {
    let mut histogram = Histogram::new();
    let (mut records, mut bytes, mut errors) = (0u64, 0u64, 0u64);
    let mut last_record = Instant::now();
    while records < args.num_records {
        match consumer.poll(POLL) {
            Some(Ok(message)) => {
                let now = Instant::now();
                last_record = now;
                let value = message.payload().unwrap_or_default();
                let due = value
                    .get(..STAMP)
                    .and_then(|b| <[u8; STAMP]>::try_from(b).ok())
                    .and_then(|b| start.checked_add(Duration::from_nanos(u64::from_le_bytes(b))))
                    .filter(|due| *due <= now);
                match due {
                    Some(due) => {
                        histogram.record_duration(now.duration_since(due));
                        records += 1;
                        bytes += value.len() as u64;
                    }
                    None => errors += 1,
                }
            }
            Some(Err(e)) => {
                if errors == 0 {
                    eprintln!("rdkafka-perf: first consume error: {e}");
                }
                errors += 1;
            }
            None => {
                if sender_done() && last_record.elapsed() >= args.idle_timeout {
                    return Err(format!(
                        "no record for {:?} after {records} of {}",
                        args.idle_timeout, args.num_records
                    ));
                }
            }
        }
    }
    Ok((records, bytes, start.elapsed(), errors, histogram))
}
