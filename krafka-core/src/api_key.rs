//! Kafka's API keys: one [`ApiKey`] per request schema of Apache Kafka 4.4.0, all 95 of them,
//! including the APIs only KRaft controllers serve and the ones Kafka removed. krafka speaks the 79
//! broker APIs; [`versions::supported`](crate::versions::supported) says which versions.
//!
//! Generated from the message schemas of Apache Kafka 4.4.0 by
//! `cargo run -p xtask -- gen-messages <json-dir>` (`scripts/kafka-schemas.sh` fetches them);
//! change the generator, not this file.

use std::fmt;

/// The key that names a request type on the wire, the first field of a
/// request header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i16)]
#[non_exhaustive]
pub enum ApiKey {
    /// `Produce` (key 0).
    Produce = 0,
    /// `Fetch` (key 1).
    Fetch = 1,
    /// `ListOffsets` (key 2).
    ListOffsets = 2,
    /// `Metadata` (key 3).
    Metadata = 3,
    /// `LeaderAndIsr` (key 4): removed from Kafka, no version is valid any more.
    LeaderAndIsr = 4,
    /// `StopReplica` (key 5): removed from Kafka, no version is valid any more.
    StopReplica = 5,
    /// `UpdateMetadata` (key 6): removed from Kafka, no version is valid any more.
    UpdateMetadata = 6,
    /// `ControlledShutdown` (key 7): removed from Kafka, no version is valid any more.
    ControlledShutdown = 7,
    /// `OffsetCommit` (key 8).
    OffsetCommit = 8,
    /// `OffsetFetch` (key 9).
    OffsetFetch = 9,
    /// `FindCoordinator` (key 10).
    FindCoordinator = 10,
    /// `JoinGroup` (key 11).
    JoinGroup = 11,
    /// `Heartbeat` (key 12).
    Heartbeat = 12,
    /// `LeaveGroup` (key 13).
    LeaveGroup = 13,
    /// `SyncGroup` (key 14).
    SyncGroup = 14,
    /// `DescribeGroups` (key 15).
    DescribeGroups = 15,
    /// `ListGroups` (key 16).
    ListGroups = 16,
    /// `SaslHandshake` (key 17).
    SaslHandshake = 17,
    /// `ApiVersions` (key 18).
    ApiVersions = 18,
    /// `CreateTopics` (key 19).
    CreateTopics = 19,
    /// `DeleteTopics` (key 20).
    DeleteTopics = 20,
    /// `DeleteRecords` (key 21).
    DeleteRecords = 21,
    /// `InitProducerId` (key 22).
    InitProducerId = 22,
    /// `OffsetForLeaderEpoch` (key 23).
    OffsetForLeaderEpoch = 23,
    /// `AddPartitionsToTxn` (key 24).
    AddPartitionsToTxn = 24,
    /// `AddOffsetsToTxn` (key 25).
    AddOffsetsToTxn = 25,
    /// `EndTxn` (key 26).
    EndTxn = 26,
    /// `WriteTxnMarkers` (key 27).
    WriteTxnMarkers = 27,
    /// `TxnOffsetCommit` (key 28).
    TxnOffsetCommit = 28,
    /// `DescribeAcls` (key 29).
    DescribeAcls = 29,
    /// `CreateAcls` (key 30).
    CreateAcls = 30,
    /// `DeleteAcls` (key 31).
    DeleteAcls = 31,
    /// `DescribeConfigs` (key 32).
    DescribeConfigs = 32,
    /// `AlterConfigs` (key 33).
    AlterConfigs = 33,
    /// `AlterReplicaLogDirs` (key 34).
    AlterReplicaLogDirs = 34,
    /// `DescribeLogDirs` (key 35).
    DescribeLogDirs = 35,
    /// `SaslAuthenticate` (key 36).
    SaslAuthenticate = 36,
    /// `CreatePartitions` (key 37).
    CreatePartitions = 37,
    /// `CreateDelegationToken` (key 38).
    CreateDelegationToken = 38,
    /// `RenewDelegationToken` (key 39).
    RenewDelegationToken = 39,
    /// `ExpireDelegationToken` (key 40).
    ExpireDelegationToken = 40,
    /// `DescribeDelegationToken` (key 41).
    DescribeDelegationToken = 41,
    /// `DeleteGroups` (key 42).
    DeleteGroups = 42,
    /// `ElectLeaders` (key 43).
    ElectLeaders = 43,
    /// `IncrementalAlterConfigs` (key 44).
    IncrementalAlterConfigs = 44,
    /// `AlterPartitionReassignments` (key 45).
    AlterPartitionReassignments = 45,
    /// `ListPartitionReassignments` (key 46).
    ListPartitionReassignments = 46,
    /// `OffsetDelete` (key 47).
    OffsetDelete = 47,
    /// `DescribeClientQuotas` (key 48).
    DescribeClientQuotas = 48,
    /// `AlterClientQuotas` (key 49).
    AlterClientQuotas = 49,
    /// `DescribeUserScramCredentials` (key 50).
    DescribeUserScramCredentials = 50,
    /// `AlterUserScramCredentials` (key 51).
    AlterUserScramCredentials = 51,
    /// `Vote` (key 52): served by KRaft controllers only.
    Vote = 52,
    /// `BeginQuorumEpoch` (key 53): served by KRaft controllers only.
    BeginQuorumEpoch = 53,
    /// `EndQuorumEpoch` (key 54): served by KRaft controllers only.
    EndQuorumEpoch = 54,
    /// `DescribeQuorum` (key 55).
    DescribeQuorum = 55,
    /// `AlterPartition` (key 56): served by KRaft controllers only.
    AlterPartition = 56,
    /// `UpdateFeatures` (key 57).
    UpdateFeatures = 57,
    /// `Envelope` (key 58): served by KRaft controllers only.
    Envelope = 58,
    /// `FetchSnapshot` (key 59): served by KRaft controllers only.
    FetchSnapshot = 59,
    /// `DescribeCluster` (key 60).
    DescribeCluster = 60,
    /// `DescribeProducers` (key 61).
    DescribeProducers = 61,
    /// `BrokerRegistration` (key 62): served by KRaft controllers only.
    BrokerRegistration = 62,
    /// `BrokerHeartbeat` (key 63): served by KRaft controllers only.
    BrokerHeartbeat = 63,
    /// `UnregisterBroker` (key 64).
    UnregisterBroker = 64,
    /// `DescribeTransactions` (key 65).
    DescribeTransactions = 65,
    /// `ListTransactions` (key 66).
    ListTransactions = 66,
    /// `AllocateProducerIds` (key 67): served by KRaft controllers only.
    AllocateProducerIds = 67,
    /// `ConsumerGroupHeartbeat` (key 68).
    ConsumerGroupHeartbeat = 68,
    /// `ConsumerGroupDescribe` (key 69).
    ConsumerGroupDescribe = 69,
    /// `ControllerRegistration` (key 70): served by KRaft controllers only.
    ControllerRegistration = 70,
    /// `GetTelemetrySubscriptions` (key 71).
    GetTelemetrySubscriptions = 71,
    /// `PushTelemetry` (key 72).
    PushTelemetry = 72,
    /// `AssignReplicasToDirs` (key 73): served by KRaft controllers only.
    AssignReplicasToDirs = 73,
    /// `ListConfigResources` (key 74).
    ListConfigResources = 74,
    /// `DescribeTopicPartitions` (key 75).
    DescribeTopicPartitions = 75,
    /// `ShareGroupHeartbeat` (key 76).
    ShareGroupHeartbeat = 76,
    /// `ShareGroupDescribe` (key 77).
    ShareGroupDescribe = 77,
    /// `ShareFetch` (key 78).
    ShareFetch = 78,
    /// `ShareAcknowledge` (key 79).
    ShareAcknowledge = 79,
    /// `AddRaftVoter` (key 80).
    AddRaftVoter = 80,
    /// `RemoveRaftVoter` (key 81).
    RemoveRaftVoter = 81,
    /// `UpdateRaftVoter` (key 82): served by KRaft controllers only.
    UpdateRaftVoter = 82,
    /// `InitializeShareGroupState` (key 83).
    InitializeShareGroupState = 83,
    /// `ReadShareGroupState` (key 84).
    ReadShareGroupState = 84,
    /// `WriteShareGroupState` (key 85).
    WriteShareGroupState = 85,
    /// `DeleteShareGroupState` (key 86).
    DeleteShareGroupState = 86,
    /// `ReadShareGroupStateSummary` (key 87).
    ReadShareGroupStateSummary = 87,
    /// `StreamsGroupHeartbeat` (key 88).
    StreamsGroupHeartbeat = 88,
    /// `StreamsGroupDescribe` (key 89).
    StreamsGroupDescribe = 89,
    /// `DescribeShareGroupOffsets` (key 90).
    DescribeShareGroupOffsets = 90,
    /// `AlterShareGroupOffsets` (key 91).
    AlterShareGroupOffsets = 91,
    /// `DeleteShareGroupOffsets` (key 92).
    DeleteShareGroupOffsets = 92,
    /// `StreamsGroupTopologyDescriptionUpdate` (key 93).
    StreamsGroupTopologyDescriptionUpdate = 93,
    /// `UnregisterController` (key 94).
    UnregisterController = 94,
}

