//! The versions krafka speaks, per broker API of Apache Kafka 4.4.0: `<API>_MIN` is the oldest and
//! `<API>_MAX` the newest stable version, and [`supported`] maps an [`ApiKey`] to both (`None` for
//! APIs that only KRaft controllers serve, or that Kafka removed).
//!
//! The constants are the request messages' own [`Message::VERSIONS`], so the table and the codec
//! cannot disagree; the derive checks that each response has the versions of its request.
//!
//! Brokers still *advertise* Produce versions from 0 in their ApiVersions response (a workaround
//! for old librdkafka clients, KAFKA-18659), but since Kafka 4.0 they reject versions 0-2, which
//! are gone from the schemas: krafka never goes below [`PRODUCE_MIN`] = 3.
//!
//! Kafka marks the newest version of some APIs unstable (InitProducerId 6); with the
//! `unstable-versions` feature the messages, and so the `_MAX` constants, include it.
//!
//! Generated from the message schemas of Apache Kafka 4.4.0 by
//! `cargo run -p xtask -- gen-messages <json-dir>` (`scripts/kafka-schemas.sh` fetches them);
//! change the generator, not this file.

use crate::ApiKey;
use crate::codec::Message;
use crate::messages;

/// The version whose layout a broker answers an ApiVersions request in when it
/// does not speak that request's version (KIP-511): v0, which every broker reads and
/// writes, so that the client learns which versions to retry with.
pub const API_VERSIONS_FALLBACK: i16 = 0;

/// Produce: the oldest version krafka speaks.
pub const PRODUCE_MIN: i16 = messages::ProduceRequest::VERSIONS.min;
/// Produce: the newest version krafka speaks.
pub const PRODUCE_MAX: i16 = messages::ProduceRequest::VERSIONS.max;

/// Fetch: the oldest version krafka speaks.
pub const FETCH_MIN: i16 = messages::FetchRequest::VERSIONS.min;
/// Fetch: the newest version krafka speaks.
pub const FETCH_MAX: i16 = messages::FetchRequest::VERSIONS.max;

/// ListOffsets: the oldest version krafka speaks.
pub const LIST_OFFSETS_MIN: i16 = messages::ListOffsetsRequest::VERSIONS.min;
/// ListOffsets: the newest version krafka speaks.
pub const LIST_OFFSETS_MAX: i16 = messages::ListOffsetsRequest::VERSIONS.max;

/// Metadata: the oldest version krafka speaks.
pub const METADATA_MIN: i16 = messages::MetadataRequest::VERSIONS.min;
/// Metadata: the newest version krafka speaks.
pub const METADATA_MAX: i16 = messages::MetadataRequest::VERSIONS.max;

/// OffsetCommit: the oldest version krafka speaks.
pub const OFFSET_COMMIT_MIN: i16 = messages::OffsetCommitRequest::VERSIONS.min;
/// OffsetCommit: the newest version krafka speaks.
pub const OFFSET_COMMIT_MAX: i16 = messages::OffsetCommitRequest::VERSIONS.max;

/// OffsetFetch: the oldest version krafka speaks.
pub const OFFSET_FETCH_MIN: i16 = messages::OffsetFetchRequest::VERSIONS.min;
/// OffsetFetch: the newest version krafka speaks.
pub const OFFSET_FETCH_MAX: i16 = messages::OffsetFetchRequest::VERSIONS.max;

/// FindCoordinator: the oldest version krafka speaks.
pub const FIND_COORDINATOR_MIN: i16 = messages::FindCoordinatorRequest::VERSIONS.min;
/// FindCoordinator: the newest version krafka speaks.
pub const FIND_COORDINATOR_MAX: i16 = messages::FindCoordinatorRequest::VERSIONS.max;

/// JoinGroup: the oldest version krafka speaks.
pub const JOIN_GROUP_MIN: i16 = messages::JoinGroupRequest::VERSIONS.min;
/// JoinGroup: the newest version krafka speaks.
pub const JOIN_GROUP_MAX: i16 = messages::JoinGroupRequest::VERSIONS.max;

/// Heartbeat: the oldest version krafka speaks.
pub const HEARTBEAT_MIN: i16 = messages::HeartbeatRequest::VERSIONS.min;
/// Heartbeat: the newest version krafka speaks.
pub const HEARTBEAT_MAX: i16 = messages::HeartbeatRequest::VERSIONS.max;

/// LeaveGroup: the oldest version krafka speaks.
pub const LEAVE_GROUP_MIN: i16 = messages::LeaveGroupRequest::VERSIONS.min;
/// LeaveGroup: the newest version krafka speaks.
pub const LEAVE_GROUP_MAX: i16 = messages::LeaveGroupRequest::VERSIONS.max;

/// SyncGroup: the oldest version krafka speaks.
pub const SYNC_GROUP_MIN: i16 = messages::SyncGroupRequest::VERSIONS.min;
/// SyncGroup: the newest version krafka speaks.
pub const SYNC_GROUP_MAX: i16 = messages::SyncGroupRequest::VERSIONS.max;

/// DescribeGroups: the oldest version krafka speaks.
pub const DESCRIBE_GROUPS_MIN: i16 = messages::DescribeGroupsRequest::VERSIONS.min;
/// DescribeGroups: the newest version krafka speaks.
pub const DESCRIBE_GROUPS_MAX: i16 = messages::DescribeGroupsRequest::VERSIONS.max;

/// ListGroups: the oldest version krafka speaks.
pub const LIST_GROUPS_MIN: i16 = messages::ListGroupsRequest::VERSIONS.min;
/// ListGroups: the newest version krafka speaks.
pub const LIST_GROUPS_MAX: i16 = messages::ListGroupsRequest::VERSIONS.max;

