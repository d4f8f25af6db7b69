//! A batch's records read a chunk at a time from its decompressed stream,
//! so what a compressed batch holds in memory is the chunk its next records
//! are in, not everything it decompresses to.

use bytes::{Buf, Bytes};

use super::compression::{Compression, Decompressor};
use super::record::{Record, RecordBase, read_record};
use crate::KrafkaError;
use crate::codec::varint::get_varint;

/// Decompressed bytes a chunk holds, unless one record needs more.
pub const DEFAULT_CHUNK_LEN: usize = 256 * 1024;

/// The records of one batch, as [`RawBatch::stream_records`] reads them.
///
/// An uncompressed batch's records are slices of the batch. A compressed
/// batch is decompressed into chunks of [`DEFAULT_CHUNK_LEN`] bytes (a
/// record larger than that gets a chunk of its own size) as its records are
/// read; each record's key, value and headers are slices of its chunk, and
/// a record that a chunk ends inside is copied to the start of the next.
/// The batch's cap on decompressed bytes holds over all its chunks.
///
/// [`next_record`](Self::next_record) never decompresses: it says when the
/// next chunk is needed, and [`refill`](Self::refill) makes it, so a caller
/// can decompress outside a lock. As an [`Iterator`] it does both.
///
/// [`RawBatch::stream_records`]: super::RawBatch::stream_records
pub struct BatchRecords {
    chunk: Bytes,
    /// Bytes allocated for `chunk`.
    held: usize,
    /// What the first read of a chunk asks for: at first a guess from the
    /// compressed size (small batches get small chunks), then a whole chunk.
    first_step: usize,
    pos: usize,
    remaining: i32,
    base: RecordBase,
    /// The decompressed stream, until it ended.
    source: Option<Decompressor<'static>>,
    chunk_len: usize,
    done: bool,
}

impl std::fmt::Debug for BatchRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchRecords")
            .field("chunk", &self.chunk.len())
            .field("pos", &self.pos)
            .field("remaining", &self.remaining)
            .field("source", &self.source)
            .field("done", &self.done)
            .finish()
    }
}

/// What [`BatchRecords::next_record`] found.
#[derive(Debug)]
pub enum NextRecord {
    /// The next record.
    Record(Record),
    /// The rest of the batch must be decompressed further first:
    /// [`BatchRecords::refill`].
    Refill,
    /// The batch is unreadable from here on.
    Failed(KrafkaError),
    /// Every record was read.
    End,
}

impl BatchRecords {
    pub(crate) fn new(
        section: Bytes,
        compression: Compression,
        record_count: i32,
        base: RecordBase,
        limit: usize,
    ) -> Result<Self, KrafkaError> {
        /// Decompressed bytes first asked for per compressed byte, and at least.
        const EXPANSION_GUESS: usize = 4;
        const MIN_STEP: usize = 16 * 1024;
        let first_step = section.len().saturating_mul(EXPANSION_GUESS).max(MIN_STEP);
        let (chunk, source) = if compression != Compression::None {
            let stream = Decompressor::new(compression, Box::new(section.reader()), limit)?;
            (Bytes::new(), Some(stream))
        } else {
            (section, None)
        };
        Ok(BatchRecords {
            chunk,
            held: 0,
            first_step,
            pos: 0,
            remaining: record_count,
            base,
            source,
            chunk_len: DEFAULT_CHUNK_LEN,
            done: false,
        })
    }

    /// Decompresses `bytes` at a time instead of [`DEFAULT_CHUNK_LEN`]
    /// (at least one).
    pub fn with_chunk_len(mut self, bytes: usize) -> Self {
        self.chunk_len = bytes.max(1);
        self
    }

    /// Decompressed bytes held for the records still to read: the current
    /// chunk (0 for an uncompressed batch, whose records are slices of the
    /// batch itself).
    pub fn held_bytes(&self) -> usize {
        self.held
    }

    /// The next record when the current chunk holds it whole.
    #[inline]
    pub fn next_record(&mut self) -> NextRecord {
        if self.done {
            return NextRecord::End;
        }
        if self.remaining <= 0 {
            if self.source.is_some() {
                // The stream must end where the records do.
                return NextRecord::Refill;
            }
            self.done = true;
            if self.pos < self.chunk.len() {
                return NextRecord::Failed(trailing_bytes(self.chunk.len() - self.pos));
            }
            return NextRecord::End;
        }
        if self.source.is_some() && missing(self.chunk.get(self.pos..).unwrap_or_default()) > 0 {
            return NextRecord::Refill;
        }
        self.remaining -= 1;
        match read_record(&self.chunk, &mut self.pos, &self.base) {
            Ok(record) => NextRecord::Record(record),
            Err(error) => {
                self.done = true;
                NextRecord::Failed(error)
            }
        }
    }

