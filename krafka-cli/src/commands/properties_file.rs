//! Java's `.properties` format, as `-F FILE` and `KRAFKA_CONFIG` read it:
//! one `key=value` (or `key: value`, or `key value`) per logical line;
//! lines starting with `#` or `!` are comments; a line ending in an odd
//! number of backslashes continues on the next one (its leading blanks
//! dropped); `\t`, `\n`, `\r`, `\f`, `\uXXXX` and `\<any>` are escapes.

/// The `(key, value)` pairs of `text`, in order; `source` names the file
/// in errors.
pub fn parse(text: &str, source: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let first = line.trim_start();
        if first.is_empty() || first.starts_with('#') || first.starts_with('!') {
            continue;
        }
        let mut logical = String::from(first);
        while ends_with_continuation(&logical) {
            logical.pop();
            match lines.next() {
                Some((_, next)) => logical.push_str(next.trim_start()),
                None => break,
            }
        }
        let (key, value) = split(&logical);
        let key = unescape(key).map_err(|e| format!("{source}:{}: {e}", index + 1))?;
        let value = unescape(value).map_err(|e| format!("{source}:{}: {e}", index + 1))?;
        if key.is_empty() {
            return Err(format!("{source}:{}: a property without a name", index + 1));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// An odd number of trailing backslashes: the last one joins the next line.
fn ends_with_continuation(line: &str) -> bool {
    line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// Splits at the first unescaped `=`, `:` or blank (blanks around it go).
fn split(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' | '\u{c}' => {
                let key = &line[..at];
                let rest = line[at..].trim_start_matches([' ', '\t', '\u{c}']);
                let rest = rest.strip_prefix(['=', ':']).unwrap_or(rest);
                return (key, rest.trim_start_matches([' ', '\t', '\u{c}']));
            }
            _ => {}
        }
    }
    (line, "")
}

fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("bad escape \\u{hex}"))?;
                out.push(code);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text, "f").unwrap()
    }

    fn pair(key: &str, value: &str) -> (String, String) {
        (key.to_owned(), value.to_owned())
    }

    #[test]
    fn separators_comments_and_blanks() {
        let text =
            "# comment\n! also\n\n  linger.ms = 5\nacks:all\nclient.id  krafka cli\nempty=\nbare\n";
        assert_eq!(
            pairs(text),
            [
                pair("linger.ms", "5"),
                pair("acks", "all"),
                pair("client.id", "krafka cli"),
                pair("empty", ""),
                pair("bare", ""),
            ]
        );
    }

    #[test]
    fn continuations_and_escapes() {
        let text = "bootstrap.servers=a:9092,\\\n    b:9092\nkey\\=with\\:seps=v\\tw\\u00e9\nodd=ends\\\\\n";
        assert_eq!(
            pairs(text),
            [
                pair("bootstrap.servers", "a:9092,b:9092"),
                pair("key=with:seps", "v\twé"),
                pair("odd", "ends\\"),
            ]
        );
        assert!(
            parse("k=\\u00zz", "f")
                .unwrap_err()
                .starts_with("f:1: bad escape")
        );
    }
}
