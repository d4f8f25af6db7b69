//! The producers of partitions on [`Admin`]: describe them (with the
//! transaction each has open), abort a hanging transaction, and find the
//! hanging ones (as Java's `Admin.describeProducers`, `abortTransaction`
//! and `kafka-transactions.sh find-hanging`).
//!
//! A transaction *hangs* on a partition when the partition holds it open
//! (its last stable offset stays below it, so read_committed consumers
//! stop there) while its coordinator no longer counts the partition in an
//! open transaction, so no marker will ever end it. Aborting it writes the
//! marker the coordinator should have written.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::{Admin, ClientConfig, FindHangingOptions, TopicPartition};
//!
//! let admin = Admin::new(
//!     ClientConfig::builder().bootstrap_servers(["127.0.0.1:9092"]).build()?,
//! )
//! .await?;
//! let tp = TopicPartition::new("payments", 0);
//! for producer in &admin.describe_producers(&[tp.clone()]).await?[&tp] {
//!     println!("{} open since offset {:?}", producer.producer_id, producer.current_transaction_start_offset);
//! }
//! for hanging in admin.find_hanging_transactions(&FindHangingOptions::new().topic("payments")).await? {
//!     let spec = admin.abort_spec_for(&hanging.partition, hanging.start_offset()).await?;
//!     admin.abort_transaction(&spec).await?;
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use krafka_core::messages::describe_producers::{PartitionResponse, TopicRequest};
use krafka_core::messages::write_txn_markers::{WritableTxnMarker, WritableTxnMarkerTopic};
use krafka_core::messages::{
    DescribeProducersRequest, DescribeProducersResponse, WriteTxnMarkersRequest,
};
use krafka_core::{ErrorCode, KrafkaError};

use super::Admin;
use super::transactions::{ListTransactionsOptions, TransactionDescription};
use crate::cluster::Purpose;
use crate::consumer::TopicPartition;

/// Partitions per DescribeProducers request (as kafka-transactions.sh
/// batches them), so that a search over a whole cluster does not make one
/// giant request.
const PARTITIONS_PER_REQUEST: usize = 500;

/// One producer's state on a partition ([`Admin::describe_producers`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducerState {
    /// The producer id.
    pub producer_id: i64,
    /// Its epoch.
    pub producer_epoch: i32,
    /// The sequence number of its last record (-1 when unknown).
    pub last_sequence: i32,
    /// The timestamp of its last write (Unix milliseconds; -1 when unknown).
    pub last_timestamp_ms: i64,
    /// The coordinator epoch of its last transaction marker; `None` before
    /// its first.
    pub coordinator_epoch: Option<i32>,
    /// The offset where its open transaction starts; `None` without one.
    pub current_transaction_start_offset: Option<i64>,
}

/// The transaction [`Admin::abort_transaction`] aborts: a producer's open
/// transaction on one partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbortTransactionSpec {
    /// The partition.
    pub partition: TopicPartition,
    /// The producer id of the transaction.
    pub producer_id: i64,
    /// Its producer epoch.
    pub producer_epoch: i16,
    /// The coordinator epoch the marker carries: that of the producer's
    /// last marker on the partition, or 0 before its first.
    pub coordinator_epoch: i32,
}

impl AbortTransactionSpec {
    /// The open transaction of `producer` (as [`Admin::describe_producers`]
    /// described it) on `partition`. A producer epoch out of range is an
    /// error.
    pub fn for_producer(
        partition: TopicPartition,
        producer: &ProducerState,
    ) -> Result<AbortTransactionSpec, KrafkaError> {
        let producer_epoch = i16::try_from(producer.producer_epoch).map_err(|_| {
            KrafkaError::state(format!(
                "producer {} on {partition} has epoch {}, beyond any a producer can have",
                producer.producer_id, producer.producer_epoch
            ))
        })?;
        Ok(AbortTransactionSpec {
            partition,
            producer_id: producer.producer_id,
            producer_epoch,
            // A transaction that never saw a marker has no coordinator epoch;
            // 0 is at most any epoch the partition can have recorded.
            coordinator_epoch: producer.coordinator_epoch.unwrap_or(0).max(0),
        })
    }
}

