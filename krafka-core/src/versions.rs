//! The versions krafka speaks, per broker API of Apache Kafka 4.4.0: `<API>_MIN` is the oldest and
//! `<API>_MAX` the newest stable version, and [`supported`] maps an [`ApiKey`] to both (`None` for
//! APIs that only KRaft controllers serve, or that Kafka removed).
//!
//! Brokers still *advertise* Produce versions from 0 in their ApiVersions response (a workaround
//! for old librdkafka clients, KAFKA-18659), but since Kafka 4.0 they reject versions 0-2, which
//! are gone from the schemas: krafka never goes below [`PRODUCE_MIN`] = 3.
//!
//! Kafka marks the newest version of some APIs unstable (InitProducerId 6); with the
//! `unstable-versions` feature the `_MAX` constants include it.
//!
//! Generated from the message schemas of Apache Kafka 4.4.0 by
//! `cargo run -p xtask -- gen-messages <json-dir>` (`scripts/kafka-schemas.sh` fetches them);
//! change the generator, not this file.

use crate::ApiKey;

/// Produce: the oldest version krafka speaks.
pub const PRODUCE_MIN: i16 = 3;
/// Produce: the newest version krafka speaks.
pub const PRODUCE_MAX: i16 = 13;

/// Fetch: the oldest version krafka speaks.
pub const FETCH_MIN: i16 = 4;
/// Fetch: the newest version krafka speaks.
pub const FETCH_MAX: i16 = 18;

/// ListOffsets: the oldest version krafka speaks.
pub const LIST_OFFSETS_MIN: i16 = 1;
/// ListOffsets: the newest version krafka speaks.
pub const LIST_OFFSETS_MAX: i16 = 11;

/// Metadata: the oldest version krafka speaks.
pub const METADATA_MIN: i16 = 0;
/// Metadata: the newest version krafka speaks.
pub const METADATA_MAX: i16 = 13;

/// OffsetCommit: the oldest version krafka speaks.
pub const OFFSET_COMMIT_MIN: i16 = 2;
/// OffsetCommit: the newest version krafka speaks.
pub const OFFSET_COMMIT_MAX: i16 = 10;

/// OffsetFetch: the oldest version krafka speaks.
pub const OFFSET_FETCH_MIN: i16 = 1;
/// OffsetFetch: the newest version krafka speaks.
pub const OFFSET_FETCH_MAX: i16 = 10;

/// FindCoordinator: the oldest version krafka speaks.
pub const FIND_COORDINATOR_MIN: i16 = 0;
/// FindCoordinator: the newest version krafka speaks.
pub const FIND_COORDINATOR_MAX: i16 = 6;

/// JoinGroup: the oldest version krafka speaks.
pub const JOIN_GROUP_MIN: i16 = 0;
/// JoinGroup: the newest version krafka speaks.
pub const JOIN_GROUP_MAX: i16 = 9;

/// Heartbeat: the oldest version krafka speaks.
pub const HEARTBEAT_MIN: i16 = 0;
/// Heartbeat: the newest version krafka speaks.
pub const HEARTBEAT_MAX: i16 = 4;

/// LeaveGroup: the oldest version krafka speaks.
pub const LEAVE_GROUP_MIN: i16 = 0;
/// LeaveGroup: the newest version krafka speaks.
pub const LEAVE_GROUP_MAX: i16 = 5;

/// SyncGroup: the oldest version krafka speaks.
pub const SYNC_GROUP_MIN: i16 = 0;
/// SyncGroup: the newest version krafka speaks.
pub const SYNC_GROUP_MAX: i16 = 5;

/// DescribeGroups: the oldest version krafka speaks.
pub const DESCRIBE_GROUPS_MIN: i16 = 0;
/// DescribeGroups: the newest version krafka speaks.
pub const DESCRIBE_GROUPS_MAX: i16 = 6;

/// ListGroups: the oldest version krafka speaks.
pub const LIST_GROUPS_MIN: i16 = 0;
/// ListGroups: the newest version krafka speaks.
pub const LIST_GROUPS_MAX: i16 = 5;

/// SaslHandshake: the oldest version krafka speaks.
pub const SASL_HANDSHAKE_MIN: i16 = 0;
/// SaslHandshake: the newest version krafka speaks.
pub const SASL_HANDSHAKE_MAX: i16 = 1;

