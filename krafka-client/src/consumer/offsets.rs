//! Offset lookups with ListOffsets: earliest, latest (the LSO under
//! `read_committed`) and by timestamp, sent to each partition's leader,
//! retried on stale-leader errors within `default.api.timeout.ms`.

use std::collections::BTreeMap;
use std::time::Instant;

use krafka_core::messages::ListOffsetsRequest;
use krafka_core::messages::list_offsets::{ListOffsetsPartition, ListOffsetsTopic};
use krafka_core::{ErrorCode, KrafkaError};

use super::config::IsolationLevel;
use super::record::{OffsetAndTimestamp, TopicPartition, group_by_topic};
use crate::cluster::Cluster;

/// ListOffsets' timestamp for "the log start offset".
pub(crate) const EARLIEST_TIMESTAMP: i64 = -2;
/// ListOffsets' timestamp for "the end of the log".
pub(crate) const LATEST_TIMESTAMP: i64 = -1;

/// Looks up one offset per `(partition, timestamp)` query. The answer for a
/// timestamp with no record at or after it is `None`.
pub(crate) async fn list_offsets(
    cluster: &Cluster,
    isolation: IsolationLevel,
    queries: &[(TopicPartition, i64)],
) -> Result<Vec<(TopicPartition, Option<OffsetAndTimestamp>)>, KrafkaError> {
    let topics: Vec<&str> = queries.iter().map(|(tp, _)| tp.topic.as_str()).collect();
    cluster.add_topics(&topics).await?;
    // A partition may appear once per request: repeated ones go in later rounds.
    let mut rounds: Vec<Vec<(TopicPartition, i64)>> = Vec::new();
    for query in queries {
        match rounds
            .iter_mut()
            .find(|r| r.iter().all(|(tp, _)| *tp != query.0))
        {
            Some(round) => round.push(query.clone()),
            None => rounds.push(vec![query.clone()]),
        }
    }
    let mut answers = Vec::with_capacity(queries.len());
    for round in rounds {
        answers.extend(list_offsets_once(cluster, isolation, &round).await?);
    }
    // Back in the order asked.
    let mut ordered = Vec::with_capacity(queries.len());
    for query in queries {
        let index = answers
            .iter()
            .position(|(tp, ts, _)| *tp == query.0 && *ts == query.1)
            .ok_or_else(|| KrafkaError::state("ListOffsets lost a query"))?;
        let (tp, _, offset) = answers.swap_remove(index);
        ordered.push((tp, offset));
    }
    Ok(ordered)
}

/// [`list_offsets`] for queries naming each partition once.
async fn list_offsets_once(
    cluster: &Cluster,
    isolation: IsolationLevel,
    queries: &[(TopicPartition, i64)],
) -> Result<Vec<(TopicPartition, i64, Option<OffsetAndTimestamp>)>, KrafkaError> {
    let config = cluster.config();
    let deadline = Instant::now().checked_add(config.default_api_timeout);
    let backoff = config.retry_backoff_policy();
    let mut found: BTreeMap<TopicPartition, Option<OffsetAndTimestamp>> = BTreeMap::new();
    let mut pending: Vec<(TopicPartition, i64)> = queries.to_vec();
    let mut attempt = 0u32;
    loop {
        let (done, retry) = attempt_once(cluster, isolation, &pending).await?;
        found.extend(done);
        let last_error = retry.last().map(|(_, _, error)| error.clone());
        pending = retry.into_iter().map(|(tp, ts, _)| (tp, ts)).collect();
        if pending.is_empty() {
            break;
        }
        let delay = backoff.delay(attempt);
        if deadline.is_some_and(|d| Instant::now() + delay >= d) {
            return Err(last_error.unwrap_or_else(|| {
                KrafkaError::timeout("ListOffsets", config.default_api_timeout)
            }));
        }
        tokio::time::sleep(delay).await;
        if let Err(error) = cluster.refresh_metadata().await {
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                "metadata refresh before ListOffsets retry failed"
            );
        }
        attempt = attempt.saturating_add(1);
    }
    Ok(queries
        .iter()
        .map(|(tp, ts)| (tp.clone(), *ts, found.get(tp).copied().flatten()))
        .collect())
}

/// The partitions a lookup could not answer now, each with its timestamp
/// and the retriable error that kept it from an answer.
pub(crate) type Unanswered = Vec<(TopicPartition, i64, KrafkaError)>;

type Attempt = (
    Vec<(TopicPartition, Option<OffsetAndTimestamp>)>,
    Unanswered,
);

