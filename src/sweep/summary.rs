//! [`SweepSummary`]: the table of means and confidence intervals a person
//! reads, from a [`SweepTable`](super::SweepTable), as JSON (serde) or CSV.

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::metric::Metric;
use super::moments::MetricSummary;

/// Most decimals a CSV number gets: the table's resolution (one millionth,
/// [`SCALE`](super::SCALE)).
const MAX_DECIMALS: i64 = 6;

/// The table a person reads: per cell, its levels and each metric's
/// [`MetricSummary`] (mean, standard deviation, 95% confidence interval).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SweepSummary {
    /// The sweep's master seed.
    pub seed: u64,
    /// The runs every cell holds, as half-open ranges; `None` when the cells
    /// hold different runs (a shard's table: each metric's `n` says how many).
    pub runs: Option<Vec<[u32; 2]>>,
    /// The axes' paths; `levels` of each cell follow this order.
    pub axes: Vec<String>,
    /// The metrics; `stats` of each cell follow this order.
    pub metrics: Vec<Metric>,
    /// One row per cell, in cell order.
    pub cells: Vec<CellSummary>,
}

/// One cell (one row) of a [`SweepSummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CellSummary {
    /// The cell's index in the design.
    pub cell: u64,
    /// The value of each axis.
    pub levels: Vec<Value>,
    /// The statistics of each metric.
    pub stats: Vec<MetricSummary>,
}

impl SweepSummary {
    /// The statistics of `metric` in every cell, in cell order.
    pub fn column(&self, metric: Metric) -> Option<Vec<&MetricSummary>> {
        let m = self.metrics.iter().position(|&x| x == metric)?;
        self.cells.iter().map(|c| c.stats.get(m)).collect()
    }

