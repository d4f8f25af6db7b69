//! Digesting a Fetch response, without I/O: the session follows it, each
//! partition's records are decoded (outside the consumer's lock), then its
//! answer is applied to the assignment (positions, buffered records,
//! errors, KIP-320 truncation, KIP-392 read replicas).
//!
//! The fetch tasks run this on every response; the fuzzing entry point
//! (`crate::fuzzing`) runs it on arbitrary bytes.

use std::sync::Arc;

use krafka_core::messages::FetchResponse;
use krafka_core::messages::fetch::PartitionData;
use krafka_core::{ErrorCode, KrafkaError};

use super::aborted::AbortedFilter;
use super::config::OffsetReset;
use super::decode::FetchedChunk;
use super::decode::scan_records;
use super::memory::Charge;
use super::pacing::Followup;
use super::record::TopicPartition;
use super::session::{FetchSession, WantedPartition};
use super::state::Assignment;
use super::validate::{FIRST_DIVERGING_EPOCH_VERSION, truncated_position};

/// One partition in a Fetch on the wire.
#[derive(Debug)]
pub(crate) struct InFlight {
    pub(crate) tp: TopicPartition,
    pub(crate) generation: u64,
    pub(crate) want: WantedPartition,
    /// Fetched from a follower (KIP-392) rather than the leader.
    pub(crate) from_follower: bool,
}

/// A Fetch response's partitions, each with its topic's name.
pub(crate) type NamedPartitions = Vec<(Arc<str>, PartitionData)>;

/// The partitions of a Fetch response, each named, and the bytes of
/// records they hold (what buffered records will pin in memory). The
/// session follows the response's id and epoch.
pub(crate) fn response_partitions(
    session: &mut FetchSession,
    response: FetchResponse,
    version: i16,
) -> Result<(NamedPartitions, usize), KrafkaError> {
    let partitions = session.handle_response(response, version)?;
    let records_bytes = partitions
        .iter()
        .filter_map(|(_, data)| data.records.as_ref().map(|r| r.0.len()))
        .sum();
    Ok((partitions, records_bytes))
}

/// Where in `batch` is the partition a response's partition answers.
pub(crate) fn find_in_flight(
    batch: &[InFlight],
    topic: &str,
    data: &PartitionData,
) -> Option<usize> {
    batch
        .iter()
        .position(|p| p.want.partition == data.partition_index && *p.want.topic == *topic)
}

/// One partition's records, decoded before the assignment is locked.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The leader says the log diverged (KIP-320): records are not used.
    diverged: bool,
    /// `None` when the answer carried no records.
    chunk: Option<Result<FetchedChunk, KrafkaError>>,
}

/// The consumer settings and broker a response is digested for.
#[derive(Debug, Clone)]
pub(crate) struct Digest {
    /// The broker answering.
    pub(crate) node: i32,
    /// `check.crcs`.
    pub(crate) check_crcs: bool,
    pub(crate) read_committed: bool,
    pub(crate) auto_offset_reset: OffsetReset,
}

impl Digest {
    /// Checks the batches of a partition that answered without error
    /// (taking them out of `data`; they are decompressed and decoded as the
    /// application takes them); `None` for an error answer.
    pub(crate) fn decode(
        &self,
        item: &InFlight,
        data: &mut PartitionData,
        version: i16,
    ) -> Option<Decoded> {
        if data.error_code != 0 {
            return None;
        }
        let diverged = version >= FIRST_DIVERGING_EPOCH_VERSION
            && (data.diverging_epoch.epoch >= 0 || data.diverging_epoch.end_offset >= 0);
        let records = data
            .records
            .take()
            .map(|r| r.0)
            .filter(|r| !r.is_empty() && !diverged);
        let chunk = records.map(|records| {
            let mut filter = self.read_committed.then(|| {
                AbortedFilter::new(
                    data.aborted_transactions
                        .iter()
                        .flatten()
                        .map(|a| (a.producer_id, a.first_offset)),
                )
            });
            scan_records(
                &item.want.topic,
                item.want.partition,
                records,
                item.want.fetch_offset,
                self.check_crcs,
                |batch| filter.as_mut().is_some_and(|f| f.skip_batch(batch)),
            )
        });
        Some(Decoded { diverged, chunk })
    }

    /// Applies one partition's answer (with what [`decode`](Self::decode)
    /// made of it) to the assignment.
    pub(crate) fn apply(
        &self,
        item: &InFlight,
        data: PartitionData,
        decoded: Option<Decoded>,
        charge: &Arc<Charge>,
        state: &mut Assignment,
    ) -> Followup {
        match ErrorCode::check(data.error_code) {
            Ok(()) => match decoded {
                Some(decoded) => self.apply_data(item, &data, decoded, charge, state),
                None => Followup::default(),
            },
            Err(ErrorCode::OffsetOutOfRange) => self.out_of_range(item, state),
            Err(code) if stale_leader(code) || code.is_retriable() => {
                tracing::debug!(tp = %item.tp, node = self.node, ?code, "fetch error: refreshing metadata");
                if let Some(partition) = state.get_mut(&item.tp) {
                    partition.preferred_replica = None;
                }
                Followup {
                    refresh_metadata: true,
                    backoff: true,
                    ..Followup::default()
                }
            }
            Err(code) => match state.get_mut(&item.tp) {
                Some(partition) if partition.generation == item.generation => {
                    partition.error = Some(KrafkaError::Broker {
                        code,
                        raw: data.error_code,
                        message: Some(format!("fetching {}", item.tp)),
                    });
                    Followup {
                        ready: true,
                        ..Followup::default()
                    }
                }
                _ => Followup::default(),
            },
        }
    }

