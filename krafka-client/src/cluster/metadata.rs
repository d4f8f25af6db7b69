//! The client's picture of the cluster: brokers, topics, partition leaders,
//! leader epochs and topic ids, built from Metadata responses.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use krafka_core::codec::Uuid;
use krafka_core::messages::MetadataResponse;
use krafka_core::messages::metadata::MetadataResponseTopic;
use krafka_core::{ErrorCode, KrafkaError};

/// A broker of the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerNode {
    /// `node.id`.
    pub node_id: i32,
    /// Advertised host.
    pub host: String,
    /// Advertised port.
    pub port: i32,
    /// `broker.rack`, if set.
    pub rack: Option<String>,
}

impl BrokerNode {
    /// `host:port`.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// One partition of a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionMetadata {
    /// The partition index.
    pub partition: i32,
    /// The leader's node id (`None` while there is no leader).
    pub leader: Option<i32>,
    /// The leader epoch (-1 when the broker did not send one).
    pub leader_epoch: i32,
    /// All replicas.
    pub replicas: Vec<i32>,
    /// The in-sync replicas.
    pub isr: Vec<i32>,
    /// Offline replicas.
    pub offline_replicas: Vec<i32>,
    /// The partition's error (LEADER_NOT_AVAILABLE, …), if any.
    pub error: Option<ErrorCode>,
}

/// One topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMetadata {
    /// The topic name.
    pub name: String,
    /// The topic id (zero before Metadata v10).
    pub topic_id: Uuid,
    /// Whether it is an internal topic (`__consumer_offsets`).
    pub is_internal: bool,
    /// Partitions, by index.
    pub partitions: Vec<PartitionMetadata>,
}

impl TopicMetadata {
    /// Partition `index`, if the topic has it.
    pub fn partition(&self, index: i32) -> Option<&PartitionMetadata> {
        // Partitions are sorted and dense (checked when the metadata came),
        // so the index is the position; the search covers hand-built values.
        let at = usize::try_from(index).ok()?;
        match self.partitions.get(at) {
            Some(p) if p.partition == index => Some(p),
            _ => self.partitions.iter().find(|p| p.partition == index),
        }
    }
}

/// A snapshot of the cluster's metadata.
#[derive(Debug, Clone, Default)]
pub struct ClusterMetadata {
    /// The cluster id.
    pub cluster_id: Option<String>,
    /// The controller's node id, as brokers report it.
    pub controller_id: Option<i32>,
    /// Live brokers by node id.
    pub brokers: BTreeMap<i32, BrokerNode>,
    /// Topics by name (shared: a refresh copies the map, not the topics,
    /// and a user of one topic keeps it without copying).
    pub topics: HashMap<String, Arc<TopicMetadata>>,
    /// Topics the last refresh reported an error for: the broker's error
    /// (UNKNOWN_TOPIC_OR_PARTITION, …) or a [`KrafkaError::Protocol`] when its
    /// answer for the topic was impossible.
    pub topic_errors: HashMap<String, KrafkaError>,
    /// When it was last refreshed (`None`: never).
    pub updated_at: Option<Instant>,
}

impl ClusterMetadata {
    /// The topic called `name`.
    pub fn topic(&self, name: &str) -> Option<&Arc<TopicMetadata>> {
        self.topics.get(name)
    }

    /// The topic with id `id`.
    pub fn topic_by_id(&self, id: Uuid) -> Option<&TopicMetadata> {
        self.topics
            .values()
            .find(|t| t.topic_id == id && id != Uuid::ZERO)
            .map(|t| &**t)
    }

    /// The leader broker of a partition, when known and live.
    pub fn leader(&self, topic: &str, partition: i32) -> Option<&BrokerNode> {
        let leader = self.topic(topic)?.partition(partition)?.leader?;
        self.brokers.get(&leader)
    }

