//! Record batches made to measure what the consumer holds: batches that
//! expand far beyond their size, copies of one batch at successive offsets.

use bytes::Bytes;
use krafka_core::records::{Compression, Header, RecordBatchBuilder};

/// A value of `size` bytes that compresses to almost nothing.
pub fn zeros(size: usize) -> Vec<u8> {
    vec![0u8; size]
}

/// One batch at offset 0, compressed with `compression`, holding
/// `records` records, each with `value` and `headers`.
pub fn batch(
    compression: Compression,
    records: usize,
    value: Option<&[u8]>,
    headers: &[Header],
) -> Bytes {
    let mut builder = RecordBatchBuilder::new()
        .compression(compression)
        .timestamp(1_700_000_000_000);
    for _ in 0..records {
        builder
            .push_record(None, None, value, headers)
            .expect("crafted record");
    }
    builder.build().expect("crafted batch")
}

/// [`batch`] in zstd.
pub fn zstd_batch(records: usize, value: Option<&[u8]>, headers: &[Header]) -> Bytes {
    batch(Compression::Zstd, records, value, headers)
}

/// `batch` moved to `base` (the base offset is outside the CRC).
pub fn at_offset(batch: &Bytes, base: i64) -> Bytes {
    let mut moved = batch.to_vec();
    moved[..8].copy_from_slice(&base.to_be_bytes());
    Bytes::from(moved)
}

/// `count` copies of `batch`, back to back from offset 0.
pub fn copies(batch: &Bytes, count: usize) -> Vec<Bytes> {
    let delta = i32::from_be_bytes(batch[23..27].try_into().expect("last offset delta"));
    let per_batch = i64::from(delta) + 1;
    (0..count as i64)
        .map(|i| at_offset(batch, i * per_batch))
        .collect()
}
