//! `krafka`: the command-line tool. For now it describes the protocol
//! Krafka speaks; produce, consume and perf arrive with the client.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "krafka",
    version,
    about = "Krafka: a pure-Rust Apache Kafka client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// What Krafka knows of the Kafka protocol.
    Protocol {
        #[command(subcommand)]
        command: commands::protocol::ProtocolCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Protocol { command } => commands::protocol::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("krafka: {message}");
            ExitCode::FAILURE
        }
    }
}
