//! [`SweepTable`]: the mergeable result of a sweep (exact sums per cell and
//! metric, and the runs each cell holds). The summary read from it is in
//! [`summary`](super::summary).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::design::Seeding;
use super::metric::Metric;
use super::moments::Moments;
use super::summary::{CellSummary, SweepSummary};
use crate::error::{Error, Result};
use crate::propagation::union_of_runs;

/// Runs as sorted, disjoint, non-adjacent half-open ranges `[start, end)`.
pub(crate) type Runs = Vec<[u32; 2]>;

/// The result of running some runs of a sweep: for every cell, the runs it
/// holds and the exact [`Moments`] of every metric over them.
///
/// Tables of the same sweep (same base scenario, axes, design, seed, seeding
/// and metrics) over disjoint runs [`merge`](Self::merge) exactly: runs
/// `0..5` merged with `5..10` is equal, bit for bit, to runs `0..10` (see
/// [`Moments`] for why). So a sweep can be fanned out over the jobs of a
/// cluster, each running a range of runs (or a [`Shard`](super::Shard): some
/// runs of some cells) and writing its table as JSON, and the tables merged
/// afterwards in any order and any grouping.
///
/// In JSON, a table whose cells all hold the same runs (every table
/// [`Sweep::run`](super::Sweep::run) makes, and every complete merge) has one
/// `runs` field; a shard's table, whose cells hold different runs, has a
/// `runs` field in each cell instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TableRecord", into = "TableRecord")]
pub struct SweepTable {
    seed: u64,
    seeding: Seeding,
    /// FNV-1a hash of the base scenario's JSON, as 16 hex digits.
    scenario: String,
    axes: Vec<String>,
    metrics: Vec<Metric>,
    cells: Vec<Cell>,
}

/// One cell: its levels, the runs it holds and their moments.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    levels: Vec<Value>,
    runs: Runs,
    moments: Vec<Moments>,
}

/// The serialized form of a table.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableRecord {
    seed: u64,
    seeding: Seeding,
    scenario: String,
    axes: Vec<String>,
    metrics: Vec<Metric>,
    /// The runs of every cell, when all cells hold the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    runs: Option<Runs>,
    cells: Vec<CellRecord>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CellRecord {
    levels: Vec<Value>,
    /// The cell's own runs, when the cells hold different runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    runs: Option<Runs>,
    moments: Vec<Moments>,
}

impl TryFrom<TableRecord> for SweepTable {
    type Error = Error;
    fn try_from(record: TableRecord) -> Result<Self> {
        let bad = |reason: String| Err(Error::invalid("table", reason));
        let mut cells = Vec::with_capacity(record.cells.len());
        for (i, cell) in record.cells.into_iter().enumerate() {
            if cell.levels.len() != record.axes.len() {
                return bad(format!(
                    "cell {i} has {} levels for {} axes",
                    cell.levels.len(),
                    record.axes.len()
                ));
            }
            if cell.moments.len() != record.metrics.len() {
                return bad(format!(
                    "cell {i} has {} moments for {} metrics",
                    cell.moments.len(),
                    record.metrics.len()
                ));
            }
            let runs = match (&record.runs, cell.runs) {
                (Some(all), None) => all.clone(),
                (None, Some(own)) => own,
                (Some(_), Some(_)) => {
                    return bad(format!("cell {i} has runs of its own besides the table's"));
                }
                (None, None) => return bad(format!("cell {i} says nothing of its runs")),
            };
            if union_of_runs(runs.clone()).as_ref() != Some(&runs) {
                return bad(format!(
                    "cell {i}: runs must be sorted, disjoint, non-empty ranges"
                ));
            }
            cells.push(Cell {
                levels: cell.levels,
                runs,
                moments: cell.moments,
            });
        }
        Ok(SweepTable {
            seed: record.seed,
            seeding: record.seeding,
            scenario: record.scenario,
            axes: record.axes,
            metrics: record.metrics,
            cells,
        })
    }
}

impl From<SweepTable> for TableRecord {
    fn from(t: SweepTable) -> Self {
        let uniform = t.uniform_runs().map(<[_]>::to_vec);
        TableRecord {
            seed: t.seed,
            seeding: t.seeding,
            scenario: t.scenario,
            axes: t.axes,
            metrics: t.metrics,
            cells: t
                .cells
                .into_iter()
                .map(|c| CellRecord {
                    levels: c.levels,
                    runs: uniform.is_none().then_some(c.runs),
                    moments: c.moments,
                })
                .collect(),
            runs: uniform,
        }
    }
}

/// What identifies the sweep a table comes from.
pub(crate) struct Identity {
    pub seed: u64,
    pub seeding: Seeding,
    /// Hash of the base scenario's JSON.
    pub scenario: u64,
    pub axes: Vec<String>,
    pub metrics: Vec<Metric>,
}

/// One cell as a sweep computed it: its levels, the runs done, their moments.
pub(crate) struct CellResult {
    pub levels: Vec<Value>,
    pub runs: std::ops::Range<u32>,
    pub moments: Vec<Moments>,
}

