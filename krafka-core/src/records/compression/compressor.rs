//! [`Compressor`]: compression state kept from batch to batch.

use super::Compression;
#[cfg(feature = "gzip")]
use super::gzip::GzipContext;
#[cfg(feature = "lz4")]
use super::lz4::Lz4Context;
#[cfg(feature = "zstd")]
use super::zstd::ZstdContext;
use crate::KrafkaError;

/// Compresses batch after batch with state that outlives each one: a zstd
/// context and a DEFLATE compressor at their level, the LZ4 and snappy hash
/// tables, and a scratch buffer for the compressed bytes. Each is created
/// the first time its codec is used, and again only when the level changes.
///
/// [`Codec::compress`](super::Codec::compress) sets all of that up for one
/// call and drops it; a producer sending many batches keeps one
/// `Compressor` per thread of work instead (it is `Send`, not shared).
///
/// ```
/// # use krafka_core::records::{Compression, Compressor};
/// # #[cfg(not(feature = "lz4"))] fn main() {}
/// # #[cfg(feature = "lz4")]
/// # fn main() -> Result<(), krafka_core::KrafkaError> {
/// let mut compressor = Compressor::new();
/// let mut out = Vec::new();
/// for _ in 0..3 {
///     out.clear();
///     compressor.compress(Compression::Lz4, None, b"hello hello hello", &mut out)?;
/// }
/// let back = Compression::Lz4.codec().map(|c| c.decompress(&out, 1024)).transpose()?;
/// assert_eq!(back.as_deref(), Some(&b"hello hello hello"[..]));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Default)]
pub struct Compressor {
    #[cfg(feature = "zstd")]
    zstd: Option<ZstdContext>,
    #[cfg(feature = "gzip")]
    gzip: Option<GzipContext>,
    #[cfg(feature = "lz4")]
    lz4: Option<Lz4Context>,
    #[cfg(feature = "snappy")]
    snappy: Option<snap::raw::Encoder>,
    /// Where a batch's records are compressed before they are copied into
    /// a buffer of exactly their size; its capacity is kept.
    scratch: Vec<u8>,
}

impl Compressor {
    /// A compressor holding no state yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the compressed form of `input` to `output`, as
    /// [`Codec::compress`](super::Codec::compress) does, with this
    /// compressor's state. [`Compression::None`] appends `input` as it is;
    /// a codec compiled out is [`KrafkaError::CodecDisabled`].
    pub fn compress(
        &mut self,
        compression: Compression,
        level: Option<i32>,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        // Each arm names `level` only for the codecs that take one.
        let _ = level;
        match compression {
            Compression::None => {
                output.extend_from_slice(input);
                Ok(())
            }
            #[cfg(feature = "zstd")]
            Compression::Zstd => {
                let context = match &mut self.zstd {
                    Some(context) if context.has_level(level) => context,
                    slot => slot.insert(ZstdContext::new(level)?),
                };
                context.compress(input, output)
            }
            #[cfg(feature = "gzip")]
            Compression::Gzip => {
                let context = match &mut self.gzip {
                    Some(context) if context.has_level(level) => context,
                    slot => slot.insert(GzipContext::new(level)?),
                };
                context.compress(input, output)
            }
            #[cfg(feature = "lz4")]
            Compression::Lz4 => {
                super::lz4::check_level(level)?;
                self.lz4
                    .get_or_insert_with(Lz4Context::default)
                    .compress(input, output)
            }
            #[cfg(feature = "snappy")]
            Compression::Snappy => super::snappy::compress_with(
                self.snappy.get_or_insert_with(snap::raw::Encoder::new),
                input,
                output,
            ),
            #[allow(unreachable_patterns)]
            disabled => Err(KrafkaError::CodecDisabled { codec: disabled }),
        }
    }

    /// `prefix` zero bytes followed by the compressed `input`, in a buffer
    /// of exactly that size: compressing goes through the kept scratch
    /// buffer, so the only allocation is the result.
    pub(crate) fn compress_after(
        &mut self,
        prefix: usize,
        compression: Compression,
        level: Option<i32>,
        input: &[u8],
    ) -> Result<Vec<u8>, KrafkaError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let compressed = self.compress(compression, level, input, &mut scratch);
        let out = compressed.map(|()| {
            let mut out = Vec::with_capacity(prefix + scratch.len());
            out.resize(prefix, 0);
            out.extend_from_slice(&scratch);
            out
        });
        self.scratch = scratch;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{RecordBatch, RecordBatchBuilder};

