//! The one public error type of Krafka.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use crate::ApiKey;
use crate::codec::{DecodeError, EncodeError};
use crate::error_code::ErrorCode;
use crate::records::Compression;

/// Every error Krafka returns.
///
/// Lower layers keep precise error types ([`DecodeError`], [`EncodeError`],
/// [`ErrorCode`]); they convert into this one at the API boundary. The type
/// is cheap to clone, so one failure (a dead socket) can be handed to every
/// request that was waiting on it.
///
/// Conditions the client detects itself have their own variants
/// ([`RecordTooLarge`](KrafkaError::RecordTooLarge),
/// [`UnknownNode`](KrafkaError::UnknownNode), …); [`Broker`](KrafkaError::Broker)
/// is only what a broker answered.
///
/// The `Display` text says what failed; the cause (an [`io::Error`], a
/// [`DecodeError`]) is not repeated in it but is the error's
/// [`source`](std::error::Error::source). Walk the chain to report both:
///
/// ```
/// use std::error::Error;
/// use krafka_core::KrafkaError;
///
/// let error = KrafkaError::network(
///     "127.0.0.1:9092",
///     std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
/// );
/// let mut text = error.to_string();
/// let mut cause = error.source();
/// while let Some(inner) = cause {
///     text = format!("{text}: {inner}");
///     cause = inner.source();
/// }
/// assert_eq!(text, "network error (127.0.0.1:9092): connection refused");
/// ```
#[derive(Debug, Clone, Error)]
#[non_exhaustive]
pub enum KrafkaError {
    /// Bytes from the network (or a file) could not be decoded.
    #[error("decode error")]
    Decode(#[from] DecodeError),
    /// A value could not be encoded in the negotiated version.
    #[error("encode error")]
    Encode(#[from] EncodeError),
    /// A record batch is malformed (bad magic, CRC mismatch, inconsistent lengths).
    #[error("corrupt record batch: {0}")]
    CorruptRecord(String),
    /// Compressing or decompressing failed, or decompressed data exceeded its cap.
    #[error("compression error: {0}")]
    Compression(String),
    /// A batch (to send, or fetched) uses a codec this build left out: the
    /// cargo feature named as the codec (`gzip`, `snappy`, `lz4`, `zstd`;
    /// of `krafka`, `krafka-client` or `krafka-core`) is off.
    #[error("{codec} compression is not compiled in: enable the `{codec}` feature of krafka")]
    CodecDisabled {
        /// The codec.
        codec: Compression,
    },
    /// The connection to a broker failed: it could not be opened, or it died
    /// (every request pending on it fails with the same error).
    #[error("network error ({peer})")]
    Network {
        /// The broker address (`host:port`).
        peer: String,
        /// What the socket reported.
        #[source]
        source: Arc<io::Error>,
    },
    /// The client closed the connection to a broker (after a request on it
    /// timed out, or on purpose) while a request was waiting on it. The
    /// request was not necessarily answered; it may be retried on a new
    /// connection.
    #[error("the connection to {peer} was closed by the client")]
    ConnectionClosed {
        /// The broker address (`host:port`).
        peer: String,
    },
    /// A broker id that the cluster metadata does not list (a restarting
    /// broker drops out of it for a moment). Retriable, after a metadata
    /// refresh.
    #[error("broker {node_id} is not in the cluster metadata")]
    UnknownNode {
        /// The broker's node id.
        node_id: i32,
    },
    /// The cluster metadata lists no broker at all (a cluster still starting
    /// up can answer so).
    #[error("the cluster metadata lists no broker")]
    NoBrokerKnown,
    /// The peer broke the Kafka protocol (a response for the wrong request, a
    /// response nobody asked for, a malformed frame). The connection is torn down.
    #[error("protocol error ({peer}): {reason}")]
    Protocol {
        /// The broker address (`host:port`).
        peer: String,
        /// What went wrong.
        reason: String,
    },
    /// A frame announced a size above the configured maximum (or a negative
    /// one); it was refused before anything of that size was allocated.
    #[error("frame of {size} bytes from {peer} exceeds the maximum of {max} bytes")]
    FrameTooLarge {
        /// The broker address (`host:port`).
        peer: String,
        /// The size the frame announced.
        size: i64,
        /// The configured maximum.
        max: usize,
    },
    /// The client and the broker have no version of an API in common.
    #[error(
        "no common version of {api}: krafka speaks {client_min}-{client_max}, the broker {broker}"
    )]
    UnsupportedVersion {
        /// The API.
        api: ApiKey,
        /// The lowest version the client would use.
        client_min: i16,
        /// The highest version the client would use.
        client_max: i16,
        /// The broker's range (`"0-9"`), or `"nothing"` when it does not offer the API.
        broker: String,
    },
    /// The broker answered with an error code.
    #[error("broker error {}{}", .code, .message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Broker {
        /// The error (unknown codes are [`ErrorCode::UnknownServerError`]; `raw` keeps the code).
        code: ErrorCode,
        /// The code as received.
        raw: i16,
        /// The error message the broker sent along, if any.
        message: Option<String>,
    },
    /// Setting up a connection failed at one of its stages; `source` says how.
    #[error("connection set-up with {peer} failed at the {stage} stage")]
    Setup {
        /// The broker address (`host:port`).
        peer: String,
        /// The stage that failed.
        stage: SetupStage,
        /// Why it failed.
        #[source]
        source: Box<KrafkaError>,
    },
    /// The client and the broker could not establish who the other is: the
    /// TLS handshake failed (a certificate that is not trusted, expired or
    /// for another host; a TLS client on a plaintext listener or the
    /// reverse) or SASL authentication was refused (wrong password, unknown
    /// user, a mechanism the listener does not enable). Not retriable:
    /// trying again fails the same way. The reason never holds a credential.
    #[error("authentication with {peer} failed: {reason}")]
    Authentication {
        /// The broker address (`host:port`).
        peer: String,
        /// What went wrong.
        reason: String,
    },
    /// An operation did not finish in time.
    #[error("timed out after {after:?}: {operation}")]
    Timeout {
        /// What timed out.
        operation: String,
        /// The limit that passed.
        after: Duration,
    },
    /// A setting is missing, unknown or invalid.
    #[error("configuration error: {0}")]
    Config(String),
    /// A record can never be sent: it is larger than `max.request.size`
    /// or `buffer.memory` (Java's `RecordTooLargeException`).
    #[error("a record of up to {size} bytes is larger than {setting} ({max} bytes)")]
    RecordTooLarge {
        /// The most the record takes in a batch, framing included.
        size: usize,
        /// The limit.
        max: usize,
        /// The setting that sets the limit: `max.request.size` or `buffer.memory`.
        setting: &'static str,
    },
    /// A partition has no position (no committed offset, nothing seeked) and
    /// `auto.offset.reset` is `none` (Java's `NoOffsetForPartitionException`).
    /// Seeking gives it one.
    #[error("{topic}-{partition} has no position and auto.offset.reset is none")]
    NoOffsetForPartition {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
    },
    /// The broker answered `OFFSET_OUT_OF_RANGE` to a fetch at a partition's
    /// position and `auto.offset.reset` is `none`, so the consumer does not
    /// move the position by itself (Java's consumer `OffsetOutOfRangeException`).
    /// Seeking gives it a new one.
    #[error("offset {offset} of {topic}-{partition} is out of range and auto.offset.reset is none")]
    OffsetOutOfRange {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// The position the consumer fetched from.
        offset: i64,
    },
    /// The partition's log was truncated under the consumer's position (a
    /// new leader lacks records the old one had) and `auto.offset.reset` is
    /// `none`, so the consumer does not move back by itself (Java's
    /// `LogTruncationException`). Seeking gives it a new position.
    #[error(
        "log truncation on {topic}-{partition}: the position {offset} is past offset {end}, \
         where the leader's log diverges, and auto.offset.reset is none"
    )]
    LogTruncation {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// The consumer's position.
        offset: i64,
        /// The offset up to which the leader's log agrees with what the
        /// consumer read (where a reset would move it back to).
        end: i64,
    },
    /// The client is in a state that does not allow the operation (it is
    /// closed, a request was misused).
    #[error("invalid state: {0}")]
    State(String),
    /// A transactional producer's transaction failed; `source` says why.
    /// Abortable (`fatal: false`): the transaction must be aborted, then
    /// the producer goes on (a send failed, an authorization was refused,
    /// the consumer group moved on). Fatal: the producer cannot go on and
    /// every later call fails with this error (another producer with the
    /// same `transactional.id` fenced it, it may not use its transactional
    /// id, the broker lacks what transactions need). Java's
    /// `KafkaException` subclasses make the same split.
    #[error("{}", if *.fatal { "fatal transaction error: the producer cannot go on" } else { "the transaction failed and must be aborted" })]
    Transaction {
        /// Whether the producer can go on after an abort.
        fatal: bool,
        /// The failure.
        #[source]
        source: Box<KrafkaError>,
    },
}

