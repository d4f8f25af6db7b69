//! The connection against an in-process peer that plays a broker: pipelining,
//! in-order answers, a dying socket. (Real-broker tests are in
//! `tests/tests/broker_*.rs`.)

use std::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use krafka_core::SetupStage;
use krafka_core::codec::Message;
use krafka_core::messages::ProduceRequest;
use krafka_core::messages::api_versions::ApiVersion;
use krafka_core::messages::metadata::{MetadataRequestTopic, MetadataResponseTopic};
use krafka_core::messages::{
    ApiVersionsResponse, MetadataRequest, MetadataResponse, RequestHeader, ResponseHeader,
};
use krafka_core::{ApiKey, KrafkaError, versions};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{Connection, ConnectionConfig, Limits};

async fn read_frame(socket: &mut (impl AsyncRead + Unpin)) -> Option<Bytes> {
    let size = socket.read_i32().await.ok()?;
    let mut buf = vec![0u8; usize::try_from(size).ok()?];
    socket.read_exact(&mut buf).await.ok()?;
    Some(Bytes::from(buf))
}

fn frame<M: Message>(correlation_id: i32, header_version: i16, body: &M, version: i16) -> Bytes {
    let mut buf = BytesMut::new();
    buf.put_i32(0);
    ResponseHeader {
        correlation_id,
        ..Default::default()
    }
    .encode_version(&mut buf, header_version)
    .unwrap();
    body.encode_version(&mut buf, version).unwrap();
    let size = (buf.len() - 4) as i32;
    buf[..4].copy_from_slice(&size.to_be_bytes());
    buf.freeze()
}

/// Accepts one connection and answers its ApiVersions handshake.
async fn fake_broker() -> (String, tokio::task::JoinHandle<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        answer_handshake(&mut socket).await;
        socket
    });
    (addr, handle)
}

/// Plays the broker's part of the ApiVersions handshake on `socket`.
async fn answer_handshake(socket: &mut (impl AsyncRead + AsyncWrite + Unpin)) {
    {
        let mut request = read_frame(socket).await.unwrap();
        assert_eq!(request.get_i16(), ApiKey::ApiVersions.key());
        let version = request.get_i16();
        let correlation_id = request.get_i32();
        let response = ApiVersionsResponse {
            api_keys: ApiKey::ALL
                .iter()
                .filter_map(|api| {
                    versions::supported(*api).map(|(min, max)| ApiVersion {
                        api_key: api.key(),
                        min_version: min,
                        max_version: max,
                        ..Default::default()
                    })
                })
                .collect(),
            ..Default::default()
        };
        let bytes = frame(correlation_id, 0, &response, version);
        socket.write_all(&bytes).await.unwrap();
    }
}

/// Reads a Metadata request: its correlation id, version and topic.
fn parse_metadata(mut request: Bytes) -> (i32, i16, String) {
    let header = RequestHeader::decode_version(&mut request, 2).unwrap();
    let body = MetadataRequest::decode_version(&mut request, header.request_api_version).unwrap();
    let topic = body.topics.unwrap()[0].name.clone().unwrap();
    (header.correlation_id, header.request_api_version, topic)
}

/// The answer to a Metadata request read by [`parse_metadata`]: the topic
/// it asked for, by name, as a whole response frame.
fn metadata_answer((correlation_id, version, topic): (i32, i16, String)) -> Bytes {
    let response = MetadataResponse {
        topics: vec![MetadataResponseTopic {
            name: Some(topic),
            ..Default::default()
        }],
        ..Default::default()
    };
    let header = MetadataResponse::header_version(version).unwrap();
    frame(correlation_id, header, &response, version)
}

