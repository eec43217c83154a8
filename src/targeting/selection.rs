//! [`Selection`]: what every targeting strategy returns, and the independent
//! Monte Carlo evaluation that gives its spread an honest confidence interval.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Algorithm;
use crate::customer::CustomerId;
use crate::error::Result;
use crate::progress::Progress;
use crate::propagation::{
    CompiledNetwork, Model, MonteCarlo, MonteCarloSettings, SignedReach, Summary, Z_95,
};

/// The customers a strategy chose, with what they are expected to achieve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Selection {
    /// The strategy that chose them.
    pub algorithm: Algorithm,
    /// The diffusion model of the objective.
    pub model: Model,
    /// The chosen customers, in the order they were picked.
    pub seeds: Vec<CustomerId>,
    /// The marginal gain of each pick in the objective's units (customers). IMM
    /// and CELF report their own estimate (RR-set coverage, Monte Carlo on common
    /// random numbers); the heuristics estimate nothing, so their gains are
    /// differences of prefix spreads by Monte Carlo on common random numbers
    /// ([`Targeting::gains`](super::Targeting::gains) runs).
    pub marginal_gains: Vec<f64>,
    /// The cost of each pick (budgeted selections; empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub costs: Vec<Decimal>,
    /// The total cost (budgeted selections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<Decimal>,
    /// The budget (budgeted selections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Decimal>,
    /// The independent Monte Carlo evaluation of the chosen customers.
    pub evaluation: Evaluation,
    /// The approximation ratio the strategy certifies for this selection, when
    /// it certifies one (see [`Selection::certified_ratio`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guarantee: Option<Guarantee>,
    /// IMM and OPIM: the RR sets they drew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rr_sets: Option<RrSetStats>,
    /// Wall-clock times.
    pub timings: Timings,
}

impl Selection {
    /// The evaluated expected spread (customers reached, on either side).
    pub fn spread(&self) -> Summary {
        self.evaluation.spread
    }

    /// The approximation ratio this selection is certified to reach: its
    /// objective is at least this fraction of the best any feasible seed set
    /// reaches, with the probability of its [`Guarantee`]. OPIM's ratio is
    /// certified after the fact from its RR sets (and is usually far above the
    /// worst case); IMM's and the exact greedy's is their worst case,
    /// `1 − 1/e − ε` and `1 − 1/e` (halved under a budget). `None` for the
    /// strategies that certify nothing (see the table in [`crate::targeting`]).
    pub fn certified_ratio(&self) -> Option<f64> {
        self.guarantee.map(|g| g.ratio)
    }
}

/// An independent Monte Carlo evaluation of a seed set: its own seed stream,
/// apart from the one the selection used, so the selection's luck does not leak
/// into its reported value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evaluation {
    /// Runs simulated.
    pub runs: u64,
    /// The master seed of the evaluation.
    pub seed: u64,
    /// Customers reached (seeds included; both sides in the signed cascade).
    pub spread: Summary,
    /// Signed objective only: positive and negative reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<SignedReach>,
    /// The objective: the spread, or `positive − λ × negative` reach. For the
    /// signed objective the standard error is the conservative bound
    /// `se(positive) + λ · se(negative)` (the runs' covariance is not tracked).
    pub objective: Summary,
}

/// An approximation guarantee: the objective of the selection is at least
/// `ratio × optimum` with probability at least `probability` (over the
/// algorithm's own sampling).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Guarantee {
    /// The approximation ratio.
    pub ratio: f64,
    /// The probability with which it holds.
    pub probability: f64,
    /// OPIM: the two bounds the ratio was certified from (`None` for a worst-case
    /// guarantee known before the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Certificate>,
}

/// The bounds behind a ratio certified after the fact: with the guarantee's
/// probability, both hold together, so `spread_lower_bound /
/// optimum_upper_bound` is a valid ratio.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Certificate {
    /// The selection's expected spread is at least this.
    pub spread_lower_bound: f64,
    /// No feasible seed set's expected spread exceeds this.
    pub optimum_upper_bound: f64,
}

/// Why OPIM stopped drawing RR sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stop {
    /// The certified ratio reached the target: `(1 − 1/e − ε)` (halved under a
    /// money budget), or 1 under an RR or time budget.
    RatioReached,
    /// The collections reached the size that guarantees the target before the
    /// run (OPIM-C's `θ_max`), or 2³¹ sets each, the most the set numbering
    /// holds (then only the certified ratio holds).
    SampleLimit,
    /// The next doubling would have drawn more RR sets than
    /// [`Targeting::rr_budget`](super::Targeting::rr_budget) allows.
    RrBudget,
    /// [`Targeting::time_budget`](super::Targeting::time_budget) ran out.
    TimeBudget,
}

