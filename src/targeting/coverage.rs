//! The greedy on RR sets: pick, again and again, the customer whose addition
//! raises the RR estimate of the objective the most (per unit of cost under a
//! budget), keeping every customer's marginal gain exact as the picks change the
//! sets' states.
//!
//! One mechanism serves both objectives through a [`Rule`] that says what a set is
//! worth in a given state: plain coverage for the spread (a set is worth 1 once any
//! seed is in it) and the signed rule (a set is worth +1 if its root ends positive,
//! `−λ` if negative, given who arrives first).

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::celf::{Marginal, Picks};
use super::costs::{Constraint, Spend};
use super::rr_sets::{NEGATIVE, NO_ARRIVAL, POSITIVE, RrSets};
use crate::error::Result;

/// What an RR set is worth, given the seeds chosen so far (its *state*).
pub(crate) trait Rule {
    /// Whether members carry tags (the signed walk).
    const TAGGED: bool;
    /// The state of set `set` before any pick.
    fn initial(&self, set: usize) -> u32;
    /// The worth of set `set` in `state`.
    fn value(&self, set: usize, state: u32) -> f64;
    /// The state after adding a member with `tag`.
    fn add(&self, state: u32, tag: u32) -> u32;
}

/// Plain coverage: a set is worth 1 once it holds a seed. (IMM runs plain
/// coverage through the lazy greedy and [`CoverageGain`]; this rule is the
/// reference the tests hold it to.)
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cover;

#[cfg(test)]
impl Rule for Cover {
    const TAGGED: bool = false;
    #[inline]
    fn initial(&self, _set: usize) -> u32 {
        0
    }
    #[inline]
    fn value(&self, _set: usize, state: u32) -> f64 {
        f64::from(state)
    }
    #[inline]
    fn add(&self, _state: u32, _tag: u32) -> u32 {
        1
    }
}

/// The signed rule: the first message to arrive at the root decides its opinion.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignedRule<'a> {
    /// Per set: the adversaries' arrival.
    pub adversary: &'a [u32],
    /// λ: the weight of a negative customer.
    pub negative_weight: f64,
    /// Chance that a same-distance clash goes negative.
    pub negativity_bias: f64,
}

/// The earlier of two arrivals; at the same distance, both messages.
#[inline]
fn first_arrival(a: u32, b: u32) -> u32 {
    if a == NO_ARRIVAL {
        return b;
    }
    if b == NO_ARRIVAL {
        return a;
    }
    let (da, db) = (a >> 2, b >> 2);
    if da < db {
        a
    } else if db < da {
        b
    } else {
        a | (b & 3)
    }
}

impl Rule for SignedRule<'_> {
    const TAGGED: bool = true;
    #[inline]
    fn initial(&self, _set: usize) -> u32 {
        NO_ARRIVAL
    }
    #[inline]
    fn value(&self, set: usize, state: u32) -> f64 {
        let adversary = self.adversary.get(set).copied().unwrap_or(NO_ARRIVAL);
        let winner = first_arrival(state, adversary);
        if winner == NO_ARRIVAL {
            return 0.0;
        }
        match winner & 3 {
            POSITIVE => 1.0,
            NEGATIVE => -self.negative_weight,
            0 => 0.0,
            _ => (1.0 - self.negativity_bias) - self.negativity_bias * self.negative_weight,
        }
    }
    #[inline]
    fn add(&self, state: u32, tag: u32) -> u32 {
        first_arrival(state, tag)
    }
}

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
}

impl InvertedIndex {
    /// An empty index over `n` nodes.
    pub(crate) fn new(n: usize) -> Self {
        InvertedIndex {
            offsets: vec![0; n + 1],
            sets: Vec::new(),
            indexed: 0,
            spare: Vec::new(),
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
        self.offsets.capacity() * 8 + (self.sets.capacity() + self.spare.capacity()) * 4
    }
}

/// Plain coverage as marginal gains for the lazy greedy: the gain of a node is the
/// number of sets that hold it and no committed seed (a bitset of covered sets).
#[derive(Debug)]
pub(crate) struct CoverageGain<'a> {
    index: &'a InvertedIndex,
    covered: Vec<u64>,
}

impl<'a> CoverageGain<'a> {
    /// No set covered yet.
    pub(crate) fn new(index: &'a InvertedIndex) -> Self {
        CoverageGain {
            index,
            covered: vec![0; index.indexed.div_ceil(64)],
        }
    }

