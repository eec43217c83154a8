//! [`Targeting`]: the options of a selection, and the dispatch to the strategy.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::algorithm::{Algorithm, SpreadOracle};
use super::celf::{ExactValue, FromScratch, MonteCarloValue, lazy_greedy};
use super::costs::{Constraint, Costs};
use super::feasible::GREEDY_RATIO;
use super::heuristics::{ranking, take_in_order};
use super::imm::{ImmObjective, ImmSampling, ImmSettings, imm};
use super::opim::{MIN_RR_SETS, OpimSettings, opim};
use super::rr_sets::Walk;
use super::selection::{Guarantee, Selection, Timings, evaluate, prefix_gains};
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::propagation::{CompiledNetwork, Model, MonteCarlo, MonteCarloSettings};

/// Mixed into the seed for the independent evaluation's stream ("evaluate").
const EVALUATION_STREAM: u64 = 0x6576_616c_7561_7465;
/// Mixed into the evaluation seed for the heuristics' prefix gains ("prefixes").
const GAIN_STREAM: u64 = 0x7072_6566_6978_6573;
/// The evaluation's default runs (its seed is derived per selection).
const EVALUATION: MonteCarloSettings = MonteCarloSettings::const_new(10_000, 0);
/// The marginal gains' default runs (their seed is derived per selection).
const GAINS: MonteCarloSettings = MonteCarloSettings::const_new(1_000, 0);

/// The options of a selection: which strategy, which model and objective, which
/// customers may not be chosen, and how the result is evaluated.
///
/// Settings are by-value setters on a `Default` (IMM, Independent Cascade,
/// `ε = 0.1`, `ℓ = 1`, seed 0, CELF on 1,000 Monte Carlo runs, evaluation with
/// 10,000 runs, heuristics' gains with 1,000 runs, 256 betweenness pivots, λ = 1,
/// no budgets).
///
/// The selection runs on the current rayon pool; its result does not depend on
/// the number of threads. It depends on a timing in one place only: an OPIM
/// selection under a [`time_budget`](Self::time_budget) stops when the time runs
/// out, so it is not reproducible (an [`rr_budget`](Self::rr_budget) is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Targeting {
    algorithm: Algorithm,
    model: Model,
    epsilon: f64,
    ell: f64,
    seed: u64,
    oracle: SpreadOracle,
    #[serde(default)]
    imm_sampling: ImmSampling,
    evaluation: Option<MonteCarloSettings>,
    gains: Option<MonteCarloSettings>,
    pivots: usize,
    max_seeds: Option<usize>,
    exclude: Vec<CustomerId>,
    adversaries: Vec<CustomerId>,
    negative_weight: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_budget: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rr_budget: Option<u64>,
    #[serde(skip)]
    progress: Progress,
}

impl Default for Targeting {
    fn default() -> Self {
        Targeting::new(Algorithm::Imm)
    }
}

impl Targeting {
    /// The default options with `algorithm`.
    pub fn new(algorithm: Algorithm) -> Self {
        Targeting {
            algorithm,
            model: Model::IndependentCascade,
            epsilon: 0.1,
            ell: 1.0,
            seed: 0,
            oracle: SpreadOracle::default(),
            imm_sampling: ImmSampling::Independent,
            evaluation: None,
            gains: None,
            pivots: 256,
            max_seeds: None,
            exclude: Vec::new(),
            adversaries: Vec::new(),
            negative_weight: 1.0,
            time_budget: None,
            rr_budget: None,
            progress: Progress::default(),
        }
    }

    /// Sets the strategy.
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Sets the model: Independent Cascade or Linear Threshold maximise the
    /// expected spread; the signed cascade maximises `positive − λ × negative`
    /// reach against the [`adversaries`](Self::adversaries).
    #[must_use]
    pub fn model(mut self, model: Model) -> Self {
        self.model = model;
        self
    }