/// Where [`Admin::find_hanging_transactions`] looks: a topic (all its
/// partitions or one), or every partition a broker holds a replica of, or
/// both. Transactions open for less than the largest transaction timeout
/// (15 minutes by default, Kafka's `transaction.max.timeout.ms`) are
/// still in time and not reported.
///
/// ```
/// # use std::time::Duration;
/// # use krafka_client::FindHangingOptions;
/// let options = FindHangingOptions::new()
///     .topic("payments")
///     .max_transaction_timeout(Duration::from_secs(300));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindHangingOptions {
    topic: Option<String>,
    partition: Option<i32>,
    broker_id: Option<i32>,
    max_transaction_timeout: Duration,
}

impl Default for FindHangingOptions {
    fn default() -> Self {
        FindHangingOptions {
            topic: None,
            partition: None,
            broker_id: None,
            max_transaction_timeout: Duration::from_secs(15 * 60),
        }
    }
}

impl FindHangingOptions {
    /// No scope yet: give a topic, a broker or both.
    pub fn new() -> Self {
        FindHangingOptions::default()
    }

    /// Only this topic.
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.topic = Some(topic.into());
        self
    }

    /// Only this partition of the topic.
    pub fn partition(mut self, partition: i32) -> Self {
        self.partition = Some(partition);
        self
    }

    /// Only partitions with a replica on this broker, whose producer state
    /// is asked there (rather than at the leaders).
    pub fn broker(mut self, broker_id: i32) -> Self {
        self.broker_id = Some(broker_id);
        self
    }

    /// Transactions whose producer wrote last less than this ago are not
    /// reported.
    pub fn max_transaction_timeout(mut self, timeout: Duration) -> Self {
        self.max_transaction_timeout = timeout;
        self
    }
}

/// A transaction open on a partition that its coordinator does not know
/// of ([`Admin::find_hanging_transactions`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HangingTransaction {
    /// The partition.
    pub partition: TopicPartition,
    /// The producer holding the transaction open.
    pub producer: ProducerState,
}

impl HangingTransaction {
    /// The offset where the transaction starts (what
    /// [`Admin::abort_spec_for`] takes).
    pub fn start_offset(&self) -> i64 {
        self.producer.current_transaction_start_offset.unwrap_or(-1)
    }
}

impl Admin {
    /// The active producers of each of `partitions`, as their leaders know
    /// them (DescribeProducers): the producers that wrote recently enough
    /// for the partition to keep their state, with any transaction each has
    /// open. An unknown topic or partition fails the call at once; a
    /// leader that moved is found again.
    pub async fn describe_producers(
        &self,
        partitions: &[TopicPartition],
    ) -> Result<BTreeMap<TopicPartition, Vec<ProducerState>>, KrafkaError> {
        self.producers_from(None, partitions).await
    }

    /// [`Admin::describe_producers`] as broker `node_id`, a replica of each
    /// partition, knows them (a follower's state can lag the leader's).
    pub async fn describe_producers_on(
        &self,
        node_id: i32,
        partitions: &[TopicPartition],
    ) -> Result<BTreeMap<TopicPartition, Vec<ProducerState>>, KrafkaError> {
        self.producers_from(Some(node_id), partitions).await
    }

    /// The abort of the transaction that starts at `start_offset` on
    /// `partition` (as `kafka-transactions.sh abort --start-offset` finds
    /// it, through DescribeProducers). No open transaction starting there
    /// is an error.
    pub async fn abort_spec_for(
        &self,
        partition: &TopicPartition,
        start_offset: i64,
    ) -> Result<AbortTransactionSpec, KrafkaError> {
        let producers = self
            .describe_producers(std::slice::from_ref(partition))
            .await?;
        let open = producers
            .get(partition)
            .into_iter()
            .flatten()
            .find(|p| p.current_transaction_start_offset == Some(start_offset))
            .ok_or_else(|| {
                KrafkaError::state(format!(
                    "no open transaction starts at offset {start_offset} on {partition}"
                ))
            })?;
        AbortTransactionSpec::for_producer(partition.clone(), open)
    }

