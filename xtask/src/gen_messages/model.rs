//! Lowers the schemas of one output file (an API's request and response,
//! the headers, or one data schema) to Rust structs: names, types,
//! `#[kafka(...)]` attributes, defaults and feature gates.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::UNSTABLE_FEATURE;
use super::names::{derive_kafka_name, field_ident, snake_case};
use super::range::Range;
use super::schema::{Field, FieldType, Kind, Scalar, Schema};

/// The schemas written to one file.
pub struct Unit<'a> {
    pub schemas: Vec<&'a Schema>,
    /// The newest version is unstable (`latestVersionUnstable` on the
    /// request); it applies to the response too, which pairs with it.
    pub unstable: bool,
}

/// A Rust struct, ready to print.
pub struct RustStruct {
    pub doc: String,
    /// Attribute lines after `#[derive(...)]`.
    pub attrs: Vec<String>,
    pub name: String,
    pub fields: Vec<RustField>,
}

pub struct RustField {
    pub doc: String,
    pub attrs: Vec<String>,
    pub ident: String,
    pub ty: String,
}

/// Everything the file needs besides the structs.
#[derive(Default)]
pub struct Uses {
    pub bytes: bool,
    pub records: bool,
    pub uuid: bool,
}

/// Adjustments made to fit the derive's rules, reported to the user.
pub type Notes = Vec<String>;

/// One `key` or `key = value` item of `#[kafka(...)]`.
#[derive(Clone, PartialEq)]
struct Item {
    key: &'static str,
    value: Option<String>,
}

impl Item {
    fn flag(key: &'static str) -> Item {
        Item { key, value: None }
    }

    fn new(key: &'static str, value: impl Into<String>) -> Item {
        Item {
            key,
            value: Some(value.into()),
        }
    }

    fn versions(key: &'static str, range: Range) -> Item {
        Item::new(key, format!("\"{range}\""))
    }
}

