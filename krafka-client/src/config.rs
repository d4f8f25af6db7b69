//! Client settings, under the property names Kafka users know
//! (`bootstrap.servers`, `request.timeout.ms`, …) and as a typed builder.
//!
//! ```
//! use std::time::Duration;
//! use krafka_client::ClientConfig;
//!
//! let typed = ClientConfig::builder()
//!     .bootstrap_servers(["127.0.0.1:9092"])
//!     .client_id("demo")
//!     .request_timeout(Duration::from_secs(5))
//!     .build()?;
//! let by_name = ClientConfig::from_properties([
//!     ("bootstrap.servers", "127.0.0.1:9092"),
//!     ("client.id", "demo"),
//!     ("request.timeout.ms", "5000"),
//! ])?;
//! assert_eq!(typed, by_name);
//! # Ok::<(), krafka_core::KrafkaError>(())
//! ```

use std::time::Duration;

use krafka_core::KrafkaError;

use crate::backoff::ExponentialBackoff;
use crate::connection::ConnectionConfig;
use crate::settings::{Settings, millis, setters, within_kafka_limit};

/// Settings of a [`Cluster`](crate::Cluster) and its connections. Defaults
/// are the Java client's.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// `bootstrap.servers`: `host:port` addresses to discover the cluster from.
    pub bootstrap_servers: Vec<String>,
    /// `client.id`, sent with every request (default `krafka`).
    pub client_id: String,
    /// `request.timeout.ms` (default 30 s): how long one request may take.
    pub request_timeout: Duration,
    /// `default.api.timeout.ms` (default 60 s): how long an operation may
    /// take with all its retries.
    pub default_api_timeout: Duration,
    /// `metadata.max.age.ms` (default 5 min): metadata is refreshed at least
    /// this often.
    pub metadata_max_age: Duration,
    /// `retry.backoff.ms` (default 100 ms): first delay before a retry.
    pub retry_backoff: Duration,
    /// `retry.backoff.max.ms` (default 1 s): the cap of the retry delay.
    pub retry_backoff_max: Duration,
    /// `reconnect.backoff.ms` (default 50 ms): first delay before reconnecting.
    pub reconnect_backoff: Duration,
    /// `reconnect.backoff.max.ms` (default 1 s): the cap of the reconnect delay.
    pub reconnect_backoff_max: Duration,
    /// `socket.connection.setup.timeout.ms` (default 10 s).
    pub connection_setup_timeout: Duration,
    /// The largest response frame accepted (krafka's own; default 100 MiB).
    pub max_frame_size: usize,
    /// Requests in flight per connection (krafka's own; default 512).
    pub max_in_flight: usize,
    /// `metadata.recovery.strategy` (default `rebootstrap`, as in Kafka 4):
    /// what to do when no broker of the last known metadata answers.
    pub metadata_recovery: MetadataRecovery,
    /// `metadata.recovery.rebootstrap.trigger.ms` (default 5 min): with
    /// `rebootstrap`, also go back to `bootstrap.servers` when no metadata
    /// could be fetched for this long.
    pub rebootstrap_trigger: Duration,
}

/// `metadata.recovery.strategy`: how a client that cannot reach any broker
/// of its last known metadata recovers (KIP-899, KIP-1102).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataRecovery {
    /// `none`: keep asking the known brokers.
    None,
    /// `rebootstrap`: ask the `bootstrap.servers` again, as at the start
    /// (the whole cluster may have moved to new addresses).
    Rebootstrap,
}

impl Default for ClientConfig {
    fn default() -> Self {
        let connection = ConnectionConfig::default();
        ClientConfig {
            bootstrap_servers: Vec::new(),
            client_id: "krafka".to_owned(),
            request_timeout: connection.request_timeout,
            default_api_timeout: Duration::from_secs(60),
            metadata_max_age: Duration::from_secs(300),
            retry_backoff: Duration::from_millis(100),
            retry_backoff_max: Duration::from_millis(1000),
            reconnect_backoff: Duration::from_millis(50),
            reconnect_backoff_max: Duration::from_millis(1000),
            connection_setup_timeout: connection.connect_timeout,
            max_frame_size: connection.max_frame_size,
            max_in_flight: connection.max_in_flight,
            metadata_recovery: MetadataRecovery::Rebootstrap,
            rebootstrap_trigger: Duration::from_secs(300),
        }
    }
}

