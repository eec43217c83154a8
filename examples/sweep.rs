//! `sweep`: a parameter sweep of the value loop, 120 cells, in parallel, with
//! a progress bar, written as CSV and JSON; and the merge of sweeps split over
//! several jobs.
//!
//! ```text
//! cargo run --release --example sweep -- [--out DIR] [--runs N | --runs FROM..TO]
//!     [--design grid | --design random --cells N | --design lhs --cells N] [--seed S]
//! cargo run --release --example sweep -- merge OUT_DIR PART.json PART.json ...
//! ```
//!
//! The base is the quickstart scenario on 2,000 customers (40 micro-communities
//! of 50), 52 weeks, with a business that commissions a change (cost 1,000)
//! for every 100 or 400 pieces of feedback that reach it. The grid
//! (default) crosses:
//!
//! | axis | path | levels |
//! |---|---|---|
//! | who owns social media | `ownership` | siloed, co-op, agency handing over in week 26 |
//! | advocate talk rate | `rates.advocate_talk` | 0.1, 0.2, 0.3, 0.4, 0.5 |
//! | advocacy programme every ... weeks (its budget) | `engagements.6.schedule.every` | 1, 2, 4, 8 |
//! | feedback per business change | `business.policy.threshold` | 100, 400 |
//!
//! 3 x 5 x 4 x 2 = 120 cells, 4 runs each by default (`--runs`); about ten
//! seconds on two cores. The table does not depend on the number of threads.
//!
//! It writes into `DIR` (default `target/sweep`): `summary.csv` and
//! `summary.json` (per cell: the levels, then for each metric the number of
//! runs, mean, standard deviation and 95% confidence interval), `table.json`
//! (the exact sums, for merging) and `sweep.json` (the sweep itself). It
//! prints the best cells and each level's average over the other axes. The
//! progress bar on stderr is hidden when stderr is not a terminal.
//!
//! **On a cluster**: give each job its own `--runs FROM..TO` and `--out`, then
//! `merge` their `table.json` files; the merged summary is exactly the one a
//! single `--runs 0..N` would have written:
//!
//! ```text
//! cargo run --release --example sweep -- --runs 0..2 --out target/sweep/a
//! cargo run --release --example sweep -- --runs 2..4 --out target/sweep/b
//! cargo run --release --example sweep -- merge target/sweep/ab target/sweep/a/table.json target/sweep/b/table.json
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use social_loop::business::{Change, ChangeKind, ChangePolicy};
use social_loop::progress::Progress;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
use social_loop::sweep::{Axis, Design, Levels, Metric, Sweep, SweepSummary, SweepTable};
use social_loop::value::Actor;
use social_loop::{Decimal, FunnelStage, Stage};

type Error = Box<dyn std::error::Error>;

const USAGE: &str = "usage: sweep [--out DIR] [--runs N | --runs FROM..TO] [--design grid|random|lhs] [--cells N] [--seed S]
       sweep merge OUT_DIR TABLE.json TABLE.json ...";

/// The sweep of this example.
fn sweep(design: Design, seed: u64) -> Result<Sweep, Error> {
    let commission = Change::builder(ChangeKind::ProductInnovation)
        .cost(Decimal::new(1_000, 0))
        .lag(8)
        .bad_experience_reduction(0.1)
        .build()?;
    let mut base = Scenario::default().network(NetworkSpec::Generated(
        GeneratedNetwork::micro_communities(2_000, 50, 10.0)?,
    ));
    base.business.policy = ChangePolicy::new(400, commission)?;
    Ok(Sweep::new(base)
        .axis(Axis::new(
            "ownership",
            Levels::values([
                json!({"model": "siloed"}),
                json!({"model": "co_op"}),
                json!({"model": "agency", "hand_over_period": 26}),
            ]),
        ))
        .axis(Axis::new("rates.advocate_talk", Levels::range(0.1, 0.5, 5)))
        .axis(Axis::new(
            "engagements.6.schedule.every",
            Levels::values([1, 2, 4, 8]),
        ))
        .axis(Axis::new(
            "business.policy.threshold",
            Levels::values([100, 400]),
        ))
        .design(design)
        .seed(seed)
        .metrics([
            Metric::NetValue,
            Metric::Value(Actor::Customer),
            Metric::Value(Actor::Brand),
            Metric::Stage(Stage::Advocate),
            Metric::Stage(Stage::Adversary),
            Metric::Nps,
            Metric::Funnel(FunnelStage::Purchase),
            Metric::ReferralSales,
            Metric::Changes,
        ]))
}

