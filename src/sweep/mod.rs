//! Parameter sweeps over a [`Scenario`]: a [`Design`] of cells over some
//! [`Axis`]es, several seeded runs per cell, in parallel, summarised per cell
//! as means with 95% confidence intervals of chosen [`Metric`]s.
//!
//! ```
//! use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
//! use social_loop::sweep::{Axis, Levels, Metric, Sweep};
//! use social_loop::Stage;
//! use serde_json::json;
//!
//! let base = Scenario::default()
//!     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(400, 20, 6.0)?))
//!     .horizon(8);
//! let sweep = Sweep::new(base)
//!     .axis(Axis::new("ownership", Levels::values([json!({"model": "siloed"}), json!({"model": "co_op"})])))
//!     .axis(Axis::new("rates.advocate_talk", Levels::range(0.1, 0.5, 3)))
//!     .metrics([Metric::NetValue, Metric::Stage(Stage::Advocate)])
//!     .seed(7);
//! let table = sweep.run(0..4)?; // 2 x 3 cells, runs 0, 1, 2, 3 of each
//! let summary = table.summary();
//! assert_eq!(summary.cells.len(), 6);
//! let advocates = summary.column(Metric::Stage(Stage::Advocate)).ok_or("no column")?;
//! assert!(advocates.iter().all(|s| s.n == 4 && s.ci95.is_some()));
//! println!("{}", summary.to_csv());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Parameters
//!
//! An axis names a field of the scenario by its path in the scenario's JSON
//! form (`rates.advocate_talk`, `ownership`, `engagements.*.cost`; see
//! [`Axis`]), so any field can be swept, and a sweep is itself plain data: a
//! [`Sweep`] reads and writes as JSON, for a batch job to pick up. Paths and
//! values are checked before anything runs: a typo, or a probability of 1.5,
//! is an [`Error::InvalidParameter`] naming the cell and the path.
//!
//! # Reproducibility
//!
//! Run `r` of cell `c` simulates the cell's scenario with the seed
//! [`Seeding::run_seed`]`(seed, c, r)`; the base scenario's own seed is not
//! used. Cells and runs are spread over the rayon pool (cells in parallel,
//! and the runs of a cell in parallel), and each run's metrics are added into
//! exact integer sums ([`Moments`]), so the table is the same bit for bit
//! whatever the number of threads. With [`Seeding::Common`] every cell uses
//! the same seeds, which pairs cells run by run.
//!
//! # Fanning out over a cluster
//!
//! [`Sweep::run`] takes a range of runs. Jobs that run disjoint ranges of the
//! same sweep produce [`SweepTable`]s that [`SweepTable::merge`] exactly:
//! runs `0..n/2` merged with `n/2..n` equal runs `0..n`, and a run merged
//! twice is refused. Write each job's table with serde (JSON keeps the 128-bit
//! sums as strings), merge them, then read the [`SweepSummary`] (JSON or CSV).
//!
//! For the tasks of a batch scheduler (a Slurm job array, a Kubernetes
//! Indexed Job), [`Sweep::run_shard`] runs the `i`-th of `m` parts of the
//! (cell, run) work, balanced by cost, and returns a [`SweepPart`] that
//! carries the sweep's [fingerprint](Sweep::fingerprint); [`ShardMerge`]
//! puts the parts back together, byte for byte the table of one process, and
//! refuses a part twice, a missing part or a part of another sweep. How the
//! work is split is in [`Shard`]'s module docs (`sweep::shard`).
//!
//! # Progress and cancellation
//!
//! [`Sweep::progress`] reports each finished run to a
//! [`Progress`] observer and stops with [`Error::Cancelled`] once it is
//! cancelled (checked before every period of every run);
//! [`Sweep::on_cell_done`] is told each finished cell (for a log line per
//! cell in a scheduler's output).

mod axis;
mod design;
mod metric;
mod moments;
mod shard;
mod summary;
mod table;

pub(crate) use axis::set_path;
pub use axis::{Axis, Levels};
pub use design::{Design, MAX_CELLS, Seeding};
pub use metric::Metric;
pub use moments::{MetricSummary, Moments, SCALE};
pub use shard::{Shard, ShardMerge, SweepPart};
pub(crate) use summary::write_row as write_csv_row;
pub use summary::{CellSummary, SweepSummary};
pub use table::SweepTable;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sim::{Scenario, Simulation};
use table::{CellResult, Identity};

