//! The record accumulator: per-partition queues of batches, bounded by
//! `buffer.memory`, drained into Produce requests by the sender.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use krafka_core::records::{Compression, Header, RecordBatchBuilder};
use krafka_core::{ErrorCode, KrafkaError};

use super::active::ActiveQueues;
use super::batch::{Memory, ProducerBatch, ProducerId, builder, increment_sequence};
use super::completion::{BatchCompletion, Completer};
use super::partitioner::StickyPartitions;
use super::queue::PartitionQueue;
use super::record::DeliveryFuture;
use super::stats::DeliveryStats;
use super::transaction::TxnState;
use crate::cluster::ClusterMetadata;

mod adaptive;
mod split;

use adaptive::NodeStats;
pub(crate) use adaptive::growth_limit;

/// What [`Accumulator::append`] did.
#[derive(Debug)]
pub(crate) enum Appended {
    /// Queued; `wake` says the sender should look at the queues now, `full`
    /// that the record's batch has no room for another like it.
    Queued {
        future: DeliveryFuture,
        wake: bool,
        full: bool,
    },
    /// A new batch is needed and this much `buffer.memory` must be charged
    /// for its buffer first (outside the lock); then append again.
    NeedsMemory(usize),
}

/// Settings the accumulator needs.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub(crate) batch_size: usize,
    pub(crate) linger: Duration,
    pub(crate) delivery_timeout: Duration,
    pub(crate) max_request_size: usize,
    /// How far an open batch may grow past `batch.size` while its
    /// partition cannot send ([`growth_limit`]); `batch.size` or less: never.
    pub(crate) grow_limit: usize,
    pub(crate) max_in_flight: usize,
    pub(crate) retries: u32,
    pub(crate) compression: Compression,
    pub(crate) compression_level: Option<i32>,
    pub(crate) idempotent: bool,
    /// Batches carry the transactional flag.
    pub(crate) transactional: bool,
    /// KIP-794 adaptive partitioning (`partitioner.adaptive.partitioning.enable`).
    pub(crate) adaptive_partitioning: bool,
    /// `partitioner.availability.timeout.ms` (zero: off).
    pub(crate) availability_timeout: Duration,
}

/// The timer's granularity: tokio fires sleeps on whole milliseconds, up to
/// one late.
const TIMER_TICK: Duration = Duration::from_millis(1);

impl Limits {
    /// When a batch opened at `created` has lingered enough: at the last
    /// timer tick before `linger.ms` ends (at most half of it early). Waiting
    /// for the exact end made every lingering batch leave up to a tick after
    /// `linger.ms`, which is an upper bound (Java: "up to"); now batches leave
    /// within `[linger.ms - 1 ms, linger.ms]`.
    fn linger_done(&self, created: Instant) -> Instant {
        created + self.linger - (self.linger / 2).min(TIMER_TICK)
    }

    /// Until when a batch opened at `created` keeps taking records past
    /// `batch.size` (up to the growth limit) instead of leaving full: a
    /// [`QUICK_FILL_SHARE`] of `linger.ms` (none at `linger.ms=0`), or
    /// `None` once `now` is past it.
    ///
    /// A batch that fills `batch.size` that soon belongs to a stream fast
    /// enough that sending every 16 KiB makes a request per fraction of a
    /// millisecond, and on the broker each request costs far more than its
    /// bytes: at 500,000 records/s of 100 B (acks=all, one node) the
    /// broker spent 2.4-2.7 s of CPU per 5 s on krafka's ~3,000 requests a
    /// second against 0.8-0.9 s on librdkafka's, and on two cores that
    /// queueing became krafka's p99 (13-14 ms against 9-10 ms). Such a
    /// batch now waits until it is this old, still within `linger.ms`; a
    /// slower stream (a batch not full by then) is sent as Java sends it,
    /// as soon as it is full. Half of `linger.ms` rather than a quarter:
    /// with a quarter, 100,000 records/s of 100 B (16 KiB in ~1.4 ms) still
    /// went out a request per batch.size, and the p99 at 500,000/s came
    /// close to librdkafka's once the broker was loaded (see the README's
    /// "Producer batching").
    pub(super) fn quick_fill_until(&self, created: Instant, now: Instant) -> Option<Instant> {
        (!self.linger.is_zero() && self.grow_limit > self.batch_size)
            .then(|| created + self.linger / QUICK_FILL_SHARE)
            .filter(|until| now < *until)
    }

    /// Whether a batch opened at `created` is still in its quick-fill
    /// window at `now`.
    pub(super) fn quick_filling(&self, created: Instant, now: Instant) -> bool {
        self.quick_fill_until(created, now).is_some()
    }
}

/// The share of `linger.ms` a batch that filled up sooner keeps filling for
/// (see [`Limits::quick_fill_until`]).
const QUICK_FILL_SHARE: u32 = 2;

/// Batches bound for one broker in one Produce request.
#[derive(Debug)]
pub(crate) struct Drained {
    pub(crate) node_id: i32,
    pub(crate) batches: Vec<ProducerBatch>,
}

/// What came back for one batch.
#[derive(Debug)]
pub(crate) enum Outcome {
    Written {
        base_offset: i64,
        log_append_time: i64,
    },
    Failed(KrafkaError),
}

/// Everything under the producer's lock.
#[derive(Debug)]
pub(crate) struct Accumulator {
    limits: Limits,
    /// Every partition's queue; never removed, so an index stays valid.
    queues: Vec<PartitionQueue>,
    /// Queue index by topic, then partition (`usize::MAX`: none yet). A
    /// partition reaches here only once checked against its topic's
    /// partition count, which is the number of partitions the metadata
    /// actually listed (`ClusterMetadata::update` refuses any other index),
    /// so no lying number sizes this vector.
    slots: BTreeMap<String, Vec<usize>>,
    /// The queues that hold batches: what drains and expiry look at, in
    /// the order the next drain visits them (rotating, so that no partition
    /// is always last when a request fills up).
    active: ActiveQueues,
    sticky: StickyPartitions,
    next_batch_id: u64,
    /// Batches created and not yet completed, by id (a split batch counts
    /// once per part).
    incomplete: BTreeMap<u64, u32>,
    /// Batches with an id below this are sent at once (a flush is waiting).
    flush_before: u64,
    /// Requests in flight and drain progress, by broker (a few entries).
    nodes: BTreeMap<i32, NodeStats>,
    pub(crate) producer_id: ProducerId,
    /// The epoch cannot be bumped further: a new producer id is needed.
    pub(crate) needs_producer_id: bool,
    /// A batch's sequences cannot be resolved in this epoch: once nothing
    /// is in flight, the epoch is bumped and sequences restart.
    bump_pending: bool,
    /// Some partition has no known leader, or a broker said it is not one.
    pub(crate) needs_metadata: bool,
    pub(crate) closed: bool,
    /// The sender will look at the queues by then (set by the sender each
    /// time it drains; `None`: no promise). A new lingering batch that is
    /// due no earlier needs no wake-up.
    pub(crate) sender_wake_at: Option<Instant>,
    /// Delivered / failed record counts, updated as batches settle.
    pub(crate) stats: Arc<DeliveryStats>,
    /// A transactional producer's transaction.
    pub(crate) txn: Option<TxnState>,
}

impl Accumulator {
    pub(crate) fn new(limits: Limits) -> Self {
        let limits_transactional = limits.transactional;
        Accumulator {
            queues: Vec::new(),
            slots: BTreeMap::new(),
            active: ActiveQueues::default(),
            sticky: StickyPartitions::new(limits.adaptive_partitioning),
            next_batch_id: 0,
            incomplete: BTreeMap::new(),
            flush_before: 0,
            nodes: BTreeMap::new(),
            producer_id: ProducerId::NONE,
            needs_producer_id: false,
            bump_pending: false,
            needs_metadata: false,
            closed: false,
            sender_wake_at: None,
            stats: Arc::default(),
            txn: limits_transactional.then(TxnState::new),
            limits,
        }
    }

    /// The index of a partition's queue, created on first use.
    fn slot(&mut self, topic: &str, partition: i32) -> usize {
        let index = usize::try_from(partition).unwrap_or(0);
        if let Some(&slot) = self.slots.get(topic).and_then(|s| s.get(index)) {
            if slot != usize::MAX {
                return slot;
            }
        }
        let slot = self.queues.len();
        self.queues.push(PartitionQueue::new(topic, partition));
        let slots = self.slots.entry(topic.to_owned()).or_default();
        if slots.len() <= index {
            slots.resize(index + 1, usize::MAX);
        }
        slots[index] = slot;
        slot
    }