/// SaslHandshake: the oldest version krafka speaks.
pub const SASL_HANDSHAKE_MIN: i16 = messages::SaslHandshakeRequest::VERSIONS.min;
/// SaslHandshake: the newest version krafka speaks.
pub const SASL_HANDSHAKE_MAX: i16 = messages::SaslHandshakeRequest::VERSIONS.max;

/// ApiVersions: the oldest version krafka speaks.
pub const API_VERSIONS_MIN: i16 = messages::ApiVersionsRequest::VERSIONS.min;
/// ApiVersions: the newest version krafka speaks.
pub const API_VERSIONS_MAX: i16 = messages::ApiVersionsRequest::VERSIONS.max;

/// CreateTopics: the oldest version krafka speaks.
pub const CREATE_TOPICS_MIN: i16 = messages::CreateTopicsRequest::VERSIONS.min;
/// CreateTopics: the newest version krafka speaks.
pub const CREATE_TOPICS_MAX: i16 = messages::CreateTopicsRequest::VERSIONS.max;

/// DeleteTopics: the oldest version krafka speaks.
pub const DELETE_TOPICS_MIN: i16 = messages::DeleteTopicsRequest::VERSIONS.min;
/// DeleteTopics: the newest version krafka speaks.
pub const DELETE_TOPICS_MAX: i16 = messages::DeleteTopicsRequest::VERSIONS.max;

/// DeleteRecords: the oldest version krafka speaks.
pub const DELETE_RECORDS_MIN: i16 = messages::DeleteRecordsRequest::VERSIONS.min;
/// DeleteRecords: the newest version krafka speaks.
pub const DELETE_RECORDS_MAX: i16 = messages::DeleteRecordsRequest::VERSIONS.max;

/// InitProducerId: the oldest version krafka speaks.
pub const INIT_PRODUCER_ID_MIN: i16 = messages::InitProducerIdRequest::VERSIONS.min;
/// InitProducerId: the newest version krafka speaks: 5, or 6 (unstable) with the
/// `unstable-versions` feature.
pub const INIT_PRODUCER_ID_MAX: i16 = messages::InitProducerIdRequest::VERSIONS.max;

/// OffsetForLeaderEpoch: the oldest version krafka speaks.
pub const OFFSET_FOR_LEADER_EPOCH_MIN: i16 = messages::OffsetForLeaderEpochRequest::VERSIONS.min;
/// OffsetForLeaderEpoch: the newest version krafka speaks.
pub const OFFSET_FOR_LEADER_EPOCH_MAX: i16 = messages::OffsetForLeaderEpochRequest::VERSIONS.max;

/// AddPartitionsToTxn: the oldest version krafka speaks.
pub const ADD_PARTITIONS_TO_TXN_MIN: i16 = messages::AddPartitionsToTxnRequest::VERSIONS.min;
/// AddPartitionsToTxn: the newest version krafka speaks.
pub const ADD_PARTITIONS_TO_TXN_MAX: i16 = messages::AddPartitionsToTxnRequest::VERSIONS.max;

/// AddOffsetsToTxn: the oldest version krafka speaks.
pub const ADD_OFFSETS_TO_TXN_MIN: i16 = messages::AddOffsetsToTxnRequest::VERSIONS.min;
/// AddOffsetsToTxn: the newest version krafka speaks.
pub const ADD_OFFSETS_TO_TXN_MAX: i16 = messages::AddOffsetsToTxnRequest::VERSIONS.max;

/// EndTxn: the oldest version krafka speaks.
pub const END_TXN_MIN: i16 = messages::EndTxnRequest::VERSIONS.min;
/// EndTxn: the newest version krafka speaks.
pub const END_TXN_MAX: i16 = messages::EndTxnRequest::VERSIONS.max;

/// WriteTxnMarkers: the oldest version krafka speaks.
pub const WRITE_TXN_MARKERS_MIN: i16 = messages::WriteTxnMarkersRequest::VERSIONS.min;
/// WriteTxnMarkers: the newest version krafka speaks.
pub const WRITE_TXN_MARKERS_MAX: i16 = messages::WriteTxnMarkersRequest::VERSIONS.max;

/// TxnOffsetCommit: the oldest version krafka speaks.
pub const TXN_OFFSET_COMMIT_MIN: i16 = messages::TxnOffsetCommitRequest::VERSIONS.min;
/// TxnOffsetCommit: the newest version krafka speaks.
pub const TXN_OFFSET_COMMIT_MAX: i16 = messages::TxnOffsetCommitRequest::VERSIONS.max;

/// DescribeAcls: the oldest version krafka speaks.
pub const DESCRIBE_ACLS_MIN: i16 = messages::DescribeAclsRequest::VERSIONS.min;
/// DescribeAcls: the newest version krafka speaks.
pub const DESCRIBE_ACLS_MAX: i16 = messages::DescribeAclsRequest::VERSIONS.max;

/// CreateAcls: the oldest version krafka speaks.
pub const CREATE_ACLS_MIN: i16 = messages::CreateAclsRequest::VERSIONS.min;
/// CreateAcls: the newest version krafka speaks.
pub const CREATE_ACLS_MAX: i16 = messages::CreateAclsRequest::VERSIONS.max;

/// DeleteAcls: the oldest version krafka speaks.
pub const DELETE_ACLS_MIN: i16 = messages::DeleteAclsRequest::VERSIONS.min;
/// DeleteAcls: the newest version krafka speaks.
pub const DELETE_ACLS_MAX: i16 = messages::DeleteAclsRequest::VERSIONS.max;

