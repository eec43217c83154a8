//! CELF (Leskovec et al. 2007): the lazy greedy on marginal gains from an oracle
//! (Monte Carlo on common random numbers, exact enumeration, or RR-set coverage).
//!
//! A candidate's marginal gain can only shrink as seeds are added (submodularity),
//! so the gain computed in an earlier round is an upper bound: the candidate on top
//! of the priority queue is accepted as soon as its gain is fresh for the current
//! round, and only the candidates that reach the top are re-evaluated. For a
//! submodular objective it picks exactly what the plain greedy picks (ties go to
//! the lowest node in both).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::costs::{Constraint, Spend};
use crate::error::{Error, Result};
use crate::propagation::{CompiledNetwork, Model, MonteCarlo, exact};

/// Marginal gains with respect to the seeds committed so far.
pub(crate) trait Marginal: Sync {
    /// The gain of adding `v`.
    ///
    /// # Errors
    /// Whatever the oracle reports.
    fn gain(&self, v: u32) -> Result<f64>;
    /// Commits `v`, whose gain is `gain`.
    fn commit(&mut self, v: u32, gain: f64);
    /// The objective of the empty seed set.
    fn base(&self) -> f64;
}

/// A set function evaluated from scratch, as marginal gains.
#[derive(Debug)]
pub(crate) struct FromScratch<V> {
    value: V,
    seeds: Vec<u32>,
    current: f64,
    base: f64,
}

impl<V: SetValue> FromScratch<V> {
    /// Starts from the empty seed set.
    ///
    /// # Errors
    /// The oracle's, evaluating the empty set.
    pub(crate) fn new(value: V) -> Result<Self> {
        let current = value.value(&[])?;
        Ok(FromScratch {
            value,
            seeds: Vec::new(),
            current,
            base: current,
        })
    }
}

impl<V: SetValue> Marginal for FromScratch<V> {
    fn gain(&self, v: u32) -> Result<f64> {
        let mut with = Vec::with_capacity(self.seeds.len() + 1);
        with.extend_from_slice(&self.seeds);
        with.push(v);
        Ok(self.value.value(&with)? - self.current)
    }

    fn commit(&mut self, v: u32, gain: f64) {
        self.seeds.push(v);
        self.current += gain;
    }

    fn base(&self) -> f64 {
        self.base
    }
}

/// The value of a seed set (node numbers), as the greedy sees it.
pub(crate) trait SetValue: Sync {
    /// The objective for `seeds`.
    ///
    /// # Errors
    /// Whatever the oracle reports.
    fn value(&self, seeds: &[u32]) -> Result<f64>;
}

/// Monte Carlo on common random numbers: every call simulates the same worlds
/// (same seed and runs), so differences are paired. In the signed cascade the value
/// is `positive − λ × negative` reach.
#[derive(Debug)]
pub(crate) struct MonteCarloValue<'a> {
    pub network: &'a CompiledNetwork,
    pub estimator: MonteCarlo,
    pub adversaries: &'a [u32],
    pub negative_weight: f64,
}

impl SetValue for MonteCarloValue<'_> {
    fn value(&self, seeds: &[u32]) -> Result<f64> {
        let est = self
            .estimator
            .estimate_nodes(self.network, seeds, self.adversaries)?;
        Ok(match est.signed {
            Some(s) => s.positive.mean - self.negative_weight * s.negative.mean,
            None => est.mean,
        })
    }
}

/// The exact expected spread by live-edge enumeration (tiny graphs only).
#[derive(Debug)]
pub(crate) struct ExactValue<'a> {
    pub network: &'a CompiledNetwork,
    pub model: Model,
}

impl SetValue for ExactValue<'_> {
    fn value(&self, seeds: &[u32]) -> Result<f64> {
        let ids = seeds
            .iter()
            .map(|&v| {
                self.network
                    .customer(v)
                    .ok_or_else(|| Error::invalid("seeds", format!("node {v} is out of range")))
            })
            .collect::<Result<Vec<_>>>()?;
        exact::expected_spread(self.network, self.model, ids.iter().map(|c| c.as_str()))
    }
}