    /// Heap bytes of the bitset.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.covered.capacity() * 8
    }

    fn is_covered(&self, r: u32) -> bool {
        let r = r as usize;
        self.covered
            .get(r / 64)
            .is_some_and(|w| (w >> (r % 64)) & 1 == 1)
    }
}

impl Marginal for CoverageGain<'_> {
    fn gain(&self, v: u32) -> Result<f64> {
        let sets = self.index.sets_of(v);
        Ok(sets.iter().filter(|&&r| !self.is_covered(r)).count() as f64)
    }

    fn commit(&mut self, v: u32, _gain: f64) {
        for &r in self.index.sets_of(v) {
            let r = r as usize;
            if let Some(w) = self.covered.get_mut(r / 64) {
                *w |= 1 << (r % 64);
            }
        }
    }

    fn base(&self) -> f64 {
        0.0
    }
}

/// Greedy selection on `sets` (indexed by `index`) under `constraint`, among
/// `candidates` (by node).
///
/// Never picks a customer with a negative gain. Under a budget, returns the better
/// of the cost-effective greedy and the best single affordable customer.
///
/// # Errors
/// [`crate::Error::Overflow`] if the total cost overflows.
///
/// # Complexity
/// O(members) to initialise the gains, O(members of the sets a pick touches) to
/// update, and O(n) per pick to find the best customer.
pub(crate) fn greedy<R: Rule>(
    sets: &RrSets,
    index: &InvertedIndex,
    rule: &R,
    candidates: &[bool],
    constraint: &Constraint,
) -> Result<Picks> {
    let n = candidates.len();
    let mut state: Vec<u32> = (0..sets.len()).map(|r| rule.initial(r)).collect();
    let base: f64 = state
        .iter()
        .enumerate()
        .map(|(r, &s)| rule.value(r, s))
        .sum();
    let mut gains = vec![0.0f64; n];
    if R::TAGGED {
        for (r, &s0) in state.iter().enumerate() {
            let v0 = rule.value(r, s0);
            let range = sets.range(r);
            let members = sets.nodes.get(range.clone()).unwrap_or(&[]);
            let tags = sets.tags.get(range).unwrap_or(&[]);
            for (&v, &tag) in members.iter().zip(tags) {
                if let Some(g) = gains.get_mut(v as usize) {
                    *g += rule.value(r, rule.add(s0, tag)) - v0;
                }
            }
        }
    } else {
        // Untagged: every set gains the same from its first seed.
        let gain = rule.value(0, rule.add(rule.initial(0), 0)) - rule.value(0, rule.initial(0));
        for (v, g) in gains.iter_mut().enumerate() {
            *g = gain * index.sets_of(v as u32).len() as f64;
        }
    }
    let initial_gains = if constraint.is_budget() {
        gains.clone()
    } else {
        Vec::new()
    };

    let mut picked = vec![false; n];
    let mut picks = Picks {
        base,
        ..Picks::default()
    };
    let mut spend = Spend::default();
    while constraint.open(spend) {
        let Some(best) = best_candidate(&gains, candidates, &picked, constraint, spend) else {
            break;
        };
        let gain = gains.get(best as usize).copied().unwrap_or(0.0);
        if gain < 0.0 {
            break;
        }
        spend = constraint.charge(best, spend)?;
        picks.nodes.push(best);
        picks.gains.push(gain);
        if let Some(p) = picked.get_mut(best as usize) {
            *p = true;
        }
        for &r in index.sets_of(best) {
            let r = r as usize;
            let Some(s) = state.get(r).copied() else {
                continue;
            };
            let range = sets.range(r);
            let members = sets.nodes.get(range.clone()).unwrap_or(&[]);
            let tags = if R::TAGGED {
                sets.tags.get(range).unwrap_or(&[])
            } else {
                &[]
            };
            let tag_of_best = if R::TAGGED {
                members
                    .iter()
                    .position(|&w| w == best)
                    .and_then(|i| tags.get(i).copied())
                    .unwrap_or(0)
            } else {
                0
            };
            let s2 = rule.add(s, tag_of_best);
            if s2 == s {
                continue;
            }
            let (v_old, v_new) = (rule.value(r, s), rule.value(r, s2));
            for (i, &w) in members.iter().enumerate() {
                let tag = if R::TAGGED {
                    tags.get(i).copied().unwrap_or(0)
                } else {
                    0
                };
                let before = rule.value(r, rule.add(s, tag)) - v_old;
                let after = rule.value(r, rule.add(s2, tag)) - v_new;
                if let Some(g) = gains.get_mut(w as usize) {
                    *g += after - before;
                }
            }
            if let Some(x) = state.get_mut(r) {
                *x = s2;
            }
        }
    }
    if constraint.is_budget() {
        if let Some(single) = constraint.best_single(&initial_gains, candidates) {
            let gain = initial_gains.get(single as usize).copied().unwrap_or(0.0);
            if gain > picks.gains.iter().sum::<f64>() {
                picks.nodes = vec![single];
                picks.gains = vec![gain];
                picks.single_won = true;
            }
        }
    }
    Ok(picks)
}