/// A parameter sweep: a base scenario, the axes that vary, how cells are
/// chosen, the master seed, how runs are seeded and what is measured.
/// `Default` plus by-value setters; serde in and out (every field optional in
/// JSON).
///
/// See the [module docs](self) for an example.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Sweep {
    base: Scenario,
    axes: Vec<Axis>,
    design: Design,
    seed: u64,
    seeding: Seeding,
    metrics: Vec<Metric>,
    #[serde(skip)]
    progress: Progress,
    #[serde(skip)]
    cell_done: CellObserver,
    /// The sweep file's folder: a relative `network.file.path` in the base
    /// or in a cell is read from there.
    #[serde(skip)]
    folder: Option<PathBuf>,
}

/// A cell finished: all the runs of it that a [`Sweep::run`] or
/// [`Sweep::run_shard`] does (told to [`Sweep::on_cell_done`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CellDone {
    /// The cell's index in the design.
    pub cell: u64,
    /// The runs of it that were done.
    pub runs: Range<u32>,
    /// Cells finished so far, this one included.
    pub done: u64,
    /// Cells with runs to do in this call.
    pub total: u64,
}

type CellCallback = dyn Fn(CellDone) + Send + Sync;

/// The optional callback of [`Sweep::on_cell_done`].
#[derive(Clone, Default)]
struct CellObserver(Option<Arc<CellCallback>>);

impl fmt::Debug for CellObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Some(..)" } else { "None" })
    }
}

impl Default for Sweep {
    /// The default scenario, no axes (one cell), a grid design, seed 1,
    /// independent seeding and [`Metric::defaults`].
    fn default() -> Self {
        Sweep::new(Scenario::default())
    }
}

/// A sweep checked and ready to run: every cell's levels and unit cost.
struct Prepared {
    base: Value,
    cells: Vec<Vec<Value>>,
    costs: Vec<u64>,
}

impl Sweep {
    /// A sweep around `base` with no axes yet, a grid design, seed 1,
    /// independent seeding and [`Metric::defaults`].
    pub fn new(base: Scenario) -> Self {
        Sweep {
            base,
            axes: Vec::new(),
            design: Design::Grid,
            seed: 1,
            seeding: Seeding::Independent,
            metrics: Metric::defaults(),
            progress: Progress::default(),
            cell_done: CellObserver::default(),
            folder: None,
        }
    }

    /// Reads a sweep file's JSON text strictly: a byte-order mark is skipped,
    /// and a value of the wrong type or an unknown field is an error naming its
    /// JSON path (the cells are checked when the sweep runs).
    ///
    /// # Errors
    /// [`Error::Parse`] (line and column) for malformed JSON;
    /// [`Error::InvalidParameter`] naming the JSON path otherwise.
    pub fn from_json(text: &str) -> Result<Sweep> {
        let (sweep, _) = crate::json::from_str(text, crate::json::Unknown::Reject)?;
        Ok(sweep)
    }

