//! The fetch tasks: one per broker that some assigned partition is fetched
//! from, each on a connection of its own with its own fetch session, plus a
//! supervisor that starts them and resets positions.
//!
//! A fetch task loops: pick the fetchable partitions it serves (not paused,
//! with a position, nothing buffered, no fetch in flight) while the data
//! held for undelivered records is below `fetch.max.bytes`, send one Fetch,
//! check the batches that come back and buffer them by partition (if the
//! partition's generation and position are still the ones the fetch was sent
//! for), and handle the partitions' errors.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use krafka_core::messages::FetchRequest;
use krafka_core::messages::fetch::PartitionData;
use krafka_core::{ErrorCode, KrafkaError};

use super::Shared;
use super::aborted::AbortedFilter;
use super::config::{IsolationLevel, OffsetReset};
use super::decode::scan_records;
use super::memory::Charge;
use super::record::TopicPartition;
use super::reset::reset_positions;
use super::session::{FIRST_TOPIC_ID_VERSION, FetchSession, WantedPartition};
use super::state::PartitionState;
use super::validate::{
    FIRST_DIVERGING_EPOCH_VERSION, Unvalidated, needs_validation, truncated_position,
    validate_positions,
};
use crate::cluster::{ClusterMetadata, Purpose};
use crate::connection::{Connection, Limits};

/// How often idle tasks look at the metadata again (leaders move without
/// anyone telling the consumer).
const IDLE_RECHECK: Duration = Duration::from_secs(1);

/// The longest a Fetch may wait at the broker while other partitions of the
/// same broker are being drained by the application: they become fetchable
/// soon, and one long poll on an idle partition would hold them back for
/// `fetch.max.wait.ms` (one Fetch is in flight per broker).
const DRAINING_MAX_WAIT_MS: i32 = 10;

/// Starts a fetch task for every broker that has partitions to serve, and
/// resets partitions that lost their position, until the consumer closes.
pub(crate) async fn supervise(shared: Weak<Shared>) {
    let mut fetchers: HashMap<i32, tokio::task::AbortHandle> = HashMap::new();
    let Some(mut wake) = shared.upgrade().map(|s| s.fetch_wake.subscribe()) else {
        return;
    };
    loop {
        {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            if shared.is_closed() {
                return;
            }
            wake.borrow_and_update();
            start_resets(&shared);
            let metadata = shared.cluster.metadata();
            let (nodes, leaderless) = {
                let state = shared.lock();
                let mut nodes = Vec::new();
                let mut leaderless = false;
                for (tp, partition) in state.iter() {
                    match fetch_target(&metadata, tp, partition) {
                        Some(node) if !nodes.contains(&node) => nodes.push(node),
                        Some(_) => {}
                        None => leaderless = true,
                    }
                }
                (nodes, leaderless)
            };
            if leaderless {
                request_metadata_refresh(&shared);
            }
            fetchers.retain(|_, task| !task.is_finished());
            for node in nodes {
                if let std::collections::hash_map::Entry::Vacant(entry) = fetchers.entry(node) {
                    let task = tokio::spawn(BrokerFetcher::new(Arc::clone(&shared), node).run());
                    shared.add_task(task.abort_handle());
                    entry.insert(task.abort_handle());
                }
            }
        }
        tokio::select! {
            changed = wake.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(IDLE_RECHECK) => {}
        }
    }
}

