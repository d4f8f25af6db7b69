//! Consumer groups that mix Kafka's own Java consumers (`run.sh
//! group-member`: KafkaConsumer, classic protocol, a commit after each
//! poll) with krafka members, and what cooperative rebalancing spares, on
//! the real single broker (`KRAFKA_BOOTSTRAP`):
//!
//! - for each assignor (krafka names it by protocol, Java by class), 2 Java
//!   and 2 krafka members on a 12-partition topic while records flow: once
//!   settled the four assignments are disjoint and cover every partition,
//!   no partition is seen with two owners at any moment, and when a Java
//!   member and then a krafka member leave, every record is still processed
//!   at least once;
//! - a 4th member joining 3 krafka members: under cooperative-sticky the
//!   partitions that stay are never revoked, under eager assignors all are;
//!   the longest pause of the staying partitions is printed for each;
//! - (ignored, a measurement) the time from joining a 6-member group to the
//!   first record, krafka vs Java, eager vs cooperative.
//!
//! Without a JDK or Maven the Java tests skip, except under `CI=true`.

mod broker_support;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use broker_support::{connect, create_topic, single, unique_topic};
use bytes::Bytes;
use krafka_client::{Consumer, ProducerRecord, RebalanceListener, TopicPartition};
use krafka_tests::group::{Processed, ProcessedLog, Running, member, settled};
use krafka_tests::java_group::{JavaEvent, JavaMember, PATIENCE, Seen};
use tokio::sync::watch;
use tokio::task::JoinHandle;

const PARTITIONS: i32 = 12;

async fn topic(prefix: &str) -> String {
    let topic = unique_topic(prefix);
    create_topic(&connect(&single()).await, &topic, PARTITIONS, 1).await;
    topic
}

fn partitions(topic: &str) -> BTreeSet<TopicPartition> {
    (0..PARTITIONS)
        .map(|p| TopicPartition::new(topic, p))
        .collect()
}

/// Records flowing: one to each partition of `topic` every `every`, until
/// the switch is set; the task returns how many it produced.
fn produce_steadily(topic: &str, every: Duration) -> (watch::Sender<bool>, JoinHandle<usize>) {
    let (stop, mut stopped) = watch::channel(false);
    let topic = topic.to_owned();
    let task = tokio::spawn(async move {
        let producer = broker_support::producer(&single(), &[("linger.ms", "5")]).await;
        let mut tick = tokio::time::interval(every);
        let mut produced = 0usize;
        while !*stopped.borrow_and_update() {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            for p in 0..PARTITIONS {
                let record = ProducerRecord::new(&topic)
                    .partition(p)
                    .value(Bytes::from(produced.to_string()));
                drop(producer.send(record).await.expect("send"));
                produced += 1;
            }
        }
        producer.flush().await;
        produced
    });
    (stop, task)
}

/// Each member's partitions by name (`topic-partition`).
type Owned = BTreeMap<String, BTreeSet<String>>;

/// A partition with two owners, and who they are.
fn owned_twice(owned: &Owned) -> Option<(String, String, String)> {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for (member, partitions) in owned {
        for p in partitions {
            if let Some(other) = owner.insert(p, member) {
                return Some((p.clone(), other.to_owned(), member.clone()));
            }
        }
    }
    None
}

/// The members of one group, Java's and krafka's, as the test sees them.
struct Members {
    all: BTreeSet<String>,
    seen: Seen,
    events: mpsc::Receiver<JavaEvent>,
    krafka: Vec<(String, Arc<Consumer>)>,
}

impl Members {
    fn new(topic: &str, events: mpsc::Receiver<JavaEvent>) -> Members {
        Members {
            all: partitions(topic).iter().map(ToString::to_string).collect(),
            seen: Seen::default(),
            events,
            krafka: Vec::new(),
        }
    }

    fn add_krafka(&mut self, name: &str, running: &Running) {
        self.krafka
            .push((name.to_owned(), Arc::clone(&running.consumer)));
    }

    /// Each member's partitions now: Java's as printed, krafka's from
    /// `assignment()` (read after Java's, so never older).
    fn owned(&mut self) -> Owned {
        self.seen.drain(&self.events);
        let mut owned = self.seen.assigned.clone();
        for (name, consumer) in &self.krafka {
            let partitions = consumer.assignment();
            owned.insert(
                name.clone(),
                partitions.iter().map(ToString::to_string).collect(),
            );
        }
        owned
    }

