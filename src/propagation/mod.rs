//! Diffusion models (Independent Cascade, Linear Threshold, signed
//! advocate/adversary cascades) and the seeded, parallel Monte Carlo estimator.
//!
//! ```
//! use social_loop::network::{InfluenceNetwork, WeightScheme};
//! use social_loop::propagation::{CompiledNetwork, Model, MonteCarlo};
//! use rand::SeedableRng;
//!
//! let mut net = InfluenceNetwork::from_triples([
//!     ("ann", "bob", 0.4), ("ann", "cy", 0.4), ("bob", "dee", 0.4),
//!     ("cy", "dee", -0.4), ("dee", "eve", 0.4),
//! ])?;
//! let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
//! WeightScheme::WeightedCascade.apply(&mut net, &mut rng); // keeps the signs
//! let compiled = CompiledNetwork::from_network(&net);
//!
//! // Independent Cascade, word-parallel, reproducible for any thread count.
//! let ic = MonteCarlo::new(Model::IndependentCascade)
//!     .runs(10_000)
//!     .seed(7)
//!     .node_probabilities(true)
//!     .estimate(&compiled, ["ann"])?;
//! assert!(ic.ci95[0] <= ic.mean && ic.mean <= ic.ci95[1]);
//!
//! // Advocates against adversaries on the same graph in the same runs.
//! let signed = MonteCarlo::new(Model::signed_neutral())
//!     .runs(10_000)
//!     .seed(7)
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
//! * [`exact`]: the exact expected spread on small graphs (the test oracle).
//!
//! # Randomness and reproducibility
//! `R` runs are split into fixed units (one run, or a batch of 64 runs for the
//! word-parallel engine). Unit `i` gets its own `Xoshiro256PlusPlus` stream from
//! `(seed, i)` by SplitMix64 mixing, and draws two keys from it. Every random
//! decision is then a pure function of a key and a counter: the coin of arc `a` is
//! derived from `(arc key, a)`, the Linear Threshold threshold and the signed
//! tie-break of node `v` from `(node key, v)`. Consequences:
//! * results are bit-identical for 1, 2 or 16 threads (tallies are exact integers
//!   combined associatively);
//! * a run's live-edge world does not depend on the visiting order, so raising any
//!   probability never lowers any run's spread with the same seed (a common random
//!   numbers coupling for paired comparisons).
//!
//! # Sampling precision
//! Arc probabilities are stored as `f32`. An arc with stored probability `p` is live
//! with probability exactly `t / 2³²`, `t = round(p · 2³²)`: each run compares its
//! own uniform 32-bit number with `t`. Probabilities 0 and 1 are exact; any other
//! is within 2⁻³³ of `p`. The signed tie rule's `negativity_bias` is sampled the same
//! way; Linear Threshold thresholds are uniform on `(0, 1]` at 53-bit resolution.
//!
//! # Engines
//! * **Word-parallel** ([`Engine::WordParallel`], the default for Independent
//!   Cascade): 64 runs at once, one bit per run, a `u64` active mask per node; a
//!   frontier node reads its out-arcs once for all runs in which it just became
//!   active and draws a 64-lane Bernoulli mask per arc, only for the lanes where the
//!   arc matters, comparing the lanes' uniforms with `t` bit by bit from the top and
//!   stopping once every lane is decided (about `log2(lanes) + 2` random words).
//!   Per-run spreads are kept exactly (bit-sliced counters), so the standard error
//!   is the runs' own.
//! * **Per-run** ([`Engine::PerRun`]): one run at a time, for every model; the
//!   reference the word-parallel engine is tested against.
//!
//! Working memory per rayon thread: 16 bytes per node (word-parallel) or 2 bytes
//! per node (per-run; 10 for Linear Threshold), plus 8 bytes per node and per arc
//! for the optional per-node and per-tie counts, plus frontier lists.

mod compiled;
mod estimate;
pub mod exact;
mod model;
mod monte_carlo;
mod per_run;
mod streams;
mod tally;
mod word_parallel;

pub use compiled::{CompiledNetwork, InArcs, OutArcs};
pub use estimate::{
    InfluenceCount, NodeActivation, SignedReach, SpreadEstimate, StepActivity, Summary, Z_95,
};
pub use model::{Model, THRESHOLD_WEIGHT_SLACK};
pub use monte_carlo::{Engine, LANES, MonteCarlo};
