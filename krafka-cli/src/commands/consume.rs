//! `krafka consume`: records of one or more topics to standard output,
//! formatted with `-f` (kcat's format directives) or as JSON lines (`-J`),
//! from where `-o` says, until `-c` records, the end of every partition
//! (`-e`), each partition's stop (see [`super::stops`]), Ctrl-C or a
//! closed pipe.

use std::time::Duration;

use clap::Args;
use krafka::{Consumer, ConsumerConfig, ConsumerRecord, TopicPartition};

use super::connect::{self, ConnectArgs};
use super::delimiters::Delimiters;
use super::format::{Format, Piece, RecordFields};
use super::json;
use super::offset_spec::{OffsetArg, OffsetSpec};
use super::output::{Stdout, note};
use super::read_to_end::{Status, ToEnd};
use super::stops::{Stops, Verdict};
use super::topic_check::existing_topic;

/// How long one poll waits before the loop looks at `-e` and Ctrl-C again.
const POLL_WAIT: Duration = Duration::from_millis(100);

#[derive(Args, Debug)]
pub struct ConsumeArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic (more topics may follow the options).
    #[arg(short = 't', long)]
    topic: String,
    /// Consume as a member of consumer group GROUP (kcat's balanced mode):
    /// the group assigns the partitions of `-t` and of the topics given
    /// after the options; each starts at the group's committed offset, else
    /// where `-o beginning|end` says; positions are committed every
    /// `auto.commit.interval.ms` and on exit.
    #[arg(short = 'G', long = "group", conflicts_with = "partitions")]
    group: Option<String>,
    /// More topics: without -G every partition of each is read (kcat
    /// reads one topic without -G); with -G the group assigns them.
    more_topics: Vec<String>,
    /// Only this partition (repeatable; default: every partition).
    #[arg(
        short = 'p',
        long = "partition",
        allow_negative_numbers = true,
        value_parser = super::partition_number
    )]
    partitions: Vec<i32>,
    /// Where to start: beginning (default), end, stored (the group's
    /// committed offsets, with -G), <offset> (past the end or before the
    /// start: the end or the start, with a warning), -<N> (the last N of
    /// each partition) or s@<unix ms> (the first record at or after it).
    /// Where to stop: e@<unix ms> (each partition before its first record
    /// at or after it, as in kcat). Given twice: a start and a stop.
    #[arg(
        short = 'o',
        long,
        allow_hyphen_values = true,
        value_parser = parse_offset
    )]
    offset: Vec<OffsetArg>,
    /// Stop each partition before this offset (records from it on are not
    /// written).
    #[arg(long, value_name = "OFFSET")]
    stop_offset: Option<u64>,
    /// Stop after this many records (all partitions together, as kcat's
    /// -c; each partition on its own with --count-per-partition).
    #[arg(short = 'c', long)]
    count: Option<u64>,
    /// -c counts each partition's records on its own: each stops after N.
    #[arg(long, requires = "count")]
    count_per_partition: bool,
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

fn parse_offset(text: &str) -> Result<OffsetArg, String> {
    text.parse()
}

/// The start `-o` names (beginning when none does) and the stop timestamp.
fn offsets(args: &[OffsetArg]) -> Result<(OffsetSpec, Option<i64>), String> {
    let mut start = None;
    let mut stop = None;
    for arg in args {
        let twice = match arg {
            OffsetArg::Start(spec) => start.replace(*spec).is_some(),
            OffsetArg::StopAt(ms) => stop.replace(*ms).is_some(),
        };
        if twice {
            return Err(
                "-o: one start (beginning, end, stored, <offset>, -<N>, s@<ms>) and one stop                  (e@<ms>) at most"
                    .to_owned(),
            );
        }
    }
    Ok((start.unwrap_or(OffsetSpec::Beginning), stop))
}

/// How a record is written.
enum Writer {
    Format(Format),
    Json(json::Bytes),
}

