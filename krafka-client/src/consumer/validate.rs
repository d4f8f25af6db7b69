//! KIP-320 for brokers whose Fetch cannot report a diverging epoch (before
//! v12): after a leader change, OffsetForLeaderEpoch asks the new leader
//! where the epoch of the position's last record ends in its log; a
//! position past that end is in a log the new leader does not have, and
//! moves back (or, under `auto.offset.reset=none`, fails).

use krafka_core::messages::OffsetForLeaderEpochRequest;
use krafka_core::messages::fetch::PartitionData;
use krafka_core::messages::offset_for_leader_epoch::{
    OffsetForLeaderPartition, OffsetForLeaderTopic,
};
use krafka_core::{ErrorCode, KrafkaError};

use super::Shared;
use super::config::OffsetReset;
use super::record::{TopicPartition, group_by_topic};
use super::state::PartitionState;
use crate::connection::Connection;

/// The first Fetch version whose responses carry `diverging_epoch`.
pub(crate) const FIRST_DIVERGING_EPOCH_VERSION: i16 = PartitionData::DIVERGING_EPOCH_VERSIONS.min;

/// Whether `partition`'s position must be validated before fetching under
/// `leader_epoch`: it was last fetched under another leader epoch and the
/// epoch of its last record is known.
pub(crate) fn needs_validation(partition: &PartitionState, leader_epoch: i32) -> bool {
    leader_epoch >= 0
        && partition.position_epoch.is_some()
        && partition
            .validated_epoch
            .is_some_and(|validated| validated != leader_epoch)
}

/// Where a position goes once the leader says its epoch ends at
/// `end_offset`: back to the end offset when the position is past it.
pub(crate) fn truncated_position(position: i64, end_offset: i64) -> Option<i64> {
    (end_offset >= 0 && end_offset < position).then_some(end_offset)
}

/// One partition to validate: its generation, position and the epochs.
pub(crate) struct Unvalidated {
    pub(crate) tp: TopicPartition,
    pub(crate) generation: u64,
    pub(crate) position: i64,
    pub(crate) position_epoch: i32,
    pub(crate) current_leader_epoch: i32,
}

/// Validates `partitions` with the leader on `connection`. Returns whether
/// the metadata looks stale (the leader moved again).
pub(crate) async fn validate_positions(
    shared: &Shared,
    connection: &Connection,
    partitions: &[Unvalidated],
) -> Result<bool, KrafkaError> {
    let asked = partitions.iter().map(|p| {
        let partition = OffsetForLeaderPartition {
            partition: p.tp.partition,
            current_leader_epoch: p.current_leader_epoch,
            leader_epoch: p.position_epoch,
            ..Default::default()
        };
        (p.tp.topic.as_str(), partition)
    });
    let request = OffsetForLeaderEpochRequest {
        replica_id: -1,
        topics: group_by_topic(asked, |topic, partitions| OffsetForLeaderTopic {
            topic,
            partitions,
            ..Default::default()
        }),
        ..Default::default()
    };
    let response = connection.send_negotiated(&request).await?;
    let mut stale = false;
    let mut state = shared.lock();
    for p in partitions {
        let answer = response
            .topics
            .iter()
            .filter(|t| t.topic == p.tp.topic)
            .flat_map(|t| t.partitions.iter())
            .find(|a| a.partition == p.tp.partition);
        let Some(answer) = answer else { continue };
        if let Err(code) = ErrorCode::check(answer.error_code) {
            stale |= code.invalidates_metadata() || code == ErrorCode::UnknownLeaderEpoch;
            continue;
        }
        let Some(partition) = state.get_mut(&p.tp) else {
            continue;
        };
        if partition.generation != p.generation || partition.position != Some(p.position) {
            continue;
        }
        partition.validated_epoch = Some(p.current_leader_epoch);
        let Some(end) = truncated_position(p.position, answer.end_offset) else {
            continue;
        };
        if shared.config.auto_offset_reset == OffsetReset::None {
            partition.error = Some(KrafkaError::LogTruncation {
                topic: p.tp.topic.clone(),
                partition: p.tp.partition,
                offset: p.position,
                end,
            });
            continue;
        }
        tracing::info!(tp = %p.tp, from = p.position, to = end, "log truncation detected: moving back");
        let epoch = (answer.leader_epoch >= 0).then_some(answer.leader_epoch);
        state.seek(&p.tp, Some(end), epoch)?;
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_leader_epoch_needs_validation_once_the_position_has_an_epoch() {
        use super::super::state::Assignment;
        let tp = TopicPartition::new("t", 0);
        let mut a = Assignment::default();
        a.assign([tp.clone()]);
        a.seek(&tp, Some(10), None).unwrap();
        let p = a.get_mut(&tp).unwrap();
        assert!(!needs_validation(p, 5), "never fetched");
        p.validated_epoch = Some(5);
        assert!(!needs_validation(p, 6), "no epoch for the position yet");
        p.position_epoch = Some(5);
        assert!(!needs_validation(p, 5));
        assert!(needs_validation(p, 6));
        assert!(!needs_validation(p, -1), "leader epoch unknown");
        a.seek(&tp, Some(3), Some(5)).unwrap();
        assert!(
            !needs_validation(a.get(&tp).unwrap(), 6),
            "a seek starts afresh"
        );
    }

    #[test]
    fn positions_past_the_epoch_end_move_back() {
        assert_eq!(truncated_position(100, 80), Some(80));
        assert_eq!(truncated_position(100, 100), None);
        assert_eq!(truncated_position(100, 150), None);
        assert_eq!(truncated_position(100, -1), None, "unknown epoch: keep");
    }
}
