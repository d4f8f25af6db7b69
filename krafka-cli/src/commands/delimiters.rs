//! `-K` and `-D`, the same for `produce` (how input is split) and `consume`
//! (how records are printed without `-f`), with kcat's meaning.

use clap::Args;

use super::escape::unescape;

/// The key and record delimiters, as typed (escapes unresolved).
#[derive(Args, Debug)]
pub struct Delimiters {
    /// Key delimiter (escapes such as \t allowed): a record's key comes
    /// before its first occurrence, the value after it. Without it, records
    /// have no key.
    #[arg(short = 'K', long = "key-delimiter", value_name = "DELIM")]
    key: Option<String>,
    /// Record delimiter: what ends each record (escapes such as \n, \0,
    /// \x1e allowed).
    #[arg(
        short = 'D',
        long = "delimiter",
        value_name = "DELIM",
        default_value = "\\n"
    )]
    record: String,
}

impl Delimiters {
    /// The key delimiter as bytes, when given (not empty).
    pub fn key(&self) -> Result<Option<Vec<u8>>, String> {
        self.key.as_deref().map(|key| bytes("-K", key)).transpose()
    }

    /// The record delimiter as bytes (not empty).
    pub fn record(&self) -> Result<Vec<u8>, String> {
        bytes("-D", &self.record)
    }
}

/// `text` with its escapes resolved; empty is an error naming `flag`.
fn bytes(flag: &str, text: &str) -> Result<Vec<u8>, String> {
    let bytes = unescape(text).map_err(|e| format!("{flag}: {e}"))?;
    if bytes.is_empty() {
        return Err(format!("{flag}: the delimiter must not be empty"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delimiters(key: Option<&str>, record: &str) -> Delimiters {
        Delimiters {
            key: key.map(str::to_owned),
            record: record.to_owned(),
        }
    }

    #[test]
    fn resolves_escapes_and_refuses_empty_ones() {
        let d = delimiters(Some("\\t"), "\\x1e");
        assert_eq!(d.key(), Ok(Some(b"\t".to_vec())));
        assert_eq!(d.record(), Ok(vec![0x1e]));
        assert_eq!(delimiters(None, "\\n").key(), Ok(None));
        assert!(
            delimiters(Some(""), "\\n")
                .key()
                .unwrap_err()
                .starts_with("-K")
        );
        assert!(delimiters(None, "").record().unwrap_err().starts_with("-D"));
        assert!(
            delimiters(None, "\\q")
                .record()
                .unwrap_err()
                .starts_with("-D")
        );
    }
}
