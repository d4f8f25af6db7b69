//! Group administration against real brokers, without group members:
//! offsets committed by the admin client (a group with no members), read
//! back one group and many groups at a time, deleted per partition and with
//! the group; unknown groups in every call. On the single 4.4.0 node
//! (`KRAFKA_BOOTSTRAP`), Kafka 3.9.2 (`KRAFKA_OLD_BOOTSTRAP`, other
//! OffsetFetch/OffsetCommit/DescribeGroups versions) and the 3-node cluster
//! (`KRAFKA_CLUSTER_BOOTSTRAP`, groups spread over several coordinators).
//! Groups with live members are in `group_java.rs`.

mod broker_support;

use std::collections::BTreeMap;

use broker_support::{cluster, connect, create_topic, old, single, unique_topic};
use krafka_client::{
    Admin, ClientConfig, ErrorCode, KrafkaError, ListGroupsOptions, OffsetAndMetadata,
    TopicPartition,
};
use krafka_core::ApiKey;

async fn admin(bootstrap: &str) -> Admin {
    Admin::new(
        ClientConfig::builder()
            .bootstrap_servers([bootstrap])
            .build()
            .expect("config"),
    )
    .await
    .unwrap_or_else(|e| panic!("admin on {bootstrap}: {e}"))
}

/// `alter_consumer_group_offsets`, again while the group's coordinator does
/// not know the topic yet (a topic just created reaches the brokers of the
/// cluster one after the other; a commit is not retried on
/// UNKNOWN_TOPIC_OR_PARTITION, so that a misspelt topic fails at once).
async fn alter(admin: &Admin, group: &str, offsets: &[(TopicPartition, OffsetAndMetadata)]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match admin.alter_consumer_group_offsets(group, offsets).await {
            Ok(()) => return,
            Err(e)
                if e.error_code() == Some(ErrorCode::UnknownTopicOrPartition)
                    && std::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("altering the offsets of {group}: {e}"),
        }
    }
}

fn code(result: Result<impl std::fmt::Debug, KrafkaError>) -> Option<ErrorCode> {
    match result {
        Ok(value) => panic!("expected a broker error, got {value:?}"),
        Err(error) => error.error_code(),
    }
}