impl ClientConfig {
    /// A typed builder, starting from the defaults.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder {
            config: ClientConfig::default(),
        }
    }

    /// Settings from Kafka property names; unknown names are an error.
    pub fn from_properties<K: AsRef<str>, V: AsRef<str>>(
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Result<ClientConfig, KrafkaError> {
        Self::from_property_list(properties)
    }

    /// Sets one property by its Kafka name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<&mut Self, KrafkaError> {
        self.set_property(key, value)?;
        Ok(self)
    }

    /// Checks the settings hang together.
    pub fn validate(&self) -> Result<(), KrafkaError> {
        if self.bootstrap_servers.is_empty() {
            return Err(KrafkaError::config("`bootstrap.servers` is empty"));
        }
        for server in &self.bootstrap_servers {
            let port = server
                .rsplit_once(':')
                .map(|(host, port)| (host, port.parse::<u16>()));
            if !matches!(port, Some((host, Ok(_))) if !host.is_empty()) {
                return Err(KrafkaError::config(format!(
                    "`bootstrap.servers` entry `{server}` is not host:port"
                )));
            }
        }
        within_kafka_limit([
            ("request.timeout.ms", self.request_timeout),
            ("default.api.timeout.ms", self.default_api_timeout),
            ("metadata.max.age.ms", self.metadata_max_age),
            ("retry.backoff.ms", self.retry_backoff),
            ("retry.backoff.max.ms", self.retry_backoff_max),
            ("reconnect.backoff.ms", self.reconnect_backoff),
            ("reconnect.backoff.max.ms", self.reconnect_backoff_max),
            (
                "socket.connection.setup.timeout.ms",
                self.connection_setup_timeout,
            ),
            (
                "metadata.recovery.rebootstrap.trigger.ms",
                self.rebootstrap_trigger,
            ),
        ])?;
        if self.request_timeout.is_zero() {
            return Err(KrafkaError::config("`request.timeout.ms` must be positive"));
        }
        if self.max_frame_size < 4 {
            return Err(KrafkaError::config(
                "max frame size must be at least 4 bytes",
            ));
        }
        Ok(())
    }

    /// The settings of each connection.
    pub fn connection_config(&self) -> ConnectionConfig {
        ConnectionConfig {
            client_id: Some(self.client_id.clone()),
            request_timeout: self.request_timeout,
            connect_timeout: self.connection_setup_timeout,
            max_frame_size: self.max_frame_size,
            max_in_flight: self.max_in_flight,
            ..ConnectionConfig::default()
        }
    }

    /// The backoff between retries of a failed request.
    pub fn retry_backoff_policy(&self) -> ExponentialBackoff {
        ExponentialBackoff::new(self.retry_backoff, self.retry_backoff_max)
    }

    /// The backoff between attempts to reconnect to a broker.
    pub fn reconnect_backoff_policy(&self) -> ExponentialBackoff {
        ExponentialBackoff::new(self.reconnect_backoff, self.reconnect_backoff_max)
    }
}

