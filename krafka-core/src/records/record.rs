//! One record inside a v2 batch, and its headers.
//!
//! ```text
//! length varint | attributes i8 | timestampDelta varlong | offsetDelta varint
//! | keyLength varint | key | valueLength varint | value
//! | headerCount varint | (headerKeyLength varint | headerKey | headerValueLength varint | headerValue)*
//! ```
//!
//! Varints are zigzag-encoded; a key, value or header value of length -1 is null.

use std::str::Utf8Error;

use bytes::Bytes;

use super::headers::RecordHeaders;
use crate::KrafkaError;
use crate::codec::DecodeError;
use crate::codec::varint::{get_varint, get_varlong, put_varint, varint_len};

/// A record header: a string key and a nullable value.
///
/// The key is kept as bytes so decoding stays zero-copy; Kafka requires it to
/// be UTF-8, see [`Header::key_str`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Header {
    /// Header name (UTF-8 on a well-formed record).
    pub key: Bytes,
    /// Header value; `None` is a null value, distinct from an empty one.
    pub value: Option<Bytes>,
}

impl Header {
    /// A header from borrowed data (copied).
    ///
    /// ```
    /// # use krafka_core::records::Header;
    /// let traced = Header::new("trace-id", Some(b"abc123"));
    /// let flagged = Header::new("retry", None);
    /// # assert_eq!(traced.value.as_deref(), Some(&b"abc123"[..]));
    /// # assert!(flagged.value.is_none());
    /// ```
    pub fn new(key: &str, value: Option<&[u8]>) -> Self {
        Header {
            key: Bytes::copy_from_slice(key.as_bytes()),
            value: value.map(Bytes::copy_from_slice),
        }
    }

    /// A header from owned buffers, without copying.
    pub fn from_bytes(key: impl Into<Bytes>, value: Option<Bytes>) -> Self {
        Header {
            key: key.into(),
            value,
        }
    }

    /// The key as a string.
    pub fn key_str(&self) -> Result<&str, Utf8Error> {
        std::str::from_utf8(&self.key)
    }

    fn encoded_len(&self) -> Result<usize, KrafkaError> {
        Ok(bytes_len(Some(&self.key), "header key")?
            + bytes_len(self.value.as_deref(), "header value")?)
    }
}

/// A decoded record with its absolute offset and timestamp.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Record {
    /// Offset in the partition: the batch's base offset plus the record's delta.
    pub offset: i64,
    /// Milliseconds since the epoch: the batch's base timestamp plus the
    /// record's delta, or the batch's max timestamp under log-append time.
    pub timestamp: i64,
    /// Record key; `None` is a null key, distinct from an empty one.
    pub key: Option<Bytes>,
    /// Record value; `None` is a null value (a tombstone on compacted topics).
    pub value: Option<Bytes>,
    /// Headers in wire order; keys may repeat. Read from the record's bytes
    /// when asked for.
    pub headers: RecordHeaders,
    /// The record attributes byte; Kafka defines no bits in it yet.
    pub attributes: i8,
}

/// Wire size of a nullable byte array: its varint length and its bytes.
fn bytes_len(bytes: Option<&[u8]>, what: &str) -> Result<usize, KrafkaError> {
    let length = wire_len(bytes, what)?;
    Ok(varint_len(length) + bytes.map_or(0, <[u8]>::len))
}

/// The length field of a nullable byte array: -1 for null.
fn wire_len(bytes: Option<&[u8]>, what: &str) -> Result<i32, KrafkaError> {
    match bytes {
        None => Ok(-1),
        Some(bytes) => i32::try_from(bytes.len()).map_err(|_| {
            KrafkaError::corrupt_record(format!(
                "{what} of {} bytes exceeds the 2 GiB record limit",
                bytes.len()
            ))
        }),
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        None => put_varint(out, -1),
        Some(bytes) => {
            // Lengths were checked by `bytes_len` before anything was written.
            put_varint(out, bytes.len() as i32);
            out.extend_from_slice(bytes);
        }
    }
}

