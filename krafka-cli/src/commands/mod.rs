//! One module per command, and the pieces they share.

pub mod connect;
pub mod consume;
pub mod delimiters;
pub mod deliveries;
pub mod escape;
pub mod format;
pub mod group;
pub mod input;
pub mod json;
pub mod metadata;
pub mod offset_spec;
pub mod output;
pub mod perf;
pub mod produce;
pub mod properties_file;
pub mod protocol;
pub mod read_to_end;
pub mod record_reader;
pub mod reset_spec;
pub mod settings;
pub mod signals;
pub mod topic;
pub mod topic_check;

use std::error::Error;
use std::fmt::Write as _;

/// An error and its causes on one line, `what: cause: cause`. Krafka's
/// errors say what failed and leave the cause (a socket's error, a decode
/// failure) to their `source()`.
pub fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let _ = write!(text, ": {inner}");
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_names_every_cause() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error = krafka::KrafkaError::network("127.0.0.1:1", refused);
        assert_eq!(
            chain(&error),
            "network error (127.0.0.1:1): connection refused"
        );
        assert_eq!(
            chain(&krafka::KrafkaError::config("bad")),
            "configuration error: bad"
        );
    }
}
