//! The producer and the consumer against the real 3-node cluster through a
//! misbehaving network (`broker_support::faults`): latency, a bandwidth
//! cap, connections reset in the middle of a frame, a connection
//! black-holed until `request.timeout.ms` gives up on it. No broker is
//! stopped.
//!
//! * The idempotent producer (`acks=all`) keeps sending keyed records while
//!   its produce connections fail; every record is stored exactly once, in
//!   send order per partition (read back without faults).
//! * The consumer reads a topic while its fetch connections fail (resets
//!   and a black hole too); it hands out every record once, in offset order
//!   per partition, and its buffered fetched data stays within
//!   `(brokers + 1) × fetch.max.bytes`.

mod broker_support;

use std::collections::BTreeMap;
use std::time::Duration;

use broker_support::faults::{Fault, FaultyNetwork, NetworkConfig};
use broker_support::{cluster, connect, consume_exactly, create_topic, unique_topic};
use krafka_client::ProducerRecord;
use krafka_client::{
    ClientConfig, ConsumerConfig, ConsumerRecord, Kafka, OffsetReset, ProducerConfig,
    TopicPartition,
};
use tokio::time::Instant;

const PRODUCE: i16 = 0;
const FETCH: i16 = 1;
const PARTITIONS: i32 = 3;
const BROKERS: usize = 3;
/// Short, so that a black-holed request is given up within the test.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

fn client() -> ClientConfig {
    ClientConfig::builder()
        .bootstrap_servers([cluster()])
        .request_timeout(REQUEST_TIMEOUT)
        .retry_backoff(Duration::from_millis(50))
        .retry_backoff_max(Duration::from_millis(500))
        .reconnect_backoff_max(Duration::from_millis(500))
        .build()
        .expect("client config")
}

async fn topic(prefix: &str) -> String {
    let conn = connect(&cluster()).await;
    let topic = unique_topic(prefix);
    create_topic(&conn, &topic, PARTITIONS, 3).await;
    topic
}

fn partitions(topic: &str) -> Vec<TopicPartition> {
    (0..PARTITIONS)
        .map(|p| TopicPartition::new(topic, p))
        .collect()
}

/// Every record of `topic`, read over a healthy network.
async fn read_back(topic: &str) -> Vec<ConsumerRecord> {
    let kafka = Kafka::connect(client()).await.expect("connect");
    let consumer = kafka
        .consumer(ConsumerConfig {
            auto_offset_reset: OffsetReset::Earliest,
            fetch_max_wait: Duration::from_millis(100),
            ..ConsumerConfig::default()
        })
        .expect("consumer");
    let tps = partitions(topic);
    consumer.assign(tps.clone()).await.expect("assign");
    let ends = consumer.end_offsets(&tps).await.expect("end offsets");
    let total: i64 = ends.iter().map(|(_, end)| end).sum();
    consume_exactly(&consumer, total as usize, Duration::from_secs(60)).await
}

