//! `gen-messages`: Kafka's message JSON files -> `krafka-core/src/messages/`
//! (one file per broker API, the headers, the data schemas), plus the
//! `ApiKey` enum and the versions table.
//!
//! The output is committed source: it is run through rustfmt and only
//! written when it changed, so a re-run with the same schemas touches
//! nothing.

mod model;
mod names;
mod range;
mod render;
mod schema;
mod tables;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use model::{Notes, Unit, api_name};
use schema::{Kind, Schema};

/// The cargo feature of krafka-core that enables versions Kafka marks
/// unstable (`latestVersionUnstable`).
pub const UNSTABLE_FEATURE: &str = "unstable-versions";

/// How to re-run the generator, quoted in every generated file. Stale
/// generated files are recognised by it.
pub const GENERATED_BY: &str = "cargo run -p xtask -- gen-messages";

/// An API krafka speaks: its request and response schemas.
pub struct Api<'a> {
    pub name: String,
    pub module: String,
    pub key: i16,
    pub request: &'a Schema,
    pub response: &'a Schema,
    pub unstable: bool,
}

/// A data schema and its module.
pub struct DataSchema<'a> {
    pub module: String,
    pub schema: &'a Schema,
}

pub struct Options {
    pub json_dir: PathBuf,
    pub kafka_version: Option<String>,
    /// krafka-core's `src/` directory.
    pub core_src: PathBuf,
    /// Only report what would change.
    pub check: bool,
}

