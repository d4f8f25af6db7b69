//! `krafka produce` input: the files (or standard input) read in order on a
//! thread of their own (reading blocks), handed to the producing loop in
//! chunks, so that what waits between the two stays small: a few chunks of
//! about 64 KiB (or of one record, when records are larger). A chunk is
//! also handed over whenever the input has nothing more read ahead, so
//! that lines typed or piped into a standard input kept open are sent as
//! they arrive (then `linger.ms` applies), not when the input ends.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::PathBuf;
use std::thread::JoinHandle;

use tokio::sync::mpsc;

use super::record_reader::{InputRecord, RecordReader};

/// A chunk is handed over once it holds this many bytes of records…
const CHUNK_BYTES: usize = 64 * 1024;
/// …or this many records.
const CHUNK_RECORDS: usize = 1024;
/// Chunks waiting for the producing loop, at most.
const CHUNKS_AHEAD: usize = 4;

/// Records read, or why reading stopped (the last item then).
pub type Chunk = Result<Vec<InputRecord>, String>;

/// Where the records come from.
pub struct Input {
    /// Files read in order (`-` or none: standard input).
    pub files: Vec<PathBuf>,
    /// What ends each record.
    pub delimiter: Vec<u8>,
    /// What separates the key from the value, if records have keys.
    pub key_delimiter: Option<Vec<u8>>,
    /// The largest record accepted (`max.request.size`).
    pub max_record: usize,
    /// Each file is one record, its whole content as the value (kcat's
    /// default for files); standard input is still split.
    pub whole_files: bool,
}

impl Input {
    /// Starts reading. The receiver yields the chunks and ends when the
    /// input does; the thread stops early once the receiver is dropped.
    /// (A thread, not a blocking tokio task: the runtime would wait at
    /// exit for one stuck reading a terminal.)
    pub fn spawn(self) -> (mpsc::Receiver<Chunk>, JoinHandle<()>) {
        let (sender, receiver) = mpsc::channel(CHUNKS_AHEAD);
        let reader = std::thread::spawn(move || {
            if let Err(error) = self.read_into(&sender) {
                // The receiver may be gone already: nobody is left to tell.
                let _ = sender.blocking_send(Err(error));
            }
        });
        (receiver, reader)
    }

    /// Reads every input in order into `sender`. `Ok` at the end or when
    /// the receiver is gone.
    fn read_into(&self, sender: &mpsc::Sender<Chunk>) -> Result<(), String> {
        let stdin_only = [PathBuf::from("-")];
        let files = if self.files.is_empty() {
            &stdin_only[..]
        } else {
            &self.files[..]
        };
        let mut chunk = ChunkBuilder::default();
        for path in files {
            if self.whole_files && path.as_os_str() != "-" {
                let record = self.whole_file(path)?;
                if chunk.push(record) && !chunk.hand_over(sender) {
                    return Ok(());
                }
                continue;
            }
            let (name, reader) = open(path)?;
            let mut records = RecordReader::new(reader, self.delimiter.clone(), self.max_record)?;
            if let Some(key_delimiter) = &self.key_delimiter {
                records = records.key_delimiter(key_delimiter.clone())?;
            }
            loop {
                let record = match records.next_record() {
                    Ok(Some(record)) => record,
                    Ok(None) => break,
                    Err(error) => {
                        // What came before the failure is still produced.
                        if chunk.hand_over(sender) {
                            return Err(format!("reading {name}: {error}"));
                        }
                        return Ok(());
                    }
                };
                let full = chunk.push(record);
                // Nothing read ahead: the next record may wait for the
                // input, and what came so far must not wait with it.
                if (full || records.drained()) && !chunk.hand_over(sender) {
                    return Ok(());
                }
            }
        }
        chunk.hand_over(sender);
        Ok(())
    }
}

impl Input {
    /// The content of the file at `path` as one record, refused when it
    /// holds more than `max_record` bytes.
    fn whole_file(&self, path: &PathBuf) -> Result<InputRecord, String> {
        let (name, reader) = open(path)?;
        let limit = u64::try_from(self.max_record).unwrap_or(u64::MAX);
        let mut value = Vec::new();
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut value)
            .map_err(|e| format!("reading {name}: {e}"))?;
        if value.len() > self.max_record {
            return Err(format!(
                "{name} holds more than {} bytes (max.request.size), too much for one record",
                self.max_record
            ));
        }
        Ok(InputRecord { key: None, value })
    }
}

