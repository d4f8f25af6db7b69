//! `krafka perf consume`: a consumer throughput benchmark. Reads a topic
//! from the beginning of every partition with [`Consumer::poll`](krafka::Consumer::poll) until N
//! records have arrived.

use std::time::{Duration, Instant};

use clap::Args;
use krafka::ConsumerConfig;

use super::RunArgs;
use super::progress::Progress;
use super::report::{Report, Usage};
use crate::commands::chain;
use crate::commands::consume::assigned_consumer;

/// How long one poll waits before the idle timeout is looked at again.
const POLL_WAIT: Duration = Duration::from_millis(200);

#[derive(Args)]
pub struct ConsumeArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Give up when no record has arrived for this long (milliseconds).
    #[arg(long, default_value_t = 10_000)]
    idle_timeout_ms: u64,
    /// Join this consumer group and read what it assigns (from the
    /// committed offsets, else the beginning; auto-commit on) instead of
    /// assigning every partition; the clock starts at the first record (the
    /// join excluded, as in Java's fetch.* figures).
    #[arg(long)]
    group: Option<String>,
}

pub async fn run(args: ConsumeArgs) -> Result<(), String> {
    let ConsumeArgs {
        run,
        idle_timeout_ms,
        group,
    } = args;
    let Some(mut config) = run.connect.config::<ConsumerConfig>("perf consume", [])? else {
        return Ok(());
    };
    let consumer = match &group {
        Some(group) => {
            for (key, value) in [
                ("group.id", group.as_str()),
                ("auto.offset.reset", "earliest"),
            ] {
                config.set(key, value).map_err(|e| chain(&e))?;
            }
            let kafka = crate::commands::connect::kafka(config.client.clone()).await?;
            let consumer = kafka.consumer(config).map_err(|e| chain(&e))?;
            consumer
                .subscribe([run.topic.as_str()])
                .await
                .map_err(|e| format!("joining group {group}: {}", chain(&e)))?;
            consumer
        }
        None => {
            let (consumer, partitions) =
                assigned_consumer(config, std::slice::from_ref(&run.topic), &[]).await?;
            consumer
                .seek_to_beginning(&partitions)
                .await
                .map_err(|e| format!("seeking to the beginning of {}: {}", run.topic, chain(&e)))?;
            consumer
        }
    };

    let idle_limit = Duration::from_millis(idle_timeout_ms);
    let progress = Progress::new(run.quiet, "consume", run.num_records);
    let mut started = Instant::now();
    let mut last_record = started;
    let (mut records, mut bytes) = (0u64, 0u64);
    while records < run.num_records {
        let batch = consumer
            .poll(POLL_WAIT)
            .await
            .map_err(|e| format!("after {records} records: {}", chain(&e)))?;
        if batch.is_empty() {
            if last_record.elapsed() >= idle_limit {
                progress.finish();
                return Err(format!(
                    "only {records} of {} records arrived (none in the last {:.1} s)",
                    run.num_records,
                    idle_limit.as_secs_f64()
                ));
            }
            continue;
        }
        last_record = Instant::now();
        if records == 0 && group.is_some() {
            started = last_record;
        }
        let wanted = usize::try_from(run.num_records - records).unwrap_or(usize::MAX);
        for record in batch.iter().take(wanted) {
            let key = record.key.as_ref().map_or(0, |k| k.len());
            let value = record.value.as_ref().map_or(0, |v| v.len());
            bytes = bytes.saturating_add((key + value) as u64);
            records += 1;
        }
        progress.set(records, bytes);
    }
    let elapsed = started.elapsed();
    progress.finish();
    let _ = consumer.close().await;

    let report = Report {
        label: &run.label,
        verb: "received",
        records,
        bytes,
        record_size: usize::try_from(bytes / records.max(1)).unwrap_or(usize::MAX),
        elapsed,
        usage: Usage::now(),
        errors: 0,
        latency: None,
    };
    report.print()
}