impl SweepTable {
    pub(crate) fn new(identity: Identity, cells: Vec<CellResult>) -> Self {
        SweepTable {
            seed: identity.seed,
            seeding: identity.seeding,
            scenario: format!("{:016x}", identity.scenario),
            axes: identity.axes,
            metrics: identity.metrics,
            cells: cells
                .into_iter()
                .map(|c| Cell {
                    levels: c.levels,
                    runs: if c.runs.is_empty() {
                        Vec::new()
                    } else {
                        vec![[c.runs.start, c.runs.end]]
                    },
                    moments: c.moments,
                })
                .collect(),
        }
    }

    /// The runs every cell holds, as sorted, disjoint half-open ranges
    /// `[start, end)`, when all cells hold the same runs (always so for a
    /// table of [`Sweep::run`](super::Sweep::run) and for a complete merge);
    /// `None` for a shard's table, whose cells hold different runs (see
    /// [`cell_runs`](Self::cell_runs)).
    pub fn runs(&self) -> Option<&[[u32; 2]]> {
        self.uniform_runs()
    }

    /// The runs cell `cell` holds.
    pub fn cell_runs(&self, cell: usize) -> Option<&[[u32; 2]]> {
        self.cells.get(cell).map(|c| c.runs.as_slice())
    }

    fn uniform_runs(&self) -> Option<&[[u32; 2]]> {
        let (first, rest) = self.cells.split_first()?;
        rest.iter()
            .all(|c| c.runs == first.runs)
            .then_some(first.runs.as_slice())
    }

    /// Number of cells.
    pub fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// The axes' paths.
    pub fn axes(&self) -> &[String] {
        &self.axes
    }

    /// The metrics, in column order.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// The moments of `metric` in cell `cell`.
    pub fn moments(&self, cell: usize, metric: Metric) -> Option<&Moments> {
        let m = self.metrics.iter().position(|&x| x == metric)?;
        self.cells.get(cell)?.moments.get(m)
    }

    /// Adds the runs of `other`, a table of the same sweep over other runs
    /// (cell by cell: a shard's table adds the runs it did of each cell).
    /// Exact: the result does not depend on how the runs were split, nor on
    /// the order or grouping in which the parts are merged.
    ///
    /// ```
    /// use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
    /// use social_loop::sweep::{Axis, Levels, Sweep};
    /// let base = Scenario::default()
    ///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(200, 20, 4.0)?))
    ///     .horizon(4);
    /// let sweep = Sweep::new(base).axis(Axis::new("rates.advocate_talk", Levels::range(0.1, 0.5, 2)));
    /// let mut first = sweep.run(0..2)?;
    /// first.merge(&sweep.run(2..3)?)?;
    /// assert_eq!(first, sweep.run(0..3)?);
    /// assert!(first.merge(&sweep.run(1..2)?).is_err()); // run 1 is already in
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `merge`) when the tables come from
    /// different sweeps or share a run of a cell; [`Error::Overflow`] when a
    /// sum does not fit. `self` is unchanged on error.
    pub fn merge(&mut self, other: &SweepTable) -> Result<()> {
        let (a, b) = (&*self, other);
        let differ = |what: &str| {
            Err(Error::invalid(
                "merge",
                format!("the tables come from different sweeps (their {what} differ)"),
            ))
        };
        if a.seed != b.seed {
            return differ("seeds");
        }
        if a.seeding != b.seeding {
            return differ("seedings");
        }
        if a.scenario != b.scenario {
            return differ("base scenarios");
        }
        if a.axes != b.axes {
            return differ("axes");
        }
        if a.metrics != b.metrics {
            return differ("metrics");
        }
        if a.cells.len() != b.cells.len()
            || a.cells
                .iter()
                .zip(&b.cells)
                .any(|(x, y)| x.levels != y.levels)
        {
            return differ("cells");
        }
        let both_uniform = a.uniform_runs().is_some() && b.uniform_runs().is_some();
        let mut cells = a.cells.clone();
        for (i, (mine, theirs)) in cells.iter_mut().zip(&b.cells).enumerate() {
            let mut runs = mine.runs.clone();
            runs.extend_from_slice(&theirs.runs);
            mine.runs = union_of_runs(runs).ok_or_else(|| {
                let cell = if both_uniform {
                    String::new()
                } else {
                    format!(" of cell {i}")
                };
                Error::invalid(
                    "merge",
                    format!(
                        "runs {} and {}{cell} overlap: a run would be counted twice",
                        show_runs(&mine.runs),
                        show_runs(&theirs.runs)
                    ),
                )
            })?;
            for ((m, t), metric) in mine.moments.iter_mut().zip(&theirs.moments).zip(&a.metrics) {
                m.merge(t, &metric.name())?;
            }
        }
        self.cells = cells;
        Ok(())
    }

    /// Means, standard deviations and 95% confidence intervals per cell and
    /// metric.
    pub fn summary(&self) -> SweepSummary {
        SweepSummary {
            seed: self.seed,
            runs: self.uniform_runs().map(<[_]>::to_vec),
            axes: self.axes.clone(),
            metrics: self.metrics.clone(),
            cells: self
                .cells
                .iter()
                .enumerate()
                .map(|(i, c)| CellSummary {
                    cell: i as u64,
                    levels: c.levels.clone(),
                    stats: c.moments.iter().map(Moments::summary).collect(),
                })
                .collect(),
        }
    }
}