    /// Folds a Metadata response from `peer` in. `complete` says the
    /// request asked for every topic, so topics missing from the answer are
    /// gone.
    ///
    /// A partition whose cached leader epoch is newer than the response's is
    /// kept: the answering broker has not caught up yet, and going back to
    /// an older leader would only cause NOT_LEADER errors.
    ///
    /// Nothing from the wire sizes anything here: a broker list with a
    /// negative or repeated node id, or a port outside 0-65535, refuses the
    /// whole response (a [`KrafkaError::Protocol`], the snapshot unchanged);
    /// a topic whose partition indexes are not exactly `0..count`, or whose
    /// leader id is below -1, is left out and its entry in
    /// [`topic_errors`](Self::topic_errors) is that protocol error.
    pub fn update(
        &mut self,
        peer: &str,
        response: &MetadataResponse,
        complete: bool,
    ) -> Result<(), KrafkaError> {
        // A broker that is still starting can answer with no brokers at all;
        // like the Java client, keep what we know instead of forgetting
        // every leader.
        if response.brokers.is_empty() {
            return Ok(());
        }
        let brokers = brokers(peer, response)?;
        self.cluster_id.clone_from(&response.cluster_id);
        self.controller_id = (response.controller_id >= 0).then_some(response.controller_id);
        self.brokers = brokers;
        if complete {
            self.topics.clear();
            self.topic_errors.clear();
        }
        for topic in &response.topics {
            let Some(name) = topic.name.clone() else {
                continue;
            };
            match KrafkaError::check_code(topic.error_code, Some(&format!("topic '{name}'"))) {
                Ok(()) => {
                    self.topic_errors.remove(&name);
                }
                Err(error) => {
                    let leaderless = error.error_code() == Some(ErrorCode::LeaderNotAvailable);
                    self.topic_errors.insert(name.clone(), error);
                    if !leaderless {
                        self.topics.remove(&name);
                        continue;
                    }
                }
            }
            let mut partitions = match partitions(peer, &name, topic) {
                Ok(partitions) => partitions,
                Err(lie) => {
                    tracing::warn!(error = %lie, "ignoring the metadata of a topic");
                    self.topics.remove(&name);
                    self.topic_errors.insert(name, lie);
                    continue;
                }
            };
            let same_topic = self
                .topics
                .get(&name)
                .filter(|cached| topic.topic_id == Uuid::ZERO || cached.topic_id == topic.topic_id);
            if let Some(cached) = same_topic {
                for partition in &mut partitions {
                    let newer = cached.partition(partition.partition).filter(|old| {
                        old.leader_epoch > partition.leader_epoch && partition.leader_epoch >= 0
                    });
                    if let Some(old) = newer {
                        *partition = old.clone();
                    }
                }
            }
            self.topics.insert(
                name.clone(),
                Arc::new(TopicMetadata {
                    name,
                    topic_id: topic.topic_id,
                    is_internal: topic.is_internal,
                    partitions,
                }),
            );
        }
        self.updated_at = Some(Instant::now());
        Ok(())
    }

    /// Why topic `name` is not in [`topics`](Self::topics): what the last
    /// refresh said about it, or UNKNOWN_TOPIC_OR_PARTITION when it said
    /// nothing.
    pub fn topic_error(&self, name: &str) -> KrafkaError {
        self.topic_errors
            .get(name)
            .cloned()
            .unwrap_or_else(|| KrafkaError::Broker {
                code: ErrorCode::UnknownTopicOrPartition,
                raw: ErrorCode::UnknownTopicOrPartition.code(),
                message: Some(format!("topic '{name}'")),
            })
    }
}

/// The brokers of a response by node id, refusing ids and ports no broker
/// can have.
fn brokers(
    peer: &str,
    response: &MetadataResponse,
) -> Result<BTreeMap<i32, BrokerNode>, KrafkaError> {
    let mut brokers = BTreeMap::new();
    for b in &response.brokers {
        if b.node_id < 0 || !(0..=i32::from(u16::MAX)).contains(&b.port) {
            return Err(KrafkaError::protocol(
                peer,
                format!(
                    "Metadata lists broker {} at port {}: not a node id and port",
                    b.node_id, b.port
                ),
            ));
        }
        let node = BrokerNode {
            node_id: b.node_id,
            host: b.host.clone(),
            port: b.port,
            rack: b.rack.clone(),
        };
        if brokers.insert(b.node_id, node).is_some() {
            return Err(KrafkaError::protocol(
                peer,
                format!("Metadata lists broker {} twice", b.node_id),
            ));
        }
    }
    Ok(brokers)
}

