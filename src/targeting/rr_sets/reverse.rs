//! [`ReverseGraph`]: the in-arcs of every node, laid out for drawing RR sets.

use rand::RngCore;

use crate::propagation::streams::threshold;
use crate::propagation::{CompiledNetwork, prefetch};

/// Geometric skipping is used for a node with at least this many in-arcs, and
/// continues while at least this many remain (fewer: one coin per arc is
/// cheaper than a logarithm per live arc)...
const SKIP_MIN_DEGREE: usize = 16;
/// ...all of the same probability, at most this one.
const SKIP_MAX_PROBABILITY: f64 = 0.25;

/// The in-arcs of every node, compact for sampling, in the sampler's own node
/// numbering (breadth-first over in-arcs, for locality). Arcs of probability 0
/// are dropped (they never carry influence).
#[derive(Debug)]
pub(crate) struct ReverseGraph {
    /// Per node: where its arcs start and how they are drawn, in one 16-byte
    /// record (one cache access per node visited; they end where the next
    /// node's start, and a last record closes the array).
    nodes: Vec<InArcs>,
    /// Per kept in-arc: the source, and `t − 1` where `t = round(p · 2³²) ≥ 1`
    /// (the arc is live when a uniform `u32` is at most this).
    arcs: Vec<(u32, u32)>,
    /// Signed walk: which kept arcs are negative ties.
    pub(super) negative: Vec<bool>,
    /// Sampler number -> network node.
    original: Vec<u32>,
    /// Network node -> sampler number.
    renumbered: Vec<u32>,
}

/// The in-arcs of one node start at `arcs[start]` and are drawn by `draw`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct InArcs {
    start: u32,
    draw: Draw,
}

/// How the in-arcs of one node are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Draw {
    /// One coin per arc (the arcs' probabilities differ).
    Coins,
    /// Many arcs (at least [`SKIP_MIN_DEGREE`]) of the same small probability
    /// `p` (weighted cascade gives hubs this shape): geometric skipping. One
    /// uniform `U` in `(0, 1]` decides whether any arc is live (`U > q^d`,
    /// `q = 1 − p`, `none_live = q^d`: no logarithm, not even a read of the
    /// arcs, when none is) and which is the first (`⌊ln U / ln q⌋`, the
    /// geometric gap, `log_q = ln q`); the next gaps follow the same way.
    Uniform { log_q: f32, none_live: f32 },
    /// Every arc is live (probability 1).
    All,
    /// Unequal probabilities, the arcs sorted by decreasing probability (SUBSIM's
    /// subset sampling for skewed in-probabilities, Guo et al. 2020): one coin
    /// per arc for the first `dense` arcs (probability above
    /// [`SKIP_MAX_PROBABILITY`]), then geometric skipping at the probability of
    /// the next arc, the largest of those left, each candidate kept with its own
    /// probability over that one (thinning). At least [`SKIP_MIN_DEGREE`] arcs
    /// follow the dense ones.
    Sorted { dense: u32 },
}

/// The probability `(t + 1) / 2³²` of an arc stored with `t`.
#[inline]
fn probability(t: u32) -> f64 {
    (f64::from(t) + 1.0) / (1u64 << 32) as f64
}

/// How to draw the arcs `kept` of one node (sorting them first when their
/// probabilities are skewed; `signs` follow their arcs).
fn plan(kept: &mut [(u32, u32)], signs: &mut [bool]) -> Draw {
    let Some(&(_, t0)) = kept.first() else {
        return Draw::Coins;
    };
    if kept.iter().all(|a| a.1 == t0) {
        let p = probability(t0);
        return if t0 == u32::MAX {
            Draw::All
        } else if kept.len() >= SKIP_MIN_DEGREE && p <= SKIP_MAX_PROBABILITY {
            Draw::Uniform {
                log_q: (-p).ln_1p() as f32,
                none_live: ((-p).ln_1p() * kept.len() as f64).exp() as f32,
            }
        } else {
            Draw::Coins
        };
    }
    let small = kept
        .iter()
        .filter(|a| probability(a.1) <= SKIP_MAX_PROBABILITY)
        .count();
    if small < SKIP_MIN_DEGREE {
        return Draw::Coins;
    }
    // Skewed: by decreasing probability, each sign with its arc.
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(kept.get(i).map_or(0, |a| a.1)));
    let arcs: Vec<(u32, u32)> = order.iter().filter_map(|&i| kept.get(i).copied()).collect();
    kept.copy_from_slice(&arcs);
    if !signs.is_empty() {
        let old = signs.to_vec();
        for (slot, &i) in signs.iter_mut().zip(&order) {
            *slot = old.get(i).copied().unwrap_or(false);
        }
    }
    Draw::Sorted {
        dense: (kept.len() - small) as u32,
    }
}

