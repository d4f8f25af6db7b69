//! What the connection, client, producer and consumer settings share: each
//! type is one table ([`settings_table!`]) of rows naming a field, its Kafka
//! property, type, default, limits and doc; the struct, its `Default`, the
//! by-name setter, the typed builder and the [`PropertyInfo`] listing all
//! come from that table. Values parse through [`SettingValue`], whose errors
//! name the property.

mod secret;
mod table;
pub(crate) mod values;

use krafka_core::KrafkaError;

pub use secret::Password;
pub(crate) use table::settings_table;
pub use values::IntoSetting;
pub(crate) use values::{Choice, SettingValue, choices};

/// One property a settings type takes by name, as its `properties()` lists
/// it (for `-X list`, docs, or a check that a name exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyInfo {
    /// The Kafka property name (`linger.ms`).
    pub name: &'static str,
    /// What the value is: `ms`, `int`, `bool`, `string`, `list` (comma
    /// separated), or for a choice its words (`0|1|all|-1`).
    pub type_name: &'static str,
    /// The default as it would be written by name; empty when the default
    /// is "not set".
    pub default: String,
    /// What the property does.
    pub doc: String,
}

/// Settings that can be set by their Kafka property names. Implemented by
/// [`settings_table!`]; the public `from_properties` and `set` of each
/// settings type are these provided methods.
pub(crate) trait Settings: Default {
    /// Sets `key` when it names one of this type's properties or one of its
    /// nested settings' (`value` is trimmed); `Ok(false)` when it does not.
    fn set_own(&mut self, key: &str, value: &str) -> Result<bool, KrafkaError>;

    /// Checks the settings: each against its limits, then how they hang
    /// together.
    fn check(&self) -> Result<(), KrafkaError>;

    /// Sets one property by its Kafka name; unknown names are an error.
    fn set_property(&mut self, key: &str, value: &str) -> Result<(), KrafkaError> {
        if self.set_own(key, value.trim())? {
            Ok(())
        } else {
            Err(KrafkaError::config(format!("unknown setting `{key}`")))
        }
    }

    /// The defaults with `properties` set, checked.
    fn from_property_list<K: AsRef<str>, V: AsRef<str>>(
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, KrafkaError> {
        let mut settings = Self::default();
        for (key, value) in properties {
            settings.set_property(key.as_ref(), value.as_ref())?;
        }
        settings.check()?;
        Ok(settings)
    }
}

/// What errors call a row: its Kafka name, or for krafka's own settings the
/// field's name.
pub(crate) fn label<'a>(names: &[&'a str], field: &'a str) -> &'a str {
    names.first().copied().unwrap_or(field)
}

/// Checks a row's `min` limit.
pub(crate) fn at_least<T: SettingValue + PartialOrd>(
    label: &str,
    value: &T,
    min: T,
) -> Result<(), KrafkaError> {
    if *value < min {
        return Err(KrafkaError::config(format!(
            "`{label}` must be at least {}",
            min.text()
        )));
    }
    Ok(())
}

/// Adds one row of a table, under each of its names, to a listing.
pub(crate) fn list_row<T: SettingValue>(
    list: &mut Vec<PropertyInfo>,
    names: &[&'static str],
    default: &T,
    doc: &[&str],
) {
    let doc = doc
        .iter()
        .flat_map(|line| line.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ");
    for name in names {
        list.push(PropertyInfo {
            name,
            type_name: T::TYPE,
            default: default.text(),
            doc: doc.clone(),
        });
    }
}

/// The error of a property that takes one of a few words.
pub(crate) fn bad_choice(key: &str, value: &str, allowed: &str) -> KrafkaError {
    KrafkaError::config(format!("`{key}` must be {allowed}, got `{value}`"))
}

#[cfg(test)]
mod tests;
