//! The producer through a leader failover on the 3-broker cluster: the
//! partition leader is stopped (`scripts/kafka/kafka.sh stop-broker`, a
//! controlled shutdown or a SIGKILL) while records flow; the producer
//! retries, refreshes its metadata, finds the new leader, and every record
//! arrives once, in order (idempotence). The node is started again at the
//! end, also when the test fails.

mod broker_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use broker_support::failover::{
    client, crash_node, exclusive, in_sync_partition, producer, replicated_topic, stop_node,
};
use broker_support::{connect, fetch_values};
use bytes::Bytes;
use krafka_client::{Producer, ProducerConfig, ProducerRecord};

/// A steady trickle: small batches (linger 2 ms), a pause every 10 records.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_survive_a_leader_failover_once_and_in_order() {
    let _cluster = exclusive().await;
    let topic = replicated_topic("producer-failover").await;
    let producer = producer(Duration::from_millis(2)).await;
    survive_failover(producer, topic, 10, 300, Stop::Controlled).await;
}

/// As fast as the producer takes them, in 512-byte batches: several batches
/// of the partition are in flight (max.in.flight 5) when the leader goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_batches_survive_a_leader_failover_once_and_in_order() {
    let _cluster = exclusive().await;
    let topic = replicated_topic("producer-failover-pipelined").await;
    survive_failover(
        pipelining_producer().await,
        topic,
        500,
        5_000,
        Stop::Controlled,
    )
    .await;
}

/// The same through a crash of the leader: requests in flight die with its
/// connection, their outcome unknown; retries keep their sequence numbers,
/// so the new leader writes each batch once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_batches_survive_a_leader_crash_once_and_in_order() {
    let _cluster = exclusive().await;
    let topic = replicated_topic("producer-crash-pipelined").await;
    survive_failover(pipelining_producer().await, topic, 500, 5_000, Stop::Crash).await;
}

/// Many small batches in flight per partition (batch.size 512, linger 0).
async fn pipelining_producer() -> Producer {
    let config = ProducerConfig::builder()
        .client(client())
        .linger(Duration::ZERO)
        .batch_size(512)
        .buffer_memory(64 * 1024)
        .build()
        .expect("producer config");
    Producer::new(config).await.expect("producer")
}

#[derive(Clone, Copy)]
enum Stop {
    Controlled,
    Crash,
}

/// Sends numbered records to partition 0 of `topic` (pausing 5 ms every
/// `burst`) before, during and after the `stop` of its leader,
/// then `after` more once the stop is over; checks that every record is
/// delivered, acknowledged in order, and stored once, in order.
async fn survive_failover(
    producer: Producer,
    topic: String,
    burst: usize,
    after: usize,
    stop: Stop,
) {
    let old_leader = in_sync_partition(producer.cluster(), &topic)
        .await
        .leader
        .expect("leader");
    let stopped = Arc::new(AtomicBool::new(false));
    let sending = {
        let producer = producer.clone();
        let topic = topic.clone();
        let stopped = Arc::clone(&stopped);
        tokio::spawn(async move {
            let mut deliveries = Vec::new();
            let mut sent_before_stop = 0;
            let mut sent_after = 0;
            while sent_after < after {
                if stopped.load(Ordering::Acquire) {
                    sent_after += 1;
                } else {
                    sent_before_stop += 1;
                }
                let i = deliveries.len();
                let record = ProducerRecord::new(&topic).value(format!("record-{i:07}"));
                deliveries.push(producer.send(record).await.expect("send"));
                if i % burst == 0 {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
            (deliveries, sent_before_stop)
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped_node = match stop {
        Stop::Controlled => stop_node(old_leader).await,
        Stop::Crash => crash_node(old_leader).await,
    };
    stopped.store(true, Ordering::Release);

    let (deliveries, sent_before_stop) = sending.await.expect("sending task");
    let records = deliveries.len();
    assert!(
        sent_before_stop >= 100,
        "{sent_before_stop} records before the stop"
    );
    eprintln!("producer failover: {records} records, {sent_before_stop} before the stop ended");
    producer.flush().await;
    let mut last_offset = -1;
    for (i, delivery) in deliveries.into_iter().enumerate() {
        let written = delivery
            .await
            .unwrap_or_else(|e| panic!("record {i} failed: {e}"));
        assert!(written.offset > last_offset, "record {i} out of order");
        last_offset = written.offset;
    }
    let new_leader = producer.cluster().leader(&topic, 0).await.expect("leader");
    assert_ne!(new_leader.node_id, old_leader);
    let topic_id = producer
        .cluster()
        .topic_metadata(&topic)
        .await
        .expect("topic")
        .topic_id;
    let conn = connect(&new_leader.address()).await;
    let values = fetch_values(&conn, &topic, topic_id, 0).await;
    let expected: Vec<Bytes> = (0..records)
        .map(|i| Bytes::from(format!("record-{i:07}")))
        .collect();
    assert_eq!(values.len(), expected.len(), "no record lost or duplicated");
    assert_eq!(values, expected);
    producer.close().await.expect("close");
    drop(stopped_node);
}
