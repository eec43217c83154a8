//! [`MonteCarlo`]: the seeded, parallel, reproducible estimator.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bfs_order::BfsCsr;
use super::cost;
use super::per_run::{RunRules, RunWork, RunWorker, SeedNodes};
use super::streams::UnitKeys;
use super::tally::{Record, Tally};
use super::word_parallel::WordWorker;
use super::{CompiledNetwork, Model, MonteCarloSettings, SpreadEstimate, SpreadTally};
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::progress::{Counter, Progress};

/// Runs simulated together by the word-parallel engine (one per bit of a `u64`).
pub const LANES: u64 = 64;

/// Which simulation engine runs the cascades.
///
/// The engines draw their randomness differently, so for one seed they give
/// different (equally valid) estimates; each is reproducible and independent of the
/// number of threads. [`SpreadEstimate::engine`] says which one ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Engine {
    /// Chooses per estimate. Independent Cascade: a deterministic pilot runs the
    /// first `min(runs, 64)` runs with [`Engine::Skipping`] and compares the work
    /// they took with what one [`Engine::WordParallel`] batch of as many runs would
    /// take (a fitted count model, never a timing, so the choice and the estimate
    /// are reproducible); the estimate is then bit for bit the chosen engine's.
    /// Small cascades (each run reaching few customers of a large network) go to
    /// skipping, large ones to word-parallel; the pilot costs at most about one
    /// batch. Signed cascade: [`Engine::Skipping`]. Linear Threshold:
    /// [`Engine::PerRun`].
    #[default]
    Auto,
    /// 64 runs at once, one bit per run (Independent Cascade only). A unit is a
    /// batch of 64 runs (the last one may be partial). Fastest when cascades are
    /// large, so that the runs of a batch share their nodes.
    WordParallel,
    /// One run at a time (every model), one coin per arc keyed by the arc: the
    /// reference engine. A unit is one run.
    PerRun,
    /// One run at a time, each acting node's live out-arcs drawn by geometric
    /// skipping with thinning, so a dead arc costs nothing (Independent Cascade
    /// and the signed cascade). Fastest when cascades are small against the
    /// network and probabilities low. A unit is one run. Its live-edge worlds are
    /// coupled across seed sets (adding a seed never lowers a run's spread), not
    /// across changes of probability.
    Skipping,
}

impl Engine {
    /// Every engine.
    pub const ALL: [Engine; 4] = [
        Engine::Auto,
        Engine::WordParallel,
        Engine::PerRun,
        Engine::Skipping,
    ];

    /// The name accepted by [`FromStr`](std::str::FromStr): `auto`,
    /// `word-parallel`, `per-run` or `skipping` (the `spread` example's
    /// `--engine` values).
    pub fn name(self) -> &'static str {
        match self {
            Engine::Auto => "auto",
            Engine::WordParallel => "word-parallel",
            Engine::PerRun => "per-run",
            Engine::Skipping => "skipping",
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Engine {
    type Err = Error;

    /// Parses a name as given by [`Engine::name`] (ASCII case-insensitive; `_`
    /// may stand for `-`, as in the serde form `word_parallel`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `engine`) for any other text.
    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim().replace('_', "-");
        Engine::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| {
                Error::invalid(
                    "engine",
                    format!(
                        "unknown engine `{s}` (expected auto, word-parallel, per-run or skipping)"
                    ),
                )
            })
    }
}

