//! The client side of SCRAM (RFC 5802) with SHA-256 and SHA-512 (RFC 7677),
//! as Kafka speaks it: no channel binding (`n,,`), the password used as its
//! UTF-8 bytes (Kafka does not SASLprep), 4096 to 16384 iterations. No I/O:
//! each step takes the server's message and gives the next one to send.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

/// The iteration counts Kafka's SCRAM accepts; a server asking for more
/// would make the client burn CPU for nothing.
const MIN_ITERATIONS: u32 = 4096;
const MAX_ITERATIONS: u32 = 16384;

/// The hash a SCRAM mechanism is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScramHash {
    Sha256,
    Sha512,
}

impl ScramHash {
    fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
            // HMAC takes keys of any length; the error cannot happen.
            let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(key) else {
                return Vec::new();
            };
            for part in parts {
                mac.update(part);
            }
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            ScramHash::Sha256 => run::<Hmac<Sha256>>(key, parts),
            ScramHash::Sha512 => run::<Hmac<Sha512>>(key, parts),
        }
    }

    /// Whether `tag` is the HMAC of `data` under `key`, compared in
    /// constant time.
    fn hmac_matches(self, key: &[u8], data: &[u8], tag: &[u8]) -> bool {
        fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
            let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(key) else {
                return false;
            };
            mac.update(data);
            mac.verify_slice(tag).is_ok()
        }
        match self {
            ScramHash::Sha256 => run::<Hmac<Sha256>>(key, data, tag),
            ScramHash::Sha512 => run::<Hmac<Sha512>>(key, data, tag),
        }
    }

    fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            ScramHash::Sha256 => Sha256::digest(data).to_vec(),
            ScramHash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// Hi() of RFC 5802: PBKDF2 with HMAC of this hash.
    fn salted_password(self, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
        match self {
            ScramHash::Sha256 => {
                pbkdf2::pbkdf2_hmac_array::<Sha256, 32>(password, salt, iterations).to_vec()
            }
            ScramHash::Sha512 => {
                pbkdf2::pbkdf2_hmac_array::<Sha512, 64>(password, salt, iterations).to_vec()
            }
        }
    }
}

/// Why a SCRAM exchange stopped. The texts hold no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScramError(pub(crate) String);

fn error(reason: impl Into<String>) -> ScramError {
    ScramError(reason.into())
}

/// A SCRAM exchange after the client's first message, waiting for the
/// server's.
pub(crate) struct ClientFirst {
    hash: ScramHash,
    password: String,
    nonce: String,
    first_bare: String,
}

/// A SCRAM exchange after the client's proof, waiting for the server's
/// signature.
pub(crate) struct ClientFinal {
    hash: ScramHash,
    server_key: Vec<u8>,
    auth_message: String,
}

impl ClientFirst {
    /// Starts an exchange for `user` with the client nonce `nonce`
    /// (printable, no comma); returns it and the client-first-message.
    pub(crate) fn new(
        hash: ScramHash,
        user: &str,
        password: &str,
        nonce: String,
    ) -> (ClientFirst, String) {
        let user = user.replace('=', "=3D").replace(',', "=2C");
        let first_bare = format!("n={user},r={nonce}");
        let message = format!("n,,{first_bare}");
        (
            ClientFirst {
                hash,
                password: password.to_owned(),
                nonce,
                first_bare,
            },
            message,
        )
    }

    /// A fresh client nonce: 24 random bytes, in base64.
    pub(crate) fn random_nonce() -> Result<String, ScramError> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).map_err(|e| error(format!("no random nonce: {e}")))?;
        Ok(BASE64.encode(bytes))
    }

    /// Takes the server-first-message and gives the client-final-message
    /// (with the proof that the client knows the password).
    pub(crate) fn answer(self, server_first: &[u8]) -> Result<(ClientFinal, String), ScramError> {
        let server_first = std::str::from_utf8(server_first)
            .map_err(|_| error("the server's first message is not UTF-8"))?;
        let attributes = attributes(server_first);
        if let Some(reason) = attributes.get('e') {
            return Err(error(format!("the server refused: {reason}")));
        }
        let nonce = attributes
            .get('r')
            .ok_or_else(|| error("the server's first message has no nonce"))?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err(error("the server's nonce does not extend the client's"));
        }
        let salt = attributes
            .get('s')
            .and_then(|s| BASE64.decode(s).ok())
            .ok_or_else(|| error("the server's first message has no valid salt"))?;
        let iterations: u32 = attributes
            .get('i')
            .and_then(|i| i.parse().ok())
            .ok_or_else(|| error("the server's first message has no valid iteration count"))?;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(error(format!(
                "the server asks for {iterations} iterations, outside {MIN_ITERATIONS}-{MAX_ITERATIONS}"
            )));
        }
        let hash = self.hash;
        let salted = hash.salted_password(self.password.as_bytes(), &salt, iterations);
        let client_key = hash.hmac(&salted, &[b"Client Key"]);
        let stored_key = hash.hash(&client_key);
        // "biws" is base64("n,,"): no channel binding, no authorization id.
        let final_without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{server_first},{final_without_proof}", self.first_bare);
        let client_signature = hash.hmac(&stored_key, &[auth_message.as_bytes()]);
        let proof: Vec<u8> = client_key
            .iter()
            .zip(&client_signature)
            .map(|(k, s)| k ^ s)
            .collect();
        let server_key = hash.hmac(&salted, &[b"Server Key"]);
        let message = format!("{final_without_proof},p={}", BASE64.encode(proof));
        Ok((
            ClientFinal {
                hash,
                server_key,
                auth_message,
            },
            message,
        ))
    }
}

