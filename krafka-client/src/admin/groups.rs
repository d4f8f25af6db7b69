//! Group administration on [`Admin`]: list, describe and delete consumer
//! groups; list, alter and delete their committed offsets.
//!
//! ```no_run
//! # async fn demo() -> Result<(), krafka_core::KrafkaError> {
//! use krafka_client::{Admin, ClientConfig, ListGroupsOptions, OffsetAndMetadata, TopicPartition};
//!
//! let admin = Admin::new(
//!     ClientConfig::builder().bootstrap_servers(["127.0.0.1:9092"]).build()?,
//! )
//! .await?;
//! for group in admin.list_groups(&ListGroupsOptions::new()).await? {
//!     println!("{} ({})", group.group_id, group.state.as_deref().unwrap_or("?"));
//! }
//! for group in admin.describe_consumer_groups(&["billing"]).await? {
//!     for member in &group.members {
//!         println!("{} {:?}", member.member_id, member.assignment.partitions);
//!     }
//! }
//! let committed = admin.list_consumer_group_offsets("billing", None).await?;
//! // Rewind a group that has no members to the start of partition 0.
//! admin
//!     .alter_consumer_group_offsets("billing", &[(TopicPartition::new("events", 0), OffsetAndMetadata::new(0))])
//!     .await?;
//! # let _ = committed;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;

use krafka_core::KrafkaError;
use krafka_core::messages::list_groups::ListedGroup;
use krafka_core::messages::offset_delete::{
    OffsetDeleteRequestPartition, OffsetDeleteRequestTopic,
};
use krafka_core::messages::{
    DeleteGroupsRequest, DescribeGroupsRequest, ListGroupsRequest, ListGroupsResponse,
    OffsetDeleteRequest,
};

use super::Admin;
use super::coordinated::{answers_for, take};
use crate::cluster::{BrokerNode, CoordinatorType, Purpose};
use crate::consumer::group::committed::{self, Member};
use crate::consumer::{MemberAssignment, OffsetAndMetadata, TopicPartition};

/// The `protocol_type` of groups of consumers.
const CONSUMER_PROTOCOL_TYPE: &str = "consumer";

/// Which groups [`Admin::list_groups`] lists: by default every group.
///
/// ```
/// # use krafka_client::ListGroupsOptions;
/// let options = ListGroupsOptions::new().states(["Stable", "Empty"]).types(["classic"]);
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListGroupsOptions {
    states: Vec<String>,
    types: Vec<String>,
}

impl ListGroupsOptions {
    /// Every group.
    pub fn new() -> Self {
        ListGroupsOptions::default()
    }

    /// Only groups in one of these states (`Stable`, `Empty`,
    /// `PreparingRebalance`, …; ListGroups v4+, Kafka 2.6+).
    pub fn states<S: Into<String>>(mut self, states: impl IntoIterator<Item = S>) -> Self {
        self.states = states.into_iter().map(Into::into).collect();
        self
    }

    /// Only groups of one of these types (`classic`, `consumer`, `share`,
    /// `streams`; ListGroups v5+, Kafka 3.8+).
    pub fn types<S: Into<String>>(mut self, types: impl IntoIterator<Item = S>) -> Self {
        self.types = types.into_iter().map(Into::into).collect();
        self
    }
}

/// A group as a broker lists it ([`Admin::list_groups`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupListing {
    /// The group id.
    pub group_id: String,
    /// The embedded protocol (`consumer` for groups of consumers, `connect`,
    /// …; empty for a group that only stores offsets).
    pub protocol_type: String,
    /// The group's state, when the broker says it (ListGroups v4+).
    pub state: Option<String>,
    /// The group's type (`classic`, `consumer`, …), when the broker says
    /// it (ListGroups v5+).
    pub group_type: Option<String>,
}

/// A consumer group as its coordinator describes it
/// ([`Admin::describe_consumer_groups`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerGroupDescription {
    /// The group id.
    pub group_id: String,
    /// `Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance` or
    /// `Dead` (what older brokers answer for a group that does not exist).
    pub state: String,
    /// `consumer`, or empty for a group that only stores offsets.
    pub protocol_type: String,
    /// The assignor the group chose (`range`, `cooperative-sticky`, …;
    /// empty while it has no members).
    pub assignor: String,
    /// The members and their assignments.
    pub members: Vec<MemberDescription>,
    /// The broker coordinating the group.
    pub coordinator: BrokerNode,
}

/// One member of a consumer group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberDescription {
    /// The id the coordinator gave the member.
    pub member_id: String,
    /// Its `group.instance.id` (static members).
    pub group_instance_id: Option<String>,
    /// Its `client.id`.
    pub client_id: String,
    /// The host it connected from (as the broker saw it, `/127.0.0.1`).
    pub host: String,
    /// The partitions the leader gave it (empty during a rebalance).
    pub assignment: MemberAssignment,
}

