//! A list of message types that can be walked without naming each type:
//! what the schema command and the cross-checking tests iterate over.

use bytes::{Bytes, BytesMut};

use super::{Ctx, DecodeError, EncodeError, Message, MessageSchema};

/// The result of decoding a message and encoding it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcoded {
    /// Input bytes the decoder consumed.
    pub consumed: usize,
    /// The re-encoded bytes.
    pub encoded: Bytes,
    /// What `encoded_len` predicted for them.
    pub encoded_len: usize,
}

/// Why a transcode failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranscodeError {
    /// The input did not decode.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The decoded value did not encode.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// One message type, type-erased.
#[derive(Clone, Copy)]
pub struct CatalogueEntry {
    /// The message's schema.
    pub schema: fn() -> MessageSchema,
    /// Decodes `version` from the bytes and encodes the value again.
    pub transcode: fn(&[u8], i16) -> Result<Transcoded, TranscodeError>,
    /// Decodes `version` from the bytes, discarding the value (for the
    /// bad-input tests, which only care that it returns).
    pub decode: fn(&[u8], i16) -> Result<(), DecodeError>,
    /// Encodes the message's `Default` value as `version` (Kafka's defaults
    /// must be encodable in every version).
    pub encode_default: fn(i16) -> Result<Bytes, EncodeError>,
    /// The header version that goes with a version of the message.
    pub header_version: fn(i16) -> Option<i16>,
    /// Decodes `version` from the bytes and renders the value in Kafka's
    /// JSON form ([`ToKafkaJson`](super::ToKafkaJson)); bytes left over are not an error here
    /// (`transcode` reports how many were consumed).
    pub to_json: fn(&[u8], i16) -> Result<String, DecodeError>,
}

impl CatalogueEntry {
    /// The entry of message type `M`.
    pub fn of<M: Message>() -> Self {
        CatalogueEntry {
            schema: M::schema,
            header_version: M::header_version,
            encode_default: |version| {
                let mut out = BytesMut::new();
                M::default().encode_version(&mut out, version)?;
                Ok(out.freeze())
            },
            transcode: transcode::<M>,
            decode: |bytes, version| {
                M::decode_version(&mut Bytes::copy_from_slice(bytes), version).map(|_| ())
            },
            to_json: |bytes, version| {
                let value = M::decode_version(&mut Bytes::copy_from_slice(bytes), version)?;
                Ok(value.to_kafka_json(Ctx::new(version, M::FLEXIBLE_VERSIONS.contains(version))))
            },
        }
    }
}

fn transcode<M: Message>(bytes: &[u8], version: i16) -> Result<Transcoded, TranscodeError> {
    let mut input = Bytes::copy_from_slice(bytes);
    let value = M::decode_version(&mut input, version)?;
    let consumed = bytes.len() - input.len();
    let mut out = BytesMut::new();
    value.encode_version(&mut out, version)?;
    let encoded_len = M::context(version).map_or(0, |cx| value.encoded_len(cx));
    Ok(Transcoded {
        consumed,
        encoded: out.freeze(),
        encoded_len,
    })
}
