//! krafka's group admin against a live group of Kafka's own Java consumers
//! (`run.sh group-member`: KafkaConsumer, classic protocol, range assignor,
//! commits after each poll) on the single broker (`KRAFKA_BOOTSTRAP`):
//!
//! - the two members' printed assignments cover the 6 partitions once;
//! - records produced by krafka are consumed once each;
//! - `describe_consumer_groups` shows both members with the assignments
//!   they printed, `list_consumer_group_offsets` what they consumed;
//! - while they are members the group cannot be deleted, its offsets
//!   cannot be altered and the offsets of its topic cannot be deleted;
//! - after they stopped (and left) the group is deleted.
//!
//! Without a JDK or Maven the test skips, except under `CI=true`.

mod broker_support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use broker_support::{connect, create_topic, single, unique_topic};
use krafka_client::{
    Admin, ClientConfig, ErrorCode, OffsetAndMetadata, Producer, ProducerConfig, ProducerRecord,
    TopicPartition,
};
use krafka_tests::java_group::{JavaMember, PATIENCE, Seen};

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn admin() -> Admin {
    Admin::new(
        ClientConfig::builder()
            .bootstrap_servers([single()])
            .build()
            .expect("config"),
    )
    .await
    .expect("admin")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sees_a_group_of_java_consumers() {
    const PARTITIONS: i32 = 6;
    const RECORDS: usize = 60;
    let topic = unique_topic("group-java");
    create_topic(&connect(&single()).await, &topic, PARTITIONS, 1).await;
    let group = unique_topic("group-java-g");
    let all: BTreeSet<String> = (0..PARTITIONS).map(|p| format!("{topic}-{p}")).collect();
    let (events_tx, events) = mpsc::channel();
    let mut seen = Seen::default();

    let mut a = JavaMember::start("a", &single(), &group, "range", &topic, &events_tx);
    if !seen.until(&events, "member a's first assignment", |s| {
        s.assigned.get("a").is_some_and(|p| *p == all)
    }) {
        assert!(a.wait().is_none(), "member a ended early: {seen:?}");
        return; // Java is missing (outside CI): skipped.
    }
    let mut b = JavaMember::start("b", &single(), &group, "range", &topic, &events_tx);
    let covered = |s: &Seen| {
        let (Some(pa), Some(pb)) = (s.assigned.get("a"), s.assigned.get("b")) else {
            return false;
        };
        !pa.is_empty() && !pb.is_empty() && pa.is_disjoint(pb) && pa | pb == all
    };
    assert!(seen.until(&events, "both members assigned", covered));

    let producer = Producer::new(
        ProducerConfig::builder()
            .bootstrap_servers([single()])
            .build()
            .expect("producer config"),
    )
    .await
    .expect("producer");
    let mut produced = BTreeMap::new();
    for i in 0..RECORDS {
        let key = format!("key-{i}");
        let delivery = producer
            .send(
                ProducerRecord::new(&topic)
                    .key(key.clone())
                    .value(format!("value-{i}")),
            )
            .await
            .expect("send");
        produced.insert(i, (key, delivery));
    }
    producer.flush().await;
    let mut expected = BTreeMap::new();
    for (key, delivery) in produced.into_values() {
        let written = delivery.await.expect("delivered");
        expected.insert((written.partition, written.offset), base64(key.as_bytes()));
    }
    assert!(seen.until(&events, "every record consumed", |s| {
        s.records.len() >= RECORDS
    }));
    assert!(
        covered(&seen),
        "a rebalance happened while consuming: {seen:?}"
    );
    for (at, key) in &expected {
        let consumed = &seen.records[at];
        assert_eq!(consumed.len(), 1, "{at:?} consumed {consumed:?}");
        let (member, got) = &consumed[0];
        assert_eq!(got.as_deref(), Some(key.as_str()), "{at:?}");
        let partition = format!("{topic}-{}", at.0);
        assert!(
            seen.assigned[member].contains(&partition),
            "{member} read {partition}"
        );
    }
    assert_eq!(seen.records.len(), expected.len());

    let admin = admin().await;
    let mut ends: BTreeMap<TopicPartition, i64> = BTreeMap::new();
    for (partition, offset) in expected.keys() {
        let end = ends
            .entry(TopicPartition::new(&topic, *partition))
            .or_default();
        *end = (*end).max(offset + 1);
    }
    // The members commit after handling each poll: wait for the last commits.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let committed: BTreeMap<TopicPartition, i64> = admin
            .list_consumer_group_offsets(&group, None)
            .await
            .expect("committed offsets")
            .into_iter()
            .map(|(tp, o)| (tp, o.offset))
            .collect();
        if committed == ends {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "committed {committed:?}, consumed up to {ends:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let described = admin
        .describe_consumer_groups(&[&group])
        .await
        .expect("describe")
        .remove(0);
    assert_eq!(described.state, "Stable");
    assert_eq!(described.protocol_type, "consumer");
    assert_eq!(described.assignor, "range");
    assert_eq!(described.members.len(), 2, "{described:?}");
    let mut described_sets: Vec<BTreeSet<String>> = described
        .members
        .iter()
        .map(|m| {
            assert_eq!(m.client_id, "krafka-java-member");
            assert_eq!(m.group_instance_id, None);
            assert!(!m.member_id.is_empty() && !m.host.is_empty(), "{m:?}");
            m.assignment
                .partitions
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .collect();
    let mut printed: Vec<BTreeSet<String>> = seen.assigned.values().cloned().collect();
    described_sets.sort();
    printed.sort();
    assert_eq!(described_sets, printed);
    let listed = admin
        .list_groups(&krafka_client::ListGroupsOptions::new().states(["Stable"]))
        .await
        .expect("list");
    let listing = listed
        .iter()
        .find(|g| g.group_id == group)
        .expect("listed as Stable");
    assert_eq!(listing.protocol_type, "consumer");

    // An active group refuses all three.
    let error = admin
        .delete_consumer_groups(&[&group])
        .await
        .expect_err("deleting a group with members");
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::NonEmptyGroup),
        "{error}"
    );
    let error = admin
        .alter_consumer_group_offsets(
            &group,
            &[(TopicPartition::new(&topic, 0), OffsetAndMetadata::new(0))],
        )
        .await
        .expect_err("altering the offsets of a group with members");
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::UnknownMemberId),
        "{error}"
    );
    let error = admin
        .delete_consumer_group_offsets(&group, &[TopicPartition::new(&topic, 0)])
        .await
        .expect_err("deleting offsets of a topic the group consumes");
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::GroupSubscribedToTopic),
        "{error}"
    );

    assert!(a.wait().is_some() && b.wait().is_some());
    let described = admin
        .describe_consumer_groups(&[&group])
        .await
        .expect("describe after they left")
        .remove(0);
    assert_eq!(described.state, "Empty");
    assert!(described.members.is_empty());
    admin
        .delete_consumer_groups(&[&group])
        .await
        .expect("delete the group after its members left");
    assert!(
        admin
            .list_consumer_group_offsets(&group, None)
            .await
            .expect("offsets after the delete")
            .is_empty()
    );
}
