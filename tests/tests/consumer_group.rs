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
use tokio::sync::watch;

/// How long a test waits for the group to settle or records to come.
const PATIENCE: Duration = Duration::from_secs(60);

/// Settings of a group member on the single broker.
fn member_config(group: &str, extra: &[(&str, &str)]) -> ConsumerConfig {
    let mut config = ConsumerConfig::builder()
        .bootstrap_servers([single()])
        .fetch_max_wait(Duration::from_millis(100))
        .build()
        .expect("consumer config");
    for (key, value) in [
        ("group.id", group),
        ("auto.offset.reset", "earliest"),
        ("enable.auto.commit", "false"),
        ("session.timeout.ms", "10000"),
        ("heartbeat.interval.ms", "500"),
    ]
    .into_iter()
    .chain(extra.iter().copied())
    {
        config.set(key, value).expect("consumer setting");
    }
    config
}

/// A member on a client handle of its own (as a process of its own would
/// be), assigning with `assignors` when given.
async fn member(
    group: &str,
    extra: &[(&str, &str)],
    assignors: Option<Vec<Arc<dyn Assignor>>>,
) -> Consumer {
    let config = member_config(group, extra);
    let kafka = Kafka::connect(config.client.clone())
        .await
        .expect("connect");
    match assignors {
        Some(assignors) => kafka.consumer_with_assignors(config, assignors),
        None => kafka.consumer(config),
    }
    .expect("group consumer")
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

/// One member's loop: poll, note each record as processed, commit after
/// each non-empty poll; until `stop` turns true, then leave the group.
/// Returns how many commits a rebalance refused.
async fn run_member(
    consumer: Arc<Consumer>,
    processed: Arc<Mutex<Vec<(i32, i64)>>>,
    mut stop: watch::Receiver<bool>,
) -> Result<usize, KrafkaError> {
    let mut commit_refusals = 0;
    while !*stop.borrow_and_update() {
        let records = tokio::select! {
            records = consumer.poll(Duration::from_millis(200)) => records?,
            _ = stop.changed() => break,
        };
        if records.is_empty() {
            continue;
        }
        processed
            .lock()
            .unwrap()
            .extend(records.iter().map(|r| (r.partition, r.offset)));
        if let Err(error) = consumer.commit().await {
            // A rebalance between the poll and the commit: the next owner
            // processes these records again (at least once).
            match error.error_code() {
                Some(
                    ErrorCode::RebalanceInProgress
                    | ErrorCode::IllegalGeneration
                    | ErrorCode::UnknownMemberId,
                ) => commit_refusals += 1,
                _ => return Err(error),
            }
        }
    }
    consumer.unsubscribe().await?;
    Ok(commit_refusals)
}

/// Waits until the assignments of `members` are disjoint, cover
/// `partitions` and leave no member without partitions (there are more
/// partitions than members), asserting on the way that no partition is ever
/// owned twice.
async fn settled(members: &[&Arc<Consumer>], partitions: &BTreeSet<TopicPartition>) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut owned: BTreeMap<TopicPartition, usize> = BTreeMap::new();
        for (i, m) in members.iter().enumerate() {
            for tp in m.assignment() {
                if let Some(other) = owned.insert(tp.clone(), i) {
                    panic!("{tp} is owned by members {other} and {i} at once");
                }
            }
        }
        let everyone = members.iter().all(|m| !m.assignment().is_empty());
        let covered: BTreeSet<TopicPartition> = owned.into_keys().collect();
        if everyone && &covered == partitions {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the group did not settle: owned {covered:?} of {partitions:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A running member: its consumer, the switch that stops it, its loop.
struct Running {
    consumer: Arc<Consumer>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<usize, KrafkaError>>,
}

impl Running {
    async fn start(
        group: &str,
        topic: &str,
        assignors: Option<Vec<Arc<dyn Assignor>>>,
        processed: &Arc<Mutex<Vec<(i32, i64)>>>,
    ) -> Running {
        let consumer = Arc::new(member(group, &[], assignors).await);
        consumer.subscribe([topic]).await.expect("subscribe");
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run_member(
            Arc::clone(&consumer),
            Arc::clone(processed),
            stopped,
        ));
        Running {
            consumer,
            stop,
            task,
        }
    }

    async fn stop(self) -> usize {
        self.stop.send_replace(true);
        self.task.await.expect("member task").expect("member loop")
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
    let a = Running::start(&group, &topic, modulo(), &processed).await;
    settled(&[&a.consumer], &partitions).await;
    let b = Running::start(&group, &topic, modulo(), &processed).await;
    settled(&[&a.consumer, &b.consumer], &partitions).await;
    let c = Running::start(&group, &topic, modulo(), &processed).await;
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
    let d = Running::start(&group, &topic, modulo(), &processed).await;
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
        let seen: BTreeSet<(i32, i64)> = processed.lock().unwrap().iter().copied().collect();
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
    let distinct: BTreeSet<(i32, i64)> = processed.iter().copied().collect();
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
