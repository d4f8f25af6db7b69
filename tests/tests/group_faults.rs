//! A group member against a scripted coordinator (the fake broker), for
//! what a real one will not do on demand:
//!
//! - a heartbeat answered UNKNOWN_MEMBER_ID ends the generation: the
//!   listener hears the partitions are lost (no commit is attempted) and
//!   the member joins again without a member id;
//! - a JoinGroup that makes the member leader with member metadata that does
//!   not decode, or a SyncGroup assignment that does not decode, fails the
//!   round with a protocol error and is retried with backoff (no panic, no
//!   request storm);
//! - FENCED_INSTANCE_ID ends the membership: every later poll reports it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use krafka_client::{
    BoxFuture, Consumer, ConsumerConfig, ErrorCode, Kafka, MemberAssignment, RebalanceListener,
    TopicPartition,
};
use krafka_core::ApiKey;
use krafka_core::messages::find_coordinator::Coordinator;
use krafka_core::messages::join_group::JoinGroupResponseMember;
use krafka_core::messages::offset_fetch::{
    OffsetFetchResponseGroup, OffsetFetchResponsePartitions, OffsetFetchResponseTopics,
};
use krafka_core::messages::{
    FindCoordinatorRequest, FindCoordinatorResponse, HeartbeatResponse, JoinGroupRequest,
    JoinGroupResponse, LeaveGroupResponse, OffsetCommitResponse, OffsetFetchRequest,
    OffsetFetchResponse, SyncGroupResponse,
};
use krafka_tests::fake_broker::{FakeBroker, FakeCluster, Reply, Request, Script};

const TOPIC: &str = "events";