/// A topic's partitions sorted by index, which must be exactly
/// `0..count` (Kafka numbers partitions densely; the producer and the
/// consumer index by them).
fn partitions(
    peer: &str,
    name: &str,
    topic: &MetadataResponseTopic,
) -> Result<Vec<PartitionMetadata>, KrafkaError> {
    let count = topic.partitions.len();
    let mut seen = vec![false; count];
    for p in &topic.partitions {
        let slot = usize::try_from(p.partition_index)
            .ok()
            .and_then(|index| seen.get_mut(index));
        match slot {
            Some(seen @ false) => *seen = true,
            _ => {
                return Err(KrafkaError::protocol(
                    peer,
                    format!(
                        "Metadata for topic '{name}' has partition {} (of {count} partitions, \
                         indexes must be 0-{})",
                        p.partition_index,
                        count.saturating_sub(1)
                    ),
                ));
            }
        }
        if p.leader_id < -1 {
            return Err(KrafkaError::protocol(
                peer,
                format!(
                    "Metadata for topic '{name}' has leader {} for partition {}",
                    p.leader_id, p.partition_index
                ),
            ));
        }
    }
    let mut partitions: Vec<PartitionMetadata> = topic
        .partitions
        .iter()
        .map(|p| PartitionMetadata {
            partition: p.partition_index,
            leader: (p.leader_id >= 0).then_some(p.leader_id),
            leader_epoch: p.leader_epoch,
            replicas: p.replica_nodes.clone(),
            isr: p.isr_nodes.clone(),
            offline_replicas: p.offline_replicas.clone(),
            error: ErrorCode::check(p.error_code).err(),
        })
        .collect();
    partitions.sort_by_key(|p| p.partition);
    Ok(partitions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka_core::messages::metadata::{
        MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
    };

    fn response(leader: i32, epoch: i32, error: i16) -> MetadataResponse {
        MetadataResponse {
            brokers: vec![MetadataResponseBroker {
                node_id: 1,
                host: "h".into(),
                port: 9092,
                ..Default::default()
            }],
            controller_id: 1,
            topics: vec![MetadataResponseTopic {
                error_code: error,
                name: Some("t".into()),
                topic_id: Uuid([7; 16]),
                partitions: vec![MetadataResponsePartition {
                    partition_index: 0,
                    leader_id: leader,
                    leader_epoch: epoch,
                    replica_nodes: vec![1],
                    isr_nodes: vec![1],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn leaders_epochs_and_ids() {
        let mut md = ClusterMetadata::default();
        md.update("b:9092", &response(1, 5, 0), false).unwrap();
        assert_eq!(
            md.leader("t", 0).map(BrokerNode::address).as_deref(),
            Some("h:9092")
        );
        assert_eq!(md.topic("t").unwrap().partition(0).unwrap().leader_epoch, 5);
        assert_eq!(md.topic_by_id(Uuid([7; 16])).unwrap().name, "t");
        assert_eq!(md.controller_id, Some(1));
        assert!(md.leader("t", 1).is_none());
    }

    #[test]
    fn older_epochs_do_not_win() {
        let mut md = ClusterMetadata::default();
        md.update("b:9092", &response(1, 5, 0), false).unwrap();
        md.update("b:9092", &response(2, 4, 0), false).unwrap();
        let p = md.topic("t").unwrap().partition(0).unwrap();
        assert_eq!((p.leader, p.leader_epoch), (Some(1), 5));
        md.update("b:9092", &response(2, 6, 0), false).unwrap();
        let p = md.topic("t").unwrap().partition(0).unwrap();
        assert_eq!((p.leader, p.leader_epoch), (Some(2), 6));
    }

    #[test]
    fn unknown_topics_are_dropped() {
        let mut md = ClusterMetadata::default();
        md.update("b:9092", &response(1, 5, 0), false).unwrap();
        md.update("b:9092", &response(-1, -1, 3), false).unwrap();
        assert!(md.topic("t").is_none());
        assert_eq!(
            md.topic_errors.get("t").and_then(KrafkaError::error_code),
            Some(ErrorCode::UnknownTopicOrPartition)
        );
    }

    #[test]
    fn partition_indexes_outside_the_count_make_the_topic_a_protocol_error() {
        for indexes in [vec![2_000_000_000], vec![0, 0], vec![-1], vec![1, 2]] {
            let mut md = ClusterMetadata::default();
            md.update("b:9092", &response(1, 5, 0), false).unwrap();
            let mut lying = response(1, 6, 0);
            let template = lying.topics[0].partitions[0].clone();
            lying.topics[0].partitions = indexes
                .iter()
                .map(|&i| MetadataResponsePartition {
                    partition_index: i,
                    ..template.clone()
                })
                .collect();
            md.update("b:9092", &lying, false).unwrap();
            assert!(md.topic("t").is_none(), "{indexes:?}");
            let error = md.topic_error("t");
            assert!(
                matches!(&error, KrafkaError::Protocol { peer, .. } if peer == "b:9092"),
                "{indexes:?}: {error:?}"
            );
            assert!(!error.is_retriable());
        }
        let mut md = ClusterMetadata::default();
        let mut leader = response(-7, 1, 0);
        leader.topics[0].partitions[0].leader_id = -7;
        md.update("b:9092", &leader, false).unwrap();
        assert!(matches!(md.topic_error("t"), KrafkaError::Protocol { .. }));
    }

    #[test]
    fn impossible_brokers_refuse_the_whole_response() {
        let mut md = ClusterMetadata::default();
        md.update("b:9092", &response(1, 5, 0), false).unwrap();
        for (node_id, port) in [(-1, 9092), (1, 70_000), (1, -1)] {
            let mut lying = response(1, 6, 0);
            lying.brokers[0].node_id = node_id;
            lying.brokers[0].port = port;
            let error = md.update("b:9092", &lying, false).unwrap_err();
            assert!(matches!(error, KrafkaError::Protocol { .. }), "{error:?}");
        }
        let mut twice = response(1, 6, 0);
        twice.brokers.push(twice.brokers[0].clone());
        assert!(md.update("b:9092", &twice, false).is_err());
        // The snapshot is the one from before the lies.
        assert_eq!(md.topic("t").unwrap().partition(0).unwrap().leader_epoch, 5);
        assert_eq!(md.brokers.len(), 1);
    }

    #[test]
    fn unknown_topics_name_themselves() {
        let md = ClusterMetadata::default();
        let error = md.topic_error("nowhere");
        assert_eq!(error.error_code(), Some(ErrorCode::UnknownTopicOrPartition));
        assert!(error.to_string().contains("nowhere"), "{error}");
    }
}
