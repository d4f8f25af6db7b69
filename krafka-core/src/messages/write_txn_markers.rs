//! WriteTxnMarkers (API key 27): [`WriteTxnMarkersRequest`] and [`WriteTxnMarkersResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `WriteTxnMarkersRequest.json` and
//! `WriteTxnMarkersResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The WriteTxnMarkers request (API key 27), answered by [`WriteTxnMarkersResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 27,
    request,
    versions = "1-2",
    flexible = "1+",
    response = WriteTxnMarkersResponse,
)]
pub struct WriteTxnMarkersRequest {
    /// The transaction markers to be written.
    pub markers: Vec<WritableTxnMarker>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The transaction markers to be written.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WritableTxnMarker {
    /// The current producer ID.
    pub producer_id: i64,
    /// The current epoch associated with the producer ID.
    pub producer_epoch: i16,
    /// The result of the transaction to write to the partitions (false = ABORT, true = COMMIT).
    pub transaction_result: bool,
    /// Each topic that we want to write transaction marker(s) for.
    pub topics: Vec<WritableTxnMarkerTopic>,
    /// Epoch associated with the transaction state partition hosted by this transaction
    /// coordinator.
    pub coordinator_epoch: i32,
    /// Transaction version of the marker. Ex: 0/1 = legacy (TV0/TV1), 2 = TV2 etc.
    #[kafka(versions = "2+", default = 0, ignorable)]
    pub transaction_version: i8,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic that we want to write transaction marker(s) for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WritableTxnMarkerTopic {
    /// The topic name.
    pub name: String,
    /// The indexes of the partitions to write transaction markers for.
    pub partition_indexes: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The WriteTxnMarkers response (API key 27) to [`WriteTxnMarkersRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 27, response, versions = "1-2", flexible = "1+")]
pub struct WriteTxnMarkersResponse {
    /// The results for writing makers.
    pub markers: Vec<WritableTxnMarkerResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for writing makers.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WritableTxnMarkerResult {
    /// The current producer ID in use by the transactional ID.
    pub producer_id: i64,
    /// The results by topic.
    pub topics: Vec<WritableTxnMarkerTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results by topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WritableTxnMarkerTopicResult {
    /// The topic name.
    pub name: String,
    /// The results by partition.
    pub partitions: Vec<WritableTxnMarkerPartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results by partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct WritableTxnMarkerPartitionResult {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
