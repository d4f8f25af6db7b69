//! Metadata of topics created through a connection, on the single node and
//! on the 3-broker cluster (replication factor 3), read through `Cluster`.

mod broker_support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use broker_support::{cluster, connect, connect_cluster, create_topic, single, unique_topic};
use krafka_client::CoordinatorType;
use krafka_client::{ClientConfig, Cluster, KrafkaError};
use krafka_core::ErrorCode;
use krafka_core::codec::Uuid;
use krafka_core::messages::MetadataRequest;

async fn cluster_client(bootstrap: &str) -> Cluster {
    let config = ClientConfig::builder()
        .bootstrap_servers([bootstrap])
        .client_id("krafka-broker-tests")
        .build()
        .expect("config");
    connect_cluster(config).await.unwrap_or_else(|e| {
        panic!("cannot bootstrap from {bootstrap}: {e} (start it with scripts/kafka/kafka.sh)")
    })
}

#[tokio::test]
async fn created_topic_metadata_single_node() {
    let addr = single();
    let conn = connect(&addr).await;
    let topic = unique_topic("md1");
    let created = create_topic(&conn, &topic, 3, 1).await;
    assert_ne!(
        created.topic_id,
        Uuid::ZERO,
        "CreateTopics v7 returns the topic id"
    );

    let client = cluster_client(&addr).await;
    let md = client.metadata();
    assert_eq!(md.brokers.len(), 1);
    let broker = md.brokers.values().next().unwrap();
    assert_eq!(broker.address(), addr, "advertised listener");
    assert!(md.cluster_id.is_some());

    let t = client.topic_metadata(&topic).await.expect("topic metadata");
    assert_eq!(t.name, topic);
    assert_eq!(t.topic_id, created.topic_id);
    assert!(!t.is_internal);
    let indexes: Vec<i32> = t.partitions.iter().map(|p| p.partition).collect();
    assert_eq!(indexes, [0, 1, 2]);
    for p in &t.partitions {
        assert_eq!(p.leader, Some(broker.node_id));
        assert!(p.leader_epoch >= 0, "Metadata v7+ carries leader epochs");
        assert_eq!(p.replicas, [broker.node_id]);
        assert_eq!(p.isr, [broker.node_id]);
        assert_eq!(p.error, None);
    }
    let md = client.metadata();
    assert_eq!(
        md.topic_by_id(created.topic_id).map(|t| t.name.as_str()),
        Some(topic.as_str())
    );
    assert_eq!(
        client.leader(&topic, 2).await.unwrap().node_id,
        broker.node_id
    );

    // Routing: a request to the leader, and a missing partition is an error.
    let response = client
        .send_to_leader(&topic, 1, &MetadataRequest::default())
        .await
        .expect("send to leader");
    assert_eq!(response.brokers.len(), 1);
    // An unknown topic is retried (it may still be propagating) until
    // default.api.timeout.ms, then reported by name.
    let impatient = connect_cluster(
        ClientConfig::builder()
            .bootstrap_servers([addr.as_str()])
            .default_api_timeout(Duration::from_secs(1))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let missing = unique_topic("missing");
    let started = Instant::now();
    let err = impatient.topic_metadata(&missing).await.unwrap_err();
    assert_eq!(
        err.error_code(),
        Some(ErrorCode::UnknownTopicOrPartition),
        "{err}"
    );
    assert!(
        err.to_string().contains("UNKNOWN_TOPIC_OR_PARTITION"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn created_topic_metadata_three_brokers_rf3() {
    let addr = cluster();
    let conn = connect(&addr).await;
    let topic = unique_topic("md3");
    let created = create_topic(&conn, &topic, 6, 3).await;
    assert_eq!(created.replication_factor, 3);

    let client = cluster_client(&addr).await;
    let md = client.metadata();
    let ids: BTreeSet<i32> = md.brokers.keys().copied().collect();
    assert_eq!(ids.len(), 3, "3 brokers: {:?}", md.brokers);
    assert!(md.controller_id.is_some_and(|c| ids.contains(&c)));

    // ISR can lag right after creation; wait (bounded) until all 3 are in sync.
    let deadline = Instant::now() + Duration::from_secs(30);
    let t = loop {
        client.refresh_metadata().await.expect("refresh");
        let t = client.topic_metadata(&topic).await.expect("topic metadata");
        if t.partitions.iter().all(|p| p.isr.len() == 3) || Instant::now() > deadline {
            break t;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(t.topic_id, created.topic_id);
    assert_eq!(t.partitions.len(), 6);
    let mut leaders = BTreeSet::new();
    for p in &t.partitions {
        let replicas: BTreeSet<i32> = p.replicas.iter().copied().collect();
        assert_eq!(replicas, ids, "partition {} replicas", p.partition);
        let isr: BTreeSet<i32> = p.isr.iter().copied().collect();
        assert_eq!(isr, ids, "partition {} ISR", p.partition);
        let leader = p.leader.expect("leader");
        assert!(replicas.contains(&leader));
        assert!(p.leader_epoch >= 0);
        leaders.insert(leader);
        let node = client.leader(&topic, p.partition).await.unwrap();
        assert_eq!(node.node_id, leader);
        // The leader is reachable on its advertised address.
        let response = client
            .send_to_node(leader, &MetadataRequest::default())
            .await
            .expect("send to leader");
        assert_eq!(response.brokers.len(), 3);
    }
    assert!(
        leaders.len() > 1,
        "6 partitions on 3 brokers spread their leaders: {leaders:?}"
    );

    // Coordinator routing: FindCoordinator for a group.
    let group = unique_topic("group");
    let coordinator = client
        .coordinator(CoordinatorType::Group, &group)
        .await
        .expect("coordinator");
    assert!(ids.contains(&coordinator.node_id));
    let again = client
        .coordinator(CoordinatorType::Group, &group)
        .await
        .unwrap();
    assert_eq!(again, coordinator, "cached");
}

#[tokio::test]
async fn unreachable_bootstrap_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let config = ClientConfig::builder()
        .bootstrap_servers([addr.as_str()])
        .default_api_timeout(Duration::from_millis(600))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = connect_cluster(config).await.unwrap_err();
    assert!(matches!(err.cause(), KrafkaError::Network { .. }), "{err}");
    // Retries with backoff happened, bounded by default.api.timeout.ms.
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn retries_back_off_and_refresh_stale_metadata() {
    let addr = single();
    let client = connect_cluster(
        ClientConfig::builder()
            .bootstrap_servers([addr.as_str()])
            .retry_backoff(Duration::from_millis(100))
            .retry_backoff_max(Duration::from_millis(400))
            .build()
            .unwrap(),
    )
    .await
    .unwrap_or_else(|e| panic!("cannot bootstrap from {addr}: {e}"));
    let before = client.metadata().updated_at;
    let attempts = std::sync::atomic::AtomicU32::new(0);
    let started = Instant::now();
    let value = client
        .retry(|| async {
            // Two stale-leader answers, then success.
            if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2 {
                Err(KrafkaError::from(ErrorCode::NotLeaderOrFollower))
            } else {
                Ok(42)
            }
        })
        .await
        .unwrap();
    assert_eq!(value, 42);
    assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 3);
    // 100 ms then 200 ms, each -20 % at worst.
    assert!(
        started.elapsed() >= Duration::from_millis(240),
        "{:?}",
        started.elapsed()
    );
    assert_ne!(
        client.metadata().updated_at,
        before,
        "stale error refreshed metadata"
    );

    // Errors Kafka does not mark retriable are returned at once.
    let attempts = std::sync::atomic::AtomicU32::new(0);
    let err = client
        .retry(|| async {
            attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Err::<(), _>(KrafkaError::from(ErrorCode::TopicAlreadyExists))
        })
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::TopicAlreadyExists));
    assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn metadata_is_refreshed_every_max_age() {
    let addr = single();
    let client = connect_cluster(
        ClientConfig::from_properties([
            ("bootstrap.servers", addr.as_str()),
            ("metadata.max.age.ms", "200"),
        ])
        .unwrap(),
    )
    .await
    .unwrap_or_else(|e| panic!("cannot bootstrap from {addr}: {e}"));
    let first = client.metadata().updated_at.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let later = client.metadata().updated_at.unwrap();
    assert!(later > first, "no periodic refresh within 700 ms");
    // A topic created meanwhile shows up once followed.
    let conn = connect(&addr).await;
    let topic = unique_topic("followed");
    create_topic(&conn, &topic, 1, 1).await;
    client.add_topics(&[topic.as_str()]).await.unwrap();
    // (topic_metadata retries while the broker's cache catches up.)
    assert_eq!(
        client
            .topic_metadata(&topic)
            .await
            .unwrap()
            .partitions
            .len(),
        1
    );
    assert!(client.metadata().topic(&topic).is_some());
}
