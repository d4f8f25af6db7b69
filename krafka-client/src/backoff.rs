//! Exponential backoff with jitter, as Kafka clients do it (KIP-580):
//! `initial * 2^attempt`, capped at `max`, then scaled by a random factor in
//! `[1 - jitter, 1 + jitter]` (Kafka uses a jitter of 0.2), never above `max`.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Kafka's jitter for retry and reconnect backoff.
pub const DEFAULT_JITTER: f64 = 0.2;

/// An exponential backoff policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExponentialBackoff {
    /// The delay before the first retry (`retry.backoff.ms`, `reconnect.backoff.ms`).
    pub initial: Duration,
    /// The cap (`retry.backoff.max.ms`, `reconnect.backoff.max.ms`).
    pub max: Duration,
    /// The relative random spread, in `[0, 1)`.
    pub jitter: f64,
}

impl ExponentialBackoff {
    /// A policy with Kafka's jitter.
    pub fn new(initial: Duration, max: Duration) -> Self {
        ExponentialBackoff {
            initial,
            max: max.max(initial),
            jitter: DEFAULT_JITTER,
        }
    }

    /// The delay after `attempts` consecutive failures (0 = the first retry).
    pub fn delay(&self, attempts: u32) -> Duration {
        self.delay_with(attempts, random_unit())
    }

    /// The delay for a given random draw `unit` in `[0, 1)`.
    pub fn delay_with(&self, attempts: u32, unit: f64) -> Duration {
        let base = self.initial.as_secs_f64() * 2f64.powi(attempts.min(62) as i32);
        let capped = base.min(self.max.as_secs_f64());
        let jitter = self.jitter.clamp(0.0, 0.99);
        let factor = 1.0 - jitter + 2.0 * jitter * unit.clamp(0.0, 1.0);
        Duration::try_from_secs_f64((capped * factor).min(self.max.as_secs_f64()).max(0.0))
            .unwrap_or(self.max)
    }
}

/// A uniform draw from `[0, 1)`: xorshift64*, seeded per thread from the
/// standard library's random hasher keys. Not for cryptography.
fn random_unit() -> f64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_u64(0x9e37_79b9_7f4a_7c15);
            hasher.finish() | 1
        });
    }
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_bounds_do_not_panic() {
        let b = ExponentialBackoff::new(Duration::MAX, Duration::MAX);
        assert!(b.delay_with(70, 0.99) <= Duration::MAX);
    }

    #[test]
    fn doubles_and_caps() {
        let b = ExponentialBackoff::new(Duration::from_millis(100), Duration::from_millis(1000));
        // unit 0.5 is the midpoint: no jitter.
        assert_eq!(b.delay_with(0, 0.5), Duration::from_millis(100));
        assert_eq!(b.delay_with(1, 0.5), Duration::from_millis(200));
        assert_eq!(b.delay_with(3, 0.5), Duration::from_millis(800));
        assert_eq!(b.delay_with(4, 0.5), Duration::from_millis(1000));
        assert_eq!(b.delay_with(1000, 0.5), Duration::from_millis(1000));
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let b = ExponentialBackoff::new(Duration::from_millis(100), Duration::from_secs(10));
        assert_eq!(b.delay_with(0, 0.0), Duration::from_millis(80));
        assert_eq!(b.delay_with(0, 1.0), Duration::from_millis(120));
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let d = b.delay(2);
            assert!(
                d >= Duration::from_millis(320) && d <= Duration::from_millis(480),
                "{d:?}"
            );
            seen.insert(d);
        }
        assert!(seen.len() > 100, "jitter should vary");
    }
}