impl Admin {
    /// Every group the brokers know (ListGroups to each broker), filtered by
    /// `options`, sorted by group id.
    pub async fn list_groups(
        &self,
        options: &ListGroupsOptions,
    ) -> Result<Vec<GroupListing>, KrafkaError> {
        let mut metadata = self.cluster.metadata();
        if metadata.brokers.is_empty() {
            metadata = self.cluster.refresh_metadata().await?;
        }
        let mut groups = BTreeMap::new();
        for &node_id in metadata.brokers.keys() {
            let response = self
                .cluster
                .retry(|| self.list_groups_on(node_id, options))
                .await?;
            for listed in response.groups {
                groups.insert(listed.group_id.clone(), listing(listed));
            }
        }
        Ok(groups.into_values().collect())
    }

    /// One ListGroups request to broker `node_id`.
    async fn list_groups_on(
        &self,
        node_id: i32,
        options: &ListGroupsOptions,
    ) -> Result<ListGroupsResponse, KrafkaError> {
        let connection = self
            .cluster
            .broker(node_id)?
            .connection(Purpose::General)
            .await?;
        let version = connection.version_for::<ListGroupsRequest>()?;
        for (filter, versions, what) in [
            (
                &options.states,
                ListGroupsRequest::STATES_FILTER_VERSIONS,
                "states",
            ),
            (
                &options.types,
                ListGroupsRequest::TYPES_FILTER_VERSIONS,
                "types",
            ),
        ] {
            if !filter.is_empty() && !versions.contains(version) {
                return Err(KrafkaError::config(format!(
                    "broker {} cannot filter groups by {what} (ListGroups v{version})",
                    connection.peer()
                )));
            }
        }
        let request = ListGroupsRequest {
            states_filter: options.states.clone(),
            types_filter: options.types.clone(),
            ..Default::default()
        };
        let response = connection.send(&request, version).await?;
        KrafkaError::check_code(
            response.error_code,
            Some(&format!("listing the groups of broker {node_id}")),
        )?;
        Ok(response)
    }

    /// Describes consumer groups through their coordinators (DescribeGroups),
    /// in the order asked, with each member's assignment decoded.
    ///
    /// As with Java's admin client, a group that does not exist fails with
    /// `GROUP_ID_NOT_FOUND` on brokers that say so (DescribeGroups v6+,
    /// Kafka 4.0+); older brokers describe it in state `Dead` with no
    /// members, and it is returned as such. A group of another protocol
    /// (Kafka Connect's, …) is an error; so is the first group that
    /// failed.
    pub async fn describe_consumer_groups<S: AsRef<str>>(
        &self,
        groups: &[S],
    ) -> Result<Vec<ConsumerGroupDescription>, KrafkaError> {
        let names: Vec<String> = groups.iter().map(|g| g.as_ref().to_owned()).collect();
        let results = self
            .by_coordinator(
                CoordinatorType::Group,
                &names,
                &[],
                |connection, node, groups| async move {
                    let request = DescribeGroupsRequest {
                        groups: groups.clone(),
                        ..Default::default()
                    };
                    let response = connection.send_negotiated(&request).await?;
                    let peer = connection.peer();
                    let answered: Vec<(String, Result<_, _>)> = response
                        .groups
                        .into_iter()
                        .map(|g| {
                            let id = g.group_id.clone();
                            let described = describe(g, &node);
                            (id, described)
                        })
                        .collect();
                    answers_for(peer, "DescribeGroups", "group", &groups, answered)
                },
            )
            .await;
        names.iter().map(|name| take(&results, name)).collect()
    }

    /// Deletes consumer groups with no members, and their committed offsets
    /// (DeleteGroups through each group's coordinator). The first group the
    /// broker refused fails the call (`NON_EMPTY_GROUP` while it has
    /// members, `GROUP_ID_NOT_FOUND` for an unknown one); the others are
    /// still deleted.
    pub async fn delete_consumer_groups<S: AsRef<str>>(
        &self,
        groups: &[S],
    ) -> Result<(), KrafkaError> {
        let names: Vec<String> = groups.iter().map(|g| g.as_ref().to_owned()).collect();
        let results = self
            .by_coordinator(
                CoordinatorType::Group,
                &names,
                &[],
                |connection, _node, groups| async move {
                    let request = DeleteGroupsRequest {
                        groups_names: groups.clone(),
                        ..Default::default()
                    };
                    let response = connection.send_negotiated(&request).await?;
                    let answered = response
                        .results
                        .into_iter()
                        .map(|r| {
                            let checked = check_group(&r.group_id, r.error_code, r.error_message);
                            (r.group_id, checked)
                        })
                        .collect();
                    answers_for(
                        connection.peer(),
                        "DeleteGroups",
                        "group",
                        &groups,
                        answered,
                    )
                },
            )
            .await;
        for name in &names {
            take(&results, name)?;
        }
        Ok(())
    }

    /// The offsets `group` has committed, for `partitions` or for every
    /// partition it has offsets for with `None` (partitions without one are
    /// left out). A group that does not exist has none.
    pub async fn list_consumer_group_offsets(
        &self,
        group: &str,
        partitions: Option<&[TopicPartition]>,
    ) -> Result<BTreeMap<TopicPartition, OffsetAndMetadata>, KrafkaError> {
        committed::fetch_committed(&self.cluster, group, partitions, false).await
    }

