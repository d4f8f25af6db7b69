//! A latency histogram with log-sized buckets: 128 buckets per power of
//! two, so every value is kept to within 1/128 (0.8 %) of itself and the
//! reported midpoint to within 0.4 %, in a fixed 58 KiB whatever the number
//! or range of the values. Also the percentile summary that the perf tools
//! print (`krafka perf` and, through `#[path]`, `bench/rdkafka-perf`, so
//! that both print the same fields): std only, for that reason.

use std::time::Duration;

/// log2 of the buckets per power of two.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;
/// Values below `SUB` have a bucket each; above, each of the 57 powers of
/// two from 2^7 to 2^63 has `SUB`.
const BUCKETS: usize = (64 - SUB_BITS as usize + 1) * SUB as usize;

/// Counts of nanosecond values in log-sized buckets, with the exact count,
/// minimum and maximum.
#[derive(Clone)]
pub struct Histogram {
    counts: Box<[u64]>,
    count: u64,
    min: u64,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram::new()
    }
}

/// The bucket of `value`.
fn index(value: u64) -> usize {
    if value < SUB {
        return value as usize;
    }
    let shift = 63 - value.leading_zeros() - SUB_BITS;
    let mantissa = (value >> shift) & (SUB - 1);
    (((shift + 1) as usize) << SUB_BITS) + mantissa as usize
}

/// The smallest value of bucket `index` and the bucket's width.
fn bounds(index: usize) -> (u64, u64) {
    let index = index as u64;
    if index < SUB {
        return (index, 1);
    }
    let shift = (index >> SUB_BITS) - 1;
    let mantissa = index & (SUB - 1);
    ((SUB + mantissa) << shift, 1 << shift)
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Histogram {
        Histogram {
            counts: vec![0; BUCKETS].into_boxed_slice(),
            count: 0,
            min: u64::MAX,
            max: 0,
        }
    }

    /// Counts one value (nanoseconds).
    pub fn record(&mut self, nanos: u64) {
        if let Some(slot) = self.counts.get_mut(index(nanos)) {
            *slot += 1;
        }
        self.count += 1;
        self.min = self.min.min(nanos);
        self.max = self.max.max(nanos);
    }

    /// Counts one duration (saturating at 584 years).
    pub fn record_duration(&mut self, latency: Duration) {
        self.record(u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX));
    }

    /// Values counted.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The largest value (exact), nanoseconds; 0 when empty.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The value at quantile `q` (0.0..=1.0), nanoseconds: the `ceil(q * n)`th
    /// smallest value, to within 0.4 % (the midpoint of its bucket, kept
    /// within the exact minimum and maximum). `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).clamp(1, self.count);
        if rank == self.count {
            return Some(self.max);
        }
        let mut seen = 0u64;
        for (i, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                let (low, width) = bounds(i);
                return Some((low + (width - 1) / 2).clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// p50, p95, p99, p99.9 and the maximum; `None` when empty.
    pub fn percentiles(&self) -> Option<Percentiles> {
        let ms = |q: f64| self.quantile(q).map(|ns| ns as f64 / 1e6);
        Some(Percentiles {
            p50: ms(0.50)?,
            p95: ms(0.95)?,
            p99: ms(0.99)?,
            p99_9: ms(0.999)?,
            max: self.max() as f64 / 1e6,
        })
    }
}

/// Latency percentiles, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p99_9: f64,
    /// Largest.
    pub max: f64,
}

impl Percentiles {
    /// ` p50_ms=… p95_ms=… p99_ms=… p99_9_ms=… max_ms=…`, appended to a
    /// `RESULT` line (the leading space included).
    pub fn result_fields(&self) -> String {
        format!(
            " p50_ms={:.3} p95_ms={:.3} p99_ms={:.3} p99_9_ms={:.3} max_ms={:.3}",
            self.p50, self.p95, self.p99, self.p99_9, self.max
        )
    }

    /// One human line.
    pub fn summary(&self, what: &str) -> String {
        format!(
            "{what} latency: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms",
            self.p50, self.p95, self.p99, self.p99_9, self.max
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64*: reproducible values without a dependency.
    fn random(state: &mut u64) -> u64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    #[test]
    fn buckets_are_contiguous_and_bounded() {
        for value in (0..100_000u64).chain([u64::MAX / 3, u64::MAX - 1, u64::MAX]) {
            let i = index(value);
            assert!(i < BUCKETS, "{value} -> {i}");
            let (low, width) = bounds(i);
            assert!(
                low <= value && value - low < width,
                "{value} in [{low}, +{width})"
            );
            assert!(
                value < SUB || width * SUB <= low,
                "{value}: width {width} too wide"
            );
        }
        assert_eq!(index(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn quantiles_match_a_sorted_reference_within_one_percent() {
        let mut state = 0x1234_5678_9abc_def1;
        for (n, spread) in [(1usize, 20u32), (7, 10), (1000, 30), (200_000, 34)] {
            let mut hist = Histogram::new();
            let mut values = Vec::with_capacity(n);
            for _ in 0..n {
                // Log-uniform over 2^spread ns, as latencies are spread.
                let bits = random(&mut state) % u64::from(spread) + 1;
                let value = random(&mut state) >> (64 - bits);
                hist.record(value);
                values.push(value);
            }
            values.sort_unstable();
            for q in [0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
                let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
                let expected = values[rank - 1] as f64;
                let got = hist.quantile(q).unwrap() as f64;
                assert!(
                    (got - expected).abs() <= expected * 0.01,
                    "n {n} q {q}: {got} vs {expected}"
                );
            }
            assert_eq!(hist.max(), values[n - 1]);
            assert_eq!(hist.count(), n as u64);
            let p = hist.percentiles().unwrap();
            assert!(p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.p99_9 && p.p99_9 <= p.max);
        }
    }

    #[test]
    fn memory_does_not_grow_with_values() {
        let mut hist = Histogram::new();
        let mut state = 42;
        for _ in 0..1_000_000 {
            hist.record(random(&mut state));
        }
        hist.record(u64::MAX);
        hist.record_duration(Duration::MAX);
        assert_eq!(hist.counts.len(), BUCKETS);
        assert!(BUCKETS * std::mem::size_of::<u64>() <= 60 * 1024);
        assert_eq!(hist.count(), 1_000_002);
    }

    #[test]
    fn empty_and_milliseconds() {
        assert_eq!(Histogram::new().quantile(0.5), None);
        assert!(Histogram::new().percentiles().is_none());
        let mut a = Histogram::new();
        (1..=100).for_each(|v| a.record(v * 1_000_000));
        let p = a.percentiles().unwrap();
        assert_eq!(a.count(), 100);
        assert!((p.p50 - 50.0).abs() <= 0.5, "{p:?}");
        assert!((p.p99 - 99.0).abs() <= 1.0, "{p:?}");
        assert_eq!(p.max, 100.0);
        assert_eq!(
            p.result_fields(),
            format!(
                " p50_ms={:.3} p95_ms={:.3} p99_ms={:.3} p99_9_ms={:.3} max_ms=100.000",
                p.p50, p.p95, p.p99, p.p99_9
            )
        );
    }
}
