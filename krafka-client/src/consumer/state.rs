//! The assignment: every assigned partition's position, fetched-but-not-yet
//! delivered records, pause flag and fetch bookkeeping.
//!
//! A partition's position is the offset of the next record the application
//! gets; it moves only when records are handed out. Every seek, reset or
//! re-assignment bumps the partition's *generation* and drops its buffered
//! records, so a fetch response that was in flight for the old position is
//! recognised (its generation no longer matches) and thrown away.

use std::collections::HashMap;
use std::sync::Arc;

use krafka_core::KrafkaError;

use super::decode::{Failure, FetchedChunk, NextStep, OpenBatch, Stop};
use super::memory::BufferedMemory;
use super::record::{ConsumerRecord, TopicPartition};

/// One assigned partition.
#[derive(Debug)]
pub(crate) struct PartitionState {
    pub(crate) topic: Arc<str>,
    /// Offset of the next record to hand out; `None` until a seek or reset
    /// gives it one.
    pub(crate) position: Option<i64>,
    /// Leader epoch of the record before `position` (KIP-320's
    /// `last_fetched_epoch`), when known.
    pub(crate) position_epoch: Option<i32>,
    /// Bumped by every seek, reset and re-assignment.
    pub(crate) generation: u64,
    pub(crate) paused: bool,
    /// A Fetch including this partition is on the wire.
    pub(crate) in_flight: bool,
    /// A ListOffsets reset for this partition is underway.
    pub(crate) resetting: bool,
    /// Newly given to this member by its group and not fetched until the
    /// rebalance listener has heard so, as in Java: a listener that seeks
    /// in `on_partitions_assigned` is never preceded by records from the
    /// committed offset.
    pub(crate) awaiting_listener: bool,
    /// A seek by timestamp (or to the beginning or end) that waits for the
    /// partition's leader; it replaces `auto.offset.reset` for the reset.
    pub(crate) pending_seek: Option<i64>,
    /// The leader epoch the position was last fetched or validated under
    /// (KIP-320: a new leader epoch means the position must be validated).
    pub(crate) validated_epoch: Option<i32>,
    /// Fetched records not handed out yet.
    chunk: Option<FetchedChunk>,
    /// From the latest fetch response.
    pub(crate) high_watermark: Option<i64>,
    pub(crate) last_stable_offset: Option<i64>,
    pub(crate) log_start_offset: Option<i64>,
    /// KIP-392: the replica the leader told us to read from, with the leader
    /// epoch it was valid for.
    pub(crate) preferred_replica: Option<(i32, i32)>,
    /// An error to hand to the application on its next `recv`/`poll`.
    pub(crate) error: Option<KrafkaError>,
}

impl PartitionState {
    fn new(topic: Arc<str>) -> Self {
        PartitionState {
            topic,
            position: None,
            position_epoch: None,
            generation: 0,
            paused: false,
            in_flight: false,
            resetting: false,
            awaiting_listener: false,
            pending_seek: None,
            validated_epoch: None,
            chunk: None,
            high_watermark: None,
            last_stable_offset: None,
            log_start_offset: None,
            preferred_replica: None,
            error: None,
        }
    }

    /// Whether fetched records wait to be handed out.
    pub(crate) fn has_buffered(&self) -> bool {
        self.chunk.is_some()
    }

    /// Whether a fetch for this partition may be sent now: it has a position,
    /// nothing buffered (Java's rule: the position a fetch starts at is the
    /// application's, so a partition is fetched again only once its records
    /// are all delivered), no fetch or reset underway, no pending error, it
    /// is not paused and not waiting for the rebalance listener.
    pub(crate) fn is_fetchable(&self) -> bool {
        self.position.is_some()
            && self.chunk.is_none()
            && !self.in_flight
            && !self.resetting
            && !self.paused
            && !self.awaiting_listener
            && self.error.is_none()
    }

