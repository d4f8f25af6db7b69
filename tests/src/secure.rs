//! What the secure-node tests (`security*.rs`) share: a round trip through
//! a new `secure-*` topic (the prefix the test users' ACLs allow) and
//! errors printed with their causes.

use std::error::Error;
use std::time::Duration;

use krafka_client::{
    ConsumerConfig, Kafka, KrafkaError, NewTopic, OffsetReset, ProducerConfig, ProducerRecord,
    TopicPartition,
};

/// Creates a `secure-<prefix>-…` topic through `writer`, writes three
/// records with it and reads them back, exactly, through `reader` (the
/// same handle, or one set up another way); panics with the error chain
/// on any failure.
pub async fn write_and_read_back(writer: &Kafka, reader: &Kafka, prefix: &str) {
    let topic = format!("secure-{}", crate::unique_topic(prefix));
    writer
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await
        .unwrap_or_else(|e| panic!("create {topic}: {}", chain(&e)));
    let producer = writer
        .producer(ProducerConfig::default())
        .await
        .unwrap_or_else(|e| panic!("producer: {}", chain(&e)));
    let values: Vec<String> = (0..3).map(|i| format!("{prefix} {i}")).collect();
    for value in &values {
        producer
            .send(ProducerRecord::new(&topic).value(value.clone()))
            .await
            .unwrap_or_else(|e| panic!("send: {}", chain(&e)))
            .await
            .unwrap_or_else(|e| panic!("delivery: {}", chain(&e)));
    }
    let consumer = reader
        .consumer(ConsumerConfig {
            fetch_max_wait: Duration::from_millis(100),
            auto_offset_reset: OffsetReset::Earliest,
            ..ConsumerConfig::default()
        })
        .unwrap_or_else(|e| panic!("consumer: {}", chain(&e)));
    consumer
        .assign([TopicPartition::new(&topic, 0)])
        .await
        .unwrap_or_else(|e| panic!("assign: {}", chain(&e)));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut read = Vec::new();
    while read.len() < values.len() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {} records read back from {topic}",
            read.len(),
            values.len()
        );
        for record in consumer
            .poll(Duration::from_millis(200))
            .await
            .unwrap_or_else(|e| panic!("poll: {}", chain(&e)))
        {
            read.push(
                String::from_utf8_lossy(record.value.as_deref().unwrap_or_default()).into_owned(),
            );
        }
    }
    assert_eq!(read, values);
}

/// The error and its causes, as one line.
pub fn chain(error: &KrafkaError) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text = format!("{text}: {inner}");
        cause = inner.source();
    }
    text
}