/// `-` is standard input; anything else a file. Both behind a buffer whose
/// emptiness tells when the next read may wait.
fn open(path: &PathBuf) -> Result<(String, BufReader<Box<dyn Read>>), String> {
    if path.as_os_str() == "-" {
        let stdin: Box<dyn Read> = Box::new(io::stdin());
        return Ok((
            "standard input".to_owned(),
            BufReader::with_capacity(64 * 1024, stdin),
        ));
    }
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let file: Box<dyn Read> = Box::new(file);
    Ok((
        path.display().to_string(),
        BufReader::with_capacity(64 * 1024, file),
    ))
}

/// The chunk being filled.
#[derive(Default)]
struct ChunkBuilder {
    records: Vec<InputRecord>,
    bytes: usize,
}

impl ChunkBuilder {
    /// Adds `record`; whether the chunk is now full.
    fn push(&mut self, record: InputRecord) -> bool {
        let size = record.value.len() + record.key.as_ref().map_or(0, Vec::len);
        self.bytes = self.bytes.saturating_add(size);
        self.records.push(record);
        self.bytes >= CHUNK_BYTES || self.records.len() >= CHUNK_RECORDS
    }

    /// Sends what the chunk holds (waiting for room); `false` when the
    /// receiver is gone.
    fn hand_over(&mut self, sender: &mpsc::Sender<Chunk>) -> bool {
        if self.records.is_empty() {
            return true;
        }
        self.bytes = 0;
        sender
            .blocking_send(Ok(std::mem::take(&mut self.records)))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_bounded_by_bytes_and_records() {
        let mut chunk = ChunkBuilder::default();
        let record = |size| InputRecord {
            key: Some(vec![b'k'; 10]),
            value: vec![b'v'; size],
        };
        assert!(!chunk.push(record(1000)));
        assert!(chunk.push(record(CHUNK_BYTES)));
        let mut chunk = ChunkBuilder::default();
        let full = (0..CHUNK_RECORDS)
            .map(|_| chunk.push(record(0)))
            .filter(|f| *f);
        assert_eq!(full.count(), 1);
    }

    #[test]
    fn hands_over_every_record_then_ends() {
        let dir = std::env::temp_dir().join(format!("krafka-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("records.txt");
        let lines: String = (0..3000).map(|i| format!("k{i}:v{i}\n")).collect();
        std::fs::write(&path, &lines).unwrap();
        let input = Input {
            files: vec![path.clone(), path],
            delimiter: b"\n".to_vec(),
            key_delimiter: Some(b":".to_vec()),
            max_record: 1024,
            whole_files: false,
        };
        let (mut receiver, reader) = input.spawn();
        let mut records = Vec::new();
        while let Some(chunk) = receiver.blocking_recv() {
            let chunk = chunk.unwrap();
            assert!(chunk.len() <= CHUNK_RECORDS);
            records.extend(chunk);
        }
        reader.join().unwrap();
        assert_eq!(records.len(), 6000);
        assert_eq!(records[3001].key.as_deref(), Some(&b"k1"[..]));
        assert_eq!(records[3001].value, b"v1");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_whole_file_is_one_record_up_to_the_limit() {
        let dir = std::env::temp_dir().join(format!("krafka-whole-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let small = dir.join("small");
        let large = dir.join("large");
        std::fs::write(&small, b"a\nb:c\n").unwrap();
        std::fs::write(&large, vec![b'x'; 11]).unwrap();
        let input = |files| Input {
            files,
            delimiter: b"\n".to_vec(),
            key_delimiter: Some(b":".to_vec()),
            max_record: 10,
            whole_files: true,
        };
        let (mut receiver, reader) = input(vec![small.clone(), small]).spawn();
        let mut records = Vec::new();
        while let Some(chunk) = receiver.blocking_recv() {
            records.extend(chunk.unwrap());
        }
        reader.join().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].value, b"a\nb:c\n");
        assert_eq!(records[0].key, None);
        let (mut receiver, reader) = input(vec![large]).spawn();
        let error = receiver.blocking_recv().unwrap().unwrap_err();
        assert!(error.contains("more than 10 bytes"), "{error}");
        reader.join().unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_file_is_the_last_item() {
        let input = Input {
            files: vec![PathBuf::from("/nonexistent/krafka-input")],
            delimiter: b"\n".to_vec(),
            key_delimiter: None,
            max_record: 1024,
            whole_files: false,
        };
        let (mut receiver, reader) = input.spawn();
        let error = receiver.blocking_recv().unwrap().unwrap_err();
        assert!(
            error.starts_with("cannot open /nonexistent/krafka-input"),
            "{error}"
        );
        assert!(receiver.blocking_recv().is_none());
        reader.join().unwrap();
    }
}
