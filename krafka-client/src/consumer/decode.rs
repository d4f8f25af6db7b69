//! A partition's fetched `records` field, from the response to the records
//! the application gets.
//!
//! When the response comes, [`scan_records`] checks every batch (header,
//! CRC) without decompressing it and notes which batches have records to
//! deliver: batches before the fetch offset are skipped, control batches
//! are never delivered, and a caller-supplied filter drops aborted
//! transactional batches under `read_committed`. The batches are then
//! decoded one at a time as the application takes records
//! ([`FetchedChunk::next_record`]): a compressed batch is decompressed only
//! when the application reaches it, a chunk at a time ([`BatchRecords`]),
//! and each record is made when it is handed out, so what waits in the
//! consumer is the response as it came plus at most one decompressed chunk
//! per partition.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use krafka_core::KrafkaError;
use krafka_core::records::{
    BatchRecords, DEFAULT_MAX_DECOMPRESSED_BYTES, NextBatch, NextRecord, RawBatch, TimestampType,
};

use super::memory::{BufferedMemory, Charge};
use super::record::ConsumerRecord;

/// Checks the batches of `records` from `fetch_offset` on and notes the
/// ones to deliver.
///
/// `skip_batch` sees every batch at or after the fetch offset, control
/// batches included, in offset order, and says whether to drop it.
///
/// A batch that fails its checks ends the chunk: the batches before it are
/// delivered, and the error is returned only when no batch before it moved
/// the position (the next fetch starts at the bad batch and reports it
/// then). A response holding only part of one batch means the batch is
/// larger than the fetch size allows.
pub(crate) fn scan_records(
    topic: &Arc<str>,
    partition: i32,
    records: Bytes,
    fetch_offset: i64,
    check_crcs: bool,
    mut skip_batch: impl FnMut(&RawBatch) -> bool,
) -> Result<FetchedChunk, KrafkaError> {
    let mut chunk = FetchedChunk {
        topic: Arc::clone(topic),
        partition,
        records: records.clone(),
        batches: VecDeque::new(),
        fetch_offset,
        current: None,
        decompressing: false,
        delivered_any: false,
        next_offset: fetch_offset,
        last_epoch: None,
        charge: None,
    };
    let mut rest = records;
    let mut read_any = false;
    loop {
        let start = chunk.records.len() - rest.len();
        let batch = match RawBatch::read_next(&mut rest, check_crcs) {
            Ok(NextBatch::Batch(batch)) => batch,
            Ok(NextBatch::End) => break,
            Ok(NextBatch::Incomplete) => {
                if !read_any {
                    return Err(KrafkaError::corrupt_record(format!(
                        "{topic}-{partition}: the batch at offset {fetch_offset} is larger than \
                         the fetch size allows (raise max.partition.fetch.bytes / fetch.max.bytes)"
                    )));
                }
                break;
            }
            Err(error) if !read_any => return Err(error),
            Err(_) => break,
        };
        let header = *batch.header();
        // Offsets only go up: a batch wholly below what was reached (before
        // the fetch offset, or sent again or out of order by a broker that
        // should not) is skipped, as the Java consumer skips records below
        // its position.
        if header.next_offset() <= chunk.next_offset {
            continue;
        }
        // Only a batch that moves the position counts: a response of batches
        // below the fetch offset and then a bad one would otherwise be
        // fetched again and again, the error never reported.
        read_any = true;
        chunk.next_offset = chunk.next_offset.max(header.next_offset());
        let epoch = (header.partition_leader_epoch >= 0).then_some(header.partition_leader_epoch);
        chunk.last_epoch = epoch.or(chunk.last_epoch);
        if skip_batch(&batch) || batch.is_control() {
            continue;
        }
        chunk.batches.push_back(start);
    }
    Ok(chunk)
}

/// A partition's fetched records, handed out batch by batch.
#[derive(Debug)]
pub(crate) struct FetchedChunk {
    topic: Arc<str>,
    partition: i32,
    /// The partition's `records` field, as it came.
    records: Bytes,
    /// Where each batch still to deliver starts in `records` (checked by
    /// [`scan_records`]).
    batches: VecDeque<usize>,
    /// Records below it are skipped: a fetch may start inside a batch, and
    /// a record handed out raises it (offsets only go up).
    fetch_offset: i64,
    /// The batch records are being handed out from.
    current: Option<OpenBatch>,
    /// The open batch is out being decompressed further, outside the
    /// consumer's lock.
    decompressing: bool,
    delivered_any: bool,
    /// Offset after the last batch checked (skipped ones included): the
    /// position once the chunk is done.
    pub(crate) next_offset: i64,
    /// Leader epoch of the last batch checked.
    pub(crate) last_epoch: Option<i32>,
    /// The chunk's response, counted until the chunk is done.
    pub(crate) charge: Option<Arc<Charge>>,
}

