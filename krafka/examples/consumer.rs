//! Reads every partition of a topic from the beginning, with partitions
//! assigned by hand (no consumer group), until it has caught up with the
//! end offsets it found at the start; prints each record with its headers.
//! `examples/producer.rs` writes records to read.
//!
//! Run with `cargo run -p krafka --example consumer` against the Kafka at
//! `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`); `KRAFKA_TOPIC` names the
//! topic (default `krafka-example`).

use std::time::{Duration, Instant};

use krafka::{ClientConfig, ConsumerConfig, Kafka, KrafkaError, OffsetReset, TopicPartition};

#[tokio::main]
async fn main() -> Result<(), KrafkaError> {
    let bootstrap =
        std::env::var("KRAFKA_BOOTSTRAP").unwrap_or_else(|_| "127.0.0.1:9092".to_owned());
    let topic = std::env::var("KRAFKA_TOPIC").unwrap_or_else(|_| "krafka-example".to_owned());
    let kafka = Kafka::connect(
        ClientConfig::builder()
            .bootstrap_servers([bootstrap])
            .build()?,
    )
    .await?;
    let described = kafka.admin().describe_topics(&[topic.as_str()]).await?;
    let partitions: Vec<TopicPartition> = described
        .iter()
        .flat_map(|t| &t.partitions)
        .map(|p| TopicPartition::new(&topic, p.partition))
        .collect();

    let consumer = kafka.consumer(ConsumerConfig {
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    })?;
    consumer.assign(partitions.iter().cloned()).await?;
    let ends = consumer.end_offsets(&partitions).await?;

    let deadline = Instant::now() + Duration::from_secs(30);
    let caught_up = |consumer: &krafka::Consumer| {
        ends.iter()
            .all(|(tp, end)| consumer.current_position(tp).is_some_and(|at| at >= *end))
    };
    while !caught_up(&consumer) {
        if Instant::now() > deadline {
            return Err(KrafkaError::state("not caught up with the end within 30 s"));
        }
        for record in consumer.poll(Duration::from_millis(500)).await? {
            let headers: Vec<String> = record
                .headers
                .iter()
                .map(|h| {
                    let value = h.value.as_deref().unwrap_or_default();
                    format!(
                        "{}={}",
                        String::from_utf8_lossy(&h.key),
                        String::from_utf8_lossy(value)
                    )
                })
                .collect();
            println!(
                "{}-{} @ {}: {} = {} [{}]",
                record.topic,
                record.partition,
                record.offset,
                String::from_utf8_lossy(record.key.as_deref().unwrap_or_default()),
                String::from_utf8_lossy(record.value.as_deref().unwrap_or_default()),
                headers.join(", ")
            );
        }
    }
    consumer.close().await
}
