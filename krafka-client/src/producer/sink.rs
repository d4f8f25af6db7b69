//! One sink per broker: a task that takes the Produce requests drained for
//! that broker, in drain order, queues each on the broker's produce
//! connection (so a partition's batches in flight reach the broker in
//! sequence order), keeps at most `max.in.flight.requests.per.connection`
//! awaiting their answers, and settles them in the order they were sent.
//!
//! The connection answers in request order, so the oldest request in flight
//! is always the next one to settle: the sink waits on it alone.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use krafka_core::KrafkaError;
use krafka_core::codec::{Records, Uuid};
use krafka_core::messages::produce::{
    PartitionProduceData, TopicProduceData, TopicProduceResponse,
};
use krafka_core::messages::{ProduceRequest, ProduceResponse};
use krafka_core::records::Compressor;
use tokio::sync::mpsc;

use super::Shared;
use super::accumulator::{Drained, Outcome};
use super::batch::ProducerBatch;
use crate::cluster::{ClusterMetadata, Purpose};
use crate::connection::Pending;

/// The sinks of one producer, by broker; owned by the sender task.
pub(crate) struct Sinks {
    shared: Arc<Shared>,
    by_node: HashMap<i32, mpsc::Sender<Drained>>,
}

impl Sinks {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Sinks {
            shared,
            by_node: HashMap::new(),
        }
    }

    /// Hands `request` to its broker's sink, starting the sink first if
    /// there is none.
    pub(crate) fn dispatch(&mut self, request: Drained) {
        let node_id = request.node_id;
        let queue = self.by_node.entry(node_id).or_insert_with(|| {
            // The accumulator keeps at most max.in.flight requests of a
            // broker unsettled, and a request stays unsettled while it waits
            // here: this bound is never reached.
            let (tx, rx) = mpsc::channel(self.shared.config.max_in_flight.max(1));
            tokio::spawn(run(Arc::clone(&self.shared), node_id, rx));
            tx
        });
        if let Err(refused) = queue.try_send(request) {
            let request = match refused {
                mpsc::error::TrySendError::Full(request)
                | mpsc::error::TrySendError::Closed(request) => request,
            };
            self.by_node.remove(&node_id);
            let error = KrafkaError::state(format!(
                "the sink of node {node_id} refused a request: more than max.in.flight unsettled"
            ));
            settle(&self.shared, node_id, request.batches, Err(error));
        }
    }
}

/// A request on the wire, waiting for its answer.
struct InFlight {
    batches: Vec<ProducerBatch>,
    pending: Pending<ProduceResponse>,
    version: i16,
    metadata: Arc<ClusterMetadata>,
}

