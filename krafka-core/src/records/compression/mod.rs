//! Batch compression: one small [`Codec`] trait, one file per codec.
//!
//! A compressed batch compresses its whole records section as one block; the
//! header stays uncompressed. Every codec decompresses as a stream
//! ([`Codec::decoder`]), read through a [`Decompressor`] that enforces the
//! cap (128 MiB by default) as it goes, so a small malicious payload cannot
//! make us allocate without bound, and a reader can take the output a piece
//! at a time instead of all at once.
//!
//! Each codec is a cargo feature of the same name (all on by default); a
//! codec that is compiled out is still known by its code and name, and
//! using it is a [`KrafkaError::CodecDisabled`].

mod compressor;
#[cfg(feature = "gzip")]
mod gzip;
#[cfg(feature = "lz4")]
mod lz4;
#[cfg(feature = "snappy")]
mod snappy;
#[cfg(feature = "zstd")]
mod zstd;

use std::io::{BufRead, Read};

pub use compressor::Compressor;
#[cfg(feature = "gzip")]
pub use gzip::Gzip;
#[cfg(feature = "lz4")]
pub use lz4::Lz4;
#[cfg(feature = "snappy")]
pub use snappy::Snappy;
#[cfg(feature = "zstd")]
pub use zstd::Zstd;

use crate::KrafkaError;

/// Default cap on the decompressed size of one batch's records: 128 MiB.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: usize = 128 * 1024 * 1024;

/// A batch compression codec, as encoded in attribute bits 0-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    /// Records are stored as they are.
    #[default]
    None,
    /// gzip (DEFLATE with gzip framing).
    Gzip,
    /// Snappy, in the xerial framing the Java client writes.
    Snappy,
    /// LZ4 frame format, independent 64 KiB blocks, no checksums.
    Lz4,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// The attribute code (0-4).
    pub fn code(self) -> u8 {
        match self {
            Compression::None => 0,
            Compression::Gzip => 1,
            Compression::Snappy => 2,
            Compression::Lz4 => 3,
            Compression::Zstd => 4,
        }
    }

    /// The codec for an attribute code; codes 5-7 are not defined by Kafka.
    pub fn from_code(code: u8) -> Result<Self, KrafkaError> {
        match code {
            0 => Ok(Compression::None),
            1 => Ok(Compression::Gzip),
            2 => Ok(Compression::Snappy),
            3 => Ok(Compression::Lz4),
            4 => Ok(Compression::Zstd),
            other => Err(KrafkaError::compression(format!(
                "unknown compression code {other} in batch attributes"
            ))),
        }
    }

    /// Kafka's name for the codec (`compression.type`).
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Snappy => "snappy",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        }
    }

    /// The codec implementation, `None` for [`Compression::None`]. A codec
    /// whose feature is off is a stand-in that fails every call with
    /// [`KrafkaError::CodecDisabled`].
    pub fn codec(self) -> Option<&'static dyn Codec> {
        match self {
            Compression::None => None,
            #[cfg(feature = "gzip")]
            Compression::Gzip => Some(&Gzip),
            #[cfg(not(feature = "gzip"))]
            Compression::Gzip => Some(&Disabled(Compression::Gzip)),
            #[cfg(feature = "snappy")]
            Compression::Snappy => Some(&Snappy),
            #[cfg(not(feature = "snappy"))]
            Compression::Snappy => Some(&Disabled(Compression::Snappy)),
            #[cfg(feature = "lz4")]
            Compression::Lz4 => Some(&Lz4),
            #[cfg(not(feature = "lz4"))]
            Compression::Lz4 => Some(&Disabled(Compression::Lz4)),
            #[cfg(feature = "zstd")]
            Compression::Zstd => Some(&Zstd),
            #[cfg(not(feature = "zstd"))]
            Compression::Zstd => Some(&Disabled(Compression::Zstd)),
        }
    }

    /// Whether this build can compress and decompress with the codec: its
    /// cargo feature (named as the codec) is on. Always true for
    /// [`Compression::None`].
    pub fn is_available(self) -> bool {
        match self {
            Compression::None => true,
            Compression::Gzip => cfg!(feature = "gzip"),
            Compression::Snappy => cfg!(feature = "snappy"),
            Compression::Lz4 => cfg!(feature = "lz4"),
            Compression::Zstd => cfg!(feature = "zstd"),
        }
    }

    /// [`KrafkaError::CodecDisabled`] when the codec is compiled out, so a
    /// setting that names it can be refused before any batch is built.
    pub fn check_available(self) -> Result<(), KrafkaError> {
        if self.is_available() {
            Ok(())
        } else {
            Err(KrafkaError::CodecDisabled { codec: self })
        }
    }
}

