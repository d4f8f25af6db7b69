//! A broker that lies must not crash the client, exhaust its memory or make
//! it spin: each test scripts the fake broker with one lie and checks that
//! the client answers with a typed error or backs off.

mod broker_support;

use std::time::{Duration, Instant};

use broker_support::{FakeBroker, FakeCluster, Reply, consumer, producer};
use krafka_client::{ClientConfig, Kafka, ProducerRecord, TopicPartition};
use krafka_core::messages::fetch::PartitionData;
use krafka_core::messages::{FetchRequest, FetchResponse};
use krafka_core::{ApiKey, ErrorCode, KrafkaError};

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

/// A consumer of every partition of `topic` on the fake, from offset 0,
/// polled for `window`; returns how many Fetch requests the fake got.
async fn fetches_while_polling(fake: &FakeBroker, topic: &str, window: Duration) -> u64 {
    let consumer = consumer(
        &fake.addr,
        &[
            ("retry.backoff.ms", "100"),
            ("retry.backoff.max.ms", "1000"),
            ("request.timeout.ms", "200"),
        ],
    )
    .await;
    let tp = TopicPartition::new(topic, 0);
    consumer.assign([tp.clone()]).await.expect("assign");
    consumer.seek(&tp, 0).await.expect("seek");
    let deadline = Instant::now() + window;
    while Instant::now() < deadline {
        let records = consumer
            .poll(Duration::from_millis(100))
            .await
            .expect("poll");
        assert!(records.is_empty(), "the fake never sends records");
    }
    let fetches = fake.requests(ApiKey::Fetch);
    consumer.close().await.expect("close");
    eprintln!("{fetches} Fetch requests in {window:?}");
    fetches
}

/// With `retry.backoff.ms` 100 doubling to `retry.backoff.max.ms` 1000, three
/// seconds hold about six attempts; a consumer that does not back off sends
/// hundreds or thousands.
const MAX_FETCHES_IN_THREE_SECONDS: u64 = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_responses_without_the_partitions_asked_for_back_off() {
    let cluster = FakeCluster::new().topic("dropped", 1);
    let fake = FakeBroker::start(cluster.script().on(ApiKey::Fetch, |request| {
        let _: FetchRequest = request.decode();
        Reply::message(FetchResponse::default())
    }))
    .await;
    let fetches = fetches_while_polling(&fake, "dropped", Duration::from_secs(3)).await;
    assert!(
        (1..=MAX_FETCHES_IN_THREE_SECONDS).contains(&fetches),
        "{fetches} Fetch requests in 3 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_partition_errors_back_off_exponentially() {
    let cluster = FakeCluster::new().topic("refused", 1);
    let honest = cluster.clone();
    let fake = FakeBroker::start(cluster.script().on(ApiKey::Fetch, move |request| {
        let mut response = honest.fetch(request);
        for topic in &mut response.responses {
            for partition in &mut topic.partitions {
                *partition = PartitionData {
                    partition_index: partition.partition_index,
                    error_code: ErrorCode::NotLeaderOrFollower.code(),
                    ..Default::default()
                };
            }
        }
        Reply::message(response)
    }))
    .await;
    let fetches = fetches_while_polling(&fake, "refused", Duration::from_secs(3)).await;
    assert!(
        (1..=MAX_FETCHES_IN_THREE_SECONDS).contains(&fetches),
        "{fetches} Fetch requests in 3 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unanswered_fetches_back_off_too() {
    // Each attempt waits request.timeout.ms plus fetch.max.wait.ms (300 ms)
    // on a new connection, then the backoff: about five in three seconds,
    // ten without a backoff.
    let cluster = FakeCluster::new().topic("unanswered", 1);
    let fake = FakeBroker::start(cluster.script().on(ApiKey::Fetch, |_| Reply::silence())).await;
    let fetches = fetches_while_polling(&fake, "unanswered", Duration::from_secs(3)).await;
    assert!(
        (1..=7).contains(&fetches),
        "{fetches} Fetch requests in 3 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_with_only_metadata_v0_to_v3_is_refused_at_once() {
    // Krafka's Metadata requests carry allow_auto_topic_creation, which
    // exists from v4 on: it must not try to write them as v0-v3.
    let cluster = FakeCluster::new().topic("old", 1);
    let fake = FakeBroker::start(cluster.script().versions(ApiKey::Metadata, 0, 3)).await;
    let config = ClientConfig::from_properties([
        ("bootstrap.servers", fake.addr.as_str()),
        ("default.api.timeout.ms", "5000"),
    ])
    .expect("config");
    let started = Instant::now();
    let error = Kafka::connect(config)
        .await
        .expect_err("no Metadata version in common");
    assert!(
        matches!(
            error.cause(),
            KrafkaError::UnsupportedVersion {
                api: ApiKey::Metadata,
                client_min: 4,
                ..
            }
        ),
        "expected UnsupportedVersion for Metadata from v4, got {error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(fake.metadata_requests(), 0, "nothing was sent");
}
