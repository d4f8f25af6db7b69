//! `krafka txn list|describe|producers|abort|fence|find-hanging`:
//! transactions and the producers behind them, modelled on
//! `kafka-transactions.sh` (plus `fence`, Java's `Admin.fenceProducers`).
//!
//! Output is a table as `krafka group` prints them (a header row, columns
//! two spaces apart, `-` for nothing), or with `-J` one JSON object per row
//! (keys in snake case, numbers as numbers, `null` for nothing).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use krafka::{
    AbortTransactionSpec, Admin, FindHangingOptions, KrafkaError, ListTransactionsOptions,
    TopicPartition, TransactionState,
};

use super::connect::{self, ConnectArgs};
use super::group::table;
use super::output::Stdout;

#[derive(Subcommand, Debug)]
pub enum TxnCommand {
    /// Every transactional id the brokers coordinate: coordinator, producer
    /// id and state.
    List(ListArgs),
    /// The transaction of transactional ids, from their coordinators:
    /// producer id and epoch, state, timeout, start, partitions.
    Describe(DescribeArgs),
    /// The active producers of a partition, with the transaction each has
    /// open (its first offset).
    #[command(visible_alias = "describe-producers")]
    Producers(ProducersArgs),
    /// Abort a hanging transaction on one partition (writes its abort
    /// marker; needs the ClusterAction permission).
    Abort(AbortArgs),
    /// Fence the producers of transactional ids: their epoch is bumped,
    /// their open transaction aborted, their next call fails.
    Fence(FenceArgs),
    /// Transactions open on partitions whose coordinator does not count
    /// them, older than the largest transaction timeout.
    FindHanging(FindHangingArgs),
}

/// `-J`, shared by the commands that print rows.
#[derive(Args, Debug)]
pub struct JsonArg {
    /// One JSON object per row instead of a table.
    #[arg(short = 'J', long = "json")]
    json: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    #[command(flatten)]
    output: JsonArg,
    /// Only transactions running longer than this many milliseconds
    /// (Kafka 3.8+ brokers).
    #[arg(long = "duration-filter", value_name = "MS")]
    duration_filter: Option<u64>,
    /// Only transactional ids matching this regular expression (Kafka 4.1+
    /// brokers).
    #[arg(long = "transactional-id-pattern", value_name = "REGEX")]
    pattern: Option<String>,
    /// Only transactions in this state (`Ongoing`, `PrepareCommit`,
    /// `CompleteAbort`, …); repeatable.
    #[arg(long = "state", value_name = "STATE")]
    states: Vec<String>,
    /// Only transactions of this producer id; repeatable.
    #[arg(long = "producer-id", value_name = "ID")]
    producer_ids: Vec<i64>,
}

#[derive(Args, Debug)]
pub struct DescribeArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    #[command(flatten)]
    output: JsonArg,
    /// The transactional id; repeatable.
    #[arg(long = "transactional-id", value_name = "ID", required = true)]
    transactional_ids: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ProducersArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    #[command(flatten)]
    output: JsonArg,
    /// The topic.
    #[arg(long, short = 't')]
    topic: String,
    /// The partition.
    #[arg(long, short = 'p', value_parser = super::partition_number, allow_negative_numbers = true)]
    partition: i32,
    /// Ask this broker (a replica of the partition) rather than the leader.
    #[arg(long = "broker-id", value_name = "ID")]
    broker_id: Option<i32>,
}

#[derive(Args, Debug)]
pub struct AbortArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic.
    #[arg(long, short = 't')]
    topic: String,
    /// The partition.
    #[arg(long, short = 'p', value_parser = super::partition_number, allow_negative_numbers = true)]
    partition: i32,
    /// The offset where the transaction starts (its producer is looked up;
    /// see `krafka txn producers`).
    #[arg(long = "start-offset", value_name = "OFFSET", required_unless_present = "producer_id",
          conflicts_with_all = ["producer_id", "producer_epoch", "coordinator_epoch"])]
    start_offset: Option<i64>,
    /// The transaction's producer id, for brokers before Kafka 3.0
    /// (with --producer-epoch and --coordinator-epoch).
    #[arg(long = "producer-id", value_name = "ID",
          requires_all = ["producer_epoch", "coordinator_epoch"])]
    producer_id: Option<i64>,
    /// Its producer epoch.
    #[arg(
        long = "producer-epoch",
        value_name = "EPOCH",
        requires = "producer_id"
    )]
    producer_epoch: Option<i16>,
    /// The coordinator epoch of the producer's last marker (a negative one
    /// is taken as 0).
    #[arg(
        long = "coordinator-epoch",
        value_name = "EPOCH",
        requires = "producer_id",
        allow_negative_numbers = true
    )]
    coordinator_epoch: Option<i32>,
}

