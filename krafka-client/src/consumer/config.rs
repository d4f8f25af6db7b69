//! Consumer settings under Kafka's names, or a typed builder. Defaults are
//! the Java consumer's.

use std::time::Duration;

use krafka_core::KrafkaError;

use crate::config::ClientConfig;
use crate::settings::{choices, settings_table};

/// Which records a consumer sees (`isolation.level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IsolationLevel {
    /// `read_uncommitted` (the default): every record, up to the high watermark.
    #[default]
    ReadUncommitted,
    /// `read_committed`: no records of aborted transactions, and nothing past
    /// the last stable offset (LSO).
    ReadCommitted,
}

impl IsolationLevel {
    /// The value of the Fetch and ListOffsets `isolation_level` fields.
    pub fn wire(self) -> i8 {
        match self {
            IsolationLevel::ReadUncommitted => 0,
            IsolationLevel::ReadCommitted => 1,
        }
    }
}

/// Where a partition without a valid position starts (`auto.offset.reset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OffsetReset {
    /// `earliest`: the log start offset.
    Earliest,
    /// `latest` (the default): the end of the log (the LSO under
    /// `read_committed`).
    #[default]
    Latest,
    /// `none`: no reset; `recv`/`poll` return the error for that partition.
    None,
}

choices!(IsolationLevel: "isolation.level" => [
    "read_uncommitted" => IsolationLevel::ReadUncommitted,
    "read_committed" => IsolationLevel::ReadCommitted,
]);

choices!(OffsetReset: "auto.offset.reset" => [
    "earliest" => OffsetReset::Earliest,
    "latest" => OffsetReset::Latest,
    "none" => OffsetReset::None,
]);

