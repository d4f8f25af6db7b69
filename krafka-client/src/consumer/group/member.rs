//! The membership task: JoinGroup, SyncGroup (running the assignor when
//! this member leads), heartbeats, auto-commits and LeaveGroup, following
//! the Java consumer's classic-protocol coordinator.
//!
//! One join round: resolve the subscription's topics, join with a
//! [`Subscription`] per assignor, assign if leader, sync, then apply the
//! assignment to the consumer's partitions (revoking first what moves away,
//! KIP-429) and give new partitions their committed offsets. Between
//! rounds the task heartbeats every `heartbeat.interval.ms` until the
//! coordinator asks for a rebalance, the subscription's topics change, or
//! the application stops polling for `max.poll.interval.ms`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use krafka_core::messages::join_group::JoinGroupRequestProtocol;
use krafka_core::messages::leave_group::MemberIdentity;
use krafka_core::messages::sync_group::SyncGroupRequestAssignment;
use krafka_core::messages::{
    HeartbeatRequest, JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest, SyncGroupRequest,
};
use krafka_core::{ErrorCode, KrafkaError};

use super::Group;
use super::assignment::{apply_assignment, lose, remove_partitions, revoke};
use super::assignor::{GroupAssignmentInput, GroupMember, PartitionRacks, RebalanceProtocol};
use super::commit::commit_positions;
use super::protocol::{
    CONSUMER_PROTOCOL_TYPE, CONSUMER_PROTOCOL_VERSION, MemberAssignment, Subscription,
};
use super::topics::TopicSelection;
use crate::cluster::CoordinatorType;
use crate::connection::{Connection, Limits};
use crate::consumer::record::TopicPartition;
use crate::consumer::{Consumer, Shared};

/// Extra time a JoinGroup may take beyond the rebalance timeout, as the
/// Java client allows.
const JOIN_GRACE: Duration = Duration::from_secs(5);

/// Why a stable membership ended.
enum Interrupt {
    /// Rejoin keeping the partitions (cooperative) or after revoking them
    /// (eager).
    Rebalance,
    /// The generation is over: the partitions are lost.
    Lost { reset_member_id: bool },
    /// The application stopped polling: leave, wait for the next poll.
    PollTimeout,
}

/// The membership task of a subscribed consumer; runs until the consumer
/// closes, unsubscribes or the membership fails for good.
pub(crate) async fn run_membership(shared: Arc<Shared>, group: Arc<Group>) {
    let consumer = Consumer::view(Arc::clone(&shared));
    let mut owned: BTreeSet<TopicPartition> = BTreeSet::new();
    let mut link: Option<JoinLink> = None;
    let mut attempt = 0u32;
    loop {
        if shared.is_closed() || group.lock().fatal.is_some() {
            return;
        }
        if group.protocol == RebalanceProtocol::Eager && !owned.is_empty() {
            revoke(&consumer, &group, &owned, true).await;
            owned.clear();
        }
        let joined = match join_round(&shared, &group, &owned, &mut link).await {
            Ok(joined) => {
                attempt = 0;
                joined
            }
            Err(error) if is_fatal(&error) => {
                tracing::warn!(group = %group.group_id, error = &error as &dyn std::error::Error, "the group membership failed");
                if !owned.is_empty() {
                    lose(&consumer, &group, &mut owned).await;
                }
                group.fail(error);
                shared.records_ready.notify_waiters();
                return;
            }
            Err(error) => {
                tracing::debug!(group = %group.group_id, error = &error as &dyn std::error::Error, "join round failed; retrying");
                if matches!(
                    error.error_code(),
                    Some(ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration)
                ) {
                    let reset_member_id = error.error_code() == Some(ErrorCode::UnknownMemberId);
                    forget_generation(&group, reset_member_id);
                    if !owned.is_empty() {
                        lose(&consumer, &group, &mut owned).await;
                    }
                }
                if error.error_code() != Some(ErrorCode::RebalanceInProgress) {
                    shared
                        .cluster
                        .invalidate_coordinator(CoordinatorType::Group, &group.group_id);
                    tokio::time::sleep(
                        shared
                            .cluster
                            .config()
                            .retry_backoff_policy()
                            .delay(attempt),
                    )
                    .await;
                    attempt = attempt.saturating_add(1);
                }
                continue;
            }
        };
        let topics = joined.topics.clone();
        let again = apply_assignment(&consumer, &group, &mut owned, joined).await;
        if again {
            continue;
        }
        match stable(&shared, &group, &owned, topics).await {
            Interrupt::Rebalance => {}
            Interrupt::Lost { reset_member_id } => {
                forget_generation(&group, reset_member_id);
                lose(&consumer, &group, &mut owned).await;
            }
            Interrupt::PollTimeout => {
                tracing::warn!(
                    group = %group.group_id,
                    "the application did not poll within max.poll.interval.ms: leaving the group"
                );
                leave(&shared, &group, "consumer poll timeout has expired").await;
                lose(&consumer, &group, &mut owned).await;
                group.left_for_poll_timeout();
                group.rejoin.notified().await;
            }
        }
    }
}

