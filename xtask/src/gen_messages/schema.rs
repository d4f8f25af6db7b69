//! Kafka's message JSON files (`common/message/*.json`), read into a model.
//!
//! The files are JSON with `//` (and `/* */`) comments, as Jackson reads
//! them with `ALLOW_COMMENTS`. Unknown keys are errors, so that a new
//! schema feature in a later Kafka release is noticed, not dropped.

use std::path::Path;

use serde_json::{Map, Value};

use super::range::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Response,
    Header,
    Data,
}

/// One JSON file.
#[derive(Debug)]
pub struct Schema {
    /// File name, e.g. `FetchRequest.json`.
    pub file: String,
    pub name: String,
    pub kind: Kind,
    pub api_key: Option<i16>,
    pub listeners: Vec<String>,
    pub valid_versions: Range,
    pub flexible_versions: Range,
    pub latest_version_unstable: bool,
    pub fields: Vec<Field>,
    pub common_structs: Vec<StructDef>,
}

#[derive(Debug)]
pub struct StructDef {
    pub name: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Int8,
    Int16,
    Int32,
    Int64,
    Uint16,
    Uint32,
    Float64,
    Bool,
    Uuid,
    String,
    Bytes,
    Records,
    /// A struct, by Kafka name.
    Struct(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldType {
    pub array: bool,
    pub scalar: Scalar,
}

#[derive(Debug)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub versions: Range,
    /// `"none"` when absent.
    pub nullable_versions: Range,
    /// `"none"` when absent.
    pub tagged_versions: Range,
    pub tag: Option<u32>,
    /// The field's own `flexibleVersions` (only the request header's client id).
    pub flexible_versions: Option<Range>,
    pub default: Option<Value>,
    pub ignorable: bool,
    pub about: String,
    /// The struct defined inline by this field, if any.
    pub fields: Option<Vec<Field>>,
}

impl Field {
    pub fn is_nullable(&self) -> bool {
        !self.nullable_versions.is_empty()
    }
}

/// Removes `//` and `/* */` comments outside string literals.
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn load(path: &Path) -> Result<Schema, String> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: Value = serde_json::from_str(&strip_comments(&text))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    parse_schema(file.clone(), &value).map_err(|e| format!("{file}: {e}"))
}

const SCHEMA_KEYS: &[&str] = &[
    "apiKey",
    "type",
    "listeners",
    "name",
    "validVersions",
    "flexibleVersions",
    "latestVersionUnstable",
    "fields",
    "commonStructs",
];

const FIELD_KEYS: &[&str] = &[
    "name",
    "type",
    "versions",
    "nullableVersions",
    "taggedVersions",
    "tag",
    "flexibleVersions",
    "default",
    "ignorable",
    "about",
    "fields",
    // Meaningful to Kafka's Java generator only.
    "entityType",
    "mapKey",
    "zeroCopy",
];

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{what} is not a JSON object"))
}

fn check_keys(obj: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), String> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{what}: unknown key {k:?} (the generator needs to learn it)"
        )),
        None => Ok(()),
    }
}

fn string<'a>(obj: &'a Map<String, Value>, key: &str, what: &str) -> Result<&'a str, String> {
    obj.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what}: missing string {key:?}"))
}

fn range(obj: &Map<String, Value>, key: &str, what: &str) -> Result<Option<Range>, String> {
    match obj.get(key) {
        None => Ok(None),
        Some(v) => {
            let spec = v
                .as_str()
                .ok_or_else(|| format!("{what}: {key:?} is not a string"))?;
            Range::parse(spec)
                .map(Some)
                .map_err(|e| format!("{what}: {key}: {e}"))
        }
    }
}

