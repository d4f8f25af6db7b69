//! What a perf run measures and prints: throughput, client CPU time and peak
//! RSS (from /proc, Linux), as a human summary and a machine-readable
//! `RESULT` line (`scripts/perf/produce-compare.sh` parses it), with the
//! latency percentiles of the fixed-rate runs.

use std::time::Duration;

use super::super::output::Stdout;
use super::histogram::Percentiles;

/// Process CPU time and peak RSS, read from /proc (Linux).
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// utime + stime, seconds (None off Linux).
    pub cpu_s: Option<f64>,
    /// VmHWM, MiB.
    pub peak_rss_mb: Option<f64>,
}

/// `sysconf(_SC_CLK_TCK)`: 100 on every Linux architecture Rust targets
/// in practice (the kernel's USER_HZ); read without libc.
const CLOCK_TICKS_PER_SEC: f64 = 100.0;

const MIB: f64 = 1024.0 * 1024.0;

impl Usage {
    /// This process, now.
    pub fn now() -> Usage {
        Usage {
            cpu_s: std::fs::read_to_string("/proc/self/stat")
                .ok()
                .and_then(|stat| cpu_seconds(&stat)),
            peak_rss_mb: std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|status| peak_rss_mb(&status)),
        }
    }
}

/// utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line, seconds.
fn cpu_seconds(stat: &str) -> Option<f64> {
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state), so field N is at index N - 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime.saturating_add(stime) as f64 / CLOCK_TICKS_PER_SEC)
}

/// VmHWM of `/proc/<pid>/status`, MiB.
fn peak_rss_mb(status: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The outcome of one run.
pub struct Report<'a> {
    /// Name in the `RESULT` line.
    pub label: &'a str,
    /// "sent" or "received".
    pub verb: &'a str,
    /// Records moved.
    pub records: u64,
    /// Bytes of the records (keys and values).
    pub bytes: u64,
    /// Record size for the `RESULT` line (the mean, when sizes vary).
    pub record_size: usize,
    /// Wall time of the measured part.
    pub elapsed: Duration,
    /// CPU and memory at the end.
    pub usage: Usage,
    /// Records that failed.
    pub errors: u64,
    /// Latency percentiles (fixed-rate runs) and what they measure
    /// ("produce", "end-to-end").
    pub latency: Option<(&'a str, Percentiles)>,
}

impl Report<'_> {
    /// The summary and the `RESULT` line, on stdout.
    pub fn print(&self) -> Result<(), String> {
        let mut out = Stdout::new();
        out.line(&self.summary())?;
        if let Some((what, percentiles)) = &self.latency {
            out.line(&percentiles.summary(what))?;
        }
        out.line(&self.result_line())?;
        out.finish()
    }

    fn rates(&self) -> (f64, f64, f64, f64, f64) {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let records_per_sec = self.records as f64 / secs;
        let mb_per_sec = self.bytes as f64 / MIB / secs;
        let cpu = self.usage.cpu_s.unwrap_or(f64::NAN);
        let cpu_us_per_record = cpu * 1e6 / (self.records.max(1) as f64);
        (secs, records_per_sec, mb_per_sec, cpu, cpu_us_per_record)
    }

    /// One human line.
    pub fn summary(&self) -> String {
        let (secs, records_per_sec, mb_per_sec, cpu, cpu_us_per_record) = self.rates();
        let rss = self.usage.peak_rss_mb.unwrap_or(f64::NAN);
        format!(
            "{} records {} in {secs:.2} s: {records_per_sec:.1} records/s ({mb_per_sec:.2} MB/s), \
             client CPU {cpu:.2} s ({cpu_us_per_record:.2} µs/record), peak RSS {rss:.1} MB, {} errors",
            self.records, self.verb, self.errors
        )
    }

    /// `RESULT <label> records=… record_size=… elapsed_s=… records_per_sec=…
    /// mb_per_sec=… cpu_s=… cpu_us_per_record=… peak_rss_mb=… errors=…`, then
    /// `p50_ms=… p95_ms=… p99_ms=… p99_9_ms=… max_ms=…` with latencies.
    pub fn result_line(&self) -> String {
        let (secs, records_per_sec, mb_per_sec, cpu, cpu_us_per_record) = self.rates();
        let rss = self.usage.peak_rss_mb.unwrap_or(f64::NAN);
        let latency = self
            .latency
            .map_or_else(String::new, |(_, p)| p.result_fields());
        format!(
            "RESULT {} records={} record_size={} elapsed_s={secs:.3} records_per_sec={records_per_sec:.1} \
             mb_per_sec={mb_per_sec:.3} cpu_s={cpu:.2} cpu_us_per_record={cpu_us_per_record:.3} \
             peak_rss_mb={rss:.1} errors={}{latency}",
            self.label, self.records, self.record_size, self.errors
        )
    }
}

/// The end of a run that sent `expected` records: an error, naming the
/// first failure, unless every one of them was delivered.
pub fn all_delivered(
    expected: u64,
    delivered: u64,
    failed: u64,
    first_error: Option<&krafka::KrafkaError>,
) -> Result<(), String> {
    if failed == 0 && delivered == expected {
        return Ok(());
    }
    let first =
        first_error.map_or_else(|| "none reported".to_owned(), |e| crate::commands::chain(e));
    Err(format!(
        "{failed} of {expected} records failed to send ({delivered} delivered); first error: {first}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_stat() {
        let stat = "1234 (my (odd) cmd) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0";
        assert_eq!(cpu_seconds(stat), Some(3.0));
        assert_eq!(cpu_seconds("garbage"), None);
    }

    #[test]
    fn parses_proc_status() {
        let status = "Name:\tkrafka\nVmPeak:\t  9000 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n";
        assert_eq!(peak_rss_mb(status), Some(2.0));
    }

    #[test]
    fn result_line_has_every_field() {
        let report = Report {
            label: "krafka",
            verb: "received",
            records: 1000,
            bytes: 100 * 1000,
            record_size: 100,
            elapsed: Duration::from_secs(2),
            usage: Usage {
                cpu_s: Some(0.5),
                peak_rss_mb: Some(12.0),
            },
            errors: 0,
            latency: None,
        };
        assert_eq!(
            report.result_line(),
            "RESULT krafka records=1000 record_size=100 elapsed_s=2.000 records_per_sec=500.0 \
             mb_per_sec=0.048 cpu_s=0.50 cpu_us_per_record=500.000 peak_rss_mb=12.0 errors=0"
        );
        assert!(
            report
                .summary()
                .starts_with("1000 records received in 2.00 s: 500.0 records/s")
        );
    }

    #[test]
    fn result_line_ends_with_the_percentiles() {
        let report = Report {
            label: "krafka",
            verb: "sent",
            records: 10,
            bytes: 1000,
            record_size: 100,
            elapsed: Duration::from_secs(1),
            usage: Usage::default(),
            errors: 0,
            latency: Some((
                "produce",
                Percentiles {
                    p50: 1.0,
                    p95: 2.0,
                    p99: 3.0,
                    p99_9: 4.5,
                    max: 5.0,
                },
            )),
        };
        assert!(report.result_line().ends_with(
            " errors=0 p50_ms=1.000 p95_ms=2.000 p99_ms=3.000 p99_9_ms=4.500 max_ms=5.000"
        ));
    }
}
