//! The fake broker plays a one-node cluster well enough for the real
//! producer and consumer: what they send lands in its partitions, what it
//! holds comes back to them, and it counts the requests. Its faults reach
//! the client as the errors they should be.

mod broker_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use broker_support::{
    FakeBroker, FakeCluster, Reply, connect_with, consume_exactly, consumer, producer,
};
use bytes::Bytes;
use krafka_client::{ConnectionConfig, ProducerRecord, TopicPartition};
use krafka_core::messages::{FetchRequest, MetadataRequest};
use krafka_core::{ApiKey, KrafkaError};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_producer_and_the_consumer_run_against_the_fake_cluster() {
    let cluster = FakeCluster::new().topic("fake-events", 2).with_values(
        "fake-events",
        1,
        &["old-0", "old-1"],
    );
    let fake = FakeBroker::start(cluster.script()).await;

    let producer = producer(&fake.addr, &[("linger.ms", "0")]).await;
    for i in 0..3 {
        let delivery = producer
            .send(
                ProducerRecord::new("fake-events")
                    .partition(0)
                    .value(format!("new-{i}")),
            )
            .await
            .expect("send");
        let written = delivery.await.expect("delivered");
        assert_eq!((written.partition, written.offset), (0, i));
    }
    producer.close().await.expect("close");
    let values: Vec<Option<Bytes>> = cluster
        .records("fake-events", 0)
        .into_iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(
        values,
        ["new-0", "new-1", "new-2"].map(|v| Some(Bytes::from(v)))
    );
    assert_eq!(fake.requests(ApiKey::InitProducerId), 1);
    assert!(fake.requests(ApiKey::Produce) >= 1);

    let consumer = consumer(&fake.addr, &[("auto.offset.reset", "earliest")]).await;
    let partitions = [
        TopicPartition::new("fake-events", 0),
        TopicPartition::new("fake-events", 1),
    ];
    consumer.assign(partitions.clone()).await.expect("assign");
    let ends = consumer.end_offsets(&partitions).await.expect("ends");
    assert_eq!(
        ends,
        [(partitions[0].clone(), 3), (partitions[1].clone(), 2)]
    );
    let mut got: Vec<(i32, i64, Option<Bytes>)> =
        consume_exactly(&consumer, 5, Duration::from_secs(10))
            .await
            .into_iter()
            .map(|r| (r.partition, r.offset, r.value))
            .collect();
    got.sort_by_key(|(p, o, _)| (*p, *o));
    let expected: Vec<(i32, i64, Option<Bytes>)> = [
        (0, 0, "new-0"),
        (0, 1, "new-1"),
        (0, 2, "new-2"),
        (1, 0, "old-0"),
        (1, 1, "old-1"),
    ]
    .into_iter()
    .map(|(p, o, v)| (p, o, Some(Bytes::from(v))))
    .collect();
    assert_eq!(got, expected);
    assert!(fake.requests(ApiKey::Fetch) >= 1);
    assert!(fake.requests(ApiKey::ListOffsets) >= 1);
    consumer.close().await.expect("close");
}

#[tokio::test]
async fn truncated_and_late_answers_reach_the_client_as_typed_errors() {
    let cluster = FakeCluster::new().topic("t", 1);
    let honest = cluster.clone();
    let late = cluster.clone();
    let fake = FakeBroker::start(cluster.script().on(ApiKey::Metadata, move |request| {
        if request.seen == 0 {
            // The header and a few bytes of the body, in a frame that says so.
            Reply::message(honest.metadata(request)).truncated(10)
        } else {
            Reply::message(late.metadata(request)).delayed(Duration::from_secs(2))
        }
    }))
    .await;
    let config = ConnectionConfig {
        request_timeout: Duration::from_millis(300),
        ..ConnectionConfig::default()
    };
    let conn = connect_with(&fake.addr, &config).await;
    let error = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(error, KrafkaError::Decode(_)), "{error:?}");
    let conn = connect_with(&fake.addr, &config).await;
    let error = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(error, KrafkaError::Timeout { .. }), "{error:?}");
    assert_eq!(fake.metadata_requests(), 2);
}

