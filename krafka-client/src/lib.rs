//! Krafka's tokio client.
//!
//! - [`Kafka`]: the client handle, built once from a [`ClientConfig`]: the
//!   cluster's metadata and every broker connection, shared by the
//!   producers, consumers and admin clients made from it
//!   ([`Kafka::producer`], [`Kafka::consumer`], [`Kafka::admin`]).
//! - [`Connection`]: one broker connection over any transport
//!   ([`connection::Connector`]: TCP by default). One task owns the stream
//!   (4-byte big-endian framing, a size limit per response) and a FIFO of
//!   in-flight requests; callers hold a cheap cloneable handle, encode their
//!   request themselves, hand the frame over a bounded channel and await its
//!   answer. Kafka answers in order, and an answer with the wrong
//!   correlation id tears the connection down; when the stream dies, every
//!   pending request fails with the same network error. Set-up runs in
//!   stages (transport, ApiVersions with the UNSUPPORTED_VERSION fallback),
//!   a failure naming its stage.
//! - [`Cluster`]: bootstrap, metadata (leaders, epochs, topic ids; refreshed
//!   every `metadata.max.age.ms` and on stale-metadata errors), one
//!   [`cluster::Broker`] per node with a reconnecting connection per
//!   [`cluster::Purpose`] (general, produce, fetch, coordination), routing to
//!   leaders and coordinators, retries with exponential backoff and jitter.
//! - [`Producer`]: the Java producer's behaviour and settings (`linger.ms`,
//!   `batch.size`, `buffer.memory`, `acks`, idempotence, …): per-partition
//!   batches, one Produce request per leader sent by that broker's sink,
//!   retries, Java's partitioning.
//! - [`Consumer`]: assigned partitions fetched from their leaders (or the
//!   rack's replica) on the brokers' fetch connections, in fetch sessions,
//!   with bounded prefetch.

#![warn(missing_docs)]

mod admin;
mod backoff;
mod cluster;
mod config;
mod connection;
mod consumer;
#[doc(hidden)]
pub mod fuzzing;
mod kafka;
mod producer;
#[doc(hidden)]
pub use producer::benching as producer_benching;
mod settings;

pub use admin::{
    AbortTransactionSpec, Admin, ConsumerGroupDescription, FencedProducer, FindHangingOptions,
    GroupListing, HangingTransaction, ListGroupsOptions, ListTransactionsOptions,
    MemberDescription, NewTopic, ProducerState, TransactionDescription, TransactionListing,
    TransactionState,
};
pub use backoff::{DEFAULT_JITTER, ExponentialBackoff};
pub use cluster::{
    Broker, BrokerNode, Cluster, ClusterMetadata, CoordinatorType, PartitionMetadata, Purpose,
    TopicMetadata,
};
pub use config::{ClientConfig, ClientConfigBuilder, MetadataRecovery};
pub use connection::{
    ApiVersionRanges, BoxTransport, ConnectFuture, Connection, ConnectionConfig,
    ConnectionConfigBuilder, Connector, Limits, OAuthBearerToken, OAuthBearerTokenProvider,
    Pending, SaslMechanism, SecurityConfig, SecurityConfigBuilder, SecurityProtocol, StaticToken,
    Tcp, TokenFuture, TokenProvider, Transport,
};
pub use consumer::{
    Assignor, Consumer, ConsumerConfig, ConsumerConfigBuilder, ConsumerRecord,
    CooperativeStickyAssignor, GroupAssignmentInput, GroupMember, GroupMetadata, IsolationLevel,
    MemberAssignment, OffsetAndMetadata, OffsetAndTimestamp, OffsetReset, OffsetsNow,
    PartitionRacks, RangeAssignor, RebalanceListener, RebalanceProtocol, RoundRobinAssignor,
    StickyAssignor, Subscription, TopicPartition, assignor_by_name,
};
/// What [`Consumer::stream`] returns implements.
pub use futures_core::Stream;
/// What [`RebalanceListener`]'s methods return (from `futures-core`).
pub use futures_core::future::BoxFuture;
pub use kafka::Kafka;
pub use krafka_core::{ErrorCode, KrafkaError};
pub use producer::{
    Acks, DeliveryCounts, DeliveryFuture, Partitioner, Producer, ProducerConfig,
    ProducerConfigBuilder, ProducerRecord, RecordMetadata, murmur2, partition_for_key, to_positive,
};
pub use settings::{IntoSetting, Password, PropertyInfo};
