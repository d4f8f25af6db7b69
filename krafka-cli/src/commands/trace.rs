//! `-d CONTEXTS` / `-X debug=CONTEXTS`: the client's tracing events on
//! standard error, one line each. Contexts (comma-separated):
//! - `protocol`: the ApiVersions handshake and the versions negotiated per
//!   broker, and a line per request (API, version, correlation id, size)
//!   and per response (size, latency);
//! - `all`: every debug event of the client (connections, retries,
//!   metadata, groups) as well.
//!
//! Nothing is installed without `-d`: the client's events then cost one
//! check of a global level each.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// The target of the client's protocol events.
const PROTOCOL_TARGET: &str = "krafka::protocol";

/// What `-d` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contexts {
    /// Handshakes, negotiated versions, requests and responses.
    Protocol,
    /// Every debug event of the client.
    All,
}

impl Contexts {
    /// `protocol`, `all`, or a comma-separated list of them.
    pub fn parse(text: &str) -> Result<Contexts, String> {
        let mut contexts = None;
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let context = match name {
                "protocol" | "broker" | "msg" => Contexts::Protocol,
                "all" => Contexts::All,
                other => {
                    return Err(format!("unknown debug context `{other}`: protocol or all"));
                }
            };
            contexts = Some(match (contexts, context) {
                (Some(Contexts::All), _) | (_, Contexts::All) => Contexts::All,
                _ => Contexts::Protocol,
            });
        }
        contexts.ok_or_else(|| "-d: name a context: protocol or all".to_owned())
    }
}

/// Sends the client's events for `contexts` to standard error from now on.
/// A command that makes several clients (`perf e2e`: a producer and a
/// consumer) reads its settings once per client: the first call installs.
pub fn install(contexts: Contexts) -> Result<(), String> {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    tracing::subscriber::set_global_default(Stderr { contexts })
        .map_err(|e| format!("cannot install the -d tracer: {e}"))?;
    let _ = INSTALLED.set(());
    Ok(())
}

struct Stderr {
    contexts: Contexts,
}

impl Subscriber for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        let target = metadata.target();
        match self.contexts {
            Contexts::Protocol => target == PROTOCOL_TARGET,
            Contexts::All => target.starts_with("krafka") && *metadata.level() <= Level::DEBUG,
        }
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::DEBUG)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line::default();
        event.record(&mut line);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let target = event.metadata().target();
        let target = target.strip_prefix("krafka_client::").unwrap_or(target);
        // Standard error may be closed: the event is then lost, as any
        // note would be.
        let _ = writeln!(
            std::io::stderr().lock(),
            "%{}.{:03} {} {}{}",
            now.as_secs(),
            now.subsec_millis(),
            target,
            line.message,
            line.fields
        );
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// An event's message and its other fields, `name=value` each.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_are_named() {
        assert_eq!(Contexts::parse("protocol"), Ok(Contexts::Protocol));
        assert_eq!(Contexts::parse("broker,protocol"), Ok(Contexts::Protocol));
        assert_eq!(Contexts::parse("protocol,all"), Ok(Contexts::All));
        assert!(Contexts::parse("").is_err());
        assert!(Contexts::parse("cgrp,bogus").is_err());
    }
}