/// A Monte Carlo estimator of the spread of a cascade.
///
/// `runs` runs are split into fixed *units* (one run for [`Engine::PerRun`] and
/// [`Engine::Skipping`], a batch of 64 for [`Engine::WordParallel`]); unit `i`
/// draws all its randomness from its own `Xoshiro256PlusPlus` stream derived from
/// `(seed, i)`. The units run in parallel on the current rayon pool and their
/// tallies are exact integer counts, so the estimate is **bit-identical whatever
/// the number of threads**. The engines use different streams: for one seed they
/// give different (equally valid) estimates.
///
/// Runs, seed, threads and engine are one validated [`MonteCarloSettings`]
/// (default: 10,000 runs, seed 0, the current pool, automatic engine); the
/// optional outputs are by-value setters (default: none).
///
/// ```
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::{CompiledNetwork, Model, MonteCarlo, MonteCarloSettings};
/// let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 0.5)])?;
/// let compiled = CompiledNetwork::from_network(&net);
/// let est = MonteCarlo::new(Model::IndependentCascade)
///     .settings(MonteCarloSettings::new(20_000, 7)?)
///     .estimate(&compiled, ["a"])?;
/// assert!((est.mean - 1.75).abs() < 4.0 * est.std_err);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarlo {
    model: Model,
    settings: MonteCarloSettings,
    node_probabilities: bool,
    trajectory: bool,
    influence: bool,
    #[serde(skip)]
    progress: Progress,
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
            settings: MonteCarloSettings::default(),
            node_probabilities: false,
            trajectory: false,
            influence: false,
            progress: Progress::default(),
        }
    }

    /// Sets the runs, seed, threads and engine.
    #[must_use]
    pub fn settings(mut self, settings: MonteCarloSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Tells `progress` as runs finish (`done` runs of `runs`) and stops the
    /// estimate with [`Error::Cancelled`] once it is cancelled (checked before
    /// every unit of work).
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
        self
    }

    /// The runs, seed, threads and engine.
    pub fn replication(&self) -> &MonteCarloSettings {
        &self.settings
    }

    /// Also estimate each customer's activation probability.
    #[must_use]
    pub fn node_probabilities(mut self, on: bool) -> Self {
        self.node_probabilities = on;
        self
    }

    /// Also estimate the mean activity per step.
    #[must_use]
    pub fn trajectory(mut self, on: bool) -> Self {
        self.trajectory = on;
        self
    }

    /// Also count who influenced whom (per tie, the runs in which it carried the
    /// activation).
    #[must_use]
    pub fn influence(mut self, on: bool) -> Self {
        self.influence = on;
        self
    }

    /// The model.
    pub fn model(&self) -> Model {
        self.model
    }

    /// The number of units the runs are split into with the engine this estimator
    /// would use for its model: one per run, except for word-parallel (one per 64
    /// runs). For [`Engine::Auto`] with Independent Cascade the engine is chosen
    /// per estimate and this is the upper bound, `runs`.
    ///
    /// # Errors
    /// As [`MonteCarlo::estimate`] for an engine that does not support the model.
    pub fn units(&self) -> Result<u64> {
        Ok(match self.concrete_engine()? {
            Engine::WordParallel => self.settings.runs().div_ceil(LANES),
            _ => self.settings.runs(),
        })
    }

    /// Estimates the spread from `seeds` (customer ids; duplicates count once). In
    /// the signed model the seeds are advocates.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] for an id not in the network;
    /// [`Error::InvalidParameter`] for fewer than 2 runs,
    /// [`Engine::WordParallel`] with a model other than Independent Cascade or
    /// [`Engine::Skipping`] with Linear Threshold;
    /// [`Error::ThresholdWeights`] for Linear Threshold weights summing above 1.
    ///
    /// # Complexity
    /// O(runs · (arcs reached)), divided among the rayon threads; the word-parallel
    /// engine reads each reached arc about once per sweep for up to 64 runs, the
    /// skipping engine only the live arcs of the nodes reached (about
    /// `1 + degree · p` random draws per node).
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
    /// `network` (for callers inside the crate that already work on the
    /// compiled network), on the pool the settings ask for.
    ///
    /// # Errors
    /// As [`MonteCarlo::estimate_signed`], and [`Error::InvalidParameter`] (field
    /// `seeds`) for a node number out of range.
    pub(crate) fn estimate_nodes(
        &self,
        network: &CompiledNetwork,
        advocates: &[u32],
        adversaries: &[u32],
    ) -> Result<SpreadEstimate> {
        self.settings
            .install(|| self.estimate_here(network, advocates, adversaries))
    }

    /// Runs `runs` (run `r` is the same run as in an estimate of `runs.end`
    /// runs or more, with the same seed and engine) and returns their exact
    /// integer sums, which [`SpreadTally::merge`] with the sums of other runs
    /// and [`SpreadTally::finish`] into an estimate: one estimate split over
    /// the jobs of a cluster. The settings' runs are not used (the range
    /// says which runs); with [`Engine::Auto`] and Independent Cascade the
    /// engine is chosen by the pilot on the seed's first 64 runs whatever the
    /// range, so every part of a split chooses alike (the tally says which
    /// engine ran).
    ///
    /// # Errors
    /// As [`MonteCarlo::estimate_signed`]; [`Error::InvalidParameter`] for an
    /// empty range (field `runs`) or when per-customer, per-step or per-tie
    /// outputs are asked for (field `runs`: a tally carries the spread only).
    ///
    /// # Complexity
    /// As [`MonteCarlo::estimate`] for `runs.len()` runs, plus up to 64 pilot
    /// runs with [`Engine::Auto`].
    pub fn tally<A, B>(
        &self,
        network: &CompiledNetwork,
        advocates: A,
        adversaries: B,
        runs: std::ops::Range<u64>,
    ) -> Result<SpreadTally>
    where
        A: IntoIterator,
        A::Item: AsRef<str>,
        B: IntoIterator,
        B::Item: AsRef<str>,
    {
        if runs.is_empty() {
            return Err(Error::invalid(
                "runs",
                format!("{}..{} is an empty range of runs", runs.start, runs.end),
            ));
        }
        if self.node_probabilities || self.trajectory || self.influence {
            return Err(Error::invalid(
                "runs",
                "a tally of a range of runs carries the spread only: per-customer, per-step and per-tie outputs come from `estimate`",
            ));
        }
        let positive = network.nodes_of(advocates)?;
        let negative = network.nodes_of(adversaries)?;
        self.settings.install(|| {
            let (seeds, concrete) = self.checked(network, &positive, &negative)?;
            let record = Record {
                signed: matches!(self.model, Model::Signed { .. }),
                ..Record::default()
            };
            let skipping = || RunRules::of(self.model, Some(network.live_arc_sampler()));
            let engine = match concrete {
                Engine::Auto => match self.pilot(network, skipping(), &seeds, record, LANES) {
                    Some(_) => Engine::Skipping,
                    None => Engine::WordParallel,
                },
                other => other,
            };
            let counter = self.progress.counter(runs.end - runs.start);
            let tally = match engine {
                Engine::WordParallel => {
                    self.word_tally(network, &seeds, record, runs.clone(), Some(&counter))
                }
                _ => {
                    let sampler = (engine == Engine::Skipping).then(|| network.live_arc_sampler());
                    let rules = RunRules::of(self.model, sampler);
                    let watch = Watch::Progress(Some(&counter));
                    self.run_units(network, rules, &seeds, record, runs.clone(), watch)
                        .tally
                }
            };
            self.progress.check()?;
            Ok(SpreadTally::new(
                self.model,
                engine,
                self.settings.seed(),
                runs,
                &tally,
            ))
        })
    }

    /// Checks the seeds against the model and the network, and the engine
    /// against the model: the seed nodes and the engine to run.
    fn checked(
        &self,
        network: &CompiledNetwork,
        advocates: &[u32],
        adversaries: &[u32],
    ) -> Result<(SeedNodes, Engine)> {
        if !adversaries.is_empty() && !matches!(self.model, Model::Signed { .. }) {
            return Err(Error::invalid(
                "model",
                format!(
                    "adversary seeds need the signed model, not `{}`",
                    self.model.name()
                ),
            ));
        }
        let concrete = self.concrete_engine()?;
        self.model.validate(network)?;
        Ok((seed_nodes(network, advocates, adversaries)?, concrete))
    }

    /// [`MonteCarlo::estimate_nodes`] on the current pool.
    fn estimate_here(
        &self,
        network: &CompiledNetwork,
        advocates: &[u32],
        adversaries: &[u32],
    ) -> Result<SpreadEstimate> {
        let (seeds, concrete) = self.checked(network, advocates, adversaries)?;
        let record = Record {
            nodes: self.node_probabilities,
            steps: self.trajectory,
            arcs: self.influence,
            signed: matches!(self.model, Model::Signed { .. }),
        };
        let all = 0..self.settings.runs();
        let lanes = self.settings.runs().min(LANES);
        let counter = self.progress.counter(self.settings.runs());
        let counter = Some(&counter);
        let (tally, engine) = match concrete {
            Engine::WordParallel => (
                self.word_tally(network, &seeds, record, all, counter),
                concrete,
            ),
            Engine::PerRun | Engine::Skipping => {
                let sampler = (concrete == Engine::Skipping).then(|| network.live_arc_sampler());
                let rules = RunRules::of(self.model, sampler);
                let done = self.run_units(
                    network,
                    rules,
                    &seeds,
                    record,
                    all,
                    Watch::Progress(counter),
                );
                (done.tally, concrete)
            }
            Engine::Auto => {
                let rules = RunRules::of(self.model, Some(network.live_arc_sampler()));
                match self.pilot(network, rules, &seeds, record, lanes) {
                    Some(pilot) => {
                        if let Some(c) = counter {
                            c.advance(pilot.work.runs);
                        }
                        let rest = pilot.work.runs..self.settings.runs();
                        let rest = self.run_units(
                            network,
                            rules,
                            &seeds,
                            record,
                            rest,
                            Watch::Progress(counter),
                        );
                        (pilot.merge(rest).tally, Engine::Skipping)
                    }
                    None => (
                        self.word_tally(network, &seeds, record, all, counter),
                        Engine::WordParallel,
                    ),
                }
            }
        };
        // Cancelled units were skipped: the tally is incomplete.
        self.progress.check()?;
        Ok(tally.finish(network, self.model, self.settings.seed(), engine))
    }

    /// The word-parallel engine over the batches that hold `runs` (run `r`
    /// is lane `r % 64` of batch `r / 64`; a lane's outcome does not depend
    /// on which other lanes run).
    fn word_tally(
        &self,
        network: &CompiledNetwork,
        seeds: &SeedNodes,
        record: Record,
        runs: std::ops::Range<u64>,
        counter: Option<&Counter<'_>>,
    ) -> Tally {
        let (n, m) = (network.node_count(), network.arc_count());
        let bfs = BfsCsr::new(network, &seeds.positive, record.arcs);
        (runs.start / LANES..runs.end.div_ceil(LANES))
            .into_par_iter()
            .fold(
                || (WordWorker::new(&bfs), Tally::new(record, n, m)),
                |(mut worker, mut tally), unit| {
                    if self.progress.is_cancelled() {
                        return (worker, tally);
                    }
                    let lanes = lanes_of(unit, &runs);
                    let keys = UnitKeys::new(self.settings.seed(), unit);
                    worker.run_batch(&bfs, lanes, keys.arc, &mut tally);
                    if let Some(c) = counter {
                        c.advance(u64::from(lanes.count_ones()));
                    }
                    (worker, tally)
                },
            )
            .map(|(_, tally)| tally)
            .reduce_with(Tally::merge)
            .unwrap_or_else(|| Tally::new(record, n, m))
    }

    /// The one-run-at-a-time engines (per-arc coins, or skipping) over `units`,
    /// in parallel; watched for the union of the runs' active sets (the pilot)
    /// or for progress.
    fn run_units(
        &self,
        network: &CompiledNetwork,
        rules: RunRules<'_>,
        seeds: &SeedNodes,
        record: Record,
        units: std::ops::Range<u64>,
        watch: Watch<'_>,
    ) -> RunsDone {
        let (track_union, counter) = match watch {
            Watch::Union => (true, None),
            Watch::Progress(counter) => (false, counter),
        };
        let (n, m) = (network.node_count(), network.arc_count());
        let empty = || RunsDone {
            tally: Tally::new(record, n, m),
            work: RunWork::default(),
            union: Vec::new(),
        };
        units
            .into_par_iter()
            .fold(
                || {
                    let worker = RunWorker::new(network, rules, record.arcs);
                    let worker = match track_union {
                        true => worker.track_union(network),
                        false => worker,
                    };
                    (worker, Tally::new(record, n, m))
                },
                |(mut worker, mut tally), unit| {
                    if self.progress.is_cancelled() {
                        return (worker, tally);
                    }
                    let keys = UnitKeys::new(self.settings.seed(), unit);
                    worker.run(network, rules, seeds, keys, &mut tally);
                    if let Some(c) = counter {
                        c.tick();
                    }
                    (worker, tally)
                },
            )
            .map(|(worker, tally)| RunsDone {
                tally,
                work: worker.work(),
                union: worker.union().to_vec(),
            })
            .reduce_with(RunsDone::merge)
            .unwrap_or_else(empty)
    }

    /// The automatic choice for Independent Cascade: simulates the first
    /// `lanes` runs (`min(runs, 64)`) with the skipping engine (`rules`), counting its work,
    /// and compares that with the work the word-parallel engine would do on one
    /// batch of as many runs (see [`cost`]). Returns the pilot's runs when
    /// skipping is chosen (they are the skipping engine's first runs, kept), `None`
    /// for word-parallel. After the first 4 runs it stops early, for
    /// word-parallel, when those runs projected to the whole batch cost more than
    /// the most the word-parallel batch could. The runs are simulated in parallel
    /// and the choice depends on counts, never on timings: it is reproducible and
    /// independent of the number of threads.
    fn pilot(
        &self,
        network: &CompiledNetwork,
        rules: RunRules<'_>,
        seeds: &SeedNodes,
        record: Record,
        lanes: u64,
    ) -> Option<RunsDone> {
        let m = network.arc_count() as u64;
        let first = cost::EARLY_AFTER.min(lanes);
        let mut done = self.run_units(network, rules, seeds, record, 0..first, Watch::Union);
        if first < lanes {
            let union = union_degree(network, &done.union);
            let projected = cost::skipping(done.work) * (lanes as f64 / first as f64);
            if projected > cost::word_batch_at_most(done.work, union, lanes, m) {
                return None;
            }
            let rest = self.run_units(network, rules, seeds, record, first..lanes, Watch::Union);
            done = done.merge(rest);
        }
        let union = union_degree(network, &done.union);
        (cost::skipping(done.work) <= cost::word_batch(done.work, union)).then_some(done)
    }

    /// The engine that runs this model: [`Engine::Auto`] stays automatic only for
    /// Independent Cascade (decided by a pilot); the other models run per run.
    fn concrete_engine(&self) -> Result<Engine> {
        match (self.settings.engine_choice(), self.model) {
            (Engine::Auto, Model::IndependentCascade) => Ok(Engine::Auto),
            (Engine::Auto, Model::Signed { .. }) => Ok(Engine::Skipping),
            (Engine::Auto, Model::LinearThreshold) => Ok(Engine::PerRun),
            (Engine::WordParallel, Model::IndependentCascade) => Ok(Engine::WordParallel),
            (Engine::WordParallel, other) => Err(Error::invalid(
                "engine",
                format!(
                    "the word-parallel engine runs Independent Cascade only, not `{}`",
                    other.name()
                ),
            )),
            (Engine::Skipping, Model::LinearThreshold) => Err(Error::invalid(
                "engine",
                "the skipping engine runs the coin models (Independent Cascade, signed), not `lt`",
            )),
            (engine, _) => Ok(engine),
        }
    }
}

