//! Fixed-width numbers, booleans and the varint newtypes.

use super::EncodeBuf;
use bytes::Buf;

use super::schema::Describe;
use super::varint;
use super::{Ctx, Decode, DecodeError, Encode, EncodeError, ensure_remaining};

macro_rules! fixed_width {
    ($($ty:ty => $kafka:literal, $put:ident, $get:ident;)*) => {$(
        impl Encode for $ty {
            #[inline]
            fn encode<B: EncodeBuf>(&self, buf: &mut B, _cx: Ctx) -> Result<(), EncodeError> {
                buf.$put(*self);
                Ok(())
            }

            #[inline]
            fn encoded_len(&self, _cx: Ctx) -> usize {
                std::mem::size_of::<$ty>()
            }
        }

        impl Decode for $ty {
            #[inline]
            fn decode<B: Buf>(buf: &mut B, _cx: Ctx) -> Result<Self, DecodeError> {
                ensure_remaining(buf, std::mem::size_of::<$ty>())?;
                Ok(buf.$get())
            }
        }

        impl Describe for $ty {
            fn kafka_type() -> String {
                $kafka.to_owned()
            }
        }
    )*};
}

fixed_width! {
    i8 => "int8", put_i8, get_i8;
    i16 => "int16", put_i16, get_i16;
    i32 => "int32", put_i32, get_i32;
    i64 => "int64", put_i64, get_i64;
    u16 => "uint16", put_u16, get_u16;
    u32 => "uint32", put_u32, get_u32;
    f64 => "float64", put_f64, get_f64;
}

impl Encode for bool {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, _cx: Ctx) -> Result<(), EncodeError> {
        buf.put_u8(u8::from(*self));
        Ok(())
    }

    #[inline]
    fn encoded_len(&self, _cx: Ctx) -> usize {
        1
    }
}

impl Decode for bool {
    /// Any non-zero byte is `true`, as in Kafka's Java reader.
    #[inline]
    fn decode<B: Buf>(buf: &mut B, _cx: Ctx) -> Result<Self, DecodeError> {
        ensure_remaining(buf, 1)?;
        Ok(buf.get_u8() != 0)
    }
}

impl Describe for bool {
    fn kafka_type() -> String {
        "bool".to_owned()
    }
}

macro_rules! varint_newtype {
    ($(#[$doc:meta])* $name:ident($inner:ty) => $kafka:literal, $put:ident, $get:ident, $len:ident;) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $inner);

        impl Encode for $name {
            #[inline]
            fn encode<B: EncodeBuf>(&self, buf: &mut B, _cx: Ctx) -> Result<(), EncodeError> {
                varint::$put(buf, self.0);
                Ok(())
            }

            #[inline]
            fn encoded_len(&self, _cx: Ctx) -> usize {
                varint::$len(self.0)
            }
        }

        impl Decode for $name {
            #[inline]
            fn decode<B: Buf>(buf: &mut B, _cx: Ctx) -> Result<Self, DecodeError> {
                varint::$get(buf).map($name)
            }
        }

        impl Describe for $name {
            fn kafka_type() -> String {
                $kafka.to_owned()
            }
        }
    };
}

varint_newtype! {
    /// A zigzag-encoded 32-bit varint (`varint` in Kafka's schemas).
    VarInt(i32) => "varint", put_varint, get_varint, varint_len;
}
varint_newtype! {
    /// A zigzag-encoded 64-bit varint (`varlong` in Kafka's schemas).
    VarLong(i64) => "varlong", put_varlong, get_varlong, varlong_len;
}
varint_newtype! {
    /// An unsigned LEB128 varint, as used for compact lengths and tags.
    UnsignedVarint(u32) => "uvarint", put_unsigned_varint, get_unsigned_varint, unsigned_varint_len;
}
