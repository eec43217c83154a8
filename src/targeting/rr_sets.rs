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
//! its own `Xoshiro256PlusPlus` stream derived from `(seed, i)` (the propagation
//! engine's stream derivation), so the sets, and everything computed from them,
//! are identical for any number of threads.
//!
//! Storage is flat: one `Vec<u32>` of members and one `Vec<u64>` of offsets (plus a
//! `u32` tag per member and a `u32` per set for the signed walk). Members are in
//! the sampler's own node numbering (see [`ReverseGraph`]); the caller maps them
//! back.

use std::sync::Mutex;

use rand::{Rng, RngCore};
use rayon::prelude::*;

use crate::propagation::CompiledNetwork;
use crate::propagation::streams::{threshold, unit_stream};

/// RR sets per unit of work (each unit has its own random stream).
pub(crate) const UNIT: u64 = 256;

/// Units generated per parallel round (bounds the temporary memory of a round).
const UNITS_PER_ROUND: u64 = 128;

/// Geometric skipping is used for a node with at least this many in-arcs, and
/// continues while at least this many remain (fewer: one coin per arc is
/// cheaper than a logarithm per live arc)...
const SKIP_MIN_DEGREE: usize = 16;
/// ...all of the same probability, at most this one.
const SKIP_MAX_PROBABILITY: f64 = 0.25;

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

/// The in-arcs of every node, compact for sampling, in the sampler's own node
/// numbering (breadth-first over in-arcs, for locality). Arcs of probability 0
/// are dropped (they never carry influence).
#[derive(Debug)]
pub(crate) struct ReverseGraph {
    offsets: Vec<u32>,
    /// Per kept in-arc: the source, and `t − 1` where `t = round(p · 2³²) ≥ 1`
    /// (the arc is live when a uniform `u32` is at most this).
    arcs: Vec<(u32, u32)>,
    /// Signed walk: which kept arcs are negative ties.
    negative: Vec<bool>,
    /// Per node: how its in-arcs are drawn.
    draw: Vec<Draw>,
    /// Sampler number -> network node.
    original: Vec<u32>,
    /// Network node -> sampler number.
    renumbered: Vec<u32>,
}

/// How the in-arcs of one node are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Draw {
    /// One coin per arc (the arcs' probabilities differ).
    Coins,
    /// Many arcs (at least [`SKIP_MIN_DEGREE`]) of the same small probability
    /// `p` (weighted cascade gives hubs this shape): geometric skipping. One
    /// uniform `U` in `(0, 1]` decides whether any arc is live (`U > q^d`,
    /// `q = 1 − p`, no logarithm needed when none is) and which is the first
    /// (`⌊ln U / ln q⌋`, the geometric gap); the next gaps follow the same way.
    /// (`log_q = ln q` and `none_live = q^d` as `f32`: eight bytes a node.)
    Uniform { log_q: f32, none_live: f32 },
    /// Every arc is live (probability 1).
    All,
}

/// A uniform draw in `(0, 1]` at 53-bit resolution.
#[inline]
fn uniform_open_closed<R: RngCore>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// One coin per arc of `arcs` (numbered from `first`), two coins per 64-bit draw.
#[inline]
fn coins<R: RngCore>(
    arcs: &[(u32, u32)],
    first: usize,
    rng: &mut R,
    f: &mut impl FnMut(u32, usize),
) {
    let mut pairs = arcs.chunks_exact(2);
    let mut i = first;
    for pair in pairs.by_ref() {
        let r = rng.next_u64();
        if let [(s0, t0), (s1, t1)] = *pair {
            if r as u32 <= t0 {
                f(s0, i);
            }
            if (r >> 32) as u32 <= t1 {
                f(s1, i + 1);
            }
        }
        i += 2;
    }
    if let [(s, t)] = *pairs.remainder() {
        if rng.next_u32() <= t {
            f(s, i);
        }
    }
}

