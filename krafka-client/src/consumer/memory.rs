//! Accounting of the fetched data the consumer holds for records it has not
//! handed out yet.
//!
//! Two things are counted, each from when it is made until it goes:
//!
//! - every Fetch response whole (its `records` fields), from when it is
//!   buffered until the last of its partitions' chunks is done, as records
//!   of uncompressed batches are slices of it;
//! - the decompressed chunk each open compressed batch reads its next
//!   records from (one batch at a time per partition, as the application
//!   reaches it; a chunk is 256 KiB, or one record when that is larger),
//!   until the next chunk replaces it or the batch's last record is handed
//!   out.
//!
//! Decoded records are not counted: they are made one at a time as the
//! application takes them, and their headers are read from the batch's bytes
//! when asked for. No chunk is decompressed ahead of the application while
//! the count is at the budget (`krafka.fetch.buffer.max.bytes`, at most
//! `fetch.max.bytes`).
//!
//! A Fetch asks the broker for the room the budget leaves when it is sent
//! (its `max_bytes`); the room is reserved only while the request is made,
//! not while it is out (a long poll holding it starved the other brokers'
//! fetch tasks), so fetches of several brokers may together bring up to
//! brokers x the budget. A fetch task sends a Fetch only when a quarter of
//! the budget is free (or nothing is held), so each response is worth its
//! round trip; the broker exceeds `max_bytes` by at most one batch (KIP-74),
//! so with one broker the count stays within the budget plus one batch.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bytes of fetched data held for records not handed out yet.
#[derive(Debug, Default, Clone)]
pub(crate) struct BufferedMemory(Arc<Counts>);

#[derive(Debug, Default)]
pub(crate) struct Counts {
    now: AtomicUsize,
    /// Room reserved by the fetches in flight.
    reserved: AtomicUsize,
    /// A fetch task found no room and waits to be woken.
    waiting: AtomicBool,
    /// The most counted at once.
    peak: AtomicUsize,
}

impl BufferedMemory {
    /// The bytes counted now.
    pub(crate) fn bytes(&self) -> usize {
        self.0.now.load(Ordering::SeqCst)
    }

    /// The most bytes counted at once so far.
    pub(crate) fn peak(&self) -> usize {
        self.0.peak.load(Ordering::SeqCst)
    }

    /// Whether a Fetch may be sent: nothing is held or reserved, or at
    /// least a quarter of `budget` is free.
    pub(crate) fn may_fetch(&self, budget: usize) -> bool {
        let held = self.held();
        held == 0 || budget.saturating_sub(held) >= min_room(budget)
    }

    /// Whether a fetch task waits for room that is there now; it is then
    /// no longer marked as waiting (the caller wakes the fetch tasks).
    pub(crate) fn wake_waiting(&self, budget: usize) -> bool {
        self.0.waiting.load(Ordering::SeqCst)
            && self.may_fetch(budget)
            && self.0.waiting.swap(false, Ordering::SeqCst)
    }

    /// What is counted and reserved.
    fn held(&self) -> usize {
        self.0
            .now
            .load(Ordering::SeqCst)
            .saturating_add(self.0.reserved.load(Ordering::SeqCst))
    }

    /// Reserves what `budget` leaves free (at most `max`) for a Fetch, if
    /// [`may_fetch`](Self::may_fetch); the room is the Fetch's `max_bytes`.
    ///
    /// Without room the caller is marked as waiting (before a last look,
    /// so that room made meanwhile is either seen here or answered by
    /// [`wake_waiting`](Self::wake_waiting)).
    pub(crate) fn reserve(&self, budget: usize, max: usize) -> Option<Reservation> {
        let mut reserved = self.0.reserved.load(Ordering::SeqCst);
        let mut marked = false;
        loop {
            let held = self.0.now.load(Ordering::SeqCst).saturating_add(reserved);
            let free = budget.saturating_sub(held);
            if held != 0 && free < min_room(budget) {
                if marked {
                    return None;
                }
                self.0.waiting.store(true, Ordering::SeqCst);
                marked = true;
                reserved = self.0.reserved.load(Ordering::SeqCst);
                continue;
            }
            let bytes = free.min(max).max(1);
            match self.0.reserved.compare_exchange_weak(
                reserved,
                reserved.saturating_add(bytes),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => {
                    return Some(Reservation {
                        bytes,
                        memory: Arc::clone(&self.0),
                    });
                }
                Err(now) => reserved = now,
            }
        }
    }

