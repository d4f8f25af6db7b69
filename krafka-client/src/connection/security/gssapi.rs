//! SASL GSSAPI (Kerberos V5) as Kafka speaks it: the GSS-API tokens of
//! `gss_init_sec_context` travel in SaslAuthenticate until the context is
//! established, then RFC 4752's security-layer exchange (the broker's wrapped
//! offer, the client's wrapped choice: no security layer).
//!
//! The Kerberos work is the system's GSSAPI library (MIT krb5), reached
//! through the `libgssapi` crate when the `gssapi` feature is on. Credentials
//! come from the ticket cache (`KRB5CCNAME`, or the `default_ccache_name` of
//! krb5.conf); with a keytab set and no valid ticket for the principal there,
//! krafka runs `kinit -k -t <keytab> <principal>` into that cache first, as
//! librdkafka does, because the safe binding has no way to hand a keytab to
//! one credential alone.

use krafka_core::KrafkaError;

use super::SecurityConfig;
use super::jaas::LoginModule;

/// Java's Kerberos login module, the one `sasl.jaas.config` may name for GSSAPI.
const KRB5_LOGIN_MODULE: &str = "com.sun.security.auth.module.Krb5LoginModule";

/// Who the client is to Kerberos and which service it asks a ticket for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kerberos {
    /// The broker's service name (`sasl.kerberos.service.name`).
    pub(crate) service: String,
    /// The client's principal; `None` takes the ticket cache's default.
    pub(crate) principal: Option<String>,
    /// A keytab to get a ticket from when the cache has none.
    pub(crate) keytab: Option<String>,
}

impl Kerberos {
    /// The GSSAPI settings: `sasl.kerberos.*` (librdkafka's names) or a
    /// `Krb5LoginModule` line in `sasl.jaas.config` (Java's).
    pub(crate) fn from_config(config: &SecurityConfig) -> Result<Kerberos, KrafkaError> {
        if !cfg!(feature = "gssapi") {
            return Err(KrafkaError::config(
                "`sasl.mechanism=GSSAPI` needs krafka built with the `gssapi` feature",
            ));
        }
        let mut kerberos = Kerberos {
            service: config.sasl_kerberos_service_name.trim().to_owned(),
            principal: config.sasl_kerberos_principal.clone(),
            keytab: config.sasl_kerberos_keytab.clone(),
        };
        if let Some(jaas) = &config.sasl_jaas_config {
            if kerberos.principal.is_some() || kerberos.keytab.is_some() {
                return Err(KrafkaError::config(
                    "set either `sasl.jaas.config` or `sasl.kerberos.principal` and \
                     `sasl.kerberos.keytab`, not both",
                ));
            }
            kerberos.take_login_module(&LoginModule::parse(jaas.expose())?)?;
        }
        if kerberos.service.is_empty() {
            return Err(KrafkaError::config(
                "`sasl.kerberos.service.name` is empty; the broker's principal starts with it \
                 (usually `kafka`)",
            ));
        }
        if kerberos.keytab.is_some() && kerberos.principal.is_none() {
            return Err(KrafkaError::config(
                "a Kerberos keytab needs the principal whose key it holds \
                 (`sasl.kerberos.principal`, or principal=\"…\" in `sasl.jaas.config`)",
            ));
        }
        Ok(kerberos)
    }

    /// The options of Java's `Krb5LoginModule` that a client uses:
    /// `useKeyTab`, `keyTab`, `principal` and `serviceName`.
    fn take_login_module(&mut self, module: &LoginModule) -> Result<(), KrafkaError> {
        if module.class != KRB5_LOGIN_MODULE {
            return Err(KrafkaError::config(format!(
                "`sasl.jaas.config` names {} but GSSAPI takes {KRB5_LOGIN_MODULE}",
                module.class
            )));
        }
        let option = |name: &str| module.options.get(name).map(|v| v.trim().to_owned());
        let use_keytab = option("useKeyTab").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        self.principal = option("principal");
        if use_keytab {
            self.keytab = Some(option("keyTab").ok_or_else(|| {
                KrafkaError::config("`sasl.jaas.config` has useKeyTab=true but no keyTab=\"…\"")
            })?);
        }
        if let Some(service) = option("serviceName") {
            self.service = service;
        }
        Ok(())
    }
}

#[cfg(feature = "gssapi")]
mod exchange {
    use std::process::{Command, Stdio};
    use std::sync::Mutex;
    use std::time::Duration;

    use bytes::Bytes;
    use krafka_core::KrafkaError;
    use libgssapi::context::{ClientCtx, CtxFlags, SecurityContext};
    use libgssapi::credential::{Cred, CredUsage};
    use libgssapi::name::Name;
    use libgssapi::oid::{GSS_MECH_KRB5, GSS_NT_HOSTBASED_SERVICE, GSS_NT_KRB5_PRINCIPAL, OidSet};

    use super::Kerberos;
    use crate::connection::Connection;
    use crate::connection::security::tls::host_of;

