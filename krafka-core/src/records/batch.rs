//! The fixed 61-byte header of a v2 record batch and its attribute bits.

use super::compression::Compression;
use super::{BATCH_HEADER_LEN, LOG_OVERHEAD, MAGIC};
use crate::KrafkaError;

/// Byte offsets of the header fields, from the start of the batch.
pub(crate) mod offset {
    pub const BASE_OFFSET: usize = 0;
    pub const BATCH_LENGTH: usize = 8;
    pub const PARTITION_LEADER_EPOCH: usize = 12;
    pub const MAGIC: usize = 16;
    pub const CRC: usize = 17;
    /// The CRC covers everything from here to the end of the batch.
    pub const ATTRIBUTES: usize = 21;
    pub const LAST_OFFSET_DELTA: usize = 23;
    pub const BASE_TIMESTAMP: usize = 27;
    pub const MAX_TIMESTAMP: usize = 35;
    pub const PRODUCER_ID: usize = 43;
    pub const PRODUCER_EPOCH: usize = 51;
    pub const BASE_SEQUENCE: usize = 53;
    pub const RECORD_COUNT: usize = 57;
}

/// Smallest `batchLength` a v2 batch can declare: the header after the length field.
pub(crate) const MIN_BATCH_LENGTH: usize = BATCH_HEADER_LEN - LOG_OVERHEAD;

/// What a record's timestamp means (attribute bit 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimestampType {
    /// Set by the producer when the record was created.
    #[default]
    CreateTime,
    /// Set by the broker when it appended the batch; every record then has
    /// the batch's max timestamp.
    LogAppendTime,
}

/// The 16-bit attributes field of a batch, kept raw so unknown bits survive a
/// round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Attributes(pub i16);

impl Attributes {
    const COMPRESSION_MASK: i16 = 0b111;
    const TIMESTAMP_TYPE: i16 = 1 << 3;
    const TRANSACTIONAL: i16 = 1 << 4;
    const CONTROL: i16 = 1 << 5;
    const DELETE_HORIZON: i16 = 1 << 6;

    /// The raw compression code (bits 0-2).
    pub fn compression_code(self) -> u8 {
        (self.0 & Self::COMPRESSION_MASK) as u8
    }

    /// The compression codec, or an error for codes 5-7, which Kafka does not define.
    pub fn compression(self) -> Result<Compression, KrafkaError> {
        Compression::from_code(self.compression_code())
    }

    /// What the record timestamps mean (bit 3).
    pub fn timestamp_type(self) -> TimestampType {
        if self.0 & Self::TIMESTAMP_TYPE != 0 {
            TimestampType::LogAppendTime
        } else {
            TimestampType::CreateTime
        }
    }

    /// Whether the batch belongs to a transaction (bit 4).
    pub fn is_transactional(self) -> bool {
        self.0 & Self::TRANSACTIONAL != 0
    }

    /// Whether the batch holds control records (bit 5).
    pub fn is_control(self) -> bool {
        self.0 & Self::CONTROL != 0
    }

    /// Whether the base timestamp is the compaction delete horizon (bit 6).
    pub fn has_delete_horizon(self) -> bool {
        self.0 & Self::DELETE_HORIZON != 0
    }

    /// These attributes with the compression bits replaced.
    #[must_use]
    pub fn with_compression(self, compression: Compression) -> Self {
        Attributes((self.0 & !Self::COMPRESSION_MASK) | i16::from(compression.code()))
    }

    /// These attributes with the timestamp type replaced.
    #[must_use]
    pub fn with_timestamp_type(self, timestamp_type: TimestampType) -> Self {
        self.with_bit(
            Self::TIMESTAMP_TYPE,
            timestamp_type == TimestampType::LogAppendTime,
        )
    }

    /// These attributes with the transactional bit set or cleared.
    #[must_use]
    pub fn with_transactional(self, transactional: bool) -> Self {
        self.with_bit(Self::TRANSACTIONAL, transactional)
    }

    /// These attributes with the control bit set or cleared.
    #[must_use]
    pub fn with_control(self, control: bool) -> Self {
        self.with_bit(Self::CONTROL, control)
    }

    /// These attributes with the delete-horizon bit set or cleared.
    #[must_use]
    pub fn with_delete_horizon(self, delete_horizon: bool) -> Self {
        self.with_bit(Self::DELETE_HORIZON, delete_horizon)
    }

    fn with_bit(self, bit: i16, on: bool) -> Self {
        if on {
            Attributes(self.0 | bit)
        } else {
            Attributes(self.0 & !bit)
        }
    }
}

