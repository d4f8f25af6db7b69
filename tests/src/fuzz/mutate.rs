//! Seeded random mutations for the stable runner (libFuzzer mutates by
//! itself, guided by coverage; this is the blind, reproducible kind).

use crate::wire_gen::Rng;

/// Values that tend to sit on a decoder's edges: zero, one, all ones, sign
/// bits, the largest values of each width, lengths around common limits.
const INTERESTING: [i64; 16] = [
    0,
    1,
    -1,
    2,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    4096,
    65_536,
    i32::MAX as i64,
    i32::MIN as i64,
    i64::MAX,
    i64::MIN,
];

/// Applies one to four random edits to an input: bit flips, bytes set to
/// random or edge values, integers nudged (length fields), bytes inserted,
/// deleted, duplicated or copied, a splice with another input, a cut.
pub struct Mutator {
    rng: Rng,
    max_len: usize,
}

impl Mutator {
    /// A mutator whose edits follow from `seed`; outputs are cut at `max_len`.
    pub fn new(seed: u64, max_len: usize) -> Self {
        Mutator {
            rng: Rng::new(seed),
            max_len,
        }
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    /// A mutation of `input`; `other` is what a splice takes bytes from.
    pub fn mutate(&mut self, input: &[u8], other: &[u8]) -> Vec<u8> {
        let mut out = input.to_vec();
        for _ in 0..=self.below(4) {
            self.edit(&mut out, other);
        }
        out.truncate(self.max_len);
        out
    }

    fn edit(&mut self, out: &mut Vec<u8>, other: &[u8]) {
        if out.is_empty() {
            let n = 1 + self.below(16);
            out.extend((0..n).map(|_| self.rng.next_u64() as u8));
            return;
        }
        let len = out.len();
        let at = self.below(len);
        match self.below(10) {
            0 => out[at] ^= 1 << self.below(8),
            1 => out[at] = self.rng.next_u64() as u8,
            2 => {
                let value = INTERESTING[self.below(INTERESTING.len())];
                let width = [1, 2, 4, 8][self.below(4)];
                let bytes = value.to_be_bytes();
                let end = (at + width).min(len);
                out[at..end].copy_from_slice(&bytes[8 - width..8 - width + (end - at)]);
            }
            3 => {
                let width = [1, 2, 4][self.below(3)].min(len - at);
                let mut value = 0i64;
                for &b in &out[at..at + width] {
                    value = (value << 8) | i64::from(b);
                }
                let delta = self.below(33) as i64 - 16;
                let bytes = value.wrapping_add(delta).to_be_bytes();
                out[at..at + width].copy_from_slice(&bytes[8 - width..]);
            }
            4 => {
                let n = 1 + self.below(16);
                let inserted: Vec<u8> = (0..n).map(|_| self.rng.next_u64() as u8).collect();
                out.splice(at..at, inserted);
            }
            5 => {
                let n = 1 + self.below((len - at).min(64));
                out.drain(at..at + n);
            }
            6 => {
                let n = 1 + self.below((len - at).min(256));
                let copy = out[at..at + n].to_vec();
                let to = self.below(len + 1);
                out.splice(to..to, copy);
            }
            7 => {
                let from = self.below(len);
                let n = 1 + self.below((len - from).min(len - at).min(64));
                let copy = out[from..from + n].to_vec();
                out[at..at + n].copy_from_slice(&copy);
            }
            8 if !other.is_empty() => {
                let from = self.below(other.len());
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            _ => out.truncate(at),
        }
    }
}
