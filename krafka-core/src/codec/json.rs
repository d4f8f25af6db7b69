//! Kafka's JSON form of a value, as the Java client's generated
//! `*JsonConverter` classes write it: what the conformance tests compare
//! with Kafka's own codec, and a readable dump of any message.
//!
//! Structs (derived) are objects whose keys are the field names with a
//! lower-case first letter (`partitionIndex`), holding the fields that exist
//! in the version, in schema order; a tagged field appears only when it
//! differs from its default, as on the wire. Numbers are JSON numbers,
//! `float64` as Java prints a `double` (`1.0E7`, `0.5`), `bytes` and
//! `records` base64 strings (standard alphabet, padded, as Jackson writes
//! binary), `uuid`s Kafka's URL-safe base64 ([`Uuid`]'s `Display`), and null
//! values `null`. Unknown tagged fields are not shown (Kafka does not show
//! them either).

use std::fmt::Write as _;

use bytes::Bytes;

use super::{Ctx, Records, UnsignedVarint, Uuid, VarInt, VarLong};

/// A value with a JSON form in the shape of Kafka's `JsonConverter`s.
///
/// `#[derive(Message)]` implements it for every struct; `cx` carries the
/// version (which fields exist) exactly as for encoding.
pub trait ToKafkaJson {
    /// Appends the JSON form of `self` in version `cx.version` to `out`.
    fn write_json(&self, out: &mut String, cx: Ctx);

    /// The JSON form of `self` in version `cx.version`, on one line.
    fn to_kafka_json(&self, cx: Ctx) -> String {
        let mut out = String::new();
        self.write_json(&mut out, cx);
        out
    }
}

