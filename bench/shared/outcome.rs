//! What a peer's run measured, printed the way `krafka perf` prints it: a
//! summary line and a `RESULT` line, with the process's CPU and peak RSS
//! read from /proc. One file for `bench/rdkafka-perf` and
//! `bench/krafka028-perf` (each includes it with `#[path]`: they are
//! separate crates with their own workspaces, so the Krafka workspace never
//! builds them).

use std::time::Duration;

/// What a run measured.
pub struct Outcome {
    pub records: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    pub errors: u64,
    pub cpu_s: f64,
    pub peak_rss_mb: f64,
    /// A fixed-rate run's latency: its summary line and its `RESULT` fields.
    pub latency: Option<(String, String)>,
}

impl Outcome {
    /// The counts of a finished run, with the process's CPU and peak RSS
    /// read now (call it before the client is dropped, as `krafka perf` does).
    pub fn measure(records: u64, bytes: u64, elapsed: Duration, errors: u64) -> Outcome {
        Outcome {
            records,
            bytes,
            elapsed,
            errors,
            cpu_s: cpu_seconds().unwrap_or(f64::NAN),
            peak_rss_mb: peak_rss_mb().unwrap_or(f64::NAN),
            latency: None,
        }
    }

    /// Prints the summary and the `RESULT` line labelled `label`.
    pub fn report(&self, label: &str, verb: &str) {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let n = self.records;
        let rps = n as f64 / secs;
        let mbps = self.bytes as f64 / secs / (1024.0 * 1024.0);
        let record_size = self.bytes.checked_div(n).unwrap_or(0);
        let cpu = self.cpu_s;
        let us = cpu * 1e6 / n.max(1) as f64;
        let rss = self.peak_rss_mb;
        let errors = self.errors;
        println!(
            "{n} records {verb} in {secs:.2} s: {rps:.1} records/s ({mbps:.2} MB/s), client CPU {cpu:.2} s ({us:.2} µs/record), peak RSS {rss:.1} MB, {errors} errors"
        );
        let mut latency = "";
        if let Some((summary, fields)) = &self.latency {
            println!("{summary}");
            latency = fields;
        }
        println!(
            "RESULT {label} records={n} record_size={record_size} elapsed_s={secs:.3} records_per_sec={rps:.1} mb_per_sec={mbps:.3} cpu_s={cpu:.2} cpu_us_per_record={us:.3} peak_rss_mb={rss:.1} errors={errors}{latency}"
        );
    }
}

/// The whole process's user+system CPU seconds (every thread, a C
/// library's included), at USER_HZ 100.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Peak resident set size (VmHWM) in MiB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