impl ApiKey {
    /// Every API key, in key order.
    pub const ALL: [ApiKey; 95] = [
        ApiKey::Produce,
        ApiKey::Fetch,
        ApiKey::ListOffsets,
        ApiKey::Metadata,
        ApiKey::LeaderAndIsr,
        ApiKey::StopReplica,
        ApiKey::UpdateMetadata,
        ApiKey::ControlledShutdown,
        ApiKey::OffsetCommit,
        ApiKey::OffsetFetch,
        ApiKey::FindCoordinator,
        ApiKey::JoinGroup,
        ApiKey::Heartbeat,
        ApiKey::LeaveGroup,
        ApiKey::SyncGroup,
        ApiKey::DescribeGroups,
        ApiKey::ListGroups,
        ApiKey::SaslHandshake,
        ApiKey::ApiVersions,
        ApiKey::CreateTopics,
        ApiKey::DeleteTopics,
        ApiKey::DeleteRecords,
        ApiKey::InitProducerId,
        ApiKey::OffsetForLeaderEpoch,
        ApiKey::AddPartitionsToTxn,
        ApiKey::AddOffsetsToTxn,
        ApiKey::EndTxn,
        ApiKey::WriteTxnMarkers,
        ApiKey::TxnOffsetCommit,
        ApiKey::DescribeAcls,
        ApiKey::CreateAcls,
        ApiKey::DeleteAcls,
        ApiKey::DescribeConfigs,
        ApiKey::AlterConfigs,
        ApiKey::AlterReplicaLogDirs,
        ApiKey::DescribeLogDirs,
        ApiKey::SaslAuthenticate,
        ApiKey::CreatePartitions,
        ApiKey::CreateDelegationToken,
        ApiKey::RenewDelegationToken,
        ApiKey::ExpireDelegationToken,
        ApiKey::DescribeDelegationToken,
        ApiKey::DeleteGroups,
        ApiKey::ElectLeaders,
        ApiKey::IncrementalAlterConfigs,
        ApiKey::AlterPartitionReassignments,
        ApiKey::ListPartitionReassignments,
        ApiKey::OffsetDelete,
        ApiKey::DescribeClientQuotas,
        ApiKey::AlterClientQuotas,
        ApiKey::DescribeUserScramCredentials,
        ApiKey::AlterUserScramCredentials,
        ApiKey::Vote,
        ApiKey::BeginQuorumEpoch,
        ApiKey::EndQuorumEpoch,
        ApiKey::DescribeQuorum,
        ApiKey::AlterPartition,
        ApiKey::UpdateFeatures,
        ApiKey::Envelope,
        ApiKey::FetchSnapshot,
        ApiKey::DescribeCluster,
        ApiKey::DescribeProducers,
        ApiKey::BrokerRegistration,
        ApiKey::BrokerHeartbeat,
        ApiKey::UnregisterBroker,
        ApiKey::DescribeTransactions,
        ApiKey::ListTransactions,
        ApiKey::AllocateProducerIds,
        ApiKey::ConsumerGroupHeartbeat,
        ApiKey::ConsumerGroupDescribe,
        ApiKey::ControllerRegistration,
        ApiKey::GetTelemetrySubscriptions,
        ApiKey::PushTelemetry,
        ApiKey::AssignReplicasToDirs,
        ApiKey::ListConfigResources,
        ApiKey::DescribeTopicPartitions,
        ApiKey::ShareGroupHeartbeat,
        ApiKey::ShareGroupDescribe,
        ApiKey::ShareFetch,
        ApiKey::ShareAcknowledge,
        ApiKey::AddRaftVoter,
        ApiKey::RemoveRaftVoter,
        ApiKey::UpdateRaftVoter,
        ApiKey::InitializeShareGroupState,
        ApiKey::ReadShareGroupState,
        ApiKey::WriteShareGroupState,
        ApiKey::DeleteShareGroupState,
        ApiKey::ReadShareGroupStateSummary,
        ApiKey::StreamsGroupHeartbeat,
        ApiKey::StreamsGroupDescribe,
        ApiKey::DescribeShareGroupOffsets,
        ApiKey::AlterShareGroupOffsets,
        ApiKey::DeleteShareGroupOffsets,
        ApiKey::StreamsGroupTopologyDescriptionUpdate,
        ApiKey::UnregisterController,
    ];

