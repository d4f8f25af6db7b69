//! The record accumulator: per-partition queues of batches, bounded by
//! `buffer.memory`, drained into Produce requests by the sender.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use krafka_core::records::{Compression, Header, RecordBatch, RecordBatchBuilder};
use krafka_core::{ErrorCode, KrafkaError};
use tokio::sync::{Semaphore, oneshot};

use super::partitioner::StickyPartitions;
use super::record::RecordMetadata;
use crate::cluster::ClusterMetadata;

/// A topic and a partition.
pub(crate) type TopicPartition = (String, i32);

/// Bytes of `buffer.memory` held by queued records; given back on drop, so
/// a batch that is completed, failed or dropped can never leak them.
#[derive(Debug)]
pub(crate) struct Memory {
    bytes: usize,
    pool: Arc<Semaphore>,
}

impl Memory {
    pub(crate) fn new(bytes: usize, pool: Arc<Semaphore>) -> Self {
        Memory { bytes, pool }
    }

    fn absorb(&mut self, mut other: Memory) {
        self.bytes = self.bytes.saturating_add(std::mem::take(&mut other.bytes));
    }

    fn empty(&self) -> Memory {
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

/// One record's promise.
#[derive(Debug)]
pub(crate) struct Delivery {
    pub(crate) sender: oneshot::Sender<Result<RecordMetadata, KrafkaError>>,
    pub(crate) timestamp: i64,
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
    /// Open for appends until it is drained.
    builder: Option<RecordBatchBuilder>,
    /// Set when drained; kept for retries.
    pub(crate) built: Option<Built>,
    /// The producer id, epoch and sequence the drain assigned; the request
    /// task builds the batch with them, outside the lock.
    assigned: (ProducerId, i32),
    compression: Compression,
    compression_level: Option<i32>,
    pub(crate) deliveries: Vec<Delivery>,
    created: Instant,
    attempts: u32,
    memory: Memory,
}

impl ProducerBatch {
    /// Builds the batch with the producer id, epoch and sequence the drain
    /// assigned (rebuilding a retried one when they changed). Compression
    /// happens here, outside the producer's lock.
    pub(crate) fn seal(&mut self) -> Result<(), KrafkaError> {
        let (producer, sequence) = self.assigned;
        if let Some(built) = &self.built {
            if built.producer_id == producer.id
                && built.producer_epoch == producer.epoch
                && built.base_sequence == sequence
            {
                return Ok(());
            }
            let records = RecordBatch::decode(built.bytes.clone())?.collect_records()?;
            let mut builder = builder(self.compression, self.compression_level, built.bytes.len());
            for record in &records {
                builder.push_record(
                    Some(record.timestamp),
                    record.key.as_deref(),
                    record.value.as_deref(),
                    &record.headers,
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
            .build()?;
        self.built = Some(Built {
            bytes,
            producer_id: producer.id,
            producer_epoch: producer.epoch,
            base_sequence: sequence,
        });
        Ok(())
    }

    fn record_count(&self) -> usize {
        self.deliveries.len()
    }

    fn fail(self, error: &KrafkaError) {
        for delivery in self.deliveries {
            let _ = delivery.sender.send(Err(error.clone()));
        }
    }

    fn succeed(self, base_offset: i64, log_append_time: i64) {
        for (index, delivery) in self.deliveries.into_iter().enumerate() {
            let offset = if base_offset < 0 {
                -1
            } else {
                base_offset.saturating_add(index as i64)
            };
            let timestamp = if log_append_time >= 0 {
                log_append_time
            } else {
                delivery.timestamp
            };
            let _ = delivery.sender.send(Ok(RecordMetadata {
                topic: self.topic.clone(),
                partition: self.partition,
                offset,
                timestamp,
            }));
        }
    }
}

#[derive(Debug, Default)]
struct PartitionQueue {
    batches: VecDeque<ProducerBatch>,
    /// A batch of this partition is in a request: the next waits, so the
    /// partition's order holds whatever retries happen.
    in_flight: bool,
    next_sequence: i32,
    retry_at: Option<Instant>,
    /// This partition's sequence error caused the last epoch bump: its
    /// already-sent batch is re-sequenced in the new epoch. Every other
    /// partition's sent batch keeps its stamp, so the broker can still
    /// recognise a retry of something it wrote (Java's
    /// `partitionsToRewriteSequences`).
    resequence: bool,
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

/// Settings the accumulator needs.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub(crate) batch_size: usize,
    pub(crate) linger: Duration,
    pub(crate) delivery_timeout: Duration,
    pub(crate) max_request_size: usize,
    pub(crate) max_in_flight: usize,
    pub(crate) retries: u32,
    pub(crate) compression: Compression,
    pub(crate) compression_level: Option<i32>,
    pub(crate) idempotent: bool,
}

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
    queues: BTreeMap<TopicPartition, PartitionQueue>,
    pub(crate) sticky: StickyPartitions,
    next_batch_id: u64,
    /// Batches created and not yet completed, by id (a split batch counts
    /// once per part).
    incomplete: BTreeMap<u64, u32>,
    /// Batches with an id below this are sent at once (a flush is waiting).
    flush_before: u64,
    in_flight: HashMap<i32, usize>,
    pub(crate) producer_id: ProducerId,
    /// The epoch cannot be bumped further: a new producer id is needed.
    pub(crate) needs_producer_id: bool,
    /// Some partition has no known leader, or a broker said it is not one.
    pub(crate) needs_metadata: bool,
    pub(crate) closed: bool,
}

impl Accumulator {
    pub(crate) fn new(limits: Limits) -> Self {
        Accumulator {
            limits,
            queues: BTreeMap::new(),
            sticky: StickyPartitions::default(),
            next_batch_id: 0,
            incomplete: BTreeMap::new(),
            flush_before: 0,
            in_flight: HashMap::new(),
            producer_id: ProducerId::NONE,
            needs_producer_id: false,
            needs_metadata: false,
            closed: false,
        }
    }

    /// Appends a record to the partition's open batch (or a new one).
    /// Returns whether the sender should look at the queues now.
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
        memory: Memory,
        sender: oneshot::Sender<Result<RecordMetadata, KrafkaError>>,
    ) -> Result<bool, KrafkaError> {
        let limits = self.limits.clone();
        let queue = self
            .queues
            .entry((topic.to_owned(), partition))
            .or_default();
        let fits = queue.batches.back().is_some_and(|batch| {
            batch.builder.as_ref().is_some_and(|builder| {
                builder.uncompressed_len().saturating_add(size) <= limits.batch_size
            })
        });
        let mut created = false;
        if !fits {
            let id = self.next_batch_id;
            self.next_batch_id += 1;
            self.incomplete.insert(id, 1);
            let mut builder = RecordBatchBuilder::with_capacity(limits.batch_size.max(size))
                .compression(limits.compression);
            if let Some(level) = limits.compression_level {
                builder = builder.compression_level(level);
            }
            queue.batches.push_back(ProducerBatch {
                id,
                topic: topic.to_owned(),
                partition,
                builder: Some(builder),
                built: None,
                assigned: (ProducerId::NONE, -1),
                compression: limits.compression,
                compression_level: limits.compression_level,
                deliveries: Vec::new(),
                created: Instant::now(),
                attempts: 0,
                memory: memory.empty(),
            });
            created = true;
        }
        let Some(batch) = queue.batches.back_mut() else {
            return Err(KrafkaError::state("no open batch after creating one"));
        };
        let Some(builder) = batch.builder.as_mut() else {
            return Err(KrafkaError::state("the open batch was already built"));
        };
        builder.push_record(Some(timestamp), key, value, headers)?;
        batch.memory.absorb(memory);
        batch.deliveries.push(Delivery { sender, timestamp });
        let full = builder.uncompressed_len() >= limits.batch_size;
        Ok(created || full || queue.batches.len() > 1 || limits.linger.is_zero())
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
    pub(crate) fn drain(
        &mut self,
        metadata: &ClusterMetadata,
        now: Instant,
        memory_low: bool,
    ) -> (Vec<Drained>, Option<Instant>) {
        let limits = self.limits.clone();
        let mut next_wake: Option<Instant> = None;
        let mut wake_at = |at: Instant| {
            next_wake = Some(next_wake.map_or(at, |w| w.min(at)));
        };
        let mut requests: BTreeMap<i32, (usize, Vec<ProducerBatch>)> = BTreeMap::new();
        let mut expired = Vec::new();
        for ((topic, partition), queue) in &mut self.queues {
            // Expire what waited too long (in-flight batches are not here).
            while queue.batches.front().is_some_and(|b| {
                now.saturating_duration_since(b.created) >= limits.delivery_timeout
            }) {
                if let Some(batch) = queue.batches.pop_front() {
                    expired.push(batch);
                }
            }
            if queue.in_flight {
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
            let linger_done = front.created + limits.linger;
            let full = queue.batches.len() > 1
                || front.built.is_some()
                || front
                    .builder
                    .as_ref()
                    .is_some_and(|b| b.uncompressed_len() >= limits.batch_size);
            let ready = full
                || linger_done <= now
                || front.id < self.flush_before
                || self.closed
                || memory_low;
            if !ready {
                wake_at(linger_done);
                continue;
            }
            let Some(leader) = metadata.leader(topic, *partition) else {
                self.needs_metadata = true;
                continue;
            };
            let node = leader.node_id;
            let in_flight = self.in_flight.get(&node).copied().unwrap_or(0);
            let (bytes, batches) = requests.entry(node).or_default();
            if batches.is_empty() && in_flight >= limits.max_in_flight {
                continue;
            }
            let size = front.built.as_ref().map_or_else(
                || {
                    front
                        .builder
                        .as_ref()
                        .map_or(0, RecordBatchBuilder::uncompressed_len)
                },
                |b| b.bytes.len(),
            );
            if !batches.is_empty() && bytes.saturating_add(size) > limits.max_request_size {
                // The request is full: the next pass starts another one.
                wake_at(now);
                continue;
            }
            let Some(batch) = queue.batches.pop_front() else {
                continue;
            };
            *bytes = bytes.saturating_add(size);
            queue.in_flight = true;
            queue.retry_at = None;
            batches.push(batch);
        }
        for batch in expired {
            if limits.idempotent && batch.built.is_some() {
                // Sent before, outcome unknown: as in `complete`, later
                // batches must not reuse its sequence numbers.
                self.bump_epoch(&batch);
            }
            self.finish_batch(batch.id);
            let error = KrafkaError::timeout(
                format!(
                    "delivering {} record(s) to {}-{}",
                    batch.record_count(),
                    batch.topic,
                    batch.partition
                ),
                limits.delivery_timeout,
            );
            batch.fail(&error);
        }
        let mut drained = Vec::new();
        for (node_id, (_, batches)) in requests {
            if batches.is_empty() {
                continue;
            }
            let mut ready = batches;
            for batch in &mut ready {
                batch.assigned = self.assignment(batch);
                if let Some(queue) = self.queues.get_mut(&(batch.topic.clone(), batch.partition)) {
                    queue.resequence = false;
                }
            }
            *self.in_flight.entry(node_id).or_default() += 1;
            drained.push(Drained {
                node_id,
                batches: ready,
            });
        }
        (drained, next_wake)
    }

    /// The producer id, epoch and base sequence a drained batch gets.
    fn assignment(&self, batch: &ProducerBatch) -> (ProducerId, i32) {
        if !self.limits.idempotent {
            return (ProducerId::NONE, -1);
        }
        let queue = self.queues.get(&(batch.topic.clone(), batch.partition));
        // A batch that already went out keeps its (epoch, sequence) on retry
        // unless its own partition triggered the bump; re-stamping it would
        // let the broker write it twice.
        if let Some(built) = &batch.built {
            if built.producer_id == self.producer_id.id && !queue.is_some_and(|q| q.resequence) {
                let stamp = ProducerId {
                    id: built.producer_id,
                    epoch: built.producer_epoch,
                };
                return (stamp, built.base_sequence);
            }
        }
        (self.producer_id, queue.map_or(0, |q| q.next_sequence))
    }

    fn new_builder(&self, capacity: usize) -> RecordBatchBuilder {
        builder(
            self.limits.compression,
            self.limits.compression_level,
            capacity,
        )
    }

    fn unmute(&mut self, topic: &str, partition: i32) {
        if let Some(queue) = self.queues.get_mut(&(topic.to_owned(), partition)) {
            queue.in_flight = false;
        }
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
        if let Some(count) = self.in_flight.get_mut(&node_id) {
            *count = count.saturating_sub(1);
        }
    }

    /// Settles one batch of a finished request: success completes its
    /// records; a retriable error puts it back at the front of its queue
    /// (after the backoff, within `delivery.timeout.ms`); MESSAGE_TOO_LARGE
    /// splits it; a sequence error bumps the epoch first.
    pub(crate) fn complete(
        &mut self,
        mut batch: ProducerBatch,
        outcome: Outcome,
        backoff: &crate::backoff::ExponentialBackoff,
        now: Instant,
    ) {
        let key = (batch.topic.clone(), batch.partition);
        let error = match outcome {
            Outcome::Written {
                base_offset,
                log_append_time,
            } => {
                self.written(&key, &batch);
                self.finish_batch(batch.id);
                batch.succeed(base_offset, log_append_time);
                return;
            }
            Outcome::Failed(error) => error,
        };
        let code = error.error_code();
        if code == Some(ErrorCode::DuplicateSequenceNumber) {
            // The broker has this batch already (an earlier attempt got
            // through); Java reports success without an offset.
            self.written(&key, &batch);
            self.finish_batch(batch.id);
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
        {
            match self.split(batch) {
                Ok(parts) => {
                    self.finish_split(&key, parts);
                    return;
                }
                Err((batch, split_error)) => {
                    self.unmute(&key.0, key.1);
                    self.finish_batch(batch.id);
                    batch.fail(&split_error);
                    return;
                }
            }
        }
        let sequence_error = self.limits.idempotent
            && matches!(
                code,
                Some(ErrorCode::OutOfOrderSequenceNumber | ErrorCode::UnknownProducerId)
            );
        if sequence_error {
            self.bump_epoch(&batch);
        }
        let retriable = error.is_retriable() || sequence_error;
        if retriable && batch.attempts < self.limits.retries && !timed_out {
            if error.invalidates_metadata() {
                self.needs_metadata = true;
            }
            let delay = backoff.delay(batch.attempts);
            batch.attempts = batch.attempts.saturating_add(1);
            tracing::debug!(%error, topic = %key.0, partition = key.1, attempt = batch.attempts, ?delay, "retrying batch");
            let queue = self.queues.entry(key).or_default();
            queue.in_flight = false;
            queue.retry_at = now.checked_add(delay);
            queue.batches.push_front(batch);
            return;
        }
        if self.limits.idempotent && retriable && batch.built.is_some() {
            // Given up with the outcome unknown (the broker may have written
            // it): later batches must not reuse its sequence numbers, so
            // start a new epoch, as Java does for unresolved sequences.
            self.bump_epoch(&batch);
        }
        self.unmute(&key.0, key.1);
        self.finish_batch(batch.id);
        batch.fail(&error);
    }

    fn written(&mut self, key: &TopicPartition, batch: &ProducerBatch) {
        let current = self.producer_id;
        if let Some(queue) = self.queues.get_mut(key) {
            queue.in_flight = false;
            if let Some(built) = &batch.built {
                if self.limits.idempotent
                    && built.producer_id == current.id
                    && built.producer_epoch == current.epoch
                {
                    let count = i32::try_from(batch.record_count()).unwrap_or(i32::MAX);
                    queue.next_sequence = increment_sequence(built.base_sequence, count);
                }
            }
        }
    }

    /// Bumps the epoch (once per failing epoch) and restarts every
    /// partition's sequence at 0, as the Java idempotent producer does
    /// (KIP-360); past the last epoch a new producer id is needed.
    fn bump_epoch(&mut self, batch: &ProducerBatch) {
        let failed_epoch = batch
            .built
            .as_ref()
            .map(|b| (b.producer_id, b.producer_epoch));
        if failed_epoch != Some((self.producer_id.id, self.producer_id.epoch)) {
            return;
        }
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
        for queue in self.queues.values_mut() {
            queue.next_sequence = 0;
        }
        if let Some(queue) = self.queues.get_mut(&(batch.topic.clone(), batch.partition)) {
            queue.resequence = true;
        }
    }

    /// A new producer id (after InitProducerId): sequences restart.
    pub(crate) fn set_producer_id(&mut self, producer_id: ProducerId) {
        self.producer_id = producer_id;
        self.needs_producer_id = false;
        for queue in self.queues.values_mut() {
            queue.next_sequence = 0;
        }
    }

    /// Splits a batch the broker found too large into two open batches.
    #[allow(clippy::result_large_err)]
    fn split(
        &mut self,
        mut batch: ProducerBatch,
    ) -> Result<Vec<ProducerBatch>, (ProducerBatch, KrafkaError)> {
        let records = match batch
            .built
            .as_ref()
            .map(|b| RecordBatch::decode(b.bytes.clone()).and_then(|d| d.collect_records()))
        {
            Some(Ok(records)) if records.len() == batch.deliveries.len() => records,
            Some(Err(error)) => return Err((batch, error)),
            _ => {
                return Err((
                    batch,
                    KrafkaError::state("cannot split a batch that was not built"),
                ));
            }
        };
        let half = records.len() / 2;
        let mut deliveries = std::mem::take(&mut batch.deliveries);
        let second_deliveries = deliveries.split_off(half);
        let mut parts = Vec::with_capacity(2);
        for (chunk, deliveries) in [
            (&records[..half], deliveries),
            (&records[half..], second_deliveries),
        ] {
            let mut builder = self.new_builder(self.limits.batch_size);
            for record in chunk {
                if let Err(error) = builder.push_record(
                    Some(record.timestamp),
                    record.key.as_deref(),
                    record.value.as_deref(),
                    &record.headers,
                ) {
                    batch.deliveries = deliveries;
                    return Err((batch, error));
                }
            }
            parts.push(ProducerBatch {
                // The parts keep the original id, so a flush waiting for
                // it waits for both.
                id: batch.id,
                topic: batch.topic.clone(),
                partition: batch.partition,
                builder: Some(builder),
                built: None,
                assigned: (ProducerId::NONE, -1),
                compression: batch.compression,
                compression_level: batch.compression_level,
                deliveries,
                created: batch.created,
                attempts: batch.attempts,
                memory: batch.memory.empty(),
            });
        }
        if let Some(first) = parts.first_mut() {
            first
                .memory
                .absorb(std::mem::replace(&mut batch.memory, first.memory.empty()));
        }
        *self.incomplete.entry(batch.id).or_default() += 1;
        Ok(parts)
    }

    fn finish_split(&mut self, key: &TopicPartition, parts: Vec<ProducerBatch>) {
        let queue = self.queues.entry(key.clone()).or_default();
        queue.in_flight = false;
        for part in parts.into_iter().rev() {
            queue.batches.push_front(part);
        }
    }
}

/// An empty batch builder with the producer's compression.
fn builder(compression: Compression, level: Option<i32>, capacity: usize) -> RecordBatchBuilder {
    let builder = RecordBatchBuilder::with_capacity(capacity).compression(compression);
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
    use crate::backoff::ExponentialBackoff;
    use crate::cluster::{BrokerNode, PartitionMetadata, TopicMetadata};
    use krafka_core::codec::Uuid;

    fn limits() -> Limits {
        Limits {
            batch_size: 16_384,
            linger: Duration::ZERO,
            delivery_timeout: Duration::from_secs(60),
            max_request_size: 1 << 20,
            max_in_flight: 5,
            retries: 10,
            compression: Compression::None,
            compression_level: None,
            idempotent: true,
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
            TopicMetadata {
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
            },
        );
        md
    }

    type Receivers = Vec<oneshot::Receiver<Result<RecordMetadata, KrafkaError>>>;

    fn append(acc: &mut Accumulator, pool: &Arc<Semaphore>, values: &[&str]) -> Receivers {
        let mut receivers = Vec::new();
        for value in values {
            let (tx, rx) = oneshot::channel();
            let memory = Memory::new(10, Arc::clone(pool));
            acc.append(
                "t",
                0,
                1000,
                None,
                Some(value.as_bytes()),
                &[],
                10,
                memory,
                tx,
            )
            .unwrap();
            receivers.push(rx);
        }
        receivers
    }

    fn header(batch: &ProducerBatch) -> krafka_core::records::BatchHeader {
        *RecordBatch::decode(batch.built.as_ref().unwrap().bytes.clone())
            .unwrap()
            .header()
    }

    fn drain_one(acc: &mut Accumulator, now: Instant) -> ProducerBatch {
        let (mut drained, _) = acc.drain(&metadata(), now, false);
        assert_eq!(drained.len(), 1);
        acc.request_done(drained[0].node_id);
        let mut batches = drained.remove(0).batches;
        assert_eq!(batches.len(), 1);
        let mut batch = batches.remove(0);
        batch.seal().unwrap();
        batch
    }

    #[test]
    fn sequences_advance_and_epoch_bumps_restart_them() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = ExponentialBackoff::new(Duration::from_millis(1), Duration::from_millis(1));
        let mut acc = Accumulator::new(limits());
        acc.set_producer_id(ProducerId { id: 7, epoch: 3 });
        let first = append(&mut acc, &pool, &["a", "b", "c"]);
        let now = Instant::now();
        let batch = drain_one(&mut acc, now);
        let h = header(&batch);
        assert_eq!(
            (h.producer_id, h.producer_epoch, h.base_sequence),
            (7, 3, 0)
        );
        // One batch per partition in flight: nothing else drains meanwhile.
        let _second = append(&mut acc, &pool, &["d"]);
        assert!(acc.drain(&metadata(), now, false).0.is_empty());

        acc.complete(
            batch,
            Outcome::Failed(ErrorCode::OutOfOrderSequenceNumber.into()),
            &backoff,
            now,
        );
        assert_eq!(acc.producer_id, ProducerId { id: 7, epoch: 4 });
        let later = now + Duration::from_secs(1);
        let batch = drain_one(&mut acc, later);
        let h = header(&batch);
        assert_eq!(
            (h.producer_epoch, h.base_sequence, h.record_count),
            (4, 0, 3)
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
            let written = rx.try_recv().unwrap().unwrap();
            assert_eq!(written.offset, 10 + i as i64);
            assert_eq!(written.timestamp, 1000);
        }
        let batch = drain_one(&mut acc, later);
        assert_eq!(header(&batch).base_sequence, 3);
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
        assert_eq!(pool.available_permits(), 40);
    }

    /// Drains every ready batch (of all partitions), sealed, by partition.
    fn drain_all(acc: &mut Accumulator, now: Instant) -> BTreeMap<i32, ProducerBatch> {
        let (drained, _) = acc.drain(&metadata_with(2), now, false);
        let mut out = BTreeMap::new();
        for request in drained {
            acc.request_done(request.node_id);
            for mut batch in request.batches {
                batch.seal().unwrap();
                out.insert(batch.partition, batch);
            }
        }
        out
    }

    fn append_to(acc: &mut Accumulator, pool: &Arc<Semaphore>, partition: i32, value: &str) {
        let (tx, _rx) = oneshot::channel();
        let memory = Memory::new(10, Arc::clone(pool));
        acc.append(
            "t",
            partition,
            1000,
            None,
            Some(value.as_bytes()),
            &[],
            10,
            memory,
            tx,
        )
        .unwrap();
    }

    fn stamp(batch: &ProducerBatch) -> (i16, i32) {
        let h = header(batch);
        (h.producer_epoch, h.base_sequence)
    }

    #[test]
    fn an_epoch_bump_resequences_only_the_partition_that_failed() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = ExponentialBackoff::new(Duration::from_millis(1), Duration::from_millis(1));
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
        let backoff = ExponentialBackoff::new(Duration::from_millis(1), Duration::from_millis(1));
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
            assert_eq!(rx.try_recv().unwrap().unwrap().offset, i as i64);
        }
        assert_eq!(pool.available_permits(), 50);
    }

    #[test]
    fn batches_expire_after_the_delivery_timeout_and_errors_fail_them() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = ExponentialBackoff::new(Duration::from_millis(1), Duration::from_millis(1));
        let mut acc = Accumulator::new(Limits {
            linger: Duration::from_secs(1),
            idempotent: false,
            ..limits()
        });
        let mut expiring = append(&mut acc, &pool, &["a"]);
        let now = Instant::now();
        // Lingering: nothing ready yet, but a wake-up is due within linger.
        let (drained, wake) = acc.drain(&metadata(), now, false);
        assert!(drained.is_empty());
        assert!(wake.is_some_and(|w| w <= now + Duration::from_secs(1)));
        let (drained, _) = acc.drain(&metadata(), now + Duration::from_secs(61), false);
        assert!(drained.is_empty());
        assert!(matches!(
            expiring.remove(0).try_recv().unwrap(),
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
        assert!(failing.remove(0).try_recv().unwrap().is_err());
        assert!(acc.is_empty());
        assert_eq!(pool.available_permits(), 20);
    }

    #[test]
    fn giving_up_on_an_unknown_outcome_starts_a_new_epoch() {
        let pool = Arc::new(Semaphore::new(0));
        let backoff = ExponentialBackoff::new(Duration::from_millis(1), Duration::from_millis(1));
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
            lost.remove(0).try_recv().unwrap(),
            Err(KrafkaError::Timeout { .. })
        ));
        assert_eq!(acc.producer_id, ProducerId { id: 9, epoch: 1 });
        let _next = append(&mut acc, &pool, &["b"]);
        let batch = drain_one(&mut acc, Instant::now());
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
            let (tx, _rx) = oneshot::channel();
            let memory = Memory::new(1, Arc::clone(&pool));
            let value = [b'v'; 40];
            acc.append("t", partition, 1, None, Some(&value), &[], 1, memory, tx)
                .unwrap();
        }
        let now = Instant::now();
        let (drained, wake) = acc.drain(&metadata_with(4), now, false);
        // Each batch is ~110 bytes: two fit in 250, the rest waits for the
        // next pass (due at once).
        assert_eq!(drained.len(), 1);
        assert_eq!(drained[0].node_id, 1);
        let partitions: Vec<i32> = drained[0].batches.iter().map(|b| b.partition).collect();
        assert_eq!(partitions, [0, 1]);
        assert_eq!(wake, Some(now));
        let (second, _) = acc.drain(&metadata_with(4), now, false);
        let partitions: Vec<i32> = second[0].batches.iter().map(|b| b.partition).collect();
        assert_eq!(partitions, [2, 3]);
        // max.in.flight (2) requests to the broker: a new partition's
        // batch waits.
        let (tx, _rx) = oneshot::channel();
        let memory = Memory::new(1, Arc::clone(&pool));
        acc.append("t", 4, 1, None, Some(b"x"), &[], 1, memory, tx)
            .unwrap();
        let later = Instant::now();
        assert!(acc.drain(&metadata_with(5), later, false).0.is_empty());
        acc.request_done(1);
        assert_eq!(acc.drain(&metadata_with(5), later, false).0.len(), 1);
    }

    #[test]
    fn sequences_wrap_like_kafka() {
        assert_eq!(increment_sequence(0, 5), 5);
        assert_eq!(increment_sequence(i32::MAX - 2, 2), i32::MAX);
        assert_eq!(increment_sequence(i32::MAX - 2, 3), 0);
        assert_eq!(increment_sequence(i32::MAX, 1), 0);
        assert_eq!(increment_sequence(i32::MAX, 4), 3);
    }
}
