//! `social-loop sweep`: a parameter sweep of the value loop from a sweep file,
//! one shard of it on a batch scheduler, and the exact merge of the parts.
//!
//! ```text
//! social-loop sweep SWEEP.json [--runs N | --runs FROM..TO] [--out TABLE.json] [--csv SUMMARY.csv]
//! social-loop sweep SWEEP.json --runs 0..N --shard I/M --out PART.json
//! social-loop sweep SWEEP.json --runs 0..N --shards M --out PART.json   # I from Slurm or Kubernetes
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
//!
//! **Shards** (see `shard.rs` for where the index comes from): the task runs
//! its part of the (cell, run) work, balanced by cost, and writes a part file
//! (the sweep's fingerprint, the shard, the runs, the table of its work). A
//! part file that exists and checks (same sweep, shard, runs and work) is
//! left alone and the task ends at once, so rerunning a whole job array
//! redoes only the failed tasks; a part file that does not check (truncated,
//! of another sweep) is an error naming it. Files are written atomically. On
//! stderr a shard prints one line per finished cell when stderr is not a
//! terminal (the log a scheduler keeps), the progress bar when it is.
//!
//! **Merge** takes either the parts of one sharded sweep (all shards, each
//! once, of one fingerprint: else an error names the file or the missing
//! shard) or plain tables of disjoint runs; the merged table is byte for byte
//! the table one process running the whole sweep writes.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use serde_json::Value;
use social_loop::sweep::{Shard, ShardMerge, Sweep, SweepPart, SweepSummary, SweepTable};

use crate::output::write_file;
use crate::{Failure, bar, output, shard};

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
    /// Merge the parts of a sharded sweep, or tables of disjoint runs (exactly).
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
    /// Where the table of exact sums goes (for merging); default
    /// target/sweep/table.json, or target/sweep/part-I-of-M.json for a shard.
    #[arg(long, value_name = "TABLE.json")]
    out: Option<PathBuf>,
    /// Where the summary goes, as CSV (not for a shard: merge first).
    #[arg(long, value_name = "SUMMARY.csv")]
    csv: Option<PathBuf>,
    /// Run shard I of M of the work (cells x runs, split by cost).
    #[arg(long, value_name = "I/M", value_parser = parse_shard, conflicts_with = "shards")]
    shard: Option<Shard>,
    /// Run one of M shards, the index from SLURM_ARRAY_TASK_ID or
    /// JOB_COMPLETION_INDEX.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(1..))]
    shards: Option<u32>,
}

/// Merging parts or tables.
#[derive(Debug, Clone, Args)]
struct MergeArgs {
    /// The parts (`sweep --shard`) or tables (`sweep --out`) to merge.
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

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse::<Shard>()
        .map_err(|e| e.reason().unwrap_or("not I/M").to_string())
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
    let env = |name: &str| std::env::var(name).ok();
    match shard::choose(args.shard, args.shards, &env)? {
        Some(shard) => run_shard(args, file, sweep, shard),
        None => run_whole(args, file, sweep),
    }
}

fn run_whole(args: &RunSweep, file: &Path, sweep: Sweep) -> Result<(), Failure> {
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
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("target/sweep/table.json"));
    write_outputs(&table, &out, args.csv.as_deref(), &mut text)?;
    output::print(&text)
}

