//! `krafka consume`: records of a topic to standard output, formatted with
//! `-f` (kcat's format directives) or as JSON lines (`-J`), from where `-o`
//! says, until `-c` records, the end of every partition (`-e`), Ctrl-C or
//! a closed pipe.

use std::time::Duration;

use clap::Args;
use krafka::{Consumer, ConsumerConfig, ConsumerRecord, TopicPartition};

use super::connect::{self, ConnectArgs};
use super::delimiters::Delimiters;
use super::format::{Format, Piece, RecordFields};
use super::json;
use super::offset_spec::OffsetSpec;
use super::output::{Stdout, note};
use super::topic_check::existing_topic;

/// How long one poll waits before the loop looks at `-e` and Ctrl-C again.
const POLL_WAIT: Duration = Duration::from_millis(100);

#[derive(Args, Debug)]
pub struct ConsumeArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic.
    #[arg(short = 't', long)]
    topic: String,
    /// Consume as a member of consumer group GROUP (kcat's balanced mode):
    /// the group assigns the partitions of `-t` and of the topics given
    /// after the options; each starts at the group's committed offset, else
    /// where `-o beginning|end` says; positions are committed every
    /// `auto.commit.interval.ms` and on exit.
    #[arg(short = 'G', long = "group", conflicts_with = "partitions")]
    group: Option<String>,
    /// More topics for the group (with `-G`).
    #[arg(requires = "group")]
    more_topics: Vec<String>,
    /// Only this partition (repeatable; default: every partition).
    #[arg(short = 'p', long = "partition")]
    partitions: Vec<i32>,
    /// Where to start: beginning, end, stored (the group's committed
    /// offsets, with -G), <offset>, -<N> (the last N of each partition) or
    /// s@<unix ms> (the first record at or after it).
    #[arg(
        short = 'o',
        long,
        default_value = "beginning",
        allow_hyphen_values = true,
        value_parser = parse_offset
    )]
    offset: OffsetSpec,
    /// Stop after this many records.
    #[arg(short = 'c', long)]
    count: Option<u64>,
    /// Exit once every partition has been read to its end (the end it had
    /// when reading started, or a later one the fetches saw); fail when no
    /// partition moves toward it for `default.api.timeout.ms`.
    #[arg(short = 'e', long = "exit")]
    exit_at_end: bool,
    /// Output format: %t topic, %p partition, %o offset, %k key, %s value,
    /// %T timestamp (ms), %h headers, %K / %S key / value length, %%, \n, \t
    /// (default: %s<-D>, or %k<-K>%s<-D> with -K; -f replaces -K and -D).
    #[arg(short = 'f', long, conflicts_with = "json")]
    format: Option<String>,
    /// One JSON object per line and record, with kcat's field names (topic,
    /// partition, offset, tstype, ts, headers, key, payload).
    #[arg(short = 'J', long)]
    json: bool,
    #[command(flatten)]
    delimiters: Delimiters,
    /// Print null keys and values as NULL (with -f and the default format).
    #[arg(short = 'Z', long = "null")]
    null: bool,
    /// No record count on stderr at the end.
    #[arg(short = 'q', long)]
    quiet: bool,
}

fn parse_offset(text: &str) -> Result<OffsetSpec, String> {
    text.parse()
}

/// How a record is written.
enum Writer {
    Format(Format),
    Json,
}

pub fn run(args: ConsumeArgs) -> Result<(), String> {
    let writer = writer(&args)?;
    let config = ConsumerConfig::from_properties(args.connect.all_properties()?)
        .map_err(|e| super::chain(&e))?;
    connect::runtime()?.block_on(consume(args, config, writer))
}

fn writer(args: &ConsumeArgs) -> Result<Writer, String> {
    if args.json {
        return Ok(Writer::Json);
    }
    let format = match &args.format {
        Some(format) => Format::parse(format)?,
        None => {
            let mut pieces = Vec::new();
            if let Some(delimiter) = args.delimiters.key()? {
                pieces.push(Piece::Key);
                pieces.push(Piece::Literal(delimiter));
            }
            pieces.push(Piece::Value);
            pieces.push(Piece::Literal(args.delimiters.record()?));
            Format::from_pieces(pieces)
        }
    };
    Ok(Writer::Format(if args.null {
        format.null_as("NULL")
    } else {
        format
    }))
}

/// Connects, checks that `topic` (and each partition of `only`) exists, and
/// assigns its partitions (`only`, or every one when `only` is empty) to a
/// new consumer.
pub async fn assigned_consumer(
    config: ConsumerConfig,
    topic: &str,
    only: &[i32],
) -> Result<(Consumer, Vec<TopicPartition>), String> {
    let kafka = connect::kafka(config.client.clone()).await?;
    let metadata = existing_topic(&kafka.admin(), topic, only).await?;
    let partitions: Vec<TopicPartition> = if only.is_empty() {
        metadata
            .partitions
            .iter()
            .map(|p| TopicPartition::new(topic, p.partition))
            .collect()
    } else {
        only.iter()
            .map(|p| TopicPartition::new(topic, *p))
            .collect()
    };
    let consumer = kafka
        .consumer(config)
        .map_err(|e| format!("starting the consumer: {e}"))?;
    consumer
        .assign(partitions.iter().cloned())
        .await
        .map_err(|e| format!("assigning {topic}: {}", super::chain(&e)))?;
    Ok((consumer, partitions))
}

