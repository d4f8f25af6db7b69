//! Building one v2 record batch, the producer side.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;

use super::batch::{self, Attributes, BatchHeader, TimestampType};
use super::compression::{Compression, Compressor};
use super::record::{Header, write_record};
use super::{
    BATCH_HEADER_LEN, MAGIC, NO_PARTITION_LEADER_EPOCH, NO_PRODUCER_EPOCH, NO_PRODUCER_ID,
    NO_SEQUENCE,
};
use crate::KrafkaError;

/// Builds one record batch.
///
/// Records are encoded as they are added, into a buffer that starts with
/// room for the header; [`build`](Self::build) then fills in the header,
/// compresses the records if asked, and writes the length and CRC last.
///
/// ```
/// # use krafka_core::records::{Compression, RecordBatchBuilder};
/// # #[cfg(not(feature = "snappy"))] fn main() {}
/// # #[cfg(feature = "snappy")]
/// # fn main() -> Result<(), krafka_core::KrafkaError> {
/// let batch = RecordBatchBuilder::new()
///     .compression(Compression::Snappy)
///     .add_record(Some(b"key"), Some(b"value"), vec![])
///     .add_record(None, Some(b"value-only"), vec![])
///     .build()?;
/// # assert_eq!(krafka_core::records::RecordBatch::decode(batch)?.records().count(), 2);
/// # Ok(())
/// # }
/// ```
///
/// Keys and values are `Option<&[u8]>`: byte-string literals (`Some(b"key")`),
/// `None`, and slices of owned buffers (`Some(&vec)`, `value.as_deref()`) all fit.
/// Headers are a `Vec<Header>`; `vec![]` means none.
#[derive(Debug)]
#[must_use = "a builder does nothing until build() is called"]
pub struct RecordBatchBuilder {
    /// `BATCH_HEADER_LEN` bytes reserved for the header, then the records.
    buf: Vec<u8>,
    compression: Compression,
    compression_level: Option<i32>,
    base_offset: i64,
    partition_leader_epoch: i32,
    producer_id: i64,
    producer_epoch: i16,
    base_sequence: i32,
    transactional: bool,
    control: bool,
    timestamp_type: TimestampType,
    /// Timestamp of records added without one; the clock when first needed.
    default_timestamp: Option<i64>,
    /// The first record's timestamp: the batch's base timestamp.
    base_timestamp: Option<i64>,
    max_timestamp: i64,
    record_count: i32,
    /// The first error of a chained `add_record`, reported by `build`.
    error: Option<KrafkaError>,
}

impl Default for RecordBatchBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordBatchBuilder {
    /// An empty, uncompressed, non-idempotent batch at base offset 0.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// Like [`new`](Self::new), with room for `bytes` of encoded records
    /// (the producer's `batch.size`), so adding records does not reallocate.
    pub fn with_capacity(bytes: usize) -> Self {
        // A hint, not a promise: never reserve more than a large batch needs.
        const MAX_HINT: usize = 64 * 1024 * 1024;
        let mut buf = Vec::with_capacity(BATCH_HEADER_LEN.saturating_add(bytes.min(MAX_HINT)));
        buf.resize(BATCH_HEADER_LEN, 0);
        RecordBatchBuilder {
            buf,
            compression: Compression::None,
            compression_level: None,
            base_offset: 0,
            partition_leader_epoch: NO_PARTITION_LEADER_EPOCH,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: NO_PRODUCER_EPOCH,
            base_sequence: NO_SEQUENCE,
            transactional: false,
            control: false,
            timestamp_type: TimestampType::CreateTime,
            default_timestamp: None,
            base_timestamp: None,
            max_timestamp: -1,
            record_count: 0,
            error: None,
        }
    }

    /// Compression codec for the records.
    pub fn compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// Codec-specific level (gzip 1-9, zstd -131072-22, lz4 1-17); the
    /// codec's default otherwise.
    pub fn compression_level(mut self, level: i32) -> Self {
        self.compression_level = Some(level);
        self
    }

    /// Offset of the first record (producers leave it 0; the broker assigns offsets).
    pub fn base_offset(mut self, base_offset: i64) -> Self {
        self.base_offset = base_offset;
        self
    }

    /// Partition leader epoch (producers leave it -1).
    pub fn partition_leader_epoch(mut self, epoch: i32) -> Self {
        self.partition_leader_epoch = epoch;
        self
    }

    /// Producer id from InitProducerId (idempotent and transactional producers).
    pub fn producer_id(mut self, producer_id: i64) -> Self {
        self.producer_id = producer_id;
        self
    }

    /// Producer epoch from InitProducerId.
    pub fn producer_epoch(mut self, producer_epoch: i16) -> Self {
        self.producer_epoch = producer_epoch;
        self
    }

    /// Sequence number of the first record.
    pub fn base_sequence(mut self, base_sequence: i32) -> Self {
        self.base_sequence = base_sequence;
        self
    }

    /// Marks the batch as part of a transaction.
    pub fn transactional(mut self, transactional: bool) -> Self {
        self.transactional = transactional;
        self
    }

