//! The Java side of the transaction tests checks itself against the real
//! brokers, so that a transaction test that fails points at Krafka, not at
//! the harness: Java transactions committed and aborted per a pattern, two
//! producers interleaved on one partition, are seen by Java's read_committed
//! consumer exactly as committed; an open transaction holds the last stable
//! offset back. On the single 4.4.0 node (`KRAFKA_BOOTSTRAP`, transaction
//! protocol v2 where enabled) and 3.9.2 (`KRAFKA_OLD_BOOTSTRAP`, v1).
//!
//! Without a JDK or Maven the tests skip, except under `CI=true`, where
//! they fail; an unreachable broker always fails them.

mod broker_support;

use std::time::Duration;

use broker_support::{connect, create_topic, old, single, unique_topic};
use krafka_tests::java_txn::{JavaTxnSession, java_read_committed, spawn_txn_pattern};

const PATIENCE: Duration = Duration::from_secs(60);

async fn interleaved_patterns_are_read_as_committed(bootstrap: String) {
    let topic = unique_topic("java-txn-harness");
    create_topic(&connect(&bootstrap).await, &topic, 2, 1).await;
    let pause = Duration::from_millis(20);
    let a = spawn_txn_pattern(
        &bootstrap,
        &format!("{topic}-a"),
        &topic,
        0,
        4,
        "cacc",
        pause,
    );
    let b = spawn_txn_pattern(
        &bootstrap,
        &format!("{topic}-b"),
        &topic,
        0,
        3,
        "aca",
        pause,
    );
    let (a, b) = tokio::task::spawn_blocking(move || {
        (a.join().expect("producer a"), b.join().expect("producer b"))
    })
    .await
    .expect("join");
    let (Some(a), Some(b)) = (a, b) else {
        return; // no JDK (outside CI)
    };
    assert_eq!(a.len(), 16);
    assert_eq!(b.len(), 9);
    let mut committed: Vec<_> = a
        .iter()
        .chain(&b)
        .filter(|r| r.committed)
        .map(|r| r.record.clone())
        .collect();
    committed.sort_by_key(|r| r.offset);
    let seen =
        tokio::task::spawn_blocking(move || java_read_committed(&bootstrap, &topic, PATIENCE))
            .await
            .expect("join")
            .expect("Java was there a moment ago");
    assert_eq!(seen.records, committed);
    assert_eq!(seen.ends.len(), 2);
    assert_eq!(seen.ends[&1], 0);
    // Every record and one marker per transaction, none open.
    assert_eq!(seen.ends[&0], 16 + 9 + 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interleaved_patterns_single() {
    interleaved_patterns_are_read_as_committed(single()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interleaved_patterns_old() {
    interleaved_patterns_are_read_as_committed(old()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_transaction_holds_the_last_stable_offset() {
    let bootstrap = single();
    let topic = unique_topic("java-txn-open");
    create_topic(&connect(&bootstrap).await, &topic, 1, 1).await;
    let (b, t) = (bootstrap.clone(), topic.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        let mut java = JavaTxnSession::start(&b, &format!("{t}-open"), PATIENCE)?;
        java.begin().expect("begin");
        let committed = java.send(&t, 0, 2).expect("send");
        java.commit().expect("commit");
        java.begin().expect("begin");
        let open = java.send(&t, 0, 3).expect("send");
        let seen = java_read_committed(&b, &t, PATIENCE)?;
        // A send outside a transaction fails in Java itself; the session goes on.
        java.commit().expect("commit");
        let refused = java
            .send(&t, 0, 1)
            .expect_err("a send outside a transaction");
        java.close()?;
        Some((committed, open, seen, refused))
    })
    .await
    .expect("join");
    let Some((committed, open, seen, refused)) = outcome else {
        return;
    };
    assert_eq!(seen.records, committed);
    assert_eq!(
        seen.ends[&0], open[0].offset,
        "the LSO is the open transaction's first offset"
    );
    assert_eq!(refused.op, "send");
    assert!(refused.caused_by("IllegalStateException"), "{refused}");
}
