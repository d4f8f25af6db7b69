//! `krafka consume -f FORMAT`: kcat-style format strings.
//!
//! `%t` topic, `%p` partition, `%o` offset, `%k` key, `%s` value, `%T`
//! timestamp (ms since the epoch), `%h` headers (`name=value,…`; a null
//! header value prints the name alone), `%K` / `%S` key / value length
//! (-1 when null), `%%` a percent sign; `\n`, `\t` and the other escapes
//! of [`unescape`](super::escape::unescape) anywhere.

use std::io::{self, Write};

use krafka::protocol::RecordHeaders;

use super::escape::unescape;

/// One piece of a parsed format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Bytes written as they are.
    Literal(Vec<u8>),
    /// `%t`
    Topic,
    /// `%p`
    Partition,
    /// `%o`
    Offset,
    /// `%k`
    Key,
    /// `%s`
    Value,
    /// `%T`
    Timestamp,
    /// `%h`
    Headers,
    /// `%K`
    KeyLength,
    /// `%S`
    ValueLength,
}

/// The fields of a record a format can show.
#[derive(Debug, Clone, Copy)]
pub struct RecordFields<'a> {
    /// Topic name.
    pub topic: &'a str,
    /// Partition index.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
    /// Timestamp, ms since the epoch.
    pub timestamp: i64,
    /// Key (`None`: null).
    pub key: Option<&'a [u8]>,
    /// Value (`None`: null).
    pub value: Option<&'a [u8]>,
    /// Headers, in order.
    pub headers: &'a RecordHeaders,
}

/// A parsed format string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    pieces: Vec<Piece>,
    /// What a null key or value prints as (`-Z`: `NULL`; else nothing).
    null: Vec<u8>,
}

impl Format {
    /// Parses `text`. An unknown `%` directive or escape is an error.
    pub fn parse(text: &str) -> Result<Format, String> {
        let mut pieces = Vec::new();
        let mut literal = Literal::default();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                literal.raw.push(c);
                continue;
            }
            let piece = match chars.next() {
                Some('%') => {
                    literal.push_percent()?;
                    continue;
                }
                Some('t') => Piece::Topic,
                Some('p') => Piece::Partition,
                Some('o') => Piece::Offset,
                Some('k') => Piece::Key,
                Some('s') => Piece::Value,
                Some('T') => Piece::Timestamp,
                Some('h') => Piece::Headers,
                Some('K') => Piece::KeyLength,
                Some('S') => Piece::ValueLength,
                Some(other) => {
                    return Err(format!(
                        "unknown directive `%{other}` in format `{text}` \
                         (known: %t %p %o %k %s %T %h %K %S %%)"
                    ));
                }
                None => return Err(format!("format `{text}` ends with a lone `%`")),
            };
            literal.flush_into(&mut pieces)?;
            pieces.push(piece);
        }
        literal.flush_into(&mut pieces)?;
        Ok(Format::from_pieces(pieces))
    }

    /// A format made of these pieces.
    pub fn from_pieces(pieces: Vec<Piece>) -> Format {
        Format {
            pieces,
            null: Vec::new(),
        }
    }

    /// Null keys and values print as `null` instead of nothing.
    pub fn null_as(mut self, null: &str) -> Format {
        self.null = null.as_bytes().to_vec();
        self
    }

    /// The parsed pieces.
    #[cfg(test)]
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Writes `record` as this format says.
    pub fn write(&self, record: &RecordFields<'_>, out: &mut dyn Write) -> io::Result<()> {
        for piece in &self.pieces {
            match piece {
                Piece::Literal(bytes) => out.write_all(bytes)?,
                Piece::Topic => out.write_all(record.topic.as_bytes())?,
                Piece::Partition => write!(out, "{}", record.partition)?,
                Piece::Offset => write!(out, "{}", record.offset)?,
                Piece::Key => out.write_all(record.key.unwrap_or(&self.null))?,
                Piece::Value => out.write_all(record.value.unwrap_or(&self.null))?,
                Piece::Timestamp => write!(out, "{}", record.timestamp)?,
                Piece::Headers => write_headers(record.headers, out)?,
                Piece::KeyLength => write!(out, "{}", length(record.key))?,
                Piece::ValueLength => write!(out, "{}", length(record.value))?,
            }
        }
        Ok(())
    }
}

