//! What one Fetch round asks of its fetch task, and how long the task waits
//! before the next one.
//!
//! A broker's long poll paces a healthy consumer. A broker that answers at
//! once with nothing (partitions left out, errors, an empty answer well
//! before `fetch.max.wait.ms`) or not at all must not make the task spin:
//! such rounds in a row wait `retry.backoff.ms`, doubled each time up to
//! `retry.backoff.max.ms` (with jitter). A round that moved some partition's
//! position starts over; a long poll that ran its course with nothing to
//! report is no trouble and waits for nothing.

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
}

impl Followup {
    pub(crate) fn merge(&mut self, other: Followup) {
        self.refresh_metadata |= other.refresh_metadata;
        self.backoff |= other.backoff;
        self.wake_supervisor |= other.wake_supervisor;
        self.ready |= other.ready;
        self.progress |= other.progress;
    }
}

/// The backoff of one fetch task.
#[derive(Debug)]
pub(crate) struct Pacing {
    policy: ExponentialBackoff,
    /// Rounds in a row that went wrong without moving any position.
    struggles: u32,
}

impl Pacing {
    pub(crate) fn new(policy: ExponentialBackoff) -> Self {
        Pacing {
            policy,
            struggles: 0,
        }
    }

    /// How long to wait after a round that ended with `followup` (`None`:
    /// fetch again at once).
    pub(crate) fn after(&mut self, followup: &Followup) -> Option<Duration> {
        if followup.progress {
            self.struggles = 0;
        }
        if !followup.backoff {
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
