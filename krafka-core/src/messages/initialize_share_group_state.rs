//! InitializeShareGroupState (API key 83): [`InitializeShareGroupStateRequest`] and
//! [`InitializeShareGroupStateResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `InitializeShareGroupStateRequest.json` and
//! `InitializeShareGroupStateResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The InitializeShareGroupState request (API key 83), answered by
/// [`InitializeShareGroupStateResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 83,
    request,
    versions = "0",
    flexible = "0+",
    response = InitializeShareGroupStateResponse,
)]
pub struct InitializeShareGroupStateRequest {
    /// The group identifier.
    pub group_id: String,
    /// The data for the topics.
    pub topics: Vec<InitializeStateData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The data for the topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct InitializeStateData {
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
    /// The state epoch for this share-partition.
    pub state_epoch: i32,
    /// The share-partition start offset, or -1 if the start offset is not being initialized.
    pub start_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The InitializeShareGroupState response (API key 83) to [`InitializeShareGroupStateRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 83, response, versions = "0", flexible = "0+")]
pub struct InitializeShareGroupStateResponse {
    /// The initialization results.
    pub results: Vec<InitializeStateResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The initialization results.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct InitializeStateResult {
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