    /// The table as CSV (RFC 4180: comma-separated, fields with a comma, a
    /// quote or a line break quoted, quotes doubled; `\n` line ends), for a
    /// spreadsheet or a data frame.
    ///
    /// **Columns**: `cell`; one per axis, named by the last segment of its
    /// path (`rates.advocate_talk` → `advocate_talk`), or by the whole path
    /// when that segment is a position or `*`, or is shared with another
    /// column; then for each metric `NAME.n`, `NAME.mean`, `NAME.std_dev`,
    /// `NAME.ci95_low`, `NAME.ci95_high` (empty when undefined).
    ///
    /// **Levels** are written as text, never as JSON: a string as it is, a
    /// number or a boolean as written in the sweep file, and an object by
    /// its `model` (or `kind`) followed by its other fields as `key=value`
    /// separated by spaces, nested objects and lists in parentheses (the
    /// ownership level `{"model": "agency", "hand_over_period": 26}` reads
    /// `agency hand_over_period=26`).
    ///
    /// **Numbers** are rounded half to even (never truncated) to the digits
    /// the runs can support: every statistic of a metric in a cell goes to
    /// the decimal place of the second significant digit of its standard
    /// error (a mean of 1234.567 with a standard error of 12.3 reads `1235`;
    /// with 0.0456, `1234.567`), at most six decimals (the table's
    /// resolution). With fewer than two runs, or runs that all agree, there
    /// is no standard error and the numbers are written to six decimals,
    /// trailing zeros dropped.
    ///
    /// ```
    /// use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
    /// use social_loop::sweep::{Axis, Levels, Metric, Sweep};
    /// use serde_json::json;
    /// let base = Scenario::default()
    ///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(200, 20, 4.0)?))
    ///     .horizon(4);
    /// let csv = Sweep::new(base)
    ///     .axis(Axis::new("ownership", Levels::values([json!({"model": "co_op"})])))
    ///     .axis(Axis::new("rates.advocate_talk", Levels::values([0.25])))
    ///     .metrics([Metric::Purchases])
    ///     .run(0..3)?
    ///     .summary()
    ///     .to_csv();
    /// let mut lines = csv.lines();
    /// assert_eq!(lines.next(), Some("cell,ownership,advocate_talk,purchases.n,purchases.mean,\
    ///     purchases.std_dev,purchases.ci95_low,purchases.ci95_high"));
    /// assert!(lines.next().ok_or("no row")?.starts_with("0,co_op,0.25,3,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut header = vec!["cell".to_string()];
        header.extend(axis_columns(&self.axes));
        for m in &self.metrics {
            for stat in ["n", "mean", "std_dev", "ci95_low", "ci95_high"] {
                header.push(format!("{m}.{stat}"));
            }
        }
        write_row(&mut out, header.iter().map(String::as_str));
        for cell in &self.cells {
            let mut row = vec![cell.cell.to_string()];
            row.extend(cell.levels.iter().map(level_text));
            for s in &cell.stats {
                let decimals = meaningful_decimals(s.std_err);
                let num =
                    |x: Option<f64>| x.map_or(String::new(), |v| round_half_even(v, decimals));
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

/// The axis columns' names: each path's last segment, or the whole path
/// where that segment is a position, `*`, or shared with another column (a
/// metric's columns have a dot, which a segment cannot have).
fn axis_columns(axes: &[String]) -> Vec<String> {
    let last = |path: &str| path.rsplit('.').next().unwrap_or(path).to_string();
    let vague = |segment: &str| segment == "*" || segment.parse::<u64>().is_ok();
    let taken = |name: &str| name == "cell" || axes.iter().filter(|p| last(p) == name).count() > 1;
    axes.iter()
        .map(|path| {
            let name = last(path);
            if vague(&name) || taken(&name) {
                path.clone()
            } else {
                name
            }
        })
        .collect()
}

/// A level as plain text (see [`SweepSummary::to_csv`]).
fn level_text(level: &Value) -> String {
    match level {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => level.to_string(),
        Value::Array(items) => items.iter().map(nested_text).collect::<Vec<_>>().join(" "),
        Value::Object(fields) => {
            let tag = ["model", "kind"]
                .into_iter()
                .find(|k| fields.get(*k).is_some_and(Value::is_string));
            let mut words: Vec<String> = tag
                .and_then(|k| fields.get(k))
                .map(level_text)
                .into_iter()
                .collect();
            words.extend(
                fields
                    .iter()
                    .filter(|(k, _)| Some(k.as_str()) != tag)
                    .map(|(k, v)| format!("{k}={}", nested_text(v))),
            );
            words.join(" ")
        }
    }
}

/// A level inside another: objects and lists in parentheses.
fn nested_text(level: &Value) -> String {
    match level {
        Value::Array(_) | Value::Object(_) => format!("({})", level_text(level)),
        _ => level_text(level),
    }
}

/// The decimal place of the second significant digit of `std_err` (negative
/// for tens, hundreds, ...), at most [`MAX_DECIMALS`]; [`MAX_DECIMALS`] when
/// there is no positive standard error.
fn meaningful_decimals(std_err: Option<f64>) -> i64 {
    match std_err {
        Some(se) if se.is_finite() && se > 0.0 => (1 - se.log10().floor() as i64).min(MAX_DECIMALS),
        _ => MAX_DECIMALS,
    }
}

/// `x` rounded half to even at `decimals` (negative: tens, hundreds, ...).
/// Below [`MAX_DECIMALS`] the decimals are written out (`2.50`); at it,
/// trailing zeros are dropped (`2.5`). Numbers beyond a decimal's range are
/// written in full.
fn round_half_even(x: f64, decimals: i64) -> String {
    let Some(exact) = Decimal::from_f64_retain(x) else {
        return format!("{x:e}");
    };
    let strategy = RoundingStrategy::MidpointNearestEven;
    let rounded = if decimals >= 0 {
        let dp = decimals as u32;
        let mut r = exact.round_dp_with_strategy(dp, strategy);
        if decimals >= MAX_DECIMALS {
            r = r.normalize();
        } else {
            r.rescale(dp);
        }
        r
    } else {
        let unit = Decimal::from(10u64.pow(decimals.unsigned_abs().min(18) as u32));
        match exact.checked_div(unit) {
            Some(q) => q.round_dp_with_strategy(0, strategy).saturating_mul(unit),
            None => exact,
        }
    };
    if rounded.is_zero() {
        // No "-0".
        let mut zero = Decimal::ZERO;
        zero.rescale(rounded.scale());
        return zero.to_string();
    }
    rounded.to_string()
}

/// Appends one CSV row to `out`, quoting a field as RFC 4180 says when it
/// holds a comma, a quote or a line break (shared with `cev`'s tables).
pub(crate) fn write_row<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
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
    use serde_json::json;

    #[test]
    fn numbers_keep_two_significant_digits_of_their_standard_error_half_to_even() {
        assert_eq!(meaningful_decimals(Some(12.3)), 0);
        assert_eq!(meaningful_decimals(Some(0.0456)), 3);
        assert_eq!(meaningful_decimals(Some(1234.0)), -2);
        assert_eq!(meaningful_decimals(Some(1e-9)), MAX_DECIMALS);
        assert_eq!(meaningful_decimals(None), MAX_DECIMALS);
        assert_eq!(meaningful_decimals(Some(0.0)), MAX_DECIMALS);
        assert_eq!(round_half_even(1234.567, 0), "1235");
        assert_eq!(round_half_even(1234.567, 3), "1234.567");
        assert_eq!(round_half_even(56_789.0, -2), "56800");
        // Ties go to the even neighbour (0.125 and 2.5 are exact in binary).
        assert_eq!(round_half_even(0.125, 2), "0.12");
        assert_eq!(round_half_even(0.375, 2), "0.38");
        assert_eq!(round_half_even(2.5, 0), "2");
        assert_eq!(round_half_even(-15.421_686_746_987_952, 1), "-15.4");
        assert_eq!(round_half_even(2.5, 2), "2.50");
        assert_eq!(round_half_even(4.0, MAX_DECIMALS), "4");
        assert_eq!(round_half_even(0.1 + 0.2, MAX_DECIMALS), "0.3");
        assert_eq!(round_half_even(-0.004, 2), "0.00");
        assert_eq!(round_half_even(1e300, 2), "1e300");
    }

    #[test]
    fn levels_are_text_not_json() {
        assert_eq!(level_text(&json!("co_op")), "co_op");
        assert_eq!(level_text(&json!(0.25)), "0.25");
        assert_eq!(level_text(&json!({"model": "co_op"})), "co_op");
        assert_eq!(
            level_text(&json!({"model": "agency", "hand_over_period": 26})),
            "agency hand_over_period=26"
        );
        assert_eq!(
            level_text(&json!({"kind": "grid", "at": [1, 2], "x": {"y": true}})),
            "grid at=(1 2) x=(y=true)"
        );
    }

    #[test]
    fn axis_columns_are_last_segments_unless_ambiguous() {
        let axes = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            axis_columns(&axes(&[
                "ownership",
                "rates.advocate_talk",
                "engagements.6.schedule.every"
            ])),
            ["ownership", "advocate_talk", "every"]
        );
        assert_eq!(
            axis_columns(&axes(&["a.cost", "b.cost", "plan.1", "plan.*", "x.cell"])),
            ["a.cost", "b.cost", "plan.1", "plan.*", "x.cell"]
        );
        assert_eq!(axis_columns(&axes(&["x.stage"])), ["stage"]);
    }

    #[test]
    fn csv_rows_have_text_levels_and_rounded_numbers() {
        let mut m = crate::sweep::Moments::default();
        for v in [4, 5, 9] {
            m.add(
                Some(crate::sweep::moments::Fixed::from_count(v)),
                "purchases",
            )
            .unwrap();
        }
        let summary = SweepSummary {
            seed: 1,
            runs: Some(vec![[0, 3]]),
            axes: vec!["ownership".into()],
            metrics: vec![Metric::Purchases],
            cells: vec![CellSummary {
                cell: 0,
                levels: vec![json!({"model": "agency", "hand_over_period": 26})],
                stats: vec![m.summary()],
            }],
        };
        let csv = summary.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "cell,ownership,purchases.n,purchases.mean,purchases.std_dev,purchases.ci95_low,purchases.ci95_high"
        );
        // Mean 6, sd sqrt(7) = 2.6458, se 1.5275 (so one decimal), t(2) = 4.3027:
        // the interval is 6 -/+ 6.572.
        assert_eq!(lines[1], "0,agency hand_over_period=26,3,6.0,2.6,-0.6,12.6");
    }
}