    /// Bytes that compress somewhat, different for each `seed`.
    fn sample(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                if i % 3 == 0 {
                    (x % 7) as u8
                } else {
                    b"krafka"[i % 6]
                }
            })
            .collect()
    }

    fn levels(compression: Compression) -> Vec<Option<i32>> {
        match compression {
            Compression::Gzip => vec![None, Some(1), Some(9), Some(6)],
            Compression::Zstd => vec![None, Some(1), Some(-5), Some(19), Some(3)],
            Compression::Lz4 => vec![None, Some(1), Some(17)],
            _ => vec![None],
        }
    }

    const CODECS: [Compression; 4] = [
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ];

    /// One compressor, batch after batch of growing and shrinking sizes and
    /// changing levels, codecs interleaved: every output decodes back to its
    /// input, and matches what a fresh compressor writes (a context carries
    /// nothing from one batch into the next).
    #[test]
    fn reused_state_round_trips_like_fresh() {
        let mut reused = Compressor::new();
        let sizes = [
            0,
            1,
            100,
            16 * 1024,
            70_000,
            3,
            1024 * 1024,
            5000,
            65_536,
            200_000,
            17,
        ];
        for (round, &size) in sizes.iter().enumerate() {
            for compression in CODECS {
                if !compression.is_available() {
                    continue;
                }
                let Some(codec) = compression.codec() else {
                    continue;
                };
                for level in levels(compression) {
                    let input = sample(size, round as u32 * 31 + size as u32);
                    let mut out = vec![0xab; 5];
                    reused
                        .compress(compression, level, &input, &mut out)
                        .unwrap();
                    assert_eq!(&out[..5], &[0xab; 5], "{compression}: output appended");
                    let back = codec.decompress(&out[5..], usize::MAX).unwrap();
                    assert_eq!(back, input, "{compression} {level:?} {size}");
                    let mut fresh = Vec::new();
                    Compressor::new()
                        .compress(compression, level, &input, &mut fresh)
                        .unwrap();
                    assert_eq!(out[5..], fresh[..], "{compression} {level:?} {size}");
                }
            }
        }
    }

    /// A bad level fails without spoiling the context for the next batch.
    #[test]
    fn bad_levels_are_refused_and_the_context_recovers() {
        let mut compressor = Compressor::new();
        let input = sample(10_000, 7);
        for (compression, bad) in [
            (Compression::Gzip, 10),
            (Compression::Zstd, 23),
            (Compression::Lz4, 0),
        ] {
            if !compression.is_available() {
                continue;
            }
            let mut out = Vec::new();
            compressor
                .compress(compression, None, &input, &mut out)
                .unwrap();
            assert!(
                compressor
                    .compress(compression, Some(bad), &input, &mut Vec::new())
                    .is_err()
            );
            let mut again = Vec::new();
            compressor
                .compress(compression, None, &input, &mut again)
                .unwrap();
            assert_eq!(out, again, "{compression}");
        }
    }

    /// Batches built with one kept compressor decode to their records.
    #[test]
    fn batches_built_with_a_kept_compressor_decode() {
        let mut compressor = Compressor::new();
        for round in 0..20_usize {
            for compression in CODECS {
                if !compression.is_available() {
                    continue;
                }
                let count = 1 + round * 37 % 500;
                let mut builder = RecordBatchBuilder::new().compression(compression);
                let values: Vec<Vec<u8>> = (0..count)
                    .map(|i| sample(10 + i % 300, (round * 1000 + i) as u32))
                    .collect();
                for value in &values {
                    builder
                        .push_record(Some(7), Some(b"k"), Some(value), &[])
                        .unwrap();
                }
                let batch =
                    RecordBatch::decode(builder.build_with(&mut compressor).unwrap()).unwrap();
                assert_eq!(batch.compression(), compression);
                let records = batch.collect_records().unwrap();
                let back: Vec<&[u8]> = records.iter().filter_map(|r| r.value.as_deref()).collect();
                assert_eq!(back, values.iter().map(Vec::as_slice).collect::<Vec<_>>());
            }
        }
    }

    #[cfg(not(feature = "zstd"))]
    #[test]
    fn a_disabled_codec_is_named() {
        let error = Compressor::new()
            .compress(Compression::Zstd, None, b"x", &mut Vec::new())
            .unwrap_err();
        assert!(matches!(
            error,
            KrafkaError::CodecDisabled {
                codec: Compression::Zstd
            }
        ));
    }
}
