//! The files that list things: `messages/mod.rs` (with the round-trip
//! test over every message), `messages/data/mod.rs`, `api_key.rs` and
//! `versions.rs`.

use std::fmt::Write as _;

use super::model::api_name;
use super::names::screaming_snake_case;
use super::render::doc_comment;
use super::schema::Schema;
use super::{Api, DataSchema, GENERATED_BY, UNSTABLE_FEATURE};

fn generated(version: &str) -> String {
    format!(
        "Generated from the message schemas of Apache Kafka {version} by `{GENERATED_BY} <json-dir>` \
         (`scripts/kafka-schemas.sh` fetches them); change the generator, not this file."
    )
}

pub fn data_mod(data: &[DataSchema<'_>], version: &str) -> String {
    let mut out = String::new();
    doc_comment(
        &mut out,
        &[
            "Kafka's `data` schemas: versioned structures that travel inside other messages \
             rather than as requests, such as control records, the consumer group protocol's \
             subscription and assignment, and KRaft snapshot records."
                .to_owned(),
            generated(version),
        ],
        0,
        "//!",
    );
    out.push('\n');
    for d in data {
        let _ = writeln!(out, "pub mod {};", d.module);
    }
    out.push('\n');
    for d in data {
        let _ = writeln!(out, "pub use {}::{};", d.module, d.schema.name);
    }
    out
}

/// Every top-level message, in the order the modules are listed.
fn all_messages<'a>(
    apis: &'a [Api<'_>],
    headers: &[&'a str],
    data: &'a [DataSchema<'_>],
) -> Vec<&'a str> {
    let mut all: Vec<&str> = Vec::new();
    for api in apis {
        all.push(&api.request.name);
        all.push(&api.response.name);
    }
    all.extend(headers);
    all.extend(data.iter().map(|d| d.schema.name.as_str()));
    all
}

