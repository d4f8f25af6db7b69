//! The client handle: one per cluster, shared by every producer, consumer
//! and admin client of an application.

use std::sync::Arc;

use krafka_core::KrafkaError;

use crate::admin::Admin;
use crate::cluster::Cluster;
use crate::config::ClientConfig;
use crate::connection::{Connector, Tcp};
use crate::consumer::{Consumer, ConsumerConfig};
use crate::producer::{Partitioner, Producer, ProducerConfig};

/// A client of one Kafka cluster: its metadata and its broker connections,
/// shared by the producers, consumers and admin clients made from it. Cheap
/// to clone; clones share everything.
///
/// Each broker gets at most one connection per purpose (produce, fetch,
/// coordination, everything else), whatever the number of producers and
/// consumers, so a fetch long poll never delays a produce or a commit.
///
/// ```no_run
/// # async fn demo() -> Result<(), krafka_client::KrafkaError> {
/// use krafka_client::{ClientConfig, ConsumerConfig, Kafka, ProducerConfig, ProducerRecord};
///
/// let kafka = Kafka::connect(
///     ClientConfig::builder().bootstrap_servers(["127.0.0.1:9092"]).build()?,
/// )
/// .await?;
/// let admin = kafka.admin();
/// let producer = kafka.producer(ProducerConfig::default()).await?;
/// producer.send(ProducerRecord::new("events").value("v")).await?.await?;
/// let consumer = kafka.consumer(ConsumerConfig::default())?;
/// # let _ = (admin, consumer);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Kafka {
    cluster: Cluster,
}

impl Kafka {
    /// Connects to the bootstrap servers over TCP and loads the cluster's
    /// metadata.
    pub async fn connect(config: ClientConfig) -> Result<Kafka, KrafkaError> {
        Self::connect_with(config, Arc::new(Tcp)).await
    }

    /// [`Kafka::connect`] with every broker connection opened by
    /// `connector` (the transport seam: TLS, proxies, tests).
    pub async fn connect_with(
        config: ClientConfig,
        connector: Arc<dyn Connector>,
    ) -> Result<Kafka, KrafkaError> {
        Ok(Kafka {
            cluster: Cluster::connect_with(config, connector).await?,
        })
    }

    /// The client settings.
    pub fn config(&self) -> &ClientConfig {
        self.cluster.config()
    }

    /// The cluster: metadata, brokers, routing and retries.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// A producer on this client (and, when idempotent, its producer id).
    /// Its client settings (`config.client`) are this handle's.
    pub async fn producer(&self, config: ProducerConfig) -> Result<Producer, KrafkaError> {
        self.producer_with(config, None).await
    }

    /// [`Kafka::producer`] with a custom partitioner.
    pub async fn producer_with(
        &self,
        mut config: ProducerConfig,
        partitioner: Option<Arc<dyn Partitioner>>,
    ) -> Result<Producer, KrafkaError> {
        config.client = self.config().clone();
        Producer::on_cluster(self.cluster.clone(), config, partitioner).await
    }

    /// A consumer on this client; nothing is fetched until partitions are
    /// assigned. Its client settings (`config.client`) are this handle's.
    pub fn consumer(&self, mut config: ConsumerConfig) -> Result<Consumer, KrafkaError> {
        config.client = self.config().clone();
        config.validate()?;
        Consumer::on_cluster(self.cluster.clone(), config, None)
    }

    /// A consumer whose group assigns with `assignors` (most preferred
    /// first) instead of those `partition.assignment.strategy` names: the
    /// way in for an application's own [`Assignor`](crate::Assignor).
    pub fn consumer_with_assignors(
        &self,
        mut config: ConsumerConfig,
        assignors: Vec<Arc<dyn crate::Assignor>>,
    ) -> Result<Consumer, KrafkaError> {
        config.client = self.config().clone();
        config.validate()?;
        Consumer::on_cluster(self.cluster.clone(), config, Some(assignors))
    }

    /// An admin client on this client.
    pub fn admin(&self) -> Admin {
        Admin::on_cluster(self.cluster.clone())
    }
}
