//! The consumer's fetch path, following the Java consumer's behaviour and
//! settings (consumer groups come later: partitions are assigned by hand).
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use std::time::Duration;
//! use krafka_client::{Consumer, ConsumerConfig, TopicPartition};
//!
//! let consumer = Consumer::new(
//!     ConsumerConfig::builder()
//!         .bootstrap_servers(["127.0.0.1:9092"])
//!         .set("auto.offset.reset", "earliest")?
//!         .build()?,
//! )
//! .await?;
//! consumer
//!     .assign([TopicPartition::new("events", 0), TopicPartition::new("events", 1)])
//!     .await?;
//! // One record at a time…
//! let record = consumer.recv().await?;
//! println!("{}-{}@{}: {:?}", record.topic, record.partition, record.offset, record.value);
//! // …or many (the fast path).
//! for record in consumer.poll(Duration::from_millis(100)).await? {
//!     let _ = record.value;
//! }
//! consumer.close().await?;
//! # Ok(())
//! # }
//! ```
//!
//! - One fetch task per broker, each on a connection of its own (a Fetch
//!   long-poll holds its connection for up to `fetch.max.wait.ms`), sends
//!   one Fetch at a time at the highest version both sides speak, for every
//!   assigned partition that broker leads (or, with `client.rack`, the
//!   replica the leader prefers, KIP-392), in a fetch session (KIP-227).
//! - **Memory is bounded by a budget, counted as it is held**: the lower of
//!   `krafka.fetch.buffer.max.bytes` (default 2 MiB, the knob that trades
//!   prefetch for memory) and `fetch.max.bytes`. A
//!   partition is fetched only when all its fetched records were handed out
//!   (as in Java). A response is kept as it came (compressed batches stay
//!   compressed) and counted whole until its last record is handed out
//!   (records of uncompressed batches are slices of it). Batches are opened
//!   one at a time per partition, when the application reaches them, and a
//!   compressed one is decompressed a chunk at a time as its records are
//!   taken (256 KiB, or one record when that is larger; the records are
//!   slices of their chunk); the chunk is counted while its batch is open.
//!   Records are made one at a time as they are taken, their headers read
//!   from the batch when asked for. A Fetch asks for at most what the
//!   budget leaves free when it is sent (its `max_bytes`; not held while
//!   it is out, so several brokers' fetches may together bring up to
//!   brokers x the budget), and is sent only when a quarter of the budget
//!   is free; no chunk is
//!   decompressed ahead of the application while the budget is used up —
//!   except one chunk when the application would get nothing otherwise. So
//!   the consumer holds at most about the budget plus one batch per broker
//!   (a broker may exceed `max_bytes` by one batch, KIP-74) plus one chunk
//!   (256 KiB unless one record is larger; a batch decompresses to at most
//!   128 MiB in all), however slow the application and whatever the
//!   compression;
//!   [`Consumer::buffered_bytes`] tells the count. Outside the count are the
//!   decoders of the open compressed batches, one per partition being
//!   handed out: zstd's window (as the frame sets it: 2 MiB at Kafka's
//!   default level, at most 8 MiB up to level 19, up to 128 MiB for levels
//!   20-22 or a hostile frame, filled only as far as the batch has been
//!   decompressed), lz4's and gzip's block buffers (under 200 KiB for
//!   Kafka's framing), snappy's block (32 KiB as Kafka's producer frames
//!   it; an unframed snappy batch is one block, decoded whole). Records the
//!   application still holds keep their response or chunk alive beyond
//!   that.
//! - Positions move when records are handed out; seeks drop the buffered
//!   records of the partition, and a per-partition generation discards a
//!   response that was in flight for the old position.
//! - A partition whose leader is unavailable holds no other back: resets
//!   and seeks by timestamp give the partitions that answer their position
//!   at once and retry the others in the background (with backoff), so the
//!   healthy partitions' records are handed out meanwhile;
//!   [`Consumer::position`] of a leaderless partition waits up to
//!   `default.api.timeout.ms`, [`Consumer::end_offsets_now`] answers for
//!   the partitions that can.
//! - OFFSET_OUT_OF_RANGE follows `auto.offset.reset` (with `none`, the
//!   application gets [`KrafkaError::OffsetOutOfRange`]); stale-leader errors
//!   and lost connections refresh the metadata and move on to the new
//!   leader; the current leader epoch and the last fetched epoch go with
//!   each fetch (KIP-320) and a diverging epoch truncates the position.

