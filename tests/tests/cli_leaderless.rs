//! One partition without a leader must not hold the others back (issue 17,
//! finding 1). On the 3-node cluster, a topic with one replica per
//! partition, spread over the nodes; the node that leads some of them is
//! stopped, so those partitions have no leader at all.
//!
//! - `krafka consume -e` prints the healthy partitions' records at once,
//!   then, after `default.api.timeout.ms` without progress, warns once per
//!   unavailable partition and exits 0.
//! - The library consumer hands the healthy partitions' records out at
//!   once, `position` of a leaderless partition fails after
//!   `default.api.timeout.ms`, and once the node is back the consumer reads
//!   the partitions it could not (the background reset retries them).
//!
//! The CLI is the `krafka` binary next to this test's executable in
//! target/ (`cargo test --workspace` builds it; alone:
//! `cargo build -p krafka-cli` first).

mod broker_support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use broker_support::failover::{NODES, client, exclusive, stop_node};
use broker_support::{cluster, connect, create_topic, unique_topic};
use krafka_client::{Consumer, ConsumerConfig, Kafka, TopicPartition};
use krafka_core::messages::MetadataRequest;
use krafka_core::messages::metadata::MetadataRequestTopic;

const PARTITIONS: i32 = 6;

fn krafka_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let binary = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join(format!("krafka{}", std::env::consts::EXE_SUFFIX)))
        .expect("target directory");
    assert!(
        binary.exists(),
        "{} is missing: build it with `cargo build -p krafka-cli`",
        binary.display()
    );
    binary
}

