//! The greedy on RR sets: pick, again and again, the customer whose addition
//! raises the RR estimate of the objective the most (per unit of cost under a
//! budget), keeping every customer's marginal gain exact as the picks change the
//! sets' states.
//!
//! One mechanism serves both objectives through a [`Rule`] that says what a set is
//! worth in a given state: plain coverage for the spread (a set is worth 1 once any
//! seed is in it) and the signed rule (a set is worth +1 if its root ends positive,
//! `−λ` if negative, given who arrives first).

use std::collections::BinaryHeap;

use super::celf::{Marginal, Picks, lazy_greedy};
use super::costs::{Constraint, Spend};
use super::rr_sets::{InvertedIndex, NEGATIVE, NO_ARRIVAL, POSITIVE, RrSets};
use crate::error::Result;
use crate::propagation::prefetch;

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

/// Plain coverage as marginal gains: the gain of a node is the number of sets
/// that hold it and no committed seed, kept exact as seeds are committed (each
/// newly covered set takes one from every member's count, as OPIM does), so a
/// gain costs O(1) and the greedy can bound the optimum from above.
#[derive(Debug)]
pub(crate) struct CoverageGain<'a> {
    sets: &'a RrSets,
    index: &'a InvertedIndex,
    covered: Vec<u64>,
    /// Per node: the sets holding it that no committed seed covers.
    uncovered: Vec<u32>,
}

/// A queue key: the gain in the high half, the node's complement in the low
/// half, so that the largest key is the largest gain, ties to the lowest node.
#[inline]
fn key(gain: u32, node: u32) -> u64 {
    (u64::from(gain) << 32) | u64::from(!node)
}

/// The gain and node of a [`key`].
#[inline]
fn unkey(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, !(key as u32))
}

impl<'a> CoverageGain<'a> {
    /// No set covered yet. `index` must index exactly `sets`.
    pub(crate) fn new(sets: &'a RrSets, index: &'a InvertedIndex) -> Self {
        let uncovered = (0..index.node_count() as u32)
            .map(|v| index.sets_of(v).len() as u32)
            .collect();
        CoverageGain {
            sets,
            index,
            covered: vec![0; sets.len().div_ceil(64)],
            uncovered,
        }
    }

