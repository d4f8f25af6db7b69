//! Where a command's Kafka settings come from, and what it does with
//! settings of another role.
//!
//! Sources, later ones overriding earlier ones:
//! 1. the file `KRAFKA_CONFIG` names (Java's properties format; like kcat's
//!    `KCAT_CONFIG`: one variable, values kept exactly, no name mangling);
//! 2. each `-F FILE`, in order;
//! 3. `-b` (or `KRAFKA_BOOTSTRAP`) as `bootstrap.servers`;
//! 4. the command's own flags (`-z` is `compression.type`, …);
//! 5. each `-X key=value`, in order.
//!
//! Without any of them, `bootstrap.servers` is 127.0.0.1:9092; a server
//! without a port gets 9092 (as in kcat).
//!
//! A setting of another role (`isolation.level`, a consumer setting, given
//! to `produce`) is a warning on stderr and ignored; a name no role knows
//! is an error. `-X list` prints every setting the command takes (name,
//! type, default, doc); `-X dump` the effective configuration (as a
//! properties file); both then exit.

use std::io::Write;

use krafka::{ClientConfig, ConsumerConfig, KrafkaError, ProducerConfig, PropertyInfo};

use super::output::note;

/// The address used when no source names a bootstrap server.
pub const DEFAULT_BOOTSTRAP: &str = "127.0.0.1:9092";
/// The port of a bootstrap server given without one.
const DEFAULT_PORT: u16 = 9092;

/// The settings type of a command.
pub trait RoleConfig: Sized {
    /// The role's name in warnings (`a consumer setting`).
    const ROLE: &'static str;
    /// Every property the type takes.
    fn properties() -> &'static [PropertyInfo];
    /// The defaults with `properties` set, checked.
    fn from_properties(properties: &[(String, String)]) -> Result<Self, KrafkaError>;
}

impl RoleConfig for ProducerConfig {
    const ROLE: &'static str = "producer";
    fn properties() -> &'static [PropertyInfo] {
        ProducerConfig::properties()
    }
    fn from_properties(properties: &[(String, String)]) -> Result<Self, KrafkaError> {
        ProducerConfig::from_properties(properties.iter().map(|(k, v)| (k, v)))
    }
}

impl RoleConfig for ConsumerConfig {
    const ROLE: &'static str = "consumer";
    fn properties() -> &'static [PropertyInfo] {
        ConsumerConfig::properties()
    }
    fn from_properties(properties: &[(String, String)]) -> Result<Self, KrafkaError> {
        ConsumerConfig::from_properties(properties.iter().map(|(k, v)| (k, v)))
    }
}

impl RoleConfig for ClientConfig {
    const ROLE: &'static str = "client";
    fn properties() -> &'static [PropertyInfo] {
        ClientConfig::properties()
    }
    fn from_properties(properties: &[(String, String)]) -> Result<Self, KrafkaError> {
        ClientConfig::from_properties(properties.iter().map(|(k, v)| (k, v)))
    }
}

/// The role that takes `name`, among the roles other than `C`'s.
fn other_role<C: RoleConfig>(name: &str) -> Option<&'static str> {
    let takes = |list: &[PropertyInfo]| list.iter().any(|p| p.name == name);
    if takes(C::properties()) {
        return None;
    }
    [
        (ProducerConfig::ROLE, ProducerConfig::properties()),
        (ConsumerConfig::ROLE, ConsumerConfig::properties()),
    ]
    .into_iter()
    .find(|(_, list)| takes(list))
    .map(|(role, _)| role)
}

/// Drops (with a warning each) the settings of another role; unknown names
/// stay, for the settings type to refuse.
pub fn own_settings<C: RoleConfig>(
    command: &str,
    properties: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut warned: Vec<String> = Vec::new();
    properties
        .into_iter()
        .filter(|(name, _)| match other_role::<C>(name) {
            None => true,
            Some(role) => {
                if !warned.contains(name) {
                    note(&format!(
                        "krafka: warning: `{name}` is a {role} setting; ignored by {command}"
                    ));
                    warned.push(name.clone());
                }
                false
            }
        })
        .collect()
}

