//! Record batch encode and decode: Krafka next to the `kafka-protocol` crate.
//!
//! One batch of 1,000 records with 100-byte values (no key, no headers),
//! uncompressed and with each codec. Throughput is counted in record payload
//! bytes (100,000 per batch), the same for both crates, so MB/s compare
//! directly. Both crates decode the same input bytes. `decode/krafka` and
//! `decode/kafka-protocol` materialise every record with its key, value and
//! headers as owned, zero-copy `Bytes` in a `Vec` (kafka-protocol's only
//! form); `decode/krafka-views` reads the same records as borrowed views.
//!
//! Run with `cargo bench -p krafka-core --bench records`.

// A benchmark may stop at the first failure.
#![allow(clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kafka_protocol::records as kp;
use krafka_core::records::{
    Compression, DEFAULT_MAX_DECOMPRESSED_BYTES, NextBatch, RawBatch, Record, RecordBatchBuilder,
    RecordBatchReader,
};

const RECORDS: usize = 1_000;
const VALUE_LEN: usize = 100;
const TIMESTAMP: i64 = 1_700_000_000_000;

const CODECS: [Compression; 5] = [
    Compression::None,
    Compression::Gzip,
    Compression::Snappy,
    Compression::Lz4,
    Compression::Zstd,
];

/// Values that compress moderately, like text: words from a small
/// vocabulary picked by a fixed pseudo-random sequence.
fn values() -> Vec<Vec<u8>> {
    const WORDS: [&str; 16] = [
        "kafka ",
        "record ",
        "batch ",
        "offset ",
        "topic ",
        "partition ",
        "leader ",
        "epoch ",
        "value ",
        "key ",
        "header ",
        "fetch ",
        "produce ",
        "zstd ",
        "lz4 ",
        "crc ",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    (0..RECORDS)
        .map(|_| {
            let mut value = Vec::with_capacity(VALUE_LEN + 16);
            while value.len() < VALUE_LEN {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                value.extend_from_slice(WORDS[(state >> 60) as usize].as_bytes());
            }
            value.truncate(VALUE_LEN);
            value
        })
        .collect()
}

/// Room for the encoded batch, as a producer sizes its buffer from
/// `batch.size`. (kafka-protocol's encoder measured slightly faster with an
/// empty `BytesMut` than with a pre-sized one, so it gets the empty one.)
const BUFFER_CAPACITY: usize = RECORDS * (VALUE_LEN + 16) + 128;

fn krafka_encode(values: &[Vec<u8>], compression: Compression) -> Bytes {
    let mut builder = RecordBatchBuilder::with_capacity(BUFFER_CAPACITY)
        .compression(compression)
        .timestamp(TIMESTAMP);
    for value in values {
        if let Err(error) = builder.push_record(None, None, Some(value), &[]) {
            panic!("encode: {error}");
        }
    }
    match builder.build() {
        Ok(batch) => batch,
        Err(error) => panic!("build: {error}"),
    }
}

/// Every record of every batch as owned, zero-copy `Record`s, collected
/// like kafka-protocol's decoder does.
fn krafka_decode(input: &Bytes) -> Vec<Vec<Record>> {
    RecordBatchReader::new(input.clone())
        .map(
            |batch| match batch.and_then(|batch| batch.collect_records()) {
                Ok(records) => records,
                Err(error) => panic!("decode: {error}"),
            },
        )
        .collect()
}

/// Every record of every batch as borrowed views, consumed on the spot:
/// the fastest path, with no reference counting.
fn krafka_decode_views(input: &Bytes) -> usize {
    let mut payload = 0;
    for batch in RecordBatchReader::new(input.clone()) {
        let batch = match batch {
            Ok(batch) => batch,
            Err(error) => panic!("decode: {error}"),
        };
        for record in batch.record_views() {
            match record {
                Ok(record) => payload += black_box(record).value.map_or(0, <[u8]>::len),
                Err(error) => panic!("decode: {error}"),
            }
        }
    }
    payload
}

/// The one batch of `input`, checked but not decompressed.
fn raw_batch(input: &Bytes) -> RawBatch {
    match RawBatch::read_next(&mut input.clone(), false) {
        Ok(NextBatch::Batch(batch)) => batch,
        other => panic!("not a batch: {other:?}"),
    }
}

/// The records of `batch` one at a time, as the consumer hands them out,
/// the batch decompressed whole first.
fn consume_whole(batch: &RawBatch) -> usize {
    let whole = match batch.clone().decompress(DEFAULT_MAX_DECOMPRESSED_BYTES) {
        Ok(whole) => whole,
        Err(error) => panic!("decompress: {error}"),
    };
    let mut payload = 0;
    for record in whole.records() {
        match record {
            Ok(record) => payload += black_box(record).value.map_or(0, |v| v.len()),
            Err(error) => panic!("decode: {error}"),
        }
    }
    payload
}

/// The same, the batch decompressed a chunk at a time as the consumer
/// does now.
fn consume_streamed(batch: &RawBatch) -> usize {
    let records = match batch.stream_records(DEFAULT_MAX_DECOMPRESSED_BYTES) {
        Ok(records) => records,
        Err(error) => panic!("stream: {error}"),
    };
    let mut payload = 0;
    for record in records {
        match record {
            Ok(record) => payload += black_box(record).value.map_or(0, |v| v.len()),
            Err(error) => panic!("decode: {error}"),
        }
    }
    payload
}

fn kp_compression(compression: Compression) -> kp::Compression {
    match compression {
        Compression::None => kp::Compression::None,
        Compression::Gzip => kp::Compression::Gzip,
        Compression::Snappy => kp::Compression::Snappy,
        Compression::Lz4 => kp::Compression::Lz4,
        Compression::Zstd => kp::Compression::Zstd,
    }
}

/// kafka-protocol's encoder takes ready-made records; building them is left
/// out of its timing.
fn kp_records(values: &[Vec<u8>]) -> Vec<kp::Record> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| kp::Record {
            transactional: false,
            control: false,
            delete_horizon: false,
            partition_leader_epoch: -1,
            producer_id: -1,
            producer_epoch: -1,
            timestamp_type: kp::TimestampType::Creation,
            offset: i as i64,
            sequence: -1,
            timestamp: TIMESTAMP,
            key: None,
            value: Some(Bytes::copy_from_slice(value)),
            headers: Default::default(),
        })
        .collect()
}

