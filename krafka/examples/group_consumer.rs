//! Two members of a consumer group share a topic's partitions; each commits
//! what it processed, so a member that takes over resumes there.
//!
//! Run with `cargo run -p krafka --example group_consumer` against the
//! Kafka at `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`).

use std::collections::BTreeSet;
use std::time::Duration;

use krafka::{
    ClientConfig, ConsumerConfig, Kafka, KrafkaError, NewTopic, ProducerConfig, ProducerRecord,
};

#[tokio::main]
async fn main() -> Result<(), KrafkaError> {
    let bootstrap =
        std::env::var("KRAFKA_BOOTSTRAP").unwrap_or_else(|_| "127.0.0.1:9092".to_owned());
    let client = ClientConfig::builder()
        .bootstrap_servers([bootstrap])
        .build()?;
    let kafka = Kafka::connect(client.clone()).await?;
    let topic = format!("group-example-{}", std::process::id());
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 4, 1)])
        .await?;
    let producer = kafka.producer(ProducerConfig::default()).await?;
    for i in 0..20 {
        // The returned future resolves on delivery; flush waits for all.
        let _delivery = producer
            .send(ProducerRecord::new(&topic).value(format!("order {i}")))
            .await?;
    }
    producer.flush().await;

    // Each member has a handle of its own, as it would in its own process.
    let group = format!("billing-{}", std::process::id());
    let mut members = Vec::new();
    for _ in 0..2 {
        let mut config = ConsumerConfig::default();
        config.set("group.id", &group)?;
        config.set("auto.offset.reset", "earliest")?;
        config.set("enable.auto.commit", "false")?;
        let member = Kafka::connect(client.clone()).await?.consumer(config)?;
        member.subscribe([topic.as_str()]).await?;
        members.push(member);
    }

    let mut seen = BTreeSet::new();
    for _ in 0..100 {
        for (name, member) in members.iter().enumerate() {
            let records = member.poll(Duration::from_millis(100)).await?;
            for record in &records {
                let value = String::from_utf8_lossy(record.value.as_deref().unwrap_or_default());
                println!(
                    "member {name} read {value} from partition {}",
                    record.partition
                );
                seen.insert((record.partition, record.offset));
            }
            if !records.is_empty() {
                // At least once: commit after processing.
                member.commit().await?;
            }
        }
        if seen.len() == 20 {
            break;
        }
    }
    for member in members {
        member.close().await?; // leaves the group
    }
    kafka.admin().delete_topics(&[topic.as_str()]).await?;
    if seen.len() == 20 {
        Ok(())
    } else {
        Err(KrafkaError::state(format!(
            "read {} of 20 records",
            seen.len()
        )))
    }
}
