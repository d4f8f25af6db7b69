//! Name conversions between Kafka's PascalCase and Rust's snake_case.

/// `FetchTopic` -> `fetch_topic`, `ZkMigrationReady` -> `zk_migration_ready`,
/// `Enable2Pc` -> `enable2_pc`, `timeoutMs` -> `timeout_ms`. An acronym
/// stays one word (`ACLs` -> `acls`), `KRaft` is one word too.
pub fn snake_case(name: &str) -> String {
    let name = name.replace("KRaft", "Kraft");
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            let word_start = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower && !is_plural_s(&chars, i));
            if word_start {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `IDs`: the `s` after an acronym is a plural, not a new word.
fn is_plural_s(chars: &[char], i: usize) -> bool {
    chars.get(i + 1) == Some(&'s') && chars.get(i + 2).is_none_or(|c| c.is_ascii_uppercase())
}

/// `InitProducerId` -> `INIT_PRODUCER_ID`.
pub fn screaming_snake_case(name: &str) -> String {
    snake_case(name).to_ascii_uppercase()
}

/// The Kafka name the derive infers from a Rust field name: each
/// `_`-separated part capitalised (`r#` stripped).
pub fn derive_kafka_name(rust: &str) -> String {
    let rust = rust.strip_prefix("r#").unwrap_or(rust);
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

/// A usable Rust field identifier for `snake`: keywords become raw
/// identifiers, the few that cannot be raw get a trailing `_`.
pub fn field_ident(snake: &str) -> String {
    const RAW: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do",
        "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
        "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];
    const NOT_RAW: &[&str] = &["self", "super", "crate", "_"];
    if NOT_RAW.contains(&snake) {
        format!("{snake}_")
    } else if RAW.contains(&snake) {
        format!("r#{snake}")
    } else {
        snake.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_kafka_names() {
        for (kafka, rust) in [
            ("FetchTopic", "fetch_topic"),
            ("ZkMigrationReady", "zk_migration_ready"),
            ("Enable2Pc", "enable2_pc"),
            ("timeoutMs", "timeout_ms"),
            ("KRaftVersionRecord", "kraft_version_record"),
            ("DescribeACLs", "describe_acls"),
            ("ProducerIDs", "producer_ids"),
            ("SASLHandshake", "sasl_handshake"),
        ] {
            assert_eq!(snake_case(kafka), rust, "{kafka}");
        }
    }

    #[test]
    fn derive_names_and_keywords() {
        assert_eq!(derive_kafka_name("r#type"), "Type");
        assert_eq!(derive_kafka_name("enable2_pc"), "Enable2Pc");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
    }
}
