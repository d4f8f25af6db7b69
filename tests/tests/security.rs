//! TLS and SASL against the secure node (`scripts/kafka/kafka.sh start
//! secure`): a produce and consume round trip over each kind of listener
//! (OAUTHBEARER with Java's unsecured login and with an OIDC token
//! endpoint served by the test), each kind of bad input refused at once
//! with an authentication error that names no secret, KIP-368
//! re-authentication on 3 s sessions, TLS versions and cipher suites, and
//! Java's console consumer reading what krafka wrote over TLS. An
//! unreachable node FAILS these tests.

mod broker_support;

use krafka_tests::secure::{chain, write_and_read_back};

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use broker_support::{consume_exactly, unique_topic};
use krafka_client::{
    ClientConfig, ConnectFuture, Connection, ConnectionConfig, Connector, ConsumerConfig,
    ErrorCode, Kafka, KrafkaError, NewTopic, OAuthBearerToken, OffsetReset, ProducerConfig,
    ProducerRecord, SaslMechanism, SecurityConfig, SecurityProtocol, StaticToken, Tcp,
    TopicPartition,
};
use krafka_core::SetupStage;
use krafka_core::messages::MetadataRequest;
use krafka_tests::java::run_java_io;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The node's first (SSL) listener; the others follow it.
fn base() -> (String, u16) {
    let address = std::env::var("KRAFKA_SECURE_BOOTSTRAP")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "127.0.0.1:9492".to_owned());
    let (host, port) = address
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_owned(), p.parse().ok()?)))
        .unwrap_or_else(|| panic!("KRAFKA_SECURE_BOOTSTRAP `{address}` is not host:port"));
    (host, port)
}

/// The address of the listener `offset` ports after the SSL one:
/// 0 SSL, 1 SASL_SSL, 2 mTLS, 3 SASL_PLAINTEXT, 4 wrong host name, 5 the
/// node's own (PLAIN only), 7 OAUTHBEARER (unsecured JWS), 8 SCRAM and
/// OAUTHBEARER with 3 s sessions.
fn listener(offset: u16) -> String {
    let (host, port) = base();
    format!("{host}:{}", port + offset)
}
const SSL: u16 = 0;
const SASL_SSL: u16 = 1;
const MTLS: u16 = 2;
const SASL_PLAINTEXT: u16 = 3;
const WRONG_HOST: u16 = 4;
const PLAIN_ONLY: u16 = 5;
const OAUTH: u16 = 7;
const REAUTH: u16 = 8;

/// A file of the test PKI `kafka.sh` made.
fn cert(name: &str) -> String {
    let dir = std::env::var("KRAFKA_SECURE_CERTS")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache/kafka/run/secure/certs")
        });
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: start the secure node with `scripts/kafka/kafka.sh start secure` \
         (it makes the certificates) or point KRAFKA_SECURE_CERTS at them",
        path.display()
    );
    path.display().to_string()
}

/// Fails the test, saying how to start the node, when it is not there.
async fn require_node() {
    let address = listener(SSL);
    if tokio::net::TcpStream::connect(&address).await.is_err() {
        panic!(
            "the secure Kafka node at {address} is unreachable: start it with \
             `scripts/kafka/kafka.sh start secure` or point KRAFKA_SECURE_BOOTSTRAP at it \
             (scripts/test.sh starts it)"
        );
    }
}

fn config(address: &str, properties: &[(&str, &str)]) -> ClientConfig {
    let all = [("bootstrap.servers", address)]
        .into_iter()
        .chain(properties.iter().copied());
    let mut config = ClientConfig::from_properties(all).unwrap_or_else(|e| panic!("settings: {e}"));
    config.default_api_timeout = Duration::from_secs(20);
    config
}

/// Creates a `secure-*` topic, writes three records and reads them back,
/// all over the listener at `address` with `properties`.
async fn round_trip(address: &str, properties: &[(&str, &str)]) {
    require_node().await;
    let kafka = Kafka::connect(config(address, properties))
        .await
        .unwrap_or_else(|e| panic!("connect to {address}: {}", chain(&e)));
    write_and_read_back(&kafka, &kafka, "secret-free").await;
}