    /// Marks the batch as holding control records (see [`ControlRecord`](super::ControlRecord)).
    pub fn control(mut self, control: bool) -> Self {
        self.control = control;
        self
    }

    /// What the timestamps mean (producers write create time).
    pub fn timestamp_type(mut self, timestamp_type: TimestampType) -> Self {
        self.timestamp_type = timestamp_type;
        self
    }

    /// Timestamp (ms since the epoch) of records added without one; by
    /// default the clock when the first such record is added.
    pub fn timestamp(mut self, timestamp: i64) -> Self {
        self.default_timestamp = Some(timestamp);
        self
    }

    /// Adds a record stamped with the builder's [`timestamp`](Self::timestamp).
    pub fn add_record(
        mut self,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
    ) -> Self {
        let timestamp = self.default_timestamp();
        self.add_or_remember(timestamp, key, value, &headers);
        self
    }

    /// Adds a record with its own timestamp (ms since the epoch).
    pub fn add_record_at(
        mut self,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
    ) -> Self {
        self.add_or_remember(timestamp, key, value, &headers);
        self
    }

    /// Adds a record in place, for loops; `timestamp` `None` uses the
    /// builder's timestamp.
    pub fn push_record(
        &mut self,
        timestamp: Option<i64>,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[Header],
    ) -> Result<(), KrafkaError> {
        let timestamp = match timestamp {
            Some(timestamp) => timestamp,
            None => self.default_timestamp(),
        };
        self.push(timestamp, key, value, headers)
    }

    /// Number of records added.
    pub fn len(&self) -> usize {
        usize::try_from(self.record_count).unwrap_or(0)
    }

    /// Whether no record was added.
    pub fn is_empty(&self) -> bool {
        self.record_count == 0
    }

    /// Size of the batch so far, before compression: compare with `batch.size`.
    pub fn uncompressed_len(&self) -> usize {
        self.buf.len()
    }

    /// Makes room for the batch to reach `len` bytes before compression
    /// (as [`uncompressed_len`](Self::uncompressed_len) counts them) without
    /// reallocating on the way: a batch that is going to grow large gets its
    /// room once instead of being copied at every doubling.
    pub fn reserve_to(&mut self, len: usize) {
        self.buf.reserve_exact(len.saturating_sub(self.buf.len()));
    }

    /// Finishes the batch. An empty builder gives empty bytes (no batch),
    /// as Kafka's Java client does.
    pub fn build(self) -> Result<Bytes, KrafkaError> {
        self.build_with(&mut Compressor::new())
    }

    /// Like [`build`](Self::build), compressing with `compressor`'s kept
    /// state: what a producer building many batches calls.
    pub fn build_with(self, compressor: &mut Compressor) -> Result<Bytes, KrafkaError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.record_count == 0 {
            return Ok(Bytes::new());
        }
        let base_timestamp = self.base_timestamp.unwrap_or(self.max_timestamp);
        let attributes = Attributes::default()
            .with_compression(self.compression)
            .with_timestamp_type(self.timestamp_type)
            .with_transactional(self.transactional)
            .with_control(self.control);
        let header = BatchHeader {
            base_offset: self.base_offset,
            batch_length: 0,
            partition_leader_epoch: self.partition_leader_epoch,
            magic: MAGIC,
            crc: 0,
            attributes,
            last_offset_delta: self.record_count - 1,
            base_timestamp,
            max_timestamp: self.max_timestamp,
            producer_id: self.producer_id,
            producer_epoch: self.producer_epoch,
            base_sequence: self.base_sequence,
            record_count: self.record_count,
        };
        let mut out = match self.compression {
            Compression::None => self.buf,
            compression => compressor.compress_after(
                BATCH_HEADER_LEN,
                compression,
                self.compression_level,
                &self.buf[BATCH_HEADER_LEN..],
            )?,
        };
        let header_bytes: &mut [u8; BATCH_HEADER_LEN] = out
            .first_chunk_mut()
            .ok_or_else(|| KrafkaError::corrupt_record("batch buffer lost its header"))?;
        header.write(header_bytes);
        batch::seal(&mut out)?;
        Ok(Bytes::from(out))
    }

    fn default_timestamp(&mut self) -> i64 {
        *self.default_timestamp.get_or_insert_with(now_ms)
    }

    fn add_or_remember(
        &mut self,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[Header],
    ) {
        if self.error.is_none() {
            if let Err(error) = self.push(timestamp, key, value, headers) {
                self.error = Some(error);
            }
        }
    }

    fn push(
        &mut self,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[Header],
    ) -> Result<(), KrafkaError> {
        let offset_delta = self.record_count;
        let next_count = offset_delta
            .checked_add(1)
            .ok_or_else(|| KrafkaError::corrupt_record("more than 2^31 records in one batch"))?;
        let base_timestamp = *self.base_timestamp.get_or_insert(timestamp);
        write_record(
            &mut self.buf,
            offset_delta,
            timestamp.wrapping_sub(base_timestamp),
            key,
            value,
            headers,
        )?;
        self.record_count = next_count;
        self.max_timestamp = if offset_delta == 0 {
            timestamp
        } else {
            self.max_timestamp.max(timestamp)
        };
        Ok(())
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