fn run_shard(args: &RunSweep, file: &Path, sweep: Sweep, shard: Shard) -> Result<(), Failure> {
    if args.csv.is_some() {
        return Err(Failure(format!(
            "--csv: shard {shard} holds part of the work; write the summary with `sweep merge --csv`"
        )));
    }
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "target/sweep/part-{}-of-{}.json",
            shard.index(),
            shard.count()
        ))
    });
    let runs = args.runs.clone();
    let name = out.display();
    let sweep_error = |e: social_loop::Error| Failure(format!("{}: {e}", file.display()));
    if out.exists() {
        let text = std::fs::read_to_string(&out)
            .map_err(|e| Failure(format!("cannot read {name}: {e}")))?;
        let part: SweepPart = serde_json::from_str(&text).map_err(|e| {
            Failure(format!(
                "{name} exists but is not a sweep part (truncated?): {e}; delete it to rerun shard {shard}"
            ))
        })?;
        return match sweep.check_part(&part, runs.clone(), shard) {
            Ok(()) => output::line(&format!(
                "shard {shard}: {name} is done already (checked: same sweep, runs and work), skipped"
            )),
            Err(e) if e.field() == Some("part") => Err(Failure(format!(
                "{name} exists but {}: delete it or choose another --out",
                e.reason().unwrap_or("does not check")
            ))),
            Err(e) => Err(sweep_error(e)),
        };
    }
    let started = Instant::now();
    let (bar, progress) = bar::bar("runs");
    let mut sweep = sweep.progress(&progress);
    if !std::io::stderr().is_terminal() {
        // The log a scheduler keeps: one line per finished cell.
        sweep = sweep.on_cell_done(move |d| {
            eprintln!(
                "shard {shard}: cell {} done (runs {}..{}), {} of {} cells, {:.1?}",
                d.cell,
                d.runs.start,
                d.runs.end,
                d.done,
                d.total,
                started.elapsed()
            );
        });
    }
    let part = sweep.run_shard(runs.clone(), shard).map_err(sweep_error);
    bar.finish_and_clear();
    let part = part?;
    write_file(&out, &serde_json::to_string(&part)?)?;
    let runs_done: u64 = (0..part.table().cell_count())
        .filter_map(|c| part.table().cell_runs(c))
        .flatten()
        .map(|[s, e]| u64::from(e - s))
        .sum();
    output::print(&format!(
        "shard {shard} of sweep {}: ran {runs_done} of the {} cells x runs {}..{} in {:.1?}\nwrote {name}\n",
        part.fingerprint(),
        part.table().cell_count(),
        runs.start,
        runs.end,
        started.elapsed()
    ))
}

/// A file given to `merge`: a shard's part or a plain table.
enum Piece {
    Part(SweepPart),
    Table(SweepTable),
}

fn read_piece(path: &Path) -> Result<Piece, Failure> {
    let name = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read {name}: {e}")))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        Failure(format!(
            "{name}: not a sweep table or part (truncated?): {e}"
        ))
    })?;
    let is_part = json.get("shard").is_some();
    let piece = match is_part {
        true => serde_json::from_value(json).map(Piece::Part),
        false => serde_json::from_value(json).map(Piece::Table),
    };
    piece.map_err(|e| {
        let what = if is_part { "sweep part" } else { "sweep table" };
        Failure(format!("{name}: not a {what}: {e}"))
    })
}

fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let mut shards: Option<ShardMerge> = None;
    let mut tables: Option<SweepTable> = None;
    let mut text = String::new();
    for path in &args.parts {
        let name = path.display().to_string();
        let mixed = || {
            Failure(format!(
                "{name}: parts of a sharded sweep and plain tables cannot be merged together"
            ))
        };
        match read_piece(path)? {
            Piece::Part(part) => {
                if tables.is_some() {
                    return Err(mixed());
                }
                shards
                    .get_or_insert_with(ShardMerge::new)
                    .add(name, part)
                    .map_err(|e| Failure(e.reason().map_or(e.to_string(), str::to_string)))?;
            }
            Piece::Table(table) => match (&shards, tables.as_mut()) {
                (Some(_), _) => return Err(mixed()),
                (None, None) => tables = Some(table),
                (None, Some(merged)) => merged
                    .merge(&table)
                    .map_err(|e| Failure(format!("{name}: {e}")))?,
            },
        }
    }
    let merged = match (shards, tables) {
        (Some(shards), _) => {
            let table = shards
                .finish()
                .map_err(|e| Failure(e.reason().map_or(e.to_string(), str::to_string)))?;
            text.push_str(&format!("merged {} shards\n", args.parts.len()));
            table
        }
        (None, Some(table)) => table,
        (None, None) => return Err(Failure("merge needs at least one table".into())),
    };
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
    write_file(out, &serde_json::to_string(table)?)?;
    text.push_str(&format!("wrote {}\n", out.display()));
    let summary = table.summary();
    if let Some(csv) = csv {
        write_file(csv, &summary.to_csv())?;
        text.push_str(&format!("wrote {}\n", csv.display()));
    }
    highlights(&summary, text);
    Ok(())
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
