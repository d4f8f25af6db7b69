//! A minimal admin client, [`Admin`]: create and delete topics (waiting
//! until the cluster's metadata shows the change), list and describe them;
//! list, describe and delete consumer groups and manage their committed
//! offsets ([`groups`](self::groups)); list and describe transactions,
//! fence their producers ([`transactions`](self::transactions)), describe
//! the producers of partitions and abort hanging transactions
//! ([`producers`](self::producers)).

mod coordinated;
mod groups;
mod new_topic;
mod producers;
mod transactions;

use std::time::{Duration, Instant};

use krafka_core::KrafkaError;
use krafka_core::messages::delete_topics::DeleteTopicState;
use krafka_core::messages::metadata::MetadataRequestTopic;
use krafka_core::messages::{CreateTopicsRequest, DeleteTopicsRequest, MetadataRequest};

pub use groups::{ConsumerGroupDescription, GroupListing, ListGroupsOptions, MemberDescription};
pub use new_topic::NewTopic;
pub use producers::{AbortTransactionSpec, FindHangingOptions, HangingTransaction, ProducerState};
pub use transactions::{
    FencedProducer, ListTransactionsOptions, TransactionDescription, TransactionListing,
    TransactionState,
};

use crate::cluster::{Cluster, ClusterMetadata, Purpose, TopicMetadata};
use crate::config::ClientConfig;

/// DeleteTopics versions before this one name topics in `topic_names`;
/// from it on, in `topics` (which may carry topic ids instead).
const DELETE_TOPICS_BY_STATE: i16 = 6;

/// How often the metadata is polled while waiting for a topic change.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Topic administration on a [`Cluster`]. Clones share the cluster.
///
/// ```no_run
/// # async fn demo() -> Result<(), krafka_core::KrafkaError> {
/// use krafka_client::ClientConfig;
/// use krafka_client::{Admin, NewTopic};
///
/// let admin = Admin::new(
///     ClientConfig::builder().bootstrap_servers(["127.0.0.1:9092"]).build()?,
/// )
/// .await?;
/// admin
///     .create_topics(&[NewTopic::new("events", 6, 1).config("retention.ms", "3600000")])
///     .await?;
/// for topic in admin.describe_topics(&["events"]).await? {
///     println!("{}: {} partitions", topic.name, topic.partitions.len());
/// }
/// admin.delete_topics(&["events"]).await?;
/// # Ok(())
/// # }
/// ```
///
/// Errors a broker reports for one topic come back as
/// [`KrafkaError::Broker`] with Kafka's error code and the broker's message
/// (`TOPIC_ALREADY_EXISTS (36)`, `INVALID_REPLICATION_FACTOR (38)`, …).
#[derive(Clone, Debug)]
pub struct Admin {
    cluster: Cluster,
}

impl Admin {
    /// Connects to the cluster: a shortcut for
    /// [`Kafka::admin`](crate::Kafka::admin) on a client of its own.
    pub async fn new(config: ClientConfig) -> Result<Admin, KrafkaError> {
        Ok(crate::Kafka::connect(config).await?.admin())
    }

    /// An admin client on `cluster`.
    pub(crate) fn on_cluster(cluster: Cluster) -> Admin {
        Admin { cluster }
    }

    /// The cluster handle.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Creates `topics` and returns once the metadata shows a leader for
    /// every partition of each (or `default.api.timeout.ms` has passed).
    /// The first topic the broker refused fails the call with its error
    /// (an existing topic is `TOPIC_ALREADY_EXISTS`); the others are still
    /// created.
    pub async fn create_topics(&self, topics: &[NewTopic]) -> Result<(), KrafkaError> {
        if topics.is_empty() {
            return Ok(());
        }
        let request = CreateTopicsRequest {
            topics: topics.iter().map(NewTopic::to_creatable).collect(),
            timeout_ms: self.request_timeout_ms(),
            ..Default::default()
        };
        let response = self
            .cluster
            .retry(|| self.cluster.send_to_any(&request))
            .await?;
        let (created, first_error) = sort_results(
            response
                .topics
                .iter()
                .map(|r| (r.name.clone(), r.error_code, &r.error_message)),
        );
        self.wait_for(
            &created,
            "leaders of the created topics",
            |metadata, name| metadata.topic(name).is_some_and(|t| has_all_leaders(t)),
        )
        .await?;
        first_error.map_or(Ok(()), Err)
    }

