//! The fetch tasks: one per broker that some assigned partition is fetched
//! from, each on a connection of its own with its own fetch session, plus a
//! supervisor that starts them and resets positions.
//!
//! A fetch task loops: pick the fetchable partitions it serves (not paused,
//! with a position, nothing buffered, no fetch in flight) while the memory
//! budget has room, send one Fetch asking for that room,
//! decode what comes back into the partitions' buffers (if the partition's
//! generation and position are still the ones the fetch was sent for), and
//! handle the partitions' errors.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use krafka_core::KrafkaError;
use krafka_core::messages::FetchRequest;

use super::Shared;
use super::config::{IsolationLevel, OffsetReset};
use super::digest::{Digest, InFlight, find_in_flight, response_partitions};
use super::memory::Reservation;
use super::pacing::{Followup, Pacing};
use super::record::TopicPartition;
use super::reset::reset_positions;
use super::session::{FIRST_TOPIC_ID_VERSION, FetchSession, WantedPartition};
use super::state::PartitionState;
use super::validate::{
    FIRST_DIVERGING_EPOCH_VERSION, Unvalidated, needs_validation, validate_positions,
};
use crate::cluster::{ClusterMetadata, Purpose};
use crate::connection::{Connection, Limits};

/// How often idle tasks look at the metadata again (leaders move without
/// anyone telling the consumer).
const IDLE_RECHECK: Duration = Duration::from_secs(1);

/// The longest a Fetch may wait at the broker while other partitions of the
/// same broker are being drained by the application: they become fetchable
/// soon, and one long poll on an idle partition would hold them back for
/// `fetch.max.wait.ms` (one Fetch is in flight per broker). Records for the
/// partitions left out wait for it: produce-to-consume at 10,000 records/s
/// had a p50 of 6.4 ms and p99 of 16 ms at 10 ms, 4.0-4.1 ms and 7.7-8.8 ms
/// at 2 ms (before [`TAKE_GRACE`] made such Fetches rare). A slow application
/// with idle partitions costs up to one Fetch per 2 ms this way.
const DRAINING_MAX_WAIT_MS: i32 = 2;