/// The nodes in breadth-first order over in-arcs (from node 0, then from each
/// node not yet reached, in node order): a node's influencers get nearby
/// numbers, so a reverse search reads nearby memory.
fn breadth_first_order(network: &CompiledNetwork) -> Vec<u32> {
    let n = network.node_count();
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n as u32 {
        if seen.get(start as usize).copied().unwrap_or(true) {
            continue;
        }
        if let Some(s) = seen.get_mut(start as usize) {
            *s = true;
        }
        let mut head = order.len();
        order.push(start);
        while let Some(&v) = order.get(head) {
            head += 1;
            for &u in network.in_arcs(v).sources {
                if let Some(s) = seen.get_mut(u as usize) {
                    if !*s {
                        *s = true;
                        order.push(u);
                    }
                }
            }
        }
    }
    order
}

impl ReverseGraph {
    /// Builds the reverse arrays of `network` (with signs when `signed`).
    ///
    /// # Complexity
    /// O(n + m).
    pub(crate) fn new(network: &CompiledNetwork, signed: bool) -> Self {
        let n = network.node_count();
        let original = breadth_first_order(network);
        let mut renumbered = vec![0u32; n];
        for (new, &v) in original.iter().enumerate() {
            if let Some(slot) = renumbered.get_mut(v as usize) {
                *slot = new as u32;
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut arcs: Vec<(u32, u32)> = Vec::new();
        let mut negative = Vec::new();
        let mut draw = vec![Draw::Coins; n];
        offsets.push(0u32);
        for (new, &v) in original.iter().enumerate() {
            let incoming = network.in_arcs(v);
            let first = arcs.len();
            for (&u, &arc) in incoming.sources.iter().zip(incoming.arcs) {
                let p = network
                    .probabilities()
                    .get(arc as usize)
                    .copied()
                    .unwrap_or(0.0);
                let t = threshold(p);
                let Some(&u) = renumbered.get(u as usize) else {
                    continue;
                };
                if t == 0 {
                    continue;
                }
                arcs.push((u, (t - 1) as u32));
                if signed {
                    negative.push(network.is_negative(arc));
                }
            }
            let kept = arcs.get(first..).unwrap_or(&[]);
            let t0 = kept.first().map_or(0, |a| a.1);
            if !kept.is_empty() && kept.iter().all(|a| a.1 == t0) {
                let p = (f64::from(t0) + 1.0) / (1u64 << 32) as f64;
                let kind = if t0 == u32::MAX {
                    Draw::All
                } else if kept.len() >= SKIP_MIN_DEGREE && p <= SKIP_MAX_PROBABILITY {
                    let log_q = (-p).ln_1p();
                    Draw::Uniform {
                        log_q: log_q as f32,
                        none_live: (log_q * kept.len() as f64).exp() as f32,
                    }
                } else {
                    Draw::Coins
                };
                if let Some(d) = draw.get_mut(new) {
                    *d = kind;
                }
            }
            offsets.push(arcs.len() as u32);
        }
        ReverseGraph {
            offsets,
            arcs,
            negative,
            draw,
            original,
            renumbered,
        }
    }

    /// The sampler's number of node `v` of the network.
    pub(crate) fn renumbered(&self, v: u32) -> Option<u32> {
        self.renumbered.get(v as usize).copied()
    }

    /// The network node of sampler number `v`.
    pub(crate) fn original(&self, v: u32) -> Option<u32> {
        self.original.get(v as usize).copied()
    }

    /// The network node of every sampler number.
    pub(crate) fn original_order(&self) -> &[u32] {
        &self.original
    }

    /// Number of nodes.
    pub(crate) fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The kept in-arc range of `v`.
    #[inline]
    fn range(&self, v: u32) -> std::ops::Range<usize> {
        let v = v as usize;
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(&lo), Some(&hi)) => lo as usize..hi as usize,
            _ => 0..0,
        }
    }

