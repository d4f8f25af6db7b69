//! The types a settings table's rows may have: how each parses a property
//! value (errors name the property), writes its default, is limited, and
//! what the typed builders accept for it.

use std::time::Duration;

use krafka_core::KrafkaError;

use super::bad_choice;

/// A type a settings row may have.
pub(crate) trait SettingValue: Sized {
    /// What the value is, as [`PropertyInfo::type_name`](super::PropertyInfo::type_name) shows it.
    const TYPE: &'static str;

    /// The value of property `key` written as `value` (trimmed).
    fn parse(key: &str, value: &str) -> Result<Self, KrafkaError>;

    /// The value as it would be written by name.
    fn text(&self) -> String;

    /// Checks a limit every value of the type has (Kafka's on `*.ms`).
    fn check(&self, _key: &str) -> Result<(), KrafkaError> {
        Ok(())
    }

    /// A valid value other than this one, for the table-driven tests.
    #[cfg(test)]
    fn other(&self) -> Self;
}

/// What a typed builder method accepts for a setting of type `T`: the value
/// itself; for text, anything that becomes a `String`; for a list, any
/// iterator of those; for an optional setting, also the value without
/// `Some`.
pub trait IntoSetting<T> {
    /// The setting's value.
    fn into_setting(self) -> T;
}

/// `*.ms` settings: whole milliseconds, at most Kafka's limit (they are int
/// milliseconds there, and longer ones would only overflow deadline
/// arithmetic).
impl SettingValue for Duration {
    const TYPE: &'static str = "ms";

    fn parse(key: &str, value: &str) -> Result<Self, KrafkaError> {
        value
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| {
                KrafkaError::config(format!("`{key}` must be milliseconds, got `{value}`"))
            })
    }

    fn text(&self) -> String {
        self.as_millis().to_string()
    }

    fn check(&self, key: &str) -> Result<(), KrafkaError> {
        let max = Duration::from_millis(i32::MAX as u64);
        if *self > max {
            return Err(KrafkaError::config(format!(
                "`{key}` is {self:?}, more than the {max:?} Kafka allows"
            )));
        }
        Ok(())
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        *self + Duration::from_millis(1)
    }
}

macro_rules! numbers {
    ($($ty:ty),*) => {$(
        impl SettingValue for $ty {
            const TYPE: &'static str = "int";

            fn parse(key: &str, value: &str) -> Result<Self, KrafkaError> {
                value.parse::<$ty>().map_err(|_| {
                    KrafkaError::config(format!("`{key}` must be a number, got `{value}`"))
                })
            }

            fn text(&self) -> String {
                self.to_string()
            }

            #[cfg(test)]
            fn other(&self) -> Self {
                self.checked_add(1).unwrap_or(self - 1)
            }
        }
    )*};
}
numbers!(i16, i32, i64, u16, u32, u64, usize);

impl SettingValue for bool {
    const TYPE: &'static str = "bool";

    fn parse(key: &str, value: &str) -> Result<Self, KrafkaError> {
        match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(KrafkaError::config(format!(
                "`{key}` must be true or false, got `{value}`"
            ))),
        }
    }

    fn text(&self) -> String {
        self.to_string()
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        !self
    }
}

impl SettingValue for String {
    const TYPE: &'static str = "string";

    fn parse(_key: &str, value: &str) -> Result<Self, KrafkaError> {
        Ok(value.to_owned())
    }

    fn text(&self) -> String {
        self.clone()
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        format!("{self}-other")
    }
}

/// A comma-separated list; blanks around and between entries are dropped.
impl SettingValue for Vec<String> {
    const TYPE: &'static str = "list";

    fn parse(_key: &str, value: &str) -> Result<Self, KrafkaError> {
        Ok(value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect())
    }

    fn text(&self) -> String {
        self.join(",")
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        let mut other = self.clone();
        other.push("other:9092".to_owned());
        other
    }
}

/// A setting that may be left unset (`None`, written as nothing); set by
/// name it is always `Some`.
impl<T: SettingValue + Default> SettingValue for Option<T> {
    const TYPE: &'static str = T::TYPE;

    fn parse(key: &str, value: &str) -> Result<Self, KrafkaError> {
        T::parse(key, value).map(Some)
    }

    fn text(&self) -> String {
        self.as_ref().map(T::text).unwrap_or_default()
    }

    fn check(&self, key: &str) -> Result<(), KrafkaError> {
        self.as_ref().map_or(Ok(()), |value| value.check(key))
    }

    #[cfg(test)]
    fn other(&self) -> Self {
        Some(match self {
            Some(value) => value.other(),
            None => T::default().other(),
        })
    }
}

