//! `social-loop sweep`: a parameter sweep of the value loop from a sweep file,
//! and the exact merge of sweeps split over several jobs.
//!
//! ```text
//! social-loop sweep SWEEP.json [--runs N | --runs FROM..TO] [--out TABLE.json] [--csv SUMMARY.csv]
//! social-loop sweep merge PART.json PART.json ... --out TABLE.json [--csv SUMMARY.csv]
//! ```
//!
//! A sweep file is the JSON of a `social_loop::sweep::Sweep` (base scenario,
//! axes as JSON paths, design, seed, seeding, metrics; `examples/sweep.json`
//! is one). The table (`--out`) holds exact integer sums, so tables of
//! disjoint runs merge into exactly the table of all of them; the summary
//! (`--csv`) has per cell the levels, then per metric the runs, mean,
//! standard deviation and 95% interval. Both commands print the best cells by
//! the first metric and each level's average over the other axes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use serde_json::Value;
use social_loop::sweep::{Sweep, SweepSummary, SweepTable};

use crate::{Failure, bar, output};

/// Arguments of `social-loop sweep`.
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SweepArgs {
    #[command(subcommand)]
    merge: Option<SweepCommand>,
    #[command(flatten)]
    run: RunSweep,
}

#[derive(Debug, Clone, Subcommand)]
enum SweepCommand {
    /// Merge the tables of one sweep run over disjoint runs (exactly).
    Merge(MergeArgs),
}

/// Running a sweep file.
#[derive(Debug, Clone, Args)]
struct RunSweep {
    /// The sweep file (JSON).
    #[arg(value_name = "SWEEP.json", required = true)]
    file: Option<PathBuf>,
    /// The runs of every cell: a count N (runs 0..N) or a range FROM..TO.
    #[arg(long, default_value = "4", value_parser = parse_runs, value_name = "N|FROM..TO")]
    runs: std::ops::Range<u32>,
    /// Where the table of exact sums goes (for merging).
    #[arg(
        long,
        value_name = "TABLE.json",
        default_value = "target/sweep/table.json"
    )]
    out: PathBuf,
    /// Where the summary goes, as CSV.
    #[arg(long, value_name = "SUMMARY.csv")]
    csv: Option<PathBuf>,
}

/// Merging tables.
#[derive(Debug, Clone, Args)]
struct MergeArgs {
    /// The tables to merge (each written by `social-loop sweep --out`).
    #[arg(value_name = "PART.json", required = true, num_args = 1..)]
    parts: Vec<PathBuf>,
    /// Where the merged table goes.
    #[arg(long, value_name = "TABLE.json")]
    out: PathBuf,
    /// Where the merged summary goes, as CSV.
    #[arg(long, value_name = "SUMMARY.csv")]
    csv: Option<PathBuf>,
}

