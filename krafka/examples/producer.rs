//! Writes ten keyed records with a header to a topic (made with three
//! partitions when it does not exist yet), lz4-compressed, and prints where
//! each one landed. `examples/consumer.rs` reads them back.
//!
//! Run with `cargo run -p krafka --example producer` against the Kafka at
//! `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`); `KRAFKA_TOPIC` names the
//! topic (default `krafka-example`).

use krafka::{
    ClientConfig, ErrorCode, Kafka, KrafkaError, NewTopic, ProducerConfig, ProducerRecord,
};

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
    match kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 3, 1)])
        .await
    {
        Err(KrafkaError::Broker {
            code: ErrorCode::TopicAlreadyExists,
            ..
        }) => println!("{topic} exists already"),
        created => created?,
    }

    // Settings by their Kafka names, as in a Java producer's properties.
    let mut config = ProducerConfig::default();
    config.set("compression.type", "lz4")?;
    config.set("linger.ms", "5")?;
    let producer = kafka.producer(config).await?;

    // Records with the same key go to the same partition. `send` waits only
    // for room in the buffer; the futures resolve once the broker has them.
    let mut deliveries = Vec::new();
    for i in 0..10 {
        let record = ProducerRecord::new(&topic)
            .key(format!("customer-{}", i % 4))
            .value(format!("order {i}"))
            .header("source", Some("examples/producer.rs"));
        deliveries.push(producer.send(record).await?);
    }
    for delivery in deliveries {
        let written = delivery.await?;
        println!(
            "wrote {}-{} @ {}",
            written.topic, written.partition, written.offset
        );
    }
    producer.close().await
}