fn parse_schema(file: String, value: &Value) -> Result<Schema, String> {
    let obj = object(value, "the file")?;
    check_keys(obj, SCHEMA_KEYS, "message")?;
    let name = string(obj, "name", "message")?.to_owned();
    let kind = match string(obj, "type", &name)? {
        "request" => Kind::Request,
        "response" => Kind::Response,
        "header" => Kind::Header,
        "data" => Kind::Data,
        other => return Err(format!("{name}: unknown message type {other:?}")),
    };
    let api_key = match obj.get("apiKey") {
        None => None,
        Some(v) => Some(
            v.as_i64()
                .and_then(|k| i16::try_from(k).ok())
                .ok_or_else(|| format!("{name}: apiKey is not an int16"))?,
        ),
    };
    let listeners = match obj.get("listeners") {
        None => Vec::new(),
        Some(v) => v
            .as_array()
            .ok_or_else(|| format!("{name}: listeners is not an array"))?
            .iter()
            .map(|l| l.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("{name}: listeners are not strings"))?,
    };
    let valid_versions =
        range(obj, "validVersions", &name)?.ok_or_else(|| format!("{name}: no validVersions"))?;
    let flexible_versions = range(obj, "flexibleVersions", &name)?.unwrap_or(Range::NONE);
    let latest_version_unstable = match obj.get("latestVersionUnstable") {
        None => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| format!("{name}: latestVersionUnstable is not a bool"))?,
    };
    let fields = match obj.get("fields") {
        None => Vec::new(),
        Some(v) => parse_fields(v, &name)?,
    };
    let common_structs = match obj.get("commonStructs") {
        None => Vec::new(),
        Some(v) => v
            .as_array()
            .ok_or_else(|| format!("{name}: commonStructs is not an array"))?
            .iter()
            .map(|s| {
                let s = object(s, "a common struct")?;
                check_keys(s, &["name", "versions", "fields"], "common struct")?;
                let struct_name = string(s, "name", "common struct")?.to_owned();
                let fields = parse_fields(
                    s.get("fields")
                        .ok_or_else(|| format!("{struct_name}: no fields"))?,
                    &struct_name,
                )?;
                Ok(StructDef {
                    name: struct_name,
                    fields,
                })
            })
            .collect::<Result<_, String>>()?,
    };
    Ok(Schema {
        file,
        name,
        kind,
        api_key,
        listeners,
        valid_versions,
        flexible_versions,
        latest_version_unstable,
        fields,
        common_structs,
    })
}

fn parse_fields(value: &Value, parent: &str) -> Result<Vec<Field>, String> {
    value
        .as_array()
        .ok_or_else(|| format!("{parent}: fields is not an array"))?
        .iter()
        .map(|f| field(f, parent))
        .collect()
}

fn field_type(spec: &str) -> FieldType {
    let (array, base) = match spec.strip_prefix("[]") {
        Some(base) => (true, base),
        None => (false, spec),
    };
    let scalar = match base {
        "int8" => Scalar::Int8,
        "int16" => Scalar::Int16,
        "int32" => Scalar::Int32,
        "int64" => Scalar::Int64,
        "uint16" => Scalar::Uint16,
        "uint32" => Scalar::Uint32,
        "float64" => Scalar::Float64,
        "bool" => Scalar::Bool,
        "uuid" => Scalar::Uuid,
        "string" => Scalar::String,
        "bytes" => Scalar::Bytes,
        "records" => Scalar::Records,
        name => Scalar::Struct(name.to_owned()),
    };
    FieldType { array, scalar }
}

fn field(value: &Value, parent: &str) -> Result<Field, String> {
    let obj = object(value, &format!("a field of {parent}"))?;
    let name = string(obj, "name", &format!("a field of {parent}"))?.to_owned();
    let what = format!("{parent}.{name}");
    check_keys(obj, FIELD_KEYS, &what)?;
    let ty = field_type(string(obj, "type", &what)?);
    if let Scalar::Struct(s) = &ty.scalar {
        if !s.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Err(format!("{what}: unknown type {s:?}"));
        }
    }
    let versions = range(obj, "versions", &what)?.ok_or_else(|| format!("{what}: no versions"))?;
    let tag = match obj.get("tag") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|t| u32::try_from(t).ok())
                .ok_or_else(|| format!("{what}: tag is not a uint32"))?,
        ),
    };
    let ignorable = match obj.get("ignorable") {
        None => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| format!("{what}: ignorable is not a bool"))?,
    };
    let fields = match obj.get("fields") {
        None => None,
        Some(v) => Some(parse_fields(v, &what)?),
    };
    if fields.is_some() && !matches!(ty.scalar, Scalar::Struct(_)) {
        return Err(format!("{what}: a {ty:?} field defines struct fields"));
    }
    Ok(Field {
        name,
        ty,
        versions,
        nullable_versions: range(obj, "nullableVersions", &what)?.unwrap_or(Range::NONE),
        tagged_versions: range(obj, "taggedVersions", &what)?.unwrap_or(Range::NONE),
        tag,
        flexible_versions: range(obj, "flexibleVersions", &what)?,
        default: obj.get("default").cloned(),
        ignorable,
        about: obj
            .get("about")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_comments_outside_strings() {
        let text = "// licence\n{ \"a\": \"http://x\", /* c */ \"b\": 1 // trailing\n}";
        let v: Result<Value, _> = serde_json::from_str(&strip_comments(text));
        assert_eq!(v.ok(), Some(serde_json::json!({ "a": "http://x", "b": 1 })));
    }
}
