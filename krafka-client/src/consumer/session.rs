//! KIP-227 incremental fetch sessions, one per broker connection.
//!
//! With a session the broker remembers which partitions a consumer fetches and from where. The first
//! request of a session is a *full* fetch listing every partition; after that each request is
//! *incremental*: it lists only partitions that are new or whose fetch parameters changed, and names
//! the ones to drop in `forgotten_topics_data`. The broker answers an incremental request with only
//! the partitions that have news (records, a moved high watermark, log start offset or LSO, an error).
//!
//! Session id and epoch in a request mean (KIP-227):
//!
//! | session id | epoch | meaning                                                  |
//! |------------|-------|----------------------------------------------------------|
//! | 0          | -1    | full fetch, no session (versions before 7 always do this) |
//! | 0          | 0     | full fetch, create a session                             |
//! | X          | 0     | full fetch, close session X and create a new one         |
//! | X          | n > 0 | incremental fetch in session X                           |
//!
//! Epochs count up by one per answered request and wrap from `i32::MAX` to 1.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use krafka_core::codec::Uuid;
use krafka_core::messages::fetch::{
    FetchPartition, FetchRequest, FetchResponse, FetchTopic, FetchableTopicResponse,
    ForgottenTopic, PartitionData,
};
use krafka_core::{ErrorCode, KrafkaError};

/// First Fetch version with sessions (KIP-227).
const FIRST_SESSION_VERSION: i16 = FetchRequest::SESSION_ID_VERSIONS.min;
/// First Fetch version that sends `last_fetched_epoch`.
const FIRST_LAST_FETCHED_EPOCH_VERSION: i16 = FetchPartition::LAST_FETCHED_EPOCH_VERSIONS.min;
/// First Fetch version that names topics by id instead of by name (KIP-516).
pub(crate) const FIRST_TOPIC_ID_VERSION: i16 = FetchTopic::TOPIC_ID_VERSIONS.min;

/// Session id of "no session".
const NO_SESSION: i32 = 0;
/// Epoch of a full fetch that creates a session.
const INITIAL_EPOCH: i32 = 0;
/// Epoch of a full fetch outside any session.
const FINAL_EPOCH: i32 = -1;
/// `last_fetched_epoch` when there is none (and in versions without the field).
const NO_EPOCH: i32 = -1;

/// One partition the consumer wants to fetch, with its fetch parameters.
///
/// A change to any field (fetch offset, epochs, max bytes, topic id) re-sends the partition in the
/// next incremental request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WantedPartition {
    /// Topic name (used up to Fetch v12, and to name partitions in responses).
    pub topic: Arc<str>,
    /// Topic id (used from Fetch v13; must be known when that version is used).
    pub topic_id: Uuid,
    /// Partition index.
    pub partition: i32,
    /// Offset of the next record wanted.
    pub fetch_offset: i64,
    /// The leader epoch from metadata (-1 when unknown), fencing stale leaders (v9+).
    pub current_leader_epoch: i32,
    /// Epoch of the last fetched record (-1 when none), for divergence checks (v12+).
    pub last_fetched_epoch: i32,
    /// Follower field; consumers send -1.
    pub log_start_offset: i64,
    /// Per-partition byte limit (`max.partition.fetch.bytes`).
    pub partition_max_bytes: i32,
}

/// The fetch session with one broker: decides what each Fetch request must carry, and follows the
/// session id and epoch through the responses.
///
/// Call [`build`](Self::build) and [`handle_response`](Self::handle_response) alternately with one
/// request in flight at a time; if a built request gets no response (send failed, connection lost,
/// timeout), call [`reset`](Self::reset) before the next `build`.
///
/// The broker's session keeps each partition's fetch offset as last sent; it does not advance it by
/// itself. A partition whose fetched records are still buffered in the consumer should therefore
/// be left out of `wanted` (it is forgotten, then re-added with its new offset later); kept in, it
/// would be fetched again from the same offset.
#[derive(Debug)]
pub(crate) struct FetchSession {
    /// The broker, for logs.
    node_id: i32,
    /// The broker's id for the session, or [`NO_SESSION`].
    session_id: i32,
    /// Epoch of the next request; [`INITIAL_EPOCH`] makes it a full fetch.
    next_epoch: i32,
    /// Whether the session names topics by id (v13+). Kafka refuses to mix both in one session.
    by_topic_id: bool,
    /// The partitions as the broker's session holds them: the last parameters sent for each.
    partitions: BTreeMap<(Arc<str>, i32), WantedPartition>,
}

