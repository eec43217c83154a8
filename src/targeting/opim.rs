//! OPIM-C (Tang, Tang, Xiao & Yuan, SIGMOD 2018): online bounds that certify a
//! selection's approximation ratio from the RR sets drawn so far, so the
//! selection stops as soon as the ratio reaches its target, or when a budget
//! runs out (the anytime selection of [`Algorithm::Opim`](super::Algorithm::Opim)).
//!
//! Two collections of RR sets grow side by side, each from its own stream: `R₁`,
//! on which the greedy chooses, and `R₂`, which validates. They double together,
//! `256, 512, 1024, …` sets each (a budget-independent sequence, so a larger
//! budget only adds doublings). After each doubling:
//!
//! 1. the greedy on `R₁` chooses `S` and bounds the optimum's coverage of `R₁`
//!    from above: `Λᵘ`, the least of `Λ₁(S)/ρ` (the greedy's ratio) and, over the
//!    greedy's states, the coverage so far plus the `K` largest marginal
//!    coverages (see [`Picks::optimum_bound`](super::celf::Picks));
//! 2. with `a = ln(3N/δ)`, `N` the number of doublings up to `θ_max`,
//!    `σ(S) ≥ σˡ = ((√(Λ₂(S) + 2a/9) − √(a/2))² − a/18)·n/θ₂` and
//!    `OPT ≤ σᵘ = (√(Λᵘ + a/2) + √(a/2))²·n/θ₁` (OPIM's Lemmas 4.2 and 4.3:
//!    martingale concentration, each with probability `1 − δ/(3N)`);
//! 3. the certified ratio is the largest `σˡ` so far over the least `σᵘ` so far,
//!    and the selection returned is the one with the largest `σˡ`; the run stops
//!    once the ratio reaches `ρ − ε`.
//!
//! `θ_max = 2n(ρα + β)²/(Kε²)` sets a collection, `α = √ln(6/δ)`,
//! `β = √(ρ(ln|𝒮| + ln(6/δ)))`, `K` the most customers a feasible set holds
//! (so `OPT ≥ K`): on that many sets the greedy is a `(ρ − ε)`-approximation with
//! probability `1 − δ/3` before any bound is looked at (the IMM argument), so the
//! run never draws more, and the last doubling's selection is returned with that
//! ratio if its certificate is lower. The `2N` bounds and that statement hold
//! together with probability at least `1 − δ` (union bound), whenever the run
//! stops: that is what makes every intermediate result a valid answer.
//!
//! Without a budget the run checks from OPIM-C's first size on,
//! `θ₀ = θ_max·ε²·K/n = 2(ρα + β)²` (567 sets on NetHEPT for `K = 50`; the
//! doublings below it draw their sets but run no greedy, and a skipped check
//! only leaves the union bound loose), and stops at the target. With a budget
//! it checks every doubling and is **anytime**:
//! it draws until the budget runs out (or the sample limit), since the
//! certified ratio only grows with the sets, and stops early only when the
//! selection is certified optimal. An RR budget stops it before the first
//! doubling that would exceed it (reproducible); a time budget at the first
//! check after it runs out (checks come between rounds of 32,768 sets and
//! between doublings; not reproducible, the only place where a timing changes a
//! result). The first doubling always completes.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::costs::Constraint;
use super::coverage::CoverageGain;
use super::feasible::{Feasible, GREEDY_RATIO, renumbered};
use super::rr_sets::{InvertedIndex, RrSets, Sampler, UNIT, Walk};
use super::selection::{Certificate, Guarantee, RrSetStats, Stop};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::propagation::CompiledNetwork;

/// Mixed into the seed for the selection collection's stream ("opim-sel").
const SELECTION_STREAM: u64 = 0x6f70_696d_2d73_656c;
/// Mixed into the seed for the validation collection's stream ("opim-val").
const VALIDATION_STREAM: u64 = 0x6f70_696d_2d76_616c;
/// The fewest RR sets a run draws: one unit in each collection.
pub(crate) const MIN_RR_SETS: u64 = 2 * UNIT;
/// The most doublings a run makes: `256 · 2²³ = 2³¹` sets a collection.
const MAX_DOUBLINGS: u32 = 24;

/// The settings of one OPIM run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OpimSettings {
    pub epsilon: f64,
    /// The failure probability `δ`.
    pub delta: f64,
    pub seed: u64,
    pub walk: Walk,
    /// At most this many RR sets, both collections together.
    pub rr_budget: Option<u64>,
    pub time_budget: Option<Duration>,
}