    /// Moves to `offset`, dropping buffered records and invalidating fetches
    /// and resets in flight (a stale reset leaves the flag alone, as its
    /// generation no longer matches).
    fn seek(&mut self, offset: Option<i64>, epoch: Option<i32>) {
        self.generation = self.generation.wrapping_add(1);
        self.resetting = false;
        self.pending_seek = None;
        self.position = offset;
        self.position_epoch = epoch;
        self.validated_epoch = None;
        self.clear_buffer();
        self.error = None;
    }

    fn clear_buffer(&mut self) {
        self.chunk = None;
    }

    /// Hands out records of the buffered chunk until `max` are taken, the
    /// chunk is done, or its open batch must be decompressed further.
    fn take_records(
        &mut self,
        max: usize,
        out: &mut impl Extend<ConsumerRecord>,
        taking: &mut Taking,
    ) -> Need {
        let Some(chunk) = self.chunk.as_mut() else {
            return Need::Nothing;
        };
        if chunk.is_decompressing() {
            return Need::Nothing;
        }
        loop {
            let room = max.saturating_sub(taking.taken);
            let mut handed = 0;
            let mut last = None;
            let mut stop = None;
            out.extend(std::iter::from_fn(|| {
                if handed >= room {
                    return None;
                }
                match chunk.next_record() {
                    Ok(record) => {
                        handed += 1;
                        last = Some((record.offset, record.leader_epoch));
                        Some(record)
                    }
                    Err(stopped) => {
                        stop = Some(stopped);
                        None
                    }
                }
            }));
            taking.taken += handed;
            if let Some((offset, epoch)) = last {
                self.position = Some(offset.saturating_add(1));
                self.position_epoch = epoch.or(self.position_epoch);
            }
            let Some((stop, released)) = stop else {
                return Need::Nothing;
            };
            taking.pinned = taking.pinned.saturating_add(released);
            let step = match stop {
                Stop::Failed(failure) => NextStep::Failed(failure),
                Stop::BatchDone => chunk.next_batch(),
                Stop::Decompress => return Need::Decompress,
            };
            match step {
                NextStep::Opened => {}
                NextStep::Done => {
                    let end = chunk.next_offset;
                    if self.position.is_some_and(|p| p < end) {
                        self.position = Some(end);
                    }
                    self.chunk = None;
                    taking.drained = true;
                    return Need::Nothing;
                }
                NextStep::Failed(failure) => {
                    taking.drained = true;
                    return self.fail(failure);
                }
            }
        }
    }

    /// A batch of the chunk cannot be delivered: the chunk ends. Its
    /// records before the batch were handed out; the error is the
    /// application's only when there were none (otherwise the next fetch
    /// starts at the bad batch and meets it again).
    fn fail(&mut self, failure: Failure) -> Need {
        let delivered = self.chunk.take().is_some_and(|c| c.delivered_any());
        if delivered {
            if self.position.is_some_and(|p| p < failure.base_offset) {
                self.position = Some(failure.base_offset);
            }
            Need::Nothing
        } else {
            self.error = Some(failure.error);
            Need::Failed
        }
    }

    /// Lag behind the high watermark (the LSO under `read_committed`).
    pub(crate) fn lag(&self, read_committed: bool) -> Option<i64> {
        let end = if read_committed {
            self.last_stable_offset.filter(|&lso| lso >= 0)
        } else {
            self.high_watermark
        }?;
        Some(end.saturating_sub(self.position?).max(0))
    }
}

/// What a partition's chunk needs after handing out records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Nothing,
    /// Its open batch's next records are still compressed.
    Decompress,
    /// It failed with nothing handed out: the partition's error is set.
    Failed,
}

/// One `take` of the application, across the decompressions it waits for.
#[derive(Debug, Default)]
pub(crate) struct Taking {
    /// Records handed out.
    pub(crate) taken: usize,
    /// Decompressed bytes of the chunks let go during this take: the
    /// records handed out still hold them.
    pinned: usize,
    /// Some partition's chunk is done (it may be fetched again).
    pub(crate) drained: bool,
}

