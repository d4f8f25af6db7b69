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
//! both, a block at a time (a raw stream is a single block).

use std::io::{self, Read};

use snap::raw::{Decoder, Encoder, decompress_len, max_compress_len};

use super::{Codec, CompressedInput, Compression, DecodedStream, check_limit};
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
        compress_with(&mut Encoder::new(), input, output)
    }

    fn decoder<'a>(
        &self,
        input: CompressedInput<'a>,
        limit: usize,
    ) -> Result<DecodedStream<'a>, KrafkaError> {
        Ok(Box::new(BlockReader {
            input,
            framing: Framing::Unknown,
            decoder: Decoder::new(),
            compressed: Vec::new(),
            block: Vec::new(),
            at: 0,
            declared: 0,
            limit,
        }))
    }
}

/// Appends `input` in xerial framing to `output`, with `encoder` (its hash
/// table is what a reused encoder saves allocating).
pub(super) fn compress_with(
    encoder: &mut Encoder,
    input: &[u8],
    output: &mut Vec<u8>,
) -> Result<(), KrafkaError> {
    let blocks = input.len().div_ceil(BLOCK_SIZE);
    output.reserve(XERIAL_HEADER_LEN + blocks * (4 + max_compress_len(BLOCK_SIZE)));
    output.extend_from_slice(&XERIAL_MAGIC);
    output.extend_from_slice(&XERIAL_VERSION.to_be_bytes());
    output.extend_from_slice(&XERIAL_COMPATIBLE_VERSION.to_be_bytes());
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// The first bytes are not read yet.
    Unknown,
    Xerial,
    /// The one raw block is decoded.
    RawDone,
}

/// Decodes a snappy stream one block at a time, handing out each block's
/// output before reading the next.
struct BlockReader<'a> {
    input: CompressedInput<'a>,
    framing: Framing,
    decoder: Decoder,
    /// The block being decoded, as it came.
    compressed: Vec<u8>,
    /// The decoded block being handed out.
    block: Vec<u8>,
    at: usize,
    /// What the blocks so far declared they decode to.
    declared: usize,
    limit: usize,
}

impl Read for BlockReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.block.len() {
            match self.next_block(out)? {
                Next::End => return Ok(0),
                // An empty block says nothing of the stream's end.
                Next::Direct(0) | Next::Buffered => {}
                Next::Direct(written) => return Ok(written),
            }
        }
        let n = out.len().min(self.block.len() - self.at);
        out[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// What [`BlockReader::next_block`] did.
enum Next {
    End,
    /// The block was decoded straight into the reader's buffer: this many bytes.
    Direct(usize),
    /// The block is in `block`, to be handed out.
    Buffered,
}

impl BlockReader<'_> {
    /// Decodes the next block: into `out` when it fits, else into `block`.
    fn next_block(&mut self, out: &mut [u8]) -> io::Result<Next> {
        match self.framing {
            Framing::RawDone => Ok(Next::End),
            Framing::Unknown => {
                let mut head = Vec::with_capacity(XERIAL_HEADER_LEN);
                (&mut self.input)
                    .take(XERIAL_HEADER_LEN as u64)
                    .read_to_end(&mut head)?;
                if head.len() == XERIAL_HEADER_LEN && head[..XERIAL_MAGIC.len()] == XERIAL_MAGIC {
                    self.framing = Framing::Xerial;
                    return self.next_block(out);
                }
                self.framing = Framing::RawDone;
                self.compressed = head;
                self.input.read_to_end(&mut self.compressed)?;
                self.decode_block(out)
            }
            Framing::Xerial => {
                let mut length = [0u8; 4];
                let got = read_up_to(&mut self.input, &mut length)?;
                if got == 0 {
                    return Ok(Next::End);
                }
                if got < length.len() {
                    return Err(invalid("snappy (xerial): truncated block length".into()));
                }
                let length = i32::from_be_bytes(length);
                let wanted = usize::try_from(length).map_err(|_| {
                    invalid(format!("snappy (xerial): negative block length {length}"))
                })?;
                self.compressed.clear();
                // Read what is there rather than allocate what the length
                // claims.
                (&mut self.input)
                    .take(wanted as u64)
                    .read_to_end(&mut self.compressed)?;
                if self.compressed.len() < wanted {
                    return Err(invalid(format!(
                        "snappy (xerial): block length {length} exceeds the {} bytes left",
                        self.compressed.len()
                    )));
                }
                self.decode_block(out)
            }
        }
    }

    /// Decodes `compressed` into `out` when it has room (saving a copy),
    /// else into `block`, checking the size it declares against the cap
    /// and the input before allocating.
    fn decode_block(&mut self, out: &mut [u8]) -> io::Result<Next> {
        let declared = decompress_len(&self.compressed).map_err(|e| invalid(format!("{e}")))?;
        self.declared = self.declared.saturating_add(declared);
        check_limit(self.declared, self.limit, Compression::Snappy)
            .map_err(|e| invalid(e.to_string()))?;
        if declared > self.compressed.len().saturating_mul(MAX_EXPANSION) {
            return Err(invalid(format!(
                "a {}-byte block cannot expand to the {declared} bytes it declares",
                self.compressed.len()
            )));
        }
        self.block.clear();
        self.at = 0;
        if let Some(room) = out.get_mut(..declared) {
            let written = self
                .decoder
                .decompress(&self.compressed, room)
                .map_err(|e| invalid(format!("{e}")))?;
            return Ok(Next::Direct(written));
        }
        self.block.resize(declared, 0);
        let written = self
            .decoder
            .decompress(&self.compressed, &mut self.block)
            .map_err(|e| invalid(format!("{e}")))?;
        self.block.truncate(written);
        Ok(Next::Buffered)
    }
}

/// Fills `buf` as far as the input goes; returns how much it got.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

fn invalid(reason: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason)
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
    fn an_empty_block_does_not_end_the_stream() {
        let mut framed = XERIAL_MAGIC.to_vec();
        framed.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1]);
        for part in [&b"abc"[..], b"", b"def"] {
            let block = Encoder::new().compress_vec(part).unwrap();
            framed.extend_from_slice(&(block.len() as i32).to_be_bytes());
            framed.extend_from_slice(&block);
        }
        assert_eq!(Snappy.decompress(&framed, 100).unwrap(), b"abcdef");
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
