//! Zstandard, through the zstd crate (libzstd).

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
        let level = level.unwrap_or(Self::DEFAULT_LEVEL);
        if !zstd::compression_level_range().contains(&level) {
            return Err(KrafkaError::compression(format!(
                "zstd level {level} is outside {:?}",
                zstd::compression_level_range()
            )));
        }
        zstd::stream::copy_encode(input, output, level)
            .map_err(|e| KrafkaError::compression(format!("zstd compression failed: {e}")))
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