macro_rules! display_number {
    ($($ty:ty),*) => {$(
        impl ToKafkaJson for $ty {
            fn write_json(&self, out: &mut String, _cx: Ctx) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

display_number!(i8, i16, i32, i64, u16, u32);

macro_rules! varint_number {
    ($($ty:ty),*) => {$(
        impl ToKafkaJson for $ty {
            fn write_json(&self, out: &mut String, _cx: Ctx) {
                let _ = write!(out, "{}", self.0);
            }
        }
    )*};
}

varint_number!(VarInt, VarLong, UnsignedVarint);

impl ToKafkaJson for bool {
    fn write_json(&self, out: &mut String, _cx: Ctx) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToKafkaJson for f64 {
    /// Java's `Double.toString`: plain notation with at least one fraction
    /// digit for magnitudes in [10^-3, 10^7), else `d.dddE±n`; non-finite
    /// values as the strings Jackson writes for them.
    ///
    /// The digits are the shortest that read back to the same `double`
    /// (at least two); Java before 19 sometimes printed more than needed
    /// (`2.0E-3` as `0.0020`), so compare such numbers by value, not by text.
    fn write_json(&self, out: &mut String, _cx: Ctx) {
        let x = *self;
        if x.is_nan() {
            out.push_str("\"NaN\"");
        } else if x.is_infinite() {
            out.push_str(if x > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else if x == 0.0 {
            out.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
        } else if (1e-3..1e7).contains(&x.abs()) {
            let start = out.len();
            let _ = write!(out, "{x}");
            if !out[start..].contains('.') {
                out.push_str(".0");
            }
        } else {
            // Java prints at least two significant digits, and when one
            // would do it picks the two closest to the value (`4.9E-324`
            // for the smallest subnormal, not `5.0E-324`).
            let mut sci = format!("{x:e}");
            if !sci.contains('.') {
                sci = format!("{x:.1e}");
            }
            out.push_str(&sci.replace('e', "E"));
        }
    }
}

impl ToKafkaJson for String {
    fn write_json(&self, out: &mut String, _cx: Ctx) {
        write_json_str(out, self);
    }
}

impl ToKafkaJson for Bytes {
    fn write_json(&self, out: &mut String, _cx: Ctx) {
        out.push('"');
        write_base64(out, self);
        out.push('"');
    }
}

impl ToKafkaJson for Records {
    fn write_json(&self, out: &mut String, cx: Ctx) {
        self.0.write_json(out, cx);
    }
}

impl ToKafkaJson for Uuid {
    fn write_json(&self, out: &mut String, _cx: Ctx) {
        let _ = write!(out, "\"{self}\"");
    }
}

impl<T: ToKafkaJson> ToKafkaJson for Vec<T> {
    fn write_json(&self, out: &mut String, cx: Ctx) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out, cx);
        }
        out.push(']');
    }
}

impl<T: ToKafkaJson> ToKafkaJson for Option<T> {
    fn write_json(&self, out: &mut String, cx: Ctx) {
        match self {
            Some(value) => value.write_json(out, cx),
            None => out.push_str("null"),
        }
    }
}

/// Writes `"key":` after a `,` unless it is the first key of the object;
/// for derived code.
#[doc(hidden)]
pub fn write_json_key(out: &mut String, first: &mut bool, key: &str) {
    if !std::mem::take(first) {
        out.push(',');
    }
    write_json_str(out, key);
    out.push(':');
}

/// A JSON string, escaped as Jackson escapes it: `"` and `\`, the short
/// escapes for backspace, tab, newline, form feed and carriage return,
/// `\u00XX` (upper-case hex) for the other control characters; everything
/// else, non-ASCII included, as is.
pub fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Standard base64 with padding (Jackson's default for binary values).
fn write_base64(out: &mut String, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let mut n = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            n |= u32::from(*b) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::ToKafkaJson;
    use crate::codec::{Ctx, Uuid};

    fn json<T: ToKafkaJson>(value: T) -> String {
        value.to_kafka_json(Ctx::new(0, false))
    }

    #[test]
    fn doubles_print_as_java_does() {
        assert_eq!(json(0.0f64), "0.0");
        assert_eq!(json(-0.0f64), "-0.0");
        assert_eq!(json(1.0f64), "1.0");
        assert_eq!(json(-1.5f64), "-1.5");
        assert_eq!(json(0.001f64), "0.001");
        assert_eq!(json(1234567.0f64), "1234567.0");
        assert_eq!(json(1e7f64), "1.0E7");
        assert_eq!(json(123456789.125f64), "1.23456789125E8");
        assert_eq!(json(0.0001f64), "1.0E-4");
        assert_eq!(json(-2.5e-300f64), "-2.5E-300");
        assert_eq!(json(f64::MAX), "1.7976931348623157E308");
        assert_eq!(json(f64::MIN_POSITIVE), "2.2250738585072014E-308");
        assert_eq!(json(5e-324f64), "4.9E-324");
        assert_eq!(json(1e-5f64), "1.0E-5");
        assert_eq!(json(f64::NAN), "\"NaN\"");
    }

    #[test]
    fn strings_escape_as_jackson_does() {
        assert_eq!(json(String::from("a\"b\\c/d")), r#""a\"b\\c/d""#);
        assert_eq!(json(String::from("\n\r\t\u{8}\u{c}")), r#""\n\r\t\b\f""#);
        assert_eq!(
            json(String::from("\u{0}\u{1f}\u{7f}é😀")),
            "\"\\u0000\\u001F\u{7f}é😀\""
        );
    }

    #[test]
    fn binary_is_padded_base64() {
        assert_eq!(json(Bytes::new()), "\"\"");
        assert_eq!(json(Bytes::from_static(b"f")), "\"Zg==\"");
        assert_eq!(json(Bytes::from_static(b"fo")), "\"Zm8=\"");
        assert_eq!(json(Bytes::from_static(b"foo")), "\"Zm9v\"");
        assert_eq!(json(Bytes::from_static(&[0xfb, 0xff])), "\"+/8=\"");
    }

    #[test]
    fn containers_and_ids() {
        assert_eq!(json(vec![1i32, -2]), "[1,-2]");
        assert_eq!(json(Vec::<i32>::new()), "[]");
        assert_eq!(json(None::<String>), "null");
        assert_eq!(json(Some(String::new())), "\"\"");
        assert_eq!(json(Uuid::ZERO), "\"AAAAAAAAAAAAAAAAAAAAAA\"");
    }
}