/// ApiVersions: the oldest version krafka speaks.
pub const API_VERSIONS_MIN: i16 = 0;
/// ApiVersions: the newest version krafka speaks.
pub const API_VERSIONS_MAX: i16 = 5;

/// CreateTopics: the oldest version krafka speaks.
pub const CREATE_TOPICS_MIN: i16 = 2;
/// CreateTopics: the newest version krafka speaks.
pub const CREATE_TOPICS_MAX: i16 = 7;

/// DeleteTopics: the oldest version krafka speaks.
pub const DELETE_TOPICS_MIN: i16 = 1;
/// DeleteTopics: the newest version krafka speaks.
pub const DELETE_TOPICS_MAX: i16 = 6;

/// DeleteRecords: the oldest version krafka speaks.
pub const DELETE_RECORDS_MIN: i16 = 0;
/// DeleteRecords: the newest version krafka speaks.
pub const DELETE_RECORDS_MAX: i16 = 2;

/// InitProducerId: the oldest version krafka speaks.
pub const INIT_PRODUCER_ID_MIN: i16 = 0;
/// InitProducerId: the newest stable version krafka speaks (6 is unstable).
#[cfg(not(feature = "unstable-versions"))]
pub const INIT_PRODUCER_ID_MAX: i16 = 5;
/// InitProducerId: the newest version krafka speaks, unstable.
#[cfg(feature = "unstable-versions")]
pub const INIT_PRODUCER_ID_MAX: i16 = 6;

/// OffsetForLeaderEpoch: the oldest version krafka speaks.
pub const OFFSET_FOR_LEADER_EPOCH_MIN: i16 = 2;
/// OffsetForLeaderEpoch: the newest version krafka speaks.
pub const OFFSET_FOR_LEADER_EPOCH_MAX: i16 = 4;

/// AddPartitionsToTxn: the oldest version krafka speaks.
pub const ADD_PARTITIONS_TO_TXN_MIN: i16 = 0;
/// AddPartitionsToTxn: the newest version krafka speaks.
pub const ADD_PARTITIONS_TO_TXN_MAX: i16 = 5;

/// AddOffsetsToTxn: the oldest version krafka speaks.
pub const ADD_OFFSETS_TO_TXN_MIN: i16 = 0;
/// AddOffsetsToTxn: the newest version krafka speaks.
pub const ADD_OFFSETS_TO_TXN_MAX: i16 = 4;

/// EndTxn: the oldest version krafka speaks.
pub const END_TXN_MIN: i16 = 0;
/// EndTxn: the newest version krafka speaks.
pub const END_TXN_MAX: i16 = 5;

/// WriteTxnMarkers: the oldest version krafka speaks.
pub const WRITE_TXN_MARKERS_MIN: i16 = 1;
/// WriteTxnMarkers: the newest version krafka speaks.
pub const WRITE_TXN_MARKERS_MAX: i16 = 2;

/// TxnOffsetCommit: the oldest version krafka speaks.
pub const TXN_OFFSET_COMMIT_MIN: i16 = 0;
/// TxnOffsetCommit: the newest version krafka speaks.
pub const TXN_OFFSET_COMMIT_MAX: i16 = 6;

/// DescribeAcls: the oldest version krafka speaks.
pub const DESCRIBE_ACLS_MIN: i16 = 1;
/// DescribeAcls: the newest version krafka speaks.
pub const DESCRIBE_ACLS_MAX: i16 = 3;

/// CreateAcls: the oldest version krafka speaks.
pub const CREATE_ACLS_MIN: i16 = 1;
/// CreateAcls: the newest version krafka speaks.
pub const CREATE_ACLS_MAX: i16 = 3;

/// DeleteAcls: the oldest version krafka speaks.
pub const DELETE_ACLS_MIN: i16 = 1;
/// DeleteAcls: the newest version krafka speaks.
pub const DELETE_ACLS_MAX: i16 = 3;

/// DescribeConfigs: the oldest version krafka speaks.
pub const DESCRIBE_CONFIGS_MIN: i16 = 1;
/// DescribeConfigs: the newest version krafka speaks.
pub const DESCRIBE_CONFIGS_MAX: i16 = 4;

/// AlterConfigs: the oldest version krafka speaks.
pub const ALTER_CONFIGS_MIN: i16 = 0;
/// AlterConfigs: the newest version krafka speaks.
pub const ALTER_CONFIGS_MAX: i16 = 2;