/// A few varint fields encoded on the stack, appended to the output at
/// once: cheaper than growing the output byte by byte, and the encoded
/// sizes come for free.
struct Scratch {
    bytes: [u8; 24],
    len: usize,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            bytes: [0; 24],
            len: 0,
        }
    }

    fn byte(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    fn unsigned(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.byte(value as u8 | 0x80);
            value >>= 7;
        }
        self.byte(value as u8);
    }

    fn varint(&mut self, value: i32) {
        self.unsigned(u64::from(((value << 1) ^ (value >> 31)) as u32));
    }

    fn varlong(&mut self, value: i64) {
        self.unsigned(((value << 1) ^ (value >> 63)) as u64);
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Appends one record, length prefix first, to `out`.
pub(crate) fn write_record(
    out: &mut Vec<u8>,
    offset_delta: i32,
    timestamp_delta: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: &[Header],
) -> Result<(), KrafkaError> {
    // attributes | timestamp delta | offset delta | key length: at most 21 bytes.
    let mut before_key = Scratch::new();
    before_key.byte(0);
    before_key.varlong(timestamp_delta);
    before_key.varint(offset_delta);
    before_key.varint(wire_len(key, "key")?);
    let mut before_value = Scratch::new();
    before_value.varint(wire_len(value, "value")?);
    let mut before_headers = Scratch::new();
    before_headers.varint(
        i32::try_from(headers.len())
            .map_err(|_| KrafkaError::corrupt_record("more than 2^31 headers on one record"))?,
    );
    let mut headers_len = 0;
    for header in headers {
        headers_len += header.encoded_len()?;
    }
    let body = before_key.len
        + key.map_or(0, <[u8]>::len)
        + before_value.len
        + value.map_or(0, <[u8]>::len)
        + before_headers.len
        + headers_len;
    let mut length = Scratch::new();
    length.varint(i32::try_from(body).map_err(|_| {
        KrafkaError::corrupt_record(format!("record of {body} bytes exceeds the 2 GiB limit"))
    })?);

    out.reserve(length.len + body);
    out.extend_from_slice(length.as_slice());
    out.extend_from_slice(before_key.as_slice());
    if let Some(key) = key {
        out.extend_from_slice(key);
    }
    out.extend_from_slice(before_value.as_slice());
    if let Some(value) = value {
        out.extend_from_slice(value);
    }
    out.extend_from_slice(before_headers.as_slice());
    for header in headers {
        put_bytes(out, Some(&header.key));
        put_bytes(out, header.value.as_deref());
    }
    Ok(())
}

/// What a record's absolute offset and timestamp are computed from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordBase {
    pub offset: i64,
    pub timestamp: i64,
    /// `Some(max timestamp)` when the batch uses log-append time.
    pub log_append_time: Option<i64>,
}

/// Reads the record at `*pos` of `data` (a batch's uncompressed records
/// section) and moves `*pos` past it. Key, value and header bytes are slices
/// of `data`.
#[inline]
pub(crate) fn read_record(
    data: &Bytes,
    pos: &mut usize,
    base: &RecordBase,
) -> Result<Record, KrafkaError> {
    let raw = parse_record(data, pos, |span| data.slice(span.start..span.end))
        .map_err(|Malformed| diagnose(data, *pos))?;
    Ok(raw.into_record(data, base))
}

/// Reads `count` records from the start of `data` into `out`, and returns
/// where the last one ends. The loop behind
/// [`RecordBatch::collect_records`](super::RecordBatch::collect_records).
/// After an error `out` holds placeholder records and is to be dropped.
///
/// Records are appended with `Vec::extend` over a counted range rather than
/// pushed one at a time: with no capacity check between making a record and
/// storing it, the compiler writes it straight into the vector instead of
/// building it on the stack and copying it (a store-forwarding stall per
/// record; the owned decode benchmark measured about 20% faster this way).
/// The range goes a chunk at a time, so a lying count reserves at most one
/// chunk beyond the records really read.
pub(crate) fn read_records_into(
    data: &Bytes,
    count: usize,
    base: &RecordBase,
    out: &mut Vec<Record>,
) -> Result<usize, KrafkaError> {
    const CHUNK: usize = 1024;
    let mut pos = 0;
    let mut failure = None;
    let mut left = count;
    while left > 0 && failure.is_none() {
        let chunk = left.min(CHUNK);
        left -= chunk;
        out.extend((0..chunk).map(|_| {
            if failure.is_some() {
                return Record::default();
            }
            match parse_record(data, &mut pos, |span| data.slice(span.start..span.end)) {
                Ok(raw) => raw.into_record(data, base),
                Err(Malformed) => {
                    failure = Some(diagnose(data, pos));
                    Record::default()
                }
            }
        }));
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(pos),
    }
}

