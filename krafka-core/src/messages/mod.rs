//! Every Kafka message krafka speaks: one module per broker API (its request, its response and
//! their nested structs), the request and response headers, and the `data` schemas.
//!
//! Top-level messages are re-exported here. Nested structs are reached through their module, e.g.
//! [`fetch::FetchTopic`], so that names from different APIs never collide.
//!
//! Generated from the message schemas of Apache Kafka 4.4.0 by
//! `cargo run -p xtask -- gen-messages <json-dir>` (`scripts/kafka-schemas.sh` fetches them);
//! change the generator, not this file.

pub mod add_offsets_to_txn;
pub mod add_partitions_to_txn;
pub mod add_raft_voter;
pub mod alter_client_quotas;
pub mod alter_configs;
pub mod alter_partition_reassignments;
pub mod alter_replica_log_dirs;
pub mod alter_share_group_offsets;
pub mod alter_user_scram_credentials;
pub mod api_versions;
pub mod consumer_group_describe;
pub mod consumer_group_heartbeat;
pub mod create_acls;
pub mod create_delegation_token;
pub mod create_partitions;
pub mod create_topics;
pub mod data;
pub mod delete_acls;
pub mod delete_groups;
pub mod delete_records;
pub mod delete_share_group_offsets;
pub mod delete_share_group_state;
pub mod delete_topics;
pub mod describe_acls;
pub mod describe_client_quotas;
pub mod describe_cluster;
pub mod describe_configs;
pub mod describe_delegation_token;
pub mod describe_groups;
pub mod describe_log_dirs;
pub mod describe_producers;
pub mod describe_quorum;
pub mod describe_share_group_offsets;
pub mod describe_topic_partitions;
pub mod describe_transactions;
pub mod describe_user_scram_credentials;
pub mod elect_leaders;
pub mod end_txn;
pub mod expire_delegation_token;
pub mod fetch;
pub mod find_coordinator;
pub mod get_telemetry_subscriptions;
pub mod header;
pub mod heartbeat;
pub mod incremental_alter_configs;
pub mod init_producer_id;
pub mod initialize_share_group_state;
pub mod join_group;
pub mod leave_group;
pub mod list_config_resources;
pub mod list_groups;
pub mod list_offsets;
pub mod list_partition_reassignments;
pub mod list_transactions;
pub mod metadata;
pub mod offset_commit;
pub mod offset_delete;
pub mod offset_fetch;
pub mod offset_for_leader_epoch;
pub mod produce;
pub mod push_telemetry;
pub mod read_share_group_state;
pub mod read_share_group_state_summary;
pub mod remove_raft_voter;
pub mod renew_delegation_token;
pub mod sasl_authenticate;
pub mod sasl_handshake;
pub mod share_acknowledge;
pub mod share_fetch;
pub mod share_group_describe;
pub mod share_group_heartbeat;
pub mod streams_group_describe;
pub mod streams_group_heartbeat;
pub mod streams_group_topology_description_update;
pub mod sync_group;
pub mod txn_offset_commit;
pub mod unregister_broker;
pub mod unregister_controller;
pub mod update_features;
pub mod write_share_group_state;
pub mod write_txn_markers;