/// Connects with settings that must fail: at once (no retries until the
/// 20 s API timeout), at `stage`, as an authentication error that does not
/// quote `secret`. Returns the error text.
async fn refused(address: &str, properties: &[(&str, &str)], stage: SetupStage) -> String {
    require_node().await;
    let started = Instant::now();
    let error = Kafka::connect(config(address, properties))
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
            KrafkaError::Setup { stage: s, source, .. }
                if *s == stage && matches!(**source, KrafkaError::Authentication { .. })
        ),
        "expected an authentication error at the {stage} stage, got {error:?}"
    );
    assert!(error.is_auth() && !error.is_retriable(), "{text}");
    for (key, value) in properties {
        if key.contains("password") || key.contains("jaas") {
            assert!(!text.contains(value), "{text} shows {key}");
            assert!(
                !format!("{error:?}").contains(value),
                "{error:?} shows {key}"
            );
        }
    }
    text
}

fn sasl<'a>(mechanism: &'a str, user: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanism", mechanism),
        ("sasl.username", user),
        ("sasl.password", password),
    ]
}

#[tokio::test]
async fn ssl_round_trip() {
    let ca = cert("ca.pem");
    round_trip(
        &listener(SSL),
        &[("security.protocol", "SSL"), ("ssl.ca.location", &ca)],
    )
    .await;
}

/// Client certificates, librdkafka's files with a PKCS#1 key.
#[tokio::test]
async fn mtls_round_trip() {
    let (ca, client, key) = (cert("ca.pem"), cert("client.pem"), cert("client-pkcs1.key"));
    round_trip(
        &listener(MTLS),
        &[
            ("security.protocol", "SSL"),
            ("ssl.truststore.location", &ca),
            ("ssl.certificate.location", &client),
            ("ssl.key.location", &key),
        ],
    )
    .await;
}

/// Java's in-memory PEM settings, the key encrypted (PKCS#8 with AES).
#[tokio::test]
async fn mtls_with_pem_text_and_an_encrypted_key() {
    require_node().await;
    let read = |name: &str| std::fs::read_to_string(cert(name)).expect("read");
    let (ca, chain_pem, key) = (
        read("ca.pem"),
        read("client.pem"),
        read("client-encrypted.key"),
    );
    let properties = [
        ("security.protocol", "SSL"),
        ("ssl.truststore.certificates", ca.as_str()),
        ("ssl.keystore.certificate.chain", chain_pem.as_str()),
        ("ssl.keystore.key", key.as_str()),
        ("ssl.key.password", "client-key-secret"),
    ];
    let kafka = Kafka::connect(config(&listener(MTLS), &properties))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    assert!(!kafka.cluster().metadata().brokers.is_empty());
    let wrong = [
        ("security.protocol", "SSL"),
        ("ssl.truststore.certificates", ca.as_str()),
        ("ssl.keystore.certificate.chain", chain_pem.as_str()),
        ("ssl.keystore.key", key.as_str()),
        ("ssl.key.password", "not-the-key-secret"),
    ];
    let error = Kafka::connect(config(&listener(MTLS), &wrong))
        .await
        .map(drop)
        .expect_err("a wrong key password");
    assert!(matches!(error, KrafkaError::Config(_)), "{error:?}");
    assert!(
        chain(&error).contains("cannot be decrypted"),
        "{}",
        chain(&error)
    );
    assert!(!chain(&error).contains("not-the-key-secret"));
}