/// The stages a connection goes through before it carries requests, in
/// order; [`KrafkaError::Setup`] names the one that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SetupStage {
    /// Opening the byte stream (TCP connect).
    Transport,
    /// The TLS handshake (`security.protocol` SSL or SASL_SSL).
    Tls,
    /// The ApiVersions handshake.
    ApiVersions,
    /// SASL: SaslHandshake and SaslAuthenticate (`security.protocol`
    /// SASL_PLAINTEXT or SASL_SSL).
    Sasl,
}

impl std::fmt::Display for SetupStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SetupStage::Transport => "transport",
            SetupStage::Tls => "TLS",
            SetupStage::ApiVersions => "ApiVersions",
            SetupStage::Sasl => "SASL",
        })
    }
}

impl KrafkaError {
    /// A compression or decompression failure.
    pub fn compression(reason: impl Into<String>) -> Self {
        KrafkaError::Compression(reason.into())
    }

    /// A malformed record batch.
    pub fn corrupt_record(reason: impl Into<String>) -> Self {
        KrafkaError::CorruptRecord(reason.into())
    }

    /// A network failure talking to `peer`.
    pub fn network(peer: impl Into<String>, source: io::Error) -> Self {
        KrafkaError::Network {
            peer: peer.into(),
            source: Arc::new(source),
        }
    }

