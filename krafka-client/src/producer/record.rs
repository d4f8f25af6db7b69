//! What goes in (a [`ProducerRecord`]) and what comes back (a
//! [`RecordMetadata`], through a [`DeliveryFuture`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use krafka_core::KrafkaError;
use krafka_core::records::Header;

use super::completion::{BatchCompletion, Registration};

/// One record to produce.
///
/// ```
/// # use krafka_client::ProducerRecord;
/// let record = ProducerRecord::new("events")
///     .key("user-42")
///     .value("clicked")
///     .header("trace-id", Some("abc"));
/// # assert_eq!(record.topic, "events");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducerRecord {
    /// The topic.
    pub topic: String,
    /// An explicit partition; `None` lets the partitioner choose.
    pub partition: Option<i32>,
    /// Create time in ms since the epoch; `None` stamps it with the clock.
    pub timestamp: Option<i64>,
    /// The key; `None` is a null key.
    pub key: Option<Bytes>,
    /// The value; `None` is a null value (a tombstone on compacted topics).
    pub value: Option<Bytes>,
    /// Headers, in order; keys may repeat.
    pub headers: Vec<Header>,
}

impl ProducerRecord {
    /// A record for `topic` with null key and value and no headers.
    pub fn new(topic: impl Into<String>) -> Self {
        ProducerRecord {
            topic: topic.into(),
            ..Default::default()
        }
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<Bytes>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the value.
    pub fn value(mut self, value: impl Into<Bytes>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Appends a header (`None` is a null header value).
    pub fn header(mut self, key: impl Into<Bytes>, value: Option<impl Into<Bytes>>) -> Self {
        self.headers
            .push(Header::from_bytes(key.into(), value.map(Into::into)));
        self
    }

    /// Sends to this partition, bypassing the partitioner.
    pub fn partition(mut self, partition: i32) -> Self {
        self.partition = Some(partition);
        self
    }

    /// Sets the create time (ms since the epoch).
    pub fn timestamp(mut self, timestamp: i64) -> Self {
        self.timestamp = Some(timestamp);
        self
    }
}

/// Where a record was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMetadata {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The record's offset; -1 with `acks=0` (the broker does not answer)
    /// or when the broker reported the batch as a duplicate.
    pub offset: i64,
    /// The record's timestamp: its create time, or the broker's append time
    /// on topics with `message.timestamp.type=LogAppendTime`.
    pub timestamp: i64,
}

/// The outcome of one send: resolves once the record is acknowledged (as
/// `acks` asks) or has failed for good. Dropping it does not cancel the
/// send; records whose futures are all dropped cost nothing to settle.
#[derive(Debug)]
#[must_use = "a DeliveryFuture tells whether the record was written"]
pub struct DeliveryFuture {
    completion: Arc<BatchCompletion>,
    index: u32,
    timestamp: i64,
    /// Set on the first poll that finds the record pending (boxed: most
    /// futures are never polled before their batch settles, and many are
    /// held at once).
    registration: Option<Box<Registration>>,
}

impl DeliveryFuture {
    pub(crate) fn new(completion: Arc<BatchCompletion>, index: u32, timestamp: i64) -> Self {
        DeliveryFuture {
            completion,
            index,
            timestamp,
            registration: None,
        }
    }
}

impl Future for DeliveryFuture {
    type Output = Result<RecordMetadata, KrafkaError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match this.completion.poll(
            this.index,
            this.timestamp,
            &mut this.registration,
            cx.waker(),
        ) {
            Some(result) => Poll::Ready(result),
            None => Poll::Pending,
        }
    }
}