#[tokio::test]
async fn sasl_ssl_plain_round_trip() {
    let ca = cert("ca.pem");
    round_trip(
        &listener(SASL_SSL),
        &[
            ("security.protocol", "SASL_SSL"),
            ("ssl.ca.location", &ca),
            ("sasl.mechanism", "PLAIN"),
            (
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required \
                 username=\"alice\" password=\"alice-secret\";",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn sasl_ssl_scram_sha_256_round_trip() {
    let ca = cert("ca.pem");
    let mut properties = sasl("SCRAM-SHA-256", "alice", "alice-secret");
    properties.push(("ssl.ca.location", &ca));
    round_trip(&listener(SASL_SSL), &properties).await;
}

#[tokio::test]
async fn sasl_ssl_scram_sha_512_round_trip() {
    let ca = cert("ca.pem");
    round_trip(
        &listener(SASL_SSL),
        &[
            ("security.protocol", "SASL_SSL"),
            ("ssl.ca.location", &ca),
            ("sasl.mechanism", "SCRAM-SHA-512"),
            (
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required \
                 username=\"alice\" password=\"alice-secret\";",
            ),
        ],
    )
    .await;
}

/// SASL without TLS, and a host name the certificate names by DNS.
#[tokio::test]
async fn sasl_plaintext_and_localhost() {
    require_node().await;
    let properties = [
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "SCRAM-SHA-512"),
        ("sasl.username", "alice"),
        ("sasl.password", "alice-secret"),
    ];
    Kafka::connect(config(&listener(SASL_PLAINTEXT), &properties))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let ca = cert("ca.pem");
    let port = listener(SSL).rsplit_once(':').map(|(_, p)| p.to_owned());
    let localhost = format!("localhost:{}", port.unwrap_or_default());
    Kafka::connect(config(
        &localhost,
        &[("security.protocol", "SSL"), ("ssl.ca.location", &ca)],
    ))
    .await
    .unwrap_or_else(|e| panic!("{localhost}: {}", chain(&e)));
}

#[tokio::test]
async fn a_wrong_password_is_refused() {
    let ca = cert("ca.pem");
    let mut properties = sasl("SCRAM-SHA-256", "alice", "not-alice-secret");
    properties.push(("ssl.ca.location", &ca));
    let text = refused(&listener(SASL_SSL), &properties, SetupStage::Sasl).await;
    assert!(text.contains("SCRAM-SHA-256 as alice"), "{text}");
}

#[tokio::test]
async fn an_unknown_user_is_refused() {
    let ca = cert("ca.pem");
    let mut properties = sasl("PLAIN", "mallory", "mallory-secret");
    properties.push(("ssl.ca.location", &ca));
    let text = refused(&listener(SASL_SSL), &properties, SetupStage::Sasl).await;
    assert!(text.contains("PLAIN as mallory"), "{text}");
}

#[tokio::test]
async fn a_mechanism_the_listener_does_not_enable_is_refused() {
    let properties = [
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "SCRAM-SHA-512"),
        ("sasl.username", "alice"),
        ("sasl.password", "alice-secret"),
    ];
    let text = refused(&listener(PLAIN_ONLY), &properties, SetupStage::Sasl).await;
    assert!(
        text.contains("does not enable SASL SCRAM-SHA-512 (it enables PLAIN)"),
        "{text}"
    );
}

/// The broker refuses an expired client certificate; with TLS 1.3 the
/// client hears of it when it reads the first answer.
#[tokio::test]
async fn an_expired_client_certificate_is_refused() {
    require_node().await;
    let (ca, client, key) = (cert("ca.pem"), cert("expired.pem"), cert("expired.key"));
    let properties = [
        ("security.protocol", "SSL"),
        ("ssl.ca.location", ca.as_str()),
        ("ssl.certificate.location", client.as_str()),
        ("ssl.key.location", key.as_str()),
    ];
    let started = Instant::now();
    let error = Kafka::connect(config(&listener(MTLS), &properties))
        .await
        .map(drop)
        .expect_err("an expired certificate");
    let text = chain(&error);
    eprintln!("refused as expected: {text}");
    assert!(started.elapsed() < Duration::from_secs(5), "{text}");
    assert!(
        matches!(error.cause(), KrafkaError::Authentication { .. }),
        "{error:?}"
    );
    assert!(!error.is_retriable(), "{text}");
}

#[tokio::test]
async fn a_server_certificate_from_an_unknown_ca_is_refused() {
    let other = cert("other-ca.pem");
    let text = refused(
        &listener(SSL),
        &[("security.protocol", "SSL"), ("ssl.ca.location", &other)],
        SetupStage::Tls,
    )
    .await;
    assert!(text.contains("not signed by a trusted CA"), "{text}");
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused_unless_the_check_is_off() {
    let ca = cert("ca.pem");
    let checked = [
        ("security.protocol", "SSL"),
        ("ssl.ca.location", ca.as_str()),
    ];
    let text = refused(&listener(WRONG_HOST), &checked, SetupStage::Tls).await;
    assert!(text.contains("not for this host"), "{text}");
    let unchecked = [
        ("security.protocol", "SSL"),
        ("ssl.ca.location", ca.as_str()),
        ("ssl.endpoint.identification.algorithm", ""),
    ];
    Kafka::connect(config(&listener(WRONG_HOST), &unchecked))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
}

#[tokio::test]
async fn plaintext_against_tls_and_tls_against_plaintext_are_refused() {
    let text = refused(&listener(SSL), &[], SetupStage::ApiVersions).await;
    assert!(text.contains("answered with TLS"), "{text}");
    let ca = cert("ca.pem");
    let text = refused(
        &listener(SASL_PLAINTEXT),
        &[("security.protocol", "SSL"), ("ssl.ca.location", &ca)],
        SetupStage::Tls,
    )
    .await;
    assert!(text.contains("is this a TLS listener"), "{text}");
}

/// bob authenticates but is allowed nothing: the broker's
/// TOPIC_AUTHORIZATION_FAILED comes back at once, not retried.
#[tokio::test]
async fn a_denied_topic_is_topic_authorization_failed_unretried() {
    require_node().await;
    let ca = cert("ca.pem");
    let mut properties = sasl("SCRAM-SHA-512", "bob", "bob-secret");
    properties.push(("ssl.ca.location", &ca));
    let kafka = Kafka::connect(config(&listener(SASL_SSL), &properties))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let topic = format!("secure-{}", unique_topic("denied"));
    let started = Instant::now();
    let error = kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await
        .expect_err("bob may not create topics");
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::TopicAuthorizationFailed),
        "{error:?}"
    );
    // An idempotent producer needs IdempotentWrite on the cluster (or Write
    // on some topic), which bob lacks: refused when it asks for its id.
    let error = kafka
        .producer(ProducerConfig::default())
        .await
        .map(drop)
        .expect_err("bob may not be idempotent");
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::ClusterAuthorizationFailed),
        "{error:?}"
    );
    let producer = kafka
        .producer(ProducerConfig {
            enable_idempotence: Some(false),
            ..ProducerConfig::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let error = match producer.send(ProducerRecord::new(&topic).value("v")).await {
        Ok(delivery) => delivery.await.map(drop).expect_err("bob may not write"),
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

/// A consumer group over SASL_SSL: alice may use `secure-*` groups (joins,
/// reads, commits); bob may not, and his consumer's poll reports
/// GROUP_AUTHORIZATION_FAILED at once instead of retrying the join.
#[tokio::test]
async fn a_group_member_over_sasl_ssl_and_a_denied_group() {
    require_node().await;
    let ca = cert("ca.pem");
    let mut alice = sasl("SCRAM-SHA-512", "alice", "alice-secret");
    alice.push(("ssl.ca.location", &ca));
    let kafka = Kafka::connect(config(&listener(SASL_SSL), &alice))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let topic = format!("secure-{}", unique_topic("group"));
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 2, 1)])
        .await
        .unwrap_or_else(|e| panic!("create {topic}: {}", chain(&e)));
    let producer = kafka
        .producer(ProducerConfig::default())
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    for i in 0..4 {
        producer
            .send(ProducerRecord::new(&topic).value(format!("v{i}")))
            .await
            .unwrap_or_else(|e| panic!("send: {}", chain(&e)))
            .await
            .unwrap_or_else(|e| panic!("delivery: {}", chain(&e)));
    }
    let mut settings = ConsumerConfig {
        fetch_max_wait: Duration::from_millis(100),
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    };
    let group = format!("secure-{}", unique_topic("members"));
    settings.set("group.id", &group).unwrap();
    settings.set("enable.auto.commit", "false").unwrap();
    let member = kafka.consumer(settings.clone()).expect("consumer");
    member.subscribe([topic.as_str()]).await.expect("subscribe");
    let records = consume_exactly(&member, 4, Duration::from_secs(30)).await;
    assert_eq!(records.len(), 4);
    member
        .commit()
        .await
        .unwrap_or_else(|e| panic!("commit: {}", chain(&e)));
    let tps: Vec<TopicPartition> = (0..2).map(|p| TopicPartition::new(&topic, p)).collect();
    let committed = member.committed(&tps).await.expect("committed");
    let total: i64 = committed
        .iter()
        .map(|(_, c)| c.as_ref().map_or(0, |c| c.offset))
        .sum();
    assert_eq!(total, 4);
    member.close().await.expect("close");

    let mut bob = sasl("SCRAM-SHA-512", "bob", "bob-secret");
    bob.push(("ssl.ca.location", &ca));
    let kafka = Kafka::connect(config(&listener(SASL_SSL), &bob))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let denied = kafka.consumer(settings).expect("consumer");
    denied.subscribe([topic.as_str()]).await.expect("subscribe");
    let started = Instant::now();
    let error = loop {
        match denied.poll(Duration::from_millis(100)).await {
            Err(error) => break error,
            Ok(_) => assert!(
                started.elapsed() < Duration::from_secs(10),
                "bob's membership never failed"
            ),
        }
    };
    assert_eq!(
        error.error_code(),
        Some(ErrorCode::GroupAuthorizationFailed),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------- OAUTHBEARER

const ALICE_UNSECURED: &str = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule \
     required unsecuredLoginStringClaim_sub=\"alice\";";

fn oauth_unsecured() -> Vec<(&'static str, &'static str)> {
    vec![
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "OAUTHBEARER"),
        ("sasl.jaas.config", ALICE_UNSECURED),
    ]
}

/// Java's unsecured login: an `alg: none` JWS whose `sub` (alice) the
/// broker's unsecured validator makes the principal User:alice, whose ACLs
/// allow `secure-*`.
#[tokio::test]
async fn sasl_plaintext_oauthbearer_round_trip() {
    round_trip(&listener(OAUTH), &oauth_unsecured()).await;
}

/// A token the broker's validator rejects: its JSON error comes back in
/// one line, at once, without the token.
#[tokio::test]
async fn a_token_the_broker_rejects_is_refused() {
    require_node().await;
    let token = "not-a-jws-s3cret-token";
    let provider = Arc::new(StaticToken(OAuthBearerToken::new(
        token,
        "mallory",
        SystemTime::now() + Duration::from_secs(600),
    )));
    let mut config = config(&listener(OAUTH), &[]);
    config.connection.security = SecurityConfig::builder()
        .security_protocol(SecurityProtocol::SaslPlaintext)
        .sasl_mechanism(SaslMechanism::OAuthBearer)
        .sasl_oauthbearer_token_provider(provider)
        .build()
        .expect("settings");
    assert!(!format!("{config:?}").contains(token));
    let started = Instant::now();
    let error = Kafka::connect(config)
        .await
        .map(drop)
        .expect_err("the broker must reject the token");
    let text = chain(&error);
    eprintln!("refused as expected: {text}");
    assert!(started.elapsed() < Duration::from_secs(5), "{text}");
    assert!(
        matches!(&error, KrafkaError::Setup { stage: SetupStage::Sasl, source, .. }
            if matches!(**source, KrafkaError::Authentication { .. })),
        "{error:?}"
    );
    assert!(!error.is_retriable());
    assert!(
        text.contains("rejected the token") && text.contains("invalid_token"),
        "{text}"
    );
    assert!(
        !text.contains(token) && !format!("{error:?}").contains(token),
        "{text}"
    );
}

/// base64url without padding, for the test's token endpoint.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// An unsecured JWS for `sub`, valid for an hour.
fn unsecured_jws(sub: &str) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let claims = format!(r#"{{"sub":"{sub}","iat":{now},"exp":{}}}"#, now + 3600);
    format!(
        "{}.{}.",
        base64url(br#"{"alg":"none"}"#),
        base64url(claims.as_bytes())
    )
}

/// A token endpoint on 127.0.0.1 (HTTP, or HTTPS with the secure node's
/// server certificate when `tls`): the client_credentials grant with Basic
/// krafka-app:app-secret and scope `kafka` gets an unsecured JWS for alice;
/// anything else a 401. Returns its URL and how many tokens it issued.
async fn token_endpoint(tls: bool) -> (String, Arc<AtomicUsize>) {
    let server = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let scheme = if tls { "https" } else { "http" };
    let url = format!(
        "{scheme}://{}/oauth2/token",
        server.local_addr().expect("addr")
    );
    // The test needs only what krafka's default build uses: ring.
    #[allow(deprecated)]
    let acceptor = tls.then(|| {
        use rustls_pki_types::pem::PemObject;
        let chain = rustls_pki_types::CertificateDer::pem_file_iter(cert("server.pem"))
            .expect("server.pem")
            .collect::<Result<Vec<_>, _>>()
            .expect("server.pem");
        let key =
            rustls_pki_types::PrivateKeyDer::from_pem_file(cert("server.key")).expect("server.key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server certificate");
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    });
    let issued = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&issued);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = server.accept().await else {
                return;
            };
            let count = Arc::clone(&count);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                match acceptor {
                    Some(acceptor) => {
                        if let Ok(tls) = acceptor.accept(socket).await {
                            answer_token_request(tls, &count).await;
                        }
                    }
                    None => answer_token_request(socket, &count).await,
                }
            });
        }
    });
    (url, issued)
}

