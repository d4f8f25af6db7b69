//! Producer settings under Kafka's names, or a typed builder. Defaults are
//! the Java producer's.

use std::time::Duration;

use krafka_core::KrafkaError;
use krafka_core::records::Compression;

use crate::config::ClientConfig;
use crate::settings::{Settings, bad_choice, boolean, millis, number, setters, within_kafka_limit};

/// How many acknowledgements a produce request waits for (`acks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// `acks=0`: the broker does not answer; offsets are unknown (-1).
    None,
    /// `acks=1`: the leader wrote the records.
    Leader,
    /// `acks=all` (`-1`): every in-sync replica has them.
    All,
}

impl Acks {
    /// The value of the Produce request's `acks` field.
    pub fn wire(self) -> i16 {
        match self {
            Acks::None => 0,
            Acks::Leader => 1,
            Acks::All => -1,
        }
    }
}

/// Settings of a [`Producer`](super::Producer).
#[derive(Debug, Clone, PartialEq)]
pub struct ProducerConfig {
    /// Connection and cluster settings (`bootstrap.servers`, `client.id`,
    /// `request.timeout.ms`, `retry.backoff.ms`, …).
    pub client: ClientConfig,
    /// `acks` (default `all`).
    pub acks: Acks,
    /// `enable.idempotence` (default true; `None` means "not set": the
    /// default, silently off when other settings conflict, as in Java).
    pub enable_idempotence: Option<bool>,
    /// `linger.ms` (default 5 ms).
    pub linger: Duration,
    /// `batch.size` (default 16384 bytes); 0, as in Java, puts every record
    /// in a batch of its own.
    pub batch_size: usize,
    /// `buffer.memory` (default 32 MiB): bytes of records waiting to be sent.
    pub buffer_memory: usize,
    /// `max.block.ms` (default 60 s): how long `send` waits for buffer space
    /// or metadata.
    pub max_block: Duration,
    /// `max.request.size` (default 1 MiB): the largest record and request.
    pub max_request_size: usize,
    /// `delivery.timeout.ms` (default 120 s): time from `send` to success or
    /// failure, retries included.
    pub delivery_timeout: Duration,
    /// `retries` (default `i32::MAX`).
    pub retries: u32,
    /// `max.in.flight.requests.per.connection` (default 5).
    pub max_in_flight: usize,
    /// `compression.type` (default none).
    pub compression: Compression,
    /// `compression.<codec>.level`, when set.
    pub compression_level: Option<i32>,
    /// `partitioner.ignore.keys` (default false): keyed records are placed
    /// like keyless ones.
    pub partitioner_ignore_keys: bool,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            client: ClientConfig::default(),
            acks: Acks::All,
            enable_idempotence: None,
            linger: Duration::from_millis(5),
            batch_size: 16_384,
            buffer_memory: 32 * 1024 * 1024,
            max_block: Duration::from_secs(60),
            max_request_size: 1024 * 1024,
            delivery_timeout: Duration::from_secs(120),
            retries: i32::MAX as u32,
            max_in_flight: 5,
            compression: Compression::None,
            compression_level: None,
            partitioner_ignore_keys: false,
        }
    }
}

impl ProducerConfig {
    /// A typed builder, starting from the defaults.
    pub fn builder() -> ProducerConfigBuilder {
        ProducerConfigBuilder {
            config: ProducerConfig::default(),
        }
    }

    /// Settings from Kafka property names (producer and client ones);
    /// unknown names are an error.
    pub fn from_properties<K: AsRef<str>, V: AsRef<str>>(
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Result<ProducerConfig, KrafkaError> {
        Self::from_property_list(properties)
    }

    /// Sets one property by its Kafka name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<&mut Self, KrafkaError> {
        self.set_property(key, value)?;
        Ok(self)
    }

    /// Whether the producer is idempotent: `enable.idempotence` when set,
    /// else on unless `acks` is not `all` or more than 5 requests may be in
    /// flight (Java's rule).
    pub fn idempotent(&self) -> bool {
        self.enable_idempotence
            .unwrap_or(self.acks == Acks::All && self.max_in_flight <= 5 && self.retries > 0)
    }

    /// Checks the settings hang together.
    pub fn validate(&self) -> Result<(), KrafkaError> {
        self.client.validate()?;
        if self.enable_idempotence == Some(true) {
            if self.acks != Acks::All {
                return Err(KrafkaError::config(
                    "`enable.idempotence` needs `acks=all` (set `enable.idempotence=false` for acks 0 or 1)",
                ));
            }
            if self.max_in_flight > 5 {
                return Err(KrafkaError::config(
                    "`enable.idempotence` needs `max.in.flight.requests.per.connection` of at most 5",
                ));
            }
            if self.retries == 0 {
                return Err(KrafkaError::config(
                    "`enable.idempotence` needs `retries` > 0",
                ));
            }
        }
        if self.max_in_flight == 0 {
            return Err(KrafkaError::config(
                "`max.in.flight.requests.per.connection` must be at least 1",
            ));
        }
        if self.buffer_memory == 0 || self.max_request_size == 0 {
            return Err(KrafkaError::config(
                "`buffer.memory` and `max.request.size` must be positive",
            ));
        }
        within_kafka_limit([
            ("linger.ms", self.linger),
            ("max.block.ms", self.max_block),
            ("delivery.timeout.ms", self.delivery_timeout),
        ])?;
        if self.delivery_timeout < self.linger.saturating_add(self.client.request_timeout) {
            return Err(KrafkaError::config(
                "`delivery.timeout.ms` must be at least `linger.ms` + `request.timeout.ms`",
            ));
        }
        Ok(())
    }
}

