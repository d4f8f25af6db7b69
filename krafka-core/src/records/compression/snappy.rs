//! Snappy, through the snap crate, in the xerial framing Kafka's Java client
//! writes (snappy-java's `SnappyOutputStream`):
//!
//! ```text
//! 0x82 "SNAPPY" 0x00 | version i32 = 1 | compatible version i32 = 1
//! | (length i32 | raw snappy block)*
//! ```
//!
//! All integers big-endian; each block compresses at most 32 KiB of input.
//! Some non-Java clients write one raw snappy block with no framing; we read
//! both.

use snap::raw::{Decoder, Encoder, decompress_len, max_compress_len};

use super::{Codec, Compression, check_limit};
use crate::KrafkaError;

/// The 8-byte magic that opens a xerial stream.
const XERIAL_MAGIC: [u8; 8] = [0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0];
/// Magic, version and compatible version.
const XERIAL_HEADER_LEN: usize = 16;
const XERIAL_VERSION: i32 = 1;
const XERIAL_COMPATIBLE_VERSION: i32 = 1;
/// Input bytes per block, as snappy-java writes them.
const BLOCK_SIZE: usize = 32 * 1024;
/// A snappy element emits at most 64 bytes for 3 bytes of input, so a block
/// claiming more than this many output bytes per input byte is corrupt; the
/// check keeps allocations proportional to the input.
const MAX_EXPANSION: usize = 22;

/// Snappy codec (no levels; a level is ignored).
#[derive(Debug, Clone, Copy, Default)]
pub struct Snappy;

impl Codec for Snappy {
    fn compression(&self) -> Compression {
        Compression::Snappy
    }

    fn compress(
        &self,
        input: &[u8],
        _level: Option<i32>,
        output: &mut Vec<u8>,
    ) -> Result<(), KrafkaError> {
        let blocks = input.len().div_ceil(BLOCK_SIZE);
        output.reserve(XERIAL_HEADER_LEN + blocks * (4 + max_compress_len(BLOCK_SIZE)));
        output.extend_from_slice(&XERIAL_MAGIC);
        output.extend_from_slice(&XERIAL_VERSION.to_be_bytes());
        output.extend_from_slice(&XERIAL_COMPATIBLE_VERSION.to_be_bytes());
        let mut encoder = Encoder::new();
        for block in input.chunks(BLOCK_SIZE) {
            let start = output.len();
            output.resize(start + 4 + max_compress_len(block.len()), 0);
            let written = encoder
                .compress(block, &mut output[start + 4..])
                .map_err(|e| KrafkaError::compression(format!("snappy compression failed: {e}")))?;
            // A block is at most max_compress_len(32 KiB) bytes, far below i32::MAX.
            let length = i32::try_from(written)
                .map_err(|_| KrafkaError::compression("snappy block too large"))?;
            output[start..start + 4].copy_from_slice(&length.to_be_bytes());
            output.truncate(start + 4 + written);
        }
        Ok(())
    }

    fn decompress(&self, input: &[u8], limit: usize) -> Result<Vec<u8>, KrafkaError> {
        let mut output = Vec::new();
        let mut decoder = Decoder::new();
        if input.len() >= XERIAL_HEADER_LEN && input[..XERIAL_MAGIC.len()] == XERIAL_MAGIC {
            let mut rest = &input[XERIAL_HEADER_LEN..];
            while !rest.is_empty() {
                let Some((length, after)) = rest.split_first_chunk::<4>() else {
                    return Err(KrafkaError::compression(
                        "snappy (xerial): truncated block length",
                    ));
                };
                let length = usize::try_from(i32::from_be_bytes(*length))
                    .ok()
                    .filter(|&length| length <= after.len())
                    .ok_or_else(|| {
                        KrafkaError::compression(format!(
                            "snappy (xerial): block length {} exceeds the {} bytes left",
                            i32::from_be_bytes(*length),
                            after.len()
                        ))
                    })?;
                let (block, after) = after.split_at(length);
                decompress_block(&mut decoder, block, &mut output, limit)?;
                rest = after;
            }
        } else {
            decompress_block(&mut decoder, input, &mut output, limit)?;
        }
        Ok(output)
    }
}

/// Appends one raw snappy block to `output`, checking the size it declares
/// against the cap and the input before allocating.
fn decompress_block(
    decoder: &mut Decoder,
    block: &[u8],
    output: &mut Vec<u8>,
    limit: usize,
) -> Result<(), KrafkaError> {
    let declared =
        decompress_len(block).map_err(|e| KrafkaError::compression(format!("snappy: {e}")))?;
    check_limit(
        output.len().saturating_add(declared),
        limit,
        Compression::Snappy,
    )?;
    if declared > block.len().saturating_mul(MAX_EXPANSION) {
        return Err(KrafkaError::compression(format!(
            "snappy: a {}-byte block cannot expand to the {declared} bytes it declares",
            block.len()
        )));
    }
    let start = output.len();
    output.resize(start + declared, 0);
    let written = decoder
        .decompress(block, &mut output[start..])
        .map_err(|e| KrafkaError::compression(format!("snappy: {e}")))?;
    output.truncate(start + written);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_xerial_framing() {
        let input = vec![b'a'; 70_000];
        let mut out = Vec::new();
        Snappy.compress(&input, None, &mut out).unwrap();
        assert_eq!(&out[..8], b"\x82SNAPPY\x00");
        assert_eq!(&out[8..16], &[0, 0, 0, 1, 0, 0, 0, 1]);
        // Three blocks: 32 KiB, 32 KiB, the rest.
        let mut rest = &out[16..];
        let mut sizes = Vec::new();
        while !rest.is_empty() {
            let length = i32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            sizes.push(decompress_len(&rest[4..4 + length]).unwrap());
            rest = &rest[4 + length..];
        }
        assert_eq!(sizes, [32 * 1024, 32 * 1024, 70_000 - 64 * 1024]);
        assert_eq!(Snappy.decompress(&out, 70_000).unwrap(), input);
    }

    #[test]
    fn reads_raw_snappy() {
        let input = b"raw snappy as some clients write it, raw snappy".repeat(10);
        let raw = Encoder::new().compress_vec(&input).unwrap();
        assert_eq!(Snappy.decompress(&raw, 1 << 20).unwrap(), input);
        assert!(Snappy.decompress(&raw, input.len() - 1).is_err());
    }

    #[test]
    fn rejects_bad_xerial_blocks() {
        let mut framed = Vec::new();
        Snappy.compress(b"some bytes", None, &mut framed).unwrap();
        // Length larger than what follows.
        let mut long = framed.clone();
        long[16..20].copy_from_slice(&1000i32.to_be_bytes());
        assert!(Snappy.decompress(&long, 1 << 20).is_err());
        // Negative length.
        let mut negative = framed.clone();
        negative[16..20].copy_from_slice(&(-1i32).to_be_bytes());
        assert!(Snappy.decompress(&negative, 1 << 20).is_err());
        // Truncated length.
        let mut truncated = framed.clone();
        truncated.truncate(18);
        assert!(Snappy.decompress(&truncated, 1 << 20).is_err());
        // A block that claims a huge output from a few bytes.
        let mut claims = framed[..16].to_vec();
        claims.extend_from_slice(&5i32.to_be_bytes());
        claims.extend_from_slice(&[0xff, 0xff, 0xff, 0x7f, 0x00]);
        assert!(Snappy.decompress(&claims, usize::MAX).is_err());
    }
}
