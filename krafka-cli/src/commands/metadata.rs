//! `krafka metadata`: brokers, topics and partitions (leader, replicas,
//! in-sync replicas, leader epoch), like `kcat -L`.

use std::io::Write;

use clap::Args;
use krafka::{ClusterMetadata, TopicMetadata};

use super::connect::{self, ConnectArgs};
use super::output::Stdout;

#[derive(Args, Debug)]
pub struct MetadataArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// Only this topic (default: every topic, internal ones included).
    #[arg(short = 't', long)]
    topic: Option<String>,
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
        out.write_with(|w| write_metadata(&metadata, args.topic.as_deref(), w))?;
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

fn ids(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}