/// The fake as the coordinator of every key.
fn find_coordinator(request: &Request) -> Reply {
    let asked: FindCoordinatorRequest = request.decode();
    let (host, port) = request.broker_host_port();
    if asked.coordinator_keys.is_empty() {
        return Reply::message(FindCoordinatorResponse {
            node_id: 1,
            host,
            port,
            ..Default::default()
        });
    }
    Reply::message(FindCoordinatorResponse {
        coordinators: asked
            .coordinator_keys
            .into_iter()
            .map(|key| Coordinator {
                key,
                node_id: 1,
                host: host.clone(),
                port,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

/// JoinGroup: the member leads a group of itself, with the metadata it
/// sent (or `metadata` when given); member ids it joined with are noted.
fn join_group(
    joined_with: Arc<Mutex<Vec<String>>>,
    metadata: Option<Bytes>,
) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
    move |request| {
        let join: JoinGroupRequest = request.decode();
        joined_with.lock().unwrap().push(join.member_id.clone());
        let protocol = join.protocols[0].clone();
        Reply::message(JoinGroupResponse {
            generation_id: i32::try_from(request.seen).unwrap_or(0) + 1,
            protocol_type: Some("consumer".into()),
            protocol_name: Some(protocol.name.clone()),
            leader: "member-1".into(),
            member_id: "member-1".into(),
            members: vec![JoinGroupResponseMember {
                member_id: "member-1".into(),
                metadata: metadata.clone().unwrap_or(protocol.metadata),
                ..Default::default()
            }],
            ..Default::default()
        })
    }
}

/// The other group APIs: SyncGroup hands out `assignment`, commits and
/// leaves succeed, nothing is committed, heartbeats answer `heartbeat`.
fn group_script(
    cluster: &FakeCluster,
    join: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    assignment: Bytes,
    heartbeat: impl Fn(u64) -> i16 + Send + Sync + 'static,
) -> Script {
    cluster
        .script()
        .on(ApiKey::JoinGroup, join)
        .on(ApiKey::FindCoordinator, find_coordinator)
        .on(ApiKey::SyncGroup, move |_| {
            Reply::message(SyncGroupResponse {
                protocol_type: Some("consumer".into()),
                protocol_name: Some("range".into()),
                assignment: assignment.clone(),
                ..Default::default()
            })
        })
        .on(ApiKey::Heartbeat, move |request| {
            Reply::message(HeartbeatResponse {
                error_code: heartbeat(request.seen),
                ..Default::default()
            })
        })
        .on(ApiKey::OffsetFetch, |_| {
            Reply::message(OffsetFetchResponse::default())
        })
        .on(ApiKey::OffsetCommit, |_| {
            Reply::message(OffsetCommitResponse::default())
        })
        .on(ApiKey::LeaveGroup, |_| {
            Reply::message(LeaveGroupResponse::default())
        })
}

/// OffsetFetch (v8+, as krafka sends it to this fake): nothing committed
/// for any partition asked about.
fn nothing_committed(request: &Request) -> Reply {
    let asked: OffsetFetchRequest = request.decode();
    Reply::message(OffsetFetchResponse {
        groups: asked
            .groups
            .into_iter()
            .map(|group| OffsetFetchResponseGroup {
                group_id: group.group_id,
                topics: group
                    .topics
                    .unwrap_or_default()
                    .into_iter()
                    .map(|topic| OffsetFetchResponseTopics {
                        name: topic.name,
                        partitions: topic
                            .partition_indexes
                            .into_iter()
                            .map(|partition_index| OffsetFetchResponsePartitions {
                                partition_index,
                                committed_offset: -1,
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn all_partitions() -> Bytes {
    MemberAssignment {
        partitions: (0..2).map(|p| TopicPartition::new(TOPIC, p)).collect(),
        user_data: None,
    }
    .encode(3)
    .unwrap()
}

async fn member(fake: &FakeBroker, extra: &[(&str, &str)]) -> Consumer {
    let mut config = ConsumerConfig::builder()
        .bootstrap_servers([fake.addr.as_str()])
        .fetch_max_wait(Duration::from_millis(50))
        .build()
        .unwrap();
    for (key, value) in [
        ("group.id", "g"),
        ("heartbeat.interval.ms", "100"),
        ("session.timeout.ms", "6000"),
        ("retry.backoff.ms", "100"),
        ("partition.assignment.strategy", "range"),
    ]
    .iter()
    .chain(extra)
    {
        config.set(key, value).unwrap();
    }
    Kafka::connect(config.client.clone())
        .await
        .unwrap()
        .consumer(config)
        .unwrap()
}

/// Counts what the listener hears.
#[derive(Debug, Default)]
struct Heard {
    lost: AtomicU64,
    revoked: AtomicU64,
}

#[derive(Debug)]
struct Listening(Arc<Heard>);

impl RebalanceListener for Listening {
    fn on_partitions_revoked<'a>(
        &'a self,
        _: &'a Consumer,
        _: &'a [TopicPartition],
    ) -> BoxFuture<'a, ()> {
        self.0.revoked.fetch_add(1, Ordering::Relaxed);
        Box::pin(async {})
    }

    fn on_partitions_lost<'a>(
        &'a self,
        _: &'a Consumer,
        _: &'a [TopicPartition],
    ) -> BoxFuture<'a, ()> {
        self.0.lost.fetch_add(1, Ordering::Relaxed);
        Box::pin(async {})
    }
}

async fn poll_for(consumer: &Consumer, time: Duration) {
    let deadline = tokio::time::Instant::now() + time;
    while tokio::time::Instant::now() < deadline {
        consumer.poll(Duration::from_millis(50)).await.unwrap();
    }
}

#[tokio::test]
async fn an_unknown_member_id_loses_the_partitions_and_rejoins_afresh() {
    let cluster = FakeCluster::new().topic(TOPIC, 2);
    let joined_with = Arc::new(Mutex::new(Vec::new()));
    // The third heartbeat says the coordinator forgot the member.
    let script = group_script(
        &cluster,
        join_group(Arc::clone(&joined_with), None),
        all_partitions(),
        |seen| {
            if seen == 2 {
                ErrorCode::UnknownMemberId as i16
            } else {
                0
            }
        },
    );
    let fake = FakeBroker::start(script).await;
    let consumer = member(&fake, &[]).await;
    let heard = Arc::new(Heard::default());
    consumer.set_rebalance_listener(Listening(Arc::clone(&heard)));
    consumer.subscribe([TOPIC]).await.unwrap();
    poll_for(&consumer, Duration::from_millis(1500)).await;
    assert_eq!(heard.lost.load(Ordering::Relaxed), 1, "lost once");
    assert_eq!(heard.revoked.load(Ordering::Relaxed), 0, "nothing revoked");
    let joins = joined_with.lock().unwrap().clone();
    assert!(joins.len() >= 2, "{joins:?}");
    assert_eq!(joins[0], "", "first join without a member id");
    assert_eq!(joins[1], "", "the forgotten member joins afresh");
    assert_eq!(consumer.assignment().len(), 2, "assigned again");
    assert_eq!(
        fake.requests(ApiKey::OffsetCommit),
        0,
        "lost partitions are not committed"
    );
}

#[tokio::test]
async fn undecodable_group_data_is_retried_with_backoff_without_a_panic() {
    for (metadata, assignment) in [
        // Member metadata that is not a subscription.
        (Some(Bytes::from_static(b"\xff")), all_partitions()),
        // An assignment that lies about its topic count.
        (None, Bytes::from_static(b"\x00\x03\x7f\xff\xff\xff")),
    ] {
        let cluster = FakeCluster::new().topic(TOPIC, 2);
        let script = group_script(
            &cluster,
            join_group(Arc::new(Mutex::new(Vec::new())), metadata),
            assignment,
            |_| 0,
        );
        let fake = FakeBroker::start(script).await;
        let consumer = member(&fake, &[]).await;
        consumer.subscribe([TOPIC]).await.unwrap();
        poll_for(&consumer, Duration::from_millis(1500)).await;
        assert!(consumer.assignment().is_empty());
        let joins = fake.requests(ApiKey::JoinGroup);
        assert!((2..=20).contains(&joins), "{joins} JoinGroups in 1.5 s");
    }
}

#[tokio::test]
async fn a_fenced_static_member_reports_it_on_every_poll() {
    let cluster = FakeCluster::new().topic(TOPIC, 2);
    let script = group_script(
        &cluster,
        join_group(Arc::new(Mutex::new(Vec::new())), None),
        all_partitions(),
        |seen| {
            if seen >= 1 {
                ErrorCode::FencedInstanceId as i16
            } else {
                0
            }
        },
    );
    let fake = FakeBroker::start(script).await;
    let consumer = member(&fake, &[("group.instance.id", "one")]).await;
    consumer.subscribe([TOPIC]).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let error = loop {
        match consumer.poll(Duration::from_millis(50)).await {
            Err(error) => break error,
            Ok(_) => assert!(tokio::time::Instant::now() < deadline, "never fenced"),
        }
    };
    assert_eq!(error.error_code(), Some(ErrorCode::FencedInstanceId));
    let again = consumer.poll(Duration::from_millis(10)).await.unwrap_err();
    assert_eq!(again.error_code(), Some(ErrorCode::FencedInstanceId));
    assert!(consumer.assignment().is_empty());
    let joins = fake.requests(ApiKey::JoinGroup);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        fake.requests(ApiKey::JoinGroup),
        joins,
        "no rejoin after fencing"
    );
}

#[tokio::test]
async fn heartbeats_go_on_while_the_committed_offsets_cannot_be_read() {
    let cluster = FakeCluster::new().topic(TOPIC, 2);
    let answering = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let switch = Arc::clone(&answering);
    let script = group_script(
        &cluster,
        join_group(Arc::new(Mutex::new(Vec::new())), None),
        all_partitions(),
        |_| 0,
    )
    .on(ApiKey::OffsetFetch, move |request| {
        if switch.load(Ordering::Relaxed) {
            nothing_committed(request)
        } else {
            // An answer that names no group: a protocol error each time.
            Reply::message(OffsetFetchResponse::default())
        }
    });
    let fake = FakeBroker::start(script).await;
    let consumer = member(&fake, &[("default.api.timeout.ms", "300")]).await;
    consumer.subscribe([TOPIC]).await.unwrap();
    poll_for(&consumer, Duration::from_millis(1500)).await;
    assert_eq!(consumer.assignment().len(), 2);
    assert!(fake.requests(ApiKey::Heartbeat) >= 5, "heartbeats went on");
    assert_eq!(fake.requests(ApiKey::Fetch), 0, "no position, no fetch");
    answering.store(true, Ordering::Relaxed);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while fake.requests(ApiKey::Fetch) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "never fetched");
        consumer.poll(Duration::from_millis(50)).await.unwrap();
    }
}