    /// Calls `f(source, arc)` for every in-arc of `v` live in this draw.
    #[inline]
    fn for_live_in_arcs<R: RngCore>(&self, v: u32, rng: &mut R, mut f: impl FnMut(u32, usize)) {
        let range = self.range(v);
        let first = range.start;
        match self.draw.get(v as usize).copied().unwrap_or(Draw::Coins) {
            Draw::Coins => coins(self.arcs.get(range).unwrap_or(&[]), first, rng, &mut f),
            Draw::All => {
                for (i, &(s, _)) in self.arcs.get(range).unwrap_or(&[]).iter().enumerate() {
                    f(s, first + i);
                }
            }
            Draw::Uniform { log_q, none_live } => {
                let (log_q, none_live) = (f64::from(log_q), f64::from(none_live));
                let u = uniform_open_closed(rng);
                if u <= none_live {
                    return; // no live in-arc: the arcs are not even read
                }
                let arcs = self.arcs.get(range).unwrap_or(&[]);
                let mut i = ((u.ln() / log_q) as usize).min(arcs.len().saturating_sub(1));
                loop {
                    if let Some(&(s, _)) = arcs.get(i) {
                        f(s, first + i);
                    }
                    i += 1;
                    let remaining = arcs.len().saturating_sub(i);
                    if remaining < SKIP_MIN_DEGREE {
                        coins(arcs.get(i..).unwrap_or(&[]), first + i, rng, &mut f);
                        return;
                    }
                    let gap = uniform_open_closed(rng).ln() / log_q;
                    if gap >= remaining as f64 {
                        return;
                    }
                    i += gap as usize;
                }
            }
        }
    }

    /// Linear Threshold: the in-neighbour `v` keeps (at most one), by weight.
    #[inline]
    fn pick_in_neighbour<R: RngCore>(&self, v: u32, rng: &mut R) -> Option<u32> {
        let x = u64::from(rng.next_u32());
        let mut cumulative = 0u64;
        for &(s, t) in self.arcs.get(self.range(v))? {
            cumulative += u64::from(t) + 1;
            if x < cumulative {
                return Some(s);
            }
        }
        None
    }

    /// Heap bytes of the reverse arrays.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.arcs.capacity() * 8
            + self.negative.capacity()
            + self.draw.capacity() * std::mem::size_of::<Draw>()
            + self.original.capacity() * 4
            + self.renumbered.capacity() * 4
    }
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
    fn append(&mut self, batches: Vec<Batch>) {
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
struct Batch {
    nodes: Vec<u32>,
    tags: Vec<u32>,
    lens: Vec<u32>,
    adversary: Vec<u32>,
}

/// Per-thread scratch memory: visit stamps and the search queue.
#[derive(Debug)]
struct Scratch {
    stamp: Vec<u32>,
    epoch: u32,
    queue: Vec<u32>,
    parity: Vec<bool>,
    tags: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            stamp: vec![0; n],
            epoch: 0,
            queue: Vec::new(),
            parity: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// Starts a new set: every node unvisited.
    fn next_epoch(&mut self) {
        if self.epoch == u32::MAX {
            self.stamp.fill(0);
            self.epoch = 0;
        }
        self.epoch += 1;
        self.queue.clear();
        self.parity.clear();
        self.tags.clear();
    }

    /// Marks `v` visited; `false` if it already was.
    #[inline]
    fn visit(&mut self, v: u32) -> bool {
        match self.stamp.get_mut(v as usize) {
            Some(s) if *s != self.epoch => {
                *s = self.epoch;
                true
            }
            _ => false,
        }
    }
}

/// Draws RR sets of one kind on one network.
#[derive(Debug)]
pub(crate) struct Sampler<'a> {
    graph: &'a ReverseGraph,
    walk: Walk,
    /// Signed walk: which nodes are adversaries.
    adversary: Vec<bool>,
}

impl<'a> Sampler<'a> {
    /// A sampler; `adversaries` matter for [`Walk::Signed`] only.
    pub(crate) fn new(graph: &'a ReverseGraph, walk: Walk, adversaries: &[u32]) -> Self {
        let mut adversary = Vec::new();
        if walk == Walk::Signed {
            adversary = vec![false; graph.node_count()];
            for &a in adversaries {
                if let Some(slot) = graph
                    .renumbered(a)
                    .and_then(|a| adversary.get_mut(a as usize))
                {
                    *slot = true;
                }
            }
        }
        Sampler {
            graph,
            walk,
            adversary,
        }
    }

