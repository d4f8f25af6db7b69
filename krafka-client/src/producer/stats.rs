//! Producer-wide delivery counts, kept per batch as batches settle: the way
//! to learn how many records were written or failed without holding (and
//! polling) one [`DeliveryFuture`] per record.
//!
//! [`DeliveryFuture`]: super::DeliveryFuture

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use krafka_core::KrafkaError;

/// What [`Producer::delivery_counts`] reports: records acknowledged and
/// records failed for good since the producer started, and the first
/// failure.
///
/// ```no_run
/// # async fn demo() -> Result<(), krafka_core::KrafkaError> {
/// use krafka_client::{Producer, ProducerConfig, ProducerRecord};
///
/// let producer = Producer::new(
///     ProducerConfig::builder()
///         .bootstrap_servers(["127.0.0.1:9092"])
///         .build()?,
/// )
/// .await?;
/// for i in 0..1000 {
///     // The future is dropped: the counts say how it went.
///     let _ = producer.send(ProducerRecord::new("events").value(format!("{i}"))).await?;
/// }
/// producer.flush().await;
/// let counts = producer.delivery_counts();
/// assert_eq!(counts.delivered + counts.failed, 1000);
/// # Ok(())
/// # }
/// ```
///
/// [`Producer::delivery_counts`]: super::Producer::delivery_counts
#[derive(Debug, Clone, Default)]
pub struct DeliveryCounts {
    /// Records written (as `acks` asks).
    pub delivered: u64,
    /// Records that failed for good.
    pub failed: u64,
    /// The first failure, if any.
    pub first_error: Option<KrafkaError>,
}

/// The shared counters behind [`DeliveryCounts`]: one update per settled
/// batch (or part of a split batch).
#[derive(Debug, Default)]
pub(crate) struct DeliveryStats {
    delivered: AtomicU64,
    failed: AtomicU64,
    first_error: OnceLock<KrafkaError>,
}

impl DeliveryStats {
    /// Counts `records` records that were written.
    pub(crate) fn delivered(&self, records: u32) {
        self.delivered
            .fetch_add(u64::from(records), Ordering::Relaxed);
    }

    /// Counts `records` records that failed with `error`.
    pub(crate) fn failed(&self, records: u32, error: &KrafkaError) {
        if records == 0 {
            return;
        }
        self.failed.fetch_add(u64::from(records), Ordering::Relaxed);
        let _ = self.first_error.get_or_init(|| error.clone());
    }

    /// A snapshot of the counts.
    pub(crate) fn snapshot(&self) -> DeliveryCounts {
        DeliveryCounts {
            delivered: self.delivered.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            first_error: self.first_error.get().cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_records_and_keeps_the_first_error() {
        let stats = DeliveryStats::default();
        stats.delivered(3);
        stats.failed(0, &KrafkaError::state("not counted"));
        stats.failed(2, &KrafkaError::state("first"));
        stats.failed(1, &KrafkaError::state("second"));
        let counts = stats.snapshot();
        assert_eq!((counts.delivered, counts.failed), (3, 3));
        let first = counts
            .first_error
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(first.contains("first"), "{first}");
    }
}