/// Runs the CLI to completion with `stdin`.
fn run(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(krafka_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run krafka");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("krafka output")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leaderless_partition_holds_no_other_back() {
    let _one_at_a_time = exclusive().await;
    let bootstrap = NODES.join(",");
    let first = cluster();
    assert!(
        NODES.contains(&first.as_str()),
        "this test stops a node of scripts/kafka/kafka.sh's cluster {NODES:?}, not \
         KRAFKA_CLUSTER_BOOTSTRAP={first}"
    );
    let topic = unique_topic("cli-leaderless");
    create_topic(&connect(&first).await, &topic, PARTITIONS, 1).await;
    every_node_knows(&topic).await;
    for p in 0..PARTITIONS {
        let out = run(
            &[
                "produce",
                "-b",
                &bootstrap,
                "-t",
                &topic,
                "-p",
                &p.to_string(),
                "-q",
            ],
            &format!("value-{p}\n"),
        );
        assert!(out.status.success(), "produce to {p}: {out:?}");
    }

    let kafka = Kafka::connect(client()).await.expect("connect");
    let metadata = kafka
        .cluster()
        .topic_metadata(&topic)
        .await
        .expect("topic metadata");
    let leaders: Vec<(i32, i32)> = metadata
        .partitions
        .iter()
        .map(|p| (p.partition, p.leader.expect("a leader")))
        .collect();
    // The node leading the fewest partitions (but some): the others keep
    // the most.
    let nodes: BTreeSet<i32> = leaders.iter().map(|(_, n)| *n).collect();
    assert!(nodes.len() > 1, "every partition on one node: {leaders:?}");
    let victim = *nodes
        .iter()
        .min_by_key(|n| leaders.iter().filter(|(_, l)| l == *n).count())
        .expect("a node");
    let lost: BTreeSet<i32> = leaders
        .iter()
        .filter(|(_, n)| *n == victim)
        .map(|(p, _)| *p)
        .collect();
    let healthy: BTreeSet<i32> = (0..PARTITIONS).filter(|p| !lost.contains(p)).collect();

    let stopped = stop_node(victim).await;

    // The CLI: healthy records at once, then a warning per lost partition
    // after default.api.timeout.ms, exit 0.
    const API_TIMEOUT_MS: u64 = 8_000;
    let started = Instant::now();
    let mut child = Command::new(krafka_binary())
        .args([
            "consume",
            "-b",
            &bootstrap,
            "-t",
            &topic,
            "-e",
            "-f",
            "%p:%s\\n",
            "-X",
            &format!("default.api.timeout.ms={API_TIMEOUT_MS}"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run krafka");
    let stdout = child.stdout.take().expect("stdout");
    let lines = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map(|line| (line.expect("utf-8 line"), started.elapsed()))
            .collect::<Vec<_>>()
    });
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("krafka consume");
    let took = started.elapsed();
    let lines = lines.join().expect("stdout reader");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "consume -e failed: {stderr}");
    let printed: BTreeSet<String> = lines.iter().map(|(l, _)| l.clone()).collect();
    let expected: BTreeSet<String> = healthy.iter().map(|p| format!("{p}:value-{p}")).collect();
    assert_eq!(printed, expected, "stderr: {stderr}");
    let last_record = lines.iter().map(|(_, at)| *at).max().expect("records");
    assert!(
        last_record < Duration::from_millis(API_TIMEOUT_MS / 2),
        "the healthy records came after {last_record:?}, not at once"
    );
    assert!(
        took >= Duration::from_millis(API_TIMEOUT_MS),
        "gave up after {took:?}, before default.api.timeout.ms"
    );
    assert!(took < Duration::from_secs(40), "took {took:?}");
    for p in &lost {
        let warning = format!(
            "krafka: warning: partition {p} of {topic} unavailable for {API_TIMEOUT_MS} ms \
             (default.api.timeout.ms): "
        );
        assert_eq!(
            stderr.matches(&warning).count(),
            1,
            "no one warning for {p}: {stderr}"
        );
    }
    assert!(
        stderr.ends_with(&format!(
            "{} records consumed from {topic}\n",
            healthy.len()
        )),
        "{stderr}"
    );

    // The library: the healthy records at once, the lost ones after the
    // node is back.
    let config = ConsumerConfig::builder()
        .client(client())
        .fetch_max_wait(Duration::from_millis(100))
        .set("auto.offset.reset", "earliest")
        .and_then(|b| b.set("default.api.timeout.ms", "3000"))
        .expect("settings")
        .build()
        .expect("consumer config");
    let consumer = Consumer::new(config).await.expect("consumer");
    let all: Vec<TopicPartition> = (0..PARTITIONS)
        .map(|p| TopicPartition::new(&topic, p))
        .collect();
    let assigned = Instant::now();
    consumer.assign(all.clone()).await.expect("assign");
    consumer.seek_to_beginning(&all).await.expect("seek");
    assert!(
        assigned.elapsed() < Duration::from_secs(2),
        "assign and seek waited {:?} for the leaderless partitions",
        assigned.elapsed()
    );
    let mut seen = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(2);
    while seen.len() < healthy.len() && Instant::now() < deadline {
        for record in consumer
            .poll(Duration::from_millis(100))
            .await
            .expect("poll")
        {
            seen.insert(record.partition);
        }
    }
    assert_eq!(seen, healthy, "the healthy partitions within 2 s");
    let lost_tp = TopicPartition::new(&topic, *lost.first().expect("a lost partition"));
    assert_eq!(consumer.current_position(&lost_tp), None);
    let asked = Instant::now();
    let position = consumer.position(&lost_tp).await;
    assert!(
        position.is_err(),
        "a position without a leader: {position:?}"
    );
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "position waited {:?}",
        asked.elapsed()
    );

    tokio::task::spawn_blocking(move || drop(stopped))
        .await
        .expect("restart the node");
    let deadline = Instant::now() + Duration::from_secs(90);
    while seen.len() < PARTITIONS as usize {
        assert!(
            Instant::now() < deadline,
            "after the restart only partitions {seen:?}"
        );
        for record in consumer
            .poll(Duration::from_millis(200))
            .await
            .expect("poll")
        {
            assert_eq!(
                record.value.as_deref(),
                Some(format!("value-{}", record.partition).as_bytes())
            );
            seen.insert(record.partition);
        }
    }
    assert_eq!(consumer.position(&lost_tp).await.expect("position"), 1);
    consumer.close().await.expect("close");
}

/// Waits until every node of the cluster lists `topic` with all its
/// partitions: CreateTopics answers once the controller has it, and a node
/// that has not caught up yet would tell the CLI (which may ask any of
/// them) that the topic does not exist.
async fn every_node_knows(topic: &str) {
    let request = MetadataRequest {
        topics: Some(vec![MetadataRequestTopic {
            name: Some(topic.to_owned()),
            ..Default::default()
        }]),
        allow_auto_topic_creation: false,
        ..Default::default()
    };
    for node in NODES {
        let conn = connect(node).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let response = conn.send_negotiated(&request).await.expect("Metadata");
            let known = response.topics.iter().any(|t| {
                t.name.as_deref() == Some(topic)
                    && t.error_code == 0
                    && t.partitions.len() == PARTITIONS as usize
            });
            if known {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "node {node} does not know {topic} after 15 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