impl ClientFinal {
    /// Checks the server-final-message: the server proves it knew the
    /// password too (a server that did not is not the one the user meant).
    pub(crate) fn verify(self, server_final: &[u8]) -> Result<(), ScramError> {
        let server_final = std::str::from_utf8(server_final)
            .map_err(|_| error("the server's final message is not UTF-8"))?;
        let attributes = attributes(server_final);
        if let Some(reason) = attributes.get('e') {
            return Err(error(format!("the server refused: {reason}")));
        }
        let signature = attributes
            .get('v')
            .and_then(|v| BASE64.decode(v).ok())
            .ok_or_else(|| error("the server's final message has no valid signature"))?;
        if !self
            .hash
            .hmac_matches(&self.server_key, self.auth_message.as_bytes(), &signature)
        {
            return Err(error(
                "the server's signature is wrong: it does not know the password",
            ));
        }
        Ok(())
    }
}

/// The `x=value` attributes of a SCRAM message (values may hold `=`).
struct Attributes<'a>(Vec<(char, &'a str)>);

impl<'a> Attributes<'a> {
    fn get(&self, name: char) -> Option<&'a str> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

fn attributes(message: &str) -> Attributes<'_> {
    Attributes(
        message
            .split(',')
            .filter_map(|part| {
                let mut chars = part.chars();
                let name = chars.next()?;
                chars.as_str().strip_prefix('=').map(|value| (name, value))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SCRAM-SHA-256 exchange of RFC 7677, section 3.
    #[test]
    fn rfc_7677_example() {
        let (first, message) = ClientFirst::new(
            ScramHash::Sha256,
            "user",
            "pencil",
            "rOprNGfwEbeRWgbNEkqO".to_owned(),
        );
        assert_eq!(message, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let (last, message) = first
            .answer(
                b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                  s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            )
            .unwrap();
        assert_eq!(
            message,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
             p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        last.verify(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .unwrap();
    }

    fn started(hash: ScramHash) -> ClientFirst {
        ClientFirst::new(hash, "u,=v", "pw", "abc".to_owned()).0
    }

    #[test]
    fn user_names_are_escaped() {
        let (_, message) = ClientFirst::new(ScramHash::Sha512, "u,=v", "pw", "n".to_owned());
        assert_eq!(message, "n,,n=u=2C=3Dv,r=n");
    }

    #[test]
    fn a_server_that_does_not_know_the_password_is_refused() {
        let (last, _) = started(ScramHash::Sha512)
            .answer(b"r=abcdef,s=c2FsdA==,i=4096")
            .unwrap();
        let forged = BASE64.encode([7u8; 64]);
        let error = last.verify(format!("v={forged}").as_bytes()).unwrap_err();
        assert!(error.0.contains("signature is wrong"), "{error:?}");
    }

    #[test]
    fn bad_server_messages_are_errors() {
        for (server_first, expected) in [
            (&b"r=xyz,s=c2FsdA==,i=4096"[..], "does not extend"),
            (b"r=abc,s=c2FsdA==,i=4096", "does not extend"),
            (b"r=abcd,s=!!,i=4096", "salt"),
            (b"r=abcd,s=c2FsdA==,i=99", "outside"),
            (b"r=abcd,s=c2FsdA==,i=1000000000", "outside"),
            (b"r=abcd,s=c2FsdA==", "iteration"),
            (b"e=unknown-user", "refused: unknown-user"),
            (b"\xff", "UTF-8"),
        ] {
            let Err(error) = started(ScramHash::Sha256).answer(server_first) else {
                panic!("{server_first:?} accepted");
            };
            assert!(error.0.contains(expected), "{error:?}");
        }
    }

    #[test]
    fn nonces_are_fresh_and_printable() {
        let a = ClientFirst::random_nonce().unwrap();
        let b = ClientFirst::random_nonce().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(!a.contains(','));
    }
}
