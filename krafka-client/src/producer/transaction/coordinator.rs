//! The transactional requests: InitProducerId, AddPartitionsToTxn and
//! AddOffsetsToTxn (transaction version 1) and EndTxn to the transaction
//! coordinator, TxnOffsetCommit to the group coordinator. Each is retried
//! while the coordinator moves or is busy (the cluster's retry forgets the
//! coordinator on NOT_COORDINATOR and finds it again).

use krafka_core::codec::Request;
use krafka_core::messages::add_partitions_to_txn::AddPartitionsToTxnTopic;
use krafka_core::messages::txn_offset_commit::{
    TxnOffsetCommitRequestPartition, TxnOffsetCommitRequestTopic,
};
use krafka_core::messages::{
    AddOffsetsToTxnRequest, AddPartitionsToTxnRequest, EndTxnRequest, InitProducerIdRequest,
    TxnOffsetCommitRequest,
};
use krafka_core::{ErrorCode, KrafkaError};

use crate::cluster::{Cluster, CoordinatorType};
use crate::consumer::{GroupMetadata, OffsetAndMetadata, TopicPartition};
use crate::producer::batch::ProducerId;

/// The last AddPartitionsToTxn version for clients (v4+ is between brokers).
const ADD_PARTITIONS_CLIENT_MAX: i16 = 3;
/// The last EndTxn version without an epoch bump per transaction.
const END_TXN_V1_MAX: i16 = 4;
/// The last TxnOffsetCommit version that does not add the group to the
/// transaction itself (v5+ does, under transaction version 2).
const TXN_OFFSET_COMMIT_V1_MAX: i16 = 4;
/// The last TxnOffsetCommit version that names topics (v6 uses topic ids).
const TXN_OFFSET_COMMIT_BY_NAME_MAX: i16 = 5;
/// The feature that says which transaction protocol the cluster runs.
const TRANSACTION_VERSION: &str = "transaction.version";

/// Sends `request` to the coordinator of `key` (at most at version `max`)
/// until `answer` takes the response, retrying what the cluster retries:
/// the coordinator's moves, a busy coordinator, lost connections.
async fn ask_coordinator<R: Request, T>(
    cluster: &Cluster,
    kind: CoordinatorType,
    key: &str,
    request: &R,
    max: Option<i16>,
    answer: impl Fn(R::Response) -> Result<T, KrafkaError>,
) -> Result<T, KrafkaError> {
    cluster
        .retry(|| async {
            let connection = cluster.coordinator_connection(kind, key).await?;
            let mut version = connection.version_for::<R>()?;
            if let Some(max) = max {
                version = version.min(max);
            }
            answer(connection.send(request, version).await?)
        })
        .await
}

/// InitProducerId for `transactional_id`: a producer id, or (with the
/// current id and epoch) the next epoch, fencing any older incarnation.
/// Also says whether the cluster runs transaction version 2, read from the
/// coordinator's finalized features (never from a broker version).
pub(crate) async fn init_producer_id(
    cluster: &Cluster,
    transactional_id: &str,
    timeout_ms: i32,
    current: ProducerId,
) -> Result<(ProducerId, bool), KrafkaError> {
    let request = InitProducerIdRequest {
        transactional_id: Some(transactional_id.to_owned()),
        transaction_timeout_ms: timeout_ms,
        producer_id: current.id,
        producer_epoch: current.epoch,
        ..Default::default()
    };
    cluster
        .retry(|| async {
            let connection = cluster
                .coordinator_connection(CoordinatorType::Transaction, transactional_id)
                .await?;
            let version = connection.version_for::<InitProducerIdRequest>()?;
            let response = connection.send(&request, version).await?;
            KrafkaError::check_code(response.error_code, None)?;
            let v2 = connection
                .api_versions()
                .finalized_feature(TRANSACTION_VERSION)
                .is_some_and(|level| level >= 2);
            Ok((
                ProducerId {
                    id: response.producer_id,
                    epoch: response.producer_epoch,
                },
                v2,
            ))
        })
        .await
}

/// AddPartitionsToTxn (transaction version 1): the partitions' batches may
/// go out once it succeeds. A partition the broker refuses fails the call
/// with its error (OPERATION_NOT_ATTEMPTED, the others' answer when one
/// fails, is not the reason).
pub(crate) async fn add_partitions(
    cluster: &Cluster,
    transactional_id: &str,
    producer: ProducerId,
    partitions: &[(String, i32)],
) -> Result<(), KrafkaError> {
    let mut topics: Vec<AddPartitionsToTxnTopic> = Vec::new();
    for (topic, partition) in partitions {
        match topics.iter_mut().find(|t| &t.name == topic) {
            Some(entry) => entry.partitions.push(*partition),
            None => topics.push(AddPartitionsToTxnTopic {
                name: topic.clone(),
                partitions: vec![*partition],
                ..Default::default()
            }),
        }
    }
    let request = AddPartitionsToTxnRequest {
        v3_and_below_transactional_id: transactional_id.to_owned(),
        v3_and_below_producer_id: producer.id,
        v3_and_below_producer_epoch: producer.epoch,
        v3_and_below_topics: topics,
        ..Default::default()
    };
    ask_coordinator(
        cluster,
        CoordinatorType::Transaction,
        transactional_id,
        &request,
        Some(ADD_PARTITIONS_CLIENT_MAX),
        |response| {
            let codes = response
                .results_by_topic_v3_and_below
                .iter()
                .flat_map(|t| &t.results_by_partition)
                .map(|p| p.partition_error_code);
            first_error(codes)
        },
    )
    .await
}

