//! The fixed-rate produce workload (`--throughput R`), the same as
//! `krafka perf produce --throughput R`: records `0..N` on the shared
//! schedule (`pacer.rs`: record i due i/R seconds after the start, the
//! sending thread sleeping in between), through a `ThreadedProducer`, whose
//! own thread serves the delivery reports as they come; each record's
//! latency is measured from its due time to its delivery report (not from
//! when a late sender got to it: no coordinated omission). The clock starts
//! after the topic's metadata is loaded and stops at the last report.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::ClientContext;

use crate::histogram::Histogram;
use crate::pacer::Pacer;
use crate::{Args, Outcome};

/// The opaque of the records that [`producer`] sends before the clock
/// starts.
const PRIMING: usize = usize::MAX;

/// Counts the delivery reports and, when `timed`, each record's latency
/// from its due time (the opaque of each record is its index).
pub(crate) struct Timing {
    timed: bool,
    pacer: Pacer,
    start: OnceLock<Instant>,
    latency: Mutex<Histogram>,
    delivered: AtomicU64,
    errors: AtomicU64,
}

impl Timing {
    pub(crate) fn new(pacer: Pacer, timed: bool) -> Timing {
        Timing {
            timed,
            pacer,
            start: OnceLock::new(),
            latency: Mutex::new(Histogram::new()),
            delivered: AtomicU64::new(0),
            errors: AtomicU64::new(0),
        }
    }

    pub(crate) fn settled(&self) -> (u64, u64) {
        (
            self.delivered.load(Ordering::Relaxed),
            self.errors.load(Ordering::Relaxed),
        )
    }
}

impl ClientContext for Timing {}

impl ProducerContext for Timing {
    type DeliveryOpaque = usize;
    fn delivery(&self, result: &DeliveryResult<'_>, index: usize) {
        if index == PRIMING {
            return;
        }
        let now = Instant::now();
        match result {
            Ok(_) => {
                if let (true, Some(start)) = (self.timed, self.start.get()) {
                    let due = *start + self.pacer.offset(index as u64);
                    self.latency
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .record_duration(now.saturating_duration_since(due));
                }
                self.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Err((error, _)) => {
                if self.errors.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("first delivery error: {error}");
                }
            }
        }
    }
}

/// A `ThreadedProducer` with `args`' settings, ready to send: it knows the
/// topic and, having written one record to every partition and waited for
/// them (not timed, not counted), has its producer id (with idempotence)
/// and its connections to the leaders. Without this, the first half second
/// of a run waits for librdkafka's start-up, while `krafka perf` has done
/// the same before its clock starts (the producer id when the producer is
/// made, the metadata after).
pub(crate) fn producer(args: &Args, timing: Timing) -> Result<ThreadedProducer<Timing>, String> {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", &args.bootstrap);
    for (k, v) in &args.properties {
        config.set(k, v);
    }
    let producer: ThreadedProducer<Timing> = config
        .create_with_context(timing)
        .map_err(|e| format!("creating the producer: {e}"))?;
    let metadata = producer
        .client()
        .fetch_metadata(Some(&args.topic), Duration::from_secs(30))
        .map_err(|e| format!("metadata: {e}"))?;
    let partitions = metadata
        .topics()
        .iter()
        .find(|t| t.name() == args.topic)
        .map_or(0, |t| t.partitions().len());
    let value = crate::produce::payload(args.record_size);
    for partition in 0..partitions {
        let record = BaseRecord::with_opaque_to(&args.topic, PRIMING)
            .partition(partition as i32)
            .payload(&value[..]);
        producer
            .send::<(), [u8]>(record)
            .map_err(|(e, _)| format!("priming send: {e}"))?;
    }
    producer
        .flush(Duration::from_secs(30))
        .map_err(|e| format!("priming flush: {e}"))?;
    Ok(producer)
}

/// Sends records `0..N` on the schedule from `start` (the context's start
/// must be set to it), each with the value `value` after `stamp(due time,
/// value)` (librdkafka copies it).
pub(crate) fn send_on_schedule(
    producer: &ThreadedProducer<Timing>,
    args: &Args,
    pacer: Pacer,
    start: Instant,
    mut value: Vec<u8>,
    stamp: impl Fn(Instant, &mut [u8]),
) -> Result<(), String> {
    pacer.run(start, args.num_records, |i, due| {
        stamp(due, &mut value);
        let mut record = BaseRecord::with_opaque_to(&args.topic, i as usize).payload(&value[..]);
        loop {
            match producer.send::<(), [u8]>(record) {
                Ok(()) => return Ok(()),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => return Err(format!("send: {e}")),
            }
        }
    })
}

/// Flushes, then waits (at most 30 s) until every record has its report.
pub(crate) fn settle(producer: &ThreadedProducer<Timing>, total: u64) -> (u64, u64) {
    if let Err(e) = producer.flush(Duration::from_secs(300)) {
        eprintln!("rdkafka-perf: flush: {e}");
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (delivered, errors) = producer.context().settled();
        if delivered + errors >= total || Instant::now() >= deadline {
            return (delivered, errors);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

pub(crate) fn run(args: &Args, pacer: Pacer) -> Result<Outcome, String> {
    let producer = producer(args, Timing::new(pacer, true))?;
    let value = crate::produce::payload(args.record_size);
    let start = Instant::now();
    let _ = producer.context().start.set(start);
    send_on_schedule(&producer, args, pacer, start, value, |_, _| {})?;
    let (delivered, errors) = settle(&producer, args.num_records);
    let elapsed = start.elapsed();
    if delivered + errors != args.num_records {
        eprintln!(
            "rdkafka-perf: only {delivered} delivered and {errors} failed of {}",
            args.num_records
        );
    }
    let latency = producer
        .context()
        .latency
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .percentiles();
    let bytes = args.num_records * args.record_size as u64;
    let mut outcome = Outcome::measure(args.num_records, bytes, elapsed, errors);
    outcome.latency = latency.map(|p| (p.summary("produce"), p.result_fields()));
    Ok(outcome)
}