    /// RFC 4752's security layer bit for "no security layer".
    const NO_SECURITY_LAYER: u8 = 1;

    /// Kerberos establishes a context in one or two rounds; a broker that
    /// keeps answering with tokens is not doing Kerberos.
    const MAX_CONTEXT_ROUNDS: usize = 8;

    /// A ticket that ends sooner than this is renewed from the keytab first,
    /// so it cannot expire between here and the broker.
    const RENEW_BEFORE: Duration = Duration::from_secs(60);

    /// One `kinit` at a time: connections to several brokers start together
    /// and would each write the same ticket.
    static KINIT: Mutex<()> = Mutex::new(());

    impl Connection {
        /// GSSAPI authentication with `kerberos`'s credentials for the
        /// service `<service>/<host connected to>`. Acquiring the ticket
        /// (maybe `kinit`) and the first context step talk to the KDC, so
        /// they run on tokio's blocking pool; the later steps and wrapping
        /// are local computations and run inline.
        pub(in crate::connection::security) async fn authenticate_gssapi(
            &self,
            kerberos: &Kerberos,
        ) -> Result<Option<std::time::Duration>, KrafkaError> {
            let who = kerberos
                .principal
                .as_deref()
                .unwrap_or("the cached principal");
            let refused = |reason: String| {
                KrafkaError::authentication(self.peer(), format!("SASL GSSAPI as {who}: {reason}"))
            };
            let target = format!("{}@{}", kerberos.service, host_of(self.peer()));
            let setup = kerberos.clone();
            let (mut context, first) = tokio::task::spawn_blocking(move || {
                let mut context = security_context(&setup, &target)?;
                let token = context
                    .step(None, None)
                    .map_err(|e| format!("no ticket for {target}: {}", one_line(&e)))?;
                Ok::<_, String>((context, token))
            })
            .await
            .map_err(|_| refused("the GSSAPI task ended abnormally".to_owned()))?
            .map_err(refused)?;
            let mut token = first.map(|t| t.to_vec()).unwrap_or_default();
            let mut rounds = 0;
            let offer = loop {
                let (answer, _) = self.sasl_step("GSSAPI", who, token).await?;
                if context.is_complete() {
                    break answer;
                }
                rounds += 1;
                if rounds > MAX_CONTEXT_ROUNDS {
                    return Err(refused(format!(
                        "no security context after {MAX_CONTEXT_ROUNDS} rounds with the broker"
                    )));
                }
                token = context
                    .step(Some(&answer), None)
                    .map_err(|e| refused(format!("the broker's token: {}", one_line(&e))))?
                    .map(|t| t.to_vec())
                    .unwrap_or_default();
            };
            let choice = security_layer_choice(&mut context, &offer).map_err(refused)?;
            let (_, lifetime) = self.sasl_step("GSSAPI", who, choice).await?;
            Ok(lifetime)
        }
    }

    /// A context for the service `target` (`service@host`) with the
    /// principal's credentials (got from the keytab when needed), or the
    /// cache's default ones.
    fn security_context(kerberos: &Kerberos, target: &str) -> Result<ClientCtx, String> {
        let credential = match &kerberos.principal {
            Some(principal) => Some(credential(kerberos, principal)?),
            None => None,
        };
        let service = Name::new(target.as_bytes(), Some(GSS_NT_HOSTBASED_SERVICE))
            .map_err(|e| format!("bad service name {target}: {}", one_line(&e)))?;
        let flags = CtxFlags::GSS_C_MUTUAL_FLAG | CtxFlags::GSS_C_INTEG_FLAG;
        Ok(ClientCtx::new(
            credential,
            service,
            flags,
            Some(GSS_MECH_KRB5),
        ))
    }

    /// The principal's initiator credential from the ticket cache, after a
    /// `kinit` from the keytab if the cache has no ticket that lasts.
    fn credential(kerberos: &Kerberos, principal: &str) -> Result<Cred, String> {
        let name = Name::new(principal.as_bytes(), Some(GSS_NT_KRB5_PRINCIPAL))
            .map_err(|e| format!("bad principal: {}", one_line(&e)))?;
        let mechanisms = OidSet::singleton(GSS_MECH_KRB5).map_err(|e| one_line(&e))?;
        let acquire = || Cred::acquire(Some(&name), None, CredUsage::Initiate, Some(&mechanisms));
        let lasts = |cred: &Cred| cred.lifetime().is_ok_and(|left| left >= RENEW_BEFORE);
        let Some(keytab) = &kerberos.keytab else {
            return acquire().map_err(|e| {
                format!(
                    "no ticket in the credential cache (run kinit, or set a keytab): {}",
                    one_line(&e)
                )
            });
        };
        let _one_kinit = KINIT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Ok(cred) = acquire() {
            if lasts(&cred) {
                return Ok(cred);
            }
        }
        kinit(keytab, principal)?;
        acquire().map_err(|e| format!("no ticket after kinit: {}", one_line(&e)))
    }