/// A compressed batch a take waits for, decompressed a chunk further
/// outside the lock.
#[derive(Debug)]
pub(crate) struct Decompression {
    tp: TopicPartition,
    generation: u64,
    batch: OpenBatch,
}

impl Decompression {
    /// Decompresses the batch's next chunk.
    pub(crate) fn run(&mut self) -> Result<(), Failure> {
        self.batch.refill()
    }
}

/// Every assigned partition.
#[derive(Debug, Default)]
pub(crate) struct Assignment {
    partitions: HashMap<TopicPartition, PartitionState>,
    /// Assignment order; records are handed out round robin over it.
    order: Vec<TopicPartition>,
    next: usize,
    /// Bytes held for records not handed out yet.
    memory: BufferedMemory,
}

impl Assignment {
    /// Replaces the assignment. Partitions that stay keep their position and
    /// buffer; new ones have no position. Returns the new ones.
    pub(crate) fn assign(
        &mut self,
        partitions: impl IntoIterator<Item = TopicPartition>,
    ) -> Vec<TopicPartition> {
        let mut order: Vec<TopicPartition> = Vec::new();
        for tp in partitions {
            if !order.contains(&tp) {
                order.push(tp);
            }
        }
        let mut kept = HashMap::with_capacity(order.len());
        let mut added = Vec::new();
        for tp in &order {
            match self.partitions.remove(tp) {
                Some(state) => {
                    kept.insert(tp.clone(), state);
                }
                None => {
                    kept.insert(
                        tp.clone(),
                        PartitionState::new(Arc::from(tp.topic.as_str())),
                    );
                    added.push(tp.clone());
                }
            }
        }
        self.partitions = kept;
        self.order = order;
        self.next = 0;
        added
    }

    /// The assigned partitions, in assignment order.
    pub(crate) fn partitions(&self) -> &[TopicPartition] {
        &self.order
    }

    pub(crate) fn get(&self, tp: &TopicPartition) -> Option<&PartitionState> {
        self.partitions.get(tp)
    }

    pub(crate) fn get_mut(&mut self, tp: &TopicPartition) -> Option<&mut PartitionState> {
        self.partitions.get_mut(tp)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&TopicPartition, &PartitionState)> {
        self.partitions.iter()
    }

    pub(crate) fn iter_mut(
        &mut self,
    ) -> impl Iterator<Item = (&TopicPartition, &mut PartitionState)> {
        self.partitions.iter_mut()
    }

    /// Bytes of fetched data held for records not handed out yet.
    pub(crate) fn buffered_bytes(&self) -> usize {
        self.memory.bytes()
    }

    /// The counter fetched data is charged to.
    pub(crate) fn memory(&self) -> &BufferedMemory {
        &self.memory
    }

    /// Sets the position of an assigned partition (a seek or a reset):
    /// buffered records go, fetches in flight become stale.
    pub(crate) fn seek(
        &mut self,
        tp: &TopicPartition,
        offset: Option<i64>,
        epoch: Option<i32>,
    ) -> Result<(), KrafkaError> {
        let state = self
            .partitions
            .get_mut(tp)
            .ok_or_else(|| not_assigned(tp))?;
        state.seek(offset, epoch);
        Ok(())
    }

    /// Buffers a fetched chunk if it is still wanted: the partition is
    /// assigned, its generation is the one the fetch was sent with, its
    /// position is the fetch offset and nothing is buffered. Returns whether
    /// it was taken.
    pub(crate) fn buffer_chunk(
        &mut self,
        tp: &TopicPartition,
        generation: u64,
        fetch_offset: i64,
        chunk: FetchedChunk,
    ) -> bool {
        let Some(state) = self.partitions.get_mut(tp) else {
            return false;
        };
        if state.generation != generation
            || state.position != Some(fetch_offset)
            || state.has_buffered()
        {
            return false;
        }
        if !chunk.has_batches() {
            // Only control or aborted batches: nothing to deliver, move on.
            if chunk.next_offset > fetch_offset {
                state.position = Some(chunk.next_offset);
                state.position_epoch = chunk.last_epoch.or(state.position_epoch);
            }
            return true;
        }
        state.chunk = Some(chunk);
        true
    }

