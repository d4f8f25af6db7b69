//! The transactional producer against real brokers: the 4.4.0 node runs
//! transaction version 2 (KIP-890: partitions added by Produce, an epoch
//! per transaction), the 3.9.2 node version 1 (AddPartitionsToTxn and
//! AddOffsetsToTxn). Every test reads back with `read_committed` consumers
//! and checks exactly which records became visible.

mod broker_support;

use std::collections::BTreeMap;
use std::time::Duration;

use broker_support::{connect, consumer, create_topic, old, producer, single, unique_topic};
use krafka_client::{
    Consumer, GroupMetadata, KrafkaError, OffsetAndMetadata, Producer, ProducerRecord,
    TopicPartition,
};
use krafka_core::ErrorCode;

/// A transactional producer of `bootstrap` with `transactional.id` `id`.
async fn transactional(bootstrap: &str, id: &str, props: &[(&str, &str)]) -> Producer {
    let mut all = vec![("transactional.id", id), ("linger.ms", "5")];
    all.extend_from_slice(props);
    producer(bootstrap, &all).await
}

/// Sends `values` to `topic`, spread over its partitions by key.
async fn send_all(producer: &Producer, topic: &str, values: &[String]) {
    for value in values {
        let _delivery = producer
            .send(
                ProducerRecord::new(topic)
                    .key(value.clone())
                    .value(value.clone()),
            )
            .await
            .unwrap_or_else(|e| panic!("send {value}: {e}"));
    }
}

fn values(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}-{i}")).collect()
}

/// Everything a consumer with `isolation` reads from every partition of
/// `topic` up to its end offsets (the last stable offset under
/// `read_committed`), as values by partition.
async fn read_to_end(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    isolation: &str,
) -> BTreeMap<i32, Vec<String>> {
    let consumer = consumer(
        bootstrap,
        &[
            ("isolation.level", isolation),
            ("auto.offset.reset", "earliest"),
        ],
    )
    .await;
    let tps: Vec<TopicPartition> = (0..partitions)
        .map(|p| TopicPartition::new(topic, p))
        .collect();
    consumer.assign(tps.clone()).await.expect("assign");
    let ends = consumer.end_offsets(&tps).await.expect("end offsets");
    read_until(&consumer, &ends).await
}

async fn read_until(
    consumer: &Consumer,
    ends: &[(TopicPartition, i64)],
) -> BTreeMap<i32, Vec<String>> {
    let mut read: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let mut done = true;
        for (tp, end) in ends {
            if consumer.position(tp).await.expect("position") < *end {
                done = false;
            }
        }
        if done {
            return read;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "positions did not reach {ends:?}"
        );
        for record in consumer
            .poll(Duration::from_millis(200))
            .await
            .expect("poll")
        {
            let value = String::from_utf8_lossy(record.value.as_deref().unwrap_or_default());
            read.entry(record.partition)
                .or_default()
                .push(value.into_owned());
        }
    }
}

/// What `values` sent by key look like by partition, in order.
fn by_partition(
    producer: &Producer,
    values: &[String],
    partitions: i32,
) -> BTreeMap<i32, Vec<String>> {
    let _ = producer;
    let mut out: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for value in values {
        let partition = krafka_client::partition_for_key(value.as_bytes(), partitions);
        out.entry(partition).or_default().push(value.clone());
    }
    out
}

