//! Consumer settings under Kafka's names, or a typed builder. Defaults are
//! the Java consumer's.

use std::time::Duration;

use krafka_core::KrafkaError;

use crate::config::ClientConfig;
use crate::settings::{Settings, bad_choice, boolean, millis, number, setters, within_kafka_limit};

/// Which records a consumer sees (`isolation.level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IsolationLevel {
    /// `read_uncommitted` (the default): every record, up to the high watermark.
    #[default]
    ReadUncommitted,
    /// `read_committed`: no records of aborted transactions, and nothing past
    /// the last stable offset (LSO).
    ReadCommitted,
}

impl IsolationLevel {
    /// The value of the Fetch and ListOffsets `isolation_level` fields.
    pub fn wire(self) -> i8 {
        match self {
            IsolationLevel::ReadUncommitted => 0,
            IsolationLevel::ReadCommitted => 1,
        }
    }
}

/// Where a partition without a valid position starts (`auto.offset.reset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OffsetReset {
    /// `earliest`: the log start offset.
    Earliest,
    /// `latest` (the default): the end of the log (the LSO under
    /// `read_committed`).
    #[default]
    Latest,
    /// `none`: no reset; `recv`/`poll` return the error for that partition.
    None,
}

/// Settings of a [`Consumer`](super::Consumer).
///
/// ```
/// use std::time::Duration;
/// use krafka_client::consumer::{ConsumerConfig, IsolationLevel, OffsetReset};
///
/// let typed = ConsumerConfig::builder()
///     .bootstrap_servers(["127.0.0.1:9092"])
///     .isolation_level(IsolationLevel::ReadCommitted)
///     .auto_offset_reset(OffsetReset::Earliest)
///     .fetch_max_wait(Duration::from_millis(100))
///     .build()?;
/// let by_name = ConsumerConfig::from_properties([
///     ("bootstrap.servers", "127.0.0.1:9092"),
///     ("isolation.level", "read_committed"),
///     ("auto.offset.reset", "earliest"),
///     ("fetch.max.wait.ms", "100"),
/// ])?;
/// assert_eq!(typed, by_name);
/// # Ok::<(), krafka_core::KrafkaError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumerConfig {
    /// Connection and cluster settings (`bootstrap.servers`, `client.id`,
    /// `request.timeout.ms`, `retry.backoff.ms`, …).
    pub client: ClientConfig,
    /// `fetch.min.bytes` (default 1): the broker waits for this much data
    /// (or `fetch.max.wait.ms`) before answering.
    pub fetch_min_bytes: i32,
    /// `fetch.max.bytes` (default 50 MiB): the most one Fetch response
    /// carries (a larger first batch still comes whole).
    pub fetch_max_bytes: i32,
    /// `max.partition.fetch.bytes` (default 1 MiB): the most one partition
    /// contributes to a response.
    pub max_partition_fetch_bytes: i32,
    /// `fetch.max.wait.ms` (default 500 ms): how long the broker may hold a
    /// Fetch waiting for `fetch.min.bytes`.
    pub fetch_max_wait: Duration,
    /// `isolation.level` (default `read_uncommitted`).
    pub isolation_level: IsolationLevel,
    /// `auto.offset.reset` (default `latest`).
    pub auto_offset_reset: OffsetReset,
    /// `client.rack` (default empty): with a rack-aware replica selector on
    /// the brokers, fetches go to a replica in this rack (KIP-392).
    pub client_rack: String,
    /// `check.crcs` (default true): verify each batch's CRC-32C.
    pub check_crcs: bool,
    /// `max.poll.records` (default 500): the most records one
    /// [`poll`](super::Consumer::poll) returns.
    pub max_poll_records: usize,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            client: ClientConfig::default(),
            fetch_min_bytes: 1,
            fetch_max_bytes: 50 * 1024 * 1024,
            max_partition_fetch_bytes: 1024 * 1024,
            fetch_max_wait: Duration::from_millis(500),
            isolation_level: IsolationLevel::ReadUncommitted,
            auto_offset_reset: OffsetReset::Latest,
            client_rack: String::new(),
            check_crcs: true,
            max_poll_records: 500,
        }
    }
}

impl ConsumerConfig {
    /// A typed builder, starting from the defaults.
    pub fn builder() -> ConsumerConfigBuilder {
        ConsumerConfigBuilder {
            config: ConsumerConfig::default(),
        }
    }

    /// Settings from Kafka property names (consumer and client ones);
    /// unknown names are an error.
    pub fn from_properties<K: AsRef<str>, V: AsRef<str>>(
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Result<ConsumerConfig, KrafkaError> {
        Self::from_property_list(properties)
    }

    /// Sets one property by its Kafka name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<&mut Self, KrafkaError> {
        self.set_property(key, value)?;
        Ok(self)
    }

    /// Checks the settings hang together.
    pub fn validate(&self) -> Result<(), KrafkaError> {
        self.client.validate()?;
        if self.fetch_min_bytes < 0 {
            return Err(KrafkaError::config(
                "`fetch.min.bytes` must not be negative",
            ));
        }
        if self.fetch_max_bytes <= 0 || self.max_partition_fetch_bytes <= 0 {
            return Err(KrafkaError::config(
                "`fetch.max.bytes` and `max.partition.fetch.bytes` must be positive",
            ));
        }
        if self.max_poll_records == 0 {
            return Err(KrafkaError::config("`max.poll.records` must be at least 1"));
        }
        within_kafka_limit([("fetch.max.wait.ms", self.fetch_max_wait)])
    }

    /// `fetch.max.wait.ms` as the Fetch request's `max_wait_ms`.
    pub(crate) fn max_wait_ms(&self) -> i32 {
        i32::try_from(self.fetch_max_wait.as_millis()).unwrap_or(i32::MAX)
    }
}