    /// A protocol violation by `peer`.
    pub fn protocol(peer: impl Into<String>, reason: impl Into<String>) -> Self {
        KrafkaError::Protocol {
            peer: peer.into(),
            reason: reason.into(),
        }
    }

    /// A timeout of `operation` after `after`.
    pub fn timeout(operation: impl Into<String>, after: Duration) -> Self {
        KrafkaError::Timeout {
            operation: operation.into(),
            after,
        }
    }

    /// An invalid setting.
    pub fn config(reason: impl Into<String>) -> Self {
        KrafkaError::Config(reason.into())
    }

    /// `self`, the cause of a failed connection set-up, as having happened at
    /// `stage` with `peer`.
    pub fn at_stage(self, peer: impl Into<String>, stage: SetupStage) -> Self {
        KrafkaError::Setup {
            peer: peer.into(),
            stage,
            source: Box::new(self),
        }
    }

    /// What went wrong underneath: the cause of a failed connection set-up,
    /// `self` otherwise.
    pub fn cause(&self) -> &KrafkaError {
        match self {
            KrafkaError::Setup { source, .. } => source.cause(),
            other => other,
        }
    }

    /// A failed TLS handshake or SASL authentication with `peer`.
    pub fn authentication(peer: impl Into<String>, reason: impl Into<String>) -> Self {
        KrafkaError::Authentication {
            peer: peer.into(),
            reason: reason.into(),
        }
    }

    /// An operation the current state does not allow.
    pub fn state(reason: impl Into<String>) -> Self {
        KrafkaError::State(reason.into())
    }

    /// The error for a broker error code, or `Ok(())` for `NONE` (0).
    pub fn check_code(raw: i16, message: Option<&str>) -> Result<(), KrafkaError> {
        match ErrorCode::check(raw) {
            Ok(()) => Ok(()),
            Err(code) => Err(KrafkaError::Broker {
                code,
                raw,
                message: message.filter(|m| !m.is_empty()).map(str::to_owned),
            }),
        }
    }

