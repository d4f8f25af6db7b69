//! Transaction administration on [`Admin`]: list the transactional ids the
//! coordinators know, describe their transactions, fence their producers
//! (as Java's `Admin.listTransactions`, `describeTransactions` and
//! `fenceProducers`). Producers per partition and hanging transactions are
//! in [`producers`](super::producers).
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use std::time::Duration;
//! use krafka_client::{Admin, ClientConfig, ListTransactionsOptions, TransactionState};
//!
//! let admin = Admin::new(
//!     ClientConfig::builder().bootstrap_servers(["127.0.0.1:9092"]).build()?,
//! )
//! .await?;
//! let open = ListTransactionsOptions::new()
//!     .states([TransactionState::Ongoing])
//!     .running_longer_than(Duration::from_secs(600));
//! for listing in admin.list_transactions(&open).await? {
//!     println!("{} (producer {})", listing.transactional_id, listing.producer_id);
//! }
//! for txn in admin.describe_transactions(&["payments-1"]).await? {
//!     println!("{}: {} on {:?}", txn.transactional_id, txn.state, txn.partitions);
//! }
//! // The producer of "payments-1" is fenced: its next call fails with
//! // PRODUCER_FENCED, and its open transaction is aborted.
//! admin.fence_producers(&["payments-1"]).await?;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use krafka_core::messages::{
    DescribeTransactionsRequest, InitProducerIdRequest, ListTransactionsRequest,
    ListTransactionsResponse,
};
use krafka_core::{ErrorCode, KrafkaError};

use super::Admin;
use super::coordinated::{answers_for, take};
use crate::cluster::{CoordinatorType, Purpose};
use crate::consumer::TopicPartition;

/// The state of a transactional id at its coordinator (Kafka's names).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum TransactionState {
    /// A producer id, no transaction yet (`Empty`).
    Empty,
    /// A transaction is open (`Ongoing`).
    Ongoing,
    /// The commit is being written to the partitions (`PrepareCommit`).
    PrepareCommit,
    /// The abort is being written to the partitions (`PrepareAbort`).
    PrepareAbort,
    /// The last transaction committed (`CompleteCommit`).
    CompleteCommit,
    /// The last transaction aborted (`CompleteAbort`).
    CompleteAbort,
    /// The transactional id expired (`Dead`).
    Dead,
    /// A newer producer fenced the open transaction, which is being aborted
    /// (`PrepareEpochFence`).
    PrepareEpochFence,
    /// A state this version of Krafka does not know, as the broker named it.
    Other(String),
}

impl TransactionState {
    /// Kafka's name of the state (`Ongoing`, …).
    pub fn as_str(&self) -> &str {
        match self {
            TransactionState::Empty => "Empty",
            TransactionState::Ongoing => "Ongoing",
            TransactionState::PrepareCommit => "PrepareCommit",
            TransactionState::PrepareAbort => "PrepareAbort",
            TransactionState::CompleteCommit => "CompleteCommit",
            TransactionState::CompleteAbort => "CompleteAbort",
            TransactionState::Dead => "Dead",
            TransactionState::PrepareEpochFence => "PrepareEpochFence",
            TransactionState::Other(name) => name,
        }
    }

