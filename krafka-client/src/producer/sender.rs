//! The sender: one task that drains ready batches into Produce requests
//! (one request per leader carrying many partitions), and one short task
//! per request in flight. The tasks of one broker's requests take turns to
//! queue them on the connection, in the order they were drained, so that a
//! partition's batches in flight reach the broker in sequence order.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use krafka_core::KrafkaError;
use krafka_core::codec::{Records, Request, Uuid};
use krafka_core::messages::produce::{
    PartitionProduceData, TopicProduceData, TopicProduceResponse,
};
use krafka_core::messages::{InitProducerIdRequest, ProduceRequest, ProduceResponse};
use tokio::sync::oneshot;

use super::Shared;
use super::accumulator::{Drained, Outcome};
use super::batch::{ProducerBatch, ProducerId};

/// Runs until the producer is closed and every batch is settled.
pub(crate) async fn run(shared: Arc<Shared>) {
    // Per broker: the turn of the request drained last.
    let mut last_turns: HashMap<i32, oneshot::Receiver<()>> = HashMap::new();
    loop {
        let memory_low = shared.memory_waiters.load(Ordering::Acquire) > 0;
        let (drained, next_wake, needs_metadata, needs_producer_id, done) = {
            let mut state = shared.lock();
            if state.closed && state.is_empty() {
                break;
            }
            let metadata = shared.cluster.metadata();
            let (drained, next_wake) = if state.needs_producer_id {
                // No batch can go out, but they still expire.
                state.expire(Instant::now());
                (Vec::new(), None)
            } else {
                state.drain(&metadata, Instant::now(), memory_low)
            };
            let needs_metadata = std::mem::take(&mut state.needs_metadata);
            // Appends skip waking the sender for a batch lingering past this.
            state.sender_wake_at = next_wake;
            (
                drained,
                next_wake,
                needs_metadata,
                state.needs_producer_id,
                state.closed && state.is_empty(),
            )
        };
        if done {
            break;
        }
        shared.completed.notify_waiters();
        if needs_metadata {
            request_metadata(&shared);
        }
        if needs_producer_id {
            match init_producer_id(&shared).await {
                Ok(id) => shared.lock().set_producer_id(id),
                Err(error) => {
                    tracing::warn!(%error, "InitProducerId failed");
                    tokio::time::sleep(shared.config.client.retry_backoff).await;
                }
            }
            continue;
        }
        for request in drained {
            let turn = Turn::next(&mut last_turns, request.node_id);
            tokio::spawn(send_request(Arc::clone(&shared), request, turn));
        }
        let wake = shared.wake.notified();
        let mut next = next_wake;
        if needs_metadata {
            // A partition waits for its leader: look again after the backoff.
            let at = Instant::now() + shared.config.client.retry_backoff;
            next = Some(next.map_or(at, |n| n.min(at)));
        }
        match next {
            Some(at) => {
                tokio::select! {
                    () = wake => {}
                    () = tokio::time::sleep_until(at.into()) => {}
                }
            }
            None => wake.await,
        }
    }
    shared.completed.notify_waiters();
}

/// Refreshes the metadata in the background (one refresh at a time).
fn request_metadata(shared: &Arc<Shared>) {
    if shared.refreshing.swap(true, Ordering::AcqRel) {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        if let Err(error) = shared.cluster.refresh_metadata().await {
            tracing::debug!(%error, "producer metadata refresh failed");
        }
        shared.refreshing.store(false, Ordering::Release);
        shared.wake.notify_one();
    });
}

/// InitProducerId for an idempotent (non-transactional) producer, with
/// retries.
pub(crate) async fn init_producer_id(shared: &Shared) -> Result<ProducerId, KrafkaError> {
    let request = InitProducerIdRequest {
        transactional_id: None,
        transaction_timeout_ms: i32::MAX,
        producer_id: -1,
        producer_epoch: -1,
        ..Default::default()
    };
    let response = shared
        .cluster
        .retry(|| async {
            let response = shared.cluster.send_to_any(&request).await?;
            KrafkaError::check_code(response.error_code, None)?;
            Ok(response)
        })
        .await?;
    Ok(ProducerId {
        id: response.producer_id,
        epoch: response.producer_epoch,
    })
}

/// A request's place among its broker's requests: it is queued on the
/// connection after the previous one, which signals by dropping its `done`
/// once queued, and signals the next the same way. A turn dropped before
/// its wait (no request to queue, or a cancelled task) still lets the next
/// go only after the previous.
struct Turn {
    previous: Option<oneshot::Receiver<()>>,
    done: Option<oneshot::Sender<()>>,
}