pub use add_offsets_to_txn::{AddOffsetsToTxnRequest, AddOffsetsToTxnResponse};
pub use add_partitions_to_txn::{AddPartitionsToTxnRequest, AddPartitionsToTxnResponse};
pub use add_raft_voter::{AddRaftVoterRequest, AddRaftVoterResponse};
pub use alter_client_quotas::{AlterClientQuotasRequest, AlterClientQuotasResponse};
pub use alter_configs::{AlterConfigsRequest, AlterConfigsResponse};
pub use alter_partition_reassignments::{
    AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse,
};
pub use alter_replica_log_dirs::{AlterReplicaLogDirsRequest, AlterReplicaLogDirsResponse};
pub use alter_share_group_offsets::{
    AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse,
};
pub use alter_user_scram_credentials::{
    AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse,
};
pub use api_versions::{ApiVersionsRequest, ApiVersionsResponse};
pub use consumer_group_describe::{ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse};
pub use consumer_group_heartbeat::{ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse};
pub use create_acls::{CreateAclsRequest, CreateAclsResponse};
pub use create_delegation_token::{CreateDelegationTokenRequest, CreateDelegationTokenResponse};
pub use create_partitions::{CreatePartitionsRequest, CreatePartitionsResponse};
pub use create_topics::{CreateTopicsRequest, CreateTopicsResponse};
pub use data::{
    AbortedTxn, ConsumerProtocolAssignment, ConsumerProtocolSubscription, ControlRecordTypeSchema,
    DefaultPrincipalData, EndTxnMarker, KRaftVersionRecord, LeaderChangeMessage,
    SnapshotFooterRecord, SnapshotHeaderRecord, VotersRecord,
};
pub use delete_acls::{DeleteAclsRequest, DeleteAclsResponse};
pub use delete_groups::{DeleteGroupsRequest, DeleteGroupsResponse};
pub use delete_records::{DeleteRecordsRequest, DeleteRecordsResponse};
pub use delete_share_group_offsets::{
    DeleteShareGroupOffsetsRequest, DeleteShareGroupOffsetsResponse,
};
pub use delete_share_group_state::{DeleteShareGroupStateRequest, DeleteShareGroupStateResponse};
pub use delete_topics::{DeleteTopicsRequest, DeleteTopicsResponse};
pub use describe_acls::{DescribeAclsRequest, DescribeAclsResponse};
pub use describe_client_quotas::{DescribeClientQuotasRequest, DescribeClientQuotasResponse};
pub use describe_cluster::{DescribeClusterRequest, DescribeClusterResponse};
pub use describe_configs::{DescribeConfigsRequest, DescribeConfigsResponse};
pub use describe_delegation_token::{
    DescribeDelegationTokenRequest, DescribeDelegationTokenResponse,
};
pub use describe_groups::{DescribeGroupsRequest, DescribeGroupsResponse};
pub use describe_log_dirs::{DescribeLogDirsRequest, DescribeLogDirsResponse};
pub use describe_producers::{DescribeProducersRequest, DescribeProducersResponse};
pub use describe_quorum::{DescribeQuorumRequest, DescribeQuorumResponse};
pub use describe_share_group_offsets::{
    DescribeShareGroupOffsetsRequest, DescribeShareGroupOffsetsResponse,
};
pub use describe_topic_partitions::{
    DescribeTopicPartitionsRequest, DescribeTopicPartitionsResponse,
};
pub use describe_transactions::{DescribeTransactionsRequest, DescribeTransactionsResponse};
pub use describe_user_scram_credentials::{
    DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse,
};
pub use elect_leaders::{ElectLeadersRequest, ElectLeadersResponse};
pub use end_txn::{EndTxnRequest, EndTxnResponse};
pub use expire_delegation_token::{ExpireDelegationTokenRequest, ExpireDelegationTokenResponse};
pub use fetch::{FetchRequest, FetchResponse};
pub use find_coordinator::{FindCoordinatorRequest, FindCoordinatorResponse};
pub use get_telemetry_subscriptions::{
    GetTelemetrySubscriptionsRequest, GetTelemetrySubscriptionsResponse,
};
pub use header::{RequestHeader, ResponseHeader};
pub use heartbeat::{HeartbeatRequest, HeartbeatResponse};
pub use incremental_alter_configs::{
    IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse,
};
pub use init_producer_id::{InitProducerIdRequest, InitProducerIdResponse};
pub use initialize_share_group_state::{
    InitializeShareGroupStateRequest, InitializeShareGroupStateResponse,
};
pub use join_group::{JoinGroupRequest, JoinGroupResponse};
pub use leave_group::{LeaveGroupRequest, LeaveGroupResponse};
pub use list_config_resources::{ListConfigResourcesRequest, ListConfigResourcesResponse};
pub use list_groups::{ListGroupsRequest, ListGroupsResponse};
pub use list_offsets::{ListOffsetsRequest, ListOffsetsResponse};
pub use list_partition_reassignments::{
    ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse,
};
pub use list_transactions::{ListTransactionsRequest, ListTransactionsResponse};
pub use metadata::{MetadataRequest, MetadataResponse};
pub use offset_commit::{OffsetCommitRequest, OffsetCommitResponse};
pub use offset_delete::{OffsetDeleteRequest, OffsetDeleteResponse};
pub use offset_fetch::{OffsetFetchRequest, OffsetFetchResponse};
pub use offset_for_leader_epoch::{OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse};
pub use produce::{ProduceRequest, ProduceResponse};
pub use push_telemetry::{PushTelemetryRequest, PushTelemetryResponse};
pub use read_share_group_state::{ReadShareGroupStateRequest, ReadShareGroupStateResponse};
pub use read_share_group_state_summary::{
    ReadShareGroupStateSummaryRequest, ReadShareGroupStateSummaryResponse,
};
pub use remove_raft_voter::{RemoveRaftVoterRequest, RemoveRaftVoterResponse};
pub use renew_delegation_token::{RenewDelegationTokenRequest, RenewDelegationTokenResponse};
pub use sasl_authenticate::{SaslAuthenticateRequest, SaslAuthenticateResponse};
pub use sasl_handshake::{SaslHandshakeRequest, SaslHandshakeResponse};
pub use share_acknowledge::{ShareAcknowledgeRequest, ShareAcknowledgeResponse};
pub use share_fetch::{ShareFetchRequest, ShareFetchResponse};
pub use share_group_describe::{ShareGroupDescribeRequest, ShareGroupDescribeResponse};
pub use share_group_heartbeat::{ShareGroupHeartbeatRequest, ShareGroupHeartbeatResponse};
pub use streams_group_describe::{StreamsGroupDescribeRequest, StreamsGroupDescribeResponse};
pub use streams_group_heartbeat::{StreamsGroupHeartbeatRequest, StreamsGroupHeartbeatResponse};
pub use streams_group_topology_description_update::{
    StreamsGroupTopologyDescriptionUpdateRequest, StreamsGroupTopologyDescriptionUpdateResponse,
};
pub use sync_group::{SyncGroupRequest, SyncGroupResponse};
pub use txn_offset_commit::{TxnOffsetCommitRequest, TxnOffsetCommitResponse};
pub use unregister_broker::{UnregisterBrokerRequest, UnregisterBrokerResponse};
pub use unregister_controller::{UnregisterControllerRequest, UnregisterControllerResponse};
pub use update_features::{UpdateFeaturesRequest, UpdateFeaturesResponse};
pub use write_share_group_state::{WriteShareGroupStateRequest, WriteShareGroupStateResponse};
pub use write_txn_markers::{WriteTxnMarkersRequest, WriteTxnMarkersResponse};

