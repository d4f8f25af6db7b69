//! Zstandard, through the zstd crate (libzstd).

use zstd::zstd_safe::{self, CCtx, CParameter, InBuffer, OutBuffer, ResetDirective};

use super::{Codec, CompressedInput, Compression, DecodedStream};
use crate::KrafkaError;

/// Zstandard codec. Levels -131072 to 22 (Kafka's `compression.zstd.level`);
/// the default is 3.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zstd;

impl Zstd {
    const DEFAULT_LEVEL: i32 = 3;
    /// Largest window a frame may ask for (128 MiB), so a crafted frame
    /// cannot make the decoder allocate more than the output cap.
    const MAX_WINDOW_LOG: u32 = 27;
}

impl Codec for Zstd {
    fn compression(&self) -> Compression {
        Compression::Zstd
    }

    fn compress(
        &self,
        input: &[u8],
        level: Option<i32>,
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        ZstdContext::new(level)?.compress(input, output)
    }

    fn decoder<'a>(
        &self,
        input: CompressedInput<'a>,
        _limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError> {
        let mut decoder = zstd::stream::read::Decoder::with_buffer(input)
            .map_err(|e| KrafkaError::compression(format!("zstd decoder: {e}")))?;
        decoder
            .window_log_max(Self::MAX_WINDOW_LOG)
            .map_err(|e| KrafkaError::compression(format!("zstd decoder: {e}")))?;
        Ok(Box::new(decoder))
    }
}

/// A compression context kept from batch to batch at one level: libzstd
/// allocates its tables once instead of for every batch.
pub(super) struct ZstdContext {
    cctx: CCtx<'static>,
    level: i32,
}

impl ZstdContext {
    pub(super) fn new(level: Option<i32>) -> Result<Self, KrafkaError> {
        let level = Self::check_level(level)?;
        let mut cctx = CCtx::try_create()
            .ok_or_else(|| KrafkaError::compression("zstd: cannot allocate a context"))?;
        cctx.set_parameter(CParameter::CompressionLevel(level))
            .map_err(|code| zstd_error("level", code))?;
        Ok(ZstdContext { cctx, level })
    }

    fn check_level(level: Option<i32>) -> Result<i32, KrafkaError> {
        let level = level.unwrap_or(Zstd::DEFAULT_LEVEL);
        if !zstd::compression_level_range().contains(&level) {
            return Err(KrafkaError::compression(format!(
                "zstd level {level} is outside {:?}",
                zstd::compression_level_range()
            )));
        }
        Ok(level)
    }

    /// Whether this context compresses at `level` (`None`: the default).
    pub(super) fn has_level(&self, level: Option<i32>) -> bool {
        self.level == level.unwrap_or(Zstd::DEFAULT_LEVEL)
    }

    /// Appends one frame holding `input` to `output`.
    pub(super) fn compress(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        // A frame an earlier failure left half-written is abandoned; the
        // level stays. The size, known up front, lets libzstd shrink its
        // tables to the batch and write the frame in a single pass.
        self.cctx
            .reset(ResetDirective::SessionOnly)
            .map_err(|code| zstd_error("reset", code))?;
        self.cctx
            .set_pledged_src_size(u64::try_from(input.len()).ok())
            .map_err(|code| zstd_error("size", code))?;
        let mut source = InBuffer::around(input);
        let mut bound = zstd_safe::compress_bound(input.len());
        loop {
            output.reserve(bound);
            let start = output.len();
            let mut sink = OutBuffer::around_pos(output, start);
            let left = self
                .cctx
                .compress_stream2(
                    &mut sink,
                    &mut source,
                    zstd_safe::zstd_sys::ZSTD_EndDirective::ZSTD_e_end,
                )
                .map_err(|code| zstd_error("compression", code))?;
            if left == 0 {
                return Ok(());
            }
            bound = left;
        }
    }
}

impl std::fmt::Debug for ZstdContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZstdContext")
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

fn zstd_error(step: &str, code: zstd_safe::ErrorCode) -> KrafkaError {
    KrafkaError::compression(format!(
        "zstd {step} failed: {}",
        zstd_safe::get_error_name(code)
    ))
}