impl Settings for ClientConfig {
    fn set_own(&mut self, key: &str, value: &str) -> Result<bool, KrafkaError> {
        match key {
            "bootstrap.servers" => {
                self.bootstrap_servers = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            "client.id" => self.client_id = value.to_owned(),
            "request.timeout.ms" => self.request_timeout = millis(key, value)?,
            "default.api.timeout.ms" => self.default_api_timeout = millis(key, value)?,
            "metadata.max.age.ms" => self.metadata_max_age = millis(key, value)?,
            "retry.backoff.ms" => self.retry_backoff = millis(key, value)?,
            "retry.backoff.max.ms" => self.retry_backoff_max = millis(key, value)?,
            "reconnect.backoff.ms" => self.reconnect_backoff = millis(key, value)?,
            "reconnect.backoff.max.ms" => self.reconnect_backoff_max = millis(key, value)?,
            "socket.connection.setup.timeout.ms" => {
                self.connection_setup_timeout = millis(key, value)?;
            }
            "metadata.recovery.strategy" => {
                self.metadata_recovery = match value.trim().to_ascii_lowercase().as_str() {
                    "none" => MetadataRecovery::None,
                    "rebootstrap" => MetadataRecovery::Rebootstrap,
                    _ => {
                        return Err(KrafkaError::config(format!(
                            "`{key}` must be none or rebootstrap, not `{value}`"
                        )));
                    }
                };
            }
            "metadata.recovery.rebootstrap.trigger.ms" => {
                self.rebootstrap_trigger = millis(key, value)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn client_settings(&mut self) -> Option<&mut ClientConfig> {
        None
    }

    fn check(&self) -> Result<(), KrafkaError> {
        self.validate()
    }
}

/// Typed builder of a [`ClientConfig`].
#[derive(Debug, Clone)]
pub struct ClientConfigBuilder {
    config: ClientConfig,
}

impl ClientConfigBuilder {
    /// `bootstrap.servers`.
    pub fn bootstrap_servers<S: Into<String>>(
        mut self,
        servers: impl IntoIterator<Item = S>,
    ) -> Self {
        self.config.bootstrap_servers = servers.into_iter().map(Into::into).collect();
        self
    }

    /// `client.id`.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.config.client_id = id.into();
        self
    }

    setters! {
        /// `request.timeout.ms`.
        request_timeout: Duration;
        /// `default.api.timeout.ms`.
        default_api_timeout: Duration;
        /// `metadata.max.age.ms`.
        metadata_max_age: Duration;
        /// `retry.backoff.ms`.
        retry_backoff: Duration;
        /// `retry.backoff.max.ms`.
        retry_backoff_max: Duration;
        /// `reconnect.backoff.ms`.
        reconnect_backoff: Duration;
        /// `reconnect.backoff.max.ms`.
        reconnect_backoff_max: Duration;
        /// `socket.connection.setup.timeout.ms`.
        connection_setup_timeout: Duration;
        /// The largest response frame accepted.
        max_frame_size: usize;
        /// Requests in flight per connection.
        max_in_flight: usize;
        /// `metadata.recovery.strategy`.
        metadata_recovery: MetadataRecovery;
        /// `metadata.recovery.rebootstrap.trigger.ms`.
        rebootstrap_trigger: Duration;
    }

    /// Sets a property by its Kafka name.
    pub fn set(mut self, key: &str, value: &str) -> Result<Self, KrafkaError> {
        self.config.set(key, value)?;
        Ok(self)
    }

    /// The validated settings.
    pub fn build(self) -> Result<ClientConfig, KrafkaError> {
        self.config.validate()?;
        Ok(self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_use_kafka_names() {
        let config = ClientConfig::from_properties([
            ("bootstrap.servers", "a:1, b:2"),
            ("retry.backoff.ms", "7"),
            ("retry.backoff.max.ms", "70"),
            ("reconnect.backoff.ms", "5"),
            ("reconnect.backoff.max.ms", "50"),
            ("metadata.max.age.ms", "1000"),
            ("metadata.recovery.strategy", "none"),
            ("metadata.recovery.rebootstrap.trigger.ms", "2000"),
        ])
        .unwrap();
        assert_eq!(config.bootstrap_servers, ["a:1", "b:2"]);
        assert_eq!(config.metadata_recovery, MetadataRecovery::None);
        assert_eq!(config.rebootstrap_trigger, Duration::from_secs(2));
        assert_eq!(
            ClientConfig::default().metadata_recovery,
            MetadataRecovery::Rebootstrap
        );
        assert_eq!(config.retry_backoff, Duration::from_millis(7));
        assert_eq!(config.reconnect_backoff_max, Duration::from_millis(50));
        assert_eq!(config.metadata_max_age, Duration::from_secs(1));
    }

    #[test]
    fn endless_durations_are_config_errors_not_overflows() {
        let config = ClientConfig {
            default_api_timeout: Duration::MAX,
            ..ClientConfig::default()
        };
        assert!(matches!(config.validate(), Err(KrafkaError::Config(_))));
    }

    #[test]
    fn bad_settings_are_config_errors() {
        for props in [
            vec![("bootstrap.servers", "")],
            vec![("bootstrap.servers", "nohost")],
            vec![("bootstrap.servers", "a:1"), ("linger", "1")],
            vec![("bootstrap.servers", "a:1"), ("request.timeout.ms", "soon")],
            vec![
                ("bootstrap.servers", "a:1"),
                ("metadata.recovery.strategy", "sometimes"),
            ],
        ] {
            assert!(matches!(
                ClientConfig::from_properties(props),
                Err(KrafkaError::Config(_))
            ));
        }
    }
}
