//! Entry points for the fuzz targets (`fuzz/` in the repository) and their
//! stable-toolchain runner: the client's handling of bytes from the network,
//! without the network.
//!
//! **Not API.** Hidden from the documentation, outside any compatibility
//! promise, and may change or go in any release. Everything here runs the
//! very code the connection and the consumer run; nothing is a copy.

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use krafka_core::KrafkaError;
use krafka_core::codec::{DecodeError, Message, Uuid};
use krafka_core::messages::{FetchRequest, FetchResponse};

use crate::connection::frame::{self, InFlight as Pending};
use crate::consumer::digest::{self, Digest, InFlight};
use crate::consumer::session::{FetchSession, WantedPartition};
use crate::consumer::state::{Assignment, Taking};
use crate::consumer::{ConsumerRecord, OffsetReset, TopicPartition};

/// The most a read grows the buffer by for a frame still arriving.
pub const READ_CHUNK: usize = frame::READ_CHUNK;
/// The room made before a read when little is left.
pub const READ_SPACE: usize = frame::READ_SPACE;

/// A response handed to the request it answers (by correlation id).
pub type Answer = (i32, Result<Bytes, KrafkaError>);

/// The read side of a connection's I/O task without the socket: the read
/// buffer, the requests awaiting their answers, the framing.
#[derive(Debug)]
pub struct ResponseReader {
    buf: BytesMut,
    in_flight: VecDeque<Pending<i32>>,
}

impl Default for ResponseReader {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseReader {
    /// A reader with the I/O task's initial buffer.
    pub fn new() -> Self {
        ResponseReader {
            buf: BytesMut::with_capacity(64 * 1024),
            in_flight: VecDeque::new(),
        }
    }

    /// A request was written: its answer, at most `max_response_size`
    /// bytes, is expected next after those already expected.
    pub fn expect(&mut self, correlation_id: i32, max_response_size: usize) {
        self.in_flight.push_back(Pending {
            correlation_id,
            max_response_size,
            reply: correlation_id,
        });
    }

    /// One read from the socket delivering `bytes`: room is made as the I/O
    /// task makes it, and the read takes what fits. Returns how many bytes
    /// were taken.
    pub fn read(&mut self, bytes: &[u8]) -> usize {
        frame::make_read_space(&mut self.buf);
        let taken = bytes.len().min(self.buf.capacity() - self.buf.len());
        self.buf.extend_from_slice(&bytes[..taken]);
        taken
    }

    /// Hands out the complete responses read so far, each with the
    /// correlation id of the request it answers. An error ends the
    /// connection.
    pub fn responses(&mut self) -> Result<Vec<Answer>, KrafkaError> {
        let mut out = Vec::new();
        frame::read_responses(
            &mut self.buf,
            &mut self.in_flight,
            "fuzz",
            |id, response| {
                out.push((id, response));
            },
        )?;
        Ok(out)
    }

