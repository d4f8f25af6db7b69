//! A batch of one partition: its records (open for appends until drained),
//! the `buffer.memory` its buffer holds, and the stamp (producer id, epoch,
//! base sequence) it goes out with; plus the sequence arithmetic.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use krafka_core::KrafkaError;
use krafka_core::records::{Compression, Compressor, RecordBatch, RecordBatchBuilder};
use tokio::sync::Semaphore;

use super::completion::Completer;

/// Bytes of `buffer.memory` held by a batch's buffer (charged whole, at
/// `batch.size` or the record's size when larger, as Java's buffer pool
/// does); given back on drop, so a batch that is completed, failed or
/// dropped can never leak them.
#[derive(Debug)]
pub(crate) struct Memory {
    bytes: usize,
    pool: Arc<Semaphore>,
}

impl Memory {
    pub(crate) fn new(bytes: usize, pool: Arc<Semaphore>) -> Self {
        Memory { bytes, pool }
    }

    /// Takes `more`'s bytes over: a batch that grows past `batch.size`
    /// holds the memory of every chunk it was charged for.
    pub(super) fn absorb(&mut self, mut more: Memory) {
        self.bytes = self.bytes.saturating_add(std::mem::take(&mut more.bytes));
    }

    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    pub(super) fn empty(&self) -> Memory {
        Memory {
            bytes: 0,
            pool: Arc::clone(&self.pool),
        }
    }
}

impl Drop for Memory {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.pool.add_permits(self.bytes);
        }
    }
}

/// A built batch and the producer id, epoch and sequence it carries.
#[derive(Debug, Clone)]
pub(crate) struct Built {
    pub(crate) bytes: Bytes,
    producer_id: i64,
    producer_epoch: i16,
    pub(crate) base_sequence: i32,
}

/// A batch of one partition.
#[derive(Debug)]
pub(crate) struct ProducerBatch {
    pub(crate) id: u64,
    pub(crate) topic: String,
    pub(crate) partition: i32,
    /// Its partition queue's index in the accumulator.
    pub(super) slot: usize,
    /// Open for appends until it is drained.
    pub(super) builder: Option<RecordBatchBuilder>,
    /// Set when drained; kept for retries.
    pub(crate) built: Option<Built>,
    /// The producer id, epoch and base sequence it carries (idempotent
    /// producer): given on its first drain and kept across retries, so the
    /// broker recognises a batch it already wrote. The request task builds
    /// the batch with them, outside the lock.
    pub(super) stamp: Option<(ProducerId, i32)>,
    /// Went out before (a retry, or a part of a split batch): it goes out
    /// only when nothing else of its partition is in flight.
    pub(super) retry: bool,
    /// An attempt ended without the broker refusing it (a retriable error,
    /// a lost connection): the broker may hold it, whatever later attempts
    /// answer (a retry of a written batch can be refused by a check the
    /// broker makes before it looks for duplicates).
    pub(super) maybe_written: bool,
    pub(super) compression: Compression,
    pub(super) compression_level: Option<i32>,
    /// Part of a transaction (the batch header's transactional flag).
    pub(super) transactional: bool,
    /// Settles the records' futures.
    pub(super) completer: Completer,
    pub(super) created: Instant,
    pub(super) attempts: u32,
    pub(super) memory: Memory,
    /// The uncompressed bytes it may reach: `batch.size`, raised in
    /// `batch.size` steps while its partition cannot send (see
    /// `Accumulator::append`).
    pub(super) limit: usize,
    /// The records' sizes at their largest: bounded by `memory` when
    /// `buffer.memory` is smaller than `batch.size`.
    pub(super) estimated: usize,
    /// The sticky partitioner moved on from its partition: no keyless
    /// record is coming to fill it, so it does not wait out its quick-fill
    /// window.
    pub(super) sticky_left: bool,
}

impl ProducerBatch {
    /// Whether a record of (at most) `size` bytes still goes in.
    pub(super) fn has_room(&self, size: usize) -> bool {
        let Some(builder) = &self.builder else {
            return false;
        };
        builder.uncompressed_len().saturating_add(size) <= self.limit
            && (self.memory.bytes >= self.limit
                || self.estimated.saturating_add(size) <= self.memory.bytes)
    }

    /// The uncompressed bytes so far (0 once built).
    pub(super) fn open_len(&self) -> usize {
        self.builder
            .as_ref()
            .map_or(0, RecordBatchBuilder::uncompressed_len)
    }