    /// Deletes the topics called `names` and returns once the metadata no
    /// longer lists them (or `default.api.timeout.ms` has passed). An
    /// unknown name is `UNKNOWN_TOPIC_OR_PARTITION`; the first topic the
    /// broker refused fails the call, the others are still deleted.
    pub async fn delete_topics<S: AsRef<str>>(&self, names: &[S]) -> Result<(), KrafkaError> {
        if names.is_empty() {
            return Ok(());
        }
        let response = self
            .cluster
            .retry(|| self.send_delete_topics(names))
            .await?;
        // Topics are deleted by name, so every result names one.
        let (deleted, first_error) = sort_results(response.responses.iter().filter_map(|r| {
            r.name
                .clone()
                .map(|name| (name, r.error_code, &r.error_message))
        }));
        self.wait_for(&deleted, "deletion of the topics", |metadata, name| {
            metadata.topic(name).is_none()
        })
        .await?;
        first_error.map_or(Ok(()), Err)
    }

    /// Fresh metadata from the cluster: every topic with `None`, else the
    /// named ones (unknown names end up in
    /// [`ClusterMetadata::topic_errors`]). Never creates topics.
    pub async fn metadata<S: AsRef<str>>(
        &self,
        topics: Option<&[S]>,
    ) -> Result<ClusterMetadata, KrafkaError> {
        let request = MetadataRequest {
            topics: topics.map(|names| {
                names
                    .iter()
                    .map(|name| MetadataRequestTopic {
                        name: Some(name.as_ref().to_owned()),
                        ..Default::default()
                    })
                    .collect()
            }),
            allow_auto_topic_creation: false,
            ..Default::default()
        };
        let (peer, response) = self
            .cluster
            .retry(|| self.cluster.send_to_any_from(&request))
            .await?;
        let mut metadata = ClusterMetadata::default();
        metadata.update(&peer, &response, topics.is_none())?;
        Ok(metadata)
    }

    /// The names of every topic that is not internal, sorted.
    pub async fn list_topics(&self) -> Result<Vec<String>, KrafkaError> {
        let metadata = self.metadata::<&str>(None).await?;
        let mut names: Vec<String> = metadata
            .topics
            .values()
            .filter(|t| !t.is_internal)
            .map(|t| t.name.clone())
            .collect();
        names.sort();
        Ok(names)
    }

    /// The metadata of the named topics, in the order asked; an unknown
    /// topic fails the call with its error (`UNKNOWN_TOPIC_OR_PARTITION`).
    pub async fn describe_topics<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<Vec<TopicMetadata>, KrafkaError> {
        let metadata = self.metadata(Some(names)).await?;
        names
            .iter()
            .map(|name| {
                let name = name.as_ref();
                metadata
                    .topic(name)
                    .map(|t| TopicMetadata::clone(t))
                    .ok_or_else(|| metadata.topic_error(name))
            })
            .collect()
    }

    /// One DeleteTopics request, naming the topics the way the negotiated
    /// version wants.
    async fn send_delete_topics<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<krafka_core::messages::DeleteTopicsResponse, KrafkaError> {
        let node = self.some_broker().await?;
        let connection = self
            .cluster
            .broker(node)?
            .connection(Purpose::General)
            .await?;
        let version = connection.version_for::<DeleteTopicsRequest>()?;
        let names = names.iter().map(|n| n.as_ref().to_owned());
        let request = if version >= DELETE_TOPICS_BY_STATE {
            DeleteTopicsRequest {
                topics: names
                    .map(|name| DeleteTopicState {
                        name: Some(name),
                        ..Default::default()
                    })
                    .collect(),
                timeout_ms: self.request_timeout_ms(),
                ..Default::default()
            }
        } else {
            DeleteTopicsRequest {
                topic_names: names.collect(),
                timeout_ms: self.request_timeout_ms(),
                ..Default::default()
            }
        };
        connection.send(&request, version).await
    }

