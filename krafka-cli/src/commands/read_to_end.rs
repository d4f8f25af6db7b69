//! `krafka consume -e`: when every partition has been read to its end.
//!
//! A partition's end is the end offset it had when reading started (or a
//! later one the fetches saw: a lag of 0). Partitions whose leader is
//! unavailable do not hold the others back: their end is looked up again
//! while the others are read. When nothing moves for
//! `default.api.timeout.ms`:
//! - partitions that are *unavailable* (no end offset or no position could
//!   be found, or the metadata names no live leader) are given up with one
//!   warning each on stderr, and `-e` ends successfully (exit 0) — kcat
//!   likewise prints what the healthy partitions hold;
//! - any other partition left (a leader that answers without records) is an
//!   error naming every partition left (exit 1).

use std::time::Duration;

use krafka::{Consumer, KrafkaError, TopicPartition};
use tokio::time::Instant;

/// How often the ends of unavailable partitions are looked up again.
const LOOKUP_INTERVAL: Duration = Duration::from_millis(500);

/// A partition not read to its end yet: its position and end, when known.
#[derive(Clone, Debug, PartialEq)]
struct Left {
    tp: TopicPartition,
    position: Option<i64>,
    end: Option<i64>,
}

/// What a check found.
pub enum Status {
    /// Partitions are left: read on.
    Reading,
    /// Every partition is read to its end, or given up: the warnings for
    /// those given up (empty when none was).
    Done(Vec<String>),
}

/// The ends of the partitions being read, and when they last moved.
pub struct ToEnd {
    topic: String,
    ends: Vec<(TopicPartition, i64)>,
    /// Partitions whose end is not known yet, with why.
    unknown: Vec<(TopicPartition, KrafkaError)>,
    looked_up: Instant,
    limit: Duration,
    progress_at: Instant,
    last: Vec<Left>,
    written: u64,
}

impl ToEnd {
    /// Looks the partitions' ends up (those whose leader answers now);
    /// `topic` names the topics read, for messages.
    pub async fn start(
        consumer: &Consumer,
        topic: &str,
        partitions: &[TopicPartition],
    ) -> Result<ToEnd, String> {
        let (ends, unknown) = consumer
            .end_offsets_now(partitions)
            .await
            .map_err(|e| format!("end offsets of {topic}: {}", super::chain(&e)))?;
        let now = Instant::now();
        Ok(ToEnd {
            topic: topic.to_owned(),
            ends,
            unknown,
            looked_up: now,
            limit: consumer.config().client.default_api_timeout,
            progress_at: now,
            last: Vec::new(),
            written: 0,
        })
    }

    /// Leaves `tp` out: it stopped before its end (see [`super::stops`]).
    pub fn forget(&mut self, tp: &TopicPartition) {
        self.ends.retain(|(t, _)| t != tp);
        self.unknown.retain(|(t, _)| t != tp);
    }

    /// Whether reading goes on, given how many records were written so far.
    pub async fn check(&mut self, consumer: &Consumer, written: u64) -> Result<Status, String> {
        if !self.unknown.is_empty() && self.looked_up.elapsed() >= LOOKUP_INTERVAL {
            self.look_up_unknown(consumer).await?;
        }
        let left = self.left(consumer);
        if left.is_empty() {
            return Ok(Status::Done(Vec::new()));
        }
        if left != self.last || written != self.written {
            self.progress_at = Instant::now();
            self.last = left;
            self.written = written;
            return Ok(Status::Reading);
        }
        if self.progress_at.elapsed() < self.limit {
            return Ok(Status::Reading);
        }
        let (unavailable, stuck): (Vec<&Left>, Vec<&Left>) =
            left.iter().partition(|l| self.is_unavailable(consumer, l));
        if !stuck.is_empty() {
            return Err(stalled(&self.topic, self.limit, &left));
        }
        Ok(Status::Done(
            unavailable.iter().map(|l| self.warning(l)).collect(),
        ))
    }

    async fn look_up_unknown(&mut self, consumer: &Consumer) -> Result<(), String> {
        self.looked_up = Instant::now();
        let tps: Vec<TopicPartition> = self.unknown.iter().map(|(tp, _)| tp.clone()).collect();
        // A broker that does not answer must not hold the records of the
        // others back for long: the lookup is tried again later.
        let Ok(looked_up) =
            tokio::time::timeout(LOOKUP_INTERVAL * 4, consumer.end_offsets_now(&tps)).await
        else {
            return Ok(());
        };
        let (ends, unknown) = looked_up
            .map_err(|e| format!("end offsets of {}: {}", self.topic, super::chain(&e)))?;
        self.ends.extend(ends);
        self.unknown = unknown;
        Ok(())
    }

    fn left(&self, consumer: &Consumer) -> Vec<Left> {
        let mut left = Vec::new();
        for (tp, end) in &self.ends {
            if consumer.lag(tp) == Some(0) {
                continue;
            }
            let position = consumer.current_position(tp);
            if position.is_some_and(|p| p >= *end) {
                continue;
            }
            left.push(Left {
                tp: tp.clone(),
                position,
                end: Some(*end),
            });
        }
        for (tp, _) in &self.unknown {
            left.push(Left {
                tp: tp.clone(),
                position: consumer.current_position(tp),
                end: None,
            });
        }
        left.sort_by(|a, b| a.tp.cmp(&b.tp));
        left
    }

    /// No end or position could be found for it, or no live broker leads it.
    fn is_unavailable(&self, consumer: &Consumer, left: &Left) -> bool {
        if left.end.is_none() || left.position.is_none() {
            return true;
        }
        let metadata = consumer.cluster().metadata();
        let leader = metadata
            .topic(&left.tp.topic)
            .and_then(|t| t.partition(left.tp.partition))
            .and_then(|p| p.leader);
        leader.is_none_or(|node| !metadata.brokers.contains_key(&node))
    }

    fn warning(&self, left: &Left) -> String {
        let why = self
            .unknown
            .iter()
            .find(|(tp, _)| *tp == left.tp)
            .map_or_else(|| "no leader".to_owned(), |(_, e)| super::chain(e));
        format!(
            "krafka: warning: partition {} of {} unavailable for {} ms (default.api.timeout.ms): \
             {why}; its records were not read",
            left.tp.partition,
            left.tp.topic,
            self.limit.as_millis()
        )
    }
}

/// The error of `-e` when partitions that have a leader did not move for
/// `limit`.
fn stalled(topic: &str, limit: Duration, left: &[Left]) -> String {
    let partitions: Vec<String> = left
        .iter()
        .map(|l| match (l.position, l.end) {
            (Some(position), Some(end)) => format!("{} at {position} of {end}", l.tp.partition),
            (None, Some(end)) => format!("{} at no position, end {end}", l.tp.partition),
            (Some(position), None) => format!("{} at {position}, end unknown", l.tp.partition),
            (None, None) => format!("{} at no position, end unknown", l.tp.partition),
        })
        .collect();
    format!(
        "no progress reading {topic} to its end for {} ms (default.api.timeout.ms); partitions \
         left: {}",
        limit.as_millis(),
        partitions.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stall_names_every_partition_left() {
        let left = [
            Left {
                tp: TopicPartition::new("t", 0),
                position: Some(3),
                end: Some(5),
            },
            Left {
                tp: TopicPartition::new("t", 2),
                position: None,
                end: None,
            },
        ];
        assert_eq!(
            stalled("t", Duration::from_millis(1500), &left),
            "no progress reading t to its end for 1500 ms (default.api.timeout.ms); partitions \
             left: 0 at 3 of 5, 2 at no position, end unknown"
        );
    }
}
