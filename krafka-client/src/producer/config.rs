//! Producer settings under Kafka's names, or a typed builder. Defaults are
//! the Java producer's.

use std::time::Duration;

use krafka_core::KrafkaError;
use krafka_core::records::Compression;

use crate::config::ClientConfig;
use crate::settings::{choices, settings_table};

/// How many acknowledgements a produce request waits for (`acks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// `acks=0`: the broker does not answer; offsets are unknown (-1).
    None,
    /// `acks=1`: the leader wrote the records.
    Leader,
    /// `acks=all` (`-1`): every in-sync replica has them.
    All,
}

choices!(Acks: "acks" => [
    "0" => Acks::None,
    "1" => Acks::Leader,
    "all" => Acks::All,
    "-1" => Acks::All,
]);

choices!(foreign Compression: "compression.type" => [
    "none" => Compression::None,
    "gzip" => Compression::Gzip,
    "snappy" => Compression::Snappy,
    "lz4" => Compression::Lz4,
    "zstd" => Compression::Zstd,
]);

impl Acks {
    /// The value of the Produce request's `acks` field.
    pub fn wire(self) -> i16 {
        match self {
            Acks::None => 0,
            Acks::Leader => 1,
            Acks::All => -1,
        }
    }
}

settings_table! {
    /// Settings of a [`Producer`](super::Producer).
    pub struct ProducerConfig, builder ProducerConfigBuilder;
    /// Connection and cluster settings (`bootstrap.servers`, `client.id`,
    /// `request.timeout.ms`, `retry.backoff.ms`, …).
    nested client: ClientConfig => [bootstrap_servers: Vec<String>];
    properties {
        /// How many acknowledgements a produce request waits for.
        acks: Acks = Acks::All, "acks";
        /// Whether the producer is idempotent; when not set, it is, unless
        /// other settings conflict (as in Java).
        enable_idempotence: Option<bool> = None, "enable.idempotence";
        /// How long a batch waits for more records.
        linger: Duration = Duration::from_millis(5), "linger.ms";
        /// The bytes of one batch (a batch that cannot go out yet, or that
        /// filled within half of `linger.ms`, grows past it); 0, as in
        /// Java, puts every record in a batch of its own.
        batch_size: usize = 16_384, "batch.size";
        /// Bytes of records waiting to be sent.
        buffer_memory: usize = 32 * 1024 * 1024, "buffer.memory", min 1;
        /// How long `send` waits for buffer space or metadata.
        max_block: Duration = Duration::from_secs(60), "max.block.ms";
        /// The largest record and request.
        max_request_size: usize = 1024 * 1024, "max.request.size", min 1;
        /// Time from `send` to success or failure, retries included.
        delivery_timeout: Duration = Duration::from_secs(120), "delivery.timeout.ms";
        /// How often a failed batch is retried.
        retries: u32 = i32::MAX as u32, "retries";
        /// Produce requests in flight per broker.
        max_in_flight: usize = 5, "max.in.flight.requests.per.connection", min 1;
        /// The codec of record batches.
        compression: Compression = Compression::None, "compression.type";
        /// The codec's level, when set (one level whichever codec's name
        /// sets it).
        compression_level: Option<i32> = None,
            "compression.gzip.level" | "compression.lz4.level" | "compression.zstd.level";
        /// Keyed records are placed like keyless ones.
        partitioner_ignore_keys: bool = false, "partitioner.ignore.keys";
        /// Keyless records go less often to partitions with longer queues
        /// (KIP-794).
        partitioner_adaptive_partitioning: bool = true, "partitioner.adaptive.partitioning.enable";
        /// With adaptive partitioning, a broker that had data ready but
        /// took no request for this long gets no new keyless records until
        /// its requests end; 0 turns this off.
        partitioner_availability_timeout: Duration = Duration::ZERO, "partitioner.availability.timeout.ms";
        /// Makes the producer transactional (see
        /// [`Producer::init_transactions`](super::Producer::init_transactions)):
        /// the id that identifies it across restarts, so that a new
        /// incarnation fences the old one. Implies idempotence.
        transactional_id: Option<String> = None, "transactional.id";
        /// How long the coordinator lets a transaction stay open before it
        /// aborts it (at most the broker's `transaction.max.timeout.ms`).
        transaction_timeout: Duration = Duration::from_secs(60), "transaction.timeout.ms";
    }
    checks check_consistency;
}

