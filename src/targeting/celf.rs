//! CELF (Leskovec et al. 2007): the lazy greedy on a set function evaluated by an
//! oracle (Monte Carlo on common random numbers, or exact enumeration).
//!
//! A candidate's marginal gain can only shrink as seeds are added (submodularity),
//! so the gain computed in an earlier round is an upper bound: the candidate on top
//! of the priority queue is accepted as soon as its gain is fresh for the current
//! round, and only the candidates that reach the top are re-evaluated.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::costs::{Constraint, Spend};
use crate::error::{Error, Result};
use crate::propagation::{CompiledNetwork, Model, MonteCarlo, exact};

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

/// What the lazy greedy chose.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct LazyPicks {
    pub nodes: Vec<u32>,
    pub gains: Vec<f64>,
    /// Oracle calls made.
    pub evaluations: u64,
    /// Whether the best single customer replaced the greedy's picks.
    pub single_won: bool,
}

/// A queue entry: a candidate's gain as of round `round`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    score: f64,
    node: u32,
    round: usize,
    gain: f64,
    /// The value of the seeds of round `round` plus this candidate.
    value_with: f64,
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
/// One oracle call per candidate to start, then one per re-evaluation (typically a
/// few per pick).
pub(crate) fn lazy_greedy<V: SetValue>(
    oracle: &V,
    candidates: &[bool],
    constraint: &Constraint,
) -> Result<LazyPicks> {
    let nodes: Vec<u32> = (0..candidates.len() as u32)
        .filter(|&v| candidates.get(v as usize).copied().unwrap_or(false))
        .collect();
    let base = oracle.value(&[])?;
    let singles: Vec<f64> = nodes
        .par_iter()
        .map(|&v| oracle.value(&[v]))
        .collect::<Result<Vec<f64>>>()?;
    let mut picks = LazyPicks {
        evaluations: 1 + nodes.len() as u64,
        ..LazyPicks::default()
    };
    let mut heap: BinaryHeap<Entry> = nodes
        .iter()
        .zip(&singles)
        .map(|(&node, &value_with)| {
            let gain = value_with - base;
            Entry {
                score: constraint.score(node, gain),
                node,
                round: 0,
                gain,
                value_with,
            }
        })
        .collect();
    let mut chosen: Vec<u32> = Vec::new();
    let mut current = base;
    let mut spend = Spend::default();
    while constraint.open(spend) {
        let Some(top) = heap.pop() else { break };
        if !constraint.fits(top.node, spend) {
            continue; // the spend only grows: it will never fit
        }
        if top.round == chosen.len() {
            if top.gain < 0.0 || top.score.is_nan() {
                break;
            }
            spend = constraint.charge(top.node, spend)?;
            chosen.push(top.node);
            picks.gains.push(top.gain);
            current = top.value_with;
            continue;
        }
        chosen.push(top.node);
        let value_with = oracle.value(&chosen);
        chosen.pop();
        let value_with = value_with?;
        picks.evaluations += 1;
        let gain = value_with - current;
        heap.push(Entry {
            score: constraint.score(top.node, gain),
            node: top.node,
            round: chosen.len(),
            gain,
            value_with,
        });
    }
    picks.nodes = chosen;
    if constraint.is_budget() {
        let mut by_node = vec![f64::NAN; candidates.len()];
        for (&v, &value) in nodes.iter().zip(&singles) {
            if let Some(slot) = by_node.get_mut(v as usize) {
                *slot = value - base;
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
