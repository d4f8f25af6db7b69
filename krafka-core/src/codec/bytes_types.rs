//! `bytes` and `records`: length-prefixed byte strings, decoded as
//! [`Bytes`] slices that share the input buffer (no copy when the input is
//! itself `Bytes`).

use super::EncodeBuf;
use bytes::{Buf, Bytes};

use super::length::{
    Width, check_fits, decode_or_null, encode_or_null, get_non_null_len, len_of_prefix,
    len_or_null, put_len,
};
use super::schema::Describe;
use super::{Ctx, Decode, DecodeError, Encode, EncodeError, Nullable};

#[inline]
fn take_bytes<B: Buf>(buf: &mut B, len: usize) -> Result<Bytes, DecodeError> {
    check_fits(buf, len)?;
    Ok(buf.copy_to_bytes(len))
}

impl Encode for Bytes {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, cx: Ctx) -> Result<(), EncodeError> {
        put_len(buf, self.len(), cx, Width::I32)?;
        // Shared: a buffer that can (Chunks) keeps record batches by reference.
        buf.put_shared(self);
        Ok(())
    }

    #[inline]
    fn encoded_len(&self, cx: Ctx) -> usize {
        len_of_prefix(Some(self.len()), cx, Width::I32) + self.len()
    }
}

impl Decode for Bytes {
    #[inline]
    fn decode<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Self, DecodeError> {
        let len = get_non_null_len(buf, cx, Width::I32)?;
        take_bytes(buf, len)
    }
}

impl Nullable for Bytes {
    fn encode_nullable<B: EncodeBuf>(
        value: Option<&Self>,
        buf: &mut B,
        cx: Ctx,
    ) -> Result<(), EncodeError> {
        encode_or_null(value, buf, cx, Width::I32)
    }

    fn nullable_len(value: Option<&Self>, cx: Ctx) -> usize {
        len_or_null(value, cx, Width::I32)
    }

    fn decode_nullable<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Option<Self>, DecodeError> {
        decode_or_null(buf, cx, Width::I32, take_bytes)
    }
}

impl Describe for Bytes {
    fn kafka_type() -> String {
        "bytes".to_owned()
    }
}

/// The `records` field of Produce and Fetch: record batches kept as raw
/// bytes here and parsed by the record-batch reader. Same wire form as `bytes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Records(pub Bytes);

impl Records {
    /// The raw record-batch bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.0
    }
}

impl From<Bytes> for Records {
    fn from(bytes: Bytes) -> Self {
        Records(bytes)
    }
}

impl Encode for Records {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, cx: Ctx) -> Result<(), EncodeError> {
        self.0.encode(buf, cx)
    }

    #[inline]
    fn encoded_len(&self, cx: Ctx) -> usize {
        self.0.encoded_len(cx)
    }
}

impl Decode for Records {
    #[inline]
    fn decode<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Self, DecodeError> {
        Bytes::decode(buf, cx).map(Records)
    }
}

impl Nullable for Records {
    fn encode_nullable<B: EncodeBuf>(
        value: Option<&Self>,
        buf: &mut B,
        cx: Ctx,
    ) -> Result<(), EncodeError> {
        Bytes::encode_nullable(value.map(|r| &r.0), buf, cx)
    }

    fn nullable_len(value: Option<&Self>, cx: Ctx) -> usize {
        Bytes::nullable_len(value.map(|r| &r.0), cx)
    }

    fn decode_nullable<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Option<Self>, DecodeError> {
        Ok(Bytes::decode_nullable(buf, cx)?.map(Records))
    }
}

impl Describe for Records {
    fn kafka_type() -> String {
        "records".to_owned()
    }
}
