//! Exactly-once read-process-write: a group consumer reads orders, a
//! transactional producer writes one invoice per order and commits the
//! consumer's offsets in the same transaction, so a crash anywhere leaves
//! either both or neither. `read_committed` readers see only committed
//! transactions.
//!
//! Run with `cargo run -p krafka --example transactional_pipeline` against
//! the Kafka at `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`).

use std::collections::BTreeMap;
use std::time::Duration;

use krafka::{
    ClientConfig, ConsumerConfig, Kafka, KrafkaError, NewTopic, OffsetAndMetadata, ProducerConfig,
    ProducerRecord, TopicPartition,
};

#[tokio::main]
async fn main() -> Result<(), KrafkaError> {
    let bootstrap =
        std::env::var("KRAFKA_BOOTSTRAP").unwrap_or_else(|_| "127.0.0.1:9092".to_owned());
    let client = ClientConfig::builder()
        .bootstrap_servers([bootstrap])
        .build()?;
    let kafka = Kafka::connect(client).await?;
    let run = std::process::id();
    let (orders, invoices) = (format!("orders-{run}"), format!("invoices-{run}"));
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&orders, 2, 1), NewTopic::new(&invoices, 2, 1)])
        .await?;
    let plain = kafka.producer(ProducerConfig::default()).await?;
    for i in 0..50 {
        let _delivery = plain
            .send(
                ProducerRecord::new(&orders)
                    .key(format!("customer-{}", i % 7))
                    .value(format!("order {i}")),
            )
            .await?;
    }
    plain.flush().await;

    let mut config = ConsumerConfig::default();
    config.set("group.id", &format!("invoicing-{run}"))?;
    config.set("auto.offset.reset", "earliest")?;
    config.set("enable.auto.commit", "false")?; // the transactions commit
    config.set("isolation.level", "read_committed")?;
    let consumer = kafka.consumer(config)?;
    consumer.subscribe([orders.as_str()]).await?;

    let mut config = ProducerConfig::default();
    // Stable across restarts of this service: the next incarnation fences
    // this one and finishes what it left open.
    config.set("transactional.id", &format!("invoicing-{run}"))?;
    let producer = kafka.producer(config).await?;
    producer.init_transactions().await?;

    let mut done = 0;
    for _ in 0..100 {
        let records = consumer.poll(Duration::from_millis(200)).await?;
        if records.is_empty() {
            if done == 50 {
                break;
            }
            continue;
        }
        producer.begin_transaction()?;
        let mut next = BTreeMap::new();
        for record in &records {
            let order = String::from_utf8_lossy(record.value.as_deref().unwrap_or_default());
            let _delivery = producer
                .send(ProducerRecord::new(&invoices).value(format!("invoice for {order}")))
                .await?;
            next.insert(
                TopicPartition::new(&*record.topic, record.partition),
                OffsetAndMetadata::new(record.offset + 1),
            );
        }
        let offsets: Vec<_> = next.into_iter().collect();
        let group = consumer
            .group_metadata()
            .ok_or_else(|| KrafkaError::state("the consumer has a group.id"))?;
        producer
            .send_offsets_to_transaction(&offsets, &group)
            .await?;
        match producer.commit_transaction().await {
            Ok(()) => done += records.len(),
            Err(error) if error.is_abortable_transaction_error() => {
                // Nothing of it is visible: read the orders again from
                // the committed offsets.
                producer.abort_transaction().await?;
                for (tp, committed) in consumer.committed(&consumer.assignment()).await? {
                    consumer
                        .seek(&tp, committed.map_or(0, |c| c.offset))
                        .await?;
                }
            }
            Err(fatal) => return Err(fatal),
        }
    }
    println!("{done} orders invoiced exactly once");
    producer.close().await?;
    consumer.close().await?;
    kafka
        .admin()
        .delete_topics(&[orders.as_str(), invoices.as_str()])
        .await?;
    if done == 50 {
        Ok(())
    } else {
        Err(KrafkaError::state(format!("invoiced {done} of 50 orders")))
    }
}
