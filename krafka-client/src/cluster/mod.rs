//! The cluster: bootstrap, metadata (refreshed periodically and on stale
//! errors), each broker's connections (one per [`Purpose`]), routing to partition leaders and
//! group/transaction coordinators, and retries with backoff.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::{ClientConfig, Kafka};
//!
//! let kafka = Kafka::connect(
//!     ClientConfig::builder().bootstrap_servers(["127.0.0.1:9092"]).build()?,
//! )
//! .await?;
//! let cluster = kafka.cluster();
//! let topic = cluster.topic_metadata("events").await?;
//! let leader = cluster.leader("events", 0).await?;
//! # let _ = (topic, leader);
//! # Ok(())
//! # }
//! ```

mod broker;
mod metadata;

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use krafka_core::codec::Request;
use krafka_core::messages::metadata::MetadataRequestTopic;
use krafka_core::messages::{FindCoordinatorRequest, FindCoordinatorResponse, MetadataRequest};
use krafka_core::{ApiKey, ErrorCode, KrafkaError};

pub use broker::{Broker, Purpose};
pub use metadata::{BrokerNode, ClusterMetadata, PartitionMetadata, TopicMetadata};

use crate::config::{ClientConfig, MetadataRecovery};
use crate::connection::{Connector, Security};

/// What a coordinator coordinates (FindCoordinator's key type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CoordinatorType {
    /// A consumer group (key type 0).
    Group,
    /// A transactional id (key type 1).
    Transaction,
    /// A share group (key type 2).
    Share,
}

impl CoordinatorType {
    /// FindCoordinator's `key_type`.
    pub fn key_type(self) -> i8 {
        match self {
            CoordinatorType::Group => 0,
            CoordinatorType::Transaction => 1,
            CoordinatorType::Share => 2,
        }
    }
}

/// A handle to a Kafka cluster. Clones share everything.
#[derive(Clone, Debug)]
pub struct Cluster {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: ClientConfig,
    connector: Arc<dyn Connector>,
    security: Arc<Security>,
    metadata: RwLock<Arc<ClusterMetadata>>,
    /// Bumped after every metadata update (see [`Cluster::metadata_generation`]).
    metadata_generation: AtomicU64,
    /// One refresh at a time; callers that waited reuse its result.
    refreshing: tokio::sync::Mutex<()>,
    bootstrap: Vec<Arc<Broker>>,
    brokers: Mutex<HashMap<i32, Arc<Broker>>>,
    topics: Mutex<BTreeSet<String>>,
    coordinators: Mutex<HashMap<(CoordinatorType, String), i32>>,
    next_broker: AtomicUsize,
    /// Cluster-wide requests in a row that no broker answered (see
    /// [`Cluster::rebootstrapping`]).
    unanswered: AtomicUsize,
}

