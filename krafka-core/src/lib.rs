//! Krafka's wire protocol: the codec traits and primitives, every Kafka
//! message, record batches and the error type. No I/O happens here.
//!
//! ```
//! use bytes::BytesMut;
//! use krafka_core::codec::Message;
//! use krafka_core::messages::ApiVersionsRequest;
//!
//! let request = ApiVersionsRequest {
//!     client_software_name: "krafka".into(),
//!     client_software_version: "0.1.0".into(),
//!     ..Default::default()
//! };
//! let mut buf = BytesMut::new();
//! request.encode_version(&mut buf, 3)?;
//! let back = ApiVersionsRequest::decode_version(&mut buf.freeze(), 3)?;
//! assert_eq!(back, request);
//! # Ok::<(), krafka_core::KrafkaError>(())
//! ```

#![warn(missing_docs)]

// `#[derive(Message)]` names its runtime as `::krafka::__private` unless
// told otherwise (`#[kafka(crate = ...)]`), so that users who depend on the
// `krafka` facade alone need no attribute. Calling this crate `krafka`
// inside itself lets its own ~600 generated structs use the same default
// without writing the attribute on each one.
extern crate self as krafka;

mod api_key;
pub mod codec;
mod error;
mod error_code;
pub mod messages;
pub mod records;
pub mod versions;

pub use api_key::ApiKey;

pub use error::{KrafkaError, SetupStage};
pub use error_code::ErrorCode;

/// The `bytes` crate whose `Buf`/`BufMut`/`Bytes` the codec is written in.
pub use bytes;

/// What code written by `#[derive(Message)]` refers to. Not a public API:
/// it changes with the derive. `krafka` re-exports it, so the derive finds
/// it through either crate (or any path given with `#[kafka(crate = ...)]`).
#[doc(hidden)]
pub mod __private {
    pub use crate::ApiKey;
    pub use crate::codec;
    pub use bytes;
}
