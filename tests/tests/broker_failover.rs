//! Leader failover on the 3-broker cluster: a partition leader is stopped
//! (through `scripts/kafka/kafka.sh stop-broker`), requests to it fail with a
//! network error, and `Cluster::retry` refreshes the metadata and finds the
//! new leader with a higher leader epoch. The node is started again at the
//! end, also when the test fails.

mod broker_support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use broker_support::{cluster, connect, create_topic, unique_topic};
use krafka_client::{ClientConfig, Cluster, KrafkaError};
use krafka_core::messages::MetadataRequest;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_leader_is_replaced_after_a_metadata_refresh() {
    let addr = cluster();
    assert_eq!(
        addr, "127.0.0.1:9192",
        "this test stops and restarts a node with scripts/kafka/kafka.sh, so it needs that \
         script's cluster (KRAFKA_CLUSTER_BOOTSTRAP unset)"
    );
    let conn = connect(&addr).await;
    let topic = unique_topic("failover");
    create_topic(&conn, &topic, 1, 3).await;
    drop(conn);

    let client = Cluster::connect(
        ClientConfig::builder()
            .bootstrap_servers(["127.0.0.1:9192", "127.0.0.1:9193", "127.0.0.1:9194"])
            .retry_backoff(Duration::from_millis(100))
            .retry_backoff_max(Duration::from_millis(500))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    // Wait until every replica is in sync, so a clean stop moves leadership.
    let before = loop {
        client.refresh_metadata().await.unwrap();
        let t = client.topic_metadata(&topic).await.unwrap();
        let p = t.partition(0).unwrap().clone();
        if p.isr.len() == 3 {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let old_leader = before.leader.unwrap();
    client
        .send_to_node(old_leader, &MetadataRequest::default())
        .await
        .expect("leader reachable before the stop");

    let restart = Restart(old_leader.to_string());
    kafka_sh(&["stop-broker", "cluster", &old_leader.to_string()]);

    // The cached leader is gone: the first attempt fails with a network
    // error, which refreshes the metadata; the retry finds the new leader.
    let failures = std::sync::Mutex::new(Vec::new());
    let new_leader = client
        .retry(|| {
            let client = &client;
            let topic = &topic;
            let failures = &failures;
            async move {
                let leader = client.leader(topic, 0).await?;
                match client
                    .send_to_node(leader.node_id, &MetadataRequest::default())
                    .await
                {
                    Ok(_) => Ok(leader),
                    Err(e) => {
                        failures.lock().unwrap().push(e.clone());
                        Err(e)
                    }
                }
            }
        })
        .await
        .expect("new leader after refresh");
    assert_ne!(new_leader.node_id, old_leader);
    let failures = failures.into_inner().unwrap();
    assert!(
        failures
            .iter()
            .all(|e| matches!(e, KrafkaError::Network { .. })),
        "{failures:?}"
    );
    assert!(
        !failures.is_empty(),
        "the old leader should have failed first"
    );
    let after = client.metadata();
    let p = after.topic(&topic).unwrap().partition(0).unwrap();
    assert_eq!(p.leader, Some(new_leader.node_id));
    assert!(
        p.leader_epoch > before.leader_epoch,
        "epoch {} -> {}",
        before.leader_epoch,
        p.leader_epoch
    );
    assert!(!after.brokers.contains_key(&old_leader));
    drop(restart);
}