    /// Appends a record to the partition's open batch, or to a new one
    /// holding `memory` (asked for with [`Appended::NeedsMemory`] when
    /// `None`). Memory left in `memory` was not needed.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn append(
        &mut self,
        topic: &str,
        partition: i32,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[Header],
        size: usize,
        memory: &mut Option<Memory>,
    ) -> Result<Appended, KrafkaError> {
        let slot = self.slot(topic, partition);
        let batch_size = self.limits.batch_size;
        let linger_zero = self.limits.linger.is_zero();
        let fits = self.queues[slot]
            .batches
            .back()
            .is_some_and(|batch| batch.has_room(size));
        let mut created = false;
        let mut was_full = false;
        if fits {
            was_full = self.queues[slot]
                .batches
                .back()
                .is_some_and(|batch| batch.is_full(batch_size));
        } else if self.may_grow(
            slot,
            size,
            memory.as_ref().map_or(0, Memory::bytes),
            Instant::now(),
        ) {
            if let Some(memory) = memory.take() {
                self.grow(slot, size, memory);
            }
            was_full = true;
        } else {
            let Some(memory) = memory.take() else {
                return Ok(Appended::NeedsMemory(batch_size.max(size)));
            };
            let id = self.next_batch_id;
            self.next_batch_id += 1;
            self.incomplete.insert(id, 1);
            let builder = self.new_builder(batch_size.max(size));
            let limits = &self.limits;
            self.queues[slot].batches.push_back(ProducerBatch {
                id,
                topic: topic.to_owned(),
                partition,
                slot,
                builder: Some(builder),
                built: None,
                stamp: None,
                retry: false,
                maybe_written: false,
                compression: limits.compression,
                compression_level: limits.compression_level,
                transactional: limits.transactional,
                completer: Completer::new(
                    BatchCompletion::new(topic, partition),
                    Arc::clone(&self.stats),
                ),
                created: Instant::now(),
                attempts: 0,
                memory,
                limit: batch_size,
                estimated: 0,
                sticky_left: false,
            });
            self.active.insert(slot);
            created = true;
        }
        let queue = &mut self.queues[slot];
        let Some(batch) = queue.batches.back_mut() else {
            return Err(KrafkaError::state("no open batch after creating one"));
        };
        let Some(builder) = batch.builder.as_mut() else {
            return Err(KrafkaError::state("the open batch was already built"));
        };
        builder.push_record(Some(timestamp), key, value, headers)?;
        batch.estimated = batch.estimated.saturating_add(size);
        let index = batch.completer.add();
        let full = batch.is_full(batch_size);
        let future =
            DeliveryFuture::new(Arc::clone(batch.completer.completion()), index, timestamp);
        let lingers_past_wake = self
            .sender_wake_at
            .is_none_or(|at| at > self.limits.linger_done(batch.created));
        // The sender needs a nudge only when a batch became ready (this one
        // just filled up, or a new one started because the last was) or a new one
        // starts lingering; a partition that may not send more now is looked
        // at again when one of its requests finishes.
        let ready = (full && !was_full) || (created && queue.batches.len() > 1);
        let wake = linger_zero
            || (queue.may_send(self.limits.max_in_flight)
                && (ready || (created && lingers_past_wake)));
        Ok(Appended::Queued { future, wake, full })
    }

    /// Makes every batch created so far ready, and returns the id every
    /// batch below which the flush waits for.
    pub(crate) fn begin_flush(&mut self) -> u64 {
        self.flush_before = self.flush_before.max(self.next_batch_id);
        self.next_batch_id
    }

    /// Whether every batch with an id below `before` is complete.
    pub(crate) fn flushed(&self, before: u64) -> bool {
        self.incomplete
            .first_key_value()
            .is_none_or(|(&first, _)| first >= before)
    }

    /// Whether nothing is queued or in flight.
    pub(crate) fn is_empty(&self) -> bool {
        self.incomplete.is_empty()
    }

    /// Fails batches that waited past `delivery.timeout.ms`, takes the
    /// ready ones (grouped by leader, at most `max.request.size` bytes and
    /// `max.in.flight` requests per broker) and returns them with the next
    /// instant something becomes ready.
    ///
    /// `generation` is the metadata's ([`Cluster::metadata_generation`],
    /// read before the snapshot): each queue keeps its leader while it
    /// stays the same.
    ///
    /// [`Cluster::metadata_generation`]: crate::cluster::Cluster::metadata_generation
    pub(crate) fn drain(
        &mut self,
        metadata: &ClusterMetadata,
        generation: u64,
        now: Instant,
        memory_low: bool,
    ) -> (Vec<Drained>, Option<Instant>) {
        let limits = self.limits.clone();
        let mut next_wake: Option<Instant> = None;
        let mut wake_at = |at: Instant| {
            next_wake = Some(next_wake.map_or(at, |w| w.min(at)));
        };
        self.expire(now);
        if self.bump_pending {
            if self.queues.iter().any(|q| !q.in_flight.is_empty()) {
                // Each request that ends wakes the sender.
                return (Vec::new(), None);
            }
            self.bump_epoch();
            if self.needs_producer_id {
                return (Vec::new(), None);
            }
        }
        // Under transaction version 1 a partition's batches wait until
        // AddPartitionsToTxn added it (the sender asks first).
        let gated = self.txn.as_ref().is_some_and(|t| !t.v2);
        let mut requests: BTreeMap<i32, (usize, Vec<ProducerBatch>)> = BTreeMap::new();
        // Leaders with a partition that has another batch ready.
        let mut more_ready = Vec::new();
        for position in 0..self.active.len() {
            let Some(queue) = self
                .active
                .get(position)
                .and_then(|slot| self.queues.get_mut(slot))
            else {
                continue;
            };
            queue.forget_idle_producer(now);
            if !queue.may_send(limits.max_in_flight) || (gated && !queue.in_txn) {
                // Waiting for its own requests is waiting for the leader too.
                if let Some(node) = queue.leader.filter(|_| !queue.batches.is_empty()) {
                    NodeStats::ready(&mut self.nodes, &limits, node, now, false);
                }
                continue;
            }
            let Some(front) = queue.batches.front() else {
                continue;
            };
            wake_at(front.created + limits.delivery_timeout);
            if let Some(at) = queue.retry_at {
                if at > now {
                    wake_at(at);
                    continue;
                }
            }
            let linger_done = limits.linger_done(front.created);
            let alone = queue.batches.len() == 1 && !front.retry;
            let is_full = front.is_full(limits.batch_size);
            // A full batch still in its quick-fill window waits for it to end.
            let filling_until = if alone
                && is_full
                && !front.sticky_left
                && front.may_take_another(limits.grow_limit)
            {
                limits.quick_fill_until(front.created, now)
            } else {
                None
            };
            if let Some(until) = filling_until {
                wake_at(until);
            }
            let full = !alone || (is_full && filling_until.is_none());
            let ready = full
                || linger_done <= now
                || front.id < self.flush_before
                || self.closed
                || memory_low;
            if !ready {
                wake_at(linger_done);
                continue;
            }
            let size = front
                .built
                .as_ref()
                .map_or_else(|| front.open_len(), |b| b.bytes.len());
            let Some(node) = queue.leader_for(metadata, generation) else {
                self.needs_metadata = true;
                continue;
            };
            let (bytes, batches) = requests.entry(node).or_default();
            let in_flight = self.nodes.get(&node).map_or(0, |n| n.in_flight);
            let can_drain = !batches.is_empty() || in_flight < limits.max_in_flight;
            NodeStats::ready(&mut self.nodes, &limits, node, now, can_drain);
            if !can_drain {
                continue;
            }
            if !batches.is_empty() && bytes.saturating_add(size) > limits.max_request_size {
                // The request is full: the next pass starts another one.
                wake_at(now);
                continue;
            }
            let Some(batch) = queue.batches.pop_front() else {
                continue;
            };
            *bytes = bytes.saturating_add(size);
            queue.in_flight.push(batch.id);
            queue.retry_in_flight = batch.retry;
            queue.retry_at = None;
            // A batch behind this one is full: it can go in the next request.
            if queue.batches.len() > 1 && queue.may_send(limits.max_in_flight) {
                more_ready.push(node);
            }
            batches.push(batch);
        }
        let queues = &self.queues;
        self.active.rotate();
        self.active
            .retain(|slot| queues.get(slot).is_some_and(|q| !q.batches.is_empty()));
        if let Some(txn) = &mut self.txn {
            // Produce v12+ adds the partitions (transaction version 2).
            txn.started |= requests.values().any(|(_, batches)| !batches.is_empty());
        }
        let mut drained = Vec::new();
        for (node_id, (_, mut batches)) in requests {
            if batches.is_empty() {
                continue;
            }
            for batch in &mut batches {
                batch.stamp = self.stamp_for(batch);
            }
            let stats = self.nodes.entry(node_id).or_default();
            stats.in_flight += 1;
            if stats.in_flight < limits.max_in_flight && more_ready.contains(&node_id) {
                wake_at(now);
            }
            drained.push(Drained { node_id, batches });
        }
        (drained, next_wake)
    }

    /// Fails the queued batches that waited past `delivery.timeout.ms`
    /// (in-flight batches are not in the queues). Runs on every drain, and
    /// on its own while the sender waits for a producer id.
    pub(crate) fn expire(&mut self, now: Instant) {
        let limits = self.limits.clone();
        let mut expired = Vec::new();
        for slot in self.active.iter() {
            let Some(queue) = self.queues.get_mut(slot) else {
                continue;
            };
            while queue.batches.front().is_some_and(|b| {
                now.saturating_duration_since(b.created) >= limits.delivery_timeout
            }) {
                if let Some(batch) = queue.batches.pop_front() {
                    expired.push(batch);
                }
            }
        }
        for batch in expired {
            let error = KrafkaError::timeout(
                format!(
                    "delivering {} record(s) to {}-{}",
                    batch.record_count(),
                    batch.topic,
                    batch.partition
                ),
                limits.delivery_timeout,
            );
            self.give_up(batch, &error);
        }
    }

    /// Fails every queued batch (batches in flight settle when their
    /// requests end): a close that ran out of time.
    pub(crate) fn abort_queued(&mut self, error: &KrafkaError) {
        let mut aborted = Vec::new();
        for slot in self.active.iter() {
            if let Some(queue) = self.queues.get_mut(slot) {
                aborted.extend(queue.batches.drain(..));
            }
        }
        for batch in aborted {
            self.give_up(batch, error);
        }
    }

    /// Fails `batch` for good: its sequences are handed back or settled
    /// (see [`Accumulator::give_up_sequences`]) and, inside a transaction,
    /// the transaction cannot commit.
    fn give_up(&mut self, batch: ProducerBatch, error: &KrafkaError) {
        self.give_up_sequences(&batch);
        self.finish_batch(batch.id);
        if let Some(txn) = &mut self.txn {
            let sequences = matches!(
                error.error_code(),
                Some(ErrorCode::OutOfOrderSequenceNumber | ErrorCode::UnknownProducerId)
            );
            txn.batch_failed(error, sequences || batch.maybe_written);
        }
        batch.fail(error);
    }

    /// The stamp a drained batch goes out with: its own when it has one
    /// from this producer id (re-stamping a batch that went out could let
    /// the broker write it twice), else the partition's next sequences in
    /// the current epoch.
    fn stamp_for(&mut self, batch: &ProducerBatch) -> Option<(ProducerId, i32)> {
        if !self.limits.idempotent {
            return None;
        }
        if let Some((stamp, sequence)) = batch.stamp {
            if stamp.id == self.producer_id.id {
                return Some((stamp, sequence));
            }
        }
        let queue = self.queues.get_mut(batch.slot)?;
        let sequence = queue.next_sequence;
        let count = i32::try_from(batch.record_count()).unwrap_or(i32::MAX);
        queue.next_sequence = increment_sequence(sequence, count);
        Some((self.producer_id, sequence))
    }

    fn new_builder(&self, capacity: usize) -> RecordBatchBuilder {
        builder(
            self.limits.compression,
            self.limits.compression_level,
            self.limits.transactional,
            capacity,
        )
    }

    fn finish_batch(&mut self, id: u64) {
        if let Some(count) = self.incomplete.get_mut(&id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.incomplete.remove(&id);
            }
        }
    }

    /// A request to `node_id` finished (whatever its outcome).
    pub(crate) fn request_done(&mut self, node_id: i32) {
        if let Some(stats) = self.nodes.get_mut(&node_id) {
            stats.in_flight = stats.in_flight.saturating_sub(1);
        }
    }

    /// Settles one batch of a finished request: success completes its
    /// records; a retriable error puts it back in its queue, in order (after
    /// the backoff, within `delivery.timeout.ms`); MESSAGE_TOO_LARGE splits
    /// it (unless an earlier attempt may have been written); a sequence error
    /// of the partition's oldest batch bumps the epoch first.
    pub(crate) fn complete(
        &mut self,
        mut batch: ProducerBatch,
        outcome: Outcome,
        backoff: &crate::backoff::ExponentialBackoff,
        now: Instant,
    ) {
        let slot = batch.slot;
        if let Some(queue) = self.queues.get_mut(slot) {
            queue.landed(&batch);
        }
        let error = match outcome {
            Outcome::Written {
                base_offset,
                log_append_time,
            } => {
                self.written(&batch, now);
                batch.succeed(base_offset, log_append_time);
                return;
            }
            Outcome::Failed(error) => error,
        };
        let code = error.error_code();
        if code == Some(ErrorCode::DuplicateSequenceNumber) {
            // The broker has this batch already (an earlier attempt got
            // through); Java reports success without an offset.
            self.written(&batch, now);
            batch.succeed(-1, -1);
            return;
        }
        let timed_out =
            now.saturating_duration_since(batch.created) >= self.limits.delivery_timeout;
        if matches!(
            code,
            Some(ErrorCode::MessageTooLarge | ErrorCode::RecordListTooLarge)
        ) && batch.record_count() > 1
            && !timed_out
            && !batch.maybe_written
        {
            let was_retry = batch.retry;
            match self.split(batch) {
                Ok(parts) => {
                    let id = parts.first().map_or(0, |p| p.id);
                    if let Some(queue) = self.queues.get_mut(slot) {
                        queue.put_back(was_retry, id, parts);
                        self.active.insert(slot);
                    }
                    return;
                }
                Err((batch, split_error)) => {
                    self.give_up(batch, &split_error);
                    return;
                }
            }
        }
        // A transactional producer leaves sequence errors to the abort,
        // which starts the new epoch through the coordinator.
        let sequence_error = self.limits.idempotent
            && self.txn.is_none()
            && matches!(
                code,
                Some(ErrorCode::OutOfOrderSequenceNumber | ErrorCode::UnknownProducerId)
            );
        // A sequence error that only follows an earlier batch's failure
        // does not count as an attempt of this batch.
        let follows_earlier = sequence_error && self.on_sequence_error(&mut batch);
        let retriable = error.is_retriable() || sequence_error;
        // Only an error code the broker answered for this batch (a refusal,
        // a sequence error) says that this attempt was not written.
        batch.maybe_written |= !sequence_error && (retriable || code.is_none());
        if retriable && batch.attempts < self.limits.retries && !timed_out {
            if error.invalidates_metadata() {
                self.needs_metadata = true;
            }
            let delay = backoff.delay(batch.attempts);
            if !follows_earlier {
                batch.attempts = batch.attempts.saturating_add(1);
            }
            tracing::debug!(error = &error as &dyn std::error::Error, topic = %batch.topic, partition = batch.partition, attempt = batch.attempts, ?delay, "retrying batch");
            let Some(queue) = self.queues.get_mut(slot) else {
                batch.fail(&KrafkaError::state("a batch without its partition queue"));
                return;
            };
            queue.retry_at = now.checked_add(delay);
            queue.put_back(batch.retry, batch.id, vec![batch]);
            self.active.insert(slot);
            return;
        }
        self.give_up(batch, &error);
    }

    fn written(&mut self, batch: &ProducerBatch, now: Instant) {
        let current = batch
            .stamp
            .is_none_or(|(stamp, _)| stamp == self.producer_id);
        if let Some(queue) = self.queues.get_mut(batch.slot) {
            if current {
                queue.confirmed = Some(now);
            }
        }
        self.finish_batch(batch.id);
    }

    /// OUT_OF_ORDER_SEQUENCE_NUMBER / UNKNOWN_PRODUCER_ID for `batch`;
    /// returns whether the error only follows from an older batch's failure
    /// (both are then retried in order with their stamps). On the
    /// partition's oldest batch the broker has lost track of the sequences:
    /// a new epoch starts (Java's KIP-360 behaviour), which proves that
    /// neither this batch nor any later one was written. A batch stamped in
    /// an earlier epoch, and every later one of the partition stamped then,
    /// gets a stamp of the current epoch (none of them was written).
    fn on_sequence_error(&mut self, batch: &mut ProducerBatch) -> bool {
        let Some((stamp, _)) = batch.stamp else {
            return false;
        };
        let Some(queue) = self.queues.get_mut(batch.slot) else {
            return false;
        };
        if !queue.is_oldest(batch) {
            return true;
        }
        if stamp == self.producer_id {
            self.request_bump(batch.slot);
        } else {
            batch.stamp = None;
            for later in &mut queue.batches {
                if later.stamp.is_some_and(|(s, _)| s == stamp) {
                    later.stamp = None;
                }
            }
        }
        false
    }

    /// A stamped batch is failed for good. Later batches must neither leave
    /// a gap in the partition's sequences nor reuse its sequences when the
    /// broker may have written it.
    ///
    /// While other stamped batches of the partition are unsettled, they
    /// settle it: if it was not written, the oldest of them gets
    /// OUT_OF_ORDER_SEQUENCE_NUMBER, which bumps the epoch (restamping them
    /// before that could write a batch the broker already has twice).
    /// Otherwise a refused batch that was the last stamped hands its
    /// sequences back, and one that may have been written starts a new
    /// epoch for the batches still unstamped, as Java does for unresolved
    /// sequences.
    fn give_up_sequences(&mut self, batch: &ProducerBatch) {
        let Some((stamp, sequence)) = batch.stamp else {
            return;
        };
        if stamp != self.producer_id {
            return;
        }
        let Some(queue) = self.queues.get_mut(batch.slot) else {
            return;
        };
        if !queue.in_flight.is_empty() || queue.batches.iter().any(|b| b.stamp.is_some()) {
            return;
        }
        let count = i32::try_from(batch.record_count()).unwrap_or(i32::MAX);
        if !batch.maybe_written && queue.next_sequence == increment_sequence(sequence, count) {
            queue.next_sequence = sequence;
        } else {
            self.request_bump(batch.slot);
        }
    }

    /// Asks for an epoch bump (once per epoch) that resequences `slot`.
    fn request_bump(&mut self, slot: usize) {
        if let Some(txn) = &mut self.txn {
            txn.bump_on_abort = true;
            return;
        }
        self.bump_pending = true;
        if let Some(queue) = self.queues.get_mut(slot) {
            queue.resequence = true;
        }
    }

    /// Bumps the epoch and restarts every partition's sequence at 0, as the
    /// Java idempotent producer does (KIP-360); past the last epoch a new
    /// producer id is needed. Runs when nothing is in flight, so no batch
    /// of the old epoch can still land after one of the new. The partitions
    /// that asked for it lose their stamps.
    fn bump_epoch(&mut self) {
        self.bump_pending = false;
        if self.producer_id.epoch == i16::MAX {
            self.needs_producer_id = true;
        } else {
            self.producer_id.epoch += 1;
        }
        tracing::debug!(
            producer_id = self.producer_id.id,
            epoch = self.producer_id.epoch,
            "bumped the producer epoch"
        );
        for queue in &mut self.queues {
            queue.next_sequence = 0;
            queue.confirmed = None;
            if std::mem::take(&mut queue.resequence) {
                for batch in &mut queue.batches {
                    batch.stamp = None;
                }
            }
        }
    }

    /// The partitions with batches waiting to be added to the transaction
    /// (transaction version 1), each once.
    pub(crate) fn partitions_to_add(&self) -> Vec<(String, i32)> {
        if self.txn.as_ref().is_none_or(|t| t.v2) {
            return Vec::new();
        }
        // In queue order (the order partitions were first written), not
        // the drain's rotating order: the same partitions, the same request.
        let mut slots: Vec<usize> = self
            .active
            .iter()
            .filter(|&slot| {
                self.queues
                    .get(slot)
                    .is_some_and(|q| !q.in_txn && !q.batches.is_empty())
            })
            .collect();
        slots.sort_unstable();
        slots
            .into_iter()
            .filter_map(|slot| self.queues.get(slot))
            .map(|q| (q.topic.clone(), q.partition))
            .collect()
    }

    /// AddPartitionsToTxn added `partitions`: their batches may go out.
    pub(crate) fn added_to_transaction(&mut self, partitions: &[(String, i32)]) {
        for (topic, partition) in partitions {
            let index = usize::try_from(*partition).unwrap_or(usize::MAX);
            if let Some(&slot) = self.slots.get(topic).and_then(|s| s.get(index)) {
                if let Some(queue) = self.queues.get_mut(slot) {
                    queue.in_txn = true;
                }
            }
        }
        if let Some(txn) = &mut self.txn {
            txn.started |= !partitions.is_empty();
        }
    }

    /// The transaction ended: the next one adds its partitions afresh.
    pub(crate) fn transaction_ended(&mut self) {
        for queue in &mut self.queues {
            queue.in_txn = false;
        }
        if let Some(txn) = &mut self.txn {
            txn.ended();
        }
    }

    /// A new producer id (after InitProducerId): sequences restart.
    pub(crate) fn set_producer_id(&mut self, producer_id: ProducerId) {
        self.producer_id = producer_id;
        self.needs_producer_id = false;
        for queue in &mut self.queues {
            queue.next_sequence = 0;
            queue.confirmed = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backoff::ExponentialBackoff;
    use crate::cluster::{BrokerNode, PartitionMetadata, TopicMetadata};
    use crate::producer::RecordMetadata;
    use krafka_core::codec::Uuid;
    use krafka_core::records::{Compressor, RecordBatch};
    use tokio::sync::Semaphore;

    fn limits() -> Limits {
        Limits {
            batch_size: 16_384,
            linger: Duration::ZERO,
            delivery_timeout: Duration::from_secs(60),
            max_request_size: 1 << 20,
            // Batches keep batch.size unless a test lets them grow.
            grow_limit: 16_384,
            max_in_flight: 5,
            retries: 10,
            compression: Compression::None,
            compression_level: None,
            idempotent: true,
            transactional: false,
            adaptive_partitioning: true,
            availability_timeout: Duration::ZERO,
        }
    }

    fn metadata() -> ClusterMetadata {
        metadata_with(1)
    }

    fn metadata_with(partitions: i32) -> ClusterMetadata {
        let mut md = ClusterMetadata::default();
        md.brokers.insert(
            1,
            BrokerNode {
                node_id: 1,
                host: "h".into(),
                port: 1,
                rack: None,
            },
        );
        md.topics.insert(
            "t".into(),
            Arc::new(TopicMetadata {
                name: "t".into(),
                topic_id: Uuid::ZERO,
                is_internal: false,
                partitions: (0..partitions)
                    .map(|partition| PartitionMetadata {
                        partition,
                        leader: Some(1),
                        leader_epoch: 0,
                        replicas: vec![1],
                        isr: vec![1],
                        offline_replicas: vec![],
                        error: None,
                    })
                    .collect(),
            }),
        );
        md
    }

    type Receivers = Vec<DeliveryFuture>;

    /// A new metadata generation for each drain: tests change the metadata
    /// between drains without a cluster to count updates.
    fn generation() -> u64 {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        NEXT.fetch_add(1, Ordering::Relaxed)
    }

    /// What each test record offers for a new batch: a whole `batch.size`
    /// buffer (given back when the record joins an open batch).
    const BUFFER: usize = 16_384;

    /// Appends one record, offering `charge` bytes of memory for a new
    /// batch (given back at once when the record joins an open batch).
    fn push(
        acc: &mut Accumulator,
        pool: &Arc<Semaphore>,
        partition: i32,
        value: &[u8],
        charge: usize,
    ) -> DeliveryFuture {
        let mut memory = Some(Memory::new(charge, Arc::clone(pool)));
        match acc
            .append(
                "t",
                partition,
                1000,
                None,
                Some(value),
                &[],
                10,
                &mut memory,
            )
            .unwrap()
        {
            Appended::Queued { future, .. } => future,
            Appended::NeedsMemory(_) => panic!("memory was offered"),
        }
    }

    /// The outcome of a delivery, if settled.
    fn try_recv(future: &mut DeliveryFuture) -> Option<Result<RecordMetadata, KrafkaError>> {
        use std::future::Future;
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::Pin::new(future).poll(&mut cx) {
            std::task::Poll::Ready(result) => Some(result),
            std::task::Poll::Pending => None,
        }
    }

    fn append(acc: &mut Accumulator, pool: &Arc<Semaphore>, values: &[&str]) -> Receivers {
        values
            .iter()
            .map(|value| push(acc, pool, 0, value.as_bytes(), BUFFER))
            .collect()
    }

    #[test]
    fn a_new_batch_asks_for_its_buffer_and_gives_it_back_when_done() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 1, epoch: 0 });
        let mut none = None;
        let asked = acc
            .append("t", 0, 1, None, Some(b"v"), &[], 10, &mut none)
            .unwrap();
        assert!(matches!(asked, Appended::NeedsMemory(16_384)));
        let mut first = push(&mut acc, &pool, 0, b"a", 16_384);
        // The open batch has room: no memory needed, the offer comes back.
        let mut second = push(&mut acc, &pool, 0, b"b", 7);
        assert_eq!(pool.available_permits(), 7);
        let batch = drain_one(&mut acc, Instant::now());
        assert!(try_recv(&mut first).is_none());
        acc.complete(
            batch,
            Outcome::Written {
                base_offset: 40,
                log_append_time: -1,
            },
            &backoff,
            Instant::now(),
        );
        assert_eq!(pool.available_permits(), 16_384 + 7);
        assert_eq!(try_recv(&mut second).unwrap().unwrap().offset, 41);
        assert_eq!(try_recv(&mut first).unwrap().unwrap().offset, 40);
    }

    #[test]
    fn settled_batches_are_counted_whether_or_not_their_futures_are_kept() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(Limits {
            idempotent: false,
            transactional: false,
            ..limits()
        });
        // Futures dropped at once: the records still count.
        drop(push(&mut acc, &pool, 0, b"a", BUFFER));
        drop(push(&mut acc, &pool, 0, b"b", BUFFER));
        let batch = drain_one(&mut acc, Instant::now());
        let written = Outcome::Written {
            base_offset: 0,
            log_append_time: -1,
        };
        acc.complete(batch, written, &backoff, Instant::now());
        let mut kept = push(&mut acc, &pool, 0, b"c", BUFFER);
        let batch = drain_one(&mut acc, Instant::now());
        let failed = Outcome::Failed(KrafkaError::state("rejected"));
        acc.complete(batch, failed, &backoff, Instant::now());
        assert!(try_recv(&mut kept).unwrap().is_err());
        let counts = acc.stats.snapshot();
        assert_eq!((counts.delivered, counts.failed), (2, 1));
        let first = counts
            .first_error
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(first.contains("rejected"), "{first}");
    }

    #[test]
    fn a_new_lingering_batch_wakes_the_sender_only_when_it_would_sleep_past_it() {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(Limits {
            linger: Duration::from_millis(5),
            ..limits()
        });
        let woke = |acc: &mut Accumulator, partition: i32| {
            let mut memory = Some(Memory::new(BUFFER, Arc::clone(&pool)));
            match acc
                .append("t", partition, 1, None, Some(b"v"), &[], 10, &mut memory)
                .unwrap()
            {
                Appended::Queued { wake, .. } => wake,
                Appended::NeedsMemory(_) => panic!("memory was offered"),
            }
        };
        // The sender looks again before this batch's linger ends.
        acc.sender_wake_at = Some(Instant::now());
        assert!(!woke(&mut acc, 0));
        // It would sleep past it, or made no promise: wake it.
        acc.sender_wake_at = Some(Instant::now() + Duration::from_secs(10));
        assert!(woke(&mut acc, 1));
        acc.sender_wake_at = None;
        assert!(woke(&mut acc, 2));
        // A record joining an open, not full batch never wakes it.
        assert!(!woke(&mut acc, 2));
    }

    fn header(batch: &ProducerBatch) -> krafka_core::records::BatchHeader {
        *RecordBatch::decode(batch.built.as_ref().unwrap().bytes.clone())
            .unwrap()
            .header()
    }

    fn drain_one(acc: &mut Accumulator, now: Instant) -> ProducerBatch {
        let (mut drained, _) = acc.drain(&metadata(), generation(), now, false);
        assert_eq!(drained.len(), 1);
        acc.request_done(drained[0].node_id);
        let mut batches = drained.remove(0).batches;
        assert_eq!(batches.len(), 1);
        let mut batch = batches.remove(0);
        batch.seal(&mut Compressor::new()).unwrap();
        batch
    }

    #[test]
    fn sequences_advance_and_epoch_bumps_restart_them() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 7, epoch: 3 });
        append_to(&mut acc, &pool, 0, "x");
        let x = drain_one(&mut acc, Instant::now());
        let h = header(&x);
        assert_eq!(
            (h.producer_id, h.producer_epoch, h.base_sequence),
            (7, 3, 0)
        );
        // Until the broker has written a batch of this producer here, one
        // batch at a time: it takes any first sequence from a producer it
        // does not know.
        let first = append(&mut acc, &pool, &["a", "b", "c"]);
        assert!(
            acc.drain(&metadata(), generation(), Instant::now(), false)
                .0
                .is_empty()
        );
        acc.complete(x, written_at(0), &backoff, Instant::now());
        let now = Instant::now();
        let batch = drain_one(&mut acc, now);
        assert_eq!(stamp(&batch), (3, 1));
        // Now the partition's next batch goes out behind it, sequences
        // following.
        let _second = append(&mut acc, &pool, &["d"]);
        let second = drain_one(&mut acc, Instant::now());
        assert_eq!(stamp(&second), (3, 4));

        // The oldest batch's sequence error: the epoch is bumped once the
        // batch still in flight is back.
        acc.complete(
            batch,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff,
            now,
        );
        let later = now + Duration::from_secs(1);
        assert!(
            acc.drain(&metadata(), generation(), later, false)
                .0
                .is_empty()
        );
        assert_eq!(acc.producer_id, ProducerId { id: 7, epoch: 3 });
        // The later batch's error only follows from the first one's.
        acc.complete(
            second,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff,
            now,
        );
        let batch = drain_one(&mut acc, later);
        assert_eq!(acc.producer_id, ProducerId { id: 7, epoch: 4 });
        let h = header(&batch);
        assert_eq!(
            (h.producer_epoch, h.base_sequence, h.record_count),
            (4, 0, 3)
        );
        // Retries go one at a time.
        assert!(
            acc.drain(&metadata(), generation(), later, false)
                .0
                .is_empty()
        );
        acc.complete(
            batch,
            Outcome::Written {
                base_offset: 10,
                log_append_time: -1,
            },
            &backoff,
            later,
        );
        for (i, mut rx) in first.into_iter().enumerate() {
            let written = try_recv(&mut rx).unwrap().unwrap();
            assert_eq!(written.offset, 10 + i as i64);
            assert_eq!(written.timestamp, 1000);
        }
        let batch = drain_one(&mut acc, later);
        assert_eq!(stamp(&batch), (4, 3));
        assert!(!acc.is_empty());
        acc.complete(
            batch,
            Outcome::Written {
                base_offset: 13,
                log_append_time: 5,
            },
            &backoff,
            later,
        );
        assert!(acc.is_empty());
        // Every byte of buffer.memory came back.
        assert_eq!(pool.available_permits(), 5 * BUFFER);
    }

    /// Retry backoff of 1 ms.
    fn backoff() -> ExponentialBackoff {
        ExponentialBackoff::new(Duration::from_millis(1), Duration::from_millis(1))
    }

    /// An idempotent accumulator (producer 5, epoch 0) with `limits` whose
    /// partition 0 has had a batch written (sequence 0), and its memory pool.
    fn confirmed(limits: Limits) -> (Accumulator, Arc<Semaphore>) {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(limits);
        acc.set_producer_id(ProducerId { id: 5, epoch: 0 });
        confirm(&mut acc, &pool);
        (acc, pool)
    }

    /// Writes one record to partition 0, so that the broker knows the
    /// producer there (its sequence is 0).
    fn confirm(acc: &mut Accumulator, pool: &Arc<Semaphore>) {
        let backoff = backoff();
        append_to(acc, pool, 0, "x");
        // Ready whatever linger.ms says.
        acc.begin_flush();
        let batch = drain_one(acc, Instant::now());
        acc.complete(batch, written_at(0), &backoff, Instant::now());
    }

    fn written_at(base_offset: i64) -> Outcome {
        Outcome::Written {
            base_offset,
            log_append_time: -1,
        }
    }

    #[test]
    fn pipelined_batches_are_retried_in_order_one_at_a_time() {
        let (mut acc, pool) = confirmed(Limits {
            max_in_flight: 3,
            ..limits()
        });
        let backoff = backoff();
        let mut sent = Vec::new();
        for value in ["a", "b", "c", "d"] {
            append_to(&mut acc, &pool, 0, value);
            if sent.len() < 3 {
                sent.push(drain_one(&mut acc, Instant::now()));
            }
        }
        let stamps: Vec<_> = sent.iter().map(stamp).collect();
        assert_eq!(stamps, [(0, 1), (0, 2), (0, 3)]);
        // max.in.flight batches of the partition: the fourth waits.
        assert!(
            acc.drain(&metadata(), generation(), Instant::now(), false)
                .0
                .is_empty()
        );
        // The leader moved: all three fail, settled in reverse order.
        let now = Instant::now();
        let c = sent.pop().unwrap();
        acc.complete(
            c,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff,
            now,
        );
        for batch in [sent.pop().unwrap(), sent.pop().unwrap()] {
            let error = ErrorCode::NotLeaderOrFollower.into();
            acc.complete(batch, Outcome::Failed(error), &backoff, now);
        }
        // No epoch bump: the later error followed from the first.
        assert!(!acc.bump_pending);
        let later = now + Duration::from_secs(1);
        for (sequence, offset) in [(1, 20), (2, 21), (3, 22)] {
            let batch = drain_one(&mut acc, later);
            assert_eq!(stamp(&batch), (0, sequence));
            assert!(
                acc.drain(&metadata(), generation(), later, false)
                    .0
                    .is_empty()
            );
            acc.complete(batch, written_at(offset), &backoff, later);
        }
        // The retries are through: new batches go out together again.
        let d = drain_one(&mut acc, later);
        append_to(&mut acc, &pool, 0, "e");
        let e = drain_one(&mut acc, Instant::now() + Duration::from_secs(1));
        assert_eq!((stamp(&d), stamp(&e)), ((0, 4), (0, 5)));
    }

    #[test]
    fn after_a_minute_without_a_write_a_partition_sends_one_batch_at_a_time_again() {
        let (mut acc, pool) = confirmed(Limits {
            delivery_timeout: Duration::from_secs(3600),
            ..limits()
        });
        let backoff = backoff();
        // The broker may have forgotten an idle producer and would take any
        // first sequence: the next batch goes alone.
        let idle = Instant::now() + Duration::from_secs(61);
        append_to(&mut acc, &pool, 0, "a");
        let a = drain_one(&mut acc, idle);
        append_to(&mut acc, &pool, 0, "b");
        assert!(
            acc.drain(&metadata(), generation(), idle, false)
                .0
                .is_empty()
        );
        // Once it is written, batches go out together again.
        acc.complete(a, written_at(1), &backoff, idle);
        let _b = drain_one(&mut acc, idle);
        append_to(&mut acc, &pool, 0, "c");
        let c = drain_one(&mut acc, idle);
        assert_eq!(stamp(&c), (0, 3));
    }

    #[test]
    fn a_refused_batch_hands_its_sequences_back_or_the_next_one_bumps_the_epoch() {
        let (mut acc, pool) = confirmed(limits());
        let backoff = backoff();
        let refused = || Outcome::Failed(ErrorCode::InvalidRecord.into());
        // Alone in flight: the next batch reuses its sequence.
        append_to(&mut acc, &pool, 0, "a");
        let a = drain_one(&mut acc, Instant::now());
        acc.complete(a, refused(), &backoff, Instant::now());
        append_to(&mut acc, &pool, 0, "b");
        let b = drain_one(&mut acc, Instant::now());
        assert_eq!(stamp(&b), (0, 1));
        // With a later batch in flight, that one settles the gap: refused
        // as out of order, it starts a new epoch.
        append_to(&mut acc, &pool, 0, "c");
        let c = drain_one(&mut acc, Instant::now());
        assert_eq!(stamp(&c), (0, 2));
        acc.complete(b, refused(), &backoff, Instant::now());
        assert!(!acc.bump_pending);
        acc.complete(
            c,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff,
            Instant::now(),
        );
        let c = drain_one(&mut acc, Instant::now() + Duration::from_secs(1));
        assert_eq!(stamp(&c), (1, 0));
    }

    /// A transactional accumulator (producer 5, epoch 0) inside a
    /// transaction of version 1 or 2.
    fn in_transaction(v2: bool) -> (Accumulator, Arc<Semaphore>) {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(Limits {
            transactional: true,
            ..limits()
        });
        acc.set_producer_id(ProducerId { id: 5, epoch: 0 });
        let txn = acc.txn.as_mut().unwrap();
        txn.initialized(v2);
        // A first transaction that wrote to partition 0 (so the partition
        // knows the producer).
        txn.begin().unwrap();
        append_to(&mut acc, &pool, 0, "x");
        acc.added_to_transaction(&[("t".to_owned(), 0)]);
        acc.begin_flush();
        let batch = drain_one(&mut acc, Instant::now());
        acc.complete(batch, written_at(0), &backoff(), Instant::now());
        acc.transaction_ended();
        acc.txn.as_mut().unwrap().begin().unwrap();
        (acc, pool)
    }

    #[test]
    fn under_transaction_version_1_a_partition_sends_once_added() {
        let (mut acc, pool) = in_transaction(false);
        append_to(&mut acc, &pool, 0, "a");
        append_to(&mut acc, &pool, 1, "b");
        assert!(
            drain_all(&mut acc, Instant::now()).is_empty(),
            "not added yet"
        );
        let to_add = acc.partitions_to_add();
        assert_eq!(to_add.len(), 2);
        assert!(!acc.txn.as_ref().unwrap().started);
        acc.added_to_transaction(&to_add[..1]);
        assert!(acc.txn.as_ref().unwrap().started);
        let drained = drain_all(&mut acc, Instant::now());
        assert_eq!(drained.keys().copied().collect::<Vec<_>>(), vec![0]);
        let built = header(&drained[&0]);
        assert!(built.attributes.is_transactional());
        assert_eq!(acc.partitions_to_add(), to_add[1..].to_vec());
        // The next transaction adds its partitions again.
        acc.transaction_ended();
        acc.txn.as_mut().unwrap().begin().unwrap();
        append_to(&mut acc, &pool, 0, "c");
        assert!(drain_all(&mut acc, Instant::now()).is_empty());
    }

    #[test]
    fn under_transaction_version_2_batches_go_at_once_and_start_the_transaction() {
        let (mut acc, pool) = in_transaction(true);
        append_to(&mut acc, &pool, 0, "a");
        assert!(acc.partitions_to_add().is_empty());
        assert!(!acc.txn.as_ref().unwrap().started);
        assert_eq!(drain_all(&mut acc, Instant::now()).len(), 1);
        assert!(acc.txn.as_ref().unwrap().started);
    }

    #[test]
    fn a_transactional_sequence_error_fails_the_transaction_instead_of_bumping_the_epoch() {
        let (mut acc, pool) = in_transaction(true);
        append_to(&mut acc, &pool, 0, "a");
        let a = drain_one(&mut acc, Instant::now());
        acc.complete(
            a,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff(),
            Instant::now(),
        );
        assert!(!acc.bump_pending, "no epoch bump of its own");
        assert_eq!(acc.producer_id, ProducerId { id: 5, epoch: 0 });
        let txn = acc.txn.as_mut().unwrap();
        assert!(txn.bump_on_abort, "the abort starts the new epoch");
        let refused = txn.begin_commit().unwrap_err();
        assert!(refused.is_abortable_transaction_error(), "{refused:?}");
    }

    #[test]
    fn a_batch_filling_up_wakes_the_sender_while_others_are_in_flight() {
        let (mut acc, pool) = confirmed(Limits {
            linger: Duration::from_secs(5),
            // The 61-byte batch header and one ~40-byte record fit, not two.
            batch_size: 120,
            grow_limit: 120,
            max_in_flight: 2,
            ..limits()
        });
        let woke = |acc: &mut Accumulator| {
            let mut memory = Some(Memory::new(120, Arc::clone(&pool)));
            match acc
                .append("t", 0, 1, None, Some(&[7; 30]), &[], 40, &mut memory)
                .unwrap()
            {
                Appended::Queued { wake, .. } => wake,
                Appended::NeedsMemory(_) => panic!("memory was offered"),
            }
        };
        acc.sender_wake_at = Some(Instant::now() + Duration::from_secs(60));
        assert!(woke(&mut acc), "a new lingering batch");
        acc.sender_wake_at = Some(Instant::now());
        // The first batch is full when the second starts: it is ready.
        assert!(woke(&mut acc));
        let _in_flight = drain_one(&mut acc, Instant::now());
        assert!(woke(&mut acc), "one batch in flight, another ready");
        let _in_flight = drain_one(&mut acc, Instant::now());
        // Two in flight (max.in.flight): the next full batch waits for them.
        assert!(!woke(&mut acc));
    }

    /// Drains every ready batch (of all partitions), sealed, by partition.
    fn drain_all(acc: &mut Accumulator, now: Instant) -> BTreeMap<i32, ProducerBatch> {
        let (drained, _) = acc.drain(&metadata_with(2), generation(), now, false);
        let mut out = BTreeMap::new();
        for request in drained {
            acc.request_done(request.node_id);
            for mut batch in request.batches {
                batch.seal(&mut Compressor::new()).unwrap();
                out.insert(batch.partition, batch);
            }
        }
        out
    }

    fn append_to(acc: &mut Accumulator, pool: &Arc<Semaphore>, partition: i32, value: &str) {
        drop(push(acc, pool, partition, value.as_bytes(), BUFFER));
    }

    fn stamp(batch: &ProducerBatch) -> (i16, i32) {
        let h = header(batch);
        (h.producer_epoch, h.base_sequence)
    }

    #[test]
    fn an_epoch_bump_resequences_only_the_partition_that_failed() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 7, epoch: 3 });
        let now = Instant::now();
        let written = || Outcome::Written {
            base_offset: 0,
            log_append_time: -1,
        };
        // Partition 1 has written one record: its next sequence is 1.
        append_to(&mut acc, &pool, 1, "x");
        let mut first = drain_all(&mut acc, Instant::now());
        let x = first.remove(&1).unwrap();
        acc.complete(x, written(), &backoff, now);

        append_to(&mut acc, &pool, 0, "a");
        append_to(&mut acc, &pool, 1, "b");
        let mut sent = drain_all(&mut acc, Instant::now());
        let (a, b) = (sent.remove(&0).unwrap(), sent.remove(&1).unwrap());
        assert_eq!((stamp(&a), stamp(&b)), ((3, 0), (3, 1)));
        // Partition 0's sequence error bumps the epoch; partition 1's batch
        // times out (the broker may have written it) and is retried.
        acc.complete(
            a,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff,
            now,
        );
        acc.complete(
            b,
            Outcome::Failed(ErrorCode::RequestTimedOut.into()),
            &backoff,
            now,
        );
        let later = Instant::now() + Duration::from_secs(1);
        let mut retried = drain_all(&mut acc, later);
        let (a, b) = (retried.remove(&0).unwrap(), retried.remove(&1).unwrap());
        assert_eq!(
            stamp(&a),
            (4, 0),
            "the failing partition starts the new epoch"
        );
        assert_eq!(
            stamp(&b),
            (3, 1),
            "a retry keeps its stamp so the broker can dedupe it"
        );
        acc.complete(a, written(), &backoff, later);
        acc.complete(b, written(), &backoff, later);
        // New batches of partition 1 move to the new epoch from sequence 0.
        append_to(&mut acc, &pool, 1, "c");
        let c = drain_all(&mut acc, Instant::now() + Duration::from_secs(2))
            .remove(&1)
            .unwrap();
        assert_eq!(stamp(&c), (4, 0));
    }

    #[test]
    fn too_large_batches_split_in_order() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 1, epoch: 0 });
        let receivers = append(&mut acc, &pool, &["a", "b", "c", "d", "e"]);
        let flush = acc.begin_flush();
        let now = Instant::now();
        let batch = drain_one(&mut acc, now);
        acc.complete(
            batch,
            Outcome::Failed(ErrorCode::MessageTooLarge.into()),
            &backoff,
            now,
        );
        assert!(!acc.flushed(flush));
        let mut offset = 0;
        for expected in [2, 3] {
            let batch = drain_one(&mut acc, now);
            let h = header(&batch);
            assert_eq!((h.record_count, h.base_sequence), (expected, offset as i32));
            acc.complete(
                batch,
                Outcome::Written {
                    base_offset: offset,
                    log_append_time: -1,
                },
                &backoff,
                now,
            );
            offset += i64::from(expected);
        }
        assert!(acc.flushed(flush));
        for (i, mut rx) in receivers.into_iter().enumerate() {
            assert_eq!(try_recv(&mut rx).unwrap().unwrap().offset, i as i64);
        }
        assert_eq!(pool.available_permits(), 5 * BUFFER);
    }

    #[test]
    fn a_lingering_batch_leaves_at_the_last_timer_tick_before_linger_ends() {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(Limits {
            linger: Duration::from_millis(5),
            ..limits()
        });
        let before = Instant::now();
        let _futures = append(&mut acc, &pool, &["a"]);
        let after = Instant::now();
        // Not before linger.ms less one tick; the sender is told to look then.
        let (drained, wake) = acc.drain(
            &metadata(),
            generation(),
            before + Duration::from_micros(3_900),
            false,
        );
        assert!(drained.is_empty());
        let wake = wake.unwrap();
        assert!(
            wake >= before + Duration::from_millis(4) && wake <= after + Duration::from_millis(4)
        );
        // At that tick it goes, a millisecond before linger.ms ends.
        let (drained, _) = acc.drain(&metadata(), generation(), wake, false);
        assert_eq!(drained.len(), 1);
        // A linger of 1 ms is shortened by half of it at most.
        let limits = Limits {
            linger: Duration::from_millis(1),
            ..limits()
        };
        assert_eq!(
            limits.linger_done(before),
            before + Duration::from_micros(500)
        );
    }

    #[test]
    fn batches_expire_after_the_delivery_timeout_and_errors_fail_them() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(Limits {
            linger: Duration::from_secs(1),
            idempotent: false,
            transactional: false,
            ..limits()
        });
        let mut expiring = append(&mut acc, &pool, &["a"]);
        let now = Instant::now();
        // Lingering: nothing ready yet, but a wake-up is due within linger.
        let (drained, wake) = acc.drain(&metadata(), generation(), now, false);
        assert!(drained.is_empty());
        assert!(wake.is_some_and(|w| w <= now + Duration::from_secs(1)));
        let (drained, _) = acc.drain(
            &metadata(),
            generation(),
            now + Duration::from_secs(61),
            false,
        );
        assert!(drained.is_empty());
        assert!(matches!(
            try_recv(&mut expiring[0]).unwrap(),
            Err(KrafkaError::Timeout { .. })
        ));
        // A non-retriable error fails the batch at once.
        let mut failing = append(&mut acc, &pool, &["b"]);
        let later = now + Duration::from_secs(2);
        let batch = drain_one(&mut acc, later);
        assert_eq!(header(&batch).producer_id, -1);
        acc.complete(
            batch,
            Outcome::Failed(ErrorCode::InvalidRecord.into()),
            &backoff,
            later,
        );
        assert!(try_recv(&mut failing[0]).unwrap().is_err());
        assert!(acc.is_empty());
        assert_eq!(pool.available_permits(), 2 * BUFFER);
    }

    #[test]
    fn a_batch_charged_less_than_batch_size_holds_only_what_it_was_charged() {
        // buffer.memory (100) below batch.size: the batch got 100 bytes, so
        // it takes records up to 100 bytes at their largest size (10 each).
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(limits());
        let _first = push(&mut acc, &pool, 0, b"a", 100);
        for _ in 0..9 {
            let mut none = None;
            let appended = acc
                .append("t", 0, 1, None, Some(b"v"), &[], 10, &mut none)
                .unwrap();
            assert!(matches!(appended, Appended::Queued { .. }));
        }
        let mut none = None;
        let appended = acc
            .append("t", 0, 1, None, Some(b"v"), &[], 10, &mut none)
            .unwrap();
        assert!(matches!(appended, Appended::NeedsMemory(16_384)));
    }

    #[test]
    fn expiry_and_abort_work_without_a_drain() {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(limits());
        // No producer id yet: the sender only expires.
        let mut old = append(&mut acc, &pool, &["a"]);
        let now = Instant::now();
        acc.expire(now);
        assert!(try_recv(&mut old[0]).is_none());
        acc.expire(now + Duration::from_secs(61));
        assert!(matches!(
            try_recv(&mut old[0]).unwrap(),
            Err(KrafkaError::Timeout { .. })
        ));
        // A close out of time fails what is still queued.
        let mut queued = append(&mut acc, &pool, &["b", "c"]);
        assert!(!acc.is_empty());
        acc.abort_queued(&KrafkaError::state("closed"));
        assert!(acc.is_empty());
        for future in &mut queued {
            assert!(try_recv(future).unwrap().is_err());
        }
        assert_eq!(pool.available_permits(), 3 * BUFFER);
    }

    #[test]
    fn a_batch_given_up_leaves_the_later_ones_their_stamps_until_the_broker_settles_it() {
        let (mut acc, pool) = confirmed(limits());
        let backoff = backoff();
        append_to(&mut acc, &pool, 0, "a");
        let a = drain_one(&mut acc, Instant::now());
        append_to(&mut acc, &pool, 0, "b");
        let b = drain_one(&mut acc, Instant::now());
        // Both time out: the broker may have written either.
        let now = Instant::now();
        for batch in [a, b] {
            let error = ErrorCode::RequestTimedOut.into();
            acc.complete(batch, Outcome::Failed(error), &backoff, now);
        }
        let a = drain_one(&mut acc, now + Duration::from_secs(1));
        assert_eq!(stamp(&a), (0, 1));
        // `a` is given up past delivery.timeout.ms, outcome unknown. `b`
        // keeps its stamp: restamped, it could be written twice.
        let late = now + Duration::from_secs(61);
        let timeout = KrafkaError::timeout("Produce", Duration::from_secs(30));
        acc.complete(a, Outcome::Failed(timeout), &backoff, late);
        assert!(!acc.bump_pending);
        let b = drain_one(&mut acc, now + Duration::from_secs(2));
        assert_eq!(stamp(&b), (0, 2));
        // The broker had not written `a`: `b`, now the oldest, is refused,
        // which proves it was not written either; a new epoch starts.
        let error = ErrorCode::OutOfOrderSequenceNumber.into();
        acc.complete(b, Outcome::Failed(error), &backoff, now);
        let b = drain_one(&mut acc, now + Duration::from_secs(3));
        assert_eq!(stamp(&b), (1, 0));
    }

    #[test]
    fn a_refused_batch_between_unsettled_ones_bumps_only_once_they_settle() {
        let (mut acc, pool) = confirmed(limits());
        let backoff = backoff();
        let mut sent = Vec::new();
        for value in ["a", "b", "c"] {
            append_to(&mut acc, &pool, 0, value);
            sent.push(drain_one(&mut acc, Instant::now()));
        }
        let c = sent.pop().unwrap();
        let b = sent.pop().unwrap();
        let a = sent.pop().unwrap();
        let now = Instant::now();
        // `a` timed out (maybe written), `b` is refused, `c` follows `b`.
        let timed_out = ErrorCode::RequestTimedOut.into();
        acc.complete(a, Outcome::Failed(timed_out), &backoff, now);
        let refused = ErrorCode::InvalidRecord.into();
        acc.complete(b, Outcome::Failed(refused), &backoff, now);
        let out_of_order = ErrorCode::OutOfOrderSequenceNumber.into();
        acc.complete(c, Outcome::Failed(out_of_order), &backoff, now);
        assert!(!acc.bump_pending);
        let later = now + Duration::from_secs(1);
        let a = drain_one(&mut acc, later);
        assert_eq!(stamp(&a), (0, 1), "a retry keeps its stamp");
        acc.complete(a, written_at(1), &backoff, later);
        let c = drain_one(&mut acc, later);
        assert_eq!((stamp(&c), c.attempts), ((0, 3), 0));
        let out_of_order = ErrorCode::OutOfOrderSequenceNumber.into();
        acc.complete(c, Outcome::Failed(out_of_order), &backoff, later);
        let c = drain_one(&mut acc, later + Duration::from_secs(1));
        assert_eq!(stamp(&c), (1, 0));
    }

    #[test]
    fn retries_left_in_an_old_epoch_move_to_the_new_one_together() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 5, epoch: 0 });
        let now = Instant::now();
        // Partition 1 is confirmed and has two batches in flight.
        append_to(&mut acc, &pool, 1, "x");
        let x = drain_all(&mut acc, Instant::now()).remove(&1).unwrap();
        acc.complete(x, written_at(0), &backoff, now);
        append_to(&mut acc, &pool, 1, "a");
        let a = drain_all(&mut acc, Instant::now()).remove(&1).unwrap();
        append_to(&mut acc, &pool, 1, "b");
        append_to(&mut acc, &pool, 0, "c");
        let mut sent = drain_all(&mut acc, Instant::now());
        let (b, c) = (sent.remove(&1).unwrap(), sent.remove(&0).unwrap());
        assert_eq!((stamp(&a), stamp(&b), stamp(&c)), ((0, 1), (0, 2), (0, 0)));
        for batch in [a, b] {
            let error = ErrorCode::NotLeaderOrFollower.into();
            acc.complete(batch, Outcome::Failed(error), &backoff, now);
        }
        // Partition 0's sequence error bumps the epoch; partition 1's
        // retries keep their epoch-0 stamps.
        let error = ErrorCode::OutOfOrderSequenceNumber.into();
        acc.complete(c, Outcome::Failed(error), &backoff, now);
        let later = now + Duration::from_secs(1);
        let mut retried = drain_all(&mut acc, later);
        let (a, c) = (retried.remove(&1).unwrap(), retried.remove(&0).unwrap());
        assert_eq!((stamp(&a), stamp(&c)), ((0, 1), (1, 0)));
        acc.complete(c, written_at(0), &backoff, later);
        // The broker refuses epoch 0 for `a`: `a` and `b` both move to
        // epoch 1, in order.
        let error = ErrorCode::OutOfOrderSequenceNumber.into();
        acc.complete(a, Outcome::Failed(error), &backoff, later);
        let a = drain_all(&mut acc, later + Duration::from_secs(1))
            .remove(&1)
            .unwrap();
        assert_eq!(stamp(&a), (1, 0));
        acc.complete(a, written_at(1), &backoff, later);
        let b = drain_all(&mut acc, later + Duration::from_secs(1))
            .remove(&1)
            .unwrap();
        assert_eq!(stamp(&b), (1, 1));
    }

    #[test]
    fn a_retry_refused_after_an_unknown_outcome_still_counts_as_maybe_written() {
        let (mut acc, pool) = confirmed(limits());
        let backoff = backoff();
        let _a = append(&mut acc, &pool, &["a"]);
        let a = drain_one(&mut acc, Instant::now());
        assert_eq!(stamp(&a), (0, 1));
        // Written, but the connection died before the answer.
        let lost = KrafkaError::network("b", std::io::ErrorKind::ConnectionReset.into());
        acc.complete(a, Outcome::Failed(lost), &backoff, Instant::now());
        // The retry is refused by a check made before the duplicate check.
        let a = drain_one(&mut acc, Instant::now() + Duration::from_secs(1));
        let refused = ErrorCode::InvalidTimestamp.into();
        acc.complete(a, Outcome::Failed(refused), &backoff, Instant::now());
        // Its sequence is not handed back (the next batch would be taken
        // for a duplicate of it): a new epoch starts instead.
        let _b = append(&mut acc, &pool, &["b"]);
        let b = drain_one(&mut acc, Instant::now() + Duration::from_secs(2));
        assert_eq!(stamp(&b), (1, 0));
        // Nor is such a batch split on MESSAGE_TOO_LARGE: its halves could
        // not be recognised as the batch the broker may have.
        let _cd = append(&mut acc, &pool, &["c", "d"]);
        acc.complete(b, written_at(5), &backoff, Instant::now());
        let cd = drain_one(&mut acc, Instant::now() + Duration::from_secs(3));
        let lost = KrafkaError::network("b", std::io::ErrorKind::ConnectionReset.into());
        acc.complete(cd, Outcome::Failed(lost), &backoff, Instant::now());
        let cd = drain_one(&mut acc, Instant::now() + Duration::from_secs(4));
        let too_large = ErrorCode::MessageTooLarge.into();
        acc.complete(cd, Outcome::Failed(too_large), &backoff, Instant::now());
        assert!(acc.is_empty(), "failed, not split");
        assert!(acc.bump_pending);
    }

    #[test]
    fn a_batch_split_while_later_ones_are_in_flight_keeps_the_sequences() {
        let (mut acc, pool) = confirmed(limits());
        let backoff = backoff();
        let _ab = append(&mut acc, &pool, &["a", "b"]);
        let ab = drain_one(&mut acc, Instant::now());
        let _c = append(&mut acc, &pool, &["c"]);
        let c = drain_one(&mut acc, Instant::now());
        assert_eq!((stamp(&ab), stamp(&c)), ((0, 1), (0, 3)));
        let now = Instant::now();
        let too_large = ErrorCode::MessageTooLarge.into();
        acc.complete(ab, Outcome::Failed(too_large), &backoff, now);
        let out_of_order = ErrorCode::OutOfOrderSequenceNumber.into();
        acc.complete(c, Outcome::Failed(out_of_order), &backoff, now);
        assert!(!acc.bump_pending);
        // The halves carry the original's sequences, then `c` its own.
        let later = now + Duration::from_secs(1);
        for (sequence, count) in [(1, 1), (2, 1), (3, 1)] {
            let batch = drain_one(&mut acc, later);
            assert!(
                acc.drain(&metadata(), generation(), later, false)
                    .0
                    .is_empty()
            );
            let h = header(&batch);
            assert_eq!(
                (h.producer_epoch, h.base_sequence, h.record_count),
                (0, sequence, count)
            );
            acc.complete(batch, written_at(i64::from(sequence)), &backoff, later);
        }
        assert!(acc.is_empty());
    }

    #[test]
    fn giving_up_on_an_unknown_outcome_starts_a_new_epoch() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 9, epoch: 0 });
        let mut lost = append(&mut acc, &pool, &["a"]);
        let now = Instant::now();
        let batch = drain_one(&mut acc, now);
        let timeout = KrafkaError::timeout("Produce", Duration::from_secs(30));
        // Past delivery.timeout.ms: no retry, and the broker may have it.
        acc.complete(
            batch,
            Outcome::Failed(timeout),
            &backoff,
            now + Duration::from_secs(61),
        );
        assert!(matches!(
            try_recv(&mut lost[0]).unwrap(),
            Err(KrafkaError::Timeout { .. })
        ));
        let _next = append(&mut acc, &pool, &["b"]);
        let batch = drain_one(&mut acc, Instant::now());
        assert_eq!(acc.producer_id, ProducerId { id: 9, epoch: 1 });
        let h = header(&batch);
        assert_eq!((h.producer_epoch, h.base_sequence), (1, 0));
    }

    #[test]
    fn one_request_per_leader_carries_many_partitions_within_max_request_size() {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(Limits {
            max_request_size: 250,
            max_in_flight: 2,
            ..limits()
        });
        acc.set_producer_id(ProducerId { id: 1, epoch: 0 });
        for partition in 0..4 {
            drop(push(&mut acc, &pool, partition, &[b'v'; 40], 1));
        }
        let now = Instant::now();
        let (drained, wake) = acc.drain(&metadata_with(4), generation(), now, false);
        // Each batch is ~110 bytes: two fit in 250, the rest waits for the
        // next pass (due at once).
        assert_eq!(drained.len(), 1);
        assert_eq!(drained[0].node_id, 1);
        let partitions: Vec<i32> = drained[0].batches.iter().map(|b| b.partition).collect();
        assert_eq!(partitions, [0, 1]);
        assert_eq!(wake, Some(now));
        let (second, _) = acc.drain(&metadata_with(4), generation(), now, false);
        let partitions: Vec<i32> = second[0].batches.iter().map(|b| b.partition).collect();
        assert_eq!(partitions, [2, 3]);
        // max.in.flight (2) requests to the broker: a new partition's
        // batch waits.
        drop(push(&mut acc, &pool, 4, b"x", 1));
        let later = Instant::now();
        assert!(
            acc.drain(&metadata_with(5), generation(), later, false)
                .0
                .is_empty()
        );
        acc.request_done(1);
        assert_eq!(
            acc.drain(&metadata_with(5), generation(), later, false)
                .0
                .len(),
            1
        );
    }

    /// Appends a 100-byte record as the producer does: asks, then offers
    /// the memory asked for.
    fn offer(acc: &mut Accumulator, pool: &Arc<Semaphore>, partition: i32) -> DeliveryFuture {
        let value = [b'v'; 100];
        let mut memory = None;
        loop {
            match acc
                .append("t", partition, 1, None, Some(&value), &[], 120, &mut memory)
                .unwrap()
            {
                Appended::Queued { future, .. } => return future,
                Appended::NeedsMemory(bytes) => {
                    memory = Some(Memory::new(bytes, Arc::clone(pool)));
                }
            }
        }
    }

    fn open_lens(acc: &Accumulator, partition: usize) -> Vec<usize> {
        acc.queues[partition]
            .batches
            .iter()
            .map(ProducerBatch::open_len)
            .collect()
    }

    #[test]
    fn a_batch_that_cannot_go_out_grows_past_batch_size_up_to_the_limit() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let (mut acc, _) = confirmed(Limits {
            batch_size: 1000,
            grow_limit: 5000,
            max_in_flight: 1,
            ..limits()
        });
        let mut first = offer(&mut acc, &pool, 0);
        let sent = drain_one(&mut acc, Instant::now());
        // The partition's one request is out: its next batch takes what
        // would have filled four batches, and stops at the limit; the one
        // after it waits behind it, so it grows too.
        let mut futures: Vec<_> = (0..60).map(|_| offer(&mut acc, &pool, 0)).collect();
        let lens = open_lens(&acc, 0);
        assert_eq!(lens.len(), 2, "{lens:?}");
        assert!(lens[0] > 4000 && lens[0] <= 5000, "{lens:?}");
        assert!(lens[1] > 1000 && lens[1] <= 5000, "{lens:?}");
        let grown = &acc.queues[0].batches[0];
        assert!(grown.memory.bytes() >= grown.limit, "charged for its size");
        acc.complete(sent, written_at(1), &backoff, Instant::now());
        assert!(try_recv(&mut first).unwrap().is_ok());
        let big = drain_one(&mut acc, Instant::now());
        let count = big.record_count();
        assert!(count > 40 && count < 60, "{count}");
        acc.complete(big, written_at(2), &backoff, Instant::now());
        for (i, future) in futures.iter_mut().take(count).enumerate() {
            let written = try_recv(future).unwrap().unwrap();
            assert_eq!(written.offset, 2 + i as i64);
        }
        assert!(try_recv(&mut futures[count]).is_none());
        let rest = drain_one(&mut acc, Instant::now());
        acc.complete(rest, written_at(100), &backoff, Instant::now());
        assert!(acc.is_empty());
        drop(acc);
        // The chunks the grown batch was charged came back with it.
        assert!(pool.available_permits() >= 5000 + 1000);
    }

    /// Moves the open batch of queue `slot` back in time by `age`.
    fn age_open_batch(acc: &mut Accumulator, slot: usize, age: Duration) {
        let batch = acc.queues[slot].batches.back_mut().unwrap();
        batch.created = batch.created.checked_sub(age).unwrap();
    }

    #[test]
    fn an_idle_partition_filling_slowly_keeps_batch_size() {
        let pool = Arc::new(Semaphore::new(0));
        let (mut acc, _) = confirmed(Limits {
            batch_size: 1000,
            grow_limit: 5000,
            linger: Duration::from_secs(5),
            max_in_flight: 1,
            ..limits()
        });
        // Nothing in flight, and the batch opened longer ago than its
        // quick-fill window (half of linger.ms): a full batch could
        // leave at once, so the next record starts a new one (which, queued
        // behind a batch the sender has not taken yet, may grow).
        drop(offer(&mut acc, &pool, 1));
        age_open_batch(&mut acc, 1, Duration::from_secs(3));
        for _ in 0..11 {
            drop(offer(&mut acc, &pool, 1));
        }
        let lens = open_lens(&acc, 1);
        assert!(lens.len() >= 2, "{lens:?}");
        assert!(lens[0] <= 1000, "{lens:?}");
        // The same with growth off (batch.size is the limit): never grows.
        let (mut plain, _) = confirmed(Limits {
            batch_size: 1000,
            grow_limit: 1000,
            linger: Duration::from_secs(5),
            max_in_flight: 1,
            ..limits()
        });
        for _ in 0..40 {
            drop(offer(&mut plain, &pool, 1));
        }
        let lens = open_lens(&plain, 1);
        assert!(lens.iter().all(|&len| len <= 1000), "{lens:?}");
        assert!(lens.len() >= 4, "{lens:?}");
    }

    #[test]
    fn a_batch_that_fills_quickly_keeps_filling_for_half_of_linger() {
        let pool = Arc::new(Semaphore::new(0));
        let (mut acc, _) = confirmed(Limits {
            batch_size: 1000,
            grow_limit: 5000,
            linger: Duration::from_millis(400),
            max_in_flight: 5,
            ..limits()
        });
        let md = metadata_with(2);
        // Twelve records of 120 bytes at once: one batch past batch.size
        // (nothing is in flight, so it is not backed up).
        for _ in 0..12 {
            drop(offer(&mut acc, &pool, 1));
        }
        let lens = open_lens(&acc, 1);
        assert_eq!(lens.len(), 1, "{lens:?}");
        assert!(lens[0] > 1000, "{lens:?}");
        let grown = &acc.queues[1].batches[0];
        assert!(grown.memory.bytes() >= grown.limit, "charged for its size");
        let created = grown.created;
        // Full, but within its window: the drain leaves it and asks to be
        // woken when the window ends (half of linger.ms).
        let (drained, wake) = acc.drain(&md, 0, created + Duration::from_millis(150), false);
        assert!(drained.is_empty());
        assert_eq!(wake, Some(created + Duration::from_millis(200)));
        // Then it leaves, long before linger.ms.
        let (mut drained, _) = acc.drain(&md, 0, created + Duration::from_millis(200), false);
        assert_eq!(drained.len(), 1);
        let batch = drained.remove(0).batches.remove(0);
        assert_eq!(batch.record_count(), 12);
        acc.request_done(1);
        acc.complete(batch, written_at(1), &backoff(), Instant::now());

        // A batch that was not full by the end of its window leaves as
        // soon as it is full, and the next record starts another one.
        drop(offer(&mut acc, &pool, 1));
        age_open_batch(&mut acc, 1, Duration::from_millis(250));
        for _ in 0..11 {
            drop(offer(&mut acc, &pool, 1));
        }
        let lens = open_lens(&acc, 1);
        assert!(lens.len() >= 2 && lens[0] <= 1000, "{lens:?}");
        let (drained, _) = acc.drain(&md, 0, Instant::now(), false);
        assert_eq!(drained.len(), 1, "the full one is ready at once");
    }

    #[test]
    fn keyless_records_stay_on_a_quickly_filling_batch() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(Limits {
            batch_size: 1000,
            grow_limit: 5000,
            // A 1 s quick-fill window: the records below come within it.
            linger: Duration::from_secs(2),
            ..limits()
        });
        acc.set_producer_id(ProducerId { id: 1, epoch: 0 });
        let md = metadata_with(6);
        let topic = Arc::clone(md.topics.get("t").unwrap());
        let value = [b'v'; 100];
        let mut sizes = Vec::new();
        for n in 0..400 {
            let p = acc.sticky_partition(&topic);
            let mut memory = None;
            let full = loop {
                match acc
                    .append("t", p, 1, None, Some(&value), &[], 200, &mut memory)
                    .unwrap()
                {
                    Appended::Queued { full, .. } => break full,
                    Appended::NeedsMemory(bytes) => {
                        memory = Some(Memory::new(bytes, Arc::clone(&pool)));
                    }
                }
            };
            acc.sticky_produced(&topic, p, 200, full);
            if n % 10 == 9 {
                let (drained, _) = acc.drain(&md, 0, Instant::now(), false);
                for request in drained {
                    acc.request_done(request.node_id);
                    for batch in request.batches {
                        sizes.push(batch.open_len());
                        acc.complete(batch, written_at(0), &backoff, Instant::now());
                    }
                }
            }
        }
        // Each sticky run went on past batch.size until the growth limit's
        // worth of records (at their estimated 200 bytes; ~110 written):
        // the partitioner did not move on when the batch had no room for
        // another record at batch.size (which it reaches before its bytes
        // do), and the batch it left is ready within its window.
        assert!(sizes.len() >= 8, "{sizes:?}");
        assert!(
            sizes.iter().all(|&len| len > 2000 && len <= 5000),
            "{sizes:?}"
        );
    }

    #[test]
    fn without_linger_no_batch_waits_to_fill() {
        let pool = Arc::new(Semaphore::new(0));
        let (mut acc, _) = confirmed(Limits {
            batch_size: 1000,
            grow_limit: 5000,
            max_in_flight: 5,
            ..limits()
        });
        // linger.ms=0: no quick-fill window; a full batch is done.
        for _ in 0..12 {
            drop(offer(&mut acc, &pool, 1));
        }
        let lens = open_lens(&acc, 1);
        assert!(lens.len() >= 2 && lens[0] <= 1000, "{lens:?}");
    }

    #[test]
    fn growth_is_bounded_by_max_request_size_and_a_mebibyte() {
        assert_eq!(growth_limit(16_384, 1 << 20), 1 << 20);
        assert_eq!(growth_limit(16_384, 100_000), 100_000);
        assert_eq!(growth_limit(16_384, 10 << 20), 1 << 20);
        assert_eq!(growth_limit(2 << 20, 10 << 20), 2 << 20);
        assert_eq!(growth_limit(0, 1 << 20), 0);
    }

    /// Keyless records of 120 bytes to the sticky partition of `topic`
    /// until it moves on: how many it took. With `sender`, every ready
    /// batch is drained and written after each record (a sender that
    /// keeps up).
    fn sticky_run(
        acc: &mut Accumulator,
        pool: &Arc<Semaphore>,
        md: &ClusterMetadata,
        sender: bool,
    ) -> usize {
        let topic = Arc::clone(md.topics.get("t").unwrap());
        let backoff = backoff();
        let first = acc.sticky_partition(&topic);
        let mut count = 0;
        while acc.sticky_partition(&topic) == first && count < 1000 {
            drop(offer(acc, pool, first));
            acc.sticky_produced(&topic, first, 120, true);
            count += 1;
            if !sender {
                continue;
            }
            loop {
                let (drained, _) = acc.drain(md, 0, Instant::now(), false);
                if drained.is_empty() {
                    break;
                }
                for request in drained {
                    acc.request_done(request.node_id);
                    for batch in request.batches {
                        acc.complete(batch, written_at(0), &backoff, Instant::now());
                    }
                }
            }
        }
        count
    }

    #[test]
    fn a_backed_up_sticky_partition_keeps_keyless_records_while_its_batch_grows() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = backoff();
        let mut acc = Accumulator::new(Limits {
            batch_size: 1000,
            grow_limit: 5000,
            max_in_flight: 1,
            ..limits()
        });
        acc.set_producer_id(ProducerId { id: 1, epoch: 0 });
        let md = metadata_with(3);
        // Each partition written once: the broker knows the producer, the
        // queues know their leader.
        for partition in 0..3 {
            drop(offer(&mut acc, &pool, partition));
            let (mut drained, _) = acc.drain(&md, 0, Instant::now(), false);
            acc.request_done(1);
            let batch = drained.remove(0).batches.remove(0);
            acc.complete(batch, written_at(0), &backoff, Instant::now());
        }
        // A sender that keeps up: batch.size (1000 bytes) per sticky run.
        assert_eq!(sticky_run(&mut acc, &pool, &md, true), 9);
        drop(offer(&mut acc, &pool, 0));
        let (drained, _) = acc.drain(&md, 0, Instant::now(), false);
        assert_eq!(
            drained.len(),
            1,
            "one request out: the broker is at max.in.flight"
        );
        // Backed up: the run lasts until the batch reached the growth limit.
        let run = sticky_run(&mut acc, &pool, &md, false);
        assert!((30..=42).contains(&run), "{run} records");
    }

    /// How often each of three partitions is the sticky one over 300
    /// switches (the partition sticky before them left out).
    fn draws(acc: &mut Accumulator, topic: &TopicMetadata) -> [usize; 3] {
        let mut seen = [0usize; 3];
        for round in 0..=300 {
            let p = acc.sticky_partition(topic);
            if round > 0 {
                seen[usize::try_from(p).unwrap()] += 1;
            }
            acc.sticky_produced(topic, p, 1 << 20, true);
        }
        seen
    }

    /// Three partitions: 0 and 2 led by broker 1, 1 by broker 2.
    fn two_brokers() -> ClusterMetadata {
        let mut md = metadata_with(3);
        md.brokers.insert(
            2,
            BrokerNode {
                node_id: 2,
                host: "h".into(),
                port: 2,
                rack: None,
            },
        );
        let mut topic = (**md.topics.get("t").unwrap()).clone();
        topic.partitions[1].leader = Some(2);
        md.topics.insert("t".into(), Arc::new(topic));
        md
    }

    #[test]
    fn a_broker_that_stops_draining_gets_no_keyless_records_past_the_timeout() {
        let pool = Arc::new(Semaphore::new(0));
        let mut acc = Accumulator::new(Limits {
            max_in_flight: 1,
            availability_timeout: Duration::from_millis(100),
            ..limits()
        });
        acc.set_producer_id(ProducerId { id: 1, epoch: 0 });
        let md = two_brokers();
        let topic = Arc::clone(md.topics.get("t").unwrap());
        drop(offer(&mut acc, &pool, 1));
        let start = Instant::now();
        // Broker 2 takes one request and never answers.
        let (drained, _) = acc.drain(&md, 0, start, false);
        assert_eq!(drained.len(), 1);
        drop(offer(&mut acc, &pool, 1));
        drop(offer(&mut acc, &pool, 1));
        assert!(
            acc.drain(&md, 0, start + Duration::from_millis(50), false)
                .0
                .is_empty()
        );
        let seen = draws(&mut acc, &topic);
        assert!(seen[1] > 0, "not stalled yet: {seen:?}");
        assert!(
            acc.drain(&md, 0, start + Duration::from_millis(200), false)
                .0
                .is_empty()
        );
        let seen = draws(&mut acc, &topic);
        assert_eq!(seen[1], 0, "{seen:?}");
        // Its request ends: broker 2 is drawn again.
        acc.request_done(2);
        let seen = draws(&mut acc, &topic);
        assert!(seen[1] > 0, "{seen:?}");
    }
}
