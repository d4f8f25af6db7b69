//! Cross-field rules, one function each. All of them run; every violation
//! is reported with a span on the tokens at fault.

use std::collections::HashMap;

use crate::ast::{Field, Message};
use crate::attr::Kind;
use crate::errors::Errors;

pub(crate) fn all(msg: &Message<'_>, errors: &mut Errors) {
    message_attributes(msg, errors);
    message_range(msg, errors);
    for field in &msg.fields {
        if field.is_unknown_tagged() {
            unknown_tagged_alone(field, errors);
            continue;
        }
        field_range(msg, field, errors);
        fact_name_free(msg, field, errors);
        nullable(field, errors);
        tag_pairing(field, errors);
        tagged_in_flexible(msg, field, errors);
    }
    unique_tags(msg, errors);
    one_unknown_tagged(msg, errors);
}

/// Attributes that only make sense together.
fn message_attributes(msg: &Message<'_>, errors: &mut Errors) {
    let a = &msg.attrs;
    match msg.kind() {
        None => {
            for (slot, what) in [
                (a.versions.as_ref().map(|s| &s.tokens), "versions"),
                (a.flexible.as_ref().map(|s| &s.tokens), "flexible"),
                (a.api_key.as_ref().map(|s| &s.tokens), "api_key"),
            ] {
                if let Some(tokens) = slot {
                    errors.at(
                        tokens,
                        format!(
                            "`{what}` needs a message kind (request, response, header or data); \
                             nested structs take their versions from the parent"
                        ),
                    );
                }
            }
        }
        Some(kind) => {
            if !a.wrote("versions") {
                errors.at(
                    msg.ident,
                    "a top-level message needs `versions = \"...\"` (its valid versions)",
                );
            }
            let needs_key = matches!(kind, Kind::Request | Kind::Response);
            match (&a.api_key, needs_key) {
                (None, true) if !a.wrote("api_key") => {
                    errors.at(msg.ident, "requests and responses need `api_key = N`")
                }
                (Some(key), false) => {
                    errors.at(&key.tokens, "only requests and responses have an `api_key`")
                }
                _ => {}
            }
        }
    }
    if let Some(response) = &a.response {
        if msg.kind() != Some(Kind::Request) {
            errors.at(
                &response.tokens,
                "`response = Type` pairs a request with its response; this is not a request",
            );
        }
    }
    if let Some(expects) = &a.expects_response {
        if msg.kind() != Some(Kind::Request) {
            errors.at(
                &expects.tokens,
                "`expects_response` only applies to requests",
            );
        }
    }
    if let Some(v0) = &a.response_header_v0 {
        if msg.kind() != Some(Kind::Response) {
            errors.at(&v0.tokens, "`response_header_v0` only applies to responses");
        }
    }
}

/// Message ranges are bounded and not empty.
fn message_range(msg: &Message<'_>, errors: &mut Errors) {
    if let Some(v) = &msg.attrs.versions {
        if v.value.is_empty() {
            errors.at(&v.tokens, "a message must exist in at least one version");
        } else if v.value.is_open() {
            errors.at(
                &v.tokens,
                format!(
                    "message versions must be bounded: write \"{}-N\" with the newest version N",
                    v.value.min
                ),
            );
        }
    }
    if let (Some(f), Some(v)) = (&msg.attrs.flexible, &msg.attrs.versions) {
        if !f.value.is_empty() && f.value.min > v.value.max {
            errors.at(
                &f.tokens,
                format!(
                    "flexible versions {} start after the message's last version {}",
                    f.value, v.value
                ),
            );
        }
    }
}

/// A field exists in some version of the message, and not beyond it.
fn field_range(msg: &Message<'_>, field: &Field<'_>, errors: &mut Errors) {
    let Some(spec) = &field.attrs.versions else {
        return;
    };
    let v = spec.value;
    if v.is_empty() {
        errors.at(&spec.tokens, "a field must exist in at least one version");
        return;
    }
    if msg.kind().is_none() || msg.attrs.versions.is_none() {
        return;
    }
    let m = msg.versions();
    // Ranges may start before the message's oldest version (Kafka drops old
    // versions but keeps field ranges), but not end after its newest.
    if v.min > m.max || (!v.is_open() && v.max > m.max) {
        errors.at(
            &spec.tokens,
            format!("field versions {v} are outside the message versions {m}"),
        );
    }
}

