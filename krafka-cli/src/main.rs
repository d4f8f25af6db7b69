//! `krafka`: a kcat-like command-line tool for Kafka, built on Krafka.
//!
//! - `krafka produce -t TOPIC`: records from stdin or files (keys, headers).
//! - `krafka consume -t TOPIC`: records to stdout, formatted (`-f`, `-J`).
//! - `krafka metadata`, `krafka topic list|create|delete`.
//! - `krafka query -t topic:partition:timestamp`: offsets for timestamps.
//!
//! kcat's mode flags name the commands too: `krafka -P` is `produce`, `-C`
//! `consume`, `-L` `metadata`, `-Q` `query`.
//! - `krafka group list|describe|delete|offsets`: consumer groups, their
//!   committed offsets and lag, offset resets (`kafka-consumer-groups.sh`).
//! - `krafka txn list|describe|producers|abort|fence|find-hanging`:
//!   transactions, their producers, hanging ones (`kafka-transactions.sh`).
//! - `krafka perf produce|consume`: throughput benchmarks.
//! - `krafka protocol schema`: the protocol Krafka speaks.
//!
//! Every command that talks to Kafka takes `-b host[:port]` (default
//! `KRAFKA_BOOTSTRAP`, else 127.0.0.1:9092) and Kafka settings as
//! `-X key=value`, `-F FILE` or a file named by `KRAFKA_CONFIG`. Failures
//! print one line, `krafka: <what went wrong>` followed by its causes
//! (`what: cause: cause`), and exit with status 1; usage mistakes exit 2.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "krafka",
    version,
    about = "Krafka: a pure-Rust Apache Kafka client, on the command line",
    after_help = "From kcat: the mode comes first and the rest reads the same: \
                  `krafka -C -b host -t events -o beginning -e -f '%k %s\\n'`, \
                  `krafka -P -t events -K :`, `krafka -L -J`, `krafka -Q -t events:0:-1`, \
                  `krafka -C -G group -t events more_topics`. Differences: produce splits \
                  files into lines unless -W (kcat: a file is one record unless -l); -c \
                  counts all partitions unless --count-per-partition; -d takes protocol or all.\n\n\
                  Settings: KRAFKA_CONFIG (a properties file), -F FILE, -b (KRAFKA_BOOTSTRAP), \
                  a command's flags, then -X key=value, later ones winning; -X list shows \
                  every setting, -X dump the effective ones.\n\n\
                  Exit status: 0 success (warnings, on stderr, included); 1 failure (one \
                  `krafka: ...` line on stderr); 2 usage mistake."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Produce records from standard input or files (one per line; -W: one
    /// per file) [kcat -P].
    #[command(short_flag = 'P')]
    Produce(commands::produce::ProduceArgs),
    /// Consume records to standard output (formatted, or JSON lines)
    /// [kcat -C; with -G, kcat -G].
    #[command(short_flag = 'C')]
    Consume(commands::consume::ConsumeArgs),
    /// Brokers, topics and partitions of the cluster [kcat -L].
    #[command(short_flag = 'L')]
    Metadata(commands::metadata::MetadataArgs),
    /// The offsets of partitions at timestamps,
    /// `-t topic:partition:timestamp` [kcat -Q].
    #[command(short_flag = 'Q')]
    Query(commands::query::QueryArgs),
    /// List, create and delete topics.
    Topic {
        #[command(subcommand)]
        command: commands::topic::TopicCommand,
    },
    /// List, describe and delete consumer groups; show and reset their
    /// committed offsets.
    Group {
        #[command(subcommand)]
        command: commands::group::GroupCommand,
    },
    /// List and describe transactions and the producers of partitions;
    /// fence producers, find and abort hanging transactions.
    Txn {
        #[command(subcommand)]
        command: commands::txn::TxnCommand,
    },
    /// Benchmarks (`perf produce`, `perf consume`).
    Perf {
        #[command(subcommand)]
        command: commands::perf::PerfCommand,
    },
    /// What Krafka knows of the Kafka protocol.
    Protocol {
        #[command(subcommand)]
        command: commands::protocol::ProtocolCommand,
    },
}

fn main() -> ExitCode {
    // `-X list` needs no other argument (a topic, say): answered before
    // parsing.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(command) = commands::settings::list_request(&args) {
        return match commands::settings::print_list(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                commands::output::note(&format!("krafka: {message}"));
                ExitCode::FAILURE
            }
        };
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let result = match cli.command {
        Command::Produce(args) => commands::produce::run(args),
        Command::Consume(args) => commands::consume::run(args),
        Command::Metadata(args) => commands::metadata::run(args),
        Command::Query(args) => commands::query::run(args),
        Command::Topic { command } => commands::topic::run(command),
        Command::Group { command } => commands::group::run(command),
        Command::Txn { command } => commands::txn::run(command),
        Command::Perf { command } => commands::perf::run(command),
        Command::Protocol { command } => commands::protocol::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // One line, whatever a broker's message holds.
            let message = message.replace(['\n', '\r'], " ");
            commands::output::note(&format!("krafka: {message}"));
            ExitCode::FAILURE
        }
    }
}

/// Help and version go to stdout as clap prints them; a usage mistake is
/// one line, `krafka: …`, and exit status 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    commands::output::note(&format!(
        "krafka: {}",
        one_line(&error.render().to_string())
    ));
    ExitCode::from(2)
}

/// clap's message on one line: without the `error: ` prefix, the usage and
/// the hint that follow it.
fn one_line(message: &str) -> String {
    let text = message.strip_prefix("error: ").unwrap_or(message);
    text.lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        + " (see --help)"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_fit_on_one_line() {
        let error = Cli::try_parse_from(["krafka", "consume", "-o", "bogus", "-t", "t"])
            .err()
            .unwrap();
        let line = one_line(&error.render().to_string());
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("invalid value 'bogus'"), "{line}");
        let error = Cli::try_parse_from(["krafka", "produce"]).err().unwrap();
        let line = one_line(&error.render().to_string());
        assert!(line.contains("--topic"), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }
}
