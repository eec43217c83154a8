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
    /// Per chunk of a build: its members per node, then its write positions;
    /// kept for the next build.
    cursors: Vec<Vec<u64>>,
}

impl InvertedIndex {
    /// An empty index over `n` nodes.
    pub(crate) fn new(n: usize) -> Self {
        InvertedIndex {
            offsets: vec![0; n + 1],
            sets: Vec::new(),
            indexed: 0,
            cursors: Vec::new(),
        }
    }

    /// Empties the index (for a new collection of sets), keeping its memory.
    pub(crate) fn reset(&mut self) {
        self.offsets.fill(0);
        self.sets.clear();
        self.indexed = 0;
    }

    /// Indexes the sets of `sets` added since the last call. Each node's list
    /// keeps its old entries and gets the new sets appended, in set order.
    ///
    /// The index grows in place, in one buffer: the new sets are split into
    /// contiguous chunks, one per rayon thread (at most); each chunk counts its
    /// members per node; the old lists move up to their new places, from the last
    /// node to the first (a list only ever moves up, past lists already moved),
    /// which leaves every chunk its own write position in every node's list; the
    /// chunks fill their positions (in parallel, with relaxed atomic stores to
    /// distinct slots, when there are several). Lists stay sorted by set whatever
    /// the number of chunks, so the index does not depend on the thread count,
    /// and growing touches no memory but the new entries' (fresh memory costs
    /// page faults).
    ///
    /// # Complexity
    /// O(old entries + new members + chunks · n).
    pub(crate) fn extend(&mut self, sets: &RrSets) {
        let n = self.node_count();
        let first = self.indexed.min(sets.len());
        if first == sets.len() {
            return; // nothing new
        }
        let new_start = sets.offsets.get(first).copied().unwrap_or(0);
        let new_members = (sets.nodes.len() as u64).saturating_sub(new_start);
        let chunks = (new_members / (4 * n.max(1) as u64))
            .clamp(1, rayon::current_num_threads() as u64) as usize;
        let per_chunk = (sets.len() - first).div_ceil(chunks).max(1);
        let ranges: Vec<std::ops::Range<usize>> = (0..chunks)
            .map(|c| {
                let lo = (first + c * per_chunk).min(sets.len());
                lo..(lo + per_chunk).min(sets.len())
            })
            .collect();
        // Members per node in each chunk.
        let mut cursors = std::mem::take(&mut self.cursors);
        cursors.resize_with(chunks, Vec::new);
        cursors.truncate(chunks);
        let count = |(range, counts): (&std::ops::Range<usize>, &mut Vec<u64>)| {
            counts.clear();
            counts.resize(n, 0);
            let lo = sets.offsets.get(range.start).copied().unwrap_or(0) as usize;
            let hi = sets.offsets.get(range.end).copied().unwrap_or(0) as usize;
            for &v in sets.nodes.get(lo..hi).unwrap_or(&[]) {
                if let Some(c) = counts.get_mut(v as usize) {
                    *c += 1;
                }
            }
        };
        if chunks == 1 {
            ranges.iter().zip(cursors.iter_mut()).for_each(count);
        } else {
            ranges
                .par_iter()
                .zip(cursors.par_iter_mut())
                .for_each(count);
        }
        self.make_room(&mut cursors);
        if chunks == 1 {
            if let (Some(range), Some(cursor)) = (ranges.first(), cursors.first_mut()) {
                let index = &mut self.sets;
                fill(sets, range, cursor, |position, set| {
                    if let Some(slot) = index.get_mut(position as usize) {
                        *slot = set;
                    }
                });
            }
        } else {
            // The conversions to and from atomics happen in place (same size and
            // alignment).
            let index: Vec<AtomicU32> = std::mem::take(&mut self.sets)
                .into_iter()
                .map(AtomicU32::new)
                .collect();
            ranges
                .par_iter()
                .zip(cursors.par_iter_mut())
                .for_each(|(range, cursor)| {
                    fill(sets, range, cursor, |position, set| {
                        if let Some(slot) = index.get(position as usize) {
                            slot.store(set, Ordering::Relaxed);
                        }
                    });
                });
            self.sets = index.into_iter().map(AtomicU32::into_inner).collect();
        }
        self.cursors = cursors;
        self.indexed = sets.len();
    }

    /// Grows the index for new entries counted per chunk and node in `cursors`
    /// (`cursors[c][v]`: chunk `c`'s new entries of node `v`): the buffer grows
    /// at its end, the old lists move up to their new places from the last node
    /// to the first, and each count turns into its chunk's first write position
    /// in the node's list (after the old entries and the earlier chunks').
    fn make_room(&mut self, cursors: &mut [Vec<u64>]) {
        let n = self.node_count();
        let added: u64 = cursors.iter().flatten().sum();
        let old_total = self.sets.len() as u64;
        self.sets.resize((old_total + added) as usize, 0);
        // Before node `v` (from the last down): the new entries of the nodes
        // below it, by which its old list moves up.
        let mut shift = added;
        // The old end of node `v`'s list.
        let mut hi = old_total;
        for v in (0..n).rev() {
            shift -= cursors
                .iter()
                .map(|c| c.get(v).copied().unwrap_or(0))
                .sum::<u64>();
            let lo = self.offsets.get(v).copied().unwrap_or(hi);
            let new_lo = lo + shift;
            if shift > 0 && hi > lo && new_lo + (hi - lo) <= old_total + added {
                self.sets
                    .copy_within(lo as usize..hi as usize, new_lo as usize);
            }
            if let Some(slot) = self.offsets.get_mut(v) {
                *slot = new_lo;
            }
            let mut at = new_lo + (hi - lo);
            for chunk in cursors.iter_mut() {
                if let Some(c) = chunk.get_mut(v) {
                    let count = *c;
                    *c = at;
                    at += count;
                }
            }
            hi = lo;
        }
        if let Some(end) = self.offsets.last_mut() {
            *end = old_total + added;
        }
    }

    /// Number of nodes indexed.
    pub(crate) fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// How many chunks the last build used.
    #[cfg(test)]
    pub(crate) fn chunks_of_last_build(&self) -> usize {
        self.cursors.len()
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

    /// Heap bytes (the kept counts included).
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.offsets.capacity() + self.cursors.iter().map(Vec::capacity).sum::<usize>()) * 8
            + self.sets.capacity() * 4
    }
}

/// Writes every set of `range` at its members' positions in `cursor` (advancing
/// them) through `store(position, set)`.
#[inline]
fn fill(
    sets: &RrSets,
    range: &std::ops::Range<usize>,
    cursor: &mut [u64],
    mut store: impl FnMut(u64, u32),
) {
    for r in range.clone() {
        for &v in sets.nodes.get(sets.range(r)).unwrap_or(&[]) {
            if let Some(c) = cursor.get_mut(v as usize) {
                store(*c, r as u32);
                *c += 1;
            }
        }
    }
}
