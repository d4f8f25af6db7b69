//! `read_committed`: dropping the batches of aborted transactions (KIP-98).
//!
//! Under `read_committed` a Fetch response stops at the last stable offset and lists, per partition,
//! the aborted transactions that overlap the fetched range as `(producer_id, first_offset)`. A
//! transactional batch of producer `p` is aborted when an aborted transaction of `p` has started at
//! or before it and `p`'s ABORT marker (a control batch) has not been passed yet. Walking the batches
//! in offset order, an aborted transaction becomes *open* once a batch reaches its first offset, and
//! closes at its producer's ABORT marker.

use std::collections::HashSet;

use krafka_core::records::{ControlRecord, RawBatch};

/// Decides, batch by batch, which batches of one partition's fetched data a `read_committed`
/// consumer must skip: control batches always, transactional batches inside an aborted
/// transaction, nothing else.
#[derive(Debug, Default)]
pub(crate) struct AbortedFilter {
    /// Aborted transactions not reached yet as `(first_offset, producer_id)`, latest first, so the
    /// next one to open is at the end.
    upcoming: Vec<(i64, i64)>,
    /// Producers whose transaction is open and aborted.
    open: HashSet<i64>,
}

impl AbortedFilter {
    /// A filter for a partition whose Fetch response listed `aborted` transactions as
    /// `(producer_id, first_offset)`, in any order.
    pub(crate) fn new(aborted: impl IntoIterator<Item = (i64, i64)>) -> Self {
        let mut upcoming: Vec<(i64, i64)> = aborted
            .into_iter()
            .map(|(producer_id, first_offset)| (first_offset, producer_id))
            .collect();
        upcoming.sort_unstable_by(|a, b| b.cmp(a));
        AbortedFilter {
            upcoming,
            open: HashSet::new(),
        }
    }

    /// Whether to skip `batch`: `true` for control batches and for transactional batches of an
    /// aborted transaction. Call it for every batch of the partition in offset order, control
    /// batches included (an ABORT marker closes its producer's aborted transaction).
    pub(crate) fn skip_batch(&mut self, batch: &RawBatch) -> bool {
        let header = batch.header();
        let last_offset = header
            .base_offset
            .saturating_add(i64::from(header.last_offset_delta));
        self.open_up_to(last_offset);
        if batch.is_control() {
            if is_abort_marker(batch) {
                self.open.remove(&header.producer_id);
            }
            return true;
        }
        batch.is_transactional() && self.open.contains(&header.producer_id)
    }

    /// Opens every aborted transaction that starts at or before `offset`.
    fn open_up_to(&mut self, offset: i64) {
        while let Some(&(first_offset, producer_id)) = self.upcoming.last() {
            if first_offset > offset {
                break;
            }
            self.open.insert(producer_id);
            self.upcoming.pop();
        }
    }
}

/// Control batches hold one marker record of a few bytes and are written
/// uncompressed; this caps what a compressed one may expand to.
const MAX_CONTROL_BATCH_BYTES: usize = 64 * 1024;

