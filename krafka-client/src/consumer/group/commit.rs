//! Committing offsets as a member: with the generation and member id the
//! last join gave, refused at once while the member rejoins.

use std::collections::BTreeSet;

use krafka_core::{ErrorCode, KrafkaError};

use super::Group;
use super::committed::{self, Member};
use crate::consumer::Shared;
use crate::consumer::record::{OffsetAndMetadata, TopicPartition};

/// Commits the positions of `partitions` (all assigned with `None`) that
/// have one, with the member's generation.
pub(crate) async fn commit_positions(
    shared: &Shared,
    group: &Group,
    partitions: Option<&BTreeSet<TopicPartition>>,
) -> Result<(), KrafkaError> {
    let offsets: Vec<(TopicPartition, OffsetAndMetadata)> = {
        let state = shared.lock();
        state
            .iter()
            .filter(|(tp, _)| partitions.is_none_or(|only| only.contains(tp)))
            .filter_map(|(tp, p)| {
                let offset = p.position?;
                Some((
                    tp.clone(),
                    OffsetAndMetadata {
                        offset,
                        leader_epoch: p.position_epoch,
                        metadata: String::new(),
                    },
                ))
            })
            .collect()
    };
    commit_offsets(shared, group, &offsets).await
}

/// Commits `offsets` with the member's generation and id.
pub(crate) async fn commit_offsets(
    shared: &Shared,
    group: &Group,
    offsets: &[(TopicPartition, OffsetAndMetadata)],
) -> Result<(), KrafkaError> {
    if offsets.is_empty() {
        return Ok(());
    }
    if group.lock().joining {
        // As Java's consumer: the broker answers one request of a connection
        // at a time, so the commit would wait behind the JoinGroup (for the
        // slowest member to rejoin) only to be refused for the generation
        // that JoinGroup ends; meanwhile the application could not poll the
        // partitions a cooperative rebalance lets it keep.
        return Err(KrafkaError::Broker {
            code: ErrorCode::RebalanceInProgress,
            raw: ErrorCode::RebalanceInProgress.code(),
            message: Some(format!(
                "group {} is rebalancing: commit again once it has its new assignment",
                group.group_id
            )),
        });
    }
    let metadata = group.metadata();
    if group.lock().running && metadata.generation_id < 0 {
        return Err(KrafkaError::state(format!(
            "cannot commit: the member is not in group {} now (it is rebalancing, or it left or was evicted and its partitions went to other members)",
            group.group_id
        )));
    }
    let member = Member {
        generation_id: metadata.generation_id,
        member_id: &metadata.member_id,
        group_instance_id: metadata.group_instance_id.as_deref(),
    };
    committed::commit(&shared.cluster, &group.group_id, &member, offsets).await
}
