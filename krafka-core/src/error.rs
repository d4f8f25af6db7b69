//! The one public error type of Krafka.

use thiserror::Error;

use crate::codec::{DecodeError, EncodeError};

/// Every error Krafka returns.
///
/// Lower layers keep precise error types ([`DecodeError`], [`EncodeError`]);
/// they convert into this one at the API boundary.
#[derive(Debug, Error)]
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

    /// Whether retrying the same operation may succeed.
    pub fn is_retriable(&self) -> bool {
        false
    }
}
