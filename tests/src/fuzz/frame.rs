//! A connection's response framing, then each response's header and body.
//!
//! Input: how many requests are in flight (1 byte, 1-8), how the bytes
//! arrive (1 byte seeding the read sizes, from 1 byte to all at once), the
//! first correlation id (4 bytes), then per request the response type
//! (2 bytes, an index into the catalogue's responses), its version (1
//! byte) and its size limit (1 byte), then the bytes the broker sends.
//!
//! The reader is the connection's own (`krafka_client::fuzzing::
//! ResponseReader`): every byte is either in a frame handed out or still
//! buffered; frames go to the requests in order, within their size limit
//! and with their correlation id; the buffer grows only with the bytes
//! that arrived (a frame announcing a huge size allocates nothing up
//! front). Each frame then decodes as a connection decodes it.

use std::sync::OnceLock;

use bytes::Buf;
use krafka_client::fuzzing::{READ_CHUNK, READ_SPACE, ResponseReader, decode_response_with};
use krafka_core::codec::{CatalogueEntry, MessageKind, TranscodeError};

use super::message::version_of;
use super::{Input, catalogue};

/// The size limits a request's limit byte picks from (the connection
/// refuses a frame over its request's limit).
pub(crate) const LIMITS: [usize; 8] = [4, 8, 64, 4096, 65_536, 1 << 20, 100 << 20, 1 << 30];

/// Every response type of the catalogue.
pub(crate) fn responses() -> &'static [CatalogueEntry] {
    static RESPONSES: OnceLock<Vec<CatalogueEntry>> = OnceLock::new();
    RESPONSES.get_or_init(|| {
        catalogue()
            .iter()
            .copied()
            .filter(|e| (e.schema)().kind == MessageKind::Response)
            .collect()
    })
}

struct Expected {
    correlation_id: i32,
    entry: CatalogueEntry,
    version: i16,
    limit: usize,
}

/// Read sizes from a seed byte: a mix of tiny, small, large and whole reads.
struct Reads(u32);

impl Reads {
    fn next(&mut self, left: usize) -> usize {
        self.0 = self.0.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let r = (self.0 >> 8) as usize;
        let size = match r % 4 {
            0 => 1 + r / 4 % 4,
            1 => 1 + r / 4 % 100,
            2 => 1 + r / 4 % 20_000,
            _ => left,
        };
        size.clamp(1, left.max(1))
    }
}

/// The target; returns how many responses decoded.
pub fn run(data: &[u8]) -> usize {
    let entries = responses();
    let mut input = Input::new(data);
    let count = 1 + usize::from(input.u8() % 8);
    let mut reads = Reads(u32::from(input.u8()));
    let first_id = input.i32();
    let mut expected = Vec::with_capacity(count);
    let mut reader = ResponseReader::new();
    for i in 0..count {
        let entry = entries[usize::from(input.u16()) % entries.len()];
        let version = version_of((entry.schema)().valid_versions, input.u8());
        let limit = LIMITS[usize::from(input.u8() % 8)];
        // As the connection numbers them: wrapping, never negative.
        let correlation_id = first_id.wrapping_add(i as i32) & i32::MAX;
        reader.expect(correlation_id, limit);
        expected.push(Expected {
            correlation_id,
            entry,
            version,
            limit,
        });
    }
    let stream = input.rest();
    let mut pos = 0;
    let mut handed_out = 0;
    let mut answered = 0;
    let mut decoded = 0;
    while pos < stream.len() {
        let size = reads.next(stream.len() - pos);
        let taken = reader.read(&stream[pos..pos + size]);
        assert!(taken > 0, "a read found no room");
        pos += taken;
        assert!(
            reader.capacity() <= 2 * (reader.buffered() + READ_CHUNK + READ_SPACE),
            "{} bytes reserved for {} buffered",
            reader.capacity(),
            reader.buffered()
        );
        let Ok(frames) = reader.responses() else {
            // The connection would end here.
            return decoded;
        };
        for (id, frame) in frames {
            let want = expected
                .get(answered)
                .unwrap_or_else(|| panic!("a response with no request"));
            answered += 1;
            assert_eq!(id, want.correlation_id, "answers out of order");
            let frame = frame.unwrap_or_else(|e| panic!("a failed answer without an error: {e}"));
            assert!(frame.len() <= want.limit, "a frame over its limit");
            assert_eq!(frame.get(..4), Some(&id.to_be_bytes()[..]));
            handed_out += 4 + frame.len();
            decoded += usize::from(decode(want, frame));
        }
        assert_eq!(
            handed_out + reader.buffered(),
            pos,
            "bytes lost or made up by the framing"
        );
    }
    decoded
}

/// Decodes a response as the connection does; returns whether it decoded.
fn decode(want: &Expected, frame: bytes::Bytes) -> bool {
    let entry = want.entry;
    let schema = (entry.schema)();
    decode_response_with(
        frame,
        schema.name,
        (entry.header_version)(want.version),
        want.version,
        |body| match (entry.transcode)(body, want.version) {
            Ok(transcoded) => {
                body.advance(transcoded.consumed);
                Ok(())
            }
            Err(TranscodeError::Decode(error)) => Err(error),
            Err(TranscodeError::Encode(error)) => panic!(
                "{} v{}: a decoded value does not encode: {error}",
                schema.name, want.version
            ),
        },
    )
    .is_ok()
}
