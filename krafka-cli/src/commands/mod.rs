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
pub mod query;
pub mod read_to_end;
pub mod record_reader;
pub mod reset_spec;
pub mod settings;
pub mod signals;
pub mod stops;
pub mod topic;
pub mod topic_check;
pub mod trace;
pub mod txn;

use std::error::Error;
use std::fmt::Write as _;

/// An error and its causes on one line, `what: cause: cause`. Krafka's
/// errors say what failed and leave the cause (a socket's error, a decode
/// failure) to their `source()`.
pub fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = describe(error);
    let mut cause = error.source();
    while let Some(inner) = cause {
        let _ = write!(text, ": {}", describe(inner));
        cause = inner.source();
    }
    text
}

/// One error without its causes. A broker's message that only repeats its
/// error code's description is said once.
fn describe(error: &(dyn Error + 'static)) -> String {
    if let Some(krafka::KrafkaError::Broker {
        code,
        message: Some(message),
        ..
    }) = error.downcast_ref::<krafka::KrafkaError>()
    {
        if message.trim() == code.description() {
            return format!("broker error {code}");
        }
    }
    error.to_string()
}

/// A partition number from the command line; a negative one is refused
/// with what to do instead.
pub fn partition_number(text: &str) -> Result<i32, String> {
    let partition: i32 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a partition number"))?;
    if partition < 0 {
        return Err(format!(
            "partitions are numbered from 0; leave -p out for every partition (got {partition})"
        ));
    }
    Ok(partition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broker_message_that_repeats_the_code_is_said_once() {
        let code = krafka::ErrorCode::UnknownTopicOrPartition;
        let error = krafka::KrafkaError::Broker {
            code,
            raw: code.code(),
            message: Some(code.description().to_owned()),
        };
        assert_eq!(
            chain(&error),
            format!(
                "broker error UNKNOWN_TOPIC_OR_PARTITION (3): {}",
                code.description()
            )
        );
        let error = krafka::KrafkaError::Broker {
            code,
            raw: code.code(),
            message: Some("topic x is gone".to_owned()),
        };
        assert!(
            chain(&error).ends_with(": topic x is gone"),
            "{}",
            chain(&error)
        );
    }

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
