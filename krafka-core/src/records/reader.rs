//! Reading batches out of a `records` field, and records out of a batch.

use bytes::{Buf, Bytes};

use super::batch::{self, BatchHeader, MIN_BATCH_LENGTH, offset};
use super::compression::{Compression, DEFAULT_MAX_DECOMPRESSED_BYTES};
use super::record::{
    Record, RecordBase, RecordView, read_record, read_record_view, read_records_into,
};
use super::stream::{BatchRecords, trailing_bytes};
use super::{BATCH_HEADER_LEN, LOG_OVERHEAD, TimestampType, capped_capacity};
use crate::KrafkaError;

/// How batches are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Cap on the decompressed size of one batch's records (128 MiB by default).
    pub max_decompressed_bytes: usize,
    /// Whether to verify each batch's CRC-32C (the Java consumer's `check.crcs`, on by default).
    pub check_crcs: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            check_crcs: true,
        }
    }
}

/// The outcome of reading the next batch from a `records` field: a
/// [`RecordBatch`], or a [`RawBatch`] from [`RawBatch::read_next`].
#[derive(Debug, Clone)]
pub enum NextBatch<B = RecordBatch> {
    /// A complete, verified batch.
    Batch(B),
    /// The remaining bytes are the beginning of a batch that was cut off.
    /// Brokers do this on fetch when the next batch exceeds the size limit;
    /// it is not an error.
    Incomplete,
    /// No bytes are left.
    End,
}

/// A complete batch whose header (and CRC, when asked) is checked but whose
/// records are not decompressed yet: what a reader that decompresses one
/// batch at a time, when it gets to it, holds.
#[derive(Debug, Clone)]
pub struct RawBatch {
    header: BatchHeader,
    compression: Compression,
    /// The whole batch as it was on the wire.
    raw: Bytes,
}

impl RawBatch {
    /// Reads the next batch from the front of `buf`, advancing `buf` past
    /// it, without decompressing it.
    ///
    /// A trailing partial batch gives [`NextBatch::Incomplete`] and leaves
    /// `buf` as it was. A complete batch is checked (magic, CRC when
    /// `check_crcs`, compression code, record count); any problem is an
    /// error, also leaving `buf` as it was.
    pub fn read_next(buf: &mut Bytes, check_crcs: bool) -> Result<NextBatch<Self>, KrafkaError> {
        if buf.is_empty() {
            return Ok(NextBatch::End);
        }
        let Some(length) = buf.get(offset::BATCH_LENGTH..LOG_OVERHEAD) else {
            return Ok(NextBatch::Incomplete);
        };
        let length = i32::from_be_bytes([length[0], length[1], length[2], length[3]]);
        let length = usize::try_from(length)
            .ok()
            .filter(|&length| length >= MIN_BATCH_LENGTH)
            .ok_or_else(|| {
                KrafkaError::corrupt_record(format!(
                    "batch length {length} is below the {MIN_BATCH_LENGTH}-byte minimum"
                ))
            })?;
        let Some(total) = length
            .checked_add(LOG_OVERHEAD)
            .filter(|&total| total <= buf.len())
        else {
            return Ok(NextBatch::Incomplete);
        };
        let batch = Self::check(buf.slice(..total), check_crcs)?;
        buf.advance(total);
        Ok(NextBatch::Batch(batch))
    }

    /// Checks a batch whose length field matches `raw.len()`.
    fn check(raw: Bytes, check_crcs: bool) -> Result<Self, KrafkaError> {
        let header = BatchHeader::read(&raw)?;
        if check_crcs {
            let computed = batch::compute_crc(&raw);
            if computed != header.crc {
                return Err(KrafkaError::corrupt_record(format!(
                    "CRC mismatch in batch at offset {}: stored {:#010x}, computed {computed:#010x}",
                    header.base_offset, header.crc
                )));
            }
        }
        if header.record_count < 0 {
            return Err(KrafkaError::corrupt_record(format!(
                "negative record count {}",
                header.record_count
            )));
        }
        let compression = header.attributes.compression()?;
        Ok(RawBatch {
            header,
            compression,
            raw,
        })
    }

    /// Every header field.
    pub fn header(&self) -> &BatchHeader {
        &self.header
    }

    /// The codec the records are compressed with.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Whether the batch holds control records (transaction markers).
    pub fn is_control(&self) -> bool {
        self.header.attributes.is_control()
    }

    /// Whether the batch belongs to a transaction.
    pub fn is_transactional(&self) -> bool {
        self.header.attributes.is_transactional()
    }