async fn consume(args: ConsumeArgs, config: ConsumerConfig, writer: Writer) -> Result<(), String> {
    if let Some(group) = args.group.clone() {
        return consume_in_group(args, config, writer, &group).await;
    }
    if args.offset == OffsetSpec::Stored {
        return Err(
            "-o stored reads a consumer group's committed offsets: name the group with -G".into(),
        );
    }
    let (consumer, partitions) = assigned_consumer(config, &args.topic, &args.partitions).await?;
    seek(&consumer, &partitions, args.offset)
        .await
        .map_err(|e| format!("seeking to {}: {}", args.offset, super::chain(&e)))?;

    let ends = if args.exit_at_end {
        consumer
            .end_offsets(&partitions)
            .await
            .map_err(|e| format!("end offsets of {}: {}", args.topic, super::chain(&e)))?
    } else {
        Vec::new()
    };

    let mut out = Stdout::new();
    let outcome = read_loop(&consumer, &ends, &args, &writer, &mut out).await;
    let flushed = out.finish();
    // Nothing to hand back: the records are written, the fetches stop.
    let _ = consumer.close().await;
    let count = outcome?;
    flushed?;
    if !args.quiet {
        note(&format!("{count} records consumed from {}", args.topic));
    }
    Ok(())
}

/// `-G`: joins the group for the topics and writes what the group assigns.
async fn consume_in_group(
    args: ConsumeArgs,
    mut config: ConsumerConfig,
    writer: Writer,
    group: &str,
) -> Result<(), String> {
    let reset = match args.offset {
        OffsetSpec::Beginning | OffsetSpec::Stored => "earliest",
        OffsetSpec::End => "latest",
        other => {
            return Err(format!(
                "-o {other} does not go with -G: a group starts at its committed offsets (-o stored), else at the beginning or end"
            ));
        }
    };
    for (key, value) in [("group.id", group), ("auto.offset.reset", reset)] {
        config.set(key, value).map_err(|e| super::chain(&e))?;
    }
    let mut topics = vec![args.topic.clone()];
    topics.extend(args.more_topics.iter().cloned());
    let kafka = connect::kafka(config.client.clone()).await?;
    for topic in &topics {
        existing_topic(&kafka.admin(), topic, &[]).await?;
    }
    let consumer = kafka
        .consumer(config)
        .map_err(|e| format!("starting the consumer: {}", super::chain(&e)))?;
    consumer
        .subscribe(topics.iter().cloned())
        .await
        .map_err(|e| format!("joining group {group}: {}", super::chain(&e)))?;
    let mut out = Stdout::new();
    let outcome = read_loop(&consumer, &[], &args, &writer, &mut out).await;
    let flushed = out.finish();
    // Commits the positions (with enable.auto.commit) and leaves the group.
    let closed = consumer.close().await;
    let count = outcome?;
    flushed?;
    closed.map_err(|e| format!("leaving group {group}: {}", super::chain(&e)))?;
    if !args.quiet {
        note(&format!(
            "{count} records consumed from {} in group {group}",
            topics.join(", ")
        ));
    }
    Ok(())
}

/// Moves every partition where `-o` says.
async fn seek(
    consumer: &Consumer,
    partitions: &[TopicPartition],
    spec: OffsetSpec,
) -> Result<(), krafka::KrafkaError> {
    match spec {
        OffsetSpec::Beginning => consumer.seek_to_beginning(partitions).await,
        OffsetSpec::End => consumer.seek_to_end(partitions).await,
        OffsetSpec::Stored => Ok(()),
        OffsetSpec::Absolute(offset) => {
            for tp in partitions {
                consumer.seek(tp, offset).await?;
            }
            Ok(())
        }
        OffsetSpec::FromEnd(n) => {
            let beginnings = consumer.beginning_offsets(partitions).await?;
            let ends = consumer.end_offsets(partitions).await?;
            for (tp, end) in ends {
                let beginning = beginnings
                    .iter()
                    .find(|(b, _)| *b == tp)
                    .map_or(0, |(_, offset)| *offset);
                consumer
                    .seek(&tp, OffsetSpec::from_end(beginning, end, n))
                    .await?;
            }
            Ok(())
        }
        OffsetSpec::Timestamp(ms) => consumer.seek_to_timestamp(partitions, ms).await,
    }
}

