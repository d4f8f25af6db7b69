//! The producer's record accumulator without a broker, for the benchmarks
//! in `krafka-client/benches/`.
//!
//! **Not API.** Hidden from the documentation, outside any compatibility
//! promise, and may change or go in any release. It drives the very
//! accumulator the producer uses; nothing is a copy.

use std::sync::Arc;
use std::time::{Duration, Instant};

use krafka_core::KrafkaError;
use krafka_core::codec::Uuid;
use krafka_core::records::Compression;
use tokio::sync::Semaphore;

use super::accumulator::{Accumulator, Appended, Limits, Outcome};
use super::batch::{Memory, ProducerId};
use crate::backoff::ExponentialBackoff;
use crate::cluster::{BrokerNode, ClusterMetadata, PartitionMetadata, TopicMetadata};

const TOPIC: &str = "bench";
const BATCH_SIZE: usize = 16_384;

/// An idempotent producer's accumulator (`batch.size` 16384, `linger.ms`
/// 5, `max.in.flight` 5) for one topic whose partitions all lead on one
/// broker, with every partition's queue already made (each partition had
/// a batch written), as after a while of keyless sends.
#[derive(Debug)]
pub struct ProducerQueues {
    accumulator: Accumulator,
    metadata: ClusterMetadata,
    pool: Arc<Semaphore>,
    backoff: ExponentialBackoff,
    linger: Duration,
}

impl ProducerQueues {
    /// Queues for `partitions` partitions, each with one batch sent and
    /// written.
    pub fn new(partitions: i32) -> Result<ProducerQueues, KrafkaError> {
        let linger = Duration::from_millis(5);
        let mut queues = ProducerQueues {
            accumulator: Accumulator::new(Limits {
                batch_size: BATCH_SIZE,
                linger,
                delivery_timeout: Duration::from_secs(120),
                max_request_size: 1 << 20,
                grow_limit: super::accumulator::growth_limit(BATCH_SIZE, 1 << 20),
                max_in_flight: 5,
                retries: u32::MAX,
                compression: Compression::None,
                compression_level: None,
                idempotent: true,
                transactional: false,
                adaptive_partitioning: true,
                availability_timeout: Duration::ZERO,
            }),
            metadata: metadata(partitions),
            // Charged without acquiring: a batch's memory only comes back.
            pool: Arc::new(Semaphore::new(0)),
            backoff: ExponentialBackoff::new(Duration::from_millis(100), Duration::from_secs(1)),
            linger,
        };
        queues
            .accumulator
            .set_producer_id(ProducerId { id: 1, epoch: 0 });
        for partition in 0..partitions {
            queues.append(partition, b"warm")?;
        }
        let mut at = Instant::now() + linger;
        while queues.drain_at(at) > 0 {
            at += Duration::from_millis(1);
        }
        Ok(queues)
    }

    /// Appends one record with `value` to `partition`.
    pub fn append(&mut self, partition: i32, value: &[u8]) -> Result<(), KrafkaError> {
        let size = value.len() + 36;
        let mut memory = None;
        loop {
            match self.accumulator.append(
                TOPIC,
                partition,
                0,
                None,
                Some(value),
                &[],
                size,
                &mut memory,
            )? {
                Appended::Queued { .. } => return Ok(()),
                Appended::NeedsMemory(bytes) => {
                    memory = Some(Memory::new(bytes, Arc::clone(&self.pool)));
                }
            }
        }
    }

    /// One drain now: what the sender does each time it wakes while the
    /// queued batches still linger. Returns how many batches went out
    /// (written at once, so that in-flight limits do not build up).
    pub fn drain(&mut self) -> usize {
        self.drain_at(Instant::now())
    }

    /// One drain once `linger.ms` has passed for every batch queued now.
    pub fn drain_lingered(&mut self) -> usize {
        self.drain_at(Instant::now() + self.linger)
    }

    fn drain_at(&mut self, now: Instant) -> usize {
        let (drained, _) = self.accumulator.drain(&self.metadata, 0, now, false);
        let mut count = 0;
        for request in drained {
            for batch in request.batches {
                count += 1;
                let outcome = Outcome::Written {
                    base_offset: 0,
                    log_append_time: -1,
                };
                self.accumulator
                    .complete(batch, outcome, &self.backoff, now);
            }
            self.accumulator.request_done(request.node_id);
        }
        count
    }
}

fn metadata(partitions: i32) -> ClusterMetadata {
    let mut metadata = ClusterMetadata::default();
    metadata.brokers.insert(
        1,
        BrokerNode {
            node_id: 1,
            host: "localhost".into(),
            port: 9092,
            rack: None,
        },
    );
    metadata.topics.insert(
        TOPIC.into(),
        Arc::new(TopicMetadata {
            name: TOPIC.into(),
            topic_id: Uuid::ZERO,
            is_internal: false,
            partitions: (0..partitions)
                .map(|partition| PartitionMetadata {
                    partition,
                    leader: Some(1),
                    leader_epoch: 0,
                    replicas: vec![1],
                    isr: vec![1],
                    offline_replicas: vec![],
                    error: None,
                })
                .collect(),
        }),
    );
    metadata
}