/// A broker that refused krafka's newest ApiVersions once is not asked at
/// that version again: every later connection to it (here the producer's
/// and the consumer's own, after the general one) starts at the version it
/// accepted, and still reads its ranges.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_versions_are_refused_once_per_broker() {
    use krafka_core::versions::API_VERSIONS_MAX;
    let cluster =
        FakeCluster::new()
            .topic("fake-versions", 1)
            .with_values("fake-versions", 0, &["a"]);
    let fake = FakeBroker::start(cluster.script().versions(ApiKey::ApiVersions, 0, 3)).await;
    let producer = producer(&fake.addr, &[("linger.ms", "0")]).await;
    producer
        .send(ProducerRecord::new("fake-versions").partition(0).value("b"))
        .await
        .expect("send")
        .await
        .expect("delivered");
    producer.close().await.expect("close");
    let versions = fake.versions_of(ApiKey::ApiVersions);
    assert!(fake.connections() >= 2, "{versions:?}");
    assert_eq!(
        versions.iter().filter(|v| **v == API_VERSIONS_MAX).count(),
        1,
        "{versions:?}"
    );
    assert_eq!(
        versions.len() as u64,
        fake.connections() + 1,
        "{versions:?}"
    );
    assert!(versions[1..].iter().all(|v| *v == 3), "{versions:?}");
}

/// A broker that answers every Fetch at once with nothing: the consumer
/// fetches again at once a few times (Kafka answers early and empty now and
/// then while records are appended, and waiting would delay them), then
/// backs off `retry.backoff.ms`, doubling, instead of spinning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn early_empty_fetch_answers_are_retried_a_few_times_then_backed_off() {
    let cluster = FakeCluster::new().topic("early-empty", 1);
    let answers = cluster.clone();
    let script = cluster
        .script()
        .on(ApiKey::Fetch, move |r| Reply::message(answers.fetch(r)));
    let fake = FakeBroker::start(script).await;
    let consumer = consumer(
        &fake.addr,
        &[
            ("auto.offset.reset", "earliest"),
            ("fetch.max.wait.ms", "500"),
            ("retry.backoff.ms", "100"),
            ("retry.backoff.max.ms", "1000"),
        ],
    )
    .await;
    consumer
        .assign([TopicPartition::new("early-empty", 0)])
        .await
        .expect("assign");
    let until = tokio::time::Instant::now() + Duration::from_millis(1500);
    while tokio::time::Instant::now() < until {
        let records = consumer
            .poll(Duration::from_millis(100))
            .await
            .expect("poll");
        assert!(records.is_empty());
    }
    let fetches = fake.requests(ApiKey::Fetch);
    // Spinning would be thousands.
    // At once 1 + 3, then 100, 200, 400, 800 ms (with jitter): about 8.
    // Backing off after every answer: 4 (measured).
    assert!(
        (7..=20).contains(&fetches),
        "{fetches} Fetch requests in 1.5 s"
    );
    consumer.close().await.expect("close");
}

// One thread: the fetch task runs on until it waits, so without a pause for
// the application its next Fetch is claimed before the record is taken.
#[tokio::test]
async fn the_next_fetch_asks_again_for_a_partition_the_application_just_emptied() {
    let cluster = FakeCluster::new()
        .topic("grace", 2)
        .with_values("grace", 0, &["a"]);
    let answers = cluster.clone();
    // The (partition, fetch offset) pairs of every Fetch, in order.
    type Wanted = Vec<(i32, i64)>;
    let asked: Arc<Mutex<Vec<Wanted>>> = Arc::default();
    let log = Arc::clone(&asked);
    let script = cluster.script().on(ApiKey::Fetch, move |r| {
        let fetch: FetchRequest = r.decode();
        let wanted = fetch
            .topics
            .iter()
            .flat_map(|t| t.partitions.iter().map(|p| (p.partition, p.fetch_offset)))
            .collect();
        log.lock().expect("log").push(wanted);
        answers.fetch_reply(r)
    });
    let fake = FakeBroker::start(script).await;
    let consumer = consumer(
        &fake.addr,
        &[
            ("auto.offset.reset", "earliest"),
            ("fetch.max.wait.ms", "500"),
        ],
    )
    .await;
    consumer
        .assign([
            TopicPartition::new("grace", 0),
            TopicPartition::new("grace", 1),
        ])
        .await
        .expect("assign");
    // The application waits in poll, so it takes the record at once.
    let got = consume_exactly(&consumer, 1, Duration::from_secs(10)).await;
    assert_eq!((got[0].partition, got[0].offset), (0, 0));
    // The next Fetch is out (a long poll: nothing more to read).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let fetches = asked.lock().expect("log").clone();
    let brought = fetches
        .iter()
        .position(|f| f.contains(&(0, 0)))
        .expect("a Fetch from offset 0");
    // It asks for partition 0 again, from the next offset, not only for
    // partition 1 while partition 0 is being drained.
    let next = fetches.get(brought + 1).expect("a next Fetch");
    assert!(
        next.contains(&(0, 1)) && next.contains(&(1, 0)),
        "Fetches: {fetches:?}"
    );
    consumer.close().await.expect("close");
}