    /// IMM's and OPIM's accuracy `ε` in `(0, 1)`: IMM guarantees
    /// `(1 − 1/e − ε)`, OPIM stops once it certifies that ratio.
    #[must_use]
    pub fn epsilon(mut self, epsilon: f64) -> Self {
        self.epsilon = epsilon;
        self
    }

    /// IMM's and OPIM's confidence exponent `ℓ > 0`: the guarantee (OPIM's
    /// certified ratio) holds with probability `1 − 1/n^ℓ`.
    #[must_use]
    pub fn ell(mut self, ell: f64) -> Self {
        self.ell = ell;
        self
    }

    /// The master seed of the selection's randomness.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Where IMM's node-selection phase gets its RR sets (default
    /// [`ImmSampling::Independent`]).
    #[must_use]
    pub fn imm_sampling(mut self, sampling: ImmSampling) -> Self {
        self.imm_sampling = sampling;
        self
    }

    /// How CELF evaluates seed sets.
    #[must_use]
    pub fn oracle(mut self, oracle: SpreadOracle) -> Self {
        self.oracle = oracle;
        self
    }

    /// Runs and seed of the independent evaluation of the chosen seeds. By
    /// default 10,000 runs from a seed derived from [`seed`](Self::seed) by
    /// mixing in a constant, a stream apart from the selection's.
    #[must_use]
    pub fn evaluation(mut self, settings: MonteCarloSettings) -> Self {
        self.evaluation = Some(settings);
        self
    }

    /// Runs and seed of the Monte Carlo estimate of the heuristics' marginal
    /// gains. By default 1,000 runs from a stream apart from the evaluation's.
    #[must_use]
    pub fn gains(mut self, settings: MonteCarloSettings) -> Self {
        self.gains = Some(settings);
        self
    }

    /// Sources sampled for the betweenness of [`Algorithm::Bridges`] (at least 1).
    #[must_use]
    pub fn pivots(mut self, pivots: usize) -> Self {
        self.pivots = pivots;
        self
    }

    /// At most this many customers in a budgeted selection
    /// ([`select_within_budget`](Self::select_within_budget)); by default the
    /// budget alone limits it. With both limits no guarantee is reported (the
    /// cost-effective greedy's bound is for one budget).
    #[must_use]
    pub fn max_seeds(mut self, k: usize) -> Self {
        self.max_seeds = Some(k);
        self
    }

