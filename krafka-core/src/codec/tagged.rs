//! The tagged-field section of flexible versions (KIP-482).
//!
//! Known tagged fields are handled by the derived code; the rest are kept
//! here as their encoded bytes so that a message decoded and encoded again
//! loses nothing a newer peer sent.
//!
//! Unknown fields are kept as one buffer of encoded fields, not one value
//! per field: a peer can send millions of empty tags in a few MiB, and a
//! per-field value (a tag and a `Bytes` handle) would cost twenty times the
//! two bytes each of them takes on the wire. When the unknown fields of a
//! section sit next to each other in the input, in ascending tag order and
//! with shortest-form varints (what every Kafka implementation writes), the
//! buffer is a slice of the input and decoding allocates nothing for them
//! beyond one small box per struct that has any.

use std::fmt;
use std::ops::Range;

use super::EncodeBuf;
use bytes::{Buf, Bytes};

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

/// Unknown tagged fields of one struct, in ascending tag order, each tag
/// at most once.
///
/// Held as the fields' encoding (tag, size and value of each, shortest-form
/// varints), boxed so that a struct without unknown fields (nearly all of
/// them) pays one pointer.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TaggedFields(Option<Box<Bytes>>);

impl TaggedFields {
    /// No unknown fields.
    pub const fn new() -> Self {
        TaggedFields(None)
    }

    /// From encoded fields that are already in canonical form.
    fn from_raw(raw: Bytes) -> Self {
        if raw.is_empty() {
            TaggedFields(None)
        } else {
            TaggedFields(Some(Box::new(raw)))
        }
    }

    /// The encoded fields: each one's tag, size and value, in tag order.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_deref().map_or(&[], |raw| &raw[..])
    }

    /// The unknown fields, in ascending tag order; their data are slices of
    /// the kept buffer.
    pub fn iter(&self) -> impl Iterator<Item = TaggedField> + '_ {
        let raw = self.0.as_deref();
        Entries::new(self.as_bytes()).filter_map(move |entry| {
            Some(TaggedField {
                tag: entry.tag,
                data: raw?.slice(entry.data),
            })
        })
    }

    /// The data of the field with `tag`, if kept.
    pub fn get(&self, tag: u32) -> Option<Bytes> {
        self.iter().find(|f| f.tag == tag).map(|f| f.data)
    }

    /// Number of unknown fields (counted by walking them).
    pub fn len(&self) -> usize {
        Entries::new(self.as_bytes()).count()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Adds (or replaces) the field with `tag`, keeping tag order. Copies
    /// the kept fields: meant for building messages, not for bulk use.
    pub fn insert(&mut self, tag: u32, data: Bytes) {
        let old = self.as_bytes();
        let mut raw =
            Vec::with_capacity(old.len() + tagged_header_len(tag, data.len()) + data.len());
        let mut written = false;
        for entry in Entries::new(old) {
            if !written && entry.tag >= tag {
                put_field(&mut raw, tag, &data);
                written = true;
            }
            if entry.tag != tag {
                raw.extend_from_slice(old.get(entry.whole).unwrap_or_default());
            }
        }
        if !written {
            put_field(&mut raw, tag, &data);
        }
        *self = TaggedFields::from_raw(raw.into());
    }

    /// Total encoded size of the unknown fields (not counting the section's
    /// field count).
    pub fn encoded_len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Writes the unknown fields from byte position `*next` whose tag is
    /// below `below` (all remaining ones for `None`), advancing `*next`:
    /// derived code interleaves them with the known tagged fields in tag
    /// order.
    #[doc(hidden)]
    pub fn write_below<B: EncodeBuf>(
        &self,
        buf: &mut B,
        next: &mut usize,
        below: Option<u32>,
    ) -> Result<(), EncodeError> {
        let raw = self.as_bytes();
        let start = *next;
        let mut end = start;
        for entry in Entries::at(raw, start) {
            if below.is_some_and(|tag| entry.tag >= tag) {
                break;
            }
            end = entry.whole.end;
        }
        if let Some(run) = raw.get(start..end) {
            buf.put_slice(run);
        }
        *next = end;
        Ok(())
    }
}

impl fmt::Debug for TaggedFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One field in an encoded run of fields.
struct Entry {
    tag: u32,
    /// The value.
    data: Range<usize>,
    /// Tag, size and value.
    whole: Range<usize>,
}

/// Walks encoded fields; ends at the end of the input or at anything
/// malformed (kept buffers were validated when they were made).
struct Entries<'a> {
    raw: &'a [u8],
    at: usize,
}

