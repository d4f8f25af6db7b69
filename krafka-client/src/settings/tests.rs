use std::fmt::Debug;
use std::time::Duration;

use krafka_core::records::Compression;

use super::*;
use crate::config::{ClientConfig, MetadataRecovery};
use crate::connection::ConnectionConfig;
use crate::consumer::{ConsumerConfig, IsolationLevel, OffsetReset};
use crate::producer::{Acks, ProducerConfig};

/// Every name each type took by hand before its table existed.
const CONNECTION_NAMES: &[&str] = &[
    "client.id",
    "request.timeout.ms",
    "socket.connection.setup.timeout.ms",
];
const SECURITY_NAMES: &[&str] = &[
    "security.protocol",
    "ssl.truststore.location",
    "ssl.ca.location",
    "ssl.truststore.type",
    "ssl.truststore.certificates",
    "ssl.ca.pem",
    "ssl.keystore.location",
    "ssl.keystore.type",
    "ssl.keystore.certificate.chain",
    "ssl.certificate.pem",
    "ssl.keystore.key",
    "ssl.key.pem",
    "ssl.certificate.location",
    "ssl.key.location",
    "ssl.key.password",
    "ssl.endpoint.identification.algorithm",
    "ssl.enabled.protocols",
    "ssl.cipher.suites",
    "sasl.mechanism",
    "sasl.mechanisms",
    "sasl.username",
    "sasl.password",
    "sasl.jaas.config",
    "sasl.kerberos.service.name",
    "sasl.kerberos.principal",
    "sasl.kerberos.keytab",
    "sasl.oauthbearer.token.endpoint.url",
    "sasl.oauthbearer.client.credentials.client.id",
    "sasl.oauthbearer.client.id",
    "sasl.oauthbearer.client.credentials.client.secret",
    "sasl.oauthbearer.client.secret",
    "sasl.oauthbearer.scope",
    "sasl.oauthbearer.sub.claim.name",
    "sasl.oauthbearer.extensions",
    "sasl.login.connect.timeout.ms",
    "sasl.login.read.timeout.ms",
    "sasl.oauthbearer.method",
    "enable.sasl.oauthbearer.unsecure.jwt",
    "sasl.oauthbearer.config",
];
const CLIENT_NAMES: &[&str] = &[
    "bootstrap.servers",
    "default.api.timeout.ms",
    "metadata.max.age.ms",
    "retry.backoff.ms",
    "retry.backoff.max.ms",
    "reconnect.backoff.ms",
    "reconnect.backoff.max.ms",
    "metadata.recovery.strategy",
    "metadata.recovery.rebootstrap.trigger.ms",
];
const PRODUCER_NAMES: &[&str] = &[
    "acks",
    "enable.idempotence",
    "linger.ms",
    "batch.size",
    "buffer.memory",
    "max.block.ms",
    "max.request.size",
    "delivery.timeout.ms",
    "retries",
    "max.in.flight.requests.per.connection",
    "compression.type",
    "compression.gzip.level",
    "compression.lz4.level",
    "compression.zstd.level",
    "partitioner.ignore.keys",
    "partitioner.adaptive.partitioning.enable",
    "partitioner.availability.timeout.ms",
    "transactional.id",
    "transaction.timeout.ms",
];
const CONSUMER_NAMES: &[&str] = &[
    "fetch.min.bytes",
    "fetch.max.bytes",
    "krafka.fetch.buffer.max.bytes",
    "max.partition.fetch.bytes",
    "fetch.max.wait.ms",
    "isolation.level",
    "auto.offset.reset",
    "client.rack",
    "check.crcs",
    "max.poll.records",
    "group.id",
    "group.instance.id",
    "session.timeout.ms",
    "heartbeat.interval.ms",
    "max.poll.interval.ms",
    "enable.auto.commit",
    "auto.commit.interval.ms",
    "partition.assignment.strategy",
];

fn names(properties: &[PropertyInfo]) -> Vec<&'static str> {
    let mut names: Vec<_> = properties.iter().map(|p| p.name).collect();
    names.sort_unstable();
    names
}