    /// Adds whole units to `sets` until it holds at least `target` sets, drawing
    /// unit `i` from the stream `(seed, i)`. `sets` must hold whole units.
    ///
    /// # Complexity
    /// O(Σ (members + in-arcs scanned)) over the new sets, divided among the rayon
    /// threads.
    pub(crate) fn extend(&self, sets: &mut RrSets, seed: u64, target: u64) {
        let n = self.graph.node_count();
        if n == 0 {
            return;
        }
        let mut unit = sets.len() as u64 / UNIT;
        let units = target.div_ceil(UNIT);
        // Scratch memory is reused across units and rounds (a unit takes one from
        // the pool and gives it back).
        let pool: Mutex<Vec<Scratch>> = Mutex::new(Vec::new());
        while unit < units {
            let end = (unit + UNITS_PER_ROUND).min(units);
            let batches: Vec<Batch> = (unit..end)
                .into_par_iter()
                .map(|u| {
                    let spare = pool.lock().ok().and_then(|mut p| p.pop());
                    let mut scratch = spare.unwrap_or_else(|| Scratch::new(n));
                    let batch = self.unit(&mut scratch, seed, u);
                    if let Ok(mut p) = pool.lock() {
                        p.push(scratch);
                    }
                    batch
                })
                .collect();
            sets.append(batches);
            unit = end;
        }
    }

    /// The [`UNIT`] sets of unit `unit`.
    fn unit(&self, scratch: &mut Scratch, seed: u64, unit: u64) -> Batch {
        let mut rng = unit_stream(seed, unit);
        let n = self.graph.node_count() as u32;
        let mut batch = Batch {
            lens: Vec::with_capacity(UNIT as usize),
            ..Batch::default()
        };
        for _ in 0..UNIT {
            let root = rng.random_range(0..n);
            scratch.next_epoch();
            match self.walk {
                Walk::Cascade => self.cascade(scratch, &mut rng, root),
                Walk::Threshold => self.threshold(scratch, &mut rng, root),
                Walk::Signed => {
                    let adversary = self.signed(scratch, &mut rng, root);
                    batch.adversary.push(adversary);
                    batch.tags.extend_from_slice(&scratch.tags);
                }
            }
            batch.lens.push(scratch.queue.len() as u32);
            batch.nodes.extend_from_slice(&scratch.queue);
        }
        batch
    }

    /// Independent Cascade: reverse breadth-first search over live arcs.
    fn cascade<R: RngCore>(&self, scratch: &mut Scratch, rng: &mut R, root: u32) {
        scratch.visit(root);
        scratch.queue.push(root);
        let mut head = 0;
        while let Some(&v) = scratch.queue.get(head) {
            head += 1;
            self.graph.for_live_in_arcs(v, rng, |u, _| {
                if scratch.visit(u) {
                    scratch.queue.push(u);
                }
            });
        }
    }

    /// Linear Threshold: reverse random walk.
    fn threshold<R: RngCore>(&self, scratch: &mut Scratch, rng: &mut R, root: u32) {
        scratch.visit(root);
        scratch.queue.push(root);
        let mut v = root;
        while let Some(u) = self.graph.pick_in_neighbour(v, rng) {
            if !scratch.visit(u) {
                break;
            }
            scratch.queue.push(u);
            v = u;
        }
    }