    /// Kafka's name of the API, e.g. `"Produce"`.
    pub const fn name(self) -> &'static str {
        match self {
            ApiKey::Produce => "Produce",
            ApiKey::Fetch => "Fetch",
            ApiKey::ListOffsets => "ListOffsets",
            ApiKey::Metadata => "Metadata",
            ApiKey::LeaderAndIsr => "LeaderAndIsr",
            ApiKey::StopReplica => "StopReplica",
            ApiKey::UpdateMetadata => "UpdateMetadata",
            ApiKey::ControlledShutdown => "ControlledShutdown",
            ApiKey::OffsetCommit => "OffsetCommit",
            ApiKey::OffsetFetch => "OffsetFetch",
            ApiKey::FindCoordinator => "FindCoordinator",
            ApiKey::JoinGroup => "JoinGroup",
            ApiKey::Heartbeat => "Heartbeat",
            ApiKey::LeaveGroup => "LeaveGroup",
            ApiKey::SyncGroup => "SyncGroup",
            ApiKey::DescribeGroups => "DescribeGroups",
            ApiKey::ListGroups => "ListGroups",
            ApiKey::SaslHandshake => "SaslHandshake",
            ApiKey::ApiVersions => "ApiVersions",
            ApiKey::CreateTopics => "CreateTopics",
            ApiKey::DeleteTopics => "DeleteTopics",
            ApiKey::DeleteRecords => "DeleteRecords",
            ApiKey::InitProducerId => "InitProducerId",
            ApiKey::OffsetForLeaderEpoch => "OffsetForLeaderEpoch",
            ApiKey::AddPartitionsToTxn => "AddPartitionsToTxn",
            ApiKey::AddOffsetsToTxn => "AddOffsetsToTxn",
            ApiKey::EndTxn => "EndTxn",
            ApiKey::WriteTxnMarkers => "WriteTxnMarkers",
            ApiKey::TxnOffsetCommit => "TxnOffsetCommit",
            ApiKey::DescribeAcls => "DescribeAcls",
            ApiKey::CreateAcls => "CreateAcls",
            ApiKey::DeleteAcls => "DeleteAcls",
            ApiKey::DescribeConfigs => "DescribeConfigs",
            ApiKey::AlterConfigs => "AlterConfigs",
            ApiKey::AlterReplicaLogDirs => "AlterReplicaLogDirs",
            ApiKey::DescribeLogDirs => "DescribeLogDirs",
            ApiKey::SaslAuthenticate => "SaslAuthenticate",
            ApiKey::CreatePartitions => "CreatePartitions",
            ApiKey::CreateDelegationToken => "CreateDelegationToken",
            ApiKey::RenewDelegationToken => "RenewDelegationToken",
            ApiKey::ExpireDelegationToken => "ExpireDelegationToken",
            ApiKey::DescribeDelegationToken => "DescribeDelegationToken",
            ApiKey::DeleteGroups => "DeleteGroups",
            ApiKey::ElectLeaders => "ElectLeaders",
            ApiKey::IncrementalAlterConfigs => "IncrementalAlterConfigs",
            ApiKey::AlterPartitionReassignments => "AlterPartitionReassignments",
            ApiKey::ListPartitionReassignments => "ListPartitionReassignments",
            ApiKey::OffsetDelete => "OffsetDelete",
            ApiKey::DescribeClientQuotas => "DescribeClientQuotas",
            ApiKey::AlterClientQuotas => "AlterClientQuotas",
            ApiKey::DescribeUserScramCredentials => "DescribeUserScramCredentials",
            ApiKey::AlterUserScramCredentials => "AlterUserScramCredentials",
            ApiKey::Vote => "Vote",
            ApiKey::BeginQuorumEpoch => "BeginQuorumEpoch",
            ApiKey::EndQuorumEpoch => "EndQuorumEpoch",
            ApiKey::DescribeQuorum => "DescribeQuorum",
            ApiKey::AlterPartition => "AlterPartition",
            ApiKey::UpdateFeatures => "UpdateFeatures",
            ApiKey::Envelope => "Envelope",
            ApiKey::FetchSnapshot => "FetchSnapshot",
            ApiKey::DescribeCluster => "DescribeCluster",
            ApiKey::DescribeProducers => "DescribeProducers",
            ApiKey::BrokerRegistration => "BrokerRegistration",
            ApiKey::BrokerHeartbeat => "BrokerHeartbeat",
            ApiKey::UnregisterBroker => "UnregisterBroker",
            ApiKey::DescribeTransactions => "DescribeTransactions",
            ApiKey::ListTransactions => "ListTransactions",
            ApiKey::AllocateProducerIds => "AllocateProducerIds",
            ApiKey::ConsumerGroupHeartbeat => "ConsumerGroupHeartbeat",
            ApiKey::ConsumerGroupDescribe => "ConsumerGroupDescribe",
            ApiKey::ControllerRegistration => "ControllerRegistration",
            ApiKey::GetTelemetrySubscriptions => "GetTelemetrySubscriptions",
            ApiKey::PushTelemetry => "PushTelemetry",
            ApiKey::AssignReplicasToDirs => "AssignReplicasToDirs",
            ApiKey::ListConfigResources => "ListConfigResources",
            ApiKey::DescribeTopicPartitions => "DescribeTopicPartitions",
            ApiKey::ShareGroupHeartbeat => "ShareGroupHeartbeat",
            ApiKey::ShareGroupDescribe => "ShareGroupDescribe",
            ApiKey::ShareFetch => "ShareFetch",
            ApiKey::ShareAcknowledge => "ShareAcknowledge",
            ApiKey::AddRaftVoter => "AddRaftVoter",
            ApiKey::RemoveRaftVoter => "RemoveRaftVoter",
            ApiKey::UpdateRaftVoter => "UpdateRaftVoter",
            ApiKey::InitializeShareGroupState => "InitializeShareGroupState",
            ApiKey::ReadShareGroupState => "ReadShareGroupState",
            ApiKey::WriteShareGroupState => "WriteShareGroupState",
            ApiKey::DeleteShareGroupState => "DeleteShareGroupState",
            ApiKey::ReadShareGroupStateSummary => "ReadShareGroupStateSummary",
            ApiKey::StreamsGroupHeartbeat => "StreamsGroupHeartbeat",
            ApiKey::StreamsGroupDescribe => "StreamsGroupDescribe",
            ApiKey::DescribeShareGroupOffsets => "DescribeShareGroupOffsets",
            ApiKey::AlterShareGroupOffsets => "AlterShareGroupOffsets",
            ApiKey::DeleteShareGroupOffsets => "DeleteShareGroupOffsets",
            ApiKey::StreamsGroupTopologyDescriptionUpdate => {
                "StreamsGroupTopologyDescriptionUpdate"
            }
            ApiKey::UnregisterController => "UnregisterController",
        }
    }

    /// The key as written on the wire.
    pub const fn key(self) -> i16 {
        self as i16
    }

    /// The API with wire key `key`, if this Kafka release has one.
    pub const fn from_key(key: i16) -> Option<ApiKey> {
        match key {
            0 => Some(ApiKey::Produce),
            1 => Some(ApiKey::Fetch),
            2 => Some(ApiKey::ListOffsets),
            3 => Some(ApiKey::Metadata),
            4 => Some(ApiKey::LeaderAndIsr),
            5 => Some(ApiKey::StopReplica),
            6 => Some(ApiKey::UpdateMetadata),
            7 => Some(ApiKey::ControlledShutdown),
            8 => Some(ApiKey::OffsetCommit),
            9 => Some(ApiKey::OffsetFetch),
            10 => Some(ApiKey::FindCoordinator),
            11 => Some(ApiKey::JoinGroup),
            12 => Some(ApiKey::Heartbeat),
            13 => Some(ApiKey::LeaveGroup),
            14 => Some(ApiKey::SyncGroup),
            15 => Some(ApiKey::DescribeGroups),
            16 => Some(ApiKey::ListGroups),
            17 => Some(ApiKey::SaslHandshake),
            18 => Some(ApiKey::ApiVersions),
            19 => Some(ApiKey::CreateTopics),
            20 => Some(ApiKey::DeleteTopics),
            21 => Some(ApiKey::DeleteRecords),
            22 => Some(ApiKey::InitProducerId),
            23 => Some(ApiKey::OffsetForLeaderEpoch),
            24 => Some(ApiKey::AddPartitionsToTxn),
            25 => Some(ApiKey::AddOffsetsToTxn),
            26 => Some(ApiKey::EndTxn),
            27 => Some(ApiKey::WriteTxnMarkers),
            28 => Some(ApiKey::TxnOffsetCommit),
            29 => Some(ApiKey::DescribeAcls),
            30 => Some(ApiKey::CreateAcls),
            31 => Some(ApiKey::DeleteAcls),
            32 => Some(ApiKey::DescribeConfigs),
            33 => Some(ApiKey::AlterConfigs),
            34 => Some(ApiKey::AlterReplicaLogDirs),
            35 => Some(ApiKey::DescribeLogDirs),
            36 => Some(ApiKey::SaslAuthenticate),
            37 => Some(ApiKey::CreatePartitions),
            38 => Some(ApiKey::CreateDelegationToken),
            39 => Some(ApiKey::RenewDelegationToken),
            40 => Some(ApiKey::ExpireDelegationToken),
            41 => Some(ApiKey::DescribeDelegationToken),
            42 => Some(ApiKey::DeleteGroups),
            43 => Some(ApiKey::ElectLeaders),
            44 => Some(ApiKey::IncrementalAlterConfigs),
            45 => Some(ApiKey::AlterPartitionReassignments),
            46 => Some(ApiKey::ListPartitionReassignments),
            47 => Some(ApiKey::OffsetDelete),
            48 => Some(ApiKey::DescribeClientQuotas),
            49 => Some(ApiKey::AlterClientQuotas),
            50 => Some(ApiKey::DescribeUserScramCredentials),
            51 => Some(ApiKey::AlterUserScramCredentials),
            52 => Some(ApiKey::Vote),
            53 => Some(ApiKey::BeginQuorumEpoch),
            54 => Some(ApiKey::EndQuorumEpoch),
            55 => Some(ApiKey::DescribeQuorum),
            56 => Some(ApiKey::AlterPartition),
            57 => Some(ApiKey::UpdateFeatures),
            58 => Some(ApiKey::Envelope),
            59 => Some(ApiKey::FetchSnapshot),
            60 => Some(ApiKey::DescribeCluster),
            61 => Some(ApiKey::DescribeProducers),
            62 => Some(ApiKey::BrokerRegistration),
            63 => Some(ApiKey::BrokerHeartbeat),
            64 => Some(ApiKey::UnregisterBroker),
            65 => Some(ApiKey::DescribeTransactions),
            66 => Some(ApiKey::ListTransactions),
            67 => Some(ApiKey::AllocateProducerIds),
            68 => Some(ApiKey::ConsumerGroupHeartbeat),
            69 => Some(ApiKey::ConsumerGroupDescribe),
            70 => Some(ApiKey::ControllerRegistration),
            71 => Some(ApiKey::GetTelemetrySubscriptions),
            72 => Some(ApiKey::PushTelemetry),
            73 => Some(ApiKey::AssignReplicasToDirs),
            74 => Some(ApiKey::ListConfigResources),
            75 => Some(ApiKey::DescribeTopicPartitions),
            76 => Some(ApiKey::ShareGroupHeartbeat),
            77 => Some(ApiKey::ShareGroupDescribe),
            78 => Some(ApiKey::ShareFetch),
            79 => Some(ApiKey::ShareAcknowledge),
            80 => Some(ApiKey::AddRaftVoter),
            81 => Some(ApiKey::RemoveRaftVoter),
            82 => Some(ApiKey::UpdateRaftVoter),
            83 => Some(ApiKey::InitializeShareGroupState),
            84 => Some(ApiKey::ReadShareGroupState),
            85 => Some(ApiKey::WriteShareGroupState),
            86 => Some(ApiKey::DeleteShareGroupState),
            87 => Some(ApiKey::ReadShareGroupStateSummary),
            88 => Some(ApiKey::StreamsGroupHeartbeat),
            89 => Some(ApiKey::StreamsGroupDescribe),
            90 => Some(ApiKey::DescribeShareGroupOffsets),
            91 => Some(ApiKey::AlterShareGroupOffsets),
            92 => Some(ApiKey::DeleteShareGroupOffsets),
            93 => Some(ApiKey::StreamsGroupTopologyDescriptionUpdate),
            94 => Some(ApiKey::UnregisterController),
            _ => None,
        }
    }
}

/// An API key that this Kafka release does not define.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown Kafka API key {0}")]
pub struct UnknownApiKey(pub i16);

impl TryFrom<i16> for ApiKey {
    type Error = UnknownApiKey;

    fn try_from(key: i16) -> Result<Self, Self::Error> {
        ApiKey::from_key(key).ok_or(UnknownApiKey(key))
    }
}

impl From<ApiKey> for i16 {
    fn from(api: ApiKey) -> i16 {
        api.key()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for api in ApiKey::ALL {
            assert_eq!(ApiKey::try_from(i16::from(api)), Ok(api));
        }
        assert!(ApiKey::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ApiKey::try_from(-1), Err(UnknownApiKey(-1)));
        assert_eq!(ApiKey::try_from(i16::MAX), Err(UnknownApiKey(i16::MAX)));
    }

    #[test]
    fn names() {
        assert_eq!(ApiKey::Produce.name(), "Produce");
        assert_eq!(ApiKey::ApiVersions.to_string(), "ApiVersions");
        assert_eq!(ApiKey::Fetch.key(), 1);
    }
}