    /// The batch exactly as it was on the wire.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// The records, decompressed a chunk at a time as they are read
    /// (slices of the batch when it is not compressed); more than
    /// `max_decompressed_bytes` in all is an error.
    pub fn stream_records(
        &self,
        max_decompressed_bytes: usize,
    ) -> Result<BatchRecords, KrafkaError> {
        let base = record_base(&self.header);
        BatchRecords::new(
            self.raw.slice(BATCH_HEADER_LEN..),
            self.compression,
            self.header.record_count,
            base,
            max_decompressed_bytes,
        )
    }

    /// Decompresses the records (a slice of the batch when it is not
    /// compressed), failing once they would exceed `max_decompressed_bytes`.
    pub fn decompress(self, max_decompressed_bytes: usize) -> Result<RecordBatch, KrafkaError> {
        let section = self.raw.slice(BATCH_HEADER_LEN..);
        let records = match self.compression.codec() {
            None => section,
            Some(codec) => Bytes::from(codec.decompress(&section, max_decompressed_bytes)?),
        };
        Ok(RecordBatch {
            header: self.header,
            compression: self.compression,
            raw: self.raw,
            records,
        })
    }
}

/// One decoded batch: its header and its (decompressed) records.
#[derive(Debug, Clone)]
pub struct RecordBatch {
    header: BatchHeader,
    compression: Compression,
    /// The whole batch as it was on the wire.
    raw: Bytes,
    /// The records section, decompressed if the batch was compressed.
    records: Bytes,
}

impl RecordBatch {
    /// Reads the next batch from the front of `buf`, advancing `buf` past it.
    ///
    /// A trailing partial batch gives [`NextBatch::Incomplete`] and leaves
    /// `buf` as it was. A complete batch is checked (magic, CRC, compression
    /// code, record count) and decompressed; any problem is an error, also
    /// leaving `buf` as it was.
    pub fn decode_next(buf: &mut Bytes, options: &DecodeOptions) -> Result<NextBatch, KrafkaError> {
        let mut rest = buf.clone();
        match RawBatch::read_next(&mut rest, options.check_crcs)? {
            NextBatch::Batch(raw) => {
                let batch = raw.decompress(options.max_decompressed_bytes)?;
                *buf = rest;
                Ok(NextBatch::Batch(batch))
            }
            NextBatch::Incomplete => Ok(NextBatch::Incomplete),
            NextBatch::End => Ok(NextBatch::End),
        }
    }

    /// Decodes exactly one batch with the default options; a partial batch or
    /// trailing bytes are errors.
    pub fn decode(batch: Bytes) -> Result<Self, KrafkaError> {
        let mut buf = batch;
        match Self::decode_next(&mut buf, &DecodeOptions::default())? {
            NextBatch::Batch(batch) if buf.is_empty() => Ok(batch),
            NextBatch::Batch(_) => Err(KrafkaError::corrupt_record(format!(
                "{} bytes after the batch",
                buf.len()
            ))),
            NextBatch::Incomplete | NextBatch::End => {
                Err(KrafkaError::corrupt_record("incomplete record batch"))
            }
        }
    }

    /// Bytes of the records section, decompressed: what the batch's
    /// records share.
    pub fn records_len(&self) -> usize {
        self.records.len()
    }

    /// Every header field.
    pub fn header(&self) -> &BatchHeader {
        &self.header
    }

    /// The codec the batch was compressed with.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Whether the batch holds control records (transaction markers).
    pub fn is_control(&self) -> bool {
        self.header.attributes.is_control()
    }

    /// Whether the batch belongs to a transaction.
    pub fn is_transactional(&self) -> bool {
        self.header.attributes.is_transactional()
    }

    /// The batch exactly as it was on the wire (to forward it unchanged).
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// Iterates over the records. Their key, value and header bytes share
    /// the input buffer (or, for a compressed batch, the decompressed one).
    pub fn records(&self) -> RecordIter {
        RecordIter {
            data: self.records.clone(),
            pos: 0,
            remaining: self.header.record_count,
            base: self.record_base(),
            done: false,
        }
    }

    /// Iterates over the records without reference counting: each
    /// [`RecordView`] borrows this batch. The fastest way to consume
    /// records whose bytes are used on the spot.
    pub fn record_views(&self) -> RecordViews<'_> {
        RecordViews {
            data: &self.records,
            pos: 0,
            remaining: self.header.record_count,
            base: self.record_base(),
            done: false,
        }
    }

    /// All records at once, in a vector sized from the record count (capped
    /// by what the bytes could hold, so a lying count allocates nothing
    /// extra).
    pub fn collect_records(&self) -> Result<Vec<Record>, KrafkaError> {
        let declared = usize::try_from(self.header.record_count).unwrap_or(0);
        let mut records = Vec::with_capacity(capped_capacity(
            declared,
            MIN_RECORD_LEN,
            self.records.len(),
        ));
        let pos = read_records_into(&self.records, declared, &self.record_base(), &mut records)?;
        if pos < self.records.len() {
            return Err(trailing_bytes(self.records.len() - pos));
        }
        Ok(records)
    }

    fn record_base(&self) -> RecordBase {
        record_base(&self.header)
    }
}