/// What the reverse-reachable sets of IMM or OPIM took.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RrSetStats {
    /// Every RR set drawn, all phases and collections together.
    #[serde(default)]
    pub drawn: u64,
    /// Sets drawn for a lower bound: IMM's sampling phase (of the optimum);
    /// OPIM's validation collection at the returned selection (of its spread).
    pub sampling_sets: u64,
    /// Sets the greedy chose on: IMM's node selection (with
    /// [`ImmSampling::Reused`](super::ImmSampling::Reused), the sampling phase's
    /// sets included); OPIM's selection collection at the returned selection.
    pub final_sets: u64,
    /// Members of the sets the greedy chose on.
    pub members: u64,
    /// A lower bound of the optimum: IMM's sampling phase finds it; OPIM bounds
    /// the selection's own spread, which is no more than the optimum.
    pub lower_bound: f64,
    /// The RR estimate of the objective of the chosen customers (`n ×` covered
    /// fraction of the sets the greedy chose on).
    pub rr_estimate: f64,
    /// Peak bytes of RR storage (members, offsets, tags) plus the greedy's inverted
    /// index and state, plus the reverse graph the sampler walks.
    pub memory_bytes: u64,
    /// Time spent in IMM or OPIM, milliseconds.
    pub elapsed_ms: f64,
    /// Of which drawing RR sets, milliseconds.
    pub sampling_ms: f64,
    /// Of which indexing the sets, running the greedy and bounding, milliseconds.
    pub greedy_ms: f64,
    /// OPIM: why it stopped drawing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<Stop>,
}

/// Wall-clock times, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Timings {
    /// Building the network's RR-set sampling arrays (IMM and OPIM; 0 when the
    /// network had them already, see
    /// [`CompiledNetwork::prepare_rr_sets`](crate::propagation::CompiledNetwork::prepare_rr_sets)).
    #[serde(default)]
    pub prepare_ms: f64,
    /// The selection alone (the sampling arrays built beforehand).
    pub selection_ms: f64,
    /// Monte Carlo estimation of the heuristics' marginal gains (0 for IMM and CELF).
    pub gains_ms: f64,
    /// The independent evaluation.
    pub evaluation_ms: f64,
}

/// The objective as a [`Summary`] from an estimate's parts.
fn objective(spread: Summary, signed: Option<SignedReach>, negative_weight: f64) -> Summary {
    match signed {
        None => spread,
        Some(s) => {
            let mean = s.positive.mean - negative_weight * s.negative.mean;
            let std_err = s.positive.std_err + negative_weight * s.negative.std_err;
            Summary {
                mean,
                std_err,
                ci95: [mean - Z_95 * std_err, mean + Z_95 * std_err],
            }
        }
    }
}

/// Evaluates `seeds` against `adversaries` with the runs and seed of `settings`.
///
/// # Errors
/// As [`MonteCarlo::estimate_nodes`].
pub(crate) fn evaluate(
    network: &CompiledNetwork,
    model: Model,
    seeds: &[u32],
    adversaries: &[u32],
    negative_weight: f64,
    settings: MonteCarloSettings,
    progress: &Progress,
) -> Result<Evaluation> {
    let seed = settings.seed();
    let est = MonteCarlo::new(model)
        .settings(settings.on_current_pool())
        .progress(progress)
        .estimate_nodes(network, seeds, adversaries)?;
    let signed = match model {
        Model::Signed { .. } => est.signed,
        _ => None,
    };
    Ok(Evaluation {
        runs: est.runs,
        seed,
        spread: est.summary(),
        signed,
        objective: objective(est.summary(), signed, negative_weight),
    })
}

/// The marginal gain of each prefix of `seeds` by Monte Carlo on common random
/// numbers (every prefix simulated on the same worlds).
///
/// # Errors
/// As [`MonteCarlo::estimate_nodes`].
pub(crate) fn prefix_gains(
    network: &CompiledNetwork,
    model: Model,
    seeds: &[u32],
    adversaries: &[u32],
    negative_weight: f64,
    settings: MonteCarloSettings,
    progress: &Progress,
) -> Result<Vec<f64>> {
    let mut previous = evaluate(
        network,
        model,
        &[],
        adversaries,
        negative_weight,
        settings,
        progress,
    )?
    .objective
    .mean;
    let mut gains = Vec::with_capacity(seeds.len());
    for end in 1..=seeds.len() {
        let prefix = seeds.get(..end).unwrap_or(seeds);
        let value = evaluate(
            network,
            model,
            prefix,
            adversaries,
            negative_weight,
            settings,
            progress,
        )?
        .objective
        .mean;
        gains.push(value - previous);
        previous = value;
    }
    Ok(gains)
}
