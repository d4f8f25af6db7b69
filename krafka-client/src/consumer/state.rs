//! The assignment: every assigned partition's position, fetched-but-not-yet
//! delivered records, pause flag and fetch bookkeeping.
//!
//! A partition's position is the offset of the next record the application
//! gets; it moves only when records are handed out. Every seek, reset or
//! re-assignment bumps the partition's *generation* and drops its buffered
//! records, so a fetch response that was in flight for the old position is
//! recognised (its generation no longer matches) and thrown away.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use krafka_core::KrafkaError;

use super::memory::{BufferedMemory, ResponseCharge};
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
    /// The leader epoch the position was last fetched or validated under
    /// (KIP-320: a new leader epoch means the position must be validated).
    pub(crate) validated_epoch: Option<i32>,
    /// Fetched records not handed out yet, in offset order.
    buffer: VecDeque<ConsumerRecord>,
    /// The offset after the buffered chunk (past skipped control or aborted
    /// records too): the position once the buffer is drained.
    buffer_end: i64,
    /// The buffered records' response, counted while they are here.
    charge: Option<Arc<ResponseCharge>>,
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
            validated_epoch: None,
            buffer: VecDeque::new(),
            buffer_end: 0,
            charge: None,
            high_watermark: None,
            last_stable_offset: None,
            log_start_offset: None,
            preferred_replica: None,
            error: None,
        }
    }

    /// Whether records wait to be handed out.
    pub(crate) fn has_buffered(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// Whether a fetch for this partition may be sent now: it has a position,
    /// nothing buffered (Java's rule: the position a fetch starts at is the
    /// application's, so a partition is fetched again only once its records
    /// are all delivered), no fetch or reset underway, no pending error and
    /// it is not paused.
    pub(crate) fn is_fetchable(&self) -> bool {
        self.position.is_some()
            && self.buffer.is_empty()
            && !self.in_flight
            && !self.resetting
            && !self.paused
            && self.error.is_none()
    }

    /// Moves to `offset`, dropping buffered records and invalidating fetches
    /// and resets in flight (a stale reset leaves the flag alone, as its
    /// generation no longer matches).
    fn seek(&mut self, offset: Option<i64>, epoch: Option<i32>) {
        self.generation = self.generation.wrapping_add(1);
        self.resetting = false;
        self.position = offset;
        self.position_epoch = epoch;
        self.validated_epoch = None;
        self.clear_buffer();
        self.error = None;
    }

    fn clear_buffer(&mut self) {
        self.buffer.clear();
        self.charge = None;
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

/// A fetched chunk of one partition, ready to be buffered.
#[derive(Debug, Default)]
pub(crate) struct FetchedChunk {
    pub(crate) records: VecDeque<ConsumerRecord>,
    /// Offset after the last batch read (skipped ones included).
    pub(crate) next_offset: i64,
    /// Leader epoch of the last batch read.
    pub(crate) last_epoch: Option<i32>,
    /// The chunk's response, counted until the chunk is delivered.
    pub(crate) charge: Option<Arc<ResponseCharge>>,
}

/// Every assigned partition.
#[derive(Debug, Default)]
pub(crate) struct Assignment {
    partitions: HashMap<TopicPartition, PartitionState>,
    /// Assignment order; records are handed out round robin over it.
    order: Vec<TopicPartition>,
    next: usize,
    /// Bytes of the responses buffered records come from.
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

    /// Bytes of fetched data held by undelivered records.
    pub(crate) fn buffered_bytes(&self) -> usize {
        self.memory.bytes()
    }

    /// The counter fetched responses are charged to.
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
        if chunk.records.is_empty() {
            // Only control or aborted batches: nothing to deliver, move on.
            if chunk.next_offset > fetch_offset {
                state.position = Some(chunk.next_offset);
                state.position_epoch = chunk.last_epoch.or(state.position_epoch);
            }
            return true;
        }
        state.buffer = chunk.records;
        state.buffer_end = chunk.next_offset;
        state.charge = chunk.charge;
        true
    }

    /// Hands out up to `max` records (round robin over the partitions that
    /// are not paused), advancing positions. A partition's pending error is
    /// returned instead when no record was collected before it. Returns
    /// whether some partition became fetchable again.
    pub(crate) fn take(
        &mut self,
        max: usize,
        out: &mut impl Extend<ConsumerRecord>,
    ) -> Result<bool, KrafkaError> {
        let count = self.order.len();
        let mut taken = 0;
        let mut drained = false;
        for step in 0..count {
            if taken >= max {
                break;
            }
            let index = (self.next + step) % count;
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
            if state.error.is_some() {
                if taken > 0 {
                    break;
                }
                self.next = (index + 1) % count;
                if let Some(error) = state.error.take() {
                    return Err(error);
                }
            }
            let n = (max - taken).min(state.buffer.len());
            let Some(last) = n.checked_sub(1).and_then(|i| state.buffer.get(i)) else {
                continue;
            };
            state.position = Some(last.offset.saturating_add(1));
            state.position_epoch = last.leader_epoch.or(state.position_epoch);
            out.extend(state.buffer.drain(..n));
            taken += n;
            if state.buffer.is_empty() {
                if state.position.is_some_and(|p| p < state.buffer_end) {
                    state.position = Some(state.buffer_end);
                }
                state.charge = None;
                drained = true;
            }
            self.next = (index + 1) % count;
        }
        Ok(drained)
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
    use krafka_core::records::TimestampType;

    fn record(tp: &TopicPartition, offset: i64) -> ConsumerRecord {
        ConsumerRecord {
            topic: Arc::from(tp.topic.as_str()),
            partition: tp.partition,
            offset,
            timestamp: 0,
            timestamp_type: TimestampType::CreateTime,
            key: None,
            value: None,
            headers: Vec::new(),
            leader_epoch: Some(3),
        }
    }

    fn chunk(tp: &TopicPartition, offsets: std::ops::Range<i64>, next: i64) -> FetchedChunk {
        FetchedChunk {
            records: offsets.map(|o| record(tp, o)).collect(),
            next_offset: next,
            last_epoch: Some(3),
            charge: None,
        }
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
        fetched.charge = Some(a.memory().charge(100));
        assert!(a.buffer_chunk(&tp, generation, 0, fetched));
        assert_eq!(a.buffered_bytes(), 100);
        assert!(
            !a.get(&tp).unwrap().is_fetchable(),
            "buffered: not fetched again"
        );
        assert_eq!(a.get(&tp).unwrap().position, Some(0));

        let mut out = Vec::new();
        assert!(!a.take(2, &mut out).unwrap());
        assert_eq!(out.iter().map(|r| r.offset).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(a.get(&tp).unwrap().position, Some(2));
        out.clear();
        assert!(a.take(10, &mut out).unwrap(), "drained");
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
        fetched.charge = Some(a.memory().charge(100));
        assert!(a.buffer_chunk(&tp, old, 0, fetched));
        a.seek(&tp, Some(100), None).unwrap();
        assert_eq!(a.buffered_bytes(), 0);
        let mut out = Vec::new();
        a.take(10, &mut out).unwrap();
        assert!(out.is_empty());
        // A response for the old generation is refused even at the new offset.
        assert!(!a.buffer_chunk(&tp, old, 100, chunk(&tp, 100..101, 101)));
        let new = a.get(&tp).unwrap().generation;
        assert_ne!(old, new);
        // So is one for the right generation at the wrong offset.
        assert!(!a.buffer_chunk(&tp, new, 0, chunk(&tp, 0..1, 1)));
        assert!(a.buffer_chunk(&tp, new, 100, chunk(&tp, 100..101, 101)));
        a.take(10, &mut out).unwrap();
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
    fn paused_partitions_keep_their_records_back() {
        let tps = [TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
        let mut a = assigned(&tps);
        for tp in &tps {
            let g = a.get(tp).unwrap().generation;
            assert!(a.buffer_chunk(tp, g, 0, chunk(tp, 0..3, 3)));
        }
        a.get_mut(&tps[0]).unwrap().paused = true;
        let mut out = Vec::new();
        a.take(100, &mut out).unwrap();
        assert!(out.iter().all(|r| r.partition == 1));
        assert_eq!(out.len(), 3);
        a.get_mut(&tps[0]).unwrap().paused = false;
        out.clear();
        a.take(100, &mut out).unwrap();
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
        assert!(a.take(100, &mut out).is_ok());
        assert_eq!(out.len(), 2);
        out.clear();
        assert!(a.take(100, &mut out).is_err());
        assert!(a.take(100, &mut out).is_ok());
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
}
