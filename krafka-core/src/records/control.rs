//! Control records: the markers a transaction coordinator writes into a
//! partition when a transaction commits or aborts (and, in KRaft metadata
//! logs, a few other kinds).
//!
//! A control record lives in a batch with the control attribute bit set. Its
//! key is `version i16 | type i16`; for commit and abort markers the value is
//! `version i16 | coordinatorEpoch i32`. Later versions may append fields,
//! which are ignored, as the Java client does.

use bytes::Bytes;

use super::record::Record;
use crate::KrafkaError;

/// Key schema version this client writes.
const KEY_VERSION: i16 = 0;
/// Value schema version of transaction markers this client writes.
const MARKER_VERSION: i16 = 0;
const KEY_LEN: usize = 4;
const MARKER_LEN: usize = 6;

/// The type field of a control record key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ControlRecordType {
    /// The transaction aborted (type 0).
    Abort,
    /// The transaction committed (type 1).
    Commit,
    /// Any other type (KRaft leader change, snapshot markers, ...), kept raw.
    Other(i16),
}

impl ControlRecordType {
    /// The wire code.
    pub fn code(self) -> i16 {
        match self {
            ControlRecordType::Abort => 0,
            ControlRecordType::Commit => 1,
            ControlRecordType::Other(code) => code,
        }
    }

    /// The type for a wire code.
    pub fn from_code(code: i16) -> Self {
        match code {
            0 => ControlRecordType::Abort,
            1 => ControlRecordType::Commit,
            other => ControlRecordType::Other(other),
        }
    }
}

/// The value of a commit or abort marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransactionMarker {
    /// Value schema version.
    pub version: i16,
    /// Epoch of the transaction coordinator that wrote the marker.
    pub coordinator_epoch: i32,
}

/// A parsed control record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ControlRecord {
    /// Key schema version.
    pub version: i16,
    /// What the record marks.
    pub kind: ControlRecordType,
    /// The marker value, for [`ControlRecordType::Abort`] and [`ControlRecordType::Commit`].
    pub marker: Option<TransactionMarker>,
    /// The raw value, for the other kinds (whose schemas this client does not read).
    pub value: Option<Bytes>,
}

impl ControlRecord {
    /// A commit or abort marker as a transaction coordinator writes it.
    pub fn transaction_marker(commit: bool, coordinator_epoch: i32) -> Self {
        ControlRecord {
            version: KEY_VERSION,
            kind: if commit {
                ControlRecordType::Commit
            } else {
                ControlRecordType::Abort
            },
            marker: Some(TransactionMarker {
                version: MARKER_VERSION,
                coordinator_epoch,
            }),
            value: None,
        }
    }

    /// Parses a record from a control batch.
    pub fn parse(record: &Record) -> Result<Self, KrafkaError> {
        Self::from_key_value(record.key.as_deref(), record.value.as_ref())
    }

    /// Parses a control record from its key and value.
    pub fn from_key_value(key: Option<&[u8]>, value: Option<&Bytes>) -> Result<Self, KrafkaError> {
        let key = key
            .and_then(|key| key.first_chunk::<KEY_LEN>())
            .ok_or_else(|| {
                KrafkaError::corrupt_record(format!(
                    "control record key must hold at least {KEY_LEN} bytes (version, type)"
                ))
            })?;
        let version = i16::from_be_bytes([key[0], key[1]]);
        let kind = ControlRecordType::from_code(i16::from_be_bytes([key[2], key[3]]));
        match kind {
            ControlRecordType::Abort | ControlRecordType::Commit => {
                let value = value
                    .and_then(|value| value.first_chunk::<MARKER_LEN>())
                    .ok_or_else(|| {
                        KrafkaError::corrupt_record(format!(
                            "transaction marker value must hold at least {MARKER_LEN} bytes \
                             (version, coordinator epoch)"
                        ))
                    })?;
                Ok(ControlRecord {
                    version,
                    kind,
                    marker: Some(TransactionMarker {
                        version: i16::from_be_bytes([value[0], value[1]]),
                        coordinator_epoch: i32::from_be_bytes([
                            value[2], value[3], value[4], value[5],
                        ]),
                    }),
                    value: None,
                })
            }
            ControlRecordType::Other(_) => Ok(ControlRecord {
                version,
                kind,
                marker: None,
                value: value.cloned(),
            }),
        }
    }

    /// The record key: version and type.
    pub fn key(&self) -> [u8; KEY_LEN] {
        let mut key = [0u8; KEY_LEN];
        key[..2].copy_from_slice(&self.version.to_be_bytes());
        key[2..].copy_from_slice(&self.kind.code().to_be_bytes());
        key
    }

    /// The record value: the marker for commit and abort, the raw value otherwise.
    pub fn value(&self) -> Option<Bytes> {
        match self.marker {
            Some(marker) => {
                let mut value = Vec::with_capacity(MARKER_LEN);
                value.extend_from_slice(&marker.version.to_be_bytes());
                value.extend_from_slice(&marker.coordinator_epoch.to_be_bytes());
                Some(Bytes::from(value))
            }
            None => self.value.clone(),
        }
    }

    /// Whether this marks a committed transaction.
    pub fn is_commit(&self) -> bool {
        self.kind == ControlRecordType::Commit
    }

    /// Whether this marks an aborted transaction.
    pub fn is_abort(&self) -> bool {
        self.kind == ControlRecordType::Abort
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_marker_bytes() {
        let marker = ControlRecord::transaction_marker(true, 7);
        assert_eq!(marker.key(), [0, 0, 0, 1]);
        assert_eq!(marker.value().as_deref(), Some(&[0u8, 0, 0, 0, 0, 7][..]));
        let parsed =
            ControlRecord::from_key_value(Some(&marker.key()), marker.value().as_ref()).unwrap();
        assert_eq!(parsed, marker);
        assert!(parsed.is_commit());
    }

    #[test]
    fn abort_marker_with_newer_trailing_fields() {
        let value = Bytes::from_static(&[0, 1, 0xff, 0xff, 0xff, 0xfe, 0xaa, 0xbb]);
        let parsed = ControlRecord::from_key_value(Some(&[0, 0, 0, 0]), Some(&value)).unwrap();
        assert!(parsed.is_abort());
        assert_eq!(
            parsed.marker,
            Some(TransactionMarker {
                version: 1,
                coordinator_epoch: -2
            })
        );
    }

    #[test]
    fn other_kinds_keep_their_value() {
        let value = Bytes::from_static(b"leader change");
        let parsed = ControlRecord::from_key_value(Some(&[0, 0, 0, 2]), Some(&value)).unwrap();
        assert_eq!(parsed.kind, ControlRecordType::Other(2));
        assert_eq!(parsed.value(), Some(value));
        assert_eq!(parsed.key(), [0, 0, 0, 2]);
    }

    #[test]
    fn short_keys_and_values_are_errors() {
        assert!(ControlRecord::from_key_value(None, None).is_err());
        assert!(ControlRecord::from_key_value(Some(&[0, 0, 0]), None).is_err());
        let short = Bytes::from_static(&[0, 0, 0, 0, 1]);
        assert!(ControlRecord::from_key_value(Some(&[0, 0, 0, 1]), Some(&short)).is_err());
        assert!(ControlRecord::from_key_value(Some(&[0, 0, 0, 1]), None).is_err());
    }
}
