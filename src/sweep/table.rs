//! [`SweepTable`]: the mergeable result of a sweep (exact sums per cell and
//! metric), and [`SweepSummary`]: the table of means and confidence intervals
//! read from it, as JSON (serde) or CSV.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::design::Seeding;
use super::metric::Metric;
use super::moments::{Moments, Summary};
use crate::error::{Error, Result};

/// The result of running some runs of a sweep: for every cell, the exact
/// [`Moments`] of every metric over the runs done.
///
/// Tables of the same sweep (same base scenario, axes, design, seed, seeding
/// and metrics) over disjoint runs [`merge`](Self::merge) exactly: runs
/// `0..5` merged with `5..10` is equal, bit for bit, to runs `0..10` (see
/// [`Moments`] for why). So a sweep can be fanned out over the jobs of a
/// cluster, each running a range of runs and writing its table as JSON, and
/// the tables merged afterwards in any order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TableRecord", into = "TableRecord")]
pub struct SweepTable {
    record: TableRecord,
}

/// The serialized form of a table; also what [`SweepTable`] holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TableRecord {
    seed: u64,
    seeding: Seeding,
    /// FNV-1a hash of the base scenario's JSON, as 16 hex digits.
    scenario: String,
    axes: Vec<String>,
    metrics: Vec<Metric>,
    /// Runs included: sorted, disjoint, non-adjacent half-open ranges.
    runs: Vec<[u32; 2]>,
    cells: Vec<CellMoments>,
}

/// One cell's levels and moments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CellMoments {
    levels: Vec<Value>,
    moments: Vec<Moments>,
}

impl TryFrom<TableRecord> for SweepTable {
    type Error = Error;
    fn try_from(record: TableRecord) -> Result<Self> {
        let bad = |reason: String| Err(Error::invalid("table", reason));
        for (i, cell) in record.cells.iter().enumerate() {
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
        }
        if normalise(record.runs.clone()) != Some(record.runs.clone()) {
            return bad("runs must be sorted, disjoint, non-empty ranges".into());
        }
        Ok(SweepTable { record })
    }
}

impl From<SweepTable> for TableRecord {
    fn from(t: SweepTable) -> Self {
        t.record
    }
}

/// Sorts and coalesces ranges; `None` if two overlap or one is empty.
fn normalise(mut runs: Vec<[u32; 2]>) -> Option<Vec<[u32; 2]>> {
    runs.sort_unstable();
    let mut out: Vec<[u32; 2]> = Vec::with_capacity(runs.len());
    for [start, end] in runs {
        if start >= end {
            return None;
        }
        match out.last_mut() {
            Some(last) if start < last[1] => return None,
            Some(last) if start == last[1] => last[1] = end,
            _ => out.push([start, end]),
        }
    }
    Some(out)
}

impl SweepTable {
    pub(crate) fn new(
        identity: (u64, Seeding, u64),
        axes: Vec<String>,
        metrics: Vec<Metric>,
        runs: std::ops::Range<u32>,
        cells: Vec<(Vec<Value>, Vec<Moments>)>,
    ) -> Self {
        let (seed, seeding, scenario) = identity;
        SweepTable {
            record: TableRecord {
                seed,
                seeding,
                scenario: format!("{scenario:016x}"),
                axes,
                metrics,
                runs: vec![[runs.start, runs.end]],
                cells: cells
                    .into_iter()
                    .map(|(levels, moments)| CellMoments { levels, moments })
                    .collect(),
            },
        }
    }

    /// The runs included, as sorted, disjoint half-open ranges `[start, end)`.
    pub fn runs(&self) -> &[[u32; 2]] {
        &self.record.runs
    }

    /// Number of cells.
    pub fn cell_count(&self) -> usize {
        self.record.cells.len()
    }

    /// The axes' paths.
    pub fn axes(&self) -> &[String] {
        &self.record.axes
    }

    /// The metrics, in column order.
    pub fn metrics(&self) -> &[Metric] {
        &self.record.metrics
    }

    /// The moments of `metric` in cell `cell`.
    pub fn moments(&self, cell: usize, metric: Metric) -> Option<&Moments> {
        let m = self.record.metrics.iter().position(|&x| x == metric)?;
        self.record.cells.get(cell)?.moments.get(m)
    }

    /// Adds the runs of `other`, a table of the same sweep over other runs.
    /// Exact: the result does not depend on how the runs were split or in
    /// which order the parts are merged.
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
    /// different sweeps or share a run; [`Error::Overflow`] when a sum does not
    /// fit. `self` is unchanged on error.
    pub fn merge(&mut self, other: &SweepTable) -> Result<()> {
        let (a, b) = (&self.record, &other.record);
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
        let mut runs = a.runs.clone();
        runs.extend_from_slice(&b.runs);
        let runs = normalise(runs).ok_or_else(|| {
            Error::invalid(
                "merge",
                format!(
                    "runs {} and {} overlap: a run would be counted twice",
                    show_runs(&a.runs),
                    show_runs(&b.runs)
                ),
            )
        })?;
        let mut cells = a.cells.clone();
        for (mine, theirs) in cells.iter_mut().zip(&b.cells) {
            for ((m, t), metric) in mine.moments.iter_mut().zip(&theirs.moments).zip(&a.metrics) {
                m.merge(t, &metric.name())?;
            }
        }
        self.record.runs = runs;
        self.record.cells = cells;
        Ok(())
    }

