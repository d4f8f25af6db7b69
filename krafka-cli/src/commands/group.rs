//! `krafka group list|describe|delete|offsets`: consumer groups, modelled on
//! `kafka-consumer-groups.sh`.

use std::collections::{BTreeMap, BTreeSet};

use clap::{Args, Subcommand};
use krafka::{
    Admin, Consumer, ConsumerConfig, ConsumerGroupDescription, ErrorCode, KrafkaError,
    ListGroupsOptions, OffsetAndMetadata, TopicPartition,
};

use super::connect::{self, ConnectArgs};
use super::output::{Stdout, note};
use super::reset_spec::ResetSpec;

#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// Print every group id, one per line, sorted (`-l`: with type, protocol
    /// type and state).
    List(ListArgs),
    /// Members, assignments and, per partition, the committed offset, the
    /// log end offset and the lag.
    Describe(DescribeArgs),
    /// Delete groups without members, with their committed offsets.
    Delete(DeleteArgs),
    /// Show a group's committed offsets, or plan (and with `--execute`
    /// apply) a reset of them.
    Offsets(OffsetsArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// Only groups in this state (`Stable`, `Empty`, `PreparingRebalance`,
    /// `CompletingRebalance`, `Dead`); repeatable.
    #[arg(long = "state", value_name = "STATE")]
    states: Vec<String>,
    /// A table: group, type, protocol type and state.
    #[arg(short = 'l', long)]
    long: bool,
}

#[derive(Args, Debug)]
pub struct DescribeArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The groups.
    #[arg(required = true)]
    groups: Vec<String>,
}

#[derive(Args, Debug)]
pub struct DeleteArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The groups.
    #[arg(required = true)]
    groups: Vec<String>,
}

#[derive(Args, Debug)]
pub struct OffsetsArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// The group.
    group: String,
    /// Only this topic (every partition of it when resetting); repeatable.
    /// Without it: the partitions the group has committed offsets for.
    #[arg(short = 't', long = "topic", value_name = "TOPIC")]
    topics: Vec<String>,
    /// Move the committed offsets: `earliest`, `latest`, `<offset>` (kept
    /// within the log), `s@<unix ms>` or an ISO 8601 date
    /// (`2024-05-01T12:00:00Z`; UTC without a zone): the first record at or
    /// after that time, else the log end. Without `--execute` only prints
    /// the plan.
    #[arg(long = "reset-to", value_name = "TARGET")]
    reset_to: Option<ResetSpec>,
    /// Apply the reset (the group must have no members).
    #[arg(long, requires = "reset_to")]
    execute: bool,
}

pub fn run(command: GroupCommand) -> Result<(), String> {
    let connect_args = match &command {
        GroupCommand::List(a) => &a.connect,
        GroupCommand::Describe(a) => &a.connect,
        GroupCommand::Delete(a) => &a.connect,
        GroupCommand::Offsets(a) => &a.connect,
    };
    let Some(config) = connect_args.config::<ConsumerConfig>("group", [])? else {
        return Ok(());
    };
    connect::runtime()?.block_on(async {
        let kafka = connect::kafka(config.client.clone()).await?;
        let admin = kafka.admin();
        let mut out = Stdout::new();
        let offsets = || {
            kafka
                .consumer(config.clone())
                .map_err(|e| format!("starting a consumer for offset lookups: {e}"))
        };
        match command {
            GroupCommand::List(args) => list(&admin, &args, &mut out).await?,
            GroupCommand::Describe(args) => describe(&admin, &offsets()?, &args, &mut out).await?,
            GroupCommand::Delete(args) => delete(&admin, &args.groups, &mut out).await?,
            GroupCommand::Offsets(args) => match args.reset_to {
                None => show_offsets(&admin, &offsets()?, &args, &mut out).await?,
                Some(target) => reset(&admin, &offsets()?, &args, target, &mut out).await?,
            },
        }
        out.finish()
    })
}

