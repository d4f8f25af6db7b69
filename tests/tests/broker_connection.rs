//! One connection under load and under faults: 1,000 pipelined requests, a
//! socket cut mid-request, an oversized frame, a peer that never answers, a
//! response for the wrong request.

mod broker_support;

use std::time::{Duration, Instant};

use broker_support::{
    FakeBroker, Proxy, SHORT_TIMEOUT, connect, connect_with, presets, single, unique_topic,
};
use std::sync::Arc;

use krafka_client::ExponentialBackoff;
use krafka_client::Tcp;
use krafka_client::{Broker, Purpose};
use krafka_client::{Connection, ConnectionConfig, KrafkaError};
use krafka_core::ErrorCode;
use krafka_core::messages::metadata::MetadataRequestTopic;
use krafka_core::messages::{MetadataRequest, ProduceRequest};
use tokio::task::JoinSet;

fn metadata_for(topic: &str) -> MetadataRequest {
    MetadataRequest {
        topics: Some(vec![MetadataRequestTopic {
            name: Some(topic.to_owned()),
            ..Default::default()
        }]),
        allow_auto_topic_creation: false,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_on_one_connection() {
    let conn = connect(&single()).await;
    let prefix = unique_topic("pipelined");
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..1000 {
        let conn = conn.clone();
        let topic = format!("{prefix}-{i}");
        tasks.spawn(async move {
            let response = conn.send_negotiated(&metadata_for(&topic)).await;
            (topic, response)
        });
    }
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let (topic, response) = joined.expect("task");
        let response = response.unwrap_or_else(|e| panic!("{topic}: {e}"));
        // Each caller got the answer to its own request: the topic it asked for.
        assert_eq!(response.topics.len(), 1);
        assert_eq!(response.topics[0].name.as_deref(), Some(topic.as_str()));
        assert_eq!(
            response.topics[0].error_code,
            ErrorCode::UnknownTopicOrPartition.code()
        );
        done += 1;
    }
    assert_eq!(done, 1000);
    assert!(!conn.is_closed());
    eprintln!(
        "1000 pipelined Metadata requests in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cutting_the_socket_fails_pending_requests_and_the_next_call_reconnects() {
    let proxy = Proxy::start(single()).await;
    let pool = Arc::new(Broker::new(
        proxy.addr.clone(),
        Arc::new(Tcp),
        ConnectionConfig::default(),
        ExponentialBackoff::new(Duration::from_millis(50), Duration::from_millis(500)),
    ));
    let conn = pool
        .connection(Purpose::General)
        .await
        .unwrap_or_else(|e| panic!("Kafka at {} unreachable through the proxy: {e}", single()));
    pool.send(Purpose::General, &MetadataRequest::default())
        .await
        .expect("through the proxy");

    // Requests stay pending while the proxy holds them back...
    proxy.pause();
    let mut pending = JoinSet::new();
    for i in 0..20 {
        let conn = conn.clone();
        pending.spawn(async move {
            conn.send_negotiated(&metadata_for(&format!("cut-{i}")))
                .await
        });
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // ...then the socket dies under them.
    proxy.cut();
    let mut messages = Vec::new();
    while let Some(result) = pending.join_next().await {
        let err = result.expect("task").expect_err("request on a cut socket");
        assert!(matches!(err, KrafkaError::Network { .. }), "{err}");
        assert!(err.is_retriable());
        messages.push(err.to_string());
    }
    assert_eq!(messages.len(), 20);
    messages.dedup();
    assert_eq!(
        messages.len(),
        1,
        "every pending request fails with the same error"
    );
    assert!(conn.is_closed());
    let again = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(again, KrafkaError::Network { .. }),
        "dead handle: {again}"
    );

    // The next call through the pool reconnects (after the backoff) and works.
    let response = pool
        .send(Purpose::General, &MetadataRequest::default())
        .await
        .expect("after reconnect");
    assert_eq!(response.brokers.len(), 1);
    let fresh = pool.connection(Purpose::General).await.unwrap();
    assert!(!fresh.is_closed());
}

#[tokio::test]
async fn a_frame_over_the_maximum_is_refused() {
    // The real broker's ApiVersions answer is a few hundred bytes: too big here.
    let config = ConnectionConfig {
        max_frame_size: 64,
        ..ConnectionConfig::default()
    };
    let err = Connection::connect(&single(), &config).await.unwrap_err();
    match err.cause() {
        KrafkaError::FrameTooLarge { size, max: 64, .. } => assert!(*size > 64),
        KrafkaError::Network { .. } => panic!("Kafka at {} unreachable: {err}", single()),
        other => panic!("expected FrameTooLarge, got {other}"),
    }

    // A peer announcing 2 GiB after the handshake: refused, the connection
    // torn down, the pending request failed with the typed error.
    let fake = FakeBroker::start(presets::oversized_frame(i32::MAX)).await;
    let conn = connect_with(&fake.addr, &ConnectionConfig::default()).await;
    let err = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, KrafkaError::FrameTooLarge { size, .. } if size == i64::from(i32::MAX)),
        "{err}"
    );
    assert!(conn.is_closed());
}