/// DescribeConfigs: the oldest version krafka speaks.
pub const DESCRIBE_CONFIGS_MIN: i16 = messages::DescribeConfigsRequest::VERSIONS.min;
/// DescribeConfigs: the newest version krafka speaks.
pub const DESCRIBE_CONFIGS_MAX: i16 = messages::DescribeConfigsRequest::VERSIONS.max;

/// AlterConfigs: the oldest version krafka speaks.
pub const ALTER_CONFIGS_MIN: i16 = messages::AlterConfigsRequest::VERSIONS.min;
/// AlterConfigs: the newest version krafka speaks.
pub const ALTER_CONFIGS_MAX: i16 = messages::AlterConfigsRequest::VERSIONS.max;

/// AlterReplicaLogDirs: the oldest version krafka speaks.
pub const ALTER_REPLICA_LOG_DIRS_MIN: i16 = messages::AlterReplicaLogDirsRequest::VERSIONS.min;
/// AlterReplicaLogDirs: the newest version krafka speaks.
pub const ALTER_REPLICA_LOG_DIRS_MAX: i16 = messages::AlterReplicaLogDirsRequest::VERSIONS.max;

/// DescribeLogDirs: the oldest version krafka speaks.
pub const DESCRIBE_LOG_DIRS_MIN: i16 = messages::DescribeLogDirsRequest::VERSIONS.min;
/// DescribeLogDirs: the newest version krafka speaks.
pub const DESCRIBE_LOG_DIRS_MAX: i16 = messages::DescribeLogDirsRequest::VERSIONS.max;

/// SaslAuthenticate: the oldest version krafka speaks.
pub const SASL_AUTHENTICATE_MIN: i16 = messages::SaslAuthenticateRequest::VERSIONS.min;
/// SaslAuthenticate: the newest version krafka speaks.
pub const SASL_AUTHENTICATE_MAX: i16 = messages::SaslAuthenticateRequest::VERSIONS.max;

/// CreatePartitions: the oldest version krafka speaks.
pub const CREATE_PARTITIONS_MIN: i16 = messages::CreatePartitionsRequest::VERSIONS.min;
/// CreatePartitions: the newest version krafka speaks.
pub const CREATE_PARTITIONS_MAX: i16 = messages::CreatePartitionsRequest::VERSIONS.max;

/// CreateDelegationToken: the oldest version krafka speaks.
pub const CREATE_DELEGATION_TOKEN_MIN: i16 = messages::CreateDelegationTokenRequest::VERSIONS.min;
/// CreateDelegationToken: the newest version krafka speaks.
pub const CREATE_DELEGATION_TOKEN_MAX: i16 = messages::CreateDelegationTokenRequest::VERSIONS.max;

/// RenewDelegationToken: the oldest version krafka speaks.
pub const RENEW_DELEGATION_TOKEN_MIN: i16 = messages::RenewDelegationTokenRequest::VERSIONS.min;
/// RenewDelegationToken: the newest version krafka speaks.
pub const RENEW_DELEGATION_TOKEN_MAX: i16 = messages::RenewDelegationTokenRequest::VERSIONS.max;

/// ExpireDelegationToken: the oldest version krafka speaks.
pub const EXPIRE_DELEGATION_TOKEN_MIN: i16 = messages::ExpireDelegationTokenRequest::VERSIONS.min;
/// ExpireDelegationToken: the newest version krafka speaks.
pub const EXPIRE_DELEGATION_TOKEN_MAX: i16 = messages::ExpireDelegationTokenRequest::VERSIONS.max;

/// DescribeDelegationToken: the oldest version krafka speaks.
pub const DESCRIBE_DELEGATION_TOKEN_MIN: i16 =
    messages::DescribeDelegationTokenRequest::VERSIONS.min;
/// DescribeDelegationToken: the newest version krafka speaks.
pub const DESCRIBE_DELEGATION_TOKEN_MAX: i16 =
    messages::DescribeDelegationTokenRequest::VERSIONS.max;

/// DeleteGroups: the oldest version krafka speaks.
pub const DELETE_GROUPS_MIN: i16 = messages::DeleteGroupsRequest::VERSIONS.min;
/// DeleteGroups: the newest version krafka speaks.
pub const DELETE_GROUPS_MAX: i16 = messages::DeleteGroupsRequest::VERSIONS.max;

/// ElectLeaders: the oldest version krafka speaks.
pub const ELECT_LEADERS_MIN: i16 = messages::ElectLeadersRequest::VERSIONS.min;
/// ElectLeaders: the newest version krafka speaks.
pub const ELECT_LEADERS_MAX: i16 = messages::ElectLeadersRequest::VERSIONS.max;

/// IncrementalAlterConfigs: the oldest version krafka speaks.
pub const INCREMENTAL_ALTER_CONFIGS_MIN: i16 =
    messages::IncrementalAlterConfigsRequest::VERSIONS.min;
/// IncrementalAlterConfigs: the newest version krafka speaks.
pub const INCREMENTAL_ALTER_CONFIGS_MAX: i16 =
    messages::IncrementalAlterConfigsRequest::VERSIONS.max;

/// AlterPartitionReassignments: the oldest version krafka speaks.
pub const ALTER_PARTITION_REASSIGNMENTS_MIN: i16 =
    messages::AlterPartitionReassignmentsRequest::VERSIONS.min;
/// AlterPartitionReassignments: the newest version krafka speaks.
pub const ALTER_PARTITION_REASSIGNMENTS_MAX: i16 =
    messages::AlterPartitionReassignmentsRequest::VERSIONS.max;

