//! Parses `#[kafka(...)]` attributes into slots. Each slot keeps the tokens
//! it came from, so later checks can point at them and duplicates are caught.

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitInt, LitStr, Meta, Path, Token};

use crate::errors::Errors;
use crate::version::{self, Versions};

/// A parsed value and the tokens it was written as.
pub(crate) struct Spanned<T> {
    pub value: T,
    pub tokens: proc_macro2::TokenStream,
}

type Slot<T> = Option<Spanned<T>>;

/// What a top-level message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Request,
    Response,
    Header,
    Data,
}

#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// Every key written, valid or not: a rule about a missing key stays
    /// quiet when the key was written but malformed (already reported).
    pub written: Vec<String>,
    pub api_key: Slot<i16>,
    pub kind: Slot<Kind>,
    pub versions: Slot<Versions>,
    pub flexible: Slot<Versions>,
    pub response: Slot<Path>,
    pub response_header_v0: Slot<()>,
    pub name: Slot<String>,
    /// `expects_response = expr`: whether the broker answers the request.
    pub expects_response: Slot<Expr>,
    /// `crate = path`: where `krafka` (or `krafka_core`) is reachable.
    pub krate: Slot<Path>,
}

#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// Every key written, valid or not (see [`ContainerAttrs::written`]).
    pub written: Vec<String>,
    pub versions: Slot<Versions>,
    pub nullable_versions: Slot<Versions>,
    pub tagged_versions: Slot<Versions>,
    pub flexible: Slot<Versions>,
    pub tag: Slot<i64>,
    pub default: Slot<Expr>,
    pub ignorable: Slot<()>,
    pub unknown_tagged: Slot<()>,
    pub name: Slot<String>,
}

/// Every `key` / `key = value` item inside the `#[kafka(...)]` attributes.
fn kafka_items(attrs: &[Attribute], errors: &mut Errors) -> Vec<Meta> {
    let mut items = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("kafka")) {
        match attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(list) => items.extend(list),
            Err(e) => errors.push(e),
        }
    }
    items
}

fn key_of(meta: &Meta) -> String {
    meta.path()
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| quote::quote!(#meta).to_string())
}

/// Stores `value` in `slot`, reporting a duplicate instead when full.
fn fill<T>(slot: &mut Slot<T>, meta: &Meta, value: T, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(
            meta.path(),
            format!("duplicate `{}` attribute", key_of(meta)),
        );
    } else {
        *slot = Some(Spanned {
            value,
            tokens: quote::quote!(#meta),
        });
    }
}

fn flag(meta: &Meta, errors: &mut Errors) -> Option<()> {
    match meta {
        Meta::Path(_) => Some(()),
        _ => {
            errors.at(meta, format!("`{}` takes no value", key_of(meta)));
            None
        }
    }
}

fn value<'a>(meta: &'a Meta, expected: &str, errors: &mut Errors) -> Option<&'a Expr> {
    match meta {
        Meta::NameValue(nv) => Some(&nv.value),
        _ => {
            errors.at(meta, format!("expected `{} = {expected}`", key_of(meta)));
            None
        }
    }
}

fn lit_str<'a>(meta: &'a Meta, expected: &str, errors: &mut Errors) -> Option<&'a LitStr> {
    match value(meta, expected, errors)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s),
        other => {
            errors.at(
                other,
                format!("`{}` expects a string: {expected}", key_of(meta)),
            );
            None
        }
    }
}

fn versions(meta: &Meta, errors: &mut Errors) -> Option<Versions> {
    let lit = lit_str(meta, "\"3+\", \"0-11\", \"5\" or \"none\"", errors)?;
    match version::parse(&lit.value()) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.at(lit, e);
            None
        }
    }
}

fn int(meta: &Meta, errors: &mut Errors) -> Option<LitInt> {
    let expr = value(meta, "an integer", errors)?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => Some(i.clone()),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            errors.at(expr, format!("`{}` must not be negative", key_of(meta)));
            None
        }
        other => {
            errors.at(other, format!("`{}` expects an integer", key_of(meta)));
            None
        }
    }
}

pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for meta in kafka_items(attrs, errors) {
        let key = key_of(&meta);
        out.written.push(key.clone());
        match key.as_str() {
            "api_key" => {
                if let Some(lit) = int(&meta, errors) {
                    match lit.base10_parse::<i16>() {
                        Ok(v) => fill(&mut out.api_key, &meta, v, errors),
                        Err(_) => errors.at(&lit, "`api_key` must fit in an int16 (0..=32767)"),
                    }
                }
            }
            "request" | "header" | "data" => {
                let kind = match key.as_str() {
                    "request" => Kind::Request,
                    "header" => Kind::Header,
                    _ => Kind::Data,
                };
                if flag(&meta, errors).is_some() {
                    set_kind(&mut out, &meta, kind, errors);
                }
            }
            // `response` alone is the kind; `response = Type` pairs a request.
            "response" => match &meta {
                Meta::Path(_) => set_kind(&mut out, &meta, Kind::Response, errors),
                Meta::NameValue(nv) => match &nv.value {
                    Expr::Path(p) => fill(&mut out.response, &meta, p.path.clone(), errors),
                    other => errors.at(other, "`response = ...` expects the response type"),
                },
                Meta::List(_) => errors.at(&meta, "expected `response` or `response = Type`"),
            },
            "versions" => {
                if let Some(v) = versions(&meta, errors) {
                    fill(&mut out.versions, &meta, v, errors);
                }
            }
            "flexible" => {
                if let Some(v) = versions(&meta, errors) {
                    fill(&mut out.flexible, &meta, v, errors);
                }
            }
            "response_header_v0" => {
                if flag(&meta, errors).is_some() {
                    fill(&mut out.response_header_v0, &meta, (), errors);
                }
            }
            "name" => {
                if let Some(s) = lit_str(&meta, "the message name", errors) {
                    fill(&mut out.name, &meta, s.value(), errors);
                }
            }
            "expects_response" => {
                if let Some(expr) = value(&meta, "a `bool` expression over `self`", errors) {
                    fill(&mut out.expects_response, &meta, expr.clone(), errors);
                }
            }
            "crate" => {
                if let Some(path) = crate_path(&meta, errors) {
                    fill(&mut out.krate, &meta, path, errors);
                }
            }
            _ => errors.at(
                meta.path(),
                format!(
                    "unknown message attribute `{key}`; expected one of: api_key, request, response, \
                     header, data, versions, flexible, response_header_v0, name, \
                     expects_response, crate"
                ),
            ),
        }
    }
    out
}

/// The path after `crate =`, written as a path (`crate = my::krafka`), not
/// as a string: a string would hide typos from the compiler's resolver.
fn crate_path(meta: &Meta, errors: &mut Errors) -> Option<Path> {
    match value(meta, "path::to::krafka", errors)? {
        Expr::Path(p) if p.qself.is_none() => Some(p.path.clone()),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            errors.at(
                s,
                format!(
                    "`crate` takes a path without quotes: `crate = {}`",
                    s.value()
                ),
            );
            None
        }
        other => {
            errors.at(
                other,
                "`crate` expects the path of `krafka` or `krafka_core`, e.g. `crate = my_crate::krafka`",
            );
            None
        }
    }
}

fn set_kind(out: &mut ContainerAttrs, meta: &Meta, kind: Kind, errors: &mut Errors) {
    if let Some(previous) = &out.kind {
        if previous.value == kind {
            errors.at(
                meta.path(),
                format!("duplicate `{}` attribute", key_of(meta)),
            );
        } else {
            errors.at(
                meta.path(),
                "a message has one kind: request, response, header or data",
            );
        }
        return;
    }
    fill(&mut out.kind, meta, kind, errors);
}

pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for meta in kafka_items(attrs, errors) {
        let key = key_of(&meta);
        out.written.push(key.clone());
        match key.as_str() {
            "versions" | "nullable_versions" | "tagged_versions" | "flexible" => {
                if let Some(v) = versions(&meta, errors) {
                    let slot = match key.as_str() {
                        "versions" => &mut out.versions,
                        "nullable_versions" => &mut out.nullable_versions,
                        "tagged_versions" => &mut out.tagged_versions,
                        _ => &mut out.flexible,
                    };
                    fill(slot, &meta, v, errors);
                }
            }
            "tag" => {
                if let Some(lit) = int(&meta, errors) {
                    match lit.base10_parse::<i64>() {
                        Ok(v) if v <= i64::from(u32::MAX) => fill(&mut out.tag, &meta, v, errors),
                        _ => errors.at(&lit, "`tag` must fit in an unsigned 32-bit integer"),
                    }
                }
            }
            "default" => {
                if let Some(expr) = value(&meta, "an expression", errors) {
                    fill(&mut out.default, &meta, expr.clone(), errors);
                }
            }
            "ignorable" => {
                if flag(&meta, errors).is_some() {
                    fill(&mut out.ignorable, &meta, (), errors);
                }
            }
            "unknown_tagged" => {
                if flag(&meta, errors).is_some() {
                    fill(&mut out.unknown_tagged, &meta, (), errors);
                }
            }
            "name" => {
                if let Some(s) = lit_str(&meta, "the field name in Kafka's spelling", errors) {
                    fill(&mut out.name, &meta, s.value(), errors);
                }
            }
            _ => errors.at(
                meta.path(),
                format!(
                    "unknown field attribute `{key}`; expected one of: versions, nullable_versions, \
                     tag, tagged_versions, default, ignorable, unknown_tagged, flexible, name"
                ),
            ),
        }
    }
    out
}

impl ContainerAttrs {
    pub fn wrote(&self, key: &str) -> bool {
        self.written.iter().any(|k| k == key)
    }
}

impl FieldAttrs {
    pub fn wrote(&self, key: &str) -> bool {
        self.written.iter().any(|k| k == key)
    }
}
