//! [`settings_table!`]: one settings type from one table.

/// Defines a settings type from a table of its settings:
///
/// ```text
/// settings_table! {
///     /// Docs of the struct.
///     pub struct ProducerConfig, builder ProducerConfigBuilder;
///     /// Docs of the nested settings, which take every name the rows do not.
///     nested client: ClientConfig => [bootstrap_servers: Vec<String>];
///     properties {
///         /// What `linger.ms` does.
///         linger: Duration = Duration::from_millis(5), "linger.ms";
///         /// What it does.
///         max_in_flight: usize = 5, "max.in.flight.requests.per.connection", min 1;
///         /// A setting of krafka's own has no Kafka name.
///         queue_size: usize = 256;
///     }
///     checks check_consistency;
/// }
/// ```
///
/// A row is `field: Type = default`, then its Kafka name (`"a" | "b"` when
/// several names set it) unless the setting is krafka's own, then an
/// optional `min`; its type implements
/// [`SettingValue`](crate::settings::SettingValue). From the table come:
/// - the struct, each field's doc led by its Kafka name and default, and
///   its `Default`;
/// - `from_properties` and `set` (names the rows do not know go to the
///   nested settings);
/// - `validate`: the nested settings, then each row against its type's
///   limit (Kafka's on `*.ms`) and its `min`, then the hand-written `checks`
///   function, for what involves several fields;
/// - `properties()`, the listing of every name;
/// - the builder: one method per row and per nested settings, and the
///   `=> [...]` forwarders to nested fields (`method as field: Type` when
///   the names differ).
macro_rules! settings_table {
    (@doc $default:expr;) => {
        concat!("Krafka's own setting, default `", stringify!($default), "`.")
    };
    (@doc $default:expr; $name:literal $($alias:literal)*) => {
        concat!(
            "`", $name, "`", $(", `", $alias, "`",)*
            ", default `", stringify!($default), "`."
        )
    };
    (@nested_set $settings:ident, $key:ident, $value:ident) => {
        Ok(false)
    };
    (@nested_set $settings:ident, $key:ident, $value:ident, $nested:ident) => {
        $crate::settings::Settings::set_own(&mut $settings.$nested, $key, $value)
    };
    (@forward $nested:ident: $nty:ty, $method:ident, $ty:ty) => {
        $crate::settings::settings_table!(@forward $nested: $nty, $method as $method, $ty);
    };
    (@forward $nested:ident: $nty:ty, $method:ident as $field:ident, $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($nty), "::", stringify!($field), "`].")]
        pub fn $method(mut self, value: impl $crate::settings::IntoSetting<$ty>) -> Self {
            self.config.$nested.$field = $crate::settings::IntoSetting::into_setting(value);
            self
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident, builder $builder:ident;
        $(
            $(#[doc = $ndoc:literal])*
            nested $nfield:ident: $nty:ty
                $(=> [$($fwd:ident $(as $fwdfield:ident)?: $fwdty:ty),* $(,)?])?;
        )?
        properties {
            $(
                $(#[doc = $doc:literal])*
                $field:ident: $ty:ty = $default:expr
                    $(, $pname:literal $(| $alias:literal)*)?
                    $(, min $min:expr)?;
            )*
        }
        $(checks $check:ident;)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $(
                $(#[doc = $ndoc])*
                pub $nfield: $nty,
            )?
            $(
                #[doc = $crate::settings::settings_table!(@doc $default; $($pname $($alias)*)?)]
                $(#[doc = $doc])*
                pub $field: $ty,
            )*
        }

        impl ::core::default::Default for $name {
            fn default() -> Self {
                $name {
                    $($nfield: ::core::default::Default::default(),)?
                    $($field: $default,)*
                }
            }
        }

        impl $name {
            /// A typed builder, starting from the defaults.
            pub fn builder() -> $builder {
                $builder {
                    config: <$name as ::core::default::Default>::default(),
                }
            }

            /// The defaults with `properties` set by their Kafka names,
            /// checked; unknown names are an error.
            pub fn from_properties<K: AsRef<str>, V: AsRef<str>>(
                properties: impl IntoIterator<Item = (K, V)>,
            ) -> Result<$name, $crate::KrafkaError> {
                <$name as $crate::settings::Settings>::from_property_list(properties)
            }

            /// Sets one property by its Kafka name (the value is trimmed);
            /// unknown names are an error.
            pub fn set(&mut self, key: &str, value: &str) -> Result<&mut Self, $crate::KrafkaError> {
                $crate::settings::Settings::set_property(self, key, value)?;
                Ok(self)
            }

            /// Checks the settings: each against its limits, then how they
            /// hang together.
            pub fn validate(&self) -> Result<(), $crate::KrafkaError> {
                $(self.$nfield.validate()?;)?
                $({
                    let label = $crate::settings::label(&[$($pname)?], stringify!($field));
                    $crate::settings::SettingValue::check(&self.$field, label)?;
                    $($crate::settings::at_least(label, &self.$field, $min)?;)?
                })*
                $(self.$check()?;)?
                Ok(())
            }

            /// Every property these settings take by name, nested settings'
            /// included, with its type, default and doc.
            pub fn properties() -> &'static [$crate::settings::PropertyInfo] {
                static LIST: ::std::sync::LazyLock<Vec<$crate::settings::PropertyInfo>> =
                    ::std::sync::LazyLock::new(|| {
                        let defaults = <$name as ::core::default::Default>::default();
                        let mut list = Vec::new();
                        $(
                            $crate::settings::list_row(
                                &mut list,
                                &[$($pname $(, $alias)*)?],
                                &defaults.$field,
                                &[$($doc),*],
                            );
                        )*
                        $(list.extend_from_slice(<$nty>::properties());)?
                        list
                    });
                &LIST
            }

            /// For every property, nested ones included: its name, a valid
            /// value other than the default as text, and the defaults with
            /// that value set through the typed builder.
            #[cfg(test)]
            pub(crate) fn typed_samples() -> Vec<(&'static str, String, $name)> {
                let defaults = <$name as ::core::default::Default>::default();
                let mut samples = Vec::new();
                $($(
                    for name in [$pname $(, $alias)*] {
                        let other = $crate::settings::SettingValue::other(&defaults.$field);
                        let text = $crate::settings::SettingValue::text(&other);
                        samples.push((name, text, $name::builder().$field(other).config));
                    }
                )?)*
                $(
                    for (name, text, nested) in <$nty>::typed_samples() {
                        samples.push((name, text, $name { $nfield: nested, ..defaults.clone() }));
                    }
                )?
                samples
            }
        }

        impl $crate::settings::Settings for $name {
            fn set_own(&mut self, key: &str, value: &str) -> Result<bool, $crate::KrafkaError> {
                $($(
                    if [$pname $(, $alias)*].contains(&key) {
                        self.$field = <$ty as $crate::settings::SettingValue>::parse(key, value)?;
                        return Ok(true);
                    }
                )?)*
                $crate::settings::settings_table!(@nested_set self, key, value $(, $nfield)?)
            }

            fn check(&self) -> Result<(), $crate::KrafkaError> {
                self.validate()
            }
        }

        #[doc = concat!("Typed builder of a [`", stringify!($name), "`]: each method sets the field of the same name.")]
        #[derive(Debug, Clone)]
        pub struct $builder {
            config: $name,
        }

        impl $builder {
            $(
                #[doc = concat!("Sets [`", stringify!($name), "::", stringify!($field), "`].")]
                pub fn $field(mut self, value: impl $crate::settings::IntoSetting<$ty>) -> Self {
                    self.config.$field = $crate::settings::IntoSetting::into_setting(value);
                    self
                }
            )*

            $(
                #[doc = concat!("Sets all of [`", stringify!($name), "::", stringify!($nfield), "`].")]
                pub fn $nfield(mut self, value: $nty) -> Self {
                    self.config.$nfield = value;
                    self
                }

                $($(
                    $crate::settings::settings_table!(
                        @forward $nfield: $nty, $fwd $(as $fwdfield)?, $fwdty
                    );
                )*)?
            )?

            /// Sets a property by its Kafka name.
            pub fn set(mut self, key: &str, value: &str) -> Result<Self, $crate::KrafkaError> {
                self.config.set(key, value)?;
                Ok(self)
            }

            /// The settings, checked.
            pub fn build(self) -> Result<$name, $crate::KrafkaError> {
                self.config.validate()?;
                Ok(self.config)
            }
        }
    };
}
pub(crate) use settings_table;
