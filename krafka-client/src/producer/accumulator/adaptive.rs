//! What adapts to load: a partition's open batch growing past `batch.size`
//! while the partition cannot send anyway, and the KIP-794 adaptive choice
//! of the next sticky partition (weighted against partitions with long
//! queues, skipping brokers that stopped draining).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::Accumulator;
use crate::cluster::TopicMetadata;
use crate::producer::partitioner::{PartitionLoad, StickyPartitions};

/// The most an open batch grows to, whatever `max.request.size` allows:
/// the broker's default `message.max.bytes` (1 MiB + 12) holds it with
/// room for the batch header, and librdkafka sends batches of about this
/// size (its `batch.size` default is 1,000,000).
pub(crate) const GROWTH_CAP: usize = 1 << 20;

/// How far batches grow with these settings: `min(max.request.size,
/// GROWTH_CAP)`, never below `batch.size`; `batch.size` itself when it is
/// 0 (Java's "no batching" stays that).
pub(crate) fn growth_limit(batch_size: usize, max_request_size: usize) -> usize {
    if batch_size == 0 {
        return 0;
    }
    max_request_size.min(GROWTH_CAP).max(batch_size)
}

/// One broker's produce pipeline, as the drain sees it.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct NodeStats {
    /// Produce requests to it now.
    pub(super) in_flight: usize,
    /// Last drain that found one of its partitions ready (Java's
    /// `readyTimeMs`).
    pub(super) ready_at: Option<Instant>,
    /// Last drain that could also send to it (Java's `drainTimeMs`).
    pub(super) drained_at: Option<Instant>,
}

impl NodeStats {
    /// A drain found data ready for `node`, and whether the node could
    /// take a request (Java's node latency stats; kept only with
    /// `partitioner.availability.timeout.ms`).
    pub(super) fn ready(
        nodes: &mut BTreeMap<i32, NodeStats>,
        limits: &super::Limits,
        node: i32,
        now: Instant,
        can_drain: bool,
    ) {
        if limits.availability_timeout.is_zero() {
            return;
        }
        let stats = nodes.entry(node).or_default();
        stats.ready_at = Some(now);
        if can_drain {
            stats.drained_at = Some(now);
        } else {
            stats.drained_at.get_or_insert(now);
        }
    }

    /// Had data ready for longer than `timeout` without a drain to it,
    /// and still has requests out (once they end, whatever their outcome,
    /// its partitions are drawn again: with none of them drawn no new
    /// data would come to show that it recovered).
    fn stalled(&self, timeout: Duration) -> bool {
        if self.in_flight == 0 {
            return false;
        }
        match (self.ready_at, self.drained_at) {
            (Some(ready), Some(drained)) => ready.saturating_duration_since(drained) > timeout,
            _ => false,
        }
    }
}

impl Accumulator {
    /// Requests in flight to `node`.
    pub(super) fn node_in_flight(&self, node: i32) -> usize {
        self.nodes.get(&node).map_or(0, |n| n.in_flight)
    }

    /// Whether the open batch of queue `slot`, with no room left for a
    /// record of `size` bytes, takes it anyway (up to the growth limit)
    /// instead of a new batch being started: when the batch could not go
    /// out now anyway, or while it is in its quick-fill window (see
    /// [`Limits::quick_fill_until`](super::Limits::quick_fill_until)).
    /// It cannot go out when it waits behind another ready batch, or its
    /// partition has as many batches in flight as it may, or its leader
    /// has `max.in.flight.requests.per.connection` requests. A batch that
    /// could leave at once and filled slowly keeps `batch.size`, so a
    /// producer at a modest rate sends as soon and as small as Java's; a
    /// backed-up or fast one sends fewer, larger batches instead of a
    /// queue of 16 KiB ones.
    pub(super) fn may_grow(&self, slot: usize, size: usize, offered: usize, now: Instant) -> bool {
        let limits = &self.limits;
        let chunk = limits.batch_size.max(size);
        if limits.grow_limit <= limits.batch_size || offered < chunk {
            return false;
        }
        let Some(queue) = self.queues.get(slot) else {
            return false;
        };
        let Some(back) = queue.batches.back() else {
            return false;
        };
        (self.backed_up(queue) || limits.quick_filling(back.created, now))
            && back.builder.is_some()
            && !back.retry
            && back.memory.bytes() >= back.limit
            && back.open_len().saturating_add(size) <= limits.grow_limit
    }

    /// Whether `queue`'s open batch could not go out now: it waits behind
    /// another batch, or the partition or its leader has as many requests
    /// in flight as it may.
    fn backed_up(&self, queue: &super::PartitionQueue) -> bool {
        let max_in_flight = self.limits.max_in_flight;
        queue.batches.len() > 1
            || !queue.may_send(max_in_flight)
            || queue
                .leader
                .is_some_and(|node| self.node_in_flight(node) >= max_in_flight)
    }

