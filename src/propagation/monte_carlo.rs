//! [`MonteCarlo`]: the seeded, parallel, reproducible estimator.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bfs_order::BfsCsr;
use super::per_run::{RunRules, RunWorker, SeedNodes};
use super::streams::UnitKeys;
use super::tally::{Record, Tally};
use super::word_parallel::WordWorker;
use super::{CompiledNetwork, Model, SpreadEstimate};
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// Runs simulated together by the word-parallel engine (one per bit of a `u64`).
pub const LANES: u64 = 64;

/// Which simulation engine runs the cascades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Word-parallel for Independent Cascade, per-run for the other models.
    #[default]
    Auto,
    /// 64 runs at once, one bit per run (Independent Cascade only). A unit is a
    /// batch of 64 runs (the last one may be partial).
    WordParallel,
    /// One run at a time (every model). A unit is one run.
    PerRun,
}

/// A Monte Carlo estimator of the spread of a cascade.
///
/// `runs` runs are split into fixed *units* (one run for [`Engine::PerRun`], a
/// batch of 64 for [`Engine::WordParallel`]); unit `i` draws all its randomness
/// from its own `Xoshiro256PlusPlus` stream derived from `(seed, i)`. The units
/// run in parallel on the current rayon pool and their tallies are exact integer
/// counts, so the estimate is **bit-identical whatever the number of threads**.
/// The two engines use different streams: for one seed they give different (equally
/// valid) estimates.
///
/// Settings are by-value setters on a `Default` (10,000 runs, seed 0, automatic
/// engine, no optional outputs).
///
/// ```
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::{CompiledNetwork, Model, MonteCarlo};
/// let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 0.5)])?;
/// let compiled = CompiledNetwork::from_network(&net);
/// let est = MonteCarlo::new(Model::IndependentCascade)
///     .runs(20_000)
///     .seed(7)
///     .estimate(&compiled, ["a"])?;
/// assert!((est.mean - 1.75).abs() < 4.0 * est.std_err);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarlo {
    model: Model,
    runs: u64,
    seed: u64,
    engine: Engine,
    node_probabilities: bool,
    trajectory: bool,
    influence: bool,
}

impl Default for MonteCarlo {
    fn default() -> Self {
        MonteCarlo::new(Model::IndependentCascade)
    }
}

impl MonteCarlo {
    /// An estimator of `model` with the default settings.
    pub fn new(model: Model) -> Self {
        MonteCarlo {
            model,
            runs: 10_000,
            seed: 0,
            engine: Engine::Auto,
            node_probabilities: false,
            trajectory: false,
            influence: false,
        }
    }

    /// Sets the number of runs (at least 2, checked by the estimate).
    pub fn runs(mut self, runs: u64) -> Self {
        self.runs = runs;
        self
    }

    /// Sets the master seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Chooses the engine.
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Also estimate each customer's activation probability.
    pub fn node_probabilities(mut self, on: bool) -> Self {
        self.node_probabilities = on;
        self
    }

    /// Also estimate the mean activity per step.
    pub fn trajectory(mut self, on: bool) -> Self {
        self.trajectory = on;
        self
    }

    /// Also count who influenced whom (per tie, the runs in which it carried the
    /// activation).
    pub fn influence(mut self, on: bool) -> Self {
        self.influence = on;
        self
    }

    /// The model.
    pub fn model(&self) -> Model {
        self.model
    }

    /// The number of units the runs are split into with the engine this estimator
    /// would use for its model.
    ///
    /// # Errors
    /// As [`MonteCarlo::estimate`] for an engine that does not support the model.
    pub fn units(&self) -> Result<u64> {
        Ok(match self.word_parallel()? {
            true => self.runs.div_ceil(LANES),
            false => self.runs,
        })
    }