/// A batch whose records are being handed out.
#[derive(Debug)]
pub(crate) struct OpenBatch {
    records: BatchRecords,
    base_offset: i64,
    timestamp_type: TimestampType,
    epoch: Option<i32>,
    /// The decompressed chunk its next records are in, counted while the
    /// batch is open.
    charge: Option<Charge>,
}

impl OpenBatch {
    /// Decompresses the next chunk of the batch.
    pub(crate) fn refill(&mut self) -> Result<(), Failure> {
        self.records.refill().map_err(|error| Failure {
            error,
            base_offset: self.base_offset,
        })
    }
}

/// What stopped [`FetchedChunk::next_record`].
#[derive(Debug)]
pub(crate) enum Stop {
    /// Every record of the open batch was handed out (or none was open):
    /// see [`FetchedChunk::next_batch`].
    BatchDone,
    /// The open batch's next records are still compressed;
    /// [`FetchedChunk::start_decompressing`] takes it out to decompress
    /// them when the memory budget allows.
    Decompress,
    /// The open batch is unreadable from here on.
    Failed(Failure),
}

/// What [`FetchedChunk::next_batch`] found.
#[derive(Debug)]
pub(crate) enum NextStep {
    /// The next batch is open.
    Opened,
    /// No batch is left.
    Done,
    Failed(Failure),
}

/// A batch of the chunk that cannot be delivered.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: KrafkaError,
    /// The failed batch's base offset.
    pub(crate) base_offset: i64,
}

impl FetchedChunk {
    /// Whether some batch may have records to deliver.
    pub(crate) fn has_batches(&self) -> bool {
        !self.batches.is_empty() || self.current.is_some() || self.decompressing
    }

    /// Whether a record of the chunk was handed out already.
    pub(crate) fn delivered_any(&self) -> bool {
        self.delivered_any
    }

    /// Whether its next batch is being decompressed elsewhere.
    pub(crate) fn is_decompressing(&self) -> bool {
        self.decompressing
    }

    /// The next record of the open batch; once the batch is done it is
    /// closed (its decompressed chunk is no longer counted) and the
    /// returned size says how many decompressed bytes it held.
    #[inline]
    pub(crate) fn next_record(&mut self) -> Result<ConsumerRecord, (Stop, usize)> {
        let Some(open) = self.current.as_mut() else {
            return Err((Stop::BatchDone, 0));
        };
        loop {
            match open.records.next_record() {
                NextRecord::Record(record) if record.offset < self.fetch_offset => {}
                NextRecord::Record(record) => {
                    self.delivered_any = true;
                    self.fetch_offset = record.offset.saturating_add(1);
                    return Ok(ConsumerRecord {
                        topic: Arc::clone(&self.topic),
                        partition: self.partition,
                        offset: record.offset,
                        timestamp: record.timestamp,
                        timestamp_type: open.timestamp_type,
                        key: record.key,
                        value: record.value,
                        headers: record.headers,
                        leader_epoch: open.epoch,
                    });
                }
                NextRecord::Refill => return Err((Stop::Decompress, 0)),
                NextRecord::Failed(error) => {
                    let base_offset = open.base_offset;
                    let released = self.close();
                    return Err((Stop::Failed(Failure { error, base_offset }), released));
                }
                NextRecord::End => return Err((Stop::BatchDone, self.close())),
            }
        }
    }

    /// Closes the open batch; returns the decompressed bytes it held.
    fn close(&mut self) -> usize {
        self.current
            .take()
            .and_then(|open| open.charge)
            .map_or(0, |charge| charge.bytes())
    }

    /// Opens the next batch (decompressing nothing yet); says what is next.
    pub(crate) fn next_batch(&mut self) -> NextStep {
        let Some(start) = self.batches.pop_front() else {
            return NextStep::Done;
        };
        let batch = match self.raw_batch(start) {
            Ok(batch) => batch,
            Err(failure) => return NextStep::Failed(failure),
        };
        let header = *batch.header();
        match batch.stream_records(DEFAULT_MAX_DECOMPRESSED_BYTES) {
            Ok(records) => {
                self.current = Some(OpenBatch {
                    records,
                    base_offset: header.base_offset,
                    timestamp_type: header.attributes.timestamp_type(),
                    epoch: (header.partition_leader_epoch >= 0)
                        .then_some(header.partition_leader_epoch),
                    charge: None,
                });
                NextStep::Opened
            }
            Err(error) => NextStep::Failed(Failure {
                error,
                base_offset: header.base_offset,
            }),
        }
    }