impl Settings for ConsumerConfig {
    fn set_own(&mut self, key: &str, value: &str) -> Result<bool, KrafkaError> {
        match key {
            "fetch.min.bytes" => self.fetch_min_bytes = number(key, value)?,
            "fetch.max.bytes" => self.fetch_max_bytes = number(key, value)?,
            "max.partition.fetch.bytes" => self.max_partition_fetch_bytes = number(key, value)?,
            "fetch.max.wait.ms" => self.fetch_max_wait = millis(key, value)?,
            "isolation.level" => {
                self.isolation_level = match value {
                    "read_uncommitted" => IsolationLevel::ReadUncommitted,
                    "read_committed" => IsolationLevel::ReadCommitted,
                    _ => return Err(bad_choice(key, value, "read_uncommitted or read_committed")),
                };
            }
            "auto.offset.reset" => {
                self.auto_offset_reset = match value {
                    "earliest" => OffsetReset::Earliest,
                    "latest" => OffsetReset::Latest,
                    "none" => OffsetReset::None,
                    _ => return Err(bad_choice(key, value, "earliest, latest or none")),
                };
            }
            "client.rack" => self.client_rack = value.to_owned(),
            "check.crcs" => self.check_crcs = boolean(key, value)?,
            "max.poll.records" => self.max_poll_records = number(key, value)?,
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

/// Typed builder of a [`ConsumerConfig`].
#[derive(Debug, Clone)]
pub struct ConsumerConfigBuilder {
    config: ConsumerConfig,
}

impl ConsumerConfigBuilder {
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

    /// `client.rack`.
    pub fn client_rack(mut self, rack: impl Into<String>) -> Self {
        self.config.client_rack = rack.into();
        self
    }

    setters! {
        /// `fetch.min.bytes`.
        fetch_min_bytes: i32;
        /// `fetch.max.bytes`.
        fetch_max_bytes: i32;
        /// `max.partition.fetch.bytes`.
        max_partition_fetch_bytes: i32;
        /// `fetch.max.wait.ms`.
        fetch_max_wait: Duration;
        /// `isolation.level`.
        isolation_level: IsolationLevel;
        /// `auto.offset.reset`.
        auto_offset_reset: OffsetReset;
        /// `check.crcs`.
        check_crcs: bool;
        /// `max.poll.records`.
        max_poll_records: usize;
    }

    /// Sets a property by its Kafka name.
    pub fn set(mut self, key: &str, value: &str) -> Result<Self, KrafkaError> {
        self.config.set(key, value)?;
        Ok(self)
    }

    /// The validated settings.
    pub fn build(self) -> Result<ConsumerConfig, KrafkaError> {
        self.config.validate()?;
        Ok(self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_names_and_java_defaults() {
        let config = ConsumerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("fetch.min.bytes", "10"),
            ("fetch.max.bytes", "1000"),
            ("max.partition.fetch.bytes", "100"),
            ("fetch.max.wait.ms", "20"),
            ("isolation.level", "read_committed"),
            ("auto.offset.reset", "none"),
            ("client.rack", "rack-2"),
            ("check.crcs", "false"),
            ("max.poll.records", "7"),
            ("retry.backoff.ms", "3"),
        ])
        .unwrap();
        assert_eq!(config.fetch_min_bytes, 10);
        assert_eq!(config.fetch_max_bytes, 1000);
        assert_eq!(config.max_partition_fetch_bytes, 100);
        assert_eq!(config.fetch_max_wait, Duration::from_millis(20));
        assert_eq!(config.isolation_level, IsolationLevel::ReadCommitted);
        assert_eq!(config.auto_offset_reset, OffsetReset::None);
        assert_eq!(config.client_rack, "rack-2");
        assert!(!config.check_crcs);
        assert_eq!(config.max_poll_records, 7);
        assert_eq!(config.client.retry_backoff, Duration::from_millis(3));

        let defaults = ConsumerConfig::default();
        assert_eq!(defaults.fetch_max_bytes, 52_428_800);
        assert_eq!(defaults.max_partition_fetch_bytes, 1_048_576);
        assert_eq!(defaults.fetch_max_wait, Duration::from_millis(500));
        assert_eq!(defaults.auto_offset_reset, OffsetReset::Latest);
        assert_eq!(defaults.isolation_level, IsolationLevel::ReadUncommitted);
        assert_eq!(defaults.max_poll_records, 500);
    }

    #[test]
    fn bad_settings_are_config_errors() {
        for props in [
            vec![("bootstrap.servers", "a:1"), ("isolation.level", "dirty")],
            vec![
                ("bootstrap.servers", "a:1"),
                ("auto.offset.reset", "smallest"),
            ],
            vec![("bootstrap.servers", "a:1"), ("fetch.max.bytes", "0")],
            vec![("bootstrap.servers", "a:1"), ("max.poll.records", "0")],
            vec![("bootstrap.servers", "a:1"), ("check.crcs", "yes")],
            vec![("bootstrap.servers", "a:1"), ("fetch.max.wait", "1")],
            vec![("fetch.min.bytes", "1")],
        ] {
            assert!(
                matches!(
                    ConsumerConfig::from_properties(props.clone()),
                    Err(KrafkaError::Config(_))
                ),
                "{props:?}"
            );
        }
    }

    #[test]
    fn builder_and_properties_agree() {
        let typed = ConsumerConfig::builder()
            .bootstrap_servers(["a:1"])
            .client_rack("r")
            .max_poll_records(3)
            .build()
            .unwrap();
        let named = ConsumerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("client.rack", "r"),
            ("max.poll.records", "3"),
        ])
        .unwrap();
        assert_eq!(typed, named);
    }
}
