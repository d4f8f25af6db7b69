//! `krafka produce`: records from standard input or files, one per line
//! (or per `-D` delimiter; with `-W` each file is one record, as kcat reads
//! files), keys before `-K` (else the `-k` key), headers from `-H`; `-T`
//! echoes each record to standard output once handed over; each sent
//! as soon as it is read (`linger.ms` then applies); waits for every
//! delivery and fails when any record failed. On SIGINT or SIGTERM it stops
//! reading, delivers what it has read (waiting at most 10 s), reports the
//! delivered and failed counts, and fails if any record failed.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use clap::Args;
use krafka::{KrafkaError, ProducerConfig, ProducerRecord};

use super::connect::{self, ConnectArgs};
use super::delimiters::Delimiters;
use super::deliveries::Deliveries;
use super::input::Input;
use super::output::{Stdout, note};
use super::record_reader::InputRecord;
use super::signals::Interrupts;
use super::topic_check::existing_topic;

/// How long an interrupted produce waits for the records it has read.
const FLUSH_ON_INTERRUPT: Duration = Duration::from_secs(10);

#[derive(Args, Debug)]
pub struct ProduceArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic (it must exist).
    #[arg(short = 't', long)]
    topic: String,
    /// Write every record to this partition (default, or -1 as in kcat:
    /// the partitioner, by key like Java's).
    #[arg(short = 'p', long, allow_negative_numbers = true, value_parser = produce_partition)]
    partition: Option<i32>,
    /// A header for every record, `name=value` (`name` alone: null value);
    /// repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME=VALUE")]
    headers: Vec<String>,
    #[command(flatten)]
    delimiters: Delimiters,
    /// Compression codec: none, gzip, snappy, lz4, zstd (`compression.type`).
    #[arg(short = 'z', long = "compression", value_name = "CODEC")]
    compression: Option<String>,
    /// The key of every record that has none from -K.
    #[arg(short = 'k', long = "key", value_name = "KEY")]
    fixed_key: Option<String>,
    /// Echo each record to standard output (as read: key, -K, value, -D)
    /// once it is handed to the producer, like tee; deliveries are still
    /// reported on stderr.
    #[arg(short = 'T', long = "tee")]
    tee: bool,
    /// Each FILE is one record, its whole content the value (kcat's
    /// default for files; krafka splits files like standard input unless
    /// -W is given). Standard input is still split.
    #[arg(short = 'W', long = "whole-file", conflicts_with = "lines")]
    whole_files: bool,
    /// Split files into records like standard input (krafka's default;
    /// accepted for kcat's -l).
    #[arg(short = 'l', long = "lines")]
    lines: bool,
    /// Send empty keys and values as null (an empty value is a tombstone).
    #[arg(short = 'Z', long = "null-empty")]
    null_empty: bool,
    /// No count on stderr at the end.
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Files to read, in order (`-` or none: standard input).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn run(mut args: ProduceArgs) -> Result<(), String> {
    args.partition = args.partition.filter(|p| *p >= 0);
    let Some(config) = args
        .connect
        .config::<ProducerConfig>("produce", [("compression.type", args.compression.clone())])?
    else {
        return Ok(());
    };
    let headers = args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, _>>()?;
    let input = Input {
        files: args.files.clone(),
        delimiter: args.delimiters.record()?,
        key_delimiter: args.delimiters.key()?,
        max_record: config.max_request_size,
        whole_files: args.whole_files,
    };
    connect::runtime()?.block_on(produce(args, config, input, headers))
}

/// `-p`: a partition number, or -1 for the partitioner (kcat's meaning;
/// `run` turns it into no partition).
fn produce_partition(text: &str) -> Result<i32, String> {
    match text.trim().parse::<i32>() {
        Ok(-1) => Ok(-1),
        Ok(partition) if partition < 0 => Err(format!(
            "partitions are numbered from 0; -1 or no -p lets the partitioner choose (got \
             {partition})"
        )),
        _ => super::partition_number(text),
    }
}

/// `name=value` → (name, Some(value)), split at the first `=` (the value
/// may hold more); `name` → (name, None). An empty name is an error.
fn parse_header(header: &str) -> Result<(Bytes, Option<Bytes>), String> {
    let (name, value) = match header.split_once('=') {
        Some((name, value)) => (name, Some(Bytes::copy_from_slice(value.as_bytes()))),
        None => (header, None),
    };
    if name.is_empty() {
        return Err(format!("-H: expected name=value, got `{header}`"));
    }
    Ok((Bytes::copy_from_slice(name.as_bytes()), value))
}

