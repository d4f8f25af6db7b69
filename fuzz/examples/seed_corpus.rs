//! Writes every target's generated seeds into `corpus/<target>/` (next to
//! this crate's manifest) as `seed-<n>` files, for libFuzzer to start from:
//! `cargo run --example seed_corpus` in `fuzz/`.

use std::path::Path;

use krafka_tests::fuzz::Target;

fn main() -> std::io::Result<()> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for target in Target::ALL {
        let dir = corpus.join(target.name());
        std::fs::create_dir_all(&dir)?;
        let seeds = target.seeds();
        for (i, seed) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:04}")), seed)?;
        }
        println!("{}: {} seeds in {}", target.name(), seeds.len(), dir.display());
    }
    Ok(())
}