    fn out_of_range(&self, item: &InFlight, state: &mut Assignment) -> Followup {
        let Some(partition) = state.get_mut(&item.tp) else {
            return Followup::default();
        };
        if item.from_follower {
            // The follower may lag: ask the leader before resetting.
            partition.preferred_replica = None;
            return Followup {
                wake_supervisor: true,
                ..Followup::default()
            };
        }
        if partition.generation != item.generation
            || partition.position != Some(item.want.fetch_offset)
        {
            return Followup::default();
        }
        if self.auto_offset_reset == OffsetReset::None {
            partition.error = Some(KrafkaError::OffsetOutOfRange {
                topic: item.tp.topic.clone(),
                partition: item.tp.partition,
                offset: item.want.fetch_offset,
            });
            return Followup {
                ready: true,
                ..Followup::default()
            };
        }
        tracing::debug!(tp = %item.tp, offset = item.want.fetch_offset, "offset out of range: resetting");
        let _ = state.seek(&item.tp, None, None);
        Followup {
            wake_supervisor: true,
            ..Followup::default()
        }
    }

    /// A partition answered without error: note its offsets, its preferred
    /// replica and a diverging epoch, and buffer its records.
    fn apply_data(
        &self,
        item: &InFlight,
        data: &PartitionData,
        decoded: Decoded,
        charge: &Arc<Charge>,
        state: &mut Assignment,
    ) -> Followup {
        let metadata_epoch = item.want.current_leader_epoch;
        let Some(partition) = state.get_mut(&item.tp) else {
            return Followup::default();
        };
        // The log's ends are facts about the partition, not the position:
        // keep them even from a response a seek made stale. (An incremental
        // fetch session will not repeat them while they do not change.)
        partition.high_watermark = Some(data.high_watermark);
        partition.last_stable_offset =
            (data.last_stable_offset >= 0).then_some(data.last_stable_offset);
        partition.log_start_offset = (data.log_start_offset >= 0).then_some(data.log_start_offset);
        if partition.generation != item.generation {
            return Followup::default();
        }
        partition.validated_epoch = Some(item.want.current_leader_epoch);
        // Only the leader picks a read replica; followers answer -1.
        if data.preferred_read_replica >= 0 && !item.from_follower {
            let replica = data.preferred_read_replica;
            partition.preferred_replica =
                (replica != self.node).then_some((replica, metadata_epoch));
            if replica != self.node {
                tracing::debug!(tp = %item.tp, replica, "fetching from the preferred read replica");
            }
        }
        if decoded.diverged {
            return self.truncate(item, data, state);
        }
        let Some(chunk) = decoded.chunk else {
            return Followup::default();
        };
        match chunk {
            Ok(mut chunk) => {
                let ready = chunk.has_batches();
                let progress = chunk.next_offset > item.want.fetch_offset;
                chunk.charge = Some(Arc::clone(charge));
                state.buffer_chunk(&item.tp, item.generation, item.want.fetch_offset, chunk);
                Followup {
                    ready,
                    progress,
                    ..Followup::default()
                }
            }
            Err(error) => {
                if let Some(partition) = state.get_mut(&item.tp) {
                    if partition.position == Some(item.want.fetch_offset) {
                        partition.error = Some(error);
                    }
                }
                Followup {
                    ready: true,
                    ..Followup::default()
                }
            }
        }
    }

    /// KIP-320: the leader says our log diverged from its log after
    /// `diverging_epoch`; move back to where they agree.
    fn truncate(&self, item: &InFlight, data: &PartitionData, state: &mut Assignment) -> Followup {
        let end = data.diverging_epoch.end_offset;
        let epoch = (data.diverging_epoch.epoch >= 0).then_some(data.diverging_epoch.epoch);
        let Some(partition) = state.get_mut(&item.tp) else {
            return Followup::default();
        };
        if partition.position != Some(item.want.fetch_offset) {
            return Followup::default();
        }
        if let Some(end) = truncated_position(item.want.fetch_offset, end) {
            if self.auto_offset_reset == OffsetReset::None {
                partition.error = Some(KrafkaError::LogTruncation {
                    topic: item.tp.topic.clone(),
                    partition: item.tp.partition,
                    offset: item.want.fetch_offset,
                    end,
                });
                return Followup {
                    ready: true,
                    ..Followup::default()
                };
            }
            tracing::info!(tp = %item.tp, from = item.want.fetch_offset, to = end, "log truncation detected: moving back");
            let _ = state.seek(&item.tp, Some(end), epoch);
        } else {
            partition.position_epoch = epoch;
        }
        Followup::default()
    }
}

/// Errors after which the partition's leader must be looked up again.
pub(crate) fn stale_leader(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::NotLeaderOrFollower
            | ErrorCode::UnknownTopicOrPartition
            | ErrorCode::FencedLeaderEpoch
            | ErrorCode::UnknownLeaderEpoch
            | ErrorCode::LeaderNotAvailable
            | ErrorCode::ReplicaNotAvailable
            | ErrorCode::KafkaStorageError
            | ErrorCode::OffsetNotAvailable
            | ErrorCode::UnknownTopicId
            | ErrorCode::InconsistentTopicId
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_leader_errors_are_the_kip_320_set() {
        for code in [
            ErrorCode::NotLeaderOrFollower,
            ErrorCode::UnknownTopicOrPartition,
            ErrorCode::FencedLeaderEpoch,
            ErrorCode::UnknownLeaderEpoch,
        ] {
            assert!(stale_leader(code), "{code:?}");
        }
        assert!(!stale_leader(ErrorCode::OffsetOutOfRange));
        assert!(!stale_leader(ErrorCode::TopicAuthorizationFailed));
    }
}
