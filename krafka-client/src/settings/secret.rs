//! [`Password`]: a setting whose value is a secret.

use std::fmt;

use krafka_core::KrafkaError;

use super::{IntoSetting, SettingValue};

/// A secret setting (a password, a private key, a JAAS line holding a
/// password). Its `Debug` and `Display` print `[hidden]`, as Java's
/// `Password` does, so settings can be logged whole; [`Password::expose`]
/// is the one way to the value.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Password(String);

impl Password {
    /// A secret holding `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Password(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

/// Set by name like text; written back as `[hidden]` (listings show
/// defaults only, and no secret has one).
impl SettingValue for Password {
    const TYPE: &'static str = "password";

    fn parse(_key: &str, value: &str) -> Result<Self, KrafkaError> {
        Ok(Password(value.to_owned()))
    }

    fn text(&self) -> String {
        "[hidden]".to_owned()
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        // What `text` writes, so that setting it by name gives the same value.
        Password("[hidden]".to_owned())
    }
}

impl IntoSetting<Password> for Password {
    fn into_setting(self) -> Password {
        self
    }
}

impl IntoSetting<Option<Password>> for Password {
    fn into_setting(self) -> Option<Password> {
        Some(self)
    }
}

impl IntoSetting<Option<Password>> for &str {
    fn into_setting(self) -> Option<Password> {
        Some(Password::new(self))
    }
}

impl IntoSetting<Option<Password>> for String {
    fn into_setting(self) -> Option<Password> {
        Some(Password(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows() {
        let password = Password::new("hunter2");
        assert_eq!(format!("{password:?} {password}"), "[hidden] [hidden]");
        assert_eq!(format!("{:?}", Some(&password)), "Some([hidden])");
        assert_eq!(password.text(), "[hidden]");
        assert_eq!(password.expose(), "hunter2");
    }
}
