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
use crate::settings::{choices, settings_table};

settings_table! {
    /// Settings of a [`Cluster`](crate::Cluster) and its connections. Defaults
    /// are the Java client's.
    pub struct ClientConfig, builder ClientConfigBuilder;
    /// The settings of each connection (`client.id`, `request.timeout.ms`,
    /// `socket.connection.setup.timeout.ms`, and krafka's own limits).
    nested connection: ConnectionConfig => [
        client_id: Option<String>,
        request_timeout: Duration,
        connection_setup_timeout as connect_timeout: Duration,
        max_frame_size: usize,
        max_in_flight: usize,
    ];
    properties {
        /// `host:port` addresses to discover the cluster from.
        bootstrap_servers: Vec<String> = Vec::new(), "bootstrap.servers";
        /// How long an operation may take with all its retries.
        default_api_timeout: Duration = Duration::from_secs(60), "default.api.timeout.ms";
        /// Metadata is refreshed at least this often.
        metadata_max_age: Duration = Duration::from_secs(300), "metadata.max.age.ms";
        /// The first delay before a retry.
        retry_backoff: Duration = Duration::from_millis(100), "retry.backoff.ms";
        /// The cap of the retry delay.
        retry_backoff_max: Duration = Duration::from_millis(1000), "retry.backoff.max.ms";
        /// The first delay before reconnecting.
        reconnect_backoff: Duration = Duration::from_millis(50), "reconnect.backoff.ms";
        /// The cap of the reconnect delay.
        reconnect_backoff_max: Duration = Duration::from_millis(1000), "reconnect.backoff.max.ms";
        /// What to do when no broker of the last known metadata answers
        /// (`rebootstrap` by default, as in Kafka 4).
        metadata_recovery: MetadataRecovery = MetadataRecovery::Rebootstrap,
            "metadata.recovery.strategy";
        /// With `rebootstrap`, also go back to `bootstrap.servers` when no
        /// metadata could be fetched for this long.
        rebootstrap_trigger: Duration = Duration::from_secs(300),
            "metadata.recovery.rebootstrap.trigger.ms";
    }
    checks check_bootstrap_servers;
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

choices!(MetadataRecovery: "metadata.recovery.strategy", ignore_case = true => [
    "none" => MetadataRecovery::None,
    "rebootstrap" => MetadataRecovery::Rebootstrap,
]);

impl ClientConfig {
    /// `bootstrap.servers` is a non-empty list of `host:port`.
    fn check_bootstrap_servers(&self) -> Result<(), KrafkaError> {
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
        Ok(())
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

    /// The builder's connection setters fill the embedded
    /// [`ConnectionConfig`], as the names do.
    #[test]
    fn connection_settings_live_in_the_embedded_connection_config() {
        let typed = ClientConfig::builder()
            .bootstrap_servers(["a:1"])
            .client_id("me")
            .request_timeout(Duration::from_millis(1234))
            .connection_setup_timeout(Duration::from_millis(99))
            .max_frame_size(1 << 20)
            .max_in_flight(7)
            .build()
            .unwrap();
        let by_name = ClientConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("client.id", "me"),
            ("request.timeout.ms", "1234"),
            ("socket.connection.setup.timeout.ms", "99"),
        ])
        .unwrap();
        let expected = ConnectionConfig {
            client_id: Some("me".to_owned()),
            request_timeout: Duration::from_millis(1234),
            connect_timeout: Duration::from_millis(99),
            ..ConnectionConfig::default()
        };
        assert_eq!(by_name.connection, expected);
        assert_eq!(
            typed.connection,
            ConnectionConfig {
                max_frame_size: 1 << 20,
                max_in_flight: 7,
                ..expected
            }
        );
        assert_eq!(
            ClientConfig::default().connection,
            ConnectionConfig::default()
        );
    }

    #[test]
    fn metadata_recovery_ignores_case_as_kafka_does() {
        let mut config = ClientConfig::default();
        config.set("metadata.recovery.strategy", " NONE ").unwrap();
        assert_eq!(config.metadata_recovery, MetadataRecovery::None);
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
