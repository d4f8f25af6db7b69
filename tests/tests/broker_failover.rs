//! Leader failover on the 3-broker cluster: a partition leader is stopped
//! (through `scripts/kafka/kafka.sh stop-broker`), requests to it fail with a
//! network error (or, once the metadata no longer lists it, an unknown node), and `Cluster::retry` refreshes the metadata and finds the
//! new leader with a higher leader epoch. The node is started again at the
//! end, also when the test fails.

mod broker_support;

use broker_support::connect_cluster;
use broker_support::failover::{client, in_sync_partition, replicated_topic, stop_node};
use krafka_client::KrafkaError;
use krafka_core::messages::MetadataRequest;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_leader_is_replaced_after_a_metadata_refresh() {
    let topic = replicated_topic("failover").await;
    let client = connect_cluster(client()).await.unwrap();
    let before = in_sync_partition(&client, &topic).await;
    let old_leader = before.leader.unwrap();
    client
        .send_to_node(old_leader, &MetadataRequest::default())
        .await
        .expect("leader reachable before the stop");

    let stopped = stop_node(old_leader).await;

    // The cached leader is gone: the first attempt fails with a network
    // error (or an unknown node), which refreshes the metadata; the retry
    // finds the new leader.
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
        failures.iter().all(|e| matches!(
            e.cause(),
            KrafkaError::Network { .. } | KrafkaError::UnknownNode { .. }
        )),
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
    drop(stopped);
}