    /// Estimates the spread from `seeds` (customer ids; duplicates count once). In
    /// the signed model the seeds are advocates.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] for an id not in the network;
    /// [`Error::InvalidParameter`] for fewer than 2 runs or
    /// [`Engine::WordParallel`] with a model other than Independent Cascade;
    /// [`Error::ThresholdWeights`] for Linear Threshold weights summing above 1.
    ///
    /// # Complexity
    /// O(runs · (arcs reached)), divided among the rayon threads; the word-parallel
    /// engine reads each reached arc once per step for up to 64 runs.
    pub fn estimate<I>(&self, network: &CompiledNetwork, seeds: I) -> Result<SpreadEstimate>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.estimate_signed(network, seeds, std::iter::empty::<&str>())
    }

    /// Estimates a signed cascade from `advocates` (positive) and `adversaries`
    /// (negative) seeds.
    ///
    /// # Errors
    /// As [`MonteCarlo::estimate`], and [`Error::InvalidParameter`] (field `seeds`)
    /// when a customer is both an advocate and an adversary, or (field `model`) when
    /// there are adversaries and the model is not [`Model::Signed`].
    pub fn estimate_signed<A, B>(
        &self,
        network: &CompiledNetwork,
        advocates: A,
        adversaries: B,
    ) -> Result<SpreadEstimate>
    where
        A: IntoIterator,
        A::Item: AsRef<str>,
        B: IntoIterator,
        B::Item: AsRef<str>,
    {
        let positive = network.nodes_of(advocates)?;
        let negative = network.nodes_of(adversaries)?;
        self.estimate_nodes(network, &positive, &negative)
    }

    /// As [`MonteCarlo::estimate_signed`], with seeds given as node numbers of
    /// `network` (for callers that already work on the compiled network).
    ///
    /// # Errors
    /// As [`MonteCarlo::estimate_signed`], and [`Error::InvalidParameter`] (field
    /// `seeds`) for a node number out of range.
    pub fn estimate_nodes(
        &self,
        network: &CompiledNetwork,
        advocates: &[u32],
        adversaries: &[u32],
    ) -> Result<SpreadEstimate> {
        if self.runs < 2 {
            return Err(Error::invalid(
                "runs",
                format!(
                    "{} runs: at least 2 are needed for a standard error",
                    self.runs
                ),
            ));
        }
        if !adversaries.is_empty() && !matches!(self.model, Model::Signed { .. }) {
            return Err(Error::invalid(
                "model",
                format!(
                    "adversary seeds need the signed model, not `{}`",
                    self.model.name()
                ),
            ));
        }
        let word = self.word_parallel()?;
        self.model.validate(network)?;
        let seeds = seed_nodes(network, advocates, adversaries)?;
        let record = Record {
            nodes: self.node_probabilities,
            steps: self.trajectory,
            arcs: self.influence,
            signed: matches!(self.model, Model::Signed { .. }),
        };
        let (n, m) = (network.node_count(), network.arc_count());
        let tally = if word {
            let units = self.runs.div_ceil(LANES);
            let last_lanes = match self.runs % LANES {
                0 => u64::MAX,
                k => (1u64 << k) - 1,
            };
            let bfs = BfsCsr::new(network, &seeds.positive, record.arcs);
            (0..units)
                .into_par_iter()
                .fold(
                    || (WordWorker::new(&bfs), Tally::new(record, n, m)),
                    |(mut worker, mut tally), unit| {
                        let lanes = if unit + 1 == units {
                            last_lanes
                        } else {
                            u64::MAX
                        };
                        let keys = UnitKeys::new(self.seed, unit);
                        worker.run_batch(&bfs, lanes, keys.arc, &mut tally);
                        (worker, tally)
                    },
                )
                .map(|(_, tally)| tally)
                .reduce_with(Tally::merge)
        } else {
            let rules = RunRules::of(self.model);
            (0..self.runs)
                .into_par_iter()
                .fold(
                    || {
                        (
                            RunWorker::new(network, rules, record.arcs),
                            Tally::new(record, n, m),
                        )
                    },
                    |(mut worker, mut tally), unit| {
                        let keys = UnitKeys::new(self.seed, unit);
                        worker.run(network, rules, &seeds, keys, &mut tally);
                        (worker, tally)
                    },
                )
                .map(|(_, tally)| tally)
                .reduce_with(Tally::merge)
        };
        let tally = tally.unwrap_or_else(|| Tally::new(record, n, m));
        Ok(tally.finish(network, self.model, self.seed))
    }

    fn word_parallel(&self) -> Result<bool> {
        match (self.engine, self.model) {
            (Engine::Auto | Engine::WordParallel, Model::IndependentCascade) => Ok(true),
            (Engine::WordParallel, other) => Err(Error::invalid(
                "engine",
                format!(
                    "the word-parallel engine runs Independent Cascade only, not `{}`",
                    other.name()
                ),
            )),
            _ => Ok(false),
        }
    }
}

/// Deduplicates and checks the seed nodes.
fn seed_nodes(
    network: &CompiledNetwork,
    advocates: &[u32],
    adversaries: &[u32],
) -> Result<SeedNodes> {
    let n = network.node_count();
    let mut side = vec![0u8; n];
    let mut seeds = SeedNodes::default();
    for (mark, nodes) in [(1u8, advocates), (2u8, adversaries)] {
        for &s in nodes {
            let slot = side.get_mut(s as usize).ok_or_else(|| {
                Error::invalid(
                    "seeds",
                    format!("node {s} is out of range (network has {n} nodes)"),
                )
            })?;
            if *slot == mark {
                continue;
            }
            if *slot != 0 {
                let id = network
                    .customer(s)
                    .map_or_else(|| format!("#{s}"), |c: &CustomerId| c.to_string());
                return Err(Error::invalid(
                    "seeds",
                    format!("customer `{id}` is both an advocate and an adversary"),
                ));
            }
            *slot = mark;
            if mark == 1 {
                seeds.positive.push(s);
            } else {
                seeds.negative.push(s);
            }
        }
    }
    Ok(seeds)
}
