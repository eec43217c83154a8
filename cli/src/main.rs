//! `social-loop`: the command line of the `social_loop` crate.
//!
//! ```text
//! social-loop spread --edges FILE --model ic --p 0.1 --top-degree 10 --runs 10000 --rng-seed 1
//! social-loop target --edges FILE --model ic --weighted-cascade --k 50 --rng-seed 1
//! social-loop run examples/scenario.json --out target/run
//! social-loop sweep examples/sweep.json --runs 0..4 --out target/sweep/table.json
//! social-loop sweep examples/sweep.json --runs 0..4 --shard 1/4 --out parts/part-1.json
//! social-loop sweep merge PART.json PART.json --out TABLE.json --csv SUMMARY.csv
//! social-loop spread --edges FILE --model ic --p 0.1 --seeds a --runs-range 0..5000 --rng-seed 1 --partial PART.json
//! social-loop spread merge PART.json PART.json
//! social-loop crm cev --events events.jsonl --out cev.csv
//! social-loop run examples/scenario.json --cev cev.csv
//! social-loop run SCENARIO.json --events-out events.jsonl
//! social-loop calibrate --events events.jsonl --at 2023-12-31 --out fitted.json
//! social-loop customer-value --transactions cdnow_master.txt --format cdnow --calibration-end 1997-09-30 --model bgnbd
//! ```
//!
//! Every subcommand has `--help`. A result goes to stdout (one JSON line for
//! `spread` and `target`, a summary for `run` and `sweep`); errors go to
//! stderr, name the argument, the file or the line, and exit with code 2. A
//! closed stdout (`social-loop ... | head`) ends the program quietly with 0.

mod bar;
mod calibrate;
mod cev;
mod customer_value;
mod network_args;
mod output;
mod run;
mod shard;
mod spread;
mod sweep;
mod target;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The value loop between social customers, a brand and a business on an
/// influence network.
#[derive(Debug, Parser)]
#[command(name = "social-loop", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Monte Carlo estimate of how far a cascade from some seeds reaches on an
    /// edge list; prints one JSON line.
    Spread(spread::SpreadArgs),
    /// Choose k customers to seed on an edge list (IMM, CELF or a baseline);
    /// prints one JSON line.
    Target(target::TargetArgs),
    /// Run a scenario file of the value loop; writes report.json and periods.csv.
    Run(run::RunArgs),
    /// Run a parameter sweep file (or one shard of it), or merge the parts of a
    /// sweep split over jobs.
    Sweep(sweep::SweepArgs),
    /// Fit a BTYD model to a purchase log and value every customer (CLV);
    /// prints one JSON line, writes a CSV per customer with --out.
    CustomerValue(customer_value::CustomerValueArgs),
    /// CRM tools: `crm cev` values every customer of an event file (CLV +
    /// referral, influence and knowledge value); writes a CSV.
    Crm(cev::CrmArgs),
    /// Fit a scenario to a CRM's events (JSON Lines); writes the scenario,
    /// prints one JSON line of estimates.
    Calibrate(calibrate::CalibrateArgs),
}

/// A failure: what to print on stderr. Every failure exits with code 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (name, result) = match &cli.command {
        Command::Spread(args) => ("spread", spread::run(args)),
        Command::Target(args) => ("target", target::run(args)),
        Command::Run(args) => ("run", run::run(args)),
        Command::Sweep(args) => ("sweep", sweep::run(args)),
        Command::CustomerValue(args) => ("customer-value", customer_value::run(args)),
        Command::Crm(args) => ("crm", cev::run_crm(args)),
        Command::Calibrate(args) => ("calibrate", calibrate::run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("social-loop {name}: error: {message}");
            ExitCode::from(2)
        }
    }
}
