//! The one public error type of Krafka.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use crate::ApiKey;
use crate::codec::{DecodeError, EncodeError};
use crate::error_code::ErrorCode;

/// Every error Krafka returns.
///
/// Lower layers keep precise error types ([`DecodeError`], [`EncodeError`],
/// [`ErrorCode`]); they convert into this one at the API boundary. The type
/// is cheap to clone, so one failure (a dead socket) can be handed to every
/// request that was waiting on it.
#[derive(Debug, Clone, Error)]
#[non_exhaustive]
pub enum KrafkaError {
    /// Bytes from the network (or a file) could not be decoded.
    #[error("decode error: {0}")]
    Decode(#[from] DecodeError),
    /// A value could not be encoded in the negotiated version.
    #[error("encode error: {0}")]
    Encode(#[from] EncodeError),
    /// A record batch is malformed (bad magic, CRC mismatch, inconsistent lengths).
    #[error("corrupt record batch: {0}")]
    CorruptRecord(String),
    /// Compressing or decompressing failed, or decompressed data exceeded its cap.
    #[error("compression error: {0}")]
    Compression(String),
    /// The connection to a broker failed: it could not be opened, or it died
    /// (every request pending on it fails with the same error).
    #[error("network error ({peer}): {source}")]
    Network {
        /// The broker address (`host:port`).
        peer: String,
        /// What the socket reported.
        #[source]
        source: Arc<io::Error>,
    },
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
    /// Authentication failed (SASL, TLS).
    #[error("authentication error: {0}")]
    Auth(String),
    /// The client is in a state that does not allow the operation (it is
    /// closed, a request was misused).
    #[error("invalid state: {0}")]
    State(String),
}

/// The stages a connection goes through before it carries requests, in
/// order; [`KrafkaError::Setup`] names the one that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SetupStage {
    /// Opening the byte stream (TCP connect).
    Transport,
    /// The ApiVersions handshake.
    ApiVersions,
}

impl std::fmt::Display for SetupStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SetupStage::Transport => "transport",
            SetupStage::ApiVersions => "ApiVersions",
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
            _ => None,
        }
    }

    /// Whether retrying the same operation may succeed: network failures,
    /// timeouts and the broker errors Kafka marks retriable.
    pub fn is_retriable(&self) -> bool {
        match self.cause() {
            KrafkaError::Network { .. } | KrafkaError::Timeout { .. } => true,
            KrafkaError::Broker { code, .. } => code.is_retriable(),
            _ => false,
        }
    }

    /// Whether the client should refresh its metadata before retrying: the
    /// broker said it is not the leader (or does not know the topic), or the
    /// connection to it died.
    pub fn invalidates_metadata(&self) -> bool {
        match self.cause() {
            KrafkaError::Network { .. } => true,
            KrafkaError::Broker { code, .. } => code.invalidates_metadata(),
            _ => false,
        }
    }

    /// Whether this is an authentication or authorization failure.
    pub fn is_auth(&self) -> bool {
        match self.cause() {
            KrafkaError::Auth(_) => true,
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
    }
}
