//! Admin requests about keys that a coordinator owns (group ids,
//! transactional ids): one request per coordinator for the keys it
//! coordinates, again for the keys whose coordinator moved.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::{Mutex, PoisonError};

use krafka_core::{ErrorCode, KrafkaError};

use super::Admin;
use crate::cluster::{BrokerNode, Cluster, CoordinatorType};
use crate::connection::Connection;

/// Each key's answer.
pub(super) type KeyResults<T> = Vec<(String, Result<T, KrafkaError>)>;

impl Admin {
    /// Runs `send` once per coordinator of `kind` with the keys it
    /// coordinates, again for the keys whose coordinator moved, was loading
    /// or could not be reached, or whose error is one of `also` (within
    /// `default.api.timeout.ms`), and returns each key's result.
    pub(super) async fn by_coordinator<T, F, Fut>(
        &self,
        kind: CoordinatorType,
        keys: &[String],
        also: &[ErrorCode],
        send: F,
    ) -> BTreeMap<String, Result<T, KrafkaError>>
    where
        F: Fn(Connection, BrokerNode, Vec<String>) -> Fut,
        Fut: Future<Output = Result<KeyResults<T>, KrafkaError>>,
    {
        let cluster = &self.cluster;
        let done = Mutex::new(BTreeMap::new());
        let send = &send;
        let outcome = cluster
            .retry(|| {
                let done = &done;
                async move {
                    let mut by_node: BTreeMap<i32, (BrokerNode, Vec<String>)> = BTreeMap::new();
                    let mut results = Vec::new();
                    let pending = keys.iter().filter(|k| !lock(done).contains_key(*k));
                    for key in pending.collect::<BTreeSet<_>>() {
                        match cluster.coordinator(kind, key).await {
                            Ok(node) => by_node
                                .entry(node.node_id)
                                .or_insert_with(|| (node, Vec::new()))
                                .1
                                .push(key.clone()),
                            Err(error) => results.push((key.clone(), Err(error))),
                        }
                    }
                    for (node, keys) in by_node.into_values() {
                        let answered = match cluster.coordinator_connection(kind, &keys[0]).await {
                            Ok(connection) => send(connection, node, keys.clone()).await,
                            Err(error) => Err(error),
                        };
                        match answered {
                            Ok(answered) => results.extend(answered),
                            Err(error) => {
                                results.extend(keys.into_iter().map(|k| (k, Err(error.clone()))));
                            }
                        }
                    }
                    let mut again = None;
                    for (key, result) in results {
                        match result {
                            Err(error) if worth_retrying(&error, also) => {
                                forget_coordinator(cluster, kind, &key, &error);
                                again.get_or_insert(error);
                            }
                            result => {
                                lock(done).insert(key, result);
                            }
                        }
                    }
                    again.map_or(Ok(()), Err)
                }
            })
            .await;
        let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = outcome {
            for key in keys {
                done.entry(key.clone())
                    .or_insert_with(|| Err(error.clone()));
            }
        }
        done
    }
}

/// Whether a key's error is worth another round: the coordinator moved,
/// is loading or could not be reached, or the code is one of `also`.
/// `Cluster::retry` only goes on with errors that are retriable, so every
/// code in `also` must be one.
fn worth_retrying(error: &KrafkaError, also: &[ErrorCode]) -> bool {
    match error.error_code() {
        Some(code) => {
            matches!(
                code,
                ErrorCode::NotCoordinator
                    | ErrorCode::CoordinatorNotAvailable
                    | ErrorCode::CoordinatorLoadInProgress
            ) || also.contains(&code)
        }
        None => error.is_retriable(),
    }
}

/// Forgets the cached coordinator of `key` when `error` says it moved or
/// cannot be reached, so that the next round finds it again.
fn forget_coordinator(cluster: &Cluster, kind: CoordinatorType, key: &str, error: &KrafkaError) {
    let moved = matches!(
        error.error_code(),
        Some(ErrorCode::NotCoordinator | ErrorCode::CoordinatorNotAvailable)
    );
    if moved || (error.error_code().is_none() && error.invalidates_metadata()) {
        cluster.invalidate_coordinator(kind, key);
    }
}

/// The answers of a request for `asked` keys (`what`: "group",
/// "transactional id"): an answer for a key not asked for is a protocol
/// error, a key left out is one too.
pub(super) fn answers_for<T>(
    peer: &str,
    api: &str,
    what: &str,
    asked: &[String],
    answered: KeyResults<T>,
) -> Result<KeyResults<T>, KrafkaError> {
    if let Some((stranger, _)) = answered.iter().find(|(k, _)| !asked.contains(k)) {
        return Err(KrafkaError::protocol(
            peer,
            format!("{api} answered for {what} {stranger}, which was not asked for"),
        ));
    }
    let mut out = answered;
    for key in asked {
        if !out.iter().any(|(k, _)| k == key) {
            out.push((
                key.clone(),
                Err(KrafkaError::protocol(
                    peer,
                    format!("{api} answered without {what} {key}"),
                )),
            ));
        }
    }
    Ok(out)
}

/// The result for `key`, which [`Admin::by_coordinator`] always has (a key
/// named twice gets the same answer twice).
pub(super) fn take<T: Clone>(
    results: &BTreeMap<String, Result<T, KrafkaError>>,
    key: &str,
) -> Result<T, KrafkaError> {
    results
        .get(key)
        .cloned()
        .unwrap_or_else(|| Err(KrafkaError::state(format!("no result for {key}"))))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_must_match_the_keys_asked() {
        let asked = vec!["a".to_owned(), "b".to_owned()];
        let answered: KeyResults<u8> = vec![("a".to_owned(), Ok(1))];
        let out = answers_for(
            "peer",
            "DescribeTransactions",
            "transactional id",
            &asked,
            answered,
        )
        .expect("a known key");
        assert_eq!(out.len(), 2);
        assert!(
            matches!(&out[1], (k, Err(KrafkaError::Protocol { .. })) if k == "b"),
            "{out:?}"
        );
        let stranger: KeyResults<u8> = vec![("c".to_owned(), Ok(1))];
        let error = answers_for("peer", "DescribeGroups", "group", &asked, stranger)
            .expect_err("an answer for a key not asked for");
        assert!(error.to_string().contains("group c"), "{error}");
    }

    #[test]
    fn coordinator_moves_and_listed_codes_are_retried() {
        let code = |c: ErrorCode| KrafkaError::from(c);
        assert!(worth_retrying(&code(ErrorCode::NotCoordinator), &[]));
        assert!(worth_retrying(
            &code(ErrorCode::CoordinatorLoadInProgress),
            &[]
        ));
        assert!(!worth_retrying(
            &code(ErrorCode::ConcurrentTransactions),
            &[]
        ));
        assert!(worth_retrying(
            &code(ErrorCode::ConcurrentTransactions),
            &[ErrorCode::ConcurrentTransactions]
        ));
        assert!(!worth_retrying(
            &code(ErrorCode::TransactionalIdNotFound),
            &[]
        ));
    }
}