fn join(items: &[Item]) -> String {
    items
        .iter()
        .map(|i| match &i.value {
            Some(v) => format!("{} = {v}", i.key),
            None => i.key.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `#[kafka(...)]` lines for attributes that may differ between the stable
/// build and the `unstable-versions` build. `stable` is `None` when the
/// item does not exist without the feature.
fn gated_attrs(stable: Option<&[Item]>, full: &[Item]) -> Vec<String> {
    let Some(stable) = stable else {
        let mut lines = vec![format!("#[cfg(feature = \"{UNSTABLE_FEATURE}\")]")];
        if !full.is_empty() {
            lines.push(format!("#[kafka({})]", join(full)));
        }
        return lines;
    };
    let common: Vec<Item> = full
        .iter()
        .filter(|i| stable.contains(i))
        .cloned()
        .collect();
    let only_stable: Vec<Item> = stable
        .iter()
        .filter(|i| !common.contains(i))
        .cloned()
        .collect();
    let only_full: Vec<Item> = full
        .iter()
        .filter(|i| !common.contains(i))
        .cloned()
        .collect();
    let mut lines = Vec::new();
    if !common.is_empty() {
        lines.push(format!("#[kafka({})]", join(&common)));
    }
    if !only_stable.is_empty() {
        lines.push(format!(
            "#[cfg_attr(not(feature = \"{UNSTABLE_FEATURE}\"), kafka({}))]",
            join(&only_stable)
        ));
    }
    if !only_full.is_empty() {
        lines.push(format!(
            "#[cfg_attr(feature = \"{UNSTABLE_FEATURE}\", kafka({}))]",
            join(&only_full)
        ));
    }
    lines
}

/// The versions of a message as seen by one build: the full release, or
/// the stable versions only.
#[derive(Clone, Copy)]
struct View {
    max: i16,
    flexible: Range,
    /// Notes are reported from the full view only (once).
    report: bool,
}

/// A struct to emit: a top-level message, a struct defined inline by a
/// field, or a common struct.
struct Def<'a> {
    schema: usize,
    kafka_name: String,
    fields: &'a [Field],
    doc: String,
    top_level: bool,
    /// Only defined by fields that exist in unstable versions only.
    unstable_only: bool,
}

pub struct Lowered {
    pub structs: Vec<RustStruct>,
    pub uses: Uses,
}

pub fn lower(unit: &Unit<'_>, notes: &mut Notes) -> Result<Lowered, String> {
    let views: Vec<(View, Option<View>)> = unit
        .schemas
        .iter()
        .map(|s| views(s, unit.unstable))
        .collect::<Result<_, _>>()?;
    let defs = collect_defs(unit, &views);
    let names = struct_names(unit, &defs)?;
    let mut uses = Uses::default();
    let mut structs = Vec::new();
    for def in &defs {
        let schema = unit.schemas[def.schema];
        let (full, stable) = views[def.schema];
        let resolve = |kafka: &str| names.get(&(def.schema, kafka.to_owned())).cloned();
        let name = resolve(&def.kafka_name).unwrap_or_else(|| def.kafka_name.clone());
        let mut attrs = Vec::new();
        if def.unstable_only {
            attrs.push(format!("#[cfg(feature = \"{UNSTABLE_FEATURE}\")]"));
        }
        if def.top_level {
            attrs.extend(container_attrs(schema, full, stable));
        } else if name != def.kafka_name {
            attrs.push(format!("#[kafka(name = \"{}\")]", def.kafka_name));
        }
        let mut fields = Vec::new();
        let mut idents = HashSet::new();
        for field in def.fields {
            let what = format!("{}: {}.{}", schema.file, def.kafka_name, field.name);
            let lowered = lower_field(field, &what, full, stable, &resolve, &mut uses, notes)
                .map_err(|e| format!("{what}: {e}"))?;
            if !idents.insert(lowered.ident.clone()) {
                return Err(format!("{what}: duplicate field name"));
            }
            fields.push(lowered);
        }
        fields.push(RustField {
            doc: "Tagged fields this schema does not define, kept as decoded so that they are \
                  encoded again."
                .to_owned(),
            attrs: vec!["#[kafka(unknown_tagged)]".to_owned()],
            ident: "unknown_tagged_fields".to_owned(),
            ty: "TaggedFields".to_owned(),
        });
        structs.push(RustStruct {
            doc: def.doc.clone(),
            attrs,
            name,
            fields,
        });
    }
    Ok(Lowered { structs, uses })
}

fn views(schema: &Schema, unstable: bool) -> Result<(View, Option<View>), String> {
    let valid = schema.valid_versions;
    if valid.is_empty() || valid.is_open() {
        return Err(format!(
            "{}: validVersions {valid} is not a bounded, non-empty range",
            schema.file
        ));
    }
    let full = View {
        max: valid.max,
        flexible: schema.flexible_versions,
        report: true,
    };
    if !unstable {
        return Ok((full, None));
    }
    if valid.min == valid.max {
        return Err(format!(
            "{}: only version {} exists and it is unstable; gating a whole API is not supported",
            schema.file, valid.max
        ));
    }
    let max = valid.max - 1;
    let stable = View {
        max,
        flexible: if schema.flexible_versions.min > max {
            Range::NONE
        } else {
            schema.flexible_versions
        },
        report: false,
    };
    Ok((full, Some(stable)))
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Request => "Request",
        Kind::Response => "Response",
        Kind::Header => "Header",
        Kind::Data => "Data",
    }
}

/// The top-level struct first, then the structs its fields define (depth
/// first, in field order), then its common structs; request before
/// response.
fn collect_defs<'a>(unit: &Unit<'a>, views: &[(View, Option<View>)]) -> Vec<Def<'a>> {
    let mut defs = Vec::new();
    for (index, schema) in unit.schemas.iter().enumerate() {
        let stable_max = views[index].1.map(|v| v.max);
        defs.push(Def {
            schema: index,
            kafka_name: schema.name.clone(),
            fields: &schema.fields,
            doc: top_level_doc(schema),
            top_level: true,
            unstable_only: false,
        });
        inline_defs(index, &schema.fields, stable_max, false, &mut defs);
        for common in &schema.common_structs {
            let referrer = find_referrer(&schema.fields, &common.name).or_else(|| {
                schema
                    .common_structs
                    .iter()
                    .find_map(|c| find_referrer(&c.fields, &common.name))
            });
            defs.push(Def {
                schema: index,
                kafka_name: common.name.clone(),
                fields: &common.fields,
                doc: referrer
                    .map_or_else(|| format!("The `{}` structure.", common.name), field_doc),
                top_level: false,
                unstable_only: false,
            });
            inline_defs(index, &common.fields, stable_max, false, &mut defs);
        }
    }
    defs
}

