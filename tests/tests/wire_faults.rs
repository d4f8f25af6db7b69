//! A broker that lies must not crash the client, exhaust its memory or make
//! it spin: each test scripts the fake broker with one lie and checks that
//! the client answers with a typed error or backs off.

mod broker_support;

use std::time::{Duration, Instant};

use broker_support::{FakeBroker, FakeCluster, Reply, producer};
use krafka_client::ProducerRecord;
use krafka_core::{ApiKey, KrafkaError};

/// The resident set size of this process, in bytes (`None` off Linux).
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partition_index_past_the_partition_count_fails_the_send_not_the_process() {
    let cluster = FakeCluster::new().topic("lies", 1);
    let honest = cluster.clone();
    let fake = FakeBroker::start(cluster.script().on(ApiKey::Metadata, move |request| {
        let mut metadata = honest.metadata(request);
        for topic in &mut metadata.topics {
            for partition in &mut topic.partitions {
                partition.partition_index = 2_000_000_000;
            }
        }
        Reply::message(metadata)
    }))
    .await;
    let before = rss();
    let producer = producer(&fake.addr, &[("max.block.ms", "5000")]).await;
    let started = Instant::now();
    let error = match producer.send(ProducerRecord::new("lies").value("v")).await {
        Err(error) => error,
        Ok(delivery) => match delivery.await {
            Err(error) => error,
            Ok(written) => panic!("delivered to a partition that does not exist: {written:?}"),
        },
    };
    assert!(
        matches!(error.cause(), KrafkaError::Protocol { .. }),
        "expected a protocol error, got {error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("lies") && text.contains("2000000000"),
        "the error names the topic and the lie: {text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "failed after {:?}, not at once",
        started.elapsed()
    );
    if let (Some(before), Some(after)) = (before, rss()) {
        assert!(
            after.saturating_sub(before) < 64 * 1024 * 1024,
            "RSS grew from {before} to {after} bytes"
        );
    }
    producer.close().await.expect("close");
}