impl FetchSession {
    /// A session with broker `node_id` that has not fetched yet.
    pub(crate) fn new(node_id: i32) -> Self {
        FetchSession {
            node_id,
            session_id: NO_SESSION,
            next_epoch: INITIAL_EPOCH,
            by_topic_id: false,
            partitions: BTreeMap::new(),
        }
    }

    /// Fills `session_id`, `session_epoch`, `topics` and `forgotten_topics_data` of `request` for
    /// the `wanted` partitions, in their order (the broker fills responses in request order, so
    /// the caller can rotate partitions for fairness). A full fetch lists every partition; an
    /// incremental one only new and changed partitions, plus the dropped ones as forgotten.
    /// `version` is the Fetch version the request will be sent with.
    pub(crate) fn build<'a>(
        &mut self,
        wanted: impl IntoIterator<Item = &'a WantedPartition>,
        version: i16,
        request: &mut FetchRequest,
    ) {
        let by_topic_id = version >= FIRST_TOPIC_ID_VERSION;
        if by_topic_id != self.by_topic_id {
            self.reset();
            self.by_topic_id = by_topic_id;
        }
        let with_session = version >= FIRST_SESSION_VERSION;
        if !with_session {
            self.session_id = NO_SESSION;
            self.next_epoch = INITIAL_EPOCH;
        }
        let full = self.next_epoch == INITIAL_EPOCH;

        let previous = std::mem::take(&mut self.partitions);
        let mut to_send = Vec::new();
        let mut forgotten = Vec::new();
        for want in wanted {
            let key = (Arc::clone(&want.topic), want.partition);
            if self.partitions.contains_key(&key) {
                continue; // listed twice: send it once
            }
            let before = previous.get(&key);
            let recreated = by_topic_id && before.is_some_and(|b| b.topic_id != want.topic_id);
            if recreated && !full {
                // Topic recreated under a new id: the broker's session knows it by the old one.
                forgotten.extend(before);
            }
            if full || before != Some(want) {
                to_send.push(want);
            }
            self.partitions.insert(key, want.clone());
        }
        if !full {
            forgotten.extend(
                previous
                    .iter()
                    .filter(|(key, _)| !self.partitions.contains_key(*key))
                    .map(|(_, partition)| partition),
            );
        }

        (request.session_id, request.session_epoch) = if with_session {
            (self.session_id, self.next_epoch)
        } else {
            (NO_SESSION, FINAL_EPOCH)
        };
        request.topics = fetch_topics(&to_send, version);
        request.forgotten_topics_data = forgotten_topics(&forgotten);
    }

    /// Digests the response to the last built request: follows the session id and epoch, and
    /// returns the partitions in it, each with its topic name.
    ///
    /// The top-level session errors FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH and
    /// FETCH_SESSION_TOPIC_ID_ERROR reset the session and give `Ok` with no partitions: the next
    /// request is a full fetch. Any other top-level error also resets
    /// the session and is returned. Topics the session did not ask for are left out (and logged).
    pub(crate) fn handle_response(
        &mut self,
        response: FetchResponse,
        version: i16,
    ) -> Result<Vec<(Arc<str>, PartitionData)>, KrafkaError> {
        if response.error_code != 0 {
            return self.session_error(response.error_code);
        }
        let partitions = self.resolve_topics(response.responses, version);
        self.advance(response.session_id);
        Ok(partitions)
    }

    /// Forgets every partition: the next [`build`](Self::build) is a full fetch. It asks the
    /// broker to close the current session (if any) and open a new one.
    pub(crate) fn reset(&mut self) {
        self.next_epoch = INITIAL_EPOCH;
        self.partitions.clear();
    }

    /// Follows the session id a successful response carries.
    fn advance(&mut self, response_session_id: i32) {
        let was_full = self.next_epoch == INITIAL_EPOCH;
        match response_session_id {
            // No session was created (sessionless version, cache full, throttled) or the broker
            // ended it: keep asking with full fetches.
            NO_SESSION => {
                self.session_id = NO_SESSION;
                self.next_epoch = INITIAL_EPOCH;
            }
            id if was_full => {
                self.session_id = id;
                self.next_epoch = next_epoch(INITIAL_EPOCH);
            }
            id if id == self.session_id => self.next_epoch = next_epoch(self.next_epoch),
            id => {
                tracing::warn!(
                    node = self.node_id,
                    expected = self.session_id,
                    got = id,
                    "fetch response for another session; starting a new one"
                );
                self.reset();
            }
        }
    }

    /// Handles a top-level error code (non-zero).
    fn session_error(&mut self, raw: i16) -> Result<Vec<(Arc<str>, PartitionData)>, KrafkaError> {
        let code = ErrorCode::from_code(raw);
        tracing::debug!(
            node = self.node_id,
            session = self.session_id,
            ?code,
            raw,
            "fetch session reset"
        );
        if code == Some(ErrorCode::FetchSessionIdNotFound) {
            self.session_id = NO_SESSION;
        }
        self.reset();
        match code {
            Some(
                ErrorCode::FetchSessionIdNotFound
                | ErrorCode::InvalidFetchSessionEpoch
                | ErrorCode::FetchSessionTopicIdError,
            ) => Ok(Vec::new()),
            _ => KrafkaError::check_code(raw, None).map(|()| Vec::new()),
        }
    }

    /// Names each response topic: by its id from v13, by its name before.
    fn resolve_topics(
        &self,
        topics: Vec<FetchableTopicResponse>,
        version: i16,
    ) -> Vec<(Arc<str>, PartitionData)> {
        let by_topic_id = version >= FIRST_TOPIC_ID_VERSION;
        let names: HashMap<_, &Arc<str>> = self
            .partitions
            .values()
            .map(|p| (topic_key(by_topic_id, &p.topic, p.topic_id), &p.topic))
            .collect();
        let mut resolved = Vec::new();
        for topic in topics {
            let key = topic_key(by_topic_id, &topic.topic, topic.topic_id);
            let Some(&name) = names.get(&key) else {
                tracing::warn!(
                    node = self.node_id,
                    topic = %topic.topic,
                    topic_id = %topic.topic_id,
                    partitions = topic.partitions.len(),
                    "fetch response holds a topic this session did not ask for; ignoring it"
                );
                continue;
            };
            resolved.extend(topic.partitions.into_iter().map(|p| (Arc::clone(name), p)));
        }
        resolved
    }
}

