//! Krafka: a pure-Rust Apache Kafka client.
//!
//! ```
//! use krafka::protocol::{Message, ApiVersionsRequest};
//! let schema = ApiVersionsRequest::schema();
//! assert_eq!(schema.api_key, Some(18));
//! ```

/// The wire protocol: messages, codec traits, version tables.
pub mod protocol {
    pub use krafka_core::ApiKey;
    pub use krafka_core::codec::*;
    pub use krafka_core::messages::*;
    pub use krafka_core::versions;
}

pub use krafka_core::KrafkaError;
pub use krafka_core::{codec, messages};