    /// Aborts a hanging transaction on one partition (WriteTxnMarkers to
    /// the partition's leader, as Java's `Admin.abortTransaction`): the
    /// leader writes the abort marker, the transaction's records become
    /// invisible to read_committed consumers and the last stable offset
    /// moves past them. Needs the `ClusterAction` permission on the
    /// cluster; a wrong producer epoch is `INVALID_PRODUCER_EPOCH`, a stale
    /// coordinator epoch `TRANSACTION_COORDINATOR_FENCED`.
    ///
    /// Meant for transactions their coordinator has lost track of (see
    /// [`Admin::find_hanging_transactions`]); aborting one the coordinator
    /// still runs leaves its producer to fail later.
    pub async fn abort_transaction(&self, spec: &AbortTransactionSpec) -> Result<(), KrafkaError> {
        let tp = &spec.partition;
        let request = WriteTxnMarkersRequest {
            markers: vec![WritableTxnMarker {
                producer_id: spec.producer_id,
                producer_epoch: spec.producer_epoch,
                transaction_result: false,
                topics: vec![WritableTxnMarkerTopic {
                    name: tp.topic.clone(),
                    partition_indexes: vec![tp.partition],
                    ..Default::default()
                }],
                coordinator_epoch: spec.coordinator_epoch,
                ..Default::default()
            }],
            ..Default::default()
        };
        self.existing_partitions(std::slice::from_ref(tp)).await?;
        self.cluster
            .retry(|| async {
                let leader = self.cluster.leader(&tp.topic, tp.partition).await?;
                let connection = self
                    .cluster
                    .broker(leader.node_id)?
                    .connection(Purpose::General)
                    .await?;
                let response = connection.send_negotiated(&request).await?;
                let peer = connection.peer();
                let unexpected = || {
                    KrafkaError::protocol(
                        peer,
                        format!(
                            "WriteTxnMarkers answered for other markers than producer {} on {tp}",
                            spec.producer_id
                        ),
                    )
                };
                let [marker] = response.markers.as_slice() else {
                    return Err(unexpected());
                };
                let [topic] = marker.topics.as_slice() else {
                    return Err(unexpected());
                };
                let [partition] = topic.partitions.as_slice() else {
                    return Err(unexpected());
                };
                if marker.producer_id != spec.producer_id
                    || topic.name != tp.topic
                    || partition.partition_index != tp.partition
                {
                    return Err(unexpected());
                }
                KrafkaError::check_code(
                    partition.error_code,
                    Some(&format!(
                        "aborting the transaction of producer {} (epoch {}) on {tp}",
                        spec.producer_id, spec.producer_epoch
                    )),
                )
            })
            .await
    }

