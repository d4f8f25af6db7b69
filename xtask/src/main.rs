//! Repository tasks for Krafka.
//!
//! ```text
//! cargo run -p xtask -- gen-messages <json-dir> [--kafka-version X] [--check]
//! ```
//!
//! `gen-messages` turns Apache Kafka's message schemas (the
//! `common/message/*.json` files of the kafka-clients jar, fetched by
//! `scripts/kafka-schemas.sh`) into `krafka-core/src/messages/`,
//! `krafka-core/src/api_key.rs` and `krafka-core/src/versions.rs`.
//! `--check` writes nothing and fails when the files are out of date.

mod gen_messages;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo run -p xtask -- gen-messages <json-dir> [--kafka-version X] [--check]

  <json-dir>  Kafka's message schemas, e.g. \"$(scripts/kafka-schemas.sh)\"";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen-messages") => {
            gen_messages_options(&args[1..]).and_then(|o| gen_messages::run(&o))
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn gen_messages_options(args: &[String]) -> Result<gen_messages::Options, String> {
    let mut json_dir = None;
    let mut kafka_version = None;
    let mut check = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--kafka-version" => {
                kafka_version = Some(args.next().ok_or("--kafka-version needs a value")?.clone());
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{USAGE}")),
            dir if json_dir.is_none() => json_dir = Some(PathBuf::from(dir)),
            extra => return Err(format!("unexpected argument {extra}\n{USAGE}")),
        }
    }
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir.parent().unwrap_or(&manifest_dir);
    let core_src = workspace.join("krafka-core").join("src");
    Ok(gen_messages::Options {
        json_dir: json_dir.ok_or_else(|| USAGE.to_owned())?,
        kafka_version,
        core_src,
        check,
    })
}