    /// How many bytes the sticky partition `partition` of `topic` takes
    /// before the next is drawn: `batch.size` (KIP-794), or the growth
    /// limit while the partition's open batch may still grow (backed up,
    /// or in its quick-fill window), so that keyless records fill the
    /// grown batch rather than start 16 KiB batches on other partitions
    /// (which, with many partitions, would be many small batches for the
    /// broker).
    fn sticky_size(&self, topic: &str, partition: i32) -> usize {
        let batch_size = self.limits.batch_size.max(1);
        let queue = usize::try_from(partition)
            .ok()
            .and_then(|index| self.slots.get(topic)?.get(index).copied())
            .and_then(|slot| self.queues.get(slot));
        let grows = self.limits.grow_limit > batch_size
            && queue.is_some_and(|queue| {
                queue.batches.back().is_some_and(|b| {
                    let len = b.open_len();
                    b.builder.is_some()
                        && !b.retry
                        && len < self.limits.grow_limit
                        && (self.backed_up(queue)
                            // (The clock only once it is full: this runs
                            // for every keyless record.)
                            || (b.is_full(batch_size)
                                && self.limits.quick_filling(b.created, Instant::now())))
                })
            });
        if grows {
            self.limits.grow_limit
        } else {
            batch_size
        }
    }

    /// Raises the open batch's limit of queue `slot` by one chunk of
    /// `memory` (checked by [`Accumulator::may_grow`]).
    pub(super) fn grow(&mut self, slot: usize, size: usize, memory: super::Memory) {
        let limits = &self.limits;
        let chunk = limits.batch_size.max(size);
        let Some(back) = self.queues.get_mut(slot).and_then(|q| q.batches.back_mut()) else {
            return;
        };
        let wanted = back
            .limit
            .saturating_add(chunk)
            .max(back.open_len().saturating_add(size));
        if back.limit <= limits.batch_size {
            // It starts growing: room for all of it at once (pages are only
            // resident once written), instead of a copy at every doubling
            // of its buffer (7 % of the producer's samples at 10 KiB records).
            if let Some(builder) = back.builder.as_mut() {
                builder.reserve_to(limits.grow_limit);
            }
        }
        back.limit = wanted.min(limits.grow_limit);
        back.memory.absorb(memory);
    }

    /// The next sticky partition of `topic` for a keyless record.
    pub(crate) fn sticky_partition(&mut self, topic: &TopicMetadata) -> i32 {
        self.with_loads(topic, |sticky, loads| sticky.partition(topic, loads))
    }

    /// Counts `bytes` produced to the sticky `partition` of `topic`,
    /// moving on to the next partition when the batch is done; returns
    /// whether it moved on (the batch left behind is ready: a grown one
    /// may have been full for a while without the sender hearing of it).
    pub(crate) fn sticky_produced(
        &mut self,
        topic: &TopicMetadata,
        partition: i32,
        bytes: usize,
        batch_full: bool,
    ) -> bool {
        let sticky_size = self.sticky_size(&topic.name, partition);
        let moved = self.with_loads(topic, |sticky, loads| {
            sticky.produced(topic, partition, bytes, sticky_size, batch_full, loads)
        });
        if moved {
            if let Some(batch) = usize::try_from(partition)
                .ok()
                .and_then(|index| self.slots.get(&topic.name)?.get(index).copied())
                .and_then(|slot| self.queues.get_mut(slot)?.batches.back_mut())
            {
                batch.sticky_left = true;
            }
        }
        moved
    }

    /// Runs `f` on the sticky partitions with `topic`'s queue sizes.
    fn with_loads<R>(
        &mut self,
        topic: &TopicMetadata,
        f: impl FnOnce(&mut StickyPartitions, &Loads<'_>) -> R,
    ) -> R {
        let Accumulator {
            sticky,
            queues,
            slots,
            nodes,
            limits,
            ..
        } = self;
        let loads = Loads {
            topic,
            queues,
            slots: slots.get(&topic.name).map(Vec::as_slice),
            nodes,
            batch_size: limits.batch_size.max(1),
            availability_timeout: limits.availability_timeout,
        };
        f(sticky, &loads)
    }
}

/// The queue sizes of one topic's partitions, for the adaptive partitioner.
struct Loads<'a> {
    topic: &'a TopicMetadata,
    queues: &'a [super::PartitionQueue],
    slots: Option<&'a [usize]>,
    nodes: &'a BTreeMap<i32, NodeStats>,
    batch_size: usize,
    availability_timeout: Duration,
}

impl PartitionLoad for Loads<'_> {
    /// Batches queued (not in flight), counting a batch grown past
    /// `batch.size` as the `batch.size` batches it stands for: Java counts
    /// its deque's batches, which never grow.
    fn queued(&self, partition: i32) -> Option<u32> {
        let index = usize::try_from(partition).ok()?;
        if !self.availability_timeout.is_zero() {
            let leader = self.topic.partitions.get(index)?.leader?;
            if self
                .nodes
                .get(&leader)
                .is_some_and(|n| n.stalled(self.availability_timeout))
            {
                return None;
            }
        }
        let Some(queue) = self
            .slots
            .and_then(|s| s.get(index))
            .and_then(|&slot| self.queues.get(slot))
        else {
            return Some(0);
        };
        let units: usize = queue
            .batches
            .iter()
            .map(|b| b.open_len().div_ceil(self.batch_size).max(1))
            .sum();
        Some(u32::try_from(units).unwrap_or(u32::MAX))
    }
}