/// `N` (runs `0..N`) or `FROM..TO`, not empty.
fn parse_runs(text: &str) -> Result<std::ops::Range<u32>, String> {
    let count = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{t}` is not a run number"))
    };
    let runs = match text.split_once("..") {
        Some((a, b)) => count(a)?..count(b)?,
        None => 0..count(text)?,
    };
    if runs.is_empty() {
        return Err(format!("`{text}` is an empty range of runs"));
    }
    Ok(runs)
}

/// Runs the command.
pub fn run(args: &SweepArgs) -> Result<(), Failure> {
    match &args.merge {
        Some(SweepCommand::Merge(m)) => merge(m),
        None => run_sweep(&args.run),
    }
}

fn run_sweep(args: &RunSweep) -> Result<(), Failure> {
    let file = args
        .file
        .as_deref()
        .ok_or_else(|| Failure("give a sweep file".into()))?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    let sweep = Sweep::from_json(&text).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let (bar, progress) = bar::bar("runs");
    let started = Instant::now();
    let table = sweep
        .progress(&progress)
        .run(args.runs.clone())
        .map_err(|e| Failure(format!("{}: {e}", file.display())));
    bar.finish_and_clear();
    let table = table?;
    let mut text = format!(
        "ran {} cells x runs {}..{} in {:.1?}\n",
        table.cell_count(),
        args.runs.start,
        args.runs.end,
        started.elapsed()
    );
    write_outputs(&table, &args.out, args.csv.as_deref(), &mut text)?;
    output::print(&text)
}

fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let mut merged: Option<SweepTable> = None;
    for part in &args.parts {
        let name = part.display();
        let text = std::fs::read_to_string(part)
            .map_err(|e| Failure(format!("cannot read {name}: {e}")))?;
        let table: SweepTable = serde_json::from_str(&text)
            .map_err(|e| Failure(format!("{name}: not a sweep table: {e}")))?;
        match merged.as_mut() {
            None => merged = Some(table),
            Some(m) => m
                .merge(&table)
                .map_err(|e| Failure(format!("{name}: {e}")))?,
        }
    }
    let merged = merged.ok_or_else(|| Failure("merge needs at least one table".into()))?;
    let mut text = String::new();
    write_outputs(&merged, &args.out, args.csv.as_deref(), &mut text)?;
    output::print(&text)
}

/// Writes the table and the CSV summary, and appends the highlights to `text`.
fn write_outputs(
    table: &SweepTable,
    out: &Path,
    csv: Option<&Path>,
    text: &mut String,
) -> Result<(), Failure> {
    write(out, &serde_json::to_string(table)?)?;
    text.push_str(&format!("wrote {}\n", out.display()));
    let summary = table.summary();
    if let Some(csv) = csv {
        write(csv, &summary.to_csv())?;
        text.push_str(&format!("wrote {}\n", csv.display()));
    }
    highlights(&summary, text);
    Ok(())
}

fn write(path: &Path, contents: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, contents)
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))
}

/// A cell's levels in a few words: an object by its `model`, anything else as
/// JSON without quotes.
fn label(levels: &[Value]) -> String {
    levels
        .iter()
        .map(|v| match v {
            Value::Object(o) => o.get("model").map_or(v.to_string(), |m| m.to_string()),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
        .replace('"', "")
}

/// The five best cells by the first metric, and each level's average of it
/// over the other axes.
fn highlights(summary: &SweepSummary, text: &mut String) {
    use std::fmt::Write as _;
    let Some(&metric) = summary.metrics.first() else {
        return;
    };
    let Some(column) = summary.column(metric) else {
        return;
    };
    let name = metric.name();
    let mean_of = |i: usize| {
        column
            .get(i)
            .and_then(|s| s.mean)
            .unwrap_or(f64::NEG_INFINITY)
    };
    let mut order: Vec<usize> = (0..summary.cells.len()).collect();
    order.sort_by(|&a, &b| mean_of(b).total_cmp(&mean_of(a)));
    let _ = writeln!(
        text,
        "\nbest cells by {name} (mean [95% CI]); levels: {}",
        summary.axes.join(" / ")
    );
    for &i in order.iter().take(5) {
        let (Some(cell), Some(s)) = (summary.cells.get(i), column.get(i)) else {
            continue;
        };
        let shown = match (s.mean, s.ci95) {
            (Some(m), Some([lo, hi])) => format!("{m:.1} [{lo:.1}, {hi:.1}]"),
            (Some(m), None) => format!("{m:.1}"),
            _ => "n/a".into(),
        };
        let _ = writeln!(text, "  {:<40} {shown}", label(&cell.levels));
    }
    let _ = writeln!(
        text,
        "\neach level: mean of the cell means of {name} over the other axes"
    );
    for (a, axis) in summary.axes.iter().enumerate() {
        let mut levels: Vec<(Value, f64, u32)> = Vec::new();
        for (cell, s) in summary.cells.iter().zip(&column) {
            let (Some(level), Some(m)) = (cell.levels.get(a), s.mean) else {
                continue;
            };
            match levels.iter_mut().find(|(l, _, _)| l == level) {
                Some(entry) => {
                    entry.1 += m;
                    entry.2 += 1;
                }
                None => levels.push((level.clone(), m, 1)),
            }
        }
        let _ = writeln!(text, "  {axis}");
        for (level, sum, count) in &levels {
            let _ = writeln!(
                text,
                "    {:<36} {:.1}",
                label(std::slice::from_ref(level)),
                sum / f64::from((*count).max(1))
            );
        }
    }
}
