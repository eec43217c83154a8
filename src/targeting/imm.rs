//! IMM (Tang, Shi & Xiao, SIGMOD 2015): how many RR sets are enough, and the
//! two phases that find out.
//!
//! 1. **Sampling** (IMM's Algorithm 2): for `x = n/2, n/4, …` draw
//!    `θᵢ = λ′/x` RR sets and run the greedy; the first time its coverage estimate
//!    reaches `(1 + ε′)·x`, `LB = estimate / (1 + ε′)` is a lower bound of the
//!    optimum (with high probability); `ε′ = √2·ε`. A round in which even the
//!    largest possible coverage (the sum of the `k` largest per-customer counts)
//!    falls short skips the greedy: the test could not pass.
//! 2. **Node selection**: `θ = λ*/LB` RR sets, the greedy on them.
//!
//! Following Chen (2018, "An issue in the martingale analysis of the influence
//! maximization algorithm IMM"), the node-selection sets are drawn afresh from a
//! stream independent of the sampling phase's, which restores the guarantee at the
//! price of drawing the sampling-phase sets once more than the original.
//!
//! With a selection that is a `ρ`-approximation of maximum coverage (`ρ = 1 − 1/e`
//! for the cardinality greedy, `(1 − 1/e)/2` for the budgeted greedy with its
//! best-single safeguard), the constants are
//! `λ′ = (2 + ⅔ε′)(ln|𝒮| + ℓ′ ln n + ln log₂ n)·n/ε′²` and
//! `λ* = 2n(ρ·α + β)²/ε²`, `α = √(ℓ′ ln n + ln 2)`, `β = √(ρ(ln|𝒮| + ℓ′ ln n + ln 2))`,
//! where `ℓ′ = ℓ(1 + ln 2/ln n)` and `|𝒮|` bounds the number of feasible seed sets:
//! `C(N, k)` for `k` of `N` candidates, `(K + 1)·C(N, K)` under a budget that buys at
//! most `K` of them. Then the result is a `(ρ − ε)`-approximation with
//! probability at least `1 − 1/n^ℓ`.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::celf::Picks;
use super::costs::Constraint;
use super::coverage::{CoverageGain, SignedRule, greedy};
use super::feasible::{Feasible, GREEDY_RATIO, renumbered};
use super::rr_sets::{InvertedIndex, RrSets, Sampler, Walk};
use super::selection::RrSetStats;
use crate::error::{Error, Result};
use crate::propagation::CompiledNetwork;

/// Where IMM's node-selection phase gets its RR sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ImmSampling {
    /// Fresh sets, independent of the sampling phase's (Chen 2018's fix of the
    /// martingale analysis): the `(1 − 1/e − ε)` guarantee holds. About twice the
    /// sets of [`Reused`](Self::Reused) on typical inputs.
    #[default]
    Independent,
    /// The sampling phase's sets, topped up to `θ` on the same stream: IMM as
    /// published (Tang, Shi & Xiao 2015) and as most implementations run it
    /// (PyNetIM's among them). Chen (2018) showed its proof incomplete, so no
    /// guarantee is reported. For like-for-like comparisons. The signed objective
    /// always draws fresh signed sets.
    Reused,
}

/// Mixed into the seed for the node-selection phase's stream.
const SELECTION_STREAM: u64 = 0x696d_6d2d_7365_6c65; // "imm-sele"

/// The settings of one IMM run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ImmSettings {
    pub epsilon: f64,
    pub ell: f64,
    pub seed: u64,
    pub sampling: ImmSampling,
}

/// What IMM maximises.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ImmObjective<'a> {
    /// The expected spread under Independent Cascade or Linear Threshold.
    Spread(Walk),
    /// Positive minus λ × negative reach of the signed cascade.
    Signed {
        adversaries: &'a [u32],
        negative_weight: f64,
        negativity_bias: f64,
    },
}