impl<'a> Entries<'a> {
    fn new(raw: &'a [u8]) -> Self {
        Entries { raw, at: 0 }
    }

    fn at(raw: &'a [u8], at: usize) -> Self {
        Entries { raw, at }
    }
}

impl Iterator for Entries<'_> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let start = self.at;
        let (tag, data) = read_field(self.raw, start).ok()?;
        self.at = data.end;
        Some(Entry {
            tag,
            whole: start..data.end,
            data,
        })
    }
}

/// Reads the field that starts at `start` of `raw`: its tag and where its
/// value is.
fn read_field(raw: &[u8], start: usize) -> Result<(u32, Range<usize>), DecodeError> {
    let mut view = raw.get(start..).unwrap_or_default();
    let tag = get_unsigned_varint(&mut view)?;
    let size = get_unsigned_varint(&mut view)? as usize;
    check_fits(&view, size)?;
    let data_start = raw.len() - view.len();
    Ok((tag, data_start..data_start + size))
}

/// Appends one field in canonical form.
fn put_field(out: &mut Vec<u8>, tag: u32, data: &[u8]) {
    put_unsigned_varint(out, tag);
    put_unsigned_varint(out, data.len() as u32);
    out.extend_from_slice(data);
}

/// The tagged section of one struct being decoded: what derived code reads
/// known tagged fields from, and collects the unknown ones with.
///
/// The section is taken from the input as one `Bytes` (a slice when the
/// input is a `Bytes`), and the unknown fields are kept as one slice of it
/// when they are contiguous and canonical, else copied once into a buffer
/// of their own.
#[doc(hidden)]
#[derive(Debug)]
pub struct TaggedSection {
    section: Bytes,
    /// Where the next field starts.
    pos: usize,
    /// Fields not read yet.
    left: u32,
    /// The field [`next_field`](Self::next_field) returned last.
    tag: u32,
    field_start: usize,
    data: Range<usize>,
    /// The unknown fields kept so far, while they are one run of the section.
    run: Option<Range<usize>>,
    /// The unknown fields, once they are not one run of the section.
    copied: Option<Vec<u8>>,
    last_tag: Option<u32>,
    /// The unknown tags came in ascending order, none twice.
    ascending: bool,
}

impl TaggedSection {
    /// Reads the field count and takes the section's bytes from `buf`.
    pub fn read<B: Buf>(buf: &mut B) -> Result<Self, DecodeError> {
        let count = get_unsigned_varint(buf)?;
        let section = if count == 0 {
            Bytes::new()
        } else {
            let chunk = buf.chunk();
            match section_len(chunk, count) {
                Ok(len) if u32::try_from(len).is_err() => {
                    return Err(DecodeError::length(len as i64, buf.remaining()));
                }
                Ok(len) => buf.copy_to_bytes(len),
                // The input is not one contiguous chunk: copy field by field.
                Err(_) if chunk.len() < buf.remaining() => copy_section(buf, count)?,
                Err(error) => return Err(error),
            }
        };
        Ok(TaggedSection {
            section,
            pos: 0,
            left: count,
            tag: 0,
            field_start: 0,
            data: 0..0,
            run: None,
            copied: None,
            last_tag: None,
            ascending: true,
        })
    }

    /// The tag of the next field, `None` after the last one.
    pub fn next_field(&mut self) -> Result<Option<u32>, DecodeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let (tag, data) = read_field(&self.section, self.pos)?;
        self.field_start = self.pos;
        self.pos = data.end;
        self.tag = tag;
        self.data = data;
        Ok(Some(tag))
    }

    /// The value of the field returned last (a slice of the section).
    pub fn data(&self) -> Bytes {
        self.section.slice(self.data.clone())
    }

    /// Keeps the field returned last as an unknown field.
    pub fn keep_unknown(&mut self) {
        let whole = self.field_start..self.data.end;
        let canonical =
            self.data.start - self.field_start == tagged_header_len(self.tag, self.data.len());
        if self.ascending && self.last_tag.is_some_and(|last| last >= self.tag) {
            self.ascending = false;
        }
        self.last_tag = Some(self.tag);
        if self.copied.is_none() && canonical {
            match &mut self.run {
                None => {
                    self.run = Some(whole);
                    return;
                }
                Some(run) if run.end == whole.start => {
                    run.end = whole.end;
                    return;
                }
                Some(_) => {}
            }
        }
        let run = self.run.take().unwrap_or(0..0);
        let section = &self.section;
        let copied = self.copied.get_or_insert_with(|| {
            // Shortest-form fields never take more room than the section.
            let mut copied = Vec::with_capacity(section.len());
            copied.extend_from_slice(section.get(run).unwrap_or_default());
            copied
        });
        let data = section.get(self.data.clone()).unwrap_or_default();
        put_field(copied, self.tag, data);
    }

    /// The unknown fields kept, sorted by tag (of repeated tags the last
    /// one wins, as in Kafka's Java reader).
    pub fn finish(self) -> TaggedFields {
        let raw = match (self.run, self.copied) {
            (_, Some(copied)) => Bytes::from(copied),
            (Some(run), None) => self.section.slice(run),
            (None, None) => return TaggedFields::new(),
        };
        if self.ascending {
            TaggedFields::from_raw(raw)
        } else {
            TaggedFields::from_raw(sorted(&raw))
        }
    }
}

