//! Resident memory figures: this process's peak (reset between cases) and
//! the peak of a `krafka` CLI run.

use std::time::Duration;

/// A `/proc/<pid>/status` field in KiB.
pub fn status_kib(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// This process's peak RSS in KiB.
pub fn peak_kib() -> u64 {
    status_kib("self", "VmHWM:").expect("VmHWM in /proc/self/status")
}

/// Resets this process's peak RSS to its current RSS (Linux 4.0+).
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
}

/// Runs the `krafka` CLI named by `KRAFKA_CLI` with `args` (stdout
/// discarded) under `/usr/bin/time` and returns its peak RSS in KiB (the
/// kernel's count at exit), whether it succeeded and how long it took.
pub async fn cli_peak_kib(args: &[String]) -> (u64, bool, Duration) {
    let cli = std::env::var("KRAFKA_CLI").expect("KRAFKA_CLI: the krafka binary to measure");
    let started = std::time::Instant::now();
    let output = tokio::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("MAXRSS %M")
        .arg(cli)
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .await
        .expect("run the CLI under /usr/bin/time");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak = stderr
        .lines()
        .find_map(|line| line.strip_prefix("MAXRSS "))
        .and_then(|kib| kib.trim().parse().ok())
        .unwrap_or_else(|| panic!("no MAXRSS in {stderr}"));
    if !output.status.success() {
        eprintln!("CLI failed: {stderr}");
    }
    (peak, output.status.success(), started.elapsed())
}

/// A consumer of the fake broker at `address` reading from the earliest
/// offset with a memory budget of `budget` (`fetch.max.bytes` and
/// `krafka.fetch.buffer.max.bytes`) and `max.poll.records` =
/// `max_poll_records`: the reader of the memory tests.
pub async fn budgeted_consumer(
    address: &str,
    budget: usize,
    max_poll_records: usize,
) -> krafka_client::Consumer {
    let (budget, max_poll_records) = (budget.to_string(), max_poll_records.to_string());
    let config = krafka_client::ConsumerConfig::from_properties([
        ("bootstrap.servers", address),
        ("auto.offset.reset", "earliest"),
        ("fetch.max.bytes", budget.as_str()),
        ("krafka.fetch.buffer.max.bytes", budget.as_str()),
        ("max.poll.records", max_poll_records.as_str()),
    ])
    .expect("config");
    krafka_client::Consumer::new(config)
        .await
        .expect("consumer")
}

/// One poll, failing the test when the records stop coming for a minute.
pub async fn poll_or_fail(
    consumer: &krafka_client::Consumer,
) -> Vec<krafka_client::ConsumerRecord> {
    tokio::time::timeout(
        Duration::from_secs(60),
        consumer.poll(Duration::from_millis(200)),
    )
    .await
    .expect("records keep coming")
    .expect("poll")
}
