//! What the memory tests share: a fake broker that serves crafted record
//! batches (one partition per topic), the process's own RSS figures, and a
//! way to measure the peak RSS of a `krafka` CLI run.
//!
//! The fake answers only what a consumer (and `krafka consume` /
//! `krafka metadata`) asks: ApiVersions, Metadata, ListOffsets and Fetch,
//! without fetch sessions. A Fetch gets every batch from the fetch offset on
//! (within `max.partition.fetch.bytes`, the first always), or waits a little
//! and answers empty at the end of the log.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use krafka_core::ApiKey;
use krafka_core::codec::varint::put_unsigned_varint;
use krafka_core::codec::{Message, Records, Uuid};
use krafka_core::messages::api_versions::ApiVersion;
use krafka_core::messages::fetch::{FetchableTopicResponse, PartitionData};
use krafka_core::messages::list_offsets::{ListOffsetsPartitionResponse, ListOffsetsTopicResponse};
use krafka_core::messages::metadata::{
    MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
};
use krafka_core::messages::{
    ApiVersionsRequest, ApiVersionsResponse, FetchRequest, FetchResponse, ListOffsetsRequest,
    ListOffsetsResponse, MetadataRequest, MetadataResponse, RequestHeader, ResponseHeader,
};
use krafka_core::records::{Compression, Header, RecordBatchBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A value of `size` bytes that compresses to almost nothing.
pub fn zeros(size: usize) -> Vec<u8> {
    vec![0u8; size]
}

/// One zstd batch at offset 0 holding `records` records, each with
/// `value` and `headers`.
pub fn zstd_batch(records: usize, value: Option<&[u8]>, headers: &[Header]) -> Bytes {
    let mut builder = RecordBatchBuilder::new()
        .compression(Compression::Zstd)
        .timestamp(1_700_000_000_000);
    for _ in 0..records {
        builder
            .push_record(None, None, value, headers)
            .expect("crafted record");
    }
    builder.build().expect("crafted batch")
}

/// `batch` moved to `base` (the base offset is outside the CRC).
pub fn at_offset(batch: &Bytes, base: i64) -> Bytes {
    let mut moved = batch.to_vec();
    moved[..8].copy_from_slice(&base.to_be_bytes());
    Bytes::from(moved)
}

/// `count` copies of `batch`, back to back from offset 0.
pub fn copies(batch: &Bytes, count: usize) -> Vec<Bytes> {
    let delta = i32::from_be_bytes(batch[23..27].try_into().expect("last offset delta"));
    let per_batch = i64::from(delta) + 1;
    (0..count as i64)
        .map(|i| at_offset(batch, i * per_batch))
        .collect()
}

/// A topic's partition 0: batches back to back from offset 0.
#[derive(Clone, Debug)]
pub struct CraftedTopic {
    pub name: String,
    pub id: Uuid,
    /// `(base offset, next offset, bytes)` of each batch.
    batches: Vec<(i64, i64, Bytes)>,
}

impl CraftedTopic {
    /// `batches` (as built, each holding `records_per_batch` records).
    pub fn new(name: &str, batches: Vec<Bytes>) -> CraftedTopic {
        let mut id = [0u8; 16];
        for (i, b) in name.bytes().enumerate() {
            id[i % 16] ^= b;
        }
        id[0] |= 1;
        let batches = batches
            .into_iter()
            .map(|batch| {
                let base = i64::from_be_bytes(batch[0..8].try_into().expect("base offset"));
                let delta = i32::from_be_bytes(batch[23..27].try_into().expect("delta"));
                (base, base + i64::from(delta) + 1, batch)
            })
            .collect();
        CraftedTopic {
            name: name.to_owned(),
            id: Uuid(id),
            batches,
        }
    }

    pub fn end(&self) -> i64 {
        self.batches.last().map_or(0, |b| b.1)
    }

    /// Bytes of every batch.
    pub fn size(&self) -> usize {
        self.batches.iter().map(|b| b.2.len()).sum()
    }

    fn records_from(&self, offset: i64, max_bytes: usize) -> Bytes {
        let mut out = BytesMut::new();
        for (_, next, batch) in &self.batches {
            if *next <= offset {
                continue;
            }
            if !out.is_empty() && out.len() + batch.len() > max_bytes {
                break;
            }
            out.put_slice(batch);
        }
        out.freeze()
    }
}

/// What the fake answers ApiVersions with, beyond the versions.
#[derive(Clone, Debug, Default)]
pub enum Handshake {
    #[default]
    Plain,
    /// This many empty unknown tagged fields in the response's tagged
    /// section, each tag once, in order.
    UnknownTags(u32),
    /// This many empty unknown tagged fields of two bytes each: tags 16 to
    /// 127 over and over.
    RepeatedTags(u32),
}

/// The fake broker; it serves until the test process ends.
pub struct CraftedBroker {
    pub addr: String,
}

impl CraftedBroker {
    pub async fn start(topics: Vec<CraftedTopic>, handshake: Handshake) -> CraftedBroker {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind crafted broker");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State {
            port: i32::from(addr.port()),
            topics: topics.into_iter().map(|t| (t.name.clone(), t)).collect(),
            handshake,
        });
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, Arc::clone(&state)));
            }
        });
        CraftedBroker {
            addr: addr.to_string(),
        }
    }
}

