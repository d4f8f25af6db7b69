//! The consumer through a leader failover on the 3-broker cluster: the
//! partition leader is stopped (`scripts/kafka/kafka.sh stop-broker`) while
//! the consumer is part-way through the partition; the fetch task loses its
//! connection, the metadata is refreshed, fetching goes on at the new leader
//! (with the new leader epoch), and every record is consumed exactly once, in
//! order, including records produced after the failover. The node is started
//! again at the end, also when the test fails.

mod broker_support;

use std::time::Duration;

use broker_support::failover::{client, in_sync_partition, producer, replicated_topic, stop_node};
use krafka_client::{Consumer, ConsumerConfig, TopicPartition};
use krafka_client::{Producer, ProducerRecord};

async fn produce(producer: &Producer, topic: &str, from: usize, to: usize) {
    let mut deliveries = Vec::new();
    for i in from..to {
        let record = ProducerRecord::new(topic)
            .partition(0)
            .key(format!("k{i}"))
            .value(format!("value-{i}"));
        deliveries.push(producer.send(record).await.expect("send"));
    }
    for delivery in deliveries {
        delivery.await.expect("delivered");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumption_survives_a_leader_failover_exactly_once_in_order() {
    let topic = replicated_topic("consumer-failover").await;

    let producer = producer(Duration::from_millis(5)).await;
    const BEFORE: usize = 20_000;
    const AFTER: usize = 2_000;
    produce(&producer, &topic, 0, BEFORE).await;

    // Small fetches, so that consuming takes many of them.
    let consumer = Consumer::new(
        ConsumerConfig::builder()
            .client(client())
            .fetch_max_wait(Duration::from_millis(100))
            .max_partition_fetch_bytes(16 * 1024)
            .max_poll_records(100)
            .set("auto.offset.reset", "earliest")
            .expect("setting")
            .build()
            .expect("consumer config"),
    )
    .await
    .expect("consumer");
    let tp = TopicPartition::new(&topic, 0);
    consumer.assign([tp.clone()]).await.expect("assign");

    let before = in_sync_partition(consumer.cluster(), &topic).await;
    let old_leader = before.leader.expect("leader");

    let mut offsets = Vec::with_capacity(BEFORE + AFTER);
    let mut values = Vec::with_capacity(BEFORE + AFTER);
    let mut stopped = None;
    let mut produced_after = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while offsets.len() < BEFORE + AFTER {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} records within the deadline",
            offsets.len()
        );
        for record in consumer
            .poll(Duration::from_millis(200))
            .await
            .expect("poll")
        {
            offsets.push(record.offset);
            values.push(record.value.clone().expect("value"));
        }
        if stopped.is_none() && offsets.len() >= BEFORE / 3 {
            stopped = Some(stop_node(old_leader).await);
        }
        if stopped.is_some() && !produced_after && offsets.len() >= BEFORE * 2 / 3 {
            produce(&producer, &topic, BEFORE, BEFORE + AFTER).await;
            produced_after = true;
        }
    }
    let extra = consumer
        .poll(Duration::from_millis(1_000))
        .await
        .expect("poll");
    assert!(
        extra.is_empty(),
        "{} records more than produced",
        extra.len()
    );

    let expected: Vec<i64> = (0..(BEFORE + AFTER) as i64).collect();
    assert!(
        offsets == expected,
        "offsets are not 0..{} exactly once",
        BEFORE + AFTER
    );
    for (i, value) in values.iter().enumerate() {
        assert_eq!(&value[..], format!("value-{i}").as_bytes());
    }
    let t = consumer
        .cluster()
        .topic_metadata(&topic)
        .await
        .expect("topic");
    let p = t.partition(0).expect("partition 0");
    assert_ne!(p.leader, Some(old_leader), "leadership moved");
    assert!(p.leader_epoch > before.leader_epoch, "a new leader epoch");
    assert_eq!(consumer.lag(&tp), Some(0));
    consumer.close().await.expect("close");
    drop(stopped);
}
