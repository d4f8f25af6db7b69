//! Variable-length integers: Kafka's unsigned varint (LEB128) and the zigzag
//! varint / varlong used by record batches.

use super::EncodeBuf;
use bytes::Buf;

use super::DecodeError;

/// Bytes needed for `value` as an unsigned varint.
#[inline]
pub fn unsigned_varint_len(value: u32) -> usize {
    // Each byte carries 7 bits; 0 still needs one byte.
    let bits = 32 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Bytes needed for `value` as an unsigned varlong.
#[inline]
pub fn unsigned_varlong_len(value: u64) -> usize {
    let bits = 64 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Writes `value` as an unsigned varint.
#[inline]
pub fn put_unsigned_varint(buf: &mut impl EncodeBuf, value: u32) {
    put_unsigned_varlong(buf, u64::from(value));
}

/// Writes `value` as an unsigned varlong.
#[inline]
pub fn put_unsigned_varlong(buf: &mut impl EncodeBuf, mut value: u64) {
    while value >= 0x80 {
        buf.put_u8((value as u8) | 0x80);
        value >>= 7;
    }
    buf.put_u8(value as u8);
}

/// Reads an unsigned varint (at most 5 bytes, value fits in 32 bits).
#[inline]
pub fn get_unsigned_varint(buf: &mut impl Buf) -> Result<u32, DecodeError> {
    let value = get_varlong_bits(buf, 5)?;
    u32::try_from(value).map_err(|_| DecodeError::varint())
}

/// Reads an unsigned varlong (at most 10 bytes).
#[inline]
pub fn get_unsigned_varlong(buf: &mut impl Buf) -> Result<u64, DecodeError> {
    get_varlong_bits(buf, 10)
}

fn get_varlong_bits(buf: &mut impl Buf, max_bytes: usize) -> Result<u64, DecodeError> {
    let mut value: u64 = 0;
    for i in 0..max_bytes {
        if !buf.has_remaining() {
            return Err(DecodeError::eof(i + 1, i));
        }
        let byte = buf.get_u8();
        let shift = 7 * i as u32;
        let part = u64::from(byte & 0x7f);
        // The tenth byte of a varlong may only carry the top bit.
        if shift == 63 && part > 1 {
            return Err(DecodeError::varint());
        }
        value |= part << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(DecodeError::varint())
}

#[inline]
fn zigzag32(value: i32) -> u32 {
    ((value << 1) ^ (value >> 31)) as u32
}

#[inline]
fn unzigzag32(value: u32) -> i32 {
    ((value >> 1) as i32) ^ -((value & 1) as i32)
}

#[inline]
fn zigzag64(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

#[inline]
fn unzigzag64(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Bytes needed for `value` as a zigzag varint.
#[inline]
pub fn varint_len(value: i32) -> usize {
    unsigned_varint_len(zigzag32(value))
}

/// Bytes needed for `value` as a zigzag varlong.
#[inline]
pub fn varlong_len(value: i64) -> usize {
    unsigned_varlong_len(zigzag64(value))
}

/// Writes `value` as a zigzag varint.
#[inline]
pub fn put_varint(buf: &mut impl EncodeBuf, value: i32) {
    put_unsigned_varint(buf, zigzag32(value));
}

/// Writes `value` as a zigzag varlong.
#[inline]
pub fn put_varlong(buf: &mut impl EncodeBuf, value: i64) {
    put_unsigned_varlong(buf, zigzag64(value));
}

/// Reads a zigzag varint.
#[inline]
pub fn get_varint(buf: &mut impl Buf) -> Result<i32, DecodeError> {
    get_unsigned_varint(buf).map(unzigzag32)
}

/// Reads a zigzag varlong.
#[inline]
pub fn get_varlong(buf: &mut impl Buf) -> Result<i64, DecodeError> {
    get_unsigned_varlong(buf).map(unzigzag64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_encodings() {
        let mut out = Vec::new();
        put_unsigned_varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        out.clear();
        put_varint(&mut out, -1);
        assert_eq!(out, [0x01]);
        out.clear();
        put_varint(&mut out, 1);
        assert_eq!(out, [0x02]);
        out.clear();
        put_varlong(&mut out, i64::MIN);
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn rejects_overlong() {
        let overlong = [0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(get_unsigned_varint(&mut &overlong[..]).is_err());
        let too_big = [0xff, 0xff, 0xff, 0xff, 0x1f];
        assert!(get_unsigned_varint(&mut &too_big[..]).is_err());
        let eleven = [0xffu8; 11];
        assert!(get_unsigned_varlong(&mut &eleven[..]).is_err());
        assert!(get_varint(&mut &[0x80u8][..]).is_err());
    }

    proptest! {
        #[test]
        fn varint_round_trip(v in any::<i32>()) {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            prop_assert_eq!(out.len(), varint_len(v));
            prop_assert_eq!(get_varint(&mut &out[..]).ok(), Some(v));
        }

        #[test]
        fn varlong_round_trip(v in any::<i64>()) {
            let mut out = Vec::new();
            put_varlong(&mut out, v);
            prop_assert_eq!(out.len(), varlong_len(v));
            prop_assert_eq!(get_varlong(&mut &out[..]).ok(), Some(v));
        }

        #[test]
        fn unsigned_round_trip(v in any::<u32>()) {
            let mut out = Vec::new();
            put_unsigned_varint(&mut out, v);
            prop_assert_eq!(out.len(), unsigned_varint_len(v));
            prop_assert_eq!(get_unsigned_varint(&mut &out[..]).ok(), Some(v));
        }
    }
}