/// Every admin call on one group that never had members, on `bootstrap`.
async fn offsets_round_trip(bootstrap: &str, replication: i16) {
    let conn = connect(bootstrap).await;
    let topic = unique_topic("group-admin");
    create_topic(&conn, &topic, 3, replication).await;
    let admin = admin(bootstrap).await;
    let group = unique_topic("group-admin-g");
    let tp = |p| TopicPartition::new(&topic, p);

    assert!(
        admin
            .list_consumer_group_offsets(&group, None)
            .await
            .expect("offsets of an unknown group")
            .is_empty()
    );
    let committed = vec![
        (tp(0), OffsetAndMetadata::new(5).with_metadata("first")),
        (
            tp(1),
            OffsetAndMetadata::new(7)
                .with_leader_epoch(0)
                .with_metadata("second"),
        ),
    ];
    alter(&admin, &group, &committed).await;

    let all = admin
        .list_consumer_group_offsets(&group, None)
        .await
        .expect("all offsets");
    let expected: BTreeMap<TopicPartition, OffsetAndMetadata> = committed.iter().cloned().collect();
    assert_eq!(all, expected);
    // Partition 2 has nothing committed: left out, not an error.
    let some = admin
        .list_consumer_group_offsets(&group, Some(&[tp(1), tp(2)]))
        .await
        .expect("some offsets");
    assert_eq!(
        some.into_iter().collect::<Vec<_>>(),
        vec![committed[1].clone()]
    );

    let listed = admin
        .list_groups(&ListGroupsOptions::new())
        .await
        .expect("list groups");
    let listing = listed
        .iter()
        .find(|g| g.group_id == group)
        .unwrap_or_else(|| panic!("{group} not listed in {listed:?}"));
    assert_eq!(listing.protocol_type, "");
    assert_eq!(listing.state.as_deref(), Some("Empty"));
    let empty_only = admin
        .list_groups(&ListGroupsOptions::new().states(["Empty"]))
        .await
        .expect("list empty groups");
    assert!(empty_only.iter().any(|g| g.group_id == group));
    assert!(
        empty_only
            .iter()
            .all(|g| g.state.as_deref() == Some("Empty"))
    );
    let stable_only = admin
        .list_groups(&ListGroupsOptions::new().states(["Stable"]))
        .await
        .expect("list stable groups");
    assert!(!stable_only.iter().any(|g| g.group_id == group));

    let described = admin
        .describe_consumer_groups(&[&group])
        .await
        .expect("describe");
    assert_eq!(described.len(), 1);
    assert_eq!(described[0].group_id, group);
    assert_eq!(described[0].state, "Empty");
    assert!(described[0].members.is_empty());
    let coordinator = admin
        .cluster()
        .coordinator(krafka_client::CoordinatorType::Group, &group)
        .await
        .expect("coordinator");
    assert_eq!(described[0].coordinator.node_id, coordinator.node_id);

    admin
        .delete_consumer_group_offsets(&group, &[tp(0)])
        .await
        .expect("delete one offset");
    let left = admin
        .list_consumer_group_offsets(&group, None)
        .await
        .expect("offsets after the delete");
    assert_eq!(
        left.into_iter().collect::<Vec<_>>(),
        vec![committed[1].clone()]
    );

    admin
        .delete_consumer_groups(&[&group])
        .await
        .expect("delete the group");
    assert!(
        admin
            .list_consumer_group_offsets(&group, None)
            .await
            .expect("offsets of the deleted group")
            .is_empty()
    );
    assert_eq!(
        code(admin.delete_consumer_groups(&[&group]).await),
        Some(ErrorCode::GroupIdNotFound)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_of_a_group_without_members() {
    offsets_round_trip(&single(), 1).await;
}

/// Kafka 3.9.2 answers OffsetFetch, OffsetCommit and DescribeGroups at
/// older versions than 4.4.0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_of_a_group_without_members_on_kafka_3_9() {
    offsets_round_trip(&old(), 1).await;
    let admin = admin(&old()).await;
    let node = *admin
        .cluster()
        .metadata()
        .brokers
        .keys()
        .next()
        .expect("a broker");
    for api in [
        ApiKey::OffsetFetch,
        ApiKey::OffsetCommit,
        ApiKey::DescribeGroups,
    ] {
        let version = admin
            .cluster()
            .api_version(node, api)
            .await
            .expect("version");
        eprintln!("Kafka 3.9.2 negotiates {api:?} v{version:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_of_a_group_without_members_on_the_cluster() {
    offsets_round_trip(&cluster(), 3).await;
}

/// Many groups at once, coordinated by different brokers of the cluster.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_of_many_groups() {
    let bootstrap = cluster();
    let conn = connect(&bootstrap).await;
    let topic = unique_topic("group-admin-many");
    create_topic(&conn, &topic, 4, 3).await;
    let admin = admin(&bootstrap).await;
    let groups: Vec<String> = (0..8).map(|i| unique_topic(&format!("many-{i}"))).collect();
    let mut coordinators = std::collections::BTreeSet::new();
    for (i, group) in groups.iter().enumerate() {
        let offset = i64::try_from(i).expect("small") * 10;
        alter(
            &admin,
            group,
            &[(
                TopicPartition::new(&topic, 0),
                OffsetAndMetadata::new(offset),
            )],
        )
        .await;
        coordinators.insert(
            admin
                .cluster()
                .coordinator(krafka_client::CoordinatorType::Group, group)
                .await
                .expect("coordinator")
                .node_id,
        );
    }
    assert!(coordinators.len() > 1, "all groups on {coordinators:?}");
    let unknown = unique_topic("many-unknown");
    let only = [
        TopicPartition::new(&topic, 0),
        TopicPartition::new(&topic, 3),
    ];
    let mut asked: Vec<(&str, Option<&[TopicPartition]>)> =
        groups.iter().map(|g| (g.as_str(), None)).collect();
    asked[1].1 = Some(&only);
    asked.push((unknown.as_str(), None));
    let all = admin
        .list_consumer_groups_offsets(&asked)
        .await
        .expect("offsets of many groups");
    assert_eq!(all.len(), groups.len() + 1);
    for (i, group) in groups.iter().enumerate() {
        let offset = i64::try_from(i).expect("small") * 10;
        let expected: BTreeMap<TopicPartition, OffsetAndMetadata> = [(
            TopicPartition::new(&topic, 0),
            OffsetAndMetadata::new(offset),
        )]
        .into();
        assert_eq!(all[group], expected, "{group}");
    }
    assert!(all[&unknown].is_empty());
    let described = admin
        .describe_consumer_groups(&groups)
        .await
        .expect("describe many");
    let ids: Vec<&str> = described.iter().map(|d| d.group_id.as_str()).collect();
    assert_eq!(ids, groups.iter().map(String::as_str).collect::<Vec<_>>());
    admin
        .delete_consumer_groups(&groups)
        .await
        .expect("delete many");
}

/// An unknown group: describe fails with GROUP_ID_NOT_FOUND on 4.4.0 (as
/// Java's admin client reports it) and is `Dead` on 3.9.2; delete and
/// offset deletion fail with GROUP_ID_NOT_FOUND on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_groups() {
    for (bootstrap, describe_fails) in [(single(), true), (old(), false)] {
        let admin = admin(&bootstrap).await;
        let group = unique_topic("unknown-group");
        let described = admin.describe_consumer_groups(&[&group]).await;
        if describe_fails {
            assert_eq!(
                code(described),
                Some(ErrorCode::GroupIdNotFound),
                "{bootstrap}"
            );
        } else {
            let described = described.expect("describe on 3.9");
            assert_eq!(described[0].state, "Dead", "{bootstrap}");
            assert!(described[0].members.is_empty());
        }
        assert_eq!(
            code(admin.delete_consumer_groups(&[&group]).await),
            Some(ErrorCode::GroupIdNotFound),
            "{bootstrap}"
        );
        assert_eq!(
            code(
                admin
                    .delete_consumer_group_offsets(&group, &[TopicPartition::new("t", 0)])
                    .await
            ),
            Some(ErrorCode::GroupIdNotFound),
            "{bootstrap}"
        );
        assert!(
            admin
                .list_consumer_group_offsets(&group, None)
                .await
                .expect("offsets of an unknown group")
                .is_empty()
        );
    }
}