    /// [`Admin::list_consumer_group_offsets`] for many groups: one request
    /// per coordinator for all the groups it coordinates (OffsetFetch v8+,
    /// Kafka 3.0+), one per group with older brokers. The first group that
    /// failed fails the call.
    pub async fn list_consumer_groups_offsets(
        &self,
        groups: &[(&str, Option<&[TopicPartition]>)],
    ) -> Result<BTreeMap<String, BTreeMap<TopicPartition, OffsetAndMetadata>>, KrafkaError> {
        committed::fetch_committed_groups(&self.cluster, groups, false)
            .await
            .into_iter()
            .map(|(group, result)| result.map(|offsets| (group, offsets)))
            .collect()
    }

    /// Sets the committed offsets of `group` (an OffsetCommit by no
    /// member). The coordinator only takes it while the group has no
    /// members; otherwise the broker's error comes back
    /// (`UNKNOWN_MEMBER_ID` for a group with members).
    pub async fn alter_consumer_group_offsets(
        &self,
        group: &str,
        offsets: &[(TopicPartition, OffsetAndMetadata)],
    ) -> Result<(), KrafkaError> {
        committed::commit(&self.cluster, group, &Member::ADMIN, offsets).await
    }

    /// Deletes the committed offsets of `group` for `partitions`
    /// (OffsetDelete). The first refusal fails the call: of the group
    /// (`GROUP_ID_NOT_FOUND`, …) or of a partition
    /// (`GROUP_SUBSCRIBED_TO_TOPIC` while members consume its topic).
    pub async fn delete_consumer_group_offsets(
        &self,
        group: &str,
        partitions: &[TopicPartition],
    ) -> Result<(), KrafkaError> {
        if partitions.is_empty() {
            return Ok(());
        }
        let mut topics: BTreeMap<&str, Vec<OffsetDeleteRequestPartition>> = BTreeMap::new();
        for tp in partitions {
            topics
                .entry(tp.topic.as_str())
                .or_default()
                .push(OffsetDeleteRequestPartition {
                    partition_index: tp.partition,
                    ..Default::default()
                });
        }
        let request = OffsetDeleteRequest {
            group_id: group.to_owned(),
            topics: topics
                .into_iter()
                .map(|(name, partitions)| OffsetDeleteRequestTopic {
                    name: name.to_owned(),
                    partitions,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        committed::retry_coordinator(&self.cluster, group, &[], || async {
            let connection = self
                .cluster
                .coordinator_connection(CoordinatorType::Group, group)
                .await?;
            let response = connection.send_negotiated(&request).await?;
            check_group(group, response.error_code, None)?;
            committed::check_partition_answers(
                connection.peer(),
                &format!("OffsetDelete for group {group}"),
                partitions,
                response.topics.iter().flat_map(|topic| {
                    topic.partitions.iter().map(|p| {
                        (
                            TopicPartition::new(topic.name.clone(), p.partition_index),
                            p.error_code,
                        )
                    })
                }),
                |tp| format!("deleting the offset of {tp} in group {group}"),
            )
        })
        .await
    }
}

/// A listed group; the state and type when the version carries them.
fn listing(listed: ListedGroup) -> GroupListing {
    GroupListing {
        group_id: listed.group_id,
        protocol_type: listed.protocol_type,
        state: Some(listed.group_state).filter(|s| !s.is_empty()),
        group_type: Some(listed.group_type).filter(|t| !t.is_empty()),
    }
}

/// A described group, or its error.
fn describe(
    group: krafka_core::messages::describe_groups::DescribedGroup,
    coordinator: &BrokerNode,
) -> Result<ConsumerGroupDescription, KrafkaError> {
    check_group(&group.group_id, group.error_code, group.error_message)?;
    if !group.protocol_type.is_empty() && group.protocol_type != CONSUMER_PROTOCOL_TYPE {
        return Err(KrafkaError::state(format!(
            "group {} is not a consumer group (its protocol type is {})",
            group.group_id, group.protocol_type
        )));
    }
    let members = group
        .members
        .into_iter()
        .map(|member| {
            Ok(MemberDescription {
                assignment: MemberAssignment::decode(&member.member_assignment)?,
                member_id: member.member_id,
                group_instance_id: member.group_instance_id,
                client_id: member.client_id,
                host: member.client_host,
            })
        })
        .collect::<Result<Vec<_>, KrafkaError>>()?;
    Ok(ConsumerGroupDescription {
        group_id: group.group_id,
        state: group.group_state,
        protocol_type: group.protocol_type,
        assignor: group.protocol_data,
        members,
        coordinator: coordinator.clone(),
    })
}

/// A group's error code as a typed error; the broker's message is kept,
/// and when there is none the group is named instead.
fn check_group(group: &str, code: i16, message: Option<String>) -> Result<(), KrafkaError> {
    let message = message
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("group '{group}'"));
    KrafkaError::check_code(code, Some(&message))
}