fn inline_defs<'a>(
    schema: usize,
    fields: &'a [Field],
    stable_max: Option<i16>,
    unstable_only: bool,
    defs: &mut Vec<Def<'a>>,
) {
    for field in fields {
        let (Some(nested), Scalar::Struct(name)) = (&field.fields, &field.ty.scalar) else {
            continue;
        };
        let unstable_only = unstable_only || stable_max.is_some_and(|max| field.versions.min > max);
        defs.push(Def {
            schema,
            kafka_name: name.clone(),
            fields: nested,
            doc: field_doc(field),
            top_level: false,
            unstable_only,
        });
        inline_defs(schema, nested, stable_max, unstable_only, defs);
    }
}

/// A field's `about` text, or (for the few schemas that leave it out) its
/// name as a phrase: every generated item is documented.
fn field_doc(field: &Field) -> String {
    if field.about.trim().is_empty() {
        sentence(&format!(
            "the {}",
            snake_case(&field.name).replace('_', " ")
        ))
    } else {
        escape_doc(&field.about)
    }
}

/// An `about` text as Markdown: brackets and tag-like `<` are literal
/// (`Array[0]` is not a link).
fn escape_doc(about: &str) -> String {
    let mut out = String::with_capacity(about.len());
    let mut chars = about.chars().peekable();
    while let Some(c) = chars.next() {
        let tag_like = c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/');
        if matches!(c, '[' | ']') || tag_like {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The first field (at any depth) whose type is the struct `name`.
fn find_referrer<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    fields.iter().find_map(|f| {
        if f.ty.scalar == Scalar::Struct(name.to_owned()) {
            Some(f)
        } else {
            f.fields
                .as_deref()
                .and_then(|nested| find_referrer(nested, name))
        }
    })
}

/// Names the file's code already uses; a struct may not take them.
const RESERVED: &[&str] = &[
    "Bytes",
    "Records",
    "Uuid",
    "TaggedFields",
    "Message",
    "Option",
    "Vec",
    "String",
    "Box",
    "Result",
    "Default",
];

/// `(schema index, Kafka name) -> Rust name`. A struct name used by both
/// the request and the response (or clashing with a top-level message or
/// an imported name) is prefixed with its side: `RequestTopicData`.
fn struct_names(
    unit: &Unit<'_>,
    defs: &[Def<'_>],
) -> Result<HashMap<(usize, String), String>, String> {
    let mut owners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for def in defs {
        let owner = owners.entry(&def.kafka_name).or_default();
        if owner.contains(&def.schema) {
            return Err(format!(
                "{}: struct {} is defined twice",
                unit.schemas[def.schema].file, def.kafka_name
            ));
        }
        owner.push(def.schema);
    }
    let top_level: HashSet<&str> = unit.schemas.iter().map(|s| s.name.as_str()).collect();
    let mut names = HashMap::new();
    for def in defs {
        let clash = !def.top_level
            && (owners[def.kafka_name.as_str()].len() > 1
                || top_level.contains(def.kafka_name.as_str())
                || RESERVED.contains(&def.kafka_name.as_str()));
        let name = if clash {
            let schema = unit.schemas[def.schema];
            let prefix = match schema.kind {
                Kind::Request | Kind::Response => kind_word(schema.kind).to_owned(),
                Kind::Header | Kind::Data => schema.name.clone(),
            };
            format!("{prefix}{}", def.kafka_name)
        } else {
            def.kafka_name.clone()
        };
        names.insert((def.schema, def.kafka_name.clone()), name);
    }
    let mut seen = HashSet::new();
    for name in names.values() {
        if !seen.insert(name) || (RESERVED.contains(&name.as_str())) {
            return Err(format!("struct name {name} clashes even after renaming"));
        }
    }
    Ok(names)
}

/// The API name: `FetchRequest` -> `Fetch`.
pub fn api_name(schema: &Schema) -> &str {
    schema
        .name
        .strip_suffix(kind_word(schema.kind))
        .unwrap_or(&schema.name)
}

fn top_level_doc(schema: &Schema) -> String {
    let api = api_name(schema);
    let key = schema.api_key.unwrap_or_default();
    match schema.kind {
        Kind::Request => {
            format!("The {api} request (API key {key}), answered by [`{api}Response`].")
        }
        Kind::Response => format!("The {api} response (API key {key}) to [`{api}Request`]."),
        Kind::Header if schema.name == "RequestHeader" => {
            "The header that precedes every request body.".to_owned()
        }
        Kind::Header if schema.name == "ResponseHeader" => {
            "The header that precedes every response body.".to_owned()
        }
        Kind::Header | Kind::Data => data_description(&schema.name)
            .map(sentence)
            .unwrap_or_else(|| format!("The `{}` schema.", schema.name)),
    }
}

/// What the data schemas are (their JSON files do not say), as a phrase
/// that fits after "`Name`: ".
pub fn data_description(name: &str) -> Option<&'static str> {
    Some(match name {
        "AbortedTxn" => "an aborted transaction, as kept in a partition's transaction index",
        "ConsumerProtocolAssignment" => {
            "the assignment half of the consumer group protocol, the partitions a member owns \
             (carried by SyncGroup)"
        }
        "ConsumerProtocolSubscription" => {
            "the subscription half of the consumer group protocol, the topics a member wants \
             (carried by JoinGroup)"
        }
        "ControlRecordTypeSchema" => {
            "the key of a control record, which gives its type (such as commit or abort)"
        }
        "DefaultPrincipalData" => {
            "a Kafka principal as the default principal builder serializes it (for forwarded requests)"
        }
        "EndTxnMarker" => "the value of a transaction marker (commit or abort) control record",
        "KRaftVersionRecord" => "the KRaft control record that carries the kraft protocol version",
        "LeaderChangeMessage" => {
            "the KRaft control record that announces a newly elected leader and its voters"
        }
        "SnapshotFooterRecord" => "the KRaft control record that ends a snapshot",
        "SnapshotHeaderRecord" => "the KRaft control record that starts a snapshot",
        "VotersRecord" => "the KRaft control record that lists the voters of the quorum",
        _ => return None,
    })
}

/// `"the thing"` -> `"The thing."`
fn sentence(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

fn container_attrs(schema: &Schema, full: View, stable: Option<View>) -> Vec<String> {
    let mut head = Vec::new();
    if let Some(key) = schema
        .api_key
        .filter(|_| matches!(schema.kind, Kind::Request | Kind::Response))
    {
        head.push(Item::new("api_key", key.to_string()));
    }
    head.push(Item::flag(match schema.kind {
        Kind::Request => "request",
        Kind::Response => "response",
        Kind::Header => "header",
        Kind::Data => "data",
    }));
    let ranges = |view: View| {
        vec![
            Item::versions(
                "versions",
                Range {
                    min: schema.valid_versions.min,
                    max: view.max,
                },
            ),
            Item::versions("flexible", view.flexible),
        ]
    };
    let mut tail = Vec::new();
    if schema.kind == Kind::Request {
        tail.push(Item::new(
            "response",
            format!("{}Response", api_name(schema)),
        ));
    }
    // Kafka leaves a Produce request with acks = 0 unanswered (the only
    // request it does not answer); the schemas do not say so.
    if schema.kind == Kind::Request && schema.api_key == Some(0) {
        tail.push(Item::new("expects_response", "self.acks != 0"));
    }
    // ApiVersions responses always use response header v0, so that a client
    // can read them before it knows what the broker speaks (KIP-511).
    if schema.kind == Kind::Response && schema.api_key == Some(18) {
        tail.push(Item::flag("response_header_v0"));
    }
    let with = |view: View| [head.clone(), ranges(view), tail.clone()].concat();
    match stable {
        None => vec![format!("#[kafka({})]", join(&with(full)))],
        Some(stable) => gated_attrs(Some(&with(stable)), &with(full)),
    }
}

fn lower_field(
    field: &Field,
    what: &str,
    full: View,
    stable: Option<View>,
    resolve: &dyn Fn(&str) -> Option<String>,
    uses: &mut Uses,
    notes: &mut Notes,
) -> Result<RustField, String> {
    if field.versions.is_empty() {
        return Err("a field with versions \"none\"".to_owned());
    }
    // A nullable range that misses every version of the field is no
    // nullability at all.
    let nullable =
        field.is_nullable() && !field.nullable_versions.intersect(field.versions).is_empty();
    if field.is_nullable() && !nullable {
        notes.push(format!(
            "{what}: nullableVersions {} never overlap versions {}; emitted as not nullable",
            field.nullable_versions, field.versions
        ));
    }
    let snake = snake_case(&field.name);
    let ident = field_ident(&snake);
    let rename = (derive_kafka_name(&ident) != field.name).then(|| field.name.clone());
    let ty = rust_type(&field.ty, nullable, resolve, uses)?;
    let default = default_value(field, nullable, &ty, what)?;

    let items = |view: View, notes: &mut Notes| {
        field_items(
            field,
            what,
            view,
            nullable,
            default.as_deref(),
            rename.as_deref(),
            notes,
        )
    };
    let full_items =
        items(full, notes).ok_or("the field starts after the message's last version")?;
    let attrs = match stable {
        None => {
            if full_items.is_empty() {
                Vec::new()
            } else {
                vec![format!("#[kafka({})]", join(&full_items))]
            }
        }
        Some(stable) => {
            let stable_items = items(stable, notes);
            if stable_items.as_deref() == Some(full_items.as_slice()) {
                if full_items.is_empty() {
                    Vec::new()
                } else {
                    vec![format!("#[kafka({})]", join(&full_items))]
                }
            } else {
                gated_attrs(stable_items.as_deref(), &full_items)
            }
        }
    };
    Ok(RustField {
        doc: field_doc(field),
        attrs,
        ident,
        ty,
    })
}

/// The `#[kafka(...)]` items of a field in one view, or `None` when the
/// field does not exist in any version of that view.
fn field_items(
    field: &Field,
    what: &str,
    view: View,
    nullable: bool,
    default: Option<&str>,
    rename: Option<&str>,
    notes: &mut Notes,
) -> Option<Vec<Item>> {
    let mut note = |text: String| {
        if view.report {
            notes.push(format!("{what}: {text}"));
        }
    };
    if field.versions.min > view.max {
        return None;
    }
    let versions = field.versions.clamp_closed(view.max);
    if view.report && versions != field.versions {
        note(format!(
            "versions {} end after the message's last version {}; emitted as {versions}",
            field.versions, view.max
        ));
    }
    let mut items = Vec::new();
    if versions != Range::ALL {
        items.push(Item::versions("versions", versions));
    }
    if nullable {
        let nullable_versions = field.nullable_versions.intersect(versions);
        if view.report && !field.nullable_versions.within(field.versions) {
            note(format!(
                "nullableVersions {} are wider than versions {}; emitted as {nullable_versions}",
                field.nullable_versions, field.versions
            ));
        }
        items.push(Item::versions("nullable_versions", nullable_versions));
    }
    if let Some(tag) = field.tag {
        let tagged = field
            .tagged_versions
            .intersect(versions)
            .intersect(view.flexible);
        if view.report && tagged != field.tagged_versions {
            note(format!(
                "taggedVersions {} are outside versions {} or flexible versions {}; emitted as {tagged}",
                field.tagged_versions, versions, view.flexible
            ));
        }
        items.push(Item::new("tag", tag.to_string()));
        items.push(Item::versions("tagged_versions", tagged));
    } else if !field.tagged_versions.is_empty() {
        note("taggedVersions without a tag; ignored".to_owned());
    }
    if let Some(flexible) = field.flexible_versions {
        items.push(Item::versions("flexible", flexible));
    }
    if let Some(default) = default {
        items.push(Item::new("default", default));
    }
    if field.ignorable {
        items.push(Item::flag("ignorable"));
    }
    if let Some(name) = rename {
        items.push(Item::new("name", format!("\"{name}\"")));
    }
    Some(items)
}

fn rust_type(
    ty: &FieldType,
    nullable: bool,
    resolve: &dyn Fn(&str) -> Option<String>,
    uses: &mut Uses,
) -> Result<String, String> {
    let scalar = match &ty.scalar {
        Scalar::Int8 => "i8".to_owned(),
        Scalar::Int16 => "i16".to_owned(),
        Scalar::Int32 => "i32".to_owned(),
        Scalar::Int64 => "i64".to_owned(),
        Scalar::Uint16 => "u16".to_owned(),
        Scalar::Uint32 => "u32".to_owned(),
        Scalar::Float64 => "f64".to_owned(),
        Scalar::Bool => "bool".to_owned(),
        Scalar::Uuid => {
            uses.uuid = true;
            "Uuid".to_owned()
        }
        Scalar::String => "String".to_owned(),
        Scalar::Bytes => {
            uses.bytes = true;
            "Bytes".to_owned()
        }
        Scalar::Records => {
            uses.records = true;
            "Records".to_owned()
        }
        Scalar::Struct(name) => {
            resolve(name).ok_or_else(|| format!("unknown struct type {name}"))?
        }
    };
    if ty.array && ty.scalar == Scalar::Records {
        return Err("an array of records".to_owned());
    }
    let fixed_width = !matches!(
        ty.scalar,
        Scalar::String | Scalar::Bytes | Scalar::Records | Scalar::Struct(_)
    );
    if nullable && fixed_width && !ty.array {
        return Err(format!(
            "a nullable {scalar} (Kafka has no nullable form for it)"
        ));
    }
    let ty = if ty.array {
        format!("Vec<{scalar}>")
    } else {
        scalar
    };
    Ok(if nullable {
        format!("Option<{ty}>")
    } else {
        ty
    })
}

/// The `default = ...` value, mirroring the defaults of Kafka's Java
/// generator: numbers and booleans from the JSON, `"null"` is the `None`
/// default; a nullable string, bytes, array or struct without a default is
/// empty, not null. Returns `None` when `Default::default()` already is it.
fn default_value(
    field: &Field,
    nullable: bool,
    ty: &str,
    what: &str,
) -> Result<Option<String>, String> {
    let json = field.default.as_ref();
    let text = json.map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    if field.ty.array {
        return match text.as_deref() {
            None | Some("") if nullable => Ok(Some("Some(Vec::new())".to_owned())),
            None | Some("") => Ok(None),
            Some("null") if nullable => null_default(field, what),
            Some(other) => Err(format!("unsupported array default {other:?}")),
        };
    }
    let int = |min: i128, max: i128| -> Result<Option<String>, String> {
        let Some(text) = text.as_deref() else {
            return Ok(None);
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let parsed = match digits
            .strip_prefix("0x")
            .or_else(|| digits.strip_prefix("0X"))
        {
            Some(hex) => i128::from_str_radix(hex, 16),
            None => digits.parse::<i128>(),
        }
        .map_err(|_| format!("default {text:?} is not an integer"))?;
        let value = if negative { -parsed } else { parsed };
        if value < min || value > max {
            return Err(format!("default {text} does not fit in {ty}"));
        }
        Ok(Some(text.to_ascii_lowercase()))
    };
    match &field.ty.scalar {
        Scalar::Int8 => int(i8::MIN.into(), i8::MAX.into()),
        Scalar::Int16 => int(i16::MIN.into(), i16::MAX.into()),
        Scalar::Int32 => int(i32::MIN.into(), i32::MAX.into()),
        Scalar::Int64 => int(i64::MIN.into(), i64::MAX.into()),
        Scalar::Uint16 => int(0, u16::MAX.into()),
        Scalar::Uint32 => int(0, u32::MAX.into()),
        Scalar::Float64 => match text {
            None => Ok(None),
            Some(t) => {
                let value: f64 = t
                    .parse()
                    .map_err(|_| format!("default {t:?} is not a float64"))?;
                Ok(Some(format!("{value:?}")))
            }
        },
        Scalar::Bool => match text.as_deref() {
            None => Ok(None),
            Some(b @ ("true" | "false")) => Ok(Some(b.to_owned())),
            Some(other) => Err(format!("default {other:?} is not a bool")),
        },
        Scalar::String => match text.as_deref() {
            Some("null") if nullable => null_default(field, what),
            None if nullable => Ok(Some("\"\"".to_owned())),
            None => Ok(None),
            Some(s) => Ok(Some(format!("{s:?}"))),
        },
        Scalar::Bytes => match text.as_deref() {
            Some("null") if nullable => null_default(field, what),
            None if nullable => Ok(Some("Some(Bytes::new())".to_owned())),
            None => Ok(None),
            Some(other) => Err(format!("unsupported bytes default {other:?}")),
        },
        // Kafka's Java generator defaults records to null, always.
        Scalar::Records => match text.as_deref() {
            None | Some("null") => Ok(None),
            Some(other) => Err(format!("unsupported records default {other:?}")),
        },
        Scalar::Uuid => match text.as_deref() {
            None | Some("AAAAAAAAAAAAAAAAAAAAAA") => Ok(None),
            Some(other) => Err(format!("unsupported uuid default {other:?}")),
        },
        Scalar::Struct(_) => match text.as_deref() {
            Some("null") if nullable => null_default(field, what),
            None if nullable => {
                let inner = ty.trim_start_matches("Option<").trim_end_matches('>');
                Ok(Some(format!("Some({inner}::default())")))
            }
            None => Ok(None),
            Some(other) => Err(format!("unsupported struct default {other:?}")),
        },
    }
}

/// `"default": "null"` is the `Option`'s own default. Kafka's generator
/// insists the field then be nullable in all its versions.
fn null_default(field: &Field, what: &str) -> Result<Option<String>, String> {
    if field.versions.within(field.nullable_versions) {
        Ok(None)
    } else {
        Err(format!(
            "{what}: default null, but not nullable in all versions ({} of {})",
            field.nullable_versions, field.versions
        ))
    }
}
