//! Committed offsets on the wire: OffsetFetch and OffsetCommit at the
//! negotiated version, through the group's coordinator, shared by the
//! consumer (commits of a member) and the admin client (commits of nobody,
//! fetches of many groups at once).
//!
//! Topics are named, never identified by id: OffsetFetch and OffsetCommit
//! v10 carry topic ids instead of names, which would need a metadata lookup
//! for every topic and cannot name the offsets of a deleted topic, so the
//! versions used stop just below (Java's admin client does the same).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use krafka_core::codec::Request;
use krafka_core::messages::offset_commit::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use krafka_core::messages::offset_fetch::{
    OffsetFetchRequestGroup, OffsetFetchRequestTopic, OffsetFetchRequestTopics,
};
use krafka_core::messages::{
    OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse,
};
use krafka_core::{ErrorCode, KrafkaError};

use crate::cluster::{Cluster, CoordinatorType, Purpose};
use crate::connection::Connection;
use crate::consumer::record::{OffsetAndMetadata, TopicPartition, group_by_topic};

/// The newest OffsetFetch version that names topics (the next one
/// identifies them by id).
const OFFSET_FETCH_NEWEST: i16 = OffsetFetchRequestTopics::TOPIC_ID_VERSIONS.min - 1;

/// The newest OffsetCommit version that names topics.
const OFFSET_COMMIT_NEWEST: i16 = OffsetCommitRequestTopic::TOPIC_ID_VERSIONS.min - 1;

/// Committed offsets per group, or the group's error.
pub(crate) type GroupOffsets = BTreeMap<String, Result<Committed, KrafkaError>>;

/// The committed offsets of one group.
pub(crate) type Committed = BTreeMap<TopicPartition, OffsetAndMetadata>;

/// A group to fetch offsets of, and which partitions (`None`: all).
pub(crate) type GroupQuery<'a> = (&'a str, Option<&'a [TopicPartition]>);

/// Who commits: a member of the group's current generation, or, for an
/// admin commit to a group without members, [`Member::ADMIN`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Member<'a> {
    /// The generation the member joined (-1: none).
    pub(crate) generation_id: i32,
    /// The member id the coordinator gave it ("": none).
    pub(crate) member_id: &'a str,
    /// Its `group.instance.id` (static membership).
    pub(crate) group_instance_id: Option<&'a str>,
}

impl Member<'static> {
    /// Nobody: the coordinator takes such a commit only while the group has
    /// no members.
    pub(crate) const ADMIN: Member<'static> = Member {
        generation_id: -1,
        member_id: "",
        group_instance_id: None,
    };
}

/// The offsets `group_id` has committed: for `partitions`, or for every
/// partition the group has offsets for with `None`. Partitions without a
/// committed offset are left out. With `require_stable` the coordinator
/// holds back offsets that a pending transaction may still change (it
/// answers UNSTABLE_OFFSET_COMMIT, and the fetch is retried).
pub(crate) async fn fetch_committed(
    cluster: &Cluster,
    group_id: &str,
    partitions: Option<&[TopicPartition]>,
    require_stable: bool,
) -> Result<Committed, KrafkaError> {
    fetch_committed_groups(cluster, &[(group_id, partitions)], require_stable)
        .await
        .remove(group_id)
        .unwrap_or_else(|| {
            Err(KrafkaError::state(format!(
                "no result for group {group_id}"
            )))
        })
}

