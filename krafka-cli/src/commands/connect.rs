//! What every command that talks to Kafka shares: `-b/--bootstrap` (default
//! from `KRAFKA_BOOTSTRAP`), `-X key=value` settings under Kafka's names,
//! the tokio runtime, and a fast, clear failure when no bootstrap server
//! answers.

use clap::Args;
use krafka::{ClientConfig, Connection, Kafka};

/// `-b` and `-X`, flattened into each command.
#[derive(Args, Debug, Clone)]
pub struct ConnectArgs {
    /// Bootstrap servers, `host:port[,host:port…]` (`bootstrap.servers`).
    #[arg(
        short = 'b',
        long = "bootstrap",
        env = "KRAFKA_BOOTSTRAP",
        default_value = "127.0.0.1:9092"
    )]
    pub bootstrap: String,
    /// A Kafka setting, `key=value`, by its Kafka name (`client.id`,
    /// `linger.ms`, `isolation.level`, …); repeatable, applied last.
    #[arg(short = 'X', value_name = "KEY=VALUE")]
    pub properties: Vec<String>,
}

impl ConnectArgs {
    /// `bootstrap.servers` and then every `-X` setting, in order.
    pub fn all_properties(&self) -> Result<Vec<(String, String)>, String> {
        self.properties_with([])
    }

    /// `bootstrap.servers`, then the settings a command's own flags give
    /// (`None`: flag not used), then every `-X` setting, which overrides
    /// them.
    pub fn properties_with<'a>(
        &self,
        flags: impl IntoIterator<Item = (&'a str, Option<String>)>,
    ) -> Result<Vec<(String, String)>, String> {
        let mut properties = vec![("bootstrap.servers".to_owned(), self.bootstrap.clone())];
        properties.extend(
            flags
                .into_iter()
                .filter_map(|(key, value)| Some((key.to_owned(), value?))),
        );
        for property in &self.properties {
            properties.push(parse_property(property).map_err(|e| format!("-X: {e}"))?);
        }
        Ok(properties)
    }

    /// The client settings (`-X` may only hold client settings here).
    pub fn client_config(&self) -> Result<ClientConfig, String> {
        ClientConfig::from_properties(self.all_properties()?).map_err(|e| super::chain(&e))
    }
}

/// `key=value` → `(key, value)`; the key is trimmed, the value kept as is.
pub fn parse_property(property: &str) -> Result<(String, String), String> {
    match property.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected key=value, got `{property}`")),
    }
}

/// The runtime the async commands run on.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the tokio runtime: {e}"))
}

/// Fails at once, naming the address, when none of the bootstrap servers
/// accepts a connection, or when one refuses the credentials. (The client itself would keep retrying for
/// `default.api.timeout.ms`, which suits a service, not a command line.)
pub async fn check_reachable(config: &ClientConfig) -> Result<(), String> {
    let mut failures = Vec::new();
    for address in &config.bootstrap_servers {
        match Connection::connect(address, &config.connection).await {
            Ok(connection) => {
                connection.close();
                return Ok(());
            }
            // The broker answered but refused us, or the settings are
            // wrong: other servers would say the same.
            Err(error) if error.is_auth() || matches!(error, krafka::KrafkaError::Config(_)) => {
                return Err(super::chain(&error));
            }
            Err(error) => failures.push(super::chain(&error)),
        }
    }
    Err(format!(
        "no bootstrap server answers ({}): {}",
        config.bootstrap_servers.join(","),
        failures.join("; ")
    ))
}

/// [`check_reachable`], then a [`Kafka`] client on those settings.
pub async fn kafka(config: ClientConfig) -> Result<Kafka, String> {
    check_reachable(&config).await?;
    let bootstrap = config.bootstrap_servers.join(",");
    Kafka::connect(config)
        .await
        .map_err(|e| format!("connecting to {bootstrap}: {}", super::chain(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_are_key_value() {
        assert_eq!(
            parse_property(" linger.ms =5"),
            Ok(("linger.ms".to_owned(), "5".to_owned()))
        );
        assert_eq!(
            parse_property("a=b=c"),
            Ok(("a".to_owned(), "b=c".to_owned()))
        );
        assert!(parse_property("novalue").is_err());
        assert!(parse_property("=x").is_err());
    }
}