    /// Bytes read and not handed out yet.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The read buffer's capacity.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Requests still waiting for their answer.
    pub fn pending(&self) -> usize {
        self.in_flight.len()
    }
}

/// Decodes a response frame (header and body) as a connection does.
pub fn decode_response<M: Message>(frame: Bytes, version: i16) -> Result<M, KrafkaError> {
    crate::connection::decode_response::<M>("fuzz", frame, version)
}

/// [`decode_response`] for a type known at run time: the header at
/// `header_version`, then `body`.
pub fn decode_response_with<T>(
    frame: Bytes,
    name: &str,
    header_version: Option<i16>,
    version: i16,
    body: impl FnOnce(&mut Bytes) -> Result<T, DecodeError>,
) -> Result<T, KrafkaError> {
    crate::connection::decode_response_with("fuzz", frame, name, header_version, version, body)
}

/// One partition a fetch asked for.
#[derive(Debug, Clone)]
pub struct FetchedPartition {
    /// Topic name.
    pub topic: String,
    /// Topic id (Fetch v13+ names topics by id).
    pub topic_id: Uuid,
    /// Partition index.
    pub partition: i32,
    /// The consumer's position, where the fetch started.
    pub fetch_offset: i64,
    /// The leader epoch the fetch was sent under.
    pub current_leader_epoch: i32,
}

/// The consumer settings that change how a response is digested.
#[derive(Debug, Clone, Copy)]
pub struct FetchSettings {
    /// `isolation.level=read_committed`.
    pub read_committed: bool,
    /// `check.crcs`.
    pub check_crcs: bool,
    /// `auto.offset.reset`.
    pub auto_offset_reset: OffsetReset,
}

/// What the application got from one partition.
#[derive(Debug)]
pub struct PartitionOutcome {
    /// The partition.
    pub tp: TopicPartition,
    /// Where the fetch started.
    pub fetch_offset: i64,
    /// The records handed out, in the order the application got them.
    pub records: Vec<ConsumerRecord>,
    /// The error waiting for the application once the response was digested.
    pub error: Option<KrafkaError>,
    /// The position once everything was handed out.
    pub position: Option<i64>,
}

/// What one Fetch response turned into.
#[derive(Debug)]
pub struct FetchOutcome {
    /// Every partition asked for, in the order asked.
    pub partitions: Vec<PartitionOutcome>,
    /// Bytes of records the response held.
    pub records_bytes: usize,
    /// Buffered bytes counted once the response was digested.
    pub buffered: usize,
    /// Buffered bytes counted once everything was handed out.
    pub buffered_after: usize,
    /// How many errors the application was handed.
    pub errors_handed_out: usize,
}

/// Runs a Fetch response frame (header and body, `version`) through what a
/// consumer's fetch task does with it: the fetch session built for
/// `partitions` follows it, each partition is decoded and applied to an
/// assignment positioned at the fetch offsets, then every record and error
/// is handed out as `poll` would.
///
/// An error is what the fetch task would treat as a failed fetch.
pub fn fetch_response(
    frame: Bytes,
    version: i16,
    partitions: &[FetchedPartition],
    settings: FetchSettings,
) -> Result<FetchOutcome, KrafkaError> {
    let mut assignment = Assignment::default();
    let tps: Vec<TopicPartition> = partitions
        .iter()
        .map(|p| TopicPartition::new(&p.topic, p.partition))
        .collect();
    assignment.assign(tps.iter().cloned());
    let mut batch = Vec::new();
    for (p, tp) in partitions.iter().zip(&tps) {
        assignment.seek(tp, Some(p.fetch_offset), None)?;
        let Some(state) = assignment.get(tp) else {
            continue;
        };
        if batch.iter().any(|b: &InFlight| b.tp == *tp) {
            continue;
        }
        batch.push(InFlight {
            tp: tp.clone(),
            generation: state.generation,
            want: WantedPartition {
                topic: std::sync::Arc::clone(&state.topic),
                topic_id: p.topic_id,
                partition: p.partition,
                fetch_offset: p.fetch_offset,
                current_leader_epoch: p.current_leader_epoch,
                last_fetched_epoch: -1,
                log_start_offset: -1,
                partition_max_bytes: 1024 * 1024,
            },
            from_follower: false,
        });
    }
    let mut session = FetchSession::new(0);
    let mut request = FetchRequest::default();
    session.build(batch.iter().map(|p| &p.want), version, &mut request);

    let response: FetchResponse = decode_response(frame, version)?;
    let (answers, records_bytes) = digest::response_partitions(&mut session, response, version)?;
    let charge = std::sync::Arc::new(assignment.memory().charge(records_bytes));
    let digest = Digest {
        node: 0,
        check_crcs: settings.check_crcs,
        read_committed: settings.read_committed,
        auto_offset_reset: settings.auto_offset_reset,
    };
    for (topic, mut data) in answers {
        let Some(item) = digest::find_in_flight(&batch, &topic, &data).map(|i| &batch[i]) else {
            continue;
        };
        let decoded = digest.decode(item, &mut data, version);
        digest.apply(item, data, decoded, &charge, &mut assignment);
    }
    drop(charge);
    let buffered = assignment.buffered_bytes();

    let mut outcomes: Vec<PartitionOutcome> = batch
        .iter()
        .map(|item| PartitionOutcome {
            tp: item.tp.clone(),
            fetch_offset: item.want.fetch_offset,
            records: Vec::new(),
            error: assignment.get(&item.tp).and_then(|s| s.error.clone()),
            position: None,
        })
        .collect();
    let mut errors_handed_out = 0;
    // Each round hands out records or one error, and both run out.
    for _ in 0..=2 * batch.len() {
        let mut out: Vec<ConsumerRecord> = Vec::new();
        // As the consumer's take does, without a budget: every batch it
        // reaches is decompressed.
        let mut taking = Taking::default();
        let taken = loop {
            match assignment.take(usize::MAX, &mut out, usize::MAX, &mut taking) {
                Ok(Some(mut job)) => {
                    let result = job.run();
                    assignment.finish_decompression(job, result, &mut taking);
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(error),
            }
        };
        match taken {
            Ok(()) if out.is_empty() => break,
            Ok(()) => {
                for record in out {
                    let outcome = outcomes.iter_mut().find(|o| {
                        o.tp.partition == record.partition && *o.tp.topic == *record.topic
                    });
                    if let Some(outcome) = outcome {
                        outcome.records.push(record);
                    }
                }
            }
            Err(_) => errors_handed_out += 1,
        }
    }
    for outcome in &mut outcomes {
        outcome.position = assignment.get(&outcome.tp).and_then(|s| s.position);
    }
    Ok(FetchOutcome {
        partitions: outcomes,
        records_bytes,
        buffered,
        buffered_after: assignment.buffered_bytes(),
        errors_handed_out,
    })
}
