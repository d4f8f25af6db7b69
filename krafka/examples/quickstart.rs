//! Produce three records and read them back, on one client handle.
//!
//! Run with `cargo run -p krafka --example quickstart` against the Kafka at
//! `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`).

use std::time::Duration;

use krafka::{
    ClientConfig, ConsumerConfig, Kafka, KrafkaError, NewTopic, OffsetReset, ProducerConfig,
    ProducerRecord, TopicPartition,
};

#[tokio::main]
async fn main() -> Result<(), KrafkaError> {
    let bootstrap =
        std::env::var("KRAFKA_BOOTSTRAP").unwrap_or_else(|_| "127.0.0.1:9092".to_owned());
    // One handle: metadata and broker connections shared by everything below.
    let kafka = Kafka::connect(
        ClientConfig::builder()
            .bootstrap_servers([bootstrap])
            .build()?,
    )
    .await?;
    let topic = format!("quickstart-{}", std::process::id());
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await?;

    let producer = kafka.producer(ProducerConfig::default()).await?;
    for i in 0..3 {
        // `send` queues the record; the future it returns resolves on delivery.
        let delivery = producer
            .send(
                ProducerRecord::new(&topic)
                    .key("greeting")
                    .value(format!("hello {i}")),
            )
            .await?;
        let written = delivery.await?;
        println!(
            "wrote {}-{} @ {}",
            written.topic, written.partition, written.offset
        );
    }

    let consumer = kafka.consumer(ConsumerConfig {
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    })?;
    consumer.assign([TopicPartition::new(&topic, 0)]).await?;
    let mut read = 0;
    for _ in 0..30 {
        for record in consumer.poll(Duration::from_secs(1)).await? {
            let value = record.value.as_deref().unwrap_or_default();
            println!(
                "read {} @ {}",
                String::from_utf8_lossy(value),
                record.offset
            );
            read += 1;
        }
        if read == 3 {
            break;
        }
    }
    kafka.admin().delete_topics(&[topic.as_str()]).await?;
    if read == 3 {
        Ok(())
    } else {
        Err(KrafkaError::state(format!("read {read} of 3 records")))
    }
}
