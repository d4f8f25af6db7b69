//! Sending on a fixed schedule (`--throughput`): a blocking thread of its
//! own keeps the [`Pacer`]'s schedule with `thread::sleep` (tokio's timer
//! has a 1 ms granularity, which would bunch records and charge them up to
//! a millisecond each; the rdkafka peer paces the same way) and registers
//! each delivery future in an [`Inflight`] it shares with a task on the
//! runtime; that task collects the acknowledgements, each record's latency
//! measured from its due time to the moment its delivery future settles.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use bytes::Bytes;
use krafka::{DeliveryFuture, KrafkaError, Producer, ProducerRecord};
use tokio::task::JoinHandle;

use super::histogram::Histogram;
use super::inflight::Inflight;
use super::pacer::Pacer;
use super::progress::Progress;
use crate::commands::chain;

/// The deliveries of a run, each tagged with its record's due time.
type Deliveries = Arc<Mutex<Inflight<Instant, DeliveryFuture>>>;

/// Sends records `0..total` to `topic` on `pacer`'s schedule from `start`,
/// each with the value `value(due time)`, from a blocking thread; adds each
/// delivery future with its due time to `deliveries` when given (else drops
/// it: the producer still counts the outcome). Ends at the first failed
/// send (buffer.memory full waits, like a blocking send).
pub fn spawn_sender(
    producer: Producer,
    topic: String,
    pacer: Pacer,
    start: Instant,
    total: u64,
    value: impl Fn(Instant) -> Bytes + Send + 'static,
    deliveries: Option<Deliveries>,
) -> JoinHandle<Result<(), String>> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        pacer.run(start, total, |_, due| {
            let record = || ProducerRecord::new(topic.as_str()).value(value(due));
            let future = match producer.try_send(record()) {
                Ok(future) => future,
                Err(_) => runtime
                    .block_on(producer.send(record()))
                    .map_err(|e| format!("sending to {topic}: {}", chain(&e)))?,
            };
            if let Some(deliveries) = &deliveries {
                deliveries
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(due, future);
            }
            Ok(())
        })
    })
}

/// What the acknowledgements of a fixed-rate run showed.
pub struct Acknowledged {
    /// Latency from each delivered record's due time to its acknowledgement.
    pub latency: Histogram,
    /// From the start to the last acknowledgement.
    pub elapsed: Duration,
    /// Records that failed.
    pub failed: u64,
    /// The first failure.
    pub first_error: Option<KrafkaError>,
}

/// Produces `total` records of `value` at `pacer`'s rate, measuring each
/// one's latency from its due time to its acknowledgement.
pub async fn produce(
    producer: &Producer,
    topic: &str,
    pacer: Pacer,
    total: u64,
    value: Bytes,
    progress: &Progress,
) -> Result<Acknowledged, String> {
    let record_bytes = value.len() as u64;
    let deliveries: Deliveries = Arc::new(Mutex::new(Inflight::new()));
    let start = Instant::now();
    let mut sender = spawn_sender(
        producer.clone(),
        topic.to_owned(),
        pacer,
        start,
        total,
        move |_| value.clone(),
        Some(Arc::clone(&deliveries)),
    );
    let mut acked = Acknowledged {
        latency: Histogram::new(),
        elapsed: Duration::ZERO,
        failed: 0,
        first_error: None,
    };
    // The sending thread's outcome, once it has ended.
    let mut ended = None;
    let sent = std::future::poll_fn(|cx| {
        if ended.is_none() {
            if let Poll::Ready(outcome) = Pin::new(&mut sender).poll(cx) {
                ended = Some(outcome);
            }
        }
        let mut inflight = deliveries.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let settled = inflight.poll_settled(cx, |due, outcome| match outcome {
            Ok(_) => acked
                .latency
                .record_duration(now.saturating_duration_since(due)),
            Err(e) => {
                acked.failed += 1;
                acked.first_error.get_or_insert(e);
            }
        });
        if settled > 0 {
            let done = acked.latency.count() + acked.failed;
            progress.set(done, done.saturating_mul(record_bytes));
        }
        // Done once the sending thread has ended and every future settled.
        match ended.take_if(|_| inflight.len() == 0) {
            Some(outcome) => Poll::Ready(outcome),
            None => Poll::Pending,
        }
    })
    .await;
    acked.elapsed = start.elapsed();
    sent.map_err(|e| format!("the sending thread failed: {e}"))??;
    Ok(acked)
}