/// ListPartitionReassignments: the oldest version krafka speaks.
pub const LIST_PARTITION_REASSIGNMENTS_MIN: i16 =
    messages::ListPartitionReassignmentsRequest::VERSIONS.min;
/// ListPartitionReassignments: the newest version krafka speaks.
pub const LIST_PARTITION_REASSIGNMENTS_MAX: i16 =
    messages::ListPartitionReassignmentsRequest::VERSIONS.max;

/// OffsetDelete: the oldest version krafka speaks.
pub const OFFSET_DELETE_MIN: i16 = messages::OffsetDeleteRequest::VERSIONS.min;
/// OffsetDelete: the newest version krafka speaks.
pub const OFFSET_DELETE_MAX: i16 = messages::OffsetDeleteRequest::VERSIONS.max;

/// DescribeClientQuotas: the oldest version krafka speaks.
pub const DESCRIBE_CLIENT_QUOTAS_MIN: i16 = messages::DescribeClientQuotasRequest::VERSIONS.min;
/// DescribeClientQuotas: the newest version krafka speaks.
pub const DESCRIBE_CLIENT_QUOTAS_MAX: i16 = messages::DescribeClientQuotasRequest::VERSIONS.max;

/// AlterClientQuotas: the oldest version krafka speaks.
pub const ALTER_CLIENT_QUOTAS_MIN: i16 = messages::AlterClientQuotasRequest::VERSIONS.min;
/// AlterClientQuotas: the newest version krafka speaks.
pub const ALTER_CLIENT_QUOTAS_MAX: i16 = messages::AlterClientQuotasRequest::VERSIONS.max;

/// DescribeUserScramCredentials: the oldest version krafka speaks.
pub const DESCRIBE_USER_SCRAM_CREDENTIALS_MIN: i16 =
    messages::DescribeUserScramCredentialsRequest::VERSIONS.min;
/// DescribeUserScramCredentials: the newest version krafka speaks.
pub const DESCRIBE_USER_SCRAM_CREDENTIALS_MAX: i16 =
    messages::DescribeUserScramCredentialsRequest::VERSIONS.max;

/// AlterUserScramCredentials: the oldest version krafka speaks.
pub const ALTER_USER_SCRAM_CREDENTIALS_MIN: i16 =
    messages::AlterUserScramCredentialsRequest::VERSIONS.min;
/// AlterUserScramCredentials: the newest version krafka speaks.
pub const ALTER_USER_SCRAM_CREDENTIALS_MAX: i16 =
    messages::AlterUserScramCredentialsRequest::VERSIONS.max;

/// DescribeQuorum: the oldest version krafka speaks.
pub const DESCRIBE_QUORUM_MIN: i16 = messages::DescribeQuorumRequest::VERSIONS.min;
/// DescribeQuorum: the newest version krafka speaks.
pub const DESCRIBE_QUORUM_MAX: i16 = messages::DescribeQuorumRequest::VERSIONS.max;

/// UpdateFeatures: the oldest version krafka speaks.
pub const UPDATE_FEATURES_MIN: i16 = messages::UpdateFeaturesRequest::VERSIONS.min;
/// UpdateFeatures: the newest version krafka speaks.
pub const UPDATE_FEATURES_MAX: i16 = messages::UpdateFeaturesRequest::VERSIONS.max;

/// DescribeCluster: the oldest version krafka speaks.
pub const DESCRIBE_CLUSTER_MIN: i16 = messages::DescribeClusterRequest::VERSIONS.min;
/// DescribeCluster: the newest version krafka speaks.
pub const DESCRIBE_CLUSTER_MAX: i16 = messages::DescribeClusterRequest::VERSIONS.max;

/// DescribeProducers: the oldest version krafka speaks.
pub const DESCRIBE_PRODUCERS_MIN: i16 = messages::DescribeProducersRequest::VERSIONS.min;
/// DescribeProducers: the newest version krafka speaks.
pub const DESCRIBE_PRODUCERS_MAX: i16 = messages::DescribeProducersRequest::VERSIONS.max;

/// UnregisterBroker: the oldest version krafka speaks.
pub const UNREGISTER_BROKER_MIN: i16 = messages::UnregisterBrokerRequest::VERSIONS.min;
/// UnregisterBroker: the newest version krafka speaks.
pub const UNREGISTER_BROKER_MAX: i16 = messages::UnregisterBrokerRequest::VERSIONS.max;

/// DescribeTransactions: the oldest version krafka speaks.
pub const DESCRIBE_TRANSACTIONS_MIN: i16 = messages::DescribeTransactionsRequest::VERSIONS.min;
/// DescribeTransactions: the newest version krafka speaks.
pub const DESCRIBE_TRANSACTIONS_MAX: i16 = messages::DescribeTransactionsRequest::VERSIONS.max;

/// ListTransactions: the oldest version krafka speaks.
pub const LIST_TRANSACTIONS_MIN: i16 = messages::ListTransactionsRequest::VERSIONS.min;
/// ListTransactions: the newest version krafka speaks.
pub const LIST_TRANSACTIONS_MAX: i16 = messages::ListTransactionsRequest::VERSIONS.max;

/// ConsumerGroupHeartbeat: the oldest version krafka speaks.
pub const CONSUMER_GROUP_HEARTBEAT_MIN: i16 = messages::ConsumerGroupHeartbeatRequest::VERSIONS.min;
/// ConsumerGroupHeartbeat: the newest version krafka speaks.
pub const CONSUMER_GROUP_HEARTBEAT_MAX: i16 = messages::ConsumerGroupHeartbeatRequest::VERSIONS.max;