struct State {
    port: i32,
    topics: HashMap<String, CraftedTopic>,
    handshake: Handshake,
}

async fn read_frame(socket: &mut TcpStream) -> Option<Bytes> {
    let size = socket.read_i32().await.ok()?;
    let mut buf = vec![0u8; usize::try_from(size).ok()?];
    socket.read_exact(&mut buf).await.ok()?;
    Some(Bytes::from(buf))
}

fn frame<M: Message>(correlation_id: i32, header_version: i16, body: &M, version: i16) -> Bytes {
    let mut out = BytesMut::new();
    out.put_i32(0);
    ResponseHeader {
        correlation_id,
        ..Default::default()
    }
    .encode_version(&mut out, header_version)
    .expect("response header");
    body.encode_version(&mut out, version).expect(M::NAME);
    let size = (out.len() - 4) as i32;
    out[..4].copy_from_slice(&size.to_be_bytes());
    out.freeze()
}

/// Decodes the request header and body of `M` at `version`.
fn request<M: Message>(buf: &mut Bytes, version: i16) -> Option<M> {
    let header_version = M::header_version(version)?;
    RequestHeader::decode_version(buf, header_version).ok()?;
    M::decode_version(buf, version).ok()
}

async fn serve(mut socket: TcpStream, state: Arc<State>) {
    while let Some(frame_bytes) = read_frame(&mut socket).await {
        let mut peek = frame_bytes.clone();
        let api_key = peek.get_i16();
        let version = peek.get_i16();
        let correlation_id = peek.get_i32();
        let mut buf = frame_bytes;
        let answer = match ApiKey::from_key(api_key) {
            Some(ApiKey::ApiVersions) => {
                let Some(_) = request::<ApiVersionsRequest>(&mut buf, version) else {
                    return;
                };
                api_versions(&state, correlation_id, version)
            }
            Some(ApiKey::Metadata) => {
                let Some(req) = request::<MetadataRequest>(&mut buf, version) else {
                    return;
                };
                metadata(&state, &req, correlation_id, version)
            }
            Some(ApiKey::ListOffsets) => {
                let Some(req) = request::<ListOffsetsRequest>(&mut buf, version) else {
                    return;
                };
                list_offsets(&state, &req, correlation_id, version)
            }
            Some(ApiKey::Fetch) => {
                let Some(req) = request::<FetchRequest>(&mut buf, version) else {
                    return;
                };
                fetch(&state, &req, correlation_id, version).await
            }
            _ => return,
        };
        if socket.write_all(&answer).await.is_err() {
            return;
        }
    }
}

fn api_versions(state: &State, correlation_id: i32, version: i16) -> Bytes {
    let api_keys = [
        ApiKey::ApiVersions,
        ApiKey::Metadata,
        ApiKey::ListOffsets,
        ApiKey::Fetch,
    ]
    .iter()
    .filter_map(|api| {
        krafka_core::versions::supported(*api).map(|(min, max)| ApiVersion {
            api_key: api.key(),
            min_version: min,
            max_version: max,
            ..Default::default()
        })
    })
    .collect();
    let response = ApiVersionsResponse {
        api_keys,
        ..Default::default()
    };
    // ApiVersions responses always use header version 0.
    let plain = frame(correlation_id, 0, &response, version);
    let (count, repeat) = match state.handshake {
        Handshake::Plain => return plain,
        Handshake::UnknownTags(count) => (count, u32::MAX),
        Handshake::RepeatedTags(count) => (count, 112),
    };
    if version < 3 {
        return plain;
    }
    // Replace the empty tagged section (the body's last byte) with `count`
    // empty fields of tags the schema does not define.
    let mut out = BytesMut::from(&plain[..plain.len() - 1]);
    out.reserve(count as usize * 4 + 5);
    put_unsigned_varint(&mut out, count);
    for i in 0..count {
        put_unsigned_varint(&mut out, 16 + i % repeat);
        out.put_u8(0);
    }
    let size = (out.len() - 4) as i32;
    out[..4].copy_from_slice(&size.to_be_bytes());
    out.freeze()
}