    /// The size its records have on average (as estimated when appended),
    /// once it has any.
    fn average_record(&self) -> Option<usize> {
        self.estimated
            .checked_div(self.record_count())
            .filter(|_| self.estimated > 0)
    }

    /// Whether another record of the size its records have on average
    /// would fit if it grew up to `grow_limit`.
    pub(super) fn may_take_another(&self, grow_limit: usize) -> bool {
        let average = self.average_record().unwrap_or(0);
        self.builder.is_some() && self.open_len().saturating_add(average) <= grow_limit
    }

    /// Whether the batch has no room for another record of the size its
    /// records have on average: it is ready, as a batch that a later record
    /// overflowed is, instead of lingering until `linger.ms` for a record
    /// that would open a new batch anyway. A sticky partition leaves such a
    /// batch behind (KIP-794 switches partitions at a full batch), and with
    /// many partitions nothing else would come to close it.
    pub(super) fn is_full(&self, batch_size: usize) -> bool {
        let Some(builder) = &self.builder else {
            return false;
        };
        if builder.uncompressed_len() >= batch_size {
            return true;
        }
        self.average_record()
            .is_some_and(|average| !self.has_room(average))
    }
}

impl ProducerBatch {
    /// Builds the batch with its stamp (rebuilding a retried one when they changed). Compression
    /// happens here, outside the producer's lock, with the caller's kept `compressor`.
    pub(crate) fn seal(&mut self, compressor: &mut Compressor) -> Result<(), KrafkaError> {
        let (producer, sequence) = self.stamp.unwrap_or((ProducerId::NONE, -1));
        if let Some(built) = &self.built {
            if built.producer_id == producer.id
                && built.producer_epoch == producer.epoch
                && built.base_sequence == sequence
            {
                return Ok(());
            }
            let records = RecordBatch::decode(built.bytes.clone())?.collect_records()?;
            let mut builder = builder(
                self.compression,
                self.compression_level,
                self.transactional,
                built.bytes.len(),
            );
            for record in &records {
                builder.push_record(
                    Some(record.timestamp),
                    record.key.as_deref(),
                    record.value.as_deref(),
                    &record.headers.to_vec(),
                )?;
            }
            self.builder = Some(builder);
        }
        let Some(builder) = self.builder.take() else {
            return Err(KrafkaError::state("a batch without records"));
        };
        let bytes = builder
            .producer_id(producer.id)
            .producer_epoch(producer.epoch)
            .base_sequence(sequence)
            .build_with(compressor)?;
        self.built = Some(Built {
            bytes,
            producer_id: producer.id,
            producer_epoch: producer.epoch,
            base_sequence: sequence,
        });
        Ok(())
    }

    pub(super) fn record_count(&self) -> usize {
        self.completer.count() as usize
    }

    pub(super) fn fail(self, error: &KrafkaError) {
        self.completer.settle(Err(error.clone()));
    }

    pub(super) fn succeed(self, base_offset: i64, log_append_time: i64) {
        self.completer.settle(Ok((base_offset, log_append_time)));
    }
}

/// The idempotent producer's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProducerId {
    pub(crate) id: i64,
    pub(crate) epoch: i16,
}

impl ProducerId {
    pub(crate) const NONE: ProducerId = ProducerId { id: -1, epoch: -1 };
}

/// An empty batch builder with the producer's compression and transactional flag.
pub(super) fn builder(
    compression: Compression,
    level: Option<i32>,
    transactional: bool,
    capacity: usize,
) -> RecordBatchBuilder {
    let builder = RecordBatchBuilder::with_capacity(capacity)
        .compression(compression)
        .transactional(transactional);
    match level {
        Some(level) => builder.compression_level(level),
        None => builder,
    }
}

/// The sequence after `count` records from `sequence`, wrapping to 0 past
/// `i32::MAX` as Kafka does.
pub(crate) fn increment_sequence(sequence: i32, count: i32) -> i32 {
    if sequence > i32::MAX - count {
        count - (i32::MAX - sequence) - 1
    } else {
        sequence + count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_wrap_like_kafka() {
        assert_eq!(increment_sequence(0, 5), 5);
        assert_eq!(increment_sequence(i32::MAX - 2, 2), i32::MAX);
        assert_eq!(increment_sequence(i32::MAX - 2, 3), 0);
        assert_eq!(increment_sequence(i32::MAX, 1), 0);
        assert_eq!(increment_sequence(i32::MAX, 4), 3);
    }
}
