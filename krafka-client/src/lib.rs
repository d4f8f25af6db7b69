//! Krafka's tokio client.
//!
//! - [`Connection`]: one broker. One task owns the socket (4-byte big-endian
//!   framing, a maximum frame size) and a FIFO of in-flight requests; callers
//!   hold a cheap cloneable handle, encode their request themselves, hand the
//!   frame over a bounded channel and await a oneshot. Many requests are in
//!   flight at once; Kafka answers in order, and an answer with the wrong
//!   correlation id tears the connection down. When the socket dies, every
//!   pending request fails with the same network error. The ApiVersions
//!   handshake (with the UNSUPPORTED_VERSION fallback) finishes before the
//!   handle is handed out, and every request can use the highest version both
//!   sides speak ([`Connection::send_negotiated`]).
//! - [`Cluster`]: bootstrap, metadata (leaders, epochs, topic ids; refreshed
//!   every `metadata.max.age.ms` and on stale-metadata errors), one
//!   reconnecting connection per broker ([`cluster::BrokerPool`]), routing to
//!   leaders and coordinators, retries with exponential backoff and jitter.
//! - [`ClientConfig`]: settings under Kafka's names, or a typed builder.
//! - [`Producer`]: the Java producer's behaviour and settings (`linger.ms`,
//!   `batch.size`, `buffer.memory`, `acks`, idempotence, …): per-partition
//!   batches, one Produce request per leader, retries, Java's partitioning.
//! - [`Consumer`]: assigned partitions fetched from their leaders (or the
//!   rack's replica) on dedicated connections, in fetch sessions, with
//!   bounded prefetch.

#![warn(missing_docs)]

pub mod admin;
pub mod backoff;
pub mod cluster;
pub mod config;
pub mod connection;
pub mod consumer;
pub mod producer;
mod settings;

pub use admin::{Admin, NewTopic};
pub use cluster::{BrokerNode, Cluster, ClusterMetadata, PartitionMetadata, TopicMetadata};
pub use config::{ClientConfig, ClientConfigBuilder, MetadataRecovery};
pub use connection::{ApiVersionRanges, Connection, ConnectionConfig};
pub use consumer::{
    Consumer, ConsumerConfig, ConsumerConfigBuilder, ConsumerRecord, IsolationLevel,
    OffsetAndTimestamp, OffsetReset, TopicPartition,
};
pub use krafka_core::{ApiKey, ErrorCode, KrafkaError};
pub use producer::{
    DeliveryFuture, Producer, ProducerConfig, ProducerConfigBuilder, ProducerRecord, RecordMetadata,
};