#[derive(Args, Debug)]
pub struct FenceArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    #[command(flatten)]
    output: JsonArg,
    /// The transactional id; repeatable.
    #[arg(long = "transactional-id", value_name = "ID", required = true)]
    transactional_ids: Vec<String>,
}

#[derive(Args, Debug)]
pub struct FindHangingArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    #[command(flatten)]
    output: JsonArg,
    /// Only this topic.
    #[arg(long, short = 't', required_unless_present = "broker_id")]
    topic: Option<String>,
    /// Only this partition of the topic.
    #[arg(long, short = 'p', requires = "topic", value_parser = super::partition_number,
          allow_negative_numbers = true)]
    partition: Option<i32>,
    /// Only partitions with a replica on this broker (asked directly).
    #[arg(long = "broker-id", value_name = "ID")]
    broker_id: Option<i32>,
    /// Transactions whose producer wrote less than this many minutes ago
    /// are still in time (Kafka's `transaction.max.timeout.ms`).
    #[arg(
        long = "max-transaction-timeout",
        value_name = "MINUTES",
        default_value_t = 15
    )]
    max_transaction_timeout: u64,
}

pub fn run(command: TxnCommand) -> Result<(), String> {
    let connect_args = match &command {
        TxnCommand::List(a) => &a.connect,
        TxnCommand::Describe(a) => &a.connect,
        TxnCommand::Producers(a) => &a.connect,
        TxnCommand::Abort(a) => &a.connect,
        TxnCommand::Fence(a) => &a.connect,
        TxnCommand::FindHanging(a) => &a.connect,
    };
    let Some(config) = connect_args.client_config("txn")? else {
        return Ok(());
    };
    connect::runtime()?.block_on(async {
        let admin = connect::kafka(config).await?.admin();
        let mut out = Stdout::new();
        match command {
            TxnCommand::List(args) => list(&admin, &args, &mut out).await?,
            TxnCommand::Describe(args) => describe(&admin, &args, &mut out).await?,
            TxnCommand::Producers(args) => producers(&admin, &args, &mut out).await?,
            TxnCommand::Abort(args) => abort(&admin, &args, &mut out).await?,
            TxnCommand::Fence(args) => fence(&admin, &args, &mut out).await?,
            TxnCommand::FindHanging(args) => find_hanging(&admin, &args, &mut out).await?,
        }
        out.finish()
    })
}

async fn list(admin: &Admin, args: &ListArgs, out: &mut Stdout) -> Result<(), String> {
    let mut options = ListTransactionsOptions::new()
        .states(args.states.iter().map(|s| TransactionState::from_name(s)))
        .producer_ids(args.producer_ids.iter().copied());
    if let Some(ms) = args.duration_filter {
        options = options.running_longer_than(Duration::from_millis(ms));
    }
    // As kafka-transactions.sh: an empty pattern filters nothing.
    if let Some(pattern) = args.pattern.as_ref().filter(|p| !p.is_empty()) {
        options = options.transactional_id_pattern(pattern.clone());
    }
    let listings = admin
        .list_transactions(&options)
        .await
        .map_err(|e| failed("listing transactions", &e))?;
    let mut rows = Rows::new(&[
        ("TRANSACTIONAL-ID", "transactional_id"),
        ("COORDINATOR", "coordinator"),
        ("PRODUCER-ID", "producer_id"),
        ("STATE", "state"),
    ]);
    for l in listings {
        rows.push(vec![
            Cell::text(l.transactional_id),
            Cell::Int(l.coordinator_id.into()),
            Cell::Int(l.producer_id),
            Cell::text(l.state.as_str()),
        ]);
    }
    rows.print(args.output.json, out)
}