impl ProducerConfig {
    /// Whether the producer is idempotent: `enable.idempotence` when set,
    /// else on unless `acks` is not `all` or more than 5 requests may be in
    /// flight (Java's rule).
    pub fn idempotent(&self) -> bool {
        self.enable_idempotence.unwrap_or(
            self.transactional_id.is_some()
                || (self.acks == Acks::All && self.max_in_flight <= 5 && self.retries > 0),
        )
    }

    /// A codec this build has, idempotence's needs, and a delivery timeout
    /// that leaves room for one linger and one request.
    fn check_consistency(&self) -> Result<(), KrafkaError> {
        // A codec compiled out is refused here, not at the first batch.
        self.compression.check_available()?;
        match self.transactional_id.as_deref() {
            Some("") => return Err(KrafkaError::config("`transactional.id` must not be empty")),
            Some(_) if self.enable_idempotence == Some(false) => {
                return Err(KrafkaError::config(
                    "`transactional.id` needs idempotence: do not set `enable.idempotence=false`",
                ));
            }
            _ => {}
        }
        if self.enable_idempotence == Some(true) || self.transactional_id.is_some() {
            if self.acks != Acks::All {
                return Err(KrafkaError::config(
                    "`enable.idempotence` needs `acks=all` (set `enable.idempotence=false` for acks 0 or 1)",
                ));
            }
            if self.max_in_flight > 5 {
                return Err(KrafkaError::config(
                    "`enable.idempotence` needs `max.in.flight.requests.per.connection` of at most 5",
                ));
            }
            if self.retries == 0 {
                return Err(KrafkaError::config(
                    "`enable.idempotence` needs `retries` > 0",
                ));
            }
        }
        let request_timeout = self.client.connection.request_timeout;
        if self.delivery_timeout < self.linger.saturating_add(request_timeout) {
            return Err(KrafkaError::config(
                "`delivery.timeout.ms` must be at least `linger.ms` + `request.timeout.ms`",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A codec this build left out is refused with the settings, naming
    /// the feature, before any record is queued.
    #[test]
    fn a_codec_compiled_out_is_refused_by_the_settings() {
        for name in ["gzip", "snappy", "lz4", "zstd"] {
            let codec: Compression = name.parse().unwrap();
            let result = ProducerConfig::from_properties([
                ("bootstrap.servers", "a:1"),
                ("compression.type", name),
            ]);
            match result {
                Ok(config) => {
                    assert!(codec.is_available(), "{name}");
                    assert_eq!(config.compression, codec);
                }
                Err(error) => {
                    assert!(!codec.is_available(), "{name}: {error}");
                    assert!(
                        matches!(error, KrafkaError::CodecDisabled { codec: c } if c == codec),
                        "{error:?}"
                    );
                }
            }
        }
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn kafka_names_and_java_defaults() {
        let config = ProducerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("linger.ms", "20"),
            ("batch.size", "1000"),
            ("acks", "1"),
            ("compression.type", "zstd"),
            ("buffer.memory", "4096"),
            ("retry.backoff.ms", "7"),
        ])
        .unwrap();
        assert_eq!(config.linger, Duration::from_millis(20));
        assert_eq!(config.batch_size, 1000);
        assert_eq!(config.acks, Acks::Leader);
        assert_eq!(config.compression, Compression::Zstd);
        assert_eq!(config.client.retry_backoff, Duration::from_millis(7));
        // acks=1 and idempotence not set: idempotence is off, as in Java.
        assert!(!config.idempotent());
        assert!(ProducerConfig::default().idempotent());
    }

    #[test]
    fn conflicting_idempotence_is_a_config_error() {
        let result = ProducerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("enable.idempotence", "true"),
            ("acks", "0"),
        ]);
        assert!(matches!(result, Err(KrafkaError::Config(_))));
        assert!(
            ProducerConfig::from_properties([("bootstrap.servers", "a:1"), ("lingerms", "1")])
                .is_err()
        );
    }
}
