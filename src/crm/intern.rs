//! [`Interner`]: strings stored once in one arena, numbered densely.
//!
//! The book keeps every event id (to recognise duplicates) and a handful of
//! repeated strings (ticket ids, source systems). A `HashMap<String, u32>`
//! costs a heap allocation and about 60 bytes per id; here an id costs its
//! bytes in one growing `String`, an 8-byte end offset, and 11 to 21 bytes of
//! open-addressing table (8-byte slots at a load between 3/8 and 3/4), with no
//! allocation per id once the arrays have grown. A slot keeps 32 bits of the
//! string's hash, which both place it and filter comparisons, so growing the
//! table never hashes a string again. Hashing is [`FoldState`].

use std::hash::{BuildHasher, Hasher};

/// A seeded hash for the book's tables: a folded 128-bit multiply per 16
/// bytes (the construction of wyhash and foldhash) with a random key drawn per
/// table. It is several times faster than std's SipHash on short ids, and
/// without the key the collisions of a multiply-fold hash cannot be predicted,
/// which keeps ids crafted to collide from degrading the tables (it is not a
/// cryptographic function: the key is from [`std::hash::RandomState`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FoldState {
    key: u64,
}

impl Default for FoldState {
    /// A fresh random key.
    fn default() -> Self {
        FoldState {
            key: std::hash::RandomState::new().hash_one(0x5eed_u64) | 1,
        }
    }
}

impl BuildHasher for FoldState {
    type Hasher = FoldHasher;
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            state: self.key,
            key: self.key,
        }
    }
}

const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;

fn fold(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// Eight little-endian bytes of `b` from `at` (0 past the end).
fn read8(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_le_bytes)
}

/// Four little-endian bytes of `b` from `at` (0 past the end).
fn read4(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

/// See [`FoldState`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct FoldHasher {
    state: u64,
    key: u64,
}

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        let (a, b) = match len {
            0 => (0, 0),
            1..=3 => {
                let byte = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(0));
                ((byte(0) << 16) | (byte(len / 2) << 8) | byte(len - 1), 0)
            }
            4..=7 => (read4(bytes, 0), read4(bytes, len - 4)),
            8..=16 => (read8(bytes, 0), read8(bytes, len - 8)),
            _ => {
                let mut i = 0;
                while i + 16 < len {
                    self.state = fold(
                        read8(bytes, i) ^ self.state ^ P0,
                        read8(bytes, i + 8) ^ self.key,
                    );
                    i += 16;
                }
                (read8(bytes, len - 16), read8(bytes, len - 8))
            }
        };
        self.state = fold(a ^ self.state ^ P1, b ^ self.key ^ len as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.state = fold(n ^ self.state ^ P0, self.key ^ P1);
    }

    fn finish(&self) -> u64 {
        fold(self.state ^ P1, self.key ^ P0)
    }
}

/// Numbered strings: `intern` returns the same number for the same text.
#[derive(Debug, Clone)]
pub(crate) struct Interner {
    text: String,
    ends: Vec<usize>,
    /// `0` is empty; otherwise `tag << 32 | (number + 1)` with `tag` the top
    /// 32 bits of the hash, whose low bits are the home slot.
    slots: Vec<u64>,
    hashing: FoldState,
}

/// The result of a lookup: the number, or the tag to insert with.
pub(crate) enum Lookup {
    Found(u32),
    Vacant(u32),
}

impl Interner {
    /// An empty interner with a fresh hash key.
    pub(crate) fn new() -> Self {
        Interner {
            text: String::new(),
            ends: Vec::new(),
            slots: Vec::new(),
            hashing: FoldState::default(),
        }
    }

    /// Number of strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string numbered `n` (empty for a number never handed out).
    pub(crate) fn resolve(&self, n: u32) -> &str {
        let n = n as usize;
        let start = match n.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(n).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }

    /// The tag of `s`: the top 32 bits of its hash.
    pub(crate) fn tag(&self, s: &str) -> u32 {
        (self.hashing.hash_one(s) >> 32) as u32
    }

