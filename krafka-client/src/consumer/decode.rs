//! Turns a partition's fetched `records` field into the records the
//! application gets: batches before the fetch offset and records below it
//! are skipped (a fetch may start inside a batch), control batches are never
//! delivered, and a caller-supplied filter drops aborted transactional
//! batches under `read_committed`.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use krafka_core::KrafkaError;
use krafka_core::records::{DecodeOptions, NextBatch, RecordBatch};

use super::record::ConsumerRecord;
use super::state::FetchedChunk;

/// Decodes the batches of `records` from `fetch_offset` on.
///
/// `skip_batch` sees every batch at or after the fetch offset, control
/// batches included, in offset order, and says whether to drop it.
///
/// Offsets only go up: a batch or record below the offset reached so far
/// (before the fetch offset, or sent again or out of order by a broker that
/// should not) is skipped, as the Java consumer skips records below its
/// position.
///
/// A batch that fails to decode ends the chunk: the records before it are
/// returned, and the error only when there are none (the next fetch starts
/// at the bad batch and reports it then). A response holding only part of
/// one batch means the batch is larger than the fetch size allows.
pub(crate) fn decode_records(
    topic: &Arc<str>,
    partition: i32,
    mut records: Bytes,
    fetch_offset: i64,
    options: &DecodeOptions,
    mut skip_batch: impl FnMut(&RecordBatch) -> bool,
) -> Result<FetchedChunk, KrafkaError> {
    let mut chunk = FetchedChunk {
        records: VecDeque::new(),
        next_offset: fetch_offset,
        last_epoch: None,
        charge: None,
    };
    let mut read_any = false;
    loop {
        let batch = match RecordBatch::decode_next(&mut records, options) {
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
        if header.next_offset() <= chunk.next_offset {
            continue;
        }
        // Only a batch that moves the position counts: a response of batches
        // below the fetch offset and then a bad one would otherwise be
        // fetched again and again, the error never reported.
        read_any = true;
        // The lowest offset the batch's next record may have.
        let mut floor = chunk.next_offset;
        chunk.next_offset = header.next_offset();
        let epoch = (header.partition_leader_epoch >= 0).then_some(header.partition_leader_epoch);
        chunk.last_epoch = epoch.or(chunk.last_epoch);
        if skip_batch(&batch) || batch.is_control() {
            continue;
        }
        let timestamp_type = header.attributes.timestamp_type();
        chunk
            .records
            .reserve(usize::try_from(header.record_count).unwrap_or(0).min(4096));
        for record in batch.records() {
            let record = match record {
                Ok(record) => record,
                Err(error) if chunk.records.is_empty() => return Err(error),
                Err(_) => {
                    // Deliver what came before; the next fetch meets the bad record again.
                    chunk.next_offset = chunk
                        .records
                        .back()
                        .map_or(fetch_offset, |r| r.offset.saturating_add(1));
                    return Ok(chunk);
                }
            };
            if record.offset < floor {
                continue;
            }
            floor = record.offset.saturating_add(1);
            chunk.next_offset = chunk.next_offset.max(floor);
            chunk.records.push_back(ConsumerRecord {
                topic: Arc::clone(topic),
                partition,
                offset: record.offset,
                timestamp: record.timestamp,
                timestamp_type,
                key: record.key,
                value: record.value,
                headers: record.headers,
                leader_epoch: epoch,
            });
        }
    }
    Ok(chunk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka_core::records::{Attributes, BatchHeader, RecordBatchBuilder, TimestampType};

    /// A batch of `n` one-byte values at `base`, epoch 2.
    fn batch(base: i64, n: u8) -> Vec<u8> {
        let mut builder = RecordBatchBuilder::new();
        for i in 0..n {
            builder = builder.add_record(Some(b"k"), Some(&[i]), vec![]);
        }
        let mut bytes = builder.build().unwrap().to_vec();
        bytes[..8].copy_from_slice(&base.to_be_bytes());
        bytes[12..16].copy_from_slice(&2i32.to_be_bytes());
        bytes
    }

    fn decode(records: Vec<u8>, fetch_offset: i64) -> Result<FetchedChunk, KrafkaError> {
        let options = DecodeOptions {
            check_crcs: false,
            ..DecodeOptions::default()
        };
        decode_records(
            &Arc::from("t"),
            0,
            records.into(),
            fetch_offset,
            &options,
            |_| false,
        )
    }

    #[test]
    fn records_below_the_fetch_offset_are_skipped() {
        let mut records = batch(0, 5);
        records.extend(batch(5, 3));
        let chunk = decode(records, 3).unwrap();
        let offsets: Vec<i64> = chunk.records.iter().map(|r| r.offset).collect();
        assert_eq!(offsets, [3, 4, 5, 6, 7]);
        assert_eq!(chunk.next_offset, 8);
        assert_eq!(chunk.last_epoch, Some(2));
        let first = &chunk.records[0];
        assert_eq!(first.value.as_deref(), Some(&[3u8][..]));
        assert_eq!(first.leader_epoch, Some(2));
        assert_eq!(first.timestamp_type, TimestampType::CreateTime);
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
        let chunk = decode(records, 0).unwrap();
        let offsets: Vec<i64> = chunk.records.iter().map(|r| r.offset).collect();
        assert_eq!(offsets, [0, 1, 2, 100, 101, 102]);
        assert_eq!(chunk.next_offset, 103);
        // A batch overlapping what was read gives only its new records.
        let mut records = batch(0, 3);
        records.extend(batch(1, 4));
        let chunk = decode(records, 0).unwrap();
        let offsets: Vec<i64> = chunk.records.iter().map(|r| r.offset).collect();
        assert_eq!(offsets, [0, 1, 2, 3, 4]);
        assert_eq!(chunk.next_offset, 5);
    }

    #[test]
    fn a_cut_off_tail_ends_the_chunk_but_a_lone_partial_batch_is_an_error() {
        let mut records = batch(0, 2);
        let second = batch(2, 2);
        records.extend_from_slice(&second[..30]);
        let chunk = decode(records, 0).unwrap();
        assert_eq!(chunk.records.len(), 2);
        assert_eq!(chunk.next_offset, 2);
        assert!(decode(second[..30].to_vec(), 2).is_err());
        // Batches below the fetch offset do not count as records read.
        let mut below_then_partial = batch(0, 2);
        below_then_partial.extend_from_slice(&second[..30]);
        assert!(decode(below_then_partial, 2).is_err());
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
        let options = DecodeOptions {
            check_crcs: false,
            ..DecodeOptions::default()
        };
        let mut seen: Vec<BatchHeader> = Vec::new();
        let chunk = decode_records(&Arc::from("t"), 0, records.into(), 0, &options, |b| {
            seen.push(*b.header());
            b.header().base_offset == 3
        })
        .unwrap();
        assert_eq!(seen.len(), 3, "the filter sees control batches too");
        let offsets: Vec<i64> = chunk.records.iter().map(|r| r.offset).collect();
        assert_eq!(offsets, [0, 1]);
        assert_eq!(chunk.next_offset, 5);
    }

    #[test]
    fn keys_and_values_share_the_fetched_buffer() {
        let records = Bytes::from(batch(0, 3));
        let range = records.as_ptr() as usize..records.as_ptr() as usize + records.len();
        let options = DecodeOptions::default();
        let chunk =
            decode_records(&Arc::from("t"), 0, records.clone(), 0, &options, |_| false).unwrap();
        for record in &chunk.records {
            let value = record.value.as_ref().unwrap();
            assert!(range.contains(&(value.as_ptr() as usize)), "zero-copy");
        }
    }
}