impl Cluster {
    /// Connects to the bootstrap servers, every connection opened by
    /// `connector`, and loads the cluster's metadata ([`Kafka::connect_with`](crate::Kafka::connect_with)).
    pub(crate) async fn connect_with(
        config: ClientConfig,
        connector: Arc<dyn Connector>,
    ) -> Result<Cluster, KrafkaError> {
        config.validate()?;
        // Read once: a missing file fails here, not at every connection.
        let security = Security::new(&config.connection.security)?;
        let bootstrap = config
            .bootstrap_servers
            .iter()
            .map(|address| {
                Arc::new(
                    Broker::new(
                        address.clone(),
                        Arc::clone(&connector),
                        config.connection.clone(),
                        config.reconnect_backoff_policy(),
                    )
                    .with_security(Arc::clone(&security)),
                )
            })
            .collect();
        let cluster = Cluster {
            inner: Arc::new(Inner {
                config,
                connector,
                security,
                metadata: RwLock::new(Arc::new(ClusterMetadata::default())),
                metadata_generation: AtomicU64::new(0),
                refreshing: tokio::sync::Mutex::new(()),
                bootstrap,
                brokers: Mutex::new(HashMap::new()),
                topics: Mutex::new(BTreeSet::new()),
                coordinators: Mutex::new(HashMap::new()),
                next_broker: AtomicUsize::new(0),
                unanswered: AtomicUsize::new(0),
            }),
        };
        cluster.refresh_metadata().await?;
        tokio::spawn(periodic_refresh(Arc::downgrade(&cluster.inner)));
        Ok(cluster)
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The current metadata snapshot.
    pub fn metadata(&self) -> Arc<ClusterMetadata> {
        match self.inner.metadata.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// A number that changes after every metadata update: a snapshot taken
    /// after reading generation `g` stays current while this still returns
    /// `g` (one atomic load; for caches of what the metadata says).
    pub fn metadata_generation(&self) -> u64 {
        self.inner.metadata_generation.load(Ordering::Acquire)
    }

    /// Fetches fresh metadata for the topics this client follows (and the
    /// brokers), retrying on other brokers.
    pub async fn refresh_metadata(&self) -> Result<Arc<ClusterMetadata>, KrafkaError> {
        let before = self.metadata().updated_at;
        let _guard = self.inner.refreshing.lock().await;
        let current = self.metadata();
        if current.updated_at != before {
            // Someone refreshed while we waited.
            return Ok(current);
        }
        let topics: Vec<String> = lock(&self.inner.topics).iter().cloned().collect();
        let request = MetadataRequest {
            topics: Some(
                topics
                    .iter()
                    .map(|name| MetadataRequestTopic {
                        name: Some(name.clone()),
                        ..Default::default()
                    })
                    .collect(),
            ),
            allow_auto_topic_creation: false,
            ..Default::default()
        };
        let (peer, response) = self
            .retry_plain(|| async { self.send_to_any_from(&request).await })
            .await?;
        let mut updated = (*self.metadata()).clone();
        updated.update(&peer, &response, false)?;
        let updated = Arc::new(updated);
        match self.inner.metadata.write() {
            Ok(mut guard) => *guard = Arc::clone(&updated),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&updated),
        }
        self.inner
            .metadata_generation
            .fetch_add(1, Ordering::Release);
        Ok(updated)
    }

    /// Follows `topics` from now on (periodic refreshes include them) and
    /// refreshes the metadata when one of them is not known yet.
    pub async fn add_topics<S: AsRef<str>>(
        &self,
        topics: &[S],
    ) -> Result<Arc<ClusterMetadata>, KrafkaError> {
        let added = {
            let mut followed = lock(&self.inner.topics);
            topics
                .iter()
                .filter(|t| followed.insert(t.as_ref().to_owned()))
                .count()
        };
        let current = self.metadata();
        if added > 0 || topics.iter().any(|t| current.topic(t.as_ref()).is_none()) {
            self.refresh_metadata().await
        } else {
            Ok(current)
        }
    }

    /// The metadata of `topic`, refreshing (with retries) until it is known.
    pub async fn topic_metadata(&self, topic: &str) -> Result<Arc<TopicMetadata>, KrafkaError> {
        self.add_topics(&[topic]).await?;
        self.retry(|| async {
            let metadata = self.metadata();
            match metadata.topic(topic) {
                Some(topic) => Ok(topic.clone()),
                None => Err(metadata.topic_error(topic)),
            }
        })
        .await
    }

    /// The leader of a partition (refreshing metadata while it is unknown).
    pub async fn leader(&self, topic: &str, partition: i32) -> Result<BrokerNode, KrafkaError> {
        self.add_topics(&[topic]).await?;
        self.retry(|| async { self.cached_leader(topic, partition) })
            .await
    }

    fn cached_leader(&self, topic: &str, partition: i32) -> Result<BrokerNode, KrafkaError> {
        let metadata = self.metadata();
        if let Some(leader) = metadata.leader(topic, partition) {
            return Ok(leader.clone());
        }
        let code = match metadata.topic(topic) {
            None => return Err(metadata.topic_error(topic)),
            Some(t) if t.partition(partition).is_none() => ErrorCode::UnknownTopicOrPartition,
            Some(_) => ErrorCode::LeaderNotAvailable,
        };
        Err(KrafkaError::from(code))
    }

    /// Broker `node_id` as the metadata lists it.
    pub fn node(&self, node_id: i32) -> Result<BrokerNode, KrafkaError> {
        self.metadata()
            .brokers
            .get(&node_id)
            .cloned()
            .ok_or(KrafkaError::UnknownNode { node_id })
    }

    /// Broker `node_id` (its connections).
    pub fn broker(&self, node_id: i32) -> Result<Arc<Broker>, KrafkaError> {
        let metadata = self.metadata();
        let node = metadata
            .brokers
            .get(&node_id)
            .ok_or(KrafkaError::UnknownNode { node_id })?;
        Ok(self.broker_at(node))
    }

    /// The broker of `node`, by its id and address (a coordinator may be
    /// announced before the metadata lists it). A bootstrap server at the
    /// same address is the same broker: its connections are reused.
    fn broker_at(&self, node: &BrokerNode) -> Arc<Broker> {
        let address = node.address();
        let mut brokers = lock(&self.inner.brokers);
        if let Some(broker) = brokers
            .get(&node.node_id)
            .filter(|b| b.address() == address)
        {
            return Arc::clone(broker);
        }
        let broker = self
            .inner
            .bootstrap
            .iter()
            .find(|b| b.address() == address)
            .cloned()
            .unwrap_or_else(|| {
                Arc::new(
                    Broker::new(
                        address,
                        Arc::clone(&self.inner.connector),
                        self.inner.config.connection.clone(),
                        self.inner.config.reconnect_backoff_policy(),
                    )
                    .with_security(Arc::clone(&self.inner.security)),
                )
            });
        brokers.insert(node.node_id, Arc::clone(&broker));
        broker
    }

    /// The connections this client has open, over all brokers and purposes.
    pub fn open_connections(&self) -> usize {
        let mut brokers: Vec<Arc<Broker>> = lock(&self.inner.brokers).values().cloned().collect();
        brokers.extend(self.inner.bootstrap.iter().cloned());
        brokers.sort_by_key(|b| Arc::as_ptr(b) as usize);
        brokers.dedup_by(|a, b| Arc::ptr_eq(a, b));
        brokers.iter().map(|b| b.open_connections()).sum()
    }

    /// Sends `request` (negotiated version) to broker `node_id`, once.
    pub async fn send_to_node<R: Request>(
        &self,
        node_id: i32,
        request: &R,
    ) -> Result<R::Response, KrafkaError> {
        self.broker(node_id)?.send(Purpose::General, request).await
    }

    /// Sends `request` to some broker (round robin over the known brokers, or
    /// the bootstrap servers before metadata is known or while
    /// rebootstrapping), once.
    pub async fn send_to_any<R: Request>(&self, request: &R) -> Result<R::Response, KrafkaError> {
        self.send_to_any_from(request)
            .await
            .map(|(_, response)| response)
    }

    /// [`Cluster::send_to_any`], with the address of the broker that answered.
    pub(crate) async fn send_to_any_from<R: Request>(
        &self,
        request: &R,
    ) -> Result<(String, R::Response), KrafkaError> {
        let broker = self.any_broker()?;
        let result = broker
            .send(Purpose::General, request)
            .await
            .map(|response| (broker.address().to_owned(), response));
        match result.as_ref().map_err(KrafkaError::cause) {
            Ok(_) => self.inner.unanswered.store(0, Ordering::Relaxed),
            Err(
                KrafkaError::Network { .. }
                | KrafkaError::ConnectionClosed { .. }
                | KrafkaError::Timeout { .. },
            ) => {
                self.inner.unanswered.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {}
        }
        result
    }

    /// Sends `request` to the leader of `topic`/`partition`, once.
    pub async fn send_to_leader<R: Request>(
        &self,
        topic: &str,
        partition: i32,
        request: &R,
    ) -> Result<R::Response, KrafkaError> {
        let leader = self.leader(topic, partition).await?;
        self.send_to_node(leader.node_id, request).await
    }

    /// The coordinator of a group or transactional id (FindCoordinator,
    /// cached until [`Cluster::invalidate_coordinator`] or a NOT_COORDINATOR).
    pub async fn coordinator(
        &self,
        kind: CoordinatorType,
        key: &str,
    ) -> Result<BrokerNode, KrafkaError> {
        let cache_key = (kind, key.to_owned());
        let cached = lock(&self.inner.coordinators).get(&cache_key).copied();
        if let Some(node) = cached.and_then(|id| self.metadata().brokers.get(&id).cloned()) {
            return Ok(node);
        }
        let found = self.retry(|| self.find_coordinator(kind, key)).await?;
        lock(&self.inner.coordinators).insert(cache_key, found.node_id);
        // The metadata's entry carries the rack, which FindCoordinator does not:
        // answer the same node the cache will answer next time.
        let known = self.metadata().brokers.get(&found.node_id).cloned();
        Ok(known.unwrap_or(found))
    }

    async fn find_coordinator(
        &self,
        kind: CoordinatorType,
        key: &str,
    ) -> Result<BrokerNode, KrafkaError> {
        let broker = self.any_broker()?;
        let connection = broker.connection(Purpose::General).await?;
        let version = connection.version_for::<FindCoordinatorRequest>()?;
        let request = if FindCoordinatorRequest::COORDINATOR_KEYS_VERSIONS.contains(version) {
            FindCoordinatorRequest {
                key_type: kind.key_type(),
                coordinator_keys: vec![key.to_owned()],
                ..Default::default()
            }
        } else {
            FindCoordinatorRequest {
                key: key.to_owned(),
                key_type: kind.key_type(),
                ..Default::default()
            }
        };
        let response = connection.send(&request, version).await?;
        let node = if FindCoordinatorResponse::COORDINATORS_VERSIONS.contains(version) {
            let found = response
                .coordinators
                .iter()
                .find(|c| c.key == key)
                .ok_or_else(|| {
                    KrafkaError::protocol(
                        broker.address(),
                        "FindCoordinator answered without our key",
                    )
                })?;
            KrafkaError::check_code(found.error_code, found.error_message.as_deref())?;
            BrokerNode {
                node_id: found.node_id,
                host: found.host.clone(),
                port: found.port,
                rack: None,
            }
        } else {
            KrafkaError::check_code(response.error_code, response.error_message.as_deref())?;
            BrokerNode {
                node_id: response.node_id,
                host: response.host.clone(),
                port: response.port,
                rack: None,
            }
        };
        if node.node_id < 0 || !(0..=i32::from(u16::MAX)).contains(&node.port) {
            return Err(KrafkaError::protocol(
                broker.address(),
                format!(
                    "FindCoordinator named node {} at port {} as the coordinator of {key}",
                    node.node_id, node.port
                ),
            ));
        }
        Ok(node)
    }

    /// A new connection to the coordinator of `key` for one user alone (a
    /// group member's JoinGroup and SyncGroup, held for a rebalance), with
    /// the coordinator's node id.
    pub(crate) async fn dedicated_coordinator_connection(
        &self,
        kind: CoordinatorType,
        key: &str,
    ) -> Result<(i32, crate::connection::Connection), KrafkaError> {
        let node = self.coordinator(kind, key).await?;
        match self.broker_at(&node).open_dedicated().await {
            Ok(connection) => Ok((node.node_id, connection)),
            Err(error) => {
                self.invalidate_coordinator(kind, key);
                Err(error)
            }
        }
    }

    /// The connection to the coordinator of `key` (for requests that need
    /// limits of their own, such as a JoinGroup waiting out a rebalance).
    pub(crate) async fn coordinator_connection(
        &self,
        kind: CoordinatorType,
        key: &str,
    ) -> Result<crate::connection::Connection, KrafkaError> {
        let node = self.coordinator(kind, key).await?;
        let result = self
            .broker_at(&node)
            .connection(Purpose::Coordination)
            .await;
        if result.is_err() {
            self.invalidate_coordinator(kind, key);
        }
        result
    }

    /// Forgets a cached coordinator (after NOT_COORDINATOR and the like).
    pub fn invalidate_coordinator(&self, kind: CoordinatorType, key: &str) {
        lock(&self.inner.coordinators).remove(&(kind, key.to_owned()));
    }

    /// Sends `request` to the coordinator of `key`, once.
    pub async fn send_to_coordinator<R: Request>(
        &self,
        kind: CoordinatorType,
        key: &str,
        request: &R,
    ) -> Result<R::Response, KrafkaError> {
        let node = self.coordinator(kind, key).await?;
        // By the address FindCoordinator gave, as the Java client does: the
        // metadata may not list the coordinator yet.
        let result = self
            .broker_at(&node)
            .send(Purpose::Coordination, request)
            .await;
        if result.as_ref().err().is_some_and(|e| {
            e.invalidates_metadata()
                || matches!(
                    e.error_code(),
                    Some(ErrorCode::NotCoordinator | ErrorCode::CoordinatorNotAvailable)
                )
        }) {
            self.invalidate_coordinator(kind, key);
        }
        result
    }

    /// Runs `operation` until it succeeds, fails with an error that is not
    /// retriable, or `default.api.timeout.ms` has passed. Between attempts it
    /// waits `retry.backoff.ms` doubled per attempt (up to
    /// `retry.backoff.max.ms`, ±20 % jitter) and refreshes the metadata when
    /// the error says it is stale (NOT_LEADER_OR_FOLLOWER, a dead broker, …).
    /// Coordinator errors forget the cached coordinators.
    pub async fn retry<T, F, Fut>(&self, mut operation: F) -> Result<T, KrafkaError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, KrafkaError>>,
    {
        let deadline = deadline_after(self.inner.config.default_api_timeout);
        let backoff = self.inner.config.retry_backoff_policy();
        let mut attempt = 0u32;
        loop {
            let error = match operation().await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let delay = backoff.delay(attempt);
            if !error.is_retriable() || deadline_after(delay) >= deadline {
                return Err(error);
            }
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                attempt,
                ?delay,
                "retrying"
            );
            if matches!(
                error.error_code(),
                Some(ErrorCode::NotCoordinator | ErrorCode::CoordinatorNotAvailable)
            ) {
                lock(&self.inner.coordinators).clear();
            }
            tokio::time::sleep(delay).await;
            if error.invalidates_metadata() {
                if let Err(refresh) = self.refresh_metadata().await {
                    tracing::debug!(
                        refresh = &refresh as &dyn std::error::Error,
                        "metadata refresh failed"
                    );
                }
            }
            attempt = attempt.saturating_add(1);
        }
    }

    /// [`Cluster::retry`] without metadata refreshes (used by the refresh itself).
    async fn retry_plain<T, F, Fut>(&self, mut operation: F) -> Result<T, KrafkaError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, KrafkaError>>,
    {
        let deadline = deadline_after(self.inner.config.default_api_timeout);
        let backoff = self.inner.config.retry_backoff_policy();
        let mut attempt = 0u32;
        loop {
            let error = match operation().await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let delay = backoff.delay(attempt);
            if !error.is_retriable() || deadline_after(delay) >= deadline {
                return Err(error);
            }
            tokio::time::sleep(delay).await;
            attempt = attempt.saturating_add(1);
        }
    }

    /// A broker to ask cluster-wide questions: round robin over the known
    /// brokers, or over the bootstrap servers before metadata is known or
    /// while rebootstrapping.
    fn any_broker(&self) -> Result<Arc<Broker>, KrafkaError> {
        let metadata = self.metadata();
        let turn = self.inner.next_broker.fetch_add(1, Ordering::Relaxed);
        if metadata.brokers.is_empty() || self.rebootstrapping(&metadata) {
            if !metadata.brokers.is_empty() {
                tracing::debug!("no known broker answers: asking bootstrap.servers again");
            }
            let bootstrap = &self.inner.bootstrap;
            return bootstrap
                .get(turn % bootstrap.len().max(1))
                .cloned()
                .ok_or_else(|| KrafkaError::config("`bootstrap.servers` is empty"));
        }
        let id = metadata
            .brokers
            .keys()
            .nth(turn % metadata.brokers.len())
            .copied()
            .ok_or(KrafkaError::NoBrokerKnown)?;
        self.broker(id)
    }

    /// Whether cluster-wide requests go to `bootstrap.servers` again
    /// (`metadata.recovery.strategy=rebootstrap`): once as many requests in a
    /// row as there are known brokers found none answering (KIP-899), or
    /// requests kept failing while the metadata is older than
    /// `metadata.recovery.rebootstrap.trigger.ms` (KIP-1102). The first
    /// answer ends it.
    fn rebootstrapping(&self, metadata: &ClusterMetadata) -> bool {
        let config = &self.inner.config;
        if config.metadata_recovery != MetadataRecovery::Rebootstrap {
            return false;
        }
        let unanswered = self.inner.unanswered.load(Ordering::Relaxed);
        unanswered >= metadata.brokers.len()
            || (unanswered > 0
                && metadata
                    .updated_at
                    .is_some_and(|at| at.elapsed() >= config.rebootstrap_trigger))
    }

    /// The negotiated version of `api` on the connection to `node_id`.
    pub async fn api_version(&self, node_id: i32, api: ApiKey) -> Result<Option<i16>, KrafkaError> {
        let connection = self.broker(node_id)?.connection(Purpose::General).await?;
        Ok(connection.api_versions().negotiate_supported(api))
    }
}

/// Refreshes the metadata once it is `metadata.max.age.ms` old, for as long as
/// the cluster lives.
async fn periodic_refresh(inner: Weak<Inner>) {
    loop {
        let wait = {
            let Some(inner) = inner.upgrade() else { return };
            let cluster = Cluster { inner };
            let max_age = cluster.inner.config.metadata_max_age;
            let age = cluster
                .metadata()
                .updated_at
                .map_or(max_age, |at| at.elapsed());
            if age >= max_age {
                if let Err(error) = cluster.refresh_metadata().await {
                    tracing::debug!(
                        error = &error as &dyn std::error::Error,
                        "periodic metadata refresh failed"
                    );
                    cluster.inner.config.retry_backoff_max
                } else {
                    max_age
                }
            } else {
                max_age - age
            }
        };
        tokio::time::sleep(wait.max(Duration::from_millis(10))).await;
    }
}

/// Locks a std mutex, recovering from poisoning (the data is plain maps).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `now + after`, or a far-off instant when that does not fit (a timeout of
/// `Duration::MAX` means "no deadline").
fn deadline_after(after: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(after)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}
