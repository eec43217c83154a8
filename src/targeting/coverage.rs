//! The greedy on RR sets: pick, again and again, the customer whose addition
//! raises the RR estimate of the objective the most (per unit of cost under a
//! budget), keeping every customer's marginal gain exact as the picks change the
//! sets' states.
//!
//! One mechanism serves both objectives through a [`Rule`] that says what a set is
//! worth in a given state: plain coverage for the spread (a set is worth 1 once any
//! seed is in it) and the signed rule (a set is worth +1 if its root ends positive,
//! `−λ` if negative, given who arrives first).

use rayon::prelude::*;

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

/// Plain coverage: a set is worth 1 once it holds a seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cover;

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

/// What the greedy chose.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Picks {
    /// The chosen nodes, in order.
    pub nodes: Vec<u32>,
    /// Each pick's marginal gain, summed over the sets (divide by the number of
    /// sets and multiply by `n` for the spread scale).
    pub gains: Vec<f64>,
    /// The worth of all sets before any pick.
    pub base: f64,
    /// Bytes of the greedy's own state (gains, set states).
    pub state_bytes: usize,
    /// Whether the best single customer replaced the greedy's picks (budget
    /// safeguard).
    pub single_won: bool,
}

impl Picks {
    /// The worth of all sets after the picks.
    pub(crate) fn total(&self) -> f64 {
        self.base + self.gains.iter().sum::<f64>()
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
}

impl InvertedIndex {
    /// An empty index over `n` nodes.
    pub(crate) fn new(n: usize) -> Self {
        InvertedIndex {
            offsets: vec![0; n + 1],
            sets: Vec::new(),
            indexed: 0,
        }
    }

    /// Indexes the sets of `sets` added since the last call: a counting sort of
    /// the new members merged behind each node's existing list, filled in parallel
    /// by ranges of nodes (each range owns one contiguous slice of the index). The
    /// index does not depend on how the ranges fall.
    ///
    /// # Complexity
    /// O(old index) for the copy plus O(new members) for the fill, per range.
    pub(crate) fn extend(&mut self, sets: &RrSets) {
        let n = self.offsets.len().saturating_sub(1);
        let first = self.indexed.min(sets.len());
        let new_start = sets.offsets.get(first).copied().unwrap_or(0) as usize;
        let new_members = sets.nodes.get(new_start..).unwrap_or(&[]);
        let mut added = vec![0u64; n + 1];
        for &v in new_members {
            if let Some(c) = added.get_mut(v as usize + 1) {
                *c += 1;
            }
        }
        for i in 0..n {
            added[i + 1] += added[i];
        }
        // New offsets: old list plus the new members, node after node.
        let offsets: Vec<u64> = self
            .offsets
            .iter()
            .zip(&added)
            .map(|(o, a)| o + a)
            .collect();
        let total = offsets.last().copied().unwrap_or(0);
        let parts = (rayon::current_num_threads() * 2).clamp(1, n.max(1));
        let mut bounds = vec![0usize];
        for j in 1..parts {
            let target = total * j as u64 / parts as u64;
            let b = offsets.partition_point(|&o| o < target).min(n);
            if b > bounds.last().copied().unwrap_or(0) {
                bounds.push(b);
            }
        }
        if bounds.last().copied() != Some(n) {
            bounds.push(n);
        }
        let mut index = vec![0u32; total as usize];
        let mut slices = Vec::with_capacity(bounds.len());
        let mut rest: &mut [u32] = &mut index;
        for w in bounds.windows(2) {
            let (lo, hi) = (w[0], w[1]);
            let len = offsets
                .get(hi)
                .zip(offsets.get(lo))
                .map_or(0, |(h, l)| h - l) as usize;
            let taken = std::mem::take(&mut rest);
            let at = len.min(taken.len());
            let (head, tail) = taken.split_at_mut(at);
            slices.push((lo, hi, head));
            rest = tail;
        }
        let old = &self.offsets;
        let old_sets = &self.sets;
        slices.into_par_iter().for_each(|(lo, hi, slice)| {
            let base = offsets.get(lo).copied().unwrap_or(0);
            let mut cursor = Vec::with_capacity(hi - lo);
            for v in lo..hi {
                let (Some(&o_lo), Some(&o_hi), Some(&start)) =
                    (old.get(v), old.get(v + 1), offsets.get(v))
                else {
                    break;
                };
                let at = (start - base) as usize;
                let len = (o_hi - o_lo) as usize;
                if let (Some(dst), Some(src)) = (
                    slice.get_mut(at..at + len),
                    old_sets.get(o_lo as usize..o_hi as usize),
                ) {
                    dst.copy_from_slice(src);
                }
                cursor.push((at + len) as u64);
            }
            for r in first..sets.len() {
                for &v in sets.nodes.get(sets.range(r)).unwrap_or(&[]) {
                    let v = v as usize;
                    if v < lo || v >= hi {
                        continue;
                    }
                    if let Some(c) = cursor.get_mut(v - lo) {
                        if let Some(x) = slice.get_mut(*c as usize) {
                            *x = r as u32;
                        }
                        *c += 1;
                    }
                }
            }
        });
        self.offsets = offsets;
        self.sets = index;
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

    /// Heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 8 + self.sets.capacity() * 4
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
        state_bytes: state.capacity() * 4 + gains.capacity() * 8 + picked.capacity(),
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
