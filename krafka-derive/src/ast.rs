//! The model of one derived struct: its attributes, fields and the facts
//! the checks and the code generator need.

use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::attr::{self, ContainerAttrs, FieldAttrs, Kind};
use crate::errors::Errors;
use crate::version::Versions;

pub(crate) struct Message<'a> {
    pub ident: &'a Ident,
    pub attrs: ContainerAttrs,
    pub fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    pub vis: &'a syn::Visibility,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    /// `T` when the field is an `Option<T>`.
    pub option_inner: Option<&'a Type>,
}

impl Message<'_> {
    /// Kafka's name of this struct.
    pub fn name(&self) -> String {
        self.attrs
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| self.ident.to_string())
    }

    pub fn kind(&self) -> Option<Kind> {
        self.attrs.kind.as_ref().map(|k| k.value)
    }

    /// The message's versions; nested structs take any version.
    pub fn versions(&self) -> Versions {
        self.attrs
            .versions
            .as_ref()
            .map_or(Versions::ALL, |v| v.value)
    }

    /// Flexible versions, when known (top-level messages).
    pub fn flexible(&self) -> Option<Versions> {
        self.kind().map(|_| {
            self.attrs
                .flexible
                .as_ref()
                .map_or(Versions::NONE, |v| v.value)
        })
    }

    /// The fields that are encoded (all but the unknown-tag catch-all).
    pub fn wire_fields(&self) -> impl Iterator<Item = &Field<'_>> {
        self.fields.iter().filter(|f| !f.is_unknown_tagged())
    }

    pub fn unknown_tagged(&self) -> Option<&Field<'_>> {
        self.fields.iter().find(|f| f.is_unknown_tagged())
    }

    /// Tagged fields in ascending tag order.
    pub fn tagged_fields(&self) -> Vec<&Field<'_>> {
        let mut tagged: Vec<_> = self.wire_fields().filter(|f| f.tag().is_some()).collect();
        tagged.sort_by_key(|f| f.tag());
        tagged
    }
}

impl Field<'_> {
    pub fn is_unknown_tagged(&self) -> bool {
        self.attrs.unknown_tagged.is_some()
    }

    /// Kafka's name of the field: the `name` attribute, else the Rust name
    /// in PascalCase.
    pub fn kafka_name(&self) -> String {
        if let Some(name) = &self.attrs.name {
            return name.value.clone();
        }
        let rust = self.ident.to_string();
        let rust = rust.strip_prefix("r#").unwrap_or(&rust);
        rust.split('_')
            .map(|part| {
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect()
    }

    pub fn versions(&self) -> Versions {
        self.attrs
            .versions
            .as_ref()
            .map_or(Versions::ALL, |v| v.value)
    }

    /// The associated const that tells the field's versions:
    /// `topic_id` -> `TOPIC_ID_VERSIONS`.
    pub fn fact_name(&self) -> String {
        let rust = self.ident.to_string();
        let rust = rust.strip_prefix("r#").unwrap_or(&rust);
        format!("{}_VERSIONS", rust.to_uppercase())
    }

    pub fn nullable(&self) -> Versions {
        self.attrs
            .nullable_versions
            .as_ref()
            .map_or(Versions::NONE, |v| v.value)
    }

    pub fn tagged(&self) -> Versions {
        self.attrs
            .tagged_versions
            .as_ref()
            .map_or(Versions::NONE, |v| v.value)
    }

    pub fn tag(&self) -> Option<u32> {
        self.attrs
            .tag
            .as_ref()
            .and_then(|t| u32::try_from(t.value).ok())
    }

    pub fn flexible_override(&self) -> Option<Versions> {
        self.attrs.flexible.as_ref().map(|v| v.value)
    }

    pub fn ignorable(&self) -> bool {
        self.attrs.ignorable.is_some()
    }
}

/// `Some(T)` for a type written `Option<T>` (or a path ending in it).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Builds the model, or `None` when the item has a shape the derive cannot
/// handle (the reason is in `errors`).
pub(crate) fn build<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<Message<'a>> {
    let attrs = attr::container(&input.attrs, errors);
    if !input.generics.params.is_empty() {
        errors.at(
            &input.generics,
            "`Message` cannot be derived for generic structs",
        );
        return None;
    }
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named,
            Fields::Unnamed(_) => {
                errors.at(
                    &input.ident,
                    "`Message` needs a struct with named fields, not a tuple struct",
                );
                return None;
            }
            Fields::Unit => {
                errors.at(
                    &input.ident,
                    "`Message` needs a struct with named fields, not a unit struct",
                );
                return None;
            }
        },
        Data::Enum(e) => {
            errors.at(
                e.enum_token,
                "`Message` can only be derived for structs, not enums",
            );
            return None;
        }
        Data::Union(u) => {
            errors.at(
                u.union_token,
                "`Message` can only be derived for structs, not unions",
            );
            return None;
        }
    };
    let fields = named
        .named
        .iter()
        .filter_map(|f| {
            Some(Field {
                ident: f.ident.as_ref()?,
                vis: &f.vis,
                ty: &f.ty,
                attrs: attr::field(&f.attrs, errors),
                option_inner: option_inner(&f.ty),
            })
        })
        .collect();
    Some(Message {
        ident: &input.ident,
        attrs,
        fields,
    })
}