impl Settings for ProducerConfig {
    fn set_own(&mut self, key: &str, value: &str) -> Result<bool, KrafkaError> {
        match key {
            "acks" => {
                self.acks = match value {
                    "0" => Acks::None,
                    "1" => Acks::Leader,
                    "all" | "-1" => Acks::All,
                    _ => return Err(bad_choice(key, value, "0, 1, all or -1")),
                };
            }
            "enable.idempotence" => self.enable_idempotence = Some(boolean(key, value)?),
            "linger.ms" => self.linger = millis(key, value)?,
            "batch.size" => self.batch_size = number(key, value)?,
            "buffer.memory" => self.buffer_memory = number(key, value)?,
            "max.block.ms" => self.max_block = millis(key, value)?,
            "max.request.size" => self.max_request_size = number(key, value)?,
            "delivery.timeout.ms" => self.delivery_timeout = millis(key, value)?,
            "retries" => self.retries = number(key, value)?,
            "max.in.flight.requests.per.connection" => self.max_in_flight = number(key, value)?,
            "compression.type" => self.compression = value.parse()?,
            "compression.gzip.level" | "compression.lz4.level" | "compression.zstd.level" => {
                self.compression_level = Some(number(key, value)?);
            }
            "partitioner.ignore.keys" => self.partitioner_ignore_keys = boolean(key, value)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn client_settings(&mut self) -> Option<&mut ClientConfig> {
        Some(&mut self.client)
    }

    fn check(&self) -> Result<(), KrafkaError> {
        self.validate()
    }
}

/// Typed builder of a [`ProducerConfig`].
#[derive(Debug, Clone)]
pub struct ProducerConfigBuilder {
    config: ProducerConfig,
}

impl ProducerConfigBuilder {
    /// `bootstrap.servers`.
    pub fn bootstrap_servers<S: Into<String>>(
        mut self,
        servers: impl IntoIterator<Item = S>,
    ) -> Self {
        self.config.client.bootstrap_servers = servers.into_iter().map(Into::into).collect();
        self
    }

    /// The cluster and connection settings.
    pub fn client(mut self, client: ClientConfig) -> Self {
        self.config.client = client;
        self
    }

    /// `enable.idempotence`.
    pub fn enable_idempotence(mut self, enabled: bool) -> Self {
        self.config.enable_idempotence = Some(enabled);
        self
    }

    /// `compression.<codec>.level`.
    pub fn compression_level(mut self, level: i32) -> Self {
        self.config.compression_level = Some(level);
        self
    }

    setters! {
        /// `acks`.
        acks: Acks;
        /// `linger.ms`.
        linger: Duration;
        /// `batch.size`.
        batch_size: usize;
        /// `buffer.memory`.
        buffer_memory: usize;
        /// `max.block.ms`.
        max_block: Duration;
        /// `max.request.size`.
        max_request_size: usize;
        /// `delivery.timeout.ms`.
        delivery_timeout: Duration;
        /// `retries`.
        retries: u32;
        /// `max.in.flight.requests.per.connection`.
        max_in_flight: usize;
        /// `compression.type`.
        compression: Compression;
        /// `partitioner.ignore.keys`.
        partitioner_ignore_keys: bool;
    }

    /// Sets a property by its Kafka name.
    pub fn set(mut self, key: &str, value: &str) -> Result<Self, KrafkaError> {
        self.config.set(key, value)?;
        Ok(self)
    }

    /// The validated settings.
    pub fn build(self) -> Result<ProducerConfig, KrafkaError> {
        self.config.validate()?;
        Ok(self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_names_and_java_defaults() {
        let config = ProducerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("linger.ms", "20"),
            ("batch.size", "1000"),
            ("acks", "1"),
            ("compression.type", "zstd"),
            ("buffer.memory", "4096"),
            ("retry.backoff.ms", "7"),
        ])
        .unwrap();
        assert_eq!(config.linger, Duration::from_millis(20));
        assert_eq!(config.batch_size, 1000);
        assert_eq!(config.acks, Acks::Leader);
        assert_eq!(config.compression, Compression::Zstd);
        assert_eq!(config.client.retry_backoff, Duration::from_millis(7));
        // acks=1 and idempotence not set: idempotence is off, as in Java.
        assert!(!config.idempotent());
        assert!(ProducerConfig::default().idempotent());
    }

    #[test]
    fn conflicting_idempotence_is_a_config_error() {
        let result = ProducerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("enable.idempotence", "true"),
            ("acks", "0"),
        ]);
        assert!(matches!(result, Err(KrafkaError::Config(_))));
        assert!(
            ProducerConfig::from_properties([("bootstrap.servers", "a:1"), ("lingerms", "1")])
                .is_err()
        );
    }
}
