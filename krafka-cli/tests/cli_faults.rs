//! The `krafka` binary against a fake broker that misbehaves: it must end
//! with one error line, not wait or spin forever.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use krafka::protocol::{ApiKey, FetchRequest, FetchResponse};
use krafka_tests::fake_broker::{FakeBroker, FakeCluster, Reply, Script};

/// Runs `krafka args…` against `bootstrap`, killing it after `limit`
/// (`None` then: it did not end by itself).
fn krafka_within(bootstrap: &str, args: &[&str], limit: Duration) -> Option<(Output, Duration)> {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(args)
        .env("KRAFKA_BOOTSTRAP", bootstrap)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run the krafka binary");
    while started.elapsed() < limit {
        if child.try_wait().expect("wait").is_some() {
            let took = started.elapsed();
            return Some((child.wait_with_output().expect("output"), took));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// A fake cluster with three records in `topic`-0 whose Fetch answers come
/// from `fetch`.
fn fake(
    runtime: &tokio::runtime::Runtime,
    topic: &str,
    fetch: impl Fn(&krafka_tests::fake_broker::Request) -> Reply + Send + Sync + 'static,
) -> FakeBroker {
    let cluster = FakeCluster::new()
        .topic(topic, 1)
        .with_values(topic, 0, &["a", "b", "c"]);
    let script: Script = cluster.script().on(ApiKey::Fetch, fetch);
    runtime.block_on(FakeBroker::start(script))
}

#[test]
fn consume_to_the_end_gives_up_when_fetches_make_no_progress() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let omitting = fake(&runtime, "dropped", |request| {
        let _: FetchRequest = request.decode();
        Reply::message(FetchResponse::default())
    });
    let silent = fake(&runtime, "unanswered", |_| Reply::silence());
    for (broker, topic) in [(&omitting, "dropped"), (&silent, "unanswered")] {
        let args = [
            "consume",
            "-t",
            topic,
            "-e",
            "-X",
            "default.api.timeout.ms=2000",
        ];
        let Some((out, took)) = krafka_within(&broker.addr, &args, Duration::from_secs(20)) else {
            panic!("krafka {args:?} against a fake that never lets it progress ran for 20 s");
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{topic}: exited with success");
        assert!(
            stderr.starts_with("krafka: ") && stderr.contains("no progress"),
            "{topic}: {stderr}"
        );
        assert!(stderr.contains("0 at 0 of 3"), "{topic}: {stderr}");
        assert!(
            took >= Duration::from_secs(2) && took < Duration::from_secs(8),
            "{topic}: gave up after {took:?}"
        );
        assert!(
            broker.requests(ApiKey::Fetch) < 30,
            "{topic}: {} Fetch requests",
            broker.requests(ApiKey::Fetch)
        );
    }
}
