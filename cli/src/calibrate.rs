//! `social-loop calibrate`: fits a scenario to a CRM's events, and the
//! `--events-out` of `social-loop run` that writes a simulated company as
//! such events.
//!
//! ```text
//! social-loop run SCENARIO.json --events-out events.jsonl
//! social-loop calibrate --events events.jsonl [--period week|day] [--at YYYY-MM-DD] --out fitted.json
//! ```
//!
//! `calibrate` imports the JSON Lines file (the `crm::Event` schema) into a
//! customer book, fits the rates of the value loop (see
//! `social_loop::calibrate`), writes the scenario of the book's own customers
//! (`Scenario::from_book`, which `social-loop run` accepts) to `--out`, and
//! prints exactly one JSON line:
//!
//! ```text
//! {"customers":N,"events":M,"parameters":{"purchase_frequency":{"estimate":E,"std_err":S,"ci95":[LO,HI],"source":"fitted"},...}}
//! ```
//!
//! A parameter the book cannot identify keeps its default with
//! `"source":"default"` and a `"reason"`. Rejected lines are counted on
//! stderr; a file without a single event is an error naming it.

use std::io::{BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;
use social_loop::calibrate::{Calibration, CalibrationOptions, Estimate};
use social_loop::crm::{CustomerBook, Timestamp};
use social_loop::sim::{EventOptions, Period, Scenario, Simulation};

use crate::{Failure, output};

/// The period the rates are fitted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodChoice {
    /// Seven days from the book's first event.
    Week,
    /// One day.
    Day,
}

/// Arguments of `social-loop calibrate`.
#[derive(Debug, Clone, Args)]
pub struct CalibrateArgs {
    /// The CRM's events (JSON Lines, the `crm::Event` schema).
    #[arg(long, value_name = "FILE.jsonl")]
    events: PathBuf,
    /// The period the rates are fitted per.
    #[arg(long, value_enum, default_value_t = PeriodChoice::Week)]
    period: PeriodChoice,
    /// The day (UTC) at whose end the stage shares are read (default: the
    /// book's last event).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    at: Option<Timestamp>,
    /// Where the fitted scenario goes (JSON).
    #[arg(long, value_name = "FITTED.json")]
    out: PathBuf,
}

fn parse_day(text: &str) -> Result<Timestamp, String> {
    format!("{}T00:00:00Z", text.trim())
        .parse::<Timestamp>()
        .map_err(|e| format!("`{text}` is not a date YYYY-MM-DD: {e}"))
}

/// The printed line: exactly these keys.
#[derive(Serialize)]
struct Line<'a> {
    customers: u64,
    events: u64,
    parameters: &'a std::collections::BTreeMap<String, Estimate>,
}

/// Reads an events file into a book; rejected lines are counted on stderr.
pub fn read_book(path: &Path) -> Result<CustomerBook, Failure> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    let mut book = CustomerBook::new();
    let report = book
        .import_jsonl(BufReader::new(file))
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    if report.counts.rejected > 0 {
        let first = report
            .rejections()
            .next()
            .map(|(at, e)| format!(" (first: {at:?}: {e})"))
            .unwrap_or_default();
        eprintln!(
            "social-loop calibrate: {}: {} lines rejected{first}",
            path.display(),
            report.counts.rejected
        );
    }
    Ok(book)
}

/// Runs the command.
pub fn run(args: &CalibrateArgs) -> Result<(), Failure> {
    let book = read_book(&args.events)?;
    let period = match args.period {
        PeriodChoice::Week => Period::Week,
        PeriodChoice::Day => Period::Day,
    };
    let mut options = CalibrationOptions::default().period(period);
    if let Some(at) = args.at {
        options = options.at(at);
    }
    let name = args.events.display();
    let fit = Calibration::fit(&book, options).map_err(|e| Failure(format!("{name}: {e}")))?;
    let scenario = Scenario::from_book(&book, &fit).map_err(|e| Failure(format!("{name}: {e}")))?;
    output::write_file(&args.out, &serde_json::to_string_pretty(&scenario)?)?;
    let line = Line {
        customers: fit.customers,
        events: fit.events,
        parameters: &fit.parameters,
    };
    output::line(&serde_json::to_string(&line)?)
}

/// Runs `sim` to its horizon writing its events to `path` (JSON Lines),
/// and returns it for its report.
pub fn write_events(sim: Simulation, path: &Path) -> Result<Simulation, Failure> {
    let failed = |e: std::io::Error| Failure(format!("cannot write {}: {e}", path.display()));
    let mut sim = sim
        .record_events(EventOptions::default())
        .map_err(|e| Failure(format!("--events-out: {e}")))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut out = BufWriter::new(std::fs::File::create(path).map_err(failed)?);
    loop {
        for event in sim.take_events() {
            serde_json::to_writer(&mut out, &event)?;
            out.write_all(b"\n").map_err(failed)?;
        }
        if sim.is_done() {
            break;
        }
        sim.step().map_err(|e| Failure(e.to_string()))?;
    }
    out.flush().map_err(failed)?;
    Ok(sim)
}