/// ConsumerGroupDescribe: the oldest version krafka speaks.
pub const CONSUMER_GROUP_DESCRIBE_MIN: i16 = messages::ConsumerGroupDescribeRequest::VERSIONS.min;
/// ConsumerGroupDescribe: the newest version krafka speaks.
pub const CONSUMER_GROUP_DESCRIBE_MAX: i16 = messages::ConsumerGroupDescribeRequest::VERSIONS.max;

/// GetTelemetrySubscriptions: the oldest version krafka speaks.
pub const GET_TELEMETRY_SUBSCRIPTIONS_MIN: i16 =
    messages::GetTelemetrySubscriptionsRequest::VERSIONS.min;
/// GetTelemetrySubscriptions: the newest version krafka speaks.
pub const GET_TELEMETRY_SUBSCRIPTIONS_MAX: i16 =
    messages::GetTelemetrySubscriptionsRequest::VERSIONS.max;

/// PushTelemetry: the oldest version krafka speaks.
pub const PUSH_TELEMETRY_MIN: i16 = messages::PushTelemetryRequest::VERSIONS.min;
/// PushTelemetry: the newest version krafka speaks.
pub const PUSH_TELEMETRY_MAX: i16 = messages::PushTelemetryRequest::VERSIONS.max;

/// ListConfigResources: the oldest version krafka speaks.
pub const LIST_CONFIG_RESOURCES_MIN: i16 = messages::ListConfigResourcesRequest::VERSIONS.min;
/// ListConfigResources: the newest version krafka speaks.
pub const LIST_CONFIG_RESOURCES_MAX: i16 = messages::ListConfigResourcesRequest::VERSIONS.max;

/// DescribeTopicPartitions: the oldest version krafka speaks.
pub const DESCRIBE_TOPIC_PARTITIONS_MIN: i16 =
    messages::DescribeTopicPartitionsRequest::VERSIONS.min;
/// DescribeTopicPartitions: the newest version krafka speaks.
pub const DESCRIBE_TOPIC_PARTITIONS_MAX: i16 =
    messages::DescribeTopicPartitionsRequest::VERSIONS.max;

/// ShareGroupHeartbeat: the oldest version krafka speaks.
pub const SHARE_GROUP_HEARTBEAT_MIN: i16 = messages::ShareGroupHeartbeatRequest::VERSIONS.min;
/// ShareGroupHeartbeat: the newest version krafka speaks.
pub const SHARE_GROUP_HEARTBEAT_MAX: i16 = messages::ShareGroupHeartbeatRequest::VERSIONS.max;

/// ShareGroupDescribe: the oldest version krafka speaks.
pub const SHARE_GROUP_DESCRIBE_MIN: i16 = messages::ShareGroupDescribeRequest::VERSIONS.min;
/// ShareGroupDescribe: the newest version krafka speaks.
pub const SHARE_GROUP_DESCRIBE_MAX: i16 = messages::ShareGroupDescribeRequest::VERSIONS.max;

/// ShareFetch: the oldest version krafka speaks.
pub const SHARE_FETCH_MIN: i16 = messages::ShareFetchRequest::VERSIONS.min;
/// ShareFetch: the newest version krafka speaks.
pub const SHARE_FETCH_MAX: i16 = messages::ShareFetchRequest::VERSIONS.max;

/// ShareAcknowledge: the oldest version krafka speaks.
pub const SHARE_ACKNOWLEDGE_MIN: i16 = messages::ShareAcknowledgeRequest::VERSIONS.min;
/// ShareAcknowledge: the newest version krafka speaks.
pub const SHARE_ACKNOWLEDGE_MAX: i16 = messages::ShareAcknowledgeRequest::VERSIONS.max;

/// AddRaftVoter: the oldest version krafka speaks.
pub const ADD_RAFT_VOTER_MIN: i16 = messages::AddRaftVoterRequest::VERSIONS.min;
/// AddRaftVoter: the newest version krafka speaks.
pub const ADD_RAFT_VOTER_MAX: i16 = messages::AddRaftVoterRequest::VERSIONS.max;

/// RemoveRaftVoter: the oldest version krafka speaks.
pub const REMOVE_RAFT_VOTER_MIN: i16 = messages::RemoveRaftVoterRequest::VERSIONS.min;
/// RemoveRaftVoter: the newest version krafka speaks.
pub const REMOVE_RAFT_VOTER_MAX: i16 = messages::RemoveRaftVoterRequest::VERSIONS.max;

/// InitializeShareGroupState: the oldest version krafka speaks.
pub const INITIALIZE_SHARE_GROUP_STATE_MIN: i16 =
    messages::InitializeShareGroupStateRequest::VERSIONS.min;
/// InitializeShareGroupState: the newest version krafka speaks.
pub const INITIALIZE_SHARE_GROUP_STATE_MAX: i16 =
    messages::InitializeShareGroupStateRequest::VERSIONS.max;

/// ReadShareGroupState: the oldest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_MIN: i16 = messages::ReadShareGroupStateRequest::VERSIONS.min;
/// ReadShareGroupState: the newest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_MAX: i16 = messages::ReadShareGroupStateRequest::VERSIONS.max;

/// WriteShareGroupState: the oldest version krafka speaks.
pub const WRITE_SHARE_GROUP_STATE_MIN: i16 = messages::WriteShareGroupStateRequest::VERSIONS.min;
/// WriteShareGroupState: the newest version krafka speaks.
pub const WRITE_SHARE_GROUP_STATE_MAX: i16 = messages::WriteShareGroupStateRequest::VERSIONS.max;