/// The sink of broker `node_id`: runs until the sender drops its queue and
/// every request it took is settled.
async fn run(shared: Arc<Shared>, node_id: i32, mut requests: mpsc::Receiver<Drained>) {
    let limit = shared.config.max_in_flight.max(1);
    let mut compressor = Compressor::new();
    let mut in_flight: VecDeque<InFlight> = VecDeque::new();
    let mut open = true;
    while open || !in_flight.is_empty() {
        let take = open && in_flight.len() < limit;
        let oldest = async {
            match in_flight.front_mut() {
                Some(request) => request.pending.wait().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            answer = oldest => {
                if let Some(request) = in_flight.pop_front() {
                    let outcomes = answer.and_then(|response| outcomes(&request, response));
                    settle(&shared, node_id, request.batches, outcomes);
                }
            }
            request = requests.recv(), if take => {
                match request {
                    Some(request) => {
                        if let Some(sent) = send(&shared, node_id, request.batches, &mut compressor).await {
                            in_flight.push_back(sent);
                            // Queuing woke the connection's I/O task into
                            // this worker's LIFO slot, which no other worker
                            // steals: let it write the request before this
                            // task compresses the next one.
                            tokio::task::yield_now().await;
                        }
                    }
                    None => open = false,
                }
            }
        }
    }
}

/// Seals the batches and queues one Produce request for them on the
/// broker's produce connection. Batches that cannot be built, or a request
/// that cannot be queued, are settled at once.
async fn send(
    shared: &Shared,
    node_id: i32,
    drained: Vec<ProducerBatch>,
    compressor: &mut Compressor,
) -> Option<InFlight> {
    let mut batches = Vec::with_capacity(drained.len());
    let mut unbuildable = Vec::new();
    for mut batch in drained {
        match batch.seal(compressor) {
            Ok(()) => batches.push(batch),
            Err(error) => unbuildable.push((batch, error)),
        }
    }
    if !unbuildable.is_empty() {
        let now = Instant::now();
        let backoff = shared.config.client.retry_backoff_policy();
        {
            let mut state = shared.lock();
            for (batch, error) in unbuildable {
                state.complete(batch, Outcome::Failed(error), &backoff, now);
            }
        }
        shared.completed.notify_waiters();
    }
    if batches.is_empty() {
        settle(shared, node_id, Vec::new(), Ok(Outcomes::new()));
        return None;
    }
    match queue(shared, node_id, &batches).await {
        Ok((pending, version, metadata)) => Some(InFlight {
            batches,
            pending,
            version,
            metadata,
        }),
        Err(error) => {
            settle(shared, node_id, batches, Err(error));
            None
        }
    }
}

type Outcomes = HashMap<(String, i32), Outcome>;

/// The last Produce version that does not add partitions to a transaction.
const PRODUCE_TXN_V1_MAX: i16 = 11;

async fn queue(
    shared: &Shared,
    node_id: i32,
    batches: &[ProducerBatch],
) -> Result<(Pending<ProduceResponse>, i16, Arc<ClusterMetadata>), KrafkaError> {
    let connection = shared
        .cluster
        .broker(node_id)?
        .connection(Purpose::Produce)
        .await?;
    let mut version = connection.version_for::<ProduceRequest>()?;
    let transactional_id = shared.config.transactional_id.clone();
    if transactional_id.is_some() && !shared.lock().txn.as_ref().is_some_and(|t| t.v2) {
        // Produce v12+ would add the partitions itself (transaction
        // version 2); under version 1 AddPartitionsToTxn did.
        version = version.min(PRODUCE_TXN_V1_MAX);
    }
    let metadata = shared.cluster.metadata();
    let topic_id = |name: &str| metadata.topic(name).map_or(Uuid::ZERO, |t| t.topic_id);
    let by_topic_id = TopicProduceData::TOPIC_ID_VERSIONS;
    if by_topic_id.contains(version) && batches.iter().any(|b| topic_id(&b.topic) == Uuid::ZERO) {
        // Without every topic id only the by-name versions work.
        version = by_topic_id.min - 1;
    }
    let mut topics: Vec<TopicProduceData> = Vec::new();
    for batch in batches {
        let Some(built) = &batch.built else {
            return Err(KrafkaError::state("a drained batch was not built"));
        };
        let partition = PartitionProduceData {
            index: batch.partition,
            records: Some(Records(built.bytes.clone())),
            ..Default::default()
        };
        match topics.iter_mut().find(|t| t.name == batch.topic) {
            Some(topic) => topic.partition_data.push(partition),
            None => topics.push(TopicProduceData {
                name: batch.topic.clone(),
                topic_id: if by_topic_id.contains(version) {
                    topic_id(&batch.topic)
                } else {
                    Uuid::ZERO
                },
                partition_data: vec![partition],
                ..Default::default()
            }),
        }
    }
    if by_topic_id.contains(version) {
        for topic in &mut topics {
            topic.name.clear();
        }
    }
    let request = ProduceRequest {
        transactional_id,
        acks: shared.config.acks.wire(),
        timeout_ms: i32::try_from(shared.config.client.connection.request_timeout.as_millis())
            .unwrap_or(i32::MAX),
        topic_data: topics,
        ..Default::default()
    };
    let pending = connection
        .queue(&request, version, connection.default_limits())
        .await?;
    Ok((pending, version, metadata))
}

/// Each batch's outcome from a Produce response (`None`: acks=0, written is
/// all there is to know).
fn outcomes(
    request: &InFlight,
    response: Option<ProduceResponse>,
) -> Result<Outcomes, KrafkaError> {
    let Some(response) = response else {
        return Ok(request
            .batches
            .iter()
            .map(|b| {
                (
                    (b.topic.clone(), b.partition),
                    Outcome::Written {
                        base_offset: -1,
                        log_append_time: -1,
                    },
                )
            })
            .collect());
    };
    let mut outcomes = Outcomes::new();
    for topic in response.responses {
        let name = if TopicProduceResponse::TOPIC_ID_VERSIONS.contains(request.version) {
            match request.metadata.topic_by_id(topic.topic_id) {
                Some(t) => t.name.clone(),
                None => continue,
            }
        } else {
            topic.name
        };
        for partition in topic.partition_responses {
            let outcome = match KrafkaError::check_code(
                partition.error_code,
                partition.error_message.as_deref(),
            ) {
                Ok(()) => Outcome::Written {
                    base_offset: partition.base_offset,
                    log_append_time: partition.log_append_time_ms,
                },
                Err(error) => Outcome::Failed(error),
            };
            outcomes.insert((name.clone(), partition.index), outcome);
        }
    }
    Ok(outcomes)
}

/// Settles one request's batches with their outcomes (a batch the response
/// left out failed), frees its in-flight place and wakes the sender and any
/// flush.
fn settle(
    shared: &Shared,
    node_id: i32,
    batches: Vec<ProducerBatch>,
    result: Result<Outcomes, KrafkaError>,
) {
    let now = Instant::now();
    let backoff = shared.config.client.retry_backoff_policy();
    {
        let mut state = shared.lock();
        state.request_done(node_id);
        match result {
            Ok(mut outcomes) => {
                for batch in batches {
                    let outcome = outcomes
                        .remove(&(batch.topic.clone(), batch.partition))
                        .unwrap_or_else(|| {
                            Outcome::Failed(KrafkaError::protocol(
                                format!("node {node_id}"),
                                format!(
                                    "Produce response without {}-{}",
                                    batch.topic, batch.partition
                                ),
                            ))
                        });
                    state.complete(batch, outcome, &backoff, now);
                }
            }
            Err(error) => {
                if error.invalidates_metadata() {
                    state.needs_metadata = true;
                }
                for batch in batches {
                    state.complete(batch, Outcome::Failed(error.clone()), &backoff, now);
                }
            }
        }
    }
    shared.wake.notify_one();
    shared.completed.notify_waiters();
}