pub fn messages_mod(
    apis: &[Api<'_>],
    headers: &[&str],
    data: &[DataSchema<'_>],
    version: &str,
) -> String {
    let mut out = String::new();
    doc_comment(
        &mut out,
        &[
            "Every Kafka message krafka speaks: one module per broker API (its request, its \
             response and their nested structs), the request and response headers, and the \
             `data` schemas."
                .to_owned(),
            "Top-level messages are re-exported here. Nested structs are reached through their \
             module, e.g. [`fetch::FetchTopic`], so that names from different APIs never collide."
                .to_owned(),
            generated(version),
        ],
        0,
        "//!",
    );
    out.push('\n');
    let mut modules: Vec<&str> = apis.iter().map(|a| a.module.as_str()).collect();
    modules.extend(["data", "header"]);
    modules.sort_unstable();
    for m in &modules {
        let _ = writeln!(out, "pub mod {m};");
    }
    out.push('\n');
    let mut uses: Vec<String> = apis
        .iter()
        .map(|a| {
            format!(
                "pub use {}::{{{}, {}}};",
                a.module, a.request.name, a.response.name
            )
        })
        .collect();
    let data_names: Vec<&str> = data.iter().map(|d| d.schema.name.as_str()).collect();
    uses.push(format!("pub use data::{{{}}};", data_names.join(", ")));
    uses.push(format!("pub use header::{{{}}};", headers.join(", ")));
    uses.sort();
    for u in &uses {
        let _ = writeln!(out, "{u}");
    }

    out.push_str(
        "\n#[cfg(feature = \"catalogue\")]\n\
         use crate::codec::CatalogueEntry;\n\n\
         /// Every top-level message above, type-erased, for code that walks them all\n\
         /// (the schema command, cross-checking tests). Behind the `catalogue` feature:\n\
         /// it instantiates every codec at once, which doubles krafka-core's build time.\n\
         #[cfg(feature = \"catalogue\")]\n\
         pub fn catalogue() -> Vec<CatalogueEntry> {\n    vec![\n",
    );
    for name in all_messages(apis, headers, data) {
        let _ = writeln!(out, "        CatalogueEntry::of::<{name}>(),");
    }
    out.push_str("    ]\n}\n");

    out
}

/// The enum variant of an API: Kafka's name (`Produce`).
fn variant(request: &Schema) -> &str {
    api_name(request)
}

pub fn api_key(requests: &[&Schema], version: &str) -> String {
    let mut out = String::new();
    let broker = requests
        .iter()
        .filter(|r| r.listeners.iter().any(|l| l == "broker"))
        .count();
    doc_comment(
        &mut out,
        &[
            format!(
                "Kafka's API keys: one [`ApiKey`] per request schema of Apache Kafka {version}, \
                 all {} of them, including the APIs only KRaft controllers serve and the ones \
                 Kafka removed. krafka speaks the {broker} broker APIs; \
                 [`versions::supported`](crate::versions::supported) says which versions.",
                requests.len()
            ),
            generated(version),
        ],
        0,
        "//!",
    );
    out.push_str(
        r#"
use std::fmt;

/// The key that names a request type on the wire, the first field of a
/// request header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i16)]
#[non_exhaustive]
pub enum ApiKey {
"#,
    );
    for r in requests {
        let name = variant(r);
        let key = r.api_key.unwrap_or_default();
        let mut doc = format!("`{name}` (key {key})");
        if r.valid_versions.is_empty() {
            doc.push_str(": removed from Kafka, no version is valid any more.");
        } else if !r.listeners.iter().any(|l| l == "broker") {
            doc.push_str(": served by KRaft controllers only.");
        } else {
            doc.push('.');
        }
        doc_comment(&mut out, &[doc], 4, "///");
        let _ = writeln!(out, "    {name} = {key},");
    }
    out.push_str("}\n\nimpl ApiKey {\n    /// Every API key, in key order.\n");
    let _ = writeln!(out, "    pub const ALL: [ApiKey; {}] = [", requests.len());
    for r in requests {
        let _ = writeln!(out, "        ApiKey::{},", variant(r));
    }
    out.push_str(
        "    ];\n\n    /// Kafka's name of the API, e.g. `\"Produce\"`.\n    \
         pub const fn name(self) -> &'static str {\n        match self {\n",
    );
    for r in requests {
        let name = variant(r);
        let _ = writeln!(out, "            ApiKey::{name} => \"{name}\",");
    }
    out.push_str(
        "        }\n    }\n\n    /// The key as written on the wire.\n    \
         pub const fn key(self) -> i16 {\n        self as i16\n    }\n\n    \
         /// The API with wire key `key`, if this Kafka release has one.\n    \
         pub const fn from_key(key: i16) -> Option<ApiKey> {\n        match key {\n",
    );
    for r in requests {
        let _ = writeln!(
            out,
            "            {} => Some(ApiKey::{}),",
            r.api_key.unwrap_or_default(),
            variant(r)
        );
    }
    out.push_str(
        r#"            _ => None,
        }
    }
}

/// An API key that this Kafka release does not define.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown Kafka API key {0}")]
pub struct UnknownApiKey(pub i16);

impl TryFrom<i16> for ApiKey {
    type Error = UnknownApiKey;

    fn try_from(key: i16) -> Result<Self, Self::Error> {
        ApiKey::from_key(key).ok_or(UnknownApiKey(key))
    }
}

impl From<ApiKey> for i16 {
    fn from(api: ApiKey) -> i16 {
        api.key()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for api in ApiKey::ALL {
            assert_eq!(ApiKey::try_from(i16::from(api)), Ok(api));
        }
        assert!(ApiKey::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ApiKey::try_from(-1), Err(UnknownApiKey(-1)));
        assert_eq!(ApiKey::try_from(i16::MAX), Err(UnknownApiKey(i16::MAX)));
    }

    #[test]
    fn names() {
        assert_eq!(ApiKey::Produce.name(), "Produce");
        assert_eq!(ApiKey::ApiVersions.to_string(), "ApiVersions");
        assert_eq!(ApiKey::Fetch.key(), 1);
    }
}
"#,
    );
    out
}