#[tokio::test]
async fn a_peer_that_never_answers_hits_the_timeout() {
    let config = ConnectionConfig {
        request_timeout: SHORT_TIMEOUT,
        ..ConnectionConfig::default()
    };
    // Silent from the start: the handshake times out.
    let silent = FakeBroker::start(presets::silent_from_start()).await;
    let started = Instant::now();
    let err = Connection::connect(&silent.addr, &config)
        .await
        .unwrap_err();
    assert!(matches!(err.cause(), KrafkaError::Timeout { .. }), "{err}");
    assert!(started.elapsed() < SHORT_TIMEOUT * 4);

    // Silent after the handshake: the request times out, others can still go.
    let fake = FakeBroker::start(presets::silent_after_handshake()).await;
    let conn = connect_with(&fake.addr, &config).await;
    let started = Instant::now();
    let err = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(err, KrafkaError::Timeout { .. }), "{err}");
    assert!(err.is_retriable());
    assert!(started.elapsed() >= SHORT_TIMEOUT && started.elapsed() < SHORT_TIMEOUT * 4);

    // A real broker behind a paused proxy: same.
    let proxy = Proxy::start(single()).await;
    let conn = connect_with(&proxy.addr, &config).await;
    proxy.pause();
    let err = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(err, KrafkaError::Timeout { .. }), "{err}");
    proxy.resume();
}

#[tokio::test]
async fn a_response_for_the_wrong_request_tears_the_connection_down() {
    let fake = FakeBroker::start(presets::wrong_correlation_id()).await;
    let conn = connect_with(&fake.addr, &ConnectionConfig::default()).await;
    let err = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(err, KrafkaError::Protocol { .. }), "{err}");
    assert!(err.to_string().contains("correlation id"), "{err}");
    assert!(conn.is_closed());
}

#[tokio::test]
async fn acks_zero_produce_is_sent_without_awaiting_a_response() {
    let conn = connect(&single()).await;
    let request = ProduceRequest {
        acks: 0,
        timeout_ms: 1000,
        ..Default::default()
    };
    // `send` refuses: no response would ever come.
    let err = conn.send_negotiated(&request).await.unwrap_err();
    assert!(matches!(err, KrafkaError::State(_)), "{err}");
    // Queued, it is done once written; the connection goes on.
    let version = conn.version_for::<ProduceRequest>().unwrap();
    let mut written = conn
        .queue(&request, version, conn.default_limits())
        .await
        .expect("queued");
    assert!(written.wait().await.expect("written").is_none());
    let after = conn
        .send_negotiated(&MetadataRequest::default())
        .await
        .expect("still in order");
    assert_eq!(after.brokers.len(), 1);
}

#[tokio::test]
async fn reconnects_back_off_exponentially() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let pool = Arc::new(Broker::new(
        addr,
        Arc::new(Tcp),
        ConnectionConfig::default(),
        ExponentialBackoff::new(Duration::from_millis(100), Duration::from_millis(1000)),
    ));
    let mut gaps = Vec::new();
    for _ in 0..4 {
        let started = Instant::now();
        let err = pool.connection(Purpose::General).await.unwrap_err();
        assert!(matches!(err.cause(), KrafkaError::Network { .. }), "{err}");
        gaps.push(started.elapsed());
    }
    // Attempt 1 at once; then 100, 200, 400 ms, each within ±20 %.
    assert!(gaps[0] < Duration::from_millis(80), "{gaps:?}");
    for (gap, nominal) in gaps[1..].iter().zip([100u64, 200, 400]) {
        let nominal = Duration::from_millis(nominal);
        assert!(*gap >= nominal.mul_f64(0.79), "{gaps:?}");
        assert!(
            *gap <= nominal.mul_f64(1.21) + Duration::from_millis(250),
            "{gaps:?}"
        );
    }
}

#[tokio::test]
async fn a_reconnect_backing_off_holds_up_no_other_caller() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let broker = Arc::new(Broker::new(
        addr,
        Arc::new(Tcp),
        ConnectionConfig::default(),
        ExponentialBackoff::new(Duration::from_secs(5), Duration::from_secs(5)),
    ));
    // The first attempt fails at once and arms a 5 s backoff...
    broker.connection(Purpose::General).await.unwrap_err();
    // ...which the next general caller waits out, in a task of its own.
    let waiting = tokio::spawn({
        let broker = Arc::clone(&broker);
        async move { broker.connection(Purpose::General).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !waiting.is_finished(),
        "the second attempt waits its backoff"
    );
    // Meanwhile nothing else waits behind it: the state answers at once,
    // and another purpose's first attempt goes ahead without the backoff.
    let started = Instant::now();
    assert!(broker.backoff_remaining(Purpose::General).is_some());
    broker.reset(Purpose::General);
    let err = broker.connection(Purpose::Fetch).await.unwrap_err();
    assert!(matches!(err.cause(), KrafkaError::Network { .. }), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    waiting.abort();
}