/// Like [`read_record`], borrowing the bytes instead.
#[inline]
pub(crate) fn read_record_view<'a>(
    data: &'a [u8],
    pos: &mut usize,
    base: &RecordBase,
) -> Result<RecordView<'a>, KrafkaError> {
    let raw = parse_record(data, pos, |span| {
        data.get(span.start..span.end).unwrap_or_default()
    })
    .map_err(|Malformed| diagnose(data, *pos))?;
    Ok(RecordView {
        offset: base.record_offset(raw.offset_delta),
        timestamp: base.record_timestamp(raw.timestamp_delta),
        key: raw.key,
        value: raw.value,
        attributes: raw.attributes as i8,
        headers: HeaderViews {
            spans: HeaderSpans::new(data, raw.headers, raw.header_count),
        },
    })
}

impl RawRecord<Bytes> {
    /// The owned record; header bytes are sliced out of `data`, the
    /// section the header spans index into.
    #[inline(always)]
    fn into_record(self, data: &Bytes, base: &RecordBase) -> Record {
        Record {
            offset: base.record_offset(self.offset_delta),
            timestamp: base.record_timestamp(self.timestamp_delta),
            key: self.key,
            value: self.value,
            headers: if self.header_count == 0 {
                RecordHeaders::new()
            } else {
                RecordHeaders::from_validated(data.slice(self.headers.start..self.headers.end))
            },
            attributes: self.attributes as i8,
        }
    }
}

/// The header at `*at` of `raw` (a header section [`parse_record`]
/// validated): the positions of its key and value. `None` at the end.
pub(super) fn read_header(
    raw: &[u8],
    at: &mut usize,
) -> Option<(std::ops::Range<usize>, Option<std::ops::Range<usize>>)> {
    if *at >= raw.len() {
        return None;
    }
    let (key, value) = header::<Malformed>(raw, at).ok()?;
    Some((key.start..key.end, value.map(|v| v.start..v.end)))
}

/// Appends one header as a record holds it.
pub(super) fn write_header(out: &mut Vec<u8>, header: &Header) {
    put_bytes(out, Some(&header.key));
    put_bytes(out, header.value.as_deref());
}

impl RecordBase {
    #[inline(always)]
    fn record_offset(&self, offset_delta: i32) -> i64 {
        self.offset.wrapping_add(i64::from(offset_delta))
    }

    #[inline(always)]
    fn record_timestamp(&self, timestamp_delta: i64) -> i64 {
        match self.log_append_time {
            Some(max_timestamp) => max_timestamp,
            None => self.timestamp.wrapping_add(timestamp_delta),
        }
    }
}

/// A record read without copying or reference counting: its bytes borrow
/// the batch. Cheaper than [`Record`] when the bytes are consumed on the spot.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'a> {
    /// Offset in the partition.
    pub offset: i64,
    /// Timestamp, as for [`Record::timestamp`].
    pub timestamp: i64,
    /// Record key; `None` is a null key.
    pub key: Option<&'a [u8]>,
    /// Record value; `None` is a null value.
    pub value: Option<&'a [u8]>,
    /// The record attributes byte.
    pub attributes: i8,
    headers: HeaderViews<'a>,
}

impl<'a> RecordView<'a> {
    /// The headers in wire order (already validated when the view was read).
    pub fn headers(&self) -> HeaderViews<'a> {
        self.headers
    }
}

/// A borrowed record header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderView<'a> {
    /// Header name.
    pub key: &'a [u8],
    /// Header value; `None` is null.
    pub value: Option<&'a [u8]>,
}

/// Iterator over a [`RecordView`]'s headers.
#[derive(Debug, Clone, Copy)]
pub struct HeaderViews<'a> {
    spans: HeaderSpans<'a>,
}

impl<'a> Iterator for HeaderViews<'a> {
    type Item = HeaderView<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let buf = self.spans.buf;
        let slice = |span: Span| buf.get(span.start..span.end).unwrap_or_default();
        self.spans.next().map(|(key, value)| HeaderView {
            key: slice(key),
            value: value.map(slice),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.spans.remaining))
    }
}

/// A byte range in the records section.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// A record's fields, with its key and value made into `T` (owned or
/// borrowed bytes) as they are read: what both [`Record`] and
/// [`RecordView`] are made from.
#[derive(Debug, Clone, Copy)]
struct RawRecord<T> {
    attributes: u8,
    timestamp_delta: i64,
    offset_delta: i32,
    key: Option<T>,
    value: Option<T>,
    header_count: usize,
    /// From just after the header count to the end of the record.
    headers: Span,
}