    /// Takes the open batch out to decompress its next chunk; the chunk
    /// waits for [`finish_decompressing`](Self::finish_decompressing).
    pub(crate) fn start_decompressing(&mut self) -> Option<OpenBatch> {
        let open = self.current.take()?;
        self.decompressing = true;
        Some(open)
    }

    /// Puts back a batch decompressed further outside the lock, counting
    /// its new chunk in `memory`; returns the bytes of the chunk it held
    /// before (the records handed out from it may still hold them).
    pub(crate) fn finish_decompressing(
        &mut self,
        mut open: OpenBatch,
        result: Result<(), Failure>,
        memory: &BufferedMemory,
    ) -> Result<usize, Failure> {
        self.decompressing = false;
        let released = open.charge.take().map_or(0, |charge| charge.bytes());
        result?;
        open.charge = Some(memory.charge(open.records.held_bytes()));
        self.current = Some(open);
        Ok(released)
    }

    /// The batch at `start` of the records (checked already).
    fn raw_batch(&self, start: usize) -> Result<RawBatch, Failure> {
        let mut rest = self.records.slice(start.min(self.records.len())..);
        match RawBatch::read_next(&mut rest, false) {
            Ok(NextBatch::Batch(batch)) => Ok(batch),
            Ok(_) => Err(Failure {
                error: KrafkaError::corrupt_record("a checked batch is no longer complete"),
                base_offset: self.next_offset,
            }),
            Err(error) => Err(Failure {
                error,
                base_offset: self.next_offset,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka_core::records::{
        Attributes, BatchHeader, Compression, RecordBatchBuilder, TimestampType,
    };

    /// A batch of `n` one-byte values at `base`, epoch 2.
    fn batch(base: i64, n: u8) -> Vec<u8> {
        built(base, n, Compression::None)
    }

    /// A batch of `n` records at `base`, compressed with `compression` when
    /// this build has that codec (else stored as they are).
    fn built(base: i64, n: u8, compression: Compression) -> Vec<u8> {
        let compression = if compression.is_available() {
            compression
        } else {
            Compression::None
        };
        let mut builder = RecordBatchBuilder::new()
            .base_offset(base)
            .compression(compression);
        for i in 0..n {
            builder = builder.add_record(Some(b"k"), Some(&[i]), vec![]);
        }
        let mut bytes = builder.build().unwrap().to_vec();
        bytes[12..16].copy_from_slice(&2i32.to_be_bytes());
        bytes
    }

    fn scan(records: Vec<u8>, fetch_offset: i64) -> Result<FetchedChunk, KrafkaError> {
        scan_records(
            &Arc::from("t"),
            0,
            records.into(),
            fetch_offset,
            false,
            |_| false,
        )
    }

    /// Every record of the chunk, decompressing inline.
    fn drain(chunk: &mut FetchedChunk) -> Result<Vec<ConsumerRecord>, KrafkaError> {
        let memory = BufferedMemory::default();
        let mut out = Vec::new();
        loop {
            match chunk.next_record() {
                Ok(record) => out.push(record),
                Err((Stop::Failed(failure), _)) => return Err(failure.error),
                Err((Stop::Decompress, _)) => {
                    let mut open = chunk.start_decompressing().unwrap();
                    let result = open.refill();
                    if let Err(failure) = chunk.finish_decompressing(open, result, &memory) {
                        return Err(failure.error);
                    }
                    assert!(memory.bytes() > 0, "the open batch's chunk is counted");
                }
                Err((Stop::BatchDone, _)) => match chunk.next_batch() {
                    NextStep::Opened => {}
                    NextStep::Done => return Ok(out),
                    NextStep::Failed(failure) => return Err(failure.error),
                },
            }
        }
    }

    fn offsets(records: &[ConsumerRecord]) -> Vec<i64> {
        records.iter().map(|r| r.offset).collect()
    }

    #[test]
    fn records_below_the_fetch_offset_are_skipped() {
        let mut records = batch(0, 5);
        records.extend(built(5, 3, Compression::Zstd));
        let mut chunk = scan(records, 3).unwrap();
        assert_eq!(chunk.next_offset, 8);
        assert_eq!(chunk.last_epoch, Some(2));
        let records = drain(&mut chunk).unwrap();
        assert_eq!(offsets(&records), [3, 4, 5, 6, 7]);
        let first = &records[0];
        assert_eq!(first.value.as_deref(), Some(&[3u8][..]));
        assert_eq!(first.leader_epoch, Some(2));
        assert_eq!(first.timestamp_type, TimestampType::CreateTime);
        assert!(!chunk.has_batches());
    }

    #[test]
    fn repeated_and_out_of_order_batches_are_skipped() {
        // As in fuzz/regressions/fetch_response/: a batch far ahead, then
        // batches behind it and repeated.
        let mut records = batch(0, 3);
        records.extend(batch(100, 2));
        records.extend(batch(1, 3));
        records.extend(batch(100, 2));
        records.extend(batch(102, 1));
        let mut chunk = scan(records, 0).unwrap();
        assert_eq!(chunk.next_offset, 103);
        assert_eq!(
            offsets(&drain(&mut chunk).unwrap()),
            [0, 1, 2, 100, 101, 102]
        );
        // A batch overlapping what was read gives only its new records.
        let mut records = batch(0, 3);
        records.extend(built(1, 4, Compression::Lz4));
        let mut chunk = scan(records, 0).unwrap();
        assert_eq!(chunk.next_offset, 5);
        assert_eq!(offsets(&drain(&mut chunk).unwrap()), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_cut_off_tail_ends_the_chunk_but_a_lone_partial_batch_is_an_error() {
        let mut records = batch(0, 2);
        let second = batch(2, 2);
        records.extend_from_slice(&second[..30]);
        let mut chunk = scan(records, 0).unwrap();
        assert_eq!(drain(&mut chunk).unwrap().len(), 2);
        assert_eq!(chunk.next_offset, 2);
        assert!(scan(second[..30].to_vec(), 2).is_err());
        // Batches below the fetch offset do not count as records read.
        let mut below_then_partial = batch(0, 2);
        below_then_partial.extend_from_slice(&second[..30]);
        assert!(scan(below_then_partial, 2).is_err());
    }

    #[test]
    fn filtered_and_control_batches_are_not_delivered_but_advance() {
        let mut records = batch(0, 2);
        let mut control = batch(2, 1);
        let header_attributes = Attributes::default()
            .with_control(true)
            .with_transactional(true);
        control[21..23].copy_from_slice(&header_attributes.0.to_be_bytes());
        records.extend(control);
        records.extend(batch(3, 2));
        let mut seen: Vec<BatchHeader> = Vec::new();
        let mut chunk = scan_records(&Arc::from("t"), 0, records.into(), 0, false, |b| {
            seen.push(*b.header());
            b.header().base_offset == 3
        })
        .unwrap();
        assert_eq!(seen.len(), 3, "the filter sees control batches too");
        assert_eq!(offsets(&drain(&mut chunk).unwrap()), [0, 1]);
        assert_eq!(chunk.next_offset, 5);
    }

    #[test]
    fn a_bad_crc_is_found_when_the_response_comes() {
        let mut records = batch(0, 2);
        let last = records.len() - 1;
        records[last] ^= 0xff;
        let checked = scan_records(&Arc::from("t"), 0, records.clone().into(), 0, true, |_| {
            false
        });
        assert!(matches!(checked, Err(KrafkaError::CorruptRecord(_))));
        // After a good batch the chunk just ends before the bad one.
        let mut good_then_bad = batch(0, 2);
        let mut bad = batch(2, 1);
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        good_then_bad.extend(bad);
        let mut chunk =
            scan_records(&Arc::from("t"), 0, good_then_bad.into(), 0, true, |_| false).unwrap();
        assert_eq!(offsets(&drain(&mut chunk).unwrap()), [0, 1]);
        assert_eq!(chunk.next_offset, 2);
    }

    #[test]
    fn uncompressed_records_share_the_fetched_buffer() {
        let records = Bytes::from(batch(0, 3));
        let range = records.as_ptr_range();
        let mut chunk =
            scan_records(&Arc::from("t"), 0, records.clone(), 0, true, |_| false).unwrap();
        for record in drain(&mut chunk).unwrap() {
            let value = record.value.as_ref().unwrap();
            assert!(range.contains(&value.as_ptr()), "zero-copy");
        }
    }
}