settings_table! {
    /// Settings of a [`Consumer`](super::Consumer).
    ///
    /// ```
    /// use std::time::Duration;
    /// use krafka_client::{ConsumerConfig, IsolationLevel, OffsetReset};
    ///
    /// let typed = ConsumerConfig::builder()
    ///     .bootstrap_servers(["127.0.0.1:9092"])
    ///     .isolation_level(IsolationLevel::ReadCommitted)
    ///     .auto_offset_reset(OffsetReset::Earliest)
    ///     .fetch_max_wait(Duration::from_millis(100))
    ///     .build()?;
    /// let by_name = ConsumerConfig::from_properties([
    ///     ("bootstrap.servers", "127.0.0.1:9092"),
    ///     ("isolation.level", "read_committed"),
    ///     ("auto.offset.reset", "earliest"),
    ///     ("fetch.max.wait.ms", "100"),
    /// ])?;
    /// assert_eq!(typed, by_name);
    /// # Ok::<(), krafka_core::KrafkaError>(())
    /// ```
    pub struct ConsumerConfig, builder ConsumerConfigBuilder;
    /// Connection and cluster settings (`bootstrap.servers`, `client.id`,
    /// `request.timeout.ms`, `retry.backoff.ms`, …).
    nested client: ClientConfig => [bootstrap_servers: Vec<String>];
    properties {
        /// The broker waits for this much data (or `fetch.max.wait.ms`)
        /// before answering.
        fetch_min_bytes: i32 = 1, "fetch.min.bytes", min 0;
        /// The most one Fetch response carries (a larger first batch still
        /// comes whole), as in Java. It also caps the consumer's memory
        /// budget: the budget is the lower of this and
        /// `krafka.fetch.buffer.max.bytes`.
        fetch_max_bytes: i32 = 50 * 1024 * 1024, "fetch.max.bytes", min 1;
        /// krafka's own: the consumer's memory budget, which trades prefetch
        /// for memory (as librdkafka's `queued.max.messages.kbytes` does;
        /// Java has no such setting, its consumer holds up to
        /// `fetch.max.bytes` per broker). The fetched data held for records
        /// not handed out yet (responses as they came, the decompressed
        /// chunk of each batch being handed out, 256 KiB or one record)
        /// stays within the lower of this and `fetch.max.bytes`
        /// ([`buffered_bytes`](super::Consumer::buffered_bytes)): a Fetch
        /// asks for at most what the budget leaves free and is sent only
        /// when a quarter of it is free, and no chunk of a compressed batch
        /// is decompressed ahead of the application while the budget is
        /// used up. The broker may exceed a Fetch's size by one batch
        /// (KIP-74), and the fetches of several brokers are sized
        /// independently, so with n brokers the count stays within n x
        /// (the budget plus one batch). Lower: less memory, smaller and more frequent fetches;
        /// higher: more read ahead of a bursty application.
        fetch_buffer_max_bytes: i32 = 2 * 1024 * 1024, "krafka.fetch.buffer.max.bytes", min 1;
        /// The most one partition contributes to a response.
        max_partition_fetch_bytes: i32 = 1024 * 1024, "max.partition.fetch.bytes", min 1;
        /// How long the broker may hold a Fetch waiting for
        /// `fetch.min.bytes`.
        fetch_max_wait: Duration = Duration::from_millis(500), "fetch.max.wait.ms";
        /// Which records the consumer sees.
        isolation_level: IsolationLevel = IsolationLevel::ReadUncommitted, "isolation.level";
        /// Where a partition without a valid position starts.
        auto_offset_reset: OffsetReset = OffsetReset::Latest, "auto.offset.reset";
        /// With a rack-aware replica selector on the brokers, fetches go to
        /// a replica in this rack (KIP-392); empty: none.
        client_rack: String = String::new(), "client.rack";
        /// Verify each batch's CRC-32C.
        check_crcs: bool = true, "check.crcs";
        /// The most records one [`poll`](super::Consumer::poll) returns.
        max_poll_records: usize = 500, "max.poll.records", min 1;
        /// The consumer group to join on
        /// [`subscribe`](super::Consumer::subscribe) and to commit offsets
        /// to (empty: none; the consumer is then assign-only).
        group_id: String = String::new(), "group.id";
        /// A stable name of this member (static membership, KIP-345): a
        /// member restarted with the same id within `session.timeout.ms`
        /// gets its partitions back without a rebalance (empty: dynamic).
        group_instance_id: Option<String> = None, "group.instance.id";
        /// The coordinator evicts a member it hears no heartbeat from for
        /// this long.
        session_timeout: Duration = Duration::from_secs(45), "session.timeout.ms";
        /// How often the member sends heartbeats (a third of the session
        /// timeout or less).
        heartbeat_interval: Duration = Duration::from_secs(3), "heartbeat.interval.ms";
        /// A member that does not poll for this long leaves the group, and
        /// the longest a rebalance waits for members to rejoin.
        max_poll_interval: Duration = Duration::from_secs(300), "max.poll.interval.ms";
        /// Commit the positions of the assigned partitions every
        /// `auto.commit.interval.ms`, before partitions are revoked and on
        /// close (only with a `group.id`).
        enable_auto_commit: bool = true, "enable.auto.commit";
        /// How often positions are committed with `enable.auto.commit`.
        auto_commit_interval: Duration = Duration::from_secs(5), "auto.commit.interval.ms";
        /// The assignors this member supports, most preferred first: their
        /// protocol names (`range`, `roundrobin`, `sticky`,
        /// `cooperative-sticky`) or Java's class names. The group uses the
        /// first that every member supports.
        partition_assignment_strategy: Vec<String> = vec![
            "range".to_owned(),
            "cooperative-sticky".to_owned(),
        ], "partition.assignment.strategy";
    }
    checks check_group;
}

impl ConsumerConfig {
    /// The group settings fit together (the assignor names are checked when
    /// a consumer with a `group.id` is made).
    fn check_group(&self) -> Result<(), KrafkaError> {
        if self.heartbeat_interval >= self.session_timeout {
            return Err(KrafkaError::config(
                "`heartbeat.interval.ms` must be lower than `session.timeout.ms`",
            ));
        }
        if self.group_instance_id.as_deref() == Some("") {
            return Err(KrafkaError::config("`group.instance.id` is empty"));
        }
        Ok(())
    }
}

