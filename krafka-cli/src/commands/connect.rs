//! What every command that talks to Kafka shares: `-b/--bootstrap` (default
//! from `KRAFKA_BOOTSTRAP`), `-F FILE` and `-X key=value` settings under
//! Kafka's names (see [`super::settings`] for every source and their
//! order), the tokio runtime, and a fast, clear failure when no bootstrap
//! server answers (without a connection spent on finding out).

use std::path::PathBuf;

use clap::Args;
use std::sync::{Arc, Mutex};

use krafka::{BoxTransport, ClientConfig, ConnectFuture, Connector, Kafka, Tcp};

use super::output::Stdout;
use super::properties_file;
use super::settings::{self, DEFAULT_BOOTSTRAP, RoleConfig};
use super::trace;

/// The variable naming a properties file read before every other source.
pub const CONFIG_VARIABLE: &str = "KRAFKA_CONFIG";

/// `-b`, `-F` and `-X`, flattened into each command.
#[derive(Args, Debug, Clone)]
pub struct ConnectArgs {
    /// Bootstrap servers, `host[:port][,host[:port]…]` (`bootstrap.servers`;
    /// port 9092 when left out; default 127.0.0.1:9092).
    #[arg(short = 'b', long = "bootstrap", env = "KRAFKA_BOOTSTRAP")]
    pub bootstrap: Option<String>,
    /// A Kafka setting, `key=value`, by its Kafka name (`client.id`,
    /// `linger.ms`, `isolation.level`, …); repeatable, applied last.
    /// `-X list`: every setting the command takes (type, default, doc);
    /// `-X dump`: the effective settings. A file named by `KRAFKA_CONFIG`
    /// is read first.
    #[arg(short = 'X', value_name = "KEY=VALUE")]
    pub properties: Vec<String>,
    /// A properties file (Java's format: `key=value` lines, `#` comments);
    /// repeatable, read in order after `KRAFKA_CONFIG`'s and before `-b`,
    /// the command's flags and `-X`.
    #[arg(short = 'F', long = "config-file", value_name = "FILE")]
    pub config_files: Vec<PathBuf>,
    /// Protocol tracing on stderr (also `-X debug=…`): `protocol` (the
    /// versions negotiated per broker, each request and response: API,
    /// version, correlation id, size, latency) or `all` (every debug event
    /// of the client).
    #[arg(short = 'd', long = "debug", value_name = "CONTEXTS")]
    pub debug: Option<String>,
}

impl ConnectArgs {
    /// Every source's settings in order, the command's own flags (`None`:
    /// flag not used) after `-b` and before `-X`; `bootstrap.servers`
    /// completed with default ports (and the default server when none is
    /// named).
    pub fn properties_with<'a>(
        &self,
        flags: impl IntoIterator<Item = (&'a str, Option<String>)>,
    ) -> Result<Vec<(String, String)>, String> {
        let mut properties = Vec::new();
        if let Some(path) = std::env::var_os(CONFIG_VARIABLE).filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            properties.extend(read_file(&path).map_err(|e| format!("{CONFIG_VARIABLE}: {e}"))?);
        }
        for path in &self.config_files {
            properties.extend(read_file(path).map_err(|e| format!("-F: {e}"))?);
        }
        if let Some(bootstrap) = &self.bootstrap {
            properties.push(("bootstrap.servers".to_owned(), bootstrap.clone()));
        }
        properties.extend(
            flags
                .into_iter()
                .filter_map(|(key, value)| Some((key.to_owned(), value?))),
        );
        for property in self.properties.iter().filter(|p| !is_query(p)) {
            let (key, value) = parse_property(property).map_err(|e| format!("-X: {e}"))?;
            // Not a Kafka setting: the CLI's tracing (see `debug`).
            if key != "debug" {
                properties.push((key, value));
            }
        }
        let mut named_bootstrap = false;
        for (key, value) in &mut properties {
            if key == "bootstrap.servers" {
                *value = settings::with_default_ports(value);
                named_bootstrap = true;
            }
        }
        if !named_bootstrap {
            properties.insert(
                0,
                ("bootstrap.servers".to_owned(), DEFAULT_BOOTSTRAP.to_owned()),
            );
        }
        Ok(properties)
    }

    /// The settings of `command`, whose settings type is `C`: settings of
    /// another role are warned about and dropped. `None` when `-X list` or
    /// `-X dump` was answered instead (the command then ends).
    pub fn config<'a, C: RoleConfig>(
        &self,
        command: &str,
        flags: impl IntoIterator<Item = (&'a str, Option<String>)>,
    ) -> Result<Option<C>, String> {
        self.start_tracing()?;
        let properties = settings::own_settings::<C>(command, self.properties_with(flags)?);
        let config = C::from_properties(&properties).map_err(|e| super::chain(&e))?;
        if self.properties.iter().any(|p| p.trim() == "dump") {
            write_out(|out| settings::write_dump::<C>(&properties, out))?;
            return Ok(None);
        }
        Ok(Some(config))
    }

    /// Installs the tracer `-d` or `-X debug=` asks for (the last
    /// `-X debug=` wins over `-d`).
    fn start_tracing(&self) -> Result<(), String> {
        let from_x = self
            .properties
            .iter()
            .rev()
            .filter_map(|p| parse_property(p).ok())
            .find(|(key, _)| key == "debug")
            .map(|(_, value)| value);
        match from_x.or_else(|| self.debug.clone()) {
            Some(contexts) => trace::install(trace::Contexts::parse(&contexts)?),
            None => Ok(()),
        }
    }

    /// The client settings of an admin command.
    pub fn client_config(&self, command: &str) -> Result<Option<ClientConfig>, String> {
        self.config::<ClientConfig>(command, [])
    }
}

