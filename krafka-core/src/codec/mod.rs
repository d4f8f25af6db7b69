//! The codec layer: the traits every Kafka value implements, and the
//! primitives of the wire format.
//!
//! Derived messages (`#[derive(Message)]`, re-exported here beside the
//! [`Message`] trait) are written purely in terms of these traits; nothing
//! here does I/O.

mod array;
mod bytes_types;
mod catalogue;
mod ctx;
mod encode_buf;
mod error;
mod json;
mod length;
mod numbers;
mod schema;
mod string;
mod tagged;
mod uuid;
pub mod varint;
mod version;

pub use array::{MAX_PREALLOC, prealloc_capacity};
pub use bytes_types::Records;
pub use catalogue::{CatalogueEntry, TranscodeError, Transcoded};
pub use ctx::Ctx;
pub use encode_buf::{Chunks, EncodeBuf};
pub use error::{DecodeError, EncodeError};
#[doc(hidden)]
pub use json::write_json_key;
pub use json::{ToKafkaJson, write_json_str};
pub use numbers::{UnsignedVarint, VarInt, VarLong};
pub use schema::{Describe, FieldSchema, MessageKind, MessageSchema};
pub use tagged::{TaggedField, TaggedFields};
#[doc(hidden)]
pub use tagged::{TaggedSection, get_tagged_field, put_tagged_header, tagged_header_len};
pub use uuid::Uuid;
pub use version::VersionRange;

/// `#[derive(Message)]`: the codec of a struct from its `#[kafka(...)]`
/// attributes (see the crate README for the grammar). Importing `Message`
/// brings in both the trait and the derive, as with serde.
pub use krafka_derive::Message;

use bytes::Buf;

use crate::ApiKey;

/// A value that can be written in Kafka's wire format.
pub trait Encode {
    /// Writes `self` in the version and flexibility given by `cx`.
    fn encode<B: EncodeBuf>(&self, buf: &mut B, cx: Ctx) -> Result<(), EncodeError>;

    /// The exact number of bytes [`Encode::encode`] writes for the same `cx`.
    fn encoded_len(&self, cx: Ctx) -> usize;
}

/// A value that can be read from Kafka's wire format.
pub trait Decode: Sized {
    /// Reads a value in the version and flexibility given by `cx`. Never
    /// panics: short or malformed input is a [`DecodeError`].
    fn decode<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Self, DecodeError>;
}

/// A type with a nullable wire form (`Option<T>` uses it).
///
/// Strings, bytes and arrays write null as a length of -1 (or 0 in the
/// compact form); structs write a leading `int8` of -1 for null and 1 for
/// present.
pub trait Nullable: Encode + Decode {
    /// Writes `value` in its nullable form.
    fn encode_nullable<B: EncodeBuf>(
        value: Option<&Self>,
        buf: &mut B,
        cx: Ctx,
    ) -> Result<(), EncodeError>;

    /// The exact length of the nullable form of `value`.
    fn nullable_len(value: Option<&Self>, cx: Ctx) -> usize;

    /// Reads the nullable form.
    fn decode_nullable<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Option<Self>, DecodeError>;
}

impl<T: Nullable> Encode for Option<T> {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, cx: Ctx) -> Result<(), EncodeError> {
        T::encode_nullable(self.as_ref(), buf, cx)
    }

    #[inline]
    fn encoded_len(&self, cx: Ctx) -> usize {
        T::nullable_len(self.as_ref(), cx)
    }
}

impl<T: Nullable> Decode for Option<T> {
    #[inline]
    fn decode<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Self, DecodeError> {
        T::decode_nullable(buf, cx)
    }
}

/// Fails with [`DecodeError::UnexpectedEof`] unless `n` bytes remain.
#[inline]
pub fn ensure_remaining(buf: &impl Buf, n: usize) -> Result<(), DecodeError> {
    let remaining = buf.remaining();
    if remaining < n {
        Err(DecodeError::eof(n, remaining))
    } else {
        Ok(())
    }
}

/// A top-level Kafka message: a request, response, header or data schema.
///
/// Implemented by `#[derive(Message)]` for structs with a `kind` attribute.
pub trait Message: Encode + Decode + Default + Describe + ToKafkaJson {
    /// The message name as in Kafka's schema files (`FetchRequest`).
    const NAME: &'static str;
    /// Request, response, header or data.
    const KIND: MessageKind;
    /// The versions this message exists in.
    const VERSIONS: VersionRange;
    /// The versions in which it uses the flexible (KIP-482) encoding.
    const FLEXIBLE_VERSIONS: VersionRange;

    /// The codec context for `version`, or an error when the message does
    /// not exist in that version.
    fn context(version: i16) -> Option<Ctx> {
        Self::VERSIONS
            .contains(version)
            .then(|| Ctx::new(version, Self::FLEXIBLE_VERSIONS.contains(version)))
    }

    /// Encodes `self` as `version`.
    fn encode_version<B: EncodeBuf>(&self, buf: &mut B, version: i16) -> Result<(), EncodeError> {
        let cx = Self::context(version).ok_or(EncodeError::UnsupportedVersion {
            message: Self::NAME,
            version,
        })?;
        self.encode(buf, cx)
    }

    /// Decodes a value of `version`.
    fn decode_version<B: Buf>(buf: &mut B, version: i16) -> Result<Self, DecodeError> {
        let cx = Self::context(version).ok_or(DecodeError::UnsupportedVersion {
            message: Self::NAME,
            version,
        })?;
        Self::decode(buf, cx)
    }

    /// The header version that goes with `version` of this message:
    /// request header 1 or 2, response header 0 or 1, by flexibility
    /// (`None` for headers and data schemas, which have no header).
    fn header_version(version: i16) -> Option<i16>;

    /// The schema of this message, in the shape of Kafka's JSON files.
    fn schema() -> MessageSchema;
}

/// A request message, paired with its response.
///
/// The derive checks at compile time that both have the same API key and
/// versions.
pub trait Request: Message {
    /// The API this request belongs to.
    const API_KEY: ApiKey;
    /// The response to this request.
    type Response: Response;

    /// Whether the broker answers this request. Kafka does not answer a
    /// Produce request with `acks = 0`; every other request is answered.
    #[inline]
    fn expects_response(&self) -> bool {
        true
    }
}

/// A response message (the [`Request::Response`] of its request).
pub trait Response: Message {
    /// The API this response belongs to.
    const API_KEY: ApiKey;
}