    /// Heap bytes of the bitset and the counts.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.covered.capacity() * 8 + self.uncovered.capacity() * 4
    }

    #[inline]
    fn count(&self, v: u32) -> u32 {
        self.uncovered.get(v as usize).copied().unwrap_or(0)
    }

    /// The sum of the `most` largest current gains among `candidates`.
    fn largest_gains(&self, candidates: &[bool], most: usize) -> f64 {
        let mut gains: Vec<u32> = (0..candidates.len() as u32)
            .filter(|&v| candidates.get(v as usize).copied().unwrap_or(false))
            .map(|v| self.count(v))
            .collect();
        let most = most.min(gains.len());
        if most == 0 {
            return 0.0;
        }
        gains.select_nth_unstable_by(most - 1, |a, b| b.cmp(a));
        gains.iter().take(most).map(|&g| f64::from(g)).sum()
    }

    /// The greedy for maximum coverage under `constraint` among `candidates`,
    /// committing its picks, with an upper bound of the optimum's coverage in
    /// [`Picks::optimum_bound`] (Tang et al. 2018, OPIM's bound): after `i`
    /// picks no feasible set (at most `K` customers, `K` the most the constraint
    /// allows) covers more than the sets covered so far plus the `K` largest
    /// current gains (submodularity), and the bound is the least of these.
    ///
    /// Under a count every state `0..=k` is bounded, on a lazy queue of integer
    /// keys (a stale key is refreshed when it comes to the top, O(1) with the
    /// exact counts); customers without a gain leave the queue and fill the
    /// last picks in node order, as the lazy greedy with them would (ties to the
    /// lowest node). Under a budget the picks are [`lazy_greedy`]'s
    /// (cost-effectiveness, best-single safeguard), bounded at the first and the
    /// last state.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] from the budget arithmetic.
    ///
    /// # Complexity
    /// O(n + members of the covered sets + k·K·log n) under a count.
    pub(crate) fn greedy(&mut self, candidates: &[bool], constraint: &Constraint) -> Result<Picks> {
        self.greedy_bounding(candidates, constraint, true)
    }

    /// The same picks as [`greedy`](Self::greedy), without the optimum's bound
    /// under a count ([`Picks::optimum_bound`] is `None` then): one fresh key
    /// per pick instead of the `K` largest (IMM needs no bound).
    ///
    /// # Errors
    /// As [`greedy`](Self::greedy).
    pub(crate) fn greedy_picks(
        &mut self,
        candidates: &[bool],
        constraint: &Constraint,
    ) -> Result<Picks> {
        self.greedy_bounding(candidates, constraint, false)
    }

    fn greedy_bounding(
        &mut self,
        candidates: &[bool],
        constraint: &Constraint,
        bounding: bool,
    ) -> Result<Picks> {
        let nodes: Vec<u32> = (0..candidates.len() as u32)
            .filter(|&v| candidates.get(v as usize).copied().unwrap_or(false))
            .collect();
        let most = constraint.max_picks(&nodes);
        if constraint.is_budget() {
            let first = self.largest_gains(candidates, most);
            let mut picks = lazy_greedy(self, candidates, constraint)?;
            let covered: u64 = self.covered.iter().map(|w| u64::from(w.count_ones())).sum();
            let last = covered as f64 + self.largest_gains(candidates, most);
            picks.optimum_bound = Some(first.min(last));
            return Ok(picks);
        }
        let mut queue: BinaryHeap<u64> = nodes
            .iter()
            .filter(|&&v| self.count(v) > 0)
            .map(|&v| key(self.count(v), v))
            .collect();
        let mut picks = Picks::default();
        let mut bound = f64::INFINITY;
        let mut value = 0u64;
        let mut fresh: Vec<u64> = Vec::with_capacity(most);
        // Fresh keys wanted each round: the `most` largest for the bound, or
        // the one to pick.
        let wanted = if bounding { most } else { most.min(1) };
        for round in 0..=most {
            // The `wanted` largest current gains, fresh on top of the queue.
            fresh.clear();
            while fresh.len() < wanted {
                let Some(top) = queue.pop() else { break };
                let (stale, v) = unkey(top);
                let gain = self.count(v);
                if gain == stale {
                    fresh.push(top);
                } else if gain > 0 {
                    queue.push(key(gain, v));
                }
            }
            let largest: u64 = fresh.iter().map(|&k| u64::from(unkey(k).0)).sum();
            bound = bound.min((value + largest) as f64);
            queue.extend(fresh.iter().skip(1));
            if round == most {
                break;
            }
            let Some(&top) = fresh.first() else { break };
            let (gain, v) = unkey(top);
            self.commit(v, f64::from(gain));
            value += u64::from(gain);
            picks.nodes.push(v);
            picks.gains.push(f64::from(gain));
        }
        // No gain left: the lowest-numbered candidates not yet picked.
        if picks.nodes.len() < most {
            let mut picked = vec![false; candidates.len()];
            for &v in &picks.nodes {
                if let Some(p) = picked.get_mut(v as usize) {
                    *p = true;
                }
            }
            let fill: Vec<u32> = nodes
                .iter()
                .copied()
                .filter(|&v| !picked.get(v as usize).copied().unwrap_or(true))
                .take(most - picks.nodes.len())
                .collect();
            for v in fill {
                picks.nodes.push(v);
                picks.gains.push(0.0);
            }
        }
        picks.optimum_bound = bounding.then_some(bound);
        Ok(picks)
    }
}

impl Marginal for CoverageGain<'_> {
    fn gain(&self, v: u32) -> Result<f64> {
        Ok(f64::from(self.count(v)))
    }

    fn commit(&mut self, v: u32, _gain: f64) {
        let list = self.index.sets_of(v);
        for (i, &r) in list.iter().enumerate() {
            prefetch_ahead(self.sets, list, i);
            let r = r as usize;
            let Some(word) = self.covered.get_mut(r / 64) else {
                continue;
            };
            if (*word >> (r % 64)) & 1 == 1 {
                continue;
            }
            *word |= 1 << (r % 64);
            for &w in self.sets.nodes.get(self.sets.range(r)).unwrap_or(&[]) {
                if let Some(c) = self.uncovered.get_mut(w as usize) {
                    *c = c.saturating_sub(1);
                }
            }
        }
    }

    fn base(&self) -> f64 {
        0.0
    }
}

