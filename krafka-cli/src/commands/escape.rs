//! Backslash escapes in delimiters and format strings, as a shell user
//! types them: `\n`, `\t`, `\r`, `\0`, `\\` and `\xHH`.

/// `text` with its escapes resolved to bytes. An unknown escape or a
/// backslash at the end is an error that names it.
pub fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        if byte != b'\\' {
            out.push(byte);
            continue;
        }
        let escaped = match bytes.next() {
            Some(b'n') => b'\n',
            Some(b't') => b'\t',
            Some(b'r') => b'\r',
            Some(b'0') => 0,
            Some(b'\\') => b'\\',
            Some(b'x') => {
                let high = bytes.next().and_then(hex_digit);
                let low = bytes.next().and_then(hex_digit);
                match (high, low) {
                    (Some(high), Some(low)) => high << 4 | low,
                    _ => return Err(format!("`\\x` needs two hex digits in `{text}`")),
                }
            }
            Some(other) => {
                return Err(format!(
                    "unknown escape `\\{}` in `{text}` (known: \\n \\t \\r \\0 \\\\ \\xHH)",
                    char::from(other)
                ));
            }
            None => return Err(format!("`{text}` ends with a lone backslash")),
        };
        out.push(escaped);
    }
    Ok(out)
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_escapes() {
        assert_eq!(unescape("a\\tb\\n").unwrap(), b"a\tb\n");
        assert_eq!(unescape("\\x1f|\\\\").unwrap(), b"\x1f|\\");
        assert_eq!(unescape("\\0").unwrap(), b"\0");
        assert_eq!(unescape("plain").unwrap(), b"plain");
        assert_eq!(unescape("é").unwrap(), "é".as_bytes());
    }

    #[test]
    fn rejects_bad_escapes() {
        assert!(unescape("\\q").unwrap_err().contains("\\q"));
        assert!(unescape("x\\").is_err());
        assert!(unescape("\\x4").is_err());
        assert!(unescape("\\xzz").is_err());
    }
}
