//! A one-broker cluster the fake can play well enough for a producer and a
//! consumer: Metadata naming itself as node 1, InitProducerId, Produce,
//! ListOffsets and Fetch over in-memory partitions.
//!
//! Each answer is also available as a value ([`FakeCluster::metadata`],
//! [`FakeCluster::fetch`], …), so a test can take the honest answer, make it
//! lie, and reply with that.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use krafka_core::ApiKey;
use krafka_core::codec::{Records, Uuid};
use krafka_core::messages::fetch::{FetchableTopicResponse, PartitionData};
use krafka_core::messages::list_offsets::{ListOffsetsPartitionResponse, ListOffsetsTopicResponse};
use krafka_core::messages::metadata::{
    MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
};
use krafka_core::messages::produce::{PartitionProduceResponse, TopicProduceResponse};
use krafka_core::messages::{
    FetchRequest, FetchResponse, InitProducerIdRequest, InitProducerIdResponse, ListOffsetsRequest,
    ListOffsetsResponse, MetadataRequest, MetadataResponse, ProduceRequest, ProduceResponse,
};
use krafka_core::records::{RecordBatch, RecordBatchBuilder, RecordBatchReader};

use super::{Reply, Request, Script, lock};

/// The node id the fake gives itself.
pub const NODE_ID: i32 = 1;
/// The producer id InitProducerId hands out.
pub const PRODUCER_ID: i64 = 1000;
/// The longest an empty Fetch waits (a real broker waits `max_wait_ms`).
const MAX_FETCH_WAIT: Duration = Duration::from_secs(1);

/// One record of a fake partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRecord {
    /// The key.
    pub key: Option<Bytes>,
    /// The value.
    pub value: Option<Bytes>,
}

/// Topics and their records; clones share them.
#[derive(Debug, Clone, Default)]
pub struct FakeCluster {
    topics: Arc<Mutex<Vec<Topic>>>,
}

#[derive(Debug)]
struct Topic {
    name: String,
    id: Uuid,
    partitions: Vec<Vec<FakeRecord>>,
    /// Batches served as they are, for a topic of one partition made with
    /// [`FakeCluster::crafted_topic`]: `(base offset, next offset, bytes)`.
    crafted: Vec<(i64, i64, Bytes)>,
}

/// Kafka's "no error".
const NONE: i16 = 0;
/// OFFSET_OUT_OF_RANGE.
const OFFSET_OUT_OF_RANGE: i16 = 1;
/// UNKNOWN_TOPIC_OR_PARTITION.
const UNKNOWN_TOPIC_OR_PARTITION: i16 = 3;

impl FakeCluster {
    /// No topics yet.
    pub fn new() -> FakeCluster {
        FakeCluster::default()
    }

    /// Adds topic `name` with `partitions` empty partitions.
    pub fn topic(self, name: &str, partitions: usize) -> FakeCluster {
        {
            let mut topics = lock(&self.topics);
            let n = u8::try_from(topics.len() + 1).expect("at most 255 fake topics");
            topics.push(Topic {
                name: name.to_owned(),
                id: Uuid([n; 16]),
                partitions: vec![Vec::new(); partitions],
                crafted: Vec::new(),
            });
        }
        self
    }

    /// Adds topic `name` with one partition holding `batches` back to back
    /// (each a whole record batch, in offset order), served as they are:
    /// a Fetch gets the batches from the one holding its offset on, within
    /// the partition's byte limit (the first always). Produce to it fails.
    pub fn crafted_topic(self, name: &str, batches: Vec<Bytes>) -> FakeCluster {
        let crafted = batches
            .into_iter()
            .map(|batch| {
                let base = i64::from_be_bytes(batch[..8].try_into().expect("base offset"));
                let delta = i32::from_be_bytes(batch[23..27].try_into().expect("offset delta"));
                (base, base + i64::from(delta) + 1, batch)
            })
            .collect();
        {
            let mut topics = lock(&self.topics);
            let n = u8::try_from(topics.len() + 1).expect("at most 255 fake topics");
            topics.push(Topic {
                name: name.to_owned(),
                id: Uuid([n; 16]),
                partitions: vec![Vec::new()],
                crafted,
            });
        }
        self
    }

    /// Appends records with these values (no key) to a partition.
    pub fn with_values(self, topic: &str, partition: usize, values: &[&str]) -> FakeCluster {
        self.append(
            topic,
            partition,
            values.iter().map(|v| FakeRecord {
                key: None,
                value: Some(Bytes::copy_from_slice(v.as_bytes())),
            }),
        );
        self
    }

    /// The records of a partition.
    pub fn records(&self, topic: &str, partition: usize) -> Vec<FakeRecord> {
        lock(&self.topics)
            .iter()
            .find(|t| t.name == topic)
            .and_then(|t| t.partitions.get(partition).cloned())
            .unwrap_or_default()
    }

    /// Appends to a partition; returns the offset of the first record, or
    /// `None` when there is no such partition.
    fn append(
        &self,
        topic: &str,
        partition: usize,
        records: impl IntoIterator<Item = FakeRecord>,
    ) -> Option<i64> {
        let mut topics = lock(&self.topics);
        let log = topics
            .iter_mut()
            .find(|t| t.name == topic && t.crafted.is_empty())?
            .partitions
            .get_mut(partition)?;
        let base = log.len() as i64;
        log.extend(records);
        Some(base)
    }

