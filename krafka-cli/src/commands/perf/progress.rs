//! The live progress bar of the perf commands: records done of the total,
//! the current records/s and MB/s, elapsed time and ETA, on stderr. Hidden
//! with `-q` or when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

const TEMPLATE: &str = "{prefix} [{elapsed_precise}] {bar:28.cyan/blue} {human_pos}/{human_len} \
                        {rate} rec/s {mbps} MB/s (ETA {eta})";

/// A progress bar over a number of records.
pub struct Progress {
    bar: ProgressBar,
    bytes: Arc<AtomicU64>,
}

impl Progress {
    /// A bar for `total` records, labelled `prefix` ("produce", "consume").
    pub fn new(quiet: bool, prefix: &'static str, total: u64) -> Progress {
        let bytes = Arc::new(AtomicU64::new(0));
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr_with_hz(4)
        };
        let bar = ProgressBar::with_draw_target(Some(total), target).with_prefix(prefix);
        let rate = |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}", state.per_sec());
        };
        let mean_bytes = Arc::clone(&bytes);
        let mbps = move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let records = state.pos().max(1) as f64;
            let mean = mean_bytes.load(Ordering::Relaxed) as f64 / records;
            let _ = write!(w, "{:.1}", state.per_sec() * mean / (1024.0 * 1024.0));
        };
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(
                style
                    .with_key("rate", rate)
                    .with_key("mbps", mbps)
                    .progress_chars("=> "),
            );
        }
        bar.enable_steady_tick(Duration::from_millis(250));
        Progress { bar, bytes }
    }

    /// `records` done so far, holding `bytes` bytes.
    pub fn set(&self, records: u64, bytes: u64) {
        self.bytes.store(bytes, Ordering::Relaxed);
        self.bar.set_position(records);
    }

    /// Removes the bar (the summary follows on stdout).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
