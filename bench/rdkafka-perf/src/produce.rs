//! The produce workload: N keyless records of S bytes through a
//! `BaseProducer` (non-blocking `send`, polling for delivery reports,
//! waiting only when librdkafka's queue is full), then `flush`. The clock
//! starts after the topic's metadata is loaded and stops after the flush.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::ClientContext;

use crate::{Args, Outcome};

#[derive(Default)]
struct Counting {
    delivered: AtomicU64,
    errors: AtomicU64,
}

impl ClientContext for Counting {}

impl ProducerContext for Counting {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: Self::DeliveryOpaque) {
        match result {
            Ok(_) => self.delivered.fetch_add(1, Ordering::Relaxed),
            Err((error, _)) => {
                if self.errors.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("first delivery error: {error}");
                }
                0
            }
        };
    }
}

pub(crate) fn payload(size: usize) -> Vec<u8> {
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

pub(crate) fn run(args: &Args) -> Result<Outcome, String> {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", &args.bootstrap);
    for (k, v) in &args.properties {
        config.set(k, v);
    }
    let producer: BaseProducer<Counting> = config
        .create_with_context(Counting::default())
        .map_err(|e| format!("creating the producer: {e}"))?;
    // Connect and load the topic's metadata before the clock starts.
    producer
        .client()
        .fetch_metadata(Some(&args.topic), Duration::from_secs(30))
        .map_err(|e| format!("metadata: {e}"))?;
    let value = payload(args.record_size);
    let started = Instant::now();
    for i in 0..args.num_records {
        loop {
            match producer.send(BaseRecord::<(), [u8], ()>::to(&args.topic).payload(&value[..])) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    producer.poll(Duration::from_millis(1));
                }
                Err((e, _)) => return Err(format!("send: {e}")),
            }
        }
        if i & 0x3ff == 0 {
            producer.poll(Duration::ZERO);
        }
    }
    if let Err(e) = producer.flush(Duration::from_secs(300)) {
        eprintln!("rdkafka-perf: flush: {e}");
    }
    let elapsed = started.elapsed();
    let ctx = producer.context();
    let errors = ctx.errors.load(Ordering::Relaxed);
    let delivered = ctx.delivered.load(Ordering::Relaxed);
    if delivered + errors != args.num_records {
        eprintln!(
            "rdkafka-perf: only {delivered} delivered and {errors} failed of {}",
            args.num_records
        );
    }
    let bytes = args.num_records * args.record_size as u64;
    Ok(Outcome::measure(args.num_records, bytes, elapsed, errors))
}