#[cfg(feature = "catalogue")]
use crate::codec::CatalogueEntry;

/// Every top-level message above, type-erased, for code that walks them all
/// (the schema command, cross-checking tests). Behind the `catalogue` feature:
/// it instantiates every codec at once, which doubles krafka-core's build time.
#[cfg(feature = "catalogue")]
pub fn catalogue() -> Vec<CatalogueEntry> {
    vec![
        CatalogueEntry::of::<AddOffsetsToTxnRequest>(),
        CatalogueEntry::of::<AddOffsetsToTxnResponse>(),
        CatalogueEntry::of::<AddPartitionsToTxnRequest>(),
        CatalogueEntry::of::<AddPartitionsToTxnResponse>(),
        CatalogueEntry::of::<AddRaftVoterRequest>(),
        CatalogueEntry::of::<AddRaftVoterResponse>(),
        CatalogueEntry::of::<AlterClientQuotasRequest>(),
        CatalogueEntry::of::<AlterClientQuotasResponse>(),
        CatalogueEntry::of::<AlterConfigsRequest>(),
        CatalogueEntry::of::<AlterConfigsResponse>(),
        CatalogueEntry::of::<AlterPartitionReassignmentsRequest>(),
        CatalogueEntry::of::<AlterPartitionReassignmentsResponse>(),
        CatalogueEntry::of::<AlterReplicaLogDirsRequest>(),
        CatalogueEntry::of::<AlterReplicaLogDirsResponse>(),
        CatalogueEntry::of::<AlterShareGroupOffsetsRequest>(),
        CatalogueEntry::of::<AlterShareGroupOffsetsResponse>(),
        CatalogueEntry::of::<AlterUserScramCredentialsRequest>(),
        CatalogueEntry::of::<AlterUserScramCredentialsResponse>(),
        CatalogueEntry::of::<ApiVersionsRequest>(),
        CatalogueEntry::of::<ApiVersionsResponse>(),
        CatalogueEntry::of::<ConsumerGroupDescribeRequest>(),
        CatalogueEntry::of::<ConsumerGroupDescribeResponse>(),
        CatalogueEntry::of::<ConsumerGroupHeartbeatRequest>(),
        CatalogueEntry::of::<ConsumerGroupHeartbeatResponse>(),
        CatalogueEntry::of::<CreateAclsRequest>(),
        CatalogueEntry::of::<CreateAclsResponse>(),
        CatalogueEntry::of::<CreateDelegationTokenRequest>(),
        CatalogueEntry::of::<CreateDelegationTokenResponse>(),
        CatalogueEntry::of::<CreatePartitionsRequest>(),
        CatalogueEntry::of::<CreatePartitionsResponse>(),
        CatalogueEntry::of::<CreateTopicsRequest>(),
        CatalogueEntry::of::<CreateTopicsResponse>(),
        CatalogueEntry::of::<DeleteAclsRequest>(),
        CatalogueEntry::of::<DeleteAclsResponse>(),
        CatalogueEntry::of::<DeleteGroupsRequest>(),
        CatalogueEntry::of::<DeleteGroupsResponse>(),
        CatalogueEntry::of::<DeleteRecordsRequest>(),
        CatalogueEntry::of::<DeleteRecordsResponse>(),
        CatalogueEntry::of::<DeleteShareGroupOffsetsRequest>(),
        CatalogueEntry::of::<DeleteShareGroupOffsetsResponse>(),
        CatalogueEntry::of::<DeleteShareGroupStateRequest>(),
        CatalogueEntry::of::<DeleteShareGroupStateResponse>(),
        CatalogueEntry::of::<DeleteTopicsRequest>(),
        CatalogueEntry::of::<DeleteTopicsResponse>(),
        CatalogueEntry::of::<DescribeAclsRequest>(),
        CatalogueEntry::of::<DescribeAclsResponse>(),
        CatalogueEntry::of::<DescribeClientQuotasRequest>(),
        CatalogueEntry::of::<DescribeClientQuotasResponse>(),
        CatalogueEntry::of::<DescribeClusterRequest>(),
        CatalogueEntry::of::<DescribeClusterResponse>(),
        CatalogueEntry::of::<DescribeConfigsRequest>(),
        CatalogueEntry::of::<DescribeConfigsResponse>(),
        CatalogueEntry::of::<DescribeDelegationTokenRequest>(),
        CatalogueEntry::of::<DescribeDelegationTokenResponse>(),
        CatalogueEntry::of::<DescribeGroupsRequest>(),
        CatalogueEntry::of::<DescribeGroupsResponse>(),
        CatalogueEntry::of::<DescribeLogDirsRequest>(),
        CatalogueEntry::of::<DescribeLogDirsResponse>(),
        CatalogueEntry::of::<DescribeProducersRequest>(),
        CatalogueEntry::of::<DescribeProducersResponse>(),
        CatalogueEntry::of::<DescribeQuorumRequest>(),
        CatalogueEntry::of::<DescribeQuorumResponse>(),
        CatalogueEntry::of::<DescribeShareGroupOffsetsRequest>(),
        CatalogueEntry::of::<DescribeShareGroupOffsetsResponse>(),
        CatalogueEntry::of::<DescribeTopicPartitionsRequest>(),
        CatalogueEntry::of::<DescribeTopicPartitionsResponse>(),
        CatalogueEntry::of::<DescribeTransactionsRequest>(),
        CatalogueEntry::of::<DescribeTransactionsResponse>(),
        CatalogueEntry::of::<DescribeUserScramCredentialsRequest>(),
        CatalogueEntry::of::<DescribeUserScramCredentialsResponse>(),
        CatalogueEntry::of::<ElectLeadersRequest>(),
        CatalogueEntry::of::<ElectLeadersResponse>(),
        CatalogueEntry::of::<EndTxnRequest>(),
        CatalogueEntry::of::<EndTxnResponse>(),
        CatalogueEntry::of::<ExpireDelegationTokenRequest>(),
        CatalogueEntry::of::<ExpireDelegationTokenResponse>(),
        CatalogueEntry::of::<FetchRequest>(),
        CatalogueEntry::of::<FetchResponse>(),
        CatalogueEntry::of::<FindCoordinatorRequest>(),
        CatalogueEntry::of::<FindCoordinatorResponse>(),
        CatalogueEntry::of::<GetTelemetrySubscriptionsRequest>(),
        CatalogueEntry::of::<GetTelemetrySubscriptionsResponse>(),
        CatalogueEntry::of::<HeartbeatRequest>(),
        CatalogueEntry::of::<HeartbeatResponse>(),
        CatalogueEntry::of::<IncrementalAlterConfigsRequest>(),
        CatalogueEntry::of::<IncrementalAlterConfigsResponse>(),
        CatalogueEntry::of::<InitProducerIdRequest>(),
        CatalogueEntry::of::<InitProducerIdResponse>(),
        CatalogueEntry::of::<InitializeShareGroupStateRequest>(),
        CatalogueEntry::of::<InitializeShareGroupStateResponse>(),
        CatalogueEntry::of::<JoinGroupRequest>(),
        CatalogueEntry::of::<JoinGroupResponse>(),
        CatalogueEntry::of::<LeaveGroupRequest>(),
        CatalogueEntry::of::<LeaveGroupResponse>(),
        CatalogueEntry::of::<ListConfigResourcesRequest>(),
        CatalogueEntry::of::<ListConfigResourcesResponse>(),
        CatalogueEntry::of::<ListGroupsRequest>(),
        CatalogueEntry::of::<ListGroupsResponse>(),
        CatalogueEntry::of::<ListOffsetsRequest>(),
        CatalogueEntry::of::<ListOffsetsResponse>(),
        CatalogueEntry::of::<ListPartitionReassignmentsRequest>(),
        CatalogueEntry::of::<ListPartitionReassignmentsResponse>(),
        CatalogueEntry::of::<ListTransactionsRequest>(),
        CatalogueEntry::of::<ListTransactionsResponse>(),
        CatalogueEntry::of::<MetadataRequest>(),
        CatalogueEntry::of::<MetadataResponse>(),
        CatalogueEntry::of::<OffsetCommitRequest>(),
        CatalogueEntry::of::<OffsetCommitResponse>(),
        CatalogueEntry::of::<OffsetDeleteRequest>(),
        CatalogueEntry::of::<OffsetDeleteResponse>(),
        CatalogueEntry::of::<OffsetFetchRequest>(),
        CatalogueEntry::of::<OffsetFetchResponse>(),
        CatalogueEntry::of::<OffsetForLeaderEpochRequest>(),
        CatalogueEntry::of::<OffsetForLeaderEpochResponse>(),
        CatalogueEntry::of::<ProduceRequest>(),
        CatalogueEntry::of::<ProduceResponse>(),
        CatalogueEntry::of::<PushTelemetryRequest>(),
        CatalogueEntry::of::<PushTelemetryResponse>(),
        CatalogueEntry::of::<ReadShareGroupStateRequest>(),
        CatalogueEntry::of::<ReadShareGroupStateResponse>(),
        CatalogueEntry::of::<ReadShareGroupStateSummaryRequest>(),
        CatalogueEntry::of::<ReadShareGroupStateSummaryResponse>(),
        CatalogueEntry::of::<RemoveRaftVoterRequest>(),
        CatalogueEntry::of::<RemoveRaftVoterResponse>(),
        CatalogueEntry::of::<RenewDelegationTokenRequest>(),
        CatalogueEntry::of::<RenewDelegationTokenResponse>(),
        CatalogueEntry::of::<SaslAuthenticateRequest>(),
        CatalogueEntry::of::<SaslAuthenticateResponse>(),
        CatalogueEntry::of::<SaslHandshakeRequest>(),
        CatalogueEntry::of::<SaslHandshakeResponse>(),
        CatalogueEntry::of::<ShareAcknowledgeRequest>(),
        CatalogueEntry::of::<ShareAcknowledgeResponse>(),
        CatalogueEntry::of::<ShareFetchRequest>(),
        CatalogueEntry::of::<ShareFetchResponse>(),
        CatalogueEntry::of::<ShareGroupDescribeRequest>(),
        CatalogueEntry::of::<ShareGroupDescribeResponse>(),
        CatalogueEntry::of::<ShareGroupHeartbeatRequest>(),
        CatalogueEntry::of::<ShareGroupHeartbeatResponse>(),
        CatalogueEntry::of::<StreamsGroupDescribeRequest>(),
        CatalogueEntry::of::<StreamsGroupDescribeResponse>(),
        CatalogueEntry::of::<StreamsGroupHeartbeatRequest>(),
        CatalogueEntry::of::<StreamsGroupHeartbeatResponse>(),
        CatalogueEntry::of::<StreamsGroupTopologyDescriptionUpdateRequest>(),
        CatalogueEntry::of::<StreamsGroupTopologyDescriptionUpdateResponse>(),
        CatalogueEntry::of::<SyncGroupRequest>(),
        CatalogueEntry::of::<SyncGroupResponse>(),
        CatalogueEntry::of::<TxnOffsetCommitRequest>(),
        CatalogueEntry::of::<TxnOffsetCommitResponse>(),
        CatalogueEntry::of::<UnregisterBrokerRequest>(),
        CatalogueEntry::of::<UnregisterBrokerResponse>(),
        CatalogueEntry::of::<UnregisterControllerRequest>(),
        CatalogueEntry::of::<UnregisterControllerResponse>(),
        CatalogueEntry::of::<UpdateFeaturesRequest>(),
        CatalogueEntry::of::<UpdateFeaturesResponse>(),
        CatalogueEntry::of::<WriteShareGroupStateRequest>(),
        CatalogueEntry::of::<WriteShareGroupStateResponse>(),
        CatalogueEntry::of::<WriteTxnMarkersRequest>(),
        CatalogueEntry::of::<WriteTxnMarkersResponse>(),
        CatalogueEntry::of::<RequestHeader>(),
        CatalogueEntry::of::<ResponseHeader>(),
        CatalogueEntry::of::<AbortedTxn>(),
        CatalogueEntry::of::<ConsumerProtocolAssignment>(),
        CatalogueEntry::of::<ConsumerProtocolSubscription>(),
        CatalogueEntry::of::<ControlRecordTypeSchema>(),
        CatalogueEntry::of::<DefaultPrincipalData>(),
        CatalogueEntry::of::<EndTxnMarker>(),
        CatalogueEntry::of::<KRaftVersionRecord>(),
        CatalogueEntry::of::<LeaderChangeMessage>(),
        CatalogueEntry::of::<SnapshotFooterRecord>(),
        CatalogueEntry::of::<SnapshotHeaderRecord>(),
        CatalogueEntry::of::<VotersRecord>(),
    ]
}
