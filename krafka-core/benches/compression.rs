//! Per-batch compression with fresh state for each batch (what
//! `Codec::compress` and `RecordBatchBuilder::build` do) next to a kept
//! `Compressor` (what the producer does), for each codec at 16 KiB (the
//! default `batch.size`) and 1 MiB, at each codec's default level. `stream`
//! is each crate's streaming writer with fresh state (gzip `GzEncoder`, lz4
//! `FrameEncoder`, zstd `copy_encode` with no size given), for reference.
//!
//! Two inputs: `text`, words from a small vocabulary in a fixed
//! pseudo-random order (compresses about as well as typical JSON values),
//! and `repeated`, one 100-byte record over and over (what `krafka perf
//! produce` sends, where setting a codec up weighs most). Throughput is in
//! uncompressed bytes.
//!
//! Run with `cargo bench -p krafka-core --bench compression`.

// A benchmark may stop at the first failure.
#![allow(clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use krafka_core::records::{Compression, Compressor};

const CODECS: [Compression; 4] = [
    Compression::Gzip,
    Compression::Snappy,
    Compression::Lz4,
    Compression::Zstd,
];

const SIZES: [(usize, &str); 2] = [(16 * 1024, "16KiB"), (1024 * 1024, "1MiB")];

fn repeated(len: usize) -> Vec<u8> {
    let record: Vec<u8> = (0..100u8).map(|i| b'A' + i % 26).collect();
    record.iter().copied().cycle().take(len).collect()
}

fn text(len: usize) -> Vec<u8> {
    const WORDS: [&[u8]; 12] = [
        b"kafka ",
        b"record ",
        b"batch ",
        b"offset ",
        b"topic ",
        b"partition ",
        b"leader ",
        b"epoch ",
        b"value ",
        b"\"key\": ",
        b"12345, ",
        b"{\"id\": ",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(WORDS[(state % WORDS.len() as u64) as usize]);
    }
    out.truncate(len);
    out
}

/// The crates' streaming writers, set up for one batch.
fn stream(codec: Compression, data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    match codec {
        #[cfg(feature = "gzip")]
        Compression::Gzip => {
            let mut w = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(6));
            w.write_all(data).unwrap_or_else(|e| panic!("{e}"));
            w.finish().unwrap_or_else(|e| panic!("{e}"));
        }
        #[cfg(feature = "lz4")]
        Compression::Lz4 => {
            use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};
            let info = FrameInfo::new()
                .block_size(BlockSize::Max64KB)
                .block_mode(BlockMode::Independent);
            let mut w = FrameEncoder::with_frame_info(info, &mut out);
            w.write_all(data).unwrap_or_else(|e| panic!("{e}"));
            w.finish().unwrap_or_else(|e| panic!("{e}"));
        }
        #[cfg(feature = "zstd")]
        Compression::Zstd => {
            zstd::stream::copy_encode(data, &mut out, 3).unwrap_or_else(|e| panic!("{e}"));
        }
        _ => {}
    }
    out
}

fn compression(c: &mut Criterion) {
    for (size, size_name) in SIZES {
        for (input_name, input) in [
            ("text", text as fn(usize) -> Vec<u8>),
            ("repeated", repeated),
        ] {
            let data = input(size);
            let mut group = c.benchmark_group(format!("compress/{input_name}/{size_name}"));
            group.throughput(Throughput::Bytes(size as u64));
            group.warm_up_time(Duration::from_millis(300));
            group.measurement_time(Duration::from_secs(1));
            group.sample_size(20);
            for codec in CODECS {
                if !codec.is_available() {
                    continue;
                }
                if codec != Compression::Snappy {
                    group.bench_function(BenchmarkId::new("stream", codec.name()), |b| {
                        b.iter(|| stream(codec, black_box(&data)));
                    });
                }
                group.bench_function(BenchmarkId::new("fresh", codec.name()), |b| {
                    b.iter(|| {
                        let mut out = Vec::new();
                        Compressor::new()
                            .compress(codec, None, black_box(&data), &mut out)
                            .unwrap_or_else(|e| panic!("{codec}: {e}"));
                        out
                    });
                });
                let mut kept = Compressor::new();
                let mut out = Vec::new();
                group.bench_function(BenchmarkId::new("reused", codec.name()), |b| {
                    b.iter(|| {
                        out.clear();
                        kept.compress(codec, None, black_box(&data), &mut out)
                            .unwrap_or_else(|e| panic!("{codec}: {e}"));
                        out.len()
                    });
                });
            }
            group.finish();
        }
    }
}

criterion_group!(benches, compression);
criterion_main!(benches);
