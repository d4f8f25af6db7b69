//! The few behaviours of Java's standard library that Java's assignors'
//! results depend on, so Krafka's assignors give the same answer:
//! `String.compareTo` (UTF-16 code units), `String.hashCode`,
//! `TopicPartition.hashCode`, and the iteration order of a `java.util.HashMap`
//! (or `HashSet`), which decides ties wherever an assignor walks such a map.
//!
//! The iteration order of a Java hash map is the order of its buckets (the
//! spread hash masked by the table size), then insertion order inside a
//! bucket (newest first for keys added by `computeIfAbsent`). It is
//! reproduced by [`JavaHashOrder`], which grows its table as OpenJDK 17's
//! `HashMap` does (the growth rules have not changed in later JDKs). Bins that Java turns into trees (nine or more
//! colliding keys in a table of at least 64 buckets) are kept in insertion
//! order here; for the small maps of a group this does not occur in practice.

use std::cmp::Ordering;

/// `String.compareTo`: lexicographic over UTF-16 code units.
pub(crate) fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `String.hashCode`.
pub(crate) fn string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `TopicPartition.hashCode`, from the topic's [`string_hash`].
pub(crate) fn partition_hash(topic_hash: i32, partition: i32) -> i32 {
    31i32
        .wrapping_mul(31i32.wrapping_add(partition))
        .wrapping_add(topic_hash)
}

const DEFAULT_CAPACITY: usize = 16;
const TREEIFY_CHAIN: usize = 9;
const MIN_TREEIFY_CAPACITY: usize = 64;

/// The keys of a Java `HashMap`/`HashSet` in its iteration order, as keys
/// are inserted and removed.
#[derive(Clone, Debug)]
pub(crate) struct JavaHashOrder<K> {
    buckets: Vec<Vec<(u32, K)>>,
    threshold: usize,
    len: usize,
}

impl<K: PartialEq> JavaHashOrder<K> {
    /// An empty map made by `new HashMap<>()`.
    pub(crate) fn new() -> Self {
        JavaHashOrder {
            buckets: Vec::new(),
            threshold: 0,
            len: 0,
        }
    }

    /// Adds `key` (whose Java `hashCode` is `hash`) at the end of its bucket;
    /// `false` when it is there already (its place does not change).
    pub(crate) fn insert(&mut self, key: K, hash: i32) -> bool {
        let spread = spread(hash);
        if self.buckets.is_empty() {
            self.resize();
        }
        let index = self.index(spread);
        if self.buckets[index].iter().any(|(_, k)| *k == key) {
            return false;
        }
        self.buckets[index].push((spread, key));
        // A long chain in a small table makes Java grow the table instead
        // of turning the bin into a tree.
        if self.buckets[index].len() >= TREEIFY_CHAIN && self.buckets.len() < MIN_TREEIFY_CAPACITY {
            self.resize();
        }
        self.len += 1;
        if self.len > self.threshold {
            self.resize();
        }
        true
    }

    /// Adds `key` as `HashMap.computeIfAbsent` does: at the head of its
    /// bucket, growing the table only before a later insertion.
    pub(crate) fn insert_if_absent(&mut self, key: K, hash: i32) -> bool {
        let spread = spread(hash);
        if self.buckets.is_empty() || self.len > self.threshold {
            self.resize();
        }
        let index = self.index(spread);
        if self.buckets[index].iter().any(|(_, k)| *k == key) {
            return false;
        }
        let chain = self.buckets[index].len();
        self.buckets[index].insert(0, (spread, key));
        if chain + 1 >= TREEIFY_CHAIN && self.buckets.len() < MIN_TREEIFY_CAPACITY {
            self.resize();
        }
        self.len += 1;
        true
    }

    /// Removes `key`; the others keep their order.
    pub(crate) fn remove(&mut self, key: &K, hash: i32) -> bool {
        if self.buckets.is_empty() {
            return false;
        }
        let index = self.index(spread(hash));
        let bucket = &mut self.buckets[index];
        match bucket.iter().position(|(_, k)| k == key) {
            Some(at) => {
                bucket.remove(at);
                self.len -= 1;
                true
            }
            None => false,
        }
    }

    /// The first key Java's iterator returns.
    pub(crate) fn first(&self) -> Option<&K> {
        self.buckets
            .iter()
            .find_map(|bucket| bucket.first().map(|(_, k)| k))
    }

