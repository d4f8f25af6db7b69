//! Transaction administration against real brokers, with Kafka's own
//! transactional producer (`krafka_tests::java_txn`) holding the
//! transactions: an open transaction is listed (with every filter the
//! broker supports), described with its partitions and shown among the
//! partitions' producers; fencing makes the Java producer's next call fail
//! with `ProducerFencedException` and aborts its transaction; aborting a
//! transaction left open by a producer that went away moves the last stable
//! offset past it, so a read_committed consumer goes on. On the single
//! 4.4.0 node (`KRAFKA_BOOTSTRAP`, transaction protocol v2 where enabled),
//! 3.9.2 (`KRAFKA_OLD_BOOTSTRAP`, v1) and the 3-node cluster
//! (`KRAFKA_CLUSTER_BOOTSTRAP`, coordinators and leaders on different
//! brokers).
//!
//! Without a JDK or Maven the tests skip, except under `CI=true`, where
//! they fail; an unreachable broker always fails them.

mod broker_support;

use std::time::{Duration, Instant};

use broker_support::{cluster, connect, create_topic, old, single, unique_topic};
use krafka_client::{
    Admin, ClientConfig, ErrorCode, FindHangingOptions, KrafkaError, ListTransactionsOptions,
    TopicPartition, TransactionDescription, TransactionState,
};
use krafka_tests::java_txn::{JavaRecord, JavaTxnSession, ReadCommitted, java_read_committed};

const PATIENCE: Duration = Duration::from_secs(60);

/// Long enough that the broker never aborts a test's transaction itself.
const TXN_TIMEOUT: Duration = Duration::from_secs(120);

async fn admin(bootstrap: &str) -> Admin {
    Admin::new(
        ClientConfig::builder()
            .bootstrap_servers([bootstrap])
            .build()
            .expect("config"),
    )
    .await
    .unwrap_or_else(|e| panic!("admin on {bootstrap}: {e}"))
}

/// Runs a blocking call (the Java harness) without stalling the runtime.
fn blocking<T>(call: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(call)
}

fn read_committed(bootstrap: &str, topic: &str) -> ReadCommitted {
    blocking(|| java_read_committed(bootstrap, topic, PATIENCE)).expect("Java was there before")
}

async fn describe(admin: &Admin, id: &str) -> TransactionDescription {
    let mut described = admin
        .describe_transactions(&[id])
        .await
        .unwrap_or_else(|e| panic!("describing {id}: {e}"));
    assert_eq!(described.len(), 1);
    described.remove(0)
}