fn expected(lists: &[&[&'static str]]) -> Vec<&'static str> {
    let mut names: Vec<_> = lists.concat();
    names.sort_unstable();
    names
}

/// The listing holds exactly the names each type took before (its own and
/// its nested settings'), each once.
#[test]
fn the_listings_are_complete() {
    let connection = expected(&[CONNECTION_NAMES, SECURITY_NAMES]);
    let client = expected(&[CONNECTION_NAMES, SECURITY_NAMES, CLIENT_NAMES]);
    let producer = expected(&[
        CONNECTION_NAMES,
        SECURITY_NAMES,
        CLIENT_NAMES,
        PRODUCER_NAMES,
    ]);
    let consumer = expected(&[
        CONNECTION_NAMES,
        SECURITY_NAMES,
        CLIENT_NAMES,
        CONSUMER_NAMES,
    ]);
    assert_eq!(names(ConnectionConfig::properties()), connection);
    assert_eq!(names(ClientConfig::properties()), client);
    assert_eq!(names(ProducerConfig::properties()), producer);
    assert_eq!(names(ConsumerConfig::properties()), consumer);
    for property in ProducerConfig::properties()
        .iter()
        .chain(ConsumerConfig::properties())
    {
        assert!(!property.doc.is_empty(), "{property:?}");
        assert!(!property.type_name.is_empty(), "{property:?}");
    }
}

/// Each property set by name to a value other than its default gives the
/// same settings as the typed builder method given that value, and differs
/// from the defaults.
fn by_name_and_typed_agree<C: Settings + PartialEq + Debug>(
    properties: &[PropertyInfo],
    samples: Vec<(&'static str, String, C)>,
) {
    let sampled: Vec<_> = samples.iter().map(|(name, _, _)| *name).collect();
    let listed: Vec<_> = properties.iter().map(|p| p.name).collect();
    assert_eq!(sampled, listed);
    for (name, text, typed) in samples {
        let mut by_name = C::default();
        by_name.set_property(name, &format!(" {text} ")).unwrap();
        assert_eq!(by_name, typed, "{name}={text}");
        assert_ne!(typed, C::default(), "{name}={text} is the default");
    }
}

#[test]
fn every_property_set_by_name_equals_its_typed_setter() {
    by_name_and_typed_agree(
        ConnectionConfig::properties(),
        ConnectionConfig::typed_samples(),
    );
    by_name_and_typed_agree(ClientConfig::properties(), ClientConfig::typed_samples());
    by_name_and_typed_agree(
        ProducerConfig::properties(),
        ProducerConfig::typed_samples(),
    );
    by_name_and_typed_agree(
        ConsumerConfig::properties(),
        ConsumerConfig::typed_samples(),
    );
}

/// A value of the wrong kind is a config error naming the property (and,
/// for a choice, the words it takes).
#[test]
fn bad_values_are_errors_naming_the_property() {
    for property in ProducerConfig::properties()
        .iter()
        .chain(ConsumerConfig::properties())
    {
        if matches!(property.type_name, "string" | "list" | "password") {
            continue;
        }
        let mut config = ConsumerConfig::default();
        let mut producer = ProducerConfig::default();
        let error = if ConsumerConfig::properties().contains(property) {
            config.set(property.name, "?bad").map(drop).unwrap_err()
        } else {
            producer.set(property.name, "?bad").map(drop).unwrap_err()
        };
        let KrafkaError::Config(message) = &error else {
            panic!("{}: {error:?}", property.name);
        };
        assert!(
            message.contains(&format!("`{}`", property.name)),
            "{message}"
        );
        assert!(message.contains("`?bad`"), "{message}");
        for word in property
            .type_name
            .split('|')
            .filter(|_| property.type_name.contains('|'))
        {
            assert!(message.contains(word), "{message}");
        }
    }
}

#[test]
fn defaults_are_listed_as_they_would_be_written() {
    let default_of = |name: &str| {
        ProducerConfig::properties()
            .iter()
            .find(|p| p.name == name)
            .map(|p| (p.type_name, p.default.as_str()))
            .unwrap()
    };
    assert_eq!(default_of("linger.ms"), ("ms", "5"));
    assert_eq!(default_of("acks"), ("0|1|all|-1", "all"));
    assert_eq!(default_of("bootstrap.servers"), ("list", ""));
    assert_eq!(default_of("client.id"), ("string", "krafka"));
    assert_eq!(default_of("enable.idempotence"), ("bool", ""));
    assert_eq!(default_of("retries"), ("int", "2147483647"));
    assert_eq!(
        default_of("compression.type"),
        ("none|gzip|snappy|lz4|zstd", "none")
    );
    assert_eq!(default_of("metadata.recovery.strategy").1, "rebootstrap");
}

/// Each settings type takes its own names and its nested settings', and
/// refuses a name none knows with an error naming it.
#[test]
fn unknown_names_are_refused_and_client_names_accepted_by_all() {
    let known = [("bootstrap.servers", "a:1"), ("client.id", "me")];
    let client = ClientConfig::from_properties(known).unwrap();
    let producer = ProducerConfig::from_properties(known).unwrap();
    let consumer = ConsumerConfig::from_properties(known).unwrap();
    let me = Some("me".to_owned());
    assert_eq!(client.connection.client_id, me);
    assert_eq!(producer.client.connection.client_id, me);
    assert_eq!(consumer.client.connection.client_id, me);

    let unknown = [("bootstrap.servers", "a:1"), ("no.such", "1")];
    for result in [
        ClientConfig::from_properties(unknown).map(drop),
        ProducerConfig::from_properties(unknown).map(drop),
        ConsumerConfig::from_properties(unknown).map(drop),
        ProducerConfig::builder().set("no.such", "1").map(drop),
        ConsumerConfig::default().set("no.such", "1").map(drop),
        ConnectionConfig::default().set("linger.ms", "1").map(drop),
    ] {
        assert!(matches!(&result, Err(KrafkaError::Config(m)) if m.contains("unknown setting")));
    }
}

#[test]
fn long_durations_are_refused_by_name() {
    let limit = i32::MAX as u64;
    let at_limit = ProducerConfig::from_properties([
        ("bootstrap.servers", "a:1"),
        ("delivery.timeout.ms", &limit.to_string()),
    ]);
    assert!(at_limit.is_ok());
    for name in ["linger.ms", "retry.backoff.ms", "request.timeout.ms"] {
        let error = ProducerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("delivery.timeout.ms", "2147483647"),
            (name, &(limit + 1).to_string()),
        ])
        .unwrap_err();
        assert!(
            matches!(&error, KrafkaError::Config(m) if m.contains(&format!("`{name}`")) && m.contains("Kafka allows")),
            "{error:?}"
        );
    }
    let typed = ClientConfig::builder()
        .bootstrap_servers(["a:1"])
        .metadata_max_age(Duration::MAX)
        .build();
    assert!(matches!(typed, Err(KrafkaError::Config(m)) if m.contains("`metadata.max.age.ms`")));
}

#[test]
fn limits_name_the_setting() {
    for (name, value) in [
        ("fetch.max.bytes", "0"),
        ("max.partition.fetch.bytes", "0"),
        ("fetch.min.bytes", "-1"),
        ("max.poll.records", "0"),
        ("request.timeout.ms", "0"),
    ] {
        let error = ConsumerConfig::from_properties([("bootstrap.servers", "a:1"), (name, value)])
            .unwrap_err();
        assert!(
            matches!(&error, KrafkaError::Config(m) if m.contains(&format!("`{name}` must be at least"))),
            "{error:?}"
        );
    }
    let error = ClientConfig::builder()
        .bootstrap_servers(["a:1"])
        .max_frame_size(3)
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, KrafkaError::Config(m) if m.contains("`max_frame_size` must be at least 4"))
    );
    for (name, value) in [
        ("max.in.flight.requests.per.connection", "0"),
        ("buffer.memory", "0"),
        ("max.request.size", "0"),
    ] {
        let error = ProducerConfig::from_properties([
            ("bootstrap.servers", "a:1"),
            ("enable.idempotence", "false"),
            (name, value),
        ])
        .unwrap_err();
        assert!(
            matches!(&error, KrafkaError::Config(m) if m.contains(&format!("`{name}` must be at least 1"))),
            "{error:?}"
        );
    }
}

