//! Arrays (`[]T`), classic (`int32` count) or compact, nullable or not.

use super::EncodeBuf;
use bytes::Buf;

use super::length::{
    Width, check_fits, decode_or_null, encode_or_null, get_non_null_len, len_of_prefix,
    len_or_null, put_len,
};
use super::schema::{Describe, FieldSchema};
use super::{Ctx, Decode, DecodeError, Encode, EncodeError, Nullable};

/// The most elements pre-allocated from a length read off the wire.
pub const MAX_PREALLOC: usize = 10_000;

/// A safe capacity for `len` elements announced by the wire, with
/// `remaining` bytes left to read: never more than [`MAX_PREALLOC`], never
/// more than the remaining bytes could hold.
#[inline]
pub fn prealloc_capacity(len: usize, remaining: usize) -> usize {
    len.min(MAX_PREALLOC).min(remaining)
}

fn read_elements<T: Decode, B: Buf>(
    buf: &mut B,
    len: usize,
    cx: Ctx,
) -> Result<Vec<T>, DecodeError> {
    // Every element of every Kafka type takes at least one byte, so a count
    // beyond the remaining bytes is a lie: refuse it before looping.
    check_fits(buf, len)?;
    let mut out = Vec::with_capacity(prealloc_capacity(len, buf.remaining()));
    for _ in 0..len {
        out.push(T::decode(buf, cx)?);
    }
    Ok(out)
}

impl<T: Encode> Encode for Vec<T> {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, cx: Ctx) -> Result<(), EncodeError> {
        put_len(buf, self.len(), cx, Width::I32)?;
        for item in self {
            item.encode(buf, cx)?;
        }
        Ok(())
    }

    #[inline]
    fn encoded_len(&self, cx: Ctx) -> usize {
        len_of_prefix(Some(self.len()), cx, Width::I32)
            + self.iter().map(|item| item.encoded_len(cx)).sum::<usize>()
    }
}

impl<T: Decode> Decode for Vec<T> {
    #[inline]
    fn decode<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Self, DecodeError> {
        let len = get_non_null_len(buf, cx, Width::I32)?;
        read_elements(buf, len, cx)
    }
}

impl<T: Encode + Decode> Nullable for Vec<T> {
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
        decode_or_null(buf, cx, Width::I32, |buf, len| read_elements(buf, len, cx))
    }
}

impl<T: Describe> Describe for Vec<T> {
    fn kafka_type() -> String {
        format!("[]{}", T::kafka_type())
    }

    fn fields() -> Vec<FieldSchema> {
        T::fields()
    }
}

impl<T: Describe> Describe for Option<T> {
    fn kafka_type() -> String {
        T::kafka_type()
    }

    fn fields() -> Vec<FieldSchema> {
        T::fields()
    }
}
