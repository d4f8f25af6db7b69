//! The transaction's state machine: which call may come next, and what a
//! failure does to the transaction. No I/O: the producer's calls and its
//! sender drive it under the accumulator's lock.

use krafka_core::{ErrorCode, KrafkaError};

/// Where the producer is in its transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// `init_transactions` has not succeeded yet.
    Uninitialized,
    /// Between transactions.
    Ready,
    /// `begin_transaction` was called; sends and offsets go in.
    InTransaction,
    /// `commit_transaction` is under way (or timed out and may be called again).
    Committing,
    /// `abort_transaction` is under way (or timed out and may be called again).
    Aborting,
}

/// How a failure of a transactional request affects the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Trying again may succeed (the coordinator moved or is busy).
    Retriable,
    /// The transaction must be aborted; then the producer goes on.
    Abortable,
    /// The producer cannot go on.
    Fatal,
}

/// Sorts a failure as the Java producer does: fencing, a transactional id
/// the producer may not use and a broker without what transactions need
/// end the producer; the coordinator's moves are retried; anything else
/// fails the transaction only. `v2` is whether the cluster runs
/// transaction version 2 (KIP-890), where an epoch the broker does not
/// expect means the transaction was aborted under the producer (a
/// timeout), which an abort recovers from, rather than a zombie.
pub(crate) fn classify(error: &KrafkaError, v2: bool) -> Class {
    if let KrafkaError::Transaction { fatal, .. } = error {
        return if *fatal {
            Class::Fatal
        } else {
            Class::Abortable
        };
    }
    match error.error_code() {
        Some(
            ErrorCode::ProducerFenced
            | ErrorCode::TransactionalIdAuthorizationFailed
            | ErrorCode::ClusterAuthorizationFailed
            | ErrorCode::UnsupportedVersion
            | ErrorCode::UnsupportedForMessageFormat
            | ErrorCode::InvalidTransactionTimeout
            | ErrorCode::InvalidTxnState,
        ) => Class::Fatal,
        Some(ErrorCode::InvalidProducerEpoch) if !v2 => Class::Fatal,
        Some(
            ErrorCode::NotCoordinator
            | ErrorCode::CoordinatorNotAvailable
            | ErrorCode::CoordinatorLoadInProgress
            | ErrorCode::ConcurrentTransactions,
        ) => Class::Retriable,
        _ if matches!(error, KrafkaError::UnsupportedVersion { .. }) => Class::Fatal,
        _ if error.is_retriable() => Class::Retriable,
        _ => Class::Abortable,
    }
}

/// The transactional part of the producer's state.
#[derive(Debug)]
pub(crate) struct TxnState {
    pub(crate) phase: Phase,
    /// Transaction version 2 (KIP-890): Produce v12+ adds a partition to
    /// the transaction, TxnOffsetCommit v5+ adds the group, and every
    /// EndTxn starts a new epoch.
    pub(crate) v2: bool,
    /// The coordinator knows of this transaction (a partition or the group
    /// was added, a batch went out): ending it needs an EndTxn.
    pub(crate) started: bool,
    /// The transaction's first failure: the commit refuses, an abort clears it.
    abortable: Option<KrafkaError>,
    /// The producer's end: every later call fails with it.
    fatal: Option<KrafkaError>,
    /// A batch's sequences are unresolved: the abort must start a new epoch
    /// (Java's KIP-360 epoch bump).
    pub(crate) bump_on_abort: bool,
}

impl TxnState {
    pub(crate) fn new() -> Self {
        TxnState {
            phase: Phase::Uninitialized,
            v2: false,
            started: false,
            abortable: None,
            fatal: None,
            bump_on_abort: false,
        }
    }