#[derive(Debug)]
struct Args {
    out: PathBuf,
    runs: std::ops::Range<u32>,
    design: Design,
    seed: u64,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = PathBuf::from("target/sweep");
    let mut runs = 0..4;
    let mut design = "grid".to_string();
    let mut cells = 120u32;
    let mut seed = 2024;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => out = PathBuf::from(value()?),
            "--runs" => {
                let v = value()?;
                runs = match v.split_once("..") {
                    Some((a, b)) => {
                        a.parse()
                            .map_err(|_| format!("--runs: bad start in `{v}`"))?
                            ..b.parse().map_err(|_| format!("--runs: bad end in `{v}`"))?
                    }
                    None => {
                        0..v.parse()
                            .map_err(|_| format!("--runs: `{v}` is not a count"))?
                    }
                };
            }
            "--design" => design = value()?,
            "--cells" => {
                cells = value()?
                    .parse()
                    .map_err(|_| "--cells: not a count".to_string())?
            }
            "--seed" => {
                seed = value()?
                    .parse()
                    .map_err(|_| "--seed: not a u64".to_string())?
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let design = match design.as_str() {
        "grid" => Design::Grid,
        "random" => Design::Random { cells },
        "lhs" => Design::LatinHypercube { cells },
        other => return Err(format!("--design: `{other}` is not grid, random or lhs")),
    };
    Ok(Args {
        out,
        runs,
        design,
        seed,
    })
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

/// Writes the summary (CSV and JSON) into `out` and prints the highlights.
fn report(out: &Path, summary: &SweepSummary) -> Result<(), Error> {
    write(&out.join("summary.csv"), &summary.to_csv())?;
    write(
        &out.join("summary.json"),
        &serde_json::to_string_pretty(summary)?,
    )?;
    let runs: Vec<String> = summary
        .runs
        .iter()
        .map(|[a, b]| format!("{a}..{b}"))
        .collect();
    println!(
        "{} cells x runs {} -> {}/summary.csv, summary.json",
        summary.cells.len(),
        runs.join(", "),
        out.display()
    );

    let net = summary
        .column(Metric::NetValue)
        .ok_or("no net value column")?;
    let advocates = summary
        .column(Metric::Stage(Stage::Advocate))
        .ok_or("no advocates column")?;
    let label = |levels: &[Value]| -> String {
        levels
            .iter()
            .map(|v| match v {
                Value::Object(o) => o.get("model").map_or(v.to_string(), |m| m.to_string()),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" / ")
            .replace('"', "")
    };
    let ci = |s: &social_loop::sweep::Summary| match (s.mean, s.ci95) {
        (Some(m), Some([lo, hi])) => format!("{m:>10.0} [{lo:.0}, {hi:.0}]"),
        (Some(m), None) => format!("{m:>10.0}"),
        _ => "n/a".into(),
    };
    let mut order: Vec<usize> = (0..summary.cells.len()).collect();
    order.sort_by(|&a, &b| {
        let m = |i: usize| net.get(i).and_then(|s| s.mean).unwrap_or(f64::NEG_INFINITY);
        m(b).total_cmp(&m(a))
    });
    println!(
        "\nbest cells by net value (mean [95% CI]); levels: {}",
        summary.axes.join(" / ")
    );
    for &i in order.iter().take(5) {
        let (Some(cell), Some(n), Some(a)) = (summary.cells.get(i), net.get(i), advocates.get(i))
        else {
            continue;
        };
        println!(
            "  {:<32} net {}   advocates {}",
            label(&cell.levels),
            ci(n),
            ci(a)
        );
    }

    println!("\neach level, averaged over the other axes (mean of cell means)");
    for (a, axis) in summary.axes.iter().enumerate() {
        let mut levels: Vec<(Value, Vec<f64>, Vec<f64>)> = Vec::new();
        for (cell, (n, adv)) in summary.cells.iter().zip(net.iter().zip(&advocates)) {
            let Some(level) = cell.levels.get(a) else {
                continue;
            };
            let slot = match levels.iter().position(|(l, _, _)| l == level) {
                Some(p) => p,
                None => {
                    levels.push((level.clone(), Vec::new(), Vec::new()));
                    levels.len() - 1
                }
            };
            if let (Some(entry), Some(nm), Some(am)) = (levels.get_mut(slot), n.mean, adv.mean) {
                entry.1.push(nm);
                entry.2.push(am);
            }
        }
        println!("  {axis}");
        for (level, nets, advs) in &levels {
            let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            println!(
                "    {:<28} net value {:>10.0}   advocates {:>6.1}",
                label(std::slice::from_ref(level)),
                avg(nets),
                avg(advs)
            );
        }
    }
    Ok(())
}

fn run_sweep(args: &Args) -> Result<(), Error> {
    let sweep = sweep(args.design, args.seed)?;
    std::fs::create_dir_all(&args.out)?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let ticker = bar.clone();
    let progress = Progress::new().on_progress(move |c| {
        ticker.set_length(c.total);
        ticker.set_position(c.done);
    });
    let started = Instant::now();
    let table = sweep.run_with_progress(args.runs.clone(), &progress);
    bar.finish_and_clear();
    let table = table?;
    println!(
        "ran {} cells x {} runs in {:.1?}",
        table.cell_count(),
        args.runs.end.saturating_sub(args.runs.start),
        started.elapsed()
    );
    write(
        &args.out.join("sweep.json"),
        &serde_json::to_string_pretty(&sweep)?,
    )?;
    write(
        &args.out.join("table.json"),
        &serde_json::to_string(&table)?,
    )?;
    report(&args.out, &table.summary())
}

fn merge(out: &Path, parts: &[String]) -> Result<(), Error> {
    let mut merged: Option<SweepTable> = None;
    for part in parts {
        let text = std::fs::read_to_string(part).map_err(|e| format!("cannot read {part}: {e}"))?;
        let table: SweepTable =
            serde_json::from_str(&text).map_err(|e| format!("{part}: not a sweep table: {e}"))?;
        match merged.as_mut() {
            None => merged = Some(table),
            Some(m) => m.merge(&table).map_err(|e| format!("{part}: {e}"))?,
        }
    }
    let merged = merged.ok_or("merge needs at least one table.json")?;
    std::fs::create_dir_all(out)?;
    write(&out.join("table.json"), &serde_json::to_string(&merged)?)?;
    report(out, &merged.summary())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((command, rest)) if command == "merge" => match rest.split_first() {
            Some((out, parts)) => merge(Path::new(out), parts),
            None => Err("merge needs an output directory and tables".into()),
        },
        Some((help, _)) if help == "--help" || help == "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => match parse_args(&args) {
            Ok(a) => run_sweep(&a),
            Err(e) => Err(format!("{e}\n{USAGE}").into()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sweep: {e}");
            ExitCode::from(2)
        }
    }
}
