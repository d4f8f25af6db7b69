//! gzip, through flate2's pure-Rust backend.

use std::io::Write;

use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;

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
        let level = match level {
            None | Some(-1) => Self::DEFAULT_LEVEL,
            Some(level @ 1..=9) => level.unsigned_abs(),
            Some(other) => {
                return Err(KrafkaError::compression(format!(
                    "gzip level {other} is outside 1-9"
                )));
            }
        };
        let mut encoder = GzEncoder::new(output, flate2::Compression::new(level));
        encoder
            .write_all(input)
            .and_then(|()| encoder.try_finish())
            .map_err(|e| KrafkaError::compression(format!("gzip compression failed: {e}")))
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
