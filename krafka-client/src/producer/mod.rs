//! The producer, following the Java producer's behaviour and settings.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::{Producer, ProducerConfig, ProducerRecord};
//!
//! let producer = Producer::new(
//!     ProducerConfig::builder()
//!         .bootstrap_servers(["127.0.0.1:9092"])
//!         .set("linger.ms", "10")?
//!         .build()?,
//! )
//! .await?;
//! // `send` returns once the record is queued (waiting only when
//! // `buffer.memory` is full); the returned future resolves on delivery.
//! let delivery = producer
//!     .send(ProducerRecord::new("events").key("k").value("v"))
//!     .await?;
//! let written = delivery.await?;
//! println!("{}-{}@{}", written.topic, written.partition, written.offset);
//! producer.close().await?;
//! # Ok(())
//! # }
//! ```
//!
//! - Records are appended to per-partition batches (`batch.size`), which a
//!   batch leaves when it is full, after `linger.ms`, or on `flush`; a
//!   batch that cannot go out yet, or that filled within half of
//!   `linger.ms`, grows past `batch.size` instead (README, "Producer
//!   batching"). Every batch's buffer is charged to `buffer.memory` whole
//!   (`batch.size`, or a larger record's size, and each `batch.size` it
//!   grows by) until the batch completes; `send` waits (up to
//!   `max.block.ms`) for room for a new batch, [`Producer::try_send`] fails
//!   at once instead.
//! - One sender task drains ready batches into one Produce request per
//!   leader, carrying many partitions, with up to
//!   `max.in.flight.requests.per.connection` requests per broker. A
//!   partition may have as many batches in flight, one per request, written
//!   to the connection in the order they were drained; after a failure it
//!   sends its retries one at a time, in order. With idempotence the
//!   sequence numbers keep a partition's records in order through any
//!   failure; without it, as in Java, a retried batch can land after a later
//!   one unless `max.in.flight.requests.per.connection` is 1.
//! - Retriable errors are retried with exponential backoff within
//!   `delivery.timeout.ms`, refreshing the metadata on stale-leader errors;
//!   MESSAGE_TOO_LARGE splits a batch in two.
//! - Idempotence (the default): a producer id from InitProducerId, per
//!   partition sequence numbers, and an epoch bump with sequences restarted
//!   (once nothing is in flight) on UNKNOWN_PRODUCER_ID /
//!   OUT_OF_ORDER_SEQUENCE_NUMBER of a partition's oldest batch, or when a
//!   batch is given up.

mod accumulator;
mod active;
mod batch;
#[doc(hidden)]
pub mod benching;
mod completion;
pub mod config;
pub mod partitioner;
mod queue;
mod record;
mod sender;
mod sink;
mod stats;
mod topic_cache;
mod transaction;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use krafka_core::{ErrorCode, KrafkaError};
use tokio::sync::{Notify, Semaphore};

pub use config::{Acks, ProducerConfig, ProducerConfigBuilder};
pub use partitioner::{Partitioner, murmur2, partition_for_key, to_positive};
pub use record::{DeliveryFuture, ProducerRecord, RecordMetadata};
pub use stats::DeliveryCounts;

use accumulator::{Accumulator, Appended, Limits};
use batch::Memory;
use partitioner::partition_count;
use topic_cache::TopicCache;

use crate::cluster::{Cluster, TopicMetadata};

/// The most bytes a record takes in a batch beyond its key, value and
/// headers: its length, attributes, timestamp and offset deltas, key and
/// value lengths and header count (varints, at their longest).
const RECORD_OVERHEAD: usize = 5 + 1 + 10 + 5 + 5 + 5 + 5;
/// Per header beyond its key and value (two varint lengths).
const HEADER_OVERHEAD: usize = 10;

/// A Kafka producer. Clones share the producer; it shuts down (sending what
/// is queued) when [`Producer::close`] is called or the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Producer {
    handle: Arc<Handle>,
}

#[derive(Debug)]
struct Handle {
    shared: Arc<Shared>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        // The sender sends what is queued, then stops.
        self.shared.close();
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: ProducerConfig,
    pub(crate) cluster: Cluster,
    partitioner: Option<Arc<dyn Partitioner>>,
    /// `buffer.memory`, in bytes.
    pub(crate) memory: Arc<Semaphore>,
    state: Mutex<Accumulator>,
    /// Delivered / failed counts (the accumulator's, readable without its
    /// lock).
    stats: Arc<stats::DeliveryStats>,
    /// The metadata of the topic sent to last.
    topics: TopicCache,
    /// Wakes the sender (a batch is ready, a request finished).
    pub(crate) wake: Notify,
    /// Wakes flushes (a batch was settled).
    pub(crate) completed: Notify,
    pub(crate) refreshing: AtomicBool,
    /// Sends waiting for `buffer.memory`.
    pub(crate) memory_waiters: AtomicUsize,
    /// The producer takes no more records (mirrors the accumulator's flag,
    /// readable without the lock).
    closed: AtomicBool,
}

