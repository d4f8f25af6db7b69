//! The producer against Kafka 3.9.2 (the `old` broker of
//! `scripts/kafka/kafka.sh`), which speaks Produce and Fetch only up to the
//! versions that name topics (no topic ids): keyed, compressed, idempotent
//! records read back exactly.

mod broker_support;

use std::collections::BTreeMap;

use broker_support::{connect, create_topic, fetch_all, old, unique_topic};
use krafka_client::{Producer, ProducerConfig, ProducerRecord, partition_for_key};
use krafka_core::records::Compression;

/// Kafka 3.9 speaks Produce up to v11: topics go by name, not id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_broker_by_topic_name() {
    let conn = connect(&old()).await;
    let topic = unique_topic("producer-old");
    let topic_id = create_topic(&conn, &topic, 3, 1).await.topic_id;
    let producer = Producer::new(
        ProducerConfig::builder()
            .bootstrap_servers([old()])
            .compression(Compression::Gzip)
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    let version = producer
        .cluster()
        .api_version(1, krafka_core::ApiKey::Produce)
        .await
        .expect("version");
    assert!(version.is_some_and(|v| v < 13), "{version:?}");
    let mut deliveries = Vec::new();
    for i in 0..150 {
        let record = ProducerRecord::new(&topic)
            .key(format!("key-{}", i % 10))
            .value(format!("value-{i}"))
            .header("i", Some(i.to_string()));
        deliveries.push((i, producer.send(record).await.expect("send")));
    }
    producer.flush().await;
    let mut sent: BTreeMap<i32, Vec<(i64, String)>> = BTreeMap::new();
    for (i, delivery) in deliveries {
        let written = delivery.await.expect("delivered");
        let key = format!("key-{}", i % 10);
        assert_eq!(written.partition, partition_for_key(key.as_bytes(), 3));
        sent.entry(written.partition)
            .or_default()
            .push((written.offset, format!("value-{i}")));
    }
    for (partition, expected) in sent {
        let read: Vec<(i64, String)> = fetch_all(&conn, &topic, topic_id, partition)
            .await
            .into_iter()
            .flat_map(|(_, records)| records)
            .map(|r| {
                let value = r.value.expect("value");
                (r.offset, String::from_utf8(value.to_vec()).expect("utf-8"))
            })
            .collect();
        assert_eq!(read, expected, "partition {partition}");
    }
    producer.close().await.expect("close");
}