/// DeleteShareGroupState: the oldest version krafka speaks.
pub const DELETE_SHARE_GROUP_STATE_MIN: i16 = messages::DeleteShareGroupStateRequest::VERSIONS.min;
/// DeleteShareGroupState: the newest version krafka speaks.
pub const DELETE_SHARE_GROUP_STATE_MAX: i16 = messages::DeleteShareGroupStateRequest::VERSIONS.max;

/// ReadShareGroupStateSummary: the oldest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_SUMMARY_MIN: i16 =
    messages::ReadShareGroupStateSummaryRequest::VERSIONS.min;
/// ReadShareGroupStateSummary: the newest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_SUMMARY_MAX: i16 =
    messages::ReadShareGroupStateSummaryRequest::VERSIONS.max;

/// StreamsGroupHeartbeat: the oldest version krafka speaks.
pub const STREAMS_GROUP_HEARTBEAT_MIN: i16 = messages::StreamsGroupHeartbeatRequest::VERSIONS.min;
/// StreamsGroupHeartbeat: the newest version krafka speaks.
pub const STREAMS_GROUP_HEARTBEAT_MAX: i16 = messages::StreamsGroupHeartbeatRequest::VERSIONS.max;

/// StreamsGroupDescribe: the oldest version krafka speaks.
pub const STREAMS_GROUP_DESCRIBE_MIN: i16 = messages::StreamsGroupDescribeRequest::VERSIONS.min;
/// StreamsGroupDescribe: the newest version krafka speaks.
pub const STREAMS_GROUP_DESCRIBE_MAX: i16 = messages::StreamsGroupDescribeRequest::VERSIONS.max;

/// DescribeShareGroupOffsets: the oldest version krafka speaks.
pub const DESCRIBE_SHARE_GROUP_OFFSETS_MIN: i16 =
    messages::DescribeShareGroupOffsetsRequest::VERSIONS.min;
/// DescribeShareGroupOffsets: the newest version krafka speaks.
pub const DESCRIBE_SHARE_GROUP_OFFSETS_MAX: i16 =
    messages::DescribeShareGroupOffsetsRequest::VERSIONS.max;

/// AlterShareGroupOffsets: the oldest version krafka speaks.
pub const ALTER_SHARE_GROUP_OFFSETS_MIN: i16 =
    messages::AlterShareGroupOffsetsRequest::VERSIONS.min;
/// AlterShareGroupOffsets: the newest version krafka speaks.
pub const ALTER_SHARE_GROUP_OFFSETS_MAX: i16 =
    messages::AlterShareGroupOffsetsRequest::VERSIONS.max;

/// DeleteShareGroupOffsets: the oldest version krafka speaks.
pub const DELETE_SHARE_GROUP_OFFSETS_MIN: i16 =
    messages::DeleteShareGroupOffsetsRequest::VERSIONS.min;
/// DeleteShareGroupOffsets: the newest version krafka speaks.
pub const DELETE_SHARE_GROUP_OFFSETS_MAX: i16 =
    messages::DeleteShareGroupOffsetsRequest::VERSIONS.max;

/// StreamsGroupTopologyDescriptionUpdate: the oldest version krafka speaks.
pub const STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE_MIN: i16 =
    messages::StreamsGroupTopologyDescriptionUpdateRequest::VERSIONS.min;
/// StreamsGroupTopologyDescriptionUpdate: the newest version krafka speaks.
pub const STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE_MAX: i16 =
    messages::StreamsGroupTopologyDescriptionUpdateRequest::VERSIONS.max;

/// UnregisterController: the oldest version krafka speaks.
pub const UNREGISTER_CONTROLLER_MIN: i16 = messages::UnregisterControllerRequest::VERSIONS.min;
/// UnregisterController: the newest version krafka speaks.
pub const UNREGISTER_CONTROLLER_MAX: i16 = messages::UnregisterControllerRequest::VERSIONS.max;