/// What a join round brought.
pub(super) struct Joined {
    pub(super) generation_id: i32,
    pub(super) member_id: String,
    pub(super) protocol_name: String,
    pub(super) assignment: MemberAssignment,
    /// Partition counts of the subscribed topics when the round began.
    pub(super) topics: BTreeMap<String, usize>,
}

/// This member's own connection to its coordinator, for JoinGroup and
/// SyncGroup: the coordinator holds a JoinGroup until every member rejoined
/// (up to the rebalance timeout), and a broker answers a connection's
/// requests one at a time, so on the shared coordination connection it
/// would hold up the heartbeats and commits of other consumers of the same
/// client handle.
struct JoinLink {
    node_id: i32,
    connection: Connection,
}

/// The member's join connection: the one it has while it is open and the
/// coordinator has not moved, else a new one.
async fn join_connection(
    shared: &Shared,
    group: &Group,
    link: &mut Option<JoinLink>,
) -> Result<Connection, KrafkaError> {
    let coordinator = shared
        .cluster
        .coordinator(CoordinatorType::Group, &group.group_id)
        .await?;
    if let Some(current) = link.as_ref() {
        if current.node_id == coordinator.node_id && !current.connection.is_closed() {
            return Ok(current.connection.clone());
        }
    }
    let (node_id, connection) = shared
        .cluster
        .dedicated_coordinator_connection(CoordinatorType::Group, &group.group_id)
        .await?;
    *link = Some(JoinLink {
        node_id,
        connection: connection.clone(),
    });
    Ok(connection)
}