/// Spawns a reset for partitions that have no position, none underway and
/// no error waiting.
fn start_resets(shared: &Arc<Shared>) {
    if shared.config.auto_offset_reset == OffsetReset::None {
        return;
    }
    // With their generations now: a failure is reported only to partitions
    // nobody has seeked or reassigned since.
    let (needing, generations): (Vec<TopicPartition>, Vec<u64>) = {
        let state = shared.lock();
        state
            .iter()
            .filter(|(_, p)| p.position.is_none() && !p.resetting && p.error.is_none())
            .map(|(tp, p)| (tp.clone(), p.generation))
            .unzip()
    };
    if needing.is_empty() {
        return;
    }
    let task_shared = Arc::clone(shared);
    let task = tokio::spawn(async move {
        if let Err(error) = reset_positions(&task_shared, &needing).await {
            if error.is_retriable() {
                tracing::debug!(
                    error = &error as &dyn std::error::Error,
                    "position reset failed; retrying"
                );
                tokio::time::sleep(task_shared.cluster.config().retry_backoff).await;
            } else {
                fail_partitions(
                    &task_shared,
                    needing.iter().zip(generations.iter().copied()),
                    &error,
                );
                task_shared.records_ready.notify_waiters();
            }
            task_shared.wake_fetchers();
        }
    });
    shared.add_task(task.abort_handle());
}

/// Hands `error` to the application for each partition still at the given
/// generation (and without another error waiting).
fn fail_partitions<'a>(
    shared: &Shared,
    partitions: impl Iterator<Item = (&'a TopicPartition, u64)>,
    error: &KrafkaError,
) {
    let mut state = shared.lock();
    for (tp, generation) in partitions {
        if let Some(partition) = state.get_mut(tp) {
            if partition.generation == generation && partition.error.is_none() {
                partition.error = Some(error.clone());
            }
        }
    }
}

/// Refreshes the metadata in the background (one refresh at a time), then
/// wakes the fetch tasks.
pub(crate) fn request_metadata_refresh(shared: &Arc<Shared>) {
    if shared.refreshing.swap(true, Ordering::AcqRel) {
        return;
    }
    let task_shared = Arc::clone(shared);
    let task = tokio::spawn(async move {
        if let Err(error) = task_shared.cluster.refresh_metadata().await {
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                "metadata refresh for the consumer failed"
            );
        }
        task_shared.refreshing.store(false, Ordering::Release);
        task_shared.wake_fetchers();
    });
    shared.add_task(task.abort_handle());
}

/// The broker a partition is fetched from: the preferred read replica while
/// it is valid (same leader epoch, broker alive), else the leader.
fn fetch_target(
    metadata: &ClusterMetadata,
    tp: &TopicPartition,
    partition: &PartitionState,
) -> Option<i32> {
    let meta = metadata.topic(&tp.topic)?.partition(tp.partition)?;
    if let Some((replica, epoch)) = partition.preferred_replica {
        if epoch == meta.leader_epoch && metadata.brokers.contains_key(&replica) {
            return Some(replica);
        }
    }
    meta.leader
        .filter(|leader| metadata.brokers.contains_key(leader))
}

/// One partition in a Fetch on the wire.
#[derive(Debug)]
struct InFlight {
    tp: TopicPartition,
    generation: u64,
    want: WantedPartition,
    /// Fetched from a follower (KIP-392) rather than the leader.
    from_follower: bool,
}

/// The partitions a fetch task claimed for its next Fetch.
#[derive(Debug)]
struct Claim {
    batch: Vec<InFlight>,
    /// Some assigned partition is fetched from this broker.
    serving: bool,
    /// Some of them have records the application is still taking.
    draining: bool,
}

/// What a partition's answer asks of the task.
#[derive(Debug, Default, Clone, Copy)]
struct Followup {
    refresh_metadata: bool,
    backoff: bool,
    wake_supervisor: bool,
    ready: bool,
}

impl Followup {
    fn merge(&mut self, other: Followup) {
        self.refresh_metadata |= other.refresh_metadata;
        self.backoff |= other.backoff;
        self.wake_supervisor |= other.wake_supervisor;
        self.ready |= other.ready;
    }
}

/// The fetch loop of one broker.
struct BrokerFetcher {
    shared: Arc<Shared>,
    node: i32,
    connection: Option<Connection>,
    session: FetchSession,
    failures: u32,
    /// Rotates the partition order between requests, so that with
    /// `fetch.max.bytes` reached the same partitions do not always go first.
    rotation: usize,
}

impl BrokerFetcher {
    fn new(shared: Arc<Shared>, node: i32) -> Self {
        BrokerFetcher {
            shared,
            node,
            connection: None,
            session: FetchSession::new(node),
            failures: 0,
            rotation: 0,
        }
    }

