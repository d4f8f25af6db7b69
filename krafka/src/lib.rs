//! Krafka: a pure-Rust Apache Kafka client.
//!
//! Connect once with [`Kafka::connect`]; producers, consumers and admin
//! clients made from that handle share its metadata and broker connections.
//! Three records written and read back (`examples/quickstart.rs`, run by the
//! test suite against a real broker):
//!
//! ```no_run
#![doc = include_str!("../examples/quickstart.rs")]
//! ```
//!
//! - [`Kafka`], [`Producer`] (the Java producer's settings and semantics:
//!   batching, idempotence, retries), [`Consumer`] (assigned partitions,
//!   fetch sessions, read_committed), [`Admin`] (topics).
//! - [`protocol`]: every Kafka message (derived, version-checked codecs),
//!   [`ApiKey`](protocol::ApiKey), the [`versions`](protocol::versions) table,
//!   record batches and compression.
//! - [`Connection`] and [`Cluster`]: tokio connections with version
//!   negotiation, metadata, routing and retries.
//!
//! Cargo features: `gzip`, `snappy`, `lz4`, `zstd` (the batch codecs, all on
//! by default; a batch in a codec left out fails with
//! [`KrafkaError::CodecDisabled`], naming the feature), `catalogue`
//! (`protocol::catalogue()`: every message type-erased), `aws-lc-rs`
//! (rustls on aws-lc-rs instead of ring).
//!
//! ```
//! use krafka::protocol::{Compression, Message, ApiVersionsRequest, RecordBatchBuilder};
//!
//! let schema = ApiVersionsRequest::schema();
//! assert_eq!(schema.api_key, Some(18));
//!
//! let batch = RecordBatchBuilder::new()
//!     .compression(Compression::Snappy)
//!     .add_record(Some(b"key"), Some(b"value"), vec![])
//!     .add_record(None, Some(b"value-only"), vec![])
//!     .build()?;
//! assert!(!batch.is_empty());
//! # Ok::<(), krafka::KrafkaError>(())
//! ```
//!
//! Your own messages derive their codec with `krafka` as the only
//! dependency: importing `Message` brings the trait and the derive, as with
//! serde. A crate that re-exports `krafka` under another path tells the
//! derive where with `#[kafka(crate = path::to::krafka)]`.
//!
//! ```
//! use krafka::protocol::{Message, Request, TaggedFields};
//!
//! #[derive(Debug, Clone, PartialEq, Message)]
//! #[kafka(api_key = 3, request, versions = "9-10", flexible = "9+", response = TopicsResponse)]
//! pub struct TopicsRequest {
//!     pub topics: Vec<String>,
//!     #[kafka(versions = "10+", default = true, ignorable)]
//!     pub allow_auto_creation: bool,
//!     #[kafka(unknown_tagged)]
//!     pub unknown_tagged_fields: TaggedFields,
//! }
//!
//! #[derive(Debug, Clone, PartialEq, Message)]
//! #[kafka(api_key = 3, response, versions = "9-10", flexible = "9+")]
//! pub struct TopicsResponse {
//!     pub error_code: i16,
//!     #[kafka(unknown_tagged)]
//!     pub unknown_tagged_fields: TaggedFields,
//! }
//!
//! assert_eq!(TopicsRequest::API_KEY, krafka::protocol::ApiKey::Metadata);
//! assert_eq!(TopicsRequest::ALLOW_AUTO_CREATION_VERSIONS.min, 10);
//! let mut wire = Vec::new();
//! TopicsRequest::default().encode_version(&mut wire, 10)?;
//! assert_eq!(TopicsRequest::decode_version(&mut &wire[..], 10)?, TopicsRequest::default());
//! # Ok::<(), krafka::KrafkaError>(())
//! ```

#![warn(missing_docs)]

/// The wire protocol: messages, codec traits, version tables, record batches.
pub mod protocol {
    pub use krafka_core::ApiKey;
    pub use krafka_core::codec::*;
    pub use krafka_core::messages::*;
    pub use krafka_core::records::*;
    pub use krafka_core::versions;
}

// The client: `Kafka`, `Producer`, `Consumer`, `Admin`, their settings,
// and the layers under them (`Cluster`, `Broker`, `Connection`, `Connector`).
pub use krafka_client::*;

// `#[derive(Message)]` in a crate that depends on `krafka` alone names its
// runtime `::krafka::__private`.
#[doc(hidden)]
pub use krafka_core::__private;
