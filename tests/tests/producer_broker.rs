//! The producer against the real single broker: records with keys, values,
//! headers, null values, explicit partitions and timestamps over several
//! partitions, read back with plain Fetch requests and compared exactly;
//! acks 0/1/all with every codec; buffer.memory backpressure; a custom
//! partitioner and the sticky one; batches split on MESSAGE_TOO_LARGE; many
//! batches of a partition in flight keep their order; batches grow past
//! `batch.size` while a flood waits for the one request in flight.

mod broker_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use broker_support::{connect, fetch_all, fetch_values, single, unique_topic};
use bytes::Bytes;
use krafka_client::TopicMetadata;
use krafka_client::{
    Acks, Partitioner, Producer, ProducerConfig, ProducerRecord, RecordMetadata, partition_for_key,
};
use krafka_client::{Connection, Kafka, KrafkaError};
use krafka_core::codec::Uuid;
use krafka_core::messages::create_topics::{CreatableTopic, CreatableTopicConfig};
use krafka_core::messages::delete_topics::DeleteTopicState;
use krafka_core::messages::{CreateTopicsRequest, DeleteTopicsRequest};
use krafka_core::records::{Compression, Header};

/// Creates a topic (with optional configs) and returns its id.
async fn create(conn: &Connection, name: &str, partitions: i32, configs: &[(&str, &str)]) -> Uuid {
    let request = CreateTopicsRequest {
        topics: vec![CreatableTopic {
            name: name.to_owned(),
            num_partitions: partitions,
            replication_factor: 1,
            configs: configs
                .iter()
                .map(|(k, v)| CreatableTopicConfig {
                    name: (*k).to_owned(),
                    value: Some((*v).to_owned()),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }],
        timeout_ms: 30_000,
        ..Default::default()
    };
    let response = conn.send_negotiated(&request).await.expect("CreateTopics");
    let topic = &response.topics[0];
    assert_eq!(
        topic.error_code, 0,
        "CreateTopics {name}: {:?}",
        topic.error_message
    );
    topic.topic_id
}

fn config(linger_ms: u64) -> ProducerConfig {
    ProducerConfig::builder()
        .bootstrap_servers([single()])
        .linger(Duration::from_millis(linger_ms))
        .build()
        .expect("config")
}

/// What a record must look like when read back.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    key: Option<Bytes>,
    value: Option<Bytes>,
    headers: Vec<Header>,
    timestamp: Option<i64>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_round_trip_over_partitions_in_order() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-roundtrip");
    let topic_id = create(&conn, &topic, 4, &[]).await;
    let producer = Producer::new(
        ProducerConfig::builder()
            .bootstrap_servers([single()])
            .linger(Duration::from_millis(20))
            .batch_size(2048)
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    let (producer_id, epoch) = producer.producer_id_and_epoch();
    assert!(producer_id >= 0 && epoch >= 0, "idempotent by default");

    let mut deliveries = Vec::new();
    for i in 0..600u32 {
        let mut record = ProducerRecord::new(&topic);
        match i % 6 {
            0 => {
                record = record
                    .key(format!("key-{}", i % 13))
                    .value(format!("value-{i}"))
            }
            1 => record = record.value(format!("keyless-{i}")),
            2 => {
                record = record
                    .key(format!("key-{}", i % 13))
                    .header("h1", Some(format!("v{i}")))
                    .header("null-header", None::<Bytes>)
                    .header("h1", Some("repeated"))
                    .value(vec![i as u8; (i % 50) as usize])
            }
            3 => record = record.key(format!("tombstone-{i}")), // null value
            4 => {
                record = record
                    .partition(3)
                    .timestamp(1_700_000_000_000 + i64::from(i))
                    .value(format!("pinned-{i}"))
            }
            _ => record = record.key(Bytes::new()).value(Bytes::new()),
        }
        let expected = Expected {
            key: record.key.clone(),
            value: record.value.clone(),
            headers: record.headers.clone(),
            timestamp: record.timestamp,
        };
        // The first sends wait for metadata; later ones go through try_send
        // without an await per record.
        let delivery = if i < 10 {
            producer.send(record).await.expect("send")
        } else {
            producer.try_send(record).expect("try_send")
        };
        deliveries.push((expected, delivery));
    }
    producer.flush().await;

    let mut by_partition: BTreeMap<i32, Vec<(RecordMetadata, Expected)>> = BTreeMap::new();
    for (expected, delivery) in deliveries {
        let written = delivery.await.expect("delivered");
        assert_eq!(written.topic, topic);
        if let Some(key) = &expected.key {
            assert_eq!(
                written.partition,
                partition_for_key(key, 4),
                "keyed placement"
            );
        }
        if expected.timestamp.is_some() {
            assert_eq!(written.partition, 3);
            assert_eq!(Some(written.timestamp), expected.timestamp);
        }
        by_partition
            .entry(written.partition)
            .or_default()
            .push((written, expected));
    }
    assert!(by_partition.len() >= 3, "records spread over partitions");

    for (partition, sent) in &by_partition {
        // Offsets follow the send order within the partition.
        for pair in sent.windows(2) {
            assert!(
                pair[0].0.offset < pair[1].0.offset,
                "order in {partition}: {} then {}",
                pair[0].0.offset,
                pair[1].0.offset
            );
        }
        let batches = fetch_all(&conn, &topic, topic_id, *partition).await;
        let mut next_sequence = 0;
        let mut read = Vec::new();
        for (header, records) in batches {
            assert_eq!(header.producer_id, producer_id);
            assert_eq!(header.producer_epoch, epoch);
            assert_eq!(
                header.base_sequence, next_sequence,
                "sequences in {partition}"
            );
            next_sequence += header.record_count;
            read.extend(records);
        }
        assert_eq!(read.len(), sent.len(), "records in {partition}");
        for (record, (written, expected)) in read.iter().zip(sent) {
            assert_eq!(record.offset, written.offset);
            assert_eq!(record.key, expected.key);
            assert_eq!(record.value, expected.value);
            assert_eq!(record.headers, expected.headers);
            assert_eq!(record.timestamp, written.timestamp);
            if let Some(ts) = expected.timestamp {
                assert_eq!(record.timestamp, ts);
            }
        }
    }
    producer.close().await.expect("close");
    assert!(matches!(
        producer.try_send(ProducerRecord::new(&topic).value("late")),
        Err(KrafkaError::State(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acks_and_codecs() {
    let conn = connect(&single()).await;
    let cases = [
        (Acks::All, Compression::None, true),
        (Acks::All, Compression::Gzip, true),
        (Acks::Leader, Compression::Snappy, false),
        (Acks::Leader, Compression::Lz4, false),
        (Acks::None, Compression::Zstd, false),
    ];
    for (acks, compression, idempotent) in cases {
        let topic = unique_topic("producer-acks");
        let topic_id = create(&conn, &topic, 2, &[]).await;
        if acks == Acks::None {
            // An acks=0 request the broker cannot take yet (partition not
            // loaded) is dropped with the connection: wait until both
            // partitions serve reads.
            for partition in 0..2 {
                assert!(
                    fetch_all(&conn, &topic, topic_id, partition)
                        .await
                        .is_empty()
                );
            }
        }
        let producer = Producer::new(
            ProducerConfig::builder()
                .bootstrap_servers([single()])
                .acks(acks)
                .compression(compression)
                .enable_idempotence(idempotent)
                .build()
                .expect("config"),
        )
        .await
        .expect("producer");
        let mut deliveries = Vec::new();
        for i in 0..100 {
            let record = ProducerRecord::new(&topic)
                .partition(i % 2)
                .key(format!("k{i}"))
                .value(format!("{acks:?}-{compression}-{i}").repeat(5));
            deliveries.push(producer.send(record).await.expect("send"));
        }
        producer.flush().await;
        let mut offsets = [Vec::new(), Vec::new()];
        for delivery in deliveries {
            let written = delivery.await.expect("delivered");
            offsets[written.partition as usize].push(written.offset);
        }
        for (partition, offsets) in offsets.iter().enumerate() {
            if acks == Acks::None {
                assert!(offsets.iter().all(|&o| o == -1));
            } else {
                assert_eq!(*offsets, (0..50).collect::<Vec<i64>>());
            }
            let mut batches = fetch_all(&conn, &topic, topic_id, partition as i32).await;
            // acks=0 confirms nothing: the broker may append after flush returns.
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while acks == Acks::None
                && batches.iter().map(|(_, r)| r.len()).sum::<usize>() < 50
                && std::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
                batches = fetch_all(&conn, &topic, topic_id, partition as i32).await;
            }
            let values: Vec<Bytes> = batches
                .iter()
                .flat_map(|(_, records)| records.iter().map(|r| r.value.clone().expect("value")))
                .collect();
            let expected: Vec<Bytes> = (0..100)
                .filter(|i| i % 2 == partition)
                .map(|i| Bytes::from(format!("{acks:?}-{compression}-{i}").repeat(5)))
                .collect();
            assert_eq!(
                values, expected,
                "{acks:?} {compression} partition {partition}"
            );
            for (header, _) in &batches {
                assert_eq!(header.attributes.compression().ok(), Some(compression));
                assert_eq!(header.producer_id >= 0, idempotent);
            }
        }
        producer.close().await.expect("close");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffer_memory_applies_backpressure() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-memory");
    create(&conn, &topic, 1, &[]).await;
    let producer = Producer::new(
        ProducerConfig::builder()
            .bootstrap_servers([single()])
            .buffer_memory(8 * 1024)
            .batch_size(64 * 1024)
            .linger(Duration::from_secs(20))
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    let value = Bytes::from(vec![7u8; 1000]);
    let first = producer
        .send(ProducerRecord::new(&topic).value(value.clone()))
        .await
        .expect("send");
    let mut queued = vec![first];
    let full = loop {
        match producer.try_send(ProducerRecord::new(&topic).value(value.clone())) {
            Ok(delivery) => queued.push(delivery),
            Err(error) => break error,
        }
        assert!(queued.len() < 20, "buffer.memory is not enforced");
    };
    assert!(matches!(full, KrafkaError::State(_)), "{full}");
    // A record takes its bytes plus at most 36 bytes of framing; nothing
    // was sent yet (linger.ms is 20 s and no send waited for memory).
    assert_eq!(queued.len(), 8192 / 1036, "records that fit in 8 KiB");
    // A blocking send waits for room: linger is 20 s, but a send waiting
    // for memory makes batches ready at once, so it gets room soon.
    let waited = tokio::time::timeout(
        Duration::from_secs(10),
        producer.send(ProducerRecord::new(&topic).value(value.clone())),
    )
    .await
    .expect("send got room")
    .expect("send");
    queued.push(waited);
    // Larger than buffer.memory: never fits.
    let huge = producer
        .send(ProducerRecord::new(&topic).value(vec![0u8; 9000]))
        .await
        .expect_err("too large");
    assert!(
        matches!(
            huge,
            KrafkaError::RecordTooLarge { size, max: 8192, setting: "buffer.memory" } if size > 9000
        ),
        "{huge}"
    );
    producer.flush().await;
    for (i, delivery) in queued.into_iter().enumerate() {
        assert_eq!(delivery.await.expect("delivered").offset, i as i64);
    }
    producer.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_over_max_request_size_is_refused_before_it_is_queued() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-too-large");
    create(&conn, &topic, 1, &[]).await;
    let producer = Producer::new(
        ProducerConfig::builder()
            .bootstrap_servers([single()])
            .max_request_size(2000)
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    let refused = producer
        .send(ProducerRecord::new(&topic).value(vec![0u8; 2000]))
        .await
        .expect_err("too large");
    assert!(
        matches!(
            refused,
            KrafkaError::RecordTooLarge { size, max: 2000, setting: "max.request.size" } if size > 2000
        ),
        "{refused}"
    );
    assert!(!refused.is_retriable());
    // Nothing was queued: a record that fits still goes through.
    let delivered = producer
        .send(ProducerRecord::new(&topic).value(vec![0u8; 100]))
        .await
        .expect("send")
        .await
        .expect("delivered");
    assert_eq!(delivered.offset, 0);
    producer.close().await.expect("close");
}

/// Sends everything with a value starting with `b"two"` to partition 2.
#[derive(Debug)]
struct ByValue;

impl Partitioner for ByValue {
    fn partition(&self, _: &TopicMetadata, _: Option<&[u8]>, value: Option<&[u8]>) -> Option<i32> {
        value.filter(|v| v.starts_with(b"two")).map(|_| 2)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_and_sticky_partitioners() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-partitioners");
    create(&conn, &topic, 4, &[]).await;
    let mut config = config(0);
    config.batch_size = 500;
    // Sent without waiting, the records back up: a batch then grows to the
    // growth limit (max.request.size, at most 1 MiB) and the sticky
    // partition stays until it is reached; 2,000 bytes keeps the runs short.
    config.max_request_size = 2000;
    let producer = Kafka::connect(config.client.clone())
        .await
        .expect("client")
        .producer_with(config, Some(Arc::new(ByValue)))
        .await
        .expect("producer");
    let outside = producer
        .send(ProducerRecord::new(&topic).partition(4).value("x"))
        .await
        .expect_err("partition 4 of 4");
    assert!(matches!(outside, KrafkaError::Config(_)), "{outside}");
    let mut custom = Vec::new();
    let mut sticky = Vec::new();
    for i in 0..200 {
        custom.push(
            producer
                .send(
                    ProducerRecord::new(&topic)
                        .key(format!("k{i}"))
                        .value(format!("two-{i}")),
                )
                .await
                .expect("send"),
        );
        sticky.push(
            producer
                .send(ProducerRecord::new(&topic).value(format!("keyless-{i:04}-padding-padding")))
                .await
                .expect("send"),
        );
    }
    producer.flush().await;
    for delivery in custom {
        assert_eq!(delivery.await.expect("delivered").partition, 2);
    }
    let mut partitions = Vec::new();
    for delivery in sticky {
        partitions.push(delivery.await.expect("delivered").partition);
    }
    // Sticky: runs of one partition (batch.size bytes each, up to 2,000
    // while backed up), several partitions used.
    let switches = partitions.windows(2).filter(|w| w[0] != w[1]).count();
    let used: std::collections::BTreeSet<i32> = partitions.iter().copied().collect();
    assert!(used.len() >= 2, "{partitions:?}");
    assert!(
        (3..40).contains(&switches),
        "{switches} switches: {partitions:?}"
    );
    producer.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_batches_are_split() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-split");
    let topic_id = create(&conn, &topic, 1, &[("max.message.bytes", "3000")]).await;
    let producer = Producer::new(
        ProducerConfig::builder()
            .bootstrap_servers([single()])
            .batch_size(100_000)
            .linger(Duration::from_millis(200))
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    let mut deliveries = Vec::new();
    for i in 0..40u8 {
        deliveries.push(
            producer
                .send(ProducerRecord::new(&topic).value(vec![i; 400]))
                .await
                .expect("send"),
        );
    }
    producer.flush().await;
    for (i, delivery) in deliveries.into_iter().enumerate() {
        let written = delivery.await.expect("delivered after splitting");
        assert_eq!(written.offset, i as i64);
    }
    let batches = fetch_all(&conn, &topic, topic_id, 0).await;
    assert!(batches.len() >= 8, "split into {} batches", batches.len());
    let values: Vec<u8> = batches
        .iter()
        .flat_map(|(_, records)| records.iter().map(|r| r.value.as_ref().expect("value")[0]))
        .collect();
    assert_eq!(values, (0..40).collect::<Vec<u8>>());
    producer.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_property_names_and_drop_without_close() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-drop");
    let topic_id = create(&conn, &topic, 1, &[]).await;
    let bootstrap = single();
    let config = ProducerConfig::from_properties([
        ("bootstrap.servers", bootstrap.as_str()),
        ("linger.ms", "50"),
        ("batch.size", "1000"),
        ("max.request.size", "3000"),
        ("acks", "all"),
        ("enable.idempotence", "true"),
        ("compression.type", "lz4"),
        ("max.in.flight.requests.per.connection", "2"),
        ("delivery.timeout.ms", "60000"),
    ])
    .expect("config");
    let producer = Producer::new(config).await.expect("producer");
    let mut deliveries = Vec::new();
    for i in 0..300 {
        deliveries.push(
            producer
                .send(ProducerRecord::new(&topic).value(format!("record-{i:05}")))
                .await
                .expect("send"),
        );
    }
    // No flush, no close: dropping the last handle still sends what is queued.
    drop(producer);
    for (i, delivery) in deliveries.into_iter().enumerate() {
        assert_eq!(delivery.await.expect("delivered").offset, i as i64);
    }
    let batches = fetch_all(&conn, &topic, topic_id, 0).await;
    let values: Vec<Bytes> = batches
        .iter()
        .flat_map(|(_, records)| records.iter().map(|r| r.value.clone().expect("value")))
        .collect();
    let expected: Vec<Bytes> = (0..300)
        .map(|i| Bytes::from(format!("record-{i:05}")))
        .collect();
    assert_eq!(values, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retriable_errors_are_retried_until_the_delivery_timeout() {
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-retries");
    create(&conn, &topic, 1, &[]).await;
    let client = krafka_client::ClientConfig::builder()
        .bootstrap_servers([single()])
        .request_timeout(Duration::from_millis(1000))
        .retry_backoff(Duration::from_millis(50))
        .retry_backoff_max(Duration::from_millis(200))
        .build()
        .expect("client config");
    let producer = Producer::new(
        ProducerConfig::builder()
            .client(client)
            .linger(Duration::ZERO)
            .delivery_timeout(Duration::from_millis(2000))
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    let written = producer
        .send(ProducerRecord::new(&topic).value("before"))
        .await
        .expect("send")
        .await
        .expect("delivered");
    assert_eq!(written.offset, 0);

    // Delete the topic behind the producer's back: its cached metadata
    // still names a leader, which answers UNKNOWN_TOPIC_OR_PARTITION
    // (retriable, stale metadata); the refreshed metadata has no leader.
    let deleted = conn
        .send_negotiated(&DeleteTopicsRequest {
            topics: vec![DeleteTopicState {
                name: Some(topic.clone()),
                ..Default::default()
            }],
            topic_names: vec![topic.clone()],
            timeout_ms: 30_000,
            ..Default::default()
        })
        .await
        .expect("DeleteTopics");
    assert_eq!(deleted.responses[0].error_code, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = std::time::Instant::now();
    let error = producer
        .send(ProducerRecord::new(&topic).value("after"))
        .await
        .expect("send (metadata still cached)")
        .await
        .expect_err("the topic is gone");
    let elapsed = started.elapsed();
    assert!(
        error.error_code() == Some(krafka_core::ErrorCode::UnknownTopicOrPartition)
            || matches!(error, KrafkaError::Timeout { .. }),
        "{error}"
    );
    // Retried (with backoff) until delivery.timeout.ms, not failed at once.
    assert!(
        elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    producer.close().await.expect("close");
}

/// Many small batches of one partition in flight at once (max.in.flight 5),
/// without idempotence, so that only the order in which requests reach the
/// broker keeps the records in order: offsets and stored values follow the
/// send order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_batches_keep_the_send_order() {
    let conn = connect(&single()).await;
    for (acks, idempotence) in [("1", "false"), ("all", "true")] {
        let topic = unique_topic("producer-pipelined");
        let topic_id = create(&conn, &topic, 1, &[]).await;
        let producer = broker_support::producer(
            &single(),
            &[
                ("acks", acks),
                ("enable.idempotence", idempotence),
                ("batch.size", "256"),
                ("linger.ms", "0"),
                ("max.in.flight.requests.per.connection", "5"),
            ],
        )
        .await;
        let mut deliveries = Vec::new();
        for i in 0..20_000 {
            let record = ProducerRecord::new(&topic).value(format!("v{i:06}"));
            deliveries.push(producer.send(record).await.expect("send"));
        }
        producer.flush().await;
        let mut last = -1;
        for (i, delivery) in deliveries.into_iter().enumerate() {
            let offset = delivery.await.expect("delivered").offset;
            assert!(
                offset > last,
                "acks={acks}: record {i} at {offset} after {last}"
            );
            last = offset;
        }
        let values = fetch_values(&conn, &topic, topic_id, 0).await;
        let expected: Vec<Bytes> = (0..20_000)
            .map(|i| Bytes::from(format!("v{i:06}")))
            .collect();
        assert!(values == expected, "acks={acks}: stored out of order");
        producer.close().await.expect("close");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_grow_past_batch_size_while_the_request_in_flight_holds_them_up() {
    const RECORDS: usize = 200_000;
    let conn = connect(&single()).await;
    let topic = unique_topic("producer-growth");
    let topic_id = create(&conn, &topic, 1, &[]).await;
    let producer = broker_support::producer(
        &single(),
        &[
            ("batch.size", "16384"),
            ("linger.ms", "5"),
            ("max.in.flight.requests.per.connection", "1"),
        ],
    )
    .await;
    let mut deliveries = Vec::with_capacity(RECORDS);
    for i in 0..RECORDS {
        let record = ProducerRecord::new(&topic).value(format!("{i:0100}"));
        deliveries.push(producer.send(record).await.expect("send"));
    }
    producer.flush().await;
    let mut last = -1;
    for (i, delivery) in deliveries.into_iter().enumerate() {
        let offset = delivery.await.expect("delivered").offset;
        assert!(offset > last, "record {i} at {offset} after {last}");
        last = offset;
    }
    let batches = fetch_all(&conn, &topic, topic_id, 0).await;
    let values: Vec<Bytes> = batches
        .iter()
        .flat_map(|(_, records)| records.iter())
        .map(|record| record.value.clone().expect("value"))
        .collect();
    assert_eq!(values.len(), RECORDS, "each record once");
    assert!(
        values
            .iter()
            .enumerate()
            .all(|(i, value)| value[..] == *format!("{i:0100}").as_bytes()),
        "stored in send order"
    );
    let largest = batches
        .iter()
        .map(|(header, _)| header.batch_length)
        .max()
        .expect("batches");
    // 16 KiB batches would need about 1,400 requests, one at a time; with
    // the flood waiting on each, the open batch takes what arrives.
    assert!(
        largest > 4 * 16_384,
        "largest batch {largest} bytes of {} batches",
        batches.len()
    );
    assert!(largest <= 1 << 20, "largest batch {largest} bytes");
    assert!(
        batches.len() < RECORDS * 110 / 16_384,
        "{} batches",
        batches.len()
    );
    producer.close().await.expect("close");
    let deleted = conn
        .send_negotiated(&DeleteTopicsRequest {
            topics: vec![DeleteTopicState {
                name: Some(topic.clone()),
                ..Default::default()
            }],
            topic_names: vec![topic.clone()],
            timeout_ms: 30_000,
            ..Default::default()
        })
        .await
        .expect("DeleteTopics");
    assert_eq!(deleted.responses[0].error_code, 0);
}