/// What a batch of one-run-at-a-time runs reports besides its tally.
#[derive(Clone, Copy)]
enum Watch<'a> {
    /// The union of the runs' active sets (the automatic choice's pilot).
    Union,
    /// Progress, to the counter if any.
    Progress(Option<&'a Counter<'a>>),
}

/// What a set of one-run-at-a-time units produced.
struct RunsDone {
    tally: Tally,
    work: RunWork,
    /// The union of the runs' active sets, one bit per node (when tracked).
    union: Vec<u64>,
}

impl RunsDone {
    fn merge(self, other: RunsDone) -> RunsDone {
        let (mut union, other_union) = if self.union.len() >= other.union.len() {
            (self.union, other.union)
        } else {
            (other.union, self.union)
        };
        for (word, bits) in union.iter_mut().zip(other_union) {
            *word |= bits;
        }
        RunsDone {
            tally: self.tally.merge(other.tally),
            work: self.work + other.work,
            union,
        }
    }
}

/// The lanes of batch `unit` (runs `64 unit .. 64 unit + 64`) that lie in
/// `runs`, one bit per run.
fn lanes_of(unit: u64, runs: &std::ops::Range<u64>) -> u64 {
    let first = unit.saturating_mul(LANES);
    let from = runs.start.saturating_sub(first).min(LANES);
    let to = runs.end.saturating_sub(first).min(LANES);
    let below = |k: u64| {
        if k >= LANES {
            u64::MAX
        } else {
            (1u64 << k) - 1
        }
    };
    below(to) & !below(from)
}

