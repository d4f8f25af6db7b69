//! DeleteShareGroupState (API key 86): [`DeleteShareGroupStateRequest`] and
//! [`DeleteShareGroupStateResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DeleteShareGroupStateRequest.json` and
//! `DeleteShareGroupStateResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The DeleteShareGroupState request (API key 86), answered by [`DeleteShareGroupStateResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 86,
    request,
    versions = "0",
    flexible = "0+",
    response = DeleteShareGroupStateResponse,
)]
pub struct DeleteShareGroupStateRequest {
    /// The group identifier.
    pub group_id: String,
    /// The data for the topics.
    pub topics: Vec<DeleteStateData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteStateData {
    /// The topic identifier.
    pub topic_id: Uuid,
    /// The data for the partitions.
    pub partitions: Vec<PartitionData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionData {
    /// The partition index.
    pub partition: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DeleteShareGroupState response (API key 86) to [`DeleteShareGroupStateRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 86, response, versions = "0", flexible = "0+")]
pub struct DeleteShareGroupStateResponse {
    /// The delete results.
    pub results: Vec<DeleteStateResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The delete results.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteStateResult {
    /// The topic identifier.
    pub topic_id: Uuid,
    /// The results for the partitions.
    pub partitions: Vec<PartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for the partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionResult {
    /// The partition index.
    pub partition: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
