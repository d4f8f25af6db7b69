//! Applying an assignment to the consumer's partitions: revoking what
//! moves away (committing first with `enable.auto.commit`), losing a
//! generation's partitions, and starting new partitions at their committed
//! offsets. The rebalance listener hears each step before the next.

use std::collections::BTreeSet;
use std::sync::Arc;

use krafka_core::KrafkaError;

use super::Group;
use super::assignor::RebalanceProtocol;
use super::commit::commit_positions;
use super::committed;
use super::listener::RebalanceListener;
use super::member::Joined;
use crate::consumer::config::IsolationLevel;
use crate::consumer::record::TopicPartition;
use crate::consumer::{Consumer, Shared, reset};

/// Applies a new assignment; whether to rejoin at once (a cooperative
/// rebalance that revoked partitions needs its second round).
pub(super) async fn apply_assignment(
    consumer: &Consumer,
    group: &Arc<Group>,
    owned: &mut BTreeSet<TopicPartition>,
    joined: Joined,
) -> bool {
    let shared = &consumer.shared;
    let subscribed: BTreeSet<&str> = joined.topics.keys().map(String::as_str).collect();
    let assigned: BTreeSet<TopicPartition> = joined
        .assignment
        .partitions
        .iter()
        .filter(|tp| subscribed.contains(tp.topic.as_str()))
        .cloned()
        .collect();
    if assigned.len() != joined.assignment.partitions.len() {
        tracing::warn!(group = %group.group_id, "the leader assigned partitions of topics this member does not subscribe to; ignoring them");
    }
    if let Some(assignor) = group
        .assignors
        .iter()
        .find(|a| a.name() == joined.protocol_name)
    {
        assignor.on_assignment(&joined.assignment, joined.generation_id);
    }
    let revoked: Vec<TopicPartition> = owned.difference(&assigned).cloned().collect();
    let added: Vec<TopicPartition> = assigned.difference(owned).cloned().collect();
    if !revoked.is_empty() {
        let revoked_set: BTreeSet<TopicPartition> = revoked.iter().cloned().collect();
        revoke(consumer, group, &revoked_set, false).await;
    }
    *owned = assigned;
    tracing::info!(
        group = %group.group_id,
        generation = joined.generation_id,
        member = %joined.member_id,
        assigned = owned.len(),
        added = added.len(),
        revoked = revoked.len(),
        "joined the group"
    );
    let listener = listener(group);
    {
        let mut state = shared.lock();
        state.assign(owned.iter().cloned());
        // Held back from `auto.offset.reset` until the committed offsets
        // are known (the fetch tasks reset partitions without a position),
        // and from fetching until the listener has heard of them.
        for tp in &added {
            if let Some(partition) = state.get_mut(tp) {
                partition.resetting = true;
                partition.awaiting_listener = listener.is_some();
            }
        }
    }
    if let Err(error) = start_positions(shared, group, &added).await {
        // Without a position a partition is not fetched: keep trying in the
        // background (heartbeats go on) rather than start it anywhere but
        // at its commit.
        tracing::warn!(group = %group.group_id, error = &error as &dyn std::error::Error, "could not give the new partitions their positions; retrying");
        let retry = tokio::spawn(retry_start_positions(
            Arc::clone(shared),
            Arc::clone(group),
            added.clone(),
            joined.generation_id,
        ));
        shared.add_task(retry.abort_handle());
    }
    if let Some(listener) = listener {
        listener.on_partitions_assigned(consumer, &added).await;
        let mut state = shared.lock();
        for tp in &added {
            if let Some(partition) = state.get_mut(tp) {
                partition.awaiting_listener = false;
            }
        }
    }
    shared.wake_fetchers();
    // KIP-429: what was revoked goes to its new owner in a second round.
    group.protocol == RebalanceProtocol::Cooperative && !revoked.is_empty()
}

