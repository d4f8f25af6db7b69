//! Shared helpers of the real-broker tests (`broker_*.rs`).
//!
//! Brokers come from the environment, with the addresses `scripts/kafka/kafka.sh`
//! uses as defaults. An unreachable broker FAILS the test with a message that
//! says how to start it: these tests never skip silently.

#![allow(dead_code)]

pub mod failover;
pub mod faults;

use std::time::Duration;

use bytes::Bytes;
use krafka_client::{Connection, ConnectionConfig};
use krafka_core::messages::create_topics::CreatableTopic;
use krafka_core::messages::{CreateTopicsRequest, CreateTopicsResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The single 4.4.0 node.
pub fn single() -> String {
    env_or("KRAFKA_BOOTSTRAP", "127.0.0.1:9092")
}

/// The first node of the 3-node 4.4.0 cluster.
pub fn cluster() -> String {
    env_or("KRAFKA_CLUSTER_BOOTSTRAP", "127.0.0.1:9192")
}

/// The 3.9.2 node.
pub fn old() -> String {
    env_or("KRAFKA_OLD_BOOTSTRAP", "127.0.0.1:9392")
}

fn env_or(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// Which `kafka.sh` target and variable serve `addr` (for error messages).
fn target_of(addr: &str) -> (&'static str, &'static str) {
    if addr == single() {
        ("single", "KRAFKA_BOOTSTRAP")
    } else if addr == old() {
        ("old", "KRAFKA_OLD_BOOTSTRAP")
    } else {
        ("cluster", "KRAFKA_CLUSTER_BOOTSTRAP")
    }
}

/// Connects to a real broker, failing the test with instructions when it is
/// not there.
pub async fn connect(addr: &str) -> Connection {
    connect_with(addr, &ConnectionConfig::default()).await
}

/// [`connect`] with settings.
pub async fn connect_with(addr: &str, config: &ConnectionConfig) -> Connection {
    match Connection::connect(addr, config).await {
        Ok(conn) => conn,
        Err(error) => {
            let (target, var) = target_of(addr);
            panic!(
                "Kafka broker at {addr} is unreachable: {error}\n\
                 Start it with `scripts/kafka/kafka.sh start {target}` or point {var} at one \
                 (scripts/test.sh starts every broker these tests need)."
            )
        }
    }
}

pub use krafka_tests::unique_topic;

/// Creates a topic through the connection (CreateTopics at the negotiated
/// version) and returns the broker's answer for it, checked.
pub async fn create_topic(
    conn: &Connection,
    name: &str,
    partitions: i32,
    replication_factor: i16,
) -> krafka_core::messages::create_topics::CreatableTopicResult {
    let request = CreateTopicsRequest {
        topics: vec![CreatableTopic {
            name: name.to_owned(),
            num_partitions: partitions,
            replication_factor,
            ..Default::default()
        }],
        timeout_ms: 30_000,
        ..Default::default()
    };
    let response: CreateTopicsResponse = conn
        .send_negotiated(&request)
        .await
        .unwrap_or_else(|e| panic!("CreateTopics {name} failed: {e}"));
    let result = response
        .topics
        .into_iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("CreateTopics answered without {name}"));
    assert_eq!(
        result.error_code, 0,
        "CreateTopics {name}: error {} {:?}",
        result.error_code, result.error_message
    );
    result
}

/// A TCP proxy in front of a broker that a test can pause (stop forwarding
/// requests, so they stay pending) and cut (close every proxied socket).
pub struct Proxy {
    pub addr: String,
    control: watch::Sender<ProxyState>,
}

/// `paused` holds requests back; every cut bumps `generation`, and a proxied
/// connection lives only as long as the generation it started in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ProxyState {
    paused: bool,
    generation: u64,
}

impl Proxy {
    /// Starts a proxy to `upstream` on an ephemeral local port.
    pub async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr").to_string();
        let (control, _) = watch::channel(ProxyState {
            paused: false,
            generation: 0,
        });
        let watcher = control.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let state = watcher.subscribe();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    pipe_pair(client, server, state).await;
                });
            }
        });
        Proxy { addr, control }
    }

    /// Stops forwarding client bytes to the broker (requests stay pending).
    pub fn pause(&self) {
        self.control.send_modify(|s| s.paused = true);
    }

    /// Forwards again.
    pub fn resume(&self) {
        self.control.send_modify(|s| s.paused = false);
    }

    /// Closes every connection open right now; new ones are forwarded.
    pub fn cut(&self) {
        self.control.send_modify(|s| {
            s.generation += 1;
            s.paused = false;
        });
    }
}

async fn pipe_pair(client: TcpStream, server: TcpStream, mut state: watch::Receiver<ProxyState>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let mut up = vec![0u8; 64 * 1024];
    let mut down = vec![0u8; 64 * 1024];
    let generation = state.borrow_and_update().generation;
    loop {
        let current = *state.borrow_and_update();
        if current.generation != generation {
            return; // dropping the halves closes both sockets
        }
        let forwarding = !current.paused;
        tokio::select! {
            biased;
            changed = state.changed() => {
                if changed.is_err() { return; }
            }
            n = client_read.read(&mut up), if forwarding => {
                match n {
                    Ok(0) | Err(_) => return,
                    Ok(n) => if server_write.write_all(&up[..n]).await.is_err() { return },
                }
            }
            n = server_read.read(&mut down) => {
                match n {
                    Ok(0) | Err(_) => return,
                    Ok(n) => if client_write.write_all(&down[..n]).await.is_err() { return },
                }
            }
        }
    }
}