async fn describe(admin: &Admin, args: &DescribeArgs, out: &mut Stdout) -> Result<(), String> {
    let mut rows = Rows::new(&[
        ("COORDINATOR", "coordinator"),
        ("TRANSACTIONAL-ID", "transactional_id"),
        ("PRODUCER-ID", "producer_id"),
        ("PRODUCER-EPOCH", "producer_epoch"),
        ("STATE", "state"),
        ("TIMEOUT-MS", "timeout_ms"),
        ("START-TIME-MS", "start_time_ms"),
        ("DURATION-MS", "duration_ms"),
        ("PARTITIONS", "partitions"),
    ]);
    let mut failures = Vec::new();
    for id in &args.transactional_ids {
        let described = match admin.describe_transactions(&[id]).await {
            Ok(mut described) if !described.is_empty() => described.swap_remove(0),
            Ok(_) => return Err(format!("describing transactional id {id}: no answer")),
            Err(e) => {
                failures.push(failed(&format!("describing transactional id {id}"), &e));
                continue;
            }
        };
        let now = now_ms();
        rows.push(vec![
            Cell::Int(described.coordinator_id.into()),
            Cell::text(described.transactional_id),
            Cell::Int(described.producer_id),
            Cell::Int(described.producer_epoch.into()),
            Cell::text(described.state.as_str()),
            Cell::Int(i64::try_from(described.transaction_timeout.as_millis()).unwrap_or(i64::MAX)),
            Cell::int(described.transaction_start_time_ms),
            Cell::int(
                described
                    .transaction_start_time_ms
                    .map(|s| (now - s).max(0)),
            ),
            Cell::List(
                described
                    .partitions
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            ),
        ]);
    }
    rows.print(args.output.json, out)?;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

async fn producers(admin: &Admin, args: &ProducersArgs, out: &mut Stdout) -> Result<(), String> {
    let tp = TopicPartition::new(&args.topic, args.partition);
    let partitions = [tp.clone()];
    let described = match args.broker_id {
        Some(node) => admin.describe_producers_on(node, &partitions).await,
        None => admin.describe_producers(&partitions).await,
    };
    let described = described.map_err(|e| {
        let at = args
            .broker_id
            .map_or_else(|| "its leader".to_owned(), |id| format!("broker {id}"));
        failed(&format!("describing the producers of {tp} on {at}"), &e)
    })?;
    let mut rows = Rows::new(&[
        ("PRODUCER-ID", "producer_id"),
        ("PRODUCER-EPOCH", "producer_epoch"),
        ("COORDINATOR-EPOCH", "coordinator_epoch"),
        ("LAST-SEQUENCE", "last_sequence"),
        ("LAST-TIMESTAMP", "last_timestamp"),
        ("TXN-START-OFFSET", "txn_start_offset"),
    ]);
    for p in described.get(&tp).into_iter().flatten() {
        rows.push(vec![
            Cell::Int(p.producer_id),
            Cell::Int(p.producer_epoch.into()),
            Cell::int(p.coordinator_epoch.map(i64::from)),
            Cell::Int(p.last_sequence.into()),
            Cell::Int(p.last_timestamp_ms),
            Cell::int(p.current_transaction_start_offset),
        ]);
    }
    rows.print(args.output.json, out)
}

async fn abort(admin: &Admin, args: &AbortArgs, out: &mut Stdout) -> Result<(), String> {
    let tp = TopicPartition::new(&args.topic, args.partition);
    let spec = match (args.start_offset, args.producer_id) {
        (Some(offset), _) => admin
            .abort_spec_for(&tp, offset)
            .await
            .map_err(|e| failed(&format!("finding the transaction to abort on {tp}"), &e))?,
        (None, Some(producer_id)) => AbortTransactionSpec {
            partition: tp.clone(),
            producer_id,
            // clap insists on both with --producer-id.
            producer_epoch: args.producer_epoch.unwrap_or_default(),
            coordinator_epoch: args.coordinator_epoch.unwrap_or_default().max(0),
        },
        (None, None) => {
            return Err("name the transaction with --start-offset or --producer-id".to_owned());
        }
    };
    admin.abort_transaction(&spec).await.map_err(|e| {
        failed(
            &format!(
                "aborting the transaction of producer {} (epoch {}) on {tp}",
                spec.producer_id, spec.producer_epoch
            ),
            &e,
        )
    })?;
    out.line(&format!(
        "aborted the transaction of producer {} (epoch {}, coordinator epoch {}) on {tp}",
        spec.producer_id, spec.producer_epoch, spec.coordinator_epoch
    ))?;
    Ok(())
}

async fn fence(admin: &Admin, args: &FenceArgs, out: &mut Stdout) -> Result<(), String> {
    let mut rows = Rows::new(&[
        ("TRANSACTIONAL-ID", "transactional_id"),
        ("PRODUCER-ID", "producer_id"),
        ("PRODUCER-EPOCH", "producer_epoch"),
    ]);
    let mut failures = Vec::new();
    for id in &args.transactional_ids {
        match admin.fence_producers(&[id]).await {
            Ok(fenced) => {
                for f in fenced {
                    rows.push(vec![
                        Cell::text(id.as_str()),
                        Cell::Int(f.producer_id),
                        Cell::Int(f.producer_epoch.into()),
                    ]);
                }
            }
            Err(e) => failures.push(failed(&format!("fencing the producer of {id}"), &e)),
        }
    }
    rows.print(args.output.json, out)?;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

async fn find_hanging(
    admin: &Admin,
    args: &FindHangingArgs,
    out: &mut Stdout,
) -> Result<(), String> {
    let mut options = FindHangingOptions::new().max_transaction_timeout(Duration::from_secs(
        args.max_transaction_timeout.saturating_mul(60),
    ));
    if let Some(topic) = &args.topic {
        options = options.topic(topic.clone());
    }
    if let Some(partition) = args.partition {
        options = options.partition(partition);
    }
    if let Some(broker) = args.broker_id {
        options = options.broker(broker);
    }
    let hanging = admin
        .find_hanging_transactions(&options)
        .await
        .map_err(|e| failed("finding hanging transactions", &e))?;
    let now = now_ms();
    let mut rows = Rows::new(&[
        ("TOPIC", "topic"),
        ("PARTITION", "partition"),
        ("PRODUCER-ID", "producer_id"),
        ("PRODUCER-EPOCH", "producer_epoch"),
        ("COORDINATOR-EPOCH", "coordinator_epoch"),
        ("START-OFFSET", "start_offset"),
        ("LAST-TIMESTAMP", "last_timestamp"),
        ("DURATION-MIN", "duration_min"),
    ]);
    for h in hanging {
        let p = &h.producer;
        rows.push(vec![
            Cell::text(h.partition.topic.as_str()),
            Cell::Int(h.partition.partition.into()),
            Cell::Int(p.producer_id),
            Cell::Int(p.producer_epoch.into()),
            Cell::int(p.coordinator_epoch.map(i64::from)),
            Cell::Int(h.start_offset()),
            Cell::Int(p.last_timestamp_ms),
            Cell::Int((now - p.last_timestamp_ms).max(0) / 60_000),
        ]);
    }
    rows.print(args.output.json, out)
}

fn failed(what: &str, error: &KrafkaError) -> String {
    format!("{what}: {}", super::chain(error))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A value in a row.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Text(String),
    Int(i64),
    /// Text items, comma-separated in a table, an array in JSON.
    List(Vec<String>),
    /// Nothing: `-` in a table, `null` in JSON.
    None,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    fn int(value: Option<i64>) -> Cell {
        value.map_or(Cell::None, Cell::Int)
    }

    fn in_table(&self) -> String {
        match self {
            Cell::Text(text) if !text.is_empty() => text.clone(),
            Cell::List(items) if !items.is_empty() => items.join(","),
            Cell::Int(value) => value.to_string(),
            Cell::Text(_) | Cell::List(_) | Cell::None => "-".to_owned(),
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Cell::Text(text) => json_string(text, out),
            Cell::Int(value) => out.push_str(&value.to_string()),
            Cell::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(item, out);
                }
                out.push(']');
            }
            Cell::None => out.push_str("null"),
        }
    }
}

