//! The client's picture of the cluster: brokers, topics, partition leaders,
//! leader epochs and topic ids, built from Metadata responses.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use krafka_core::ErrorCode;
use krafka_core::codec::Uuid;
use krafka_core::messages::MetadataResponse;

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
        self.partitions.iter().find(|p| p.partition == index)
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
    /// Topics the last refresh reported an error for (UNKNOWN_TOPIC_OR_PARTITION, …).
    pub topic_errors: HashMap<String, ErrorCode>,
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

    /// Folds a Metadata response in. `complete` says the request asked for
    /// every topic, so topics missing from the answer are gone.
    ///
    /// A partition whose cached leader epoch is newer than the response's is
    /// kept: the answering broker has not caught up yet, and going back to
    /// an older leader would only cause NOT_LEADER errors.
    pub fn update(&mut self, response: &MetadataResponse, complete: bool) {
        // A broker that is still starting can answer with no brokers at all;
        // like the Java client, keep what we know instead of forgetting
        // every leader.
        if response.brokers.is_empty() {
            return;
        }
        self.cluster_id.clone_from(&response.cluster_id);
        self.controller_id = (response.controller_id >= 0).then_some(response.controller_id);
        self.brokers = response
            .brokers
            .iter()
            .map(|b| {
                (
                    b.node_id,
                    BrokerNode {
                        node_id: b.node_id,
                        host: b.host.clone(),
                        port: b.port,
                        rack: b.rack.clone(),
                    },
                )
            })
            .collect();
        if complete {
            self.topics.clear();
            self.topic_errors.clear();
        }
        for topic in &response.topics {
            let Some(name) = topic.name.clone() else {
                continue;
            };
            match ErrorCode::check(topic.error_code) {
                Ok(()) => {
                    self.topic_errors.remove(&name);
                }
                Err(error) => {
                    self.topic_errors.insert(name.clone(), error);
                    if error != ErrorCode::LeaderNotAvailable {
                        self.topics.remove(&name);
                        continue;
                    }
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
    }
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
        md.update(&response(1, 5, 0), false);
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
        md.update(&response(1, 5, 0), false);
        md.update(&response(2, 4, 0), false);
        let p = md.topic("t").unwrap().partition(0).unwrap();
        assert_eq!((p.leader, p.leader_epoch), (Some(1), 5));
        md.update(&response(2, 6, 0), false);
        let p = md.topic("t").unwrap().partition(0).unwrap();
        assert_eq!((p.leader, p.leader_epoch), (Some(2), 6));
    }

    #[test]
    fn unknown_topics_are_dropped() {
        let mut md = ClusterMetadata::default();
        md.update(&response(1, 5, 0), false);
        md.update(&response(-1, -1, 3), false);
        assert!(md.topic("t").is_none());
        assert_eq!(
            md.topic_errors.get("t"),
            Some(&ErrorCode::UnknownTopicOrPartition)
        );
    }
}
