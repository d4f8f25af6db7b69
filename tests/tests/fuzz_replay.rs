//! The fuzz targets on the stable toolchain, under `cargo test`: each
//! target (`krafka_tests::fuzz`, the very bodies the cargo-fuzz targets in
//! `fuzz/` run) replays its generated seeds, the committed corpus
//! (`fuzz/corpus/<target>/`) and crash regressions
//! (`fuzz/regressions/<target>/`), then seeded random mutations of them.
//!
//! Deterministic: the same inputs on every run, within a budget of
//! `KRAFKA_FUZZ_ITERATIONS` mutations (default below) or
//! `KRAFKA_FUZZ_SECONDS` per target, whichever ends first;
//! `KRAFKA_FUZZ_SEED` picks other mutations. A failing input is written
//! under the test's temporary directory and named in the failure, ready for
//! `cargo fuzz run <target> <file>` or `fuzz/regressions/`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use krafka_tests::fuzz::{Mutator, Target};

const DEFAULT_ITERATIONS: usize = 200_000;
const DEFAULT_SECONDS: u64 = 10;
/// Mutants are cut at this length (the largest seeds are around 15 KiB).
const MAX_LEN: usize = 128 * 1024;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The files of `dir`, sorted by name (none when it does not exist).
fn files(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display())))
        .collect()
}

/// Runs `target` on `input` and returns how far it got (see
/// `Target::run`); a panic is reported with the input saved.
fn execute(target: Target, input: &[u8], what: &str) -> usize {
    if let Ok(reached) = catch_unwind(AssertUnwindSafe(|| target.run(input))) {
        return reached;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{}-{what}", target.name()));
    let saved = match std::fs::write(&path, input) {
        Ok(()) => format!("saved as {}", path.display()),
        Err(e) => format!("not saved ({e})"),
    };
    let shown = &input[..input.len().min(256)];
    panic!(
        "fuzz target {} failed on {what} ({} bytes, {saved}); first bytes: {shown:02x?}",
        target.name(),
        input.len()
    );
}

fn replay_and_mutate(target: Target) {
    let started = Instant::now();
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let seeds = target.seeds();
    let committed = files(&fuzz_dir.join("corpus").join(target.name()));
    let regressions = files(&fuzz_dir.join("regressions").join(target.name()));
    let (seed_count, committed_count, regression_count) =
        (seeds.len(), committed.len(), regressions.len());
    let corpus: Vec<Vec<u8>> = seeds
        .into_iter()
        .chain(committed)
        .chain(regressions)
        .collect();
    let corpus_bytes: usize = corpus.iter().map(Vec::len).sum();
    let mut seeds_through = 0;
    for (i, input) in corpus.iter().enumerate() {
        let reached = execute(target, input, &format!("corpus-{i}"));
        seeds_through += usize::from(i < seed_count && reached > 0);
    }
    let replayed = started.elapsed();

    let iterations = env_or("KRAFKA_FUZZ_ITERATIONS", DEFAULT_ITERATIONS);
    let budget = Duration::from_secs(env_or("KRAFKA_FUZZ_SECONDS", DEFAULT_SECONDS));
    let seed: u64 = env_or("KRAFKA_FUZZ_SEED", 0x6B72_6166_6B61);
    // Each target its own mutations (FNV-1a of its name).
    let salt = target
        .name()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    let mut mutator = Mutator::new(seed ^ salt, MAX_LEN);
    let mut mutations = 0;
    let mut mutants_through = 0;
    while mutations < iterations && started.elapsed() < budget {
        // Half the time a generated seed: valid inputs, where mutations
        // reach deepest (the committed corpus is many small files).
        let pool = if mutator.below(2) == 0 {
            seed_count
        } else {
            corpus.len()
        };
        let input = &corpus[mutator.below(pool)];
        let other = &corpus[mutator.below(corpus.len())];
        let mutant = mutator.mutate(input, other);
        let what = format!("seed-{seed:x}-mutation-{mutations}");
        mutants_through += usize::from(execute(target, &mutant, &what) > 0);
        mutations += 1;
    }
    let elapsed = started.elapsed();
    println!(
        "fuzz {}: {} executions ({} corpus: {seed_count} seeds, {committed_count} committed, \
         {regression_count} regressions, {} KiB; {mutations} mutations) in {:.1} s \
         (replay {:.1} s), {:.0} exec/s; decoded through: {seeds_through} of {seed_count} \
         seeds, {mutants_through} mutants",
        target.name(),
        corpus.len() + mutations,
        corpus.len(),
        corpus_bytes / 1024,
        elapsed.as_secs_f64(),
        replayed.as_secs_f64(),
        (corpus.len() + mutations) as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    // Most seeds are valid inputs (some are broken on purpose: decompression
    // bombs, cut-off and misnumbered frames, partition errors): if they stop
    // decoding, the target only tests its first checks.
    assert!(
        seeds_through * 2 >= seed_count,
        "only {seeds_through} of {seed_count} seeds of {} decode through",
        target.name()
    );
}

#[test]
fn message() {
    replay_and_mutate(Target::Message);
}

#[test]
fn record_batch() {
    replay_and_mutate(Target::RecordBatch);
}

#[test]
fn response_frame() {
    replay_and_mutate(Target::ResponseFrame);
}

#[test]
fn fetch_response() {
    replay_and_mutate(Target::FetchResponse);
}
