//! What the client, producer and consumer settings share: being filled from
//! Kafka property names, parsers of property values whose errors name the
//! property, Kafka's limit on `*.ms` values, and the typed builders' setters.

use std::time::Duration;

use krafka_core::KrafkaError;

use crate::config::ClientConfig;

/// Settings that can be set by their Kafka property names. The public
/// `from_properties` and `set` of [`ClientConfig`],
/// [`ProducerConfig`](crate::ProducerConfig) and
/// [`ConsumerConfig`](crate::ConsumerConfig) are these provided methods.
pub(crate) trait Settings: Default {
    /// Sets `key` when it names one of this type's own properties (`value`
    /// is trimmed); `Ok(false)` when it does not.
    fn set_own(&mut self, key: &str, value: &str) -> Result<bool, KrafkaError>;

    /// The client settings nested in these, which take every name
    /// [`set_own`](Self::set_own) does not know; `None` for the client
    /// settings themselves.
    fn client_settings(&mut self) -> Option<&mut ClientConfig>;

    /// Checks the settings hang together.
    fn check(&self) -> Result<(), KrafkaError>;

    /// Sets one property by its Kafka name; unknown names are an error.
    fn set_property(&mut self, key: &str, value: &str) -> Result<(), KrafkaError> {
        let value = value.trim();
        if self.set_own(key, value)? {
            return Ok(());
        }
        match self.client_settings() {
            Some(client) => client.set_property(key, value),
            None => Err(KrafkaError::config(format!("unknown setting `{key}`"))),
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

/// A `*.ms` property.
pub(crate) fn millis(key: &str, value: &str) -> Result<Duration, KrafkaError> {
    value
        .parse::<u64>()
        .map(Duration::from_millis)
        .map_err(|_| KrafkaError::config(format!("`{key}` must be milliseconds, got `{value}`")))
}

/// A numeric property.
pub(crate) fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, KrafkaError> {
    value
        .parse::<T>()
        .map_err(|_| KrafkaError::config(format!("`{key}` must be a number, got `{value}`")))
}

/// A `true`/`false` property.
pub(crate) fn boolean(key: &str, value: &str) -> Result<bool, KrafkaError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(KrafkaError::config(format!(
            "`{key}` must be true or false, got `{value}`"
        ))),
    }
}

/// The error of a property that takes one of a few words.
pub(crate) fn bad_choice(key: &str, value: &str, allowed: &str) -> KrafkaError {
    KrafkaError::config(format!("`{key}` must be {allowed}, got `{value}`"))
}

/// Checks `*.ms` settings, named, against Kafka's limit: they are int
/// milliseconds, and longer ones would only overflow deadline arithmetic.
pub(crate) fn within_kafka_limit<'a>(
    durations: impl IntoIterator<Item = (&'a str, Duration)>,
) -> Result<(), KrafkaError> {
    let max = Duration::from_millis(i32::MAX as u64);
    match durations.into_iter().find(|(_, value)| *value > max) {
        Some((name, value)) => Err(KrafkaError::config(format!(
            "`{name}` is {value:?}, more than the {max:?} Kafka allows"
        ))),
        None => Ok(()),
    }
}

/// Typed builder setters, each storing its argument in the field of the same
/// name of the builder's `config`.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.config.$name = value;
                self
            }
        )*
    };
}
pub(crate) use setters;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConsumerConfig, ProducerConfig};

    /// Each settings type takes its own names and the client's, and refuses
    /// a name neither knows with an error naming it.
    #[test]
    fn unknown_names_are_refused_and_client_names_accepted_by_all() {
        let known = [("bootstrap.servers", "a:1"), ("client.id", "me")];
        let client = ClientConfig::from_properties(known).unwrap();
        let producer = ProducerConfig::from_properties(known).unwrap();
        let consumer = ConsumerConfig::from_properties(known).unwrap();
        assert_eq!(client.client_id, "me");
        assert_eq!(producer.client.client_id, "me");
        assert_eq!(consumer.client.client_id, "me");

        let unknown = [("bootstrap.servers", "a:1"), ("no.such", "1")];
        for result in [
            ClientConfig::from_properties(unknown).map(drop),
            ProducerConfig::from_properties(unknown).map(drop),
            ConsumerConfig::from_properties(unknown).map(drop),
            ProducerConfig::builder().set("no.such", "1").map(drop),
            ConsumerConfig::default().set("no.such", "1").map(drop),
        ] {
            assert!(matches!(&result, Err(KrafkaError::Config(m)) if m.contains("`no.such`")));
        }
    }

    #[test]
    fn long_durations_are_refused_by_name() {
        let ok = Duration::from_millis(i32::MAX as u64);
        assert!(within_kafka_limit([("a.ms", ok), ("b.ms", Duration::ZERO)]).is_ok());
        let error = within_kafka_limit([("a.ms", ok), ("b.ms", ok + Duration::from_millis(1))])
            .unwrap_err();
        assert!(matches!(&error, KrafkaError::Config(m) if m.contains("`b.ms`")));
    }
}
