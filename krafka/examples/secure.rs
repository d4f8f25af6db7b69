//! A client over TLS with SASL (SCRAM by default): the broker's certificate is
//! checked against a CA file and its host name, then the user signs in.
//! Creates a topic, writes a record, reads it back and deletes the topic.
//!
//! Settings come from the environment, with defaults for the test node of
//! `scripts/kafka/kafka.sh start secure` (its SASL_SSL listener):
//! `KRAFKA_SASL_SSL_BOOTSTRAP` (default `127.0.0.1:9493`),
//! `KRAFKA_SSL_CA_LOCATION` (the CA's PEM file; default `ca.pem`),
//! `KRAFKA_SASL_MECHANISM` (default `SCRAM-SHA-512`; or `SCRAM-SHA-256`,
//! `PLAIN`), `KRAFKA_SASL_USERNAME` and `KRAFKA_SASL_PASSWORD` (default
//! `alice`, `alice-secret`), `KRAFKA_TOPIC_PREFIX` (default `secure-`: alice's ACLs
//! cover topics with that prefix).
//!
//! ```sh
//! KRAFKA_SSL_CA_LOCATION="$(scripts/kafka/kafka.sh certs)/ca.pem" \
//!     cargo run -p krafka --example secure
//! ```

use std::time::Duration;

use krafka::{
    ClientConfig, ConsumerConfig, Kafka, KrafkaError, NewTopic, OffsetReset, ProducerConfig,
    ProducerRecord, TopicPartition,
};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), KrafkaError> {
    let bootstrap = env("KRAFKA_SASL_SSL_BOOTSTRAP", "127.0.0.1:9493");
    let ca = env("KRAFKA_SSL_CA_LOCATION", "ca.pem");
    let mechanism = env("KRAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    let username = env("KRAFKA_SASL_USERNAME", "alice");
    let password = env("KRAFKA_SASL_PASSWORD", "alice-secret");
    // Kafka's property names, as in a Java client's or kcat's settings; the
    // password is kept as a `Password`, which no `Debug` or error prints.
    let config = ClientConfig::from_properties([
        ("bootstrap.servers", bootstrap.as_str()),
        ("security.protocol", "SASL_SSL"),
        ("ssl.ca.location", ca.as_str()),
        ("sasl.mechanism", mechanism.as_str()),
        ("sasl.username", username.as_str()),
        ("sasl.password", password.as_str()),
    ])?;
    // A refused certificate or password fails here, once, naming the stage.
    let kafka = Kafka::connect(config).await?;

    let topic = format!(
        "{}example-{}",
        env("KRAFKA_TOPIC_PREFIX", "secure-"),
        std::process::id()
    );
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await?;
    let producer = kafka.producer(ProducerConfig::default()).await?;
    let written = producer
        .send(ProducerRecord::new(&topic).value("over TLS, signed in"))
        .await?
        .await?;
    println!(
        "{username} wrote {}-{} @ {}",
        written.topic, written.partition, written.offset
    );

    let consumer = kafka.consumer(ConsumerConfig {
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    })?;
    consumer.assign([TopicPartition::new(&topic, 0)]).await?;
    let mut read = Vec::new();
    for _ in 0..20 {
        read.extend(consumer.poll(Duration::from_millis(500)).await?);
        if !read.is_empty() {
            break;
        }
    }
    kafka.admin().delete_topics(&[topic.as_str()]).await?;
    match read.first() {
        Some(record) => {
            let value = record.value.as_deref().unwrap_or_default();
            println!("{username} read {:?}", String::from_utf8_lossy(value));
            Ok(())
        }
        None => Err(KrafkaError::state("the record did not come back")),
    }
}
