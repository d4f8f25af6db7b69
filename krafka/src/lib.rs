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

#![warn(missing_docs)]

/// The wire protocol: messages, codec traits, version tables, record batches.
pub mod protocol {
    pub use krafka_core::ApiKey;
    pub use krafka_core::codec::*;
    pub use krafka_core::messages::*;
    pub use krafka_core::records::*;
    pub use krafka_core::versions;
}

pub use krafka_client::{Admin, NewTopic, admin};
pub use krafka_client::{
    ClientConfig, ClientConfigBuilder, Cluster, Connection, ConnectionConfig,
    ConnectionConfigBuilder, IntoSetting, Kafka, MetadataRecovery, PropertyInfo, backoff, cluster,
    config, connection,
};
pub use krafka_client::{
    Consumer, ConsumerConfig, ConsumerConfigBuilder, ConsumerRecord, IsolationLevel,
    OffsetAndTimestamp, OffsetReset, TopicPartition, consumer,
};
pub use krafka_client::{
    DeliveryFuture, Producer, ProducerConfig, ProducerConfigBuilder, ProducerRecord,
    RecordMetadata, producer,
};
pub use krafka_core::{ErrorCode, KrafkaError};
pub use krafka_core::{codec, messages, records};
