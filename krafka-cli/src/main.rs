//! `krafka`: the command-line tool. It describes the protocol Krafka speaks
//! (`krafka protocol`) and benchmarks the producer (`krafka perf produce`);
//! produce and consume commands arrive with the rest of the client.

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
    /// Benchmarks (`perf produce`).
    Perf {
        #[command(subcommand)]
        command: commands::perf::PerfCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Protocol { command } => commands::protocol::run(command),
        Command::Perf { command } => commands::perf::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("krafka: {message}");
            ExitCode::FAILURE
        }
    }
}