    /// The state Kafka calls `name` (names are case-sensitive, as the
    /// broker's filters are); an unknown name is [`TransactionState::Other`].
    ///
    /// ```
    /// # use krafka_client::TransactionState;
    /// assert_eq!(TransactionState::from_name("Ongoing"), TransactionState::Ongoing);
    /// assert_eq!(TransactionState::from_name("Ongoing").as_str(), "Ongoing");
    /// ```
    pub fn from_name(name: &str) -> TransactionState {
        match name {
            "Empty" => TransactionState::Empty,
            "Ongoing" => TransactionState::Ongoing,
            "PrepareCommit" => TransactionState::PrepareCommit,
            "PrepareAbort" => TransactionState::PrepareAbort,
            "CompleteCommit" => TransactionState::CompleteCommit,
            "CompleteAbort" => TransactionState::CompleteAbort,
            "Dead" => TransactionState::Dead,
            "PrepareEpochFence" => TransactionState::PrepareEpochFence,
            other => TransactionState::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for TransactionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which transactions [`Admin::list_transactions`] lists: by default every
/// transactional id the coordinators know.
///
/// ```
/// # use std::time::Duration;
/// # use krafka_client::{ListTransactionsOptions, TransactionState};
/// let options = ListTransactionsOptions::new()
///     .states([TransactionState::Ongoing, TransactionState::PrepareCommit])
///     .producer_ids([4000, 4001])
///     .running_longer_than(Duration::from_secs(60));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListTransactionsOptions {
    states: Vec<TransactionState>,
    producer_ids: Vec<i64>,
    longer_than: Option<Duration>,
    transactional_id_pattern: Option<String>,
}

impl ListTransactionsOptions {
    /// Every transaction.
    pub fn new() -> Self {
        ListTransactionsOptions::default()
    }

    /// Only transactional ids in one of these states.
    pub fn states(mut self, states: impl IntoIterator<Item = TransactionState>) -> Self {
        self.states = states.into_iter().collect();
        self
    }

    /// Only transactional ids whose current producer id is one of these.
    pub fn producer_ids(mut self, producer_ids: impl IntoIterator<Item = i64>) -> Self {
        self.producer_ids = producer_ids.into_iter().collect();
        self
    }

    /// Only transactions that have been running for longer than `duration`
    /// (KIP-994: ListTransactions v1+, Kafka 3.8+; older brokers fail the
    /// call with a configuration error).
    pub fn running_longer_than(mut self, duration: Duration) -> Self {
        self.longer_than = Some(duration);
        self
    }

    /// Only transactional ids matching this regular expression, as the
    /// broker reads it (ListTransactions v2+, Kafka 4.1+; older brokers
    /// fail the call with a configuration error).
    pub fn transactional_id_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.transactional_id_pattern = Some(pattern.into());
        self
    }
}

/// A transactional id as its coordinator lists it
/// ([`Admin::list_transactions`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionListing {
    /// The transactional id.
    pub transactional_id: String,
    /// Its current producer id.
    pub producer_id: i64,
    /// Its state.
    pub state: TransactionState,
    /// The broker coordinating it (the one that listed it).
    pub coordinator_id: i32,
}

/// A transactional id's transaction as its coordinator describes it
/// ([`Admin::describe_transactions`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionDescription {
    /// The transactional id.
    pub transactional_id: String,
    /// The broker coordinating it.
    pub coordinator_id: i32,
    /// Its state.
    pub state: TransactionState,
    /// The current producer id.
    pub producer_id: i64,
    /// The current producer epoch.
    pub producer_epoch: i16,
    /// The producer's `transaction.timeout.ms`.
    pub transaction_timeout: Duration,
    /// When the current transaction started, or the last one once it has
    /// ended (Unix milliseconds); `None` before the first.
    pub transaction_start_time_ms: Option<i64>,
    /// The partitions of the open transaction; while it is being committed
    /// or aborted, those whose marker is not written yet. Sorted.
    pub partitions: Vec<TopicPartition>,
}

/// A producer fenced by [`Admin::fence_producers`]: the producer id of its
/// transactional id and the epoch it has now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FencedProducer {
    /// The producer id.
    pub producer_id: i64,
    /// The new epoch; producers with an older one are fenced.
    pub producer_epoch: i16,
}

impl Admin {
    /// The transactional ids every broker coordinates (ListTransactions to
    /// each, merged, as Java's `Admin.listTransactions`), filtered by
    /// `options`, sorted by transactional id.
    pub async fn list_transactions(
        &self,
        options: &ListTransactionsOptions,
    ) -> Result<Vec<TransactionListing>, KrafkaError> {
        let mut metadata = self.cluster.metadata();
        if metadata.brokers.is_empty() {
            metadata = self.cluster.refresh_metadata().await?;
        }
        let mut listings = BTreeMap::new();
        for &node_id in metadata.brokers.keys() {
            let response = self
                .cluster
                .retry(|| self.list_transactions_on(node_id, options))
                .await?;
            for state in response.transaction_states {
                listings.insert(
                    state.transactional_id.clone(),
                    TransactionListing {
                        transactional_id: state.transactional_id,
                        producer_id: state.producer_id,
                        state: TransactionState::from_name(&state.transaction_state),
                        coordinator_id: node_id,
                    },
                );
            }
        }
        Ok(listings.into_values().collect())
    }