    /// The keys in Java's iteration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &K> {
        self.buckets.iter().flatten().map(|(_, k)| k)
    }

    /// Whether the map is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn index(&self, spread: u32) -> usize {
        spread as usize & (self.buckets.len() - 1)
    }

    /// `HashMap.resize`: the first table, or twice the buckets. Keys of one
    /// old bucket keep their relative order in the new ones.
    fn resize(&mut self) {
        let old_capacity = self.buckets.len();
        let (capacity, threshold) = if old_capacity == 0 {
            (DEFAULT_CAPACITY, DEFAULT_CAPACITY * 3 / 4)
        } else if old_capacity >= DEFAULT_CAPACITY {
            (old_capacity * 2, self.threshold * 2)
        } else {
            (old_capacity * 2, old_capacity * 2 * 3 / 4)
        };
        let old = std::mem::replace(
            &mut self.buckets,
            (0..capacity).map(|_| Vec::new()).collect(),
        );
        self.threshold = threshold;
        for (spread, key) in old.into_iter().flatten() {
            let index = self.index(spread);
            self.buckets[index].push((spread, key));
        }
    }
}

/// `HashMap.hash`: the high half folded into the low half.
fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    h ^ (h >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_java_hashes() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("abc"), 96354);
        // "polygenelubricants".hashCode() is Integer.MIN_VALUE.
        assert_eq!(string_hash("polygenelubricants"), i32::MIN);
        // Characters outside the BMP hash as their two UTF-16 units.
        assert_eq!(string_hash("😀"), 0xd83d * 31 + 0xde00);
        // new TopicPartition("t", 3).hashCode() == 31 * (31 + 3) + "t".hashCode()
        assert_eq!(partition_hash(string_hash("t"), 3), 31 * 34 + 116);
    }

    #[test]
    fn strings_compare_by_utf16_units() {
        assert_eq!(java_cmp("a", "b"), Ordering::Less);
        assert_eq!(java_cmp("ab", "a"), Ordering::Greater);
        // U+FF5E sorts after U+1F600 in UTF-8 but before its surrogates.
        assert_eq!(java_cmp("\u{ff5e}", "😀"), Ordering::Greater);
    }

    #[test]
    fn iteration_follows_buckets_then_insertion() {
        let mut order = JavaHashOrder::new();
        // "Aa" and "BB" collide (2112); "a" (97) and "b" (98) do not.
        for key in ["b", "BB", "a", "Aa"] {
            assert!(order.insert(key, string_hash(key)));
        }
        assert!(!order.insert("a", string_hash("a")));
        // 2112 & 15 == 0 comes first, in insertion order; then 97 & 15 == 1.
        assert_eq!(
            order.iter().copied().collect::<Vec<_>>(),
            ["BB", "Aa", "a", "b"]
        );
        assert!(order.remove(&"BB", string_hash("BB")));
        assert!(order.insert("BB", string_hash("BB")));
        assert_eq!(order.first(), Some(&"Aa"));
    }

    #[test]
    fn the_table_grows_past_three_quarters() {
        let mut order = JavaHashOrder::new();
        // 17 and 1 share bucket 1 of 16 buckets.
        for key in [17, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
            order.insert(key, key);
        }
        assert_eq!(
            order.iter().take(3).copied().collect::<Vec<_>>(),
            [17, 1, 2]
        );
        // The 13th key passes the threshold of 12: 32 buckets split them.
        order.insert(12, 12);
        let keys: Vec<i32> = order.iter().copied().collect();
        assert_eq!(keys, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 17]);
    }

    #[test]
    fn compute_if_absent_puts_keys_first_in_their_bucket() {
        let mut order = JavaHashOrder::new();
        for key in ["topic1", "a1", "Zed1"] {
            order.insert_if_absent(key, string_hash(key));
        }
        // "topic1" and "a1" share bucket 0; the later one comes first.
        assert_eq!(
            order.iter().copied().collect::<Vec<_>>(),
            ["a1", "topic1", "Zed1"]
        );
        // The 13th key does not grow the table yet; the 14th does.
        let mut order = JavaHashOrder::new();
        for key in [17, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] {
            order.insert_if_absent(key, key);
        }
        assert_eq!(order.iter().take(2).copied().collect::<Vec<_>>(), [1, 17]);
        order.insert_if_absent(13, 13);
        assert_eq!(order.iter().last(), Some(&17));
    }
}
