//! Exactly-once on the 3-node cluster while brokers stop: a pipeline reads
//! topic A (100,000 records) with a group consumer and writes each record,
//! transformed, to topic B together with the input offsets in one
//! transaction. During the run the leader of a B partition stops, comes
//! back, then the transaction coordinator's node stops. Afterwards a
//! `read_committed` consumer of B sees every input record exactly once and
//! the group's committed offsets are A's end offsets.
//!
//! Needs the script's cluster (`scripts/kafka/kafka.sh start cluster`):
//! the test stops and restarts its nodes.

mod broker_support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use broker_support::failover::{NODES, client, exclusive, stop_node};
use broker_support::{connect, create_topic, unique_topic};
use krafka_client::{
    Consumer, ConsumerConfig, CoordinatorType, KrafkaError, OffsetAndMetadata, Producer,
    ProducerConfig, ProducerRecord, TopicPartition,
};

const RECORDS: usize = 100_000;
const PARTITIONS: i32 = 3;

async fn input(topic: &str) {
    let producer = Producer::new(
        ProducerConfig::builder()
            .client(client())
            .linger(Duration::from_millis(5))
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    for i in 0..RECORDS {
        let delivery = producer
            .send(
                ProducerRecord::new(topic)
                    .key(i.to_string())
                    .value(format!("a-{i}")),
            )
            .await
            .expect("queued");
        drop(delivery);
    }
    producer.flush().await;
    let counts = producer.delivery_counts();
    assert_eq!(
        (counts.delivered, counts.failed),
        (RECORDS as u64, 0),
        "input written"
    );
}

fn consumer_config(props: &[(&str, &str)]) -> ConsumerConfig {
    let mut config = ConsumerConfig::builder()
        .client(client())
        .fetch_max_wait(Duration::from_millis(100))
        .build()
        .expect("consumer config");
    for (key, value) in props {
        config.set(key, value).expect("consumer setting");
    }
    config
}

/// Seeks every assigned partition back to the group's committed offset
/// (after an abort, the aborted input comes again).
async fn rewind(consumer: &Consumer) {
    let assigned = consumer.assignment();
    if assigned.is_empty() {
        return;
    }
    for (tp, committed) in consumer.committed(&assigned).await.expect("committed") {
        let at = committed.map_or(0, |c| c.offset);
        consumer.seek(&tp, at).await.expect("seek");
    }
}

/// One transaction: the polled records transformed to `output`, and the
/// consumer's next offsets.
async fn process(
    producer: &Producer,
    consumer: &Consumer,
    records: &[krafka_client::ConsumerRecord],
    output: &str,
) -> Result<(), KrafkaError> {
    producer.begin_transaction()?;
    let mut next: BTreeMap<TopicPartition, i64> = BTreeMap::new();
    for record in records {
        let value = String::from_utf8_lossy(record.value.as_deref().unwrap_or_default());
        let _delivery = producer
            .send(
                ProducerRecord::new(output)
                    .key(record.key.as_deref().unwrap_or_default().to_vec())
                    .value(format!("b-{value}")),
            )
            .await?;
        next.insert(
            TopicPartition::new(&*record.topic, record.partition),
            record.offset + 1,
        );
    }
    let offsets: Vec<(TopicPartition, OffsetAndMetadata)> = next
        .into_iter()
        .map(|(tp, offset)| (tp, OffsetAndMetadata::new(offset)))
        .collect();
    let group = consumer
        .group_metadata()
        .ok_or_else(|| KrafkaError::state("no group"))?;
    producer
        .send_offsets_to_transaction(&offsets, &group)
        .await?;
    producer.commit_transaction().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_once_while_a_partition_leader_and_the_transaction_coordinator_stop() {
    let _one = exclusive().await;
    let conn = connect(NODES[0]).await;
    let (a, b) = (unique_topic("eos-a"), unique_topic("eos-b"));
    create_topic(&conn, &a, PARTITIONS, 3).await;
    create_topic(&conn, &b, PARTITIONS, 3).await;
    input(&a).await;

    let group = unique_topic("eos-group");
    let consumer = Consumer::new(consumer_config(&[
        ("group.id", group.as_str()),
        ("enable.auto.commit", "false"),
        ("auto.offset.reset", "earliest"),
        ("isolation.level", "read_committed"),
        ("max.poll.records", "2000"),
    ]))
    .await
    .expect("consumer");
    consumer.subscribe([a.as_str()]).await.expect("subscribe");
    let id = unique_topic("eos-id");
    let producer = Producer::new(
        ProducerConfig::builder()
            .client(client())
            .set("transactional.id", &id)
            .expect("transactional.id")
            .build()
            .expect("config"),
    )
    .await
    .expect("producer");
    producer.init_transactions().await.expect("init");
    let cluster = producer.cluster().clone();

    let mut processed = 0usize;
    let mut aborts = 0usize;
    let mut stopped = None;
    let mut stops = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{processed} of {RECORDS} processed in 5 minutes"
        );
        if stops == 0 && processed >= RECORDS / 4 {
            cluster.refresh_metadata().await.expect("metadata");
            let leader = cluster.leader(&b, 0).await.expect("leader of b-0");
            eprintln!(
                "stopping node {} (leader of {b}-0) at {processed}",
                leader.node_id
            );
            stopped = Some(stop_node(leader.node_id).await);
            stops = 1;
        } else if stops == 1 && processed >= RECORDS / 2 {
            drop(stopped.take()); // starts it again
            let coordinator = cluster
                .coordinator(CoordinatorType::Transaction, &id)
                .await
                .expect("transaction coordinator");
            eprintln!(
                "stopping node {} (transaction coordinator) at {processed}",
                coordinator.node_id
            );
            stopped = Some(stop_node(coordinator.node_id).await);
            stops = 2;
        }
        let records = consumer
            .poll(Duration::from_millis(500))
            .await
            .expect("poll");
        if records.is_empty() {
            let tps: Vec<TopicPartition> = (0..PARTITIONS)
                .map(|p| TopicPartition::new(&a, p))
                .collect();
            let ends = consumer.end_offsets(&tps).await.expect("ends");
            let committed = consumer.committed(&tps).await.expect("committed");
            let done = ends
                .iter()
                .zip(&committed)
                .all(|((_, end), (_, c))| c.as_ref().map(|c| c.offset) == Some(*end));
            if done && stops == 2 {
                break;
            }
            continue;
        }
        match process(&producer, &consumer, &records, &b).await {
            Ok(()) => processed += records.len(),
            Err(error) if error.is_abortable_transaction_error() => {
                eprintln!("aborting: {error}");
                aborts += 1;
                producer.abort_transaction().await.expect("abort");
                rewind(&consumer).await;
            }
            Err(error) => panic!("the pipeline failed after {processed}: {error:?}"),
        }
    }
    drop(stopped);
    eprintln!("{processed} processed, {aborts} transactions aborted");
    producer.close().await.expect("close producer");
    consumer.close().await.expect("close consumer");

    // Every input exactly once in B, as read_committed sees it.
    let reader = Consumer::new(consumer_config(&[
        ("isolation.level", "read_committed"),
        ("auto.offset.reset", "earliest"),
    ]))
    .await
    .expect("reader");
    let tps: Vec<TopicPartition> = (0..PARTITIONS)
        .map(|p| TopicPartition::new(&b, p))
        .collect();
    reader.assign(tps.clone()).await.expect("assign");
    let ends = reader.end_offsets(&tps).await.expect("ends of b");
    let mut seen: Vec<String> = Vec::with_capacity(RECORDS);
    let read_deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let mut done = true;
        for (tp, end) in &ends {
            done &= reader.position(tp).await.expect("position") >= *end;
        }
        if done {
            break;
        }
        assert!(
            tokio::time::Instant::now() < read_deadline,
            "{} read",
            seen.len()
        );
        for record in reader
            .poll(Duration::from_millis(300))
            .await
            .expect("poll b")
        {
            seen.push(String::from_utf8_lossy(record.value.as_deref().unwrap_or_default()).into());
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "duplicates in B");
    let expected: BTreeSet<String> = (0..RECORDS).map(|i| format!("b-a-{i}")).collect();
    assert_eq!(
        unique.len(),
        expected.len(),
        "B holds {} distinct records of {RECORDS}",
        unique.len()
    );
    assert!(unique.into_iter().all(|v| expected.contains(v)));
}