/// A uniform draw in `(0, 1]` at 53-bit resolution.
#[inline]
fn uniform_open_closed<R: RngCore>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// One coin per arc of `arcs` (numbered from `first`), two coins per 64-bit draw.
#[inline(always)]
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
/// numbers, so a reverse search reads nearby memory. `in_arcs` lists every
/// node's in-arcs (source first) from `offsets[v]` to `offsets[v + 1]`.
fn breadth_first_order(offsets: &[u32], in_arcs: &[(u32, u32)]) -> Vec<u32> {
    let n = offsets.len().saturating_sub(1);
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
            for &(u, _) in in_range(offsets, in_arcs, v) {
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

/// The entries of `items` that belong to node `v` under `offsets`.
fn in_range<'a, T>(offsets: &[u32], items: &'a [T], v: u32) -> &'a [T] {
    let v = v as usize;
    match (offsets.get(v), offsets.get(v + 1)) {
        (Some(&lo), Some(&hi)) => items.get(lo as usize..hi as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Whether a uniform `u32` keeps a candidate of threshold `t` drawn at the
/// larger threshold `bucket` (probability exactly `(t + 1) / (bucket + 1)`).
#[inline]
fn thinned(x: u32, t: u32, bucket: u32) -> bool {
    u128::from(x) * (u128::from(bucket) + 1) < (u128::from(t) + 1) << 32
}

/// Geometric skipping with thinning over `arcs`, sorted by decreasing
/// threshold (numbered from `first`): see [`Draw::Sorted`].
#[inline]
fn sorted_skips<R: RngCore>(
    arcs: &[(u32, u32)],
    first: usize,
    rng: &mut R,
    f: &mut impl FnMut(u32, usize),
) {
    let mut i = 0;
    loop {
        let remaining = arcs.len().saturating_sub(i);
        if remaining < SKIP_MIN_DEGREE {
            coins(arcs.get(i..).unwrap_or(&[]), first + i, rng, f);
            return;
        }
        let Some(&(_, bucket)) = arcs.get(i) else {
            return;
        };
        let p = (f64::from(bucket) + 1.0) / (1u64 << 32) as f64;
        let gap = uniform_open_closed(rng).ln() / (-p).ln_1p();
        if gap >= remaining as f64 {
            return;
        }
        i += gap as usize;
        if let Some(&(s, t)) = arcs.get(i) {
            if t == bucket || thinned(rng.next_u32(), t, bucket) {
                f(s, first + i);
            }
        }
        i += 1;
    }
}

impl ReverseGraph {
    /// Builds the reverse arrays of `network` (with signs when `signed`), in
    /// one pass over its out-arcs: each kept arc is read once, in order, and
    /// written to its target's in-arcs (a counting sort), and a last pass lays
    /// those out in the breadth-first numbering. The compiled network's own
    /// reverse arrays are not needed (nor built).
    ///
    /// # Complexity
    /// O(n + m).
    pub(crate) fn new(network: &CompiledNetwork, signed: bool) -> Self {
        let n = network.node_count();
        let (targets, probabilities) = (network.targets(), network.probabilities());
        // Kept in-arcs per node, then where each node's start.
        let mut offsets = vec![0u32; n + 1];
        for (&v, &p) in targets.iter().zip(probabilities) {
            if threshold(p) != 0 {
                if let Some(count) = offsets.get_mut(v as usize + 1) {
                    *count += 1;
                }
            }
        }
        for i in 0..n {
            let before = offsets.get(i).copied().unwrap_or(0);
            if let Some(slot) = offsets.get_mut(i + 1) {
                *slot += before;
            }
        }
        // In-arcs by target in network numbering, sources in node order.
        let kept = offsets.last().copied().unwrap_or(0) as usize;
        let mut by_target = vec![(0u32, 0u32); kept];
        let mut signs_by_target = vec![false; if signed { kept } else { 0 }];
        let mut cursor: Vec<u32> = offsets.get(..n).unwrap_or(&[]).to_vec();
        for u in 0..n as u32 {
            for arc in network.arc_range(u) {
                let (Some(&v), Some(&p)) = (targets.get(arc), probabilities.get(arc)) else {
                    continue;
                };
                let t = threshold(p);
                let Some(slot) = cursor.get_mut(v as usize) else {
                    continue;
                };
                if t == 0 {
                    continue;
                }
                let at = *slot as usize;
                *slot += 1;
                if let Some(entry) = by_target.get_mut(at) {
                    *entry = (u, (t - 1) as u32);
                }
                if let Some(sign) = signs_by_target.get_mut(at) {
                    *sign = network.is_negative(arc as u32);
                }
            }
        }
        drop(cursor);
        let original = breadth_first_order(&offsets, &by_target);
        let mut renumbered = vec![0u32; n];
        for (new, &v) in original.iter().enumerate() {
            if let Some(slot) = renumbered.get_mut(v as usize) {
                *slot = new as u32;
            }
        }
        // Laid out in the breadth-first numbering, with a draw plan per node.
        let mut nodes = Vec::with_capacity(n + 1);
        let mut arcs: Vec<(u32, u32)> = Vec::with_capacity(kept);
        let mut negative = Vec::with_capacity(signs_by_target.len());
        for &v in &original {
            let first = arcs.len();
            arcs.extend(
                in_range(&offsets, &by_target, v)
                    .iter()
                    .map(|&(u, t)| (renumbered.get(u as usize).copied().unwrap_or(u), t)),
            );
            negative.extend_from_slice(in_range(&offsets, &signs_by_target, v));
            let kept = arcs.get_mut(first..).unwrap_or_default();
            let signs = negative.get_mut(first..).unwrap_or_default();
            let draw = plan(kept, signs);
            nodes.push(InArcs {
                start: first as u32,
                draw,
            });
        }
        nodes.push(InArcs {
            start: arcs.len() as u32,
            draw: Draw::Coins,
        });
        ReverseGraph {
            nodes,
            arcs,
            negative,
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
        self.nodes.len().saturating_sub(1)
    }

    /// How the in-arcs of `v` are drawn.
    #[cfg(test)]
    pub(super) fn draw(&self, v: u32) -> Option<Draw> {
        self.nodes.get(v as usize).map(|r| r.draw)
    }

    /// The kept in-arc range of `v`.
    #[inline]
    pub(super) fn range(&self, v: u32) -> std::ops::Range<usize> {
        let v = v as usize;
        match (self.nodes.get(v), self.nodes.get(v + 1)) {
            (Some(r), Some(next)) => r.start as usize..next.start as usize,
            _ => 0..0,
        }
    }

    /// Hints the processor to fetch the record of `v` (the sampler calls it
    /// when it queues `v`, so the record is in cache when `v` is expanded).
    #[inline(always)]
    pub(super) fn prefetch(&self, v: u32) {
        prefetch(&self.nodes, v as usize);
    }

    /// Hints the processor to fetch the first in-arcs of `v`.
    #[inline(always)]
    pub(super) fn prefetch_arcs(&self, v: u32) {
        if let Some(r) = self.nodes.get(v as usize) {
            prefetch(&self.arcs, r.start as usize);
        }
    }

    /// Calls `f(source, arc)` for every in-arc of `v` live in this draw.
    #[inline]
    pub(super) fn for_live_in_arcs<R: RngCore>(
        &self,
        v: u32,
        rng: &mut R,
        mut f: impl FnMut(u32, usize),
    ) {
        let (Some(&InArcs { start, draw }), Some(next)) =
            (self.nodes.get(v as usize), self.nodes.get(v as usize + 1))
        else {
            return;
        };
        let first = start as usize;
        let arcs = self.arcs.get(first..next.start as usize).unwrap_or(&[]);
        match draw {
            Draw::Coins => coins(arcs, first, rng, &mut f),
            Draw::All => {
                for (i, &(s, _)) in arcs.iter().enumerate() {
                    f(s, first + i);
                }
            }
            Draw::Sorted { dense } => {
                let dense = (dense as usize).min(arcs.len());
                let (head, tail) = arcs.split_at(dense);
                coins(head, first, rng, &mut f);
                sorted_skips(tail, first + dense, rng, &mut f);
            }
            Draw::Uniform { log_q, none_live } => {
                let u = uniform_open_closed(rng);
                if u <= f64::from(none_live) {
                    return; // no live in-arc: the arcs are not even read
                }
                let log_q = f64::from(log_q);
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
    pub(super) fn pick_in_neighbour<R: RngCore>(&self, v: u32, rng: &mut R) -> Option<u32> {
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
        self.nodes.capacity() * std::mem::size_of::<InArcs>()
            + self.arcs.capacity() * 8
            + self.negative.capacity()
            + self.original.capacity() * 4
            + self.renumbered.capacity() * 4
    }
}