/// The stand-in for a codec whose feature is off.
#[cfg(not(all(
    feature = "gzip",
    feature = "snappy",
    feature = "lz4",
    feature = "zstd"
)))]
#[derive(Debug, Clone, Copy)]
struct Disabled(Compression);

#[cfg(not(all(
    feature = "gzip",
    feature = "snappy",
    feature = "lz4",
    feature = "zstd"
)))]
impl Codec for Disabled {
    fn compression(&self) -> Compression {
        self.0
    }

    fn compress(
        &self,
        _input: &[u8],
        _level: Option<i32>,
        _output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        Err(KrafkaError::CodecDisabled { codec: self.0 })
    }

    fn decoder<'a>(
        &self,
        _input: CompressedInput<'a>,
        _limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError> {
        Err(KrafkaError::CodecDisabled { codec: self.0 })
    }
}

impl std::fmt::Display for Compression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Compression {
    type Err = KrafkaError;

    /// Parses Kafka's `compression.type` names.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "none" => Ok(Compression::None),
            "gzip" => Ok(Compression::Gzip),
            "snappy" => Ok(Compression::Snappy),
            "lz4" => Ok(Compression::Lz4),
            "zstd" => Ok(Compression::Zstd),
            other => Err(KrafkaError::compression(format!(
                "unknown compression type {other:?}"
            ))),
        }
    }
}

/// A compressed stream: what a [`Codec`] decodes from.
pub type CompressedInput<'a> = Box<dyn BufRead + Send + 'a>;

/// A decompressing stream over a [`CompressedInput`].
pub type DecodedStream<'a> = Box<dyn Read + Send + 'a>;

/// One compression codec.
pub trait Codec: Send + Sync {
    /// Which attribute code this codec writes.
    fn compression(&self) -> Compression;

    /// Appends the compressed form of `input` to `output`. `level` is the
    /// codec's own level scale (gzip 1-9, zstd -131072-22), `None` for its default.
    fn compress(
        &self,
        input: &[u8],
        level: Option<i32>,
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError>;

    /// A stream of the decompressed bytes of `input`. `limit` is the cap
    /// on the whole output, for codecs that size a buffer from what the
    /// input declares; [`Decompressor`] enforces it on what is read.
    fn decoder<'a>(
        &self,
        input: CompressedInput<'a>,
        limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError>;

    /// Decompresses `input` whole, failing once the output would exceed
    /// `limit` bytes.
    fn decompress(&self, input: &[u8], limit: usize) -> Result<Vec<u8>, KrafkaError> {
        let mut stream = Decompressor::with_decoder(
            self.decoder(Box::new(input), limit)?,
            self.compression(),
            limit,
        );
        // The buffer grows by doubling, each step reserved exactly, so
        // memory stays within the cap (no over-allocation past `limit + 1`,
        // the `+ 1` telling an oversized stream from one of exactly `limit`
        // bytes).
        const MIN_STEP: usize = 16 * 1024;
        let mut out = Vec::new();
        let mut step = input.len().saturating_mul(4).max(MIN_STEP);
        loop {
            let want = step.min(limit.saturating_add(1).saturating_sub(out.len()).max(1));
            if stream.read_into(&mut out, want)? < want {
                return Ok(out);
            }
            step = out.len();
        }
    }
}

/// A codec's decompressed output, read a piece at a time, never more than
/// the cap in all: the one way batches are decompressed.
pub struct Decompressor<'a> {
    stream: DecodedStream<'a>,
    codec: Compression,
    /// Bytes read so far.
    produced: usize,
    limit: usize,
    finished: bool,
}

impl std::fmt::Debug for Decompressor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decompressor")
            .field("codec", &self.codec)
            .field("produced", &self.produced)
            .field("limit", &self.limit)
            .field("finished", &self.finished)
            .finish()
    }
}