/// Writes records until a stop condition; returns how many were written.
/// With `-e`, a broker that stops answering (or answers without records)
/// must not keep it waiting forever: `default.api.timeout.ms` without a
/// record or a position moving ends it with an error.
async fn read_loop(
    consumer: &Consumer,
    ends: &[(TopicPartition, i64)],
    args: &ConsumeArgs,
    writer: &Writer,
    out: &mut Stdout,
) -> Result<u64, String> {
    let max_poll = consumer.config().max_poll_records;
    let limit = args.count.unwrap_or(u64::MAX);
    let mut written = 0u64;
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    let mut watch_interrupt = true;
    let stall_limit = consumer.config().client.default_api_timeout;
    let mut progress = Progress::default();
    while written < limit {
        if args.exit_at_end && args.group.is_some() {
            if group_caught_up(consumer) {
                break;
            }
        } else if args.exit_at_end {
            let deadline = progress.deadline(stall_limit);
            let remaining = match tokio::time::timeout_at(deadline, remaining(consumer, ends)).await
            {
                Ok(remaining) if remaining.is_empty() => break,
                Ok(remaining) => remaining,
                Err(_) => progress.last.clone(),
            };
            progress.saw(&remaining, written);
            if tokio::time::Instant::now() >= deadline {
                return Err(stalled(&args.topic, stall_limit, &progress.last));
            }
        }
        let batch = tokio::select! {
            batch = consumer.poll(POLL_WAIT) => batch.map_err(|e| super::chain(&e))?,
            signal = &mut interrupted, if watch_interrupt => match signal {
                Ok(()) => break,
                // No handler could be installed: Ctrl-C keeps its default
                // action (ending the process), and reading goes on.
                Err(_) => {
                    watch_interrupt = false;
                    continue;
                }
            },
        };
        let caught_up = batch.len() < max_poll;
        for record in &batch {
            if written >= limit {
                break;
            }
            if !out.write_with(|w| write_record(writer, record, w))? {
                // The reader is gone (`| head`): stop quietly.
                return Ok(written);
            }
            written += 1;
        }
        // Caught up: show what there is now rather than when the buffer fills.
        if caught_up && !out.flush()? {
            return Ok(written);
        }
    }
    Ok(written)
}

/// With `-G -e`: the group gave partitions and every one is read to the
/// end the latest fetch saw.
fn group_caught_up(consumer: &Consumer) -> bool {
    let assigned = consumer.assignment();
    !assigned.is_empty() && assigned.iter().all(|tp| consumer.lag(tp) == Some(0))
}

/// The partitions not read to their end yet, with their position (if
/// known) and end: the end offset a partition had when reading started, or
/// what the latest fetch says is the end.
async fn remaining(
    consumer: &Consumer,
    ends: &[(TopicPartition, i64)],
) -> Vec<(TopicPartition, Option<i64>, i64)> {
    let mut left = Vec::new();
    for (tp, end) in ends {
        if consumer.lag(tp) == Some(0) {
            continue;
        }
        match consumer.position(tp).await {
            Ok(position) if position >= *end => {}
            Ok(position) => left.push((tp.clone(), Some(position), *end)),
            Err(_) => left.push((tp.clone(), None, *end)),
        }
    }
    left
}

/// When `-e` last saw the partitions move toward their end.
struct Progress {
    at: tokio::time::Instant,
    last: Vec<(TopicPartition, Option<i64>, i64)>,
    written: u64,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            at: tokio::time::Instant::now(),
            last: Vec::new(),
            written: 0,
        }
    }
}

impl Progress {
    fn deadline(&self, limit: Duration) -> tokio::time::Instant {
        self.at
            .checked_add(limit)
            .unwrap_or_else(|| self.at + Duration::from_secs(100 * 365 * 24 * 3600))
    }

    /// Notes what is left and how many records were written: any change is
    /// progress.
    fn saw(&mut self, remaining: &[(TopicPartition, Option<i64>, i64)], written: u64) {
        if remaining != self.last.as_slice() || written != self.written {
            self.at = tokio::time::Instant::now();
            self.last = remaining.to_vec();
            self.written = written;
        }
    }
}

/// The error of `-e` when nothing moved for `limit`.
fn stalled(topic: &str, limit: Duration, left: &[(TopicPartition, Option<i64>, i64)]) -> String {
    let partitions: Vec<String> = left
        .iter()
        .map(|(tp, position, end)| match position {
            Some(position) => format!("{} at {position} of {end}", tp.partition),
            None => format!("{} at no position, end {end}", tp.partition),
        })
        .collect();
    format!(
        "no progress reading {topic} to its end for {} ms (default.api.timeout.ms); partitions \
         left: {}",
        limit.as_millis(),
        if partitions.is_empty() {
            "unknown".to_owned()
        } else {
            partitions.join(", ")
        }
    )
}

fn write_record(
    writer: &Writer,
    record: &ConsumerRecord,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let fields = RecordFields {
        topic: &record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        key: record.key.as_deref(),
        value: record.value.as_deref(),
        headers: &record.headers,
    };
    match writer {
        Writer::Format(format) => format.write(&fields, out),
        Writer::Json => json::write_record(&fields, record.timestamp_type, out),
    }
}
