//! The produce workload: N keyless records of S bytes, each `enqueue`d
//! (returns once the record is buffered; waits only for buffer memory), the
//! delivery handles awaited in order by a second task, then `flush`. The
//! clock starts after the topic's metadata is loaded and stops when every
//! handle has resolved.
//!
//! `-X` properties taken (Java names, 0.28 builder methods): acks,
//! linger.ms, batch.size, compression.type, compression.level,
//! enable.idempotence, buffer.memory, max.request.size.

use std::time::{Duration, Instant};

use krafka::producer::{Acks, DeliveryHandle, ProducerBuilder};
use krafka::{Compression, Kafka, Record};
use tokio::sync::mpsc;

use crate::{number, Args, Outcome};

/// Handles queued for the awaiting task; bounds the memory the handles of
/// records still in flight take.
const HANDLES: usize = 1 << 16;

fn configure(mut builder: ProducerBuilder, args: &Args) -> Result<ProducerBuilder, String> {
    for (key, value) in &args.properties {
        builder = match key.as_str() {
            "acks" => builder.acks(match value.as_str() {
                "all" | "-1" => Acks::All,
                "1" => Acks::Leader,
                "0" => Acks::None,
                _ => return Err(format!("acks={value}: expected all, -1, 1 or 0")),
            }),
            "linger.ms" => builder.linger(Duration::from_millis(number(key, value)?)),
            "batch.size" => builder.batch_size(number(key, value)?),
            "compression.type" => builder.compression(match value.as_str() {
                "none" => Compression::None,
                "gzip" => Compression::Gzip,
                "snappy" => Compression::Snappy,
                "lz4" => Compression::Lz4,
                "zstd" => Compression::Zstd,
                _ => return Err(format!("compression.type={value}: unknown codec")),
            }),
            "compression.level" => builder.compression_level(Some(number(key, value)?)),
            "enable.idempotence" => builder.idempotent(match value.as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(format!(
                        "enable.idempotence={value}: expected true or false"
                    ))
                }
            }),
            "buffer.memory" => builder.buffer_memory(number(key, value)?),
            "max.request.size" => builder.max_request_size(number(key, value)?),
            _ => {
                return Err(format!(
                    "{key}: not a producer property krafka028-perf maps"
                ))
            }
        };
    }
    Ok(builder)
}

fn payload(size: usize) -> Vec<u8> {
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

pub(crate) async fn run(args: &Args) -> Result<Outcome, String> {
    let kafka = Kafka::builder(args.bootstrap.as_str())
        .client_id("krafka028-perf")
        .connect()
        .await
        .map_err(|e| format!("connecting: {e}"))?;
    let producer = configure(kafka.producer(), args)?
        .build()
        .await
        .map_err(|e| format!("creating the producer: {e}"))?;
    // Load the topic's metadata before the clock starts.
    producer
        .partitions_for(&args.topic)
        .await
        .map_err(|e| format!("metadata: {e}"))?;
    // One payload for the whole run: a `&'static [u8]` becomes the record's
    // `Bytes` without a copy or a reference count (as in `krafka perf produce`).
    let value: &'static [u8] = payload(args.record_size).leak();

    let (handles, mut pending) = mpsc::channel::<DeliveryHandle>(HANDLES);
    let outcomes = tokio::spawn(async move {
        let (mut delivered, mut errors) = (0u64, 0u64);
        while let Some(handle) = pending.recv().await {
            match handle.await {
                Ok(_) => delivered += 1,
                Err(e) => {
                    if errors == 0 {
                        eprintln!("krafka028-perf: first delivery error: {e}");
                    }
                    errors += 1;
                }
            }
        }
        (delivered, errors)
    });

    let started = Instant::now();
    for _ in 0..args.num_records {
        let handle = producer
            .enqueue(Record::new(args.topic.as_str(), value))
            .await
            .map_err(|e| format!("enqueue: {e}"))?;
        handles
            .send(handle)
            .await
            .map_err(|_| "the task awaiting deliveries stopped".to_string())?;
    }
    drop(handles);
    producer.flush().await.map_err(|e| format!("flush: {e}"))?;
    let (delivered, errors) = outcomes
        .await
        .map_err(|e| format!("the task awaiting deliveries failed: {e}"))?;
    let elapsed = started.elapsed();
    if delivered + errors != args.num_records {
        eprintln!(
            "krafka028-perf: only {delivered} delivered and {errors} failed of {}",
            args.num_records
        );
    }
    let bytes = args.num_records * args.record_size as u64;
    let outcome = Outcome::measure(args.num_records, bytes, elapsed, errors);
    producer.close().await.map_err(|e| format!("close: {e}"))?;
    Ok(outcome)
}