/// [`fetch_committed`] for many groups: one request per coordinator with
/// every group it coordinates (OffsetFetch v8+), or one request per group
/// from brokers that only know the single-group form. Each group gets its
/// own result; coordinator moves and unstable offsets are retried for up
/// to `default.api.timeout.ms`.
pub(crate) async fn fetch_committed_groups(
    cluster: &Cluster,
    groups: &[GroupQuery<'_>],
    require_stable: bool,
) -> GroupOffsets {
    let done: Mutex<GroupOffsets> = Mutex::new(BTreeMap::new());
    let finished = |group: &str| lock(&done).contains_key(group);
    let outcome = cluster
        .retry(|| async {
            let pending: Vec<GroupQuery<'_>> = groups
                .iter()
                .copied()
                .filter(|(group, _)| !finished(group))
                .collect();
            let mut again = None;
            for (group, result) in fetch_round(cluster, &pending, require_stable).await {
                match result {
                    Err(error) if worth_retrying(&error, &[ErrorCode::UnstableOffsetCommit]) => {
                        forget_coordinator(cluster, &group, &error);
                        again.get_or_insert(error);
                    }
                    result => {
                        lock(&done).insert(group, result);
                    }
                }
            }
            again.map_or(Ok(()), Err)
        })
        .await;
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Err(error) = outcome {
        for (group, _) in groups {
            done.entry((*group).to_owned())
                .or_insert_with(|| Err(error.clone()));
        }
    }
    done
}

/// One attempt at every pending group, grouped by coordinator.
async fn fetch_round(
    cluster: &Cluster,
    groups: &[GroupQuery<'_>],
    require_stable: bool,
) -> Vec<(String, Result<Committed, KrafkaError>)> {
    let mut out = Vec::new();
    let mut by_coordinator: BTreeMap<i32, Vec<GroupQuery<'_>>> = BTreeMap::new();
    for &(group, partitions) in groups {
        if partitions.is_some_and(<[TopicPartition]>::is_empty) {
            out.push((group.to_owned(), Ok(BTreeMap::new())));
            continue;
        }
        match cluster.coordinator(CoordinatorType::Group, group).await {
            Ok(node) => by_coordinator
                .entry(node.node_id)
                .or_default()
                .push((group, partitions)),
            Err(error) => out.push((group.to_owned(), Err(error))),
        }
    }
    for (node_id, groups) in by_coordinator {
        let results = match connection_to(cluster, node_id).await {
            Ok(connection) => fetch_from(&connection, &groups, require_stable).await,
            Err(error) => groups
                .iter()
                .map(|(g, _)| (*g, Err(error.clone())))
                .collect(),
        };
        out.extend(results.into_iter().map(|(g, r)| (g.to_owned(), r)));
    }
    out
}

/// The groups' offsets from their coordinator, at the version it speaks.
async fn fetch_from<'g>(
    connection: &Connection,
    groups: &[(&'g str, Option<&[TopicPartition]>)],
    require_stable: bool,
) -> Vec<(&'g str, Result<Committed, KrafkaError>)> {
    let version = match version_at_most::<OffsetFetchRequest>(connection, OFFSET_FETCH_NEWEST) {
        Ok(version) => version,
        Err(error) => {
            return groups
                .iter()
                .map(|(g, _)| (*g, Err(error.clone())))
                .collect();
        }
    };
    if OffsetFetchRequest::GROUPS_VERSIONS.contains(version) {
        let request = OffsetFetchRequest {
            groups: groups
                .iter()
                .map(|&(group, partitions)| OffsetFetchRequestGroup {
                    group_id: group.to_owned(),
                    topics: partitions.map(|tps| {
                        group_by_topic(tps.iter().map(|tp| (tp.topic.as_str(), tp.partition)), {
                            |name, partition_indexes| OffsetFetchRequestTopics {
                                name,
                                partition_indexes,
                                ..Default::default()
                            }
                        })
                    }),
                    ..Default::default()
                })
                .collect(),
            require_stable,
            ..Default::default()
        };
        match connection.send(&request, version).await {
            Ok(response) => read_groups(connection.peer(), groups, response),
            Err(error) => groups
                .iter()
                .map(|(g, _)| (*g, Err(error.clone())))
                .collect(),
        }
    } else {
        let mut out = Vec::with_capacity(groups.len());
        for &(group, partitions) in groups {
            let request = OffsetFetchRequest {
                group_id: group.to_owned(),
                topics: partitions.map(|tps| {
                    group_by_topic(
                        tps.iter().map(|tp| (tp.topic.as_str(), tp.partition)),
                        |name, partition_indexes| OffsetFetchRequestTopic {
                            name,
                            partition_indexes,
                            ..Default::default()
                        },
                    )
                }),
                require_stable,
                ..Default::default()
            };
            let result = match connection.send(&request, version).await {
                Ok(response) => read_single(connection.peer(), group, partitions, response),
                Err(error) => Err(error),
            };
            out.push((group, result));
        }
        out
    }
}

/// The per-group answers of OffsetFetch v8+.
fn read_groups<'g>(
    peer: &str,
    groups: &[(&'g str, Option<&[TopicPartition]>)],
    response: OffsetFetchResponse,
) -> Vec<(&'g str, Result<Committed, KrafkaError>)> {
    let asked: BTreeSet<&str> = groups.iter().map(|(g, _)| *g).collect();
    if let Some(stranger) = response
        .groups
        .iter()
        .find(|g| !asked.contains(g.group_id.as_str()))
    {
        let error = KrafkaError::protocol(
            peer,
            format!(
                "OffsetFetch answered for group {}, which was not asked for",
                stranger.group_id
            ),
        );
        return groups
            .iter()
            .map(|(g, _)| (*g, Err(error.clone())))
            .collect();
    }
    let mut answers: BTreeMap<String, _> = response
        .groups
        .into_iter()
        .map(|g| (g.group_id.clone(), g))
        .collect();
    groups
        .iter()
        .map(|&(group, partitions)| {
            let result = match answers.remove(group) {
                None => Err(KrafkaError::protocol(
                    peer,
                    format!("OffsetFetch answered without group {group}"),
                )),
                Some(answer) => check_group(group, answer.error_code).and_then(|()| {
                    collect(
                        peer,
                        group,
                        partitions,
                        answer.topics.into_iter().flat_map(|t| {
                            let name = t.name;
                            t.partitions.into_iter().map(move |p| {
                                (
                                    TopicPartition::new(name.clone(), p.partition_index),
                                    p.error_code,
                                    p.committed_offset,
                                    p.committed_leader_epoch,
                                    p.metadata,
                                )
                            })
                        }),
                    )
                }),
            };
            (group, result)
        })
        .collect()
}

/// The answer of OffsetFetch v0-v7, for one group.
fn read_single(
    peer: &str,
    group: &str,
    partitions: Option<&[TopicPartition]>,
    response: OffsetFetchResponse,
) -> Result<Committed, KrafkaError> {
    check_group(group, response.error_code)?;
    collect(
        peer,
        group,
        partitions,
        response.topics.into_iter().flat_map(|t| {
            let name = t.name;
            t.partitions.into_iter().map(move |p| {
                (
                    TopicPartition::new(name.clone(), p.partition_index),
                    p.error_code,
                    p.committed_offset,
                    p.committed_leader_epoch,
                    p.metadata,
                )
            })
        }),
    )
}

/// One answered partition: where, its error code, offset, leader epoch and
/// metadata as the response has them.
type FetchedPartition = (TopicPartition, i16, i64, i32, Option<String>);

/// The committed offsets of the answered partitions: the first partition
/// error fails the group, an offset of -1 (nothing committed) is left out,
/// and the partitions must be the ones asked for.
fn collect(
    peer: &str,
    group: &str,
    asked: Option<&[TopicPartition]>,
    answered: impl Iterator<Item = FetchedPartition>,
) -> Result<Committed, KrafkaError> {
    let mut committed = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (tp, code, offset, epoch, metadata) in answered {
        if asked.is_some_and(|asked| !asked.contains(&tp)) {
            return Err(KrafkaError::protocol(
                peer,
                format!("OffsetFetch for group {group} answered for {tp}, which was not asked for"),
            ));
        }
        KrafkaError::check_code(
            code,
            Some(&format!("committed offset of {tp} in group {group}")),
        )?;
        if offset >= 0 {
            committed.insert(
                tp.clone(),
                OffsetAndMetadata {
                    offset,
                    leader_epoch: (epoch >= 0).then_some(epoch),
                    metadata: metadata.unwrap_or_default(),
                },
            );
        }
        seen.insert(tp);
    }
    if let Some(missing) = asked.and_then(|asked| asked.iter().find(|tp| !seen.contains(*tp))) {
        return Err(KrafkaError::protocol(
            peer,
            format!("OffsetFetch for group {group} answered without {missing}"),
        ));
    }
    Ok(committed)
}

/// A group-level error code as a typed error naming the group.
fn check_group(group: &str, code: i16) -> Result<(), KrafkaError> {
    KrafkaError::check_code(code, Some(&format!("group {group}")))
}

/// Commits `offsets` for `group_id` as `member` (OffsetCommit at the
/// negotiated version). Coordinator moves are retried; a refusal of the
/// member (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS,
/// FENCED_INSTANCE_ID) or of a partition comes back at once as
/// [`KrafkaError::Broker`] with its code: the first failing partition's.
pub(crate) async fn commit(
    cluster: &Cluster,
    group_id: &str,
    member: &Member<'_>,
    offsets: &[(TopicPartition, OffsetAndMetadata)],
) -> Result<(), KrafkaError> {
    if offsets.is_empty() {
        return Ok(());
    }
    retry_coordinator(cluster, group_id, &[], || async {
        let connection = cluster
            .coordinator_connection(CoordinatorType::Group, group_id)
            .await?;
        let version = version_at_most::<OffsetCommitRequest>(&connection, OFFSET_COMMIT_NEWEST)?;
        let request = commit_request(group_id, member, offsets);
        let response = connection.send(&request, version).await?;
        check_commit(connection.peer(), group_id, offsets, &response)
    })
    .await
}

/// The OffsetCommit request for `offsets` (the fields a version lacks are
/// left out when encoded).
fn commit_request(
    group_id: &str,
    member: &Member<'_>,
    offsets: &[(TopicPartition, OffsetAndMetadata)],
) -> OffsetCommitRequest {
    OffsetCommitRequest {
        group_id: group_id.to_owned(),
        generation_id_or_member_epoch: member.generation_id,
        member_id: member.member_id.to_owned(),
        group_instance_id: member.group_instance_id.map(str::to_owned),
        topics: group_by_topic(
            offsets.iter().map(|(tp, committed)| {
                (
                    tp.topic.as_str(),
                    OffsetCommitRequestPartition {
                        partition_index: tp.partition,
                        committed_offset: committed.offset,
                        committed_leader_epoch: committed.leader_epoch.unwrap_or(-1),
                        committed_metadata: Some(committed.metadata.clone()),
                        ..Default::default()
                    },
                )
            }),
            |name, partitions| OffsetCommitRequestTopic {
                name,
                partitions,
                ..Default::default()
            },
        ),
        ..Default::default()
    }
}

/// The first failing partition of an OffsetCommit answer, and answers for
/// partitions that were not committed or that are missing.
fn check_commit(
    peer: &str,
    group_id: &str,
    offsets: &[(TopicPartition, OffsetAndMetadata)],
    response: &OffsetCommitResponse,
) -> Result<(), KrafkaError> {
    let asked: Vec<TopicPartition> = offsets.iter().map(|(tp, _)| tp.clone()).collect();
    check_partition_answers(
        peer,
        &format!("OffsetCommit for group {group_id}"),
        &asked,
        response.topics.iter().flat_map(|topic| {
            topic.partitions.iter().map(|p| {
                (
                    TopicPartition::new(topic.name.clone(), p.partition_index),
                    p.error_code,
                )
            })
        }),
        |tp| format!("committing {tp} in group {group_id}"),
    )
}

/// Checks a per-partition answer (`what`: "OffsetCommit for group g") to a
/// request about `asked`: an answer for a partition not asked about, or
/// none for one that was, is a protocol error; otherwise the first
/// partition's error code (described by `doing`) is the result.
pub(crate) fn check_partition_answers(
    peer: &str,
    what: &str,
    asked: &[TopicPartition],
    answers: impl Iterator<Item = (TopicPartition, i16)>,
    doing: impl Fn(&TopicPartition) -> String,
) -> Result<(), KrafkaError> {
    let wanted: BTreeSet<&TopicPartition> = asked.iter().collect();
    let mut first_error = None;
    let mut seen = BTreeSet::new();
    for (tp, code) in answers {
        if !wanted.contains(&tp) {
            return Err(KrafkaError::protocol(
                peer,
                format!("{what} answered for {tp}, which was not asked for"),
            ));
        }
        if let Err(error) = KrafkaError::check_code(code, Some(&doing(&tp))) {
            first_error.get_or_insert(error);
        }
        seen.insert(tp);
    }
    if let Some(missing) = asked.iter().find(|tp| !seen.contains(*tp)) {
        return Err(KrafkaError::protocol(
            peer,
            format!("{what} answered without {missing}"),
        ));
    }
    first_error.map_or(Ok(()), Err)
}

/// Runs `attempt` against the coordinator of `group_id` until it succeeds
/// or fails for a reason other than the coordinator (moved, loading,
/// unreachable) or one of `also`, within `default.api.timeout.ms`.
pub(crate) async fn retry_coordinator<T, F, Fut>(
    cluster: &Cluster,
    group_id: &str,
    also: &[ErrorCode],
    mut attempt: F,
) -> Result<T, KrafkaError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, KrafkaError>>,
{
    // `Ok(Err(..))`: a final answer that `Cluster::retry` must not retry
    // even when Kafka calls its code retriable.
    cluster
        .retry(|| {
            let attempt = attempt();
            async move {
                match attempt.await {
                    Err(error) if worth_retrying(&error, also) => {
                        forget_coordinator(cluster, group_id, &error);
                        Err(error)
                    }
                    result => Ok(result),
                }
            }
        })
        .await?
}

async fn connection_to(cluster: &Cluster, node_id: i32) -> Result<Connection, KrafkaError> {
    cluster
        .broker(node_id)?
        .connection(Purpose::Coordination)
        .await
}

/// Whether an error of a coordinator request is worth another attempt: the
/// connection failed, the coordinator moved, is loading or is unavailable,
/// or the code is one of `also`.
pub(crate) fn worth_retrying(error: &KrafkaError, also: &[ErrorCode]) -> bool {
    match error.error_code() {
        Some(code) => is_coordinator_error(code) || also.contains(&code),
        None => error.is_retriable(),
    }
}

fn is_coordinator_error(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::NotCoordinator
            | ErrorCode::CoordinatorNotAvailable
            | ErrorCode::CoordinatorLoadInProgress
    )
}

/// Forgets the cached coordinator of `group_id` when `error` says it moved
/// or cannot be reached, so the next attempt finds it again.
pub(crate) fn forget_coordinator(cluster: &Cluster, group_id: &str, error: &KrafkaError) {
    let moved = matches!(
        error.error_code(),
        Some(ErrorCode::NotCoordinator | ErrorCode::CoordinatorNotAvailable)
    );
    if moved || (error.error_code().is_none() && error.invalidates_metadata()) {
        cluster.invalidate_coordinator(CoordinatorType::Group, group_id);
    }
}

/// The highest version of `R` both sides speak, but not above `newest`.
pub(crate) fn version_at_most<R: Request>(
    connection: &Connection,
    newest: i16,
) -> Result<i16, KrafkaError> {
    let version = connection.version_for::<R>()?;
    if version <= newest {
        return Ok(version);
    }
    connection
        .api_versions()
        .negotiate(R::API_KEY, newest, R::VERSIONS.min)
        .ok_or_else(|| KrafkaError::UnsupportedVersion {
            api: R::API_KEY,
            client_min: R::VERSIONS.min,
            client_max: newest,
            broker: connection
                .api_versions()
                .broker_range(R::API_KEY)
                .map_or_else(|| "nothing".to_owned(), |(min, max)| format!("{min}-{max}")),
        })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka_core::messages::offset_commit::{
        OffsetCommitResponsePartition, OffsetCommitResponseTopic,
    };
    use krafka_core::messages::offset_fetch::{
        OffsetFetchResponseGroup, OffsetFetchResponsePartitions, OffsetFetchResponseTopics,
    };

    fn tp(p: i32) -> TopicPartition {
        TopicPartition::new("t", p)
    }

    fn fetched(p: i32, code: i16, offset: i64, epoch: i32) -> FetchedPartition {
        (tp(p), code, offset, epoch, Some("m".to_owned()))
    }

    #[test]
    fn uncommitted_partitions_are_left_out_and_epochs_kept() {
        let answered = [
            fetched(0, 0, 5, -1),
            fetched(1, 0, -1, -1),
            fetched(2, 0, 9, 4),
        ];
        let committed = collect("peer", "g", None, answered.into_iter()).expect("collected");
        assert_eq!(committed.len(), 2);
        assert_eq!(
            committed[&tp(0)],
            OffsetAndMetadata::new(5).with_metadata("m")
        );
        assert_eq!(committed[&tp(2)].leader_epoch, Some(4));
    }

    #[test]
    fn partition_errors_and_mismatches_fail_the_group() {
        let error = collect("peer", "g", None, [fetched(0, 3, -1, -1)].into_iter())
            .expect_err("unknown partition");
        assert_eq!(error.error_code(), Some(ErrorCode::UnknownTopicOrPartition));
        let asked = [tp(0)];
        let stranger = collect(
            "peer",
            "g",
            Some(&asked),
            [fetched(1, 0, 1, -1)].into_iter(),
        );
        assert!(
            matches!(stranger, Err(KrafkaError::Protocol { .. })),
            "{stranger:?}"
        );
        let asked = [tp(0), tp(1)];
        let missing = collect(
            "peer",
            "g",
            Some(&asked),
            [fetched(0, 0, 1, -1)].into_iter(),
        );
        assert!(
            matches!(missing, Err(KrafkaError::Protocol { .. })),
            "{missing:?}"
        );
    }

    #[test]
    fn many_groups_are_answered_each_on_its_own() {
        let group = |id: &str, code: i16| OffsetFetchResponseGroup {
            group_id: id.to_owned(),
            error_code: code,
            topics: vec![OffsetFetchResponseTopics {
                name: "t".to_owned(),
                partitions: vec![OffsetFetchResponsePartitions {
                    partition_index: 0,
                    committed_offset: 3,
                    committed_leader_epoch: -1,
                    metadata: None,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let response = OffsetFetchResponse {
            groups: vec![
                group("a", 0),
                group("b", ErrorCode::GroupAuthorizationFailed as i16),
            ],
            ..Default::default()
        };
        let asked: [GroupQuery<'_>; 3] = [("a", None), ("b", None), ("c", None)];
        let results = read_groups("peer", &asked, response.clone());
        assert_eq!(results[0].1.as_ref().expect("a")[&tp(0)].offset, 3);
        assert_eq!(
            results[1]
                .1
                .as_ref()
                .err()
                .and_then(KrafkaError::error_code),
            Some(ErrorCode::GroupAuthorizationFailed)
        );
        assert!(matches!(results[2].1, Err(KrafkaError::Protocol { .. })));
        let stranger = read_groups("peer", &[("a", None)], response);
        assert!(stranger.iter().all(|(_, r)| r.is_err()));
    }

    #[test]
    fn a_commit_fails_with_the_first_failing_partition() {
        let offsets = [
            (tp(0), OffsetAndMetadata::new(1)),
            (tp(1), OffsetAndMetadata::new(2)),
        ];
        let answer = |codes: &[(i32, i16)]| OffsetCommitResponse {
            topics: vec![OffsetCommitResponseTopic {
                name: "t".to_owned(),
                partitions: codes
                    .iter()
                    .map(
                        |&(partition_index, error_code)| OffsetCommitResponsePartition {
                            partition_index,
                            error_code,
                            ..Default::default()
                        },
                    )
                    .collect(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(check_commit("peer", "g", &offsets, &answer(&[(0, 0), (1, 0)])).is_ok());
        let fenced = check_commit(
            "peer",
            "g",
            &offsets,
            &answer(&[(0, 0), (1, ErrorCode::FencedInstanceId as i16)]),
        );
        assert_eq!(
            fenced.err().and_then(|e| e.error_code()),
            Some(ErrorCode::FencedInstanceId)
        );
        let missing = check_commit("peer", "g", &offsets, &answer(&[(0, 0)]));
        assert!(matches!(missing, Err(KrafkaError::Protocol { .. })));
        let stranger = check_commit("peer", "g", &offsets, &answer(&[(0, 0), (1, 0), (2, 0)]));
        assert!(matches!(stranger, Err(KrafkaError::Protocol { .. })));
    }

    #[test]
    fn only_coordinator_trouble_is_retried() {
        let broker = |code: ErrorCode| KrafkaError::from(code);
        assert!(worth_retrying(&broker(ErrorCode::NotCoordinator), &[]));
        assert!(worth_retrying(
            &broker(ErrorCode::CoordinatorLoadInProgress),
            &[]
        ));
        assert!(!worth_retrying(
            &broker(ErrorCode::UnstableOffsetCommit),
            &[]
        ));
        assert!(worth_retrying(
            &broker(ErrorCode::UnstableOffsetCommit),
            &[ErrorCode::UnstableOffsetCommit]
        ));
        assert!(!worth_retrying(
            &broker(ErrorCode::UnknownTopicOrPartition),
            &[]
        ));
        assert!(!worth_retrying(&broker(ErrorCode::IllegalGeneration), &[]));
        assert!(!worth_retrying(
            &broker(ErrorCode::RebalanceInProgress),
            &[]
        ));
    }
}
