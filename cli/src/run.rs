//! `social-loop run`: runs a scenario file, for people who do not write Rust.
//!
//! Reads a scenario from JSON (every top-level field is optional;
//! `examples/scenario.md` documents the format, the defaults and the required
//! sub-fields, and `--default` prints the complete default scenario to start
//! from; a network file's relative path is relative to the scenario), runs it and writes into `--out` (default `target/run`):
//! `report.json` (the whole report) and `periods.csv` (one row per period).
//! It prints a short summary, and a progress bar on stderr when stderr is a
//! terminal. A mistake in the file (bad JSON, a wrong type, a value out of
//! range, an unknown field) names the field's path and the line.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use social_loop::FunnelStage;
use social_loop::sim::{Report, Scenario, Simulation};
use social_loop::value::Actor;

use crate::{Failure, bar, output};

/// Arguments of `social-loop run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The scenario file (JSON).
    #[arg(value_name = "SCENARIO.json", required_unless_present = "default")]
    file: Option<PathBuf>,
    /// Print the default scenario as JSON and exit.
    #[arg(long, conflicts_with_all = ["file", "out", "horizon", "seed"])]
    default: bool,
    /// Where report.json and periods.csv go.
    #[arg(long, value_name = "DIR", default_value = "target/run")]
    out: PathBuf,
    /// Overrides the file's horizon (periods).
    #[arg(long, value_name = "N")]
    horizon: Option<u32>,
    /// Overrides the file's seed.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
}

/// Reads a scenario file strictly (see [`Scenario::from_json_file`]: a
/// network file's relative path is relative to the scenario's folder); errors
/// start with the file's name.
pub fn read_scenario(path: &std::path::Path) -> Result<Scenario, Failure> {
    Scenario::from_json_file(path).map_err(|e| match e.path() {
        Some(_) => Failure(e.to_string()),
        None => Failure(format!("{}: {e}", path.display())),
    })
}

/// The short summary printed after a run.
pub fn summary(report: &Report, elapsed: Duration) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} customers, {} ties, {} periods, seed {} ({:.2?})",
        report.population,
        report.ties,
        report.periods.len(),
        report.seed,
        elapsed
    );
    let _ = writeln!(s, "{:<16}{:>10}{:>10}", "funnel", "start", "end");
    let end = report.last().map_or(report.initial, |p| p.funnel);
    for stage in FunnelStage::ALL {
        let _ = writeln!(
            s,
            "{:<16}{:>10}{:>10}",
            stage.name(),
            report.initial.count(stage),
            end.count(stage)
        );
    }
    if let Some(last) = report.last() {
        let nps = last
            .nps_score()
            .map_or("n/a".into(), |n| format!("{n:+.1}"));
        let _ = writeln!(
            s,
            "advocates {}, adversaries {}, NPS {nps}, purchases {} ({} by referral), {} business changes",
            last.stages.advocate,
            last.stages.adversary,
            report.totals.purchases,
            report.totals.referral_sales,
            report.totals.changes
        );
    }
    let v = &report.totals.value;
    let _ = writeln!(
        s,
        "value created: customer {}, brand {}, business {}, net {}",
        v.for_actor(Actor::Customer),
        v.for_actor(Actor::Brand),
        v.for_actor(Actor::Business),
        v.net()
    );
    s
}

/// Runs the command.
pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let file = match (&args.file, args.default) {
        (_, true) => return output::line(&serde_json::to_string_pretty(&Scenario::default())?),
        (Some(file), false) => file,
        (None, false) => return Err(Failure("give a scenario file or --default".into())),
    };
    let mut scenario = read_scenario(file)?;
    if let Some(h) = args.horizon {
        scenario = scenario.horizon(h);
    }
    if let Some(s) = args.seed {
        scenario = scenario.seed(s);
    }
    let name = file.display();
    let (bar, progress) = bar::bar("periods");
    let started = Instant::now();
    let report = Simulation::new(&scenario)
        .and_then(|sim| sim.progress(&progress).run())
        .map_err(|e| Failure(format!("{name}: {e}")));
    bar.finish_and_clear();
    let report = report?;
    let elapsed = started.elapsed();
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure(format!("cannot create {}: {e}", args.out.display())))?;
    let files = [
        (
            args.out.join("report.json"),
            serde_json::to_string_pretty(&report)?,
        ),
        (args.out.join("periods.csv"), report.periods_csv()),
    ];
    let mut text = summary(&report, elapsed);
    for (path, contents) in &files {
        std::fs::write(path, contents)
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
        let _ = writeln!(text, "wrote {}", path.display());
    }
    output::print(&text)
}
