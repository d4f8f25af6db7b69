//! [`RecordHeaders`]: the headers of a decoded record, read from the
//! record's bytes when asked for.
//!
//! A header takes as little as two bytes on the wire, and a [`Header`]
//! value (two `Bytes` handles) takes 64 in memory: a record with many small
//! headers would cost thirty times its size if they were all made up front.
//! Keeping the record's header section as one slice costs one handle
//! whatever the count, and reading it again is cheap (it was validated when
//! the record was read).

use std::fmt;
use std::hash::{Hash, Hasher};

use bytes::Bytes;

use super::record::{Header, read_header, write_header};

/// The headers of a decoded [`Record`](super::Record), in wire order
/// (keys may repeat).
///
/// ```
/// # use krafka_core::records::{Header, RecordHeaders};
/// let headers = RecordHeaders::from_headers(&[
///     Header::new("trace", Some(b"a1")),
///     Header::new("retry", None),
///     Header::new("trace", Some(b"b2")),
/// ]);
/// assert_eq!(headers.len(), 3);
/// assert_eq!(headers.last("trace").and_then(|h| h.value).as_deref(), Some(&b"b2"[..]));
/// for header in &headers {
///     println!("{:?}", header.key_str());
/// }
/// ```
#[derive(Clone, Default)]
pub struct RecordHeaders {
    /// The headers as encoded in the record, after their count.
    raw: Bytes,
}

impl RecordHeaders {
    /// No headers.
    pub const fn new() -> Self {
        RecordHeaders { raw: Bytes::new() }
    }

    /// From a record's header section (after the count), which the record
    /// parser validated.
    pub(crate) fn from_validated(raw: Bytes) -> Self {
        RecordHeaders { raw }
    }

    /// Headers made from values (encoded into one buffer).
    pub fn from_headers(headers: &[Header]) -> Self {
        let mut raw = Vec::new();
        for header in headers {
            write_header(&mut raw, header);
        }
        RecordHeaders { raw: raw.into() }
    }

    /// The headers, each a [`Header`] whose bytes are slices of the record.
    pub fn iter(&self) -> HeaderIter<'_> {
        HeaderIter {
            raw: &self.raw,
            at: 0,
        }
    }

    /// Number of headers (counted by walking them).
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the record has none.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The last header with `key` (the one that wins when keys repeat).
    pub fn last(&self, key: &str) -> Option<Header> {
        self.iter().filter(|h| h.key == key.as_bytes()).last()
    }

    /// Every header as a value.
    pub fn to_vec(&self) -> Vec<Header> {
        self.iter().collect()
    }

    /// Bytes the headers take in the record.
    pub fn encoded_len(&self) -> usize {
        self.raw.len()
    }
}

/// Iterator over [`RecordHeaders`].
#[derive(Debug, Clone)]
pub struct HeaderIter<'a> {
    raw: &'a Bytes,
    at: usize,
}

impl Iterator for HeaderIter<'_> {
    type Item = Header;

    fn next(&mut self) -> Option<Header> {
        let (key, value) = read_header(self.raw, &mut self.at)?;
        Some(Header {
            key: self.raw.slice(key),
            value: value.map(|value| self.raw.slice(value)),
        })
    }
}

impl<'a> IntoIterator for &'a RecordHeaders {
    type Item = Header;
    type IntoIter = HeaderIter<'a>;

    fn into_iter(self) -> HeaderIter<'a> {
        self.iter()
    }
}

impl From<Vec<Header>> for RecordHeaders {
    fn from(headers: Vec<Header>) -> Self {
        RecordHeaders::from_headers(&headers)
    }
}

impl FromIterator<Header> for RecordHeaders {
    fn from_iter<I: IntoIterator<Item = Header>>(headers: I) -> Self {
        let mut raw = Vec::new();
        for header in headers {
            write_header(&mut raw, &header);
        }
        RecordHeaders { raw: raw.into() }
    }
}

impl fmt::Debug for RecordHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Equal when the headers are, whatever varint forms they were written in.
impl PartialEq for RecordHeaders {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw || self.iter().eq(other.iter())
    }
}

impl Eq for RecordHeaders {}

impl Hash for RecordHeaders {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for header in self {
            header.hash(state);
        }
    }
}

impl PartialEq<[Header]> for RecordHeaders {
    fn eq(&self, other: &[Header]) -> bool {
        self.iter().eq(other.iter().cloned())
    }
}

impl PartialEq<Vec<Header>> for RecordHeaders {
    fn eq(&self, other: &Vec<Header>) -> bool {
        *self == other[..]
    }
}

impl<const N: usize> PartialEq<[Header; N]> for RecordHeaders {
    fn eq(&self, other: &[Header; N]) -> bool {
        *self == other[..]
    }
}

impl PartialEq<RecordHeaders> for Vec<Header> {
    fn eq(&self, other: &RecordHeaders) -> bool {
        *other == self[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_compare() {
        let values = vec![
            Header::new("a", Some(b"1")),
            Header::new("b", None),
            Header::new("a", Some(b"")),
        ];
        let headers = RecordHeaders::from_headers(&values);
        assert_eq!(headers.len(), 3);
        assert_eq!(headers, values);
        assert_eq!(values, headers);
        assert_eq!(headers.to_vec(), values);
        assert_eq!(headers.last("a"), Some(Header::new("a", Some(b""))));
        assert_eq!(headers.last("c"), None);
        assert_eq!(headers.iter().collect::<RecordHeaders>(), headers);
        assert!(RecordHeaders::new().is_empty());
        assert_eq!(RecordHeaders::new(), Vec::<Header>::new());
        let one = vec![Header::new("k", None)];
        assert_eq!(
            format!("{:?}", RecordHeaders::from(one.clone())),
            format!("{one:?}")
        );
    }
}