    /// Signed: level-by-level search with parities, cut off after the level at
    /// which the first adversary appears. Leaves one tag per member in
    /// `scratch.tags` and returns the adversaries' arrival at the root.
    /// Adversaries are not members.
    fn signed<R: RngCore>(&self, scratch: &mut Scratch, rng: &mut R, root: u32) -> u32 {
        let is_adversary = |v: u32| self.adversary.get(v as usize).copied().unwrap_or(false);
        scratch.visit(root);
        if is_adversary(root) {
            return arrival(0, NEGATIVE);
        }
        scratch.queue.push(root);
        scratch.parity.push(false);
        scratch.tags.push(arrival(0, POSITIVE));
        let mut adversary_bits = 0;
        let (mut lo, mut distance) = (0usize, 0u32);
        while lo < scratch.queue.len() && adversary_bits == 0 {
            let hi = scratch.queue.len();
            let next = (distance + 1).min(MAX_DISTANCE);
            for i in lo..hi {
                let (Some(&v), Some(&flipped)) = (scratch.queue.get(i), scratch.parity.get(i))
                else {
                    break;
                };
                self.graph.for_live_in_arcs(v, rng, |u, arc| {
                    if !scratch.visit(u) {
                        return;
                    }
                    let odd = flipped ^ self.graph.negative.get(arc).copied().unwrap_or(false);
                    if is_adversary(u) {
                        // The adversaries' negative message, flipped on odd paths.
                        adversary_bits |= if odd { POSITIVE } else { NEGATIVE };
                    } else {
                        scratch.queue.push(u);
                        scratch.parity.push(odd);
                        // An advocate's positive message, flipped on odd paths.
                        scratch
                            .tags
                            .push(arrival(next, if odd { NEGATIVE } else { POSITIVE }));
                    }
                });
            }
            lo = hi;
            distance = next;
        }
        if adversary_bits == 0 {
            NO_ARRIVAL
        } else {
            arrival(distance, adversary_bits)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;
    use crate::propagation::{Model, exact};

    fn compiled(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
        CompiledNetwork::from_network(
            &InfluenceNetwork::from_triples(triples.iter().copied()).unwrap(),
        )
    }

    /// `n ×` the fraction of sets that meet `seeds`, and its standard error.
    fn rr_estimate(sets: &RrSets, n: usize, seeds: &[u32]) -> (f64, f64) {
        let hits = (0..sets.len())
            .filter(|&r| sets.nodes[sets.range(r)].iter().any(|v| seeds.contains(v)))
            .count() as f64;
        let m = sets.len() as f64;
        let p = hits / m;
        (n as f64 * p, n as f64 * (p * (1.0 - p) / m).sqrt())
    }

    const GRAPH: [(&str, &str, f64); 8] = [
        ("a", "b", 0.4),
        ("a", "c", 0.3),
        ("b", "d", 0.5),
        ("c", "d", 0.2),
        ("d", "e", 0.6),
        ("e", "b", 0.3),
        ("c", "f", 0.7),
        ("f", "e", 0.25),
    ];

    #[test]
    fn rr_coverage_estimates_the_exact_spread_ic_and_lt() {
        let mut weighted = InfluenceNetwork::from_triples(GRAPH).unwrap();
        crate::network::WeightScheme::WeightedCascade.apply(&mut weighted, &mut unit_stream(0, 0));
        for c in [compiled(&GRAPH), CompiledNetwork::from_network(&weighted)] {
            rr_coverage_matches_exact(&c);
        }
    }

    fn rr_coverage_matches_exact(c: &CompiledNetwork) {
        let graph = ReverseGraph::new(c, false);
        for (walk, model) in [
            (Walk::Cascade, Model::IndependentCascade),
            (Walk::Threshold, Model::LinearThreshold),
        ] {
            let mut sets = RrSets::new();
            Sampler::new(&graph, walk, &[]).extend(&mut sets, 11, 60_000);
            assert_eq!(sets.len() as u64, 60_000u64.div_ceil(UNIT) * UNIT);
            for seeds in [vec!["a"], vec!["c", "d"], vec!["b", "f"]] {
                let nodes: Vec<u32> = c
                    .nodes_of(&seeds)
                    .unwrap()
                    .into_iter()
                    .map(|v| graph.renumbered(v).unwrap())
                    .collect();
                let truth = exact::expected_spread(c, model, &seeds).unwrap();
                let (estimate, se) = rr_estimate(&sets, c.node_count(), &nodes);
                assert!(
                    (estimate - truth).abs() < 4.0 * se + 1e-9,
                    "{model:?} {seeds:?}: {estimate} vs exact {truth} (se {se})"
                );
            }
        }
    }

    #[test]
    fn uniform_nodes_draw_each_arc_independently_with_its_probability() {
        for (d, p) in [
            (40usize, 0.05f64),
            (5, 0.3),
            (3, 1.0),
            (20, 0.5),
            (17, 0.9),
            (1, 0.2),
        ] {
            let triples: Vec<(String, String, f64)> = (0..d)
                .map(|i| (format!("u{i}"), "hub".to_string(), p))
                .collect();
            let c =
                CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples).unwrap());
            let graph = ReverseGraph::new(&c, false);
            let hub = graph.renumbered(c.node_of("hub").unwrap()).unwrap();
            let expected_draw = match (p, d) {
                (1.0, _) => "All",
                (p, d) if p <= 0.25 && d >= 16 => "Uniform",
                _ => "Coins",
            };
            assert!(format!("{:?}", graph.draw[hub as usize]).starts_with(expected_draw));
            let mut rng = unit_stream(3, d as u64);
            let draws = 20_000usize;
            let mut live = vec![0u32; d];
            let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
            for _ in 0..draws {
                let mut k = 0.0;
                graph.for_live_in_arcs(hub, &mut rng, |_, arc| {
                    live[arc - graph.range(hub).start] += 1;
                    k += 1.0;
                });
                sum += k;
                sum_sq += k * k;
            }
            let n = draws as f64;
            let sd = (n * p * (1.0 - p)).sqrt();
            for (arc, &count) in live.iter().enumerate() {
                assert!(
                    (f64::from(count) - n * p).abs() <= 5.0 * sd + 1e-9,
                    "d={d} p={p} arc {arc}: {count} live of {draws}"
                );
            }
            // Independence: the number of live arcs has the binomial variance.
            let mean = sum / n;
            let variance = sum_sq / n - mean * mean;
            let binomial = d as f64 * p * (1.0 - p);
            assert!(
                (variance - binomial).abs() <= 0.1 * binomial + 1e-9,
                "d={d} p={p}: variance {variance} vs {binomial}"
            );
        }
    }