    /// Customers who must not be chosen (for example current adversaries, or
    /// customers already in the programme).
    #[must_use]
    pub fn exclude<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<CustomerId>,
    {
        self.exclude = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Current adversaries: they start a negative cascade in the same runs (signed
    /// model only) and are never chosen.
    #[must_use]
    pub fn adversaries<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<CustomerId>,
    {
        self.adversaries = ids.into_iter().map(Into::into).collect();
        self
    }

    /// λ ≥ 0: how much one negative customer costs against one positive one in the
    /// signed objective.
    #[must_use]
    pub fn negative_weight(mut self, lambda: f64) -> Self {
        self.negative_weight = lambda;
        self
    }

    /// OPIM: draw RR sets until `budget` has passed (not stopping at the
    /// target `1 − 1/e − ε`: a budget makes the run anytime), and return the
    /// best selection so far with its certified ratio. The time is checked
    /// between rounds of 32,768 RR sets and between doublings; the first
    /// doubling (512 sets) always completes, and the independent evaluation
    /// comes after. A time-budgeted selection is **not reproducible**: how many
    /// doublings fit depends on the machine and its load (the only place where
    /// a timing changes a result of this crate). Its certified ratio never
    /// decreases with a larger budget on the same machine state, since the RR
    /// sets of a seed are the same whatever the budget.
    #[must_use]
    pub fn time_budget(mut self, budget: Duration) -> Self {
        self.time_budget = Some(budget);
        self
    }

    /// OPIM: draw up to `sets` RR sets (both collections together, at least
    /// 512; not stopping at the target `1 − 1/e − ε`: a budget makes the run
    /// anytime), and return the best selection so far with its certified ratio.
    /// Reproducible: the doublings done are those that fit, so a larger budget
    /// only adds doublings and the certified ratio never decreases with it.
    #[must_use]
    pub fn rr_budget(mut self, sets: u64) -> Self {
        self.rr_budget = Some(sets);
        self
    }

    /// Tells `progress` after each of the three phases of a selection
    /// (selection, marginal gains, evaluation) and checks its cancel flag
    /// before each phase and inside the Monte Carlo estimates.
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
        self
    }

    /// The evaluation's runs and seed in use.
    pub fn effective_evaluation(&self) -> MonteCarloSettings {
        self.evaluation
            .unwrap_or(EVALUATION.with_seed(self.seed ^ EVALUATION_STREAM))
    }

    /// The marginal gains' runs and seed in use.
    fn effective_gains(&self) -> MonteCarloSettings {
        self.gains
            .unwrap_or(GAINS.with_seed(self.effective_evaluation().seed() ^ GAIN_STREAM))
    }

    /// Chooses up to `k` customers (fewer when fewer may be chosen, or when every
    /// remaining one would lower a signed objective).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `k = 0` or an option outside its domain
    /// (field named), adversaries without the signed model, CELF's exact oracle on
    /// the signed model or on a graph too large to enumerate, or an IMM sample of
    /// more than 2³² sets; [`Error::UnknownCustomer`] for an excluded or adversary id
    /// not in the network; [`Error::ThresholdWeights`] for Linear Threshold weights
    /// summing above 1.
    ///
    /// # Complexity
    /// IMM: `O((k + ℓ)(n + m) log n / ε²)` expected (Tang et al. 2015). CELF: one
    /// oracle call per candidate plus the lazy re-evaluations. Heuristics:
    /// `O(n log n)` (PageRank `O(iterations · (n + m))`, bridges
    /// `O(pivots · (n + m))`). Plus the evaluation, `O(runs · arcs reached)`.
    pub fn select(&self, network: &CompiledNetwork, k: usize) -> Result<Selection> {
        if k == 0 {
            return Err(Error::invalid("k", "choose at least one customer"));
        }
        self.run(network, Constraint::count(k))
    }

    /// Chooses customers whose costs add up to at most `budget`.
    ///
    /// IMM and CELF use the cost-effective greedy (largest marginal gain per unit of
    /// cost among the customers who still fit) and return it or the best single
    /// affordable customer, whichever is better; see [`crate::targeting`] for the
    /// guarantee. The heuristics take their ranking in order, skipping customers
    /// who no longer fit.
    ///
    /// # Errors
    /// As [`select`](Self::select), and [`Error::InvalidParameter`] (field `costs`
    /// or `budget`) for a negative cost or budget, [`Error::UnknownCustomer`] for a
    /// cost naming a customer not in the network, [`Error::Overflow`] if a sum of
    /// costs overflows.
    ///
    /// # Complexity
    /// As [`select`](Self::select), with `k` the most customers the budget buys.
    pub fn select_within_budget(
        &self,
        network: &CompiledNetwork,
        costs: &Costs,
        budget: Decimal,
    ) -> Result<Selection> {
        let constraint = Constraint::budget(costs.resolve(network)?, budget, self.max_seeds)?;
        self.run(network, constraint)
    }

    fn validate(&self) -> Result<()> {
        if !(self.epsilon > 0.0 && self.epsilon < 1.0) {
            return Err(Error::invalid(
                "epsilon",
                format!("{} is not in (0, 1)", self.epsilon),
            ));
        }
        if !(self.ell > 0.0 && self.ell.is_finite()) {
            return Err(Error::invalid(
                "ell",
                format!("{} is not a positive number", self.ell),
            ));
        }
        if !(self.negative_weight >= 0.0 && self.negative_weight.is_finite()) {
            return Err(Error::invalid(
                "negative_weight",
                format!("{} is not a finite number >= 0", self.negative_weight),
            ));
        }
        if self.pivots == 0 {
            return Err(Error::invalid("pivots", "at least one pivot is needed"));
        }
        let anytime = self.algorithm == Algorithm::Opim;
        if let Some(sets) = self.rr_budget {
            if !anytime {
                return Err(Error::invalid(
                    "rr_budget",
                    "budgets apply to the opim algorithm",
                ));
            }
            if sets < MIN_RR_SETS {
                return Err(Error::invalid(
                    "rr_budget",
                    format!("{sets} RR sets: OPIM needs at least {MIN_RR_SETS}"),
                ));
            }
        }
        if self.time_budget.is_some() && !anytime {
            return Err(Error::invalid(
                "time_budget",
                "budgets apply to the opim algorithm",
            ));
        }
        if anytime && matches!(self.model, Model::Signed { .. }) {
            return Err(Error::invalid(
                "model",
                "OPIM certifies the spread (Independent Cascade, Linear Threshold), not the signed objective: use IMM",
            ));
        }
        Ok(())
    }

    fn run(&self, network: &CompiledNetwork, constraint: Constraint) -> Result<Selection> {
        self.validate()?;
        let phases = self.progress.counter(3);
        let cancel_only = self.progress.cancel_only();
        self.progress.check()?;
        self.model.validate(network)?;
        let n = network.node_count();
        let signed = matches!(self.model, Model::Signed { .. });
        let adversaries = distinct(network.nodes_of(&self.adversaries)?);
        if !adversaries.is_empty() && !signed {
            return Err(Error::invalid(
                "adversaries",
                format!(
                    "adversaries need the signed model, not `{}`",
                    self.model.name()
                ),
            ));
        }
        let mut candidates = vec![true; n];
        for v in network
            .nodes_of(&self.exclude)?
            .into_iter()
            .chain(adversaries.iter().copied())
        {
            if let Some(c) = candidates.get_mut(v as usize) {
                *c = false;
            }
        }

        // The RR-set samplers' reverse arrays, kept by the network: built here
        // (once per network) and timed apart from the selection.
        let start = Instant::now();
        let built = match self.algorithm {
            Algorithm::Imm => network.prepare_rr_sets(signed),
            Algorithm::Opim => network.prepare_rr_sets(false),
            _ => false,
        };
        let prepare_ms = match built {
            true => start.elapsed().as_secs_f64() * 1e3,
            false => 0.0,
        };
        let start = Instant::now();
        let (nodes, gains, guarantee, rr_sets) = match self.algorithm {
            Algorithm::Imm => {
                let objective = match self.model {
                    Model::IndependentCascade => ImmObjective::Spread(Walk::Cascade),
                    Model::LinearThreshold => ImmObjective::Spread(Walk::Threshold),
                    Model::Signed { negativity_bias } => ImmObjective::Signed {
                        adversaries: &adversaries,
                        negative_weight: self.negative_weight,
                        negativity_bias: negativity_bias.get(),
                    },
                };
                let settings = ImmSettings {
                    epsilon: self.epsilon,
                    ell: self.ell,
                    seed: self.seed,
                    sampling: self.imm_sampling,
                };
                let out = imm(network, objective, &candidates, &constraint, settings)?;
                let proven = self.imm_sampling == ImmSampling::Independent;
                let guarantee =
                    (proven && !signed && !constraint.is_budget_and_count()).then(|| Guarantee {
                        ratio: out.ratio,
                        probability: 1.0 - (n.max(1) as f64).powf(-self.ell),
                        certificate: None,
                    });
                (out.nodes, Some(out.gains), guarantee, Some(out.stats))
            }
            Algorithm::Opim => {
                let settings = OpimSettings {
                    epsilon: self.epsilon,
                    delta: (n.max(2) as f64).powf(-self.ell),
                    seed: self.seed,
                    walk: match self.model {
                        Model::LinearThreshold => Walk::Threshold,
                        _ => Walk::Cascade,
                    },
                    rr_budget: self.rr_budget,
                    time_budget: self.time_budget,
                };
                let out = opim(network, &candidates, &constraint, settings, &cancel_only)?;
                (
                    out.nodes,
                    Some(out.gains),
                    Some(out.guarantee),
                    Some(out.stats),
                )
            }
            Algorithm::Celf => {
                let picks = match self.oracle {
                    SpreadOracle::MonteCarlo { runs } => lazy_greedy(
                        &mut FromScratch::new(MonteCarloValue {
                            network,
                            estimator: MonteCarlo::new(self.model).settings(
                                MonteCarloSettings::new(runs, self.seed)?.on_current_pool(),
                            ),
                            adversaries: &adversaries,
                            negative_weight: self.negative_weight,
                        })?,
                        &candidates,
                        &constraint,
                    )?,
                    SpreadOracle::Exact => lazy_greedy(
                        &mut FromScratch::new(ExactValue {
                            network,
                            model: self.model,
                        })?,
                        &candidates,
                        &constraint,
                    )?,
                };
                let ratio = match constraint.is_budget() {
                    true => GREEDY_RATIO / 2.0,
                    false => GREEDY_RATIO,
                };
                let exact = self.oracle == SpreadOracle::Exact;
                let guarantee = (exact && !constraint.is_budget_and_count()).then_some(Guarantee {
                    ratio,
                    probability: 1.0,
                    certificate: None,
                });
                (picks.nodes, Some(picks.gains), guarantee, None)
            }
            heuristic => {
                let order = ranking(network, heuristic, &candidates, self.seed, self.pivots);
                (take_in_order(&order, &constraint)?, None, None, None)
            }
        };
        let selection_ms = start.elapsed().as_secs_f64() * 1e3;
        phases.tick();
        self.progress.check()?;

        let evaluation_settings = self.effective_evaluation();
        let start = Instant::now();
        let (marginal_gains, gains_ms) = match gains {
            Some(g) => (g, 0.0),
            None => {
                let g = prefix_gains(
                    network,
                    self.model,
                    &nodes,
                    &adversaries,
                    self.negative_weight,
                    self.effective_gains(),
                    &cancel_only,
                )?;
                (g, start.elapsed().as_secs_f64() * 1e3)
            }
        };
        phases.tick();
        self.progress.check()?;
        let start = Instant::now();
        let evaluation = evaluate(
            network,
            self.model,
            &nodes,
            &adversaries,
            self.negative_weight,
            evaluation_settings,
            &cancel_only,
        )?;
        let evaluation_ms = start.elapsed().as_secs_f64() * 1e3;
        phases.tick();

        let costs: Vec<Decimal> = match constraint.is_budget() {
            true => nodes.iter().map(|&v| constraint.cost(v)).collect(),
            false => Vec::new(),
        };
        let total_cost = match constraint.is_budget() {
            true => Some(costs.iter().try_fold(Decimal::ZERO, |acc, c| {
                acc.checked_add(*c)
                    .ok_or_else(|| Error::overflow("the total cost of the selection"))
            })?),
            false => None,
        };
        Ok(Selection {
            algorithm: self.algorithm,
            model: self.model,
            seeds: nodes
                .iter()
                .filter_map(|&v| network.customer(v).cloned())
                .collect(),
            marginal_gains,
            costs,
            total_cost,
            budget: constraint.budget_amount(),
            evaluation,
            guarantee,
            rr_sets,
            timings: Timings {
                prepare_ms,
                selection_ms,
                gains_ms,
                evaluation_ms,
            },
        })
    }
}

/// `nodes` without repeats, first occurrence kept.
fn distinct(mut nodes: Vec<u32>) -> Vec<u32> {
    let mut seen = HashSet::new();
    nodes.retain(|v| seen.insert(*v));
    nodes
}
