//! The 3-node cluster that `scripts/kafka/kafka.sh` runs, for the failover
//! tests (`*_failover.rs`) that stop one of its nodes and start it again.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use krafka_client::{ClientConfig, Cluster, PartitionMetadata};
use krafka_client::{Producer, ProducerConfig};

use super::{cluster, connect, create_topic, unique_topic};

/// The script's cluster: node N (1-3) listens on `NODES[N - 1]`.
pub const NODES: [&str; 3] = ["127.0.0.1:9192", "127.0.0.1:9193", "127.0.0.1:9194"];

/// Settings for the whole cluster with quick retries, so that a failover is
/// noticed and retried within seconds.
pub fn client() -> ClientConfig {
    ClientConfig::builder()
        .bootstrap_servers(NODES)
        .retry_backoff(Duration::from_millis(50))
        .retry_backoff_max(Duration::from_millis(500))
        .request_timeout(Duration::from_secs(5))
        .build()
        .expect("client config")
}

/// A producer of the whole cluster with [`client`]'s settings.
pub async fn producer(linger: Duration) -> Producer {
    let config = ProducerConfig::builder()
        .client(client())
        .linger(linger)
        .build()
        .expect("producer config");
    Producer::new(config).await.expect("producer")
}

/// A new topic (named as by [`unique_topic`]) with one partition replicated
/// to all three nodes. Fails first unless `KRAFKA_CLUSTER_BOOTSTRAP` names
/// the script's cluster (unset, one node, or a list of them): these tests
/// stop and start its nodes.
pub async fn replicated_topic(prefix: &str) -> String {
    let bootstrap = cluster();
    let addrs: Vec<&str> = bootstrap.split(',').map(str::trim).collect();
    assert!(
        addrs.iter().all(|addr| NODES.contains(addr)),
        "this test stops and restarts nodes with scripts/kafka/kafka.sh, so it needs that \
         script's cluster {NODES:?}, not KRAFKA_CLUSTER_BOOTSTRAP={bootstrap}"
    );
    let conn = connect(addrs[0]).await;
    let topic = unique_topic(prefix);
    create_topic(&conn, &topic, 1, 3).await;
    topic
}

/// Partition 0 of `topic` once all three replicas are in sync, so that a
/// clean stop of its leader moves leadership.
pub async fn in_sync_partition(cluster: &Cluster, topic: &str) -> PartitionMetadata {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        cluster.refresh_metadata().await.expect("metadata");
        let metadata = cluster.topic_metadata(topic).await.expect("topic");
        let partition = metadata.partition(0).expect("partition 0").clone();
        if partition.isr.len() == NODES.len() {
            return partition;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{topic}-0 never had every replica in sync: {partition:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Held by each failover test of a test binary (its tests run in
/// parallel): two at once could stop two nodes of three.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits until no other failover test of this binary runs; hold the guard
/// for the whole test.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().await
}

/// A node stopped by [`stop_node`]. Dropping it starts the node again, also
/// when the test fails.
#[must_use = "dropping it starts the node again at once"]
pub struct StoppedNode(String);

/// Stops node `node` (1-3) of the cluster with a controlled shutdown, so its
/// leaderships move, on a blocking thread so that the test's tasks go on
/// meanwhile.
pub async fn stop_node(node: i32) -> StoppedNode {
    halt_node(node, &[]).await
}

/// Kills node `node` (1-3) of the cluster (SIGKILL: a crash; its
/// leaderships move once the controller misses its heartbeats).
pub async fn crash_node(node: i32) -> StoppedNode {
    halt_node(node, &["--kill"]).await
}

async fn halt_node(node: i32, flags: &'static [&'static str]) -> StoppedNode {
    // Made first: a stop that fails half-way is started again too.
    let stopped = StoppedNode(node.to_string());
    let node = stopped.0.clone();
    tokio::task::spawn_blocking(move || {
        let mut args = vec!["stop-broker", "cluster", node.as_str()];
        args.extend_from_slice(flags);
        kafka_sh(&args)
    })
    .await
    .expect("stop-broker task")
    .unwrap_or_else(|e| panic!("{e}"));
    stopped
}

impl Drop for StoppedNode {
    fn drop(&mut self) {
        if let Err(error) = kafka_sh(&["start-broker", "cluster", &self.0]) {
            // A second panic while the test unwinds would abort the run.
            if std::thread::panicking() {
                eprintln!("{error}");
            } else {
                panic!("{error}");
            }
        }
    }
}

fn kafka_sh(args: &[&str]) -> Result<(), String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/kafka/kafka.sh");
    let status = Command::new("bash")
        .arg(&script)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("kafka.sh {args:?} failed: {status}"))
    }
}