/// What identifies a topic on the wire: its id from v13, its name before.
fn topic_key(by_topic_id: bool, name: &str, id: Uuid) -> (&str, Uuid) {
    if by_topic_id {
        ("", id)
    } else {
        (name, Uuid::ZERO)
    }
}

/// The epoch after `epoch`: one more, wrapping from `i32::MAX` to 1.
fn next_epoch(epoch: i32) -> i32 {
    if epoch == i32::MAX { 1 } else { epoch + 1 }
}

/// The request's topics: runs of consecutive partitions of one topic share an entry (a topic may
/// appear again later, as Kafka allows). Name and id are both filled; the encoder writes the one
/// `version` has.
fn fetch_topics(partitions: &[&WantedPartition], version: i16) -> Vec<FetchTopic> {
    let mut topics: Vec<FetchTopic> = Vec::new();
    for want in partitions {
        let partition = FetchPartition {
            partition: want.partition,
            current_leader_epoch: want.current_leader_epoch,
            fetch_offset: want.fetch_offset,
            // Not ignorable: versions without the field must carry its default.
            last_fetched_epoch: if version >= FIRST_LAST_FETCHED_EPOCH_VERSION {
                want.last_fetched_epoch
            } else {
                NO_EPOCH
            },
            log_start_offset: want.log_start_offset,
            partition_max_bytes: want.partition_max_bytes,
            ..FetchPartition::default()
        };
        match topics.last_mut() {
            Some(last) if last.topic == *want.topic && last.topic_id == want.topic_id => {
                last.partitions.push(partition);
            }
            _ => topics.push(FetchTopic {
                topic: want.topic.to_string(),
                topic_id: want.topic_id,
                partitions: vec![partition],
                ..FetchTopic::default()
            }),
        }
    }
    topics
}