/// Out-degree summed over the nodes whose bits are set in `union`.
fn union_degree(network: &CompiledNetwork, union: &[u64]) -> u64 {
    let mut total = 0;
    for (w, &word) in union.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let v = w as u32 * 64 + bits.trailing_zeros();
            bits &= bits - 1;
            total += network.out_degree(v) as u64;
        }
    }
    total
}

/// Simulates Independent Cascade runs `0..runs` under `seed` one after another on
/// the per-run engine (one coin per arc: its streams, so its results), and calls
/// `visit` with each run's keys and active nodes (seeds included, each once): for
/// callers that need every run's active set, such as the funnel lift.
///
/// # Errors
/// [`Error::InvalidParameter`] (field `seeds`) for a node out of range.
pub(crate) fn independent_cascade_runs(
    network: &CompiledNetwork,
    seeds: &[u32],
    seed: u64,
    runs: u64,
    mut visit: impl FnMut(UnitKeys, &[u32]),
) -> Result<()> {
    let seeds = seed_nodes(network, seeds, &[])?;
    let rules = RunRules::of(Model::IndependentCascade, None);
    let mut worker = RunWorker::new(network, rules, false);
    let mut tally = Tally::new(Record::default(), 0, 0);
    for unit in 0..runs {
        let keys = UnitKeys::new(seed, unit);
        worker.run_and_inspect(network, rules, &seeds, keys, &mut tally, |active| {
            visit(keys, active)
        });
    }
    Ok(())
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