/// One round of [`list_offsets`] without retries, for callers that go on
/// with the partitions that answer: the answers, in the order asked, and the
/// partitions whose leader is unknown or did not answer now (a retriable
/// error each). `queries` name each partition once. A non-retriable error
/// fails the whole lookup.
pub(crate) async fn list_offsets_now(
    cluster: &Cluster,
    isolation: IsolationLevel,
    queries: &[(TopicPartition, i64)],
) -> Result<
    (
        Vec<(TopicPartition, i64, Option<OffsetAndTimestamp>)>,
        Unanswered,
    ),
    KrafkaError,
> {
    let topics: Vec<&str> = queries.iter().map(|(tp, _)| tp.topic.as_str()).collect();
    cluster.add_topics(&topics).await?;
    let (done, unanswered) = attempt_once(cluster, isolation, queries).await?;
    let found = queries
        .iter()
        .filter_map(|(tp, ts)| {
            let (_, offset) = done.iter().find(|(answered, _)| answered == tp)?;
            Some((tp.clone(), *ts, *offset))
        })
        .collect();
    Ok((found, unanswered))
}

/// One request per leader. Retriable failures come back for another try;
/// anything else is the caller's error.
async fn attempt_once(
    cluster: &Cluster,
    isolation: IsolationLevel,
    queries: &[(TopicPartition, i64)],
) -> Result<Attempt, KrafkaError> {
    let metadata = cluster.metadata();
    let mut by_leader: BTreeMap<i32, Vec<(TopicPartition, i64, i32)>> = BTreeMap::new();
    let mut retry: Unanswered = Vec::new();
    for (tp, timestamp) in queries {
        let partition = metadata
            .topic(&tp.topic)
            .and_then(|t| t.partition(tp.partition));
        match partition.and_then(|p| p.leader.map(|l| (l, p.leader_epoch))) {
            Some((leader, epoch)) => {
                by_leader
                    .entry(leader)
                    .or_default()
                    .push((tp.clone(), *timestamp, epoch))
            }
            None => {
                let known_topic = metadata.topic(&tp.topic).is_some();
                if known_topic && partition.is_none() {
                    return Err(KrafkaError::from(ErrorCode::UnknownTopicOrPartition));
                }
                retry.push((
                    tp.clone(),
                    *timestamp,
                    KrafkaError::from(ErrorCode::LeaderNotAvailable),
                ));
            }
        }
    }
    let mut done = Vec::new();
    for (leader, partitions) in by_leader {
        let request = request_for(isolation, &partitions);
        let response = match cluster.send_to_node(leader, &request).await {
            Ok(response) => response,
            Err(error) if error.is_retriable() => {
                retry.extend(
                    partitions
                        .into_iter()
                        .map(|(tp, ts, _)| (tp, ts, error.clone())),
                );
                continue;
            }
            Err(error) => return Err(error),
        };
        for (tp, timestamp, _) in partitions {
            let answer = response
                .topics
                .iter()
                .filter(|t| t.name == tp.topic)
                .flat_map(|t| t.partitions.iter())
                .find(|p| p.partition_index == tp.partition);
            let Some(answer) = answer else {
                let error = KrafkaError::protocol(
                    format!("node {leader}"),
                    format!("ListOffsets answered without {tp}"),
                );
                retry.push((tp, timestamp, error));
                continue;
            };
            match KrafkaError::check_code(answer.error_code, None) {
                Ok(()) => {
                    let offset = (answer.offset >= 0).then_some(OffsetAndTimestamp {
                        offset: answer.offset,
                        timestamp: answer.timestamp,
                        leader_epoch: (answer.leader_epoch >= 0).then_some(answer.leader_epoch),
                    });
                    done.push((tp, offset));
                }
                Err(error) if error.is_retriable() => retry.push((tp, timestamp, error)),
                Err(error) => return Err(error),
            }
        }
    }
    Ok((done, retry))
}

fn request_for(
    isolation: IsolationLevel,
    partitions: &[(TopicPartition, i64, i32)],
) -> ListOffsetsRequest {
    let partitions = partitions.iter().map(|(tp, timestamp, epoch)| {
        let partition = ListOffsetsPartition {
            partition_index: tp.partition,
            current_leader_epoch: *epoch,
            timestamp: *timestamp,
            ..Default::default()
        };
        (tp.topic.as_str(), partition)
    });
    ListOffsetsRequest {
        replica_id: -1,
        isolation_level: isolation.wire(),
        topics: group_by_topic(partitions, |name, partitions| ListOffsetsTopic {
            name,
            partitions,
            ..Default::default()
        }),
        ..Default::default()
    }
}