    /// [`owned`](Self::owned), failing the test if a partition has two
    /// owners. Java's part lags by its pipe: a Java member prints a
    /// revocation before it rejoins the group, so before any other member
    /// can be given the partition, but the line may still be on its way; a
    /// second look once it came through tells that lag from a real double
    /// ownership, which lasts until the next rebalance.
    async fn sample(&mut self) -> Owned {
        let owned = self.owned();
        if owned_twice(&owned).is_none() {
            return owned;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let owned = self.owned();
        if let Some((partition, a, b)) = owned_twice(&owned) {
            panic!("{partition} is owned by {a} and {b} at once: {owned:?}");
        }
        owned
    }

    /// Waits until the `live` members each own partitions, together every
    /// partition, and no one else owns any.
    async fn settle(&mut self, live: &[&str], what: &str) -> Owned {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let owned = self.sample().await;
            if let Some(gone) = live.iter().find(|m| self.seen.ended.contains(**m)) {
                panic!("{what}: Java member {gone} ended: {:?}", self.seen);
            }
            let covered: BTreeSet<String> = owned.values().flatten().cloned().collect();
            let settled = covered == self.all
                && owned.iter().all(|(member, partitions)| {
                    live.contains(&member.as_str()) != partitions.is_empty()
                })
                && live.iter().all(|m| owned.contains_key(*m));
            if settled {
                return owned;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: the group did not settle: {owned:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until each Java member in `names` said it started; `false`
    /// when one ended first (Java is missing).
    async fn java_started(&mut self, names: &[&str]) -> bool {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.seen.drain(&self.events);
            if names.iter().any(|n| self.seen.ended.contains(*n)) {
                return false;
            }
            if names.iter().all(|n| self.seen.started.contains_key(*n)) {
                return true;
            }
            assert!(Instant::now() < deadline, "Java members did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until a Java member's output ended, checking ownership
    /// meanwhile.
    async fn java_ended(&mut self, name: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.seen.ended.contains(name) {
            self.sample().await;
            assert!(Instant::now() < deadline, "{name} did not stop");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many records each Java member printed.
    fn java_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for readings in self.seen.records.values() {
            for (member, _) in readings {
                *counts.entry(member.clone()).or_default() += 1;
            }
        }
        counts
    }
}

/// Two Java and two krafka members in one group assigning with `assignor`
/// (Java's `class`): see the file's comment.
async fn mixed_group(assignor: &str, class: &str) {
    let started = Instant::now();
    let topic = topic(&format!("mixed-{assignor}")).await;
    let group = unique_topic(&format!("mixed-{assignor}-g"));
    let (events_tx, events) = mpsc::channel();
    let mut members = Members::new(&topic, events);
    let mut java_a = JavaMember::start("java-a", &single(), &group, class, &topic, &events_tx);
    let mut java_b = JavaMember::start("java-b", &single(), &group, class, &topic, &events_tx);
    // krafka's members join while the JVMs start.
    let extra = [("partition.assignment.strategy", assignor)];
    let logs: [ProcessedLog; 2] = Default::default();
    let mut krafka = Vec::new();
    for (name, log) in ["krafka-a", "krafka-b"].into_iter().zip(&logs) {
        let consumer = member(&single(), &group, &extra, None).await;
        let running = Running::start(consumer, &topic, log).await;
        members.add_krafka(name, &running);
        krafka.push(running);
    }
    if !members.java_started(&["java-a", "java-b"]).await {
        for running in krafka {
            running.stop().await;
        }
        assert!(java_a.wait().is_none(), "java-a ended early");
        return; // Java is missing (outside CI): skipped.
    }
    let (stop_producing, producing) = produce_steadily(&topic, Duration::from_millis(50));

    let four = ["java-a", "java-b", "krafka-a", "krafka-b"];
    let settled4 = members.settle(&four, "four members").await;
    let shares: Vec<usize> = settled4.values().map(BTreeSet::len).collect();
    eprintln!(
        "{assignor}: four members settled after {:.1} s, owning {shares:?} partitions",
        started.elapsed().as_secs_f64()
    );
    // Every member consumes its share.
    let krafka_before: Vec<usize> = logs.iter().map(|l| l.lock().unwrap().len()).collect();
    let java_before = members.java_counts();
    let deadline = Instant::now() + PATIENCE;
    loop {
        let owned = members.sample().await;
        assert_eq!(owned, settled4, "a rebalance while nobody came or went");
        let java_now = members.java_counts();
        let krafka_grew = logs
            .iter()
            .zip(&krafka_before)
            .all(|(l, before)| l.lock().unwrap().len() > *before);
        let java_grew = ["java-a", "java-b"]
            .iter()
            .all(|m| java_now.get(*m) > java_before.get(*m));
        if krafka_grew && java_grew {
            break;
        }
        assert!(Instant::now() < deadline, "not every member consumes");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A Java member leaves, then a krafka member.
    java_a.stop();
    members
        .settle(&["java-b", "krafka-a", "krafka-b"], "after java-a left")
        .await;
    members.java_ended("java-a").await;
    assert!(java_a.wait().is_some());
    let krafka_b = krafka.pop().expect("krafka-b");
    let krafka_a = krafka.pop().expect("krafka-a");
    let mut refusals = krafka_a.stop().await;
    members
        .settle(&["java-b", "krafka-b"], "after krafka-a left")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_producing.send_replace(true);
    let produced = producing.await.expect("producer task");

    // Every offset of every partition is processed, by one member or more.
    let tps: Vec<TopicPartition> = partitions(&topic).into_iter().collect();
    let ends = krafka_b
        .consumer
        .end_offsets(&tps)
        .await
        .expect("end offsets");
    let total: i64 = ends.iter().map(|(_, end)| end).sum();
    assert_eq!(total, i64::try_from(produced).unwrap());
    let processed = |members: &Members| -> BTreeSet<(i32, i64)> {
        let krafka = logs
            .iter()
            .flat_map(|l| l.lock().unwrap().clone())
            .map(|p: Processed| (p.partition, p.offset));
        members.seen.records.keys().copied().chain(krafka).collect()
    };
    let deadline = Instant::now() + PATIENCE;
    while processed(&members).len() < produced {
        members.sample().await;
        if Instant::now() > deadline {
            let seen = processed(&members);
            let missing: Vec<(i32, i64)> = ends
                .iter()
                .flat_map(|(tp, end)| (0..*end).map(|o| (tp.partition, o)))
                .filter(|at| !seen.contains(at))
                .take(20)
                .collect();
            panic!(
                "{assignor}: {} of {produced} records processed; never: {missing:?}",
                seen.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seen = processed(&members);
    for (tp, end) in &ends {
        assert!((0..*end).all(|o| seen.contains(&(tp.partition, o))), "{tp}");
    }
    refusals += krafka_b.stop().await;
    assert!(java_b.wait().is_some());
    let krafka_total: usize = logs.iter().map(|l| l.lock().unwrap().len()).sum();
    let java_total: usize = members.java_counts().values().sum();
    eprintln!(
        "{assignor}: {produced} records, processed {} times ({java_total} by Java, {krafka_total} by krafka); {refusals} krafka commits refused by a rebalance; {:.1} s",
        java_total + krafka_total,
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_group_with_the_range_assignor_shares_and_hands_over_without_loss() {
    mixed_group("range", "org.apache.kafka.clients.consumer.RangeAssignor").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_group_with_the_roundrobin_assignor_shares_and_hands_over_without_loss() {
    mixed_group(
        "roundrobin",
        "org.apache.kafka.clients.consumer.RoundRobinAssignor",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_group_with_the_sticky_assignor_shares_and_hands_over_without_loss() {
    mixed_group("sticky", "org.apache.kafka.clients.consumer.StickyAssignor").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_group_with_the_cooperative_sticky_assignor_shares_and_hands_over_without_loss() {
    mixed_group(
        "cooperative-sticky",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
    )
    .await;
}

/// Partitions taken away together, and when.
type Revocation = (Instant, Vec<TopicPartition>);

/// What a listener heard taken away (revoked or lost).
#[derive(Clone, Debug, Default)]
struct Revocations(Arc<Mutex<Vec<Revocation>>>);

impl Revocations {
    /// Every partition taken away between `from` and `to`.
    fn between(&self, from: Instant, to: Instant) -> BTreeSet<TopicPartition> {
        let heard = self.0.lock().unwrap();
        heard
            .iter()
            .filter(|(at, _)| (from..=to).contains(at))
            .flat_map(|(_, tps)| tps.iter().cloned())
            .collect()
    }
}

impl RebalanceListener for Revocations {
    fn on_partitions_revoked<'a>(
        &'a self,
        _consumer: &'a Consumer,
        revoked: &'a [TopicPartition],
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        if !revoked.is_empty() {
            self.0
                .lock()
                .unwrap()
                .push((Instant::now(), revoked.to_vec()));
        }
        Box::pin(async {})
    }
}

/// The longest time `log` went without delivering a record of `partition`
/// between `from` and `to` (the edges count as deliveries' absence).
fn longest_gap(log: &[Processed], partition: i32, from: Instant, to: Instant) -> Duration {
    let mut times: Vec<Instant> = log
        .iter()
        .filter(|p| p.partition == partition && p.at >= from && p.at <= to)
        .map(|p| p.at)
        .collect();
    times.sort_unstable();
    times.dedup();
    let mut edges = vec![from];
    edges.extend(times);
    edges.push(to);
    edges
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default()
}

/// What a join did to the partitions that stayed with their owners.
#[derive(Debug)]
struct Pause {
    assignor: &'static str,
    /// From the 4th member's subscribe to the group covering every
    /// partition again.
    rebalance: Duration,
    /// The partitions whose owner did not change.
    staying: usize,
    /// The longest pause of any staying partition around the rebalance.
    longest: Duration,
    /// The same over a steady second before the join.
    steady: Duration,
    /// Staying partitions the listeners heard revoked.
    staying_revoked: usize,
}

/// Three krafka members with `assignor` consume a 12-partition topic with
/// records flowing; a 4th joins.
async fn pause_on_join(assignor: &'static str) -> Pause {
    let topic = topic(&format!("pause-{assignor}")).await;
    let group = unique_topic(&format!("pause-{assignor}-g"));
    let all = partitions(&topic);
    let (stop_producing, producing) = produce_steadily(&topic, Duration::from_millis(20));
    let extra = [("partition.assignment.strategy", assignor)];
    let mut running = Vec::new();
    let mut logs: Vec<ProcessedLog> = Vec::new();
    let mut heard: Vec<Revocations> = Vec::new();
    let mut join = async || {
        let consumer = member(&single(), &group, &extra, None).await;
        let revocations = Revocations::default();
        consumer.set_rebalance_listener(revocations.clone());
        let log = ProcessedLog::default();
        running.push(Running::start(consumer, &topic, &log).await);
        logs.push(log);
        heard.push(revocations);
    };
    for _ in 0..3 {
        join().await;
    }
    let consumers = |running: &[Running]| -> Vec<Arc<Consumer>> {
        running.iter().map(|r| Arc::clone(&r.consumer)).collect()
    };
    let three = consumers(&running);
    settled(&three.iter().collect::<Vec<_>>(), &all).await;
    let steady_from = Instant::now();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let owner_of = |consumers: &[Arc<Consumer>]| -> BTreeMap<TopicPartition, usize> {
        consumers
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.assignment().into_iter().map(move |tp| (tp, i)))
            .collect()
    };
    let before = owner_of(&three);
    for c in &three {
        assert_eq!(c.assignment().len(), 4, "{assignor}: 12 over 3");
    }

    let joined_at = Instant::now();
    let consumer = member(&single(), &group, &extra, None).await;
    let log = ProcessedLog::default();
    running.push(Running::start(consumer, &topic, &log).await);
    logs.push(log);
    let four = consumers(&running);
    settled(&four.iter().collect::<Vec<_>>(), &all).await;
    let settled_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let after = owner_of(&four);
    let window_end = Instant::now();
    stop_producing.send_replace(true);
    producing.await.expect("producer task");
    for r in running {
        r.stop().await;
    }

    let staying: BTreeSet<&TopicPartition> = before
        .iter()
        .filter(|(tp, owner)| after.get(*tp) == Some(*owner))
        .map(|(tp, _)| tp)
        .collect();
    let mut staying_revoked = 0;
    for (i, revocations) in heard.iter().enumerate() {
        let revoked = revocations.between(joined_at, window_end);
        let had: BTreeSet<TopicPartition> = before
            .iter()
            .filter(|(_, o)| **o == i)
            .map(|(tp, _)| tp.clone())
            .collect();
        staying_revoked += staying.iter().filter(|tp| revoked.contains(**tp)).count();
        if assignor == "cooperative-sticky" {
            // KIP-429: only what moves away is revoked.
            let moved: BTreeSet<TopicPartition> = had
                .iter()
                .filter(|tp| after.get(*tp) != Some(&i))
                .cloned()
                .collect();
            assert_eq!(revoked, moved, "{assignor}: member {i} revoked");
        } else {
            // Eager: every member gives up everything before rejoining.
            assert!(
                had.is_subset(&revoked),
                "{assignor}: member {i} kept {had:?}"
            );
        }
    }
    let gap = |from: Instant, to: Instant, tps: &mut dyn Iterator<Item = &TopicPartition>| {
        tps.map(|tp| {
            let log = logs[before[tp]].lock().unwrap();
            longest_gap(&log, tp.partition, from, to)
        })
        .max()
        .unwrap_or_default()
    };
    Pause {
        assignor,
        rebalance: settled_at - joined_at,
        staying: staying.len(),
        longest: gap(joined_at, window_end, &mut staying.iter().copied()),
        steady: gap(steady_from, joined_at, &mut before.keys()),
        staying_revoked,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn under_cooperative_sticky_a_join_does_not_pause_the_partitions_that_stay() {
    let mut pauses = Vec::new();
    for assignor in ["cooperative-sticky", "sticky", "range"] {
        pauses.push(pause_on_join(assignor).await);
    }
    for p in &pauses {
        eprintln!(
            "{:>18}: 4th member joined 3, group settled in {:>5} ms; {} partitions stayed with their owner, {} of them revoked; their longest pause {:>5} ms (steady before the join: {:>4} ms)",
            p.assignor,
            p.rebalance.as_millis(),
            p.staying,
            p.staying_revoked,
            p.longest.as_millis(),
            p.steady.as_millis(),
        );
    }
    let cooperative = &pauses[0];
    assert_eq!(cooperative.staying, 9, "3 of each member's 4 stay");
    assert_eq!(cooperative.staying_revoked, 0);
    let sticky = &pauses[1];
    assert_eq!(
        sticky.staying, 9,
        "the same assignment as cooperative-sticky"
    );
    assert_eq!(sticky.staying_revoked, 9, "eager revokes all");
}

/// Which client a member runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Client {
    Krafka,
    Java,
}

/// One join of a 7th member.
#[derive(Debug)]
struct Join {
    /// How long after the group last settled the member subscribed: the
    /// others learn of the join at their next heartbeat, a heartbeat
    /// interval after that.
    phase: Duration,
    /// From its subscribe (Java: the "go" that lets it subscribe, its JVM
    /// up and its consumer made) to its first record.
    to_record: Duration,
    /// The same from the start of its client (Java: the process spawn).
    from_start: Duration,
    /// From its subscribe to all seven owning partitions.
    settled: Duration,
}

/// Group settings both clients get (Java's defaults).
const HEARTBEAT: Duration = Duration::from_secs(3);
const JOIN_SETTINGS: [(&str, &str); 2] = [
    ("session.timeout.ms", "45000"),
    ("heartbeat.interval.ms", "3000"),
];

/// The first moment `phase` after `settled`, heartbeat intervals on, that
/// is not past.
fn next_phase(settled: Instant, phase: Duration) -> Instant {
    let mut at = settled + phase;
    while at < Instant::now() {
        at += HEARTBEAT;
    }
    at
}

/// The members' loop until `name` processed its first record (checking
/// ownership meanwhile): when it came.
async fn first_record(members: &mut Members, name: &str, log: Option<&ProcessedLog>) -> Instant {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let first = match log {
            Some(log) => log.lock().unwrap().first().map(|p| p.at),
            None => members.seen.first_record.get(name).copied(),
        };
        if let Some(first) = first {
            return first;
        }
        members.sample().await;
        assert!(Instant::now() < deadline, "{name}: no record");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A group of six `kind` members with `assignor` (Java's `class`) on a
/// 12-partition topic with records flowing; in each of `rounds` a 7th
/// member of each client joins (both at the same time after the group
/// settled), is timed, and leaves. `None` without Java.
async fn joins_of_a_seventh(
    kind: Client,
    assignor: &str,
    class: &str,
    rounds: u32,
) -> Option<BTreeMap<&'static str, Vec<Join>>> {
    let topic = topic(&format!("join-{assignor}")).await;
    let group = unique_topic(&format!("join-{assignor}-g"));
    let (events_tx, events) = mpsc::channel();
    let mut members = Members::new(&topic, events);
    let (stop_producing, producing) = produce_steadily(&topic, Duration::from_millis(20));
    let mut extra = JOIN_SETTINGS.to_vec();
    extra.push(("partition.assignment.strategy", assignor));
    let names: Vec<String> = (0..6).map(|i| format!("member-{i}")).collect();
    let mut java = Vec::new();
    let mut krafka = Vec::new();
    for name in &names {
        match kind {
            Client::Java => java.push(JavaMember::start(
                name,
                &single(),
                &group,
                class,
                &topic,
                &events_tx,
            )),
            Client::Krafka => {
                let consumer = member(&single(), &group, &extra, None).await;
                let running = Running::start(consumer, &topic, &ProcessedLog::default()).await;
                members.add_krafka(name, &running);
                krafka.push(running);
            }
        }
    }
    let six: Vec<&str> = names.iter().map(String::as_str).collect();
    if kind == Client::Java && !members.java_started(&six).await {
        return None;
    }
    members.settle(&six, "six members").await;
    let mut settled_at = Instant::now();
    let mut joins: BTreeMap<&'static str, Vec<Join>> = BTreeMap::new();
    for round in 0..rounds {
        // Phases spread over the heartbeat interval, the same for both.
        let phase = HEARTBEAT * (2 * (round % 3) + 1) / 6;
        for joiner in [Client::Krafka, Client::Java] {
            let name = format!("joiner-{joiner:?}-{round}");
            let mut seven = six.clone();
            seven.push(&name);
            let (label, join) = match joiner {
                Client::Krafka => {
                    let start = Instant::now();
                    let consumer = member(&single(), &group, &extra, None).await;
                    let log = ProcessedLog::default();
                    let subscribe_at = next_phase(settled_at, phase);
                    tokio::time::sleep_until(subscribe_at.into()).await;
                    let running = Running::start(consumer, &topic, &log).await;
                    members.add_krafka(&name, &running);
                    let first = first_record(&mut members, &name, Some(&log)).await;
                    members.settle(&seven, "seven members").await;
                    let settled = subscribe_at.elapsed();
                    running.stop().await;
                    let join = Join {
                        phase: subscribe_at - settled_at,
                        to_record: first - subscribe_at,
                        from_start: first - start,
                        settled,
                    };
                    ("krafka", join)
                }
                Client::Java => {
                    let mut member =
                        JavaMember::start_held(&name, &single(), &group, class, &topic, &events_tx);
                    if !members.java_started(&[&name]).await {
                        return None;
                    }
                    let subscribe_at = next_phase(settled_at, phase);
                    tokio::time::sleep_until(subscribe_at.into()).await;
                    member.go();
                    let first = first_record(&mut members, &name, None).await;
                    members.settle(&seven, "seven members").await;
                    let settled = subscribe_at.elapsed();
                    member.stop();
                    members.java_ended(&name).await;
                    assert!(member.wait().is_some());
                    let join = Join {
                        phase: subscribe_at - settled_at,
                        to_record: first - subscribe_at,
                        from_start: first - member.spawned,
                        settled,
                    };
                    ("Java", join)
                }
            };
            joins.entry(label).or_default().push(join);
            members.settle(&six, "six members again").await;
            settled_at = Instant::now();
        }
    }
    stop_producing.send_replace(true);
    producing.await.expect("producer task");
    for running in krafka {
        running.stop().await;
    }
    for mut member in java {
        assert!(member.wait().is_some());
    }
    Some(joins)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a measurement: prints how long a 7th member takes from joining to its first record"]
async fn time_from_joining_a_six_member_group_to_the_first_record() {
    let ms = |d: &Duration| d.as_millis().to_string();
    for (assignor, class) in [
        ("range", "org.apache.kafka.clients.consumer.RangeAssignor"),
        (
            "cooperative-sticky",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        ),
    ] {
        for kind in [Client::Krafka, Client::Java] {
            let Some(joins) = joins_of_a_seventh(kind, assignor, class, 3).await else {
                eprintln!("Java is missing: skipped");
                return;
            };
            for (joiner, joins) in joins {
                let list = |f: fn(&Join) -> &Duration| -> String {
                    joins.iter().map(|j| ms(f(j))).collect::<Vec<_>>().join("/")
                };
                eprintln!(
                    "{assignor:>18}, group of 6 {kind:?} members, {joiner:>6} joiner subscribing {} ms after the group settled: subscribe→first record {} ms (from client start {} ms); all 7 assigned after {} ms",
                    list(|j| &j.phase),
                    list(|j| &j.to_record),
                    list(|j| &j.from_start),
                    list(|j| &j.settled),
                );
            }
        }
    }
}