    /// Hands out up to `max` records in all (round robin over the
    /// partitions that are not paused), advancing positions. A partition's
    /// pending error is returned instead when no record was collected before
    /// it.
    ///
    /// Returns a compressed batch to decompress further, outside the lock, when a
    /// partition needs one to go on and the buffered bytes (plus what this
    /// take already holds) are below `budget`, or when nothing at all could
    /// be handed out otherwise; then call
    /// [`finish_decompression`](Self::finish_decompression) and take again.
    pub(crate) fn take(
        &mut self,
        max: usize,
        out: &mut impl Extend<ConsumerRecord>,
        budget: usize,
        taking: &mut Taking,
    ) -> Result<Option<Decompression>, KrafkaError> {
        let count = self.order.len();
        let start = self.next;
        let mut waiting = None;
        for step in 0..count {
            if taking.taken >= max {
                break;
            }
            let index = (start + step) % count;
            let before = taking.taken;
            let Some(state) = self
                .order
                .get(index)
                .and_then(|tp| self.partitions.get_mut(tp))
            else {
                continue;
            };
            if state.paused {
                continue;
            }
            if state.error.is_none() {
                match state.take_records(max, out, taking) {
                    Need::Nothing | Need::Failed => {}
                    Need::Decompress => {
                        if self.memory.bytes().saturating_add(taking.pinned) < budget {
                            self.next = index;
                            return Ok(self.decompression(index));
                        }
                        waiting.get_or_insert(index);
                    }
                }
            }
            if let Some(error) = state.error.take_if(|_| taking.taken == 0) {
                self.next = (index + 1) % count;
                return Err(error);
            }
            if state.error.is_some() {
                break;
            }
            if taking.taken > before {
                self.next = (index + 1) % count;
            }
        }
        // Over the budget, a batch is still decompressed when the
        // application would get nothing otherwise.
        match waiting {
            Some(index) if taking.taken == 0 => {
                self.next = index;
                Ok(self.decompression(index))
            }
            _ => Ok(None),
        }
    }

    /// Takes the open batch of the partition at `index` in the order out to
    /// be decompressed further.
    fn decompression(&mut self, index: usize) -> Option<Decompression> {
        let tp = self.order.get(index)?;
        let state = self.partitions.get_mut(tp)?;
        let batch = state.chunk.as_mut()?.start_decompressing()?;
        Some(Decompression {
            tp: tp.clone(),
            generation: state.generation,
            batch,
        })
    }

    /// Puts back the batch a [`Decompression`] took, unless the partition
    /// was sought or reassigned meanwhile.
    pub(crate) fn finish_decompression(
        &mut self,
        job: Decompression,
        result: Result<(), Failure>,
        taking: &mut Taking,
    ) {
        let Some(state) = self.partitions.get_mut(&job.tp) else {
            return;
        };
        if state.generation != job.generation {
            return;
        }
        let Some(chunk) = state.chunk.as_mut() else {
            return;
        };
        match chunk.finish_decompressing(job.batch, result, &self.memory) {
            Ok(released) => taking.pinned = taking.pinned.saturating_add(released),
            Err(failure) => {
                taking.drained = true;
                state.fail(failure);
            }
        }
    }
}

/// Room for exactly one record: what `recv` takes into, without allocating.
#[derive(Debug, Default)]
pub(crate) struct One(pub(crate) Option<ConsumerRecord>);

impl Extend<ConsumerRecord> for One {
    fn extend<I: IntoIterator<Item = ConsumerRecord>>(&mut self, records: I) {
        for record in records {
            self.0 = Some(record);
        }
    }
}