/// Parses and validates the record at `*pos` (headers included) and moves
/// `*pos` past it; `bytes` turns the key's and value's positions in `data`
/// into `T`. Errors are a [`Fail`] with the details, or just [`Malformed`],
/// until the caller turns them into a `KrafkaError`.
///
/// Fields are read by index: `body` is the prefix of `data` that ends where
/// the record does, so an index into it is also an index into `data`, and
/// its length is the bound every read checks.
#[inline(always)]
fn parse_record<T, E: From<Fail>>(
    data: &[u8],
    pos: &mut usize,
    bytes: impl Fn(Span) -> T,
) -> Result<RawRecord<T>, E> {
    let mut at = *pos;
    let length = varint(data, &mut at, Field::Length)?;
    let body_end = usize::try_from(length)
        .ok()
        .and_then(|length| at.checked_add(length))
        .filter(|&end| end <= data.len())
        .ok_or_else(|| E::from(Fail::Length(Field::Length, length)))?;
    let body = data.get(..body_end).unwrap_or_default();

    let attributes = *body
        .get(at)
        .ok_or_else(|| E::from(Fail::Truncated(Field::Attributes)))?;
    at += 1;
    let timestamp_delta = varlong(body, &mut at, Field::TimestampDelta)?;
    let offset_delta = varint(body, &mut at, Field::OffsetDelta)?;
    let key = nullable_span(body, &mut at, Field::Key)?;
    let value = nullable_span(body, &mut at, Field::Value)?;
    let header_count = varint(body, &mut at, Field::HeaderCount)?;
    let header_count = usize::try_from(header_count)
        .map_err(|_| E::from(Fail::Length(Field::HeaderCount, header_count)))?;
    let headers = Span {
        start: at,
        end: body_end,
    };
    // Every header takes at least two bytes, so this loop ends within the
    // record whatever count it claims.
    for _ in 0..header_count {
        header(body, &mut at)?;
    }
    if at != body_end {
        return Err(E::from(Fail::Trailing(body_end.saturating_sub(at))));
    }
    *pos = body_end;
    Ok(RawRecord {
        attributes,
        timestamp_delta,
        offset_delta,
        key: key.map(&bytes),
        value: value.map(&bytes),
        header_count,
        headers,
    })
}

/// Walks headers that [`parse_record`] already validated.
#[derive(Debug, Clone, Copy)]
struct HeaderSpans<'a> {
    /// Ends where the record ends.
    buf: &'a [u8],
    at: usize,
    remaining: usize,
}

impl<'a> HeaderSpans<'a> {
    fn new(data: &'a [u8], region: Span, count: usize) -> Self {
        HeaderSpans {
            buf: data.get(..region.end).unwrap_or_default(),
            at: region.start,
            remaining: count,
        }
    }
}

impl Iterator for HeaderSpans<'_> {
    type Item = (Span, Option<Span>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        // Validated already; a failure here would end the walk, not panic.
        header::<Malformed>(self.buf, &mut self.at).ok()
    }
}

/// One header at `body[*at]`: a non-null key and a nullable value.
#[inline(always)]
fn header<E: From<Fail>>(body: &[u8], at: &mut usize) -> Result<(Span, Option<Span>), E> {
    let key =
        nullable_span(body, at, Field::HeaderKey)?.ok_or_else(|| E::from(Fail::NullHeaderKey))?;
    let value = nullable_span(body, at, Field::HeaderValue)?;
    Ok((key, value))
}

/// A byte array with a varint length, -1 meaning null.
#[inline(always)]
fn nullable_span<E: From<Fail>>(
    body: &[u8],
    at: &mut usize,
    field: Field,
) -> Result<Option<Span>, E> {
    let length = varint(body, at, field)?;
    if length == -1 {
        return Ok(None);
    }
    let start = *at;
    let end = usize::try_from(length)
        .ok()
        .and_then(|length| start.checked_add(length))
        .filter(|&end| end <= body.len())
        .ok_or_else(|| E::from(Fail::Length(field, length)))?;
    *at = end;
    Ok(Some(Span { start, end }))
}