/// OPIM's result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OpimOutcome {
    pub nodes: Vec<u32>,
    /// Marginal gains on the spread scale (from `R₁`).
    pub gains: Vec<f64>,
    pub stats: RrSetStats,
    pub guarantee: Guarantee,
}

/// `σˡ`: a lower bound of the expected spread of a seed set that covers
/// `covered` of `sets` independent RR sets on `n` nodes, failing with
/// probability `e^−a` (OPIM, Lemma 4.2). Zero when the sample says nothing.
pub(crate) fn spread_lower_bound(covered: f64, sets: f64, n: f64, a: f64) -> f64 {
    let root = (covered + 2.0 * a / 9.0).sqrt() - (a / 2.0).sqrt();
    if root <= 0.0 || sets <= 0.0 {
        return 0.0;
    }
    ((root * root - a / 18.0) * n / sets).max(0.0)
}

/// `σᵘ`: an upper bound of the optimum's expected spread when its coverage of
/// `sets` RR sets is at most `coverage_bound`, failing with probability `e^−a`
/// (OPIM, Lemma 4.3). Never above `n`.
pub(crate) fn optimum_upper_bound(coverage_bound: f64, sets: f64, n: f64, a: f64) -> f64 {
    if sets <= 0.0 {
        return n;
    }
    let root = (coverage_bound.max(0.0) + a / 2.0).sqrt() + (a / 2.0).sqrt();
    (root * root * n / sets).min(n)
}

/// OPIM-C's `θ_max`: sets a collection needs for a `(ρ − ε)` guarantee with
/// probability `1 − δ/3` (see the module docs).
pub(crate) fn max_sets(n: usize, feasible: &Feasible, rho: f64, epsilon: f64, delta: f64) -> f64 {
    first_sample_size(feasible, rho, delta) * n as f64
        / (feasible.most.max(1) as f64 * epsilon * epsilon)
}

/// OPIM-C's first sample size, `θ₀ = 2(ρα + β)² = θ_max·ε²·K/n` sets a
/// collection (independent of `ε` and of `n` but through `|𝒮|`): the size at
/// which the published OPIM-C makes its first check.
pub(crate) fn first_sample_size(feasible: &Feasible, rho: f64, delta: f64) -> f64 {
    let ln_6_delta = (6.0 / delta).ln();
    let beta = (rho * (feasible.log_sets + ln_6_delta)).sqrt();
    2.0 * (rho * ln_6_delta.sqrt() + beta).powi(2)
}

/// The number of doublings `N` from one unit until a collection holds
/// `theta_max` sets.
pub(crate) fn doublings(theta_max: f64) -> u32 {
    let mut count = 1u32;
    while count < 40 && ((UNIT << (count - 1)) as f64) < theta_max {
        count += 1;
    }
    count
}

/// The best doubling so far.
#[derive(Debug, Clone)]
struct Best {
    nodes: Vec<u32>,
    gains: Vec<f64>,
    lower: f64,
    rr_estimate: f64,
    selection_sets: u64,
    validation_sets: u64,
    members: u64,
}

/// How many of `sets` hold a node marked in `seed`.
fn covered_by(sets: &RrSets, seed: &[bool]) -> u64 {
    const CHUNK: usize = 4_096;
    let chunks = sets.len().div_ceil(CHUNK);
    (0..chunks)
        .into_par_iter()
        .map(|c| {
            (c * CHUNK..((c + 1) * CHUNK).min(sets.len()))
                .filter(|&r| {
                    sets.nodes
                        .get(sets.range(r))
                        .unwrap_or(&[])
                        .iter()
                        .any(|&v| seed.get(v as usize).copied().unwrap_or(false))
                })
                .count() as u64
        })
        .sum()
}