/// `0..2, 5..7` (or `none`).
pub(crate) fn show_runs(runs: &[[u32; 2]]) -> String {
    if runs.is_empty() {
        return "none".into();
    }
    runs.iter()
        .map(|[s, e]| format!("{s}..{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::moments::Fixed;
    use serde_json::json;

    pub(crate) fn table_of(cells: &[(std::ops::Range<u32>, &[i64])]) -> SweepTable {
        SweepTable::new(
            Identity {
                seed: 1,
                seeding: Seeding::Independent,
                scenario: 42,
                axes: vec!["ownership".into()],
                metrics: vec![Metric::Purchases],
            },
            cells
                .iter()
                .enumerate()
                .map(|(i, (runs, values))| {
                    let mut m = Moments::default();
                    for &v in *values {
                        m.add(Some(Fixed::from_count(v as u64)), "x").unwrap();
                    }
                    CellResult {
                        levels: vec![json!({"model": "co_op", "cell": i})],
                        runs: runs.clone(),
                        moments: vec![m],
                    }
                })
                .collect(),
        )
    }

    fn table(runs: std::ops::Range<u32>, values: &[i64]) -> SweepTable {
        table_of(&[(runs, values)])
    }

    #[test]
    fn runs_are_coalesced_and_overlaps_refused() {
        let mut a = table(0..2, &[1, 2]);
        let before = a.clone();
        let err = a.merge(&table(1..3, &[2, 3])).unwrap_err();
        assert!(
            err.to_string().contains("runs 0..2 and 1..3 overlap"),
            "{err}"
        );
        assert_eq!(a, before);
        a.merge(&table(2..3, &[3])).unwrap();
        assert_eq!(a.runs(), Some(&[[0, 3]][..]));
        assert_eq!(a, table(0..3, &[1, 2, 3]));
    }

    #[test]
    fn tables_of_different_sweeps_do_not_merge() {
        let a = table(0..1, &[1]);
        let mut other = table(1..2, &[1]);
        other.seed = 2;
        assert!(
            a.clone()
                .merge(&other)
                .unwrap_err()
                .to_string()
                .contains("seeds differ")
        );
        let mut other = table(1..2, &[1]);
        other.scenario = "0".into();
        assert!(
            a.clone()
                .merge(&other)
                .unwrap_err()
                .to_string()
                .contains("base scenarios")
        );
        let mut other = table(1..2, &[1]);
        other.cells[0].levels[0] = json!({"model": "siloed"});
        assert!(
            a.clone()
                .merge(&other)
                .unwrap_err()
                .to_string()
                .contains("cells differ")
        );
    }

    #[test]
    fn json_round_trip_and_inconsistent_tables_are_refused() {
        let t = table(0..3, &[1, 2, 3]);
        let json = serde_json::to_string(&t).unwrap();
        assert!(
            json.contains(r#""runs":[[0,3]],"cells":[{"levels""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<SweepTable>(&json).unwrap(), t);
        let overlapping = json.replace("[[0,3]]", "[[0,3],[2,4]]");
        assert!(serde_json::from_str::<SweepTable>(&overlapping).is_err());
        let short = json.replace(
            "\"metrics\":[\"purchases\"]",
            "\"metrics\":[\"purchases\",\"nps\"]",
        );
        assert!(serde_json::from_str::<SweepTable>(&short).is_err());
    }

    #[test]
    fn cells_of_a_shard_hold_their_own_runs_in_json_and_merge_cell_by_cell() {
        let head = table_of(&[(0..3, &[1, 2, 3]), (0..1, &[4])]);
        let tail = table_of(&[(3..3, &[]), (1..3, &[5, 6])]);
        assert_eq!(head.runs(), None);
        assert_eq!(head.cell_runs(1), Some(&[[0, 1]][..]));
        assert_eq!(tail.cell_runs(0), Some(&[][..]));
        let json = serde_json::to_string(&tail).unwrap();
        assert!(!json.contains(r#""cells":[]"#) && json.contains(r#""runs":[]"#));
        assert_eq!(serde_json::from_str::<SweepTable>(&json).unwrap(), tail);
        let mut merged = head.clone();
        merged.merge(&tail).unwrap();
        assert_eq!(merged, table_of(&[(0..3, &[1, 2, 3]), (0..3, &[4, 5, 6])]));
        let err = merged.merge(&tail).unwrap_err().to_string();
        assert!(
            err.contains("runs 0..3 and 1..3 of cell 1 overlap"),
            "{err}"
        );
        // A table-wide `runs` and a cell's own are not both allowed.
        let both = serde_json::to_string(&table(0..1, &[1]))
            .unwrap()
            .replace(r#""levels""#, r#""runs":[[0,1]],"levels""#);
        assert!(serde_json::from_str::<SweepTable>(&both).is_err());
    }
}
