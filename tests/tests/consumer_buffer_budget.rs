//! `krafka.fetch.buffer.max.bytes` bounds what the consumer buffers: with a
//! 256 KiB budget, reading a topic of about 14 MiB from the beginning gets
//! every record, in order per partition, while the counted buffered bytes
//! never exceed the budget by more than one batch (the broker may send one
//! batch past a Fetch's `max_bytes`, KIP-74).

mod broker_support;

use std::collections::HashMap;
use std::time::Duration;

use broker_support::{connect, consumer, create_topic, single, unique_topic};
use krafka_client::{ProducerRecord, TopicPartition};

const PARTITIONS: i32 = 3;
const RECORDS: usize = 60_000;
const VALUE_SIZE: usize = 240;
const BUDGET: usize = 256 * 1024;
/// The producer's `batch.size`: no batch is larger than this (plus its
/// header), so no response exceeds its `max_bytes` by more.
const BATCH_SIZE: usize = 16 * 1024;

fn value(partition: i32, index: usize) -> Vec<u8> {
    let mut value = format!("{partition}:{index}:").into_bytes();
    value.resize(VALUE_SIZE, b'.');
    value
}

fn index_of(value: &[u8]) -> Option<(i32, usize)> {
    let text = std::str::from_utf8(value).ok()?;
    let mut fields = text.split(':');
    Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lowered_buffer_budget_bounds_the_buffered_bytes_and_reads_everything_in_order() {
    let conn = connect(&single()).await;
    let topic = unique_topic("buffer-budget");
    create_topic(&conn, &topic, PARTITIONS, 1).await;
    drop(conn);
    let per_partition = RECORDS / PARTITIONS as usize;
    {
        let batch_size = BATCH_SIZE.to_string();
        let producer = broker_support::producer(
            &single(),
            // max.request.size = batch.size: a backed-up partition's batch
            // would otherwise grow to 1 MiB, and a broker returns a whole
            // first batch whatever the Fetch's max_bytes.
            &[
                ("batch.size", batch_size.as_str()),
                ("max.request.size", batch_size.as_str()),
                ("linger.ms", "5"),
            ],
        )
        .await;
        for index in 0..per_partition {
            for partition in 0..PARTITIONS {
                let record = ProducerRecord::new(&topic)
                    .partition(partition)
                    .value(value(partition, index));
                // Delivery is checked by flush/close below.
                drop(producer.send(record).await.expect("send"));
            }
        }
        producer.flush().await;
        producer.close().await.expect("close producer");
    }

    let budget = BUDGET.to_string();
    let consumer = consumer(
        &single(),
        &[
            ("auto.offset.reset", "earliest"),
            ("krafka.fetch.buffer.max.bytes", budget.as_str()),
            ("max.poll.records", "100"),
        ],
    )
    .await;
    let tps: Vec<TopicPartition> = (0..PARTITIONS)
        .map(|p| TopicPartition::new(&topic, p))
        .collect();
    consumer.assign(tps).await.expect("assign");

    let bound = BUDGET + BATCH_SIZE + 1024;
    let mut next: HashMap<i32, usize> = HashMap::new();
    let mut received = 0usize;
    let mut most_seen = 0usize;
    while received < RECORDS {
        let records = tokio::time::timeout(
            Duration::from_secs(30),
            consumer.poll(Duration::from_secs(1)),
        )
        .await
        .expect("records keep coming")
        .expect("poll");
        most_seen = most_seen.max(consumer.buffered_bytes());
        for record in records.iter() {
            let expected = next.entry(record.partition).or_default();
            assert_eq!(record.offset, *expected as i64, "offsets in order");
            let found = record.value.as_deref().and_then(index_of);
            assert_eq!(
                found,
                Some((record.partition, *expected)),
                "values in order"
            );
            *expected += 1;
            received += 1;
        }
    }
    for partition in 0..PARTITIONS {
        assert_eq!(
            next.get(&partition),
            Some(&per_partition),
            "partition {partition}"
        );
    }
    let peak = consumer.peak_buffered_bytes();
    let data = RECORDS * VALUE_SIZE;
    eprintln!(
        "budget {BUDGET} B: peak buffered {peak} B, most seen between polls {most_seen} B, \
         topic {data} B of values"
    );
    assert!(peak > 0, "something was counted");
    assert!(
        peak <= bound,
        "peak buffered {peak} B over the budget {BUDGET} B plus one batch"
    );
    assert!(most_seen <= peak);
    consumer.close().await.expect("close");
}