/// Zigzag varint at `buf[*at]`, with the one- and two-byte cases inline
/// (lengths, deltas and counts almost always fit).
#[inline(always)]
fn varint<E: From<Fail>>(buf: &[u8], at: &mut usize, field: Field) -> Result<i32, E> {
    let i = *at;
    if let Some(&first) = buf.get(i) {
        if first < 0x80 {
            *at = i + 1;
            return Ok(unzigzag32(u32::from(first)));
        }
        if let Some(&second) = buf.get(i + 1) {
            if second < 0x80 {
                *at = i + 2;
                return Ok(unzigzag32(
                    u32::from(first & 0x7f) | (u32::from(second) << 7),
                ));
            }
        }
    }
    let (value, used) = varint_slow(buf.get(i..).unwrap_or_default(), field)?;
    *at = i + used;
    Ok(value)
}

/// Zigzag varlong at `buf[*at]`, with the one-byte case inline.
#[inline(always)]
fn varlong<E: From<Fail>>(buf: &[u8], at: &mut usize, field: Field) -> Result<i64, E> {
    let i = *at;
    if let Some(&first) = buf.get(i) {
        if first < 0x80 {
            *at = i + 1;
            return Ok(unzigzag64(u64::from(first)));
        }
    }
    let (value, used) = varlong_slow(buf.get(i..).unwrap_or_default(), field)?;
    *at = i + used;
    Ok(value)
}

/// Any varint, with the number of bytes it took.
#[cold]
#[inline(never)]
fn varint_slow<E: From<Fail>>(input: &[u8], field: Field) -> Result<(i32, usize), E> {
    let mut cursor = input;
    let value =
        get_varint(&mut cursor).map_err(|error| E::from(Fail::from_varint(error, field)))?;
    Ok((value, input.len() - cursor.len()))
}

/// Any varlong, with the number of bytes it took.
#[cold]
#[inline(never)]
fn varlong_slow<E: From<Fail>>(input: &[u8], field: Field) -> Result<(i64, usize), E> {
    let mut cursor = input;
    let value =
        get_varlong(&mut cursor).map_err(|error| E::from(Fail::from_varint(error, field)))?;
    Ok((value, input.len() - cursor.len()))
}

#[inline(always)]
fn unzigzag32(value: u32) -> i32 {
    ((value >> 1) as i32) ^ -((value & 1) as i32)
}

#[inline(always)]
fn unzigzag64(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// The record fields, for error messages.
#[derive(Debug, Clone, Copy)]
enum Field {
    Length,
    Attributes,
    TimestampDelta,
    OffsetDelta,
    Key,
    Value,
    HeaderCount,
    HeaderKey,
    HeaderValue,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Length => "length",
            Field::Attributes => "attributes",
            Field::TimestampDelta => "timestamp_delta",
            Field::OffsetDelta => "offset_delta",
            Field::Key => "key",
            Field::Value => "value",
            Field::HeaderCount => "headers",
            Field::HeaderKey => "header_key",
            Field::HeaderValue => "header_value",
        }
    }
}

/// That a record is malformed, without the details: what the hot path
/// carries, so the compiler keeps a parse result in registers. A failed
/// record is parsed again by [`diagnose`] for the error message.
#[derive(Debug, Clone, Copy)]
struct Malformed;

impl From<Fail> for Malformed {
    #[inline(always)]
    fn from(_: Fail) -> Self {
        Malformed
    }
}

/// The error for the malformed record at `pos`.
#[cold]
#[inline(never)]
fn diagnose(data: &[u8], pos: usize) -> KrafkaError {
    let mut at = pos;
    match parse_record::<(), Fail>(data, &mut at, |_| ()) {
        Err(fail) => fail.into_error(pos),
        // Both parses run the same code; this cannot happen.
        Ok(_) => KrafkaError::corrupt_record(format!(
            "record at byte {pos} of the batch's records: malformed"
        )),
    }
}

/// Why a record could not be read. Kept small so the hot path passes it in
/// registers; [`Fail::into_error`] makes the public error.
#[derive(Debug, Clone, Copy)]
enum Fail {
    /// The record ended inside this field.
    Truncated(Field),
    /// A varint longer than its type allows.
    Varint(Field),
    /// A length that is negative (and not -1 where null is allowed) or
    /// longer than what is left of the record.
    Length(Field, i32),
    /// A header with a null key.
    NullHeaderKey,
    /// Bytes left in the record after its last field.
    Trailing(usize),
}

impl Fail {
    fn from_varint(error: DecodeError, field: Field) -> Self {
        match error {
            DecodeError::UnexpectedEof { .. } => Fail::Truncated(field),
            _ => Fail::Varint(field),
        }
    }