pub fn versions(apis: &[Api<'_>], version: &str) -> String {
    let mut by_key: Vec<&Api<'_>> = apis.iter().collect();
    by_key.sort_by_key(|a| a.key);
    let unstable: Vec<String> = by_key
        .iter()
        .filter(|a| a.unstable)
        .map(|a| format!("{} {}", a.name, a.request.valid_versions.max))
        .collect();
    let produce_min = apis
        .iter()
        .find(|a| a.name == "Produce")
        .map_or(0, |a| a.request.valid_versions.min);
    let mut out = String::new();
    let mut doc = vec![
        format!(
            "The versions krafka speaks, per broker API of Apache Kafka {version}: \
             `<API>_MIN` is the oldest and `<API>_MAX` the newest stable version, and \
             [`supported`] maps an [`ApiKey`] to both (`None` for APIs that only KRaft \
             controllers serve, or that Kafka removed)."
        ),
        "The constants are the request messages' own [`Message::VERSIONS`], so the table \
         and the codec cannot disagree; the derive checks that each response has the \
         versions of its request."
            .to_owned(),
        format!(
            "Brokers still *advertise* Produce versions from 0 in their ApiVersions response \
             (a workaround for old librdkafka clients, KAFKA-18659), but since Kafka 4.0 they \
             reject versions 0-2, which are gone from the schemas: krafka never goes below \
             [`PRODUCE_MIN`] = {produce_min}."
        ),
    ];
    if !unstable.is_empty() {
        doc.push(format!(
            "Kafka marks the newest version of some APIs unstable ({}); with the \
             `{UNSTABLE_FEATURE}` feature the messages, and so the `_MAX` constants, include it.",
            unstable.join(", ")
        ));
    }
    doc.push(generated(version));
    doc_comment(&mut out, &doc, 0, "//!");
    out.push_str("\nuse crate::ApiKey;\nuse crate::codec::Message;\nuse crate::messages;\n");
    out.push_str(
        "\n/// The version whose layout a broker answers an ApiVersions request in when it\n\
         /// does not speak that request's version (KIP-511): v0, which every broker reads and\n\
         /// writes, so that the client learns which versions to retry with.\n\
         pub const API_VERSIONS_FALLBACK: i16 = 0;\n",
    );
    for api in &by_key {
        let constant = screaming_snake_case(&api.name);
        let request = &api.request.name;
        let _ = write!(
            out,
            "\n/// {}: the oldest version krafka speaks.\n\
             pub const {constant}_MIN: i16 = messages::{request}::VERSIONS.min;\n",
            api.name
        );
        let max_doc = if api.unstable {
            let max = api.request.valid_versions.max;
            format!(
                "/// {name}: the newest version krafka speaks: {stable}, or {max} (unstable) \
                 with the\n/// `{UNSTABLE_FEATURE}` feature.\n",
                name = api.name,
                stable = max - 1,
            )
        } else {
            format!("/// {}: the newest version krafka speaks.\n", api.name)
        };
        let _ = writeln!(
            out,
            "{max_doc}pub const {constant}_MAX: i16 = messages::{request}::VERSIONS.max;"
        );
    }
    out.push_str(
        "\n/// The versions krafka speaks of `api`, as `(min, max)`; `None` when krafka does not\n\
         /// speak it (controller-only and removed APIs).\n\
         pub const fn supported(api: ApiKey) -> Option<(i16, i16)> {\n    match api {\n",
    );
    for api in &by_key {
        let constant = screaming_snake_case(&api.name);
        let _ = writeln!(
            out,
            "        ApiKey::{} => Some(({constant}_MIN, {constant}_MAX)),",
            api.name
        );
    }
    out.push_str("        _ => None,\n    }\n}\n");
    // Newest versions Kafka marks unstable exist only with the feature.
    let unstable_checks: String = by_key
        .iter()
        .filter(|a| a.unstable)
        .map(|api| {
            let constant = screaming_snake_case(&api.name);
            let max = api.request.valid_versions.max;
            format!(
                "        let newest = if cfg!(feature = \"{UNSTABLE_FEATURE}\") {{ {max} }} else {{ {} }};\n        \
                 assert_eq!({constant}_MAX, newest);\n",
                max - 1
            )
        })
        .collect();
    let _ = write!(
        out,
        r#"
#[cfg(test)]
mod tests {{
    use super::*;

    #[test]
    fn spoken_apis_and_their_bounds() {{
        let spoken = ApiKey::ALL.iter().filter(|api| supported(**api).is_some()).count();
        assert_eq!(spoken, {count});
        assert_eq!(PRODUCE_MIN, {produce_min});
{unstable}    }}
}}
"#,
        count = apis.len(),
        unstable = unstable_checks,
    );
    out
}
