//! Kafka's `uuid` type: 16 raw bytes, shown in Kafka's URL-safe base64 form.

use std::fmt;

use super::EncodeBuf;
use bytes::Buf;

use super::schema::Describe;
use super::{Ctx, Decode, DecodeError, Encode, EncodeError, ensure_remaining};

/// A 128-bit identifier (topic ids, producer ids of KIP-890, ...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// The all-zero id Kafka uses for "no id".
    pub const ZERO: Uuid = Uuid([0; 16]);

    /// From the two 64-bit halves, most significant first (Java's layout).
    pub fn from_u64_pair(most: u64, least: u64) -> Self {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&most.to_be_bytes());
        out[8..].copy_from_slice(&least.to_be_bytes());
        Uuid(out)
    }
}

impl fmt::Display for Uuid {
    /// URL-safe base64 without padding, as Kafka prints topic ids.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::with_capacity(22);
        for chunk in self.0.chunks(3) {
            let mut n = 0u32;
            for (i, b) in chunk.iter().enumerate() {
                n |= u32::from(*b) << (16 - 8 * i);
            }
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            }
        }
        f.write_str(&out)
    }
}

impl Encode for Uuid {
    #[inline]
    fn encode<B: EncodeBuf>(&self, buf: &mut B, _cx: Ctx) -> Result<(), EncodeError> {
        buf.put_slice(&self.0);
        Ok(())
    }

    #[inline]
    fn encoded_len(&self, _cx: Ctx) -> usize {
        16
    }
}

impl Decode for Uuid {
    #[inline]
    fn decode<B: Buf>(buf: &mut B, _cx: Ctx) -> Result<Self, DecodeError> {
        ensure_remaining(buf, 16)?;
        let mut out = [0; 16];
        buf.copy_to_slice(&mut out);
        Ok(Uuid(out))
    }
}

impl Describe for Uuid {
    fn kafka_type() -> String {
        "uuid".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Uuid;

    #[test]
    fn displays_as_kafka_base64() {
        assert_eq!(Uuid::ZERO.to_string(), "AAAAAAAAAAAAAAAAAAAAAA");
        let id = Uuid::from_u64_pair(u64::MAX, u64::MAX);
        assert_eq!(id.to_string(), "_____________________w");
    }
}
