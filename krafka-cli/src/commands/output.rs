//! Standard output and error for the commands: stdout buffered (flushed at
//! exit) with a reader that goes away (`krafka consume … | head`) ending the
//! command quietly instead of a panic; stderr notes that never panic.

use std::io::{self, BufWriter, Write};

/// Buffered standard output that knows when its reader has gone away.
pub struct Stdout {
    inner: BufWriter<io::Stdout>,
    closed: bool,
}

impl Default for Stdout {
    fn default() -> Self {
        Stdout::new()
    }
}

impl Stdout {
    /// Standard output behind a 64 KiB buffer.
    pub fn new() -> Stdout {
        Stdout {
            inner: BufWriter::with_capacity(64 * 1024, io::stdout()),
            closed: false,
        }
    }

    /// Writes through `write`. `Ok(true)`: written; `Ok(false)`: the reader
    /// has closed the pipe (nothing more will be written); `Err`: another
    /// failure, as a message.
    pub fn write_with(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<bool, String> {
        if self.closed {
            return Ok(false);
        }
        match write(&mut self.inner) {
            Ok(()) => Ok(true),
            Err(error) => self.failed(error),
        }
    }

    /// Writes one line (a newline is added).
    pub fn line(&mut self, text: &str) -> Result<bool, String> {
        self.write_with(|out| writeln!(out, "{text}"))
    }

    /// Flushes what is buffered (`Ok(false)`: the reader has gone away).
    pub fn flush(&mut self) -> Result<bool, String> {
        self.write_with(|out| out.flush())
    }

    /// Flushes what is buffered at the end; a closed pipe is not an error.
    pub fn finish(&mut self) -> Result<(), String> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Ok(()) => Ok(()),
            Err(error) => self.failed(error).map(|_| ()),
        }
    }

    fn failed(&mut self, error: io::Error) -> Result<bool, String> {
        if error.kind() == io::ErrorKind::BrokenPipe {
            self.closed = true;
            Ok(false)
        } else {
            Err(format!("cannot write to standard output: {error}"))
        }
    }
}

/// A line on stderr; a failure to write it is ignored (there is nowhere
/// left to report it).
pub fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}