async fn answer_token_request(
    mut socket: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    count: &AtomicUsize,
) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    // Headers, then the Content-Length the body has.
    loop {
        let n = socket.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&request).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|l| l.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&request);
    let good = text.starts_with("POST /oauth2/token HTTP/1.1\r\n")
        && text.contains("\r\nAuthorization: Basic a3JhZmthLWFwcDphcHAtc2VjcmV0\r\n")
        && text.contains("application/x-www-form-urlencoded")
        && text.ends_with("\r\n\r\ngrant_type=client_credentials&scope=kafka");
    let (status, body) = if good {
        count.fetch_add(1, Ordering::SeqCst);
        (
            "200 OK",
            format!(
                r#"{{"access_token":"{}","token_type":"Bearer","expires_in":3600}}"#,
                unsecured_jws("alice")
            ),
        )
    } else {
        (
            "401 Unauthorized",
            r#"{"error":"invalid_client"}"#.to_owned(),
        )
    };
    let answer = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = socket.write_all(answer.as_bytes()).await;
    let _ = socket.shutdown().await;
}

/// OIDC client_credentials (Java's settings: the endpoint URL, clientId,
/// clientSecret and scope in the login module): the endpoint's token gets
/// alice in, fetched once for all of the client's connections.
#[tokio::test]
async fn oauthbearer_with_an_oidc_token_endpoint() {
    let (url, issued) = token_endpoint(false).await;
    let jaas = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required \
                clientId=\"krafka-app\" clientSecret=\"app-secret\" scope=\"kafka\";";
    round_trip(
        &listener(OAUTH),
        &[
            ("security.protocol", "SASL_PLAINTEXT"),
            ("sasl.mechanism", "OAUTHBEARER"),
            ("sasl.oauthbearer.token.endpoint.url", &url),
            ("sasl.jaas.config", jaas),
        ],
    )
    .await;
    assert_eq!(
        issued.load(Ordering::SeqCst),
        1,
        "one token for every connection"
    );

    // librdkafka's names, a wrong secret: the endpoint's 401, one line, no secret.
    let text = refused(
        &listener(OAUTH),
        &[
            ("security.protocol", "SASL_PLAINTEXT"),
            ("sasl.mechanism", "OAUTHBEARER"),
            ("sasl.oauthbearer.token.endpoint.url", &url),
            ("sasl.oauthbearer.client.id", "krafka-app"),
            ("sasl.oauthbearer.client.secret", "wrong-app-secret"),
            ("sasl.oauthbearer.scope", "kafka"),
        ],
        SetupStage::Sasl,
    )
    .await;
    assert!(
        text.contains("HTTP 401") && text.contains("invalid_client"),
        "{text}"
    );
    assert!(!text.contains("wrong-app-secret"), "{text}");
}