/// Runs OPIM-C on `network` among `candidates` under `constraint`.
///
/// # Errors
/// [`Error::Cancelled`] from `progress`; [`Error::Overflow`] from the budget
/// arithmetic.
pub(crate) fn opim(
    network: &CompiledNetwork,
    candidates: &[bool],
    constraint: &Constraint,
    settings: OpimSettings,
    progress: &Progress,
) -> Result<OpimOutcome> {
    let start = Instant::now();
    let deadline = settings.time_budget.map(|b| start + b);
    let n = network.node_count();
    let nf = n as f64;
    let feasible = Feasible::new(candidates, constraint);
    // The target: the greedy's ratio less ε (no ratio is proven for a budget
    // and a count together: the target is then the budget's).
    let rho = feasible.ratio.unwrap_or(GREEDY_RATIO / 2.0);
    // Under a budget the run is anytime: it uses the budget (the ratio only
    // grows with it) and stops early only once the selection is certified
    // optimal.
    let budgeted = settings.rr_budget.is_some() || settings.time_budget.is_some();
    let target = if budgeted {
        1.0
    } else {
        rho - settings.epsilon
    };
    let theta_max = max_sets(n, &feasible, rho, settings.epsilon, settings.delta);
    let checks = doublings(theta_max);
    // Set ids are `u32`: the doublings stop at 2^31 sets a collection, where
    // the worst case is not guaranteed (the union bound still counts every
    // doubling up to θ_max).
    let run_to = checks.min(MAX_DOUBLINGS);
    let a = (3.0 * f64::from(checks) / settings.delta).ln();
    // The first doubling checked (module docs): a budgeted run checks all, so
    // that a larger budget's checks include a smaller one's.
    let first_check = match budgeted {
        true => 0.0,
        false => first_sample_size(&feasible, rho, settings.delta),
    };

    let graph = network.rr_graph(false);
    let (candidates, constraint) = renumbered(graph, candidates, constraint);
    let sampler = Sampler::new(graph, settings.walk, &[]);
    let (mut selection, mut validation) = (RrSets::new(), RrSets::new());
    let mut index = InvertedIndex::new(n);
    let mut seed_marks = vec![false; n];
    let (mut sampling, mut selecting) = (Duration::ZERO, Duration::ZERO);
    let mut peak_bytes = 0usize;
    let mut best: Option<Best> = None;
    let mut least_upper = nf;
    let mut a_priori = false;
    let mut stopped_by = Stop::SampleLimit;
    for doubling in 0..run_to {
        let size = UNIT << doubling;
        if settings.rr_budget.is_some_and(|b| 2 * size > b) {
            stopped_by = Stop::RrBudget;
            break;
        }
        let out_of_time = || doubling > 0 && deadline.is_some_and(|d| Instant::now() >= d);
        if out_of_time() {
            stopped_by = Stop::TimeBudget;
            break;
        }
        progress.check()?;
        let t0 = Instant::now();
        let drawn = sampler.extend_until(
            &mut selection,
            settings.seed ^ SELECTION_STREAM,
            size,
            out_of_time,
        ) && sampler.extend_until(
            &mut validation,
            settings.seed ^ VALIDATION_STREAM,
            size,
            out_of_time,
        );
        let t1 = Instant::now();
        sampling += t1 - t0;
        if !drawn {
            stopped_by = Stop::TimeBudget;
            break;
        }
        let last = doubling + 1 == run_to;
        if (size as f64) < first_check && !last {
            continue;
        }
        index.extend(&selection);
        let mut coverage = CoverageGain::new(&selection, &index);
        let picks = coverage.greedy(&candidates, &constraint)?;
        peak_bytes = peak_bytes.max(
            selection.heap_bytes()
                + validation.heap_bytes()
                + index.heap_bytes()
                + coverage.heap_bytes(),
        );
        let (theta1, theta2) = (selection.len() as f64, validation.len() as f64);
        let mut coverage_bound = picks.optimum_bound.unwrap_or(f64::INFINITY);
        if let Some(ratio) = feasible.ratio {
            coverage_bound = coverage_bound.min(picks.total() / ratio);
        }
        least_upper = least_upper.min(optimum_upper_bound(coverage_bound, theta1, nf, a));
        seed_marks.fill(false);
        for &v in &picks.nodes {
            if let Some(mark) = seed_marks.get_mut(v as usize) {
                *mark = true;
            }
        }
        let lower = spread_lower_bound(covered_by(&validation, &seed_marks) as f64, theta2, nf, a);
        selecting += t1.elapsed();
        if last || best.as_ref().is_none_or(|b| lower >= b.lower) {
            let scale = nf / theta1.max(1.0);
            best = Some(Best {
                gains: picks.gains.iter().map(|g| g * scale).collect(),
                rr_estimate: picks.total() * scale,
                nodes: picks.nodes,
                lower,
                selection_sets: selection.len() as u64,
                validation_sets: validation.len() as u64,
                members: selection.nodes.len() as u64,
            });
        }
        let certified = best.as_ref().map_or(0.0, |b| b.lower) / least_upper.max(f64::MIN_POSITIVE);
        if certified >= target {
            stopped_by = Stop::RatioReached;
            break;
        }
        if last {
            a_priori = feasible.ratio.is_some() && run_to == checks;
        }
    }
    let Some(best) = best else {
        return Err(Error::invalid(
            "rr_budget",
            "no doubling of the RR sets completed",
        ));
    };
    let certified = (best.lower / least_upper.max(f64::MIN_POSITIVE)).clamp(0.0, 1.0);
    let ratio = match a_priori {
        true => certified.max(rho - settings.epsilon),
        false => certified,
    };
    let stats = RrSetStats {
        drawn: (selection.len() + validation.len()) as u64,
        sampling_sets: best.validation_sets,
        final_sets: best.selection_sets,
        members: best.members,
        lower_bound: best.lower,
        rr_estimate: best.rr_estimate,
        memory_bytes: (peak_bytes + graph.heap_bytes() + seed_marks.capacity()) as u64,
        elapsed_ms: start.elapsed().as_secs_f64() * 1e3,
        sampling_ms: sampling.as_secs_f64() * 1e3,
        greedy_ms: selecting.as_secs_f64() * 1e3,
        stopped_by: Some(stopped_by),
    };
    Ok(OpimOutcome {
        nodes: best
            .nodes
            .iter()
            .filter_map(|&v| graph.original(v))
            .collect(),
        gains: best.gains,
        stats,
        guarantee: Guarantee {
            ratio: ratio.max(0.0),
            probability: 1.0 - settings.delta,
            certificate: Some(Certificate {
                spread_lower_bound: best.lower,
                optimum_upper_bound: least_upper,
            }),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_follow_opims_formulas() {
        // a = ln(3N/δ) = 5: values computed by hand.
        let a = 5.0f64;
        let lower = spread_lower_bound(1_000.0, 10_000.0, 20_000.0, a);
        let root = (1_000.0 + 10.0 / 9.0f64).sqrt() - 2.5f64.sqrt();
        assert!((lower - (root * root - 5.0 / 18.0) * 2.0).abs() < 1e-9);
        assert!(lower < 2_000.0 && lower > 1_800.0);
        let upper = optimum_upper_bound(1_000.0, 10_000.0, 20_000.0, a);
        let root = 1_002.5f64.sqrt() + 2.5f64.sqrt();
        assert!((upper - root * root * 2.0).abs() < 1e-9);
        assert!(upper > 2_000.0);
        // Nothing covered, nothing certified; the upper bound never exceeds n.
        assert_eq!(spread_lower_bound(0.0, 100.0, 50.0, a), 0.0);
        assert_eq!(spread_lower_bound(1.0, 100.0, 50.0, a), 0.0);
        assert_eq!(optimum_upper_bound(100.0, 100.0, 50.0, a), 50.0);
        assert_eq!(optimum_upper_bound(1.0, 0.0, 50.0, a), 50.0);
    }

    #[test]
    fn more_sets_tighten_both_bounds() {
        let a = 8.0;
        let (mut lower, mut upper) = (0.0, f64::INFINITY);
        for sets in [1_000.0, 10_000.0, 100_000.0] {
            // The same covered fraction, 10%, of more sets.
            let l = spread_lower_bound(0.1 * sets, sets, 5_000.0, a);
            let u = optimum_upper_bound(0.1 * sets, sets, 5_000.0, a);
            assert!(l > lower && u < upper && l < 500.0 && u > 500.0);
            (lower, upper) = (l, u);
        }
    }

    #[test]
    fn max_sets_and_doublings_match_opim_c() {
        // NetHEPT-sized: n = 15,229, k = 50, δ = 1/n, ε = 0.1, as OPIM-C computes it.
        let n = 15_229usize;
        let feasible = Feasible {
            most: 50,
            log_sets: crate::targeting::feasible::ln_binomial(n, 50),
            ratio: Some(GREEDY_RATIO),
        };
        let delta = 1.0 / n as f64;
        let theta = max_sets(n, &feasible, GREEDY_RATIO, 0.1, delta);
        let alpha = (6.0 / delta).ln().sqrt();
        let beta = (GREEDY_RATIO * (feasible.log_sets + (6.0 / delta).ln())).sqrt();
        let base = 2.0 * (GREEDY_RATIO * alpha + beta).powi(2);
        assert!((theta - base * n as f64 / (50.0 * 0.01)).abs() < 1e-6 * theta);
        // OPIM-C's first size, `numRbase` in its alg.cpp: 567 sets on NetHEPT.
        let first = first_sample_size(&feasible, GREEDY_RATIO, delta);
        assert!((first - base).abs() < 1e-9 * base);
        assert!((560.0..575.0).contains(&first), "{first}");
        // 256 · 2^(N−1) is the first size at or above θ_max.
        let checks = doublings(theta);
        assert!((UNIT << (checks - 1)) as f64 >= theta);
        assert!(((UNIT << (checks - 2)) as f64) < theta);
        assert_eq!(doublings(1.0), 1);
        assert_eq!(doublings(257.0), 2);
    }
}