/// AlterReplicaLogDirs: the oldest version krafka speaks.
pub const ALTER_REPLICA_LOG_DIRS_MIN: i16 = 1;
/// AlterReplicaLogDirs: the newest version krafka speaks.
pub const ALTER_REPLICA_LOG_DIRS_MAX: i16 = 2;

/// DescribeLogDirs: the oldest version krafka speaks.
pub const DESCRIBE_LOG_DIRS_MIN: i16 = 1;
/// DescribeLogDirs: the newest version krafka speaks.
pub const DESCRIBE_LOG_DIRS_MAX: i16 = 5;

/// SaslAuthenticate: the oldest version krafka speaks.
pub const SASL_AUTHENTICATE_MIN: i16 = 0;
/// SaslAuthenticate: the newest version krafka speaks.
pub const SASL_AUTHENTICATE_MAX: i16 = 2;

/// CreatePartitions: the oldest version krafka speaks.
pub const CREATE_PARTITIONS_MIN: i16 = 0;
/// CreatePartitions: the newest version krafka speaks.
pub const CREATE_PARTITIONS_MAX: i16 = 3;

/// CreateDelegationToken: the oldest version krafka speaks.
pub const CREATE_DELEGATION_TOKEN_MIN: i16 = 1;
/// CreateDelegationToken: the newest version krafka speaks.
pub const CREATE_DELEGATION_TOKEN_MAX: i16 = 3;

/// RenewDelegationToken: the oldest version krafka speaks.
pub const RENEW_DELEGATION_TOKEN_MIN: i16 = 1;
/// RenewDelegationToken: the newest version krafka speaks.
pub const RENEW_DELEGATION_TOKEN_MAX: i16 = 2;

/// ExpireDelegationToken: the oldest version krafka speaks.
pub const EXPIRE_DELEGATION_TOKEN_MIN: i16 = 1;
/// ExpireDelegationToken: the newest version krafka speaks.
pub const EXPIRE_DELEGATION_TOKEN_MAX: i16 = 2;

/// DescribeDelegationToken: the oldest version krafka speaks.
pub const DESCRIBE_DELEGATION_TOKEN_MIN: i16 = 1;
/// DescribeDelegationToken: the newest version krafka speaks.
pub const DESCRIBE_DELEGATION_TOKEN_MAX: i16 = 3;

/// DeleteGroups: the oldest version krafka speaks.
pub const DELETE_GROUPS_MIN: i16 = 0;
/// DeleteGroups: the newest version krafka speaks.
pub const DELETE_GROUPS_MAX: i16 = 3;

/// ElectLeaders: the oldest version krafka speaks.
pub const ELECT_LEADERS_MIN: i16 = 0;
/// ElectLeaders: the newest version krafka speaks.
pub const ELECT_LEADERS_MAX: i16 = 2;

/// IncrementalAlterConfigs: the oldest version krafka speaks.
pub const INCREMENTAL_ALTER_CONFIGS_MIN: i16 = 0;
/// IncrementalAlterConfigs: the newest version krafka speaks.
pub const INCREMENTAL_ALTER_CONFIGS_MAX: i16 = 1;

/// AlterPartitionReassignments: the oldest version krafka speaks.
pub const ALTER_PARTITION_REASSIGNMENTS_MIN: i16 = 0;
/// AlterPartitionReassignments: the newest version krafka speaks.
pub const ALTER_PARTITION_REASSIGNMENTS_MAX: i16 = 1;

/// ListPartitionReassignments: the oldest version krafka speaks.
pub const LIST_PARTITION_REASSIGNMENTS_MIN: i16 = 0;
/// ListPartitionReassignments: the newest version krafka speaks.
pub const LIST_PARTITION_REASSIGNMENTS_MAX: i16 = 0;

/// OffsetDelete: the oldest version krafka speaks.
pub const OFFSET_DELETE_MIN: i16 = 0;
/// OffsetDelete: the newest version krafka speaks.
pub const OFFSET_DELETE_MAX: i16 = 0;

/// DescribeClientQuotas: the oldest version krafka speaks.
pub const DESCRIBE_CLIENT_QUOTAS_MIN: i16 = 0;
/// DescribeClientQuotas: the newest version krafka speaks.
pub const DESCRIBE_CLIENT_QUOTAS_MAX: i16 = 1;

