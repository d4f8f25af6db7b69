//! Random, valid wire bytes for any message, driven only by its schema
//! (`Describe`), independently of the derived decoder they test.
//!
//! Tagged fields are written with values unlikely to equal their defaults
//! (non-zero numbers, non-empty strings and arrays, `true`), because the
//! encoder leaves default-valued tagged fields out and the tests compare
//! bytes. Unknown tags (1000 and up) are sprinkled in to check they survive.

use krafka_core::codec::varint::put_unsigned_varint;
use krafka_core::codec::{FieldSchema, MessageSchema, VersionRange};

/// A small deterministic generator (xorshift64*), so failures reproduce from
/// the seed printed by the test.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
}

/// What the generator writes: the version's context.
#[derive(Clone, Copy)]
struct Cx {
    version: i16,
    flexible: bool,
}

pub struct WireGen<'a> {
    rng: &'a mut Rng,
    depth: usize,
}

const PRIMITIVES: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint16", "uint32", "float64", "bool", "uuid", "string",
    "bytes", "records",
];

impl<'a> WireGen<'a> {
    pub fn new(rng: &'a mut Rng) -> Self {
        WireGen { rng, depth: 0 }
    }

    /// Bytes of a random valid `schema` message at `version`.
    pub fn message(&mut self, schema: &MessageSchema, version: i16) -> Vec<u8> {
        let cx = Cx {
            version,
            flexible: schema.flexible_versions.contains(version),
        };
        let mut out = Vec::new();
        self.fields(&mut out, &schema.fields, cx);
        out
    }

    fn fields(&mut self, out: &mut Vec<u8>, fields: &[FieldSchema], cx: Cx) {
        let mut tagged = Vec::new();
        for f in fields {
            if !f.versions.contains(cx.version) {
                continue;
            }
            if cx.flexible && f.tag.is_some() && f.tagged_versions.contains(cx.version) {
                tagged.push(f);
                continue;
            }
            self.value(out, f, cx, false);
        }
        if !cx.flexible {
            return;
        }
        // Known tags present with probability 2/3, plus maybe one unknown tag.
        let mut entries: Vec<(u32, Vec<u8>)> = Vec::new();
        for f in tagged {
            if self.rng.chance(3) {
                continue;
            }
            let mut value = Vec::new();
            self.value(&mut value, f, cx, true);
            entries.push((f.tag.unwrap_or_default(), value));
        }
        if self.rng.chance(4) {
            let len = self.rng.below(4) as usize;
            let data = (0..len).map(|_| self.rng.next_u64() as u8).collect();
            entries.push((1000 + self.rng.below(100) as u32, data));
        }
        entries.sort_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        put_unsigned_varint(out, entries.len() as u32);
        for (tag, value) in entries {
            put_unsigned_varint(out, tag);
            put_unsigned_varint(out, value.len() as u32);
            out.extend_from_slice(&value);
        }
    }

    fn value(&mut self, out: &mut Vec<u8>, f: &FieldSchema, cx: Cx, non_default: bool) {
        let field_cx = Cx {
            version: cx.version,
            flexible: cx.flexible
                && f.flexible_versions
                    .is_none_or(|r: VersionRange| r.contains(cx.version)),
        };
        let nullable = f.nullable_versions.contains(cx.version);
        let ty = f.kafka_type.as_str();
        if let Some(element) = ty.strip_prefix("[]") {
            if nullable && !non_default && self.rng.chance(5) {
                self.null_len(out, field_cx, 4);
                return;
            }
            let max = if self.depth > 2 { 1 } else { 3 };
            let count = self.rng.below(max + 1) as usize + usize::from(non_default);
            self.len(out, count, field_cx, 4);
            self.depth += 1;
            for _ in 0..count {
                self.single(out, element, &f.fields, field_cx, false, non_default);
            }
            self.depth -= 1;
        } else {
            self.single(out, ty, &f.fields, field_cx, nullable, non_default);
        }
    }

    fn single(
        &mut self,
        out: &mut Vec<u8>,
        ty: &str,
        fields: &[FieldSchema],
        cx: Cx,
        nullable: bool,
        non_default: bool,
    ) {
        let null = nullable && !non_default && self.rng.chance(4);
        match ty {
            "int8" => out.push(self.number(non_default) as u8),
            "int16" => out.extend_from_slice(&(self.number(non_default) as i16).to_be_bytes()),
            "int32" => out.extend_from_slice(&(self.number(non_default) as i32).to_be_bytes()),
            "int64" => out.extend_from_slice(&self.number(non_default).to_be_bytes()),
            "uint16" => out.extend_from_slice(&(self.number(non_default) as u16).to_be_bytes()),
            "uint32" => out.extend_from_slice(&(self.number(non_default) as u32).to_be_bytes()),
            "float64" => {
                out.extend_from_slice(&(self.number(non_default) as f64 / 4.0).to_be_bytes())
            }
            "bool" => out.push(u8::from(non_default || self.rng.chance(2))),
            "uuid" => {
                for _ in 0..16 {
                    out.push(self.rng.next_u64() as u8);
                }
            }
            "string" | "bytes" | "records" => {
                let width = if ty == "string" { 2 } else { 4 };
                if null {
                    self.null_len(out, cx, width);
                    return;
                }
                let len = self.rng.below(6) as usize + usize::from(non_default);
                self.len(out, len, cx, width);
                for _ in 0..len {
                    out.push(b'a' + self.rng.below(26) as u8);
                }
            }
            _ => {
                // A struct.
                if nullable {
                    if null {
                        out.push(0xff);
                        return;
                    }
                    out.push(1);
                }
                self.depth += 1;
                self.fields(out, fields, cx);
                self.depth -= 1;
            }
        }
    }

    /// A small number, never 0 or -1 when `non_default` (the usual defaults).
    fn number(&mut self, non_default: bool) -> i64 {
        let n = self.rng.below(2000) as i64 - 1000;
        if non_default && (n == 0 || n == -1) {
            7
        } else {
            n
        }
    }

    fn len(&mut self, out: &mut Vec<u8>, len: usize, cx: Cx, width: usize) {
        if cx.flexible {
            put_unsigned_varint(out, len as u32 + 1);
        } else if width == 2 {
            out.extend_from_slice(&(len as i16).to_be_bytes());
        } else {
            out.extend_from_slice(&(len as i32).to_be_bytes());
        }
    }

    fn null_len(&mut self, out: &mut Vec<u8>, cx: Cx, width: usize) {
        if cx.flexible {
            out.push(0);
        } else if width == 2 {
            out.extend_from_slice(&(-1i16).to_be_bytes());
        } else {
            out.extend_from_slice(&(-1i32).to_be_bytes());
        }
    }
}

/// Whether `ty` names a primitive (anything else is a struct).
pub fn is_primitive(ty: &str) -> bool {
    PRIMITIVES.contains(&ty.trim_start_matches("[]"))
}