    /// Means, standard deviations and 95% confidence intervals per cell and
    /// metric.
    pub fn summary(&self) -> SweepSummary {
        let r = &self.record;
        SweepSummary {
            seed: r.seed,
            runs: r.runs.clone(),
            axes: r.axes.clone(),
            metrics: r.metrics.clone(),
            cells: r
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

fn show_runs(runs: &[[u32; 2]]) -> String {
    runs.iter()
        .map(|[s, e]| format!("{s}..{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table a person reads: per cell, its levels and each metric's
/// [`Summary`] (mean, standard deviation, 95% confidence interval).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// The sweep's master seed.
    pub seed: u64,
    /// The runs summarised, as half-open ranges.
    pub runs: Vec<[u32; 2]>,
    /// The axes' paths; `levels` of each cell follow this order.
    pub axes: Vec<String>,
    /// The metrics; `stats` of each cell follow this order.
    pub metrics: Vec<Metric>,
    /// One row per cell, in cell order.
    pub cells: Vec<CellSummary>,
}

/// One cell of a [`SweepSummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellSummary {
    /// The cell's index in the design.
    pub cell: u64,
    /// The value of each axis.
    pub levels: Vec<Value>,
    /// The statistics of each metric.
    pub stats: Vec<Summary>,
}

impl SweepSummary {
    /// The statistics of `metric` in every cell, in cell order.
    pub fn column(&self, metric: Metric) -> Option<Vec<&Summary>> {
        let m = self.metrics.iter().position(|&x| x == metric)?;
        self.cells.iter().map(|c| c.stats.get(m)).collect()
    }

    /// The table as CSV (RFC 4180: comma-separated, fields with a comma, a
    /// quote or a line break quoted, quotes doubled; `\n` line ends).
    ///
    /// Columns: `cell`, one per axis (its path; strings as they are, numbers
    /// and other JSON values as compact JSON), then for each metric
    /// `NAME.n`, `NAME.mean`, `NAME.std_dev`, `NAME.ci95_low`,
    /// `NAME.ci95_high` (empty when undefined). Numbers are written in the
    /// shortest form that reads back to the same `f64`.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut header = vec!["cell".to_string()];
        header.extend(self.axes.iter().cloned());
        for m in &self.metrics {
            for stat in ["n", "mean", "std_dev", "ci95_low", "ci95_high"] {
                header.push(format!("{m}.{stat}"));
            }
        }
        write_row(&mut out, header.iter().map(String::as_str));
        let num = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        for cell in &self.cells {
            let mut row = vec![cell.cell.to_string()];
            row.extend(cell.levels.iter().map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }));
            for s in &cell.stats {
                row.push(s.n.to_string());
                row.push(num(s.mean));
                row.push(num(s.std_dev));
                row.push(num(s.ci95.map(|c| c[0])));
                row.push(num(s.ci95.map(|c| c[1])));
            }
            write_row(&mut out, row.iter().map(String::as_str));
        }
        out
    }
}

fn write_row<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            let _ = write!(out, "\"{}\"", field.replace('"', "\"\""));
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::moments::Fixed;
    use serde_json::json;

    fn table(runs: std::ops::Range<u32>, values: &[i64]) -> SweepTable {
        let mut m = Moments::default();
        for &v in values {
            m.add(Some(Fixed::from_count(v as u64)), "x").unwrap();
        }
        SweepTable::new(
            (1, Seeding::Independent, 42),
            vec!["ownership".into()],
            vec![Metric::Purchases],
            runs,
            vec![(vec![json!({"model": "co_op"})], vec![m])],
        )
    }

    #[test]
    fn runs_are_coalesced_and_overlaps_refused() {
        assert_eq!(
            normalise(vec![[5, 9], [0, 5], [12, 13]]),
            Some(vec![[0, 9], [12, 13]])
        );
        assert_eq!(normalise(vec![[0, 5], [4, 6]]), None);
        assert_eq!(normalise(vec![[3, 3]]), None);
        let mut a = table(0..2, &[1, 2]);
        let before = a.clone();
        let err = a.merge(&table(1..3, &[2, 3])).unwrap_err();
        assert!(
            err.to_string().contains("runs 0..2 and 1..3 overlap"),
            "{err}"
        );
        assert_eq!(a, before);
        a.merge(&table(2..3, &[3])).unwrap();
        assert_eq!(a.runs(), &[[0, 3]]);
        assert_eq!(a, table(0..3, &[1, 2, 3]));
    }

    #[test]
    fn tables_of_different_sweeps_do_not_merge() {
        let a = table(0..1, &[1]);
        let mut other = table(1..2, &[1]);
        other.record.seed = 2;
        assert!(
            a.clone()
                .merge(&other)
                .unwrap_err()
                .to_string()
                .contains("seeds differ")
        );
        let mut other = table(1..2, &[1]);
        other.record.scenario = "0".into();
        assert!(
            a.clone()
                .merge(&other)
                .unwrap_err()
                .to_string()
                .contains("base scenarios")
        );
        let mut other = table(1..2, &[1]);
        other.record.cells[0].levels[0] = json!({"model": "siloed"});
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
    fn csv_quotes_json_levels_and_leaves_undefined_stats_empty() {
        let csv = table(0..1, &[4]).summary().to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "cell,ownership,purchases.n,purchases.mean,purchases.std_dev,purchases.ci95_low,purchases.ci95_high"
        );
        assert_eq!(lines[1], r#"0,"{""model"":""co_op""}",1,4,,,"#);
    }
}