/// The scriptable fake broker lives in the library (krafka-cli's tests use it too).
#[allow(unused_imports)]
pub use krafka_tests::fake_broker::{FakeBroker, FakeCluster, Reply, Script, presets};

/// How long the fault tests allow a request to wait.
pub const SHORT_TIMEOUT: Duration = Duration::from_millis(500);

/// Every batch of a partition, from offset 0 to the high watermark.
pub async fn fetch_all(
    conn: &Connection,
    topic: &str,
    topic_id: krafka_core::codec::Uuid,
    partition: i32,
) -> Vec<(
    krafka_core::records::BatchHeader,
    Vec<krafka_core::records::Record>,
)> {
    let mut out = Vec::new();
    let mut offset = 0i64;
    for _ in 0..200 {
        let request = krafka_core::messages::FetchRequest {
            max_wait_ms: 100,
            min_bytes: 1,
            max_bytes: 64 * 1024 * 1024,
            session_epoch: -1,
            topics: vec![krafka_core::messages::fetch::FetchTopic {
                topic: topic.to_owned(),
                topic_id,
                partitions: vec![krafka_core::messages::fetch::FetchPartition {
                    partition,
                    fetch_offset: offset,
                    partition_max_bytes: 16 * 1024 * 1024,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let response = conn.send_negotiated(&request).await.expect("Fetch");
        assert_eq!(response.error_code, 0, "Fetch error");
        let data = &response.responses[0].partitions[0];
        // Right after CreateTopics the broker may not lead the partition yet
        // (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION) or know the
        // topic id (UNKNOWN_TOPIC_ID): wait, ask again.
        if matches!(data.error_code, 3 | 6 | 100) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        assert_eq!(
            data.error_code, 0,
            "Fetch {topic}-{partition}: error {}",
            data.error_code
        );
        let records = data
            .records
            .clone()
            .unwrap_or(krafka_core::codec::Records(Bytes::new()));
        for batch in krafka_core::records::RecordBatchReader::new(records.0) {
            let batch = batch.expect("decode batch");
            let header = *batch.header();
            if header.next_offset() <= offset {
                continue;
            }
            offset = header.next_offset();
            out.push((header, batch.collect_records().expect("records")));
        }
        if offset >= data.high_watermark {
            return out;
        }
    }
    panic!("{topic}-{partition}: fetch did not reach the high watermark");
}

/// The values of every record of a partition, in offset order (see
/// [`fetch_all`]); a null value fails the test.
pub async fn fetch_values(
    conn: &Connection,
    topic: &str,
    topic_id: krafka_core::codec::Uuid,
    partition: i32,
) -> Vec<Bytes> {
    fetch_all(conn, topic, topic_id, partition)
        .await
        .into_iter()
        .flat_map(|(_, records)| records)
        .map(|record| record.value.expect("value"))
        .collect()
}

/// A producer of `bootstrap` with the default settings overridden by
/// `props` (Kafka property names).
pub async fn producer(bootstrap: &str, props: &[(&str, &str)]) -> krafka_client::Producer {
    let mut config = krafka_client::ProducerConfig::builder()
        .bootstrap_servers([bootstrap])
        .build()
        .expect("producer config");
    for (key, value) in props {
        config.set(key, value).expect("producer setting");
    }
    krafka_client::Producer::new(config)
        .await
        .unwrap_or_else(|e| panic!("producer on {bootstrap}: {e}"))
}

/// A consumer of `bootstrap` with a short `fetch.max.wait.ms`, built from
/// Kafka property names on top of `props`.
pub async fn consumer(bootstrap: &str, props: &[(&str, &str)]) -> krafka_client::Consumer {
    let mut config = krafka_client::ConsumerConfig::builder()
        .bootstrap_servers([bootstrap])
        .fetch_max_wait(Duration::from_millis(100))
        .build()
        .expect("consumer config");
    for (key, value) in props {
        config.set(key, value).expect("consumer setting");
    }
    krafka_client::Consumer::new(config)
        .await
        .unwrap_or_else(|e| panic!("consumer on {bootstrap}: {e}"))
}

/// Polls until `count` records came (failing after `within`).
pub async fn consume_exactly(
    consumer: &krafka_client::Consumer,
    count: usize,
    within: Duration,
) -> Vec<krafka_client::ConsumerRecord> {
    let deadline = tokio::time::Instant::now() + within;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {count} records within {within:?}",
            out.len()
        );
        out.extend(
            consumer
                .poll(Duration::from_millis(200))
                .await
                .expect("poll"),
        );
    }
    out
}

/// The cluster of a new client handle on `config`.
pub async fn connect_cluster(
    config: krafka_client::ClientConfig,
) -> Result<krafka_client::Cluster, krafka_client::KrafkaError> {
    Ok(krafka_client::Kafka::connect(config)
        .await?
        .cluster()
        .clone())
}