mod aborted;
pub mod config;
mod decode;
pub(crate) mod digest;
mod fetcher;
pub(crate) mod group;
mod memory;
mod offsets;
mod pacing;
mod record;
mod reset;
pub(crate) mod session;
pub(crate) mod state;
mod stream;
mod subscribe;
mod validate;

use std::collections::HashMap;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use krafka_core::KrafkaError;
use tokio::sync::{Notify, watch};
use tokio::task::AbortHandle;

/// The trait of [`Consumer::stream`]'s return value (from `futures-core`).
use futures_core::Stream;

pub use config::{ConsumerConfig, ConsumerConfigBuilder, IsolationLevel, OffsetReset};
pub use group::GroupMetadata;
pub use group::assignor::{
    Assignor, CooperativeStickyAssignor, GroupAssignmentInput, GroupMember, PartitionRacks,
    RangeAssignor, RebalanceProtocol, RoundRobinAssignor, StickyAssignor, assignor_by_name,
};
pub use group::listener::RebalanceListener;
pub use group::protocol::{MemberAssignment, Subscription};
pub use record::{ConsumerRecord, OffsetAndMetadata, OffsetAndTimestamp, TopicPartition};

use memory::BufferedMemory;
use offsets::{EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, list_offsets};
use state::{Assignment, One, Taking, not_assigned};

use crate::cluster::Cluster;

/// A Kafka consumer of assigned partitions. Methods take `&self`, so one
/// consumer can be shared (behind an `Arc`) by tasks.
///
/// ```no_run
/// # async fn demo() -> Result<(), krafka_core::KrafkaError> {
/// use krafka_client::{Consumer, ConsumerConfig, TopicPartition};
///
/// let consumer = Consumer::new(
///     ConsumerConfig::from_properties([
///         ("bootstrap.servers", "127.0.0.1:9092"),
///         ("isolation.level", "read_committed"),
///     ])?,
/// )
/// .await?;
/// let tp = TopicPartition::new("events", 0);
/// consumer.assign([tp.clone()]).await?;
/// consumer.seek_to_timestamp(std::slice::from_ref(&tp), 1_700_000_000_000).await?;
/// while let Ok(record) = consumer.recv().await {
///     println!("{}: lag {:?}", record.offset, consumer.lag(&tp));
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Consumer {
    shared: Arc<Shared>,
    /// The application's consumer, whose drop shuts everything down (the
    /// membership task lends its rebalance listener a view that is not).
    owner: bool,
}