/// The first error among per-partition answers, preferring a real reason
/// over OPERATION_NOT_ATTEMPTED.
fn first_error(codes: impl Iterator<Item = i16>) -> Result<(), KrafkaError> {
    let mut not_attempted = None;
    for code in codes {
        if let Err(error) = KrafkaError::check_code(code, None) {
            if error.error_code() == Some(ErrorCode::OperationNotAttempted) {
                not_attempted = Some(error);
            } else {
                return Err(error);
            }
        }
    }
    not_attempted.map_or(Ok(()), Err)
}

/// AddOffsetsToTxn (transaction version 1): the group's offsets become
/// part of the transaction.
pub(crate) async fn add_offsets(
    cluster: &Cluster,
    transactional_id: &str,
    producer: ProducerId,
    group_id: &str,
) -> Result<(), KrafkaError> {
    let request = AddOffsetsToTxnRequest {
        transactional_id: transactional_id.to_owned(),
        producer_id: producer.id,
        producer_epoch: producer.epoch,
        group_id: group_id.to_owned(),
        ..Default::default()
    };
    ask_coordinator(
        cluster,
        CoordinatorType::Transaction,
        transactional_id,
        &request,
        None,
        |response| KrafkaError::check_code(response.error_code, None),
    )
    .await
}

/// TxnOffsetCommit to the group's coordinator: the offsets commit with the
/// transaction. The group's generation, member id and instance id let the
/// coordinator refuse a member that was fenced or rebalanced away
/// (KIP-447); `v2` sends the version that also adds the group.
pub(crate) async fn commit_offsets(
    cluster: &Cluster,
    transactional_id: &str,
    producer: ProducerId,
    v2: bool,
    group: &GroupMetadata,
    offsets: &[(TopicPartition, OffsetAndMetadata)],
) -> Result<(), KrafkaError> {
    let mut topics: Vec<TxnOffsetCommitRequestTopic> = Vec::new();
    for (tp, offset) in offsets {
        let partition = TxnOffsetCommitRequestPartition {
            partition_index: tp.partition,
            committed_offset: offset.offset,
            committed_leader_epoch: offset.leader_epoch.unwrap_or(-1),
            committed_metadata: Some(offset.metadata.clone()),
            ..Default::default()
        };
        match topics.iter_mut().find(|t| t.name == tp.topic) {
            Some(topic) => topic.partitions.push(partition),
            None => topics.push(TxnOffsetCommitRequestTopic {
                name: tp.topic.clone(),
                partitions: vec![partition],
                ..Default::default()
            }),
        }
    }
    let request = TxnOffsetCommitRequest {
        transactional_id: transactional_id.to_owned(),
        group_id: group.group_id.clone(),
        producer_id: producer.id,
        producer_epoch: producer.epoch,
        generation_id_or_member_epoch: group.generation_id,
        member_id: group.member_id.clone(),
        group_instance_id: group.group_instance_id.clone(),
        topics,
        ..Default::default()
    };
    let max = if v2 {
        TXN_OFFSET_COMMIT_BY_NAME_MAX
    } else {
        TXN_OFFSET_COMMIT_V1_MAX
    };
    ask_coordinator(
        cluster,
        CoordinatorType::Group,
        &group.group_id,
        &request,
        Some(max),
        |response| {
            let codes = response
                .topics
                .iter()
                .flat_map(|t| &t.partitions)
                .map(|p| p.error_code);
            first_error(codes)
        },
    )
    .await
}

/// EndTxn: commits or aborts the transaction. Under transaction version 2
/// the coordinator starts the producer's next epoch and answers it.
pub(crate) async fn end_transaction(
    cluster: &Cluster,
    transactional_id: &str,
    producer: ProducerId,
    commit: bool,
    v2: bool,
) -> Result<Option<ProducerId>, KrafkaError> {
    let request = EndTxnRequest {
        transactional_id: transactional_id.to_owned(),
        producer_id: producer.id,
        producer_epoch: producer.epoch,
        committed: commit,
        ..Default::default()
    };
    let max = (!v2).then_some(END_TXN_V1_MAX);
    ask_coordinator(
        cluster,
        CoordinatorType::Transaction,
        transactional_id,
        &request,
        max,
        |response| {
            KrafkaError::check_code(response.error_code, None)?;
            Ok((response.producer_id >= 0).then_some(ProducerId {
                id: response.producer_id,
                epoch: response.producer_epoch,
            }))
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_partition_is_the_reason_rather_than_the_others_not_attempted() {
        let not_attempted = ErrorCode::OperationNotAttempted.code();
        let denied = ErrorCode::TopicAuthorizationFailed.code();
        let error = first_error([not_attempted, denied, not_attempted].into_iter()).unwrap_err();
        assert_eq!(
            error.error_code(),
            Some(ErrorCode::TopicAuthorizationFailed)
        );
        let error = first_error([0, not_attempted].into_iter()).unwrap_err();
        assert_eq!(error.error_code(), Some(ErrorCode::OperationNotAttempted));
        first_error([0, 0].into_iter()).unwrap();
    }
}
