//! StreamsGroupTopologyDescriptionUpdate (API key 93):
//! [`StreamsGroupTopologyDescriptionUpdateRequest`] and
//! [`StreamsGroupTopologyDescriptionUpdateResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `StreamsGroupTopologyDescriptionUpdateRequest.json` and
//! `StreamsGroupTopologyDescriptionUpdateResponse.json` by `cargo run -p xtask -- gen-messages`;
//! change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The StreamsGroupTopologyDescriptionUpdate request (API key 93), answered by
/// [`StreamsGroupTopologyDescriptionUpdateResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 93,
    request,
    versions = "0",
    flexible = "0+",
    response = StreamsGroupTopologyDescriptionUpdateResponse,
)]
pub struct StreamsGroupTopologyDescriptionUpdateRequest {
    /// The streams group identifier.
    pub group_id: String,
    /// The ID of the streams group member sending the push. The broker validates that this member
    /// is still in the group; mismatches (including when the group itself has been deleted) are
    /// rejected with UNKNOWN_MEMBER_ID so the client treats itself as fenced and rejoins.
    pub member_id: String,
    /// The epoch of the topology being described.
    pub topology_epoch: i32,
    /// The topology description.
    pub topology_description: TopologyDescription,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topology description.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescription {
    /// The subtopologies that make up this topology.
    pub subtopologies: Vec<TopologyDescriptionSubtopology>,
    /// Global state stores used by this topology.
    pub global_stores: Vec<TopologyDescriptionGlobalStore>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The subtopologies that make up this topology.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescriptionSubtopology {
    /// The subtopology identifier, unique within the topology.
    pub subtopology_id: String,
    /// The processing nodes in this subtopology.
    pub nodes: Vec<TopologyDescriptionNode>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The processing nodes in this subtopology.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescriptionNode {
    /// The name of this node (e.g., KSTREAM-SOURCE-0000000000).
    pub name: String,
    /// The type of this node: 1=SOURCE, 2=PROCESSOR, 3=SINK.
    pub node_type: i8,
    /// The source topics this node reads from. Defined only for source nodes, may be empty if
    /// source topics are dynamically determined.
    pub source_topics: Vec<String>,
    /// The topic this node writes to. Defined only for sink nodes, may be null if sink topic is
    /// dynamically determined.
    #[kafka(nullable_versions = "0+")]
    pub sink_topic: Option<String>,
    /// The state store names accessed by this node. Defined only for processor nodes.
    pub stores: Vec<String>,
    /// The names of successor nodes in the processing graph. Predecessor relationships are
    /// reconstructed from this field.
    pub successors: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Global state stores used by this topology.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescriptionGlobalStore {
    /// The source node providing data to the global store.
    pub source: TopologyDescriptionNode,
    /// The processor node that populates the global store.
    pub processor: TopologyDescriptionNode,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The StreamsGroupTopologyDescriptionUpdate response (API key 93) to
/// [`StreamsGroupTopologyDescriptionUpdateRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 93, response, versions = "0", flexible = "0+")]
pub struct StreamsGroupTopologyDescriptionUpdateResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