/// JoinGroup (repeated for MEMBER_ID_REQUIRED) and SyncGroup.
async fn join_round(
    shared: &Shared,
    group: &Group,
    owned: &BTreeSet<TopicPartition>,
    link: &mut Option<JoinLink>,
) -> Result<Joined, KrafkaError> {
    let _joining = Joining::start(group);
    let config = &shared.config;
    let topics = subscribed_topics(shared, group).await?;
    let subscription = Subscription {
        topics: topics.keys().cloned().collect(),
        user_data: None,
        owned_partitions: owned.iter().cloned().collect(),
        generation_id: Some(group.lock().generation_id).filter(|g| *g >= 0),
        rack_id: Some(config.client_rack.clone()).filter(|r| !r.is_empty()),
    };
    let protocols = group
        .assignors
        .iter()
        .map(|assignor| {
            let mine = Subscription {
                user_data: assignor.user_data(&subscription.topics),
                ..subscription.clone()
            };
            Ok(JoinGroupRequestProtocol {
                name: assignor.name().to_owned(),
                metadata: mine.encode(CONSUMER_PROTOCOL_VERSION)?,
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, KrafkaError>>()?;
    let connection = join_connection(shared, group, link).await?;
    let version = connection.version_for::<JoinGroupRequest>()?;
    if group.instance_id.is_some()
        && !JoinGroupRequest::GROUP_INSTANCE_ID_VERSIONS.contains(version)
    {
        return Err(KrafkaError::config(
            "`group.instance.id` needs a broker with JoinGroup v5 (Kafka 2.3) or later",
        ));
    }
    let rebalance_timeout = config.max_poll_interval;
    let limits = Limits {
        timeout: rebalance_timeout.saturating_add(JOIN_GRACE),
        ..connection.default_limits()
    };
    let response: JoinGroupResponse = loop {
        let request = JoinGroupRequest {
            group_id: group.group_id.clone(),
            session_timeout_ms: millis(config.session_timeout),
            rebalance_timeout_ms: millis(rebalance_timeout),
            member_id: group.lock().member_id.clone(),
            group_instance_id: group.instance_id.clone(),
            protocol_type: CONSUMER_PROTOCOL_TYPE.to_owned(),
            protocols: protocols.clone(),
            reason: Some("joining the group".to_owned()),
            ..Default::default()
        };
        let response = connection.send_with(&request, version, limits).await?;
        match ErrorCode::check(response.error_code) {
            Ok(()) => break response,
            Err(ErrorCode::MemberIdRequired) => {
                // KIP-394: the coordinator names the member id to join with.
                group.lock().member_id = response.member_id;
            }
            Err(_) => {
                KrafkaError::check_code(response.error_code, None)?;
            }
        }
    };
    let protocol_name = response.protocol_name.clone().unwrap_or_default();
    {
        let mut state = group.lock();
        state.member_id = response.member_id.clone();
        state.generation_id = response.generation_id;
    }
    // KIP-814: a static leader that rejoined keeps the group's assignment.
    let assignments = if response.leader == response.member_id && !response.skip_assignment {
        lead(shared, group, &protocol_name, &response).await?
    } else {
        Vec::new()
    };
    let sync = SyncGroupRequest {
        group_id: group.group_id.clone(),
        generation_id: response.generation_id,
        member_id: response.member_id.clone(),
        group_instance_id: group.instance_id.clone(),
        protocol_type: Some(CONSUMER_PROTOCOL_TYPE.to_owned()),
        protocol_name: Some(protocol_name.clone()),
        assignments,
        ..Default::default()
    };
    let version = connection.version_for::<SyncGroupRequest>()?;
    let synced = connection.send_with(&sync, version, limits).await?;
    KrafkaError::check_code(synced.error_code, None)?;
    let assignment = MemberAssignment::decode(&synced.assignment)?;
    Ok(Joined {
        generation_id: response.generation_id,
        member_id: response.member_id,
        protocol_name,
        assignment,
        topics,
    })
}

/// Marks the group as joining while it lives (a cancelled round included).
struct Joining<'a>(&'a Group);

impl<'a> Joining<'a> {
    fn start(group: &'a Group) -> Joining<'a> {
        group.lock().joining = true;
        Joining(group)
    }
}

impl Drop for Joining<'_> {
    fn drop(&mut self) {
        self.0.lock().joining = false;
    }
}

/// The leader's part: every member's assignment by the chosen assignor.
async fn lead(
    shared: &Shared,
    group: &Group,
    protocol_name: &str,
    response: &JoinGroupResponse,
) -> Result<Vec<SyncGroupRequestAssignment>, KrafkaError> {
    let assignor = group
        .assignors
        .iter()
        .find(|a| a.name() == protocol_name)
        .ok_or_else(|| {
            KrafkaError::protocol(
                "JoinGroup",
                format!(
                    "the group chose assignor `{protocol_name}`, which this member did not offer"
                ),
            )
        })?;
    let members = response
        .members
        .iter()
        .map(|m| {
            Ok(GroupMember {
                member_id: m.member_id.clone(),
                group_instance_id: m.group_instance_id.clone(),
                subscription: Subscription::decode(&m.metadata)?,
            })
        })
        .collect::<Result<Vec<_>, KrafkaError>>()?;
    let mut wanted: Vec<&str> = members
        .iter()
        .flat_map(|m| m.subscription.topics.iter().map(String::as_str))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let metadata = shared.cluster.add_topics(&wanted).await?;
    let rack_of = |node: &i32| metadata.brokers.get(node).and_then(|b| b.rack.clone());
    let topics = wanted
        .iter()
        .filter_map(|name| metadata.topic(name))
        .map(|topic| {
            let partitions = topic
                .partitions
                .iter()
                .map(|p| PartitionRacks {
                    partition: p.partition,
                    replica_racks: p.replicas.iter().filter_map(rack_of).collect(),
                })
                .collect();
            (topic.name.clone(), partitions)
        })
        .collect();
    let input = GroupAssignmentInput { members, topics };
    let assigned = assignor.assign(&input)?;
    tracing::debug!(group = %group.group_id, assignor = protocol_name, members = input.members.len(), "assigned the group as leader");
    input
        .members
        .iter()
        .map(|m| {
            let assignment = assigned.get(&m.member_id).cloned().unwrap_or_default();
            Ok(SyncGroupRequestAssignment {
                member_id: m.member_id.clone(),
                assignment: assignment.encode(CONSUMER_PROTOCOL_VERSION)?,
                ..Default::default()
            })
        })
        .collect()
}

/// Heartbeats, auto-commits and watches the subscription until the
/// membership must change. `known_topics` are the topics the join round
/// subscribed with: a topic that appeared since is a change too.
async fn stable(
    shared: &Shared,
    group: &Group,
    owned: &BTreeSet<TopicPartition>,
    mut known_topics: BTreeMap<String, usize>,
) -> Interrupt {
    let config = &shared.config;
    let auto_commit = config.enable_auto_commit;
    let mut next_heartbeat = tokio::time::Instant::now() + config.heartbeat_interval;
    let mut next_commit = tokio::time::Instant::now() + config.auto_commit_interval;
    let mut next_topic_check =
        tokio::time::Instant::now() + topic_check_interval(shared, group, &known_topics);
    let mut last_heartbeat = Instant::now();
    loop {
        let wake = if auto_commit {
            next_heartbeat.min(next_commit).min(next_topic_check)
        } else {
            next_heartbeat.min(next_topic_check)
        };
        tokio::select! {
            () = tokio::time::sleep_until(wake) => {}
            () = group.rejoin.notified() => return Interrupt::Rebalance,
        }
        if group.since_last_poll() > config.max_poll_interval {
            return Interrupt::PollTimeout;
        }
        let now = tokio::time::Instant::now();
        if auto_commit && now >= next_commit {
            next_commit = now + config.auto_commit_interval;
            if let Err(error) = commit_positions(shared, group, Some(owned)).await {
                tracing::debug!(group = %group.group_id, error = &error as &dyn std::error::Error, "auto-commit failed");
            }
        }
        if now >= next_topic_check {
            if let Ok(topics) = subscribed_topics(shared, group).await {
                if known_topics != topics {
                    tracing::info!(group = %group.group_id, "the subscribed topics changed: rejoining");
                    return Interrupt::Rebalance;
                }
                known_topics = topics;
            }
            next_topic_check = now + topic_check_interval(shared, group, &known_topics);
        }
        if now >= next_heartbeat {
            next_heartbeat = now + config.heartbeat_interval;
            match heartbeat(shared, group).await {
                Ok(()) => last_heartbeat = Instant::now(),
                Err(error) => match error.error_code() {
                    Some(ErrorCode::RebalanceInProgress) => return Interrupt::Rebalance,
                    Some(ErrorCode::UnknownMemberId) => {
                        return Interrupt::Lost {
                            reset_member_id: true,
                        };
                    }
                    Some(ErrorCode::IllegalGeneration) => {
                        return Interrupt::Lost {
                            reset_member_id: false,
                        };
                    }
                    _ if is_fatal(&error) => {
                        group.fail(error);
                        shared.records_ready.notify_waiters();
                        return Interrupt::Lost {
                            reset_member_id: false,
                        };
                    }
                    _ => {
                        tracing::debug!(group = %group.group_id, error = &error as &dyn std::error::Error, "heartbeat failed");
                        shared
                            .cluster
                            .invalidate_coordinator(CoordinatorType::Group, &group.group_id);
                        if last_heartbeat.elapsed() > config.session_timeout {
                            return Interrupt::Lost {
                                reset_member_id: false,
                            };
                        }
                        next_heartbeat = now + shared.cluster.config().retry_backoff;
                    }
                },
            }
        }
    }
}

async fn heartbeat(shared: &Shared, group: &Group) -> Result<(), KrafkaError> {
    let metadata = group.metadata();
    let request = HeartbeatRequest {
        group_id: metadata.group_id,
        generation_id: metadata.generation_id,
        member_id: metadata.member_id,
        group_instance_id: metadata.group_instance_id,
        ..Default::default()
    };
    let response = shared
        .cluster
        .send_to_coordinator(CoordinatorType::Group, &group.group_id, &request)
        .await?;
    KrafkaError::check_code(response.error_code, None)
}

fn forget_generation(group: &Group, reset_member_id: bool) {
    let mut state = group.lock();
    state.generation_id = -1;
    if reset_member_id {
        state.member_id.clear();
    }
}

/// LeaveGroup for a dynamic member (a static one stays registered until its
/// session times out, KIP-345); errors are only logged.
async fn leave(shared: &Shared, group: &Group, reason: &str) {
    let metadata = group.metadata();
    forget_generation(group, true);
    if metadata.group_instance_id.is_some() || metadata.member_id.is_empty() {
        return;
    }
    let result = async {
        let connection = shared
            .cluster
            .coordinator_connection(CoordinatorType::Group, &group.group_id)
            .await?;
        let version = connection.version_for::<LeaveGroupRequest>()?;
        // v3+ name members in a list (with a reason from v5), older ones one
        // member id; a field set outside its versions would not encode.
        let request = if LeaveGroupRequest::MEMBERS_VERSIONS.contains(version) {
            LeaveGroupRequest {
                group_id: group.group_id.clone(),
                members: vec![MemberIdentity {
                    member_id: metadata.member_id.clone(),
                    group_instance_id: None,
                    reason: Some(reason.to_owned()),
                    ..Default::default()
                }],
                ..Default::default()
            }
        } else {
            LeaveGroupRequest {
                group_id: group.group_id.clone(),
                member_id: metadata.member_id.clone(),
                ..Default::default()
            }
        };
        let response = connection.send(&request, version).await?;
        KrafkaError::check_code(response.error_code, None)?;
        response
            .members
            .iter()
            .try_for_each(|m| KrafkaError::check_code(m.error_code, None))
    }
    .await;
    if let Err(error) = result {
        tracing::warn!(group = %group.group_id, error = &error as &dyn std::error::Error, "LeaveGroup failed; the coordinator evicts the member after session.timeout.ms");
    }
}

/// Ends the membership of a closing or unsubscribing consumer: commits
/// (with `enable.auto.commit`), revokes, leaves.
pub(crate) async fn close_membership(consumer: &Consumer, group: &Group, reason: &str) {
    let shared = &consumer.shared;
    let owned: BTreeSet<TopicPartition> = shared.lock().partitions().iter().cloned().collect();
    let in_group = {
        let state = group.lock();
        state.fatal.is_none() && state.generation_id >= 0
    };
    if in_group {
        revoke(consumer, group, &owned, true).await;
    } else {
        remove_partitions(shared, &owned, true);
    }
    leave(shared, group, reason).await;
}

/// The subscribed topics that exist, with their partition counts.
async fn subscribed_topics(
    shared: &Shared,
    group: &Group,
) -> Result<BTreeMap<String, usize>, KrafkaError> {
    let Some(selection) = group.lock().selection.clone() else {
        return Ok(BTreeMap::new());
    };
    let names = if selection.needs_topic_list() {
        let all = crate::admin::Admin::on_cluster(shared.cluster.clone())
            .metadata::<&str>(None)
            .await?;
        selection.resolve(
            all.topics
                .values()
                .map(|t| (t.name.as_str(), t.is_internal)),
        )
    } else {
        selection.resolve([])
    };
    let metadata = shared.cluster.add_topics(&names).await?;
    Ok(names
        .iter()
        .filter_map(|name| metadata.topic(name))
        .map(|t| (t.name.clone(), t.partitions.len()))
        .collect())
}

/// How often a stable member looks for new topics and partitions:
/// `metadata.max.age.ms`, as Java refreshes a pattern subscription; but
/// while a topic named in the subscription is missing from `known` (not
/// created yet, or created a moment ago and not yet in the metadata of the
/// broker that answered) every `retry.backoff.max.ms`, so that it is
/// consumed soon after it appears.
fn topic_check_interval(
    shared: &Shared,
    group: &Group,
    known: &BTreeMap<String, usize>,
) -> Duration {
    let config = shared.cluster.config();
    let missing = match &group.lock().selection {
        Some(TopicSelection::Names(names)) => names.iter().any(|n| !known.contains_key(n)),
        _ => false,
    };
    if missing {
        config.retry_backoff_max.min(config.metadata_max_age)
    } else {
        config.metadata_max_age
    }
}

/// Errors after which the membership cannot go on.
fn is_fatal(error: &KrafkaError) -> bool {
    matches!(
        error.error_code(),
        Some(
            ErrorCode::FencedInstanceId
                | ErrorCode::GroupAuthorizationFailed
                | ErrorCode::InvalidSessionTimeout
                | ErrorCode::InconsistentGroupProtocol
                | ErrorCode::GroupMaxSizeReached
                | ErrorCode::InvalidGroupId
                | ErrorCode::UnsupportedVersion
        )
    ) || matches!(error.cause(), KrafkaError::Config(_))
}

fn millis(duration: Duration) -> i32 {
    i32::try_from(duration.as_millis()).unwrap_or(i32::MAX)
}
