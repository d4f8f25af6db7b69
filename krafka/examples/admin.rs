//! Looks around a cluster and manages a topic: brokers and controller,
//! creating a topic with a setting, describing its partitions, listing
//! topics and consumer groups, deleting the topic again.
//!
//! Run with `cargo run -p krafka --example admin` against the Kafka at
//! `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`).

use krafka::{ClientConfig, Kafka, KrafkaError, ListGroupsOptions, NewTopic};

#[tokio::main]
async fn main() -> Result<(), KrafkaError> {
    let bootstrap =
        std::env::var("KRAFKA_BOOTSTRAP").unwrap_or_else(|_| "127.0.0.1:9092".to_owned());
    let kafka = Kafka::connect(
        ClientConfig::builder()
            .bootstrap_servers([bootstrap])
            .build()?,
    )
    .await?;
    let admin = kafka.admin();

    let cluster = admin.metadata::<&str>(None).await?;
    println!(
        "cluster {} (controller {:?})",
        cluster.cluster_id.as_deref().unwrap_or("?"),
        cluster.controller_id
    );
    for broker in cluster.brokers.values() {
        println!(
            "  broker {} at {}:{}",
            broker.node_id, broker.host, broker.port
        );
    }

    let topic = format!("admin-example-{}", std::process::id());
    // Returns once every broker's metadata has the topic.
    admin
        .create_topics(&[NewTopic::new(&topic, 2, 1).config("retention.ms", "3600000")])
        .await?;
    for described in admin.describe_topics(&[topic.as_str()]).await? {
        println!("{} ({})", described.name, described.topic_id);
        for p in &described.partitions {
            println!(
                "  partition {}: leader {:?}, replicas {:?}, in sync {:?}",
                p.partition, p.leader, p.replicas, p.isr
            );
        }
    }
    let topics = admin.list_topics().await?;
    println!("{} topics", topics.len());
    let groups = admin.list_groups(&ListGroupsOptions::new()).await?;
    println!("{} consumer groups", groups.len());
    for group in groups.iter().take(5) {
        println!(
            "group {} ({}, {})",
            group.group_id,
            group.protocol_type,
            group.state.as_deref().unwrap_or("state unknown")
        );
    }

    admin.delete_topics(&[topic.as_str()]).await?;
    if admin.list_topics().await?.contains(&topic) {
        return Err(KrafkaError::state(format!("{topic} is still listed")));
    }
    println!("deleted {topic}");
    Ok(())
}