impl<'a> Decompressor<'a> {
    /// Decompresses `input` with `codec` ([`Compression::None`] passes it
    /// through), failing once more than `limit` bytes come out.
    pub fn new(
        codec: Compression,
        input: CompressedInput<'a>,
        limit: usize,
    ) -> Result<Self, KrafkaError> {
        let stream: DecodedStream<'a> = match codec.codec() {
            Some(implementation) => implementation.decoder(input, limit)?,
            None => Box::new(input),
        };
        Ok(Self::with_decoder(stream, codec, limit))
    }

    fn with_decoder(stream: DecodedStream<'a>, codec: Compression, limit: usize) -> Self {
        Decompressor {
            stream,
            codec,
            produced: 0,
            limit,
            finished: false,
        }
    }

    /// Appends up to `want` decompressed bytes to `out` (reserving exactly
    /// what it lacks for them) and returns how many came: fewer only at the
    /// end of the stream. Output past the cap is an error.
    pub fn read_into(&mut self, out: &mut Vec<u8>, want: usize) -> Result<usize, KrafkaError> {
        if self.finished || want == 0 {
            return Ok(0);
        }
        // One byte past the cap is enough to know it is exceeded.
        let allowed = self
            .limit
            .saturating_sub(self.produced)
            .saturating_add(1)
            .min(want);
        out.reserve_exact(allowed);
        let read = (&mut self.stream)
            .take(u64::try_from(allowed).unwrap_or(u64::MAX))
            .read_to_end(out)
            .map_err(|e| {
                self.finished = true;
                KrafkaError::compression(format!("{} decompression failed: {e}", self.codec))
            })?;
        self.produced = self.produced.saturating_add(read);
        if let Err(error) = check_limit(self.produced, self.limit, self.codec) {
            self.finished = true;
            return Err(error);
        }
        if read < allowed {
            self.finished = true;
        }
        Ok(read)
    }

    /// Whether the stream ended (or failed): nothing more will come.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Decompressed bytes read so far.
    pub fn produced(&self) -> usize {
        self.produced
    }

    /// Bytes that may still come before the cap.
    pub(crate) fn allowed(&self) -> usize {
        self.limit.saturating_sub(self.produced)
    }

    /// The cap's error if `more` bytes beyond what was read would pass it.
    pub(crate) fn check_room(&self, more: usize) -> Result<(), KrafkaError> {
        check_limit(self.produced.saturating_add(more), self.limit, self.codec)
    }
}