    /// Decompresses the next chunk: the unread part of the current one,
    /// then as much more as fills a chunk (or the record begun there).
    /// Once the records are all read, it checks that the stream ends (and
    /// so that a checksum at its end is right). An error ends the batch.
    pub fn refill(&mut self) -> Result<(), KrafkaError> {
        let result = self.fill();
        if result.is_err() {
            self.done = true;
            self.source = None;
        }
        result
    }

    fn fill(&mut self) -> Result<(), KrafkaError> {
        let Some(source) = self.source.as_mut() else {
            return Ok(());
        };
        let leftover = self.chunk.get(self.pos..).unwrap_or_default();
        if self.remaining <= 0 {
            let mut probe = Vec::new();
            let extra = source.read_into(&mut probe, 1)?;
            self.source = None;
            if extra > 0 || !leftover.is_empty() {
                return Err(trailing_bytes(leftover.len() + extra));
            }
            return Ok(());
        }
        let need = missing(leftover);
        // The most this chunk may hold without passing the cap.
        let allowed = leftover.len().saturating_add(source.allowed());
        if need > allowed {
            source.check_room(need - leftover.len())?;
        }
        // At least one byte more than the leftover, so that a stream that
        // reached its cap ends or fails rather than waiting for room.
        let size = self
            .chunk_len
            .max(need)
            .min(allowed)
            .max(leftover.len().saturating_add(1));
        // Grown as the data comes rather than sized from what a length
        // claims, doubling, the last step exact.
        let mut buf = Vec::with_capacity(size.min(leftover.len().saturating_add(self.first_step)));
        buf.extend_from_slice(leftover);
        while buf.len() < size && !source.is_finished() {
            let step = buf.len().max(self.first_step).min(size - buf.len());
            source.read_into(&mut buf, step)?;
        }
        if source.is_finished() {
            self.source = None;
        }
        self.first_step = self.chunk_len;
        self.held = buf.capacity();
        self.chunk = Bytes::from(buf);
        self.pos = 0;
        Ok(())
    }
}

impl Iterator for BatchRecords {
    type Item = Result<Record, KrafkaError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.next_record() {
                NextRecord::Record(record) => return Some(Ok(record)),
                NextRecord::Refill => {
                    if let Err(error) = self.refill() {
                        return Some(Err(error));
                    }
                }
                NextRecord::Failed(error) => return Some(Err(error)),
                NextRecord::End => return None,
            }
        }
    }
}

/// Bytes from the start of `rest` the record there needs when `rest` does
/// not hold it whole, 0 when it does (or when its length is malformed, for
/// the record parser to report).
#[inline]
fn missing(rest: &[u8]) -> usize {
    /// A varint takes at most five bytes.
    const MAX_VARINT: usize = 5;
    // Lengths under 64 bytes, zigzagged to one byte: most small records.
    if let Some(&first) = rest.first() {
        if first < 0x80 {
            let length = usize::from(first >> 1);
            return if first & 1 == 0 && length >= rest.len() {
                length + 1
            } else {
                0
            };
        }
    }
    let mut cursor = rest;
    match get_varint(&mut cursor) {
        Ok(length) => {
            let Ok(length) = usize::try_from(length) else {
                return 0;
            };
            let total = (rest.len() - cursor.remaining()).saturating_add(length);
            if total > rest.len() { total } else { 0 }
        }
        Err(_) if rest.len() < MAX_VARINT => rest.len() + 1,
        Err(_) => 0,
    }
}