/// Whether a control batch holds an ABORT marker (a marker batch holds one record). An unreadable
/// control record is logged and treated as no marker.
fn is_abort_marker(batch: &RawBatch) -> bool {
    let parsed = match batch.clone().decompress(MAX_CONTROL_BATCH_BYTES) {
        Ok(batch) => batch
            .records()
            .next()
            .map(|record| record.and_then(|record| ControlRecord::parse(&record))),
        Err(error) => Some(Err(error)),
    };
    match parsed {
        Some(Ok(control)) => control.is_abort(),
        Some(Err(error)) => {
            tracing::warn!(
                offset = batch.header().base_offset,
                %error,
                "unreadable control record; not treated as an abort marker"
            );
            false
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use krafka_core::records::{Compression, NextBatch, RecordBatchBuilder};

    use super::*;

    fn raw(built: Bytes) -> RawBatch {
        match RawBatch::read_next(&mut built.clone(), true).unwrap() {
            NextBatch::Batch(batch) => batch,
            other => panic!("not one batch: {other:?}"),
        }
    }

    const A: i64 = 1000;
    const B: i64 = 2000;

    /// A data batch of `count` records at `offset`; `producer` -1 is a plain (non-idempotent) one.
    fn data(offset: i64, producer: i64, transactional: bool, count: usize) -> RawBatch {
        let mut builder = RecordBatchBuilder::new()
            .base_offset(offset)
            .producer_id(producer)
            .producer_epoch(if producer < 0 { -1 } else { 0 })
            .transactional(transactional)
            // Compressed when this build has lz4, as brokers often store them.
            .compression(if Compression::Lz4.is_available() {
                Compression::Lz4
            } else {
                Compression::None
            })
            .timestamp(1);
        for i in 0..count {
            builder = builder.add_record(None, Some(format!("v{i}").as_bytes()), vec![]);
        }
        raw(builder.build().unwrap())
    }

    fn txn(offset: i64, producer: i64) -> RawBatch {
        data(offset, producer, true, 1)
    }

    /// A control batch holding `record` for `producer` at `offset`.
    fn control(offset: i64, producer: i64, record: ControlRecord) -> RawBatch {
        let value = record.value();
        let built = RecordBatchBuilder::new()
            .base_offset(offset)
            .producer_id(producer)
            .producer_epoch(0)
            .transactional(true)
            .control(true)
            .timestamp(1)
            .add_record(Some(&record.key()), value.as_deref(), vec![])
            .build()
            .unwrap();
        raw(built)
    }

    fn abort(offset: i64, producer: i64) -> RawBatch {
        control(
            offset,
            producer,
            ControlRecord::transaction_marker(false, 3),
        )
    }

    fn commit(offset: i64, producer: i64) -> RawBatch {
        control(offset, producer, ControlRecord::transaction_marker(true, 3))
    }

    fn skips(filter: &mut AbortedFilter, batches: &[RawBatch]) -> Vec<bool> {
        batches
            .iter()
            .map(|batch| filter.skip_batch(batch))
            .collect()
    }

    #[test]
    fn interleaved_aborted_and_committed_transactions_of_two_producers() {
        let batches = [
            data(0, -1, false, 1), // plain
            data(1, A, true, 2),   // A's first transaction: aborted
            txn(3, B),             // B: committed
            txn(4, A),             // A, aborted
            abort(5, A),           // closes A's aborted transaction
            txn(6, B),             // B, committed
            commit(7, B),
            txn(8, A), // A's second transaction: committed
            commit(9, A),
            txn(10, B),            // B's second transaction: aborted
            data(11, B, false, 1), // B idempotent, outside the transaction
            txn(12, A),            // A's third transaction: committed
            abort(13, B),
            commit(14, A),
            txn(15, B), // B's third transaction: committed
        ];
        // Listed out of order, as nothing promises an order.
        let mut filter = AbortedFilter::new([(B, 10), (A, 1)]);
        assert_eq!(
            skips(&mut filter, &batches),
            [
                false, true, false, true, true, false, true, false, true, true, false, false, true,
                true, false
            ]
        );
    }

    #[test]
    fn without_aborted_transactions_only_control_batches_are_skipped() {
        let batches = [
            txn(0, A),
            data(1, -1, false, 3),
            commit(4, A),
            txn(5, B),
            abort(6, B),
        ];
        let mut filter = AbortedFilter::new([]);
        assert_eq!(
            skips(&mut filter, &batches),
            [false, false, true, false, true]
        );
    }

    #[test]
    fn an_aborted_transaction_opens_only_when_its_first_offset_is_reached() {
        let batches = [
            txn(0, A),
            commit(1, A),
            txn(5, A),
            txn(6, A),
            abort(7, A),
            txn(8, A),
        ];
        let mut filter = AbortedFilter::new([(A, 5)]);
        assert_eq!(
            skips(&mut filter, &batches),
            [false, true, true, true, true, false]
        );
    }

    #[test]
    fn a_transaction_that_started_before_the_fetched_range_is_still_aborted() {
        // The fetch began at offset 10, inside A's transaction that began at 3.
        let batches = [txn(10, A), data(11, -1, false, 1), abort(12, A), txn(13, A)];
        let mut filter = AbortedFilter::new([(A, 3)]);
        assert_eq!(skips(&mut filter, &batches), [true, false, true, false]);
    }

    #[test]
    fn non_transactional_batches_of_an_aborting_producer_pass() {
        let batches = [
            txn(0, A),
            data(1, A, false, 2),
            data(3, -1, false, 1),
            abort(4, A),
        ];
        let mut filter = AbortedFilter::new([(A, 0)]);
        assert_eq!(skips(&mut filter, &batches), [true, false, false, true]);
    }

    #[test]
    fn the_same_producer_aborting_twice() {
        let batches = [
            txn(0, A),
            abort(1, A),
            txn(2, A),
            commit(3, A),
            txn(4, A),
            abort(5, A),
            txn(6, A),
        ];
        let mut filter = AbortedFilter::new([(A, 0), (A, 4)]);
        assert_eq!(
            skips(&mut filter, &batches),
            [true, true, false, true, true, true, false]
        );
    }

    #[test]
    fn other_control_records_do_not_close_a_transaction() {
        let leader_change = ControlRecord::from_key_value(Some(&[0, 0, 0, 2]), None).unwrap();
        let batches = [
            txn(0, A),
            control(1, A, leader_change),
            txn(2, A),
            commit(3, B),
            txn(4, A),
        ];
        let mut filter = AbortedFilter::new([(A, 0)]);
        assert_eq!(skips(&mut filter, &batches), [true, true, true, true, true]);
    }

    #[test]
    fn an_unreadable_control_record_is_skipped_without_closing_anything() {
        let built = RecordBatchBuilder::new()
            .base_offset(1)
            .producer_id(A)
            .transactional(true)
            .control(true)
            .timestamp(1)
            .add_record(Some(&[0]), None, vec![]) // key too short for a control record
            .build()
            .unwrap();
        let garbled = raw(built);
        let batches = [txn(0, A), garbled, txn(2, A)];
        let mut filter = AbortedFilter::new([(A, 0)]);
        assert_eq!(skips(&mut filter, &batches), [true, true, true]);
    }
}
