//! Diffusion models (Independent Cascade, Linear Threshold, signed
//! advocate/adversary cascades) and the seeded, parallel Monte Carlo estimator.
//!
//! ```
//! use social_loop::network::{InfluenceNetwork, WeightScheme};
//! use social_loop::propagation::{CompiledNetwork, Model, MonteCarlo, MonteCarloSettings};
//!
//! let mut net = InfluenceNetwork::from_triples([
//!     ("ann", "bob", 0.4), ("ann", "cy", 0.4), ("bob", "dee", 0.4),
//!     ("cy", "dee", -0.4), ("dee", "eve", 0.4),
//! ])?;
//! WeightScheme::WeightedCascade.apply(&mut net); // keeps the signs
//! let compiled = CompiledNetwork::from_network(&net);
//!
//! // Independent Cascade, word-parallel, reproducible for any thread count.
//! let ic = MonteCarlo::new(Model::IndependentCascade)
//!     .settings(MonteCarloSettings::new(10_000, 7)?)
//!     .node_probabilities(true)
//!     .estimate(&compiled, ["ann"])?;
//! assert!(ic.ci95[0] <= ic.mean && ic.mean <= ic.ci95[1]);
//!
//! // Advocates against adversaries on the same graph in the same runs.
//! let signed = MonteCarlo::new(Model::signed_neutral())
//!     .settings(MonteCarloSettings::new(10_000, 7)?)
//!     .estimate_signed(&compiled, ["ann"], ["eve"])?;
//! let reach = signed.signed.ok_or("no signed reach")?;
//! assert!(reach.negative.mean >= 1.0); // eve, at least
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Pieces
//! * [`CompiledNetwork`]: the network frozen into CSR arrays, built once.
//! * [`Model`]: the models and their exact semantics.
//! * [`MonteCarlo`] → [`SpreadEstimate`]: mean, standard error, 95% interval,
//!   and optionally per-customer probabilities, the per-step trajectory and who
//!   influenced whom.
//! * [`SpreadTally`]: the exact sums of a range of runs
//!   ([`MonteCarlo::tally`]), which merge with other ranges' into exactly
//!   the estimate of all of them (one estimate fanned out over a cluster).
//! * [`InfluencerRanking`] → [`Influencer`]s: customers ranked by the reach
//!   each is expected to have alone (spread, or signed positive or negative
//!   reach), screened, in parallel, reproducible.
//! * [`exact`]: the exact expected spread on small graphs (the test oracle).
//!
//! # Randomness and reproducibility
//! `R` runs are split into fixed units (one run, or a batch of 64 runs for the
//! word-parallel engine). Unit `i` gets its own `Xoshiro256PlusPlus` stream from
//! `(seed, i)` by SplitMix64 mixing, and draws two keys from it. Every random
//! decision is then a pure function of a key and a counter (the counter-th output
//! of the wyrand generator started at the key): the coin of arc `a` comes from
//! `(arc key, a)` (the skipping engine instead draws node `u`'s live arcs from
//! `(arc key, counters reserved for u)`), the Linear Threshold threshold and the
//! signed tie-break of node `v` from `(node key, v)`. Consequences:
//! * results are bit-identical for 1, 2 or 16 threads (tallies are exact integers
//!   combined associatively), and the automatic engine choice is made from counts,
//!   never timings, so it too is reproducible;
//! * a run's live-edge world does not depend on the order in which the engine
//!   visits arcs, and asking for per-step or per-tie outputs does not change the
//!   spread;
//! * with the word-parallel and per-run engines, raising any probability never
//!   lowers any run's spread with the same seed (a common-random-numbers coupling
//!   for paired comparisons across probabilities: pin the engine for those); with
//!   the per-run and skipping engines, adding a seed never lowers it (paired
//!   comparisons across seed sets).
//!
//! # Sampling precision
//! Arc probabilities are stored as `f32`. An arc with stored probability `p` is live
//! with probability exactly `t / 2³²`, `t = floor(p · 2³²)`: each run compares its
//! own uniform 32-bit number with `t`. Probabilities 0 and 1 (and every multiple of
//! 2⁻³²) are exact; any other is less than 2⁻³² ≈ 2.3·10⁻¹⁰ below `p`. The signed
//! tie rule's `negativity_bias` is sampled the same way; Linear Threshold thresholds
//! are uniform on `(0, 1]` at 53-bit resolution.
//!
//! # Engines
//! [`Engine::Auto`] (the default) picks per estimate, by a deterministic pilot,
//! between the two fast Independent Cascade engines: word-parallel for large
//! cascades, skipping for small ones (measured side by side in BENCHMARKS.md).
//! * **Word-parallel** ([`Engine::WordParallel`]): 64 runs at once, one bit per
//!   run. Each node holds a `u64` mask of
//!   the runs in which it is active and one of the runs in which it has yet to act.
//!   A node acting reads its out-arcs **once** for all those runs, and per arc
//!   draws the live runs only among those where the arc matters (source acting,
//!   target inactive): each run's 32-bit uniform is compared with `t` bit by bit
//!   from the top, 64 runs per random word, stopping once every run asked for is
//!   decided (about `log2(runs asked) + 2` words, drawn four at a time with one
//!   exit test and no branch on the bits of `t`, because a test per word was
//!   mispredicted about once per arc). The graph is renumbered in
//!   breadth-first order from the seeds, and the engine sweeps the nodes with
//!   pending runs in that order, so a node mostly acts once per sweep with the runs
//!   of all its nearer in-neighbours merged (and the result does not depend on the
//!   order in which customers were added). When per-step or per-tie outputs are
//!   asked for it advances step by step instead. Per-run spreads are kept exactly
//!   (bit-sliced counters), so the standard error is the runs' own.
//! * **Skipping** ([`Engine::Skipping`], Independent Cascade and signed): one run
//!   at a time, breadth-first; a node that acts draws the positions of its live
//!   out-arcs directly, by geometric gaps at its largest out-arc probability
//!   `p_max` with each candidate kept with probability `p / p_max` (thinning), so
//!   it costs about `1 + degree · p_max` draws and a dead arc's target is never
//!   read. Nodes with `p_max >= 0.2` draw a coin per arc instead. Arcs are live
//!   with probability `p` up to the rounding of a logarithm (geometric gaps) and
//!   2⁻³² (thinning).
//! * **Per-run** ([`Engine::PerRun`]): one run at a time, breadth-first, one coin
//!   per arc, for every model; the reference the others are tested against.
//!
//! Working memory per rayon thread: 16 bytes per node (word-parallel, plus one
//! shared renumbered copy of the arcs: 8 bytes per arc and 12 per node) or 2 bytes
//! per node (per-run and skipping, plus one shared 16-byte plan per node for
//! skipping; 10 for Linear Threshold), plus 8 bytes per node and per arc for the
//! optional per-node and per-tie counts, plus work lists.

mod bfs_order;
mod compiled;
mod cost;
mod estimate;
pub mod exact;
mod live_arcs;
mod model;
mod monte_carlo;
mod one_cascade;
mod partial;
mod per_run;
mod ranking;
mod settings;
pub(crate) mod streams;
mod tally;
mod word_parallel;

pub use compiled::CompiledNetwork;
pub use estimate::{
    InfluenceCount, NodeActivation, SignedReach, SpreadEstimate, StepActivity, Summary, Z_95,
};
pub use model::{Model, THRESHOLD_WEIGHT_SLACK};
pub(crate) use monte_carlo::independent_cascade_runs;
pub use monte_carlo::{Engine, LANES, MonteCarlo};
pub(crate) use one_cascade::OneCascade;
pub use partial::SpreadTally;
pub(crate) use partial::union_of_runs;
pub use ranking::{Influencer, InfluencerRanking};
pub use settings::{MAX_THREADS, MonteCarloSettings};
pub(crate) use word_parallel::prefetch;