    /// The controller when the metadata names a live one, else any broker.
    async fn some_broker(&self) -> Result<i32, KrafkaError> {
        let mut metadata = self.cluster.metadata();
        if metadata.brokers.is_empty() {
            metadata = self.cluster.refresh_metadata().await?;
        }
        metadata
            .controller_id
            .filter(|id| metadata.brokers.contains_key(id))
            .or_else(|| metadata.brokers.keys().next().copied())
            .ok_or(KrafkaError::NoBrokerKnown)
    }

    /// Polls fresh metadata of `names` until `done` holds for each of them,
    /// for at most `default.api.timeout.ms`.
    async fn wait_for(
        &self,
        names: &[String],
        what: &str,
        done: impl Fn(&ClusterMetadata, &str) -> bool,
    ) -> Result<(), KrafkaError> {
        if names.is_empty() {
            return Ok(());
        }
        let limit = self.cluster.config().default_api_timeout;
        let started = Instant::now();
        loop {
            let metadata = self.metadata(Some(names)).await?;
            if names.iter().all(|name| done(&metadata, name)) {
                return Ok(());
            }
            if started.elapsed() >= limit {
                return Err(KrafkaError::timeout(
                    format!("{what} ({})", names.join(", ")),
                    limit,
                ));
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// `request.timeout.ms` as the i32 milliseconds Kafka's requests carry.
    fn request_timeout_ms(&self) -> i32 {
        i32::try_from(self.cluster.config().connection.request_timeout.as_millis())
            .unwrap_or(i32::MAX)
    }
}

/// Whether every partition of `topic` has a leader (and it has some).
fn has_all_leaders(topic: &TopicMetadata) -> bool {
    !topic.partitions.is_empty() && topic.partitions.iter().all(|p| p.leader.is_some())
}

/// The names of the topics whose per-topic results succeeded, and the
/// error of the first that did not.
fn sort_results<'a>(
    results: impl Iterator<Item = (String, i16, &'a Option<String>)>,
) -> (Vec<String>, Option<KrafkaError>) {
    let mut first_error = None;
    let mut succeeded = Vec::new();
    for (name, code, message) in results {
        match topic_error(&name, code, message) {
            Ok(()) => succeeded.push(name),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    (succeeded, first_error)
}

/// A topic's error code as a typed error; the broker's message is kept, and
/// when there is none the topic is named instead.
fn topic_error(name: &str, code: i16, message: &Option<String>) -> Result<(), KrafkaError> {
    let fallback = format!("topic '{name}'");
    let message = message
        .as_deref()
        .filter(|m| !m.is_empty())
        .unwrap_or(&fallback);
    KrafkaError::check_code(code, Some(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka_core::ErrorCode;

    #[test]
    fn topic_errors_keep_the_code_and_the_message() {
        assert!(topic_error("t", 0, &None).is_ok());
        let exists = topic_error("t", 36, &Some("Topic 't' already exists.".to_owned()));
        match exists {
            Err(KrafkaError::Broker { code, raw, message }) => {
                assert_eq!(code, ErrorCode::TopicAlreadyExists);
                assert_eq!(raw, 36);
                assert_eq!(message.as_deref(), Some("Topic 't' already exists."));
            }
            other => panic!("unexpected {other:?}"),
        }
        let unknown = topic_error("gone", 3, &None);
        assert!(
            matches!(&unknown, Err(KrafkaError::Broker { code: ErrorCode::UnknownTopicOrPartition, message: Some(m), .. }) if m == "topic 'gone'"),
            "{unknown:?}"
        );
    }

    #[test]
    fn leaders_are_needed_on_every_partition() {
        use crate::cluster::PartitionMetadata;
        let partition = |leader| PartitionMetadata {
            partition: 0,
            leader,
            leader_epoch: 0,
            replicas: vec![1],
            isr: vec![1],
            offline_replicas: vec![],
            error: None,
        };
        let mut topic = TopicMetadata {
            name: "t".to_owned(),
            topic_id: krafka_core::codec::Uuid::ZERO,
            is_internal: false,
            partitions: vec![],
        };
        assert!(!has_all_leaders(&topic));
        topic.partitions = vec![partition(Some(1)), partition(None)];
        assert!(!has_all_leaders(&topic));
        topic.partitions = vec![partition(Some(1)), partition(Some(2))];
        assert!(has_all_leaders(&topic));
    }
}
