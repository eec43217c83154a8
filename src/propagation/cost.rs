//! The cost model of the automatic engine choice: nanoseconds per counted
//! operation, fitted on this crate's benchmark cases (Barabasi-Albert 100k at
//! p = 0.01 to 0.1, Epinions at p = 0.005 to 0.05 and weighted cascade: 64 runs of
//! each engine, one thread; BENCHMARKS.md). Only the comparison matters; the model
//! picks the faster engine on every one of those ten cases.

use super::per_run::RunWork;

/// Skipping: per node that acts (its plan and arc range: cache misses).
const NODE: f64 = 8.0;
/// Skipping: per random word (a logarithm for a skip).
const DRAW: f64 = 2.0;
/// Skipping: per live arc whose target is looked at (a cache miss).
const ARC: f64 = 45.0;
/// Word-parallel: per out-arc of a node active in any run of the batch (the
/// node reads its arcs a few times per batch, whatever the number of runs).
const UNION_ARC: f64 = 17.0;
/// Word-parallel: per out-arc of a node active in a run, per run (the coins,
/// 64 runs to a random word).
const RUN_ARC: f64 = 0.8;

/// Runs of the pilot before it may stop early.
pub(super) const EARLY_AFTER: u64 = 4;

/// The skipping engine's cost of the runs counted in `work`.
pub(super) fn skipping(work: RunWork) -> f64 {
    NODE * work.nodes as f64 + DRAW * work.draws as f64 + ARC * work.arcs as f64
}

/// The word-parallel engine's cost of one batch of the runs counted in
/// `work`, whose active sets have `union_degree` out-arcs in all.
pub(super) fn word_batch(work: RunWork, union_degree: u64) -> f64 {
    UNION_ARC * union_degree as f64 + RUN_ARC * work.active_degree as f64
}

/// The most a word-parallel batch of `lanes` runs can cost, given the first
/// `work.runs` of them: each further run adds at most the mean active degree
/// to the union, which never exceeds the `arcs` of the network.
pub(super) fn word_batch_at_most(work: RunWork, union_degree: u64, lanes: u64, arcs: u64) -> f64 {
    let done = work.runs.max(1) as f64;
    let per_run = work.active_degree as f64 / done;
    let union = (union_degree as f64 + per_run * (lanes as f64 - done)).min(arcs as f64);
    UNION_ARC * union + RUN_ARC * per_run * lanes as f64
}