    /// Reads a sweep file as [`Sweep::from_json`] does; a relative
    /// `network.file.path` (in the base or set by an axis) is then read
    /// relative to the sweep file's folder, as in a scenario file.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file when it cannot be read; otherwise as
    /// [`Sweep::from_json`], with the file named in a syntax error.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Sweep> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(name.clone(), e))?;
        let mut sweep = Self::from_json(&text).map_err(|e| e.in_file(name))?;
        sweep.folder = path.parent().map(Path::to_path_buf);
        Ok(sweep)
    }

    /// Adds an axis (applied after the earlier ones, so a later axis wins
    /// where two paths overlap).
    #[must_use]
    pub fn axis(mut self, axis: Axis) -> Self {
        self.axes.push(axis);
        self
    }

    /// Sets the design.
    #[must_use]
    pub fn design(mut self, design: Design) -> Self {
        self.design = design;
        self
    }

    /// Sets the master seed (of the design and of every run).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets how runs are seeded.
    #[must_use]
    pub fn seeding(mut self, seeding: Seeding) -> Self {
        self.seeding = seeding;
        self
    }

    /// Tells `progress` after each finished run (`done` of the runs to do)
    /// and stops [`run`](Self::run) with [`Error::Cancelled`] once it is
    /// cancelled.
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
        self
    }

    /// Calls `callback` each time a cell has finished all its runs (from
    /// worker threads, one call at a time, `done` increasing): a scheduler's
    /// log can then show a line per cell. Cells without runs to do (in a
    /// shard) are not told.
    #[must_use]
    pub fn on_cell_done(mut self, callback: impl Fn(CellDone) + Send + Sync + 'static) -> Self {
        self.cell_done = CellObserver(Some(Arc::new(callback)));
        self
    }

    /// Sets the metrics (the table's columns, in this order).
    #[must_use]
    pub fn metrics(mut self, metrics: impl IntoIterator<Item = Metric>) -> Self {
        self.metrics = metrics.into_iter().collect();
        self
    }

    /// The base scenario.
    pub fn base(&self) -> &Scenario {
        &self.base
    }

    /// The axes.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// The levels of every cell, in cell order (`cells()[c][a]` is axis `a`
    /// in cell `c`).
    ///
    /// # Errors
    /// As [`Design`]'s checks: invalid levels (naming the axis), an empty or
    /// oversized design.
    pub fn cells(&self) -> Result<Vec<Vec<Value>>> {
        self.design.cells(&self.axes, self.seed)
    }

    /// The scenario of cell `cell` with the levels `levels` (from
    /// [`cells`](Self::cells)), with the seed of run `run`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the cell and the path when a path
    /// does not exist or a value is not what the field accepts, or the
    /// scenario's own validation error (its field prefixed with the cell).
    pub fn scenario(&self, cell: u64, levels: &[Value], run: u32) -> Result<Scenario> {
        let base = self.base_json()?;
        let scenario = self.cell_scenario(&base, cell, levels)?;
        Ok(scenario.seed(self.seeding.run_seed(self.seed, cell, run)))
    }

    /// The sweep's fingerprint: `sha256:` and the 64 hex digits of the
    /// SHA-256 of its canonical JSON (the sweep as this crate writes it, with
    /// every default filled in, object keys sorted, no spaces). Two sweep
    /// files that differ only in layout, key order or defaults left out have
    /// the same fingerprint; [`SweepPart`]s carry it so that parts of
    /// different sweeps are never merged.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `sweep`) when the sweep cannot be
    /// written as JSON (not for one read from JSON).
    pub fn fingerprint(&self) -> Result<String> {
        let json = serde_json::to_value(self)
            .map_err(|e| Error::invalid("sweep", format!("cannot be written as JSON: {e}")))?;
        Ok(shard::fingerprint(&json))
    }

    /// Runs `runs` (e.g. `0..10`) of every cell and returns their exact sums.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an empty range of runs (field `runs`),
    /// no metrics (field `metrics`), or an invalid cell (see
    /// [`scenario`](Self::scenario); every cell is checked before any runs);
    /// a run's own errors; [`Error::Overflow`] when a sum does not fit;
    /// [`Error::Cancelled`] when the [`progress`](Self::progress) observer is
    /// cancelled.
    ///
    /// # Complexity
    /// cells x runs simulations, over the rayon pool; memory for one scenario
    /// per cell in flight and one row of sums per cell.
    pub fn run(&self, runs: Range<u32>) -> Result<SweepTable> {
        let prepared = self.prepare(&runs)?;
        let plan = vec![runs; prepared.cells.len()];
        self.run_plan(prepared, plan)
    }

    /// Runs shard `shard` of the work of `runs` of every cell: the units
    /// (cell, run) split into `shard.count()` disjoint parts balanced by cost
    /// (customers × periods of the cell; see [`Shard`] and the module docs of
    /// `sweep::shard`), the same split in every task. Parts of all the shards
    /// merge with [`ShardMerge`] into exactly the table of [`run`](Self::run).
    ///
    /// # Errors
    /// As [`run`](Self::run) (every cell is checked, also those this shard
    /// does not run); [`Error::Overflow`] when the split's arithmetic does
    /// not fit (not within [`MAX_CELLS`] cells).
    ///
    /// # Complexity
    /// About `1 / shard.count()` of [`run`](Self::run)'s simulations.
    pub fn run_shard(&self, runs: Range<u32>, shard: Shard) -> Result<SweepPart> {
        let fingerprint = self.fingerprint()?;
        let prepared = self.prepare(&runs)?;
        let plan = shard::plan(&prepared.costs, runs.clone(), shard)?;
        let table = self.run_plan(prepared, plan)?;
        Ok(SweepPart::new(fingerprint, shard, runs, table))
    }

    /// Checks that `part` is shard `shard` of `runs` of this sweep, as
    /// [`run_shard`](Self::run_shard) writes it: the same fingerprint, shard
    /// and runs, and every cell holding exactly the runs the split gives the
    /// shard. A task that finds its part done and checked can skip the work.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `part`) saying what differs; the
    /// sweep's own errors as [`run`](Self::run).
    pub fn check_part(&self, part: &SweepPart, runs: Range<u32>, shard: Shard) -> Result<()> {
        let differs = |reason: String| Err(Error::invalid("part", reason));
        if part.fingerprint() != self.fingerprint()? {
            return differs(format!(
                "it is a part of another sweep ({})",
                part.fingerprint()
            ));
        }
        if part.shard() != shard {
            return differs(format!("it is shard {}, not {shard}", part.shard()));
        }
        if part.runs() != runs {
            return differs(format!(
                "it is a part of runs {}..{}, not {}..{}",
                part.runs().start,
                part.runs().end,
                runs.start,
                runs.end
            ));
        }
        let prepared = self.prepare(&runs)?;
        let plan = shard::plan(&prepared.costs, runs, shard)?;
        for (c, expected) in plan.iter().enumerate() {
            let expected: Vec<[u32; 2]> = match expected.is_empty() {
                true => Vec::new(),
                false => vec![[expected.start, expected.end]],
            };
            if part.table().cell_runs(c) != Some(expected.as_slice()) {
                return differs(format!("cell {c} does not hold the runs of shard {shard}"));
            }
        }
        Ok(())
    }

    /// Checks the runs, the metrics and every cell, and reads each cell's
    /// unit cost.
    fn prepare(&self, runs: &Range<u32>) -> Result<Prepared> {
        if runs.start >= runs.end {
            return Err(Error::invalid(
                "runs",
                format!("{}..{} is empty", runs.start, runs.end),
            ));
        }
        if self.metrics.is_empty() {
            return Err(Error::invalid("metrics", "no metric to measure"));
        }
        let cells = self.cells()?;
        let base = self.base_json()?;
        let mut costs = Vec::with_capacity(cells.len());
        for (c, levels) in cells.iter().enumerate() {
            let json = self.cell_json(&base, levels)?;
            costs.push(shard::unit_cost(&json));
            self.read_cell(json, c as u64, levels)?;
        }
        Ok(Prepared { base, cells, costs })
    }

    /// Runs `plan[c]` of every cell `c`.
    fn run_plan(&self, prepared: Prepared, plan: Vec<Range<u32>>) -> Result<SweepTable> {
        let Prepared { base, cells, .. } = prepared;
        let progress = &self.progress;
        let total: u64 = plan.iter().map(|r| u64::from(r.end - r.start)).sum();
        let counter = progress.counter(total);
        let cells_to_do = plan.iter().filter(|r| !r.is_empty()).count() as u64;
        let cells_done = Mutex::new(0u64);
        // Runs check the flag before every period but report nothing
        // themselves: the sweep counts whole runs.
        let cancel_only = progress.cancel_only();
        let causal = self.metrics.iter().any(Metric::needs_actor_values);
        let width = self.metrics.len();
        let empty = || vec![Moments::default(); width];
        let rows = cells
            .into_par_iter()
            .zip(plan)
            .enumerate()
            .map(|(c, (levels, runs))| {
                let cell = c as u64;
                if runs.is_empty() {
                    return Ok(CellResult {
                        levels,
                        runs,
                        moments: empty(),
                    });
                }
                let scenario = self.cell_scenario(&base, cell, &levels)?;
                let moments = runs
                    .clone()
                    .into_par_iter()
                    .map(|run| {
                        progress.check()?;
                        let s = scenario
                            .clone()
                            .seed(self.seeding.run_seed(self.seed, cell, run));
                        let simulation = Simulation::new(&s)?.progress(&cancel_only);
                        let (report, actors) = if causal {
                            let (report, actors) = simulation.run_with_actor_values()?;
                            (report, Some(actors))
                        } else {
                            (simulation.run()?, None)
                        };
                        let observed = self
                            .metrics
                            .iter()
                            .map(|m| m.observe(&report, actors.as_ref()))
                            .collect::<Result<Vec<_>>>()?;
                        counter.tick();
                        Ok(observed)
                    })
                    .try_fold(
                        empty,
                        |mut acc: Vec<Moments>, observed: Result<Vec<Option<moments::Fixed>>>| {
                            for ((m, x), metric) in acc.iter_mut().zip(observed?).zip(&self.metrics)
                            {
                                m.add(x, &metric.name())?;
                            }
                            Ok::<_, Error>(acc)
                        },
                    )
                    .try_reduce(empty, |mut a, b| {
                        for ((m, x), metric) in a.iter_mut().zip(&b).zip(&self.metrics) {
                            m.merge(x, &metric.name())?;
                        }
                        Ok(a)
                    })?;
                if let Some(callback) = &self.cell_done.0 {
                    let mut done = cells_done.lock().unwrap_or_else(|p| p.into_inner());
                    *done += 1;
                    callback(CellDone {
                        cell,
                        runs: runs.clone(),
                        done: *done,
                        total: cells_to_do,
                    });
                }
                Ok(CellResult {
                    levels,
                    runs,
                    moments,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SweepTable::new(
            Identity {
                seed: self.seed,
                seeding: self.seeding,
                scenario: fnv1a(&base.to_string()),
                axes: self.axes.iter().map(|a| a.path().to_string()).collect(),
                metrics: self.metrics.clone(),
            },
            rows,
        ))
    }

    fn base_json(&self) -> Result<Value> {
        serde_json::to_value(&self.base)
            .map_err(|e| Error::invalid("base", format!("cannot be written as JSON: {e}")))
    }

    /// The base's JSON with the cell's levels applied.
    fn cell_json(&self, base: &Value, levels: &[Value]) -> Result<Value> {
        let mut json = base.clone();
        for (axis, value) in self.axes.iter().zip(levels) {
            axis::set_path(&mut json, axis.path(), value)?;
        }
        Ok(json)
    }

    /// The base with the cell's levels applied, read back and validated.
    fn cell_scenario(&self, base: &Value, cell: u64, levels: &[Value]) -> Result<Scenario> {
        self.read_cell(self.cell_json(base, levels)?, cell, levels)
    }

    /// A cell's JSON read as a scenario and validated; errors name the cell.
    fn read_cell(&self, json: Value, cell: u64, levels: &[Value]) -> Result<Scenario> {
        let describe = || {
            let settings: Vec<String> = self
                .axes
                .iter()
                .zip(levels)
                .map(|(a, v)| format!("{} = {v}", a.path()))
                .collect();
            format!("cell {cell} ({})", settings.join(", "))
        };
        let mut scenario: Scenario =
            crate::json::from_value(json).map_err(|e| within(e, &describe()))?;
        if let Some(folder) = &self.folder {
            scenario.resolve_network_file(folder);
        }
        scenario.validate().map_err(|e| within(e, &describe()))?;
        Ok(scenario)
    }
}

/// Says in which sweep cell or axis a parameter error happened: the field keeps
/// its JSON path, the reason is prefixed with `context`.
pub(crate) fn within(e: Error, context: &str) -> Error {
    match e {
        Error::InvalidParameter { field, reason } => Error::InvalidParameter {
            field,
            reason: format!("{context}: {reason}"),
        },
        Error::InvalidProbability { field, value } => Error::InvalidParameter {
            field,
            reason: format!("{context}: {value} is not a probability (must be in [0, 1])"),
        },
        other => other,
    }
}

/// 64-bit FNV-1a: identifies the base scenario in a table.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