/// Describes `id` until its state is `state` (a transaction ends a moment
/// after its producer's call returns, once the markers are written).
async fn describe_until(
    admin: &Admin,
    id: &str,
    state: TransactionState,
) -> TransactionDescription {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let described = describe(admin, id).await;
        if described.state == state {
            return described;
        }
        assert!(
            Instant::now() < deadline,
            "{id} stayed {} (waiting for {state})",
            described.state
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn code<T: std::fmt::Debug>(result: Result<T, KrafkaError>) -> Option<ErrorCode> {
    match result {
        Ok(value) => panic!("expected a broker error, got {value:?}"),
        Err(error) => error.error_code(),
    }
}

fn ids(listed: &[krafka_client::TransactionListing]) -> Vec<&str> {
    listed.iter().map(|l| l.transactional_id.as_str()).collect()
}

/// A topic of two partitions, `replication` replicas each, that every
/// broker knows.
async fn topic(bootstrap: &str, prefix: &str, replication: i16) -> String {
    let topic = unique_topic(prefix);
    create_topic(&connect(bootstrap).await, &topic, 2, replication).await;
    let admin = admin(bootstrap).await;
    let deadline = Instant::now() + PATIENCE;
    while admin.describe_topics(&[&topic]).await.is_err() {
        assert!(Instant::now() < deadline, "{topic} never showed up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    topic
}

async fn open_transaction_is_listed_described_and_shown(bootstrap: String, replication: i16) {
    let topic = topic(&bootstrap, "txn-admin-open", replication).await;
    let id = format!("{topic}-java");
    let Some(mut java) = blocking(|| JavaTxnSession::start(&bootstrap, &id, TXN_TIMEOUT)) else {
        return; // no JDK (outside CI)
    };
    let (tp0, tp1) = (
        TopicPartition::new(&topic, 0),
        TopicPartition::new(&topic, 1),
    );
    blocking(|| java.begin()).expect("begin");
    let sent0 = blocking(|| java.send(&topic, 0, 3)).expect("send");
    let sent1 = blocking(|| java.send(&topic, 1, 2)).expect("send");
    let admin = admin(&bootstrap).await;

    let all = admin
        .list_transactions(&ListTransactionsOptions::new())
        .await
        .expect("list");
    let listing = all
        .iter()
        .find(|l| l.transactional_id == id)
        .unwrap_or_else(|| panic!("{id} not among {:?}", ids(&all)))
        .clone();
    assert_eq!(listing.state, TransactionState::Ongoing);
    let pid = listing.producer_id;
    let filtered = |options: ListTransactionsOptions| {
        let admin = admin.clone();
        async move { admin.list_transactions(&options).await }
    };
    let ongoing = filtered(
        ListTransactionsOptions::new()
            .states([TransactionState::Ongoing])
            .producer_ids([pid]),
    )
    .await
    .expect("list ongoing");
    assert_eq!(ids(&ongoing), [id.as_str()]);
    assert_eq!(ongoing[0], listing);
    let committed_only = filtered(
        ListTransactionsOptions::new()
            .states([TransactionState::CompleteCommit])
            .producer_ids([pid]),
    )
    .await
    .expect("list committed");
    assert!(committed_only.is_empty(), "{committed_only:?}");
    // KIP-994's duration filter: ListTransactions v1, Kafka 3.8+.
    let running = filtered(ListTransactionsOptions::new().running_longer_than(Duration::ZERO))
        .await
        .expect("list running");
    assert!(ids(&running).contains(&id.as_str()), "{running:?}");
    let long_running =
        filtered(ListTransactionsOptions::new().running_longer_than(Duration::from_secs(3600)))
            .await
            .expect("list long running");
    assert!(!ids(&long_running).contains(&id.as_str()));
    // The id's characters ([a-z0-9-]) stand for themselves in a regex.
    let by_pattern = filtered(ListTransactionsOptions::new().transactional_id_pattern(&id)).await;
    let pattern_served = admin
        .cluster()
        .api_version(
            listing.coordinator_id,
            krafka_core::ApiKey::ListTransactions,
        )
        .await
        .expect("versions")
        .is_some_and(|v| v >= 2);
    match by_pattern {
        Ok(listed) => {
            assert!(
                pattern_served,
                "a pattern went to a broker that cannot filter"
            );
            assert_eq!(ids(&listed), [id.as_str()]);
        }
        Err(KrafkaError::Config(message)) => {
            assert!(!pattern_served, "{message}");
            assert!(message.contains("pattern"), "{message}");
        }
        Err(other) => panic!("listing by pattern: {other}"),
    }

    let described = describe(&admin, &id).await;
    assert_eq!(described.transactional_id, id);
    assert_eq!(described.state, TransactionState::Ongoing);
    assert_eq!(described.producer_id, pid);
    assert_eq!(described.coordinator_id, listing.coordinator_id);
    assert_eq!(described.transaction_timeout, TXN_TIMEOUT);
    assert_eq!(described.partitions, [tp0.clone(), tp1.clone()]);
    let started = described.transaction_start_time_ms.expect("a start time");
    assert!(started > 1_600_000_000_000, "{started}");
    let unknown = format!("{id}-nobody");
    assert_eq!(
        code(admin.describe_transactions(&[&id, &unknown]).await),
        Some(ErrorCode::TransactionalIdNotFound)
    );

    let producers = admin
        .describe_producers(&[tp0.clone(), tp1.clone()])
        .await
        .expect("producers");
    for (tp, sent) in [(&tp0, &sent0), (&tp1, &sent1)] {
        let java_producer = producers[tp]
            .iter()
            .find(|p| p.producer_id == pid)
            .unwrap_or_else(|| panic!("producer {pid} not on {tp}: {:?}", producers[tp]));
        assert_eq!(
            java_producer.current_transaction_start_offset,
            Some(sent[0].offset)
        );
        assert_eq!(
            java_producer.producer_epoch,
            i32::from(described.producer_epoch)
        );
        assert_eq!(
            java_producer.last_sequence,
            i32::try_from(sent.len()).expect("small") - 1
        );
        assert!(java_producer.last_timestamp_ms >= started - 60_000);
    }
    let topics = admin.describe_topics(&[&topic]).await.expect("topic");
    let leader = topics[0].partitions[0].leader.expect("a leader");
    let on_leader = admin
        .describe_producers_on(leader, std::slice::from_ref(&tp0))
        .await
        .expect("producers on the leader");
    assert_eq!(on_leader[&tp0], producers[&tp0]);
    assert_eq!(
        code(
            admin
                .describe_producers(&[TopicPartition::new(&topic, 7)])
                .await
        ),
        Some(ErrorCode::UnknownTopicOrPartition)
    );
    // The coordinator counts both partitions: nothing hangs, however old.
    let hanging = admin
        .find_hanging_transactions(
            &FindHangingOptions::new()
                .topic(&topic)
                .max_transaction_timeout(Duration::ZERO),
        )
        .await
        .expect("find hanging");
    assert!(hanging.is_empty(), "{hanging:?}");

    blocking(|| java.commit()).expect("commit");
    let committed = describe_until(&admin, &id, TransactionState::CompleteCommit).await;
    assert!(committed.partitions.is_empty(), "{committed:?}");
    let producers = admin
        .describe_producers(std::slice::from_ref(&tp0))
        .await
        .expect("producers");
    let after = producers[&tp0]
        .iter()
        .find(|p| p.producer_id == pid)
        .expect("the producer is still active");
    assert_eq!(after.current_transaction_start_offset, None);
    assert!(after.coordinator_epoch.is_some(), "{after:?}");
    blocking(|| java.close()).expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_transaction_single() {
    open_transaction_is_listed_described_and_shown(single(), 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_transaction_old() {
    open_transaction_is_listed_described_and_shown(old(), 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_transaction_cluster() {
    open_transaction_is_listed_described_and_shown(cluster(), 3).await;
}

async fn fencing_fails_the_java_producer(bootstrap: String) {
    let topic = topic(&bootstrap, "txn-admin-fence", 1).await;
    let id = format!("{topic}-java");
    let Some(mut java) = blocking(|| JavaTxnSession::start(&bootstrap, &id, TXN_TIMEOUT)) else {
        return;
    };
    blocking(|| java.begin()).expect("begin");
    let sent = blocking(|| java.send(&topic, 0, 3)).expect("send");
    let admin = admin(&bootstrap).await;
    let before = describe(&admin, &id).await;
    assert_eq!(before.state, TransactionState::Ongoing);

    let fenced = admin.fence_producers(&[&id]).await.expect("fence");
    assert_eq!(fenced.len(), 1);
    assert_eq!(fenced[0].producer_id, before.producer_id);
    assert!(
        fenced[0].producer_epoch > before.producer_epoch,
        "{fenced:?} after epoch {}",
        before.producer_epoch
    );
    let refused = blocking(|| java.commit()).expect_err("a fenced producer's commit");
    assert!(refused.caused_by("ProducerFencedException"), "{refused}");
    let again = blocking(|| java.send(&topic, 0, 1)).expect_err("a fenced producer's send");
    assert!(
        again.caused_by("ProducerFencedException"),
        "a fenced producer stays fenced: {again}"
    );

    // The fence aborted the transaction (its records never show) and left
    // the id with the new epoch, no transaction open.
    let after = describe_until(&admin, &id, TransactionState::Empty).await;
    assert!(
        after.producer_epoch >= fenced[0].producer_epoch,
        "{after:?}"
    );
    let seen = read_committed(&bootstrap, &topic);
    assert!(seen.records.is_empty(), "{:?}", seen.records);
    assert_eq!(
        seen.ends[&0],
        sent[2].offset + 2,
        "the records and the abort marker"
    );
    blocking(|| java.close()).expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fencing_single() {
    fencing_fails_the_java_producer(single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fencing_old() {
    fencing_fails_the_java_producer(old()).await;
}

async fn aborting_an_abandoned_transaction_moves_the_lso(bootstrap: String, replication: i16) {
    let topic = topic(&bootstrap, "txn-admin-abort", replication).await;
    let id = format!("{topic}-java");
    let Some(mut java) = blocking(|| JavaTxnSession::start(&bootstrap, &id, TXN_TIMEOUT)) else {
        return;
    };
    let tp = TopicPartition::new(&topic, 0);
    blocking(|| java.begin()).expect("begin");
    let committed: Vec<JavaRecord> = blocking(|| java.send(&topic, 0, 2)).expect("send");
    blocking(|| java.commit()).expect("commit");
    blocking(|| java.begin()).expect("begin");
    let open = blocking(|| java.send(&topic, 0, 3)).expect("send");
    // The JVM goes away without ending the transaction.
    blocking(|| java.hang());
    let start = open[0].offset;

    let before = read_committed(&bootstrap, &topic);
    assert_eq!(before.records, committed);
    assert_eq!(before.ends[&0], start, "the open transaction holds the LSO");

    let admin = admin(&bootstrap).await;
    let unfinished = admin
        .find_hanging_transactions(
            &FindHangingOptions::new()
                .topic(&topic)
                .partition(0)
                .max_transaction_timeout(Duration::ZERO),
        )
        .await
        .expect("find hanging");
    assert!(
        unfinished.is_empty(),
        "the coordinator still runs the transaction, so it does not hang: {unfinished:?}"
    );
    let spec = admin
        .abort_spec_for(&tp, start)
        .await
        .expect("the open transaction");
    let described = describe(&admin, &id).await;
    assert_eq!(spec.producer_id, described.producer_id);
    assert_eq!(spec.partition, tp);
    admin.abort_transaction(&spec).await.expect("abort");

    let after = read_committed(&bootstrap, &topic);
    assert_eq!(
        after.records, committed,
        "the aborted records stay invisible"
    );
    assert_eq!(
        after.ends[&0],
        open[2].offset + 2,
        "the LSO moved past the records and the abort marker"
    );
    let producers = admin
        .describe_producers(std::slice::from_ref(&tp))
        .await
        .expect("producers");
    assert!(
        producers[&tp]
            .iter()
            .all(|p| p.current_transaction_start_offset.is_none()),
        "{producers:?}"
    );
    let gone = admin.abort_spec_for(&tp, start).await;
    assert!(
        matches!(&gone, Err(KrafkaError::State(m)) if m.contains("no open transaction")),
        "{gone:?}"
    );
    // The coordinator still has it open; fencing ends it there too.
    admin.fence_producers(&[&id]).await.expect("fence");
    describe_until(&admin, &id, TransactionState::Empty).await;
    assert_eq!(read_committed(&bootstrap, &topic).records, committed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_single() {
    aborting_an_abandoned_transaction_moves_the_lso(single(), 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_old() {
    aborting_an_abandoned_transaction_moves_the_lso(old(), 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_cluster() {
    aborting_an_abandoned_transaction_moves_the_lso(cluster(), 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_hanging_needs_a_scope() {
    let admin = admin(&single()).await;
    let unscoped = admin
        .find_hanging_transactions(&FindHangingOptions::new())
        .await;
    assert!(
        matches!(unscoped, Err(KrafkaError::Config(_))),
        "{unscoped:?}"
    );
    let partition_only = admin
        .find_hanging_transactions(&FindHangingOptions::new().partition(0))
        .await;
    assert!(
        matches!(partition_only, Err(KrafkaError::Config(_))),
        "{partition_only:?}"
    );
}
