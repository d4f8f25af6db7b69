//! `krafka perf produce|consume|e2e`: throughput and latency benchmarks in
//! the spirit of Kafka's `kafka-producer-perf-test` and
//! `kafka-consumer-perf-test`, with a live progress bar, a human summary and
//! a machine-readable `RESULT` line (records/s, MB/s, client CPU and peak
//! RSS, and latency percentiles at a fixed rate) that the comparison scripts
//! under `scripts/perf/` parse.

mod consume;
mod e2e;
mod fixed_rate;
mod histogram;
mod inflight;
mod pacer;
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
    /// End-to-end latency: produce N records at `--throughput` records/s
    /// and consume them in the same process (a consumer assigned every
    /// partition at its end), each record timed from its due time to its
    /// receipt by `poll`.
    E2e(e2e::E2eArgs),
}

/// What both perf commands take.
#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic (`perf produce` and `perf e2e` create it with
    /// `--partitions` when it does not exist; `perf consume` reads every
    /// partition from its beginning).
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
        PerfCommand::E2e(args) => runtime.block_on(e2e::run(args)),
    }
}