/// The length of `count` fields at the start of `chunk`.
fn section_len(chunk: &[u8], count: u32) -> Result<usize, DecodeError> {
    let mut view = chunk;
    for _ in 0..count {
        get_unsigned_varint(&mut view)?;
        let size = get_unsigned_varint(&mut view)? as usize;
        check_fits(&view, size)?;
        view.advance(size);
    }
    Ok(chunk.len() - view.len())
}

/// Reads `count` fields from a non-contiguous `buf` into one buffer.
fn copy_section<B: Buf>(buf: &mut B, count: u32) -> Result<Bytes, DecodeError> {
    let mut out = Vec::new();
    for _ in 0..count {
        let tag = get_unsigned_varint(buf)?;
        let size = get_unsigned_varint(buf)? as usize;
        check_fits(buf, size)?;
        put_unsigned_varint(&mut out, tag);
        put_unsigned_varint(&mut out, size as u32);
        let start = out.len();
        out.resize(start + size, 0);
        buf.copy_to_slice(&mut out[start..]);
    }
    if u32::try_from(out.len()).is_err() {
        return Err(DecodeError::length(out.len() as i64, buf.remaining()));
    }
    Ok(out.into())
}

/// Canonical fields in any order (at most 4 GiB of them, which
/// [`TaggedSection::read`] ensures), sorted by tag with the last of each tag
/// kept.
///
/// Sorts one word per field, `(tag, position)`, a block at a time, keeping
/// only the last field of each tag of every block before the final sort:
/// repeated tags cost one word per distinct tag and block, distinct ones at
/// most twice the bytes they take (a field of a tag above 127 takes three
/// bytes or more).
fn sorted(raw: &[u8]) -> Bytes {
    sorted_in_blocks(raw, 1 << 20)
}

fn sorted_in_blocks(raw: &[u8], block_len: usize) -> Bytes {
    let key = |tag: u32, start: usize| (u64::from(tag) << 32) | (start as u64 & 0xffff_ffff);
    let mut kept: Vec<u64> = Vec::new();
    let mut block: Vec<u64> = Vec::new();
    for entry in Entries::new(raw) {
        block.push(key(entry.tag, entry.whole.start));
        if block.len() >= block_len {
            last_of_each_tag(&mut block);
            kept.extend_from_slice(&block);
            block.clear();
        }
    }
    last_of_each_tag(&mut block);
    kept.extend_from_slice(&block);
    drop(block);
    last_of_each_tag(&mut kept);
    let mut out = Vec::with_capacity(raw.len());
    for key in kept {
        let start = (key & 0xffff_ffff) as usize;
        if let Ok((_, data)) = read_field(raw, start) {
            out.extend_from_slice(raw.get(start..data.end).unwrap_or_default());
        }
    }
    out.into()
}

/// Sorts `(tag, position)` keys and keeps the last position of each tag.
fn last_of_each_tag(keys: &mut Vec<u64>) {
    keys.sort_unstable();
    keys.dedup_by(|later, earlier| {
        let same_tag = *later >> 32 == *earlier >> 32;
        if same_tag {
            *earlier = *later;
        }
        same_tag
    });
}

