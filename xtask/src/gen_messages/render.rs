//! Prints lowered structs as Rust source (rustfmt tidies it afterwards).

use std::fmt::Write as _;

use super::model::{Lowered, RustStruct};

/// The widest line the doc comments are wrapped to.
const WIDTH: usize = 100;

/// `text` as `///` (or `//!`) lines indented by `indent` spaces, wrapped at
/// [`WIDTH`] columns; paragraphs are separated by empty strings.
pub fn doc_comment(out: &mut String, paragraphs: &[String], indent: usize, marker: &str) {
    let pad = " ".repeat(indent);
    let width = WIDTH.saturating_sub(indent + marker.len() + 1).max(40);
    for (i, paragraph) in paragraphs
        .iter()
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        if i > 0 {
            let _ = writeln!(out, "{pad}{marker}");
        }
        for line in wrap(paragraph, width) {
            let _ = writeln!(out, "{pad}{marker} {line}");
        }
    }
}

/// Greedy word wrap. A word that Markdown would read as the start of a
/// list, heading or quote never begins a line (it would turn the rest of
/// the paragraph into one).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in &words(text) {
        let word = word.as_str();
        if line.is_empty() {
            line.push_str(word);
        } else if line.len() + 1 + word.len() <= width {
            line.push(' ');
            line.push_str(word);
        } else {
            // Markdown would read a line starting with `-1` or `>=` as a
            // list or a quote: take the previous word along.
            let carried = match line.rfind(' ') {
                Some(space) if starts_markdown_block(word) => {
                    let carried = line[space + 1..].to_owned();
                    line.truncate(space);
                    Some(carried)
                }
                _ => None,
            };
            lines.push(std::mem::take(&mut line));
            if let Some(carried) = carried {
                line.push_str(&carried);
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Whitespace-separated words, except that a `code span` stays whole.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut open_span = false;
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if open_span => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        if word.matches('`').count() % 2 == 1 {
            open_span = !open_span;
        }
    }
    words
}

fn starts_markdown_block(word: &str) -> bool {
    let numbered = word.len() > 1
        && word[..word.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && (word.ends_with('.') || word.ends_with(')'));
    numbered || word.starts_with(['-', '+', '*', '#', '>', '|', '=', '<'])
}

/// A message file: module doc, imports and structs.
pub fn message_file(module_doc: &[String], lowered: &Lowered) -> String {
    let mut out = String::new();
    doc_comment(&mut out, module_doc, 0, "//!");
    out.push('\n');
    if lowered.uses.bytes {
        out.push_str("use crate::bytes::Bytes;\n");
    }
    let mut codec = vec!["Message", "TaggedFields"];
    if lowered.uses.records {
        codec.push("Records");
    }
    if lowered.uses.uuid {
        codec.push("Uuid");
    }
    codec.sort_unstable();
    if codec.len() == 1 {
        let _ = writeln!(out, "use crate::codec::{};", codec[0]);
    } else {
        let _ = writeln!(out, "use crate::codec::{{{}}};", codec.join(", "));
    }
    for s in &lowered.structs {
        out.push('\n');
        write_struct(&mut out, s);
    }
    out
}

fn write_struct(out: &mut String, s: &RustStruct) {
    doc_comment(out, std::slice::from_ref(&s.doc), 0, "///");
    out.push_str("#[derive(Debug, Clone, PartialEq, Message)]\n");
    for attr in &s.attrs {
        write_attr(out, attr, 0);
    }
    let _ = writeln!(out, "pub struct {} {{", s.name);
    for field in &s.fields {
        doc_comment(out, std::slice::from_ref(&field.doc), 4, "///");
        for attr in &field.attrs {
            write_attr(out, attr, 4);
        }
        let _ = writeln!(out, "    pub {}: {},", field.ident, field.ty);
    }
    out.push_str("}\n");
}

/// Writes an attribute line; a `#[kafka(...)]` too long for one line gets
/// one item per line, as rustfmt lays out the ones it can parse (it leaves
/// those with a `response = Type` item alone).
fn write_attr(out: &mut String, attr: &str, indent: usize) {
    let pad = " ".repeat(indent);
    let items = attr
        .strip_prefix("#[kafka(")
        .and_then(|rest| rest.strip_suffix(")]"))
        .filter(|_| indent + attr.len() > WIDTH);
    match items {
        Some(items) => {
            let _ = writeln!(out, "{pad}#[kafka(");
            for item in split_items(items) {
                let _ = writeln!(out, "{pad}    {item},");
            }
            let _ = writeln!(out, "{pad})]");
        }
        None => {
            let _ = writeln!(out, "{pad}{attr}");
        }
    }
}

/// Splits `a, b = "x, y", c = f(1, 2)` at the top-level commas.
fn split_items(items: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0i32, false, false, 0);
    for (i, c) in items.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                parts.push(items[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(items[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_without_starting_markdown_blocks() {
        let lines = wrap("aaaa bbbb -1 cccc", 9);
        assert_eq!(lines, ["aaaa", "bbbb -1", "cccc"]);
        assert_eq!(wrap("one  two\nthree", 100), ["one two three"]);
        assert_eq!(
            wrap("by `cargo run -p x`; then", 12),
            ["by", "`cargo run -p x`;", "then"]
        );
    }

    #[test]
    fn splits_attribute_items() {
        assert_eq!(
            split_items(
                r#"versions = "1+", default = "a, \"b\"", default = Some(f(1, 2)), ignorable"#
            ),
            [
                r#"versions = "1+""#,
                r#"default = "a, \"b\"""#,
                "default = Some(f(1, 2))",
                "ignorable"
            ]
        );
    }
}