    /// One ListTransactions request to broker `node_id`.
    async fn list_transactions_on(
        &self,
        node_id: i32,
        options: &ListTransactionsOptions,
    ) -> Result<ListTransactionsResponse, KrafkaError> {
        let connection = self
            .cluster
            .broker(node_id)?
            .connection(Purpose::General)
            .await?;
        let version = connection.version_for::<ListTransactionsRequest>()?;
        for (wanted, versions, what) in [
            (
                options.longer_than.is_some(),
                ListTransactionsRequest::DURATION_FILTER_VERSIONS,
                "how long they have been running",
            ),
            (
                options.transactional_id_pattern.is_some(),
                ListTransactionsRequest::TRANSACTIONAL_ID_PATTERN_VERSIONS,
                "a transactional id pattern",
            ),
        ] {
            if wanted && !versions.contains(version) {
                return Err(KrafkaError::config(format!(
                    "broker {} cannot filter transactions by {what} (ListTransactions v{version})",
                    connection.peer()
                )));
            }
        }
        let request = ListTransactionsRequest {
            state_filters: options
                .states
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            producer_id_filters: options.producer_ids.clone(),
            duration_filter: options
                .longer_than
                .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            transactional_id_pattern: options.transactional_id_pattern.clone(),
            ..Default::default()
        };
        let response = connection.send(&request, version).await?;
        KrafkaError::check_code(
            response.error_code,
            Some(&format!("listing the transactions of broker {node_id}")),
        )?;
        Ok(response)
    }

    /// Describes the transactions of `transactional_ids` through their
    /// coordinators (DescribeTransactions), in the order asked. An id the
    /// coordinator does not know fails the call with
    /// `TRANSACTIONAL_ID_NOT_FOUND`; so does the first id that failed.
    pub async fn describe_transactions<S: AsRef<str>>(
        &self,
        transactional_ids: &[S],
    ) -> Result<Vec<TransactionDescription>, KrafkaError> {
        let results = self.describe_transactions_each(transactional_ids).await;
        transactional_ids
            .iter()
            .map(|id| take(&results, id.as_ref()))
            .collect()
    }

    /// Each id's description or error.
    pub(super) async fn describe_transactions_each<S: AsRef<str>>(
        &self,
        transactional_ids: &[S],
    ) -> BTreeMap<String, Result<TransactionDescription, KrafkaError>> {
        let ids: Vec<String> = transactional_ids
            .iter()
            .map(|id| id.as_ref().to_owned())
            .collect();
        self.by_coordinator(
            CoordinatorType::Transaction,
            &ids,
            &[],
            |connection, node, ids| async move {
                let request = DescribeTransactionsRequest {
                    transactional_ids: ids.clone(),
                    ..Default::default()
                };
                let response = connection.send_negotiated(&request).await?;
                let answered = response
                    .transaction_states
                    .into_iter()
                    .map(|state| {
                        let id = state.transactional_id.clone();
                        (id, described(state, node.node_id))
                    })
                    .collect();
                answers_for(
                    connection.peer(),
                    "DescribeTransactions",
                    "transactional id",
                    &ids,
                    answered,
                )
            },
        )
        .await
    }

    /// Fences the producers of `transactional_ids`, as a new producer with
    /// the same id would (InitProducerId to each id's coordinator, as
    /// Java's `Admin.fenceProducers`): the epoch is bumped, the open
    /// transaction aborted, and the old producer's next call fails with
    /// `PRODUCER_FENCED`. An id the coordinator does not know gets a
    /// producer id of its own. Returns, in the order asked, each id's
    /// producer id and new epoch; the first id that failed fails the call.
    pub async fn fence_producers<S: AsRef<str>>(
        &self,
        transactional_ids: &[S],
    ) -> Result<Vec<FencedProducer>, KrafkaError> {
        let ids: Vec<String> = transactional_ids
            .iter()
            .map(|id| id.as_ref().to_owned())
            .collect();
        // The coordinator appends the new epoch to its log within this.
        let timeout_ms = self.request_timeout_ms();
        let results = self
            .by_coordinator(
                CoordinatorType::Transaction,
                &ids,
                // Answered while the fenced transaction is being aborted.
                &[ErrorCode::ConcurrentTransactions],
                |connection, _node, ids| async move {
                    let mut answered = Vec::with_capacity(ids.len());
                    for id in ids {
                        let request = InitProducerIdRequest {
                            transactional_id: Some(id.clone()),
                            transaction_timeout_ms: timeout_ms,
                            ..Default::default()
                        };
                        let fenced = match connection.send_negotiated(&request).await {
                            Ok(response) => check_transactional_id(&id, response.error_code, None)
                                .map(|()| FencedProducer {
                                    producer_id: response.producer_id,
                                    producer_epoch: response.producer_epoch,
                                }),
                            Err(error) => Err(error),
                        };
                        answered.push((id, fenced));
                    }
                    Ok(answered)
                },
            )
            .await;
        ids.iter().map(|id| take(&results, id)).collect()
    }
}