/// The token endpoint over HTTPS, its certificate checked against the
/// configured CA (`ssl.ca.location`), and refused without it.
#[tokio::test]
async fn oauthbearer_with_an_https_token_endpoint() {
    let (url, issued) = token_endpoint(true).await;
    let ca = cert("ca.pem");
    let mut properties = vec![
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "OAUTHBEARER"),
        ("sasl.oauthbearer.token.endpoint.url", url.as_str()),
        ("sasl.oauthbearer.client.id", "krafka-app"),
        ("sasl.oauthbearer.client.secret", "app-secret"),
        ("sasl.oauthbearer.scope", "kafka"),
    ];
    let untrusted = refused(&listener(OAUTH), &properties, SetupStage::Sasl).await;
    assert!(untrusted.contains("TLS"), "{untrusted}");
    properties.push(("ssl.ca.location", ca.as_str()));
    round_trip(&listener(OAUTH), &properties).await;
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------- KIP-368

/// A connection to the 3 s session listener, as alice with `mechanism`.
async fn reauth_connection(mechanism: &str, reauthenticate: bool) -> Connection {
    let mut properties = vec![
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", mechanism),
    ];
    if mechanism == "OAUTHBEARER" {
        properties.push(("sasl.jaas.config", ALICE_UNSECURED));
    } else {
        properties.extend([
            ("sasl.username", "alice"),
            ("sasl.password", "alice-secret"),
        ]);
    }
    let mut config = ConnectionConfig::from_properties(properties).expect("settings");
    config.security.sasl_reauthentication = reauthenticate;
    Connection::establish(&Tcp, &listener(REAUTH), &config)
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)))
}

