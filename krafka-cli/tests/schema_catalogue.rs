//! `krafka protocol schema` against the pinned Kafka release's own message
//! definitions (the JSON files inside its `kafka-clients` jar, fetched by
//! `scripts/kafka-schemas.sh`): the same messages, and for each the same
//! versions, flexible versions, and fields in the same order with the same
//! names, types, versions, nullability, tags and nested fields.
//!
//! Needs Maven (to fetch the jar); without it the test fails, never skips.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The directory of Kafka's message JSON files for the pinned version.
fn kafka_schema_dir() -> PathBuf {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/kafka-schemas.sh"))
        .output()
        .expect("cannot run scripts/kafka-schemas.sh (needs bash, Maven, Java)");
    assert!(
        out.status.success(),
        "scripts/kafka-schemas.sh failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = String::from_utf8_lossy(&out.stdout)
        .trim()
        .lines()
        .last()
        .unwrap_or("")
        .to_owned();
    PathBuf::from(dir)
}

/// Kafka's files have `//` comment lines.
fn read_kafka_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let stripped: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&stripped).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A version range as (min, max); `none` is empty, `N+` open.
fn range(spec: Option<&str>) -> (i32, i32) {
    match spec {
        None | Some("none") => (0, -1),
        Some(s) => {
            if let Some(min) = s.strip_suffix('+') {
                (min.parse().unwrap(), i16::MAX as i32)
            } else if let Some((a, b)) = s.split_once('-') {
                (a.parse().unwrap(), b.parse().unwrap())
            } else {
                let v = s.parse().unwrap();
                (v, v)
            }
        }
    }
}

fn intersect(a: (i32, i32), b: (i32, i32)) -> (i32, i32) {
    let r = (a.0.max(b.0), a.1.min(b.1));
    if r.0 > r.1 { (0, -1) } else { r }
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

struct Compare<'a> {
    common: BTreeMap<String, &'a Value>,
    /// Newest stable version of the message being compared.
    max_version: i32,
    diffs: Vec<String>,
    fields: usize,
}

impl Compare<'_> {
    fn fields(&mut self, path: &str, kafka: &[Value], ours: &[Value]) {
        // Fields that only exist in unstable versions are not in the stable build.
        let kafka: Vec<&Value> = kafka
            .iter()
            .filter(|f| range(str_of(f, "versions")).0 <= self.max_version)
            .collect();
        let names = |fs: &mut dyn Iterator<Item = Option<&str>>| {
            fs.map(|n| n.unwrap_or("?").to_owned()).collect::<Vec<_>>()
        };
        let kafka_names = names(&mut kafka.iter().map(|f| str_of(f, "name")));
        let our_names = names(&mut ours.iter().map(|f| str_of(f, "name")));
        if kafka_names != our_names {
            self.diffs.push(format!(
                "{path}: fields {our_names:?}, Kafka has {kafka_names:?}"
            ));
            return;
        }
        for (k, o) in kafka.iter().zip(ours) {
            self.fields += 1;
            let name = str_of(k, "name").unwrap_or("?");
            let at = format!("{path}.{name}");
            let ty = str_of(k, "type").unwrap_or("?");
            if Some(ty) != str_of(o, "type") {
                self.diffs
                    .push(format!("{at}: type {:?}, Kafka {ty:?}", str_of(o, "type")));
            }
            let versions = range(str_of(k, "versions"));
            let checks = [
                ("versions", versions, range(str_of(o, "versions"))),
                // Nullability outside a field's versions means nothing.
                (
                    "nullableVersions",
                    intersect(range(str_of(k, "nullableVersions")), versions),
                    range(str_of(o, "nullableVersions")),
                ),
                (
                    "taggedVersions",
                    range(str_of(k, "taggedVersions")),
                    range(str_of(o, "taggedVersions")),
                ),
                (
                    "flexibleVersions",
                    str_of(k, "flexibleVersions").map_or((-2, -2), |s| range(Some(s))),
                    str_of(o, "flexibleVersions").map_or((-2, -2), |s| range(Some(s))),
                ),
            ];
            for (what, theirs, mine) in checks {
                if theirs != mine {
                    self.diffs
                        .push(format!("{at}: {what} {mine:?}, Kafka {theirs:?}"));
                }
            }
            if k.get("tag").and_then(Value::as_i64) != o.get("tag").and_then(Value::as_i64) {
                self.diffs.push(format!(
                    "{at}: tag {:?}, Kafka {:?}",
                    o.get("tag"),
                    k.get("tag")
                ));
            }
            let kafka_ignorable = k.get("ignorable").and_then(Value::as_bool).unwrap_or(false);
            let our_ignorable = o.get("ignorable").and_then(Value::as_bool).unwrap_or(false);
            if kafka_ignorable != our_ignorable {
                self.diffs.push(format!(
                    "{at}: ignorable {our_ignorable}, Kafka {kafka_ignorable}"
                ));
            }
            // Nested fields: inline, or from the file's commonStructs.
            let struct_name = ty.trim_start_matches("[]");
            let nested: Vec<Value> = match k.get("fields").and_then(Value::as_array) {
                Some(fs) => fs.clone(),
                None => self
                    .common
                    .get(struct_name)
                    .and_then(|c| c.get("fields"))
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            };
            let ours_nested = o
                .get("fields")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            self.fields(&at, &nested, &ours_nested);
        }
    }
}