/// AlterClientQuotas: the oldest version krafka speaks.
pub const ALTER_CLIENT_QUOTAS_MIN: i16 = 0;
/// AlterClientQuotas: the newest version krafka speaks.
pub const ALTER_CLIENT_QUOTAS_MAX: i16 = 1;

/// DescribeUserScramCredentials: the oldest version krafka speaks.
pub const DESCRIBE_USER_SCRAM_CREDENTIALS_MIN: i16 = 0;
/// DescribeUserScramCredentials: the newest version krafka speaks.
pub const DESCRIBE_USER_SCRAM_CREDENTIALS_MAX: i16 = 0;

/// AlterUserScramCredentials: the oldest version krafka speaks.
pub const ALTER_USER_SCRAM_CREDENTIALS_MIN: i16 = 0;
/// AlterUserScramCredentials: the newest version krafka speaks.
pub const ALTER_USER_SCRAM_CREDENTIALS_MAX: i16 = 0;

/// DescribeQuorum: the oldest version krafka speaks.
pub const DESCRIBE_QUORUM_MIN: i16 = 0;
/// DescribeQuorum: the newest version krafka speaks.
pub const DESCRIBE_QUORUM_MAX: i16 = 2;

/// UpdateFeatures: the oldest version krafka speaks.
pub const UPDATE_FEATURES_MIN: i16 = 0;
/// UpdateFeatures: the newest version krafka speaks.
pub const UPDATE_FEATURES_MAX: i16 = 2;

/// DescribeCluster: the oldest version krafka speaks.
pub const DESCRIBE_CLUSTER_MIN: i16 = 0;
/// DescribeCluster: the newest version krafka speaks.
pub const DESCRIBE_CLUSTER_MAX: i16 = 2;

/// DescribeProducers: the oldest version krafka speaks.
pub const DESCRIBE_PRODUCERS_MIN: i16 = 0;
/// DescribeProducers: the newest version krafka speaks.
pub const DESCRIBE_PRODUCERS_MAX: i16 = 0;

/// UnregisterBroker: the oldest version krafka speaks.
pub const UNREGISTER_BROKER_MIN: i16 = 0;
/// UnregisterBroker: the newest version krafka speaks.
pub const UNREGISTER_BROKER_MAX: i16 = 0;

/// DescribeTransactions: the oldest version krafka speaks.
pub const DESCRIBE_TRANSACTIONS_MIN: i16 = 0;
/// DescribeTransactions: the newest version krafka speaks.
pub const DESCRIBE_TRANSACTIONS_MAX: i16 = 0;

/// ListTransactions: the oldest version krafka speaks.
pub const LIST_TRANSACTIONS_MIN: i16 = 0;
/// ListTransactions: the newest version krafka speaks.
pub const LIST_TRANSACTIONS_MAX: i16 = 2;

/// ConsumerGroupHeartbeat: the oldest version krafka speaks.
pub const CONSUMER_GROUP_HEARTBEAT_MIN: i16 = 0;
/// ConsumerGroupHeartbeat: the newest version krafka speaks.
pub const CONSUMER_GROUP_HEARTBEAT_MAX: i16 = 1;

/// ConsumerGroupDescribe: the oldest version krafka speaks.
pub const CONSUMER_GROUP_DESCRIBE_MIN: i16 = 0;
/// ConsumerGroupDescribe: the newest version krafka speaks.
pub const CONSUMER_GROUP_DESCRIBE_MAX: i16 = 1;

/// GetTelemetrySubscriptions: the oldest version krafka speaks.
pub const GET_TELEMETRY_SUBSCRIPTIONS_MIN: i16 = 0;
/// GetTelemetrySubscriptions: the newest version krafka speaks.
pub const GET_TELEMETRY_SUBSCRIPTIONS_MAX: i16 = 0;

/// PushTelemetry: the oldest version krafka speaks.
pub const PUSH_TELEMETRY_MIN: i16 = 0;
/// PushTelemetry: the newest version krafka speaks.
pub const PUSH_TELEMETRY_MAX: i16 = 0;

/// ListConfigResources: the oldest version krafka speaks.
pub const LIST_CONFIG_RESOURCES_MIN: i16 = 0;
/// ListConfigResources: the newest version krafka speaks.
pub const LIST_CONFIG_RESOURCES_MAX: i16 = 1;

