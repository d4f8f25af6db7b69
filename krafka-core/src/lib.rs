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

// Lets the derive's `::krafka_core::…` paths resolve inside this crate too.
extern crate self as krafka_core;

pub mod api_key;
pub mod codec;
pub mod error;
pub mod error_code;
pub mod messages;
pub mod records;
pub mod versions;

pub use api_key::ApiKey;
pub use error::{KrafkaError, SetupStage};
pub use error_code::ErrorCode;
pub use krafka_derive::Message;

/// Re-exported for derived code, which names `::krafka_core::bytes`.
pub use bytes;