/// Commit, abort, commit on one producer: `read_committed` sees the two
/// committed transactions, in order, and nothing of the aborted one;
/// `read_uncommitted` sees all three. Under version 2 every transaction
/// ends in a new epoch; under version 1 the epoch stays.
async fn commit_abort_commit(bootstrap: &str, v2: bool) {
    let conn = connect(bootstrap).await;
    let topic = unique_topic("txn-basic");
    create_topic(&conn, &topic, 3, 1).await;
    let id = unique_topic("txn-basic-id");
    let producer = transactional(bootstrap, &id, &[]).await;
    assert!(
        producer.begin_transaction().is_err(),
        "begin before init_transactions"
    );
    producer.init_transactions().await.expect("init");
    let refused = producer
        .send(ProducerRecord::new(&topic).value("outside"))
        .await;
    assert!(
        matches!(refused, Err(KrafkaError::State(_))),
        "a send outside a transaction: {refused:?}"
    );
    let (_, first_epoch) = producer.producer_id_and_epoch();

    let first = values("first", 30);
    producer.begin_transaction().expect("begin 1");
    send_all(&producer, &topic, &first).await;
    producer.commit_transaction().await.expect("commit 1");
    let (_, epoch_after_commit) = producer.producer_id_and_epoch();

    let aborted = values("aborted", 30);
    producer.begin_transaction().expect("begin 2");
    send_all(&producer, &topic, &aborted).await;
    producer.flush().await;
    producer.abort_transaction().await.expect("abort 2");

    let third = values("third", 30);
    producer.begin_transaction().expect("begin 3");
    send_all(&producer, &topic, &third).await;
    producer.commit_transaction().await.expect("commit 3");
    let (_, last_epoch) = producer.producer_id_and_epoch();
    if v2 {
        assert_eq!(
            epoch_after_commit,
            first_epoch + 1,
            "a new epoch per EndTxn"
        );
        assert_eq!(last_epoch, first_epoch + 3);
    } else {
        assert_eq!((epoch_after_commit, last_epoch), (first_epoch, first_epoch));
    }
    producer.close().await.expect("close");

    let committed: Vec<String> = first.iter().chain(&third).cloned().collect();
    let all: Vec<String> = first
        .iter()
        .chain(&aborted)
        .chain(&third)
        .cloned()
        .collect();
    assert_eq!(
        read_to_end(bootstrap, &topic, 3, "read_committed").await,
        by_partition(&producer, &committed, 3),
        "read_committed on {bootstrap}"
    );
    assert_eq!(
        read_to_end(bootstrap, &topic, 3, "read_uncommitted").await,
        by_partition(&producer, &all, 3),
        "read_uncommitted on {bootstrap}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_and_abort_under_transaction_version_2() {
    commit_abort_commit(&single(), true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_and_abort_under_transaction_version_1() {
    commit_abort_commit(&old(), false).await;
}

/// A second producer with the same `transactional.id` fences the first: the
/// first's commit fails with a fatal error, and so does every later call;
/// nothing it sent becomes visible, while the second's transaction does.
async fn zombie_is_fenced(bootstrap: &str) {
    let conn = connect(bootstrap).await;
    let topic = unique_topic("txn-zombie");
    create_topic(&conn, &topic, 2, 1).await;
    let id = unique_topic("txn-zombie-id");
    let zombie = transactional(bootstrap, &id, &[]).await;
    zombie.init_transactions().await.expect("init zombie");
    zombie.begin_transaction().expect("begin zombie");
    send_all(&zombie, &topic, &values("zombie", 10)).await;
    zombie.flush().await;

    let successor = transactional(bootstrap, &id, &[]).await;
    successor.init_transactions().await.expect("init successor");

    let error = zombie
        .commit_transaction()
        .await
        .expect_err("the fenced producer's commit");
    assert!(error.is_fatal_transaction_error(), "{error:?}");
    for later in [
        zombie.begin_transaction().err(),
        zombie.abort_transaction().await.err(),
        zombie
            .send(ProducerRecord::new(&topic).value("after"))
            .await
            .err(),
    ] {
        let later = later.expect("every later call fails");
        assert!(later.is_fatal_transaction_error(), "{later:?}");
    }

    successor.begin_transaction().expect("begin successor");
    let kept = values("successor", 10);
    send_all(&successor, &topic, &kept).await;
    successor
        .commit_transaction()
        .await
        .expect("commit successor");
    assert_eq!(
        read_to_end(bootstrap, &topic, 2, "read_committed").await,
        by_partition(&successor, &kept, 2),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zombie_is_fenced_under_version_2() {
    zombie_is_fenced(&single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zombie_is_fenced_under_version_1() {
    zombie_is_fenced(&old()).await;
}

/// A record the broker refuses (larger than its `message.max.bytes`) fails
/// the transaction: the commit refuses with an abortable error, commits
/// nothing, and after the abort the next transaction goes through.
async fn failed_send_refuses_the_commit(bootstrap: &str) {
    let conn = connect(bootstrap).await;
    let topic = unique_topic("txn-refused");
    create_topic(&conn, &topic, 1, 1).await;
    let id = unique_topic("txn-refused-id");
    let producer = transactional(bootstrap, &id, &[("max.request.size", "4000000")]).await;
    producer.init_transactions().await.expect("init");
    producer.begin_transaction().expect("begin");
    send_all(&producer, &topic, &values("before", 5)).await;
    producer.flush().await;
    let huge = producer
        .send(ProducerRecord::new(&topic).value(vec![7u8; 1_500_000]))
        .await
        .expect("queued");
    let delivery = huge.await;
    assert!(delivery.is_err(), "the broker refuses the record");
    let error = producer
        .commit_transaction()
        .await
        .expect_err("commit refused");
    assert!(error.is_abortable_transaction_error(), "{error:?}");
    let again = producer
        .send(ProducerRecord::new(&topic).value("after the failure"))
        .await
        .expect_err("sends fail until the abort");
    assert!(again.is_abortable_transaction_error(), "{again:?}");
    producer.abort_transaction().await.expect("abort");

    producer.begin_transaction().expect("begin again");
    let kept = values("kept", 5);
    send_all(&producer, &topic, &kept).await;
    producer.commit_transaction().await.expect("commit");
    assert_eq!(
        read_to_end(bootstrap, &topic, 1, "read_committed").await,
        BTreeMap::from([(0, kept)]),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_send_refuses_the_commit_under_version_2() {
    failed_send_refuses_the_commit(&single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_send_refuses_the_commit_under_version_1() {
    failed_send_refuses_the_commit(&old()).await;
}

/// A transaction left open past `transaction.timeout.ms` is aborted by the
/// coordinator, and the producer says so on its next call (the commit);
/// its records never become visible.
async fn timed_out_transaction(bootstrap: &str) {
    let conn = connect(bootstrap).await;
    let topic = unique_topic("txn-timeout");
    create_topic(&conn, &topic, 1, 1).await;
    let id = unique_topic("txn-timeout-id");
    let producer = transactional(bootstrap, &id, &[("transaction.timeout.ms", "1500")]).await;
    producer.init_transactions().await.expect("init");
    producer.begin_transaction().expect("begin");
    send_all(&producer, &topic, &values("late", 5)).await;
    producer.flush().await;
    // The coordinator looks for timed-out transactions every second
    // (scripts/kafka/kafka.sh sets the interval; Kafka's default is 10 s):
    // wait until its abort marker moved the last stable offset to the end.
    let tp = TopicPartition::new(&topic, 0);
    let committed = consumer(bootstrap, &[("isolation.level", "read_committed")]).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let stable = committed
            .end_offsets(std::slice::from_ref(&tp))
            .await
            .expect("lso")[0]
            .1;
        if stable > 5 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the coordinator did not abort the transaction (LSO {stable})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let error = producer
        .commit_transaction()
        .await
        .expect_err("the coordinator aborted the transaction");
    eprintln!("commit after the timeout: {error:?}");
    assert!(
        error.is_fatal_transaction_error() || error.is_abortable_transaction_error(),
        "{error:?}"
    );
    assert!(
        matches!(
            error.error_code(),
            Some(
                ErrorCode::ProducerFenced
                    | ErrorCode::InvalidProducerEpoch
                    | ErrorCode::InvalidTxnState
                    | ErrorCode::TransactionAbortable
            )
        ),
        "{error:?}"
    );
    assert_eq!(
        read_to_end(bootstrap, &topic, 1, "read_committed").await,
        BTreeMap::new(),
        "nothing of the timed-out transaction is visible"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_transaction_is_reported_under_version_2() {
    timed_out_transaction(&single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_transaction_is_reported_under_version_1() {
    timed_out_transaction(&old()).await;
}

/// Read-process-write with a group consumer: each transaction writes the
/// transformed records and the consumer's positions; afterwards the
/// group's committed offsets are the input's end and the output holds
/// every input record once. The first transaction is aborted and its
/// input re-read from the committed offsets.
async fn consume_transform_produce(bootstrap: &str) {
    let conn = connect(bootstrap).await;
    let input = unique_topic("txn-eos-in");
    let output = unique_topic("txn-eos-out");
    create_topic(&conn, &input, 2, 1).await;
    create_topic(&conn, &output, 2, 1).await;
    let plain = producer(bootstrap, &[]).await;
    let inputs = values("in", 200);
    send_all(&plain, &input, &inputs).await;
    plain.flush().await;

    let group = unique_topic("txn-eos-group");
    let reader = consumer(
        bootstrap,
        &[
            ("group.id", group.as_str()),
            ("enable.auto.commit", "false"),
            ("auto.offset.reset", "earliest"),
            ("isolation.level", "read_committed"),
            ("max.poll.records", "50"),
        ],
    )
    .await;
    reader.subscribe([input.as_str()]).await.expect("subscribe");
    let writer = transactional(bootstrap, &unique_topic("txn-eos-id"), &[]).await;
    writer.init_transactions().await.expect("init");

    let mut written = 0usize;
    let mut aborted_once = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while written < inputs.len() {
        assert!(tokio::time::Instant::now() < deadline, "{written} written");
        let records = reader.poll(Duration::from_millis(300)).await.expect("poll");
        if records.is_empty() {
            continue;
        }
        writer.begin_transaction().expect("begin");
        let mut next: BTreeMap<TopicPartition, i64> = BTreeMap::new();
        for record in &records {
            let value = String::from_utf8_lossy(record.value.as_deref().unwrap_or_default());
            let _delivery = writer
                .send(
                    ProducerRecord::new(&output)
                        .key(value.as_bytes().to_vec())
                        .value(format!("out-{value}")),
                )
                .await
                .expect("send");
            next.insert(
                TopicPartition::new(&*record.topic, record.partition),
                record.offset + 1,
            );
        }
        let offsets: Vec<(TopicPartition, OffsetAndMetadata)> = next
            .into_iter()
            .map(|(tp, offset)| (tp, OffsetAndMetadata::new(offset)))
            .collect();
        let metadata = reader.group_metadata().expect("group metadata");
        writer
            .send_offsets_to_transaction(&offsets, &metadata)
            .await
            .expect("send offsets");
        if !aborted_once {
            aborted_once = true;
            writer.abort_transaction().await.expect("abort");
            // Back to the committed offsets: the aborted input comes again.
            let tps: Vec<TopicPartition> = offsets.iter().map(|(tp, _)| tp.clone()).collect();
            for (tp, committed) in reader.committed(&tps).await.expect("committed") {
                let at = committed.map_or(0, |c| c.offset);
                reader.seek(&tp, at).await.expect("seek");
            }
            continue;
        }
        writer.commit_transaction().await.expect("commit");
        written += records.len();
    }
    assert!(aborted_once);
    let tps: Vec<TopicPartition> = (0..2).map(|p| TopicPartition::new(&input, p)).collect();
    let ends = reader.end_offsets(&tps).await.expect("end offsets");
    let committed = reader.committed(&tps).await.expect("committed");
    for ((tp, end), (_, committed)) in ends.iter().zip(&committed) {
        assert_eq!(
            committed.as_ref().map(|c| c.offset),
            Some(*end),
            "committed offset of {tp:?}"
        );
    }
    let mut out: Vec<String> = read_to_end(bootstrap, &output, 2, "read_committed")
        .await
        .into_values()
        .flatten()
        .collect();
    out.sort();
    let mut expected: Vec<String> = inputs.iter().map(|v| format!("out-{v}")).collect();
    expected.sort();
    assert_eq!(out, expected, "every input exactly once");
    reader.close().await.expect("close consumer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consume_transform_produce_under_version_2() {
    consume_transform_produce(&single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consume_transform_produce_under_version_1() {
    consume_transform_produce(&old()).await;
}

/// Offsets of an assign-mode consumer go into a transaction with
/// [`GroupMetadata::new`]: the group's committed offsets move only when
/// the transaction commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assign_mode_offsets_commit_with_the_transaction() {
    let bootstrap = single();
    let conn = connect(&bootstrap).await;
    let topic = unique_topic("txn-assign");
    create_topic(&conn, &topic, 1, 1).await;
    let group = unique_topic("txn-assign-group");
    let writer = transactional(&bootstrap, &unique_topic("txn-assign-id"), &[]).await;
    writer.init_transactions().await.expect("init");
    let tp = TopicPartition::new(&topic, 0);
    let metadata = GroupMetadata::new(&group);

    writer.begin_transaction().expect("begin");
    writer
        .send_offsets_to_transaction(&[(tp.clone(), OffsetAndMetadata::new(7))], &metadata)
        .await
        .expect("offsets 7");
    writer.abort_transaction().await.expect("abort");

    writer.begin_transaction().expect("begin");
    writer
        .send_offsets_to_transaction(&[(tp.clone(), OffsetAndMetadata::new(3))], &metadata)
        .await
        .expect("offsets 3");
    writer.commit_transaction().await.expect("commit");

    let reader = consumer(
        &bootstrap,
        &[
            ("group.id", group.as_str()),
            ("isolation.level", "read_committed"),
        ],
    )
    .await;
    let committed = reader
        .committed(std::slice::from_ref(&tp))
        .await
        .expect("committed");
    assert_eq!(committed[0].1.as_ref().map(|c| c.offset), Some(3));
}

/// Closing a producer with its transaction open aborts it (as Java's
/// `close` does): its records never become visible and `read_committed`
/// consumers are not held back until `transaction.timeout.ms`.
async fn close_aborts_the_open_transaction(bootstrap: &str) {
    let conn = connect(bootstrap).await;
    let topic = unique_topic("txn-close");
    create_topic(&conn, &topic, 1, 1).await;
    let producer = transactional(bootstrap, &unique_topic("txn-close-id"), &[]).await;
    producer.init_transactions().await.expect("init");
    producer.begin_transaction().expect("begin");
    send_all(&producer, &topic, &values("open", 5)).await;
    producer.flush().await;
    producer.close().await.expect("close aborts");
    let tp = TopicPartition::new(&topic, 0);
    let reader = consumer(bootstrap, &[("isolation.level", "read_committed")]).await;
    // The abort marker follows the 5 records: the last stable offset moves
    // past them within seconds (the transaction timeout is a minute; the
    // coordinator writes the markers just after it answers the EndTxn).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let stable = reader
            .end_offsets(std::slice::from_ref(&tp))
            .await
            .expect("lso")[0]
            .1;
        if stable == 6 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the LSO stays at {stable}: the transaction was left open"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        read_to_end(bootstrap, &topic, 1, "read_committed").await,
        BTreeMap::new()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_aborts_the_open_transaction_under_version_2() {
    close_aborts_the_open_transaction(&single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_aborts_the_open_transaction_under_version_1() {
    close_aborts_the_open_transaction(&old()).await;
}
