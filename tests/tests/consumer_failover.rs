//! The consumer through a leader failover on the 3-broker cluster: the
//! partition leader is stopped (`scripts/kafka/kafka.sh stop-broker`) while
//! the consumer is part-way through the partition; the fetch task loses its
//! connection, the metadata is refreshed, fetching goes on at the new leader
//! (with the new leader epoch), and every record is consumed exactly once, in
//! order, including records produced after the failover. The node is started
//! again at the end, also when the test fails.
//!
//! A group member through a failover of its group coordinator: the
//! coordinator's node is stopped while the member consumes and commits; the
//! member finds the new coordinator, goes on, and no committed offset is
//! lost (a member that joins afterwards starts where the commits say).

mod broker_support;

use std::time::Duration;

use broker_support::failover::{
    client, exclusive, in_sync_partition, producer, replicated_topic, stop_node,
};
use krafka_client::{Consumer, ConsumerConfig, CoordinatorType, Kafka, TopicPartition};
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
    let _one_at_a_time = exclusive().await;
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

/// A group member of the cluster with quick retries.
async fn group_member(group: &str) -> Consumer {
    let config = ConsumerConfig::builder()
        .client(client())
        .fetch_max_wait(Duration::from_millis(100))
        .max_poll_records(50)
        .set("group.id", group)
        .and_then(|b| b.set("auto.offset.reset", "earliest"))
        .and_then(|b| b.set("enable.auto.commit", "false"))
        .and_then(|b| b.set("session.timeout.ms", "10000"))
        .and_then(|b| b.set("heartbeat.interval.ms", "500"))
        .and_then(|b| b.set("partition.assignment.strategy", "roundrobin"))
        .expect("settings")
        .build()
        .expect("consumer config");
    let kafka = Kafka::connect(config.client.clone())
        .await
        .expect("connect");
    kafka.consumer(config).expect("consumer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_survives_a_coordinator_failover_without_losing_a_commit() {
    let _one_at_a_time = exclusive().await;
    let topic = replicated_topic("group-failover").await;
    let group = broker_support::unique_topic("group-failover");
    let producer = producer(Duration::from_millis(5)).await;
    const TOTAL: usize = 2_000;
    produce(&producer, &topic, 0, TOTAL).await;
    let tp = TopicPartition::new(&topic, 0);

    let member = group_member(&group).await;
    member.subscribe([topic.as_str()]).await.expect("subscribe");
    let coordinator = member
        .cluster()
        .coordinator(CoordinatorType::Group, &group)
        .await
        .expect("coordinator")
        .node_id;
    let mut seen = std::collections::BTreeSet::new();
    let mut stopped = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while seen.len() < TOTAL {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {TOTAL} records",
            seen.len()
        );
        let records = member.poll(Duration::from_millis(200)).await.expect("poll");
        seen.extend(records.iter().map(|r| r.offset));
        if !records.is_empty() {
            // Commits during the failover may fail (the coordinator moves);
            // the next one after it must succeed.
            let _ = member.commit().await;
        }
        if stopped.is_none() && seen.len() >= TOTAL / 4 {
            stopped = Some(stop_node(coordinator).await);
        }
    }
    // The last commit lands at the new coordinator.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while let Err(error) = member.commit().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "commit keeps failing: {error}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let moved = member
        .cluster()
        .coordinator(CoordinatorType::Group, &group)
        .await
        .expect("coordinator")
        .node_id;
    assert_ne!(moved, coordinator, "the coordinator moved");
    let committed = member
        .committed(std::slice::from_ref(&tp))
        .await
        .expect("committed");
    assert_eq!(
        committed[0].1.as_ref().map(|c| c.offset),
        Some(TOTAL as i64)
    );
    member.close().await.expect("close");
    drop(stopped);

    // A later member of the group starts at the commit: nothing is left.
    let later = group_member(&group).await;
    later.subscribe([topic.as_str()]).await.expect("subscribe");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while later.assignment().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no assignment");
        assert!(
            later
                .poll(Duration::from_millis(100))
                .await
                .expect("poll")
                .is_empty()
        );
    }
    assert_eq!(later.position(&tp).await.expect("position"), TOTAL as i64);
    later.close().await.expect("close");
}