/// The error for decompressed data larger than its cap.
pub(crate) fn check_limit(len: usize, limit: usize, codec: Compression) -> Result<(), KrafkaError> {
    if len > limit {
        return Err(KrafkaError::compression(format!(
            "{codec} data decompresses to more than the {limit}-byte limit"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Compression; 4] = [
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ];

    /// The codecs this build compiles in.
    fn compiled() -> impl Iterator<Item = Compression> {
        ALL.into_iter().filter(|c| c.is_available())
    }

    fn codec(compression: Compression) -> &'static dyn Codec {
        compression.codec().unwrap()
    }

    #[test]
    fn codes_and_names() {
        for compression in [Compression::None].into_iter().chain(ALL) {
            assert_eq!(
                Compression::from_code(compression.code()).ok(),
                Some(compression)
            );
            assert_eq!(
                compression.name().parse::<Compression>().ok(),
                Some(compression)
            );
            if let Some(codec) = compression.codec() {
                assert_eq!(codec.compression(), compression);
            }
        }
        assert!("brotli".parse::<Compression>().is_err());
    }

    #[test]
    fn round_trip_each_codec() {
        let input: Vec<u8> = (0..300_000u32)
            .map(|i| (i % 251) as u8 ^ (i / 1000) as u8)
            .collect();
        for compression in compiled() {
            let mut compressed = Vec::new();
            codec(compression)
                .compress(&input, None, &mut compressed)
                .unwrap();
            assert!(
                compressed.len() < input.len(),
                "{compression} did not compress"
            );
            let output = codec(compression)
                .decompress(&compressed, DEFAULT_MAX_DECOMPRESSED_BYTES)
                .unwrap();
            assert_eq!(output, input, "{compression}");
            // Exactly at the limit is fine, one byte under is not.
            assert_eq!(
                codec(compression)
                    .decompress(&compressed, input.len())
                    .unwrap()
                    .len(),
                input.len()
            );
            assert!(matches!(
                codec(compression).decompress(&compressed, input.len() - 1),
                Err(KrafkaError::Compression(_))
            ));
        }
    }

    #[test]
    fn empty_input_round_trips() {
        for compression in compiled() {
            let mut compressed = Vec::new();
            codec(compression)
                .compress(&[], None, &mut compressed)
                .unwrap();
            let output = codec(compression).decompress(&compressed, 0).unwrap();
            assert!(output.is_empty(), "{compression}");
        }
    }

    #[test]
    fn levels() {
        let input = vec![7u8; 100_000];
        for (compression, level) in [
            (Compression::Gzip, 1),
            (Compression::Gzip, 9),
            (Compression::Zstd, -5),
            (Compression::Zstd, 19),
            (Compression::Lz4, 9),
            (Compression::Snappy, 0),
        ] {
            if !compression.is_available() {
                continue;
            }
            let mut compressed = Vec::new();
            codec(compression)
                .compress(&input, Some(level), &mut compressed)
                .unwrap();
            let output = codec(compression)
                .decompress(&compressed, input.len())
                .unwrap();
            assert_eq!(output, input);
        }
        #[cfg(feature = "gzip")]
        assert!(Gzip.compress(&input, Some(10), &mut Vec::new()).is_err());
        #[cfg(feature = "zstd")]
        assert!(Zstd.compress(&input, Some(23), &mut Vec::new()).is_err());
    }

    /// A codec compiled out fails both ways with an error that names the
    /// feature to turn on; the ones compiled in are exactly the features.
    #[test]
    fn a_codec_compiled_out_names_its_feature() {
        assert_eq!(Compression::Gzip.is_available(), cfg!(feature = "gzip"));
        assert_eq!(Compression::Snappy.is_available(), cfg!(feature = "snappy"));
        assert_eq!(Compression::Lz4.is_available(), cfg!(feature = "lz4"));
        assert_eq!(Compression::Zstd.is_available(), cfg!(feature = "zstd"));
        assert!(Compression::None.check_available().is_ok());
        for compression in ALL.into_iter().filter(|c| !c.is_available()) {
            let mut out = Vec::new();
            let encode = codec(compression).compress(b"records", None, &mut out);
            let decode = codec(compression).decompress(b"records", 1024);
            let checked = compression.check_available();
            for error in [encode.err(), decode.err(), checked.err()] {
                let error = error.unwrap();
                assert!(
                    matches!(error, KrafkaError::CodecDisabled { codec } if codec == compression),
                    "{error:?}"
                );
                let feature = format!("`{}` feature", compression.name());
                assert!(error.to_string().contains(&feature), "{error}");
            }
            assert!(out.is_empty());
            assert!(Decompressor::new(compression, Box::new(&b"x"[..]), 1024).is_err());
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let inputs: [&[u8]; 5] = [
            b"",
            b"\x00",
            b"not compressed at all, just text",
            &[0xff; 64],
            b"\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01\x7f\xff\xff\xff",
        ];
        for compression in compiled() {
            for input in inputs {
                // Either error or (for formats that accept the empty stream) empty output.
                if let Ok(output) = codec(compression).decompress(input, 1 << 20) {
                    assert!(output.len() <= 1 << 20);
                }
            }
        }
    }

    /// Compression bombs: 200 MiB of zeros must not decompress past the cap.
    /// The default cap is exercised on the smaller codecs' streams; a small
    /// configured cap keeps the test fast and shows the stop is early.
    #[test]
    fn bombs_stop_at_the_cap() {
        const BOMB: usize = 200 * 1024 * 1024;
        let zeros = vec![0u8; BOMB];
        for compression in compiled() {
            let mut bomb = Vec::new();
            codec(compression)
                .compress(&zeros, None, &mut bomb)
                .unwrap();
            // Snappy tops out near 21:1.
            assert!(
                bomb.len() < BOMB / 20,
                "{compression}: {} bytes",
                bomb.len()
            );

            let small = codec(compression).decompress(&bomb, 1024 * 1024);
            assert!(
                matches!(small, Err(KrafkaError::Compression(_))),
                "{compression}: small cap"
            );

            let default = codec(compression).decompress(&bomb, DEFAULT_MAX_DECOMPRESSED_BYTES);
            assert!(
                matches!(default, Err(KrafkaError::Compression(_))),
                "{compression}: default cap"
            );
        }
    }
}
