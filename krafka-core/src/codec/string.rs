//! `string` and nullable `string`, classic (`int16` length) or compact.

use super::EncodeBuf;
use bytes::Buf;

use super::length::{
    Width, check_fits, decode_or_null, encode_or_null, get_non_null_len, len_of_prefix,
    len_or_null, put_len,
};
use super::schema::Describe;
use super::{Ctx, Decode, DecodeError, Encode, EncodeError, Nullable};

fn read_string<B: Buf>(buf: &mut B, len: usize) -> Result<String, DecodeError> {
    check_fits(buf, len)?;
    let mut bytes = vec![0; len];
    buf.copy_to_slice(&mut bytes);
    String::from_utf8(bytes).map_err(|_| DecodeError::utf8())
}

impl Encode for String {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, cx: Ctx) -> Result<(), EncodeError> {
        put_len(buf, self.len(), cx, Width::I16)?;
        buf.put_slice(self.as_bytes());
        Ok(())
    }

    #[inline]
    fn encoded_len(&self, cx: Ctx) -> usize {
        len_of_prefix(Some(self.len()), cx, Width::I16) + self.len()
    }
}

impl Decode for String {
    #[inline]
    fn decode<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Self, DecodeError> {
        let len = get_non_null_len(buf, cx, Width::I16)?;
        read_string(buf, len)
    }
}

impl Nullable for String {
    fn encode_nullable<B: EncodeBuf>(
        value: Option<&Self>,
        buf: &mut B,
        cx: Ctx,
    ) -> Result<(), EncodeError> {
        encode_or_null(value, buf, cx, Width::I16)
    }

    fn nullable_len(value: Option<&Self>, cx: Ctx) -> usize {
        len_or_null(value, cx, Width::I16)
    }

    fn decode_nullable<B: Buf>(buf: &mut B, cx: Ctx) -> Result<Option<Self>, DecodeError> {
        decode_or_null(buf, cx, Width::I16, read_string)
    }
}

impl Describe for String {
    fn kafka_type() -> String {
        "string".to_owned()
    }
}