/// `host[:port]` for each comma-separated server; 9092 when no port is
/// given (`[v6]` alone too; a bare IPv6 address is left as it is).
pub fn with_default_ports(servers: &str) -> String {
    servers
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|server| {
            let has_port = match server.strip_prefix('[') {
                Some(v6) => v6.contains("]:"),
                None => server.contains(':'),
            };
            if has_port {
                server.to_owned()
            } else {
                format!("{server}:{DEFAULT_PORT}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `-X list`: every property `C` takes, tab-separated: name, type,
/// default, doc.
pub fn write_list<C: RoleConfig>(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "name\ttype\tdefault\tdoc")?;
    for property in C::properties() {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            property.name, property.type_name, property.default, property.doc
        )?;
    }
    Ok(())
}

/// `Some(command)` when `args` (without the program name) hold `-X list`:
/// the command named (`produce`, `perf consume`, …), `None` for none.
pub fn list_request(args: &[String]) -> Option<Option<String>> {
    let asks = args
        .windows(2)
        .any(|pair| pair[0] == "-X" && pair[1].trim() == "list")
        || args.iter().any(|a| a == "-Xlist");
    if !asks {
        return None;
    }
    const COMMANDS: [&str; 6] = ["produce", "consume", "metadata", "topic", "group", "perf"];
    let Some(at) = args.iter().position(|a| COMMANDS.contains(&a.as_str())) else {
        return Some(None);
    };
    Some(match args[at].as_str() {
        "perf" => args
            .get(at + 1)
            .filter(|sub| matches!(sub.as_str(), "produce" | "consume"))
            .map(|sub| format!("perf {sub}")),
        command => Some(command.to_owned()),
    })
}

/// Prints `-X list` for `command`'s role (all three roles, each under a
/// heading, without a command).
pub fn print_list(command: Option<String>) -> Result<(), String> {
    let mut out = super::output::Stdout::new();
    match command.as_deref() {
        Some("produce" | "perf produce") => out.write_with(write_list::<ProducerConfig>)?,
        Some("consume" | "group" | "perf consume") => {
            out.write_with(write_list::<ConsumerConfig>)?
        }
        Some(_) => out.write_with(write_list::<ClientConfig>)?,
        None => {
            for (heading, write) in [
                (
                    "# producer (produce)",
                    write_list::<ProducerConfig> as fn(&mut dyn Write) -> _,
                ),
                ("# consumer (consume, group)", write_list::<ConsumerConfig>),
                ("# client (metadata, topic)", write_list::<ClientConfig>),
            ] {
                out.line(heading)?;
                out.write_with(write)?;
            }
            true
        }
    };
    out.finish()
}

/// `-X dump`: every property `C` takes with its effective value (the last
/// one given, else the default), as a properties file `-F` reads back.
/// Properties whose default is "not set" and that were not given are
/// commented out.
pub fn write_dump<C: RoleConfig>(
    properties: &[(String, String)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for property in C::properties() {
        let given = properties
            .iter()
            .rev()
            .find(|(name, _)| name == property.name)
            .map(|(_, value)| value.trim().to_owned());
        match given {
            Some(value) => writeln!(out, "{}={}", property.name, value)?,
            None if property.default.is_empty() => writeln!(out, "#{}=", property.name)?,
            None => writeln!(out, "{}={}", property.name, property.default)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_without_a_port_get_9092() {
        assert_eq!(
            with_default_ports("a, b:9093,[::1],[::1]:19092"),
            "a:9092,b:9093,[::1]:9092,[::1]:19092"
        );
    }

    #[test]
    fn settings_of_the_other_role_are_named() {
        assert_eq!(
            other_role::<ProducerConfig>("isolation.level"),
            Some("consumer")
        );
        assert_eq!(other_role::<ConsumerConfig>("linger.ms"), Some("producer"));
        assert_eq!(other_role::<ClientConfig>("linger.ms"), Some("producer"));
        assert_eq!(other_role::<ConsumerConfig>("client.id"), None);
        assert_eq!(other_role::<ConsumerConfig>("no.such.setting"), None);
        let kept = own_settings::<ProducerConfig>(
            "produce",
            vec![
                ("isolation.level".into(), "read_committed".into()),
                ("linger.ms".into(), "5".into()),
                ("bogus".into(), "1".into()),
            ],
        );
        assert_eq!(
            kept,
            [
                ("linger.ms".to_owned(), "5".to_owned()),
                ("bogus".to_owned(), "1".to_owned())
            ]
        );
    }

    #[test]
    fn list_requests_name_their_command() {
        let args = |line: &str| line.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(list_request(&args("-X list")), Some(None));
        assert_eq!(
            list_request(&args("consume -X list -t t")),
            Some(Some("consume".to_owned()))
        );
        assert_eq!(
            list_request(&args("perf produce -Xlist")),
            Some(Some("perf produce".to_owned()))
        );
        assert_eq!(list_request(&args("produce -X linger.ms=1")), None);
    }

    #[test]
    fn a_dump_is_the_given_value_else_the_default() {
        let mut out = Vec::new();
        write_dump::<ProducerConfig>(&[("linger.ms".into(), " 7 ".into())], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().any(|l| l == "linger.ms=7"), "{text}");
        assert!(text.lines().any(|l| l == "acks=all"), "{text}");
        assert!(text.lines().any(|l| l == "#enable.idempotence="), "{text}");
    }
}