impl Shared {
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.lock().closed = true;
        self.wake.notify_one();
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Accumulator> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Producer {
    /// Connects to the cluster (and, when idempotent, gets a producer id):
    /// a shortcut for [`Kafka::producer`](crate::Kafka::producer) on a
    /// client of its own.
    pub async fn new(config: ProducerConfig) -> Result<Producer, KrafkaError> {
        config.validate()?;
        let kafka = crate::Kafka::connect(config.client.clone()).await?;
        kafka.producer(config).await
    }

    /// A producer on `cluster`, whose settings `config.client` must be.
    pub(crate) async fn on_cluster(
        cluster: Cluster,
        config: ProducerConfig,
        partitioner: Option<Arc<dyn Partitioner>>,
    ) -> Result<Producer, KrafkaError> {
        config.validate()?;
        let idempotent = config.idempotent();
        let limits = Limits {
            batch_size: config.batch_size,
            linger: config.linger,
            delivery_timeout: config.delivery_timeout,
            max_request_size: config.max_request_size,
            grow_limit: accumulator::growth_limit(config.batch_size, config.max_request_size),
            max_in_flight: config.max_in_flight,
            retries: config.retries,
            compression: config.compression,
            compression_level: config.compression_level,
            idempotent,
            transactional: config.transactional_id.is_some(),
            adaptive_partitioning: config.partitioner_adaptive_partitioning,
            availability_timeout: config.partitioner_availability_timeout,
        };
        let accumulator = Accumulator::new(limits);
        let stats = Arc::clone(&accumulator.stats);
        let shared = Arc::new(Shared {
            memory: Arc::new(Semaphore::new(
                config.buffer_memory.min(Semaphore::MAX_PERMITS),
            )),
            config,
            cluster,
            partitioner,
            state: Mutex::new(accumulator),
            stats,
            topics: TopicCache::default(),
            wake: Notify::new(),
            completed: Notify::new(),
            refreshing: AtomicBool::new(false),
            memory_waiters: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
        });
        // A transactional producer gets its id from init_transactions.
        if idempotent && shared.config.transactional_id.is_none() {
            let id = sender::init_producer_id(&shared).await?;
            shared.lock().set_producer_id(id);
        }
        tokio::spawn(sender::run(Arc::clone(&shared)));
        Ok(Producer {
            handle: Arc::new(Handle { shared }),
        })
    }

    /// The settings.
    pub fn config(&self) -> &ProducerConfig {
        &self.handle.shared.config
    }

    /// The cluster handle the producer uses.
    pub fn cluster(&self) -> &Cluster {
        &self.handle.shared.cluster
    }

    /// The producer id and epoch (-1, -1 when not idempotent).
    pub fn producer_id_and_epoch(&self) -> (i64, i16) {
        let id = self.handle.shared.lock().producer_id;
        (id.id, id.epoch)
    }

    /// How many records were delivered and how many failed so far (counted
    /// as their batches settle, whether or not their futures are kept): a
    /// high-throughput sender can drop the futures of [`Producer::try_send`]
    /// and read this after [`Producer::flush`].
    pub fn delivery_counts(&self) -> DeliveryCounts {
        self.handle.shared.stats.snapshot()
    }

    /// Queues a record and returns the future of its delivery. Waits only
    /// for the topic's metadata (the first time) and for room in
    /// `buffer.memory`, at most `max.block.ms` in all.
    pub async fn send(&self, record: ProducerRecord) -> Result<DeliveryFuture, KrafkaError> {
        let shared = &self.handle.shared;
        self.check_open()?;
        let max_block = shared.config.max_block;
        // One budget for both waits (metadata, then memory), as in Java.
        let deadline = tokio::time::Instant::now() + max_block;
        // The cached metadata when it knows the topic (the hot path: no
        // allocation), else wait for it.
        let topic = match shared.topics.get(&shared.cluster, &record.topic) {
            Some(topic) => topic,
            None => tokio::time::timeout_at(deadline, shared.cluster.topic_metadata(&record.topic))
                .await
                .map_err(|_| {
                    KrafkaError::timeout(format!("metadata of topic {}", record.topic), max_block)
                })??,
        };
        let size = record_size(&record);
        self.check_size(size)?;
        let mut memory = None;
        loop {
            match self.append(&topic, &record, size, &mut memory)? {
                Appended::Queued { future, .. } => return Ok(future),
                Appended::NeedsMemory(bytes) => {
                    memory = Some(self.reserve(bytes, deadline, max_block).await?);
                }
            }
        }
    }

    /// Charges a new batch's buffer to `buffer.memory`, waiting for room
    /// until `deadline`.
    async fn reserve(
        &self,
        bytes: usize,
        deadline: tokio::time::Instant,
        max_block: Duration,
    ) -> Result<Memory, KrafkaError> {
        let shared = &self.handle.shared;
        if let Ok(memory) = self.try_reserve(bytes) {
            return Ok(memory);
        }
        let permits = self.permits(bytes);
        // Like Java: while someone waits for memory, every batch is ready
        // (linger.ms no longer applies), so memory comes back.
        let waiting = MemoryWaiter::new(&shared.memory_waiters);
        shared.wake.notify_one();
        let acquired = tokio::time::timeout_at(
            deadline,
            Arc::clone(&shared.memory).acquire_many_owned(permits),
        )
        .await;
        drop(waiting);
        let permit = acquired
            .map_err(|_| KrafkaError::timeout("waiting for buffer.memory", max_block))?
            .map_err(|_| KrafkaError::state("the producer is closed"))?;
        permit.forget();
        Ok(Memory::new(permits as usize, Arc::clone(&shared.memory)))
    }

    /// Charges a new batch's buffer to `buffer.memory` if there is room.
    fn try_reserve(&self, bytes: usize) -> Result<Memory, KrafkaError> {
        let shared = &self.handle.shared;
        let permits = self.permits(bytes);
        let permit = Arc::clone(&shared.memory)
            .try_acquire_many_owned(permits)
            .map_err(|_| KrafkaError::state("buffer.memory is full"))?;
        permit.forget();
        Ok(Memory::new(permits as usize, Arc::clone(&shared.memory)))
    }

    /// The permits a buffer of `bytes` takes: at most the whole pool (a
    /// `batch.size` above `buffer.memory` still gets a batch).
    fn permits(&self, bytes: usize) -> u32 {
        let capacity = self
            .handle
            .shared
            .config
            .buffer_memory
            .min(Semaphore::MAX_PERMITS);
        u32::try_from(bytes.min(capacity)).unwrap_or(u32::MAX)
    }

    /// Queues a record without waiting: fails when the topic's metadata is
    /// not known yet or `buffer.memory` is full. The way to enqueue many
    /// records without one `.await` each.
    pub fn try_send(&self, record: ProducerRecord) -> Result<DeliveryFuture, KrafkaError> {
        let shared = &self.handle.shared;
        self.check_open()?;
        let Some(topic) = shared.topics.get(&shared.cluster, &record.topic) else {
            return Err(KrafkaError::state(format!(
                "metadata of topic {} is not loaded yet: use send()",
                record.topic
            )));
        };
        let size = record_size(&record);
        self.check_size(size)?;
        let mut memory = None;
        loop {
            match self.append(&topic, &record, size, &mut memory)? {
                Appended::Queued { future, .. } => return Ok(future),
                Appended::NeedsMemory(bytes) => memory = Some(self.try_reserve(bytes)?),
            }
        }
    }

    /// Sends every queued record now (ignoring `linger.ms`) and waits until
    /// all records queued before the call are delivered or failed.
    pub async fn flush(&self) {
        let shared = &self.handle.shared;
        let before = shared.lock().begin_flush();
        shared.wake.notify_one();
        loop {
            let completed = shared.completed.notified();
            tokio::pin!(completed);
            completed.as_mut().enable();
            if shared.lock().flushed(before) {
                return;
            }
            completed.await;
        }
    }

    /// Stops accepting records, delivers (or fails) every queued one, and
    /// returns once none is left. Later sends fail.
    ///
    /// A transactional producer aborts its open transaction first, as the
    /// Java producer does, so that it does not hold back `read_committed`
    /// consumers until `transaction.timeout.ms`.
    pub async fn close(&self) -> Result<(), KrafkaError> {
        let open = self
            .handle
            .shared
            .lock()
            .txn
            .as_ref()
            .is_some_and(transaction::TxnState::is_open);
        let aborted = if open {
            self.abort_transaction().await
        } else {
            Ok(())
        };
        self.handle.shared.close();
        self.settled().await;
        aborted
    }

    /// Waits until no batch is queued or in flight.
    async fn settled(&self) {
        let shared = &self.handle.shared;
        loop {
            let completed = shared.completed.notified();
            tokio::pin!(completed);
            completed.as_mut().enable();
            if shared.lock().is_empty() {
                return;
            }
            completed.await;
        }
    }

    /// [`Producer::close`] waiting at most `timeout`: past it, the records
    /// still queued fail (those in flight still settle when their requests
    /// end) and a timeout error is returned.
    pub async fn close_timeout(&self, timeout: Duration) -> Result<(), KrafkaError> {
        if tokio::time::timeout(timeout, self.close()).await.is_ok() {
            return Ok(());
        }
        let shared = &self.handle.shared;
        shared
            .lock()
            .abort_queued(&KrafkaError::state("the producer was closed"));
        shared.completed.notify_waiters();
        Err(KrafkaError::timeout("closing the producer", timeout))
    }

    fn check_open(&self) -> Result<(), KrafkaError> {
        if self.handle.shared.closed.load(Ordering::Acquire) {
            return Err(KrafkaError::state("the producer is closed"));
        }
        Ok(())
    }

    /// A record larger than `max.request.size` or `buffer.memory` can never
    /// be sent (Java's RecordTooLargeException).
    fn check_size(&self, size: usize) -> Result<(), KrafkaError> {
        let config = &self.handle.shared.config;
        let (max, setting) = if config.max_request_size <= config.buffer_memory {
            (config.max_request_size, "max.request.size")
        } else {
            (config.buffer_memory, "buffer.memory")
        };
        if size > max {
            return Err(KrafkaError::RecordTooLarge { size, max, setting });
        }
        Ok(())
    }

    /// Appends under the lock, or says how much memory a new batch needs.
    fn append(
        &self,
        topic: &TopicMetadata,
        record: &ProducerRecord,
        size: usize,
        memory: &mut Option<Memory>,
    ) -> Result<Appended, KrafkaError> {
        let shared = &self.handle.shared;
        let count = partition_count(topic);
        if count == 0 {
            return Err(KrafkaError::from(ErrorCode::UnknownTopicOrPartition));
        }
        let key = record.key.as_deref();
        let value = record.value.as_deref();
        let chosen = match record.partition {
            Some(partition) => Some(partition),
            None => shared
                .partitioner
                .as_ref()
                .and_then(|p| p.partition(topic, key, value)),
        };
        if let Some(partition) = chosen {
            if !(0..count).contains(&partition) {
                return Err(KrafkaError::config(format!(
                    "partition {partition} is not one of the {count} partitions of {}",
                    topic.name
                )));
            }
        }
        let timestamp = record.timestamp.unwrap_or_else(now_ms);
        let appended = {
            let mut state = shared.lock();
            if state.closed {
                return Err(KrafkaError::state("the producer is closed"));
            }
            if let Some(txn) = &state.txn {
                txn.check_send()?;
            }
            let (partition, sticky) = match (chosen, key) {
                (Some(partition), _) => (partition, false),
                (None, Some(key)) if !shared.config.partitioner_ignore_keys => {
                    (partition_for_key(key, count), false)
                }
                (None, _) => (state.sticky_partition(topic), true),
            };
            // Whatever chose it, a partition outside the topic never reaches
            // the accumulator (whose queues it would name).
            if !(0..count).contains(&partition) {
                return Err(KrafkaError::state(format!(
                    "partition {partition} chosen for {} is not one of its {count} partitions",
                    topic.name
                )));
            }
            let mut appended = state.append(
                &topic.name,
                partition,
                timestamp,
                key,
                value,
                &record.headers,
                size,
                memory,
            )?;
            if sticky {
                if let Appended::Queued { full, wake, .. } = &mut appended {
                    // Moving on leaves a full batch behind for the sender.
                    *wake |= state.sticky_produced(topic, partition, size, *full);
                }
            }
            appended
        };
        if let Appended::Queued { wake: true, .. } = &appended {
            shared.wake.notify_one();
        }
        Ok(appended)
    }
}

/// The most a record can take in a batch.
fn record_size(record: &ProducerRecord) -> usize {
    let headers: usize = record
        .headers
        .iter()
        .map(|h| HEADER_OVERHEAD + h.key.len() + h.value.as_ref().map_or(0, |v| v.len()))
        .sum();
    RECORD_OVERHEAD
        + record.key.as_ref().map_or(0, |k| k.len())
        + record.value.as_ref().map_or(0, |v| v.len())
        + headers
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Counts a `send` waiting for `buffer.memory` for as long as it waits, also
/// when its future is dropped half-way (a cancelled send must not leave the
/// count up: it makes every batch ready at once).
struct MemoryWaiter<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> MemoryWaiter<'a> {
    fn new(count: &'a std::sync::atomic::AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        MemoryWaiter(count)
    }
}

impl Drop for MemoryWaiter<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