/// Requests every 50 ms for four session lifetimes, on one connection:
/// none fails, and the connection re-authenticated at least three times.
#[tokio::test]
async fn a_connection_reauthenticates_before_its_session_ends() {
    require_node().await;
    for mechanism in ["SCRAM-SHA-512", "OAUTHBEARER"] {
        let connection = reauth_connection(mechanism, true).await;
        let started = Instant::now();
        let mut requests = 0;
        let request = MetadataRequest::default();
        while started.elapsed() < Duration::from_secs(12) {
            // Several in flight at once, so some are queued during a re-authentication.
            let (a, b) = tokio::join!(
                connection.send_negotiated(&request),
                connection.send_negotiated(&request),
            );
            for answer in [a, b] {
                answer.unwrap_or_else(|e| panic!("{mechanism}, request {requests}: {}", chain(&e)));
                requests += 1;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let times = connection.reauthentications();
        eprintln!("{mechanism}: {requests} requests, {times} re-authentications");
        assert!(
            times >= 3,
            "{mechanism}: re-authenticated {times} times in 12 s of 3 s sessions"
        );
        assert!(!connection.is_closed());
    }
}

/// Without re-authentication the broker closes the connection at the first
/// request after the session ended: what re-authentication prevents.
#[tokio::test]
async fn without_reauthentication_the_broker_closes_the_connection() {
    require_node().await;
    let connection = reauth_connection("SCRAM-SHA-256", false).await;
    connection
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let error = connection
        .send_negotiated(&MetadataRequest::default())
        .await
        .map(drop)
        .expect_err("the session has ended");
    eprintln!("closed as expected: {}", chain(&error));
    assert!(error.is_retriable(), "{error:?}");
    assert_eq!(connection.reauthentications(), 0);
}

/// TCP, counting the connections it opens.
#[derive(Debug, Default)]
struct CountingTcp(AtomicUsize);

impl Connector for CountingTcp {
    fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Tcp.connect(address)
    }
}

/// A producer and a consumer over 3 s sessions for 12 s: every record is
/// delivered and read back, no request failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_producer_and_a_consumer_outlive_several_sessions() {
    require_node().await;
    let properties = [
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", "SCRAM-SHA-256"),
        ("sasl.username", "alice"),
        ("sasl.password", "alice-secret"),
    ];
    let opened = Arc::new(CountingTcp::default());
    let kafka = Kafka::connect_with(config(&listener(REAUTH), &properties), opened.clone())
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let topic = format!("secure-{}", unique_topic("reauth"));
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await
        .unwrap_or_else(|e| panic!("create {topic}: {}", chain(&e)));
    let producer = kafka
        .producer(ProducerConfig::default())
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let consumer = kafka
        .consumer(ConsumerConfig {
            fetch_max_wait: Duration::from_millis(200),
            auto_offset_reset: OffsetReset::Earliest,
            ..ConsumerConfig::default()
        })
        .expect("consumer");
    consumer
        .assign([TopicPartition::new(&topic, 0)])
        .await
        .expect("assign");
    let started = Instant::now();
    let mut sent = 0usize;
    let mut read = 0usize;
    let mut connections = None;
    while started.elapsed() < Duration::from_secs(12) {
        if connections.is_none() && read > 0 {
            connections = Some(opened.0.load(Ordering::SeqCst));
        }
        producer
            .send(ProducerRecord::new(&topic).value(format!("r{sent}")))
            .await
            .unwrap_or_else(|e| panic!("send {sent}: {}", chain(&e)))
            .await
            .unwrap_or_else(|e| panic!("delivery {sent}: {}", chain(&e)));
        sent += 1;
        for record in consumer
            .poll(Duration::from_millis(50))
            .await
            .unwrap_or_else(|e| panic!("poll after {read}: {}", chain(&e)))
        {
            assert_eq!(record.value.as_deref(), Some(format!("r{read}").as_bytes()));
            read += 1;
        }
    }
    let rest = consume_exactly(&consumer, sent - read, Duration::from_secs(10)).await;
    assert_eq!(read + rest.len(), sent);
    eprintln!("{sent} records produced and read over 3 s sessions");
    // The broker closes a connection whose session ended; re-authenticating
    // kept every connection alive, so none was opened again.
    assert_eq!(
        Some(opened.0.load(Ordering::SeqCst)),
        connections,
        "connections were replaced"
    );
    assert!(sent > 50, "only {sent} records in 12 s");
}

