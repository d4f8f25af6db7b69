//! Java's `sasl.jaas.config`: one login module line,
//! `<class> <flag> key="value" …;`, from which the SASL user name and
//! password are taken. Errors never quote the line (it holds a password).

use std::collections::HashMap;

use krafka_core::KrafkaError;

/// The login modules whose `username` and `password` krafka uses.
const PASSWORD_MODULES: &[&str] = &[
    "org.apache.kafka.common.security.plain.PlainLoginModule",
    "org.apache.kafka.common.security.scram.ScramLoginModule",
];

const FLAGS: &[&str] = &["required", "requisite", "sufficient", "optional"];

/// A parsed login line: the module's class and its options.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct LoginModule {
    pub(crate) class: String,
    pub(crate) options: HashMap<String, String>,
}

/// Shows the option names only: their values hold the password.
impl std::fmt::Debug for LoginModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.options.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("LoginModule")
            .field("class", &self.class)
            .field("options", &names)
            .finish()
    }
}

impl LoginModule {
    /// Parses one `sasl.jaas.config` line.
    pub(crate) fn parse(line: &str) -> Result<LoginModule, KrafkaError> {
        let bad = |what: &str| {
            KrafkaError::config(format!(
                "`sasl.jaas.config` is not a login module line ({what}); expected \
                 `<LoginModule class> required username=\"…\" password=\"…\";`"
            ))
        };
        let mut rest = line.trim();
        rest = rest
            .strip_suffix(';')
            .ok_or_else(|| bad("it does not end with `;`"))?
            .trim_end();
        let (class, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("no control flag after the class"))?;
        let after = after.trim_start();
        let (flag, mut options_text) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
        if !FLAGS.contains(&flag) {
            return Err(bad(
                "the control flag must be required, requisite, sufficient or optional",
            ));
        }
        let mut options = HashMap::new();
        loop {
            options_text = options_text.trim_start();
            if options_text.is_empty() {
                break;
            }
            let (key, after_key) = options_text
                .split_once('=')
                .ok_or_else(|| bad("an option is not key=value"))?;
            let key = key.trim();
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(bad("an option has no name"));
            }
            let (value, remaining) = option_value(after_key.trim_start())
                .ok_or_else(|| bad("a quoted value does not end"))?;
            options.insert(key.to_owned(), value);
            options_text = remaining;
        }
        Ok(LoginModule {
            class: class.to_owned(),
            options,
        })
    }

    /// The `username` and `password` of a PLAIN or SCRAM login module.
    pub(crate) fn user_and_password(&self) -> Result<(String, String), KrafkaError> {
        if !PASSWORD_MODULES.contains(&self.class.as_str()) {
            return Err(KrafkaError::config(format!(
                "`sasl.jaas.config` names {}; PLAIN and SCRAM take the PlainLoginModule or the \
                 ScramLoginModule (the OAuthBearerLoginModule goes with sasl.mechanism OAUTHBEARER)",
                self.class
            )));
        }
        let option = |name: &str| {
            self.options.get(name).cloned().ok_or_else(|| {
                KrafkaError::config(format!("`sasl.jaas.config` has no {name}=\"…\""))
            })
        };
        Ok((option("username")?, option("password")?))
    }
}

/// One option value: `"quoted"` (backslash escapes the next character) or
/// a bare word; and what follows it.
fn option_value(text: &str) -> Option<(String, &str)> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => value.push(chars.next()?.1),
                '"' => return Some((value, &quoted[at + 1..])),
                c => value.push(c),
            }
        }
        None
    } else {
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        Some((text[..end].to_owned(), &text[end..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_scram_lines_give_user_and_password() {
        for class in PASSWORD_MODULES {
            let module = LoginModule::parse(&format!(
                "{class} required username=\"alice\"\n  password=\"a \\\"quoted\\\" secret\";"
            ))
            .unwrap();
            assert_eq!(
                module.user_and_password().unwrap(),
                ("alice".to_owned(), "a \"quoted\" secret".to_owned())
            );
        }
        let bare = LoginModule::parse(
            "org.apache.kafka.common.security.plain.PlainLoginModule optional username=bob password=pw ;",
        )
        .unwrap();
        assert_eq!(
            bare.user_and_password().unwrap(),
            ("bob".to_owned(), "pw".to_owned())
        );
    }

    #[test]
    fn bad_lines_are_config_errors_that_do_not_quote_the_secret() {
        for line in [
            "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\"",
            "org.apache.kafka.common.security.plain.PlainLoginModule maybe password=\"s3cret\";",
            "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret;",
            "org.apache.kafka.common.security.plain.PlainLoginModule required s3cret;",
        ] {
            let error = LoginModule::parse(line).unwrap_err();
            assert!(matches!(error, KrafkaError::Config(_)), "{error:?}");
            assert!(!error.to_string().contains("s3cret"), "{error}");
        }
        let no_user = LoginModule::parse(
            "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";",
        )
        .unwrap();
        let error = no_user.user_and_password().unwrap_err();
        assert!(error.to_string().contains("username"), "{error}");
        assert!(!error.to_string().contains("s3cret"), "{error}");
        let oauth = LoginModule::parse(
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
        )
        .unwrap();
        assert!(
            oauth
                .user_and_password()
                .unwrap_err()
                .to_string()
                .contains("sasl.mechanism OAUTHBEARER")
        );
    }
}
