//! Consumer groups of krafka members on the real single broker
//! (`KRAFKA_BOOTSTRAP`, started by the test script with
//! `group.initial.rebalance.delay.ms=0`):
//!
//! - three members over a 12-partition topic while records flow, members
//!   joining and leaving: no partition is ever owned by two members, every
//!   partition is owned once the group settles, and with a commit after
//!   processing every record is processed at least once;
//! - an application's own assignor (the public `Assignor` trait);
//! - static membership, eviction of a member that stops heartbeating, a
//!   commit after eviction, pattern subscriptions and bad input.

mod broker_support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use broker_support::{connect, create_topic, single, unique_topic};
use bytes::Bytes;
use krafka_client::{
    Assignor, Consumer, ConsumerConfig, ErrorCode, GroupAssignmentInput, Kafka, KrafkaError,
    MemberAssignment, ProducerRecord, TopicPartition,
};
use krafka_tests::group::{PATIENCE, Running, settled};

/// A member on the single broker.
async fn member(
    group: &str,
    extra: &[(&str, &str)],
    assignors: Option<Vec<Arc<dyn Assignor>>>,
) -> Consumer {
    krafka_tests::group::member(&single(), group, extra, assignors).await
}

fn member_config(group: &str, extra: &[(&str, &str)]) -> ConsumerConfig {
    krafka_tests::group::member_config(&single(), group, extra)
}

async fn topic_with_partitions(partitions: i32) -> String {
    let topic = unique_topic("group");
    create_topic(&connect(&single()).await, &topic, partitions, 1).await;
    topic
}

/// Partition `i` of each topic goes to member `i % members`, members in
/// member-id order: an assignor an application could write.
#[derive(Debug)]
struct Modulo;

impl Assignor for Modulo {
    fn name(&self) -> &str {
        "modulo"
    }