// ---------------------------------------------------------------- TLS settings

/// `ssl.enabled.protocols` and `ssl.cipher.suites` reach rustls: TLS 1.2
/// alone connects; an ECDSA suite the broker's EC certificate can use
/// connects; an RSA-only suite it cannot is a clear TLS-stage refusal; a
/// name krafka does not know is a config error that lists the known ones.
#[tokio::test]
async fn tls_protocols_and_cipher_suites_are_honoured() {
    require_node().await;
    let ca = cert("ca.pem");
    let base = [
        ("security.protocol", "SSL"),
        ("ssl.ca.location", ca.as_str()),
    ];
    for extra in [
        vec![("ssl.enabled.protocols", "TLSv1.2")],
        vec![("ssl.enabled.protocols", "TLSv1.3")],
        vec![
            ("ssl.enabled.protocols", "TLSv1.2"),
            (
                "ssl.cipher.suites",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            ),
        ],
    ] {
        let properties: Vec<_> = base.iter().copied().chain(extra.iter().copied()).collect();
        Kafka::connect(config(&listener(SSL), &properties))
            .await
            .unwrap_or_else(|e| panic!("{extra:?}: {}", chain(&e)));
    }
    let mut rsa_only = base.to_vec();
    rsa_only.push(("ssl.enabled.protocols", "TLSv1.2"));
    rsa_only.push(("ssl.cipher.suites", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    let text = refused(&listener(SSL), &rsa_only, SetupStage::Tls).await;
    assert!(text.contains("TLS"), "{text}");
    for (name, value, expected) in [
        (
            "ssl.enabled.protocols",
            "TLSv1.1",
            "krafka speaks TLSv1.2 and TLSv1.3",
        ),
        (
            "ssl.cipher.suites",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "TLS_AES_128_GCM_SHA256",
        ),
    ] {
        let mut properties = base.to_vec();
        properties.push((name, value));
        let all = [("bootstrap.servers", "127.0.0.1:1")]
            .into_iter()
            .chain(properties);
        let error = ClientConfig::from_properties(all).expect_err("refused");
        assert!(matches!(error, KrafkaError::Config(_)), "{error:?}");
        assert!(error.to_string().contains(expected), "{error}");
    }
}

// ---------------------------------------------------------------- Java reads krafka

/// Records krafka wrote over TLS, read by Kafka's own console consumer over
/// TLS (a PEM trust store): exactly those, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn java_console_consumer_reads_what_krafka_wrote_over_tls() {
    require_node().await;
    let ca = cert("ca.pem");
    let properties = [
        ("security.protocol", "SSL"),
        ("ssl.ca.location", ca.as_str()),
    ];
    let kafka = Kafka::connect(config(&listener(SSL), &properties))
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let topic = format!("secure-{}", unique_topic("java-tls"));
    kafka
        .admin()
        .create_topics(&[NewTopic::new(&topic, 1, 1)])
        .await
        .unwrap_or_else(|e| panic!("create {topic}: {}", chain(&e)));
    let producer = kafka
        .producer(ProducerConfig::default())
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let expected: Vec<String> = (0..20).map(|i| format!("k{i}|tls value {i} é")).collect();
    for i in 0..20 {
        producer
            .send(
                ProducerRecord::new(&topic)
                    .key(format!("k{i}"))
                    .value(format!("tls value {i} é")),
            )
            .await
            .unwrap_or_else(|e| panic!("send: {}", chain(&e)))
            .await
            .unwrap_or_else(|e| panic!("delivery: {}", chain(&e)));
    }
    let dir = std::env::temp_dir().join(format!("krafka-{}", unique_topic("java-tls")));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let client_properties = dir.join("client.properties");
    std::fs::write(
        &client_properties,
        format!(
            "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location={ca}\n\
             group.id=secure-{}\n",
            unique_topic("java-tls-group")
        ),
    )
    .expect("write client.properties");
    let bootstrap = listener(SSL);
    let config_path = client_properties.display().to_string();
    let args = [
        "console-consumer",
        "--bootstrap-server",
        &bootstrap,
        "--topic",
        &topic,
        "--from-beginning",
        "--max-messages",
        "20",
        "--timeout-ms",
        "60000",
        "--command-config",
        &config_path,
        "--formatter-property",
        "print.key=true",
        "--formatter-property",
        "key.separator=|",
    ];
    let Some(output) = run_java_io("console consumer", &args, b"") else {
        return;
    };
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines, expected, "what Java read");
}
