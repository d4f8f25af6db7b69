//! SASL GSSAPI (Kerberos) against the secure node's GSSAPI listener (the
//! SSL port + 9, advertised as `localhost`) and the KDC of
//! `scripts/kerberos/kdc.sh`: alice's round trip from her keytab (in
//! librdkafka's and Java's settings), keys that do not work refused at once,
//! and alice's ACLs enforced. The GSSAPI library reads `KRB5_CONFIG` and
//! `KRB5CCNAME` from the environment: `eval "$(scripts/kerberos/kdc.sh env)"`
//! (scripts/test.sh does). An unreachable node or KDC FAILS these tests.

mod broker_support;

use krafka_tests::secure::{chain, write_and_read_back};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use broker_support::unique_topic;
use krafka_client::{
    ClientConfig, ErrorCode, Kafka, KrafkaError, NewTopic, ProducerConfig, ProducerRecord,
};
use krafka_core::SetupStage;

/// The GSSAPI listener: `localhost` (the broker's principal is
/// kafka/localhost) at the secure node's first port + 9.
fn gssapi_listener() -> String {
    let address = std::env::var("KRAFKA_SECURE_BOOTSTRAP")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "127.0.0.1:9492".to_owned());
    let port: u16 = address
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or_else(|| panic!("KRAFKA_SECURE_BOOTSTRAP `{address}` is not host:port"));
    format!("localhost:{}", port + 9)
}

/// A keytab of the test realm; fails, saying how to get the KDC, when the
/// environment does not point at it.
fn keytab(name: &str) -> String {
    assert!(
        std::env::var_os("KRB5_CONFIG").is_some(),
        "KRB5_CONFIG is not set: start the KDC and load its environment with \
         `eval \"$(scripts/kerberos/kdc.sh start)\"` (scripts/test.sh does)"
    );
    let dir = std::env::var("KRAFKA_KERBEROS_DIR")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/kerberos"));
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: start the KDC with `scripts/kerberos/kdc.sh start`",
        path.display()
    );
    path.display().to_string()
}

async fn require_node() {
    let address = gssapi_listener();
    if tokio::net::TcpStream::connect(&address).await.is_err() {
        panic!(
            "the secure node's GSSAPI listener at {address} is unreachable: start the KDC \
             and the node (`scripts/kerberos/kdc.sh start; scripts/kafka/kafka.sh start secure`)"
        );
    }
}

fn config(properties: &[(&str, &str)]) -> ClientConfig {
    let address = gssapi_listener();
    let all = [
        ("bootstrap.servers", address.as_str()),
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "GSSAPI"),
    ]
    .into_iter()
    .chain(properties.iter().copied());
    let mut config = ClientConfig::from_properties(all).unwrap_or_else(|e| panic!("settings: {e}"));
    config.default_api_timeout = Duration::from_secs(20);
    config
}

async fn connect(properties: &[(&str, &str)]) -> Kafka {
    require_node().await;
    Kafka::connect(config(properties))
        .await
        .unwrap_or_else(|e| panic!("connect: {}", chain(&e)))
}

#[tokio::test]
async fn alice_round_trip_with_a_keytab() {
    let keytab = keytab("alice.keytab");
    let kafka = connect(&[
        ("sasl.kerberos.keytab", &keytab),
        ("sasl.kerberos.principal", "alice"),
    ])
    .await;
    // A second client, set up Java's way, reads what the first wrote.
    let jaas = format!(
        "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true \
         keyTab=\"{keytab}\" principal=\"alice@KRAFKA.TEST\";"
    );
    let reader = connect(&[("sasl.jaas.config", &jaas)]).await;
    write_and_read_back(&kafka, &reader, "kerberized").await;
}

/// Settings whose key does not work must fail at the SASL stage, at once,
/// as an authentication error; returns its text.
async fn refused(properties: &[(&str, &str)]) -> String {
    require_node().await;
    let started = Instant::now();
    let error = Kafka::connect(config(properties))
        .await
        .map(drop)
        .expect_err("the connection must be refused");
    let text = chain(&error);
    eprintln!("refused as expected: {text}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{text}: took {:?}, retried?",
        started.elapsed()
    );
    assert!(
        matches!(
            &error,
            KrafkaError::Setup { stage: SetupStage::Sasl, source, .. }
                if matches!(**source, KrafkaError::Authentication { .. })
        ),
        "expected an authentication error at the SASL stage, got {error:?}"
    );
    assert!(error.is_auth() && !error.is_retriable(), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    text
}

#[tokio::test]
async fn a_stale_keytab_or_a_principal_without_a_key_is_refused_at_once() {
    // The KDC changed mallory's key after writing his keytab.
    let stale = keytab("mallory.keytab");
    let text = refused(&[
        ("sasl.kerberos.keytab", &stale),
        ("sasl.kerberos.principal", "mallory"),
    ])
    .await;
    assert!(text.contains("SASL GSSAPI as mallory"), "{text}");
    assert!(text.contains("Password incorrect"), "{text}");
    // carol has no key in alice's keytab (nor in the realm).
    let alice = keytab("alice.keytab");
    let text = refused(&[
        ("sasl.kerberos.keytab", &alice),
        ("sasl.kerberos.principal", "carol"),
    ])
    .await;
    assert!(
        text.contains("no suitable keys for carol@KRAFKA.TEST"),
        "{text}"
    );
}

#[tokio::test]
async fn a_topic_alice_may_not_use_is_topic_authorization_failed() {
    let keytab = keytab("alice.keytab");
    let kafka = connect(&[
        ("sasl.kerberos.keytab", &keytab),
        ("sasl.kerberos.principal", "alice"),
    ])
    .await;
    // alice's ACLs cover `secure-*` only.
    let topic = unique_topic("gssapi-denied");
    let started = Instant::now();
    let error = kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await
        .expect_err("alice may not create this topic");
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::TopicAuthorizationFailed),
        "{error:?}"
    );
    let producer = kafka
        .producer(ProducerConfig::default())
        .await
        .unwrap_or_else(|e| panic!("producer: {}", chain(&e)));
    let error = match producer.send(ProducerRecord::new(&topic).value("v")).await {
        Ok(delivery) => delivery.await.map(drop).expect_err("alice may not write"),
        Err(error) => error,
    };
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::TopicAuthorizationFailed),
        "{error:?}"
    );
    assert!(error.is_auth() && !error.is_retriable());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}
