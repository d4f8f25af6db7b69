//! Record batches in every codec.
//!
//! Input: one options byte (bit 0: check CRCs; bits 1-3: the decompression
//! cap, from 0 bytes to the default 128 MiB), then the `records` bytes of a
//! Produce request or Fetch response (any number of batches).
//!
//! For every batch that decodes: the owned records, the borrowed views and
//! `collect_records` agree; a compressed section never decompresses past
//! the cap, nor holds more than about twice the cap; and the records
//! rebuilt into a batch with the same codec decode to the same records.
//! Every batch read a small chunk at a time gives the records decoding it
//! whole gives, holds no more than a chunk or a record, and fails where
//! decoding it whole fails.

use bytes::Bytes;
use krafka_core::records::{
    BATCH_HEADER_LEN, Compression, DEFAULT_MAX_DECOMPRESSED_BYTES, DecodeOptions, Header,
    NextBatch, RawBatch, Record, RecordBatch, RecordBatchBuilder, RecordBatchReader,
};

use super::Input;

/// The decompression caps an options byte picks from.
const CAPS: [usize; 8] = [
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    0,
    1,
    100,
    4096,
    65_536,
    1 << 20,
    16 << 20,
];

/// The options byte for `check_crcs` and the cap at `cap_index` in [`CAPS`].
pub(crate) fn options_byte(check_crcs: bool, cap_index: u8) -> u8 {
    u8::from(check_crcs) | ((cap_index & 7) << 1)
}

/// The target; returns how many records decoded.
pub fn run(data: &[u8]) -> usize {
    let mut input = Input::new(data);
    let flags = input.u8();
    let options = DecodeOptions {
        check_crcs: flags & 1 == 1,
        max_decompressed_bytes: CAPS[usize::from((flags >> 1) & 7)],
    };
    let records = Bytes::copy_from_slice(input.rest());
    let mut rest = records.clone();
    while let Ok(NextBatch::Batch(raw)) = RawBatch::read_next(&mut rest, options.check_crcs) {
        check_stream(&raw, options.max_decompressed_bytes);
    }
    let mut decoded = 0;
    for batch in RecordBatchReader::with_options(records, options) {
        let Ok(batch) = batch else {
            break;
        };
        decoded += check_batch(&batch, &options);
    }
    decoded
}

/// Decompressed bytes per chunk when streaming: small, so chunk
/// boundaries fall inside records.
const STREAM_CHUNK: usize = 64;