/// DescribeTopicPartitions: the oldest version krafka speaks.
pub const DESCRIBE_TOPIC_PARTITIONS_MIN: i16 = 0;
/// DescribeTopicPartitions: the newest version krafka speaks.
pub const DESCRIBE_TOPIC_PARTITIONS_MAX: i16 = 0;

/// ShareGroupHeartbeat: the oldest version krafka speaks.
pub const SHARE_GROUP_HEARTBEAT_MIN: i16 = 1;
/// ShareGroupHeartbeat: the newest version krafka speaks.
pub const SHARE_GROUP_HEARTBEAT_MAX: i16 = 1;

/// ShareGroupDescribe: the oldest version krafka speaks.
pub const SHARE_GROUP_DESCRIBE_MIN: i16 = 1;
/// ShareGroupDescribe: the newest version krafka speaks.
pub const SHARE_GROUP_DESCRIBE_MAX: i16 = 1;

/// ShareFetch: the oldest version krafka speaks.
pub const SHARE_FETCH_MIN: i16 = 1;
/// ShareFetch: the newest version krafka speaks.
pub const SHARE_FETCH_MAX: i16 = 2;

/// ShareAcknowledge: the oldest version krafka speaks.
pub const SHARE_ACKNOWLEDGE_MIN: i16 = 1;
/// ShareAcknowledge: the newest version krafka speaks.
pub const SHARE_ACKNOWLEDGE_MAX: i16 = 2;

/// AddRaftVoter: the oldest version krafka speaks.
pub const ADD_RAFT_VOTER_MIN: i16 = 0;
/// AddRaftVoter: the newest version krafka speaks.
pub const ADD_RAFT_VOTER_MAX: i16 = 1;

/// RemoveRaftVoter: the oldest version krafka speaks.
pub const REMOVE_RAFT_VOTER_MIN: i16 = 0;
/// RemoveRaftVoter: the newest version krafka speaks.
pub const REMOVE_RAFT_VOTER_MAX: i16 = 0;

/// InitializeShareGroupState: the oldest version krafka speaks.
pub const INITIALIZE_SHARE_GROUP_STATE_MIN: i16 = 0;
/// InitializeShareGroupState: the newest version krafka speaks.
pub const INITIALIZE_SHARE_GROUP_STATE_MAX: i16 = 0;

/// ReadShareGroupState: the oldest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_MIN: i16 = 0;
/// ReadShareGroupState: the newest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_MAX: i16 = 0;

/// WriteShareGroupState: the oldest version krafka speaks.
pub const WRITE_SHARE_GROUP_STATE_MIN: i16 = 0;
/// WriteShareGroupState: the newest version krafka speaks.
pub const WRITE_SHARE_GROUP_STATE_MAX: i16 = 1;

/// DeleteShareGroupState: the oldest version krafka speaks.
pub const DELETE_SHARE_GROUP_STATE_MIN: i16 = 0;
/// DeleteShareGroupState: the newest version krafka speaks.
pub const DELETE_SHARE_GROUP_STATE_MAX: i16 = 0;

/// ReadShareGroupStateSummary: the oldest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_SUMMARY_MIN: i16 = 0;
/// ReadShareGroupStateSummary: the newest version krafka speaks.
pub const READ_SHARE_GROUP_STATE_SUMMARY_MAX: i16 = 1;

/// StreamsGroupHeartbeat: the oldest version krafka speaks.
pub const STREAMS_GROUP_HEARTBEAT_MIN: i16 = 0;
/// StreamsGroupHeartbeat: the newest version krafka speaks.
pub const STREAMS_GROUP_HEARTBEAT_MAX: i16 = 1;

/// StreamsGroupDescribe: the oldest version krafka speaks.
pub const STREAMS_GROUP_DESCRIBE_MIN: i16 = 0;
/// StreamsGroupDescribe: the newest version krafka speaks.
pub const STREAMS_GROUP_DESCRIBE_MAX: i16 = 1;

/// DescribeShareGroupOffsets: the oldest version krafka speaks.
pub const DESCRIBE_SHARE_GROUP_OFFSETS_MIN: i16 = 0;
/// DescribeShareGroupOffsets: the newest version krafka speaks.
pub const DESCRIBE_SHARE_GROUP_OFFSETS_MAX: i16 = 1;