    /// Reads the home slot of `tag` (a load for the caller to overlap with
    /// others before the real lookups).
    pub(crate) fn touch(&self, tag: u32) -> u64 {
        let mask = self.slots.len().wrapping_sub(1);
        self.slots.get(tag as usize & mask).copied().unwrap_or(0)
    }

    /// Looks `s` up.
    pub(crate) fn lookup(&self, s: &str) -> Lookup {
        self.lookup_tagged(s, self.tag(s))
    }

    /// Looks `s`, whose [`tag`](Self::tag) is `tag`, up.
    pub(crate) fn lookup_tagged(&self, s: &str, tag: u32) -> Lookup {
        if self.slots.is_empty() {
            return Lookup::Vacant(tag);
        }
        let mask = self.slots.len() - 1;
        let mut i = tag as usize & mask;
        loop {
            let slot = self.slots.get(i).copied().unwrap_or(0);
            if slot == 0 {
                return Lookup::Vacant(tag);
            }
            if (slot >> 32) as u32 == tag {
                let n = (slot as u32).wrapping_sub(1);
                if self.resolve(n) == s {
                    return Lookup::Found(n);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether `s` is present.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        match self.lookup(s) {
            Lookup::Found(n) => Some(n),
            Lookup::Vacant(_) => None,
        }
    }

    /// Adds `s`, known to be absent, with the `tag` its lookup returned.
    /// The caller makes sure fewer than `u32::MAX - 1` strings are stored.
    pub(crate) fn insert_vacant(&mut self, s: &str, tag: u32) -> u32 {
        if (self.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let n = self.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.place((u64::from(tag) << 32) | (u64::from(n) + 1));
        n
    }

    /// The number of `s`, adding it when new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        match self.lookup(s) {
            Lookup::Found(n) => n,
            Lookup::Vacant(tag) => self.insert_vacant(s, tag),
        }
    }

    fn place(&mut self, entry: u64) {
        let mask = self.slots.len() - 1;
        let mut i = (entry >> 32) as usize & mask;
        while let Some(slot) = self.slots.get_mut(i) {
            if *slot == 0 {
                *slot = entry;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Doubles the table, moving every entry by its tag, without hashing
    /// (the table stays within 2³² slots: fewer than 2³² strings at a load of
    /// at least 3/8, so the 32-bit tag can place every entry).
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        for entry in old.into_iter().filter(|&e| e != 0) {
            self.place(entry);
        }
    }

    /// Releases spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Heap bytes in use (capacity, not length).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.slots.capacity() * std::mem::size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_same_number_across_growth() {
        for _ in 0..2 {
            let mut i = Interner::new();
            let ids: Vec<String> = (0..5_000).map(|k| format!("evt-{k}")).collect();
            for (k, id) in ids.iter().enumerate() {
                assert_eq!(i.intern(id), k as u32);
            }
            for (k, id) in ids.iter().enumerate() {
                assert_eq!(i.get(id), Some(k as u32));
                assert_eq!(i.resolve(k as u32), id);
            }
            assert_eq!(i.get("evt-5000"), None);
            assert_eq!(i.intern(""), 5_000);
            assert_eq!(i.resolve(5_000), "");
            assert_eq!(i.resolve(9_999), "");
        }
    }

    #[test]
    fn fold_hash_spreads_strings_of_every_length() {
        let h = FoldState { key: 12_345 };
        let mut tops: Vec<u64> = (0..1_000)
            .map(|k| h.hash_one(format!("T-{k}")) >> 54)
            .collect();
        tops.sort_unstable();
        tops.dedup();
        // 1,000 strings into 1,024 buckets of the top ten bits: about 632
        // distinct buckets are expected; far fewer would mean clustering.
        assert!(tops.len() > 560, "{}", tops.len());
        // Every length path (0, 1-3, 4-7, 8-16, longer) separates prefixes.
        let text = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop";
        let mut all: Vec<u64> = (0..=text.len()).map(|n| h.hash_one(&text[..n])).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), text.len() + 1);
        // Another key, other hashes.
        let other = FoldState { key: 777 };
        assert_ne!(h.hash_one("evt-1"), other.hash_one("evt-1"));
    }
}