    async fn run(mut self) {
        let mut wake = self.shared.fetch_wake.subscribe();
        loop {
            if self.shared.is_closed() {
                return;
            }
            wake.borrow_and_update();
            let Claim {
                batch,
                serving,
                draining,
            } = self.claim_partitions();
            if batch.is_empty() {
                if !serving {
                    // Nothing of ours is assigned: the supervisor starts us again when needed.
                    return;
                }
                tokio::select! {
                    changed = wake.changed() => if changed.is_err() { return },
                    () = tokio::time::sleep(IDLE_RECHECK) => {}
                }
                continue;
            }
            let followup = match self.fetch(&batch, draining).await {
                Ok(followup) => {
                    self.failures = 0;
                    followup
                }
                Err(error) => {
                    tracing::debug!(
                        node = self.node,
                        error = &error as &dyn std::error::Error,
                        "fetch failed"
                    );
                    self.connection = None;
                    self.session.reset();
                    self.forget_preferred_replica(&batch);
                    self.failures = self.failures.saturating_add(1);
                    let retriable = error.is_retriable();
                    if !retriable {
                        // The application hears of it; retrying is up to it.
                        fail_partitions(
                            &self.shared,
                            batch.iter().map(|p| (&p.tp, p.generation)),
                            &error,
                        );
                    }
                    Followup {
                        refresh_metadata: retriable || error.invalidates_metadata(),
                        ready: !retriable,
                        backoff: true,
                        ..Followup::default()
                    }
                }
            };
            self.release(&batch);
            if followup.ready {
                self.shared.records_ready.notify_waiters();
            }
            if followup.refresh_metadata {
                request_metadata_refresh(&self.shared);
            }
            if followup.wake_supervisor {
                self.shared.wake_fetchers();
            }
            if followup.backoff {
                let backoff = self.shared.cluster.config().retry_backoff_policy();
                tokio::time::sleep(backoff.delay(self.failures)).await;
            }
        }
    }

    /// Marks the fetchable partitions this broker serves as in flight and
    /// returns them, with whether any assigned partition is served here.
    fn claim_partitions(&mut self) -> Claim {
        let shared = &self.shared;
        let metadata = shared.cluster.metadata();
        let config = &shared.config;
        let budget = usize::try_from(config.fetch_max_bytes).unwrap_or(usize::MAX);
        let mut state = shared.lock();
        let over_budget = state.buffered_bytes() >= budget;
        let mut serving = false;
        let mut draining = false;
        let mut batch = Vec::new();
        for (tp, partition) in state.iter_mut() {
            if fetch_target(&metadata, tp, partition) != Some(self.node) {
                continue;
            }
            serving = true;
            draining |= partition.has_buffered() && !partition.paused;
            if over_budget || !partition.is_fetchable() {
                continue;
            }
            let Some(position) = partition.position else {
                continue;
            };
            let Some(topic) = metadata.topic(&tp.topic) else {
                continue;
            };
            let leader = topic.partition(tp.partition);
            partition.in_flight = true;
            batch.push(InFlight {
                tp: tp.clone(),
                generation: partition.generation,
                want: WantedPartition {
                    topic: Arc::clone(&partition.topic),
                    topic_id: topic.topic_id,
                    partition: tp.partition,
                    fetch_offset: position,
                    current_leader_epoch: leader.map_or(-1, |p| p.leader_epoch),
                    last_fetched_epoch: partition.position_epoch.unwrap_or(-1),
                    log_start_offset: -1,
                    partition_max_bytes: config.max_partition_fetch_bytes,
                },
                from_follower: leader.and_then(|p| p.leader) != Some(self.node),
            });
        }
        drop(state);
        batch.sort_by(|a, b| a.tp.cmp(&b.tp));
        if !batch.is_empty() {
            self.rotation = self.rotation.wrapping_add(1);
            let len = batch.len();
            batch.rotate_left(self.rotation % len);
        }
        Claim {
            batch,
            serving,
            draining,
        }
    }