/// The candidate with the highest score that still fits (ties: lowest node).
fn best_candidate(
    gains: &[f64],
    candidates: &[bool],
    picked: &[bool],
    constraint: &Constraint,
    spend: Spend,
) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for (v, (&gain, (&allowed, &taken))) in
        gains.iter().zip(candidates.iter().zip(picked)).enumerate()
    {
        if !allowed || taken {
            continue;
        }
        let v = v as u32;
        let score = constraint.score(v, gain);
        if score.is_nan() || best.is_some_and(|(b, _)| score <= b) {
            continue;
        }
        if constraint.fits(v, spend) {
            best = Some((score, v));
        }
    }
    best.map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;
    use crate::propagation::CompiledNetwork;
    use crate::targeting::celf::lazy_greedy;
    use crate::targeting::rr_sets::{ReverseGraph, Sampler, Walk};
    use rand::{Rng, SeedableRng};
    use rust_decimal::Decimal;

    fn random_sets(seed: u64) -> (RrSets, usize) {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let triples: Vec<(String, String, f64)> = (0..300)
            .map(|_| {
                let (a, b) = (rng.random_range(0..60), rng.random_range(0..59));
                (
                    format!("n{a}"),
                    format!("n{}", (b + 1 + a) % 60),
                    rng.random_range(0.05..0.5),
                )
            })
            .collect();
        let network =
            CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples).unwrap());
        let graph = ReverseGraph::new(&network, false);
        let mut sets = RrSets::new();
        Sampler::new(&graph, Walk::Cascade, &[]).extend(&mut sets, seed, 5_000);
        (sets, network.node_count())
    }

    #[test]
    fn lazy_coverage_picks_what_the_plain_greedy_picks() {
        for seed in 0..4 {
            let (sets, n) = random_sets(seed);
            let mut index = InvertedIndex::new(n);
            // Index in two steps, as IMM's sampling phase does.
            let mut half = RrSets::new();
            half.nodes = sets.nodes[..sets.offsets[2_560] as usize].to_vec();
            half.offsets = sets.offsets[..=2_560].to_vec();
            index.extend(&half);
            index.extend(&sets);
            let mut candidates = vec![true; n];
            candidates[3] = false;
            let costs: Vec<Decimal> = (0..n).map(|v| Decimal::from(1 + v % 7)).collect();
            for constraint in [
                Constraint::count(8),
                Constraint::budget(costs, Decimal::from(20), None).unwrap(),
            ] {
                let plain = greedy(&sets, &index, &Cover, &candidates, &constraint).unwrap();
                let lazy =
                    lazy_greedy(&mut CoverageGain::new(&index), &candidates, &constraint).unwrap();
                assert_eq!(plain.nodes, lazy.nodes, "seed {seed}");
                assert_eq!(plain.gains, lazy.gains);
                assert!(!lazy.nodes.contains(&3));
                // Gains are the exact counts of newly covered sets.
                let covered = (0..sets.len())
                    .filter(|&r| {
                        sets.nodes[sets.range(r)]
                            .iter()
                            .any(|v| lazy.nodes.contains(v))
                    })
                    .count();
                assert_eq!(lazy.total(), covered as f64);
            }
        }
    }

    #[test]
    fn the_index_lists_every_set_of_every_node_in_order() {
        let (sets, n) = random_sets(9);
        let mut index = InvertedIndex::new(n);
        index.extend(&sets);
        for v in 0..n as u32 {
            let expected: Vec<u32> = (0..sets.len() as u32)
                .filter(|&r| sets.nodes[sets.range(r as usize)].contains(&v))
                .collect();
            assert_eq!(index.sets_of(v), expected.as_slice(), "node {v}");
        }
    }
}