/// IMM's result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImmOutcome {
    pub nodes: Vec<u32>,
    /// Marginal gains on the spread scale.
    pub gains: Vec<f64>,
    pub stats: RrSetStats,
    /// The approximation ratio `ρ − ε` of the guarantee (0 when `ε ≥ ρ`).
    pub ratio: f64,
}

/// IMM's constants for `n` nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SampleSizes {
    pub epsilon_prime: f64,
    pub lambda_prime: f64,
    pub lambda_star: f64,
}

/// λ′ and λ* (see the module docs) for `n` nodes, `ln|𝒮| = log_sets`, ratio `rho`.
pub(crate) fn sample_sizes(
    n: usize,
    log_sets: f64,
    rho: f64,
    epsilon: f64,
    ell: f64,
) -> SampleSizes {
    let nf = n.max(2) as f64;
    let ln_n = nf.ln();
    let ell = ell * (1.0 + std::f64::consts::LN_2 / ln_n);
    let eps_p = std::f64::consts::SQRT_2 * epsilon;
    let lambda_prime =
        (2.0 + 2.0 / 3.0 * eps_p) * (log_sets + ell * ln_n + nf.log2().ln().max(0.0)) * nf
            / (eps_p * eps_p);
    let alpha = (ell * ln_n + std::f64::consts::LN_2).sqrt();
    let beta = (rho * (log_sets + ell * ln_n + std::f64::consts::LN_2)).sqrt();
    let lambda_star = 2.0 * nf * (rho * alpha + beta).powi(2) / (epsilon * epsilon);
    SampleSizes {
        epsilon_prime: eps_p,
        lambda_prime,
        lambda_star,
    }
}

