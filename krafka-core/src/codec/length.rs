//! Length prefixes of strings, bytes and arrays, classic and compact.
//!
//! Classic lengths are `int16` (strings) or `int32` (bytes, arrays) with -1
//! for null; compact lengths are an unsigned varint of `length + 1` with 0
//! for null.

use super::EncodeBuf;
use bytes::Buf;

use super::varint::{get_unsigned_varint, put_unsigned_varint, unsigned_varint_len};
use super::{Ctx, DecodeError, Encode, EncodeError, ensure_remaining};

/// The width of a classic length prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    /// `int16`, for strings.
    I16,
    /// `int32`, for bytes and arrays.
    I32,
}

impl Width {
    fn max(self) -> usize {
        match self {
            Width::I16 => i16::MAX as usize,
            Width::I32 => i32::MAX as usize,
        }
    }
}

/// Writes the prefix of a present value of `len` elements or bytes.
#[inline]
pub(crate) fn put_len<B: EncodeBuf>(
    buf: &mut B,
    len: usize,
    cx: Ctx,
    width: Width,
) -> Result<(), EncodeError> {
    // Compact lengths use the same bounds as the classic ones in Kafka.
    if len > width.max() {
        return Err(EncodeError::too_long(len));
    }
    if cx.flexible {
        put_unsigned_varint(buf, len as u32 + 1);
    } else {
        match width {
            Width::I16 => buf.put_i16(len as i16),
            Width::I32 => buf.put_i32(len as i32),
        }
    }
    Ok(())
}

/// Writes the prefix of a null value.
#[inline]
pub(crate) fn put_null<B: EncodeBuf>(buf: &mut B, cx: Ctx, width: Width) {
    if cx.flexible {
        put_unsigned_varint(buf, 0);
    } else {
        match width {
            Width::I16 => buf.put_i16(-1),
            Width::I32 => buf.put_i32(-1),
        }
    }
}

/// The size of the prefix for `len` (`None`: null).
#[inline]
pub(crate) fn len_of_prefix(len: Option<usize>, cx: Ctx, width: Width) -> usize {
    if cx.flexible {
        unsigned_varint_len(len.map_or(0, |n| (n as u32).saturating_add(1)))
    } else {
        match width {
            Width::I16 => 2,
            Width::I32 => 4,
        }
    }
}

/// Reads a prefix: `Ok(None)` for null, `Ok(Some(n))` for a present value.
#[inline]
pub(crate) fn get_len<B: Buf>(
    buf: &mut B,
    cx: Ctx,
    width: Width,
) -> Result<Option<usize>, DecodeError> {
    let raw: i64 = if cx.flexible {
        i64::from(get_unsigned_varint(buf)?) - 1
    } else {
        match width {
            Width::I16 => {
                ensure_remaining(buf, 2)?;
                i64::from(buf.get_i16())
            }
            Width::I32 => {
                ensure_remaining(buf, 4)?;
                i64::from(buf.get_i32())
            }
        }
    };
    match raw {
        -1 => Ok(None),
        n if n < 0 => Err(DecodeError::length(n, buf.remaining())),
        n => Ok(Some(n as usize)),
    }
}

/// Reads the prefix of a value that must not be null.
#[inline]
pub(crate) fn get_non_null_len<B: Buf>(
    buf: &mut B,
    cx: Ctx,
    width: Width,
) -> Result<usize, DecodeError> {
    get_len(buf, cx, width)?.ok_or_else(DecodeError::null)
}

/// Checks that `len` bytes (or elements of at least one byte) can still be
/// read, before anything is allocated for them.
#[inline]
pub(crate) fn check_fits(buf: &impl Buf, len: usize) -> Result<(), DecodeError> {
    if len > buf.remaining() {
        Err(DecodeError::length(len as i64, buf.remaining()))
    } else {
        Ok(())
    }
}

/// Writes a nullable length-prefixed value: the value itself, or the null
/// prefix of `width`.
#[inline]
pub(crate) fn encode_or_null<T: Encode, B: EncodeBuf>(
    value: Option<&T>,
    buf: &mut B,
    cx: Ctx,
    width: Width,
) -> Result<(), EncodeError> {
    match value {
        Some(v) => v.encode(buf, cx),
        None => {
            put_null(buf, cx, width);
            Ok(())
        }
    }
}

/// The size of what [`encode_or_null`] writes.
#[inline]
pub(crate) fn len_or_null<T: Encode>(value: Option<&T>, cx: Ctx, width: Width) -> usize {
    match value {
        Some(v) => v.encoded_len(cx),
        None => len_of_prefix(None, cx, width),
    }
}

/// Reads a nullable length prefix, then `len` more with `read`.
#[inline]
pub(crate) fn decode_or_null<T, B: Buf>(
    buf: &mut B,
    cx: Ctx,
    width: Width,
    read: impl FnOnce(&mut B, usize) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    match get_len(buf, cx, width)? {
        Some(len) => read(buf, len).map(Some),
        None => Ok(None),
    }
}