/// `-X list` and `-X dump` ask about the settings rather than set one.
fn is_query(property: &str) -> bool {
    matches!(property.trim(), "list" | "dump")
}

fn read_file(path: &PathBuf) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    properties_file::parse(&text, &path.display().to_string())
}

fn write_out(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let mut out = Stdout::new();
    out.write_with(|w| write(w))?;
    out.finish()
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

/// The first bootstrap server that accepts a TCP connection, and that
/// connection; fails at once, naming every address, when none does. (The
/// client itself would keep retrying for `default.api.timeout.ms`, which
/// suits a service, not a command line.)
async fn first_reachable(config: &ClientConfig) -> Result<(String, BoxTransport), String> {
    let limit = config.connection.connect_timeout;
    let mut failures = Vec::new();
    for address in &config.bootstrap_servers {
        match tokio::time::timeout(limit, Tcp.connect(address)).await {
            Ok(Ok(stream)) => return Ok((address.clone(), stream)),
            Ok(Err(error)) => failures.push(super::chain(&krafka::KrafkaError::network(
                address.as_str(),
                error,
            ))),
            Err(_) => failures.push(format!("{address}: no answer within {limit:?}")),
        }
    }
    Err(format!(
        "no bootstrap server answers ({}): {}",
        config.bootstrap_servers.join(","),
        failures.join("; ")
    ))
}

/// Opens TCP connections, handing out first the one [`first_reachable`]
/// opened, so that seeing whether a server answers costs no connection of
/// its own.
struct Reusing {
    opened: Mutex<Option<(String, BoxTransport)>>,
}

impl std::fmt::Debug for Reusing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reusing").finish_non_exhaustive()
    }
}

impl Connector for Reusing {
    fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a> {
        let mut opened = self
            .opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if opened.as_ref().is_some_and(|(at, _)| at == address) {
            if let Some((_, stream)) = opened.take() {
                return Box::pin(async move { Ok(stream) });
            }
        }
        Tcp.connect(address)
    }
}

/// A [`Kafka`] client on these settings, failing at once when no bootstrap
/// server accepts a connection; the connection that found one answering
/// is the client's first.
pub async fn kafka(config: ClientConfig) -> Result<Kafka, String> {
    let opened = first_reachable(&config).await?;
    let bootstrap = config.bootstrap_servers.join(",");
    let connector = Reusing {
        opened: Mutex::new(Some(opened)),
    };
    Kafka::connect_with(config, Arc::new(connector))
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
