//! Kafka record batches (message format v2, magic 2), coded by hand.
//!
//! A `records` field of a Produce request or Fetch response holds zero or more
//! batches back to back. Each batch is a fixed 61-byte header followed by its
//! records, possibly compressed as one block:
//!
//! ```text
//! baseOffset i64 | batchLength i32 | partitionLeaderEpoch i32 | magic i8 | crc u32
//! | attributes i16 | lastOffsetDelta i32 | baseTimestamp i64 | maxTimestamp i64
//! | producerId i64 | producerEpoch i16 | baseSequence i32 | recordCount i32 | records…
//! ```
//!
//! `batchLength` counts the bytes after itself; the CRC-32C covers everything
//! from `attributes` to the end of the batch.
//!
//! * [`RecordBatchBuilder`] writes one batch (the producer side).
//! * [`RecordBatchReader`] walks the batches of a `records` field (the consumer
//!   side), stopping quietly at a trailing partial batch, which brokers send on
//!   fetch when a batch does not fit the response size limit.
//! * [`RawBatch::read_next`] checks a batch without decompressing it, for
//!   readers that decompress one batch at a time when they get to it, and
//!   [`RawBatch::stream_records`] reads its records decompressing a chunk
//!   at a time ([`BatchRecords`]), so a batch never needs to be held
//!   decompressed whole.
//! * [`RecordBatch::records`] yields [`Record`]s whose key, value and header
//!   bytes are slices of the input when the batch is not compressed (the
//!   headers are read from the record when asked for, [`RecordHeaders`]);
//!   [`RecordBatch::record_views`] yields [`RecordView`]s that borrow them
//!   instead, with no reference counting at all.

mod batch;
mod builder;
pub mod compression;
mod control;
mod headers;
mod reader;
mod record;
mod stream;

#[cfg(test)]
mod tests;

pub use batch::{Attributes, BatchHeader, TimestampType};
pub use builder::RecordBatchBuilder;
pub use compression::{
    Codec, Compression, Compressor, DEFAULT_MAX_DECOMPRESSED_BYTES, Decompressor,
};
pub use control::{ControlRecord, ControlRecordType, TransactionMarker};
pub use headers::{HeaderIter, RecordHeaders};
pub use reader::{
    DecodeOptions, NextBatch, RawBatch, RecordBatch, RecordBatchReader, RecordIter, RecordViews,
};
pub use record::{Header, HeaderView, HeaderViews, Record, RecordView};
pub use stream::{BatchRecords, DEFAULT_CHUNK_LEN, NextRecord};

/// The magic byte of the v2 record batch format, the only one Krafka reads or writes.
pub const MAGIC: i8 = 2;

/// Bytes before a batch's length is known: base offset (8) and batch length (4).
pub const LOG_OVERHEAD: usize = 12;

/// Size of a v2 batch header, up to and including the record count.
pub const BATCH_HEADER_LEN: usize = 61;

/// Producer id of a batch written without idempotence.
pub const NO_PRODUCER_ID: i64 = -1;

/// Producer epoch of a batch written without idempotence.
pub const NO_PRODUCER_EPOCH: i16 = -1;

/// Base sequence of a batch written without idempotence.
pub const NO_SEQUENCE: i32 = -1;

/// Partition leader epoch a client writes; the broker fills in the real one.
pub const NO_PARTITION_LEADER_EPOCH: i32 = -1;

/// Capacity to reserve for `declared` elements of at least `min_element_len`
/// bytes each when only `remaining` bytes are left: the codec's cap, counted
/// in elements the input could really hold.
fn capped_capacity(declared: usize, min_element_len: usize, remaining: usize) -> usize {
    crate::codec::prealloc_capacity(declared, remaining / min_element_len.max(1))
}
