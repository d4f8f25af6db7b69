//! The producer through a leader failover on the 3-broker cluster: the
//! partition leader is stopped (`scripts/kafka/kafka.sh stop-broker`) while
//! records flow; the producer retries, refreshes its metadata, finds the new
//! leader, and every record arrives once, in order (idempotence). The node
//! is started again at the end, also when the test fails.

mod broker_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use broker_support::failover::{in_sync_partition, producer, replicated_topic, stop_node};
use broker_support::{connect, fetch_all};
use bytes::Bytes;
use krafka_client::producer::ProducerRecord;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_survive_a_leader_failover_once_and_in_order() {
    let topic = replicated_topic("producer-failover").await;
    let producer = producer(Duration::from_millis(2)).await;
    let old_leader = in_sync_partition(producer.cluster(), &topic)
        .await
        .leader
        .expect("leader");

    // Records flow before, during and after the leader's controlled
    // shutdown: the sender keeps going until the stop is over, then sends a
    // few hundred more.
    let stopped = Arc::new(AtomicBool::new(false));
    let sending = {
        let producer = producer.clone();
        let topic = topic.clone();
        let stopped = Arc::clone(&stopped);
        tokio::spawn(async move {
            let mut deliveries = Vec::new();
            let mut sent_before_stop = 0;
            let mut after = 0;
            while after < 300 {
                if stopped.load(Ordering::Acquire) {
                    after += 1;
                } else {
                    sent_before_stop += 1;
                }
                let i = deliveries.len();
                let record = ProducerRecord::new(&topic).value(format!("record-{i:05}"));
                deliveries.push(producer.send(record).await.expect("send"));
                if i % 10 == 0 {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
            (deliveries, sent_before_stop)
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped_node = stop_node(old_leader).await;
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
    let values: Vec<Bytes> = fetch_all(&conn, &topic, topic_id, 0)
        .await
        .into_iter()
        .flat_map(|(_, records)| records)
        .map(|record| record.value.expect("value"))
        .collect();
    let expected: Vec<Bytes> = (0..records)
        .map(|i| Bytes::from(format!("record-{i:05}")))
        .collect();
    assert_eq!(values.len(), expected.len(), "no record lost or duplicated");
    assert_eq!(values, expected);
    producer.close().await.expect("close");
    drop(stopped_node);
}