/// What the consumer handle and its tasks share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) cluster: Cluster,
    pub(crate) config: ConsumerConfig,
    state: Mutex<Assignment>,
    /// The assignment's count of the bytes held for records not handed out
    /// yet, readable without the lock.
    pub(crate) memory: BufferedMemory,
    /// Wakes `recv`/`poll`: records (or an error) arrived.
    pub(crate) records_ready: Notify,
    /// Bumped whenever the fetch tasks should look at the assignment again.
    pub(crate) fetch_wake: watch::Sender<u64>,
    pub(crate) closed: AtomicBool,
    /// The consumer group, with a `group.id`.
    pub(crate) group: Option<Arc<group::Group>>,
    /// A metadata refresh requested by a fetch task is underway.
    pub(crate) refreshing: AtomicBool,
    /// Background resets of leaderless partitions back off together.
    pub(crate) reset_backoff: reset::ResetBackoff,
    tasks: Mutex<Vec<AbortHandle>>,
    /// The fetch session id each broker gave last (0: none), for diagnostics.
    sessions: Mutex<HashMap<i32, i32>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Assignment> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Makes the fetch tasks re-read the assignment.
    pub(crate) fn wake_fetchers(&self) {
        self.fetch_wake.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub(crate) fn add_task(&self, task: AbortHandle) {
        let mut tasks = self
            .tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }

    /// Notes the session id of a broker's latest Fetch response.
    pub(crate) fn record_session(&self, node: i32, session_id: i32) {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(node, session_id);
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    fn shut_down(&self) {
        self.closed.store(true, Ordering::Release);
        self.wake_fetchers();
        self.records_ready.notify_waiters();
        let tasks = std::mem::take(
            &mut *self
                .tasks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for task in tasks {
            task.abort();
        }
    }

    /// Takes up to `max` ready records into `out`, decompressing the
    /// batches it reaches a chunk at a time (outside the lock) as the
    /// memory budget allows.
    pub(crate) fn take(
        &self,
        max: usize,
        out: &mut impl Extend<ConsumerRecord>,
    ) -> Result<(), KrafkaError> {
        if self.is_closed() {
            return Err(KrafkaError::state("the consumer is closed"));
        }
        if let Some(group) = &self.group {
            group.polled()?;
        }
        let budget = self.budget();
        let mut taking = Taking::default();
        let result = loop {
            let mut job = match self.lock().take(max, out, budget, &mut taking) {
                Ok(Some(job)) => job,
                Ok(None) => break Ok(()),
                Err(error) => break Err(error),
            };
            let result = job.run();
            self.lock().finish_decompression(job, result, &mut taking);
        };
        // Closed batches may have made the room a fetch task waits for,
        // without any partition being drained.
        if taking.drained || self.memory.wake_waiting(budget) {
            self.wake_fetchers();
        }
        result
    }

    /// What the data held for undelivered records may reach before
    /// fetching and decompressing ahead stop.
    pub(crate) fn budget(&self) -> usize {
        self.config.buffer_budget()
    }
}

/// What [`Consumer::end_offsets_now`] finds: the offsets of the partitions
/// that answered, and the others with the error that kept each from an
/// answer.
pub type OffsetsNow = (
    Vec<(TopicPartition, i64)>,
    Vec<(TopicPartition, KrafkaError)>,
);

/// Why a position could not be found in time: the leader's last error, or
/// a timeout.
fn position_timeout(last_error: Option<KrafkaError>, timeout: Duration) -> KrafkaError {
    last_error.unwrap_or_else(|| KrafkaError::timeout("the position lookup", timeout))
}

impl Drop for Consumer {
    fn drop(&mut self) {
        if self.owner {
            self.shared.shut_down();
        }
    }
}

impl Consumer {
    /// Connects to the cluster: a shortcut for
    /// [`Kafka::consumer`](crate::Kafka::consumer) on a client of its own.
    /// Nothing is fetched until partitions are assigned.
    pub async fn new(config: ConsumerConfig) -> Result<Consumer, KrafkaError> {
        config.validate()?;
        let kafka = crate::Kafka::connect(config.client.clone()).await?;
        kafka.consumer(config)
    }

    /// A consumer on `cluster`, whose settings `config.client` must be.
    pub(crate) fn on_cluster(
        cluster: Cluster,
        config: ConsumerConfig,
        assignors: Option<Vec<Arc<dyn Assignor>>>,
    ) -> Result<Consumer, KrafkaError> {
        let group = group::Group::from_config(&config, assignors)?.map(Arc::new);
        let (fetch_wake, _) = watch::channel(0);
        let assignment = Assignment::default();
        let memory = assignment.memory().clone();
        let shared = Arc::new(Shared {
            cluster,
            config,
            state: Mutex::new(assignment),
            memory,
            records_ready: Notify::new(),
            fetch_wake,
            closed: AtomicBool::new(false),
            group,
            refreshing: AtomicBool::new(false),
            reset_backoff: reset::ResetBackoff::default(),
            tasks: Mutex::new(Vec::new()),
            sessions: Mutex::new(HashMap::new()),
        });
        let supervisor = tokio::spawn(fetcher::supervise(Arc::downgrade(&shared)));
        shared.add_task(supervisor.abort_handle());
        Ok(Consumer {
            shared,
            owner: true,
        })
    }

    /// A handle on the same consumer that does not shut it down when
    /// dropped (what the rebalance listener is given).
    pub(crate) fn view(shared: Arc<Shared>) -> Consumer {
        Consumer {
            shared,
            owner: false,
        }
    }

    /// The settings.
    pub fn config(&self) -> &ConsumerConfig {
        &self.shared.config
    }

    /// The cluster handle the consumer uses.
    pub fn cluster(&self) -> &Cluster {
        &self.shared.cluster
    }

    /// Replaces the assignment. Partitions that stay keep their position;
    /// new ones start where `auto.offset.reset` says (with `none`, `recv`
    /// and `poll` report that they have no position until a seek gives them
    /// one).
    pub async fn assign(
        &self,
        partitions: impl IntoIterator<Item = TopicPartition>,
    ) -> Result<(), KrafkaError> {
        let partitions: Vec<TopicPartition> = partitions.into_iter().collect();
        self.check_not_subscribed()?;
        let mut topics: Vec<&str> = partitions.iter().map(|tp| tp.topic.as_str()).collect();
        topics.sort_unstable();
        topics.dedup();
        self.shared.cluster.add_topics(&topics).await?;
        let added = self.shared.lock().assign(partitions.iter().cloned());
        // Partitions whose leader is unavailable get their position later,
        // in the background; the others are fetched meanwhile.
        reset::reset_positions(&self.shared, &added).await?;
        self.shared.wake_fetchers();
        Ok(())
    }

    /// The assigned partitions.
    pub fn assignment(&self) -> Vec<TopicPartition> {
        self.shared.lock().partitions().to_vec()
    }

    /// The next record, waiting for one. An error that concerns a partition
    /// (under `auto.offset.reset=none` [`KrafkaError::NoOffsetForPartition`],
    /// [`KrafkaError::OffsetOutOfRange`] or [`KrafkaError::LogTruncation`]; a
    /// corrupt batch, an authorization failure) is returned once, in its place.
    pub async fn recv(&self) -> Result<ConsumerRecord, KrafkaError> {
        loop {
            let mut ready = pin!(self.shared.records_ready.notified());
            ready.as_mut().enable();
            let mut one = One::default();
            self.shared.take(1, &mut one)?;
            if let Some(record) = one.0 {
                return Ok(record);
            }
            ready.await;
        }
    }

    /// Up to `max.poll.records` records that are ready, waiting until at
    /// least one is or `timeout` has passed (then the vector is empty).
    pub async fn poll(&self, timeout: Duration) -> Result<Vec<ConsumerRecord>, KrafkaError> {
        let max = self.shared.config.max_poll_records;
        let deadline = tokio::time::Instant::now() + timeout;
        let mut out = Vec::new();
        loop {
            let mut ready = pin!(self.shared.records_ready.notified());
            ready.as_mut().enable();
            self.shared.take(max, &mut out)?;
            if !out.is_empty() {
                return Ok(out);
            }
            if tokio::time::timeout_at(deadline, ready).await.is_err() {
                return Ok(out);
            }
        }
    }

    /// The records as a [`Stream`] (it ends when the consumer is closed).
    pub fn stream(&self) -> impl Stream<Item = Result<ConsumerRecord, KrafkaError>> + '_ {
        stream::RecordStream::new(&self.shared)
    }

    /// Moves `tp` to `offset`: the next record handed out for it is the one
    /// at `offset` (or, past the end, what `auto.offset.reset` says).
    pub async fn seek(&self, tp: &TopicPartition, offset: i64) -> Result<(), KrafkaError> {
        if offset < 0 {
            return Err(KrafkaError::config(format!(
                "cannot seek {tp} to the negative offset {offset}"
            )));
        }
        self.shared.lock().seek(tp, Some(offset), None)?;
        self.shared.wake_fetchers();
        Ok(())
    }

    /// Moves each partition to its log start offset.
    pub async fn seek_to_beginning(&self, tps: &[TopicPartition]) -> Result<(), KrafkaError> {
        self.seek_to(tps, EARLIEST_TIMESTAMP).await
    }

    /// Moves each partition to the end of its log (the LSO under
    /// `read_committed`): only records written from now on come.
    pub async fn seek_to_end(&self, tps: &[TopicPartition]) -> Result<(), KrafkaError> {
        self.seek_to(tps, LATEST_TIMESTAMP).await
    }

    /// Moves each partition to the first record whose timestamp is at least
    /// `timestamp` (ms since the epoch), or to the end when there is none.
    pub async fn seek_to_timestamp(
        &self,
        tps: &[TopicPartition],
        timestamp: i64,
    ) -> Result<(), KrafkaError> {
        self.seek_to(tps, timestamp).await
    }

    async fn seek_to(&self, tps: &[TopicPartition], timestamp: i64) -> Result<(), KrafkaError> {
        self.check_assigned(tps)?;
        reset::seek_by_timestamp(&self.shared, tps, timestamp).await
    }

    /// For each `(partition, timestamp)`: the first offset whose timestamp is
    /// at least `timestamp`, or `None` when there is none (Java's
    /// `offsetsForTimes`). The partitions need not be assigned.
    pub async fn offsets_for_times(
        &self,
        query: &[(TopicPartition, i64)],
    ) -> Result<Vec<(TopicPartition, Option<OffsetAndTimestamp>)>, KrafkaError> {
        if let Some((tp, ts)) = query.iter().find(|(_, ts)| *ts < 0) {
            return Err(KrafkaError::config(format!(
                "the timestamp for {tp} is negative ({ts})"
            )));
        }
        list_offsets(
            &self.shared.cluster,
            self.shared.config.isolation_level,
            query,
        )
        .await
    }

    /// The log start offset of each partition.
    pub async fn beginning_offsets(
        &self,
        tps: &[TopicPartition],
    ) -> Result<Vec<(TopicPartition, i64)>, KrafkaError> {
        self.offsets_at(tps, EARLIEST_TIMESTAMP).await
    }

    /// The end offset of each partition: the high watermark, or the last
    /// stable offset under `read_committed`.
    pub async fn end_offsets(
        &self,
        tps: &[TopicPartition],
    ) -> Result<Vec<(TopicPartition, i64)>, KrafkaError> {
        self.offsets_at(tps, LATEST_TIMESTAMP).await
    }

    /// The end offset of each partition whose leader answers now, and for
    /// each of the others the retriable error that kept it from an answer
    /// (its leader unknown or unreachable): one round, no retries, so that
    /// a caller can go on with the partitions that answered while it waits
    /// for the others. A non-retriable error fails the whole lookup.
    pub async fn end_offsets_now(&self, tps: &[TopicPartition]) -> Result<OffsetsNow, KrafkaError> {
        self.offsets_at_now(tps, LATEST_TIMESTAMP).await
    }

    /// [`end_offsets_now`](Self::end_offsets_now) for the log start offsets.
    pub async fn beginning_offsets_now(
        &self,
        tps: &[TopicPartition],
    ) -> Result<OffsetsNow, KrafkaError> {
        self.offsets_at_now(tps, EARLIEST_TIMESTAMP).await
    }

    async fn offsets_at_now(
        &self,
        tps: &[TopicPartition],
        timestamp: i64,
    ) -> Result<OffsetsNow, KrafkaError> {
        let mut query: Vec<(TopicPartition, i64)> = Vec::with_capacity(tps.len());
        for tp in tps {
            if !query.iter().any(|(queued, _)| queued == tp) {
                query.push((tp.clone(), timestamp));
            }
        }
        let (found, unanswered) = offsets::list_offsets_now(
            &self.shared.cluster,
            self.shared.config.isolation_level,
            &query,
        )
        .await?;
        let mut offsets = Vec::with_capacity(found.len());
        let mut unavailable: Vec<(TopicPartition, KrafkaError)> = unanswered
            .into_iter()
            .map(|(tp, _, error)| (tp, error))
            .collect();
        for (tp, _, offset) in found {
            match offset {
                Some(offset) => offsets.push((tp, offset.offset)),
                None => {
                    let error = KrafkaError::protocol("ListOffsets", format!("no offset for {tp}"));
                    unavailable.push((tp, error));
                }
            }
        }
        Ok((offsets, unavailable))
    }

    async fn offsets_at(
        &self,
        tps: &[TopicPartition],
        timestamp: i64,
    ) -> Result<Vec<(TopicPartition, i64)>, KrafkaError> {
        let query: Vec<(TopicPartition, i64)> =
            tps.iter().map(|tp| (tp.clone(), timestamp)).collect();
        let found = list_offsets(
            &self.shared.cluster,
            self.shared.config.isolation_level,
            &query,
        )
        .await?;
        found
            .into_iter()
            .map(|(tp, offset)| match offset {
                Some(o) => Ok((tp, o.offset)),
                None => Err(KrafkaError::protocol(
                    "ListOffsets",
                    format!("no offset for {tp}"),
                )),
            })
            .collect()
    }

    /// Stops handing out and fetching records of these partitions (their
    /// buffered records are kept for after [`Consumer::resume`]).
    pub fn pause(&self, tps: &[TopicPartition]) {
        self.set_paused(tps, true);
    }

    /// Resumes paused partitions.
    pub fn resume(&self, tps: &[TopicPartition]) {
        self.set_paused(tps, false);
        self.shared.records_ready.notify_waiters();
        self.shared.wake_fetchers();
    }

    fn set_paused(&self, tps: &[TopicPartition], paused: bool) {
        let mut state = self.shared.lock();
        for tp in tps {
            if let Some(partition) = state.get_mut(tp) {
                partition.paused = paused;
            }
        }
    }

    /// The paused partitions.
    pub fn paused(&self) -> Vec<TopicPartition> {
        let state = self.shared.lock();
        state
            .partitions()
            .iter()
            .filter(|tp| state.get(tp).is_some_and(|s| s.paused))
            .cloned()
            .collect()
    }

    /// The offset of the next record `recv`/`poll` hands out for `tp`
    /// (looking it up with `auto.offset.reset`, or a pending seek, when it
    /// has none yet). While the partition's leader is unavailable this
    /// waits, up to `default.api.timeout.ms`, and then returns why.
    pub async fn position(&self, tp: &TopicPartition) -> Result<i64, KrafkaError> {
        let timeout = self.shared.cluster.config().default_api_timeout;
        let deadline = tokio::time::Instant::now().checked_add(timeout);
        let backoff = self.shared.cluster.config().retry_backoff_policy();
        let mut attempt = 0u32;
        let mut last_error = None;
        // Every reset ends with `wake_fetchers`: wait on it while another
        // task's reset is underway instead of spinning.
        let mut wake = self.shared.fetch_wake.subscribe();
        loop {
            wake.borrow_and_update();
            if let Some(position) = self.current_position_of(tp)? {
                return Ok(position);
            }
            let unavailable =
                reset::reset_positions(&self.shared, std::slice::from_ref(tp)).await?;
            let reset_elsewhere = {
                let state = self.shared.lock();
                let partition = state.get(tp).ok_or_else(|| not_assigned(tp))?;
                if partition.position.is_none() {
                    if let Some(error) = &partition.error {
                        return Err(error.clone());
                    }
                }
                partition.position.is_none() && partition.resetting
            };
            if let Some((_, error)) = unavailable.into_iter().find(|(t, _)| t == tp) {
                last_error = Some(error);
                let delay = backoff.delay(attempt);
                attempt = attempt.saturating_add(1);
                if deadline.is_some_and(|d| tokio::time::Instant::now() + delay >= d) {
                    return Err(position_timeout(last_error, timeout));
                }
                fetcher::request_metadata_refresh(&self.shared);
                tokio::time::sleep(delay).await;
                continue;
            }
            if reset_elsewhere {
                let changed = match deadline {
                    Some(deadline) => tokio::time::timeout_at(deadline, wake.changed()).await,
                    None => Ok(wake.changed().await),
                };
                match changed {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return Err(KrafkaError::state("the consumer is closed")),
                    Err(_) => return Err(position_timeout(last_error, timeout)),
                }
            }
        }
    }

    /// The offset of the next record `recv`/`poll` hands out for `tp`, if it
    /// has one now: `None` while it waits for a reset or a seek to a
    /// timestamp (its leader unavailable, say). Unlike
    /// [`position`](Self::position) this never waits.
    pub fn current_position(&self, tp: &TopicPartition) -> Option<i64> {
        self.current_position_of(tp).ok().flatten()
    }

    fn current_position_of(&self, tp: &TopicPartition) -> Result<Option<i64>, KrafkaError> {
        let state = self.shared.lock();
        Ok(state.get(tp).ok_or_else(|| not_assigned(tp))?.position)
    }

    /// How far `tp`'s position is behind its end (the high watermark, or
    /// the LSO under `read_committed`) as of the latest fetch; `None` before
    /// the first fetch answered.
    pub fn lag(&self, tp: &TopicPartition) -> Option<i64> {
        let read_committed = self.shared.config.isolation_level == IsolationLevel::ReadCommitted;
        self.shared.lock().get(tp)?.lag(read_committed)
    }

    /// Bytes the consumer holds for records it has not handed out yet:
    /// fetched responses as they came (compressed batches compressed) and
    /// the decompressed chunk of each compressed batch being handed out.
    /// Fetching and decompressing ahead stop while this is at the budget
    /// (the lower of `krafka.fetch.buffer.max.bytes` and `fetch.max.bytes`).
    pub fn buffered_bytes(&self) -> usize {
        self.shared.memory.bytes()
    }

    /// The most [`buffered_bytes`](Self::buffered_bytes) has been since the
    /// consumer was made.
    pub fn peak_buffered_bytes(&self) -> usize {
        self.shared.memory.peak()
    }

    /// The fetch session id (KIP-227) each broker's latest Fetch response
    /// carried, by node id; 0 means the fetch ran without a session.
    pub fn fetch_session_ids(&self) -> Vec<(i32, i32)> {
        let sessions = self
            .shared
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut ids: Vec<(i32, i32)> = sessions.iter().map(|(n, s)| (*n, *s)).collect();
        ids.sort_unstable();
        ids
    }

    fn check_assigned(&self, tps: &[TopicPartition]) -> Result<(), KrafkaError> {
        let state = self.shared.lock();
        match tps.iter().find(|tp| state.get(tp).is_none()) {
            Some(tp) => Err(not_assigned(tp)),
            None => Ok(()),
        }
    }

    /// Leaves the group (after committing the positions with
    /// `enable.auto.commit` and telling the rebalance listener), stops
    /// fetching and closes the fetch connections.
    pub async fn close(self) -> Result<(), KrafkaError> {
        self.end_membership("the consumer is closing").await;
        self.shared.shut_down();
        Ok(())
    }
}