impl Turn {
    /// The turn after the last one taken for `node_id`.
    fn next(last_turns: &mut HashMap<i32, oneshot::Receiver<()>>, node_id: i32) -> Turn {
        let (done, next) = oneshot::channel();
        Turn {
            previous: last_turns.insert(node_id, next),
            done: Some(done),
        }
    }

    /// Waits until the previous request is queued (or gave up its turn).
    async fn wait(&mut self) {
        if let Some(previous) = self.previous.take() {
            // Only ever dropped, never sent on.
            let _ = previous.await;
        }
    }

    /// What to drop once this request is queued (after [`Turn::wait`]).
    fn into_done(mut self) -> Option<oneshot::Sender<()>> {
        self.done.take()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let (Some(previous), Some(done)) = (self.previous.take(), self.done.take()) {
            // Without a runtime (shutting down) nobody waits any more.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = previous.await;
                    drop(done);
                });
            }
        }
    }
}

/// Sends one Produce request and settles its batches.
async fn send_request(shared: Arc<Shared>, request: Drained, turn: Turn) {
    let Drained {
        node_id,
        batches: drained,
    } = request;
    let mut batches = Vec::with_capacity(drained.len());
    let mut unbuildable = Vec::new();
    for mut batch in drained {
        match batch.seal() {
            Ok(()) => batches.push(batch),
            Err(error) => unbuildable.push((batch, error)),
        }
    }
    let result = if batches.is_empty() {
        Ok(Outcomes::new())
    } else {
        produce(&shared, node_id, &batches, turn).await
    };
    let now = Instant::now();
    let backoff = shared.config.client.retry_backoff_policy();
    {
        let mut state = shared.lock();
        state.request_done(node_id);
        for (batch, error) in unbuildable {
            state.complete(batch, Outcome::Failed(error), &backoff, now);
        }
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

type Outcomes = HashMap<(String, i32), Outcome>;

async fn produce(
    shared: &Shared,
    node_id: i32,
    batches: &[ProducerBatch],
    mut turn: Turn,
) -> Result<Outcomes, KrafkaError> {
    turn.wait().await;
    let pool = shared.cluster.broker(node_id)?;
    let connection = pool.connection().await?;
    let mut version = connection.version_for::<ProduceRequest>()?;
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
        transactional_id: None,
        acks: shared.config.acks.wire(),
        timeout_ms: i32::try_from(shared.config.client.request_timeout.as_millis())
            .unwrap_or(i32::MAX),
        topic_data: topics,
        ..Default::default()
    };
    if !request.expects_response() {
        // No response: the turn passes once the request is written.
        let written = connection.send_without_response(&request, version).await;
        drop(turn);
        if let Err(KrafkaError::Timeout { .. }) = &written {
            connection.close();
        }
        written?;
        return Ok(batches
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
    }
    let done = turn.into_done();
    let response: ProduceResponse = connection
        .send_in_order(&request, version, move || drop(done))
        .await?;
    let mut outcomes = Outcomes::new();
    for topic in response.responses {
        let name = if TopicProduceResponse::TOPIC_ID_VERSIONS.contains(version) {
            match metadata.topic_by_id(topic.topic_id) {
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_to_a_broker_are_queued_in_drain_order_whatever_order_tasks_run_in() {
        let mut last_turns = HashMap::new();
        let turns: Vec<Turn> = (0..4).map(|_| Turn::next(&mut last_turns, 1)).collect();
        let mut other_broker = Turn::next(&mut last_turns, 2);
        let queued = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        // Spawned last to first, each after a pause, so that a later task
        // would reach the connection first if it did not wait its turn.
        for (i, mut turn) in turns.into_iter().enumerate().rev() {
            let queued = Arc::clone(&queued);
            tasks.push(tokio::spawn(async move {
                if i == 2 {
                    // Nothing to queue: gives its turn up without waiting.
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20 * (4 - i as u64))).await;
                turn.wait().await;
                queued.lock().unwrap().push(i);
                drop(turn.into_done());
            }));
            tokio::task::yield_now().await;
        }
        tokio::time::timeout(Duration::from_millis(10), other_broker.wait())
            .await
            .expect("another broker's request waits for nobody");
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*queued.lock().unwrap(), [0, 1, 3]);
    }
}