    /// A script answering Metadata, InitProducerId, Produce, ListOffsets and
    /// Fetch honestly (replace any of them with [`Script::on`]).
    pub fn script(&self) -> Script {
        let metadata = self.clone();
        let init = self.clone();
        let produce = self.clone();
        let offsets = self.clone();
        let fetch = self.clone();
        Script::new()
            .on(ApiKey::Metadata, move |r| {
                Reply::message(metadata.metadata(r))
            })
            .on(ApiKey::InitProducerId, move |r| {
                Reply::message(init.init_producer_id(r))
            })
            .on(ApiKey::Produce, move |r| Reply::message(produce.produce(r)))
            .on(ApiKey::ListOffsets, move |r| {
                Reply::message(offsets.list_offsets(r))
            })
            .on(ApiKey::Fetch, move |r| fetch.fetch_reply(r))
    }

    /// The fake itself as node 1, and the topics asked for (every topic
    /// for a null list), each partition led by node 1.
    pub fn metadata(&self, request: &Request) -> MetadataResponse {
        let asked: MetadataRequest = request.decode();
        let (host, port) = request.broker_host_port();
        let topics = lock(&self.topics);
        let names: Vec<String> = match asked.topics {
            Some(list) => list.into_iter().filter_map(|t| t.name).collect(),
            None => topics.iter().map(|t| t.name.clone()).collect(),
        };
        MetadataResponse {
            brokers: vec![MetadataResponseBroker {
                node_id: NODE_ID,
                host,
                port,
                ..Default::default()
            }],
            cluster_id: Some("fake".to_owned()),
            controller_id: NODE_ID,
            topics: names
                .into_iter()
                .map(|name| match topics.iter().find(|t| t.name == name) {
                    Some(topic) => MetadataResponseTopic {
                        name: Some(name),
                        topic_id: topic.id,
                        partitions: (0..topic.partitions.len())
                            .map(|index| MetadataResponsePartition {
                                partition_index: i32::try_from(index).expect("index"),
                                leader_id: NODE_ID,
                                leader_epoch: 0,
                                replica_nodes: vec![NODE_ID],
                                isr_nodes: vec![NODE_ID],
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    },
                    None => MetadataResponseTopic {
                        error_code: UNKNOWN_TOPIC_OR_PARTITION,
                        name: Some(name),
                        ..Default::default()
                    },
                })
                .collect(),
            ..Default::default()
        }
    }

    /// Producer id [`PRODUCER_ID`], epoch 0.
    pub fn init_producer_id(&self, request: &Request) -> InitProducerIdResponse {
        let _: InitProducerIdRequest = request.decode();
        InitProducerIdResponse {
            producer_id: PRODUCER_ID,
            producer_epoch: 0,
            ..Default::default()
        }
    }

    /// Appends every batch of the request and answers with base offsets.
    pub fn produce(&self, request: &Request) -> ProduceResponse {
        let produce: ProduceRequest = request.decode();
        let responses = produce
            .topic_data
            .into_iter()
            .map(|topic| {
                let name = self.topic_name(&topic.name, topic.topic_id);
                TopicProduceResponse {
                    name: topic.name,
                    topic_id: topic.topic_id,
                    partition_responses: topic
                        .partition_data
                        .into_iter()
                        .map(|data| {
                            let records = data.records.map(|r| decode_records(r.0));
                            let base = usize::try_from(data.index)
                                .ok()
                                .and_then(|p| self.append(&name, p, records.unwrap_or_default()));
                            PartitionProduceResponse {
                                index: data.index,
                                error_code: base.map_or(UNKNOWN_TOPIC_OR_PARTITION, |_| NONE),
                                base_offset: base.unwrap_or(-1),
                                ..Default::default()
                            }
                        })
                        .collect(),
                    ..Default::default()
                }
            })
            .collect();
        ProduceResponse {
            responses,
            ..Default::default()
        }
    }

    /// Earliest (-2) is 0, anything else the end of the partition.
    pub fn list_offsets(&self, request: &Request) -> ListOffsetsResponse {
        let list: ListOffsetsRequest = request.decode();
        ListOffsetsResponse {
            topics: list
                .topics
                .into_iter()
                .map(|topic| ListOffsetsTopicResponse {
                    partitions: topic
                        .partitions
                        .iter()
                        .map(|p| {
                            let end = self.end(&topic.name, p.partition_index);
                            ListOffsetsPartitionResponse {
                                partition_index: p.partition_index,
                                error_code: end.map_or(UNKNOWN_TOPIC_OR_PARTITION, |_| NONE),
                                offset: match (end, p.timestamp) {
                                    (None, _) => -1,
                                    (Some(_), -2) => 0,
                                    (Some(end), _) => end,
                                },
                                leader_epoch: 0,
                                ..Default::default()
                            }
                        })
                        .collect(),
                    name: topic.name,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    /// Every partition asked for, with one batch of the records from the
    /// fetch offset on (no fetch sessions).
    pub fn fetch(&self, request: &Request) -> FetchResponse {
        let fetch: FetchRequest = request.decode();
        FetchResponse {
            responses: fetch
                .topics
                .into_iter()
                .map(|topic| {
                    let name = self.topic_name(&topic.topic, topic.topic_id);
                    FetchableTopicResponse {
                        partitions: topic
                            .partitions
                            .iter()
                            .map(|p| {
                                let max = usize::try_from(p.partition_max_bytes).unwrap_or(0);
                                self.crafted_data(&name, p.partition, p.fetch_offset, max)
                                    .unwrap_or_else(|| {
                                        self.partition_data(&name, p.partition, p.fetch_offset)
                                    })
                            })
                            .collect(),
                        topic: topic.topic,
                        topic_id: topic.topic_id,
                        ..Default::default()
                    }
                })
                .collect(),
            ..Default::default()
        }
    }

    /// [`FakeCluster::fetch`], held back for the request's `max_wait_ms`
    /// (at most a second) when it carries no records, as a broker's long
    /// poll is.
    pub fn fetch_reply(&self, request: &Request) -> Reply {
        let response = self.fetch(request);
        let empty = response
            .responses
            .iter()
            .flat_map(|t| &t.partitions)
            .all(|p| p.records.as_ref().is_none_or(|r| r.0.is_empty()));
        let wait = if empty {
            let asked: FetchRequest = request.decode();
            Duration::from_millis(u64::try_from(asked.max_wait_ms).unwrap_or(0)).min(MAX_FETCH_WAIT)
        } else {
            Duration::ZERO
        };
        Reply::message(response).delayed(wait)
    }

    fn partition_data(&self, topic: &str, partition: i32, offset: i64) -> PartitionData {
        let Some(log) = usize::try_from(partition)
            .ok()
            .map(|p| self.records(topic, p))
            .filter(|_| self.end(topic, partition).is_some())
        else {
            return PartitionData {
                partition_index: partition,
                error_code: UNKNOWN_TOPIC_OR_PARTITION,
                high_watermark: -1,
                ..Default::default()
            };
        };
        let end = log.len() as i64;
        let mut data = PartitionData {
            partition_index: partition,
            high_watermark: end,
            last_stable_offset: end,
            log_start_offset: 0,
            records: Some(Records(Bytes::new())),
            ..Default::default()
        };
        if offset < 0 || offset > end {
            data.error_code = OFFSET_OUT_OF_RANGE;
            return data;
        }
        let mut builder = RecordBatchBuilder::new()
            .base_offset(offset)
            .partition_leader_epoch(0);
        for record in &log[usize::try_from(offset).unwrap_or(0)..] {
            builder = builder.add_record(record.key.as_deref(), record.value.as_deref(), vec![]);
        }
        data.records = Some(Records(builder.build().expect("fake batch")));
        data
    }

    /// A crafted topic's batches from `offset` on, within `max_bytes` (the
    /// first always); `None` for other topics.
    fn crafted_data(
        &self,
        topic: &str,
        partition: i32,
        offset: i64,
        max_bytes: usize,
    ) -> Option<PartitionData> {
        let topics = lock(&self.topics);
        let topic = topics
            .iter()
            .find(|t| t.name == topic && !t.crafted.is_empty() && partition == 0)?;
        let end = topic.crafted.last().map_or(0, |b| b.1);
        let mut records = Vec::new();
        for (_, next, batch) in &topic.crafted {
            if *next <= offset {
                continue;
            }
            if !records.is_empty() && records.len() + batch.len() > max_bytes {
                break;
            }
            records.extend_from_slice(batch);
        }
        Some(PartitionData {
            partition_index: partition,
            high_watermark: end,
            last_stable_offset: end,
            log_start_offset: 0,
            records: Some(Records(Bytes::from(records))),
            ..Default::default()
        })
    }

    /// The end offset of a partition, `None` when there is none.
    fn end(&self, topic: &str, partition: i32) -> Option<i64> {
        let topics = lock(&self.topics);
        let topic = topics.iter().find(|t| t.name == topic)?;
        if !topic.crafted.is_empty() {
            return (partition == 0).then(|| topic.crafted.last().map_or(0, |b| b.1));
        }
        let log = topic.partitions.get(usize::try_from(partition).ok()?)?;
        Some(log.len() as i64)
    }

    /// The topic a request names: by id when it has one, else by name.
    fn topic_name(&self, name: &str, id: Uuid) -> String {
        if id == Uuid::ZERO {
            return name.to_owned();
        }
        lock(&self.topics)
            .iter()
            .find(|t| t.id == id)
            .map_or_else(String::new, |t| t.name.clone())
    }
}

fn decode_records(bytes: Bytes) -> Vec<FakeRecord> {
    RecordBatchReader::new(bytes)
        .flat_map(|batch| {
            let batch: RecordBatch = batch.expect("produced batch");
            batch.collect_records().expect("produced records")
        })
        .map(|record| FakeRecord {
            key: record.key,
            value: record.value,
        })
        .collect()
}