/// The request's forgotten partitions, grouped like [`fetch_topics`].
fn forgotten_topics(partitions: &[&WantedPartition]) -> Vec<ForgottenTopic> {
    let mut topics: Vec<ForgottenTopic> = Vec::new();
    for gone in partitions {
        match topics.last_mut() {
            Some(last) if last.topic == *gone.topic && last.topic_id == gone.topic_id => {
                last.partitions.push(gone.partition);
            }
            _ => topics.push(ForgottenTopic {
                topic: gone.topic.to_string(),
                topic_id: gone.topic_id,
                partitions: vec![gone.partition],
                ..ForgottenTopic::default()
            }),
        }
    }
    topics
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;
    use krafka_core::codec::Message;

    use super::*;

    const V12: i16 = 12;
    const V13: i16 = 13;

    fn id(n: u8) -> Uuid {
        Uuid([n; 16])
    }

    fn want(topic: &str, topic_id: u8, partition: i32, fetch_offset: i64) -> WantedPartition {
        WantedPartition {
            topic: Arc::from(topic),
            topic_id: id(topic_id),
            partition,
            fetch_offset,
            current_leader_epoch: 5,
            last_fetched_epoch: 4,
            log_start_offset: -1,
            partition_max_bytes: 1 << 20,
        }
    }

    /// Builds a request and sends it through the codec at `version`, as the broker would read it.
    fn build(session: &mut FetchSession, wanted: &[WantedPartition], version: i16) -> FetchRequest {
        let mut request = FetchRequest::default();
        session.build(wanted, version, &mut request);
        let mut buf = BytesMut::new();
        request.encode_version(&mut buf, version).unwrap();
        FetchRequest::decode_version(&mut buf.freeze(), version).unwrap()
    }

    /// `(topic name, topic id, partition, fetch offset)` of each listed partition, in order.
    fn listed(request: &FetchRequest) -> Vec<(String, Uuid, i32, i64)> {
        request
            .topics
            .iter()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .map(|p| (t.topic.clone(), t.topic_id, p.partition, p.fetch_offset))
            })
            .collect()
    }

    fn forgotten(request: &FetchRequest) -> Vec<(String, Uuid, Vec<i32>)> {
        request
            .forgotten_topics_data
            .iter()
            .map(|t| (t.topic.clone(), t.topic_id, t.partitions.clone()))
            .collect()
    }

    fn partition(index: i32, high_watermark: i64) -> PartitionData {
        PartitionData {
            partition_index: index,
            high_watermark,
            ..PartitionData::default()
        }
    }

    /// A response naming topics `(name, id, partitions)`, passed through the codec at `version`.
    fn response(
        session_id: i32,
        error_code: i16,
        topics: Vec<(&str, u8, Vec<PartitionData>)>,
        version: i16,
    ) -> FetchResponse {
        let response = FetchResponse {
            session_id,
            error_code,
            responses: topics
                .into_iter()
                .map(|(name, topic_id, partitions)| FetchableTopicResponse {
                    topic: name.to_owned(),
                    topic_id: id(topic_id),
                    partitions,
                    ..FetchableTopicResponse::default()
                })
                .collect(),
            ..FetchResponse::default()
        };
        let mut buf = BytesMut::new();
        response.encode_version(&mut buf, version).unwrap();
        FetchResponse::decode_version(&mut buf.freeze(), version).unwrap()
    }

    /// Answers with session `session_id` and no data.
    fn answer(session: &mut FetchSession, session_id: i32, version: i16) {
        let got = session
            .handle_response(response(session_id, 0, vec![], version), version)
            .unwrap();
        assert!(got.is_empty());
    }

    fn names(got: &[(Arc<str>, PartitionData)]) -> Vec<(String, i32, i64)> {
        got.iter()
            .map(|(t, p)| (t.to_string(), p.partition_index, p.high_watermark))
            .collect()
    }

    #[test]
    fn first_request_is_a_full_fetch_that_creates_a_session() {
        let mut session = FetchSession::new(1);
        let wanted = [
            want("a", 1, 0, 10),
            want("a", 1, 1, 20),
            want("b", 2, 0, 30),
        ];
        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (0, 0));
        assert_eq!(
            request.topics.len(),
            2,
            "partitions of one topic share an entry"
        );
        assert_eq!(
            listed(&request),
            [
                ("a".into(), Uuid::ZERO, 0, 10),
                ("a".into(), Uuid::ZERO, 1, 20),
                ("b".into(), Uuid::ZERO, 0, 30)
            ]
        );
        let first = &request.topics[0].partitions[0];
        assert_eq!(
            (
                first.current_leader_epoch,
                first.last_fetched_epoch,
                first.partition_max_bytes
            ),
            (5, 4, 1 << 20)
        );
        assert!(request.forgotten_topics_data.is_empty());
    }

    #[test]
    fn incremental_requests_carry_only_new_and_changed_partitions() {
        let mut session = FetchSession::new(1);
        let mut wanted = vec![
            want("a", 1, 0, 10),
            want("a", 1, 1, 20),
            want("b", 2, 0, 30),
        ];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);

        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (42, 1));
        assert!(request.topics.is_empty(), "nothing changed");
        answer(&mut session, 42, V12);

        wanted[1].fetch_offset = 25;
        wanted[2].current_leader_epoch = 6;
        wanted.push(want("c", 3, 7, 0));
        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (42, 2));
        assert_eq!(
            listed(&request),
            [
                ("a".into(), Uuid::ZERO, 1, 25),
                ("b".into(), Uuid::ZERO, 0, 30),
                ("c".into(), Uuid::ZERO, 7, 0)
            ]
        );
        assert_eq!(request.topics[1].partitions[0].current_leader_epoch, 6);
        assert!(request.forgotten_topics_data.is_empty());
        answer(&mut session, 42, V12);

        wanted[0].partition_max_bytes = 1024;
        wanted[2].last_fetched_epoch = 9;
        let request = build(&mut session, &wanted, V12);
        assert_eq!(
            listed(&request),
            [
                ("a".into(), Uuid::ZERO, 0, 10),
                ("b".into(), Uuid::ZERO, 0, 30)
            ]
        );
    }

    #[test]
    fn removed_partitions_are_forgotten() {
        let mut session = FetchSession::new(1);
        let wanted = [
            want("a", 1, 0, 10),
            want("a", 1, 1, 20),
            want("b", 2, 0, 30),
            want("c", 3, 0, 0),
        ];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);

        let request = build(&mut session, &[wanted[1].clone()], V12);
        assert!(request.topics.is_empty());
        assert_eq!(
            forgotten(&request),
            [
                ("a".into(), Uuid::ZERO, vec![0]),
                ("b".into(), Uuid::ZERO, vec![0]),
                ("c".into(), Uuid::ZERO, vec![0])
            ]
        );
        answer(&mut session, 42, V12);

        // Forgotten once is enough; adding one back sends it as new.
        let request = build(&mut session, &[wanted[1].clone(), wanted[3].clone()], V12);
        assert!(request.forgotten_topics_data.is_empty());
        assert_eq!(listed(&request), [("c".into(), Uuid::ZERO, 0, 0)]);
    }

    #[test]
    fn epochs_count_up_per_response_and_wrap_to_one() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10)];
        for expected in [0, 1, 2, 3] {
            assert_eq!(build(&mut session, &wanted, V12).session_epoch, expected);
            answer(&mut session, 42, V12);
        }
        session.next_epoch = i32::MAX;
        assert_eq!(build(&mut session, &wanted, V12).session_epoch, i32::MAX);
        answer(&mut session, 42, V12);
        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (42, 1));
        assert!(
            request.topics.is_empty(),
            "wrapping does not restart the session"
        );
    }

    #[test]
    fn session_id_not_found_starts_over_without_a_session() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10), want("b", 2, 0, 30)];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);
        build(&mut session, &wanted, V12);

        let got = session
            .handle_response(response(0, 70, vec![], V12), V12)
            .unwrap();
        assert!(got.is_empty());
        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (0, 0));
        assert_eq!(listed(&request).len(), 2, "full fetch");
    }

    #[test]
    fn invalid_epoch_closes_the_session_and_opens_a_new_one() {
        for error in [71, 106] {
            let mut session = FetchSession::new(1);
            let wanted = [want("a", 1, 0, 10), want("b", 2, 0, 30)];
            build(&mut session, &wanted, V12);
            answer(&mut session, 42, V12);
            build(&mut session, &wanted, V12);

            let got = session
                .handle_response(response(0, error, vec![], V12), V12)
                .unwrap();
            assert!(got.is_empty());
            let request = build(&mut session, &wanted, V12);
            assert_eq!(
                (request.session_id, request.session_epoch),
                (42, 0),
                "error {error}"
            );
            assert_eq!(listed(&request).len(), 2, "full fetch after error {error}");
        }
    }

    #[test]
    fn other_top_level_errors_are_returned_and_reset_the_session() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10)];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);
        build(&mut session, &wanted, V12);

        let error = session
            .handle_response(response(0, 31, vec![], V12), V12)
            .unwrap_err();
        assert_eq!(
            error.error_code(),
            Some(ErrorCode::ClusterAuthorizationFailed)
        );
        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (42, 0));
        assert_eq!(listed(&request).len(), 1);
    }

    #[test]
    fn reset_makes_the_next_request_full_and_closes_the_old_session() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10), want("b", 2, 0, 30)];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);
        build(&mut session, &wanted, V12);
        session.reset();
        let request = build(&mut session, &wanted[..1], V12);
        assert_eq!((request.session_id, request.session_epoch), (42, 0));
        assert_eq!(listed(&request).len(), 1);
        assert!(request.forgotten_topics_data.is_empty());
        answer(&mut session, 43, V12);
        let request = build(&mut session, &wanted[..1], V12);
        assert_eq!((request.session_id, request.session_epoch), (43, 1));
    }

    #[test]
    fn versions_before_7_always_fetch_everything_without_a_session() {
        for version in 4..7 {
            let mut session = FetchSession::new(1);
            let mut wanted = vec![want("a", 1, 0, 10), want("b", 2, 0, 30)];
            let mut request = FetchRequest::default();
            session.build(&wanted, version, &mut request);
            assert_eq!((request.session_id, request.session_epoch), (0, -1));
            // The broker answers without the session fields.
            let got = session
                .handle_response(
                    response(0, 0, vec![("a", 0, vec![partition(0, 11)])], version),
                    version,
                )
                .unwrap();
            assert_eq!(names(&got), [("a".into(), 0, 11)]);

            wanted.pop();
            let request = build(&mut session, &wanted, version);
            assert_eq!((request.session_id, request.session_epoch), (0, -1));
            assert_eq!(
                listed(&request),
                [("a".into(), Uuid::ZERO, 0, 10)],
                "v{version}"
            );
            assert!(request.forgotten_topics_data.is_empty());
            assert_eq!(
                request.topics[0].partitions[0].last_fetched_epoch, -1,
                "v{version} has no last_fetched_epoch"
            );
        }
    }

    #[test]
    fn topics_are_named_before_v13_and_identified_from_v13() {
        let wanted = [want("a", 1, 0, 10), want("b", 2, 0, 30)];
        let mut session = FetchSession::new(1);
        let request = build(&mut session, &wanted, V12);
        assert_eq!(
            listed(&request),
            [
                ("a".into(), Uuid::ZERO, 0, 10),
                ("b".into(), Uuid::ZERO, 0, 30)
            ]
        );

        let mut session = FetchSession::new(1);
        let request = build(&mut session, &wanted, V13);
        assert_eq!(
            listed(&request),
            [(String::new(), id(1), 0, 10), (String::new(), id(2), 0, 30)]
        );
        answer(&mut session, 42, V13);
        let request = build(&mut session, &wanted[1..], V13);
        assert_eq!(forgotten(&request), [(String::new(), id(1), vec![0])]);
    }

    #[test]
    fn responses_are_resolved_to_topic_names() {
        let wanted = [
            want("a", 1, 0, 10),
            want("a", 1, 1, 10),
            want("b", 2, 0, 30),
        ];
        let mut session = FetchSession::new(1);
        build(&mut session, &wanted, V13);
        let got = session
            .handle_response(
                response(
                    42,
                    0,
                    vec![
                        ("", 2, vec![partition(0, 31)]),
                        ("", 9, vec![partition(0, 99)]), // an id nobody asked for
                        ("", 1, vec![partition(1, 12), partition(0, 11)]),
                    ],
                    V13,
                ),
                V13,
            )
            .unwrap();
        assert_eq!(
            names(&got),
            [
                ("b".into(), 0, 31),
                ("a".into(), 1, 12),
                ("a".into(), 0, 11)
            ]
        );

        let mut session = FetchSession::new(1);
        build(&mut session, &wanted, V12);
        let got = session
            .handle_response(
                response(
                    42,
                    0,
                    vec![
                        ("a", 0, vec![partition(0, 11)]),
                        ("zzz", 0, vec![partition(0, 1)]),
                    ],
                    V12,
                ),
                V12,
            )
            .unwrap();
        assert_eq!(names(&got), [("a".into(), 0, 11)]);
        assert_eq!(build(&mut session, &wanted, V12).session_epoch, 1);
    }

    #[test]
    fn no_session_in_the_response_keeps_fetching_in_full() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10)];
        for _ in 0..3 {
            let request = build(&mut session, &wanted, V12);
            assert_eq!((request.session_id, request.session_epoch), (0, 0));
            assert_eq!(listed(&request).len(), 1);
            answer(&mut session, 0, V12);
        }
        // A session the broker ends in an incremental response also means full fetches again.
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);
        assert!(build(&mut session, &wanted, V12).topics.is_empty());
        answer(&mut session, 0, V12);
        let request = build(&mut session, &wanted, V12);
        assert_eq!((request.session_id, request.session_epoch), (0, 0));
        assert_eq!(listed(&request).len(), 1);
    }

    #[test]
    fn a_response_from_another_session_starts_over() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10)];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);
        build(&mut session, &wanted, V12);
        answer(&mut session, 77, V12);
        let request = build(&mut session, &wanted, V12);
        assert_eq!(request.session_epoch, 0);
        assert_eq!(listed(&request).len(), 1);
    }

    #[test]
    fn a_recreated_topic_replaces_its_old_id() {
        let mut session = FetchSession::new(1);
        let mut wanted = vec![want("a", 1, 0, 10), want("a", 1, 1, 10)];
        build(&mut session, &wanted, V13);
        answer(&mut session, 42, V13);
        wanted[0] = want("a", 5, 0, 0);
        let request = build(&mut session, &wanted, V13);
        assert_eq!(listed(&request), [(String::new(), id(5), 0, 0)]);
        assert_eq!(forgotten(&request), [(String::new(), id(1), vec![0])]);

        // A full fetch forgets nothing, even right after a session without one.
        answer(&mut session, 0, V13);
        wanted[1] = want("a", 5, 1, 0);
        let request = build(&mut session, &wanted, V13);
        assert_eq!(request.session_epoch, 0);
        assert_eq!(listed(&request).len(), 2);
        assert!(request.forgotten_topics_data.is_empty());
    }

    #[test]
    fn switching_between_names_and_ids_starts_a_new_session() {
        let mut session = FetchSession::new(1);
        let wanted = [want("a", 1, 0, 10)];
        build(&mut session, &wanted, V12);
        answer(&mut session, 42, V12);
        let request = build(&mut session, &wanted, V13);
        assert_eq!((request.session_id, request.session_epoch), (42, 0));
        assert_eq!(listed(&request), [(String::new(), id(1), 0, 10)]);
    }

    #[test]
    fn order_is_kept_and_duplicates_are_sent_once() {
        let mut session = FetchSession::new(1);
        let wanted = [
            want("b", 2, 0, 30),
            want("a", 1, 3, 10),
            want("b", 2, 0, 99),
            want("b", 2, 1, 31),
        ];
        let request = build(&mut session, &wanted, V12);
        assert_eq!(
            request.topics.len(),
            3,
            "a topic may come back after another"
        );
        assert_eq!(
            listed(&request),
            [
                ("b".into(), Uuid::ZERO, 0, 30),
                ("a".into(), Uuid::ZERO, 3, 10),
                ("b".into(), Uuid::ZERO, 1, 31)
            ]
        );
    }
}
