//! [`Sampler`]: draws RR sets in parallel units, reproducibly.

use std::sync::Mutex;

use rand::{Rng, RngCore};
use rayon::prelude::*;

use super::{
    Batch, MAX_DISTANCE, NEGATIVE, NO_ARRIVAL, POSITIVE, ReverseGraph, RrSets, UNIT, Walk, arrival,
};
use crate::propagation::streams::CoinStream;

/// Units generated per parallel round (bounds the temporary memory of a round).
const UNITS_PER_ROUND: u64 = 128;

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
    /// Scratch memory, reused across units and calls (a unit takes one from
    /// the pool and gives it back).
    pool: Mutex<Vec<Scratch>>,
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
            pool: Mutex::new(Vec::new()),
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
        self.extend_until(sets, seed, target, || false);
    }

    /// As [`extend`](Self::extend), but asks `stop` before each round of
    /// [`UNITS_PER_ROUND`] units and gives up when it says so. Returns whether
    /// `sets` reached `target` (the sets of the rounds done are kept either way:
    /// they are the same sets `extend` would have drawn).
    pub(crate) fn extend_until(
        &self,
        sets: &mut RrSets,
        seed: u64,
        target: u64,
        stop: impl Fn() -> bool,
    ) -> bool {
        let n = self.graph.node_count();
        if n == 0 {
            return true;
        }
        let mut unit = sets.len() as u64 / UNIT;
        let units = target.div_ceil(UNIT);
        while unit < units {
            if stop() {
                return false;
            }
            let end = (unit + UNITS_PER_ROUND).min(units);
            let batches: Vec<Batch> = (unit..end)
                .into_par_iter()
                .map(|u| {
                    let spare = self.pool.lock().ok().and_then(|mut p| p.pop());
                    let mut scratch = spare.unwrap_or_else(|| Scratch::new(n));
                    let batch = self.unit(&mut scratch, seed, u);
                    if let Ok(mut p) = self.pool.lock() {
                        p.push(scratch);
                    }
                    batch
                })
                .collect();
            sets.append(batches);
            unit = end;
        }
        true
    }

    /// The [`UNIT`] sets of unit `unit`.
    fn unit(&self, scratch: &mut Scratch, seed: u64, unit: u64) -> Batch {
        let mut rng = CoinStream::new(seed, unit);
        let n = self.graph.node_count() as u32;
        let mut batch = Batch {
            lens: Vec::with_capacity(UNIT as usize),
            ..Batch::default()
        };
        // The roots first, so that they can be fetched ahead: a root's record
        // `2 · AHEAD` sets ahead, its first in-arcs (where the record says)
        // `AHEAD` sets ahead (most sets are small: a root alone, or a few).
        const AHEAD: usize = 4;
        let mut roots = [0u32; UNIT as usize];
        for root in roots.iter_mut() {
            *root = rng.random_range(0..n);
        }
        for (i, &root) in roots.iter().enumerate() {
            if let Some(&later) = roots.get(i + 2 * AHEAD) {
                self.graph.prefetch(later);
            }
            if let Some(&soon) = roots.get(i + AHEAD) {
                self.graph.prefetch_arcs(soon);
            }
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
            if let Some(&next) = scratch.queue.get(head) {
                self.graph.prefetch_arcs(next);
            }
            self.graph.for_live_in_arcs(v, rng, |u, _| {
                if scratch.visit(u) {
                    self.graph.prefetch(u);
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