/// Runs IMM on `network` among `candidates` under `constraint`.
///
/// # Errors
/// [`Error::InvalidParameter`] (field `epsilon`) when the sample would need more
/// than `u32::MAX` RR sets; [`Error::Overflow`] from the budget arithmetic.
pub(crate) fn imm(
    network: &CompiledNetwork,
    objective: ImmObjective<'_>,
    candidates: &[bool],
    constraint: &Constraint,
    settings: ImmSettings,
) -> Result<ImmOutcome> {
    let n = network.node_count();
    let start = Instant::now();
    let feasible = Feasible::new(candidates, constraint);
    let rho = feasible.ratio.unwrap_or(GREEDY_RATIO / 2.0);
    let sizes = sample_sizes(n, feasible.log_sets, rho, settings.epsilon, settings.ell);
    let signed = matches!(objective, ImmObjective::Signed { .. });
    let graph = network.rr_graph(signed);
    let (candidates, constraint) = renumbered(graph, candidates, constraint);
    let (candidates, constraint) = (candidates.as_slice(), &constraint);
    let sampling_walk = match objective {
        ImmObjective::Spread(walk) => walk,
        ImmObjective::Signed { .. } => Walk::Cascade,
    };

    // Phase 1: a lower bound of the optimum.
    let sampler = Sampler::new(graph, sampling_walk, &[]);
    let mut sets = RrSets::new();
    let mut index = InvertedIndex::new(n);
    let mut counts = vec![0u64; n];
    let mut lower_bound = 1.0;
    let mut peak_bytes = 0usize;
    let (mut sampling, mut selecting) = (Duration::ZERO, Duration::ZERO);
    // The passing round's picks and how many sets they were made on.
    let mut last_picks: Option<(usize, Picks)> = None;
    let nf = n as f64;
    let rounds = nf.log2().floor() as i32 - 1;
    for i in 1..=rounds.max(0) {
        let x = nf / 2f64.powi(i);
        let theta = check_count(sizes.lambda_prime / x)?;
        let t0 = Instant::now();
        let counted = sets.nodes.len();
        sampler.extend(&mut sets, settings.seed, theta);
        let t1 = Instant::now();
        sampling += t1 - t0;
        let target = (1.0 + sizes.epsilon_prime) * x;
        // No set of `most` candidates covers more than their `most` largest
        // counts: when even that falls short, the greedy cannot pass this round.
        for &v in sets.nodes.get(counted..).unwrap_or(&[]) {
            if let Some(c) = counts.get_mut(v as usize) {
                *c += 1;
            }
        }
        if nf * largest_sum(&counts, candidates, feasible.most) / (sets.len().max(1) as f64)
            < target
        {
            selecting += t1.elapsed();
            continue;
        }
        index.extend(&sets);
        let mut coverage = CoverageGain::new(&sets, &index);
        let picks = coverage.greedy_picks(candidates, constraint)?;
        selecting += t1.elapsed();
        peak_bytes =
            peak_bytes.max(sets.heap_bytes() + index.heap_bytes() + coverage.heap_bytes() + 16 * n);
        let estimate = nf * picks.total() / sets.len().max(1) as f64;
        if estimate >= target {
            lower_bound = estimate / (1.0 + sizes.epsilon_prime);
            last_picks = Some((sets.len(), picks));
            break;
        }
    }
    let sampling_sets = sets.len() as u64;
    // Phase 2: fresh sets (drawn into the same memory), or, as published, the
    // sampling phase's sets topped up to θ on the same stream.
    let reuse =
        settings.sampling == ImmSampling::Reused && matches!(objective, ImmObjective::Spread(_));
    let final_seed = if reuse {
        settings.seed
    } else {
        sets.clear();
        index.reset();
        settings.seed ^ SELECTION_STREAM
    };
    // A signed set is worth between −λ and 1, a coverage set 0 or 1: concentration
    // bounds scale with the squared range, and so does the sample.
    let range = match objective {
        ImmObjective::Spread(_) => 1.0,
        ImmObjective::Signed {
            negative_weight, ..
        } => 1.0 + negative_weight,
    };
    let theta = check_count(sizes.lambda_star * range * range / lower_bound)?;
    let picks: Picks = match objective {
        ImmObjective::Spread(walk) => {
            let t0 = Instant::now();
            Sampler::new(graph, walk, &[]).extend(&mut sets, final_seed, theta);
            let t1 = Instant::now();
            let (picks, coverage_bytes) = match last_picks {
                // Reused and no set added: the passing round's greedy on the
                // same sets, already made.
                Some((len, picks)) if reuse && len == sets.len() => (picks, 0),
                _ => {
                    index.extend(&sets);
                    let mut coverage = CoverageGain::new(&sets, &index);
                    let picks = coverage.greedy_picks(candidates, constraint)?;
                    (picks, coverage.heap_bytes())
                }
            };
            sampling += t1 - t0;
            selecting += t1.elapsed();
            peak_bytes =
                peak_bytes.max(sets.heap_bytes() + index.heap_bytes() + coverage_bytes + 16 * n);
            picks
        }
        ImmObjective::Signed {
            adversaries,
            negative_weight,
            negativity_bias,
        } => {
            let t0 = Instant::now();
            Sampler::new(graph, Walk::Signed, adversaries).extend(&mut sets, final_seed, theta);
            let t1 = Instant::now();
            index.extend(&sets);
            let rule = SignedRule {
                adversary: &sets.adversary,
                negative_weight,
                negativity_bias,
            };
            let picks = greedy(&sets, &index, &rule, candidates, constraint)?;
            sampling += t1 - t0;
            selecting += t1.elapsed();
            // The greedy's state: a u32 per set, an f64 gain and a flag per node.
            peak_bytes =
                peak_bytes.max(sets.heap_bytes() + index.heap_bytes() + 4 * sets.len() + 9 * n);
            picks
        }
    };
    let scale = nf / sets.len().max(1) as f64;
    let stats = RrSetStats {
        drawn: if reuse {
            sets.len() as u64
        } else {
            sampling_sets + sets.len() as u64
        },
        sampling_sets,
        final_sets: sets.len() as u64,
        members: sets.nodes.len() as u64,
        lower_bound,
        rr_estimate: picks.total() * scale,
        memory_bytes: (peak_bytes + graph.heap_bytes()) as u64,
        elapsed_ms: start.elapsed().as_secs_f64() * 1e3,
        sampling_ms: sampling.as_secs_f64() * 1e3,
        greedy_ms: selecting.as_secs_f64() * 1e3,
        stopped_by: None,
    };
    Ok(ImmOutcome {
        nodes: picks
            .nodes
            .iter()
            .filter_map(|&v| graph.original(v))
            .collect(),
        gains: picks.gains.iter().map(|g| g * scale).collect(),
        stats,
        // ε at or above ρ proves nothing: a ratio of 0, never a negative one.
        ratio: (rho - settings.epsilon).max(0.0),
    })
}