    /// `kinit -k -t keytab principal` into the default ticket cache; its
    /// complaint (first line of stderr) is the error.
    fn kinit(keytab: &str, principal: &str) -> Result<(), String> {
        let output = Command::new("kinit")
            .args(["-k", "-t", keytab, principal])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run kinit (MIT Kerberos' krb5-user package): {e}"))?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let complaint = stderr
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("no message");
        Err(format!("kinit with keytab {keytab} failed: {complaint}"))
    }

    /// RFC 4752: unwraps the broker's offer (a bit mask of security layers
    /// and its maximum message size), checks that "no security layer" is
    /// offered, and wraps the choice: that layer, size 0, no authorization id
    /// (the broker takes the authenticated principal).
    fn security_layer_choice(context: &mut ClientCtx, offer: &Bytes) -> Result<Vec<u8>, String> {
        let offer = context
            .unwrap(offer)
            .map_err(|e| format!("the broker's security layer offer: {}", one_line(&e)))?;
        let layers = match *offer {
            [layers, _, _, _] => layers,
            _ => {
                return Err(format!(
                    "the broker's security layer offer has {} bytes, not 4",
                    offer.len()
                ));
            }
        };
        if layers & NO_SECURITY_LAYER == 0 {
            return Err(format!(
                "the broker insists on a security layer (offer {layers:#04x}); \
                 krafka uses TLS (SASL_SSL) for protection instead"
            ));
        }
        let choice = [NO_SECURITY_LAYER, 0, 0, 0];
        context
            .wrap(false, &choice)
            .map(|wrapped| wrapped.to_vec())
            .map_err(|e| format!("wrapping the security layer choice: {}", one_line(&e)))
    }

    /// A GSSAPI status as one line (the library's text may span several).
    fn one_line(error: &libgssapi::error::Error) -> String {
        error
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(not(feature = "gssapi"))]
impl crate::connection::Connection {
    /// Unreachable without the feature: the settings check refuses GSSAPI.
    pub(in crate::connection::security) async fn authenticate_gssapi(
        &self,
        _kerberos: &Kerberos,
    ) -> Result<Option<std::time::Duration>, KrafkaError> {
        Err(KrafkaError::config(
            "`sasl.mechanism=GSSAPI` needs krafka built with the `gssapi` feature",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Password;

    fn config(pairs: &[(&str, &str)]) -> Result<Kerberos, KrafkaError> {
        let mut config = SecurityConfig::default();
        for (key, value) in pairs {
            match *key {
                "principal" => config.sasl_kerberos_principal = Some((*value).to_owned()),
                "keytab" => config.sasl_kerberos_keytab = Some((*value).to_owned()),
                "service" => config.sasl_kerberos_service_name = (*value).to_owned(),
                "jaas" => config.sasl_jaas_config = Some(Password::new((*value).to_owned())),
                _ => unreachable!(),
            }
        }
        Kerberos::from_config(&config)
    }

    #[cfg(feature = "gssapi")]
    #[test]
    fn settings_by_librdkafka_and_java_names() {
        let rdkafka = config(&[("principal", "alice@R"), ("keytab", "/k/alice.keytab")]).unwrap();
        let java = config(&[(
            "jaas",
            "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true \
             storeKey=true keyTab=\"/k/alice.keytab\" principal=\"alice@R\";",
        )])
        .unwrap();
        for kerberos in [&rdkafka, &java] {
            assert_eq!(kerberos.service, "kafka");
            assert_eq!(kerberos.principal.as_deref(), Some("alice@R"));
            assert_eq!(kerberos.keytab.as_deref(), Some("/k/alice.keytab"));
        }
        let cache = config(&[("service", "kafka-prod")]).unwrap();
        assert_eq!(
            (cache.service.as_str(), cache.principal, cache.keytab),
            ("kafka-prod", None, None)
        );
        let ticket_cache = config(&[(
            "jaas",
            "com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true \
             principal=\"bob\" serviceName=\"kfk\";",
        )])
        .unwrap();
        assert_eq!(ticket_cache.service, "kfk");
        assert_eq!(ticket_cache.keytab, None);
    }

    #[cfg(feature = "gssapi")]
    #[test]
    fn inconsistent_settings_are_config_errors() {
        for pairs in [
            &[("keytab", "/k/alice.keytab")][..],
            &[("service", " ")],
            &[("principal", "alice"), ("jaas", "x required;")],
            &[(
                "jaas",
                "org.apache.kafka.common.security.plain.PlainLoginModule required \
                 username=\"a\" password=\"s3cret\";",
            )],
            &[(
                "jaas",
                "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;",
            )],
        ] {
            let error = config(pairs).unwrap_err();
            assert!(matches!(error, KrafkaError::Config(_)), "{error:?}");
            assert!(!error.to_string().contains("s3cret"), "{error}");
        }
    }

    #[cfg(not(feature = "gssapi"))]
    #[test]
    fn without_the_feature_gssapi_is_a_config_error() {
        let error = config(&[("principal", "alice")]).unwrap_err();
        assert!(error.to_string().contains("`gssapi` feature"), "{error}");
    }
}