    #[cold]
    fn into_error(self, at: usize) -> KrafkaError {
        let problem = match self {
            Fail::Truncated(field) => format!("{}: truncated", field.name()),
            Fail::Varint(field) => format!("{}: malformed varint", field.name()),
            Fail::Length(field, length) => {
                format!("{}: invalid length {length}", field.name())
            }
            Fail::NullHeaderKey => "header_key: null".to_owned(),
            Fail::Trailing(extra) => {
                format!("{extra} bytes after the last field, inside the record's length")
            }
        };
        KrafkaError::corrupt_record(format!(
            "record at byte {at} of the batch's records: {problem}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: RecordBase = RecordBase {
        offset: 100,
        timestamp: 1_000,
        log_append_time: None,
    };

    fn encode(key: Option<&[u8]>, value: Option<&[u8]>, headers: &[Header]) -> Vec<u8> {
        let mut out = Vec::new();
        write_record(&mut out, 3, -7, key, value, headers).unwrap();
        out
    }

    #[test]
    fn known_bytes() {
        let bytes = encode(Some(b"k"), None, &[Header::new("h", Some(b""))]);
        assert_eq!(
            bytes,
            [
                0x14, // length 10 (zigzag)
                0x00, // attributes
                0x0d, // timestamp delta -7
                0x06, // offset delta 3
                0x02, b'k', // key length 1, key
                0x01, // value null (-1)
                0x02, // one header
                0x02, b'h', // header key
                0x00, // header value: empty, not null
            ]
        );
        let data = Bytes::from(bytes);
        let mut pos = 0;
        let record = read_record(&data, &mut pos, &BASE).unwrap();
        assert_eq!(pos, data.len());
        assert_eq!(record.offset, 103);
        assert_eq!(record.timestamp, 993);
        assert_eq!(record.key.as_deref(), Some(&b"k"[..]));
        assert_eq!(record.value, None);
        assert_eq!(record.headers, [Header::new("h", Some(b""))]);
        assert_eq!(record.headers.to_vec()[0].key_str(), Ok("h"));
    }

    #[test]
    fn log_append_time_uses_the_batch_max_timestamp() {
        let data = Bytes::from(encode(None, Some(b"v"), &[]));
        let base = RecordBase {
            log_append_time: Some(5_000),
            ..BASE
        };
        let record = read_record(&data, &mut 0, &base).unwrap();
        assert_eq!(record.timestamp, 5_000);
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = encode(
            Some(b"key"),
            Some(b"value"),
            &[Header::new("a", None), Header::new("b", Some(b"x"))],
        );
        for cut in 0..bytes.len() {
            let data = Bytes::copy_from_slice(&bytes[..cut]);
            assert!(read_record(&data, &mut 0, &BASE).is_err(), "cut at {cut}");
        }
    }

    fn with_body(body: &[u8]) -> Bytes {
        let mut out = Vec::new();
        put_varint(&mut out, body.len() as i32);
        out.extend_from_slice(body);
        Bytes::from(out)
    }

    #[test]
    fn inconsistent_lengths_are_errors() {
        // attributes, timestamp delta, offset delta, null key, null value, no headers.
        let minimal = [0u8, 0, 0, 1, 1, 0];
        assert!(read_record(&with_body(&minimal), &mut 0, &BASE).is_ok());

        // Declared length one byte longer than the fields: garbage inside the record.
        assert!(read_record(&with_body(&[0, 0, 0, 1, 1, 0, 0]), &mut 0, &BASE).is_err());
        // Key length beyond the record.
        assert!(read_record(&with_body(&[0, 0, 0, 8, 1, 0]), &mut 0, &BASE).is_err());
        // Key length -2.
        assert!(read_record(&with_body(&[0, 0, 0, 3, 1, 0]), &mut 0, &BASE).is_err());
        // Null header key.
        assert!(read_record(&with_body(&[0, 0, 0, 1, 1, 2, 1, 1]), &mut 0, &BASE).is_err());
        // Negative header count.
        assert!(read_record(&with_body(&[0, 0, 0, 1, 1, 3]), &mut 0, &BASE).is_err());
        // Negative record length.
        assert!(read_record(&Bytes::from_static(&[0x03, 0, 0]), &mut 0, &BASE).is_err());
        // A huge header count is neither pre-allocated nor trusted.
        let mut body = vec![0u8, 0, 0, 1, 1];
        put_varint(&mut body, i32::MAX);
        assert!(read_record(&with_body(&body), &mut 0, &BASE).is_err());
    }
}