    fn check_fatal(&self) -> Result<(), KrafkaError> {
        match &self.fatal {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    fn check_abortable(&self) -> Result<(), KrafkaError> {
        match &self.abortable {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    /// A record may be queued: inside a transaction that has not failed.
    pub(crate) fn check_send(&self) -> Result<(), KrafkaError> {
        self.check_fatal()?;
        self.check_abortable()?;
        match self.phase {
            Phase::InTransaction => Ok(()),
            Phase::Uninitialized => Err(KrafkaError::state(
                "a transactional producer sends only after init_transactions",
            )),
            _ => Err(KrafkaError::state(
                "a transactional producer sends only inside a transaction: call begin_transaction",
            )),
        }
    }

    /// `init_transactions` may run (once, or again after it failed with a
    /// retriable error).
    pub(crate) fn check_init(&self) -> Result<(), KrafkaError> {
        self.check_fatal()?;
        if self.phase != Phase::Uninitialized {
            return Err(KrafkaError::state("init_transactions was already called"));
        }
        Ok(())
    }

    /// A transaction is open, or its abort did not finish.
    pub(crate) fn is_open(&self) -> bool {
        self.fatal.is_none() && matches!(self.phase, Phase::InTransaction | Phase::Aborting)
    }

    pub(crate) fn initialized(&mut self, v2: bool) {
        self.phase = Phase::Ready;
        self.v2 = v2;
    }

    pub(crate) fn begin(&mut self) -> Result<(), KrafkaError> {
        self.check_fatal()?;
        match self.phase {
            Phase::Ready => {
                self.phase = Phase::InTransaction;
                Ok(())
            }
            Phase::Uninitialized => Err(KrafkaError::state(
                "begin_transaction needs init_transactions first",
            )),
            Phase::InTransaction => Err(KrafkaError::state("a transaction is already open")),
            Phase::Committing | Phase::Aborting => Err(KrafkaError::state(
                "the last commit or abort did not finish: call it again",
            )),
        }
    }

    /// Offsets may be added: inside a transaction that has not failed.
    pub(crate) fn check_offsets(&self) -> Result<(), KrafkaError> {
        self.check_fatal()?;
        self.check_abortable()?;
        if self.phase != Phase::InTransaction {
            return Err(KrafkaError::state(
                "send_offsets_to_transaction needs an open transaction",
            ));
        }
        Ok(())
    }

    /// The commit starts (or, after it timed out, goes on).
    pub(crate) fn begin_commit(&mut self) -> Result<(), KrafkaError> {
        self.check_fatal()?;
        self.check_abortable()?;
        match self.phase {
            Phase::InTransaction | Phase::Committing => {
                self.phase = Phase::Committing;
                Ok(())
            }
            Phase::Aborting => Err(KrafkaError::state(
                "the last abort did not finish: call abort_transaction again",
            )),
            _ => Err(KrafkaError::state(
                "commit_transaction needs an open transaction",
            )),
        }
    }

    /// The abort starts (or, after it timed out, goes on).
    pub(crate) fn begin_abort(&mut self) -> Result<(), KrafkaError> {
        self.check_fatal()?;
        match self.phase {
            Phase::InTransaction | Phase::Aborting => {
                self.phase = Phase::Aborting;
                Ok(())
            }
            // A commit refused for an abortable error can still be aborted.
            Phase::Committing if self.abortable.is_some() => {
                self.phase = Phase::Aborting;
                Ok(())
            }
            Phase::Committing => Err(KrafkaError::state(
                "the last commit did not finish: call commit_transaction again",
            )),
            _ => Err(KrafkaError::state(
                "abort_transaction needs an open transaction",
            )),
        }
    }

    /// The abort may go on to the coordinator once nothing is in flight:
    /// unless a batch's answer ended the producer meanwhile.
    pub(crate) fn check_abort_continues(&self) -> Result<(), KrafkaError> {
        self.check_fatal()
    }

    /// The transaction ended (committed or aborted): the next may begin.
    pub(crate) fn ended(&mut self) {
        self.phase = Phase::Ready;
        self.started = false;
        self.abortable = None;
        self.bump_on_abort = false;
    }

    /// Records `error` as the transaction's (or the producer's) failure,
    /// by its class, and returns it as the caller should see it.
    pub(crate) fn fail(&mut self, error: KrafkaError) -> KrafkaError {
        match classify(&error, self.v2) {
            Class::Fatal => {
                let error = KrafkaError::transaction(true, error);
                self.fatal.get_or_insert(error).clone()
            }
            Class::Abortable => {
                let error = KrafkaError::transaction(false, error);
                if self.phase == Phase::Uninitialized {
                    return error;
                }
                self.abortable.get_or_insert(error).clone()
            }
            Class::Retriable => error,
        }
    }

    /// A batch of the transaction failed for good: the commit must not
    /// happen. Unresolved sequences (`bump`) need a new epoch after the abort.
    pub(crate) fn batch_failed(&mut self, error: &KrafkaError, bump: bool) -> KrafkaError {
        self.bump_on_abort |= bump;
        let error = match classify(error, self.v2) {
            Class::Fatal => error.clone(),
            // However retriable its cause, a batch (or a partition's
            // addition) given up is the transaction's failure.
            _ => KrafkaError::transaction(false, error.clone()),
        };
        self.fail(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broker(code: ErrorCode) -> KrafkaError {
        KrafkaError::from(code)
    }

    fn ready(v2: bool) -> TxnState {
        let mut state = TxnState::new();
        state.check_init().unwrap();
        state.initialized(v2);
        state
    }

    #[test]
    fn calls_follow_the_java_order() {
        let mut state = TxnState::new();
        assert!(state.check_send().is_err(), "no send before init");
        assert!(state.begin().is_err(), "no begin before init");
        state.initialized(true);
        assert!(state.check_init().is_err(), "init once");
        assert!(state.check_send().is_err(), "no send outside a transaction");
        assert!(state.begin_commit().is_err());
        assert!(state.begin_abort().is_err());
        state.begin().unwrap();
        assert!(state.begin().is_err(), "one transaction at a time");
        state.check_send().unwrap();
        state.check_offsets().unwrap();
        state.begin_commit().unwrap();
        // A commit that timed out is called again, not aborted.
        state.begin_commit().unwrap();
        assert!(state.begin_abort().is_err());
        assert!(state.begin().is_err());
        state.ended();
        state.begin().unwrap();
        state.begin_abort().unwrap();
        assert!(
            state.begin_commit().is_err(),
            "an abort is not turned into a commit"
        );
        state.ended();
        assert_eq!(state.phase, Phase::Ready);
    }

    #[test]
    fn an_abortable_failure_refuses_the_commit_until_an_abort() {
        let mut state = ready(true);
        state.begin().unwrap();
        state.batch_failed(&broker(ErrorCode::TopicAuthorizationFailed), false);
        let refused = state.begin_commit().unwrap_err();
        assert!(refused.is_abortable_transaction_error(), "{refused:?}");
        assert_eq!(
            refused.error_code(),
            Some(ErrorCode::TopicAuthorizationFailed)
        );
        assert!(state.check_send().is_err());
        assert!(state.check_offsets().is_err());
        state.begin_abort().unwrap();
        state.ended();
        state.begin().unwrap();
        state.check_send().unwrap();
    }

    #[test]
    fn a_batch_given_up_on_a_retriable_error_still_fails_the_transaction() {
        let mut state = ready(true);
        state.begin().unwrap();
        state.batch_failed(
            &KrafkaError::timeout("delivery", std::time::Duration::ZERO),
            true,
        );
        assert!(state.bump_on_abort);
        assert!(
            state
                .begin_commit()
                .unwrap_err()
                .is_abortable_transaction_error()
        );
    }

    #[test]
    fn fencing_ends_the_producer_for_every_later_call() {
        let mut state = ready(false);
        state.begin().unwrap();
        let error = state.fail(broker(ErrorCode::ProducerFenced));
        assert!(error.is_fatal_transaction_error());
        for result in [
            state.check_send(),
            state.check_offsets(),
            state.begin_commit(),
            state.begin_abort(),
            state.begin(),
        ] {
            let error = result.unwrap_err();
            assert!(error.is_fatal_transaction_error(), "{error:?}");
            assert_eq!(error.error_code(), Some(ErrorCode::ProducerFenced));
        }
    }

    #[test]
    fn an_unexpected_epoch_is_fatal_under_v1_and_abortable_under_v2() {
        let epoch = broker(ErrorCode::InvalidProducerEpoch);
        assert_eq!(classify(&epoch, false), Class::Fatal);
        assert_eq!(classify(&epoch, true), Class::Abortable);
        assert_eq!(
            classify(&broker(ErrorCode::ConcurrentTransactions), false),
            Class::Retriable
        );
        assert_eq!(
            classify(&broker(ErrorCode::NotCoordinator), true),
            Class::Retriable
        );
        assert_eq!(
            classify(&broker(ErrorCode::TransactionalIdAuthorizationFailed), true),
            Class::Fatal
        );
        assert_eq!(
            classify(&broker(ErrorCode::TransactionAbortable), true),
            Class::Abortable
        );
        assert_eq!(
            classify(&broker(ErrorCode::GroupAuthorizationFailed), true),
            Class::Abortable
        );
    }

    #[test]
    fn a_retriable_failure_leaves_the_transaction_as_it_was() {
        let mut state = ready(true);
        state.begin().unwrap();
        let error = state.fail(broker(ErrorCode::CoordinatorLoadInProgress));
        assert!(!error.is_abortable_transaction_error());
        state.check_send().unwrap();
        state.begin_commit().unwrap();
    }
}