/// New partitions (held back from resets while this runs) start at their
/// committed offsets, the others where `auto.offset.reset` says. On an
/// error they stay held back, for a later attempt.
async fn start_positions(
    shared: &Shared,
    group: &Group,
    added: &[TopicPartition],
) -> Result<(), KrafkaError> {
    if added.is_empty() {
        return Ok(());
    }
    let require_stable = shared.config.isolation_level == IsolationLevel::ReadCommitted;
    let committed = committed::fetch_committed(
        &shared.cluster,
        &group.group_id,
        Some(added),
        require_stable,
    )
    .await?;
    {
        let mut state = shared.lock();
        for tp in added {
            let Some(partition) = state.get_mut(tp) else {
                continue; // revoked meanwhile
            };
            partition.resetting = false;
            if partition.position.is_some() {
                continue; // the application sought meanwhile
            }
            if let Some(offset) = committed.get(tp) {
                tracing::debug!(%tp, offset = offset.offset, "starting from the committed offset");
                state.seek(tp, Some(offset.offset), offset.leader_epoch)?;
            }
        }
    }
    // Partitions whose leader is unavailable get their position later, in
    // the background; the others are fetched meanwhile.
    reset::reset_positions(shared, added).await.map(|_| ())
}

/// [`start_positions`] again until it succeeds, the generation ends or the
/// consumer closes.
async fn retry_start_positions(
    shared: Arc<Shared>,
    group: Arc<Group>,
    added: Vec<TopicPartition>,
    generation_id: i32,
) {
    loop {
        tokio::time::sleep(shared.cluster.config().retry_backoff_max).await;
        if shared.is_closed() || group.lock().generation_id != generation_id {
            return;
        }
        match start_positions(&shared, &group, &added).await {
            Ok(()) => {
                shared.wake_fetchers();
                return;
            }
            Err(error) => {
                tracing::warn!(group = %group.group_id, error = &error as &dyn std::error::Error, "still no positions for the new partitions; retrying");
            }
        }
    }
}

/// Revokes `partitions`: commits their positions first with
/// `enable.auto.commit`, tells the listener, stops handing them out.
pub(super) async fn revoke(
    consumer: &Consumer,
    group: &Group,
    partitions: &BTreeSet<TopicPartition>,
    all: bool,
) {
    let shared = &consumer.shared;
    if shared.config.enable_auto_commit {
        if let Err(error) = commit_positions(shared, group, Some(partitions)).await {
            tracing::warn!(group = %group.group_id, error = &error as &dyn std::error::Error, "commit before revocation failed");
        }
    }
    let revoked: Vec<TopicPartition> = partitions.iter().cloned().collect();
    if let Some(listener) = listener(group) {
        listener.on_partitions_revoked(consumer, &revoked).await;
    }
    remove_partitions(shared, partitions, all);
}

/// The generation is over: the listener hears the partitions are lost,
/// and they are no longer handed out (nothing is committed).
pub(super) async fn lose(consumer: &Consumer, group: &Group, owned: &mut BTreeSet<TopicPartition>) {
    let lost: Vec<TopicPartition> = owned.iter().cloned().collect();
    if let Some(listener) = listener(group) {
        listener.on_partitions_lost(consumer, &lost).await;
    }
    remove_partitions(&consumer.shared, owned, true);
    owned.clear();
}

pub(super) fn remove_partitions(shared: &Shared, partitions: &BTreeSet<TopicPartition>, all: bool) {
    let mut state = shared.lock();
    let keep: Vec<TopicPartition> = if all {
        Vec::new()
    } else {
        state
            .partitions()
            .iter()
            .filter(|tp| !partitions.contains(tp))
            .cloned()
            .collect()
    };
    state.assign(keep);
    drop(state);
    shared.wake_fetchers();
}

fn listener(group: &Group) -> Option<Arc<dyn RebalanceListener>> {
    group.lock().listener.clone()
}