impl ConsumerConfig {
    /// The memory budget: the lower of `krafka.fetch.buffer.max.bytes` and
    /// `fetch.max.bytes`.
    pub(crate) fn buffer_budget(&self) -> usize {
        usize::try_from(self.fetch_buffer_max_bytes.min(self.fetch_max_bytes)).unwrap_or(1)
    }

    /// `fetch.max.wait.ms` as the Fetch request's `max_wait_ms`.
    pub(crate) fn max_wait_ms(&self) -> i32 {
        i32::try_from(self.fetch_max_wait.as_millis()).unwrap_or(i32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use krafka_core::KrafkaError;

    use super::*;

    #[test]
    fn kafka_names_and_java_defaults() {
        let config = ConsumerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("fetch.min.bytes", "10"),
            ("fetch.max.bytes", "1000"),
            ("max.partition.fetch.bytes", "100"),
            ("fetch.max.wait.ms", "20"),
            ("isolation.level", "read_committed"),
            ("auto.offset.reset", "none"),
            ("client.rack", "rack-2"),
            ("check.crcs", "false"),
            ("max.poll.records", "7"),
            ("retry.backoff.ms", "3"),
        ])
        .unwrap();
        assert_eq!(config.fetch_min_bytes, 10);
        assert_eq!(config.fetch_max_bytes, 1000);
        assert_eq!(
            config.buffer_budget(),
            1000,
            "fetch.max.bytes caps the budget"
        );
        assert_eq!(config.max_partition_fetch_bytes, 100);
        assert_eq!(config.fetch_max_wait, Duration::from_millis(20));
        assert_eq!(config.isolation_level, IsolationLevel::ReadCommitted);
        assert_eq!(config.auto_offset_reset, OffsetReset::None);
        assert_eq!(config.client_rack, "rack-2");
        assert!(!config.check_crcs);
        assert_eq!(config.max_poll_records, 7);
        assert_eq!(config.client.retry_backoff, Duration::from_millis(3));

        let defaults = ConsumerConfig::default();
        assert_eq!(defaults.fetch_max_bytes, 52_428_800);
        assert_eq!(defaults.max_partition_fetch_bytes, 1_048_576);
        assert_eq!(defaults.fetch_buffer_max_bytes, 2 * 1_048_576);
        assert_eq!(defaults.buffer_budget(), 2 * 1_048_576);
        let lowered = ConsumerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("krafka.fetch.buffer.max.bytes", "65536"),
        ])
        .unwrap();
        assert_eq!(lowered.buffer_budget(), 65536);
        assert_eq!(defaults.fetch_max_wait, Duration::from_millis(500));
        assert_eq!(defaults.auto_offset_reset, OffsetReset::Latest);
        assert_eq!(defaults.isolation_level, IsolationLevel::ReadUncommitted);
        assert_eq!(defaults.max_poll_records, 500);
    }

    #[test]
    fn bad_settings_are_config_errors() {
        for props in [
            vec![("bootstrap.servers", "a:1"), ("isolation.level", "dirty")],
            vec![
                ("bootstrap.servers", "a:1"),
                ("auto.offset.reset", "smallest"),
            ],
            vec![("bootstrap.servers", "a:1"), ("fetch.max.bytes", "0")],
            vec![
                ("bootstrap.servers", "a:1"),
                ("krafka.fetch.buffer.max.bytes", "0"),
            ],
            vec![("bootstrap.servers", "a:1"), ("max.poll.records", "0")],
            vec![("bootstrap.servers", "a:1"), ("check.crcs", "yes")],
            vec![("bootstrap.servers", "a:1"), ("fetch.max.wait", "1")],
            vec![("fetch.min.bytes", "1")],
        ] {
            assert!(
                matches!(
                    ConsumerConfig::from_properties(props.clone()),
                    Err(KrafkaError::Config(_))
                ),
                "{props:?}"
            );
        }
    }

    #[test]
    fn builder_and_properties_agree() {
        let typed = ConsumerConfig::builder()
            .bootstrap_servers(["a:1"])
            .client_rack("r")
            .max_poll_records(3)
            .build()
            .unwrap();
        let named = ConsumerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("client.rack", "r"),
            ("max.poll.records", "3"),
        ])
        .unwrap();
        assert_eq!(typed, named);
    }
}