/// Literal text being collected: escapes are resolved per run of text
/// between directives, and `%%` adds a plain percent sign.
#[derive(Default)]
struct Literal {
    bytes: Vec<u8>,
    raw: String,
}

impl Literal {
    fn resolve(&mut self) -> Result<(), String> {
        if !self.raw.is_empty() {
            self.bytes.extend(unescape(&self.raw)?);
            self.raw.clear();
        }
        Ok(())
    }

    fn push_percent(&mut self) -> Result<(), String> {
        self.resolve()?;
        self.bytes.push(b'%');
        Ok(())
    }

    fn flush_into(&mut self, pieces: &mut Vec<Piece>) -> Result<(), String> {
        self.resolve()?;
        if !self.bytes.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut self.bytes)));
        }
        Ok(())
    }
}

fn length(bytes: Option<&[u8]>) -> i64 {
    bytes.map_or(-1, |b| i64::try_from(b.len()).unwrap_or(i64::MAX))
}

/// `name=value,name2=value2`; a null value prints the name alone.
fn write_headers(headers: &RecordHeaders, out: &mut dyn Write) -> io::Result<()> {
    for (i, header) in headers.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(&header.key)?;
        if let Some(value) = &header.value {
            out.write_all(b"=")?;
            out.write_all(value)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka::protocol::Header;

    static NO_HEADERS: RecordHeaders = RecordHeaders::new();

    fn render(format: &Format, fields: &RecordFields<'_>) -> String {
        let mut out = Vec::new();
        format.write(fields, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn fields(headers: &RecordHeaders) -> RecordFields<'_> {
        RecordFields {
            topic: "events",
            partition: 3,
            offset: 42,
            timestamp: 1_700_000_000_123,
            key: Some(b"k1"),
            value: Some(b"hello"),
            headers,
        }
    }

    #[test]
    fn parses_directives_and_escapes() {
        let format = Format::parse("%t/%p@%o\t%k=%s\\n").unwrap();
        assert_eq!(
            format.pieces(),
            &[
                Piece::Topic,
                Piece::Literal(b"/".to_vec()),
                Piece::Partition,
                Piece::Literal(b"@".to_vec()),
                Piece::Offset,
                Piece::Literal(b"\t".to_vec()),
                Piece::Key,
                Piece::Literal(b"=".to_vec()),
                Piece::Value,
                Piece::Literal(b"\n".to_vec()),
            ]
        );
    }

    #[test]
    fn percent_and_every_directive() {
        let format = Format::parse("%%s %T %K %S %h").unwrap();
        assert_eq!(format.pieces()[0], Piece::Literal(b"%s ".to_vec()));
        let headers =
            RecordHeaders::from_headers(&[Header::new("a", Some(b"1")), Header::new("flag", None)]);
        assert_eq!(
            render(&format, &fields(&headers)),
            "%s 1700000000123 2 5 a=1,flag"
        );
    }

    #[test]
    fn renders_a_record() {
        let format = Format::parse("%t-%p-%o: %k -> %s\\n").unwrap();
        assert_eq!(
            render(&format, &fields(&NO_HEADERS)),
            "events-3-42: k1 -> hello\n"
        );
    }

    #[test]
    fn nulls_print_empty_or_as_asked_and_have_length_minus_one() {
        let mut record = fields(&NO_HEADERS);
        record.key = None;
        record.value = None;
        let format = Format::parse("[%k][%s] %K %S").unwrap();
        assert_eq!(render(&format, &record), "[][] -1 -1");
        let format = format.null_as("NULL");
        assert_eq!(render(&format, &record), "[NULL][NULL] -1 -1");
        record.value = Some(b"");
        assert_eq!(render(&format, &record), "[NULL][] -1 0");
    }

    #[test]
    fn rejects_unknown_directives() {
        assert!(Format::parse("%x").unwrap_err().contains("%x"));
        assert!(Format::parse("abc%").is_err());
        assert!(Format::parse("\\q").is_err());
        assert!(Format::parse("\\%%").is_err());
        assert_eq!(
            Format::parse("\\\\%%").unwrap().pieces(),
            &[Piece::Literal(b"\\%".to_vec())]
        );
    }
}