    /// After a failed fetch from a follower, go back to the leader (KIP-392).
    fn forget_preferred_replica(&self, batch: &[InFlight]) {
        let mut state = self.shared.lock();
        for item in batch.iter().filter(|p| p.from_follower) {
            if let Some(partition) = state.get_mut(&item.tp) {
                partition.preferred_replica = None;
            }
        }
    }

    /// The partitions of `batch` whose leader changed since their position
    /// was last fetched (KIP-320, for Fetch versions without diverging epochs).
    fn unvalidated(&self, batch: &[InFlight]) -> Vec<Unvalidated> {
        let state = self.shared.lock();
        batch
            .iter()
            .filter_map(|item| {
                let partition = state.get(&item.tp)?;
                let current = item.want.current_leader_epoch;
                (partition.generation == item.generation && needs_validation(partition, current))
                    .then(|| Unvalidated {
                        tp: item.tp.clone(),
                        generation: item.generation,
                        position: item.want.fetch_offset,
                        position_epoch: item.want.last_fetched_epoch,
                        current_leader_epoch: current,
                    })
            })
            .collect()
    }

    /// Whether a partition of an in-flight fetch was sought or reset since.
    fn any_sought(&self, batch: &[InFlight]) -> bool {
        let state = self.shared.lock();
        batch.iter().any(|item| {
            state
                .get(&item.tp)
                .is_none_or(|p| p.generation != item.generation)
        })
    }

    /// Clears the in-flight marks of a finished (or failed) fetch.
    fn release(&self, batch: &[InFlight]) {
        let mut state = self.shared.lock();
        for item in batch {
            if let Some(partition) = state.get_mut(&item.tp) {
                partition.in_flight = false;
            }
        }
    }

    /// The broker's fetch connection (shared by the consumers of one
    /// client); a new one starts a new fetch session.
    async fn connection(&mut self) -> Result<Connection, KrafkaError> {
        if let Some(connection) = self.connection.as_ref().filter(|c| !c.is_closed()) {
            return Ok(connection.clone());
        }
        self.session.reset();
        let connection = self
            .shared
            .cluster
            .broker(self.node)?
            .connection(Purpose::Fetch)
            .await?;
        self.connection = Some(connection.clone());
        Ok(connection)
    }

