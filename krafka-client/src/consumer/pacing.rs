//! What one Fetch round asks of its fetch task, and how long the task waits
//! before the next one.
//!
//! A broker's long poll paces a healthy consumer. A broker that answers at
//! once with nothing (partitions left out, errors, an empty answer well
//! before `fetch.max.wait.ms`) or not at all must not make the task spin:
//! such rounds in a row wait `retry.backoff.ms`, doubled each time up to
//! `retry.backoff.max.ms` (with jitter). A round that moved some partition's
//! position starts over; a long poll that ran its course with nothing to
//! report is no trouble and waits for nothing. An early answer that moved
//! nothing is fetched again at once up to [`EARLY_ROUNDS`] times in a row,
//! then counts as trouble: a real broker gives such answers now and then
//! while records are appended, and waiting out `retry.backoff.ms` after
//! each one left records produced at 10,000/s waiting ~100 ms (p99 of
//! produce-to-consume 112 ms, 17 ms without the waits).

use std::time::Duration;

use crate::backoff::ExponentialBackoff;

/// What a Fetch round (or one partition's answer in it) asks of the task.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Followup {
    pub(crate) refresh_metadata: bool,
    /// Something went wrong: wait before the next Fetch.
    pub(crate) backoff: bool,
    pub(crate) wake_supervisor: bool,
    pub(crate) ready: bool,
    /// Some partition's position moved.
    pub(crate) progress: bool,
    /// An answer well before `fetch.max.wait.ms` that moved no position.
    pub(crate) early_empty: bool,
}

/// Early answers that moved nothing, in a row, fetched again without a wait.
pub(crate) const EARLY_ROUNDS: u32 = 3;

impl Followup {
    pub(crate) fn merge(&mut self, other: Followup) {
        self.refresh_metadata |= other.refresh_metadata;
        self.backoff |= other.backoff;
        self.wake_supervisor |= other.wake_supervisor;
        self.ready |= other.ready;
        self.progress |= other.progress;
        self.early_empty |= other.early_empty;
    }
}

/// The backoff of one fetch task.
#[derive(Debug)]
pub(crate) struct Pacing {
    policy: ExponentialBackoff,
    /// Rounds in a row that went wrong without moving any position.
    struggles: u32,
    /// Early answers that moved nothing, in a row.
    early_rounds: u32,
}

impl Pacing {
    pub(crate) fn new(policy: ExponentialBackoff) -> Self {
        Pacing {
            policy,
            struggles: 0,
            early_rounds: 0,
        }
    }

    /// How long to wait after a round that ended with `followup` (`None`:
    /// fetch again at once).
    pub(crate) fn after(&mut self, followup: &Followup) -> Option<Duration> {
        if followup.progress {
            self.struggles = 0;
        }
        let mut backoff = followup.backoff;
        if followup.early_empty && !followup.progress {
            self.early_rounds = self.early_rounds.saturating_add(1);
            backoff |= self.early_rounds > EARLY_ROUNDS;
        } else {
            self.early_rounds = 0;
        }
        if !backoff {
            self.struggles = 0;
            return None;
        }
        let delay = self.policy.delay(self.struggles);
        if !followup.progress {
            self.struggles = self.struggles.saturating_add(1);
        }
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacing() -> Pacing {
        Pacing::new(ExponentialBackoff::new(
            Duration::from_millis(100),
            Duration::from_millis(1000),
        ))
    }

    fn trouble(progress: bool) -> Followup {
        Followup {
            backoff: true,
            progress,
            ..Followup::default()
        }
    }

    fn within(delay: Option<Duration>, ms: u64) -> bool {
        let ms = ms as f64;
        delay.is_some_and(|d| {
            let got = d.as_secs_f64() * 1000.0;
            got >= ms * 0.79 && got <= ms * 1.21
        })
    }

    #[test]
    fn rounds_that_get_nowhere_back_off_exponentially_up_to_the_maximum() {
        let mut pacing = pacing();
        for expected in [100, 200, 400, 800, 1000, 1000] {
            let delay = pacing.after(&trouble(false));
            assert!(within(delay, expected), "{delay:?} for {expected} ms");
        }
    }

    fn early_empty() -> Followup {
        Followup {
            early_empty: true,
            ..Followup::default()
        }
    }

    #[test]
    fn early_empty_answers_are_fetched_again_at_once_a_few_times_then_back_off() {
        let mut pacing = pacing();
        for _ in 0..EARLY_ROUNDS {
            assert_eq!(pacing.after(&early_empty()), None);
        }
        assert!(within(pacing.after(&early_empty()), 100));
        assert!(within(pacing.after(&early_empty()), 200));
        // Records again: the count starts over.
        assert_eq!(pacing.after(&Followup::default()), None);
        for _ in 0..EARLY_ROUNDS {
            assert_eq!(pacing.after(&early_empty()), None);
        }
        let mut moved = early_empty();
        moved.progress = true;
        assert_eq!(pacing.after(&moved), None);
        assert_eq!(pacing.after(&early_empty()), None);
    }

    #[test]
    fn progress_or_a_quiet_long_poll_starts_over() {
        let mut pacing = pacing();
        pacing.after(&trouble(false));
        pacing.after(&trouble(false));
        // Trouble on one partition while another moves: the first step only.
        assert!(within(pacing.after(&trouble(true)), 100));
        assert!(within(pacing.after(&trouble(false)), 100));
        assert!(within(pacing.after(&trouble(false)), 200));
        assert_eq!(pacing.after(&Followup::default()), None);
        assert!(within(pacing.after(&trouble(false)), 100));
    }
}
