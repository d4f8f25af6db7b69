//! Committed offsets through the admin client against the fake broker,
//! where real brokers cannot go: a coordinator that only speaks the
//! single-group OffsetFetch (v1-v7) and an old OffsetCommit, coordinator
//! errors that must be retried, member errors that must not, and answers
//! that do not match the question.

mod broker_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use broker_support::{FakeBroker, FakeCluster, Reply};
use krafka_client::{Admin, ClientConfig, ErrorCode, OffsetAndMetadata, TopicPartition};
use krafka_core::ApiKey;
use krafka_core::messages::find_coordinator::Coordinator;
use krafka_core::messages::offset_commit::{
    OffsetCommitResponsePartition, OffsetCommitResponseTopic,
};
use krafka_core::messages::offset_fetch::{OffsetFetchResponsePartition, OffsetFetchResponseTopic};
use krafka_core::messages::{
    FindCoordinatorRequest, FindCoordinatorResponse, OffsetCommitRequest, OffsetCommitResponse,
    OffsetFetchRequest, OffsetFetchResponse,
};

type Store = Arc<Mutex<BTreeMap<(String, i32), (i64, i32, String)>>>;

/// FindCoordinator names the fake itself.
fn find_coordinator(request: &krafka_tests::fake_broker::Request) -> Reply {
    let asked: FindCoordinatorRequest = request.decode();
    let (host, port) = request.broker_host_port();
    let node_id = krafka_tests::fake_broker::NODE_ID;
    if FindCoordinatorResponse::COORDINATORS_VERSIONS.contains(request.version) {
        Reply::message(FindCoordinatorResponse {
            coordinators: asked
                .coordinator_keys
                .iter()
                .map(|key| Coordinator {
                    key: key.clone(),
                    node_id,
                    host: host.clone(),
                    port,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
    } else {
        Reply::message(FindCoordinatorResponse {
            node_id,
            host,
            port,
            ..Default::default()
        })
    }
}

/// The fake with OffsetFetch v1-v`fetch_max` and OffsetCommit
/// v2-v`commit_max`, storing commits; `fetch_error` and `commit_error`
/// give the error code of the n-th request (0: answer normally).
async fn fake(
    fetch_max: i16,
    commit_max: i16,
    fetch_error: impl Fn(u64) -> i16 + Send + Sync + 'static,
    commit_error: impl Fn(u64) -> i16 + Send + Sync + 'static,
) -> (FakeBroker, Store) {
    let store: Store = Arc::default();
    let committing = Arc::clone(&store);
    let fetching = Arc::clone(&store);
    let script = FakeCluster::new()
        .topic("t", 3)
        .script()
        .versions(ApiKey::OffsetFetch, 1, fetch_max)
        .versions(ApiKey::OffsetCommit, 2, commit_max)
        .on(ApiKey::FindCoordinator, find_coordinator)
        .on(ApiKey::OffsetCommit, move |request| {
            let commit: OffsetCommitRequest = request.decode();
            let code = commit_error(request.seen);
            let mut store = committing.lock().expect("store");
            let topics = commit
                .topics
                .iter()
                .map(|t| OffsetCommitResponseTopic {
                    name: t.name.clone(),
                    partitions: t
                        .partitions
                        .iter()
                        .map(|p| {
                            if code == 0 {
                                store.insert(
                                    (t.name.clone(), p.partition_index),
                                    (
                                        p.committed_offset,
                                        p.committed_leader_epoch,
                                        p.committed_metadata.clone().unwrap_or_default(),
                                    ),
                                );
                            }
                            OffsetCommitResponsePartition {
                                partition_index: p.partition_index,
                                error_code: code,
                                ..Default::default()
                            }
                        })
                        .collect(),
                    ..Default::default()
                })
                .collect();
            Reply::message(OffsetCommitResponse {
                topics,
                ..Default::default()
            })
        })
        .on(ApiKey::OffsetFetch, move |request| {
            let fetch: OffsetFetchRequest = request.decode();
            assert!(
                fetch.groups.is_empty(),
                "groups in OffsetFetch v{}",
                request.version
            );
            let store = fetching.lock().expect("store");
            let asked: Vec<(String, i32)> = match &fetch.topics {
                Some(topics) => topics
                    .iter()
                    .flat_map(|t| t.partition_indexes.iter().map(|p| (t.name.clone(), *p)))
                    .collect(),
                None => store.keys().cloned().collect(),
            };
            let mut topics: BTreeMap<String, Vec<OffsetFetchResponsePartition>> = BTreeMap::new();
            for (topic, partition) in asked {
                let (offset, epoch, metadata) = store
                    .get(&(topic.clone(), partition))
                    .cloned()
                    .unwrap_or((-1, -1, String::new()));
                topics
                    .entry(topic)
                    .or_default()
                    .push(OffsetFetchResponsePartition {
                        partition_index: partition,
                        committed_offset: offset,
                        committed_leader_epoch: epoch,
                        metadata: Some(metadata),
                        ..Default::default()
                    });
            }
            let code = fetch_error(request.seen);
            Reply::message(OffsetFetchResponse {
                topics: topics
                    .into_iter()
                    .map(|(name, partitions)| OffsetFetchResponseTopic {
                        name,
                        partitions: partitions
                            .into_iter()
                            .map(|mut p| {
                                p.error_code = code;
                                p
                            })
                            .collect(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            })
        });
    (FakeBroker::start(script).await, store)
}

async fn admin(addr: &str) -> Admin {
    let mut config = ClientConfig::builder()
        .bootstrap_servers([addr])
        .build()
        .expect("config");
    config.set("retry.backoff.ms", "10").expect("backoff");
    config
        .set("default.api.timeout.ms", "5000")
        .expect("timeout");
    Admin::new(config).await.expect("admin")
}

fn tp(p: i32) -> TopicPartition {
    TopicPartition::new("t", p)
}

/// OffsetFetch v1-v7 (one group per request, `null` topics from v2) and
/// OffsetCommit up to v6 (no leader epoch before it): the same offsets
/// come back as with a new broker, with many groups asked one by one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_group_offset_fetch_versions() {
    for (fetch_max, commit_max) in [(7, 7), (5, 6), (2, 4)] {
        let (fake, _store) = fake(fetch_max, commit_max, |_| 0, |_| 0).await;
        let admin = admin(&fake.addr).await;
        let epoch_kept = commit_max >= 6 && fetch_max >= 5;
        let mut second = OffsetAndMetadata::new(9).with_metadata("m");
        if epoch_kept {
            second = second.with_leader_epoch(3);
        }
        let committed = [(tp(0), OffsetAndMetadata::new(4)), (tp(2), second)];
        admin
            .alter_consumer_group_offsets("g", &committed)
            .await
            .unwrap_or_else(|e| panic!("commit at v{commit_max}: {e}"));
        let expected: BTreeMap<TopicPartition, OffsetAndMetadata> =
            committed.iter().cloned().collect();
        let all = admin
            .list_consumer_group_offsets("g", None)
            .await
            .unwrap_or_else(|e| panic!("fetch at v{fetch_max}: {e}"));
        assert_eq!(all, expected, "v{fetch_max}");
        let some = admin
            .list_consumer_group_offsets("g", Some(&[tp(1), tp(2)]))
            .await
            .expect("some");
        assert_eq!(some.len(), 1);
        assert_eq!(some[&tp(2)], committed[1].1);
        let many = admin
            .list_consumer_groups_offsets(&[("g", None), ("h", Some(&[tp(0)]))])
            .await
            .expect("many");
        assert_eq!(many["g"], expected);
        // The fake stores one set of offsets for every group.
        assert_eq!(many["h"].len(), 1);
        assert!(fake.requests(ApiKey::OffsetFetch) >= 4);
    }
}

/// NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS and UNSTABLE_OFFSET_COMMIT
/// are retried; ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID and
/// UNKNOWN_TOPIC_OR_PARTITION (retriable for Kafka, final for a commit) are
/// not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_errors_are_retried_and_member_errors_are_not() {
    let (fake, store) = fake(
        7,
        7,
        |n| match n {
            0 => ErrorCode::UnstableOffsetCommit as i16,
            1 => ErrorCode::CoordinatorLoadInProgress as i16,
            _ => 0,
        },
        |n| match n {
            0 => ErrorCode::NotCoordinator as i16,
            1 => 0,
            2 => ErrorCode::IllegalGeneration as i16,
            3 => ErrorCode::UnknownMemberId as i16,
            _ => ErrorCode::UnknownTopicOrPartition as i16,
        },
    )
    .await;
    let admin = admin(&fake.addr).await;
    admin
        .alter_consumer_group_offsets("g", &[(tp(0), OffsetAndMetadata::new(1))])
        .await
        .expect("commit after NOT_COORDINATOR");
    assert_eq!(fake.requests(ApiKey::OffsetCommit), 2);
    assert!(
        fake.requests(ApiKey::FindCoordinator) >= 2,
        "the coordinator is found again"
    );
    assert_eq!(store.lock().expect("store").len(), 1);
    let fetched = admin
        .list_consumer_group_offsets("g", None)
        .await
        .expect("fetch after UNSTABLE_OFFSET_COMMIT and COORDINATOR_LOAD_IN_PROGRESS");
    assert_eq!(fetched[&tp(0)].offset, 1);
    assert_eq!(fake.requests(ApiKey::OffsetFetch), 3);
    for expected in [
        ErrorCode::IllegalGeneration,
        ErrorCode::UnknownMemberId,
        ErrorCode::UnknownTopicOrPartition,
    ] {
        let before = fake.requests(ApiKey::OffsetCommit);
        let error = admin
            .alter_consumer_group_offsets("g", &[(tp(1), OffsetAndMetadata::new(2))])
            .await
            .expect_err("refused");
        assert_eq!(error.error_code(), Some(expected), "{error}");
        assert_eq!(
            fake.requests(ApiKey::OffsetCommit),
            before + 1,
            "{expected:?} retried"
        );
    }
}

/// Answers for partitions nobody asked about, or without one that was
/// asked about, are protocol errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_do_not_match_the_question() {
    let script = FakeCluster::new()
        .topic("t", 3)
        .script()
        .versions(ApiKey::OffsetFetch, 1, 7)
        .on(ApiKey::FindCoordinator, find_coordinator)
        .on(ApiKey::OffsetCommit, |_| {
            Reply::message(OffsetCommitResponse {
                topics: vec![OffsetCommitResponseTopic {
                    name: "other".to_owned(),
                    partitions: vec![OffsetCommitResponsePartition::default()],
                    ..Default::default()
                }],
                ..Default::default()
            })
        })
        .on(ApiKey::OffsetFetch, |_| {
            Reply::message(OffsetFetchResponse {
                topics: vec![OffsetFetchResponseTopic {
                    name: "t".to_owned(),
                    partitions: vec![OffsetFetchResponsePartition {
                        partition_index: 0,
                        committed_offset: 5,
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            })
        });
    let fake = FakeBroker::start(script).await;
    let admin = admin(&fake.addr).await;
    let error = admin
        .alter_consumer_group_offsets("g", &[(tp(0), OffsetAndMetadata::new(1))])
        .await
        .expect_err("a commit answered for another topic");
    assert!(error.to_string().contains("other-0"), "{error}");
    let error = admin
        .list_consumer_group_offsets("g", Some(&[tp(1)]))
        .await
        .expect_err("a fetch answered for another partition");
    assert!(error.to_string().contains("t-0"), "{error}");
    let error = admin
        .list_consumer_group_offsets("g", Some(&[tp(0), tp(2)]))
        .await
        .expect_err("a fetch answered without a partition");
    assert!(error.to_string().contains("without t-2"), "{error}");
}
