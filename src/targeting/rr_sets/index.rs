//! [`InvertedIndex`]: for every node, the RR sets that hold it.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::RrSets;

/// For every node, the sets that hold it, in set order (CSR), kept up to date as
/// sets are added.
#[derive(Debug, Default)]
pub(crate) struct InvertedIndex {
    offsets: Vec<u64>,
    sets: Vec<u32>,
    /// How many sets are indexed.
    indexed: usize,
    /// A buffer kept for the next build (fresh memory costs page faults).
    spare: Vec<u32>,
    /// One thread: the offsets and write cursors of the next build, kept too.
    spare_offsets: Vec<u64>,
    cursors: Vec<u64>,
}

impl InvertedIndex {
    /// An empty index over `n` nodes.
    pub(crate) fn new(n: usize) -> Self {
        InvertedIndex {
            offsets: vec![0; n + 1],
            sets: Vec::new(),
            indexed: 0,
            spare: Vec::new(),
            spare_offsets: Vec::new(),
            cursors: Vec::new(),
        }
    }

    /// Empties the index (for a new collection of sets), keeping its memory.
    pub(crate) fn reset(&mut self) {
        self.offsets.fill(0);
        self.indexed = 0;
        let old = std::mem::take(&mut self.sets);
        if old.capacity() > self.spare.capacity() {
            self.spare = old;
        }
    }

    /// Indexes the sets of `sets` added since the last call. Each node's list
    /// keeps its old entries and gets the new sets appended, in set order.
    ///
    /// The new sets are split into contiguous chunks, one per rayon thread (at
    /// most); each chunk counts its members per node, the counts give every chunk
    /// its own write position in every node's list, and the chunks fill their
    /// positions in parallel (relaxed atomic stores to distinct slots). Lists stay
    /// sorted by set whatever the number of chunks, so the index does not depend on
    /// the thread count.
    ///
    /// # Complexity
    /// O(old entries + new members + chunks · n).
    pub(crate) fn extend(&mut self, sets: &RrSets) {
        let n = self.offsets.len().saturating_sub(1);
        let first = self.indexed.min(sets.len());
        if first == sets.len() {
            return; // nothing new
        }
        let new_start = sets.offsets.get(first).copied().unwrap_or(0);
        let new_members = (sets.nodes.len() as u64).saturating_sub(new_start);
        let chunks = (new_members / (4 * n.max(1) as u64))
            .clamp(1, rayon::current_num_threads() as u64) as usize;
        if chunks == 1 {
            self.extend_serially(sets, first);
            return;
        }
        let per_chunk = (sets.len() - first).div_ceil(chunks).max(1);
        let ranges: Vec<std::ops::Range<usize>> = (0..chunks)
            .map(|c| {
                let lo = (first + c * per_chunk).min(sets.len());
                lo..(lo + per_chunk).min(sets.len())
            })
            .collect();
        // Members per node in each chunk.
        let mut cursors: Vec<Vec<u64>> = ranges
            .par_iter()
            .map(|range| {
                let mut counts = vec![0u64; n];
                let lo = sets.offsets.get(range.start).copied().unwrap_or(0) as usize;
                let hi = sets.offsets.get(range.end).copied().unwrap_or(0) as usize;
                for &v in sets.nodes.get(lo..hi).unwrap_or(&[]) {
                    if let Some(c) = counts.get_mut(v as usize) {
                        *c += 1;
                    }
                }
                counts
            })
            .collect();
        // New offsets; turn each chunk's counts into its first write position.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut at = 0u64;
        for v in 0..n {
            offsets.push(at);
            let old = self.sets_of(v as u32).len() as u64;
            at += old;
            for chunk in cursors.iter_mut() {
                if let Some(c) = chunk.get_mut(v) {
                    let count = *c;
                    *c = at;
                    at += count;
                }
            }
        }
        offsets.push(at);
        // Reuse the spare buffer (the conversions to and from atomics happen in
        // place: same size and alignment).
        let mut buffer = std::mem::take(&mut self.spare);
        buffer.clear();
        buffer.resize(at as usize, 0);
        let index: Vec<AtomicU32> = buffer.into_iter().map(AtomicU32::new).collect();
        let store = |position: u64, set: u32| {
            if let Some(slot) = index.get(position as usize) {
                slot.store(set, Ordering::Relaxed);
            }
        };
        // The old lists, at the front of each node's new list.
        (0..n).into_par_iter().with_min_len(1024).for_each(|v| {
            let start = offsets.get(v).copied().unwrap_or(0);
            for (i, &r) in self.sets_of(v as u32).iter().enumerate() {
                store(start + i as u64, r);
            }
        });
        // The new sets, each chunk at its own positions.
        ranges
            .par_iter()
            .zip(cursors.par_iter_mut())
            .for_each(|(range, cursor)| {
                for r in range.clone() {
                    for &v in sets.nodes.get(sets.range(r)).unwrap_or(&[]) {
                        if let Some(c) = cursor.get_mut(v as usize) {
                            store(*c, r as u32);
                            *c += 1;
                        }
                    }
                }
            });
        let old = std::mem::replace(
            &mut self.sets,
            index.into_iter().map(AtomicU32::into_inner).collect(),
        );
        self.spare = old;
        self.offsets = offsets;
        self.indexed = sets.len();
    }