/// The enums parse as their property does, with the same error.
#[test]
fn choices_parse_through_from_str() {
    assert_eq!("-1".parse::<Acks>().unwrap(), Acks::All);
    assert_eq!("all".parse::<Acks>().unwrap(), Acks::All);
    assert_eq!(
        "read_committed".parse::<IsolationLevel>().unwrap(),
        IsolationLevel::ReadCommitted
    );
    assert_eq!("none".parse::<OffsetReset>().unwrap(), OffsetReset::None);
    assert_eq!(
        "ReBootstrap".parse::<MetadataRecovery>().unwrap(),
        MetadataRecovery::Rebootstrap
    );
    let error = "ALL".parse::<Acks>().unwrap_err();
    assert!(
        matches!(&error, KrafkaError::Config(m) if m == "`acks` must be 0, 1, all or -1, got `ALL`"),
        "{error:?}"
    );
    let error = "smallest".parse::<OffsetReset>().unwrap_err();
    assert!(
        matches!(&error, KrafkaError::Config(m) if m == "`auto.offset.reset` must be earliest, latest or none, got `smallest`"),
        "{error:?}"
    );
    let error = "sometimes".parse::<MetadataRecovery>().unwrap_err();
    assert!(
        matches!(&error, KrafkaError::Config(m) if m.contains("`metadata.recovery.strategy` must be none or rebootstrap")),
        "{error:?}"
    );
    let mut producer = ProducerConfig::default();
    producer.set("compression.type", "lz4").unwrap();
    assert_eq!(producer.compression, Compression::Lz4);
    let error = producer
        .set("compression.type", "brotli")
        .map(drop)
        .unwrap_err();
    assert!(
        matches!(&error, KrafkaError::Config(m) if m.contains("`compression.type` must be none, gzip, snappy, lz4 or zstd")),
        "{error:?}"
    );
}