    /// Counts `bytes` until the returned charge is dropped.
    pub(crate) fn charge(&self, bytes: usize) -> Charge {
        let now = self.0.now.fetch_add(bytes, Ordering::SeqCst) + bytes;
        self.0.peak.fetch_max(now, Ordering::SeqCst);
        Charge {
            bytes,
            memory: Arc::clone(&self.0),
        }
    }
}

/// The least room worth a Fetch: a quarter of the budget.
fn min_room(budget: usize) -> usize {
    (budget / 4).max(1)
}

/// Room held for a Fetch in flight while this lives.
#[derive(Debug)]
pub(crate) struct Reservation {
    bytes: usize,
    memory: Arc<Counts>,
}

impl Reservation {
    /// The room reserved: the Fetch's `max_bytes`.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.memory.reserved.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

/// Some bytes counted in [`BufferedMemory`] while this lives.
#[derive(Debug)]
pub(crate) struct Charge {
    bytes: usize,
    memory: Arc<Counts>,
}

impl Charge {
    /// The bytes this charge counts.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.memory.now.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_charge_counts_until_its_last_holder_goes() {
        let memory = BufferedMemory::default();
        let charge = Arc::new(memory.charge(1000));
        let first_chunk = Arc::clone(&charge);
        let second_chunk = Arc::clone(&charge);
        drop(charge);
        let batch = memory.charge(24);
        assert_eq!(memory.bytes(), 1024);
        drop(first_chunk);
        assert_eq!(memory.bytes(), 1024);
        drop(second_chunk);
        assert_eq!(memory.bytes(), 24);
        assert_eq!(batch.bytes(), 24);
        drop(batch);
        assert_eq!(memory.bytes(), 0);
        assert_eq!(memory.peak(), 1024, "the most at once, not the sum");
    }

    #[test]
    fn fetches_reserve_what_the_budget_leaves_until_a_quarter_is_left() {
        let memory = BufferedMemory::default();
        let budget = 1000;
        let first = memory.reserve(budget, 300).unwrap();
        assert_eq!(first.bytes(), 300, "capped by fetch.max.bytes");
        let second = memory.reserve(budget, 10_000).unwrap();
        assert_eq!(second.bytes(), 700, "what the first one left");
        assert!(memory.reserve(budget, 10_000).is_none());
        assert!(!memory.may_fetch(budget));
        assert_eq!(memory.bytes(), 0, "reservations are not buffered data");

        // The response is counted, then its reservation goes.
        let response = memory.charge(280);
        drop(first);
        assert!(!memory.may_fetch(budget));
        drop(second);
        // 280 held: 720 free.
        assert!(memory.may_fetch(budget));
        let third = memory.reserve(budget, 10_000).unwrap();
        assert_eq!(third.bytes(), 720);
        drop(third);

        let most = memory.charge(760);
        assert!(!memory.may_fetch(budget), "less than a quarter free");
        assert!(memory.reserve(budget, 10_000).is_none());
        drop(response);
        assert!(!memory.may_fetch(budget), "240 free: under a quarter");
        drop(most);
        assert!(memory.may_fetch(budget));
        assert_eq!(memory.bytes(), 0);
    }

    #[test]
    fn a_fetch_task_without_room_is_woken_once_there_is_room() {
        let memory = BufferedMemory::default();
        let budget = 1000;
        assert!(!memory.wake_waiting(budget), "nobody waits");
        let response = memory.charge(900);
        assert!(memory.reserve(budget, 1000).is_none());
        assert!(!memory.wake_waiting(budget), "no room yet");
        drop(response);
        assert!(memory.wake_waiting(budget));
        assert!(!memory.wake_waiting(budget), "woken once");
    }

    #[test]
    fn an_empty_buffer_always_fetches() {
        let memory = BufferedMemory::default();
        // A budget too small for any room still lets one Fetch through,
        // which brings at least one batch (KIP-74).
        let reservation = memory.reserve(1, 1 << 20).unwrap();
        assert_eq!(reservation.bytes(), 1);
        assert!(memory.reserve(1, 1 << 20).is_none());
        drop(reservation);
        let charge = memory.charge(5000);
        assert!(memory.reserve(1, 1 << 20).is_none(), "over the budget");
        drop(charge);
        assert!(memory.may_fetch(1));
    }
}
