//! Whom to engage: influence maximisation under a count or a money budget,
//! signed-aware, with guarantees.
//!
//! The question a brand asks is "which customers should we invite to the advocacy
//! programme (or recover first) so that word of mouth does the most good?".
//! [`Targeting`] answers it with one of several [`Algorithm`]s and returns a
//! [`Selection`]: the chosen customers in order, the marginal gain of each pick,
//! the expected spread with a confidence interval from an **independent** Monte
//! Carlo evaluation, the ratio to the optimum it certifies when there is one,
//! and timings.
//!
//! ```
//! use rust_decimal::Decimal;
//! use social_loop::network::InfluenceNetwork;
//! use social_loop::propagation::CompiledNetwork;
//! use social_loop::targeting::{Algorithm, Costs, Targeting};
//!
//! let net = InfluenceNetwork::from_triples([
//!     ("ann", "bob", 0.6), ("ann", "cy", 0.6), ("bob", "dee", 0.5),
//!     ("eve", "fay", 0.5), ("fay", "gus", 0.5), ("cy", "dee", 0.3),
//! ])?;
//! let network = CompiledNetwork::from_network(&net);
//!
//! let best_two = Targeting::new(Algorithm::Imm).epsilon(0.2).seed(7).select(&network, 2)?;
//! assert_eq!(best_two.seeds.len(), 2);
//! assert_eq!(best_two.seeds[0].as_str(), "ann");
//! let spread = best_two.evaluation.spread;
//! assert!(spread.ci95[0] <= spread.mean && spread.mean <= spread.ci95[1]);
//!
//! // Anytime, with a certificate: at most 4,096 RR sets (reproducible).
//! let certified = Targeting::new(Algorithm::Opim).rr_budget(4_096).seed(7).select(&network, 2)?;
//! let ratio = certified.certified_ratio().ok_or("OPIM certifies its ratio")?;
//! assert!(ratio > 0.5 && certified.rr_sets.ok_or("RR sets")?.drawn <= 4_096);
//!
//! // Within a budget: ann is expensive.
//! let costs = Costs::uniform(Decimal::new(10, 0)).with("ann", Decimal::new(30, 0));
//! let budgeted = Targeting::new(Algorithm::Celf)
//!     .seed(7)
//!     .select_within_budget(&network, &costs, Decimal::new(20, 0))?;
//! assert!(budgeted.total_cost <= Some(Decimal::new(20, 0)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Strategies
//! * [`Algorithm::Imm`]: IMM (Tang, Shi & Xiao 2015) on reverse-reachable sets;
//!   for large networks. RR sets are drawn in parallel in fixed units of 256, each
//!   unit from its own stream of the seed, so the selection is identical for any
//!   number of threads. Storage is flat (`u32` members, `u64` offsets); the peak
//!   bytes are reported in [`RrSetStats::memory_bytes`].
//! * [`Algorithm::Opim`]: OPIM-C (Tang, Tang, Xiao & Yuan 2018) on the same RR
//!   sets, **anytime**: two collections double side by side (one to choose on,
//!   one to validate), and after each doubling the greedy's upper bound of the
//!   optimum and the validation's lower bound of the selection's spread
//!   certify a ratio; it stops once that reaches `1 − 1/e − ε`, or, under
//!   [`Targeting::rr_budget`] or [`Targeting::time_budget`], when the budget runs
//!   out, and returns the best selection so far with
//!   [`Selection::certified_ratio`] (often above the worst case: 0.6–0.7 on
//!   NetHEPT). Independent Cascade and Linear Threshold.
//! * [`Algorithm::Celf`]: the lazy greedy on Monte Carlo estimates that share their
//!   random numbers across candidates (so differences between candidates are
//!   paired), or on the exact spread ([`SpreadOracle::Exact`]); for small networks.
//! * Baselines: [`Algorithm::Degree`], [`Algorithm::PageRank`],
//!   [`Algorithm::Random`], and the seeding strategies of the marketing literature
//!   (Hinz, Skiera, Barrot & Becker 2011): [`Algorithm::Hubs`] (high degree),
//!   [`Algorithm::Bridges`] (high betweenness, sampled Brandes) and
//!   [`Algorithm::Fringes`] (low degree).
//!
//! # Objectives
//! * Independent Cascade or Linear Threshold: the expected number of customers
//!   reached, seeds included.
//! * Signed ([`Model::Signed`](crate::propagation::Model::Signed)) with
//!   [`Targeting::adversaries`]: expected **positive reach − λ × negative reach**
//!   ([`Targeting::negative_weight`]), the adversaries starting a negative cascade
//!   in the same runs. Adversaries and [`Targeting::exclude`]d customers are never
//!   chosen. IMM then uses *signed RR sets*: the reverse search records each
//!   member's distance to the root and whether the signs on its search-tree path
//!   flip the message, and stops after the level at which the first adversary
//!   appears; a seed set's value for the root is decided by the first arrival (a
//!   same-distance clash by the model's negativity bias). This matches the cascade
//!   exactly when the nearest seed and its shortest path are unique; otherwise it
//!   approximates the clash rule. A signed set is worth between `−λ` and 1, so IMM
//!   draws `(1 + λ)²` times the sets it would for the spread (concentration bounds
//!   grow with the squared range); the sampling phase's lower bound is the
//!   spread's. The independent evaluation uses the real signed cascade.
//!
//! # Guarantees
//! Reported in [`Selection::guarantee`] when one holds (its ratio is
//! [`Selection::certified_ratio`]). `OPT` is the best value over the customers
//! that may be chosen.
//!
//! | strategy | objective | guarantee |
//! |---|---|---|
//! | OPIM, any constraint | IC or LT spread | `≥ r·OPT` with probability `≥ 1 − 1/n^ℓ`, `r` certified from the RR sets drawn (with the two bounds, [`Certificate`]); at least `1 − 1/e − ε` (halved under a budget) once the target or the sample limit is reached |
//! | IMM, at most `k` | IC or LT spread | `≥ (1 − 1/e − ε)·OPT` with probability `≥ 1 − 1/n^ℓ`, any `ε ∈ (0, 1)`, `ℓ > 0` |
//! | IMM, budget | IC or LT spread | `≥ ((1 − 1/e)/2 − ε)·OPT` with probability `≥ 1 − 1/n^ℓ` |
//! | CELF, exact oracle, at most `k` | IC or LT spread | `≥ (1 − 1/e)·OPT` (Nemhauser, Wolsey & Fisher 1978) |
//! | CELF, exact oracle, budget | IC or LT spread | `≥ (1 − 1/e)/2 · OPT` |
//! | CELF, Monte Carlo | any | none reported: `(1 − 1/e)` of the best value *on the sampled worlds* for IC (a sample average of coverage functions), not of the true optimum |
//! | any | signed objective | none: positive − λ·negative reach is neither monotone nor submodular in general |
//! | heuristics | any | none |
//!
//! The budgeted guarantee is that of the cost-effective greedy (the largest gain
//! per unit of cost among the customers who still fit) returned only when it beats
//! the best single affordable customer (Khuller, Moss & Naor 1999; Leskovec et al.
//! 2007): `(1 − 1/e)/2` for a monotone submodular objective and non-negative costs;
//! customers costing more than the budget are never chosen. IMM keeps its
//! guarantee with the budget by sizing its sample for that ratio and for every
//! feasible seed set (see the sample sizes below).
//!
//! # IMM's sample sizes
//! With `ε′ = √2·ε`, `ℓ′ = ℓ(1 + ln 2/ln n)`, `ρ` the greedy's ratio and `|𝒮|` the
//! number of feasible seed sets (`C(N, k)` for `k` of `N` candidates,
//! `(K + 1)·C(N, K)` when the budget buys at most `K`):
//! `λ′ = (2 + ⅔ε′)(ln|𝒮| + ℓ′ ln n + ln log₂ n)·n/ε′²` sets per unit of `1/x` in
//! the sampling phase, and `θ = 2n(ρ·α + β)²/(ε²·LB)` sets for the node selection,
//! `α = √(ℓ′ ln n + ln 2)`, `β = √(ρ(ln|𝒮| + ℓ′ ln n + ln 2))`, `LB` the sampling
//! phase's lower bound of `OPT`. The node-selection sets are drawn afresh (Chen 2018's
//! fix of the original analysis, [`ImmSampling::Independent`]); IMM as published
//! reuses the sampling phase's sets ([`ImmSampling::Reused`], about half the sets,
//! no guarantee reported).
//!
//! # OPIM's bounds
//! After a doubling, with `θ₁` sets to choose on and `θ₂` to validate,
//! `a = ln(3N/δ)` (`N` doublings up to `θ_max`, `δ = 1/n^ℓ`): the selection's
//! spread is at least `((√(Λ₂ + 2a/9) − √(a/2))² − a/18)·n/θ₂` (`Λ₂` the
//! validation sets it covers) and `OPT` at most `(√(Λᵘ + a/2) + √(a/2))²·n/θ₁`,
//! `Λᵘ` the least over the greedy's states of the coverage so far plus the `K`
//! largest marginal coverages (and the coverage over the greedy's ratio).
//! `θ_max = 2n(ρα + β)²/(Kε²)`, `α = √ln(6/δ)`, `β = √(ρ(ln|𝒮| + ln(6/δ)))`,
//! where the worst case holds before any bound is looked at. The collections
//! grow `256, 512, …` sets whatever the budget, so a larger budget only adds
//! doublings: the certified ratio (the largest lower bound over the least
//! upper bound so far) never decreases with it. Every bound of every doubling
//! holds together with probability `1 − δ`, so any stopping point is valid.

mod algorithm;
mod celf;
mod centrality;
mod costs;
mod coverage;
mod feasible;
mod heuristics;
mod imm;
mod opim;
mod reach;
pub(crate) mod rr_sets;
mod selection;
mod strategy;

pub use algorithm::{Algorithm, SpreadOracle};
pub use costs::Costs;
pub use imm::ImmSampling;
pub use reach::ReachOfEach;
pub use selection::{Certificate, Evaluation, Guarantee, RrSetStats, Selection, Stop, Timings};
pub use strategy::Targeting;