/// Every field of a v2 batch header, as read off the wire.
///
/// When building, [`RecordBatchBuilder`](super::RecordBatchBuilder) computes
/// `batch_length`, `crc`, `last_offset_delta`, the timestamps and
/// `record_count` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchHeader {
    /// Offset of the first record (0 from a producer; the broker assigns it).
    pub base_offset: i64,
    /// Bytes after this field to the end of the batch.
    pub batch_length: i32,
    /// Leader epoch of the broker that appended the batch (-1 from a producer).
    pub partition_leader_epoch: i32,
    /// Format version; always [`MAGIC`] for a batch this module decoded.
    pub magic: i8,
    /// CRC-32C of the bytes from `attributes` to the end of the batch.
    pub crc: u32,
    /// Compression, timestamp type, transactional, control and delete-horizon bits.
    pub attributes: Attributes,
    /// Offset of the last record minus `base_offset`.
    pub last_offset_delta: i32,
    /// Timestamp the record timestamp deltas are relative to (the first
    /// record's, or the delete horizon when that bit is set).
    pub base_timestamp: i64,
    /// Largest record timestamp (or the log append time).
    pub max_timestamp: i64,
    /// Idempotent / transactional producer id, -1 if none.
    pub producer_id: i64,
    /// Producer epoch, -1 if none.
    pub producer_epoch: i16,
    /// Sequence number of the first record, -1 if none.
    pub base_sequence: i32,
    /// Number of records in the batch.
    pub record_count: i32,
}

impl BatchHeader {
    /// Offset of the last record in the batch.
    pub fn last_offset(&self) -> i64 {
        self.base_offset
            .wrapping_add(i64::from(self.last_offset_delta))
    }

    /// Offset a consumer fetches next after this batch.
    pub fn next_offset(&self) -> i64 {
        self.last_offset().wrapping_add(1)
    }

    /// Total size of the batch on the wire, header included.
    pub fn total_len(&self) -> usize {
        LOG_OVERHEAD + usize::try_from(self.batch_length).unwrap_or(0)
    }

    /// Reads the header from the first [`BATCH_HEADER_LEN`] bytes of `batch`.
    /// Checks the magic byte but not the CRC or the length.
    pub(crate) fn read(batch: &[u8]) -> Result<Self, KrafkaError> {
        let header: &[u8; BATCH_HEADER_LEN] = batch
            .get(..BATCH_HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| {
                KrafkaError::corrupt_record(format!(
                    "batch of {} bytes is shorter than its {BATCH_HEADER_LEN}-byte header",
                    batch.len()
                ))
            })?;
        let magic = header[offset::MAGIC] as i8;
        if magic != MAGIC {
            return Err(KrafkaError::corrupt_record(format!(
                "unsupported record batch magic {magic} (only v2 is supported)"
            )));
        }
        Ok(BatchHeader {
            base_offset: i64::from_be_bytes(field(header, offset::BASE_OFFSET)),
            batch_length: i32::from_be_bytes(field(header, offset::BATCH_LENGTH)),
            partition_leader_epoch: i32::from_be_bytes(field(
                header,
                offset::PARTITION_LEADER_EPOCH,
            )),
            magic,
            crc: u32::from_be_bytes(field(header, offset::CRC)),
            attributes: Attributes(i16::from_be_bytes(field(header, offset::ATTRIBUTES))),
            last_offset_delta: i32::from_be_bytes(field(header, offset::LAST_OFFSET_DELTA)),
            base_timestamp: i64::from_be_bytes(field(header, offset::BASE_TIMESTAMP)),
            max_timestamp: i64::from_be_bytes(field(header, offset::MAX_TIMESTAMP)),
            producer_id: i64::from_be_bytes(field(header, offset::PRODUCER_ID)),
            producer_epoch: i16::from_be_bytes(field(header, offset::PRODUCER_EPOCH)),
            base_sequence: i32::from_be_bytes(field(header, offset::BASE_SEQUENCE)),
            record_count: i32::from_be_bytes(field(header, offset::RECORD_COUNT)),
        })
    }

    /// Writes every field into `out`, `batch_length` and `crc` as they are;
    /// the builder writes the header first with placeholders and patches
    /// those two with [`seal`] once the body is known.
    pub(crate) fn write(&self, out: &mut [u8; BATCH_HEADER_LEN]) {
        put(out, offset::BASE_OFFSET, self.base_offset.to_be_bytes());
        put(out, offset::BATCH_LENGTH, self.batch_length.to_be_bytes());
        put(
            out,
            offset::PARTITION_LEADER_EPOCH,
            self.partition_leader_epoch.to_be_bytes(),
        );
        out[offset::MAGIC] = self.magic as u8;
        put(out, offset::CRC, self.crc.to_be_bytes());
        put(out, offset::ATTRIBUTES, self.attributes.0.to_be_bytes());
        put(
            out,
            offset::LAST_OFFSET_DELTA,
            self.last_offset_delta.to_be_bytes(),
        );
        put(
            out,
            offset::BASE_TIMESTAMP,
            self.base_timestamp.to_be_bytes(),
        );
        put(out, offset::MAX_TIMESTAMP, self.max_timestamp.to_be_bytes());
        put(out, offset::PRODUCER_ID, self.producer_id.to_be_bytes());
        put(
            out,
            offset::PRODUCER_EPOCH,
            self.producer_epoch.to_be_bytes(),
        );
        put(out, offset::BASE_SEQUENCE, self.base_sequence.to_be_bytes());
        put(out, offset::RECORD_COUNT, self.record_count.to_be_bytes());
    }
}