/// How long a fetch task waits, after a response that brought records, for
/// the application to take some before it sends the next Fetch (one timer
/// tick; tokio may make it two). An application waiting in `poll` takes
/// them within microseconds and the next Fetch then asks for every
/// partition; without the wait nearly every Fetch at low rates left out the
/// partitions the last one filled, waited [`DRAINING_MAX_WAIT_MS`] at the
/// broker for nothing, and records arriving for those partitions meanwhile
/// waited for it (produce-to-consume at 10,000 records/s: p99 8.6-11.2 ms ->
/// 7.3-7.9 ms, Fetches per second 360 -> 210, no empty answers). A busy
/// application leaves the others waiting at most this long once per response.
const TAKE_GRACE: Duration = Duration::from_millis(1);

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
/// no error waiting (under `auto.offset.reset=none`, only those with a
/// pending seek). Partitions whose leader does not answer are retried after
/// a backoff, during which no background reset starts.
fn start_resets(shared: &Arc<Shared>) {
    if shared.reset_backoff.waiting() {
        return;
    }
    let by_strategy = shared.config.auto_offset_reset != OffsetReset::None;
    // With their generations now: a failure is reported only to partitions
    // nobody has seeked or reassigned since.
    let (needing, generations): (Vec<TopicPartition>, Vec<u64>) = {
        let state = shared.lock();
        state
            .iter()
            .filter(|(_, p)| p.position.is_none() && !p.resetting && p.error.is_none())
            .filter(|(_, p)| by_strategy || p.pending_seek.is_some())
            .map(|(tp, p)| (tp.clone(), p.generation))
            .unzip()
    };
    if needing.is_empty() {
        return;
    }
    let task_shared = Arc::clone(shared);
    let task = tokio::spawn(async move {
        let failed = match reset_positions(&task_shared, &needing).await {
            Ok(unavailable) if unavailable.is_empty() => {
                task_shared.reset_backoff.succeeded();
                return;
            }
            Ok(unavailable) => {
                for (tp, error) in &unavailable {
                    tracing::debug!(
                        %tp,
                        error = error as &dyn std::error::Error,
                        "no position yet: the partition's leader did not answer"
                    );
                }
                true
            }
            Err(error) if error.is_retriable() => {
                tracing::debug!(
                    error = &error as &dyn std::error::Error,
                    "position reset failed; retrying"
                );
                true
            }
            Err(error) => {
                fail_partitions(
                    &task_shared,
                    needing.iter().zip(generations.iter().copied()),
                    &error,
                );
                task_shared.records_ready.notify_waiters();
                false
            }
        };
        if failed {
            let attempt = task_shared.reset_backoff.begin();
            request_metadata_refresh(&task_shared);
            let policy = task_shared.cluster.config().retry_backoff_policy();
            tokio::time::sleep(policy.delay(attempt)).await;
            task_shared.reset_backoff.end();
        }
        task_shared.wake_fetchers();
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

/// The partitions a fetch task claimed for its next Fetch.
#[derive(Debug)]
struct Claim {
    batch: Vec<InFlight>,
    /// The room the Fetch asks for (its `max_bytes`), when `batch` is not
    /// empty.
    room: Option<Reservation>,
    /// Some assigned partition is fetched from this broker.
    serving: bool,
    /// Some of them have records the application is still taking.
    draining: bool,
}

/// The fetch loop of one broker.
struct BrokerFetcher {
    shared: Arc<Shared>,
    node: i32,
    connection: Option<Connection>,
    session: FetchSession,
    pacing: Pacing,
    /// Rotates the partition order between requests, so that with
    /// `fetch.max.bytes` reached the same partitions do not always go first.
    rotation: usize,
    digest: Digest,
}

impl BrokerFetcher {
    fn new(shared: Arc<Shared>, node: i32) -> Self {
        let digest = Digest {
            node,
            check_crcs: shared.config.check_crcs,
            read_committed: shared.config.isolation_level == IsolationLevel::ReadCommitted,
            auto_offset_reset: shared.config.auto_offset_reset,
        };
        let pacing = Pacing::new(shared.cluster.config().retry_backoff_policy());
        BrokerFetcher {
            shared,
            node,
            connection: None,
            session: FetchSession::new(node),
            pacing,
            rotation: 0,
            digest,
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
                room,
                serving,
                draining,
            } = self.claim_partitions();
            let Some(room) = room.filter(|_| !batch.is_empty()) else {
                self.release(&batch);
                if !serving {
                    // Nothing of ours is assigned: the supervisor starts us again when needed.
                    return;
                }
                tokio::select! {
                    changed = wake.changed() => if changed.is_err() { return },
                    () = tokio::time::sleep(IDLE_RECHECK) => {}
                }
                continue;
            };
            let max_bytes = i32::try_from(room.bytes()).unwrap_or(i32::MAX);
            // The room is not held while the Fetch is out: a long poll (or a
            // connection attempt to a node that is down) holding it kept
            // every other broker's fetch task waiting. Several brokers'
            // fetches may together ask for up to brokers x the budget.
            drop(room);
            let fetched = self.fetch(&batch, draining, max_bytes).await;
            if self
                .shared
                .memory
                .wake_waiting(self.shared.config.buffer_budget())
            {
                self.shared.wake_fetchers();
            }
            let followup = match fetched {
                Ok(followup) => followup,
                Err(error) => {
                    tracing::debug!(
                        node = self.node,
                        error = &error as &dyn std::error::Error,
                        "fetch failed"
                    );
                    self.connection = None;
                    self.session.reset();
                    self.forget_preferred_replica(&batch);
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
            if let Some(delay) = self.pacing.after(&followup) {
                tokio::time::sleep(delay).await;
            } else if followup.ready && followup.progress {
                // Records came: give the application a moment to take them
                // (a drained partition wakes the fetch tasks), so that the next
                // Fetch asks for their partitions too instead of leaving them
                // out for a short draining poll (see DRAINING_MAX_WAIT_MS).
                tokio::select! {
                    _ = wake.changed() => {}
                    () = tokio::time::sleep(TAKE_GRACE) => {}
                }
            }
        }
    }

    /// Marks the fetchable partitions this broker serves as in flight and
    /// returns them, with whether any assigned partition is served here.
    fn claim_partitions(&mut self) -> Claim {
        let shared = &self.shared;
        let metadata = shared.cluster.metadata();
        let config = &shared.config;
        let budget = config.buffer_budget();
        let fetch_max = usize::try_from(config.fetch_max_bytes).unwrap_or(usize::MAX);
        let mut state = shared.lock();
        let room = shared.memory.reserve(budget, fetch_max);
        let over_budget = room.is_none();
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
            room: room.filter(|_| !batch.is_empty()),
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
    async fn fetch(
        &mut self,
        batch: &[InFlight],
        draining: bool,
        max_bytes: i32,
    ) -> Result<Followup, KrafkaError> {
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
        let max_wait_ms = if draining {
            config.max_wait_ms().min(DRAINING_MAX_WAIT_MS)
        } else {
            config.max_wait_ms()
        };
        let mut request = FetchRequest {
            replica_id: -1,
            max_wait_ms,
            min_bytes: config.fetch_min_bytes,
            max_bytes,
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
        let full = request.session_epoch <= 0;
        let sent_at = tokio::time::Instant::now();
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
        let (partitions, records_bytes) =
            response_partitions(&mut self.session, response, version)?;
        // Every record shares the response's memory: count it whole until
        // the last of its chunks is delivered.
        let charge = Arc::new(self.shared.memory.charge(records_bytes));
        let mut followup = Followup::default();
        let mut answered = vec![false; batch.len()];
        let listed = partitions.len();
        for (topic, mut data) in partitions {
            let Some(index) = find_in_flight(batch, &topic, &data) else {
                continue;
            };
            answered[index] = true;
            let item = &batch[index];
            // Decode outside the lock.
            let decoded = self.digest.decode(item, &mut data, version);
            let mut state = self.shared.lock();
            followup.merge(self.digest.apply(item, data, decoded, &charge, &mut state));
        }
        // A full fetch is answered for every partition it names; an
        // incremental one only for those with news, but a broker holds it
        // for max_wait_ms when there is none.
        let omitted = full && answered.contains(&false);
        let early =
            sent_at.elapsed() < Duration::from_millis(u64::try_from(max_wait_ms).unwrap_or(0));
        if omitted || (early && !followup.progress) {
            tracing::debug!(
                node = self.node,
                omitted,
                early,
                partitions = listed,
                "fetch answered without progress"
            );
            // Kafka 4.4.0 answers an incremental fetch early with no
            // partitions now and then while records are being appended to
            // them: fetching again at once (a few times in a row, see
            // `Pacing`) keeps such records from waiting out a backoff.
            if omitted {
                followup.backoff = true;
            } else {
                followup.early_empty = true;
            }
        }
        Ok(followup)
    }
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
}
