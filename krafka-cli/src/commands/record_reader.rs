//! `krafka produce` input: records separated by a delimiter (a newline
//! unless `-D` says otherwise), each optionally split into key and value at
//! the first key delimiter (`-K`).

use std::io::{self, BufRead, Read};

/// One record read from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRecord {
    /// The key; `None` without `-K`, or when the record has no key delimiter.
    pub key: Option<Vec<u8>>,
    /// The value.
    pub value: Vec<u8>,
}

/// Reads delimited records from a buffered reader, never holding more than
/// `max_record` bytes of one record.
pub struct RecordReader<R> {
    input: R,
    delimiter: Vec<u8>,
    key_delimiter: Option<Vec<u8>>,
    max_record: usize,
    done: bool,
}

impl<R: BufRead> RecordReader<R> {
    /// Records of `input`, separated by `delimiter` (not empty).
    pub fn new(input: R, delimiter: Vec<u8>, max_record: usize) -> Result<Self, String> {
        if delimiter.is_empty() {
            return Err("the message delimiter (-D) must not be empty".to_owned());
        }
        Ok(RecordReader {
            input,
            delimiter,
            key_delimiter: None,
            max_record,
            done: false,
        })
    }

    /// Splits each record into key and value at the first `delimiter`.
    pub fn key_delimiter(mut self, delimiter: Vec<u8>) -> Result<Self, String> {
        if delimiter.is_empty() {
            return Err("the key delimiter (-K) must not be empty".to_owned());
        }
        self.key_delimiter = Some(delimiter);
        Ok(self)
    }

    /// Whether the input has no bytes read ahead: the next record may have
    /// to wait for the input (a terminal or a pipe kept open).
    pub fn drained(&self) -> bool
    where
        R: Buffered,
    {
        self.input.is_drained()
    }

    /// The next record; `Ok(None)` at the end. A last record without a
    /// trailing delimiter counts; an empty one after the last delimiter
    /// does not.
    pub fn next_record(&mut self) -> io::Result<Option<InputRecord>> {
        if self.done {
            return Ok(None);
        }
        let Some(last) = self.delimiter.last().copied() else {
            return Ok(None);
        };
        // A record of the largest size and its delimiter.
        let limit = self.max_record.saturating_add(self.delimiter.len());
        let mut record = Vec::new();
        loop {
            let room = limit.saturating_sub(record.len());
            let read = (&mut self.input)
                .take(room as u64)
                .read_until(last, &mut record)?;
            if record.ends_with(&self.delimiter) {
                record.truncate(record.len().saturating_sub(self.delimiter.len()));
                break;
            }
            if read == 0 {
                self.done = true;
                if record.is_empty() {
                    return Ok(None);
                }
                break;
            }
            if record.len() >= limit {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "a record is longer than {} bytes (max.request.size); \
                         is the delimiter (-D) right?",
                        self.max_record
                    ),
                ));
            }
        }
        Ok(Some(self.split(record)))
    }

    fn split(&self, mut record: Vec<u8>) -> InputRecord {
        let Some(delimiter) = &self.key_delimiter else {
            return InputRecord {
                key: None,
                value: record,
            };
        };
        match find(&record, delimiter) {
            Some(at) => {
                let value = record.split_off(at + delimiter.len());
                record.truncate(at);
                InputRecord {
                    key: Some(record),
                    value,
                }
            }
            None => InputRecord {
                key: None,
                value: record,
            },
        }
    }
}

/// A reader that tells whether it holds bytes read ahead.
pub trait Buffered {
    /// No bytes are buffered: the next read goes to the underlying input.
    fn is_drained(&self) -> bool;
}

impl<R: Read> Buffered for io::BufReader<R> {
    fn is_drained(&self) -> bool {
        self.buffer().is_empty()
    }
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str, delimiter: &str, key: Option<&str>) -> Vec<InputRecord> {
        let mut reader =
            RecordReader::new(input.as_bytes(), delimiter.as_bytes().to_vec(), 1024).unwrap();
        if let Some(key) = key {
            reader = reader.key_delimiter(key.as_bytes().to_vec()).unwrap();
        }
        let mut out = Vec::new();
        while let Some(record) = reader.next_record().unwrap() {
            out.push(record);
        }
        out
    }

    fn value(v: &str) -> InputRecord {
        InputRecord {
            key: None,
            value: v.as_bytes().to_vec(),
        }
    }

    #[test]
    fn lines_with_and_without_a_final_newline() {
        assert_eq!(read_all("a\nb\n", "\n", None), vec![value("a"), value("b")]);
        assert_eq!(read_all("a\nb", "\n", None), vec![value("a"), value("b")]);
        assert_eq!(
            read_all("a\n\nb\n", "\n", None),
            vec![value("a"), value(""), value("b")]
        );
        assert!(read_all("", "\n", None).is_empty());
    }

    #[test]
    fn multi_byte_delimiters() {
        assert_eq!(
            read_all("a|b||c|d||", "||", None),
            vec![value("a|b"), value("c|d")]
        );
        assert_eq!(read_all("x||", "||", None), vec![value("x")]);
    }

    #[test]
    fn keys_before_the_first_key_delimiter() {
        let records = read_all("k1:v1\nnokey\nk2:v:2\n:empty\n", "\n", Some(":"));
        assert_eq!(
            records,
            vec![
                InputRecord {
                    key: Some(b"k1".to_vec()),
                    value: b"v1".to_vec()
                },
                value("nokey"),
                InputRecord {
                    key: Some(b"k2".to_vec()),
                    value: b"v:2".to_vec()
                },
                InputRecord {
                    key: Some(Vec::new()),
                    value: b"empty".to_vec()
                },
            ]
        );
    }

    #[test]
    fn a_record_is_bounded() {
        let long = "x".repeat(20);
        let mut reader = RecordReader::new(long.as_bytes(), b"\n".to_vec(), 8).unwrap();
        let error = reader.next_record().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        let mut reader = RecordReader::new("12345678\n".as_bytes(), b"\n".to_vec(), 8).unwrap();
        assert_eq!(reader.next_record().unwrap(), Some(value("12345678")));
        assert_eq!(reader.next_record().unwrap(), None);
    }

    #[test]
    fn empty_delimiters_are_refused() {
        assert!(RecordReader::new(&b""[..], Vec::new(), 8).is_err());
        let reader = RecordReader::new(&b""[..], b"\n".to_vec(), 8).unwrap();
        assert!(reader.key_delimiter(Vec::new()).is_err());
    }
}
