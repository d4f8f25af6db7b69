//! Krafka members of consumer groups on a real broker, as the group tests
//! run them: a consumer of its own per member, a loop that polls, notes
//! what it processed and commits after each poll.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use krafka_client::{
    Assignor, Consumer, ConsumerConfig, ErrorCode, Kafka, KrafkaError, TopicPartition,
};
use tokio::sync::watch;

/// How long the helpers wait for a group to settle.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Settings of a group member on `bootstrap`: manual commits, from the
/// earliest offset, a 10 s session with 500 ms heartbeats; `extra` after
/// (and over) those.
pub fn member_config(bootstrap: &str, group: &str, extra: &[(&str, &str)]) -> ConsumerConfig {
    let mut config = ConsumerConfig::builder()
        .bootstrap_servers([bootstrap])
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
pub async fn member(
    bootstrap: &str,
    group: &str,
    extra: &[(&str, &str)],
    assignors: Option<Vec<Arc<dyn Assignor>>>,
) -> Consumer {
    let config = member_config(bootstrap, group, extra);
    let kafka = Kafka::connect(config.client.clone())
        .await
        .expect("connect");
    match assignors {
        Some(assignors) => kafka.consumer_with_assignors(config, assignors),
        None => kafka.consumer(config),
    }
    .expect("group consumer")
}

/// A record a member processed, and when its poll returned it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Processed {
    /// Its partition.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// When the poll that returned it returned.
    pub at: Instant,
}

/// Where members note what they processed.
pub type ProcessedLog = Arc<Mutex<Vec<Processed>>>;

/// One member's loop: poll, note each record as processed, commit after
/// each non-empty poll; until `stop` turns true, then leave the group.
/// Returns how many commits a rebalance refused.
pub async fn run_member(
    consumer: Arc<Consumer>,
    processed: ProcessedLog,
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
        let at = Instant::now();
        processed
            .lock()
            .unwrap()
            .extend(records.iter().map(|r| Processed {
                partition: r.partition,
                offset: r.offset,
                at,
            }));
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

/// A running member: its consumer, the switch that stops it, its loop.
pub struct Running {
    /// The member's consumer.
    pub consumer: Arc<Consumer>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<usize, KrafkaError>>,
}

impl Running {
    /// Subscribes `consumer` to `topic` and runs [`run_member`] with it.
    pub async fn start(consumer: Consumer, topic: &str, processed: &ProcessedLog) -> Running {
        let consumer = Arc::new(consumer);
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

    /// Stops the loop (the member leaves the group); how many commits a
    /// rebalance refused.
    pub async fn stop(self) -> usize {
        self.stop.send_replace(true);
        self.task.await.expect("member task").expect("member loop")
    }
}

/// Waits until the assignments of `members` are disjoint, cover
/// `partitions` and leave no member without partitions (there are more
/// partitions than members), asserting on the way that no partition is ever
/// owned twice.
pub async fn settled(members: &[&Arc<Consumer>], partitions: &BTreeSet<TopicPartition>) {
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
