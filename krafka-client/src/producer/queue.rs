//! One partition's queue of batches and the rules for when its next batch
//! may go out.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::batch::ProducerBatch;
use crate::cluster::ClusterMetadata;

/// How long after its last write on a partition the broker is taken to
/// still know the producer there. A broker forgets an idle producer
/// (`producer.id.expiration.ms`, a day by default, or sooner once retention
/// has removed its batches) and then takes any first sequence again; after
/// this long without a write the partition sends one batch at a time until
/// one is written. Cheap to be wrong the safe way.
const PRODUCER_REMEMBERED: Duration = Duration::from_secs(60);

/// One partition's batches, oldest first (by batch id).
///
/// Several batches of a partition may be in flight at once (up to
/// `max.in.flight.requests.per.connection`), each in its own request, with
/// consecutive sequence numbers, so the broker writes them in order or
/// refuses the later ones. That holds only once the broker knows the
/// producer on the partition (it takes any first sequence from a producer
/// it does not know), so until a batch of the current epoch is written the
/// partition sends one batch at a time. So it does after a failure, until
/// its retries are through: a retry goes out only when nothing else of the
/// partition is in flight, and nothing follows it until it settles.
#[derive(Debug)]
pub(super) struct PartitionQueue {
    pub(super) topic: String,
    pub(super) partition: i32,
    pub(super) batches: VecDeque<ProducerBatch>,
    /// Ids of this partition's batches in requests now.
    pub(super) in_flight: Vec<u64>,
    /// One of them is a retry.
    pub(super) retry_in_flight: bool,
    /// When a batch of the current epoch (or of a producer without one) was
    /// last written: the broker knows the producer here.
    pub(super) confirmed: Option<Instant>,
    /// The base sequence of the next batch to get a stamp.
    pub(super) next_sequence: i32,
    pub(super) retry_at: Option<Instant>,
    /// This partition caused the pending epoch bump: its batches get new
    /// stamps in the new epoch. Every other partition's sent batch keeps its
    /// stamp, so the broker can still recognise a retry of something it
    /// wrote (Java's `partitionsToRewriteSequences`).
    pub(super) resequence: bool,
    /// Added to the open transaction (AddPartitionsToTxn, transaction
    /// version 1): its batches may go out.
    pub(super) in_txn: bool,
    /// The partition's leader as the metadata of `leader_generation` said
    /// (looked up once per metadata update, not once per drain).
    pub(super) leader: Option<i32>,
    leader_generation: u64,
}

impl PartitionQueue {
    pub(super) fn new(topic: &str, partition: i32) -> Self {
        PartitionQueue {
            topic: topic.to_owned(),
            partition,
            batches: VecDeque::new(),
            in_flight: Vec::new(),
            retry_in_flight: false,
            confirmed: None,
            next_sequence: 0,
            retry_at: None,
            resequence: false,
            in_txn: false,
            leader: None,
            leader_generation: u64::MAX,
        }
    }

    /// The node id of the partition's live leader in `metadata`, whose
    /// generation is `generation`.
    pub(super) fn leader_for(
        &mut self,
        metadata: &ClusterMetadata,
        generation: u64,
    ) -> Option<i32> {
        if self.leader_generation != generation || self.leader.is_none() {
            self.leader = metadata
                .leader(&self.topic, self.partition)
                .map(|broker| broker.node_id);
            self.leader_generation = generation;
        }
        self.leader
    }

    /// Whether the front batch may join a request now, with at most `limit`
    /// batches of the partition in flight.
    pub(super) fn may_send(&self, limit: usize) -> bool {
        if self.retry_in_flight || self.in_flight.len() >= limit {
            return false;
        }
        self.in_flight.is_empty()
            || (self.confirmed.is_some() && self.batches.front().is_none_or(|b| !b.retry))
    }

    /// Forgets the confirmation once the broker may have forgotten the
    /// producer (see [`PRODUCER_REMEMBERED`]).
    pub(super) fn forget_idle_producer(&mut self, now: Instant) {
        if self
            .confirmed
            .is_some_and(|at| now.saturating_duration_since(at) >= PRODUCER_REMEMBERED)
        {
            self.confirmed = None;
        }
    }

    /// Whether `batch` is the partition's oldest unsettled batch: nothing
    /// older is in flight or waiting to be retried.
    pub(super) fn is_oldest(&self, batch: &ProducerBatch) -> bool {
        self.in_flight.iter().all(|&id| id >= batch.id)
            && self
                .batches
                .front()
                .is_none_or(|front| !front.retry || front.id >= batch.id)
    }

    /// A batch left a request (whatever its outcome).
    pub(super) fn landed(&mut self, batch: &ProducerBatch) {
        if let Some(at) = self.in_flight.iter().position(|&id| id == batch.id) {
            self.in_flight.swap_remove(at);
        }
        if batch.retry {
            self.retry_in_flight = false;
        }
    }

    /// Puts batches that went out (a failed batch, or the parts of a split
    /// one) back in order, marked as retries. A retry was the partition's
    /// only batch in flight, so it goes first; a first attempt goes before
    /// every batch created after it.
    pub(super) fn put_back(&mut self, was_retry: bool, id: u64, parts: Vec<ProducerBatch>) {
        let at = if was_retry {
            0
        } else {
            self.batches.partition_point(|b| b.id < id)
        };
        for (offset, mut part) in parts.into_iter().enumerate() {
            part.retry = true;
            self.batches.insert(at + offset, part);
        }
    }
}
