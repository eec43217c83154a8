//! Reverse-reachable (RR) sets: how they are sampled (Independent Cascade, Linear
//! Threshold, signed) and how they are stored.
//!
//! An RR set is drawn by picking a root customer uniformly at random and walking
//! the ties *backwards* in one random live-edge world: it holds the customers who
//! would have reached the root had they been seeds (Borgs, Brautbar, Chayes &
//! Lucier 2014). For a seed set `S`, `n · P[S meets a random RR set] = σ(S)`.
//!
//! * **Independent Cascade**: a breadth-first search over the in-arcs, each arc live
//!   with its probability: one 32-bit coin per arc (two per 64-bit draw), except
//!   that a node with many in-arcs (at least 16) of one small probability `p`
//!   (at most 0.25; weighted cascade gives hubs this shape) draws only the live
//!   ones by geometric skipping (gaps `⌊ln U / ln(1 − p)⌋`, as SUBSIM does, Guo et
//!   al. 2020; one comparison with `(1 − p)^d` settles "none live" without a
//!   logarithm), and a node whose in-arcs all have probability 1 takes them all.
//!   Coins are exact (`t / 2³²`, as in the propagation engine); geometric gaps
//!   are exact up to floating-point rounding (`f32` logarithm of `1 − p`).
//! * **Linear Threshold**: a reverse random walk; each step keeps at most one
//!   in-neighbour, `u` with probability `w(u, v)`, none with `1 − Σ w`; it stops at
//!   "none" or at a node already on the walk.
//! * **Signed** (advocates against adversaries): the Independent Cascade search,
//!   level by level, recording each member's distance to the root and whether the
//!   tie signs on its search-tree path flip the message; it stops after the level
//!   at which the first adversary appears (no one farther can arrive first).
//!
//! Randomness: RR sets are made in fixed units of [`UNIT`]; unit `i` draws from
//! its own stream derived from `(seed, i)` (the propagation engine's stream
//! derivation gives a key; the draws are the wyrand outputs at counters 0, 1, 2,
//! …: one word of state, so the sampler's hot loop keeps its values in
//! registers), so the sets, and everything computed from them, are identical for
//! any number of threads.
//!
//! Storage is flat: one `Vec<u32>` of members and one `Vec<u64>` of offsets (plus a
//! `u32` tag per member and a `u32` per set for the signed walk). Members are in
//! the sampler's own node numbering (see [`ReverseGraph`]); the caller maps them
//! back.

mod index;
mod reverse;
mod sampler;
#[cfg(test)]
mod tests;

use rayon::prelude::*;

pub(crate) use index::InvertedIndex;
pub(crate) use reverse::ReverseGraph;
pub(crate) use sampler::Sampler;

/// RR sets per unit of work (each unit has its own random stream).
pub(crate) const UNIT: u64 = 256;

/// Message bits of a signed arrival state.
pub(crate) const POSITIVE: u32 = 1;
/// See [`POSITIVE`].
pub(crate) const NEGATIVE: u32 = 2;
/// The largest distance recorded (longer searches saturate).
const MAX_DISTANCE: u32 = 1 << 29;
/// No arrival (distance infinite).
pub(crate) const NO_ARRIVAL: u32 = u32::MAX;

/// An arrival at the root: `distance << 2 | message bits`.
#[inline]
pub(crate) fn arrival(distance: u32, bits: u32) -> u32 {
    (distance << 2) | bits
}

/// How the sampler walks backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk {
    /// Independent Cascade breadth-first search.
    Cascade,
    /// Linear Threshold reverse random walk.
    Threshold,
    /// Signed search with distances, parities and adversary cut-off.
    Signed,
}

