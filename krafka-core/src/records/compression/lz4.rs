//! LZ4 frame format, through lz4_flex (safe Rust).
//!
//! Kafka (since KIP-57, for magic 1 and later) uses the standard LZ4 frame
//! format. Its Java writer emits independent 64 KiB blocks with no block or
//! content checksum and no content size, and its reader rejects linked
//! blocks, so that is exactly what we write. On read we accept any frame
//! lz4_flex understands (checksums are verified when present).

use lz4_flex::block::{CompressTable, compress_into_with_table, get_maximum_output_size};
use lz4_flex::frame::FrameDecoder;

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
        check_level(level)?;
        Lz4Context::default().compress(input, output)
    }

    fn decoder<'a>(
        &self,
        input: CompressedInput<'a>,
        _limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError> {
        Ok(Box::new(FrameDecoder::new(input)))
    }
}

/// Refuses a level outside Kafka's 1-17 (which lz4_flex, with its one
/// level, does not otherwise use).
pub(super) fn check_level(level: Option<i32>) -> Result<(), KrafkaError> {
    match level {
        Some(level) if !(1..=17).contains(&level) => Err(KrafkaError::compression(format!(
            "lz4 level {level} is outside 1-17"
        ))),
        _ => Ok(()),
    }
}

/// The frame header Kafka's Java writer emits: magic (little-endian), FLG
/// 0x60 (version 01, independent blocks, no checksums, no content size), BD
/// 0x40 (64 KiB blocks), and the header checksum of those two bytes (second
/// byte of their xxHash32).
const FRAME_HEADER: [u8; 7] = [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82];
/// Input bytes per block.
const BLOCK_SIZE: usize = 64 * 1024;
/// A block length's high bit: the block is stored uncompressed.
const UNCOMPRESSED: u32 = 1 << 31;

/// The LZ4 frame writer's state kept from batch to batch: the block
/// compressor's hash table.
#[derive(Default)]
pub(super) struct Lz4Context {
    table: CompressTable,
}

impl Lz4Context {
    /// Appends one frame holding `input` to `output`: independent 64 KiB
    /// blocks, each stored as it is when compressing would not shrink it.
    pub(super) fn compress(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        let blocks = input.len().div_ceil(BLOCK_SIZE);
        output.reserve(FRAME_HEADER.len() + 4 + blocks * (4 + get_maximum_output_size(BLOCK_SIZE)));
        output.extend_from_slice(&FRAME_HEADER);
        for block in input.chunks(BLOCK_SIZE) {
            let start = output.len();
            output.resize(start + 4 + get_maximum_output_size(block.len()), 0);
            let written =
                compress_into_with_table(block, &mut output[start + 4..], &mut self.table)
                    .map_err(|e| {
                        KrafkaError::compression(format!("lz4 compression failed: {e}"))
                    })?;
            // Block lengths are at most 64 KiB plus lz4's bound, far below 2^31.
            let length = if written < block.len() {
                output.truncate(start + 4 + written);
                written
            } else {
                output.truncate(start + 4);
                output.extend_from_slice(block);
                block.len()
            };
            let mut word = u32::try_from(length)
                .map_err(|_| KrafkaError::compression("lz4 block too large"))?;
            if length == block.len() {
                word |= UNCOMPRESSED;
            }
            output[start..start + 4].copy_from_slice(&word.to_le_bytes());
        }
        output.extend_from_slice(&0u32.to_le_bytes());
        Ok(())
    }
}

impl std::fmt::Debug for Lz4Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lz4Context").finish_non_exhaustive()
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

    /// lz4_flex's own frame writer, with the descriptor Kafka uses, agrees
    /// on the header (checksum included) and its reader takes our frames,
    /// compressible or not.
    #[test]
    fn frames_match_lz4_flex() {
        use std::io::{Read, Write};

        use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};

        let info = FrameInfo::new()
            .block_size(BlockSize::Max64KB)
            .block_mode(BlockMode::Independent);
        let mut theirs = FrameEncoder::with_frame_info(info, Vec::new());
        theirs.write_all(b"abc").unwrap();
        let theirs = theirs.finish().unwrap();
        assert_eq!(&theirs[..7], &FRAME_HEADER);

        let mut noise = Vec::new();
        let mut x = 0x2545_f491_u32;
        for _ in 0..150_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            noise.push(x as u8);
        }
        let text: Vec<u8> = b"kafka ".iter().copied().cycle().take(200_000).collect();
        let mut context = Lz4Context::default();
        for input in [
            &noise[..],
            &text[..],
            &[][..],
            &noise[..10],
            &text[..65_536],
        ] {
            let mut out = vec![9];
            context.compress(input, &mut out).unwrap();
            let mut back = Vec::new();
            FrameDecoder::new(&out[1..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, input);
        }
    }
}