/// The records' values (decimal numbers) by partition, in the order read.
fn values_by_partition(records: &[ConsumerRecord]) -> BTreeMap<i32, Vec<(i64, usize)>> {
    let mut by_partition: BTreeMap<i32, Vec<(i64, usize)>> = BTreeMap::new();
    for record in records {
        let value = record.value.as_deref().expect("a value");
        let number = std::str::from_utf8(value)
            .ok()
            .and_then(|v| v.parse().ok())
            .expect("a numbered value");
        by_partition
            .entry(record.partition)
            .or_default()
            .push((record.offset, number));
    }
    by_partition
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idempotent_producer_stores_every_record_once_in_order_through_faults() {
    let started = Instant::now();
    let topic = topic("faults-producer").await;
    let schedule = vec![
        Fault::ResetResponse { frame: 3 },
        Fault::ResetRequest { frame: 3 },
        Fault::BlackHole { frame: 3 },
        Fault::ResetResponse { frame: 2 },
        Fault::ResetRequest { frame: 2 },
        Fault::ResetResponse { frame: 5 },
    ];
    let faults = schedule.len() as u64;
    let network = FaultyNetwork::new(NetworkConfig {
        latency: Duration::from_millis(2),
        bandwidth: Some(1024 * 1024),
        target_api: PRODUCE,
        schedule,
    });
    let kafka = Kafka::connect_with(client(), network.connector())
        .await
        .expect("connect through the faulty network");
    let mut config = ProducerConfig::builder()
        .client(client())
        .linger(Duration::from_millis(2))
        .batch_size(2048)
        .build()
        .expect("producer config");
    config.set("acks", "all").expect("acks");
    config
        .set("enable.idempotence", "true")
        .expect("idempotence");
    let producer = kafka.producer(config).await.expect("producer");

    // Keyed records, sent until every fault has happened and 2,000 more.
    let mut deliveries = Vec::new();
    let mut after_faults = 0;
    while after_faults < 2_000 {
        let i = deliveries.len();
        let record = ProducerRecord::new(&topic)
            .key(format!("key-{}", i % 37))
            .value(i.to_string());
        deliveries.push(producer.send(record).await.expect("send"));
        if i % 20 == 0 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let stats = network.stats();
        if stats.request_resets + stats.response_resets + stats.black_holes == faults {
            after_faults += 1;
        } else {
            assert!(
                started.elapsed() < Duration::from_secs(40),
                "the faults did not all happen: {stats:?}"
            );
        }
    }
    producer.flush().await;
    let sent = deliveries.len();
    let mut partition_of = Vec::with_capacity(sent);
    let mut acked: BTreeMap<i32, i64> = BTreeMap::new();
    for (i, delivery) in deliveries.into_iter().enumerate() {
        let written = delivery
            .await
            .unwrap_or_else(|e| panic!("record {i} failed: {e}"));
        // -1: the broker recognised a retried batch as one it already had.
        if written.offset >= 0 {
            let last = acked.entry(written.partition).or_insert(-1);
            assert!(
                written.offset > *last,
                "record {i} acknowledged out of order"
            );
            *last = written.offset;
        }
        partition_of.push(written.partition);
    }
    let stats = network.stats();
    producer.close().await.expect("close");

    let records = read_back(&topic).await;
    assert_eq!(records.len(), sent, "records lost or duplicated");
    let mut seen = vec![false; sent];
    for (partition, values) in values_by_partition(&records) {
        let mut last = None;
        for (offset, i) in values {
            assert!(i < sent, "a record never sent: {i}");
            assert!(!seen[i], "record {i} stored twice");
            seen[i] = true;
            assert_eq!(
                partition_of[i], partition,
                "record {i} in another partition"
            );
            assert!(
                last.is_none_or(|last| i > last),
                "{partition}@{offset}: record {i} stored after {last:?}"
            );
            last = Some(i);
        }
    }
    eprintln!(
        "faulty producer: {sent} records in {:.1} s, {stats:?}",
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_hands_out_every_record_once_in_order_through_faults() {
    const RECORDS: usize = 30_000;
    const FETCH_MAX_BYTES: usize = 128 * 1024;
    let topic = topic("faults-consumer").await;
    {
        let kafka = Kafka::connect(client()).await.expect("connect");
        // 16 KiB batches as before batches could grow (a grown batch is
        // one whole Fetch answer, and the schedule's frames would not all
        // come).
        let producer = kafka
            .producer(ProducerConfig {
                max_request_size: 16 * 1024,
                ..ProducerConfig::default()
            })
            .await
            .expect("producer");
        let filler = "x".repeat(90);
        for i in 0..RECORDS {
            let record = ProducerRecord::new(&topic)
                .key(format!("key-{}", i % 101))
                .value(format!("{i}"))
                .header("filler", Some(filler.clone()));
            drop(producer.send(record).await.expect("send"));
        }
        producer.flush().await;
        producer.close().await.expect("close producer");
    }

    let started = Instant::now();
    let schedule = vec![
        Fault::ResetResponse { frame: 3 },
        Fault::ResetResponse { frame: 2 },
        Fault::ResetRequest { frame: 3 },
        Fault::ResetResponse { frame: 5 },
        Fault::BlackHole { frame: 4 },
        Fault::ResetRequest { frame: 2 },
        Fault::ResetResponse { frame: 4 },
    ];
    let faults = schedule.len() as u64;
    let network = FaultyNetwork::new(NetworkConfig {
        latency: Duration::from_millis(5),
        bandwidth: Some(2 * 1024 * 1024),
        target_api: FETCH,
        schedule,
    });
    let kafka = Kafka::connect_with(client(), network.connector())
        .await
        .expect("connect through the faulty network");
    let consumer = kafka
        .consumer(ConsumerConfig {
            auto_offset_reset: OffsetReset::Earliest,
            fetch_max_wait: Duration::from_millis(100),
            fetch_max_bytes: FETCH_MAX_BYTES as i32,
            max_partition_fetch_bytes: 64 * 1024,
            ..ConsumerConfig::default()
        })
        .expect("consumer");
    consumer.assign(partitions(&topic)).await.expect("assign");
    // Half-way, a slow application for a moment: the fetchers fill up to
    // the bound.
    let mut records = consume_exactly(&consumer, RECORDS / 2 + 1, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rest = RECORDS.saturating_sub(records.len());
    records.extend(consume_exactly(&consumer, rest, Duration::from_secs(60)).await);
    let stats = network.stats();
    let peak = consumer.peak_buffered_bytes();
    let elapsed = started.elapsed();

    assert_eq!(records.len(), RECORDS);
    let mut seen = vec![false; RECORDS];
    for (partition, values) in values_by_partition(&records) {
        for (expected, (offset, i)) in values.into_iter().enumerate() {
            assert_eq!(
                offset, expected as i64,
                "partition {partition}: offset {offset} where {expected} was next"
            );
            assert!(!seen[i], "record {i} handed out twice");
            seen[i] = true;
        }
    }
    assert_eq!(
        stats.request_resets + stats.response_resets + stats.black_holes,
        faults,
        "every scheduled fault happened: {stats:?}"
    );
    let bound = (BROKERS + 1) * FETCH_MAX_BYTES;
    assert!(peak > 0, "nothing was ever buffered");
    assert!(
        peak <= bound,
        "{peak} bytes buffered at once, above (brokers + 1) × fetch.max.bytes = {bound}"
    );
    eprintln!(
        "faulty consumer: {RECORDS} records in {:.1} s, peak buffered {peak} bytes \
         (bound {bound}), {stats:?}",
        elapsed.as_secs_f64()
    );
    consumer.close().await.expect("close");
}
