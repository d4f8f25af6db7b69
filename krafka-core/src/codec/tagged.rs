//! The tagged-field section of flexible versions (KIP-482).
//!
//! Known tagged fields are handled by the derived code; the rest are kept
//! here as raw bytes so that a message decoded and encoded again loses
//! nothing a newer peer sent.

use bytes::{Buf, BufMut, Bytes};

use super::length::check_fits;
use super::varint::{get_unsigned_varint, put_unsigned_varint, unsigned_varint_len};
use super::{DecodeError, EncodeError};

/// One tagged field whose tag this version of Krafka does not know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedField {
    /// The tag.
    pub tag: u32,
    /// The field's encoded value.
    pub data: Bytes,
}

impl TaggedField {
    fn encoded_len(&self) -> usize {
        unsigned_varint_len(self.tag)
            + unsigned_varint_len(self.data.len() as u32)
            + self.data.len()
    }
}

/// Unknown tagged fields of one struct, in ascending tag order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TaggedFields(Vec<TaggedField>);

impl TaggedFields {
    /// No unknown fields.
    pub const fn new() -> Self {
        TaggedFields(Vec::new())
    }

    /// The unknown fields, in ascending tag order.
    pub fn fields(&self) -> &[TaggedField] {
        &self.0
    }

    /// Number of unknown fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// From fields in any order; of repeated tags the last one wins (as in
    /// Kafka's Java reader). Sorting once keeps decoding linear-logarithmic
    /// whatever order a peer sends.
    #[doc(hidden)]
    pub fn from_unsorted(mut fields: Vec<TaggedField>) -> Self {
        fields.reverse();
        fields.sort_by_key(|f| f.tag);
        fields.dedup_by_key(|f| f.tag);
        TaggedFields(fields)
    }

    /// Adds (or replaces) the field with `tag`, keeping tag order.
    pub fn insert(&mut self, tag: u32, data: Bytes) {
        match self.0.binary_search_by_key(&tag, |f| f.tag) {
            Ok(i) => self.0[i].data = data,
            Err(i) => self.0.insert(i, TaggedField { tag, data }),
        }
    }

    /// Total encoded size of the unknown fields (not counting the section's
    /// field count).
    pub fn encoded_len(&self) -> usize {
        self.0.iter().map(TaggedField::encoded_len).sum()
    }

    /// Writes the unknown fields from index `*next` whose tag is below
    /// `below` (all remaining ones for `None`), advancing `*next`: derived
    /// code interleaves them with the known tagged fields in tag order.
    #[doc(hidden)]
    pub fn write_below<B: BufMut>(
        &self,
        buf: &mut B,
        next: &mut usize,
        below: Option<u32>,
    ) -> Result<(), EncodeError> {
        while let Some(field) = self.0.get(*next) {
            if below.is_some_and(|tag| field.tag >= tag) {
                break;
            }
            put_tagged_header(buf, field.tag, field.data.len())?;
            buf.put_slice(&field.data);
            *next += 1;
        }
        Ok(())
    }
}

/// Writes a tagged field's tag and size.
#[inline]
pub fn put_tagged_header<B: BufMut>(buf: &mut B, tag: u32, size: usize) -> Result<(), EncodeError> {
    let size = u32::try_from(size).map_err(|_| EncodeError::too_long(size))?;
    put_unsigned_varint(buf, tag);
    put_unsigned_varint(buf, size);
    Ok(())
}

/// The size of a tagged field's tag and size prefix.
#[inline]
pub fn tagged_header_len(tag: u32, size: usize) -> usize {
    unsigned_varint_len(tag) + unsigned_varint_len(size as u32)
}

/// Reads a tagged field's tag and its value bytes (a slice of the input).
#[inline]
pub fn get_tagged_field<B: Buf>(buf: &mut B) -> Result<(u32, Bytes), DecodeError> {
    let tag = get_unsigned_varint(buf)?;
    let size = get_unsigned_varint(buf)? as usize;
    check_fits(buf, size)?;
    Ok((tag, buf.copy_to_bytes(size)))
}
