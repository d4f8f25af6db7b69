//! The consume workload: a `BaseConsumer` (no group join, no commits) assigned
//! every partition of the topic at its beginning, polled one message at a
//! time until N records were read. librdkafka prefetches on its own threads
//! with its defaults (`queued.min.messages`, `fetch.max.bytes`, ...; `-X`
//! to change them). The clock starts after the metadata is loaded and the
//! partitions assigned, right before the first poll, and stops at the Nth
//! record. Bytes are key plus value bytes, like Java's ConsumerPerformance.
//!
//! With `--group`, the consumer subscribes as a member of that group
//! (auto.offset.reset=earliest, librdkafka's auto-commit on) and the clock
//! starts at the first record, so that the group join is excluded as in
//! Java's `fetch.*` figures.

use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};

use crate::{Args, Outcome};

/// How long one poll waits before checking the idle timeout.
const POLL: Duration = Duration::from_millis(100);

pub(crate) fn run(args: &Args) -> Result<Outcome, String> {
    let mut config = ClientConfig::new();
    // librdkafka's assign wants a group.id even though no group is joined
    // and nothing is committed.
    let own_group = format!("rdkafka-perf-{}", std::process::id());
    config
        .set("bootstrap.servers", &args.bootstrap)
        .set("group.id", args.group.as_deref().unwrap_or(&own_group));
    if args.group.is_some() {
        config.set("auto.offset.reset", "earliest");
    } else {
        config
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false");
    }
    for (k, v) in &args.properties {
        config.set(k, v);
    }
    let consumer: BaseConsumer = config
        .create()
        .map_err(|e| format!("creating the consumer: {e}"))?;
    if args.group.is_some() {
        consumer
            .subscribe(&[args.topic.as_str()])
            .map_err(|e| format!("subscribe: {e}"))?;
        return read(&consumer, args, true);
    }
    let metadata = consumer
        .fetch_metadata(Some(&args.topic), Duration::from_secs(30))
        .map_err(|e| format!("metadata: {e}"))?;
    let topic = metadata
        .topics()
        .iter()
        .find(|t| t.name() == args.topic)
        .ok_or_else(|| format!("no metadata for {}", args.topic))?;
    if let Some(error) = topic.error() {
        return Err(format!("topic {}: {error:?}", args.topic));
    }
    let mut assignment = TopicPartitionList::new();
    for partition in topic.partitions() {
        assignment
            .add_partition_offset(&args.topic, partition.id(), Offset::Beginning)
            .map_err(|e| format!("assignment: {e}"))?;
    }
    if assignment.count() == 0 {
        return Err(format!("topic {} has no partitions", args.topic));
    }
    consumer
        .assign(&assignment)
        .map_err(|e| format!("assign: {e}"))?;
    read(&consumer, args, false)
}

/// Polls until N records; the clock starts now, or at the first record with
/// `from_first_record`.
fn read(consumer: &BaseConsumer, args: &Args, from_first_record: bool) -> Result<Outcome, String> {
    let mut started = Instant::now();
    let mut records = 0u64;
    let mut bytes = 0u64;
    let mut errors = 0u64;
    let mut last_record = Instant::now();
    while records < args.num_records {
        match consumer.poll(POLL) {
            Some(Ok(message)) => {
                if records == 0 && from_first_record {
                    started = Instant::now();
                }
                records += 1;
                bytes += message.payload_len() as u64;
                bytes += message.key().map_or(0, |k| k.len() as u64);
                last_record = Instant::now();
            }
            Some(Err(e)) => {
                if errors == 0 {
                    eprintln!("rdkafka-perf: first consume error: {e}");
                }
                errors += 1;
            }
            None => {
                if last_record.elapsed() >= args.idle_timeout {
                    return Err(format!(
                        "no record for {:?} after {records} of {}",
                        args.idle_timeout, args.num_records
                    ));
                }
            }
        }
    }
    let elapsed = started.elapsed();
    Ok(Outcome::measure(records, bytes, elapsed, errors))
}