    /// The broker error code, when this is a broker error.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match self.cause() {
            KrafkaError::Broker { code, .. } => Some(*code),
            KrafkaError::Transaction { source, .. } => source.error_code(),
            _ => None,
        }
    }

    /// `source` as a transaction error: fatal, or one that an abort clears.
    pub fn transaction(fatal: bool, source: KrafkaError) -> Self {
        match source {
            KrafkaError::Transaction { .. } => source,
            source => KrafkaError::Transaction {
                fatal,
                source: Box::new(source),
            },
        }
    }

    /// Whether this is a fatal transaction error: the transactional
    /// producer cannot go on (see [`KrafkaError::Transaction`]).
    pub fn is_fatal_transaction_error(&self) -> bool {
        matches!(self, KrafkaError::Transaction { fatal: true, .. })
    }

    /// Whether this is a transaction error that
    /// `Producer::abort_transaction` clears.
    pub fn is_abortable_transaction_error(&self) -> bool {
        matches!(self, KrafkaError::Transaction { fatal: false, .. })
    }

    /// Whether retrying the same operation may succeed: network failures
    /// (and connections the client closed), timeouts, brokers missing from
    /// the metadata and the broker errors Kafka marks retriable.
    pub fn is_retriable(&self) -> bool {
        match self.cause() {
            KrafkaError::Network { .. }
            | KrafkaError::ConnectionClosed { .. }
            | KrafkaError::UnknownNode { .. }
            | KrafkaError::Timeout { .. } => true,
            KrafkaError::Broker { code, .. } => code.is_retriable(),
            _ => false,
        }
    }

    /// Whether the client should refresh its metadata before retrying: the
    /// broker said it is not the leader (or does not know the topic), the
    /// connection to it died, or the metadata does not list it.
    pub fn invalidates_metadata(&self) -> bool {
        match self.cause() {
            KrafkaError::Network { .. }
            | KrafkaError::ConnectionClosed { .. }
            | KrafkaError::UnknownNode { .. } => true,
            KrafkaError::Broker { code, .. } => code.invalidates_metadata(),
            _ => false,
        }
    }

    /// Whether the broker refused to authenticate the client or to
    /// authorize the operation, or the client refused the broker's
    /// certificate.
    pub fn is_auth(&self) -> bool {
        match self.cause() {
            KrafkaError::Authentication { .. } => true,
            KrafkaError::Broker { code, .. } => matches!(
                code,
                ErrorCode::SaslAuthenticationFailed
                    | ErrorCode::TopicAuthorizationFailed
                    | ErrorCode::GroupAuthorizationFailed
                    | ErrorCode::ClusterAuthorizationFailed
                    | ErrorCode::TransactionalIdAuthorizationFailed
                    | ErrorCode::DelegationTokenAuthorizationFailed
            ),
            _ => false,
        }
    }
}

