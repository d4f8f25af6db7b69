//! Checking a topic (and partitions) exists before producing or consuming:
//! the clients would otherwise wait for it to appear.

use krafka::TopicMetadata;
use krafka::{Admin, ErrorCode, KrafkaError};

/// The topic's metadata; an unknown topic, or a partition in `partitions`
/// it does not have, is a one-line error.
pub async fn existing_topic(
    admin: &Admin,
    topic: &str,
    partitions: &[i32],
) -> Result<TopicMetadata, String> {
    let described = admin
        .describe_topics(&[topic])
        .await
        .map_err(|e| topic_error(topic, &e))?;
    let metadata = described
        .into_iter()
        .next()
        .ok_or_else(|| format!("topic {topic}: no metadata"))?;
    if let Some(missing) = partitions
        .iter()
        .find(|p| metadata.partition(**p).is_none())
    {
        return Err(format!(
            "topic {topic} has no partition {missing} (it has {})",
            metadata.partitions.len()
        ));
    }
    Ok(metadata)
}

/// "topic X does not exist" for UNKNOWN_TOPIC_OR_PARTITION, else the error.
fn topic_error(topic: &str, error: &KrafkaError) -> String {
    if error.error_code() == Some(ErrorCode::UnknownTopicOrPartition) {
        format!("topic {topic} does not exist (`krafka topic create {topic} -p N` creates it)")
    } else {
        format!("topic {topic}: {}", super::chain(error))
    }
}