#[cold]
pub(crate) fn trailing_bytes(extra: usize) -> KrafkaError {
    KrafkaError::corrupt_record(format!(
        "{extra} bytes after the last of the batch's declared records"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::compression::DEFAULT_MAX_DECOMPRESSED_BYTES;
    use crate::records::{BATCH_HEADER_LEN, Header, NextBatch, RawBatch, RecordBatchBuilder};

    /// `none` and every codec this build compiles in.
    fn codecs() -> impl Iterator<Item = Compression> {
        [
            Compression::None,
            Compression::Gzip,
            Compression::Snappy,
            Compression::Lz4,
            Compression::Zstd,
        ]
        .into_iter()
        .filter(|c| c.is_available())
    }

    /// Records of sizes that land on and across chunk boundaries: small
    /// ones, some larger than the chunk, one with headers.
    fn sizes() -> Vec<usize> {
        let mut sizes: Vec<usize> = (0..200).map(|i| (i * 37) % 300).collect();
        sizes.extend([5000, 1, 12_000, 0, 999, 70_000, 3]);
        sizes
    }

    fn value(i: usize, len: usize) -> Vec<u8> {
        (0..len).map(|j| (i * 7 + j % 251) as u8).collect()
    }

    fn batch(compression: Compression) -> RawBatch {
        let mut builder = RecordBatchBuilder::new()
            .compression(compression)
            .base_offset(100);
        for (i, len) in sizes().into_iter().enumerate() {
            let headers = if i % 50 == 0 {
                vec![Header::new("h", Some(&value(i, 40)))]
            } else {
                Vec::new()
            };
            builder = builder.add_record(Some(&i.to_be_bytes()), Some(&value(i, len)), headers);
        }
        raw(builder.build().unwrap())
    }

    fn raw(bytes: Bytes) -> RawBatch {
        let mut bytes = bytes;
        match RawBatch::read_next(&mut bytes, false) {
            Ok(NextBatch::Batch(batch)) => batch,
            other => panic!("not a batch: {other:?}"),
        }
    }

    /// A batch header for `section`, compressed with `compression`, that
    /// declares `count` records (no CRC check).
    fn with_section(compression: Compression, count: i32, section: &[u8]) -> RawBatch {
        let template = RecordBatchBuilder::new()
            .compression(compression)
            .add_record(None, Some(b"x"), vec![])
            .build()
            .unwrap();
        let mut bytes = template[..BATCH_HEADER_LEN].to_vec();
        bytes.extend_from_slice(section);
        let length = i32::try_from(bytes.len() - 12).unwrap();
        bytes[8..12].copy_from_slice(&length.to_be_bytes());
        bytes[57..61].copy_from_slice(&count.to_be_bytes());
        raw(Bytes::from(bytes))
    }

    fn compress(compression: Compression, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        match compression.codec() {
            Some(codec) => codec.compress(data, None, &mut out).unwrap(),
            None => out.extend_from_slice(data),
        }
        out
    }

    #[test]
    fn every_chunk_length_gives_the_records_of_the_whole_batch() {
        for compression in codecs() {
            let batch = batch(compression);
            let whole = batch.clone().decompress(1 << 30).unwrap();
            let expected = whole.collect_records().unwrap();
            for chunk_len in [1, 7, 100, 4096, 65_536, DEFAULT_CHUNK_LEN] {
                let mut stream = batch
                    .stream_records(1 << 30)
                    .unwrap()
                    .with_chunk_len(chunk_len);
                let mut got = Vec::new();
                let mut most_held = 0;
                while let Some(record) = stream.next() {
                    most_held = most_held.max(stream.held_bytes());
                    got.push(record.unwrap());
                }
                assert_eq!(got, expected, "{compression}, {chunk_len}-byte chunks");
                if compression == Compression::None {
                    assert_eq!(most_held, 0, "uncompressed records are slices of the batch");
                } else {
                    // The largest record (70,000 bytes and its framing) in
                    // a chunk of its own, or a chunk.
                    assert!(
                        most_held <= chunk_len.max(70_100),
                        "{compression}: {most_held}"
                    );
                }
            }
        }
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn a_record_straddling_chunks_is_copied_whole_into_the_next() {
        let section: Vec<u8> = batch(Compression::None).raw()[BATCH_HEADER_LEN..].to_vec();
        let zstd = with_section(
            Compression::Zstd,
            sizes().len() as i32,
            &compress(Compression::Zstd, &section),
        );
        let mut stream = zstd.stream_records(1 << 30).unwrap().with_chunk_len(1000);
        let mut chunks = 0;
        let mut straddled = 0;
        let mut last = Bytes::new();
        loop {
            match stream.next_record() {
                NextRecord::Record(record) => {
                    let value = record.value.unwrap();
                    let chunk = stream.chunk.as_ptr_range();
                    assert!(
                        chunk.contains(&value.as_ptr()) || value.is_empty(),
                        "a slice of the chunk"
                    );
                    last = value;
                }
                NextRecord::Refill => {
                    chunks += 1;
                    let begun = stream.chunk.slice(stream.pos..);
                    stream.refill().unwrap();
                    if !begun.is_empty() {
                        straddled += 1;
                        assert!(stream.chunk.starts_with(&begun), "copied to the next chunk");
                    }
                }
                NextRecord::Failed(error) => panic!("{error}"),
                NextRecord::End => break,
            }
        }
        assert!(chunks > 20, "{chunks} chunks");
        assert!(straddled > 10, "{straddled} records straddled chunks");
        assert_eq!(last.len(), 3);
    }

    #[test]
    fn the_cap_holds_across_chunks() {
        let zeros = vec![0u8; 1 << 20];
        for compression in codecs().skip(1) {
            let mut builder = RecordBatchBuilder::new().compression(compression);
            for _ in 0..8 {
                builder = builder.add_record(None, Some(&zeros), vec![]);
            }
            let batch = raw(builder.build().unwrap());
            let size = batch.clone().decompress(1 << 30).unwrap().records_len();
            // Exactly the cap is fine, a byte less is not.
            assert_eq!(batch.stream_records(size).unwrap().count(), 8);
            let mut stream = batch.stream_records(size - 1).unwrap();
            let results: Vec<_> = (&mut stream).collect();
            assert!(results[..results.len() - 1].iter().all(Result::is_ok));
            assert!(
                matches!(results.last(), Some(Err(KrafkaError::Compression(_)))),
                "{compression}: {:?}",
                results.last()
            );
            assert!(stream.next().is_none(), "an error ends the batch");
            // A cap below one record fails before making its chunk.
            let mut small = batch.stream_records(1000).unwrap();
            assert!(matches!(
                small.next(),
                Some(Err(KrafkaError::Compression(_)))
            ));
            assert!(small.held_bytes() < 2000, "{}", small.held_bytes());
        }
    }

    #[test]
    fn a_bomb_holds_a_chunk_at_a_time_until_the_cap() {
        // 200 MiB of small records of zeros; each one at a time.
        let record = {
            let mut builder = RecordBatchBuilder::new();
            builder = builder.add_record(None, Some(&[0u8; 1000]), vec![]);
            builder.build().unwrap()[BATCH_HEADER_LEN..].to_vec()
        };
        let section = record.repeat(200 * 1024);
        for compression in codecs().skip(1) {
            let batch = with_section(compression, i32::MAX, &compress(compression, &section));
            let mut stream = batch
                .stream_records(DEFAULT_MAX_DECOMPRESSED_BYTES)
                .unwrap();
            let mut most_held = 0;
            let mut read = 0usize;
            let error = loop {
                match stream.next() {
                    Some(Ok(_)) => read += 1,
                    Some(Err(error)) => break error,
                    None => panic!("{compression}: the cap did not stop it"),
                }
                most_held = most_held.max(stream.held_bytes());
            };
            assert!(
                matches!(error, KrafkaError::Compression(_)),
                "{compression}: {error}"
            );
            assert!(read * record.len() <= DEFAULT_MAX_DECOMPRESSED_BYTES);
            assert!(read * record.len() > DEFAULT_MAX_DECOMPRESSED_BYTES - 2 * DEFAULT_CHUNK_LEN);
            assert!(most_held <= DEFAULT_CHUNK_LEN, "{compression}: {most_held}");
        }
    }

    #[test]
    fn truncated_or_corrupt_streams_are_errors() {
        let section: Vec<u8> = batch(Compression::None).raw()[BATCH_HEADER_LEN..].to_vec();
        let count = sizes().len() as i32;
        for compression in codecs().skip(1) {
            let compressed = compress(compression, &section);
            for cut in [
                0,
                1,
                10,
                compressed.len() / 3,
                compressed.len() / 2,
                compressed.len() - 1,
            ] {
                let batch = with_section(compression, count, &compressed[..cut]);
                let outcome = batch
                    .stream_records(1 << 30)
                    .and_then(|stream| stream.with_chunk_len(512).collect::<Result<Vec<_>, _>>());
                // lz4_flex takes a frame whose end mark is cut short as
                // ended; then every record is there.
                match outcome {
                    Err(_) => {}
                    Ok(records) => assert!(
                        cut == compressed.len() - 1 && records.len() == sizes().len(),
                        "{compression} cut at {cut}"
                    ),
                }
            }
            let mut flipped = compressed.clone();
            for i in (0..flipped.len()).step_by(97) {
                flipped[i] ^= 0x5a;
            }
            let batch = with_section(compression, count, &flipped);
            if let Ok(stream) = batch.stream_records(1 << 30) {
                // Whatever comes, no panic and no endless stream.
                assert!(stream.with_chunk_len(512).take(10_000).count() < 10_000);
            }
        }
    }

    #[test]
    fn records_and_stream_must_end_together() {
        let section: Vec<u8> = batch(Compression::None).raw()[BATCH_HEADER_LEN..].to_vec();
        let count = sizes().len() as i32;
        for compression in codecs() {
            let compressed = compress(compression, &section);
            // Fewer records declared than the stream holds: trailing bytes.
            let fewer = with_section(compression, count - 1, &compressed);
            let results: Vec<_> = fewer
                .stream_records(1 << 30)
                .unwrap()
                .with_chunk_len(300)
                .collect();
            assert_eq!(results.len(), sizes().len(), "{compression}");
            assert!(matches!(
                results.last(),
                Some(Err(KrafkaError::CorruptRecord(_)))
            ));
            // More declared than it holds: the missing record is an error.
            let more = with_section(compression, count + 1, &compressed);
            let results: Vec<_> = more
                .stream_records(1 << 30)
                .unwrap()
                .with_chunk_len(300)
                .collect();
            assert!(matches!(results.last(), Some(Err(_))), "{compression}");
        }
    }
}