/// Rows under named columns: `(table header, JSON key)`.
struct Rows {
    columns: Vec<(&'static str, &'static str)>,
    rows: Vec<Vec<Cell>>,
}

impl Rows {
    fn new(columns: &[(&'static str, &'static str)]) -> Rows {
        Rows {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    fn print(&self, json: bool, out: &mut Stdout) -> Result<(), String> {
        if json {
            for line in self.json_lines() {
                if !out.line(&line)? {
                    break;
                }
            }
            return Ok(());
        }
        let mut table_rows = vec![self.columns.iter().map(|(h, _)| (*h).to_owned()).collect()];
        table_rows.extend(
            self.rows
                .iter()
                .map(|row| row.iter().map(Cell::in_table).collect()),
        );
        table(out, &table_rows)
    }

    fn json_lines(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|row| {
                let mut line = String::from("{");
                for (i, ((_, key), cell)) in self.columns.iter().zip(row).enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    json_string(key, &mut line);
                    line.push(':');
                    cell.write_json(&mut line);
                }
                line.push('}');
                line
            })
            .collect()
    }
}

/// `text` as a JSON string.
fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_dashes_in_tables_and_nulls_in_json() {
        let mut rows = Rows::new(&[("A", "a"), ("B", "b"), ("C", "c"), ("D", "d")]);
        rows.push(vec![
            Cell::text("x\"y\n"),
            Cell::None,
            Cell::List(vec!["t-0".to_owned(), "t-1".to_owned()]),
            Cell::Int(-3),
        ]);
        rows.push(vec![
            Cell::text(""),
            Cell::int(Some(7)),
            Cell::List(vec![]),
            Cell::Int(0),
        ]);
        assert_eq!(
            rows.json_lines(),
            vec![
                r#"{"a":"x\"y\n","b":null,"c":["t-0","t-1"],"d":-3}"#,
                r#"{"a":"","b":7,"c":[],"d":0}"#,
            ]
        );
        let cells: Vec<String> = rows.rows[1].iter().map(Cell::in_table).collect();
        assert_eq!(cells, ["-", "7", "-", "0"]);
        assert_eq!(rows.rows[0][2].in_table(), "t-0,t-1");
        let mut control = String::new();
        json_string("\u{1}", &mut control);
        assert_eq!(control, "\"\\u0001\"");
    }
}