macro_rules! as_is {
    ($($ty:ty),*) => {$(
        impl IntoSetting<$ty> for $ty {
            fn into_setting(self) -> $ty {
                self
            }
        }

        impl IntoSetting<Option<$ty>> for $ty {
            fn into_setting(self) -> Option<$ty> {
                Some(self)
            }
        }
    )*};
}
as_is!(Duration, bool, i16, i32, i64, u16, u32, u64, usize);

impl<A: Into<String>> IntoSetting<String> for A {
    fn into_setting(self) -> String {
        self.into()
    }
}

impl IntoSetting<Option<String>> for &str {
    fn into_setting(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoSetting<Option<String>> for String {
    fn into_setting(self) -> Option<String> {
        Some(self)
    }
}

impl<T> IntoSetting<Option<T>> for Option<T> {
    fn into_setting(self) -> Option<T> {
        self
    }
}

impl<I, S> IntoSetting<Vec<String>> for I
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    fn into_setting(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

/// A setting that takes one of a few words (`acks`, `isolation.level`, …);
/// implemented by [`choices!`].
pub(crate) trait Choice: Copy + PartialEq + 'static {
    /// The property it is the value of.
    const PROPERTY: &'static str;
    /// Each word and what it means; a value's first word is its name.
    const WORDS: &'static [(&'static str, Self)];
    /// Whether `RebootStrap` is as good as `rebootstrap`.
    const IGNORE_CASE: bool;
}

/// The choice `value` names, or the error naming `key` and the words.
pub(crate) fn parse_choice<T: Choice>(key: &str, value: &str) -> Result<T, KrafkaError> {
    T::WORDS
        .iter()
        .find(|(word, _)| {
            if T::IGNORE_CASE {
                word.eq_ignore_ascii_case(value)
            } else {
                *word == value
            }
        })
        .map(|(_, choice)| *choice)
        .ok_or_else(|| {
            let words: Vec<&str> = T::WORDS.iter().map(|(word, _)| *word).collect();
            let allowed = match words.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => words.concat(),
            };
            bad_choice(key, value, &allowed)
        })
}

/// The first word naming `choice`.
pub(crate) fn choice_name<T: Choice>(choice: T) -> &'static str {
    T::WORDS
        .iter()
        .find(|(_, value)| *value == choice)
        .map_or("", |(word, _)| *word)
}

/// A choice other than `choice`, for the table-driven tests.
#[cfg(test)]
pub(crate) fn other_choice<T: Choice>(choice: T) -> T {
    T::WORDS
        .iter()
        .map(|(_, value)| *value)
        .find(|value| *value != choice)
        .unwrap_or(choice)
}

/// Makes an enum a setting taking one of a few words:
/// `choices!(Acks: "acks" => ["0" => Acks::None, …])`, with
/// `, ignore_case = true` after the property name when case does not matter.
/// Also implements `FromStr` with the same error, except for a `foreign`
/// type, which has its own.
macro_rules! choices {
    (@type $first:literal $($rest:literal)*) => {
        concat!($first $(, "|", $rest)*)
    };
    (foreign $ty:ident: $property:literal $(, ignore_case = $ignore:literal)?
        => [$($word:literal => $value:expr),+ $(,)?]) => {
        impl $crate::settings::Choice for $ty {
            const PROPERTY: &'static str = $property;
            const WORDS: &'static [(&'static str, Self)] = &[$(($word, $value)),+];
            const IGNORE_CASE: bool = false $(|| $ignore)?;
        }

        impl $crate::settings::SettingValue for $ty {
            const TYPE: &'static str = $crate::settings::choices!(@type $($word)+);

            fn parse(key: &str, value: &str) -> Result<Self, $crate::KrafkaError> {
                $crate::settings::values::parse_choice(key, value)
            }

            fn text(&self) -> String {
                $crate::settings::values::choice_name(*self).to_owned()
            }

            #[cfg(test)]
            fn other(&self) -> Self {
                $crate::settings::values::other_choice(*self)
            }
        }

        impl $crate::settings::IntoSetting<$ty> for $ty {
            fn into_setting(self) -> $ty {
                self
            }
        }
    };
    ($ty:ident: $($rest:tt)*) => {
        $crate::settings::choices!(foreign $ty: $($rest)*);

        impl ::std::str::FromStr for $ty {
            type Err = $crate::KrafkaError;

            #[doc = concat!("Parses the words of `", stringify!($ty), "`'s property; the error names it and the words allowed.")]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                $crate::settings::values::parse_choice(
                    <$ty as $crate::settings::Choice>::PROPERTY,
                    value,
                )
            }
        }
    };
}
pub(crate) use choices;
