//! `krafka topic list|create|delete`.

use clap::{Args, Subcommand};
use krafka::{Admin, ErrorCode, NewTopic};

use super::connect::{self, ConnectArgs, parse_property};
use super::output::Stdout;

#[derive(Subcommand, Debug)]
pub enum TopicCommand {
    /// Print every topic name, one per line, sorted.
    List(ListArgs),
    /// Create a topic and wait until every partition has a leader.
    Create(CreateArgs),
    /// Delete topics and wait until the metadata no longer lists them.
    Delete(DeleteArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// Internal topics (`__consumer_offsets`, …) too.
    #[arg(long)]
    internal: bool,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topic name.
    name: String,
    /// Number of partitions (default: the broker's `num.partitions`).
    #[arg(short = 'p', long, default_value_t = -1, allow_negative_numbers = true)]
    partitions: i32,
    /// Replication factor (default: the broker's `default.replication.factor`).
    #[arg(short = 'r', long, default_value_t = -1, allow_negative_numbers = true)]
    replication_factor: i16,
    /// A topic setting, `key=value` (`retention.ms=3600000`, …); repeatable.
    #[arg(short = 'c', long = "config", value_name = "KEY=VALUE")]
    configs: Vec<String>,
    /// An existing topic is not an error.
    #[arg(long)]
    if_not_exists: bool,
}

#[derive(Args, Debug)]
pub struct DeleteArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The topics.
    #[arg(required = true)]
    names: Vec<String>,
}

pub fn run(command: TopicCommand) -> Result<(), String> {
    let connect_args = match &command {
        TopicCommand::List(a) => &a.connect,
        TopicCommand::Create(a) => &a.connect,
        TopicCommand::Delete(a) => &a.connect,
    };
    let Some(config) = connect_args.client_config("topic")? else {
        return Ok(());
    };
    if let TopicCommand::Create(args) = &command {
        // Bad settings are reported before connecting.
        new_topic(args)?;
    }
    connect::runtime()?.block_on(async {
        let admin = connect::kafka(config).await?.admin();
        let mut out = Stdout::new();
        match command {
            TopicCommand::List(args) => list(&admin, args.internal, &mut out).await?,
            TopicCommand::Create(args) => create(&admin, &args, &mut out).await?,
            TopicCommand::Delete(args) => delete(&admin, &args.names, &mut out).await?,
        }
        out.finish()
    })
}

async fn list(admin: &Admin, internal: bool, out: &mut Stdout) -> Result<(), String> {
    let metadata = admin
        .metadata::<&str>(None)
        .await
        .map_err(|e| format!("listing topics: {}", super::chain(&e)))?;
    let mut names: Vec<&str> = metadata
        .topics
        .values()
        .filter(|t| internal || !t.is_internal)
        .map(|t| t.name.as_str())
        .collect();
    names.sort_unstable();
    for name in names {
        if !out.line(name)? {
            break;
        }
    }
    Ok(())
}

fn new_topic(args: &CreateArgs) -> Result<NewTopic, String> {
    let mut topic = NewTopic::new(&args.name, args.partitions, args.replication_factor);
    for config in &args.configs {
        let (key, value) = parse_property(config).map_err(|e| format!("-c: {e}"))?;
        topic = topic.config(key, value);
    }
    Ok(topic)
}

async fn create(admin: &Admin, args: &CreateArgs, out: &mut Stdout) -> Result<(), String> {
    match admin.create_topics(&[new_topic(args)?]).await {
        Ok(()) => {
            out.line(&format!("created topic {}", args.name))?;
            Ok(())
        }
        Err(e) if args.if_not_exists && e.error_code() == Some(ErrorCode::TopicAlreadyExists) => {
            out.line(&format!("topic {} already exists", args.name))?;
            Ok(())
        }
        Err(e) => Err(format!(
            "creating topic {}: {}",
            args.name,
            super::chain(&e)
        )),
    }
}

async fn delete(admin: &Admin, names: &[String], out: &mut Stdout) -> Result<(), String> {
    admin
        .delete_topics(names)
        .await
        .map_err(|e| format!("deleting {}: {}", names.join(", "), super::chain(&e)))?;
    for name in names {
        out.line(&format!("deleted topic {name}"))?;
    }
    Ok(())
}
