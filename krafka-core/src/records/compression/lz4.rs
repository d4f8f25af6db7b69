//! LZ4 frame format, through lz4_flex (safe Rust).
//!
//! Kafka (since KIP-57, for magic 1 and later) uses the standard LZ4 frame
//! format. Its Java writer emits independent 64 KiB blocks with no block or
//! content checksum and no content size, and its reader rejects linked
//! blocks, so that is exactly what we write. On read we accept any frame
//! lz4_flex understands (checksums are verified when present).

use std::io::Write;

use lz4_flex::frame::{BlockMode, BlockSize, FrameDecoder, FrameEncoder, FrameInfo};

use super::{Codec, CompressedInput, Compression, DecodedStream};
use crate::KrafkaError;

/// LZ4 codec. Kafka's `compression.lz4.level` (1-17) selects LZ4 HC levels in
/// the Java client; lz4_flex has a single fast level, so the level is only
/// validated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lz4;

impl Codec for Lz4 {
    fn compression(&self) -> Compression {
        Compression::Lz4
    }

    fn compress(
        &self,
        input: &[u8],
        level: Option<i32>,
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        if let Some(level) = level {
            if !(1..=17).contains(&level) {
                return Err(KrafkaError::compression(format!(
                    "lz4 level {level} is outside 1-17"
                )));
            }
        }
        let frame = FrameInfo::new()
            .block_size(BlockSize::Max64KB)
            .block_mode(BlockMode::Independent)
            .block_checksums(false)
            .content_checksum(false)
            .content_size(None);
        let mut encoder = FrameEncoder::with_frame_info(frame, output);
        encoder
            .write_all(input)
            .map_err(|e| KrafkaError::compression(format!("lz4 compression failed: {e}")))?;
        encoder
            .finish()
            .map(|_| ())
            .map_err(|e| KrafkaError::compression(format!("lz4 compression failed: {e}")))
    }

    fn decoder<'a>(
        &self,
        input: CompressedInput<'a>,
        _limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError> {
        Ok(Box::new(FrameDecoder::new(input)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The frame descriptor Kafka's Java writer emits: version 01, block
    /// independence, nothing else (FLG 0x60), 64 KiB blocks (BD 0x40).
    #[test]
    fn writes_kafkas_frame_descriptor() {
        let mut out = Vec::new();
        Lz4.compress(b"hello hello hello hello", None, &mut out)
            .unwrap();
        assert_eq!(&out[..4], &[0x04, 0x22, 0x4d, 0x18], "magic, little-endian");
        assert_eq!(out[4], 0x60, "FLG");
        assert_eq!(out[5], 0x40, "BD");
        // Ends with the end mark and no content checksum.
        assert_eq!(&out[out.len() - 4..], &[0, 0, 0, 0]);
    }
}
