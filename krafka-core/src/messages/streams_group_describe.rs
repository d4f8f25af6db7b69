//! StreamsGroupDescribe (API key 89): [`StreamsGroupDescribeRequest`] and
//! [`StreamsGroupDescribeResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `StreamsGroupDescribeRequest.json` and
//! `StreamsGroupDescribeResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The StreamsGroupDescribe request (API key 89), answered by [`StreamsGroupDescribeResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 89,
    request,
    versions = "0-1",
    flexible = "0+",
    response = StreamsGroupDescribeResponse,
)]
pub struct StreamsGroupDescribeRequest {
    /// The ids of the groups to describe
    pub group_ids: Vec<String>,
    /// Whether to include authorized operations.
    pub include_authorized_operations: bool,
    /// Whether to include the full topology description from the topology description plugin in the
    /// response.
    #[kafka(versions = "1+", default = false)]
    pub include_topology_description: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The StreamsGroupDescribe response (API key 89) to [`StreamsGroupDescribeRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 89, response, versions = "0-1", flexible = "0+")]
pub struct StreamsGroupDescribeResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Each described group.
    pub groups: Vec<DescribedGroup>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each described group.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribedGroup {
    /// The describe error, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The group ID string.
    pub group_id: String,
    /// The group state string, or the empty string.
    pub group_state: String,
    /// The group epoch.
    pub group_epoch: i32,
    /// The assignment epoch.
    pub assignment_epoch: i32,
    /// The topology metadata currently initialized for the streams application. Can be null in case
    /// of a describe error.
    #[kafka(nullable_versions = "0+")]
    pub topology: Option<Topology>,
    /// The members.
    pub members: Vec<Member>,
    /// 32-bit bitfield to represent authorized operations for this group.
    #[kafka(default = -2147483648)]
    pub authorized_operations: i32,
    /// The full topology description for this group. Non-null if and only if
    /// TopologyDescriptionStatus is AVAILABLE (3); null otherwise.
    #[kafka(versions = "1+", nullable_versions = "1+")]
    pub topology_description: Option<TopologyDescription>,
    /// The status of the topology description for this group, paired with TopologyDescription:
    /// 0=NOT_REQUESTED (client did not set IncludeTopologyDescription; TopologyDescription is
    /// null); 1=NOT_STORED (no description recorded for this group; TopologyDescription is null);
    /// 2=ERROR (broker failed to fetch the description, see broker logs; TopologyDescription is
    /// null); 3=AVAILABLE (TopologyDescription is non-null and carries the description).
    #[kafka(versions = "1+", default = 0)]
    pub topology_description_status: i8,
    /// The task assignor that the group coordinator will use for the next assignment computation.
    /// This may differ from the assignor that computed the current assignment, because changing the
    /// assignor configuration does not trigger a rebalance. Null in case of a describe error.
    #[kafka(versions = "1+", nullable_versions = "1+", ignorable)]
    pub assignor_name: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topology metadata currently initialized for the streams application. Can be null in case of
/// a describe error.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Topology {
    /// The epoch of the currently initialized topology for this group.
    pub epoch: i32,
    /// The subtopologies of the streams application. This contains the configured subtopologies,
    /// where the number of partitions are set and any regular expressions are resolved to actual
    /// topics. Null if the group is uninitialized, source topics are missing or incorrectly
    /// partitioned.
    #[kafka(nullable_versions = "0+")]
    pub subtopologies: Option<Vec<Subtopology>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The subtopologies of the streams application. This contains the configured subtopologies, where
/// the number of partitions are set and any regular expressions are resolved to actual topics. Null
/// if the group is uninitialized, source topics are missing or incorrectly partitioned.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Subtopology {
    /// String to uniquely identify the subtopology.
    pub subtopology_id: String,
    /// The topics the subtopology reads from.
    pub source_topics: Vec<String>,
    /// The repartition topics the subtopology writes to.
    pub repartition_sink_topics: Vec<String>,
    /// The set of state changelog topics associated with this subtopology. Created automatically.
    pub state_changelog_topics: Vec<TopicInfo>,
    /// The set of source topics that are internally created repartition topics. Created
    /// automatically.
    pub repartition_source_topics: Vec<TopicInfo>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The members.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Member {
    /// The member ID.
    pub member_id: String,
    /// The member epoch.
    pub member_epoch: i32,
    /// The member instance ID for static membership.
    #[kafka(nullable_versions = "0+")]
    pub instance_id: Option<String>,
    /// The rack ID.
    #[kafka(nullable_versions = "0+")]
    pub rack_id: Option<String>,
    /// The client ID.
    pub client_id: String,
    /// The client host.
    pub client_host: String,
    /// The epoch of the topology on the client.
    pub topology_epoch: i32,
    /// Identity of the streams instance that may have multiple clients.
    pub process_id: String,
    /// User-defined endpoint for Interactive Queries. Null if not defined for this client.
    #[kafka(nullable_versions = "0+")]
    pub user_endpoint: Option<Endpoint>,
    /// Used for rack-aware assignment algorithm.
    pub client_tags: Vec<KeyValue>,
    /// Cumulative changelog offsets for tasks.
    pub task_offsets: Vec<TaskOffset>,
    /// Cumulative changelog end offsets for tasks.
    pub task_end_offsets: Vec<TaskOffset>,
    /// The current assignment.
    pub assignment: Assignment,
    /// The target assignment.
    pub target_assignment: Assignment,
    /// True for classic members that have not been upgraded yet.
    pub is_classic: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// User-defined endpoint for Interactive Queries. Null if not defined for this client.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Endpoint {
    /// host of the endpoint
    pub host: String,
    /// port of the endpoint
    pub port: u16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Cumulative changelog offsets for tasks.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TaskOffset {
    /// The subtopology identifier.
    pub subtopology_id: String,
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current assignment.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Assignment {
    /// Active tasks for this client.
    pub active_tasks: Vec<TaskIds>,
    /// Standby tasks for this client.
    pub standby_tasks: Vec<TaskIds>,
    /// Warm-up tasks for this client.
    pub warmup_tasks: Vec<TaskIds>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Active tasks for this client.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TaskIds {
    /// The subtopology identifier.
    pub subtopology_id: String,
    /// The partitions of the input topics processed by this member.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Used for rack-aware assignment algorithm.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct KeyValue {
    /// key of the config
    pub key: String,
    /// value of the config
    pub value: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The set of state changelog topics associated with this subtopology. Created automatically.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicInfo {
    /// The name of the topic.
    pub name: String,
    /// The number of partitions in the topic. Can be 0 if no specific number of partitions is
    /// enforced. Always 0 for changelog topics.
    pub partitions: i32,
    /// The replication factor of the topic. Can be 0 if the default replication factor should be
    /// used.
    pub replication_factor: i16,
    /// Topic-level configurations as key-value pairs.
    pub topic_configs: Vec<KeyValue>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The full topology description for this group. Non-null if and only if TopologyDescriptionStatus
/// is AVAILABLE (3); null otherwise.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescription {
    /// The subtopologies that make up this topology.
    #[kafka(versions = "1+")]
    pub subtopologies: Vec<TopologyDescriptionSubtopology>,
    /// Global state stores used by this topology.
    #[kafka(versions = "1+")]
    pub global_stores: Vec<TopologyDescriptionGlobalStore>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The subtopologies that make up this topology.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescriptionSubtopology {
    /// The subtopology identifier, unique within the topology.
    #[kafka(versions = "1+")]
    pub subtopology_id: String,
    /// The processing nodes in this subtopology.
    #[kafka(versions = "1+")]
    pub nodes: Vec<TopologyDescriptionNode>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The processing nodes in this subtopology.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescriptionNode {
    /// The name of this node (e.g., KSTREAM-SOURCE-0000000000).
    #[kafka(versions = "1+")]
    pub name: String,
    /// The type of this node: 1=SOURCE, 2=PROCESSOR, 3=SINK.
    #[kafka(versions = "1+")]
    pub node_type: i8,
    /// The source topics this node reads from. Defined only for source nodes, may be empty if
    /// source topics are dynamically determined.
    #[kafka(versions = "1+")]
    pub source_topics: Vec<String>,
    /// The topic this node writes to. Defined only for sink nodes, may be null if sink topic is
    /// dynamically determined.
    #[kafka(versions = "1+", nullable_versions = "1+")]
    pub sink_topic: Option<String>,
    /// The state store names accessed by this node. Defined only for processor nodes.
    #[kafka(versions = "1+")]
    pub stores: Vec<String>,
    /// The names of successor nodes in the processing graph. Predecessor relationships are
    /// reconstructed from this field.
    #[kafka(versions = "1+")]
    pub successors: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Global state stores used by this topology.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopologyDescriptionGlobalStore {
    /// The source node providing data to the global store.
    #[kafka(versions = "1+")]
    pub source: TopologyDescriptionNode,
    /// The processor node that populates the global store.
    #[kafka(versions = "1+")]
    pub processor: TopologyDescriptionNode,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