/// RR sets in flat storage.
#[derive(Debug, Clone, Default)]
pub(crate) struct RrSets {
    /// Members of every set, set after set.
    pub nodes: Vec<u32>,
    /// Signed walk: per member, the arrival its message would make at the root,
    /// `distance << 2 | bits` (see [`arrival`]). Empty otherwise.
    pub tags: Vec<u32>,
    /// Set `i` is `nodes[offsets[i]..offsets[i + 1]]`.
    pub offsets: Vec<u64>,
    /// Signed walk: per set, the adversaries' arrival at the root (or
    /// [`NO_ARRIVAL`]). Empty otherwise.
    pub adversary: Vec<u32>,
}

impl RrSets {
    /// No sets.
    pub(crate) fn new() -> Self {
        RrSets {
            offsets: vec![0],
            ..RrSets::default()
        }
    }

    /// Removes every set, keeping the memory.
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.tags.clear();
        self.offsets.clear();
        self.offsets.push(0);
        self.adversary.clear();
    }

    /// Number of sets.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The member range of set `i`.
    #[inline]
    pub(crate) fn range(&self, i: usize) -> std::ops::Range<usize> {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&lo), Some(&hi)) => lo as usize..hi as usize,
            _ => 0..0,
        }
    }

    /// Heap bytes of the storage.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * 4
            + self.tags.capacity() * 4
            + self.offsets.capacity() * 8
            + self.adversary.capacity() * 4
    }

    /// Appends `batches` in order. The storage grows once, then every batch
    /// copies itself into its own slice of it in parallel.
    pub(crate) fn append(&mut self, batches: Vec<Batch>) {
        let new_members: usize = batches.iter().map(|b| b.nodes.len()).sum();
        let new_sets: usize = batches.iter().map(|b| b.lens.len()).sum();
        let new_tags: usize = batches.iter().map(|b| b.tags.len()).sum();
        let new_adversary: usize = batches.iter().map(|b| b.adversary.len()).sum();
        let (old_members, old_sets) = (self.nodes.len(), self.len());
        let old_tags = self.tags.len();
        let old_adversary = self.adversary.len();
        self.nodes.resize(old_members + new_members, 0);
        self.offsets.resize(old_sets + 1 + new_sets, 0);
        self.tags.resize(old_tags + new_tags, 0);
        self.adversary.resize(old_adversary + new_adversary, 0);
        let mut nodes = self.nodes.get_mut(old_members..).unwrap_or_default();
        let mut offsets = self.offsets.get_mut(old_sets + 1..).unwrap_or_default();
        let mut tags = self.tags.get_mut(old_tags..).unwrap_or_default();
        let mut adversary = self.adversary.get_mut(old_adversary..).unwrap_or_default();
        let mut base = old_members as u64;
        let mut jobs = Vec::with_capacity(batches.len());
        for batch in &batches {
            let (n, rest) = std::mem::take(&mut nodes)
                .split_at_mut_checked(batch.nodes.len())
                .unwrap_or_default();
            nodes = rest;
            let (o, rest) = std::mem::take(&mut offsets)
                .split_at_mut_checked(batch.lens.len())
                .unwrap_or_default();
            offsets = rest;
            let (t, rest) = std::mem::take(&mut tags)
                .split_at_mut_checked(batch.tags.len())
                .unwrap_or_default();
            tags = rest;
            let (a, rest) = std::mem::take(&mut adversary)
                .split_at_mut_checked(batch.adversary.len())
                .unwrap_or_default();
            adversary = rest;
            jobs.push((batch, n, o, t, a, base));
            base += batch.nodes.len() as u64;
        }
        jobs.into_par_iter().for_each(|(batch, n, o, t, a, base)| {
            n.copy_from_slice(&batch.nodes);
            t.copy_from_slice(&batch.tags);
            a.copy_from_slice(&batch.adversary);
            let mut end = base;
            for (slot, &len) in o.iter_mut().zip(&batch.lens) {
                end += u64::from(len);
                *slot = end;
            }
        });
    }
}

/// The sets of one unit.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub nodes: Vec<u32>,
    pub tags: Vec<u32>,
    pub lens: Vec<u32>,
    pub adversary: Vec<u32>,
}