/// AlterShareGroupOffsets: the oldest version krafka speaks.
pub const ALTER_SHARE_GROUP_OFFSETS_MIN: i16 = 0;
/// AlterShareGroupOffsets: the newest version krafka speaks.
pub const ALTER_SHARE_GROUP_OFFSETS_MAX: i16 = 0;

/// DeleteShareGroupOffsets: the oldest version krafka speaks.
pub const DELETE_SHARE_GROUP_OFFSETS_MIN: i16 = 0;
/// DeleteShareGroupOffsets: the newest version krafka speaks.
pub const DELETE_SHARE_GROUP_OFFSETS_MAX: i16 = 0;

/// StreamsGroupTopologyDescriptionUpdate: the oldest version krafka speaks.
pub const STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE_MIN: i16 = 0;
/// StreamsGroupTopologyDescriptionUpdate: the newest version krafka speaks.
pub const STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE_MAX: i16 = 0;

/// UnregisterController: the oldest version krafka speaks.
pub const UNREGISTER_CONTROLLER_MIN: i16 = 0;
/// UnregisterController: the newest version krafka speaks.
pub const UNREGISTER_CONTROLLER_MAX: i16 = 0;

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
    use crate::codec::Message;
    use crate::messages::*;

    /// The table agrees with the messages' own versions and keys.
    fn check<Req: Message, Resp: Message>(api: ApiKey, failures: &mut Vec<String>) {
        for (name, key, versions) in [
            (Req::NAME, Req::API_KEY, Req::VERSIONS),
            (Resp::NAME, Resp::API_KEY, Resp::VERSIONS),
        ] {
            if key != Some(api.key()) || supported(api) != Some((versions.min, versions.max)) {
                failures.push(format!(
                    "{name}: key {key:?}, versions {versions}; table: {api} {:?}",
                    supported(api)
                ));
            }
        }
    }

    #[test]
    fn table_matches_messages() {
        let mut failures = Vec::new();
        check::<ProduceRequest, ProduceResponse>(ApiKey::Produce, &mut failures);
        check::<FetchRequest, FetchResponse>(ApiKey::Fetch, &mut failures);
        check::<ListOffsetsRequest, ListOffsetsResponse>(ApiKey::ListOffsets, &mut failures);
        check::<MetadataRequest, MetadataResponse>(ApiKey::Metadata, &mut failures);
        check::<OffsetCommitRequest, OffsetCommitResponse>(ApiKey::OffsetCommit, &mut failures);
        check::<OffsetFetchRequest, OffsetFetchResponse>(ApiKey::OffsetFetch, &mut failures);
        check::<FindCoordinatorRequest, FindCoordinatorResponse>(
            ApiKey::FindCoordinator,
            &mut failures,
        );
        check::<JoinGroupRequest, JoinGroupResponse>(ApiKey::JoinGroup, &mut failures);
        check::<HeartbeatRequest, HeartbeatResponse>(ApiKey::Heartbeat, &mut failures);
        check::<LeaveGroupRequest, LeaveGroupResponse>(ApiKey::LeaveGroup, &mut failures);
        check::<SyncGroupRequest, SyncGroupResponse>(ApiKey::SyncGroup, &mut failures);
        check::<DescribeGroupsRequest, DescribeGroupsResponse>(
            ApiKey::DescribeGroups,
            &mut failures,
        );
        check::<ListGroupsRequest, ListGroupsResponse>(ApiKey::ListGroups, &mut failures);
        check::<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey::SaslHandshake, &mut failures);
        check::<ApiVersionsRequest, ApiVersionsResponse>(ApiKey::ApiVersions, &mut failures);
        check::<CreateTopicsRequest, CreateTopicsResponse>(ApiKey::CreateTopics, &mut failures);
        check::<DeleteTopicsRequest, DeleteTopicsResponse>(ApiKey::DeleteTopics, &mut failures);
        check::<DeleteRecordsRequest, DeleteRecordsResponse>(ApiKey::DeleteRecords, &mut failures);
        check::<InitProducerIdRequest, InitProducerIdResponse>(
            ApiKey::InitProducerId,
            &mut failures,
        );
        check::<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>(
            ApiKey::OffsetForLeaderEpoch,
            &mut failures,
        );
        check::<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>(
            ApiKey::AddPartitionsToTxn,
            &mut failures,
        );
        check::<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>(
            ApiKey::AddOffsetsToTxn,
            &mut failures,
        );
        check::<EndTxnRequest, EndTxnResponse>(ApiKey::EndTxn, &mut failures);
        check::<WriteTxnMarkersRequest, WriteTxnMarkersResponse>(
            ApiKey::WriteTxnMarkers,
            &mut failures,
        );
        check::<TxnOffsetCommitRequest, TxnOffsetCommitResponse>(
            ApiKey::TxnOffsetCommit,
            &mut failures,
        );
        check::<DescribeAclsRequest, DescribeAclsResponse>(ApiKey::DescribeAcls, &mut failures);
        check::<CreateAclsRequest, CreateAclsResponse>(ApiKey::CreateAcls, &mut failures);
        check::<DeleteAclsRequest, DeleteAclsResponse>(ApiKey::DeleteAcls, &mut failures);
        check::<DescribeConfigsRequest, DescribeConfigsResponse>(
            ApiKey::DescribeConfigs,
            &mut failures,
        );
        check::<AlterConfigsRequest, AlterConfigsResponse>(ApiKey::AlterConfigs, &mut failures);
        check::<AlterReplicaLogDirsRequest, AlterReplicaLogDirsResponse>(
            ApiKey::AlterReplicaLogDirs,
            &mut failures,
        );
        check::<DescribeLogDirsRequest, DescribeLogDirsResponse>(
            ApiKey::DescribeLogDirs,
            &mut failures,
        );
        check::<SaslAuthenticateRequest, SaslAuthenticateResponse>(
            ApiKey::SaslAuthenticate,
            &mut failures,
        );
        check::<CreatePartitionsRequest, CreatePartitionsResponse>(
            ApiKey::CreatePartitions,
            &mut failures,
        );
        check::<CreateDelegationTokenRequest, CreateDelegationTokenResponse>(
            ApiKey::CreateDelegationToken,
            &mut failures,
        );
        check::<RenewDelegationTokenRequest, RenewDelegationTokenResponse>(
            ApiKey::RenewDelegationToken,
            &mut failures,
        );
        check::<ExpireDelegationTokenRequest, ExpireDelegationTokenResponse>(
            ApiKey::ExpireDelegationToken,
            &mut failures,
        );
        check::<DescribeDelegationTokenRequest, DescribeDelegationTokenResponse>(
            ApiKey::DescribeDelegationToken,
            &mut failures,
        );
        check::<DeleteGroupsRequest, DeleteGroupsResponse>(ApiKey::DeleteGroups, &mut failures);
        check::<ElectLeadersRequest, ElectLeadersResponse>(ApiKey::ElectLeaders, &mut failures);
        check::<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>(
            ApiKey::IncrementalAlterConfigs,
            &mut failures,
        );
        check::<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse>(
            ApiKey::AlterPartitionReassignments,
            &mut failures,
        );
        check::<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse>(
            ApiKey::ListPartitionReassignments,
            &mut failures,
        );
        check::<OffsetDeleteRequest, OffsetDeleteResponse>(ApiKey::OffsetDelete, &mut failures);
        check::<DescribeClientQuotasRequest, DescribeClientQuotasResponse>(
            ApiKey::DescribeClientQuotas,
            &mut failures,
        );
        check::<AlterClientQuotasRequest, AlterClientQuotasResponse>(
            ApiKey::AlterClientQuotas,
            &mut failures,
        );
        check::<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse>(
            ApiKey::DescribeUserScramCredentials,
            &mut failures,
        );
        check::<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse>(
            ApiKey::AlterUserScramCredentials,
            &mut failures,
        );
        check::<DescribeQuorumRequest, DescribeQuorumResponse>(
            ApiKey::DescribeQuorum,
            &mut failures,
        );
        check::<UpdateFeaturesRequest, UpdateFeaturesResponse>(
            ApiKey::UpdateFeatures,
            &mut failures,
        );
        check::<DescribeClusterRequest, DescribeClusterResponse>(
            ApiKey::DescribeCluster,
            &mut failures,
        );
        check::<DescribeProducersRequest, DescribeProducersResponse>(
            ApiKey::DescribeProducers,
            &mut failures,
        );
        check::<UnregisterBrokerRequest, UnregisterBrokerResponse>(
            ApiKey::UnregisterBroker,
            &mut failures,
        );
        check::<DescribeTransactionsRequest, DescribeTransactionsResponse>(
            ApiKey::DescribeTransactions,
            &mut failures,
        );
        check::<ListTransactionsRequest, ListTransactionsResponse>(
            ApiKey::ListTransactions,
            &mut failures,
        );
        check::<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(
            ApiKey::ConsumerGroupHeartbeat,
            &mut failures,
        );
        check::<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>(
            ApiKey::ConsumerGroupDescribe,
            &mut failures,
        );
        check::<GetTelemetrySubscriptionsRequest, GetTelemetrySubscriptionsResponse>(
            ApiKey::GetTelemetrySubscriptions,
            &mut failures,
        );
        check::<PushTelemetryRequest, PushTelemetryResponse>(ApiKey::PushTelemetry, &mut failures);
        check::<ListConfigResourcesRequest, ListConfigResourcesResponse>(
            ApiKey::ListConfigResources,
            &mut failures,
        );
        check::<DescribeTopicPartitionsRequest, DescribeTopicPartitionsResponse>(
            ApiKey::DescribeTopicPartitions,
            &mut failures,
        );
        check::<ShareGroupHeartbeatRequest, ShareGroupHeartbeatResponse>(
            ApiKey::ShareGroupHeartbeat,
            &mut failures,
        );
        check::<ShareGroupDescribeRequest, ShareGroupDescribeResponse>(
            ApiKey::ShareGroupDescribe,
            &mut failures,
        );
        check::<ShareFetchRequest, ShareFetchResponse>(ApiKey::ShareFetch, &mut failures);
        check::<ShareAcknowledgeRequest, ShareAcknowledgeResponse>(
            ApiKey::ShareAcknowledge,
            &mut failures,
        );
        check::<AddRaftVoterRequest, AddRaftVoterResponse>(ApiKey::AddRaftVoter, &mut failures);
        check::<RemoveRaftVoterRequest, RemoveRaftVoterResponse>(
            ApiKey::RemoveRaftVoter,
            &mut failures,
        );
        check::<InitializeShareGroupStateRequest, InitializeShareGroupStateResponse>(
            ApiKey::InitializeShareGroupState,
            &mut failures,
        );
        check::<ReadShareGroupStateRequest, ReadShareGroupStateResponse>(
            ApiKey::ReadShareGroupState,
            &mut failures,
        );
        check::<WriteShareGroupStateRequest, WriteShareGroupStateResponse>(
            ApiKey::WriteShareGroupState,
            &mut failures,
        );
        check::<DeleteShareGroupStateRequest, DeleteShareGroupStateResponse>(
            ApiKey::DeleteShareGroupState,
            &mut failures,
        );
        check::<ReadShareGroupStateSummaryRequest, ReadShareGroupStateSummaryResponse>(
            ApiKey::ReadShareGroupStateSummary,
            &mut failures,
        );
        check::<StreamsGroupHeartbeatRequest, StreamsGroupHeartbeatResponse>(
            ApiKey::StreamsGroupHeartbeat,
            &mut failures,
        );
        check::<StreamsGroupDescribeRequest, StreamsGroupDescribeResponse>(
            ApiKey::StreamsGroupDescribe,
            &mut failures,
        );
        check::<DescribeShareGroupOffsetsRequest, DescribeShareGroupOffsetsResponse>(
            ApiKey::DescribeShareGroupOffsets,
            &mut failures,
        );
        check::<AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse>(
            ApiKey::AlterShareGroupOffsets,
            &mut failures,
        );
        check::<DeleteShareGroupOffsetsRequest, DeleteShareGroupOffsetsResponse>(
            ApiKey::DeleteShareGroupOffsets,
            &mut failures,
        );
        check::<
            StreamsGroupTopologyDescriptionUpdateRequest,
            StreamsGroupTopologyDescriptionUpdateResponse,
        >(ApiKey::StreamsGroupTopologyDescriptionUpdate, &mut failures);
        check::<UnregisterControllerRequest, UnregisterControllerResponse>(
            ApiKey::UnregisterController,
            &mut failures,
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        let spoken = ApiKey::ALL
            .iter()
            .filter(|api| supported(**api).is_some())
            .count();
        assert_eq!(spoken, 79);
    }
}
