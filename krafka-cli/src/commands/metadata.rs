//! `krafka metadata`: brokers, topics and partitions (leader, replicas,
//! in-sync replicas, leader epoch), like `kcat -L`; with `-J` one JSON
//! object in the layout of `kcat -L -J`.

use std::io::Write;

use clap::Args;
use krafka::{ClusterMetadata, TopicMetadata};

use super::connect::{self, ConnectArgs};
use super::json;
use super::output::Stdout;

#[derive(Args, Debug)]
pub struct MetadataArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// Only this topic (default: every topic, internal ones included).
    #[arg(short = 't', long)]
    topic: Option<String>,
    /// One JSON object, as `kcat -L -J` writes it: `query`, `controllerid`,
    /// `brokers` (`id`, `name`), `topics` (`topic`, `partitions`:
    /// `partition`, `leader`, `replicas` and `isrs` as `[{"id": n}]`, an
    /// `error` when there is one); kcat's `originating_broker` is left out,
    /// `cluster_id` and `leader_epoch` are added.
    #[arg(short = 'J', long)]
    json: bool,
}

pub fn run(args: MetadataArgs) -> Result<(), String> {
    let Some(config) = args.connect.client_config("metadata")? else {
        return Ok(());
    };
    connect::runtime()?.block_on(async {
        let admin = connect::kafka(config).await?.admin();
        let topics = args.topic.as_ref().map(std::slice::from_ref);
        let metadata = admin
            .metadata(topics)
            .await
            .map_err(|e| format!("metadata: {}", super::chain(&e)))?;
        if let Some(topic) = &args.topic {
            if let Some(error) = metadata.topic_errors.get(topic) {
                if metadata.topic(topic).is_none() {
                    return Err(format!("topic {topic}: {}", super::chain(error)));
                }
            }
        }
        let mut out = Stdout::new();
        let only = args.topic.as_deref();
        if args.json {
            out.write_with(|w| write_json(&metadata, only, w))?;
        } else {
            out.write_with(|w| write_metadata(&metadata, only, w))?;
        }
        out.finish()
    })
}

/// The listing: a header, the brokers, then each topic (sorted by name)
/// with its partitions.
fn write_metadata(
    metadata: &ClusterMetadata,
    only: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Metadata for {} (cluster {}, controller {}):",
        only.map_or_else(|| "all topics".to_owned(), |t| format!("topic \"{t}\"")),
        metadata.cluster_id.as_deref().unwrap_or("?"),
        metadata
            .controller_id
            .map_or_else(|| "?".to_owned(), |id| id.to_string())
    )?;
    writeln!(out, " {} brokers:", metadata.brokers.len())?;
    for broker in metadata.brokers.values() {
        let controller = if metadata.controller_id == Some(broker.node_id) {
            " (controller)"
        } else {
            ""
        };
        let rack = broker
            .rack
            .as_deref()
            .map(|r| format!(", rack {r}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  broker {} at {}{rack}{controller}",
            broker.node_id,
            broker.address()
        )?;
    }
    let mut topics: Vec<&TopicMetadata> = metadata.topics.values().map(|t| &**t).collect();
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    writeln!(out, " {} topics:", topics.len())?;
    for topic in topics {
        write_topic(topic, out)?;
    }
    Ok(())
}

fn write_topic(topic: &TopicMetadata, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "  topic \"{}\" with {} partitions{}:",
        topic.name,
        topic.partitions.len(),
        if topic.is_internal { " (internal)" } else { "" }
    )?;
    for p in &topic.partitions {
        let leader = p
            .leader
            .map_or_else(|| "none".to_owned(), |l| l.to_string());
        write!(
            out,
            "    partition {}, leader {leader}, epoch {}, replicas: {}, isrs: {}",
            p.partition,
            p.leader_epoch,
            ids(&p.replicas),
            ids(&p.isr)
        )?;
        if !p.offline_replicas.is_empty() {
            write!(out, ", offline: {}", ids(&p.offline_replicas))?;
        }
        if let Some(error) = p.error {
            write!(out, ", error: {}", error.name())?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The listing as one JSON object (and a newline).
fn write_json(
    metadata: &ClusterMetadata,
    only: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(b"{\"query\":{\"topic\":")?;
    json::write_string(only.unwrap_or("*").as_bytes(), out)?;
    out.write_all(b"},\"cluster_id\":")?;
    match &metadata.cluster_id {
        Some(id) => json::write_string(id.as_bytes(), out)?,
        None => out.write_all(b"null")?,
    }
    write!(
        out,
        ",\"controllerid\":{},\"brokers\":[",
        metadata.controller_id.unwrap_or(-1)
    )?;
    for (i, broker) in metadata.brokers.values().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "{{\"id\":{},\"name\":", broker.node_id)?;
        json::write_string(broker.address().as_bytes(), out)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"],\"topics\":[")?;
    let mut topics: Vec<&TopicMetadata> = metadata.topics.values().map(|t| &**t).collect();
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    for (i, topic) in topics.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"topic\":")?;
        json::write_string(topic.name.as_bytes(), out)?;
        out.write_all(b",\"partitions\":[")?;
        for (j, p) in topic.partitions.iter().enumerate() {
            if j > 0 {
                out.write_all(b",")?;
            }
            write!(
                out,
                "{{\"partition\":{},\"leader\":{},\"leader_epoch\":{},\"replicas\":[{}],\"isrs\":[{}]",
                p.partition,
                p.leader.unwrap_or(-1),
                p.leader_epoch,
                json_ids(&p.replicas),
                json_ids(&p.isr)
            )?;
            if let Some(error) = p.error {
                write!(out, ",\"error\":\"{}\"", error.name())?;
            }
            out.write_all(b"}")?;
        }
        out.write_all(b"]}")?;
    }
    out.write_all(b"]}\n")
}

fn json_ids(ids: &[i32]) -> String {
    ids.iter()
        .map(|id| format!("{{\"id\":{id}}}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn ids(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}