/// A field's version fact (`<FIELD>_VERSIONS`) must not shadow the
/// `Message::FLEXIBLE_VERSIONS` of a top-level message.
fn fact_name_free(msg: &Message<'_>, field: &Field<'_>, errors: &mut Errors) {
    if msg.kind().is_some() && field.fact_name() == "FLEXIBLE_VERSIONS" {
        errors.at(
            field.ident,
            "a field named `flexible` would shadow `Message::FLEXIBLE_VERSIONS` with its \
             `FLEXIBLE_VERSIONS`; rename it and keep Kafka's name with `name = \"Flexible\"`",
        );
    }
}

/// Nullability: only on `Option`, only within the field's versions, and an
/// `Option` must say when it may be null.
fn nullable(field: &Field<'_>, errors: &mut Errors) {
    match (&field.attrs.nullable_versions, field.option_inner) {
        (Some(spec), None) => errors.at(
            &spec.tokens,
            "`nullable_versions` needs an `Option<T>` field",
        ),
        (Some(spec), Some(_)) if !spec.value.within(field.versions()) => errors.at(
            &spec.tokens,
            format!(
                "nullable versions {} are outside the field versions {}",
                spec.value,
                field.versions()
            ),
        ),
        (None, Some(_)) if !field.attrs.wrote("nullable_versions") => errors.at(
            field.ty,
            "an `Option` field needs `nullable_versions = \"...\"` (the versions in which it may be null)",
        ),
        _ => {}
    }
}

/// `tag` and `tagged_versions` come together; tagged versions lie within
/// the field's versions.
fn tag_pairing(field: &Field<'_>, errors: &mut Errors) {
    match (&field.attrs.tag, &field.attrs.tagged_versions) {
        (Some(tag), None) if !field.attrs.wrote("tagged_versions") => {
            errors.at(&tag.tokens, "`tag` needs `tagged_versions = \"...\"`")
        }
        (None, Some(tv)) if !field.attrs.wrote("tag") => {
            errors.at(&tv.tokens, "`tagged_versions` needs `tag = N`")
        }
        (Some(_), Some(tv)) if !tv.value.within(field.versions()) => errors.at(
            &tv.tokens,
            format!(
                "tagged versions {} are outside the field versions {}",
                tv.value,
                field.versions()
            ),
        ),
        _ => {}
    }
}

/// Tagged fields exist only in flexible versions.
fn tagged_in_flexible(msg: &Message<'_>, field: &Field<'_>, errors: &mut Errors) {
    let (Some(tv), Some(flexible)) = (&field.attrs.tagged_versions, msg.flexible()) else {
        return;
    };
    if !tv.value.within(flexible) {
        errors.at(
            &tv.tokens,
            format!(
                "tagged versions {} are outside the message's flexible versions {flexible}",
                tv.value
            ),
        );
    }
}

fn unique_tags(msg: &Message<'_>, errors: &mut Errors) {
    let mut seen: HashMap<i64, &syn::Ident> = HashMap::new();
    for field in msg.wire_fields() {
        let Some(tag) = &field.attrs.tag else {
            continue;
        };
        if let Some(first) = seen.get(&tag.value) {
            errors.at(
                &tag.tokens,
                format!("tag {} is already used by field `{first}`", tag.value),
            );
        } else {
            seen.insert(tag.value, field.ident);
        }
    }
}

fn one_unknown_tagged(msg: &Message<'_>, errors: &mut Errors) {
    let mut catch_alls = msg
        .fields
        .iter()
        .filter_map(|f| f.attrs.unknown_tagged.as_ref());
    let _first = catch_alls.next();
    for extra in catch_alls {
        errors.at(
            &extra.tokens,
            "only one field may collect unknown tagged fields",
        );
    }
}

/// The catch-all is not a wire field: it takes no other attribute.
fn unknown_tagged_alone(field: &Field<'_>, errors: &mut Errors) {
    let a = &field.attrs;
    for tokens in [
        a.versions.as_ref().map(|s| &s.tokens),
        a.nullable_versions.as_ref().map(|s| &s.tokens),
        a.tagged_versions.as_ref().map(|s| &s.tokens),
        a.flexible.as_ref().map(|s| &s.tokens),
        a.tag.as_ref().map(|s| &s.tokens),
        a.default.as_ref().map(|s| &s.tokens),
        a.ignorable.as_ref().map(|s| &s.tokens),
        a.name.as_ref().map(|s| &s.tokens),
    ]
    .into_iter()
    .flatten()
    {
        errors.at(
            tokens,
            "the `unknown_tagged` field takes no other attribute",
        );
    }
}