#[test]
fn schema_command_matches_the_pinned_kafka_release() {
    let dir = kafka_schema_dir();
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    let mut requests_by_key = BTreeMap::new();
    let mut responses = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let json = read_kafka_json(&path);
        let name = str_of(&json, "name").unwrap().to_owned();
        match str_of(&json, "type") {
            Some("request") => {
                let broker = json["listeners"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|x| x == "broker"));
                if broker {
                    requests_by_key.insert(json["apiKey"].as_i64().unwrap(), json.clone());
                    expected.insert(name, json);
                }
            }
            Some("response") => responses.push(json),
            Some("header") | Some("data") => {
                expected.insert(name, json);
            }
            other => panic!("{name}: unexpected type {other:?}"),
        }
    }
    for response in responses {
        if let Some(request) = requests_by_key.get(&response["apiKey"].as_i64().unwrap()) {
            let mut response = response.clone();
            // A response is unstable exactly when its request is.
            if request
                .get("latestVersionUnstable")
                .and_then(Value::as_bool)
                == Some(true)
            {
                response["latestVersionUnstable"] = Value::Bool(true);
            }
            expected.insert(str_of(&response, "name").unwrap().to_owned(), response);
        }
    }

    let out = Command::new(env!("CARGO_BIN_EXE_krafka"))
        .args(["protocol", "schema"])
        .output()
        .expect("run krafka protocol schema");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours: Vec<Value> = serde_json::from_slice(&out.stdout).expect("the command prints JSON");
    let ours: BTreeMap<String, Value> = ours
        .into_iter()
        .map(|s| (str_of(&s, "name").unwrap().to_owned(), s))
        .collect();

    let missing: Vec<_> = expected.keys().filter(|n| !ours.contains_key(*n)).collect();
    let extra: Vec<_> = ours.keys().filter(|n| !expected.contains_key(*n)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );

    let mut total_fields = 0;
    let mut diffs = Vec::new();
    for (name, kafka) in &expected {
        let mine = &ours[name];
        let (min, mut max) = range(str_of(kafka, "validVersions"));
        if kafka.get("latestVersionUnstable").and_then(Value::as_bool) == Some(true) {
            max -= 1;
        }
        if range(str_of(mine, "validVersions")) != (min, max) {
            diffs.push(format!(
                "{name}: validVersions {:?}, expected {min}-{max}",
                str_of(mine, "validVersions")
            ));
        }
        if range(str_of(kafka, "flexibleVersions")) != range(str_of(mine, "flexibleVersions")) {
            diffs.push(format!("{name}: flexibleVersions differ"));
        }
        if kafka.get("apiKey") != mine.get("apiKey") {
            diffs.push(format!("{name}: apiKey differs"));
        }
        if str_of(kafka, "type") != str_of(mine, "type") {
            diffs.push(format!("{name}: type differs"));
        }
        let common = kafka
            .get("commonStructs")
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .map(|c| (str_of(c, "name").unwrap().to_owned(), c))
                    .collect()
            })
            .unwrap_or_default();
        let mut compare = Compare {
            common,
            max_version: max,
            diffs: Vec::new(),
            fields: 0,
        };
        let empty = Vec::new();
        compare.fields(
            name,
            kafka
                .get("fields")
                .and_then(Value::as_array)
                .unwrap_or(&empty),
            mine.get("fields")
                .and_then(Value::as_array)
                .unwrap_or(&empty),
        );
        total_fields += compare.fields;
        diffs.extend(compare.diffs);
    }
    println!(
        "catalogue: {} messages, {total_fields} fields compared with Kafka {}",
        expected.len(),
        std::fs::read_to_string(repo_root().join("KAFKA_VERSION"))
            .unwrap_or_default()
            .trim()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
