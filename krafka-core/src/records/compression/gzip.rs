//! gzip, through flate2's pure-Rust backend.

use flate2::bufread::MultiGzDecoder;
use flate2::{Compress, Crc, FlushCompress, Status};

use super::{Codec, CompressedInput, Compression, DecodedStream};
use crate::KrafkaError;

/// gzip codec. Levels 1-9 (Kafka's `compression.gzip.level`); the default is 6.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gzip;

impl Gzip {
    const DEFAULT_LEVEL: u32 = 6;
}

impl Codec for Gzip {
    fn compression(&self) -> Compression {
        Compression::Gzip
    }

    fn compress(
        &self,
        input: &[u8],
        level: Option<i32>,
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        GzipContext::new(level)?.compress(input, output)
    }

    fn decoder<'a>(
        &self,
        input: CompressedInput<'a>,
        _limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError> {
        // Java's GZIPInputStream reads concatenated members, so do we.
        Ok(Box::new(MultiGzDecoder::new(input)))
    }
}

/// The gzip member header: magic, DEFLATE, no flags, no modification time,
/// no extra flags, unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// A DEFLATE compressor kept from batch to batch at one level (its window
/// and hash tables are allocated once); each batch is one gzip member around
/// a raw DEFLATE stream.
pub(super) struct GzipContext {
    deflate: Compress,
    level: u32,
}

impl GzipContext {
    pub(super) fn new(level: Option<i32>) -> Result<Self, KrafkaError> {
        let level = Self::check_level(level)?;
        Ok(GzipContext {
            deflate: Compress::new(flate2::Compression::new(level), false),
            level,
        })
    }

    fn check_level(level: Option<i32>) -> Result<u32, KrafkaError> {
        match level {
            None | Some(-1) => Ok(Gzip::DEFAULT_LEVEL),
            Some(level @ 1..=9) => Ok(level.unsigned_abs()),
            Some(other) => Err(KrafkaError::compression(format!(
                "gzip level {other} is outside 1-9"
            ))),
        }
    }

    /// Whether this context compresses at `level` (`None`: the default).
    pub(super) fn has_level(&self, level: Option<i32>) -> bool {
        Self::check_level(level).is_ok_and(|level| level == self.level)
    }

    /// Appends one gzip member holding `input` to `output`.
    pub(super) fn compress(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        self.deflate.reset();
        output.extend_from_slice(&HEADER);
        // Stored blocks cost 5 bytes per 64 KiB at worst; incompressible
        // input is the only way to need more than a first guess.
        output.reserve(input.len() / 2 + 64);
        let start = self.deflate.total_in();
        loop {
            let consumed = usize::try_from(self.deflate.total_in() - start)
                .map_err(|_| KrafkaError::compression("gzip: input position overflow"))?;
            let rest = input.get(consumed..).unwrap_or_default();
            let status = self
                .deflate
                .compress_vec(rest, output, FlushCompress::Finish)
                .map_err(|e| KrafkaError::compression(format!("gzip compression failed: {e}")))?;
            if status == Status::StreamEnd {
                break;
            }
            output.reserve(rest.len() / 2 + 1024);
        }
        let mut crc = Crc::new();
        crc.update(input);
        output.extend_from_slice(&crc.sum().to_le_bytes());
        // ISIZE: the input length modulo 2^32.
        output.extend_from_slice(&(input.len() as u32).to_le_bytes());
        Ok(())
    }
}

impl std::fmt::Debug for GzipContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GzipContext")
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}