/// What a greedy chose.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Picks {
    /// The chosen nodes, in order.
    pub nodes: Vec<u32>,
    /// Each pick's marginal gain, in the oracle's units.
    pub gains: Vec<f64>,
    /// The objective of the empty seed set.
    pub base: f64,
    /// Whether the best single customer replaced the greedy's picks (budget
    /// safeguard).
    pub single_won: bool,
    /// RR-set coverage only: an upper bound of the best value any feasible seed
    /// set reaches, in the oracle's units (see
    /// [`CoverageGain::greedy`](super::coverage::CoverageGain::greedy)).
    pub optimum_bound: Option<f64>,
}

impl Picks {
    /// The objective after the picks.
    pub(crate) fn total(&self) -> f64 {
        self.base + self.gains.iter().sum::<f64>()
    }
}

/// A queue entry: a candidate's gain as of round `round`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    score: f64,
    node: u32,
    round: usize,
    gain: f64,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Higher score first, then the lower node.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.node.cmp(&self.node))
    }
}

/// CELF among `candidates` (by node) under `constraint`. Never picks a customer
/// with a negative gain; under a budget, returns the better of the cost-effective
/// lazy greedy and the best single affordable customer.
///
/// # Errors
/// The oracle's errors; [`Error::Overflow`] from the budget arithmetic.
///
/// # Complexity
/// One oracle call per candidate to start (in parallel), then one per
/// re-evaluation (typically a few per pick).
pub(crate) fn lazy_greedy<M: Marginal>(
    oracle: &mut M,
    candidates: &[bool],
    constraint: &Constraint,
) -> Result<Picks> {
    let nodes: Vec<u32> = (0..candidates.len() as u32)
        .filter(|&v| candidates.get(v as usize).copied().unwrap_or(false))
        .collect();
    let singles: Vec<f64> = {
        let oracle = &*oracle;
        nodes
            .par_iter()
            .map(|&v| oracle.gain(v))
            .collect::<Result<Vec<f64>>>()?
    };
    let mut heap: BinaryHeap<Entry> = nodes
        .iter()
        .zip(&singles)
        .map(|(&node, &gain)| Entry {
            score: constraint.score(node, gain),
            node,
            round: 0,
            gain,
        })
        .collect();
    let mut picks = Picks {
        base: oracle.base(),
        ..Picks::default()
    };
    let mut spend = Spend::default();
    while constraint.open(spend) {
        let Some(top) = heap.pop() else { break };
        if !constraint.fits(top.node, spend) {
            continue; // the spend only grows: it will never fit
        }
        if top.round == picks.nodes.len() {
            if top.gain < 0.0 || top.score.is_nan() {
                break;
            }
            spend = constraint.charge(top.node, spend)?;
            oracle.commit(top.node, top.gain);
            picks.nodes.push(top.node);
            picks.gains.push(top.gain);
            continue;
        }
        let gain = oracle.gain(top.node)?;
        heap.push(Entry {
            score: constraint.score(top.node, gain),
            node: top.node,
            round: picks.nodes.len(),
            gain,
        });
    }
    if constraint.is_budget() {
        let mut by_node = vec![f64::NAN; candidates.len()];
        for (&v, &gain) in nodes.iter().zip(&singles) {
            if let Some(slot) = by_node.get_mut(v as usize) {
                *slot = gain;
            }
        }
        if let Some(single) = constraint.best_single(&by_node, candidates) {
            let gain = by_node.get(single as usize).copied().unwrap_or(f64::NAN);
            if gain > picks.gains.iter().sum::<f64>() {
                picks.nodes = vec![single];
                picks.gains = vec![gain];
                picks.single_won = true;
            }
        }
    }
    Ok(picks)
}
