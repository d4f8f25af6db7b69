//! One `Kafka` handle under a producer, a consumer and an admin client: one
//! metadata cache and one set of broker connections, counted at the
//! transport seam.

mod broker_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use broker_support::{consume_exactly, single, unique_topic};
use krafka_client::{
    ClientConfig, ConsumerConfig, Kafka, NewTopic, OffsetReset, ProducerConfig, ProducerRecord,
    TopicPartition,
};
use krafka_client::{ConnectFuture, Connector, Tcp};

/// TCP, counting the connections it opens.
#[derive(Debug, Default)]
struct Counting(AtomicUsize);

impl Connector for Counting {
    fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Tcp.connect(address)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn producer_consumer_and_admin_share_one_set_of_connections() {
    let counting = Arc::new(Counting::default());
    let config = ClientConfig::builder()
        .bootstrap_servers([single()])
        .build()
        .expect("config");
    let kafka = Kafka::connect_with(config, Arc::clone(&counting) as Arc<dyn Connector>)
        .await
        .unwrap_or_else(|e| panic!("Kafka at {} unreachable: {e}", single()));

    let topic = unique_topic("client-handle");
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 2, 1)])
        .await
        .expect("create topic");
    let producer = kafka
        .producer(ProducerConfig::default())
        .await
        .expect("producer");
    for i in 0..20 {
        producer
            .send(ProducerRecord::new(&topic).value(format!("v{i}")))
            .await
            .expect("send")
            .await
            .expect("delivered");
    }
    assert_eq!(producer.delivery_counts().delivered, 20);

    let consumer = kafka
        .consumer(ConsumerConfig {
            fetch_max_wait: Duration::from_millis(100),
            auto_offset_reset: OffsetReset::Earliest,
            ..ConsumerConfig::default()
        })
        .expect("consumer");
    let partitions = [
        TopicPartition::new(&topic, 0),
        TopicPartition::new(&topic, 1),
    ];
    consumer
        .assign(partitions.iter().cloned())
        .await
        .expect("assign");

    let records = consume_exactly(&consumer, 20, Duration::from_secs(30)).await;
    assert_eq!(records.len(), 20);

    // (A seek during a fetch long poll would close the fetch connection
    // to cut the poll short, hence the reset policy above.)
    // The bootstrap server is broker 1: metadata, admin, producer id and
    // offset lookups share its general connection; produce and fetch have
    // one each. Separate clients would have opened two per role.
    assert_eq!(counting.0.load(Ordering::SeqCst), 3);
    assert_eq!(kafka.cluster().open_connections(), 3);
    assert!(Arc::ptr_eq(
        &producer.cluster().metadata(),
        &consumer.cluster().metadata()
    ));
    kafka.admin().delete_topics(&[topic.as_str()]).await.ok();
}
