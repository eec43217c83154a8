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
//!
//! With `--attribution --runs N` it then measures the value each actor
//! created (net present value, Shapley values over the eight runs with each
//! actor's contributions switched on or off, on the same random numbers) and
//! prints one more line of JSON, money as strings of decimals in the
//! scenario's currency (named in the summary above it), rounded half-even
//! to cents; the keys are exactly these:
//!
//! ```text
//! {"attribution":{"customer":{"mean":"…","ci95":["…","…"]},"brand":{…},"business":{…},"baseline":{…},"total":{…}},"runs":N}
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{Attribution, Report, Scenario, Simulation};
use social_loop::value::{Actor, MoneyEstimate};
use social_loop::{Decimal, FunnelStage};

use crate::network_args::parse_threads;
use crate::{Failure, bar, output};

/// Arguments of `social-loop run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The scenario file (JSON).
    #[arg(value_name = "SCENARIO.json", required_unless_present = "default")]
    file: Option<PathBuf>,
    /// Print the default scenario as JSON and exit.
    #[arg(long, conflicts_with_all = ["file", "out", "horizon", "seed", "attribution", "cev"])]
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
    /// Also measure the value each actor created (customer, brand, business):
    /// eight runs of the scenario per run; prints one more JSON line.
    #[arg(long)]
    attribution: bool,
    /// Runs of the attribution (at least 2).
    #[arg(long, value_name = "N", default_value_t = 10, requires = "attribution",
          value_parser = clap::value_parser!(u64).range(2..))]
    runs: u64,
    /// Threads (default: all cores); the numbers do not depend on it.
    #[arg(long, value_name = "T", value_parser = parse_threads)]
    threads: Option<usize>,
    /// Also write every customer's engagement value (CLV + CRV + CIV + CKV)
    /// to this CSV (see `crm cev`): 17 runs of the scenario per run.
    #[arg(long, value_name = "OUT.csv")]
    cev: Option<PathBuf>,
    /// Runs of the engagement value (at least 2).
    #[arg(long, value_name = "N", default_value_t = 10, requires = "cev",
          value_parser = clap::value_parser!(u64).range(2..))]
    cev_runs: u64,
    /// Also write what the simulation did as CRM events (JSON Lines, the
    /// `crm::Event` schema; period 0 starts on 2024-01-01): the input of
    /// `social-loop calibrate`.
    #[arg(long, value_name = "FILE.jsonl")]
    events_out: Option<PathBuf>,
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
        "{} customers, {} ties, {} periods of one {}, seed {}, money in {} ({:.2?})",
        report.population,
        report.ties,
        report.periods.len(),
        report.period_length,
        report.seed,
        report.currency,
        elapsed
    );
    let _ = writeln!(
        s,
        "{:<16}{:>10}{:>10}   (customers at or beyond each stage)",
        "funnel", "start", "end"
    );
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
        "cash book ({}): customer account {}, brand {}, business {}, net {}; net present value {}",
        report.currency,
        cents(v.for_actor(Actor::Customer)),
        cents(v.for_actor(Actor::Brand)),
        cents(v.for_actor(Actor::Business)),
        cents(v.net()),
        cents(report.totals.net_present_value)
    );
    s
}

/// `d` rounded half-even to cents (`round_dp` is banker's rounding; `{:.2}`
/// alone would truncate).
fn cents(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// One actor's mean and interval, in cents.
#[derive(Serialize)]
struct Part {
    mean: String,
    ci95: [String; 2],
}

impl From<&MoneyEstimate> for Part {
    fn from(e: &MoneyEstimate) -> Self {
        Part {
            mean: cents(e.mean),
            ci95: [cents(e.ci95[0]), cents(e.ci95[1])],
        }
    }
}

#[derive(Serialize)]
struct Parts {
    customer: Part,
    brand: Part,
    business: Part,
    baseline: Part,
    total: Part,
}

#[derive(Serialize)]
struct AttributionLine {
    attribution: Parts,
    runs: u64,
}

/// The attribution's JSON line.
pub fn attribution_line(a: &Attribution) -> Result<String, Failure> {
    let line = AttributionLine {
        attribution: Parts {
            customer: (&a.customer).into(),
            brand: (&a.brand).into(),
            business: (&a.business).into(),
            baseline: (&a.baseline).into(),
            total: (&a.total).into(),
        },
        runs: a.runs,
    };
    Ok(serde_json::to_string(&line)?)
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
    let attribution = if args.attribution {
        let mut settings = MonteCarloSettings::new(args.runs, scenario.get_seed())
            .map_err(|e| Failure(format!("--runs: {e}")))?;
        if let Some(t) = args.threads {
            settings = settings
                .threads(t)
                .map_err(|e| Failure(format!("--threads: {e}")))?;
        }
        Some(settings)
    } else {
        None
    };
    let report = Simulation::new(&scenario)
        .map_err(|e| Failure(format!("{name}: {e}")))
        .and_then(|sim| {
            let mut sim = sim.progress(&progress);
            if let Some(settings) = attribution {
                sim = sim.attribution(settings);
            }
            if let Some(path) = &args.events_out {
                sim = crate::calibrate::write_events(sim, path)?;
            }
            sim.run().map_err(|e| Failure(format!("{name}: {e}")))
        });
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
    if let Some(a) = &report.attribution {
        let _ = writeln!(text, "{}", attribution_line(a)?);
    }
    if let Some(path) = &args.cev {
        let lines = crate::cev::simulated(&scenario, args.cev_runs, args.threads, path)
            .map_err(|Failure(e)| Failure(format!("{name}: {e}")))?;
        text.push_str(&lines);
    }
    output::print(&text)
}