/// The sum of the `most` largest `counts` among the candidates.
fn largest_sum(counts: &[u64], candidates: &[bool], most: usize) -> f64 {
    // Zeros add nothing to the sum: only the candidates in some set count
    // (few in the early rounds, so the selection below stays small).
    let mut values: Vec<u64> = counts
        .iter()
        .zip(candidates)
        .filter(|&(&c, &allowed)| allowed && c > 0)
        .map(|(&c, _)| c)
        .collect();
    let most = most.min(values.len());
    if most == 0 {
        return 0.0;
    }
    let (_, pivot, _) = values.select_nth_unstable_by(most - 1, |a, b| b.cmp(a));
    let pivot = *pivot;
    let above: Vec<u64> = values.iter().copied().filter(|&c| c > pivot).collect();
    let ties = (most - above.len()) as u64;
    (above.iter().sum::<u64>() + ties * pivot) as f64
}

/// Rounds a sample size up, refusing sizes the set ids cannot hold.
fn check_count(theta: f64) -> Result<u64> {
    if !theta.is_finite() || theta >= f64::from(u32::MAX) {
        return Err(Error::invalid(
            "epsilon",
            format!("IMM would need {theta:.3e} RR sets (more than 2^32); raise epsilon"),
        ));
    }
    Ok(theta.ceil().max(1.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targeting::feasible::ln_binomial;

    #[test]
    fn sample_sizes_follow_the_formulas() {
        // n = 1000, k = 10, epsilon = 0.5, l = 1.
        let log_sets = ln_binomial(1000, 10);
        let s = sample_sizes(1000, log_sets, GREEDY_RATIO, 0.5, 1.0);
        let ln_n = 1000f64.ln();
        let ell = 1.0 + std::f64::consts::LN_2 / ln_n;
        let alpha = (ell * ln_n + std::f64::consts::LN_2).sqrt();
        let beta = (GREEDY_RATIO * (log_sets + ell * ln_n + std::f64::consts::LN_2)).sqrt();
        let expected = 2000.0 * (GREEDY_RATIO * alpha + beta).powi(2) / 0.25;
        assert!((s.lambda_star - expected).abs() < 1e-6 * expected);
        assert!((s.epsilon_prime - 0.5 * 2f64.sqrt()).abs() < 1e-15);
        // Smaller epsilon, more sets.
        assert!(sample_sizes(1000, log_sets, GREEDY_RATIO, 0.1, 1.0).lambda_star > s.lambda_star);
    }

    #[test]
    fn largest_sum_takes_the_top_candidates() {
        let counts = [5, 9, 1, 9, 7];
        let all = [true; 5];
        assert_eq!(largest_sum(&counts, &all, 2), 18.0);
        assert_eq!(largest_sum(&counts, &all, 3), 25.0);
        assert_eq!(
            largest_sum(&counts, &[true, false, true, true, false], 2),
            14.0
        );
        assert_eq!(largest_sum(&counts, &all, 0), 0.0);
        assert_eq!(largest_sum(&counts, &all, 9), 31.0);
    }

    #[test]
    fn too_many_sets_is_an_error() {
        assert!(
            matches!(check_count(1e12), Err(Error::InvalidParameter { ref field, .. }) if field == "epsilon")
        );
        assert_eq!(check_count(0.2).unwrap(), 1);
    }
}
