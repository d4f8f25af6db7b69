//! `krafka perf produce|consume`: throughput benchmarks in the spirit of
//! Kafka's `kafka-producer-perf-test` and `kafka-consumer-perf-test`, with a
//! live progress bar, a human summary and a machine-readable `RESULT` line
//! (records/s, MB/s, client CPU and peak RSS) that the comparison scripts
//! under `scripts/perf/` parse.

mod consume;
mod produce;
mod progress;
mod report;

use clap::{Args, Subcommand};

use super::connect::{self, ConnectArgs};

#[derive(Subcommand)]
pub enum PerfCommand {
    /// Produce N records of S bytes as fast as the producer takes them.
    Produce(produce::ProduceArgs),
    /// Consume N records from the beginning of every partition of a topic.
    Consume(consume::ConsumeArgs),
}

/// What both perf commands take.
#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic (`perf produce` creates it with `--partitions` when it does
    /// not exist; `perf consume` reads every partition from its beginning).
    #[arg(long, short = 't')]
    topic: String,
    /// How many records to produce or consume.
    #[arg(long, default_value_t = 1_000_000)]
    num_records: u64,
    /// Name printed in the `RESULT` line.
    #[arg(long, default_value = "krafka")]
    label: String,
    /// No progress bar on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(command: PerfCommand) -> Result<(), String> {
    let runtime = connect::runtime()?;
    match command {
        PerfCommand::Produce(args) => runtime.block_on(produce::run(args)),
        PerfCommand::Consume(args) => runtime.block_on(consume::run(args)),
    }
}
