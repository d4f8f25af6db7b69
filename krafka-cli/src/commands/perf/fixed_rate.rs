//! Sending on a fixed schedule (`--throughput`): a blocking thread of its
//! own keeps the [`Pacer`]'s schedule with `thread::sleep` (tokio's timer
//! has a 1 ms granularity, which would bunch records and charge them up to
//! a millisecond each; the rdkafka peer paces the same way), and the
//! producer's acknowledgements are collected on the runtime, each record's
//! latency measured from its due time to the moment its delivery future
//! settles.

use std::time::{Duration, Instant};

use bytes::Bytes;
use krafka::{DeliveryFuture, KrafkaError, Producer, ProducerRecord};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use super::histogram::Histogram;
use super::inflight::Inflight;
use super::pacer::Pacer;
use super::progress::Progress;
use crate::commands::chain;

/// A record's due time and its delivery.
type Sent = (Instant, DeliveryFuture);

/// Sends records `0..total` to `topic` on `pacer`'s schedule from `start`,
/// each with the value `value(due time)`, from a blocking thread; hands each
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
    deliveries: Option<UnboundedSender<Sent>>,
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
                // The collector only goes away when the run failed.
                let _ = deliveries.send((due, future));
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
    let (tx, mut rx) = unbounded_channel::<Sent>();
    let start = Instant::now();
    let sender = spawn_sender(
        producer.clone(),
        topic.to_owned(),
        pacer,
        start,
        total,
        move |_| value.clone(),
        Some(tx),
    );
    let mut inflight = Inflight::new();
    let mut acked = Acknowledged {
        latency: Histogram::new(),
        elapsed: Duration::ZERO,
        failed: 0,
        first_error: None,
    };
    let mut sending = true;
    std::future::poll_fn(|cx| {
        while sending {
            match rx.poll_recv(cx) {
                std::task::Poll::Ready(Some((due, future))) => inflight.push(due, future),
                std::task::Poll::Ready(None) => sending = false,
                std::task::Poll::Pending => break,
            }
        }
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
        if !sending && inflight.len() == 0 {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    acked.elapsed = start.elapsed();
    sender
        .await
        .map_err(|e| format!("the sending thread failed: {e}"))??;
    Ok(acked)
}