    /// One Fetch round trip for `batch`.
    async fn fetch(&mut self, batch: &[InFlight], draining: bool) -> Result<Followup, KrafkaError> {
        let connection = self.connection().await?;
        let mut version = connection.version_for::<FetchRequest>()?;
        if batch
            .iter()
            .any(|p| p.want.topic_id == krafka_core::codec::Uuid::ZERO)
        {
            // Without a topic id only the by-name versions work.
            version = version.min(FIRST_TOPIC_ID_VERSION - 1);
        }
        if version < FIRST_DIVERGING_EPOCH_VERSION {
            let unvalidated = self.unvalidated(batch);
            if !unvalidated.is_empty()
                && validate_positions(&self.shared, &connection, &unvalidated).await?
            {
                return Ok(Followup {
                    refresh_metadata: true,
                    backoff: true,
                    ..Followup::default()
                });
            }
        }
        let config = &self.shared.config;
        let mut request = FetchRequest {
            replica_id: -1,
            max_wait_ms: if draining {
                config.max_wait_ms().min(DRAINING_MAX_WAIT_MS)
            } else {
                config.max_wait_ms()
            },
            min_bytes: config.fetch_min_bytes,
            max_bytes: config.fetch_max_bytes,
            isolation_level: config.isolation_level.wire(),
            rack_id: config.client_rack.clone(),
            ..FetchRequest::default()
        };
        self.session
            .build(batch.iter().map(|p| &p.want), version, &mut request);
        let defaults = connection.default_limits();
        // A response may exceed fetch.max.bytes by one batch (KIP-74).
        let fetch_max = usize::try_from(config.fetch_max_bytes).unwrap_or(0);
        let limits = Limits {
            timeout: defaults.timeout.saturating_add(config.fetch_max_wait),
            max_response_size: defaults
                .max_response_size
                .max(fetch_max.saturating_add(16 * 1024 * 1024)),
        };
        let mut wake = self.shared.fetch_wake.subscribe();
        wake.borrow_and_update();
        if self.any_sought(batch) {
            return Ok(Followup::default());
        }
        let send = connection.send_with(&request, version, limits);
        let mut send = std::pin::pin!(send);
        let response = loop {
            tokio::select! {
                response = &mut send => break response?,
                changed = wake.changed() => {
                    if changed.is_err() || self.any_sought(batch) {
                        // A long poll for a position that no longer matters
                        // would hold the sought partitions back: give up the
                        // connection (the answer cannot be skipped otherwise).
                        connection.close();
                        self.connection = None;
                        self.session.reset();
                        return Ok(Followup::default());
                    }
                }
            }
        };
        self.shared.record_session(self.node, response.session_id);
        let partitions = self.session.handle_response(response, version)?;
        // Every chunk shares the response's memory: count it whole until
        // the last of its chunks is done.
        let records_bytes = partitions
            .iter()
            .filter_map(|(_, data)| data.records.as_ref().map(|r| r.0.len()))
            .sum();
        let charge = Arc::new(self.shared.memory.charge(records_bytes));
        let mut followup = Followup::default();
        for (topic, data) in partitions {
            let Some(item) = batch
                .iter()
                .find(|p| p.want.partition == data.partition_index && *p.want.topic == *topic)
            else {
                continue;
            };
            followup.merge(self.handle_partition(item, data, version, &charge));
        }
        Ok(followup)
    }

    /// Digests one partition's answer.
    fn handle_partition(
        &self,
        item: &InFlight,
        data: PartitionData,
        version: i16,
        charge: &Arc<Charge>,
    ) -> Followup {
        let shared = &self.shared;
        match ErrorCode::check(data.error_code) {
            Ok(()) => self.handle_data(item, data, version, charge),
            Err(ErrorCode::OffsetOutOfRange) => {
                let mut state = shared.lock();
                let Some(partition) = state.get_mut(&item.tp) else {
                    return Followup::default();
                };
                if item.from_follower {
                    // The follower may lag: ask the leader before resetting.
                    partition.preferred_replica = None;
                    return Followup {
                        wake_supervisor: true,
                        ..Followup::default()
                    };
                }
                if partition.generation != item.generation
                    || partition.position != Some(item.want.fetch_offset)
                {
                    return Followup::default();
                }
                if shared.config.auto_offset_reset == OffsetReset::None {
                    partition.error = Some(KrafkaError::OffsetOutOfRange {
                        topic: item.tp.topic.clone(),
                        partition: item.tp.partition,
                        offset: item.want.fetch_offset,
                    });
                    return Followup {
                        ready: true,
                        ..Followup::default()
                    };
                }
                tracing::debug!(tp = %item.tp, offset = item.want.fetch_offset, "offset out of range: resetting");
                let _ = state.seek(&item.tp, None, None);
                Followup {
                    wake_supervisor: true,
                    ..Followup::default()
                }
            }
            Err(code) if stale_leader(code) || code.is_retriable() => {
                tracing::debug!(tp = %item.tp, node = self.node, ?code, "fetch error: refreshing metadata");
                if let Some(partition) = shared.lock().get_mut(&item.tp) {
                    partition.preferred_replica = None;
                }
                Followup {
                    refresh_metadata: true,
                    backoff: true,
                    ..Followup::default()
                }
            }
            Err(code) => {
                let mut state = shared.lock();
                match state.get_mut(&item.tp) {
                    Some(partition) if partition.generation == item.generation => {
                        partition.error = Some(KrafkaError::Broker {
                            code,
                            raw: data.error_code,
                            message: Some(format!("fetching {}", item.tp)),
                        });
                        Followup {
                            ready: true,
                            ..Followup::default()
                        }
                    }
                    _ => Followup::default(),
                }
            }
        }
    }