pub(crate) fn not_assigned(tp: &TopicPartition) -> KrafkaError {
    KrafkaError::state(format!("partition {tp} is not assigned to this consumer"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumer::decode::scan_records;
    use krafka_core::records::{Compression, RecordBatchBuilder};

    /// Records at `offsets` (epoch 3) in one batch compressed with
    /// `compression`, then a control batch up to `next`.
    fn compressed_chunk(
        tp: &TopicPartition,
        offsets: std::ops::Range<i64>,
        next: i64,
        compression: Compression,
    ) -> FetchedChunk {
        let mut builder = RecordBatchBuilder::new()
            .base_offset(offsets.start)
            .compression(compression);
        for offset in offsets.clone() {
            builder = builder.add_record(None, Some(&offset.to_be_bytes()), vec![]);
        }
        let mut records = builder.build().unwrap().to_vec();
        records[12..16].copy_from_slice(&3i32.to_be_bytes());
        if next > offsets.end {
            let mut control = RecordBatchBuilder::new()
                .base_offset(offsets.end)
                .control(true)
                .transactional(true);
            for _ in offsets.end..next {
                control = control.add_record(Some(&[0, 0, 0, 1]), Some(&[0; 6]), vec![]);
            }
            records.extend_from_slice(&control.build().unwrap());
        }
        let topic: Arc<str> = Arc::from(tp.topic.as_str());
        scan_records(
            &topic,
            tp.partition,
            records.into(),
            offsets.start,
            true,
            |_| false,
        )
        .unwrap()
    }

    fn chunk(tp: &TopicPartition, offsets: std::ops::Range<i64>, next: i64) -> FetchedChunk {
        compressed_chunk(tp, offsets, next, Compression::None)
    }

    /// What `Shared::take` does, decompressing in place: returns whether
    /// some partition became fetchable again.
    fn take_budget(
        a: &mut Assignment,
        max: usize,
        out: &mut Vec<ConsumerRecord>,
        budget: usize,
    ) -> Result<bool, KrafkaError> {
        let mut taking = Taking::default();
        while let Some(mut job) = a.take(max, out, budget, &mut taking)? {
            let result = job.run();
            a.finish_decompression(job, result, &mut taking);
        }
        Ok(taking.drained)
    }

    fn take(
        a: &mut Assignment,
        max: usize,
        out: &mut Vec<ConsumerRecord>,
    ) -> Result<bool, KrafkaError> {
        take_budget(a, max, out, usize::MAX)
    }

    fn assigned(tps: &[TopicPartition]) -> Assignment {
        let mut a = Assignment::default();
        assert_eq!(a.assign(tps.iter().cloned()), tps);
        for tp in tps {
            a.seek(tp, Some(0), None).unwrap();
        }
        a
    }

    #[test]
    fn positions_advance_only_when_records_are_handed_out() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        let generation = a.get(&tp).unwrap().generation;
        assert!(a.get(&tp).unwrap().is_fetchable());
        let mut fetched = chunk(&tp, 0..5, 7);
        fetched.charge = Some(Arc::new(a.memory().charge(100)));
        assert!(a.buffer_chunk(&tp, generation, 0, fetched));
        assert_eq!(a.buffered_bytes(), 100);
        assert!(
            !a.get(&tp).unwrap().is_fetchable(),
            "buffered: not fetched again"
        );
        assert_eq!(a.get(&tp).unwrap().position, Some(0));

        let mut out = Vec::new();
        assert!(!take(&mut a, 2, &mut out).unwrap());
        assert_eq!(out.iter().map(|r| r.offset).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(a.get(&tp).unwrap().position, Some(2));
        out.clear();
        assert!(take(&mut a, 10, &mut out).unwrap(), "drained");
        assert_eq!(out.len(), 3);
        // Past the skipped tail (a control batch at 5-6).
        assert_eq!(a.get(&tp).unwrap().position, Some(7));
        assert_eq!(a.get(&tp).unwrap().position_epoch, Some(3));
        assert_eq!(a.buffered_bytes(), 0);
        assert!(a.get(&tp).unwrap().is_fetchable());
    }

    #[test]
    fn a_seek_drops_the_buffer_and_stale_fetches() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        let old = a.get(&tp).unwrap().generation;
        let mut fetched = chunk(&tp, 0..5, 5);
        fetched.charge = Some(Arc::new(a.memory().charge(100)));
        assert!(a.buffer_chunk(&tp, old, 0, fetched));
        a.seek(&tp, Some(100), None).unwrap();
        assert_eq!(a.buffered_bytes(), 0);
        let mut out = Vec::new();
        take(&mut a, 10, &mut out).unwrap();
        assert!(out.is_empty());
        // A response for the old generation is refused even at the new offset.
        assert!(!a.buffer_chunk(&tp, old, 100, chunk(&tp, 100..101, 101)));
        let new = a.get(&tp).unwrap().generation;
        assert_ne!(old, new);
        // So is one for the right generation at the wrong offset.
        assert!(!a.buffer_chunk(&tp, new, 0, chunk(&tp, 0..1, 1)));
        assert!(a.buffer_chunk(&tp, new, 100, chunk(&tp, 100..101, 101)));
        take(&mut a, 10, &mut out).unwrap();
        assert_eq!(out[0].offset, 100);
    }

    #[test]
    fn a_seek_during_a_reset_makes_the_partition_fetchable() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        a.get_mut(&tp).unwrap().resetting = true;
        assert!(!a.get(&tp).unwrap().is_fetchable());
        a.seek(&tp, Some(5), None).unwrap();
        assert!(
            a.get(&tp).unwrap().is_fetchable(),
            "the stale reset no longer holds it"
        );
    }

    #[test]
    fn a_seek_by_the_rebalance_listener_does_not_start_fetching_before_it_returns() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        a.get_mut(&tp).unwrap().awaiting_listener = true;
        a.seek(&tp, Some(5), None).unwrap();
        assert!(!a.get(&tp).unwrap().is_fetchable(), "held for the listener");
        a.get_mut(&tp).unwrap().awaiting_listener = false;
        assert!(a.get(&tp).unwrap().is_fetchable());
    }

    #[test]
    fn paused_partitions_keep_their_records_back() {
        let tps = [TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
        let mut a = assigned(&tps);
        for tp in &tps {
            let g = a.get(tp).unwrap().generation;
            assert!(a.buffer_chunk(tp, g, 0, chunk(tp, 0..3, 3)));
        }
        a.get_mut(&tps[0]).unwrap().paused = true;
        let mut out = Vec::new();
        take(&mut a, 100, &mut out).unwrap();
        assert!(out.iter().all(|r| r.partition == 1));
        assert_eq!(out.len(), 3);
        a.get_mut(&tps[0]).unwrap().paused = false;
        out.clear();
        take(&mut a, 100, &mut out).unwrap();
        assert!(out.iter().all(|r| r.partition == 0));
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn errors_come_out_once_and_after_collected_records() {
        let tps = [TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
        let mut a = assigned(&tps);
        let g = a.get(&tps[0]).unwrap().generation;
        assert!(a.buffer_chunk(&tps[0], g, 0, chunk(&tps[0], 0..2, 2)));
        a.get_mut(&tps[1]).unwrap().error = Some(KrafkaError::state("boom"));
        let mut out = Vec::new();
        assert!(take(&mut a, 100, &mut out).is_ok());
        assert_eq!(out.len(), 2);
        out.clear();
        assert!(take(&mut a, 100, &mut out).is_err());
        assert!(take(&mut a, 100, &mut out).is_ok());
        assert!(out.is_empty());
    }

    #[test]
    fn reassignment_keeps_positions_of_partitions_that_stay() {
        let tps = [TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
        let mut a = assigned(&tps);
        a.seek(&tps[0], Some(42), None).unwrap();
        let added = a.assign([tps[0].clone(), TopicPartition::new("u", 0)]);
        assert_eq!(added, [TopicPartition::new("u", 0)]);
        assert_eq!(a.get(&tps[0]).unwrap().position, Some(42));
        assert!(a.get(&tps[1]).is_none());
        assert!(a.seek(&tps[1], Some(1), None).is_err());
        assert_eq!(a.get(&TopicPartition::new("u", 0)).unwrap().position, None);
    }

    #[test]
    fn lag_uses_the_lso_under_read_committed() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        let s = a.get_mut(&tp).unwrap();
        assert_eq!(s.lag(false), None);
        s.high_watermark = Some(10);
        s.last_stable_offset = Some(6);
        s.position = Some(4);
        assert_eq!(s.lag(false), Some(6));
        assert_eq!(s.lag(true), Some(2));
    }

    /// A chunk of zstd batches from offset 0, of `sizes` records each.
    #[cfg(feature = "zstd")]
    fn zstd_batches(tp: &TopicPartition, sizes: &[i64]) -> FetchedChunk {
        zstd_batches_breaking(tp, sizes, None)
    }

    /// [`zstd_batches`], the batch at index `broken` made undecodable (its
    /// zstd frame's magic number spoiled, the CRC not checked).
    #[cfg(feature = "zstd")]
    fn zstd_batches_breaking(
        tp: &TopicPartition,
        sizes: &[i64],
        broken: Option<usize>,
    ) -> FetchedChunk {
        let mut records = Vec::new();
        let mut base = 0;
        for &size in sizes {
            let mut builder = RecordBatchBuilder::new()
                .base_offset(base)
                .compression(Compression::Zstd);
            for _ in 0..size {
                builder = builder.add_record(None, Some(&[7; 1000]), vec![]);
            }
            let start = records.len();
            records.extend_from_slice(&builder.build().unwrap());
            if broken == Some(base as usize / 4) {
                records[start + 61] ^= 0xff;
            }
            base += size;
        }
        let topic: Arc<str> = Arc::from(tp.topic.as_str());
        scan_records(&topic, tp.partition, records.into(), 0, false, |_| false).unwrap()
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn compressed_batches_open_one_at_a_time_within_the_budget() {
        let tps = [TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
        let mut a = assigned(&tps);
        for tp in &tps {
            let g = a.get(tp).unwrap().generation;
            assert!(a.buffer_chunk(tp, g, 0, zstd_batches(tp, &[4, 4])));
        }
        assert_eq!(a.buffered_bytes(), 0, "nothing decompressed when buffered");
        // A budget below one batch: one batch open at a time, and a take
        // that already holds a batch's records opens no other.
        let budget = 1000;
        let mut seen: Vec<(i32, i64)> = Vec::new();
        let mut takes = 0;
        while seen.len() < 16 {
            let mut out = Vec::new();
            take_budget(&mut a, 100, &mut out, budget).unwrap();
            assert!(!out.is_empty(), "every take makes progress");
            let batches: std::collections::BTreeSet<(i32, i64)> =
                out.iter().map(|r| (r.partition, r.offset / 4)).collect();
            assert_eq!(batches.len(), 1, "one batch per take: {batches:?}");
            // The open batch's one chunk: the least a chunk is.
            assert!(a.buffered_bytes() <= 16 * 1024, "{}", a.buffered_bytes());
            seen.extend(out.iter().map(|r| (r.partition, r.offset)));
            takes += 1;
        }
        assert_eq!(takes, 4);
        for p in [0, 1] {
            let offsets: Vec<i64> = seen.iter().filter(|r| r.0 == p).map(|r| r.1).collect();
            assert_eq!(offsets, (0..8).collect::<Vec<_>>());
        }
        assert_eq!(a.buffered_bytes(), 0);
        // A roomy budget opens the next batch within the same take.
        let mut a = assigned(&tps[..1]);
        let g = a.get(&tps[0]).unwrap().generation;
        assert!(a.buffer_chunk(&tps[0], g, 0, zstd_batches(&tps[0], &[4, 4])));
        let mut out = Vec::new();
        assert!(take_budget(&mut a, 100, &mut out, usize::MAX).unwrap());
        assert_eq!(out.len(), 8);
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn a_seek_while_a_batch_is_decompressed_discards_it() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        let g = a.get(&tp).unwrap().generation;
        assert!(a.buffer_chunk(&tp, g, 0, zstd_batches(&tp, &[4])));
        let mut taking = Taking::default();
        let mut out = Vec::new();
        let mut job = a
            .take(10, &mut out, usize::MAX, &mut taking)
            .unwrap()
            .unwrap();
        assert!(!a.get(&tp).unwrap().is_fetchable(), "still buffered");
        // A second taker meanwhile skips the partition.
        let mut other = Taking::default();
        assert!(
            a.take(10, &mut out, usize::MAX, &mut other)
                .unwrap()
                .is_none()
        );
        a.seek(&tp, Some(2), None).unwrap();
        let result = job.run();
        a.finish_decompression(job, result, &mut taking);
        assert_eq!(a.buffered_bytes(), 0);
        assert!(out.is_empty());
        assert!(a.get(&tp).unwrap().is_fetchable());
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn a_batch_that_fails_to_decompress_is_an_error_only_when_nothing_came_before() {
        let tp = TopicPartition::new("t", 0);
        let mut a = assigned(std::slice::from_ref(&tp));
        let g = a.get(&tp).unwrap().generation;
        assert!(a.buffer_chunk(&tp, g, 0, zstd_batches_breaking(&tp, &[4, 4], Some(0))));
        let mut out = Vec::new();
        let mut taking = Taking::default();
        let mut job = a
            .take(10, &mut out, usize::MAX, &mut taking)
            .unwrap()
            .unwrap();
        let failed = job.run();
        a.finish_decompression(job, failed, &mut taking);
        assert!(taking.drained);
        assert!(matches!(
            take(&mut a, 10, &mut out),
            Err(KrafkaError::Compression(_))
        ));
        assert_eq!(a.get(&tp).unwrap().position, Some(0));
        // After records were handed out the chunk just ends at the bad batch.
        a.seek(&tp, Some(0), None).unwrap();
        let g = a.get(&tp).unwrap().generation;
        assert!(a.buffer_chunk(&tp, g, 0, zstd_batches_breaking(&tp, &[4, 4], Some(1))));
        let mut taking = Taking::default();
        while let Some(mut job) = a.take(10, &mut out, usize::MAX, &mut taking).unwrap() {
            let result = job.run();
            a.finish_decompression(job, result, &mut taking);
        }
        assert_eq!(out.len(), 4);
        assert_eq!(a.get(&tp).unwrap().position, Some(4));
        assert!(a.get(&tp).unwrap().is_fetchable());
    }

    #[test]
    fn every_partition_is_visited_round_robin() {
        let tps: Vec<TopicPartition> = (0..3).map(|p| TopicPartition::new("t", p)).collect();
        let mut a = assigned(&tps);
        for tp in &tps {
            let g = a.get(tp).unwrap().generation;
            assert!(a.buffer_chunk(tp, g, 0, chunk(tp, 0..3, 3)));
        }
        let mut out = Vec::new();
        take(&mut a, 2, &mut out).unwrap();
        take(&mut a, 2, &mut out).unwrap();
        let partitions: Vec<i32> = out.iter().map(|r| r.partition).collect();
        assert_eq!(partitions, [0, 0, 1, 1]);
        take(&mut a, 100, &mut out).unwrap();
        assert_eq!(out.len(), 9, "every record of every partition");
    }
}