/// Hints the processor to fetch the sets a loop over `list` (sets by number)
/// will read after its `i`-th: the sets of one node lie anywhere in memory, so
/// their offsets are fetched `2 · AHEAD` sets ahead and their members `AHEAD`.
#[inline(always)]
fn prefetch_ahead(sets: &RrSets, list: &[u32], i: usize) {
    const AHEAD: usize = 8;
    if let Some(&later) = list.get(i + 2 * AHEAD) {
        prefetch(&sets.offsets, later as usize);
    }
    if let Some(&soon) = list.get(i + AHEAD) {
        if let Some(&start) = sets.offsets.get(soon as usize) {
            prefetch(&sets.nodes, start as usize);
        }
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
        let list = index.sets_of(best);
        for (i, &r) in list.iter().enumerate() {
            prefetch_ahead(sets, list, i);
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
                let lazy = CoverageGain::new(&sets, &index)
                    .greedy(&candidates, &constraint)
                    .unwrap();
                let generic = lazy_greedy(
                    &mut CoverageGain::new(&sets, &index),
                    &candidates,
                    &constraint,
                )
                .unwrap();
                assert_eq!(lazy.nodes, generic.nodes);
                assert_eq!(lazy.gains, generic.gains);
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
        // Built in three steps (old lists moved up twice), on one thread (the
        // serial path) and on two (two chunks a step).
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut index = InvertedIndex::new(n);
                for end in [1_024, 3_072] {
                    let mut part = RrSets::new();
                    part.nodes = sets.nodes[..sets.offsets[end] as usize].to_vec();
                    part.offsets = sets.offsets[..=end].to_vec();
                    index.extend(&part);
                    assert_eq!(index.chunks_of_last_build(), threads);
                }
                index.extend(&sets);
                index
            })
        };
        let (index, two) = (build(1), build(2));
        for v in 0..n as u32 {
            assert_eq!(index.sets_of(v), two.sets_of(v));
        }
        for v in 0..n as u32 {
            let expected: Vec<u32> = (0..sets.len() as u32)
                .filter(|&r| sets.nodes[sets.range(r as usize)].contains(&v))
                .collect();
            assert_eq!(index.sets_of(v), expected.as_slice(), "node {v}");
        }
    }

    /// The most sets any `k` of `candidates` cover, by brute force.
    fn best_coverage(sets: &RrSets, n: usize, k: usize, candidates: &[bool]) -> usize {
        let holds: Vec<Vec<bool>> = (0..n as u32)
            .map(|v| {
                (0..sets.len())
                    .map(|r| sets.nodes[sets.range(r)].contains(&v))
                    .collect()
            })
            .collect();
        let nodes: Vec<usize> = (0..n).filter(|&v| candidates[v]).collect();
        let mut best = 0;
        for (i, &a) in nodes.iter().enumerate() {
            if k == 1 {
                best = best.max(holds[a].iter().filter(|&&h| h).count());
                continue;
            }
            for &b in &nodes[i + 1..] {
                let c = (0..sets.len())
                    .filter(|&r| holds[a][r] || holds[b][r])
                    .count();
                best = best.max(c);
            }
        }
        best
    }

    #[test]
    fn the_greedy_bounds_the_optimum_from_above() {
        for seed in 0..3 {
            let (mut sets, n) = random_sets(seed);
            sets.nodes.truncate(sets.offsets[512] as usize);
            sets.offsets.truncate(513);
            let mut index = InvertedIndex::new(n);
            index.extend(&sets);
            let mut candidates = vec![true; n];
            candidates[5] = false;
            for k in [1, 2] {
                let optimum = best_coverage(&sets, n, k, &candidates) as f64;
                let picks = CoverageGain::new(&sets, &index)
                    .greedy(&candidates, &Constraint::count(k))
                    .unwrap();
                let bound = picks.optimum_bound.unwrap();
                assert!(
                    picks.total() <= optimum && optimum <= bound,
                    "{picks:?} {optimum}"
                );
                // Without the bound: the same picks, no bound.
                let unbounded = CoverageGain::new(&sets, &index)
                    .greedy_picks(&candidates, &Constraint::count(k))
                    .unwrap();
                assert_eq!(
                    (&unbounded.nodes, &unbounded.gains),
                    (&picks.nodes, &picks.gains)
                );
                assert_eq!(unbounded.optimum_bound, None);
                // The bound at the first state alone is the k largest counts.
                let mut counts: Vec<usize> = (0..n as u32)
                    .filter(|&v| v != 5)
                    .map(|v| index.sets_of(v).len())
                    .collect();
                counts.sort_unstable_by(|a, b| b.cmp(a));
                assert!(bound <= counts[..k].iter().sum::<usize>() as f64);
            }
            // Under a budget (at most two customers fit): the same brute force.
            let costs: Vec<Decimal> = (0..n).map(|v| Decimal::from(1 + v % 3)).collect();
            let cheap: Vec<bool> = (0..n).map(|v| candidates[v] && v % 3 == 0).collect();
            let budget = Constraint::budget(costs, Decimal::from(2), None).unwrap();
            let picks = CoverageGain::new(&sets, &index)
                .greedy(&cheap, &budget)
                .unwrap();
            let optimum = best_coverage(&sets, n, 2, &cheap) as f64;
            let bound = picks.optimum_bound.unwrap();
            assert!(
                picks.total() <= optimum && optimum <= bound,
                "{picks:?} {optimum}"
            );
        }
    }
}