    /// A partition answered without error: note its offsets, its preferred
    /// replica and a diverging epoch, and buffer its records.
    fn handle_data(
        &self,
        item: &InFlight,
        mut data: PartitionData,
        version: i16,
        charge: &Arc<Charge>,
    ) -> Followup {
        let shared = &self.shared;
        let diverged = version >= FIRST_DIVERGING_EPOCH_VERSION
            && (data.diverging_epoch.epoch >= 0 || data.diverging_epoch.end_offset >= 0);
        let records = data
            .records
            .take()
            .map(|r| r.0)
            .filter(|r| !r.is_empty() && !diverged);
        // Check the batches outside the lock; they are decompressed and
        // decoded as the application takes them.
        let chunk = records.map(|records| {
            let read_committed = shared.config.isolation_level == IsolationLevel::ReadCommitted;
            let mut filter = read_committed.then(|| {
                AbortedFilter::new(
                    data.aborted_transactions
                        .iter()
                        .flatten()
                        .map(|a| (a.producer_id, a.first_offset)),
                )
            });
            scan_records(
                &item.want.topic,
                item.want.partition,
                records,
                item.want.fetch_offset,
                self.shared.config.check_crcs,
                |batch| filter.as_mut().is_some_and(|f| f.skip_batch(batch)),
            )
        });
        let mut state = shared.lock();
        let metadata_epoch = item.want.current_leader_epoch;
        let Some(partition) = state.get_mut(&item.tp) else {
            return Followup::default();
        };
        // The log's ends are facts about the partition, not the position:
        // keep them even from a response a seek made stale. (An incremental
        // fetch session will not repeat them while they do not change.)
        partition.high_watermark = Some(data.high_watermark);
        partition.last_stable_offset =
            (data.last_stable_offset >= 0).then_some(data.last_stable_offset);
        partition.log_start_offset = (data.log_start_offset >= 0).then_some(data.log_start_offset);
        if partition.generation != item.generation {
            return Followup::default();
        }
        partition.validated_epoch = Some(item.want.current_leader_epoch);
        // Only the leader picks a read replica; followers answer -1.
        if data.preferred_read_replica >= 0 && !item.from_follower {
            let replica = data.preferred_read_replica;
            partition.preferred_replica =
                (replica != self.node).then_some((replica, metadata_epoch));
            if replica != self.node {
                tracing::debug!(tp = %item.tp, replica, "fetching from the preferred read replica");
            }
        }
        if diverged {
            return self.truncate(item, &data, &mut state);
        }
        let Some(chunk) = chunk else {
            return Followup::default();
        };
        match chunk {
            Ok(mut chunk) => {
                let ready = chunk.has_batches();
                chunk.charge = Some(Arc::clone(charge));
                state.buffer_chunk(&item.tp, item.generation, item.want.fetch_offset, chunk);
                Followup {
                    ready,
                    ..Followup::default()
                }
            }
            Err(error) => {
                if let Some(partition) = state.get_mut(&item.tp) {
                    if partition.position == Some(item.want.fetch_offset) {
                        partition.error = Some(error);
                    }
                }
                Followup {
                    ready: true,
                    ..Followup::default()
                }
            }
        }
    }

    /// KIP-320: the leader says our log diverged from its log after
    /// `diverging_epoch`; move back to where they agree.
    fn truncate(
        &self,
        item: &InFlight,
        data: &PartitionData,
        state: &mut super::state::Assignment,
    ) -> Followup {
        let end = data.diverging_epoch.end_offset;
        let epoch = (data.diverging_epoch.epoch >= 0).then_some(data.diverging_epoch.epoch);
        let Some(partition) = state.get_mut(&item.tp) else {
            return Followup::default();
        };
        if partition.position != Some(item.want.fetch_offset) {
            return Followup::default();
        }
        if let Some(end) = truncated_position(item.want.fetch_offset, end) {
            if self.shared.config.auto_offset_reset == OffsetReset::None {
                partition.error = Some(KrafkaError::LogTruncation {
                    topic: item.tp.topic.clone(),
                    partition: item.tp.partition,
                    offset: item.want.fetch_offset,
                    end,
                });
                return Followup {
                    ready: true,
                    ..Followup::default()
                };
            }
            tracing::info!(tp = %item.tp, from = item.want.fetch_offset, to = end, "log truncation detected: moving back");
            let _ = state.seek(&item.tp, Some(end), epoch);
        } else {
            partition.position_epoch = epoch;
        }
        Followup::default()
    }
}

