//! `krafka query` (`-Q`): the offset of each `topic:partition:timestamp`,
//! as `kcat -Q` answers it: one line `<topic> [<partition>] offset
//! <offset>` per partition, sorted by topic and partition. The offset is
//! the first one whose timestamp is at least the one asked for (ListOffsets
//! by timestamp), -1 when no record is that recent; timestamp -1 asks for
//! the end offset, -2 for the log start offset. With `-J`, one JSON array
//! of `{"topic", "partition", "offset"}` objects.

use std::io::Write;

use clap::Args;
use krafka::{ConsumerConfig, TopicPartition};

use super::connect::{self, ConnectArgs};
use super::json;
use super::output::Stdout;
use super::topic_check::existing_topic;

/// The timestamp that asks for the end offset.
const LATEST: i64 = -1;
/// The timestamp that asks for the log start offset.
const EARLIEST: i64 = -2;

#[derive(Args, Debug)]
pub struct QueryArgs {
    #[command(flatten)]
    connect: ConnectArgs,
    /// `topic:partition:timestamp` (Unix ms; -1 the end, -2 the start);
    /// repeatable, a partition at most once.
    #[arg(
        short = 't',
        long = "topic",
        value_name = "TOPIC:PARTITION:TS",
        required = true,
        allow_hyphen_values = true,
        value_parser = parse_query
    )]
    queries: Vec<Query>,
    /// One JSON array of `{"topic","partition","offset"}` objects.
    #[arg(short = 'J', long)]
    json: bool,
}

/// One `topic:partition:timestamp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    tp: TopicPartition,
    timestamp: i64,
}

fn parse_query(text: &str) -> Result<Query, String> {
    let expected = || format!("expected topic:partition:timestamp, got `{text}`");
    let (rest, timestamp) = text.rsplit_once(':').ok_or_else(expected)?;
    let (topic, partition) = rest.rsplit_once(':').ok_or_else(expected)?;
    if topic.is_empty() {
        return Err(expected());
    }
    let partition = super::partition_number(partition)?;
    let timestamp: i64 = timestamp.trim().parse().map_err(|_| expected())?;
    if timestamp < EARLIEST {
        return Err(format!(
            "timestamp {timestamp}: Unix ms, or -1 (end) or -2 (start)"
        ));
    }
    Ok(Query {
        tp: TopicPartition::new(topic, partition),
        timestamp,
    })
}

pub fn run(args: QueryArgs) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = args.queries.iter().find(|q| !seen.insert(q.tp.clone())) {
        return Err(format!(
            "partition {} of {} is asked for twice",
            twice.tp.partition, twice.tp.topic
        ));
    }
    let Some(config) = args.connect.config::<ConsumerConfig>("query", [])? else {
        return Ok(());
    };
    let answers = connect::runtime()?.block_on(query(&args.queries, config))?;
    let mut out = Stdout::new();
    out.write_with(|w| {
        if args.json {
            write_json(&answers, w)
        } else {
            write_lines(&answers, w)
        }
    })?;
    out.finish()
}

/// Each partition's offset, sorted by topic and partition.
async fn query(
    queries: &[Query],
    config: ConsumerConfig,
) -> Result<Vec<(TopicPartition, i64)>, String> {
    let kafka = connect::kafka(config.client.clone()).await?;
    let admin = kafka.admin();
    let mut topics: Vec<&str> = queries.iter().map(|q| q.tp.topic.as_str()).collect();
    topics.sort_unstable();
    topics.dedup();
    for topic in topics {
        let partitions: Vec<i32> = queries
            .iter()
            .filter(|q| q.tp.topic == topic)
            .map(|q| q.tp.partition)
            .collect();
        existing_topic(&admin, topic, &partitions).await?;
    }
    let consumer = kafka
        .consumer(config)
        .map_err(|e| format!("starting the consumer: {}", super::chain(&e)))?;
    let of = |timestamp: i64| -> Vec<TopicPartition> {
        queries
            .iter()
            .filter(|q| q.timestamp == timestamp)
            .map(|q| q.tp.clone())
            .collect()
    };
    let mut answers = Vec::with_capacity(queries.len());
    let failed = |e: krafka::KrafkaError| format!("offsets: {}", super::chain(&e));
    let latest = of(LATEST);
    if !latest.is_empty() {
        answers.extend(consumer.end_offsets(&latest).await.map_err(failed)?);
    }
    let earliest = of(EARLIEST);
    if !earliest.is_empty() {
        answers.extend(
            consumer
                .beginning_offsets(&earliest)
                .await
                .map_err(failed)?,
        );
    }
    let by_time: Vec<(TopicPartition, i64)> = queries
        .iter()
        .filter(|q| q.timestamp >= 0)
        .map(|q| (q.tp.clone(), q.timestamp))
        .collect();
    if !by_time.is_empty() {
        let found = consumer.offsets_for_times(&by_time).await.map_err(failed)?;
        answers.extend(
            found
                .into_iter()
                .map(|(tp, at)| (tp, at.map_or(-1, |at| at.offset))),
        );
    }
    let _ = consumer.close().await;
    answers.sort();
    Ok(answers)
}

fn write_lines(answers: &[(TopicPartition, i64)], out: &mut dyn Write) -> std::io::Result<()> {
    for (tp, offset) in answers {
        writeln!(out, "{} [{}] offset {offset}", tp.topic, tp.partition)?;
    }
    Ok(())
}

fn write_json(answers: &[(TopicPartition, i64)], out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"[")?;
    for (i, (tp, offset)) in answers.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"topic\":")?;
        json::write_string(tp.topic.as_bytes(), out)?;
        write!(out, ",\"partition\":{},\"offset\":{offset}}}", tp.partition)?;
    }
    out.write_all(b"]\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kcat_queries() {
        assert_eq!(
            parse_query("events:3:1700000000000"),
            Ok(Query {
                tp: TopicPartition::new("events", 3),
                timestamp: 1_700_000_000_000
            })
        );
        assert_eq!(parse_query("a.b-c:0:-1").map(|q| q.timestamp), Ok(-1));
        assert_eq!(parse_query("t:0:-2").map(|q| q.timestamp), Ok(-2));
        for bad in ["t", "t:0", ":0:5", "t:x:5", "t:0:x", "t:-1:5", "t:0:-3"] {
            assert!(parse_query(bad).is_err(), "{bad}");
        }
    }
}
