//! [`Interner`]: strings stored once in one arena, numbered densely.
//!
//! The book keeps every event id (to recognise duplicates) and a handful of
//! repeated strings (ticket ids, source systems). A `HashMap<String, u32>`
//! costs a heap allocation and about 60 bytes per id; here an id costs its
//! bytes in one growing `String`, an 8-byte end offset, and about 11 bytes of
//! open-addressing table (8-byte slots at a load between 3/8 and 3/4), with no
//! allocation per id once the arrays have grown.

use std::hash::BuildHasher;

/// Numbered strings: `intern` returns the same number for the same text.
///
/// The hash is std's keyed SipHash ([`std::hash::RandomState`]), so ids chosen
/// by an adversary cannot be made to collide on purpose.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interner {
    text: String,
    ends: Vec<usize>,
    /// `0` is empty; otherwise `(hash >> 32) << 32 | (number + 1)`.
    slots: Vec<u64>,
    hasher: std::hash::RandomState,
}

/// The result of a lookup: the number, or where to insert with the hash.
pub(crate) enum Lookup {
    Found(u32),
    Vacant(u64),
}

impl Interner {
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

    /// Looks `s` up.
    pub(crate) fn lookup(&self, s: &str) -> Lookup {
        let hash = self.hasher.hash_one(s);
        if self.slots.is_empty() {
            return Lookup::Vacant(hash);
        }
        let mask = self.slots.len() - 1;
        let tag = hash >> 32;
        let mut i = (hash as usize) & mask;
        loop {
            let slot = self.slots.get(i).copied().unwrap_or(0);
            if slot == 0 {
                return Lookup::Vacant(hash);
            }
            let n = (slot & 0xffff_ffff) as u32 - 1;
            if slot >> 32 == tag && self.resolve(n) == s {
                return Lookup::Found(n);
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

    /// Adds `s`, known to be absent, with the `hash` its lookup returned.
    /// The caller makes sure fewer than `u32::MAX - 1` strings are stored.
    pub(crate) fn insert_vacant(&mut self, s: &str, hash: u64) -> u32 {
        if (self.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let n = self.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.place(hash, n);
        n
    }

    /// The number of `s`, adding it when new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        match self.lookup(s) {
            Lookup::Found(n) => n,
            Lookup::Vacant(hash) => self.insert_vacant(s, hash),
        }
    }

    fn place(&mut self, hash: u64, n: u32) {
        let mask = self.slots.len() - 1;
        let mut i = (hash as usize) & mask;
        while let Some(slot) = self.slots.get_mut(i) {
            if *slot == 0 {
                *slot = ((hash >> 32) << 32) | (u64::from(n) + 1);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        self.slots = vec![0; size];
        for n in 0..self.len() as u32 {
            let hash = self.hasher.hash_one(self.resolve(n));
            self.place(hash, n);
        }
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
        let mut i = Interner::default();
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