/// The versions krafka speaks of `api`, as `(min, max)`; `None` when krafka does not
/// speak it (controller-only and removed APIs).
pub const fn supported(api: ApiKey) -> Option<(i16, i16)> {
    match api {
        ApiKey::Produce => Some((PRODUCE_MIN, PRODUCE_MAX)),
        ApiKey::Fetch => Some((FETCH_MIN, FETCH_MAX)),
        ApiKey::ListOffsets => Some((LIST_OFFSETS_MIN, LIST_OFFSETS_MAX)),
        ApiKey::Metadata => Some((METADATA_MIN, METADATA_MAX)),
        ApiKey::OffsetCommit => Some((OFFSET_COMMIT_MIN, OFFSET_COMMIT_MAX)),
        ApiKey::OffsetFetch => Some((OFFSET_FETCH_MIN, OFFSET_FETCH_MAX)),
        ApiKey::FindCoordinator => Some((FIND_COORDINATOR_MIN, FIND_COORDINATOR_MAX)),
        ApiKey::JoinGroup => Some((JOIN_GROUP_MIN, JOIN_GROUP_MAX)),
        ApiKey::Heartbeat => Some((HEARTBEAT_MIN, HEARTBEAT_MAX)),
        ApiKey::LeaveGroup => Some((LEAVE_GROUP_MIN, LEAVE_GROUP_MAX)),
        ApiKey::SyncGroup => Some((SYNC_GROUP_MIN, SYNC_GROUP_MAX)),
        ApiKey::DescribeGroups => Some((DESCRIBE_GROUPS_MIN, DESCRIBE_GROUPS_MAX)),
        ApiKey::ListGroups => Some((LIST_GROUPS_MIN, LIST_GROUPS_MAX)),
        ApiKey::SaslHandshake => Some((SASL_HANDSHAKE_MIN, SASL_HANDSHAKE_MAX)),
        ApiKey::ApiVersions => Some((API_VERSIONS_MIN, API_VERSIONS_MAX)),
        ApiKey::CreateTopics => Some((CREATE_TOPICS_MIN, CREATE_TOPICS_MAX)),
        ApiKey::DeleteTopics => Some((DELETE_TOPICS_MIN, DELETE_TOPICS_MAX)),
        ApiKey::DeleteRecords => Some((DELETE_RECORDS_MIN, DELETE_RECORDS_MAX)),
        ApiKey::InitProducerId => Some((INIT_PRODUCER_ID_MIN, INIT_PRODUCER_ID_MAX)),
        ApiKey::OffsetForLeaderEpoch => {
            Some((OFFSET_FOR_LEADER_EPOCH_MIN, OFFSET_FOR_LEADER_EPOCH_MAX))
        }
        ApiKey::AddPartitionsToTxn => Some((ADD_PARTITIONS_TO_TXN_MIN, ADD_PARTITIONS_TO_TXN_MAX)),
        ApiKey::AddOffsetsToTxn => Some((ADD_OFFSETS_TO_TXN_MIN, ADD_OFFSETS_TO_TXN_MAX)),
        ApiKey::EndTxn => Some((END_TXN_MIN, END_TXN_MAX)),
        ApiKey::WriteTxnMarkers => Some((WRITE_TXN_MARKERS_MIN, WRITE_TXN_MARKERS_MAX)),
        ApiKey::TxnOffsetCommit => Some((TXN_OFFSET_COMMIT_MIN, TXN_OFFSET_COMMIT_MAX)),
        ApiKey::DescribeAcls => Some((DESCRIBE_ACLS_MIN, DESCRIBE_ACLS_MAX)),
        ApiKey::CreateAcls => Some((CREATE_ACLS_MIN, CREATE_ACLS_MAX)),
        ApiKey::DeleteAcls => Some((DELETE_ACLS_MIN, DELETE_ACLS_MAX)),
        ApiKey::DescribeConfigs => Some((DESCRIBE_CONFIGS_MIN, DESCRIBE_CONFIGS_MAX)),
        ApiKey::AlterConfigs => Some((ALTER_CONFIGS_MIN, ALTER_CONFIGS_MAX)),
        ApiKey::AlterReplicaLogDirs => {
            Some((ALTER_REPLICA_LOG_DIRS_MIN, ALTER_REPLICA_LOG_DIRS_MAX))
        }
        ApiKey::DescribeLogDirs => Some((DESCRIBE_LOG_DIRS_MIN, DESCRIBE_LOG_DIRS_MAX)),
        ApiKey::SaslAuthenticate => Some((SASL_AUTHENTICATE_MIN, SASL_AUTHENTICATE_MAX)),
        ApiKey::CreatePartitions => Some((CREATE_PARTITIONS_MIN, CREATE_PARTITIONS_MAX)),
        ApiKey::CreateDelegationToken => {
            Some((CREATE_DELEGATION_TOKEN_MIN, CREATE_DELEGATION_TOKEN_MAX))
        }
        ApiKey::RenewDelegationToken => {
            Some((RENEW_DELEGATION_TOKEN_MIN, RENEW_DELEGATION_TOKEN_MAX))
        }
        ApiKey::ExpireDelegationToken => {
            Some((EXPIRE_DELEGATION_TOKEN_MIN, EXPIRE_DELEGATION_TOKEN_MAX))
        }
        ApiKey::DescribeDelegationToken => {
            Some((DESCRIBE_DELEGATION_TOKEN_MIN, DESCRIBE_DELEGATION_TOKEN_MAX))
        }
        ApiKey::DeleteGroups => Some((DELETE_GROUPS_MIN, DELETE_GROUPS_MAX)),
        ApiKey::ElectLeaders => Some((ELECT_LEADERS_MIN, ELECT_LEADERS_MAX)),
        ApiKey::IncrementalAlterConfigs => {
            Some((INCREMENTAL_ALTER_CONFIGS_MIN, INCREMENTAL_ALTER_CONFIGS_MAX))
        }
        ApiKey::AlterPartitionReassignments => Some((
            ALTER_PARTITION_REASSIGNMENTS_MIN,
            ALTER_PARTITION_REASSIGNMENTS_MAX,
        )),
        ApiKey::ListPartitionReassignments => Some((
            LIST_PARTITION_REASSIGNMENTS_MIN,
            LIST_PARTITION_REASSIGNMENTS_MAX,
        )),
        ApiKey::OffsetDelete => Some((OFFSET_DELETE_MIN, OFFSET_DELETE_MAX)),
        ApiKey::DescribeClientQuotas => {
            Some((DESCRIBE_CLIENT_QUOTAS_MIN, DESCRIBE_CLIENT_QUOTAS_MAX))
        }
        ApiKey::AlterClientQuotas => Some((ALTER_CLIENT_QUOTAS_MIN, ALTER_CLIENT_QUOTAS_MAX)),
        ApiKey::DescribeUserScramCredentials => Some((
            DESCRIBE_USER_SCRAM_CREDENTIALS_MIN,
            DESCRIBE_USER_SCRAM_CREDENTIALS_MAX,
        )),
        ApiKey::AlterUserScramCredentials => Some((
            ALTER_USER_SCRAM_CREDENTIALS_MIN,
            ALTER_USER_SCRAM_CREDENTIALS_MAX,
        )),
        ApiKey::DescribeQuorum => Some((DESCRIBE_QUORUM_MIN, DESCRIBE_QUORUM_MAX)),
        ApiKey::UpdateFeatures => Some((UPDATE_FEATURES_MIN, UPDATE_FEATURES_MAX)),
        ApiKey::DescribeCluster => Some((DESCRIBE_CLUSTER_MIN, DESCRIBE_CLUSTER_MAX)),
        ApiKey::DescribeProducers => Some((DESCRIBE_PRODUCERS_MIN, DESCRIBE_PRODUCERS_MAX)),
        ApiKey::UnregisterBroker => Some((UNREGISTER_BROKER_MIN, UNREGISTER_BROKER_MAX)),
        ApiKey::DescribeTransactions => {
            Some((DESCRIBE_TRANSACTIONS_MIN, DESCRIBE_TRANSACTIONS_MAX))
        }
        ApiKey::ListTransactions => Some((LIST_TRANSACTIONS_MIN, LIST_TRANSACTIONS_MAX)),
        ApiKey::ConsumerGroupHeartbeat => {
            Some((CONSUMER_GROUP_HEARTBEAT_MIN, CONSUMER_GROUP_HEARTBEAT_MAX))
        }
        ApiKey::ConsumerGroupDescribe => {
            Some((CONSUMER_GROUP_DESCRIBE_MIN, CONSUMER_GROUP_DESCRIBE_MAX))
        }
        ApiKey::GetTelemetrySubscriptions => Some((
            GET_TELEMETRY_SUBSCRIPTIONS_MIN,
            GET_TELEMETRY_SUBSCRIPTIONS_MAX,
        )),
        ApiKey::PushTelemetry => Some((PUSH_TELEMETRY_MIN, PUSH_TELEMETRY_MAX)),
        ApiKey::ListConfigResources => Some((LIST_CONFIG_RESOURCES_MIN, LIST_CONFIG_RESOURCES_MAX)),
        ApiKey::DescribeTopicPartitions => {
            Some((DESCRIBE_TOPIC_PARTITIONS_MIN, DESCRIBE_TOPIC_PARTITIONS_MAX))
        }
        ApiKey::ShareGroupHeartbeat => Some((SHARE_GROUP_HEARTBEAT_MIN, SHARE_GROUP_HEARTBEAT_MAX)),
        ApiKey::ShareGroupDescribe => Some((SHARE_GROUP_DESCRIBE_MIN, SHARE_GROUP_DESCRIBE_MAX)),
        ApiKey::ShareFetch => Some((SHARE_FETCH_MIN, SHARE_FETCH_MAX)),
        ApiKey::ShareAcknowledge => Some((SHARE_ACKNOWLEDGE_MIN, SHARE_ACKNOWLEDGE_MAX)),
        ApiKey::AddRaftVoter => Some((ADD_RAFT_VOTER_MIN, ADD_RAFT_VOTER_MAX)),
        ApiKey::RemoveRaftVoter => Some((REMOVE_RAFT_VOTER_MIN, REMOVE_RAFT_VOTER_MAX)),
        ApiKey::InitializeShareGroupState => Some((
            INITIALIZE_SHARE_GROUP_STATE_MIN,
            INITIALIZE_SHARE_GROUP_STATE_MAX,
        )),
        ApiKey::ReadShareGroupState => {
            Some((READ_SHARE_GROUP_STATE_MIN, READ_SHARE_GROUP_STATE_MAX))
        }
        ApiKey::WriteShareGroupState => {
            Some((WRITE_SHARE_GROUP_STATE_MIN, WRITE_SHARE_GROUP_STATE_MAX))
        }
        ApiKey::DeleteShareGroupState => {
            Some((DELETE_SHARE_GROUP_STATE_MIN, DELETE_SHARE_GROUP_STATE_MAX))
        }
        ApiKey::ReadShareGroupStateSummary => Some((
            READ_SHARE_GROUP_STATE_SUMMARY_MIN,
            READ_SHARE_GROUP_STATE_SUMMARY_MAX,
        )),
        ApiKey::StreamsGroupHeartbeat => {
            Some((STREAMS_GROUP_HEARTBEAT_MIN, STREAMS_GROUP_HEARTBEAT_MAX))
        }
        ApiKey::StreamsGroupDescribe => {
            Some((STREAMS_GROUP_DESCRIBE_MIN, STREAMS_GROUP_DESCRIBE_MAX))
        }
        ApiKey::DescribeShareGroupOffsets => Some((
            DESCRIBE_SHARE_GROUP_OFFSETS_MIN,
            DESCRIBE_SHARE_GROUP_OFFSETS_MAX,
        )),
        ApiKey::AlterShareGroupOffsets => {
            Some((ALTER_SHARE_GROUP_OFFSETS_MIN, ALTER_SHARE_GROUP_OFFSETS_MAX))
        }
        ApiKey::DeleteShareGroupOffsets => Some((
            DELETE_SHARE_GROUP_OFFSETS_MIN,
            DELETE_SHARE_GROUP_OFFSETS_MAX,
        )),
        ApiKey::StreamsGroupTopologyDescriptionUpdate => Some((
            STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE_MIN,
            STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE_MAX,
        )),
        ApiKey::UnregisterController => {
            Some((UNREGISTER_CONTROLLER_MIN, UNREGISTER_CONTROLLER_MAX))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_apis_and_their_bounds() {
        let spoken = ApiKey::ALL
            .iter()
            .filter(|api| supported(**api).is_some())
            .count();
        assert_eq!(spoken, 79);
        assert_eq!(PRODUCE_MIN, 3);
        let newest = if cfg!(feature = "unstable-versions") {
            6
        } else {
            5
        };
        assert_eq!(INIT_PRODUCER_ID_MAX, newest);
    }
}
