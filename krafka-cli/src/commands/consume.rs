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
use super::read_to_end::{Status, ToEnd};
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
    #[arg(
        short = 'p',
        long = "partition",
        allow_negative_numbers = true,
        value_parser = super::partition_number
    )]
    partitions: Vec<i32>,
    /// Where to start: beginning, end, stored (the group's committed
    /// offsets, with -G), <offset> (past the end or before the start: the
    /// end or the start, with a warning), -<N> (the last N of each
    /// partition) or s@<unix ms> (the first record at or after it).
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
    /// when reading started, or a later one the fetches saw). When nothing
    /// moves for `default.api.timeout.ms`, partitions without an available
    /// leader are given up with a warning (exit 0); others left are an
    /// error.
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
    /// With -J: keys, payloads and header values as base64 strings
    /// (standard alphabet, padded), exact for bytes that are not UTF-8.
    #[arg(long, requires = "json")]
    base64: bool,
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
    Json(json::Bytes),
}

pub fn run(args: ConsumeArgs) -> Result<(), String> {
    let writer = writer(&args)?;
    let Some(config) = args.connect.config::<ConsumerConfig>("consume", [])? else {
        return Ok(());
    };
    connect::runtime()?.block_on(consume(args, config, writer))
}

fn writer(args: &ConsumeArgs) -> Result<Writer, String> {
    if args.json {
        return Ok(Writer::Json(if args.base64 {
            json::Bytes::Base64
        } else {
            json::Bytes::Text
        }));
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
    let (consumer, mut partitions) =
        assigned_consumer(config, &args.topic, &args.partitions).await?;
    let skipped = seek(&consumer, &partitions, args.offset)
        .await
        .map_err(|e| format!("seeking to {}: {}", args.offset, super::chain(&e)))?;
    if !skipped.is_empty() {
        for (tp, error) in &skipped {
            note(&format!(
                "krafka: warning: partition {} of {}: no offsets for -o {} ({}); it is not read",
                tp.partition,
                tp.topic,
                args.offset,
                super::chain(error)
            ));
        }
        partitions.retain(|tp| !skipped.iter().any(|(s, _)| s == tp));
        consumer
            .assign(partitions.iter().cloned())
            .await
            .map_err(|e| format!("assigning {}: {}", args.topic, super::chain(&e)))?;
    }

    let mut to_end = if args.exit_at_end {
        Some(ToEnd::start(&consumer, &args.topic, &partitions).await?)
    } else {
        None
    };

    let mut out = Stdout::new();
    let outcome = read_loop(&consumer, to_end.as_mut(), &args, &writer, &mut out).await;
    let flushed = out.finish();
    // Nothing to hand back: the records are written, the fetches stop.
    let _ = consumer.close().await;
    let (count, warnings) = outcome?;
    flushed?;
    for warning in &warnings {
        note(warning);
    }
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
    let outcome = read_loop(&consumer, None, &args, &writer, &mut out).await;
    let flushed = out.finish();
    // Commits the positions (with enable.auto.commit) and leaves the group.
    let closed = consumer.close().await;
    let (count, _) = outcome?;
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

/// Moves every partition where `-o` says. A partition whose leader is
/// unavailable gets its position once the leader answers, except with
/// `-o -N`, which needs its offsets now: those partitions are returned, with
/// why, to be left out.
async fn seek(
    consumer: &Consumer,
    partitions: &[TopicPartition],
    spec: OffsetSpec,
) -> Result<Vec<(TopicPartition, krafka::KrafkaError)>, krafka::KrafkaError> {
    match spec {
        OffsetSpec::Beginning => consumer.seek_to_beginning(partitions).await?,
        OffsetSpec::End => consumer.seek_to_end(partitions).await?,
        OffsetSpec::Stored => {}
        OffsetSpec::Absolute(offset) => {
            let (beginnings, _) = consumer.beginning_offsets_now(partitions).await?;
            let (ends, _) = consumer.end_offsets_now(partitions).await?;
            for tp in partitions {
                let find = |offsets: &[(TopicPartition, i64)]| {
                    offsets.iter().find(|(o, _)| o == tp).map(|(_, at)| *at)
                };
                // A partition whose leader is unavailable now gets the
                // offset as given (its fetch resets it when out of range).
                let start = clamp(offset, find(&beginnings), find(&ends));
                if start != offset {
                    note(&format!(
                        "krafka: warning: partition {} of {}: offset {offset} is {}; reading from \
                         offset {start}",
                        tp.partition,
                        tp.topic,
                        if start > offset {
                            format!("before the start ({start})")
                        } else {
                            format!("past the end ({start})")
                        }
                    ));
                }
                consumer.seek(tp, start).await?;
            }
        }
        OffsetSpec::FromEnd(n) => {
            let (beginnings, mut skipped) = consumer.beginning_offsets_now(partitions).await?;
            let (ends, unavailable) = consumer.end_offsets_now(partitions).await?;
            for (tp, error) in unavailable {
                if !skipped.iter().any(|(s, _)| *s == tp) {
                    skipped.push((tp, error));
                }
            }
            for (tp, end) in ends {
                let Some((_, beginning)) = beginnings.iter().find(|(b, _)| *b == tp) else {
                    continue;
                };
                consumer
                    .seek(&tp, OffsetSpec::from_end(*beginning, end, n))
                    .await?;
            }
            return Ok(skipped);
        }
        OffsetSpec::Timestamp(ms) => consumer.seek_to_timestamp(partitions, ms).await?,
    }
    Ok(Vec::new())
}

/// An absolute start offset within `[beginning, end]` (each when known).
fn clamp(offset: i64, beginning: Option<i64>, end: Option<i64>) -> i64 {
    match (beginning, end) {
        (_, Some(end)) if offset > end => end,
        (Some(beginning), _) if offset < beginning => beginning,
        _ => offset,
    }
}

/// Writes records until a stop condition; returns how many were written,
/// and the warnings of `-e` about partitions it gave up (see
/// [`ToEnd`]).
async fn read_loop(
    consumer: &Consumer,
    mut to_end: Option<&mut ToEnd>,
    args: &ConsumeArgs,
    writer: &Writer,
    out: &mut Stdout,
) -> Result<(u64, Vec<String>), String> {
    let max_poll = consumer.config().max_poll_records;
    let limit = args.count.unwrap_or(u64::MAX);
    let mut written = 0u64;
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    let mut watch_interrupt = true;
    while written < limit {
        if args.exit_at_end && args.group.is_some() {
            if group_caught_up(consumer) {
                break;
            }
        } else if let Some(to_end) = to_end.as_deref_mut() {
            if let Status::Done(warnings) = to_end.check(consumer, written).await? {
                return Ok((written, warnings));
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
                return Ok((written, Vec::new()));
            }
            written += 1;
        }
        // Caught up: show what there is now rather than when the buffer fills.
        if caught_up && !out.flush()? {
            return Ok((written, Vec::new()));
        }
    }
    Ok((written, Vec::new()))
}

/// With `-G -e`: the group gave partitions and every one is read to the
/// end the latest fetch saw.
fn group_caught_up(consumer: &Consumer) -> bool {
    let assigned = consumer.assignment();
    !assigned.is_empty() && assigned.iter().all(|tp| consumer.lag(tp) == Some(0))
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
        Writer::Json(bytes) => json::write_record(&fields, record.timestamp_type, *bytes, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_offsets_outside_the_log_move_inside() {
        assert_eq!(clamp(100, Some(0), Some(10)), 10);
        assert_eq!(clamp(2, Some(5), Some(10)), 5);
        assert_eq!(clamp(7, Some(5), Some(10)), 7);
        assert_eq!(clamp(10, Some(5), Some(10)), 10);
        assert_eq!(clamp(100, None, None), 100);
    }
}