/// Reads `raw` a chunk at a time and checks it against decoding it whole.
fn check_stream(raw: &RawBatch, cap: usize) {
    let Ok(stream) = raw.stream_records(cap) else {
        assert!(
            raw.clone().decompress(cap).is_err(),
            "a stream that cannot start"
        );
        return;
    };
    let mut stream = stream.with_chunk_len(STREAM_CHUNK);
    let mut streamed = Vec::new();
    let mut failed = false;
    while let Some(record) = stream.next() {
        let held = stream.held_bytes();
        assert!(
            held <= cap.saturating_add(1).max(2 * STREAM_CHUNK),
            "a stream holds {held} bytes with a {cap}-byte cap"
        );
        match record {
            Ok(record) => streamed.push(record),
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(stream.next().is_none(), "a stream goes on after its error");
    if let Ok(whole) = raw.clone().decompress(cap) {
        let records: Vec<_> = whole.records().collect();
        let whole_failed = records.iter().any(Result::is_err);
        let whole_records: Vec<Record> = records.into_iter().filter_map(Result::ok).collect();
        assert_eq!(streamed, whole_records, "streamed and whole records differ");
        assert_eq!(
            failed, whole_failed,
            "streamed and whole decoding fail differently"
        );
    } else {
        assert!(failed, "a stream decodes what decoding whole cannot");
    }
}

/// Checks one batch; returns how many of its records decoded.
fn check_batch(batch: &RecordBatch, options: &DecodeOptions) -> usize {
    let owned: Vec<_> = batch.records().collect();
    let views: Vec<_> = batch.record_views().collect();
    assert_eq!(owned.len(), views.len(), "records and views disagree");
    for (record, view) in owned.iter().zip(&views) {
        match (record, view) {
            (Ok(record), Ok(view)) => {
                assert_eq!(record.offset, view.offset);
                assert_eq!(record.timestamp, view.timestamp);
                assert_eq!(record.key.as_deref(), view.key);
                assert_eq!(record.value.as_deref(), view.value);
                assert_eq!(record.attributes, view.attributes);
                let headers: Vec<_> = view.headers().collect();
                assert_eq!(record.headers.len(), headers.len());
                for (header, view) in record.headers.iter().zip(&headers) {
                    assert_eq!(&header.key[..], view.key);
                    assert_eq!(header.value.as_deref(), view.value);
                }
            }
            (Err(_), Err(_)) => {}
            _ => panic!("a record decodes owned but not borrowed, or the other way round"),
        }
    }
    let all_ok = owned.iter().all(Result::is_ok);
    let collected = batch.collect_records();
    assert_eq!(
        collected.is_ok(),
        all_ok,
        "collect_records and records disagree"
    );
    let records: Vec<Record> = owned.into_iter().filter_map(Result::ok).collect();
    if let Ok(collected) = &collected {
        assert_eq!(collected, &records);
    }
    check_cap(batch, options);
    if all_ok && !batch.is_control() && !records.is_empty() {
        rebuild(batch, &records);
    }
    records.len()
}

/// The cap holds on the raw section too, whatever the batch decoded to.
fn check_cap(batch: &RecordBatch, options: &DecodeOptions) {
    let Some(codec) = batch.compression().codec() else {
        return;
    };
    let section = batch.raw().get(BATCH_HEADER_LEN..).unwrap_or_default();
    let limit = options.max_decompressed_bytes;
    if let Ok(out) = codec.decompress(section, limit) {
        assert!(
            out.len() <= limit,
            "{} decompressed {} bytes past its {limit}-byte cap",
            batch.compression(),
            out.len()
        );
        assert!(
            out.capacity() <= limit.saturating_mul(2).saturating_add(64 * 1024),
            "{} holds {} bytes for a {limit}-byte cap",
            batch.compression(),
            out.capacity()
        );
    }
}

/// The records, built again into a batch like this one, read back the same.
fn rebuild(batch: &RecordBatch, records: &[Record]) {
    let header = batch.header();
    let mut builder = RecordBatchBuilder::new()
        .compression(batch.compression())
        .base_offset(header.base_offset)
        .partition_leader_epoch(header.partition_leader_epoch)
        .producer_id(header.producer_id)
        .producer_epoch(header.producer_epoch)
        .base_sequence(header.base_sequence)
        .transactional(batch.is_transactional())
        .timestamp_type(header.attributes.timestamp_type());
    for record in records {
        let headers: Vec<Header> = record.headers.to_vec();
        if let Err(error) = builder.push_record(
            Some(record.timestamp),
            record.key.as_deref(),
            record.value.as_deref(),
            &headers,
        ) {
            panic!("decoded records do not build again: {error}");
        }
    }
    let built = builder
        .build()
        .unwrap_or_else(|e| panic!("{} batch does not build: {e}", batch.compression()));
    let again = RecordBatch::decode(built).unwrap_or_else(|e| {
        panic!(
            "a rebuilt {} batch does not decode: {e}",
            batch.compression()
        )
    });
    assert_eq!(again.compression(), batch.compression());
    let again = again
        .collect_records()
        .unwrap_or_else(|e| panic!("a rebuilt batch's records do not decode: {e}"));
    assert_eq!(again.len(), records.len());
    let contiguous = records
        .iter()
        .enumerate()
        .all(|(i, r)| Some(r.offset) == header.base_offset.checked_add(i as i64));
    for (before, after) in records.iter().zip(&again) {
        assert_eq!(before.key, after.key);
        assert_eq!(before.value, after.value);
        assert_eq!(before.headers, after.headers);
        assert_eq!(before.timestamp, after.timestamp);
        if contiguous {
            assert_eq!(before.offset, after.offset);
        }
    }
}

/// Every codec.
pub(crate) const CODECS: [Compression; 5] = [
    Compression::None,
    Compression::Gzip,
    Compression::Snappy,
    Compression::Lz4,
    Compression::Zstd,
];
