//! Krafka's transactions read by Apache Kafka's own clients: Java's
//! `read_committed` consumer sees exactly the records of Krafka's committed
//! transactions, in order, and none of the aborted ones, for every codec;
//! and Krafka's transactions interleaved with a Java transactional producer
//! on one partition come out as the two producers committed them. On the
//! single 4.4.0 node (transaction version 2) and 3.9.2 (version 1).
//!
//! Without a JDK or Maven the tests skip, except under `CI=true`, where they
//! fail; an unreachable broker always fails them.

mod broker_support;

use std::time::Duration;

use broker_support::{connect, create_topic, old, producer, single, unique_topic};
use krafka_client::{Producer, ProducerRecord};
use krafka_tests::java_txn::{JavaRecord, java_read_committed, spawn_txn_pattern};

const PATIENCE: Duration = Duration::from_secs(60);

async fn transactional(bootstrap: &str, props: &[(&str, &str)]) -> Producer {
    let id = unique_topic("txn-java-id");
    let mut all = vec![("transactional.id", id.as_str())];
    all.extend_from_slice(props);
    let producer = producer(bootstrap, &all).await;
    producer
        .init_transactions()
        .await
        .expect("init_transactions");
    producer
}

/// One transaction of `count` records with keys `<prefix>-<n>` and values
/// `value-of-<key>` to `topic`/`partition`, committed or aborted; the
/// records as written (offsets from the deliveries). With a `pause`, each
/// record is written before the pause and the next send, so that another
/// producer's records land among them.
async fn transaction(
    producer: &Producer,
    topic: &str,
    partition: i32,
    prefix: &str,
    count: usize,
    commit: bool,
    pause: Option<Duration>,
) -> Vec<JavaRecord> {
    producer.begin_transaction().expect("begin");
    let mut deliveries = Vec::new();
    for n in 0..count {
        let key = format!("{prefix}-{n}");
        let value = format!("value-of-{key}");
        let delivery = producer
            .send(
                ProducerRecord::new(topic)
                    .partition(partition)
                    .key(key.clone())
                    .value(value.clone()),
            )
            .await
            .expect("send");
        deliveries.push((key, value, delivery));
        if let Some(pause) = pause {
            producer.flush().await;
            tokio::time::sleep(pause).await;
        }
    }
    producer.flush().await;
    let mut written = Vec::new();
    for (key, value, delivery) in deliveries {
        let metadata = delivery.await.expect("delivered");
        written.push(JavaRecord {
            topic: topic.to_owned(),
            partition,
            offset: metadata.offset,
            key: Some(key),
            value: Some(value),
        });
    }
    if commit {
        producer.commit_transaction().await.expect("commit");
    } else {
        producer.abort_transaction().await.expect("abort");
    }
    written
}

/// For each codec, a producer commits, aborts and commits on both
/// partitions; Java's read_committed consumer reads exactly the committed
/// records, in offset order.
async fn java_reads_what_krafka_committed(bootstrap: String) {
    let topic = unique_topic("txn-java-codecs");
    create_topic(&connect(&bootstrap).await, &topic, 2, 1).await;
    let mut committed = Vec::new();
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        let producer = transactional(&bootstrap, &[("compression.type", codec)]).await;
        for (round, commit) in [(0, true), (1, false), (2, true)] {
            for partition in 0..2 {
                let prefix = format!("{codec}-{round}-p{partition}");
                let written =
                    transaction(&producer, &topic, partition, &prefix, 7, commit, None).await;
                if commit {
                    committed.extend(written);
                }
            }
        }
        producer.close().await.expect("close");
    }
    let Some(read) = java_read_committed(&bootstrap, &topic, PATIENCE) else {
        return; // no JDK (outside CI)
    };
    for partition in 0..2 {
        let expected: Vec<&JavaRecord> = committed
            .iter()
            .filter(|r| r.partition == partition)
            .collect();
        let seen: Vec<&JavaRecord> = read
            .records
            .iter()
            .filter(|r| r.partition == partition)
            .collect();
        assert_eq!(seen, expected, "partition {partition} on {bootstrap}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn java_reads_what_krafka_committed_under_version_2() {
    java_reads_what_krafka_committed(single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn java_reads_what_krafka_committed_under_version_1() {
    java_reads_what_krafka_committed(old()).await;
}

/// A Java transactional producer and Krafka's run transactions on the same
/// partition at once, each committing some and aborting others: Java's
/// read_committed consumer sees every committed record of both, at the
/// offsets they were written, and nothing else.
async fn interleaved_with_java(bootstrap: String) {
    let topic = unique_topic("txn-java-interleaved");
    create_topic(&connect(&bootstrap).await, &topic, 1, 1).await;
    let java = spawn_txn_pattern(
        &bootstrap,
        &format!("{topic}-java"),
        &topic,
        0,
        5,
        "cacca",
        Duration::from_millis(15),
    );
    let producer = transactional(&bootstrap, &[("linger.ms", "0")]).await;
    let mut committed = Vec::new();
    // Krafka's transactions go on (two committed, one aborted, …) for as
    // long as Java's run, whose JVM takes a while to start.
    let mut round = 0;
    while round < 6 || (!java.is_finished() && round < 600) {
        let commit = round % 3 != 1;
        let pause = Some(Duration::from_millis(10));
        let prefix = format!("ours-{round}");
        let written = transaction(&producer, &topic, 0, &prefix, 5, commit, pause).await;
        if commit {
            committed.extend(written);
        }
        round += 1;
    }
    producer.close().await.expect("close");
    let java = tokio::task::spawn_blocking(move || java.join().expect("the Java producer"))
        .await
        .expect("join");
    let Some(java) = java else {
        return; // no JDK (outside CI)
    };
    committed.extend(java.into_iter().filter(|r| r.committed).map(|r| r.record));
    committed.sort_by_key(|r| r.offset);
    let krafka_at = |r: &JavaRecord| r.key.as_deref().is_some_and(|k| k.starts_with("ours-"));
    let switches = committed
        .windows(2)
        .filter(|w| krafka_at(&w[0]) != krafka_at(&w[1]))
        .count();
    assert!(
        switches >= 3,
        "the two producers' records did not interleave: {:?}",
        committed
            .iter()
            .map(|r| (r.offset, krafka_at(r)))
            .collect::<Vec<_>>()
    );
    let Some(read) = java_read_committed(&bootstrap, &topic, PATIENCE) else {
        return;
    };
    assert_eq!(read.records, committed, "on {bootstrap}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interleaved_with_a_java_transactional_producer_under_version_2() {
    interleaved_with_java(single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interleaved_with_a_java_transactional_producer_under_version_1() {
    interleaved_with_java(old()).await;
}