    fn assign(
        &self,
        group: &GroupAssignmentInput,
    ) -> Result<BTreeMap<String, MemberAssignment>, KrafkaError> {
        let mut members: Vec<&str> = group.members.iter().map(|m| m.member_id.as_str()).collect();
        members.sort_unstable();
        let mut out: BTreeMap<String, MemberAssignment> = members
            .iter()
            .map(|m| (m.to_string(), MemberAssignment::default()))
            .collect();
        for (topic, partitions) in &group.topics {
            for (i, p) in partitions.iter().enumerate() {
                let owner = members[i % members.len()];
                out.get_mut(owner)
                    .expect("member")
                    .partitions
                    .push(TopicPartition::new(topic, p.partition));
            }
        }
        Ok(out)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_members_share_a_topic_through_joins_and_leaves_without_losing_a_record() {
    let topic = topic_with_partitions(12).await;
    let group = unique_topic("group-id");
    let partitions: BTreeSet<TopicPartition> =
        (0..12).map(|p| TopicPartition::new(&topic, p)).collect();
    let producer = broker_support::producer(&single(), &[("linger.ms", "5")]).await;
    let processed = Arc::new(Mutex::new(Vec::new()));

    // Records flow for the whole test.
    let total: usize = 3_000;
    let producing = {
        let topic = topic.clone();
        tokio::spawn(async move {
            for i in 0..total {
                let record = ProducerRecord::new(&topic)
                    .key(Bytes::from(format!("k{}", i % 97)))
                    .value(Bytes::from(i.to_string()));
                drop(producer.send(record).await.expect("send"));
                if i % 100 == 99 {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            producer.flush().await;
        })
    };

    let modulo = || Some(vec![Arc::new(Modulo) as Arc<dyn Assignor>]);
    let start =
        async || Running::start(member(&group, &[], modulo()).await, &topic, &processed).await;
    let a = start().await;
    settled(&[&a.consumer], &partitions).await;
    let b = start().await;
    settled(&[&a.consumer, &b.consumer], &partitions).await;
    let c = start().await;
    settled(&[&a.consumer, &b.consumer, &c.consumer], &partitions).await;
    for m in [&a, &b, &c] {
        assert_eq!(
            m.consumer.assignment().len(),
            4,
            "12 partitions over 3 members"
        );
    }
    let mut refusals = a.stop().await;
    settled(&[&b.consumer, &c.consumer], &partitions).await;
    let d = start().await;
    settled(&[&b.consumer, &c.consumer, &d.consumer], &partitions).await;
    producing.await.expect("producer task");

    // Every offset of every partition is processed, by one member or more.
    let ends = d
        .consumer
        .end_offsets(&partitions.iter().cloned().collect::<Vec<_>>())
        .await
        .expect("end offsets");
    let want: usize = ends
        .iter()
        .map(|(_, end)| usize::try_from(*end).unwrap())
        .sum();
    assert_eq!(want, total);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let seen: BTreeSet<(i32, i64)> = processed
            .lock()
            .unwrap()
            .iter()
            .map(|p| (p.partition, p.offset))
            .collect();
        if seen.len() == total {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of {total} records processed",
            seen.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for m in [b, c, d] {
        refusals += m.stop().await;
    }
    let processed = processed.lock().unwrap();
    let distinct: BTreeSet<(i32, i64)> =
        processed.iter().map(|p| (p.partition, p.offset)).collect();
    for (tp, end) in &ends {
        for offset in 0..*end {
            assert!(
                distinct.contains(&(tp.partition, offset)),
                "{tp}@{offset} was never processed"
            );
        }
    }
    eprintln!(
        "{} records processed for {total} produced ({} again after a rebalance); {refusals} commits refused",
        processed.len(),
        processed.len() - total
    );
}

/// Produces `count` records to each partition of `topic` (values
/// `p-i`) and waits for them.
async fn fill(topic: &str, partitions: i32, count: usize) {
    let producer = broker_support::producer(&single(), &[("linger.ms", "1")]).await;
    let mut deliveries = Vec::new();
    for p in 0..partitions {
        for i in 0..count {
            let record = ProducerRecord::new(topic)
                .partition(p)
                .value(Bytes::from(format!("{p}-{i}")));
            deliveries.push(producer.send(record).await.expect("send"));
        }
    }
    for delivery in deliveries {
        delivery.await.expect("delivered");
    }
}

/// Polls `consumer` until its assignment is not empty.
async fn assigned(consumer: &Consumer) -> BTreeSet<TopicPartition> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let _ = consumer
            .poll(Duration::from_millis(50))
            .await
            .expect("poll");
        let assignment: BTreeSet<TopicPartition> = consumer.assignment().into_iter().collect();
        if !assignment.is_empty() {
            return assignment;
        }
        assert!(tokio::time::Instant::now() < deadline, "no assignment");
    }
}

/// Polls both until their assignments split `all` between them.
async fn split(a: &Consumer, b: &Consumer, all: &BTreeSet<TopicPartition>) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let _ = a.poll(Duration::from_millis(20)).await.expect("poll");
        let _ = b.poll(Duration::from_millis(20)).await.expect("poll");
        let x: BTreeSet<TopicPartition> = a.assignment().into_iter().collect();
        let y: BTreeSet<TopicPartition> = b.assignment().into_iter().collect();
        if !x.is_empty() && !y.is_empty() && x.is_disjoint(&y) && &(&x | &y) == all {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no split: {x:?} {y:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_member_restarted_within_the_session_gets_its_partitions_back_without_a_rebalance()
{
    let topic = topic_with_partitions(4).await;
    let group = unique_topic("static");
    let all: BTreeSet<TopicPartition> = (0..4).map(|p| TopicPartition::new(&topic, p)).collect();
    let modulo = || Some(vec![Arc::new(Modulo) as Arc<dyn Assignor>]);
    let one = member(&group, &[("group.instance.id", "one")], modulo()).await;
    let two = member(&group, &[("group.instance.id", "two")], modulo()).await;
    one.subscribe([topic.as_str()]).await.unwrap();
    two.subscribe([topic.as_str()]).await.unwrap();
    split(&one, &two, &all).await;
    let before = one.assignment();
    let generation = two.group_metadata().unwrap().generation_id;
    // A restart: the old instance goes without LeaveGroup (static members
    // never send one), a new one with the same instance id comes.
    one.close().await.unwrap();
    let again = member(&group, &[("group.instance.id", "one")], modulo()).await;
    again.subscribe([topic.as_str()]).await.unwrap();
    let back = assigned(&again).await;
    assert_eq!(back, before.into_iter().collect(), "the same partitions");
    // The other member saw no rebalance: same generation, same partitions.
    for _ in 0..10 {
        let _ = two.poll(Duration::from_millis(100)).await.unwrap();
    }
    assert_eq!(two.group_metadata().unwrap().generation_id, generation);
    assert_eq!(
        again.group_metadata().unwrap().generation_id,
        generation,
        "the restarted member rejoined the same generation"
    );

    // A second live instance with the same id fences the first.
    let impostor = member(&group, &[("group.instance.id", "one")], modulo()).await;
    impostor.subscribe([topic.as_str()]).await.unwrap();
    let _ = assigned(&impostor).await;
    let error = again
        .commit_offsets(&[(
            TopicPartition::new(&topic, 0),
            krafka_client::OffsetAndMetadata::new(0),
        )])
        .await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut error = error.err();
    while error.as_ref().and_then(KrafkaError::error_code) != Some(ErrorCode::FencedInstanceId) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not fenced: {error:?}"
        );
        error = again.poll(Duration::from_millis(200)).await.err();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_member_is_evicted_and_its_partitions_resume_from_its_commits() {
    let topic = topic_with_partitions(4).await;
    let group = unique_topic("crash");
    let all: BTreeSet<TopicPartition> = (0..4).map(|p| TopicPartition::new(&topic, p)).collect();
    fill(&topic, 4, 10).await;
    let modulo = || Some(vec![Arc::new(Modulo) as Arc<dyn Assignor>]);
    let short = [("session.timeout.ms", "6000")];
    let doomed = member(&group, &short, modulo()).await;
    let survivor = member(&group, &short, modulo()).await;
    doomed.subscribe([topic.as_str()]).await.unwrap();
    survivor.subscribe([topic.as_str()]).await.unwrap();
    split(&doomed, &survivor, &all).await;
    // The doomed member processes 3 records of each of its partitions,
    // commits them, and dies without leaving the group.
    let mine = doomed.assignment();
    let mut commits = Vec::new();
    for tp in &mine {
        doomed.seek(tp, 0).await.unwrap();
        commits.push((tp.clone(), krafka_client::OffsetAndMetadata::new(3)));
    }
    doomed.commit_offsets(&commits).await.unwrap();
    drop(doomed);
    // After the session timeout the survivor owns everything, and starts the
    // doomed member's partitions at its commits.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut first: BTreeMap<TopicPartition, i64> = BTreeMap::new();
    while first.len() < 4 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "survivor got {first:?}"
        );
        for record in survivor.poll(Duration::from_millis(200)).await.unwrap() {
            first
                .entry(record.topic_partition())
                .or_insert(record.offset);
        }
    }
    for tp in &mine {
        assert_eq!(first[tp], 3, "{tp} resumes at the committed offset");
    }
    let committed = survivor.committed(&mine).await.unwrap();
    assert!(
        committed
            .iter()
            .all(|(_, c)| c.as_ref().map(|c| c.offset) == Some(3))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_that_stops_polling_leaves_and_its_commit_is_refused() {
    let topic = topic_with_partitions(2).await;
    let group = unique_topic("slow");
    let slow = member(&group, &[("max.poll.interval.ms", "1500")], None).await;
    slow.subscribe([topic.as_str()]).await.unwrap();
    let owned = assigned(&slow).await;
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert!(
        slow.assignment().is_empty(),
        "left the group, partitions gone"
    );
    // What it processed before it left can no longer be committed.
    let processed: Vec<(TopicPartition, krafka_client::OffsetAndMetadata)> = owned
        .iter()
        .map(|tp| (tp.clone(), krafka_client::OffsetAndMetadata::new(0)))
        .collect();
    let error = slow
        .commit_offsets(&processed)
        .await
        .expect_err("not in the group");
    assert!(error.to_string().contains("not in group"), "{error}");
    // Polling again rejoins.
    let back = assigned(&slow).await;
    assert_eq!(back.len(), 2);
    slow.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pattern_subscription_picks_up_topics_created_later() {
    let prefix = unique_topic("pattern");
    let first = format!("{prefix}-a");
    create_topic(&connect(&single()).await, &first, 2, 1).await;
    let consumer = member(
        &unique_topic("pattern-group"),
        &[("metadata.max.age.ms", "1000")],
        None,
    )
    .await;
    consumer
        .subscribe_pattern(&format!("{}-.*", regex_escape(&prefix)))
        .await
        .unwrap();
    let got = assigned(&consumer).await;
    assert_eq!(got.len(), 2);
    let second = format!("{prefix}-b");
    create_topic(&connect(&single()).await, &second, 3, 1).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while consumer.assignment().len() < 5 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            consumer.assignment()
        );
        let _ = consumer.poll(Duration::from_millis(100)).await.unwrap();
    }
    assert_eq!(consumer.subscription(), [first, second]);

    // A pattern that matches nothing is a subscription to nothing yet.
    let nothing = member(&unique_topic("nothing"), &[], None).await;
    nothing
        .subscribe_pattern("no-topic-is-called-this-.*")
        .await
        .unwrap();
    for _ in 0..5 {
        assert!(
            nothing
                .poll(Duration::from_millis(100))
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert!(nothing.assignment().is_empty());
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

#[tokio::test]
async fn bad_group_input_is_refused_with_a_clear_error() {
    // An assignor that does not exist: a config error when the consumer is made.
    let config = member_config("g", &[("partition.assignment.strategy", "range,fastest")]);
    let kafka = Kafka::connect(config.client.clone()).await.unwrap();
    let error = kafka.consumer(config).expect_err("unknown assignor");
    assert!(error.to_string().contains("fastest"), "{error}");
    // Subscribing without a group.id.
    let plain = broker_support::consumer(&single(), &[]).await;
    let error = plain.subscribe(["t"]).await.expect_err("no group");
    assert!(error.to_string().contains("group.id"), "{error}");
    assert!(plain.commit().await.is_err());
    // A bad pattern, an empty topic name.
    let grouped = member(&unique_topic("bad"), &[], None).await;
    assert!(grouped.subscribe_pattern("(").await.is_err());
    assert!(grouped.subscribe([""]).await.is_err());
    // Subscribe and assign do not mix.
    grouped.subscribe(["t"]).await.unwrap();
    let error = grouped
        .assign([TopicPartition::new("t", 0)])
        .await
        .expect_err("subscribed");
    assert!(error.to_string().contains("subscribed"), "{error}");
    // heartbeat.interval.ms must be below session.timeout.ms.
    let mut config = member_config("g", &[]);
    config.set("heartbeat.interval.ms", "50000").unwrap();
    assert!(config.validate().is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_member_leaves_the_group_at_once() {
    let topic = topic_with_partitions(2).await;
    let group = unique_topic("leaving");
    let consumer = member(&group, &[("session.timeout.ms", "30000")], None).await;
    consumer.subscribe([topic.as_str()]).await.unwrap();
    let _ = assigned(&consumer).await;
    let admin = Kafka::connect(member_config(&group, &[]).client)
        .await
        .unwrap()
        .admin();
    let before = admin.describe_consumer_groups(&[&group]).await.unwrap();
    assert_eq!(before[0].members.len(), 1);
    consumer.close().await.unwrap();
    // LeaveGroup, not the 30 s session timeout, empties the group.
    let described = admin.describe_consumer_groups(&[&group]).await.unwrap();
    assert_eq!(described[0].state, "Empty", "{described:?}");
    assert!(described[0].members.is_empty());
}

/// Records what it hears, and commits in `on_partitions_revoked`.
#[derive(Debug, Default)]
struct Recording {
    events: Mutex<Vec<(&'static str, Vec<TopicPartition>)>>,
}

impl krafka_client::RebalanceListener for Recording {
    fn on_partitions_revoked<'a>(
        &'a self,
        consumer: &'a Consumer,
        revoked: &'a [TopicPartition],
    ) -> krafka_client::BoxFuture<'a, ()> {
        Box::pin(async move {
            // Still a member: what was handed out can be committed.
            consumer
                .commit()
                .await
                .expect("commit in on_partitions_revoked");
            self.events
                .lock()
                .unwrap()
                .push(("revoked", revoked.to_vec()));
        })
    }

    fn on_partitions_assigned<'a>(
        &'a self,
        _consumer: &'a Consumer,
        assigned: &'a [TopicPartition],
    ) -> krafka_client::BoxFuture<'a, ()> {
        Box::pin(async move {
            self.events
                .lock()
                .unwrap()
                .push(("assigned", assigned.to_vec()));
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listener_hears_rebalances_and_auto_commit_covers_what_was_handed_out() {
    let topic = topic_with_partitions(2).await;
    fill(&topic, 2, 5).await;
    let group = unique_topic("listener");
    let all: BTreeSet<TopicPartition> = (0..2).map(|p| TopicPartition::new(&topic, p)).collect();
    let listener = Arc::new(Recording::default());
    let auto = [
        ("enable.auto.commit", "true"),
        ("auto.commit.interval.ms", "60000"),
        ("partition.assignment.strategy", "range"),
    ];
    let first = member(&group, &auto, None).await;
    first.set_rebalance_listener(SharedListener(Arc::clone(&listener)));
    first.subscribe([topic.as_str()]).await.unwrap();
    let mut handed_out = 0;
    while handed_out < 10 {
        handed_out += first.poll(Duration::from_millis(100)).await.unwrap().len();
    }
    // A second member: the first gives up everything (eager) and commits in
    // its listener, then gets one partition back.
    let second = member(&group, &auto, None).await;
    second.subscribe([topic.as_str()]).await.unwrap();
    split(&first, &second, &all).await;
    // The membership task makes the new assignment visible, gives the new
    // partitions their positions, then calls the listener: wait for it.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while listener.events.lock().unwrap().len() < 3 && tokio::time::Instant::now() < deadline {
        let _ = first.poll(Duration::from_millis(20)).await.unwrap();
    }
    let events = listener.events.lock().unwrap().clone();
    let kinds: Vec<&str> = events.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, ["assigned", "revoked", "assigned"], "{events:?}");
    assert_eq!(events[0].1.len(), 2);
    assert_eq!(events[1].1.len(), 2);
    assert_eq!(events[2].1.len(), 1);
    let committed = second
        .committed(&all.iter().cloned().collect::<Vec<_>>())
        .await
        .unwrap();
    for (tp, offset) in &committed {
        assert_eq!(offset.as_ref().map(|o| o.offset), Some(5), "{tp}");
    }

    // Explicit offsets carry their metadata and leader epoch.
    let mine = second.assignment()[0].clone();
    second
        .commit_offsets(&[(
            mine.clone(),
            krafka_client::OffsetAndMetadata::new(4)
                .with_metadata("checkpoint 7")
                .with_leader_epoch(0),
        )])
        .await
        .unwrap();
    let back = second.committed(std::slice::from_ref(&mine)).await.unwrap();
    let back = back[0].1.clone().expect("committed");
    assert_eq!(
        (back.offset, back.metadata.as_str(), back.leader_epoch),
        (4, "checkpoint 7", Some(0))
    );
    second.commit_async().await.unwrap();
    first.close().await.unwrap();
    second.close().await.unwrap();
}

/// A listener shared with the test that inspects it.
#[derive(Debug)]
struct SharedListener(Arc<Recording>);

impl krafka_client::RebalanceListener for SharedListener {
    fn on_partitions_revoked<'a>(
        &'a self,
        consumer: &'a Consumer,
        revoked: &'a [TopicPartition],
    ) -> krafka_client::BoxFuture<'a, ()> {
        self.0.on_partitions_revoked(consumer, revoked)
    }

    fn on_partitions_assigned<'a>(
        &'a self,
        consumer: &'a Consumer,
        assigned: &'a [TopicPartition],
    ) -> krafka_client::BoxFuture<'a, ()> {
        self.0.on_partitions_assigned(consumer, assigned)
    }
}

/// Seeks every partition it is given to `offset`, after `delay` (the work
/// an application does first, such as reading its own offset store).
#[derive(Debug)]
struct SeekOnAssign {
    offset: i64,
    delay: Duration,
}

impl krafka_client::RebalanceListener for SeekOnAssign {
    fn on_partitions_assigned<'a>(
        &'a self,
        consumer: &'a Consumer,
        assigned: &'a [TopicPartition],
    ) -> krafka_client::BoxFuture<'a, ()> {
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            for tp in assigned {
                consumer
                    .seek(tp, self.offset)
                    .await
                    .expect("seek in on_partitions_assigned");
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_partitions_are_not_fetched_until_the_listener_has_heard_of_them() {
    let topic = topic_with_partitions(2).await;
    fill(&topic, 2, 10).await;
    let group = unique_topic("seek-on-assign");
    let consumer = member(&group, &[], None).await;
    consumer.set_rebalance_listener(SeekOnAssign {
        offset: 7,
        delay: Duration::from_millis(500),
    });
    consumer.subscribe([topic.as_str()]).await.unwrap();
    // The application polls all along, also while the listener works: the
    // first record of each partition is the one the listener sought to, not
    // one from `auto.offset.reset` (earliest) before it.
    let mut first: BTreeMap<i32, i64> = BTreeMap::new();
    let mut received = 0;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while received < 6 {
        for record in consumer.poll(Duration::from_millis(20)).await.unwrap() {
            first.entry(record.partition).or_insert(record.offset);
            received += 1;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{received} records: {first:?}"
        );
    }
    assert_eq!(first, BTreeMap::from([(0, 7), (1, 7)]));
    consumer.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_while_the_member_rejoins_is_refused_at_once_not_held_behind_the_join() {
    let topic = topic_with_partitions(4).await;
    let group = unique_topic("rejoin-commit");
    let all: BTreeSet<TopicPartition> = (0..4).map(|p| TopicPartition::new(&topic, p)).collect();
    fill(&topic, 4, 5).await;
    let cooperative = [("partition.assignment.strategy", "cooperative-sticky")];
    let keeper = member(&group, &cooperative, None).await;
    let doomed = member(
        &group,
        &[
            ("partition.assignment.strategy", "cooperative-sticky"),
            ("session.timeout.ms", "8000"),
            ("heartbeat.interval.ms", "1000"),
        ],
        None,
    )
    .await;
    keeper.subscribe([topic.as_str()]).await.unwrap();
    doomed.subscribe([topic.as_str()]).await.unwrap();
    split(&keeper, &doomed, &all).await;
    // The doomed member dies without leaving; a newcomer's join then holds
    // the keeper's JoinGroup until the coordinator gives up on the dead one
    // (its session timeout). The keeper keeps its partitions (cooperative)
    // and keeps polling and committing meanwhile.
    drop(doomed);
    let newcomer = member(&group, &cooperative, None).await;
    newcomer.subscribe([topic.as_str()]).await.unwrap();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let _ = keeper.poll(Duration::from_millis(100)).await.unwrap();
        let started = tokio::time::Instant::now();
        let result = keeper.commit().await;
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(2),
            "a commit took {took:?} ({result:?}): held behind the JoinGroup"
        );
        if let Err(error) = result {
            assert_eq!(
                error.error_code(),
                Some(ErrorCode::RebalanceInProgress),
                "{error}"
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the keeper never saw the rebalance"
        );
    }
    assert!(
        !keeper.assignment().is_empty(),
        "cooperative: kept its partitions"
    );
    // Once the group has its new assignment, commits go through again.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while let Err(error) = keeper.commit().await {
        assert_eq!(error.error_code(), Some(ErrorCode::RebalanceInProgress));
        assert!(tokio::time::Instant::now() < deadline, "{error}");
        let _ = keeper.poll(Duration::from_millis(100)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_subscribed_before_its_topic_exists_gets_it_soon_after_it_is_created() {
    // With the default metadata.max.age.ms (5 minutes): a named topic the
    // member's metadata does not show yet (not created, or created a moment
    // ago and not yet known to the broker answering) is looked for again
    // soon, and not only at the next metadata refresh.
    let topic = unique_topic("later");
    let consumer = member(&unique_topic("later-g"), &[], None).await;
    consumer.subscribe([topic.as_str()]).await.unwrap();
    for _ in 0..5 {
        assert!(
            consumer
                .poll(Duration::from_millis(100))
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert!(consumer.assignment().is_empty());
    create_topic(&connect(&single()).await, &topic, 3, 1).await;
    let created = tokio::time::Instant::now();
    while consumer.assignment().len() < 3 {
        assert!(
            created.elapsed() < Duration::from_secs(20),
            "no partitions {:?} after the topic was created",
            created.elapsed()
        );
        let _ = consumer.poll(Duration::from_millis(100)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_join_does_not_hold_up_another_consumer_of_the_same_handle() {
    // Two consumers of one client handle, in two groups on one coordinator.
    let topic = topic_with_partitions(2).await;
    let held = unique_topic("held");
    let other = unique_topic("other");
    let config = member_config(&held, &[]);
    let kafka = Kafka::connect(config.client.clone()).await.unwrap();
    let joiner = kafka.consumer(member_config(&held, &[])).unwrap();
    let bystander = kafka.consumer(member_config(&other, &[])).unwrap();
    joiner.subscribe([topic.as_str()]).await.unwrap();
    bystander.subscribe([topic.as_str()]).await.unwrap();
    let _ = assigned(&bystander).await;
    // A member of the first group dies without leaving; a newcomer's join
    // then makes the coordinator hold the first consumer's JoinGroup until
    // the dead one's session (10 s) runs out.
    let dead = member(&held, &[], None).await;
    dead.subscribe([topic.as_str()]).await.unwrap();
    split(
        &joiner,
        &dead,
        &(0..2).map(|p| TopicPartition::new(&topic, p)).collect(),
    )
    .await;
    drop(dead);
    let newcomer = member(&held, &[], None).await;
    newcomer.subscribe([topic.as_str()]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Meanwhile the other group's member commits and heartbeats at once.
    for _ in 0..5 {
        let _ = bystander.poll(Duration::from_millis(100)).await.unwrap();
        let started = tokio::time::Instant::now();
        bystander.commit().await.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "a commit took {:?}: held behind the other group's JoinGroup",
            started.elapsed()
        );
    }
    assert_eq!(bystander.assignment().len(), 2, "still a member");
}