    /// Number of nodes indexed.
    pub(crate) fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// [`extend`](Self::extend) on one thread: a counting sort of the new
    /// members into buffers kept from the last build, each node's old list
    /// copied in front of its new entries (the same index, no atomics).
    fn extend_serially(&mut self, sets: &RrSets, first: usize) {
        let n = self.offsets.len().saturating_sub(1);
        let start = sets.offsets.get(first).copied().unwrap_or(0) as usize;
        let members = sets.nodes.get(start..).unwrap_or(&[]);
        let mut counts = std::mem::take(&mut self.cursors);
        counts.clear();
        counts.resize(n, 0);
        for &v in members {
            if let Some(c) = counts.get_mut(v as usize) {
                *c += 1;
            }
        }
        // New offsets, each node's old list copied in front of its new
        // entries, and the counts turned into each node's first new position,
        // in one pass over the nodes.
        let old_total = self.sets.len();
        let mut buffer = std::mem::take(&mut self.spare);
        buffer.clear();
        buffer.resize(old_total + members.len(), 0);
        let mut offsets = std::mem::take(&mut self.spare_offsets);
        offsets.clear();
        offsets.reserve(n + 1);
        let mut shift = 0u64;
        for (bounds, count) in self.offsets.windows(2).zip(counts.iter_mut()) {
            let &[lo, hi] = bounds else { continue };
            let at = lo + shift;
            offsets.push(at);
            if hi > lo {
                let old = self.sets.get(lo as usize..hi as usize).unwrap_or(&[]);
                if let Some(slot) = buffer.get_mut(at as usize..(at + hi - lo) as usize) {
                    slot.copy_from_slice(old);
                }
            }
            let new = *count;
            *count = at + hi - lo;
            shift += new;
        }
        offsets.push(old_total as u64 + shift);
        for r in first..sets.len() {
            for &v in sets.nodes.get(sets.range(r)).unwrap_or(&[]) {
                if let Some(c) = counts.get_mut(v as usize) {
                    if let Some(slot) = buffer.get_mut(*c as usize) {
                        *slot = r as u32;
                    }
                    *c += 1;
                }
            }
        }
        self.spare = std::mem::replace(&mut self.sets, buffer);
        self.spare_offsets = std::mem::replace(&mut self.offsets, offsets);
        self.cursors = counts;
        self.indexed = sets.len();
    }

    /// The sets that hold `v`.
    #[inline]
    pub(crate) fn sets_of(&self, v: u32) -> &[u32] {
        let v = v as usize;
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(&lo), Some(&hi)) => self.sets.get(lo as usize..hi as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Heap bytes (the spare buffer included).
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.offsets.capacity() + self.spare_offsets.capacity() + self.cursors.capacity()) * 8
            + (self.sets.capacity() + self.spare.capacity()) * 4
    }
}