    #[test]
    fn sets_do_not_depend_on_the_thread_count() {
        let c = compiled(&GRAPH);
        let graph = ReverseGraph::new(&c, true);
        let sampler = Sampler::new(&graph, Walk::Signed, &[c.node_of("e").unwrap()]);
        let draw = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut sets = RrSets::new();
                sampler.extend(&mut sets, 5, 3_000);
                sampler.extend(&mut sets, 5, 20_000);
                sets
            })
        };
        let (one, two) = (draw(1), draw(2));
        assert_eq!(one.nodes, two.nodes);
        assert_eq!(one.offsets, two.offsets);
        assert_eq!(one.tags, two.tags);
        assert_eq!(one.adversary, two.adversary);
    }

    #[test]
    fn signed_sets_record_distance_parity_and_stop_at_the_adversary() {
        // root r; a -> r positive; b -(negative)-> a; adversary x -> a; y -> x.
        let net = InfluenceNetwork::from_triples([
            ("a", "r", 1.0),
            ("b", "a", -1.0),
            ("x", "a", 1.0),
            ("y", "x", 1.0),
        ])
        .unwrap();
        let c = CompiledNetwork::from_network(&net);
        let graph = ReverseGraph::new(&c, true);
        let x = c.node_of("x").unwrap();
        let sampler = Sampler::new(&graph, Walk::Signed, &[x]);
        let mut sets = RrSets::new();
        sampler.extend(&mut sets, 1, UNIT);
        let r = graph.renumbered(c.node_of("r").unwrap()).unwrap();
        let rooted = (0..sets.len())
            .find(|&i| sets.nodes[sets.range(i)].first() == Some(&r))
            .expect("some set is rooted at r");
        let members = &sets.nodes[sets.range(rooted)];
        let tags = &sets.tags[sets.range(rooted)];
        let [a, b] = ["a", "b"].map(|id| graph.renumbered(c.node_of(id).unwrap()).unwrap());
        assert_eq!(members, &[r, a, b]);
        assert_eq!(
            tags,
            &[
                arrival(0, POSITIVE),
                arrival(1, POSITIVE),
                arrival(2, NEGATIVE)
            ]
        );
        // x arrives at distance 2 with a negative message; y (distance 3) is cut off.
        assert_eq!(sets.adversary[rooted], arrival(2, NEGATIVE));
        let rooted_at_x = (0..sets.len()).find(|&i| sets.range(i).is_empty());
        if let Some(i) = rooted_at_x {
            assert_eq!(sets.adversary[i], arrival(0, NEGATIVE));
        }
    }
}