pub fn run(args: ConsumeArgs) -> Result<(), String> {
    let writer = writer(&args)?;
    offsets(&args.offset)?;
    if !args.partitions.is_empty() && !args.more_topics.is_empty() {
        return Err("-p names partitions of one topic: leave it out to read several".to_owned());
    }
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

/// Connects, checks that each topic (and each partition of `only`) exists,
/// and assigns their partitions (`only`, or every one when `only` is
/// empty) to a new consumer.
pub async fn assigned_consumer(
    config: ConsumerConfig,
    topics: &[String],
    only: &[i32],
) -> Result<(Consumer, Vec<TopicPartition>), String> {
    let kafka = connect::kafka(config.client.clone()).await?;
    let mut partitions: Vec<TopicPartition> = Vec::new();
    for topic in topics {
        let metadata = existing_topic(&kafka.admin(), topic, only).await?;
        if only.is_empty() {
            partitions.extend(
                metadata
                    .partitions
                    .iter()
                    .map(|p| TopicPartition::new(topic.as_str(), p.partition)),
            );
        } else {
            partitions.extend(only.iter().map(|p| TopicPartition::new(topic.as_str(), *p)));
        }
    }
    let consumer = kafka
        .consumer(config)
        .map_err(|e| format!("starting the consumer: {e}"))?;
    consumer
        .assign(partitions.iter().cloned())
        .await
        .map_err(|e| format!("assigning {}: {}", topics.join(", "), super::chain(&e)))?;
    Ok((consumer, partitions))
}

/// `-t` and the topics after the options, each once.
fn topics(args: &ConsumeArgs) -> Vec<String> {
    let mut topics = vec![args.topic.clone()];
    for topic in &args.more_topics {
        if !topics.contains(topic) {
            topics.push(topic.clone());
        }
    }
    topics
}

fn stops(args: &ConsumeArgs, stop_at: Option<i64>) -> Stops {
    Stops::new(
        stop_at,
        args.stop_offset
            .map(|o| i64::try_from(o).unwrap_or(i64::MAX)),
        args.count.filter(|_| args.count_per_partition),
    )
}

async fn consume(args: ConsumeArgs, config: ConsumerConfig, writer: Writer) -> Result<(), String> {
    if let Some(group) = args.group.clone() {
        return consume_in_group(args, config, writer, &group).await;
    }
    let (start, stop_at) = offsets(&args.offset)?;
    if start == OffsetSpec::Stored {
        return Err(
            "-o stored reads a consumer group's committed offsets: name the group with -G".into(),
        );
    }
    let topics = topics(&args);
    let label = topics.join(", ");
    let (consumer, mut partitions) = assigned_consumer(config, &topics, &args.partitions).await?;
    let skipped = seek(&consumer, &partitions, start)
        .await
        .map_err(|e| format!("seeking to {start}: {}", super::chain(&e)))?;
    if !skipped.is_empty() {
        for (tp, error) in &skipped {
            note(&format!(
                "krafka: warning: partition {} of {}: no offsets for -o {start} ({}); it is not read",
                tp.partition,
                tp.topic,
                super::chain(error)
            ));
        }
        partitions.retain(|tp| !skipped.iter().any(|(s, _)| s == tp));
        consumer
            .assign(partitions.iter().cloned())
            .await
            .map_err(|e| format!("assigning {label}: {}", super::chain(&e)))?;
    }

    let mut to_end = if args.exit_at_end {
        Some(ToEnd::start(&consumer, &label, &partitions).await?)
    } else {
        None
    };

    let mut out = Stdout::new();
    let mut stops = stops(&args, stop_at);
    let reading = Reading {
        partitions: &partitions,
        stops: &mut stops,
    };
    let outcome = read_loop(
        &consumer,
        to_end.as_mut(),
        reading,
        &args,
        &writer,
        &mut out,
    )
    .await;
    let flushed = out.finish();
    // Nothing to hand back: the records are written, the fetches stop.
    let _ = consumer.close().await;
    let (count, warnings) = outcome?;
    flushed?;
    for warning in &warnings {
        note(warning);
    }
    if !args.quiet {
        note(&format!("{count} records consumed from {label}"));
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
    let (start, stop_at) = offsets(&args.offset)?;
    let reset = match start {
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
    let topics = topics(&args);
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
    let mut stops = stops(&args, stop_at);
    let reading = Reading {
        partitions: &[],
        stops: &mut stops,
    };
    let outcome = read_loop(&consumer, None, reading, &args, &writer, &mut out).await;
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

/// The partitions read (empty with -G: the group's assignment) and where
/// each stops.
struct Reading<'a> {
    partitions: &'a [TopicPartition],
    stops: &'a mut Stops,
}

/// Writes records until a stop condition; returns how many were written,
/// and the warnings of `-e` about partitions it gave up (see
/// [`ToEnd`]).
async fn read_loop(
    consumer: &Consumer,
    mut to_end: Option<&mut ToEnd>,
    reading: Reading<'_>,
    args: &ConsumeArgs,
    writer: &Writer,
    out: &mut Stdout,
) -> Result<(u64, Vec<String>), String> {
    let Reading { partitions, stops } = reading;
    let max_poll = consumer.config().max_poll_records;
    let limit = args
        .count
        .filter(|_| !args.count_per_partition)
        .unwrap_or(u64::MAX);
    let mut written = 0u64;
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    let mut watch_interrupt = true;
    while written < limit {
        if stops.any() {
            let assigned;
            let watched = if partitions.is_empty() {
                assigned = consumer.assignment().into_iter().collect::<Vec<_>>();
                &assigned[..]
            } else {
                partitions
            };
            if stops.settle(consumer, watched) {
                break;
            }
            if let Some(to_end) = to_end.as_deref_mut() {
                for tp in stops.stopped() {
                    to_end.forget(tp);
                }
            }
        }
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
            if stops.any() && stops.check(record) == Verdict::Skip {
                continue;
            }
            if !out.write_with(|w| write_record(writer, record, w))? {
                // The reader is gone (`| head`): stop quietly.
                return Ok((written, Vec::new()));
            }
            written += 1;
            if stops.any() {
                stops.written(record.topic_partition());
            }
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
