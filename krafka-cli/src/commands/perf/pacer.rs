//! The fixed-rate schedule of `--throughput`: record `i` is due `i / rate`
//! seconds after the start, whatever happened to the ones before, so that a
//! stalled client is charged for every record it kept waiting (latency is
//! measured from the due time: no coordinated omission). Shared, through
//! `#[path]`, with `bench/rdkafka-perf`, so both clients keep one schedule;
//! std only, for that reason.

use std::time::{Duration, Instant};

/// Nanoseconds per second times the milli-records the rate is kept in.
const NANOS_X_MILLI: u128 = 1_000_000_000_000;

/// A rate in records per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacer {
    /// Records per 1,000 seconds (the rate to 0.001 records/s, in integers
    /// so that the schedule has no rounding drift).
    milli_rate: u128,
}

impl Pacer {
    /// `records_per_sec` records a second; `None` unless it is at least
    /// 0.001 and finite (`-1`, as in Java's tool, means no schedule).
    pub fn new(records_per_sec: f64) -> Option<Pacer> {
        if !records_per_sec.is_finite() || records_per_sec < 0.001 {
            return None;
        }
        // Capped at 10^15 records/s, so that the products below stay far
        // from u128's limit.
        let milli_rate = (records_per_sec * 1000.0).round().min(1e18) as u128;
        Some(Pacer { milli_rate })
    }

    /// When record `i` is due, after the start: `i / rate` rounded up to
    /// the nanosecond.
    pub fn offset(&self, i: u64) -> Duration {
        let nanos = (u128::from(i) * NANOS_X_MILLI).div_ceil(self.milli_rate);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// How many records are due `elapsed` after the start (those with
    /// `offset(i) <= elapsed`).
    pub fn due_by(&self, elapsed: Duration) -> u64 {
        let due = elapsed.as_nanos().saturating_mul(self.milli_rate) / NANOS_X_MILLI + 1;
        u64::try_from(due).unwrap_or(u64::MAX)
    }

    /// Calls `send(i, due_time)` for records `0..total` from `start` on,
    /// each at (or, when the caller is behind, as soon as possible after)
    /// its due time, sleeping the thread in between; records that fell due
    /// together are sent together. Stops at the first error.
    pub fn run<E>(
        &self,
        start: Instant,
        total: u64,
        mut send: impl FnMut(u64, Instant) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut next = 0;
        while next < total {
            let elapsed = start.elapsed();
            let due = self.due_by(elapsed).min(total);
            if due <= next {
                std::thread::sleep(self.offset(next).saturating_sub(elapsed));
                continue;
            }
            for i in next..due {
                send(i, start + self.offset(i))?;
            }
            next = due;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_schedule_without_a_positive_rate() {
        assert_eq!(Pacer::new(-1.0), None);
        assert_eq!(Pacer::new(0.0), None);
        assert_eq!(Pacer::new(f64::NAN), None);
        assert_eq!(Pacer::new(f64::INFINITY), None);
        assert!(Pacer::new(0.5).is_some());
    }

    #[test]
    fn offsets_are_i_over_rate() {
        let pacer = Pacer::new(500_000.0).unwrap();
        assert_eq!(pacer.offset(0), Duration::ZERO);
        assert_eq!(pacer.offset(1), Duration::from_nanos(2_000));
        assert_eq!(pacer.offset(5_000_000), Duration::from_secs(10));
        let third = Pacer::new(3.0).unwrap();
        assert_eq!(third.offset(1), Duration::from_nanos(333_333_334));
        assert_eq!(third.offset(3), Duration::from_secs(1));
        assert_eq!(
            third.offset(3_000_000_000),
            Duration::from_secs(1_000_000_000)
        );
        let half = Pacer::new(0.5).unwrap();
        assert_eq!(half.offset(1), Duration::from_secs(2));
    }

    #[test]
    fn due_by_counts_the_offsets_reached() {
        for rate in [0.5, 3.0, 7.0, 10_000.0, 100_000.0, 333_333.0, 500_000.0] {
            let pacer = Pacer::new(rate).unwrap();
            for i in (0..2_000u64).chain([1_000_000, 5_000_001, 123_456_789]) {
                let at = pacer.offset(i);
                assert_eq!(pacer.due_by(at), i + 1, "rate {rate} record {i} at {at:?}");
                if let Some(before) = at.checked_sub(Duration::from_nanos(1)) {
                    assert_eq!(pacer.due_by(before), i, "rate {rate} record {i}");
                }
            }
        }
        let pacer = Pacer::new(10_000.0).unwrap();
        assert_eq!(pacer.due_by(Duration::from_secs(10)), 100_001);
        assert_eq!(pacer.due_by(Duration::ZERO), 1);
    }

    #[test]
    fn run_sends_every_record_in_order_with_its_due_time() {
        // A rate high enough that the whole schedule is due at once: no
        // sleeping, and the due times are the schedule's.
        let pacer = Pacer::new(1e12).unwrap();
        let start = Instant::now() - Duration::from_secs(1);
        let mut seen = Vec::new();
        pacer
            .run(start, 1000, |i, due| {
                seen.push((i, due));
                Ok::<_, ()>(())
            })
            .unwrap();
        assert_eq!(seen.len(), 1000);
        for (n, (i, due)) in seen.iter().enumerate() {
            assert_eq!(*i, n as u64);
            assert_eq!(*due, start + pacer.offset(*i));
        }
        assert_eq!(
            pacer.run(start, 10, |i, _| if i == 3 { Err(i) } else { Ok(()) }),
            Err(3)
        );
        assert_eq!(pacer.run(start, 0, |_, _| Err(())), Ok(()));
    }
}