/// Writes a tagged field's tag and size.
#[inline]
pub fn put_tagged_header<B: EncodeBuf>(
    buf: &mut B,
    tag: u32,
    size: usize,
) -> Result<(), EncodeError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn encode_section(fields: &[(u32, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        put_unsigned_varint(&mut out, fields.len() as u32);
        for (tag, data) in fields {
            put_field(&mut out, *tag, data);
        }
        out
    }

    /// Decodes a section keeping every field whose tag is not in `known`.
    fn keep(input: &Bytes, known: &[u32]) -> (TaggedFields, Vec<(u32, Bytes)>) {
        let mut buf = input.clone();
        let mut section = TaggedSection::read(&mut buf).unwrap();
        let mut seen = Vec::new();
        while let Some(tag) = section.next_field().unwrap() {
            if known.contains(&tag) {
                seen.push((tag, section.data()));
            } else {
                section.keep_unknown();
            }
        }
        assert!(buf.is_empty());
        (section.finish(), seen)
    }

    fn tags(fields: &TaggedFields) -> Vec<(u32, Vec<u8>)> {
        fields.iter().map(|f| (f.tag, f.data.to_vec())).collect()
    }

    #[test]
    fn contiguous_unknown_fields_are_a_slice_of_the_input() {
        let input = Bytes::from(encode_section(&[(1, b"k"), (5, b"ab"), (9, b"")]));
        let (unknown, seen) = keep(&input, &[1]);
        assert_eq!(seen, [(1, Bytes::from_static(b"k"))]);
        assert_eq!(tags(&unknown), [(5, b"ab".to_vec()), (9, vec![])]);
        let kept = unknown.as_bytes().as_ptr_range();
        let whole = input.as_ptr_range();
        assert!(
            whole.start <= kept.start && kept.end <= whole.end,
            "zero-copy"
        );
        assert_eq!(unknown.len(), 2);
        assert_eq!(unknown.encoded_len(), 6);
    }

    #[test]
    fn interleaved_and_unsorted_fields_are_copied_sorted_last_wins() {
        let input = Bytes::from(encode_section(&[
            (7, b"x"),
            (2, b"known"),
            (3, b"a"),
            (7, b"y"),
            (1, b""),
        ]));
        let (unknown, _) = keep(&input, &[2]);
        assert_eq!(
            tags(&unknown),
            [(1, vec![]), (3, b"a".to_vec()), (7, b"y".to_vec())]
        );
    }

    #[test]
    fn the_last_of_each_tag_wins_across_blocks() {
        let fields: Vec<(u32, Vec<u8>)> = (0..20u8)
            .map(|i| (u32::from(i % 3) * 100, vec![i]))
            .collect();
        let mut raw = Vec::new();
        for (tag, data) in &fields {
            put_field(&mut raw, *tag, data);
        }
        for block_len in [1, 3, 7, 100] {
            let sorted = TaggedFields::from_raw(sorted_in_blocks(&raw, block_len));
            assert_eq!(
                tags(&sorted),
                [(0, vec![18]), (100, vec![19]), (200, vec![17])],
                "blocks of {block_len}"
            );
        }
    }

    #[test]
    fn long_form_varints_are_rewritten_in_shortest_form() {
        // Tag 4 with its size written in two bytes.
        let input = Bytes::from_static(&[1, 4, 0x81, 0x00, b'z']);
        let (unknown, _) = keep(&input, &[]);
        assert_eq!(unknown.as_bytes(), [4, 1, b'z']);
    }

    #[test]
    fn write_below_interleaves_by_tag() {
        let mut fields = TaggedFields::new();
        fields.insert(9, Bytes::from_static(b"b"));
        fields.insert(3, Bytes::from_static(b"a"));
        fields.insert(3, Bytes::from_static(b"c"));
        assert_eq!(tags(&fields), [(3, b"c".to_vec()), (9, b"b".to_vec())]);
        let mut out = Vec::new();
        let mut next = 0;
        fields.write_below(&mut out, &mut next, Some(5)).unwrap();
        assert_eq!(out, [3, 1, b'c']);
        out.push(0xff);
        fields.write_below(&mut out, &mut next, None).unwrap();
        assert_eq!(out, [3, 1, b'c', 0xff, 9, 1, b'b']);
        assert_eq!(fields.get(9), Some(Bytes::from_static(b"b")));
        assert_eq!(fields.get(4), None);
    }

    #[test]
    fn truncated_sections_are_errors() {
        for input in [&[2u8, 1, 0][..], &[1, 1, 5, 0], &[1, 0x80]] {
            let mut buf = Bytes::copy_from_slice(input);
            assert!(TaggedSection::read(&mut buf).is_err(), "{input:?}");
        }
    }

    #[test]
    fn a_split_input_is_read_field_by_field() {
        let whole = encode_section(&[(5, b"abc"), (6, b"d")]);
        let (first, second) = whole.split_at(3);
        let mut buf = Buf::chain(first, second);
        let mut section = TaggedSection::read(&mut buf).unwrap();
        while section.next_field().unwrap().is_some() {
            section.keep_unknown();
        }
        assert_eq!(
            tags(&section.finish()),
            [(5, b"abc".to_vec()), (6, b"d".to_vec())]
        );
    }
}