/// What the records of a batch with `header` count offsets and timestamps from.
fn record_base(header: &BatchHeader) -> RecordBase {
    let log_append_time = (header.attributes.timestamp_type() == TimestampType::LogAppendTime)
        .then_some(header.max_timestamp);
    RecordBase {
        offset: header.base_offset,
        timestamp: header.base_timestamp,
        log_append_time,
    }
}

/// Smallest possible record on the wire: seven one-byte fields.
const MIN_RECORD_LEN: usize = 7;

/// Iterator over the records of one batch. After an error it ends.
#[derive(Debug, Clone)]
pub struct RecordIter {
    data: Bytes,
    pos: usize,
    remaining: i32,
    base: RecordBase,
    done: bool,
}

impl Iterator for RecordIter {
    type Item = Result<Record, KrafkaError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.remaining <= 0 {
            self.done = true;
            if self.pos < self.data.len() {
                return Some(Err(trailing_bytes(self.data.len() - self.pos)));
            }
            return None;
        }
        self.remaining -= 1;
        let record = read_record(&self.data, &mut self.pos, &self.base);
        if record.is_err() {
            self.done = true;
        }
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            return (0, Some(0));
        }
        // One more for a possible trailing-bytes error.
        let remaining = usize::try_from(self.remaining).unwrap_or(0);
        (0, Some(remaining.saturating_add(1)))
    }
}

/// Iterator over borrowed records of one batch. After an error it ends.
#[derive(Debug, Clone)]
pub struct RecordViews<'a> {
    data: &'a [u8],
    pos: usize,
    remaining: i32,
    base: RecordBase,
    done: bool,
}

impl<'a> Iterator for RecordViews<'a> {
    type Item = Result<RecordView<'a>, KrafkaError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.remaining <= 0 {
            self.done = true;
            if self.pos < self.data.len() {
                return Some(Err(trailing_bytes(self.data.len() - self.pos)));
            }
            return None;
        }
        self.remaining -= 1;
        let record = read_record_view(self.data, &mut self.pos, &self.base);
        if record.is_err() {
            self.done = true;
        }
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            return (0, Some(0));
        }
        let remaining = usize::try_from(self.remaining).unwrap_or(0);
        (0, Some(remaining.saturating_add(1)))
    }
}

/// Iterates over the batches of a `records` field (as found in a Fetch
/// response or Produce request).
///
/// Ends at the end of the input, after the first error, or at a trailing
/// partial batch, which [`incomplete_tail`](Self::incomplete_tail) then reports.
///
/// ```
/// # use krafka_core::records::{RecordBatchBuilder, RecordBatchReader};
/// # fn main() -> Result<(), krafka_core::KrafkaError> {
/// let batch = RecordBatchBuilder::new().add_record(None, Some(b"v"), vec![]).build()?;
/// let mut fetched = batch.to_vec();
/// fetched.extend_from_slice(&batch[..20]); // a cut-off second batch
/// let mut reader = RecordBatchReader::new(fetched.into());
/// for batch in &mut reader {
///     for record in batch?.records() {
///         assert_eq!(record?.value.as_deref(), Some(&b"v"[..]));
///     }
/// }
/// assert!(reader.incomplete_tail());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RecordBatchReader {
    remaining: Bytes,
    options: DecodeOptions,
    incomplete_tail: bool,
    done: bool,
}

impl RecordBatchReader {
    /// A reader with the default options.
    pub fn new(records: Bytes) -> Self {
        Self::with_options(records, DecodeOptions::default())
    }

    /// A reader with the given options.
    pub fn with_options(records: Bytes, options: DecodeOptions) -> Self {
        RecordBatchReader {
            remaining: records,
            options,
            incomplete_tail: false,
            done: false,
        }
    }

    /// Whether iteration stopped at a partial batch at the end of the input.
    pub fn incomplete_tail(&self) -> bool {
        self.incomplete_tail
    }

    /// The bytes not yet read: after iteration, the partial batch (if any),
    /// or the batch that failed to decode.
    pub fn remaining(&self) -> &Bytes {
        &self.remaining
    }
}

impl Iterator for RecordBatchReader {
    type Item = Result<RecordBatch, KrafkaError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match RecordBatch::decode_next(&mut self.remaining, &self.options) {
            Ok(NextBatch::Batch(batch)) => Some(Ok(batch)),
            Ok(NextBatch::Incomplete) => {
                self.incomplete_tail = true;
                self.done = true;
                None
            }
            Ok(NextBatch::End) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }
}