impl From<ErrorCode> for KrafkaError {
    fn from(code: ErrorCode) -> Self {
        KrafkaError::Broker {
            code,
            raw: code.code(),
            message: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_errors_carry_name_and_retriability() {
        let err = KrafkaError::check_code(6, Some("not the leader")).unwrap_err();
        assert!(err.is_retriable());
        assert!(err.invalidates_metadata());
        assert_eq!(err.error_code(), Some(ErrorCode::NotLeaderOrFollower));
        let text = err.to_string();
        assert!(text.contains("NOT_LEADER_OR_FOLLOWER (6)"), "{text}");
        assert!(text.ends_with(": not the leader"), "{text}");
        assert!(KrafkaError::check_code(0, None).is_ok());
        let unknown = KrafkaError::check_code(4242, None).unwrap_err();
        assert!(matches!(
            unknown,
            KrafkaError::Broker {
                code: ErrorCode::UnknownServerError,
                raw: 4242,
                ..
            }
        ));
        assert!(!KrafkaError::from(ErrorCode::TopicAlreadyExists).is_retriable());
    }

    #[test]
    fn client_side_conditions_are_not_broker_errors() {
        let unknown = KrafkaError::UnknownNode { node_id: 3 };
        assert!(unknown.is_retriable() && unknown.invalidates_metadata());
        assert_eq!(unknown.error_code(), None);
        let closed = KrafkaError::ConnectionClosed {
            peer: "b:9092".to_owned(),
        };
        assert!(closed.is_retriable() && closed.invalidates_metadata());
        assert!(!KrafkaError::NoBrokerKnown.is_retriable());
        let too_large = KrafkaError::RecordTooLarge {
            size: 2_000_000,
            max: 1_048_576,
            setting: "max.request.size",
        };
        assert!(!too_large.is_retriable());
        assert_eq!(too_large.error_code(), None);
        assert_eq!(
            too_large.to_string(),
            "a record of up to 2000000 bytes is larger than max.request.size (1048576 bytes)"
        );
        for consumer_error in [
            KrafkaError::NoOffsetForPartition {
                topic: "t".to_owned(),
                partition: 0,
            },
            KrafkaError::OffsetOutOfRange {
                topic: "t".to_owned(),
                partition: 0,
                offset: 1000,
            },
            KrafkaError::LogTruncation {
                topic: "t".to_owned(),
                partition: 0,
                offset: 10,
                end: 7,
            },
        ] {
            assert!(!consumer_error.is_retriable(), "{consumer_error}");
            assert!(!consumer_error.invalidates_metadata(), "{consumer_error}");
            assert_eq!(consumer_error.error_code(), None);
            assert!(
                consumer_error.to_string().contains("t-0"),
                "{consumer_error}"
            );
        }
    }

    #[test]
    fn display_leaves_the_cause_to_the_source() {
        use std::error::Error as _;
        let net = KrafkaError::network("b:9092", io::Error::other("the cable is cut"));
        assert_eq!(net.to_string(), "network error (b:9092)");
        assert_eq!(
            net.source().map(ToString::to_string).as_deref(),
            Some("the cable is cut")
        );
        let decode = KrafkaError::from(DecodeError::InvalidVarint {
            message: "FetchResponse",
            field: "topics",
        });
        assert_eq!(decode.to_string(), "decode error");
        let cause = decode.source().map(ToString::to_string).unwrap_or_default();
        assert!(cause.starts_with("FetchResponse.topics"), "{cause}");
    }

    #[test]
    fn kinds_and_retries() {
        let net = KrafkaError::network("b:9092", io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(net.is_retriable() && net.invalidates_metadata());
        assert!(KrafkaError::timeout("x", Duration::from_secs(1)).is_retriable());
        assert!(!KrafkaError::config("x").is_retriable());
        assert!(!KrafkaError::compression("x").is_retriable());
        assert!(!KrafkaError::corrupt_record("x").is_retriable());
        assert!(KrafkaError::from(ErrorCode::TopicAuthorizationFailed).is_auth());
        // Clones share the io::Error.
        let copy = net.clone();
        assert_eq!(copy.to_string(), net.to_string());
        let setup = net.clone().at_stage("b:9092", SetupStage::Transport);
        assert!(setup.is_retriable() && setup.invalidates_metadata());
        assert!(matches!(setup.cause(), KrafkaError::Network { .. }));
        let refused = KrafkaError::from(ErrorCode::UnsupportedVersion)
            .at_stage("b:9092", SetupStage::ApiVersions);
        assert_eq!(refused.error_code(), Some(ErrorCode::UnsupportedVersion));
        assert!(!refused.is_retriable());
        let denied = KrafkaError::authentication("b:9093", "the password is wrong")
            .at_stage("b:9093", SetupStage::Sasl);
        assert!(denied.is_auth() && !denied.is_retriable() && !denied.invalidates_metadata());
        assert_eq!(
            denied.to_string(),
            "connection set-up with b:9093 failed at the SASL stage"
        );
        assert_eq!(
            denied.cause().to_string(),
            "authentication with b:9093 failed: the password is wrong"
        );
    }
}
