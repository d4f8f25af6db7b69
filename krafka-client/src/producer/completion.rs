//! One shared completion per batch: every record's [`DeliveryFuture`]
//! holds the batch's completion and its index in it, and resolves from the
//! batch's outcome (base offset + index), so a record costs one reference
//! count, not a channel.
//!
//! [`DeliveryFuture`]: super::DeliveryFuture

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::task::Waker;

use krafka_core::KrafkaError;

use super::record::RecordMetadata;
use super::stats::DeliveryStats;

/// A batch's outcome: its base offset and log append time, or the error.
pub(crate) type BatchResult = Result<(i64, i64), KrafkaError>;

/// The outcome of the records of one batch (as first created; a batch split
/// in parts settles one index range per part).
#[derive(Debug)]
pub(crate) struct BatchCompletion {
    topic: String,
    partition: i32,
    /// Some range is settled: a pending future polled again with the waker
    /// it registered can say "pending" without the lock until then.
    any_settled: AtomicBool,
    /// The outcome of every record, when the batch settled in one piece
    /// (the usual case): read without the lock.
    whole: OnceLock<BatchResult>,
    state: Mutex<State>,
}

/// A future's waker registration in its batch's completion.
#[derive(Debug, Default)]
pub(crate) struct Registration {
    slot: Option<usize>,
    waker: Option<Waker>,
}

#[derive(Debug, Default)]
struct State {
    /// Settled index ranges (one unless the batch was split).
    settled: Vec<Settled>,
    /// Wakers of pending futures; a future keeps its slot across polls.
    wakers: Vec<Option<Waker>>,
}

#[derive(Debug)]
struct Settled {
    start: u32,
    end: u32,
    result: BatchResult,
}

impl BatchCompletion {
    pub(crate) fn new(topic: &str, partition: i32) -> Arc<Self> {
        Arc::new(BatchCompletion {
            topic: topic.to_owned(),
            partition,
            any_settled: AtomicBool::new(false),
            whole: OnceLock::new(),
            state: Mutex::new(State::default()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The outcome of record `index` (created at `timestamp`), or `None`
    /// while it is pending, registering `waker`.
    pub(crate) fn poll(
        &self,
        index: u32,
        timestamp: i64,
        registration: &mut Option<Box<Registration>>,
        waker: &Waker,
    ) -> Option<Result<RecordMetadata, KrafkaError>> {
        // Registered with this waker and nothing settled since: settling
        // will find the waker in its slot.
        if !self.any_settled.load(Ordering::Acquire)
            && registration
                .as_ref()
                .and_then(|r| r.waker.as_ref())
                .is_some_and(|w| w.will_wake(waker))
        {
            return None;
        }
        if let Some(result) = self.whole.get() {
            return Some(self.metadata(result, index, timestamp));
        }
        let mut state = self.lock();
        // Settled in one piece between the check above and the lock.
        if let Some(result) = self.whole.get() {
            return Some(self.metadata(result, index, timestamp));
        }
        if let Some(settled) = state
            .settled
            .iter()
            .find(|s| (s.start..s.end).contains(&index))
        {
            return Some(self.metadata(&settled.result, index - settled.start, timestamp));
        }
        let registration = registration.get_or_insert_with(Box::default);
        match registration.slot.and_then(|i| state.wakers.get_mut(i)) {
            Some(Some(current)) if current.will_wake(waker) => {}
            Some(entry) => *entry = Some(waker.clone()),
            None => {
                registration.slot = Some(state.wakers.len());
                state.wakers.push(Some(waker.clone()));
            }
        }
        registration.waker = Some(waker.clone());
        None
    }

    /// What a record `delta` records into a settled range gets.
    fn metadata(
        &self,
        result: &BatchResult,
        delta: u32,
        timestamp: i64,
    ) -> Result<RecordMetadata, KrafkaError> {
        match result {
            Ok((base_offset, log_append_time)) => Ok(RecordMetadata {
                topic: self.topic.clone(),
                partition: self.partition,
                offset: if *base_offset < 0 {
                    -1
                } else {
                    base_offset.saturating_add(i64::from(delta))
                },
                timestamp: if *log_append_time >= 0 {
                    *log_append_time
                } else {
                    timestamp
                },
            }),
            Err(error) => Err(error.clone()),
        }
    }
}

/// The sending side of a batch's records: `count` records from `first` in
/// the completion. Settles them once; dropped unsettled (the producer went
/// away), it fails them.
#[derive(Debug)]
pub(crate) struct Completer {
    completion: Arc<BatchCompletion>,
    /// The producer's counts, updated once per settled part.
    stats: Arc<DeliveryStats>,
    first: u32,
    count: u32,
    /// Covers every record of the completion (not split).
    whole: bool,
    done: bool,
}

impl Completer {
    pub(crate) fn new(completion: Arc<BatchCompletion>, stats: Arc<DeliveryStats>) -> Self {
        Completer {
            completion,
            stats,
            first: 0,
            count: 0,
            whole: true,
            done: false,
        }
    }

    /// The shared completion (for a new record's future).
    pub(crate) fn completion(&self) -> &Arc<BatchCompletion> {
        &self.completion
    }

    /// Counts one more record; returns its index in the completion.
    pub(crate) fn add(&mut self) -> u32 {
        let index = self.first.saturating_add(self.count);
        self.count = self.count.saturating_add(1);
        index
    }

    /// Records in this part.
    pub(crate) fn count(&self) -> u32 {
        self.count
    }

    /// Splits off the records from `at` (relative to this part) into a
    /// second part.
    pub(crate) fn split_off(&mut self, at: u32) -> Completer {
        let at = at.min(self.count);
        let second = Completer {
            completion: Arc::clone(&self.completion),
            stats: Arc::clone(&self.stats),
            first: self.first.saturating_add(at),
            count: self.count - at,
            whole: false,
            done: false,
        };
        self.whole = false;
        self.count = at;
        second
    }

    /// Resolves every record of this part and wakes their futures.
    pub(crate) fn settle(mut self, result: BatchResult) {
        self.settle_with(result);
    }

    fn settle_with(&mut self, result: BatchResult) {
        self.done = true;
        match &result {
            Ok(_) => self.stats.delivered(self.count),
            Err(error) => self.stats.failed(self.count, error),
        }
        if self.count == 0 || Arc::strong_count(&self.completion) == 1 {
            // Nobody holds a future of these records.
            return;
        }
        let wakers: Vec<Waker> = {
            let mut state = self.completion.lock();
            if self.whole {
                let _ = self.completion.whole.set(result);
            } else {
                state.settled.push(Settled {
                    start: self.first,
                    end: self.first.saturating_add(self.count),
                    result,
                });
            }
            self.completion.any_settled.store(true, Ordering::Release);
            state.wakers.iter_mut().filter_map(Option::take).collect()
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

impl Drop for Completer {
    fn drop(&mut self) {
        if !self.done {
            self.settle_with(Err(KrafkaError::state(
                "the producer was dropped before the record was delivered",
            )));
        }
    }
}