fn kp_encode(records: &[kp::Record], compression: Compression) -> BytesMut {
    let mut buf = BytesMut::new();
    let options = kp::RecordEncodeOptions {
        version: 2,
        compression: kp_compression(compression),
    };
    if let Err(error) = kp::RecordBatchEncoder::encode(&mut buf, records, &options) {
        panic!("kafka-protocol encode: {error}");
    }
    buf
}

fn kp_decode(input: &Bytes) -> kp::RecordSet {
    let mut input = input.clone();
    match kp::RecordBatchDecoder::decode(&mut input) {
        Ok(set) => set,
        Err(error) => panic!("kafka-protocol decode: {error}"),
    }
}

fn bench(c: &mut Criterion) {
    let values = values();
    let payload = (RECORDS * VALUE_LEN) as u64;
    let kp_input = kp_records(&values);

    let mut encode = c.benchmark_group("encode");
    encode.throughput(Throughput::Bytes(payload));
    for compression in CODECS {
        encode.bench_function(BenchmarkId::new("krafka", compression), |b| {
            b.iter(|| krafka_encode(black_box(&values), compression))
        });
        encode.bench_function(BenchmarkId::new("kafka-protocol", compression), |b| {
            b.iter(|| kp_encode(black_box(&kp_input), compression))
        });
    }
    encode.finish();

    let mut decode = c.benchmark_group("decode");
    decode.throughput(Throughput::Bytes(payload));
    for compression in CODECS {
        // Both crates read the same bytes; check both understand them first.
        let input = krafka_encode(&values, compression);
        assert_eq!(krafka_decode(&input)[0].len(), RECORDS);
        assert_eq!(kp_decode(&input).records.len(), RECORDS);
        decode.bench_function(BenchmarkId::new("krafka", compression), |b| {
            b.iter(|| krafka_decode(black_box(&input)))
        });
        decode.bench_function(BenchmarkId::new("krafka-views", compression), |b| {
            b.iter(|| krafka_decode_views(black_box(&input)))
        });
        decode.bench_function(BenchmarkId::new("kafka-protocol", compression), |b| {
            b.iter(|| kp_decode(black_box(&input)))
        });
    }
    decode.finish();

    // A consumer's batches: 100 KB and 1 MB of records, decompressed whole
    // or a chunk at a time.
    let mut consume = c.benchmark_group("consume");
    for copies in [1, 10] {
        let values: Vec<Vec<u8>> = (0..copies).flat_map(|_| values.clone()).collect();
        consume.throughput(Throughput::Bytes(payload * copies as u64));
        for compression in CODECS {
            let batch = raw_batch(&krafka_encode(&values, compression));
            let size = format!("{compression}/{}KB", payload as usize * copies / 1000);
            assert_eq!(consume_whole(&batch), consume_streamed(&batch));
            consume.bench_function(BenchmarkId::new("whole", &size), |b| {
                b.iter(|| consume_whole(black_box(&batch)))
            });
            consume.bench_function(BenchmarkId::new("streamed", &size), |b| {
                b.iter(|| consume_streamed(black_box(&batch)))
            });
        }
    }
    consume.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the machine has two shared cores; criterion's confidence
    // intervals show the noise.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