fn metadata_for(topic: &str) -> MetadataRequest {
    MetadataRequest {
        topics: Some(vec![MetadataRequestTopic {
            name: Some(topic.to_owned()),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn requests_are_pipelined_and_answers_routed_in_order() {
    const N: usize = 50;
    let (addr, accepted) = fake_broker().await;
    let conn = Connection::connect(&addr, &ConnectionConfig::default())
        .await
        .unwrap();
    assert_eq!(
        conn.version_for::<MetadataRequest>().unwrap(),
        versions::METADATA_MAX
    );
    let mut socket = accepted.await.unwrap();
    let peer = tokio::spawn(async move {
        // Every request arrives before any answer: they were all in flight.
        let mut requests = Vec::new();
        for _ in 0..N {
            requests.push(parse_metadata(read_frame(&mut socket).await.unwrap()));
        }
        for request in requests {
            socket.write_all(&metadata_answer(request)).await.unwrap();
        }
        socket
    });
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..N {
        let conn = conn.clone();
        calls.spawn(async move {
            let topic = format!("t{i}");
            let response = conn.send_negotiated(&metadata_for(&topic)).await.unwrap();
            assert_eq!(response.topics[0].name.as_deref(), Some(topic.as_str()));
        });
    }
    while let Some(done) = calls.join_next().await {
        done.unwrap();
    }
    let _socket = peer.await.unwrap();
}

#[tokio::test]
async fn a_dying_socket_fails_every_pending_request_with_one_error() {
    let (addr, accepted) = fake_broker().await;
    let conn = Connection::connect(&addr, &ConnectionConfig::default())
        .await
        .unwrap();
    let mut socket = accepted.await.unwrap();
    let peer = tokio::spawn(async move {
        for _ in 0..5 {
            read_frame(&mut socket).await.unwrap();
        }
        drop(socket); // dies with 5 requests pending
    });
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..5 {
        let conn = conn.clone();
        calls.spawn(async move { conn.send_negotiated(&metadata_for(&format!("t{i}"))).await });
    }
    let mut errors = Vec::new();
    while let Some(done) = calls.join_next().await {
        let err = done.unwrap().unwrap_err();
        assert!(matches!(err, KrafkaError::Network { .. }), "{err}");
        errors.push(err.to_string());
    }
    peer.await.unwrap();
    errors.dedup();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(conn.is_closed());
    let later = conn.send_negotiated(&metadata_for("x")).await.unwrap_err();
    assert_eq!(later.to_string(), errors[0]);
}

#[tokio::test]
async fn a_timed_out_request_closes_the_connection() {
    // As in the Java client: after a request timeout the connection's state
    // is unknown (and its in-flight slot taken), so it is dropped; pending
    // and later requests fail at once and the pool reconnects.
    let (addr, accepted) = fake_broker().await;
    let config = ConnectionConfig {
        request_timeout: Duration::from_millis(200),
        ..ConnectionConfig::default()
    };
    let conn = Connection::connect(&addr, &config).await.unwrap();
    let _socket = accepted.await.unwrap();
    let err = conn
        .send_negotiated(&metadata_for("late"))
        .await
        .unwrap_err();
    assert!(matches!(err, KrafkaError::Timeout { .. }), "{err}");
    assert!(conn.is_closed());
    let err = conn
        .send_negotiated(&metadata_for("next"))
        .await
        .unwrap_err();
    assert!(
        !matches!(err, KrafkaError::Timeout { .. }),
        "fails at once: {err}"
    );
}

#[tokio::test]
async fn an_acks_zero_produce_is_done_once_written_and_send_refuses_it() {
    let (addr, accepted) = fake_broker().await;
    let conn = Connection::connect(&addr, &ConnectionConfig::default())
        .await
        .unwrap();
    let mut socket = accepted.await.unwrap();
    let unanswered = ProduceRequest {
        acks: 0,
        ..Default::default()
    };
    let err = conn.send(&unanswered, 9).await.unwrap_err();
    assert!(matches!(err, KrafkaError::State(_)), "{err}");
    assert!(!conn.is_closed());
    let mut pending = conn
        .queue(&unanswered, 9, conn.default_limits())
        .await
        .unwrap();
    assert!(pending.wait().await.unwrap().is_none());
    let mut written = read_frame(&mut socket).await.unwrap();
    assert_eq!(written.get_i16(), ApiKey::Produce.key());
    // An answered request after it is routed as usual.
    let answered = tokio::spawn({
        let conn = conn.clone();
        async move { conn.send_negotiated(&metadata_for("after")).await }
    });
    let request = parse_metadata(read_frame(&mut socket).await.unwrap());
    socket.write_all(&metadata_answer(request)).await.unwrap();
    let response = answered.await.unwrap().unwrap();
    assert_eq!(response.topics[0].name.as_deref(), Some("after"));
}

#[tokio::test]
async fn a_connection_runs_over_any_transport() {
    // The transport seam: an in-memory pipe instead of a socket.
    let (client, mut server) = tokio::io::duplex(64 * 1024);
    let peer = tokio::spawn(async move {
        answer_handshake(&mut server).await;
        let request = parse_metadata(read_frame(&mut server).await.unwrap());
        server.write_all(&metadata_answer(request)).await.unwrap();
        server
    });
    let conn = Connection::over(client, "in-memory", &ConnectionConfig::default())
        .await
        .unwrap();
    assert_eq!(conn.peer(), "in-memory");
    let response = conn.send_negotiated(&metadata_for("piped")).await.unwrap();
    assert_eq!(response.topics[0].name.as_deref(), Some("piped"));
    let _server = peer.await.unwrap();
}

#[tokio::test]
async fn set_up_failures_name_their_stage() {
    // Nothing listens: the transport stage fails.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let err = Connection::connect(&addr, &ConnectionConfig::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, KrafkaError::Setup { stage: SetupStage::Transport, peer, .. } if *peer == addr),
        "{err:?}"
    );
    assert!(
        matches!(err.cause(), KrafkaError::Network { .. }),
        "{err:?}"
    );
    assert!(err.is_retriable());
    // The peer hangs up during ApiVersions: that stage fails.
    let (client, server) = tokio::io::duplex(1024);
    drop(server);
    let err = Connection::over(client, "gone", &ConnectionConfig::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            KrafkaError::Setup {
                stage: SetupStage::ApiVersions,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_response_larger_than_its_request_allows_is_refused_before_it_is_read() {
    let (client, mut server) = tokio::io::duplex(64 * 1024);
    let peer = tokio::spawn(async move {
        answer_handshake(&mut server).await;
        let (correlation_id, _, _) = parse_metadata(read_frame(&mut server).await.unwrap());
        // Announces 1 MiB, sends only the correlation id.
        let mut head = BytesMut::new();
        head.put_i32(1024 * 1024);
        head.put_i32(correlation_id);
        server.write_all(&head).await.unwrap();
        server
    });
    let conn = Connection::over(client, "liar", &ConnectionConfig::default())
        .await
        .unwrap();
    let version = conn.version_for::<MetadataRequest>().unwrap();
    let limits = Limits {
        max_response_size: 64 * 1024,
        ..conn.default_limits()
    };
    let err = conn
        .send_with(&metadata_for("x"), version, limits)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            KrafkaError::FrameTooLarge {
                size: 1_048_576,
                max: 65_536,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(conn.is_closed());
    let _server = peer.await.unwrap();
}

#[tokio::test]
async fn bytes_nobody_asked_for_tear_the_connection_down() {
    let (client, mut server) = tokio::io::duplex(64 * 1024);
    let peer = tokio::spawn(async move {
        answer_handshake(&mut server).await;
        server.write_all(&[0, 0, 0, 4, 0, 0, 0, 9]).await.unwrap();
        server
    });
    let conn = Connection::over(client, "chatty", &ConnectionConfig::default())
        .await
        .unwrap();
    let _server = peer.await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), async {
        while !conn.is_closed() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the connection closes");
    assert!(
        matches!(conn.error(), Some(KrafkaError::Protocol { .. })),
        "{:?}",
        conn.error()
    );
}

/// Re-authentication's hold on the connection: a request already written
/// is answered, requests made during the hold wait and are written after
/// the holder's, none is lost.
#[tokio::test]
async fn an_exclusive_hold_writes_only_its_requests_until_dropped() {
    let (addr, accepted) = fake_broker().await;
    let conn = Connection::connect(&addr, &ConnectionConfig::default())
        .await
        .unwrap();
    let mut socket = accepted.await.unwrap();
    let before = {
        let conn = conn.clone();
        tokio::spawn(async move { conn.send_negotiated(&metadata_for("before")).await })
    };
    let first = parse_metadata(read_frame(&mut socket).await.unwrap());
    assert_eq!(first.2, "before");
    let exclusive = conn.exclusive().await.unwrap();
    let during = {
        let conn = conn.clone();
        tokio::spawn(async move { conn.send_negotiated(&metadata_for("during")).await })
    };
    // Give the waiting request every chance to be (wrongly) written first.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let held = {
        let exclusive = exclusive.clone();
        tokio::spawn(async move { exclusive.send_negotiated(&metadata_for("held")).await })
    };
    let second = parse_metadata(read_frame(&mut socket).await.unwrap());
    assert_eq!(second.2, "held", "only the holder's request is written");
    socket.write_all(&metadata_answer(first)).await.unwrap();
    socket.write_all(&metadata_answer(second)).await.unwrap();
    let names = |r: MetadataResponse| r.topics[0].name.clone().unwrap();
    assert_eq!(names(before.await.unwrap().unwrap()), "before");
    assert_eq!(names(held.await.unwrap().unwrap()), "held");
    assert!(!during.is_finished());
    drop(exclusive);
    let third = parse_metadata(read_frame(&mut socket).await.unwrap());
    assert_eq!(third.2, "during");
    socket.write_all(&metadata_answer(third)).await.unwrap();
    assert_eq!(names(during.await.unwrap().unwrap()), "during");
}
