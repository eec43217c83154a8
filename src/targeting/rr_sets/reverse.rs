//! [`ReverseGraph`]: the in-arcs of every node, laid out for drawing RR sets.

use rand::RngCore;

use crate::propagation::CompiledNetwork;
use crate::propagation::streams::threshold;

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
    offsets: Vec<u32>,
    /// Per kept in-arc: the source, and `t − 1` where `t = round(p · 2³²) ≥ 1`
    /// (the arc is live when a uniform `u32` is at most this).
    arcs: Vec<(u32, u32)>,
    /// Signed walk: which kept arcs are negative ties.
    pub(super) negative: Vec<bool>,
    /// Per node: how its in-arcs are drawn.
    pub(super) draw: Vec<Draw>,
    /// Sampler number -> network node.
    original: Vec<u32>,
    /// Network node -> sampler number.
    renumbered: Vec<u32>,
}

/// How the in-arcs of one node are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Draw {
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
    /// Unequal probabilities, the arcs sorted by decreasing probability (SUBSIM's
    /// subset sampling for skewed in-probabilities, Guo et al. 2020): one coin
    /// per arc for the first `dense` arcs (probability above
    /// [`SKIP_MAX_PROBABILITY`]), then geometric skipping at the probability of
    /// the next arc, the largest of those left, each candidate kept with its own
    /// probability over that one (thinning). At least [`SKIP_MIN_DEGREE`] arcs
    /// follow the dense ones.
    Sorted { dense: u32 },
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
            let small = kept
                .iter()
                .filter(|a| (f64::from(a.1) + 1.0) / (1u64 << 32) as f64 <= SKIP_MAX_PROBABILITY)
                .count();
            if !kept.is_empty() && kept.iter().any(|a| a.1 != t0) && small >= SKIP_MIN_DEGREE {
                // Skewed: sort by decreasing probability (signs follow their arcs).
                let mut order: Vec<usize> = (0..kept.len()).collect();
                order.sort_by_key(|&i| std::cmp::Reverse(kept.get(i).map_or(0, |a| a.1)));
                let sorted: Vec<(u32, u32)> =
                    order.iter().filter_map(|&i| kept.get(i).copied()).collect();
                arcs.truncate(first);
                arcs.extend(sorted);
                if signed {
                    let signs = negative.split_off(first);
                    negative.extend(
                        order
                            .iter()
                            .map(|&i| signs.get(i).copied().unwrap_or(false)),
                    );
                }
                if let Some(d) = draw.get_mut(new) {
                    *d = Draw::Sorted {
                        dense: (order.len() - small) as u32,
                    };
                }
            } else if !kept.is_empty() && kept.iter().all(|a| a.1 == t0) {
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
    pub(super) fn range(&self, v: u32) -> std::ops::Range<usize> {
        let v = v as usize;
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(&lo), Some(&hi)) => lo as usize..hi as usize,
            _ => 0..0,
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
        let range = self.range(v);
        let first = range.start;
        match self.draw.get(v as usize).copied().unwrap_or(Draw::Coins) {
            Draw::Coins => coins(self.arcs.get(range).unwrap_or(&[]), first, rng, &mut f),
            Draw::All => {
                for (i, &(s, _)) in self.arcs.get(range).unwrap_or(&[]).iter().enumerate() {
                    f(s, first + i);
                }
            }
            Draw::Sorted { dense } => {
                let arcs = self.arcs.get(range).unwrap_or(&[]);
                let dense = (dense as usize).min(arcs.len());
                let (head, tail) = arcs.split_at(dense);
                coins(head, first, rng, &mut f);
                sorted_skips(tail, first + dense, rng, &mut f);
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
        self.offsets.capacity() * 4
            + self.arcs.capacity() * 8
            + self.negative.capacity()
            + self.draw.capacity() * std::mem::size_of::<Draw>()
            + self.original.capacity() * 4
            + self.renumbered.capacity() * 4
    }
}