    /// Transactions open on partitions whose coordinators do not count
    /// them as open (as `kafka-transactions.sh find-hanging`): of the
    /// producers with an open transaction whose last write is older than
    /// the maximum transaction timeout, those whose producer id no
    /// coordinator lists, or whose transactional id's open transaction does
    /// not include the partition. Without a topic, every topic that is not
    /// internal is searched. Neither a topic nor a broker is a
    /// configuration error (the search would cover the whole cluster).
    pub async fn find_hanging_transactions(
        &self,
        options: &FindHangingOptions,
    ) -> Result<Vec<HangingTransaction>, KrafkaError> {
        if options.topic.is_none() && options.broker_id.is_none() {
            return Err(KrafkaError::config(
                "finding hanging transactions needs a topic or a broker to search",
            ));
        }
        if options.partition.is_some() && options.topic.is_none() {
            return Err(KrafkaError::config("a partition to search needs its topic"));
        }
        let partitions = self.partitions_to_search(options).await?;
        let producers = match options.broker_id {
            Some(node_id) => self.describe_producers_on(node_id, &partitions).await?,
            None => self.describe_producers(&partitions).await?,
        };
        let candidates = open_longer_than(&producers, now_ms(), options.max_transaction_timeout);
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let producer_ids: BTreeSet<i64> =
            candidates.iter().map(|c| c.producer.producer_id).collect();
        let listed = self
            .list_transactions(&ListTransactionsOptions::new().producer_ids(producer_ids.clone()))
            .await?;
        let ids: BTreeMap<i64, String> = listed
            .into_iter()
            .filter(|l| producer_ids.contains(&l.producer_id))
            .map(|l| (l.producer_id, l.transactional_id))
            .collect();
        let transactional_ids: Vec<&String> = ids.values().collect();
        let mut descriptions = BTreeMap::new();
        for (id, result) in self.describe_transactions_each(&transactional_ids).await {
            match result {
                Ok(description) => {
                    descriptions.insert(id, Some(description));
                }
                Err(e) if e.error_code() == Some(ErrorCode::TransactionalIdNotFound) => {
                    descriptions.insert(id, None);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(hanging(candidates, &ids, &descriptions))
    }

    /// The partitions of `options`' scope.
    async fn partitions_to_search(
        &self,
        options: &FindHangingOptions,
    ) -> Result<Vec<TopicPartition>, KrafkaError> {
        if let (Some(topic), Some(partition)) = (&options.topic, options.partition) {
            return Ok(vec![TopicPartition::new(topic.clone(), partition)]);
        }
        let topics = match &options.topic {
            Some(topic) => vec![topic.clone()],
            None => self.list_topics().await?,
        };
        let mut partitions = Vec::new();
        for chunk in topics.chunks(PARTITIONS_PER_REQUEST) {
            for topic in self.describe_topics(chunk).await? {
                partitions.extend(
                    topic
                        .partitions
                        .iter()
                        .filter(|p| options.broker_id.is_none_or(|id| p.replicas.contains(&id)))
                        .map(|p| TopicPartition::new(topic.name.clone(), p.partition)),
                );
            }
        }
        Ok(partitions)
    }

    /// Fails with the topic's error when a partition is not in fresh
    /// metadata (rather than retrying until the timeout, as a leader
    /// lookup would).
    async fn existing_partitions(&self, partitions: &[TopicPartition]) -> Result<(), KrafkaError> {
        let topics: BTreeSet<&str> = partitions.iter().map(|tp| tp.topic.as_str()).collect();
        let topics: Vec<&str> = topics.into_iter().collect();
        let metadata = self.metadata(Some(&topics)).await?;
        for tp in partitions {
            let topic = metadata
                .topic(&tp.topic)
                .ok_or_else(|| metadata.topic_error(&tp.topic))?;
            if topic.partition(tp.partition).is_none() {
                return Err(KrafkaError::Broker {
                    code: ErrorCode::UnknownTopicOrPartition,
                    raw: ErrorCode::UnknownTopicOrPartition.code(),
                    message: Some(format!("{tp} does not exist")),
                });
            }
        }
        Ok(())
    }

    /// DescribeProducers for `partitions` to `node_id`, or to each
    /// partition's leader, retrying the partitions whose leader moved.
    async fn producers_from(
        &self,
        node_id: Option<i32>,
        partitions: &[TopicPartition],
    ) -> Result<BTreeMap<TopicPartition, Vec<ProducerState>>, KrafkaError> {
        if partitions.is_empty() {
            return Ok(BTreeMap::new());
        }
        self.existing_partitions(partitions).await?;
        let wanted: BTreeSet<&TopicPartition> = partitions.iter().collect();
        let done = Mutex::new(BTreeMap::new());
        self.cluster
            .retry(|| async {
                let pending: Vec<&TopicPartition> = {
                    let done = lock(&done);
                    wanted
                        .iter()
                        .filter(|tp| !done.contains_key(**tp))
                        .copied()
                        .collect()
                };
                let mut by_node: BTreeMap<i32, Vec<TopicPartition>> = BTreeMap::new();
                for tp in pending {
                    let node = match node_id {
                        Some(id) => id,
                        None => self.cluster.leader(&tp.topic, tp.partition).await?.node_id,
                    };
                    by_node.entry(node).or_default().push(tp.clone());
                }
                let mut again = None;
                for (node, tps) in by_node {
                    for chunk in tps.chunks(PARTITIONS_PER_REQUEST) {
                        let connection = self
                            .cluster
                            .broker(node)?
                            .connection(Purpose::General)
                            .await?;
                        let response = connection
                            .send_negotiated(&producers_request(chunk))
                            .await?;
                        for (tp, result) in producer_answers(connection.peer(), chunk, response)? {
                            match result {
                                Ok(states) => {
                                    lock(&done).insert(tp, states);
                                }
                                Err(e) if e.is_retriable() => {
                                    again.get_or_insert(e);
                                }
                                Err(e) => return Err(e),
                            }
                        }
                    }
                }
                again.map_or(Ok(()), Err)
            })
            .await?;
        Ok(done.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

/// DescribeProducers for `partitions`, by topic.
fn producers_request(partitions: &[TopicPartition]) -> DescribeProducersRequest {
    let mut topics: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for tp in partitions {
        topics.entry(&tp.topic).or_default().push(tp.partition);
    }
    DescribeProducersRequest {
        topics: topics
            .into_iter()
            .map(|(name, partition_indexes)| TopicRequest {
                name: name.to_owned(),
                partition_indexes,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// Each partition's producers, or its error.
type PartitionResults = Vec<(TopicPartition, Result<Vec<ProducerState>, KrafkaError>)>;

/// Each asked partition's producers or error; an answer for a partition
/// not asked for, or none for one asked, is a protocol error.
fn producer_answers(
    peer: &str,
    asked: &[TopicPartition],
    response: DescribeProducersResponse,
) -> Result<PartitionResults, KrafkaError> {
    let mut answers = BTreeMap::new();
    for topic in response.topics {
        for partition in topic.partitions {
            let tp = TopicPartition::new(topic.name.clone(), partition.partition_index);
            if !asked.contains(&tp) {
                return Err(KrafkaError::protocol(
                    peer,
                    format!("DescribeProducers answered for {tp}, which was not asked for"),
                ));
            }
            let result = partition_producers(&tp, partition);
            answers.insert(tp, result);
        }
    }
    asked
        .iter()
        .map(|tp| match answers.remove(tp) {
            Some(result) => Ok((tp.clone(), result)),
            None => Err(KrafkaError::protocol(
                peer,
                format!("DescribeProducers answered without {tp}"),
            )),
        })
        .collect()
}

/// A partition's producers, or its error.
fn partition_producers(
    tp: &TopicPartition,
    partition: PartitionResponse,
) -> Result<Vec<ProducerState>, KrafkaError> {
    let message = partition
        .error_message
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("describing the producers of {tp}"));
    KrafkaError::check_code(partition.error_code, Some(&message))?;
    Ok(partition
        .active_producers
        .into_iter()
        .map(|p| ProducerState {
            producer_id: p.producer_id,
            producer_epoch: p.producer_epoch,
            last_sequence: p.last_sequence,
            last_timestamp_ms: p.last_timestamp,
            coordinator_epoch: Some(p.coordinator_epoch).filter(|&e| e >= 0),
            current_transaction_start_offset: Some(p.current_txn_start_offset).filter(|&o| o >= 0),
        })
        .collect())
}

/// The producers with a transaction open whose last write is more than
/// `max_timeout` before `now_ms`.
fn open_longer_than(
    producers: &BTreeMap<TopicPartition, Vec<ProducerState>>,
    now_ms: i64,
    max_timeout: Duration,
) -> Vec<HangingTransaction> {
    let max_ms = i64::try_from(max_timeout.as_millis()).unwrap_or(i64::MAX);
    producers
        .iter()
        .flat_map(|(tp, states)| {
            states
                .iter()
                .filter(|p| {
                    p.current_transaction_start_offset.is_some()
                        && now_ms.saturating_sub(p.last_timestamp_ms) > max_ms
                })
                .map(|p| HangingTransaction {
                    partition: tp.clone(),
                    producer: p.clone(),
                })
        })
        .collect()
}

/// The candidates whose coordinator does not know them: no transactional
/// id has their producer id, the id is gone, or its open transaction does
/// not include their partition.
fn hanging(
    candidates: Vec<HangingTransaction>,
    ids: &BTreeMap<i64, String>,
    descriptions: &BTreeMap<String, Option<TransactionDescription>>,
) -> Vec<HangingTransaction> {
    candidates
        .into_iter()
        .filter(|c| {
            let description = ids
                .get(&c.producer.producer_id)
                .and_then(|id| descriptions.get(id))
                .and_then(Option::as_ref);
            description.is_none_or(|d| !d.partitions.contains(&c.partition))
        })
        .collect()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::TransactionState;
    use krafka_core::messages::describe_producers::{ProducerState as WireProducer, TopicResponse};

    fn producer(id: i64, last_timestamp_ms: i64, start: Option<i64>) -> ProducerState {
        ProducerState {
            producer_id: id,
            producer_epoch: 1,
            last_sequence: 4,
            last_timestamp_ms,
            coordinator_epoch: None,
            current_transaction_start_offset: start,
        }
    }

    #[test]
    fn only_open_transactions_older_than_the_timeout_are_candidates() {
        let tp = TopicPartition::new("t", 0);
        let producers = BTreeMap::from([(
            tp.clone(),
            vec![
                producer(1, 1_000, Some(5)),
                producer(2, 1_000, None),
                producer(3, 9_500, Some(7)),
            ],
        )]);
        let found = open_longer_than(&producers, 10_000, Duration::from_secs(1));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].producer.producer_id, 1);
        assert_eq!(found[0].start_offset(), 5);
    }

    #[test]
    fn hanging_means_the_coordinator_does_not_count_the_partition() {
        let a0 = TopicPartition::new("a", 0);
        let a1 = TopicPartition::new("a", 1);
        let candidate = |id, tp: &TopicPartition| HangingTransaction {
            partition: tp.clone(),
            producer: producer(id, 0, Some(0)),
        };
        let description = |partitions: Vec<TopicPartition>| TransactionDescription {
            transactional_id: "x".to_owned(),
            coordinator_id: 1,
            state: TransactionState::Ongoing,
            producer_id: 10,
            producer_epoch: 0,
            transaction_timeout: Duration::from_secs(60),
            transaction_start_time_ms: Some(0),
            partitions,
        };
        let ids = BTreeMap::from([(10, "known".to_owned()), (11, "gone".to_owned())]);
        let descriptions = BTreeMap::from([
            ("known".to_owned(), Some(description(vec![a0.clone()]))),
            ("gone".to_owned(), None),
        ]);
        let found = hanging(
            vec![
                candidate(10, &a0), // in its open transaction: not hanging
                candidate(10, &a1), // not among the coordinator's partitions
                candidate(11, &a0), // transactional id gone
                candidate(12, &a0), // producer id nobody lists
            ],
            &ids,
            &descriptions,
        );
        let found: Vec<(i64, i32)> = found
            .iter()
            .map(|h| (h.producer.producer_id, h.partition.partition))
            .collect();
        assert_eq!(found, vec![(10, 1), (11, 0), (12, 0)]);
    }

    #[test]
    fn a_spec_takes_coordinator_epoch_zero_before_the_first_marker() {
        let tp = TopicPartition::new("t", 3);
        let spec = AbortTransactionSpec::for_producer(tp.clone(), &producer(5, 0, Some(9)))
            .expect("an epoch in range");
        assert_eq!(spec.coordinator_epoch, 0);
        assert_eq!(spec.producer_epoch, 1);
        let mut far = producer(5, 0, Some(9));
        far.producer_epoch = 70_000;
        far.coordinator_epoch = Some(4);
        assert!(AbortTransactionSpec::for_producer(tp.clone(), &far).is_err());
        far.producer_epoch = 2;
        assert_eq!(
            AbortTransactionSpec::for_producer(tp, &far)
                .expect("in range")
                .coordinator_epoch,
            4
        );
    }

    #[test]
    fn producer_answers_are_checked_against_the_partitions_asked() {
        let asked = vec![TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
        let response = |partitions: Vec<PartitionResponse>| DescribeProducersResponse {
            topics: vec![TopicResponse {
                name: "t".to_owned(),
                partitions,
                ..Default::default()
            }],
            ..Default::default()
        };
        let ok = |index, active_producers| PartitionResponse {
            partition_index: index,
            active_producers,
            ..Default::default()
        };
        let wire = WireProducer {
            producer_id: 8,
            producer_epoch: 2,
            last_sequence: 3,
            last_timestamp: 44,
            coordinator_epoch: -1,
            current_txn_start_offset: 12,
            ..Default::default()
        };
        let not_leader = PartitionResponse {
            partition_index: 1,
            error_code: ErrorCode::NotLeaderOrFollower.code(),
            ..Default::default()
        };
        let answers = producer_answers(
            "peer",
            &asked,
            response(vec![ok(0, vec![wire.clone()]), not_leader]),
        )
        .expect("every partition answered");
        assert_eq!(
            answers[0].1.as_ref().expect("partition 0"),
            &vec![ProducerState {
                producer_id: 8,
                producer_epoch: 2,
                last_sequence: 3,
                last_timestamp_ms: 44,
                coordinator_epoch: None,
                current_transaction_start_offset: Some(12),
            }]
        );
        let error = answers[1].1.as_ref().expect_err("partition 1 moved");
        assert!(
            error.is_retriable() && error.invalidates_metadata(),
            "{error}"
        );

        let missing = producer_answers("peer", &asked, response(vec![ok(0, vec![])]));
        assert!(
            matches!(missing, Err(KrafkaError::Protocol { .. })),
            "{missing:?}"
        );
        let stranger = producer_answers("peer", &asked, response(vec![ok(5, vec![])]));
        assert!(
            matches!(stranger, Err(KrafkaError::Protocol { .. })),
            "{stranger:?}"
        );
    }
}
