//! `krafka protocol …`: the message catalogue, as Krafka's derive sees it.

use clap::Subcommand;
use krafka::protocol::catalogue;

use super::output::Stdout;

#[derive(Subcommand)]
pub enum ProtocolCommand {
    /// Print every message schema as JSON, in the shape of Kafka's own
    /// message definition files (a JSON array, one object per message).
    Schema {
        /// Only the message with this name (e.g. FetchRequest).
        #[arg(long)]
        name: Option<String>,
    },
}

pub fn run(command: ProtocolCommand) -> Result<(), String> {
    match command {
        ProtocolCommand::Schema { name } => schema(name.as_deref()),
    }
}

fn schema(only: Option<&str>) -> Result<(), String> {
    let schemas: Vec<_> = catalogue()
        .iter()
        .map(|entry| (entry.schema)())
        .filter(|s| only.is_none_or(|name| s.name == name))
        .collect();
    if schemas.is_empty() {
        return Err(format!("no message named {}", only.unwrap_or_default()));
    }
    let body: Vec<String> = schemas.iter().map(|s| s.to_json()).collect();
    let mut out = Stdout::new();
    out.line(&format!("[\n{}\n]", body.join(",\n")))?;
    out.finish()
}
