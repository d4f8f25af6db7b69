//! The producer through a leader failover on the 3-broker cluster: the
//! partition leader is stopped (`scripts/kafka/kafka.sh stop-broker`) while
//! records flow; the producer retries, refreshes its metadata, finds the new
//! leader, and every record arrives once, in order (idempotence). The node
//! is started again at the end, also when the test fails.

mod broker_support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use broker_support::{cluster, connect, create_topic, unique_topic};
use bytes::Bytes;
use krafka_client::producer::{Producer, ProducerConfig, ProducerRecord};
use krafka_client::{ClientConfig, Connection};
use krafka_core::messages::FetchRequest;
use krafka_core::messages::fetch::{FetchPartition, FetchTopic};
use krafka_core::records::RecordBatchReader;

fn kafka_sh(args: &[&str]) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/kafka/kafka.sh");
    let status = Command::new("bash")
        .arg(&script)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(status.success(), "kafka.sh {args:?} failed");
}

/// Starts the stopped node again when dropped.
struct Restart(String);

impl Drop for Restart {
    fn drop(&mut self) {
        kafka_sh(&["start-broker", "cluster", &self.0]);
    }
}

/// Every value of partition 0 from offset 0, with offsets.
async fn read_all(conn: &Connection, topic: &str) -> Vec<(i64, Bytes)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for _ in 0..500 {
        let request = FetchRequest {
            max_wait_ms: 100,
            min_bytes: 1,
            max_bytes: 64 * 1024 * 1024,
            session_epoch: -1,
            topics: vec![FetchTopic {
                topic: topic.to_owned(),
                topic_id: krafka_core::codec::Uuid::ZERO,
                partitions: vec![FetchPartition {
                    partition: 0,
                    fetch_offset: offset,
                    partition_max_bytes: 16 * 1024 * 1024,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        // By name: Fetch up to v12 (topic ids need the id from metadata).
        let response = conn.send(&request, 12).await.expect("Fetch");
        let data = &response.responses[0].partitions[0];
        assert_eq!(data.error_code, 0, "Fetch error {}", data.error_code);
        if let Some(records) = &data.records {
            for batch in RecordBatchReader::new(records.0.clone()) {
                let batch = batch.expect("batch");
                for record in batch.collect_records().expect("records") {
                    if record.offset >= offset {
                        out.push((record.offset, record.value.expect("value")));
                    }
                }
                offset = offset.max(batch.header().next_offset());
            }
        }
        if offset >= data.high_watermark {
            return out;
        }
    }
    panic!("fetch did not reach the high watermark");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_survive_a_leader_failover_once_and_in_order() {
    let addr = cluster();
    assert_eq!(
        addr, "127.0.0.1:9192",
        "this test stops and restarts a node with scripts/kafka/kafka.sh, so it needs that \
         script's cluster (KRAFKA_CLUSTER_BOOTSTRAP unset)"
    );
    let conn = connect(&addr).await;
    let topic = unique_topic("producer-failover");
    create_topic(&conn, &topic, 1, 3).await;
    drop(conn);

    let client = ClientConfig::builder()
        .bootstrap_servers(["127.0.0.1:9192", "127.0.0.1:9193", "127.0.0.1:9194"])
        .retry_backoff(Duration::from_millis(50))
        .retry_backoff_max(Duration::from_millis(500))
        .request_timeout(Duration::from_secs(5))
        .build()
        .expect("client config");
    let producer = Producer::new(
        ProducerConfig::builder()
            .client(client)
            .linger(Duration::from_millis(2))
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    // Wait until every replica is in sync, so a clean stop moves leadership.
    let old_leader = loop {
        producer
            .cluster()
            .refresh_metadata()
            .await
            .expect("metadata");
        let t = producer
            .cluster()
            .topic_metadata(&topic)
            .await
            .expect("topic");
        let p = t.partition(0).expect("partition 0").clone();
        if p.isr.len() == 3 {
            break p.leader.expect("leader");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

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
    let restart = Restart(old_leader.to_string());
    let leader = old_leader.to_string();
    tokio::task::spawn_blocking(move || kafka_sh(&["stop-broker", "cluster", &leader]))
        .await
        .expect("stop-broker");
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
    let conn = connect(&new_leader.address()).await;
    let read = read_all(&conn, &topic).await;
    let values: Vec<Bytes> = read.into_iter().map(|(_, v)| v).collect();
    let expected: Vec<Bytes> = (0..records)
        .map(|i| Bytes::from(format!("record-{i:05}")))
        .collect();
    assert_eq!(values.len(), expected.len(), "no record lost or duplicated");
    assert_eq!(values, expected);
    producer.close().await.expect("close");
    drop(restart);
}