fn metadata(state: &State, req: &MetadataRequest, correlation_id: i32, version: i16) -> Bytes {
    let names: Vec<String> = match &req.topics {
        Some(topics) => topics.iter().filter_map(|t| t.name.clone()).collect(),
        None => state.topics.keys().cloned().collect(),
    };
    let topics = names
        .into_iter()
        .map(|name| match state.topics.get(&name) {
            Some(topic) => MetadataResponseTopic {
                name: Some(name),
                topic_id: topic.id,
                partitions: vec![MetadataResponsePartition {
                    partition_index: 0,
                    leader_id: 0,
                    leader_epoch: 0,
                    replica_nodes: vec![0],
                    isr_nodes: vec![0],
                    ..Default::default()
                }],
                ..Default::default()
            },
            None => MetadataResponseTopic {
                error_code: 3,
                name: Some(name),
                ..Default::default()
            },
        })
        .collect();
    let response = MetadataResponse {
        brokers: vec![MetadataResponseBroker {
            node_id: 0,
            host: "127.0.0.1".to_owned(),
            port: state.port,
            ..Default::default()
        }],
        cluster_id: Some("crafted".to_owned()),
        controller_id: 0,
        topics,
        ..Default::default()
    };
    let header_version = MetadataResponse::header_version(version).expect("header");
    frame(correlation_id, header_version, &response, version)
}

fn list_offsets(
    state: &State,
    req: &ListOffsetsRequest,
    correlation_id: i32,
    version: i16,
) -> Bytes {
    let topics = req
        .topics
        .iter()
        .map(|topic| ListOffsetsTopicResponse {
            name: topic.name.clone(),
            partitions: topic
                .partitions
                .iter()
                .map(|p| {
                    let end = state.topics.get(&topic.name).map_or(0, CraftedTopic::end);
                    ListOffsetsPartitionResponse {
                        partition_index: p.partition_index,
                        timestamp: -1,
                        offset: if p.timestamp == -1 { end } else { 0 },
                        leader_epoch: 0,
                        ..Default::default()
                    }
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let response = ListOffsetsResponse {
        topics,
        ..Default::default()
    };
    let header_version = ListOffsetsResponse::header_version(version).expect("header");
    frame(correlation_id, header_version, &response, version)
}

async fn fetch(state: &State, req: &FetchRequest, correlation_id: i32, version: i16) -> Bytes {
    let mut any = false;
    let mut responses = Vec::new();
    for wanted in &req.topics {
        let topic = state.topics.values().find(|t| {
            t.name == wanted.topic || (wanted.topic_id != Uuid::ZERO && t.id == wanted.topic_id)
        });
        let Some(topic) = topic else { continue };
        let partitions = wanted
            .partitions
            .iter()
            .map(|p| {
                let max = usize::try_from(p.partition_max_bytes).unwrap_or(0);
                let records = topic.records_from(p.fetch_offset, max);
                any |= !records.is_empty();
                PartitionData {
                    partition_index: p.partition,
                    high_watermark: topic.end(),
                    last_stable_offset: topic.end(),
                    log_start_offset: 0,
                    preferred_read_replica: -1,
                    records: Some(Records(records)),
                    ..Default::default()
                }
            })
            .collect();
        responses.push(FetchableTopicResponse {
            topic: topic.name.clone(),
            topic_id: topic.id,
            partitions,
            ..Default::default()
        });
    }
    if !any {
        let wait = u64::try_from(req.max_wait_ms).unwrap_or(0).min(200);
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let response = FetchResponse {
        responses,
        ..Default::default()
    };
    let header_version = FetchResponse::header_version(version).expect("header");
    frame(correlation_id, header_version, &response, version)
}

/// A `/proc/<pid>/status` field in KiB.
pub fn status_kib(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// This process's peak RSS in KiB.
pub fn peak_kib() -> u64 {
    status_kib("self", "VmHWM:").expect("VmHWM in /proc/self/status")
}

/// Resets this process's peak RSS to its current RSS (Linux 4.0+).
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
}

/// Runs the `krafka` CLI named by `KRAFKA_CLI` with `args` (stdout
/// discarded) under `/usr/bin/time` and returns its peak RSS in KiB (the
/// kernel's count at exit), whether it succeeded and how long it took.
pub async fn cli_peak_kib(args: &[String]) -> (u64, bool, Duration) {
    let cli = std::env::var("KRAFKA_CLI").expect("KRAFKA_CLI: the krafka binary to measure");
    let started = std::time::Instant::now();
    let output = tokio::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("MAXRSS %M")
        .arg(cli)
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .await
        .expect("run the CLI under /usr/bin/time");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak = stderr
        .lines()
        .find_map(|line| line.strip_prefix("MAXRSS "))
        .and_then(|kib| kib.trim().parse().ok())
        .unwrap_or_else(|| panic!("no MAXRSS in {stderr}"));
    if !output.status.success() {
        eprintln!("CLI failed: {stderr}");
    }
    (peak, output.status.success(), started.elapsed())
}
