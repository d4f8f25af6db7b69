//! Giving partitions a position from ListOffsets: `auto.offset.reset` for
//! partitions without one, and seeks to the beginning, end or a timestamp.

use krafka_core::KrafkaError;

use super::Shared;
use super::config::OffsetReset;
use super::offsets::{EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, list_offsets};
use super::record::TopicPartition;

/// Gives the partitions among `tps` that have no position (and no reset
/// underway) the one `auto.offset.reset` says. With `none` each gets an
/// error for the application instead.
pub(crate) async fn reset_positions(
    shared: &Shared,
    tps: &[TopicPartition],
) -> Result<(), KrafkaError> {
    let strategy = shared.config.auto_offset_reset;
    let mut claimed = Vec::new();
    {
        let mut state = shared.lock();
        for tp in tps {
            let Some(partition) = state.get_mut(tp) else {
                continue;
            };
            if partition.position.is_some() || partition.resetting {
                continue;
            }
            if strategy == OffsetReset::None {
                partition.error = Some(no_position(tp));
                continue;
            }
            partition.resetting = true;
            claimed.push((tp.clone(), partition.generation));
        }
    }
    if strategy == OffsetReset::None {
        shared.records_ready.notify_waiters();
        return Ok(());
    }
    if claimed.is_empty() {
        return Ok(());
    }
    let timestamp = if strategy == OffsetReset::Earliest {
        EARLIEST_TIMESTAMP
    } else {
        LATEST_TIMESTAMP
    };
    let query: Vec<(TopicPartition, i64)> = claimed
        .iter()
        .map(|(tp, _)| (tp.clone(), timestamp))
        .collect();
    let found = list_offsets(&shared.cluster, shared.config.isolation_level, &query).await;
    {
        let mut state = shared.lock();
        for (tp, generation) in &claimed {
            if let Some(partition) = state.get_mut(tp) {
                if partition.generation == *generation {
                    partition.resetting = false;
                }
            }
        }
        if let Ok(found) = &found {
            for ((tp, generation), (_, offset)) in claimed.iter().zip(found) {
                let current = state.get(tp).map(|p| (p.generation, p.position));
                if current != Some((*generation, None)) {
                    continue; // sought or re-assigned meanwhile
                }
                if let Some(offset) = offset {
                    tracing::debug!(%tp, offset = offset.offset, ?strategy, "position reset");
                    state.seek(tp, Some(offset.offset), None)?;
                }
            }
        }
    }
    shared.wake_fetchers();
    found.map(|_| ())
}

/// Seeks each partition to the first offset at or after `timestamp` (or the
/// special earliest/latest timestamps); past the last record, to the end.
pub(crate) async fn seek_by_timestamp(
    shared: &Shared,
    tps: &[TopicPartition],
    timestamp: i64,
) -> Result<(), KrafkaError> {
    let isolation = shared.config.isolation_level;
    let query: Vec<(TopicPartition, i64)> = tps.iter().map(|tp| (tp.clone(), timestamp)).collect();
    let found = list_offsets(&shared.cluster, isolation, &query).await?;
    let missing: Vec<(TopicPartition, i64)> = found
        .iter()
        .filter(|(_, offset)| offset.is_none())
        .map(|(tp, _)| (tp.clone(), LATEST_TIMESTAMP))
        .collect();
    let ends = if missing.is_empty() {
        Vec::new()
    } else {
        list_offsets(&shared.cluster, isolation, &missing).await?
    };
    {
        let mut state = shared.lock();
        for (tp, offset) in found.into_iter().chain(ends) {
            let Some(offset) = offset else {
                continue;
            };
            state.seek(&tp, Some(offset.offset), None)?;
        }
    }
    shared.wake_fetchers();
    Ok(())
}

fn no_position(tp: &TopicPartition) -> KrafkaError {
    KrafkaError::NoOffsetForPartition {
        topic: tp.topic.clone(),
        partition: tp.partition,
    }
}
