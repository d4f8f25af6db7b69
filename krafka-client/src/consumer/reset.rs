//! Giving partitions a position from ListOffsets: `auto.offset.reset` for
//! partitions without one, and seeks to the beginning, end or a timestamp.
//!
//! A partition whose leader is unavailable must not hold the others back:
//! each lookup is one round, the partitions that answer get their position
//! at once, and the others stay without one. The supervisor's background
//! reset retries those (with backoff) until their leader answers; meanwhile
//! the other partitions are fetched and handed out.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use krafka_core::KrafkaError;

use super::Shared;
use super::config::OffsetReset;
use super::offsets::{EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, list_offsets_now};
use super::record::TopicPartition;

/// The partitions a reset could not give a position now, with why (a
/// retriable error: their leader is unknown or did not answer).
pub(crate) type Unavailable = Vec<(TopicPartition, KrafkaError)>;

/// The background resets' backoff, shared by all partitions: while it
/// runs, the supervisor starts no reset (a leaderless partition would
/// otherwise be looked up at every wake).
#[derive(Debug, Default)]
pub(crate) struct ResetBackoff {
    waiting: AtomicBool,
    attempts: AtomicU32,
}

impl ResetBackoff {
    /// Whether background resets wait for now.
    pub(crate) fn waiting(&self) -> bool {
        self.waiting.load(Ordering::Acquire)
    }

    /// Starts a backoff period; the attempt number to size it with.
    pub(crate) fn begin(&self) -> u32 {
        self.waiting.store(true, Ordering::Release);
        self.attempts.fetch_add(1, Ordering::AcqRel)
    }

    /// Ends the backoff period.
    pub(crate) fn end(&self) {
        self.waiting.store(false, Ordering::Release);
    }

    /// Every background reset answered: the next failure starts short.
    pub(crate) fn succeeded(&self) {
        self.attempts.store(0, Ordering::Release);
    }
}

/// Gives the partitions among `tps` that have no position (and no reset
/// underway) one: a pending seek's, else the one `auto.offset.reset` says.
/// With `none` (and no pending seek) each gets an error for the
/// application instead. Returns the partitions whose leader did not answer
/// now; they keep no position until a later reset.
pub(crate) async fn reset_positions(
    shared: &Shared,
    tps: &[TopicPartition],
) -> Result<Unavailable, KrafkaError> {
    let strategy = shared.config.auto_offset_reset;
    let mut claimed = Vec::new();
    let mut refused = false;
    {
        let mut state = shared.lock();
        for tp in tps {
            let Some(partition) = state.get_mut(tp) else {
                continue;
            };
            if partition.position.is_some() || partition.resetting {
                continue;
            }
            let target = partition.pending_seek.or(match strategy {
                OffsetReset::Earliest => Some(EARLIEST_TIMESTAMP),
                OffsetReset::Latest => Some(LATEST_TIMESTAMP),
                OffsetReset::None => None,
            });
            let Some(timestamp) = target else {
                partition.error = Some(no_position(tp));
                refused = true;
                continue;
            };
            partition.resetting = true;
            claimed.push(Claimed {
                tp: tp.clone(),
                generation: partition.generation,
                timestamp,
            });
        }
    }
    if refused {
        shared.records_ready.notify_waiters();
    }
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    resolve(shared, claimed).await
}

/// Seeks each partition to the first offset at or after `timestamp` (or the
/// special earliest/latest timestamps); past the last record, to the end.
/// Partitions whose leader is unavailable keep the seek pending (they have
/// no position until the background reset resolves it).
pub(crate) async fn seek_by_timestamp(
    shared: &Shared,
    tps: &[TopicPartition],
    timestamp: i64,
) -> Result<(), KrafkaError> {
    let mut claimed = Vec::new();
    {
        let mut state = shared.lock();
        for tp in tps {
            state.seek(tp, None, None)?;
            let Some(partition) = state.get_mut(tp) else {
                continue;
            };
            partition.pending_seek = Some(timestamp);
            partition.resetting = true;
            claimed.push(Claimed {
                tp: tp.clone(),
                generation: partition.generation,
                timestamp,
            });
        }
    }
    let unavailable = resolve(shared, claimed).await?;
    for (tp, error) in &unavailable {
        tracing::debug!(
            %tp,
            error = error as &dyn std::error::Error,
            "seek pending until the partition's leader answers"
        );
    }
    Ok(())
}

/// A partition claimed for a reset (marked `resetting`).
struct Claimed {
    tp: TopicPartition,
    generation: u64,
    timestamp: i64,
}

/// Looks the claimed partitions' offsets up (one round), sets the
/// positions found, and releases the claims.
async fn resolve(shared: &Shared, claimed: Vec<Claimed>) -> Result<Unavailable, KrafkaError> {
    let looked_up = lookup(shared, &claimed).await;
    {
        let mut state = shared.lock();
        for item in &claimed {
            if let Some(partition) = state.get_mut(&item.tp) {
                if partition.generation == item.generation {
                    partition.resetting = false;
                }
            }
        }
        if let Ok((found, _)) = &looked_up {
            for (tp, offset) in found {
                let still_wanted = claimed.iter().any(|item| {
                    item.tp == *tp
                        && state.get(tp).map(|p| (p.generation, p.position))
                            == Some((item.generation, None))
                });
                if still_wanted {
                    tracing::debug!(%tp, offset, "position reset");
                    state.seek(tp, Some(*offset), None)?;
                }
            }
        }
    }
    shared.wake_fetchers();
    looked_up.map(|(_, unavailable)| unavailable)
}

/// The offset for each claimed partition that answered (a timestamp past
/// the last record: the end), and those that did not.
async fn lookup(
    shared: &Shared,
    claimed: &[Claimed],
) -> Result<(Vec<(TopicPartition, i64)>, Unavailable), KrafkaError> {
    let isolation = shared.config.isolation_level;
    let query: Vec<(TopicPartition, i64)> = claimed
        .iter()
        .map(|item| (item.tp.clone(), item.timestamp))
        .collect();
    let (answers, unanswered) = list_offsets_now(&shared.cluster, isolation, &query).await?;
    let mut unavailable: Unavailable = unanswered
        .into_iter()
        .map(|(tp, _, error)| (tp, error))
        .collect();
    let mut found = Vec::new();
    let mut past_end = Vec::new();
    for (tp, timestamp, offset) in answers {
        match offset {
            Some(offset) => found.push((tp, offset.offset)),
            // No record at or after the timestamp: the end.
            None if timestamp >= 0 => past_end.push((tp, LATEST_TIMESTAMP)),
            // Earliest or latest without an offset: left for another reset.
            None => {}
        }
    }
    if !past_end.is_empty() {
        let (ends, unanswered) = list_offsets_now(&shared.cluster, isolation, &past_end).await?;
        found.extend(
            ends.into_iter()
                .filter_map(|(tp, _, offset)| Some((tp, offset?.offset))),
        );
        unavailable.extend(unanswered.into_iter().map(|(tp, _, error)| (tp, error)));
    }
    Ok((found, unavailable))
}

fn no_position(tp: &TopicPartition) -> KrafkaError {
    KrafkaError::NoOffsetForPartition {
        topic: tp.topic.clone(),
        partition: tp.partition,
    }
}
