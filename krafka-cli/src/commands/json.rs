//! `krafka consume -J`: one JSON object per record, with kcat's field names
//! so that scripts written for `kcat -J` keep working:
//!
//! `{"topic":"t","partition":0,"offset":5,"tstype":"create","ts":1700000000000,
//! "headers":["h","x","flag",null],"key":"k","payload":"v"}`.
//!
//! `tstype` is `create` or `logappend`; `headers` (only when the record has
//! some) alternates names and values. Null keys, payloads and header values
//! are JSON `null`; bytes that are not UTF-8 are shown with U+FFFD
//! replacement characters, unless `--base64` (kcat has no such option)
//! writes keys, payloads and header values as standard base64 (RFC 4648,
//! padded), exact for any bytes. kcat's `broker` field is left out (the
//! record does not say which broker served it).

use std::io::{self, Write};

use krafka::protocol::TimestampType;

use super::format::RecordFields;

/// How keys, payloads and header values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bytes {
    /// As text (bytes that are not UTF-8 become U+FFFD).
    Text,
    /// As base64 strings.
    Base64,
}

/// Writes `record` as one JSON line (with the newline).
pub fn write_record(
    record: &RecordFields<'_>,
    timestamp_type: TimestampType,
    bytes: Bytes,
    out: &mut dyn Write,
) -> io::Result<()> {
    let tstype = match timestamp_type {
        TimestampType::CreateTime => "create",
        TimestampType::LogAppendTime => "logappend",
    };
    out.write_all(b"{\"topic\":")?;
    write_string(record.topic.as_bytes(), out)?;
    write!(
        out,
        ",\"partition\":{},\"offset\":{},\"tstype\":\"{tstype}\",\"ts\":{}",
        record.partition, record.offset, record.timestamp
    )?;
    if !record.headers.is_empty() {
        out.write_all(b",\"headers\":[")?;
        for (i, header) in record.headers.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            write_string(&header.key, out)?;
            out.write_all(b",")?;
            write_nullable(header.value.as_deref(), bytes, out)?;
        }
        out.write_all(b"]")?;
    }
    out.write_all(b",\"key\":")?;
    write_nullable(record.key, bytes, out)?;
    out.write_all(b",\"payload\":")?;
    write_nullable(record.value, bytes, out)?;
    out.write_all(b"}\n")
}

fn write_nullable(value: Option<&[u8]>, bytes: Bytes, out: &mut dyn Write) -> io::Result<()> {
    match (value, bytes) {
        (Some(value), Bytes::Text) => write_string(value, out),
        (Some(value), Bytes::Base64) => {
            out.write_all(b"\"")?;
            write_base64(value, out)?;
            out.write_all(b"\"")
        }
        (None, _) => out.write_all(b"null"),
    }
}

/// Standard base64 with padding (no character of it needs a JSON escape).
fn write_base64(bytes: &[u8], out: &mut dyn Write) -> io::Result<()> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            group.get(1).copied().unwrap_or(0),
            group.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= group.len() {
                text.push(ALPHABET[((n >> shift) & 63) as usize]);
            } else {
                text.push(b'=');
            }
        }
    }
    out.write_all(&text)
}

/// A JSON string: quotes, backslashes and control characters escaped.
pub fn write_string(bytes: &[u8], out: &mut dyn Write) -> io::Result<()> {
    let text = String::from_utf8_lossy(bytes);
    out.write_all(b"\"")?;
    let mut rest: &str = &text;
    while let Some(at) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        let (plain, special) = rest.split_at(at);
        out.write_all(plain.as_bytes())?;
        let mut chars = special.chars();
        match chars.next() {
            Some('"') => out.write_all(b"\\\"")?,
            Some('\\') => out.write_all(b"\\\\")?,
            Some('\n') => out.write_all(b"\\n")?,
            Some('\r') => out.write_all(b"\\r")?,
            Some('\t') => out.write_all(b"\\t")?,
            Some(c) => write!(out, "\\u{:04x}", u32::from(c))?,
            None => {}
        }
        rest = chars.as_str();
    }
    out.write_all(rest.as_bytes())?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use krafka::protocol::{Header, RecordHeaders};

    fn json(record: &RecordFields<'_>) -> String {
        let mut out = Vec::new();
        write_record(record, TimestampType::CreateTime, Bytes::Text, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn base64(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        write_base64(bytes, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn base64_is_rfc_4648_with_padding() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\xff\xfe\x00", "//4A"),
        ] {
            assert_eq!(base64(bytes), text);
        }
    }

    #[test]
    fn writes_one_line_per_record() {
        let headers = RecordHeaders::from_headers(&[
            Header::new("h\"1", Some(b"v\n")),
            Header::new("n", None),
        ]);
        let record = RecordFields {
            topic: "t",
            partition: 1,
            offset: 7,
            timestamp: 1_700_000_000_000,
            key: None,
            value: Some(b"tab\there \\ \x01"),
            headers: &headers,
        };
        assert_eq!(
            json(&record),
            "{\"topic\":\"t\",\"partition\":1,\"offset\":7,\"tstype\":\"create\",\
             \"ts\":1700000000000,\"headers\":[\"h\\\"1\",\"v\\n\",\"n\",null],\
             \"key\":null,\"payload\":\"tab\\there \\\\ \\u0001\"}\n"
        );
    }

    #[test]
    fn keeps_unicode_and_replaces_invalid_bytes() {
        let record = RecordFields {
            topic: "t",
            partition: 0,
            offset: 0,
            timestamp: 0,
            key: Some("é€".as_bytes()),
            value: Some(b"\xff"),
            headers: &RecordHeaders::new(),
        };
        let line = json(&record);
        assert!(line.contains("\"key\":\"é€\""), "{line}");
        assert!(line.contains("\"payload\":\"\u{fffd}\""), "{line}");
        assert!(!line.contains("headers"), "{line}");
    }
}