async fn produce(
    args: ProduceArgs,
    config: ProducerConfig,
    input: Input,
    headers: Vec<(Bytes, Option<Bytes>)>,
) -> Result<(), String> {
    let kafka = connect::kafka(config.client.clone()).await?;
    let partitions: Vec<i32> = args.partition.into_iter().collect();
    // Fails at once on an unknown topic (the producer would wait
    // `max.block.ms` for it to appear).
    existing_topic(&kafka.admin(), &args.topic, &partitions).await?;
    let producer = kafka
        .producer(config)
        .await
        .map_err(|e| format!("starting the producer: {}", super::chain(&e)))?;

    let tee = if args.tee {
        Some(Tee {
            out: Stdout::new(),
            key_delimiter: args.delimiters.key()?,
            delimiter: args.delimiters.record()?,
            whole_files: args.whole_files,
        })
    } else {
        None
    };
    let mut tee = tee;
    let (mut chunks, reader) = input.spawn();
    let mut interrupts = Interrupts::new();
    let mut deliveries = Deliveries::default();
    let mut read = 0u64;
    let mut read_error = None;
    let mut interrupted = None;
    loop {
        let chunk = tokio::select! {
            chunk = chunks.recv() => chunk,
            signal = interrupts.recv() => {
                interrupted = Some(signal);
                break;
            }
        };
        let records = match chunk {
            None => break,
            Some(Ok(records)) => records,
            Some(Err(error)) => {
                // What was read before is still delivered, then reported.
                read_error = Some(error);
                break;
            }
        };
        let count = records.len() as u64;
        read += count;
        let mut handed = 0u64;
        let sending = async {
            for record in records {
                if let Some(tee) = tee.as_mut() {
                    tee.echo(&record)?;
                }
                match producer
                    .send(to_producer_record(&args, &headers, record))
                    .await
                {
                    Ok(delivery) => deliveries.push(delivery),
                    Err(error) => deliveries.fail(error),
                }
                handed += 1;
            }
            if let Some(tee) = tee.as_mut() {
                tee.out.flush()?;
            }
            Ok::<(), String>(())
        };
        // A send waits while `buffer.memory` is full: an interruption then
        // leaves the rest of the chunk unsent (counted as failed).
        let signal = tokio::select! {
            sent = sending => {
                if let Err(error) = sent {
                    read_error = Some(error);
                    break;
                }
                None
            }
            signal = interrupts.recv() => Some(signal),
        };
        if let Some(signal) = signal {
            let unsent = KrafkaError::state(format!("not sent: interrupted by {signal}"));
            for _ in handed..count {
                deliveries.fail(unsent.clone());
            }
            interrupted = Some(signal);
            break;
        }
    }
    if let Some(tee) = tee.as_mut() {
        if let Err(error) = tee.out.finish() {
            read_error.get_or_insert(error);
        }
    }
    let closed = match interrupted {
        None => {
            // The channel has ended, so the reader has returned (or, after
            // an error, is about to): joining does not wait.
            if reader.join().is_err() {
                read_error.get_or_insert_with(|| "the input reader failed".to_owned());
            }
            producer.flush().await;
            deliveries.finish().await;
            producer.close().await
        }
        Some(signal) => {
            // The reader may be blocked on an input that stays open: it is
            // left behind (it ends with the process).
            drop(chunks);
            drop(reader);
            note(&format!(
                "krafka: {signal}: stopped reading; waiting at most {} s for the {} records \
                 read but not delivered yet",
                FLUSH_ON_INTERRUPT.as_secs(),
                read.saturating_sub(deliveries.delivered() + deliveries.errors()),
            ));
            let deadline = tokio::time::Instant::now() + FLUSH_ON_INTERRUPT;
            let closed = producer.close_timeout(FLUSH_ON_INTERRUPT).await;
            let late = KrafkaError::timeout("delivering after an interruption", FLUSH_ON_INTERRUPT);
            deliveries.finish_by(deadline, &late).await;
            closed
        }
    };

    if !args.quiet || interrupted.is_some() {
        note(&format!(
            "{} records produced to {} ({} failed)",
            deliveries.delivered(),
            args.topic,
            deliveries.errors()
        ));
    }
    if let Some(error) = read_error {
        return Err(error);
    }
    if deliveries.errors() == 0 {
        closed.map_err(|e| format!("closing the producer: {}", super::chain(&e)))?;
    }
    match deliveries.first_error() {
        Some(first) => Err(format!(
            "{} of {read} records failed; first error: {}",
            deliveries.errors(),
            super::chain(first)
        )),
        None => Ok(()),
    }
}

fn to_producer_record(
    args: &ProduceArgs,
    headers: &[(Bytes, Option<Bytes>)],
    input: InputRecord,
) -> ProducerRecord {
    let keep =
        |bytes: Vec<u8>| (!(args.null_empty && bytes.is_empty())).then(|| Bytes::from(bytes));
    let mut record = ProducerRecord::new(args.topic.as_str());
    record.key = input
        .key
        .or_else(|| args.fixed_key.as_ref().map(|k| k.as_bytes().to_vec()))
        .and_then(keep);
    record.value = keep(input.value);
    record.partition = args.partition;
    for (name, value) in headers {
        record = record.header(name.clone(), value.clone());
    }
    record
}

/// `-T`: where produced records are echoed, and how they were read.
struct Tee {
    out: Stdout,
    key_delimiter: Option<Vec<u8>>,
    delimiter: Vec<u8>,
    whole_files: bool,
}

impl Tee {
    /// Writes `record` as it was read. A reader that went away (`| head`)
    /// stops the echo, not the produce.
    fn echo(&mut self, record: &InputRecord) -> Result<(), String> {
        let delimiter: &[u8] = if self.whole_files {
            b""
        } else {
            &self.delimiter
        };
        let key_delimiter = self.key_delimiter.as_deref().unwrap_or_default();
        self.out
            .write_with(|w| {
                if let Some(key) = &record.key {
                    w.write_all(key)?;
                    w.write_all(key_delimiter)?;
                }
                w.write_all(&record.value)?;
                w.write_all(delimiter)
            })
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_and_without_values() {
        assert_eq!(
            parse_header("trace=a=b"),
            Ok((
                Bytes::from_static(b"trace"),
                Some(Bytes::from_static(b"a=b"))
            ))
        );
        assert_eq!(
            parse_header("flag"),
            Ok((Bytes::from_static(b"flag"), None))
        );
        assert_eq!(
            parse_header("empty="),
            Ok((Bytes::from_static(b"empty"), Some(Bytes::new())))
        );
        assert!(parse_header("=value").is_err());
        assert!(parse_header("").is_err());
    }
}
