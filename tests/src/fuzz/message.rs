//! Every message decoder of the catalogue.
//!
//! Input: a message (2 bytes, an index into the catalogue: requests,
//! responses, headers, data schemas), a version (1 byte, over the message's
//! versions and one past each end), then the bytes to decode.
//!
//! What decodes must encode again, with `encoded_len` exact, and that
//! encoding must be a fixpoint: it decodes, consuming every byte, and
//! encodes to the very same bytes. Rendering to Kafka's JSON never fails
//! on what decodes.

use krafka_core::codec::{CatalogueEntry, TranscodeError, VersionRange};

use super::{Input, catalogue};

/// The message and version an input picks, and its bytes.
pub fn pick(data: &[u8]) -> Option<(CatalogueEntry, i16, &[u8])> {
    let entries = catalogue();
    let mut input = Input::new(data);
    let entry = *entries.get(usize::from(input.u16()) % entries.len().max(1))?;
    let version = version_of((entry.schema)().valid_versions, input.u8());
    Some((entry, version, input.rest()))
}

/// A version of `range`, or one just outside it, from one byte.
pub(crate) fn version_of(range: VersionRange, byte: u8) -> i16 {
    let span = i32::from(range.max) - i32::from(range.min) + 3;
    let version = i32::from(range.min) - 1 + i32::from(byte) % span.max(1);
    i16::try_from(version).unwrap_or(range.min)
}

/// The target; returns 1 when the input decoded, 0 otherwise.
pub fn run(data: &[u8]) -> usize {
    let Some((entry, version, bytes)) = pick(data) else {
        return 0;
    };
    let name = (entry.schema)().name;
    let first = match (entry.transcode)(bytes, version) {
        Ok(first) => first,
        Err(TranscodeError::Decode(_)) => {
            assert!(
                (entry.decode)(bytes, version).is_err(),
                "{name} v{version}: decode and transcode disagree"
            );
            return 0;
        }
        Err(TranscodeError::Encode(error)) => {
            panic!("{name} v{version}: a decoded value does not encode: {error}")
        }
    };
    assert!(first.consumed <= bytes.len());
    assert_eq!(
        first.encoded_len,
        first.encoded.len(),
        "{name} v{version}: encoded_len is not the encoded length"
    );
    let second = (entry.transcode)(&first.encoded, version)
        .unwrap_or_else(|e| panic!("{name} v{version}: its own encoding does not decode: {e}"));
    assert_eq!(
        second.consumed,
        first.encoded.len(),
        "{name} v{version}: its own encoding is not consumed whole"
    );
    assert_eq!(
        second.encoded, first.encoded,
        "{name} v{version}: encoding is not a fixpoint"
    );
    if let Err(error) = (entry.to_json)(bytes, version) {
        panic!("{name} v{version}: decodes but does not render: {error}");
    }
    1
}