/// Errors after which the partition's leader must be looked up again.
fn stale_leader(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::NotLeaderOrFollower
            | ErrorCode::UnknownTopicOrPartition
            | ErrorCode::FencedLeaderEpoch
            | ErrorCode::UnknownLeaderEpoch
            | ErrorCode::LeaderNotAvailable
            | ErrorCode::ReplicaNotAvailable
            | ErrorCode::KafkaStorageError
            | ErrorCode::OffsetNotAvailable
            | ErrorCode::UnknownTopicId
            | ErrorCode::InconsistentTopicId
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{BrokerNode, PartitionMetadata, TopicMetadata};
    use crate::consumer::state::Assignment;
    use krafka_core::codec::Uuid;

    fn metadata(leader: i32, epoch: i32, brokers: &[i32]) -> ClusterMetadata {
        let mut md = ClusterMetadata::default();
        for &id in brokers {
            md.brokers.insert(
                id,
                BrokerNode {
                    node_id: id,
                    host: "h".into(),
                    port: 9000 + id,
                    rack: Some(format!("rack-{id}")),
                },
            );
        }
        md.topics.insert(
            "t".into(),
            Arc::new(TopicMetadata {
                name: "t".into(),
                topic_id: Uuid([1; 16]),
                is_internal: false,
                partitions: vec![PartitionMetadata {
                    partition: 0,
                    leader: Some(leader),
                    leader_epoch: epoch,
                    replicas: brokers.to_vec(),
                    isr: brokers.to_vec(),
                    offline_replicas: Vec::new(),
                    error: None,
                }],
            }),
        );
        md
    }

    #[test]
    fn the_preferred_replica_is_used_while_the_leader_epoch_holds() {
        let tp = TopicPartition::new("t", 0);
        let mut assignment = Assignment::default();
        assignment.assign([tp.clone()]);
        let partition = assignment.get_mut(&tp).unwrap();
        let md = metadata(1, 5, &[1, 2, 3]);
        assert_eq!(fetch_target(&md, &tp, partition), Some(1), "the leader");

        partition.preferred_replica = Some((3, 5));
        assert_eq!(
            fetch_target(&md, &tp, partition),
            Some(3),
            "the rack's replica"
        );
        // A new leader epoch (metadata changed): back to the leader.
        let moved = metadata(2, 6, &[1, 2, 3]);
        assert_eq!(fetch_target(&moved, &tp, partition), Some(2));
        // The replica is gone from the cluster: the leader.
        let gone = metadata(1, 5, &[1, 2]);
        assert_eq!(fetch_target(&gone, &tp, partition), Some(1));
        // No live leader: nowhere.
        let leaderless = metadata(4, 5, &[1, 2]);
        partition.preferred_replica = None;
        assert_eq!(fetch_target(&leaderless, &tp, partition), None);
        assert_eq!(
            fetch_target(&md, &TopicPartition::new("t", 1), partition),
            None
        );
    }

    #[test]
    fn stale_leader_errors_are_the_kip_320_set() {
        for code in [
            ErrorCode::NotLeaderOrFollower,
            ErrorCode::UnknownTopicOrPartition,
            ErrorCode::FencedLeaderEpoch,
            ErrorCode::UnknownLeaderEpoch,
        ] {
            assert!(stale_leader(code), "{code:?}");
        }
        assert!(!stale_leader(ErrorCode::OffsetOutOfRange));
        assert!(!stale_leader(ErrorCode::TopicAuthorizationFailed));
    }
}