/// A described transaction, or its error.
fn described(
    state: krafka_core::messages::describe_transactions::TransactionState,
    coordinator_id: i32,
) -> Result<TransactionDescription, KrafkaError> {
    check_transactional_id(&state.transactional_id, state.error_code, None)?;
    let mut partitions: Vec<TopicPartition> = state
        .topics
        .iter()
        .flat_map(|topic| {
            topic
                .partitions
                .iter()
                .map(|&p| TopicPartition::new(topic.topic.clone(), p))
        })
        .collect();
    partitions.sort();
    Ok(TransactionDescription {
        transactional_id: state.transactional_id,
        coordinator_id,
        state: TransactionState::from_name(&state.transaction_state),
        producer_id: state.producer_id,
        producer_epoch: state.producer_epoch,
        transaction_timeout: Duration::from_millis(
            u64::try_from(state.transaction_timeout_ms).unwrap_or(0),
        ),
        transaction_start_time_ms: Some(state.transaction_start_time_ms).filter(|&t| t >= 0),
        partitions,
    })
}

/// A transactional id's error code as a typed error, naming the id.
fn check_transactional_id(id: &str, code: i16, message: Option<String>) -> Result<(), KrafkaError> {
    let message = message
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("transactional id '{id}'"));
    KrafkaError::check_code(code, Some(&message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka_core::messages::describe_transactions::{TopicData, TransactionState as Wire};

    #[test]
    fn state_names_round_trip() {
        for name in [
            "Empty",
            "Ongoing",
            "PrepareCommit",
            "PrepareAbort",
            "CompleteCommit",
            "CompleteAbort",
            "Dead",
            "PrepareEpochFence",
            "SomethingNew",
        ] {
            assert_eq!(TransactionState::from_name(name).as_str(), name);
            assert_eq!(TransactionState::from_name(name).to_string(), name);
        }
        assert_eq!(
            TransactionState::from_name("ongoing"),
            TransactionState::Other("ongoing".to_owned())
        );
    }

    fn wire(error_code: i16, start: i64) -> Wire {
        Wire {
            error_code,
            transactional_id: "t".to_owned(),
            transaction_state: "Ongoing".to_owned(),
            transaction_timeout_ms: 60_000,
            transaction_start_time_ms: start,
            producer_id: 7,
            producer_epoch: 3,
            topics: vec![
                TopicData {
                    topic: "b".to_owned(),
                    partitions: vec![1, 0],
                    ..Default::default()
                },
                TopicData {
                    topic: "a".to_owned(),
                    partitions: vec![2],
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_description_has_sorted_partitions_and_no_start_without_a_transaction() {
        let described = described(wire(0, 1_700_000_000_000), 2).expect("no error");
        assert_eq!(described.coordinator_id, 2);
        assert_eq!(described.state, TransactionState::Ongoing);
        assert_eq!(described.transaction_timeout, Duration::from_secs(60));
        assert_eq!(described.transaction_start_time_ms, Some(1_700_000_000_000));
        assert_eq!(
            described.partitions,
            vec![
                TopicPartition::new("a", 2),
                TopicPartition::new("b", 0),
                TopicPartition::new("b", 1)
            ]
        );
        assert_eq!(
            super::described(wire(0, -1), 2)
                .expect("no error")
                .transaction_start_time_ms,
            None
        );
    }

    #[test]
    fn an_unknown_id_is_a_typed_error_naming_it() {
        let error = described(wire(105, -1), 1).expect_err("TRANSACTIONAL_ID_NOT_FOUND");
        assert_eq!(error.error_code(), Some(ErrorCode::TransactionalIdNotFound));
        assert!(
            error.to_string().contains("transactional id 't'"),
            "{error}"
        );
    }
}
