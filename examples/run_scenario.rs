//! `run_scenario`: runs a scenario file, for people who do not write Rust.
//!
//! ```text
//! cargo run --release --example run_scenario -- examples/scenario.json [--out DIR]
//!     [--horizon N] [--seed S]
//! cargo run --release --example run_scenario -- --default > my_scenario.json
//! ```
//!
//! Reads a [`Scenario`] from a JSON file (every field is optional: what is
//! left out takes the default; `examples/scenario.md` documents the format and
//! `--default` prints the complete default scenario to start from), runs it,
//! and writes into `DIR` (default `target/run_scenario`):
//!
//! * `report.json`: the whole [`Report`](social_loop::sim::Report): every
//!   period, the totals, the value ledger and the audit trails asked for;
//! * `periods.csv`: one row per period: stage counts, funnel, NPS, purchases,
//!   word of mouth, engagements, experiences, feedback, changes and value per
//!   actor.
//!
//! It prints a short summary on stdout, and a progress bar on stderr when
//! stderr is a terminal. `--horizon` and `--seed` override the file's.
//!
//! A mistake in the file (bad JSON, a field of the wrong type or out of range,
//! an unknown field, which would otherwise be silently ignored) is reported on
//! stderr with the path of the field and the line, and the exit code is 2.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use social_loop::progress::Progress;
use social_loop::sim::{Report, Scenario, run_with_progress};
use social_loop::value::Actor;
use social_loop::{FunnelStage, Stage};

/// The usage text.
pub const USAGE: &str = "usage: run_scenario FILE.json [--out DIR] [--horizon N] [--seed S]
       run_scenario --default      (prints the default scenario as JSON)
Writes DIR/report.json and DIR/periods.csv (DIR defaults to target/run_scenario).";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Run a scenario file.
    Run(Args),
    /// Print the default scenario.
    PrintDefault,
    /// Print the usage.
    Help,
}

/// Arguments of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The scenario file.
    pub file: PathBuf,
    /// Where the outputs go.
    pub out: PathBuf,
    /// Overrides the file's horizon.
    pub horizon: Option<u32>,
    /// Overrides the file's seed.
    pub seed: Option<u64>,
}

/// Parses the arguments (without the program name).
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut file = None;
    let mut out = PathBuf::from("target/run_scenario");
    let mut horizon = None;
    let mut seed = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_ref();
        let mut value = |flag: &str| {
            args.next()
                .map(|v| v.as_ref().to_string())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg {
            "--help" | "-h" => return Ok(Command::Help),
            "--default" => return Ok(Command::PrintDefault),
            "--out" => out = PathBuf::from(value("--out")?),
            "--horizon" => {
                let v = value("--horizon")?;
                horizon = Some(
                    v.parse()
                        .map_err(|_| format!("--horizon: `{v}` is not a count of periods"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed: `{v}` is not an unsigned 64-bit integer"))?,
                );
            }
            flag if flag.starts_with('-') => return Err(format!("unknown flag `{flag}`")),
            path if file.is_none() => file = Some(PathBuf::from(path)),
            extra => return Err(format!("one scenario file at a time (also got `{extra}`)")),
        }
    }
    let file = file.ok_or("missing the scenario file")?;
    Ok(Command::Run(Args {
        file,
        out,
        horizon,
        seed,
    }))
}

/// Reads a scenario from JSON text, strictly (see [`Scenario::from_json`]).
pub fn parse_scenario(text: &str) -> Result<Scenario, String> {
    Scenario::from_json(text).map_err(|e| e.to_string())
}

/// One row per period, with a header.
pub fn periods_csv(report: &Report) -> String {
    let mut out = String::from("period");
    for stage in Stage::ALL {
        let _ = write!(out, ",{}", stage.name());
    }
    for stage in FunnelStage::ALL {
        let _ = write!(out, ",funnel_{}", stage.name());
    }
    out.push_str(
        ",nps,purchases,referral_sales,word_of_mouth_positive,word_of_mouth_negative,\
         engagements_relevant,engagements_irrelevant,experiences,experiences_inconsistent,\
         feedback_given,feedback_reached,changes_live,bad_experience",
    );
    for actor in Actor::ALL {
        let _ = write!(out, ",value_{}", actor.name());
    }
    out.push_str(",value_net\n");
    for p in &report.periods {
        let _ = write!(out, "{}", p.period);
        for stage in Stage::ALL {
            let _ = write!(out, ",{}", p.stages.get(stage));
        }
        for stage in FunnelStage::ALL {
            let _ = write!(out, ",{}", p.funnel.count(stage));
        }
        let nps = p.nps_score().map_or(String::new(), |s| s.to_string());
        let _ = write!(
            out,
            ",{nps},{},{},{},{},{},{},{},{},{},{},{},{}",
            p.purchases,
            p.referral_sales,
            p.word_of_mouth.0,
            p.word_of_mouth.1,
            p.engagements.0,
            p.engagements.1,
            p.experiences.0,
            p.experiences.1,
            p.feedback.0,
            p.feedback.1,
            p.changes_live,
            p.bad_experience
        );
        for actor in Actor::ALL {
            let _ = write!(out, ",{}", p.value.for_actor(actor));
        }
        let _ = writeln!(out, ",{}", p.value.net());
    }
    out
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

/// Runs `args`: reads, simulates, writes the two files; returns the summary.
pub fn run(args: &Args, progress: &Progress) -> Result<String, String> {
    let name = args.file.display();
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut scenario = parse_scenario(&text).map_err(|e| format!("{name}: {e}"))?;
    if let Some(h) = args.horizon {
        scenario.horizon = h;
    }
    if let Some(s) = args.seed {
        scenario.seed = s;
    }
    let started = Instant::now();
    let report = run_with_progress(&scenario, progress).map_err(|e| format!("{name}: {e}"))?;
    let elapsed = started.elapsed();
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    let files = [
        (args.out.join("report.json"), json),
        (args.out.join("periods.csv"), periods_csv(&report)),
    ];
    let mut text = summary(&report, elapsed);
    for (path, contents) in &files {
        std::fs::write(path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let _ = writeln!(text, "wrote {}", path.display());
    }
    Ok(text)
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("run_scenario: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let args = match command {
        Command::Help => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::PrintDefault => {
            return match serde_json::to_string_pretty(&Scenario::default()) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("run_scenario: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Run(args) => args,
    };
    // Hidden automatically when stderr is not a terminal.
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} periods {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let ticker = bar.clone();
    let progress = Progress::new().on_progress(move |c| {
        ticker.set_length(c.total);
        ticker.set_position(c.done);
    });
    let result = run(&args, &progress);
    bar.finish_and_clear();
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("run_scenario: {e}");
            ExitCode::from(2)
        }
    }
}