pub fn run(options: &Options) -> Result<(), String> {
    let schemas = load_all(&options.json_dir)?;
    let version = kafka_version(options)?;
    let (apis, all_requests) = classify_apis(&schemas)?;
    let headers = ["RequestHeader", "ResponseHeader"]
        .iter()
        .map(|name| {
            schemas
                .iter()
                .find(|s| s.kind == Kind::Header && s.name == *name)
                .ok_or_else(|| format!("no {name}.json"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let data: Vec<DataSchema<'_>> = schemas
        .iter()
        .filter(|s| s.kind == Kind::Data)
        .map(|schema| DataSchema {
            module: names::snake_case(&schema.name),
            schema,
        })
        .collect();

    let messages_dir = options.core_src.join("messages");
    let mut notes = Notes::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let generated_from = |schemas: &[&Schema]| {
        let list = schemas
            .iter()
            .map(|s| format!("`{}`", s.file))
            .collect::<Vec<_>>()
            .join(" and ");
        format!(
            "Generated from Apache Kafka {version}'s {list} by `{GENERATED_BY}`; \
             change the generator, not this file."
        )
    };

    for api in &apis {
        let unit = Unit {
            schemas: vec![api.request, api.response],
            unstable: api.unstable,
        };
        let lowered = model::lower(&unit, &mut notes)?;
        let mut doc = vec![format!(
            "{} (API key {}): [`{}Request`] and [`{}Response`].",
            api.name, api.key, api.name, api.name
        )];
        if api.unstable {
            let newest = api.request.valid_versions.max;
            doc.push(format!(
                "Version {newest} is unstable in Kafka {version}: it, and the fields only it has, \
                 exist with the `{UNSTABLE_FEATURE}` feature only."
            ));
        }
        doc.push(generated_from(&unit.schemas));
        files.push((
            messages_dir.join(format!("{}.rs", api.module)),
            render::message_file(&doc, &lowered),
        ));
    }

    let unit = Unit {
        schemas: headers.clone(),
        unstable: false,
    };
    let lowered = model::lower(&unit, &mut notes)?;
    let doc = vec![
        "The request and response headers: [`RequestHeader`] and [`ResponseHeader`].".to_owned(),
        generated_from(&headers),
    ];
    files.push((
        messages_dir.join("header.rs"),
        render::message_file(&doc, &lowered),
    ));

    for d in &data {
        let unit = Unit {
            schemas: vec![d.schema],
            unstable: d.schema.latest_version_unstable,
        };
        let lowered = model::lower(&unit, &mut notes)?;
        let what = model::data_description(&d.schema.name).unwrap_or("a data schema");
        let doc = vec![
            format!("`{}`: {what}.", d.schema.name),
            generated_from(&[d.schema]),
        ];
        files.push((
            messages_dir.join("data").join(format!("{}.rs", d.module)),
            render::message_file(&doc, &lowered),
        ));
    }

    let header_names: Vec<&str> = headers.iter().map(|s| s.name.as_str()).collect();
    files.push((
        messages_dir.join("data").join("mod.rs"),
        tables::data_mod(&data, &version),
    ));
    files.push((
        messages_dir.join("mod.rs"),
        tables::messages_mod(&apis, &header_names, &data, &version),
    ));
    files.push((
        options.core_src.join("api_key.rs"),
        tables::api_key(&all_requests, &version),
    ));
    files.push((
        options.core_src.join("versions.rs"),
        tables::versions(&apis, &version),
    ));

    let workspace = options
        .core_src
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let mut changed = 0;
    let mut lines = 0;
    for (path, source) in &files {
        let formatted =
            rustfmt(source, workspace).map_err(|e| format!("{}: {e}", path.display()))?;
        lines += formatted.lines().count();
        if std::fs::read_to_string(path).ok().as_deref() != Some(formatted.as_str()) {
            changed += 1;
            if options.check {
                eprintln!("would change: {}", path.display());
            } else {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                std::fs::write(path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    let stale = remove_stale(&messages_dir, &files, options.check)?;

    for note in &notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "gen-messages: Kafka {version}: {} broker APIs, 2 headers, {} data schemas, {} API keys; \
         {} files ({lines} lines), {changed} changed, {stale} stale removed",
        apis.len(),
        data.len(),
        all_requests.len(),
        files.len(),
    );
    if options.check && (changed > 0 || stale > 0) {
        return Err("generated files are out of date".to_owned());
    }
    Ok(())
}

fn load_all(dir: &Path) -> Result<Vec<Schema>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no *.json files in {}", dir.display()));
    }
    paths.iter().map(|p| schema::load(p)).collect()
}

/// `--kafka-version`, else the version `scripts/kafka-schemas.sh` stamped
/// into the directory, else the pinned `KAFKA_VERSION`.
fn kafka_version(options: &Options) -> Result<String, String> {
    if let Some(v) = &options.kafka_version {
        return Ok(v.clone());
    }
    let stamp = options.json_dir.join(".complete");
    let pinned = options
        .core_src
        .parent()
        .and_then(Path::parent)
        .map(|root| root.join("KAFKA_VERSION"))
        .unwrap_or_default();
    for path in [stamp, pinned] {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let v = text.trim();
            if !v.is_empty() {
                return Ok(v.to_owned());
            }
        }
    }
    Err("cannot tell the Kafka version; pass --kafka-version".to_owned())
}

/// Broker APIs (sorted by module name) and every request schema (sorted by
/// API key).
fn classify_apis(schemas: &[Schema]) -> Result<(Vec<Api<'_>>, Vec<&Schema>), String> {
    let mut responses: BTreeMap<i16, &Schema> = BTreeMap::new();
    let mut requests: BTreeMap<i16, &Schema> = BTreeMap::new();
    for s in schemas {
        let map = match s.kind {
            Kind::Request => &mut requests,
            Kind::Response => &mut responses,
            Kind::Header | Kind::Data => continue,
        };
        let key = s.api_key.ok_or_else(|| format!("{}: no apiKey", s.file))?;
        if let Some(other) = map.insert(key, s) {
            return Err(format!("{} and {} share API key {key}", other.file, s.file));
        }
    }
    let mut apis = Vec::new();
    for (&key, &request) in &requests {
        let response = *responses
            .get(&key)
            .ok_or_else(|| format!("{}: no response with API key {key}", request.file))?;
        if api_name(request) != api_name(response) {
            return Err(format!(
                "{} and {} differ in name",
                request.file, response.file
            ));
        }
        if !request.listeners.iter().any(|l| l == "broker") {
            continue;
        }
        if request.valid_versions != response.valid_versions {
            return Err(format!(
                "{} has versions {}, {} has {}",
                request.file, request.valid_versions, response.file, response.valid_versions
            ));
        }
        let name = api_name(request).to_owned();
        apis.push(Api {
            module: names::snake_case(&name),
            name,
            key,
            request,
            response,
            unstable: request.latest_version_unstable || response.latest_version_unstable,
        });
    }
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    Ok((apis, requests.into_values().collect()))
}

/// Formats `source` with rustfmt (edition 2024, the workspace's config).
fn rustfmt(source: &str, workspace: &Path) -> Result<String, String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned()))
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(workspace)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt writer thread panicked".to_owned())?
        .map_err(|e| format!("writing to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output: {e}"))
}

/// Deletes generated files under `messages/` that this run did not write
/// (an API that left the broker, a renamed schema). Hand-written files are
/// left alone.
fn remove_stale(
    messages_dir: &Path,
    files: &[(PathBuf, String)],
    check: bool,
) -> Result<usize, String> {
    let mut removed = 0;
    for dir in [messages_dir.to_path_buf(), messages_dir.join("data")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_none_or(|e| e != "rs") || files.iter().any(|(p, _)| *p == path) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if !is_generated(&text) {
                eprintln!("note: {} is not generated; left alone", path.display());
                continue;
            }
            removed += 1;
            if check {
                eprintln!("would remove: {}", path.display());
            } else {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(removed)
}

/// Whether a file's module doc says it was generated (the sentence may be
/// wrapped over lines).
fn is_generated(text: &str) -> bool {
    let module_doc = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim())
        .collect::<Vec<_>>()
        .join(" ");
    module_doc.contains(GENERATED_BY)
}