/// Fills in the batch length and CRC of a complete batch whose other header
/// fields are already written. Returns the CRC.
pub(crate) fn seal(batch: &mut [u8]) -> Result<u32, KrafkaError> {
    if batch.len() < BATCH_HEADER_LEN {
        return Err(KrafkaError::corrupt_record("batch shorter than its header"));
    }
    let length = i32::try_from(batch.len() - LOG_OVERHEAD).map_err(|_| {
        KrafkaError::corrupt_record(format!(
            "batch of {} bytes exceeds the 2 GiB limit of its length field",
            batch.len()
        ))
    })?;
    batch[offset::BATCH_LENGTH..offset::BATCH_LENGTH + 4].copy_from_slice(&length.to_be_bytes());
    let crc = crc32c::crc32c(&batch[offset::ATTRIBUTES..]);
    batch[offset::CRC..offset::CRC + 4].copy_from_slice(&crc.to_be_bytes());
    Ok(crc)
}

/// CRC-32C of a complete batch, over the region the header's CRC covers.
pub(crate) fn compute_crc(batch: &[u8]) -> u32 {
    crc32c::crc32c(batch.get(offset::ATTRIBUTES..).unwrap_or_default())
}

fn field<const N: usize>(header: &[u8; BATCH_HEADER_LEN], at: usize) -> [u8; N] {
    let mut bytes = [0u8; N];
    bytes.copy_from_slice(&header[at..at + N]);
    bytes
}

fn put<const N: usize>(out: &mut [u8; BATCH_HEADER_LEN], at: usize, bytes: [u8; N]) {
    out[at..at + N].copy_from_slice(&bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_bits() {
        let attributes = Attributes::default()
            .with_compression(Compression::Zstd)
            .with_timestamp_type(TimestampType::LogAppendTime)
            .with_transactional(true)
            .with_control(true)
            .with_delete_horizon(true);
        assert_eq!(attributes.0, 0b111_1100);
        assert_eq!(attributes.compression().ok(), Some(Compression::Zstd));
        assert_eq!(attributes.timestamp_type(), TimestampType::LogAppendTime);
        assert!(attributes.is_transactional());
        assert!(attributes.is_control());
        assert!(attributes.has_delete_horizon());

        let cleared = attributes
            .with_compression(Compression::None)
            .with_timestamp_type(TimestampType::CreateTime)
            .with_transactional(false)
            .with_control(false)
            .with_delete_horizon(false);
        assert_eq!(cleared.0, 0);
        // Unknown high bits are kept.
        assert_eq!(Attributes(0x0100).with_control(true).0, 0x0120);
    }

    #[test]
    fn undefined_compression_codes_are_errors() {
        for code in 5..=7 {
            assert!(matches!(
                Attributes(code).compression(),
                Err(KrafkaError::Compression(_))
            ));
        }
    }

    #[test]
    fn header_round_trip() {
        let header = BatchHeader {
            base_offset: 0x0102_0304_0506_0708,
            batch_length: 49,
            partition_leader_epoch: 7,
            magic: MAGIC,
            crc: 0xdead_beef,
            attributes: Attributes(0x15),
            last_offset_delta: 3,
            base_timestamp: -5,
            max_timestamp: 99,
            producer_id: 42,
            producer_epoch: 3,
            base_sequence: 11,
            record_count: 4,
        };
        let mut out = [0u8; BATCH_HEADER_LEN];
        header.write(&mut out);
        assert_eq!(&out[..8], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(BatchHeader::read(&out).ok(), Some(header));
        assert_eq!(header.last_offset(), 0x0102_0304_0506_070b);
        assert_eq!(header.next_offset(), 0x0102_0304_0506_070c);
        assert_eq!(header.total_len(), 61);
    }

    #[test]
    fn rejects_other_magic_and_short_input() {
        let mut out = [0u8; BATCH_HEADER_LEN];
        out[offset::MAGIC] = 1;
        assert!(matches!(
            BatchHeader::read(&out),
            Err(KrafkaError::CorruptRecord(_))
        ));
        assert!(BatchHeader::read(&out[..60]).is_err());
    }
}
