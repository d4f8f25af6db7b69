//! Your own Kafka messages, derived: a versioned record value the
//! application writes and reads back through a topic, and a trimmed-down
//! ApiVersions request sent to the broker, both declared with
//! `#[derive(Message)]` and `krafka` as the only dependency.
//!
//! Run with `cargo run -p krafka --example derived_message` against the
//! Kafka at `KRAFKA_BOOTSTRAP` (default `127.0.0.1:9092`).

use std::time::Duration;

use krafka::protocol::{Message, TaggedFields};
use krafka::{
    ClientConfig, ConsumerConfig, Kafka, KrafkaError, NewTopic, OffsetReset, ProducerConfig,
    ProducerRecord, TopicPartition,
};

/// A record value with a schema of its own: version 1 added `note`.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0-1")]
pub struct Order {
    pub id: i64,
    pub item: String,
    pub quantity: i32,
    /// Dropped when written as version 0 (`ignorable`), so an old reader
    /// gets the rest.
    #[kafka(versions = "1+", nullable_versions = "1+", ignorable)]
    pub note: Option<String>,
}

/// ApiVersions (API key 18) at version 3 only, with just the fields read
/// here; the derive checks the key and that the response pairs with it.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 18, request, versions = "3", flexible = "3+", response = BrokerApis)]
pub struct AskBrokerApis {
    pub client_software_name: String,
    pub client_software_version: String,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The answer to [`AskBrokerApis`]; tagged fields this struct does not
/// name (the broker's features) are kept as they came.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 18,
    response,
    versions = "3",
    flexible = "3+",
    response_header_v0
)]
pub struct BrokerApis {
    pub error_code: i16,
    pub api_keys: Vec<BrokerApi>,
    pub throttle_time_ms: i32,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// One API of [`BrokerApis`].
#[derive(Debug, Clone, PartialEq, Message)]
pub struct BrokerApi {
    pub api_key: i16,
    pub min_version: i16,
    pub max_version: i16,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

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

    let answer = kafka
        .cluster()
        .send_to_any(&AskBrokerApis {
            client_software_name: "krafka-example".to_owned(),
            client_software_version: "1".to_owned(),
            ..Default::default()
        })
        .await?;
    krafka::KrafkaError::check_code(answer.error_code, None)?;
    let produce = answer.api_keys.iter().find(|api| api.api_key == 0);
    println!(
        "the broker speaks {} APIs; Produce {:?}",
        answer.api_keys.len(),
        produce.map(|api| api.min_version..=api.max_version)
    );

    let topic = format!("derived-example-{}", std::process::id());
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await?;
    let order = Order {
        id: 42,
        item: "kafka in action".to_owned(),
        quantity: 2,
        note: Some("gift wrap".to_owned()),
    };
    let producer = kafka.producer(ProducerConfig::default()).await?;
    for version in Order::VERSIONS.min..=Order::VERSIONS.max {
        let mut value = Vec::new();
        order.encode_version(&mut value, version)?;
        let record = ProducerRecord::new(&topic)
            .value(value)
            .header("order-version", Some(version.to_string()));
        producer.send(record).await?.await?;
    }

    let consumer = kafka.consumer(ConsumerConfig {
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    })?;
    consumer.assign([TopicPartition::new(&topic, 0)]).await?;
    let mut read = Vec::new();
    for _ in 0..20 {
        for record in consumer.poll(Duration::from_millis(500)).await? {
            let version = record
                .headers
                .iter()
                .find(|h| &h.key[..] == b"order-version")
                .and_then(|h| h.value)
                .and_then(|v| std::str::from_utf8(&v).ok()?.parse::<i16>().ok())
                .ok_or_else(|| KrafkaError::state("a record without its version"))?;
            let value = record.value.unwrap_or_default();
            let decoded = Order::decode_version(&mut &value[..], version)?;
            println!("v{version}, {} bytes: {decoded:?}", value.len());
            read.push((version, decoded));
        }
        if read.len() == 2 {
            break;
        }
    }
    kafka.admin().delete_topics(&[topic.as_str()]).await?;
    let old_reader = Order {
        note: None,
        ..order.clone()
    };
    if read == [(0, old_reader), (1, order)] {
        Ok(())
    } else {
        Err(KrafkaError::state(format!("read back {read:?}")))
    }
}
