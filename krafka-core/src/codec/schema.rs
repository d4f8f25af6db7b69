//! Self-description: every derived type can describe its schema in the
//! shape of Kafka's own JSON message definitions.

use std::fmt::Write as _;

use super::VersionRange;

/// What kind of schema a top-level message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A request body.
    Request,
    /// A response body.
    Response,
    /// A request or response header.
    Header,
    /// An embedded data schema (consumer protocol assignment, ...).
    Data,
}

impl MessageKind {
    /// The name Kafka's schema files use.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Request => "request",
            MessageKind::Response => "response",
            MessageKind::Header => "header",
            MessageKind::Data => "data",
        }
    }
}

/// A type that can describe itself in Kafka's schema vocabulary.
pub trait Describe {
    /// The Kafka type name: `int32`, `string`, `[]FetchTopic`, ...
    fn kafka_type() -> String;

    /// The fields of a struct type (empty for primitives).
    fn fields() -> Vec<FieldSchema> {
        Vec::new()
    }
}

/// One field of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSchema {
    /// The field name in Kafka's spelling (`PartitionIndex`).
    pub name: &'static str,
    /// The Kafka type name.
    pub kafka_type: String,
    /// Versions the field exists in.
    pub versions: VersionRange,
    /// Versions in which it may be null.
    pub nullable_versions: VersionRange,
    /// Versions in which it is a tagged field.
    pub tagged_versions: VersionRange,
    /// Its tag, if it is tagged.
    pub tag: Option<u32>,
    /// Versions in which the field uses the flexible encoding, when the
    /// field overrides its message's (`None`: inherited).
    pub flexible_versions: Option<VersionRange>,
    /// Whether encoding a non-default value in a version without the field
    /// is silently allowed.
    pub ignorable: bool,
    /// Fields of a struct-typed field.
    pub fields: Vec<FieldSchema>,
}

/// The schema of a top-level message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSchema {
    /// Kafka's name of the message.
    pub name: &'static str,
    /// The API key, for requests and responses.
    pub api_key: Option<i16>,
    /// Its kind.
    pub kind: MessageKind,
    /// Versions it exists in.
    pub valid_versions: VersionRange,
    /// Versions using the flexible encoding.
    pub flexible_versions: VersionRange,
    /// Its fields, in wire order.
    pub fields: Vec<FieldSchema>,
}

impl MessageSchema {
    /// The schema as JSON in the shape of Kafka's message definition files.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        out.push_str("{\n");
        if let Some(key) = self.api_key {
            let _ = writeln!(out, "  \"apiKey\": {key},");
        }
        let _ = writeln!(out, "  \"type\": \"{}\",", self.kind.as_str());
        let _ = writeln!(out, "  \"name\": \"{}\",", self.name);
        let _ = writeln!(out, "  \"validVersions\": \"{}\",", self.valid_versions);
        let _ = writeln!(
            out,
            "  \"flexibleVersions\": \"{}\",",
            self.flexible_versions
        );
        out.push_str("  \"fields\": ");
        write_fields(&mut out, &self.fields, 1);
        out.push_str("\n}");
        out
    }
}

fn write_fields(out: &mut String, fields: &[FieldSchema], depth: usize) {
    if fields.is_empty() {
        out.push_str("[]");
        return;
    }
    let pad = "  ".repeat(depth + 1);
    out.push_str("[\n");
    for (i, f) in fields.iter().enumerate() {
        let _ = write!(
            out,
            "{pad}{{ \"name\": \"{}\", \"type\": \"{}\", \"versions\": \"{}\"",
            f.name, f.kafka_type, f.versions
        );
        if !f.nullable_versions.is_empty() {
            let _ = write!(out, ", \"nullableVersions\": \"{}\"", f.nullable_versions);
        }
        if let Some(tag) = f.tag {
            let _ = write!(
                out,
                ", \"tag\": {tag}, \"taggedVersions\": \"{}\"",
                f.tagged_versions
            );
        }
        if let Some(flexible) = f.flexible_versions {
            let _ = write!(out, ", \"flexibleVersions\": \"{flexible}\"");
        }
        if f.ignorable {
            out.push_str(", \"ignorable\": true");
        }
        if !f.fields.is_empty() {
            out.push_str(", \"fields\": ");
            write_fields(out, &f.fields, depth + 1);
        }
        out.push_str(" }");
        if i + 1 < fields.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&"  ".repeat(depth));
    out.push(']');
}