async fn list(admin: &Admin, args: &ListArgs, out: &mut Stdout) -> Result<(), String> {
    let groups = admin
        .list_groups(&ListGroupsOptions::new().states(args.states.iter().cloned()))
        .await
        .map_err(|e| format!("listing groups: {}", super::chain(&e)))?;
    if !args.long {
        for group in groups {
            if !out.line(&group.group_id)? {
                break;
            }
        }
        return Ok(());
    }
    let mut rows = vec![row(["GROUP", "TYPE", "PROTOCOL-TYPE", "STATE"])];
    for group in groups {
        rows.push(vec![
            group.group_id,
            group.group_type.unwrap_or_else(|| "-".to_owned()),
            dash_if_empty(group.protocol_type),
            group.state.unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    table(out, &rows)
}

async fn describe(
    admin: &Admin,
    offsets: &Consumer,
    args: &DescribeArgs,
    out: &mut Stdout,
) -> Result<(), String> {
    let mut failures = Vec::new();
    let mut shown = 0;
    for name in &args.groups {
        let group = match admin.describe_consumer_groups(&[name]).await {
            Ok(mut described) if !described.is_empty() => described.swap_remove(0),
            Ok(_) => return Err(format!("describing {name}: no answer")),
            Err(e) if e.error_code() == Some(ErrorCode::GroupIdNotFound) => {
                failures.push(format!("group {name} does not exist"));
                continue;
            }
            Err(e) => {
                failures.push(format!("describing {name}: {}", super::chain(&e)));
                continue;
            }
        };
        let committed = committed(admin, &group.group_id, None).await?;
        // What brokers before Kafka 4.0 answer for a group they do not know.
        if group.state == "Dead" && group.members.is_empty() && committed.is_empty() {
            failures.push(format!("group {name} does not exist"));
            continue;
        }
        if shown > 0 {
            out.line("")?;
        }
        describe_one(offsets, &group, &committed, out).await?;
        shown += 1;
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// One group: a summary line, then a row per partition (committed or
/// assigned) and one per member without partitions.
async fn describe_one(
    offsets: &Consumer,
    group: &ConsumerGroupDescription,
    committed: &BTreeMap<TopicPartition, OffsetAndMetadata>,
    out: &mut Stdout,
) -> Result<(), String> {
    out.line(&format!(
        "Group {}: state {}, assignor {}, {} member{}, coordinator {} ({}:{})",
        group.group_id,
        group.state,
        if group.assignor.is_empty() {
            "-"
        } else {
            &group.assignor
        },
        group.members.len(),
        if group.members.len() == 1 { "" } else { "s" },
        group.coordinator.node_id,
        group.coordinator.host,
        group.coordinator.port,
    ))?;
    let mut owner = BTreeMap::new();
    for member in &group.members {
        for tp in &member.assignment.partitions {
            owner.insert(tp.clone(), member);
        }
    }
    let partitions: BTreeSet<TopicPartition> =
        committed.keys().chain(owner.keys()).cloned().collect();
    let ends = end_offsets(offsets, &partitions).await?;
    let mut rows = vec![row([
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ])];
    for tp in &partitions {
        let current = committed.get(tp).map(|c| c.offset);
        let end = ends.get(tp).copied();
        let member = owner.get(tp);
        rows.push(vec![
            group.group_id.clone(),
            tp.topic.clone(),
            tp.partition.to_string(),
            number(current),
            number(end),
            number(current.zip(end).map(|(c, e)| (e - c).max(0))),
            member.map_or_else(|| "-".to_owned(), |m| m.member_id.clone()),
            member.map_or_else(|| "-".to_owned(), |m| m.host.clone()),
            member.map_or_else(|| "-".to_owned(), |m| m.client_id.clone()),
        ]);
    }
    for member in group
        .members
        .iter()
        .filter(|m| m.assignment.partitions.is_empty())
    {
        let mut cells = row([group.group_id.as_str(), "-", "-", "-", "-", "-"]);
        cells.extend([
            member.member_id.clone(),
            member.host.clone(),
            member.client_id.clone(),
        ]);
        rows.push(cells);
    }
    table(out, &rows)
}

async fn delete(admin: &Admin, groups: &[String], out: &mut Stdout) -> Result<(), String> {
    let mut failures = Vec::new();
    for group in groups {
        match admin.delete_consumer_groups(&[group]).await {
            Ok(()) => {
                out.line(&format!("deleted group {group}"))?;
            }
            Err(e) => failures.push(format!("deleting group {group}: {}", super::chain(&e))),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

async fn show_offsets(
    admin: &Admin,
    offsets: &Consumer,
    args: &OffsetsArgs,
    out: &mut Stdout,
) -> Result<(), String> {
    let committed = committed(admin, &args.group, None).await?;
    let committed: BTreeMap<TopicPartition, OffsetAndMetadata> = committed
        .into_iter()
        .filter(|(tp, _)| args.topics.is_empty() || args.topics.contains(&tp.topic))
        .collect();
    let partitions: BTreeSet<TopicPartition> = committed.keys().cloned().collect();
    let ends = end_offsets(offsets, &partitions).await?;
    let mut rows = vec![row([
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "METADATA",
    ])];
    for (tp, offset) in &committed {
        let end = ends.get(tp).copied();
        rows.push(vec![
            args.group.clone(),
            tp.topic.clone(),
            tp.partition.to_string(),
            offset.offset.to_string(),
            number(end),
            number(end.map(|e| (e - offset.offset).max(0))),
            dash_if_empty(offset.metadata.clone()),
        ]);
    }
    table(out, &rows)
}

/// Computes the new offsets, prints them, and with `--execute` commits them.
async fn reset(
    admin: &Admin,
    offsets: &Consumer,
    args: &OffsetsArgs,
    target: ResetSpec,
    out: &mut Stdout,
) -> Result<(), String> {
    let partitions = reset_partitions(admin, args).await?;
    let plan = plan(offsets, &partitions, target).await?;
    if args.execute {
        let described = match admin.describe_consumer_groups(&[&args.group]).await {
            Ok(described) => described,
            // A group that does not exist yet gets its first offsets.
            Err(e) if e.error_code() == Some(ErrorCode::GroupIdNotFound) => Vec::new(),
            Err(e) => return Err(format!("describing {}: {}", args.group, super::chain(&e))),
        };
        if let Some(group) = described.first().filter(|g| !g.members.is_empty()) {
            return Err(format!(
                "group {} has {} active member(s) (state {}): offsets can only be reset while \
                 it has none",
                group.group_id,
                group.members.len(),
                group.state
            ));
        }
        let offsets: Vec<(TopicPartition, OffsetAndMetadata)> = plan
            .iter()
            .map(|(tp, offset)| (tp.clone(), OffsetAndMetadata::new(*offset)))
            .collect();
        admin
            .alter_consumer_group_offsets(&args.group, &offsets)
            .await
            .map_err(|e| {
                format!(
                    "resetting the offsets of {}: {}",
                    args.group,
                    super::chain(&e)
                )
            })?;
    } else {
        note("dry run: nothing was changed; add --execute to reset these offsets");
    }
    let mut rows = vec![row(["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"])];
    for (tp, offset) in &plan {
        rows.push(vec![
            args.group.clone(),
            tp.topic.clone(),
            tp.partition.to_string(),
            offset.to_string(),
        ]);
    }
    table(out, &rows)
}

/// Every partition of each `--topic`, else the group's committed ones.
async fn reset_partitions(
    admin: &Admin,
    args: &OffsetsArgs,
) -> Result<Vec<TopicPartition>, String> {
    if args.topics.is_empty() {
        let committed = committed(admin, &args.group, None).await?;
        if committed.is_empty() {
            return Err(format!(
                "group {} has no committed offsets: name the topics to reset with --topic",
                args.group
            ));
        }
        return Ok(committed.into_keys().collect());
    }
    let topics = admin.describe_topics(&args.topics).await.map_err(|e| {
        format!(
            "describing {}: {}",
            args.topics.join(", "),
            super::chain(&e)
        )
    })?;
    Ok(topics
        .iter()
        .flat_map(|t| {
            t.partitions
                .iter()
                .map(|p| TopicPartition::new(&t.name, p.partition))
        })
        .collect())
}

/// The offset each partition moves to.
async fn plan(
    offsets: &Consumer,
    partitions: &[TopicPartition],
    target: ResetSpec,
) -> Result<BTreeMap<TopicPartition, i64>, String> {
    let lookup = |e: KrafkaError| format!("looking up offsets: {}", super::chain(&e));
    let ends: BTreeMap<TopicPartition, i64> = offsets
        .end_offsets(partitions)
        .await
        .map_err(lookup)?
        .into_iter()
        .collect();
    Ok(match target {
        ResetSpec::Latest => ends,
        ResetSpec::Earliest => offsets
            .beginning_offsets(partitions)
            .await
            .map_err(lookup)?
            .into_iter()
            .collect(),
        ResetSpec::Offset(offset) => {
            let starts: BTreeMap<TopicPartition, i64> = offsets
                .beginning_offsets(partitions)
                .await
                .map_err(lookup)?
                .into_iter()
                .collect();
            let mut plan = BTreeMap::new();
            for (tp, end) in ends {
                let start = starts.get(&tp).copied().unwrap_or(0);
                let kept = offset.clamp(start, end.max(start));
                if kept != offset {
                    note(&format!(
                        "warning: {tp}: offset {offset} is outside the log ({start}..{end}); using {kept}"
                    ));
                }
                plan.insert(tp, kept);
            }
            plan
        }
        ResetSpec::Timestamp(ms) => {
            let query: Vec<(TopicPartition, i64)> =
                partitions.iter().map(|tp| (tp.clone(), ms)).collect();
            offsets
                .offsets_for_times(&query)
                .await
                .map_err(lookup)?
                .into_iter()
                .map(|(tp, found)| {
                    let offset =
                        found.map_or_else(|| ends.get(&tp).copied().unwrap_or(0), |f| f.offset);
                    (tp, offset)
                })
                .collect()
        }
    })
}

async fn committed(
    admin: &Admin,
    group: &str,
    partitions: Option<&[TopicPartition]>,
) -> Result<BTreeMap<TopicPartition, OffsetAndMetadata>, String> {
    admin
        .list_consumer_group_offsets(group, partitions)
        .await
        .map_err(|e| {
            format!(
                "reading the committed offsets of {group}: {}",
                super::chain(&e)
            )
        })
}

async fn end_offsets(
    offsets: &Consumer,
    partitions: &BTreeSet<TopicPartition>,
) -> Result<BTreeMap<TopicPartition, i64>, String> {
    if partitions.is_empty() {
        return Ok(BTreeMap::new());
    }
    let partitions: Vec<TopicPartition> = partitions.iter().cloned().collect();
    Ok(offsets
        .end_offsets(&partitions)
        .await
        .map_err(|e| format!("looking up log end offsets: {}", super::chain(&e)))?
        .into_iter()
        .collect())
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn number(value: Option<i64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn dash_if_empty(text: String) -> String {
    if text.is_empty() {
        "-".to_owned()
    } else {
        text
    }
}

/// Rows as left-aligned columns two spaces apart (the last one unpadded).
pub(super) fn table(out: &mut Stdout, rows: &[Vec<String>]) -> Result<(), String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for cells in rows {
        let mut line = String::new();
        for (c, cell) in cells.iter().enumerate() {
            if c + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let pad = widths[c].saturating_sub(cell.chars().count()) + 2;
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if !out.line(&line)? {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_blanks_show_as_dashes() {
        assert_eq!(number(None), "-");
        assert_eq!(number(Some(7)), "7");
        assert_eq!(dash_if_empty(String::new()), "-");
        assert_eq!(dash_if_empty("x".to_owned()), "x");
    }
}
