//! Customer engagement value on the command line: `social-loop crm cev` for a
//! CRM's events and `social-loop run SCENARIO.json --cev OUT.csv` for a
//! simulated company.
//!
//! Both write a CSV with a header and one row per customer (and currency), in
//! rank order (by currency, then CEV, highest first):
//!
//! ```text
//! customer,currency,clv,crv,civ,ckv,cev,cev_lo,cev_hi
//! ```
//!
//! `cev = clv + crv + civ + ckv` exactly; `cev_lo`, `cev_hi` is its 95%
//! interval; amounts are exact decimals in the row's currency. The
//! definitions are in the library's `social_loop::cev` documentation.
//!
//! `crm cev` reads JSON Lines events (the crate's `Event` schema) into a
//! customer book, warns on stderr about rejected records (their line and
//! reason, at most ten) and goes on with the rest, then fits CLV (BG/NBD and
//! Gamma-Gamma, weeks, margin 30%, 10% a year, no horizon), takes CRV from
//! the referrals, CIV from the book's influence network and CKV from
//! `--gain`s. A currency whose purchases cannot be fitted is skipped, with a
//! warning on stderr naming it and why; the other currencies are written. It
//! prints the top customers with where their CEV comes from.

use std::fmt::Write as _;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use social_loop::Probability;
use social_loop::cev::{EngagementOptions, EngagementValues, KnowledgeGain};
use social_loop::clv::ValueOptions;
use social_loop::crm::{BookValueOptions, CustomerBook, Money};
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{Scenario, Simulation};
use social_loop::targeting::ReachOfEach;

use crate::network_args::parse_threads;
use crate::{Failure, output};

/// Arguments of `social-loop crm`.
#[derive(Debug, Clone, Args)]
pub struct CrmArgs {
    #[command(subcommand)]
    command: CrmCommand,
}

#[derive(Debug, Clone, Subcommand)]
enum CrmCommand {
    /// Customer engagement value (CLV + CRV + CIV + CKV) of every customer of
    /// a JSON Lines event file; writes a CSV.
    Cev(CrmCevArgs),
}

/// Arguments of `social-loop crm cev`.
#[derive(Debug, Clone, Args)]
struct CrmCevArgs {
    /// The CRM's events, one JSON object per line.
    #[arg(long, value_name = "FILE.jsonl")]
    events: PathBuf,
    /// The CSV to write.
    #[arg(long, value_name = "OUT.csv")]
    out: PathBuf,
    /// Share of referred customers who would have come anyway (0 to 1).
    #[arg(long, value_name = "S", default_value_t = 0.0, value_parser = parse_probability)]
    referred_anyway: f64,
    /// Share of a reached customer's value that word of mouth adds (0 to 1).
    #[arg(long, value_name = "C", default_value_t = 0.1, value_parser = parse_probability)]
    influence_conversion: f64,
    /// The gain of a business change on a feedback topic, shared by the
    /// feedback on it: `TOPIC=AMOUNT:CURRENCY` (repeatable), e.g. `battery=5000:EUR`.
    #[arg(long, value_name = "TOPIC=AMOUNT:CUR", value_parser = parse_gain)]
    gain: Vec<KnowledgeGain>,
    /// Reverse-reachable sets per customer for everyone's reach (the
    /// standard error of a reach `1 + r` is about `√(r / N)`).
    #[arg(long, value_name = "N", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..))]
    reach_sets: u32,
    /// Parameter draws of the CLV interval.
    #[arg(long, value_name = "N", default_value_t = 100)]
    draws: u32,
    /// Customers printed.
    #[arg(long, value_name = "N", default_value_t = 5)]
    top: usize,
    /// Threads (default: all cores); the numbers do not depend on it.
    #[arg(long, value_name = "T", value_parser = parse_threads)]
    threads: Option<usize>,
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if Probability::new(p).is_ok() => Ok(p),
        _ => Err(format!("`{text}` is not a number from 0 to 1")),
    }
}

fn parse_gain(text: &str) -> Result<KnowledgeGain, String> {
    let bad = || format!("`{text}` is not TOPIC=AMOUNT:CURRENCY (e.g. battery=5000:EUR)");
    let (topic, money) = text.split_once('=').ok_or_else(bad)?;
    let (amount, currency) = money.split_once(':').ok_or_else(bad)?;
    let amount = amount.trim().parse().map_err(|_| bad())?;
    let currency = currency
        .trim()
        .parse()
        .map_err(|e| format!("`{text}`: {e}"))?;
    if topic.trim().is_empty() {
        return Err(bad());
    }
    Ok(KnowledgeGain::new(
        topic.trim().into(),
        Money::new(amount, currency),
    ))
}

/// Runs `social-loop crm ...`.
pub fn run_crm(args: &CrmArgs) -> Result<(), Failure> {
    match &args.command {
        CrmCommand::Cev(a) => crm_cev(a),
    }
}

fn crm_cev(args: &CrmCevArgs) -> Result<(), Failure> {
    let name = args.events.display();
    let file =
        std::fs::File::open(&args.events).map_err(|e| Failure(format!("--events {name}: {e}")))?;
    let started = Instant::now();
    let mut book = CustomerBook::new();
    let report = book
        .import_jsonl(BufReader::new(file))
        .map_err(|e| Failure(format!("{name}: {e}")))?;
    for (position, reason) in report.rejections().take(10) {
        match reason.line() {
            Some(_) => eprintln!("social-loop crm cev: warning: {name}: {reason}"),
            None => eprintln!("social-loop crm cev: warning: {name}: {position}: {reason}"),
        }
    }
    let mut reach = ReachOfEach::default().sets_per_customer(args.reach_sets)?;
    if let Some(t) = args.threads {
        reach = reach
            .threads(t)
            .map_err(|e| Failure(format!("--threads: {e}")))?;
    }
    let mut options = EngagementOptions::default()
        .value(BookValueOptions::default().value(ValueOptions::default().draws(args.draws)))
        .referred_anyway(Probability::new(args.referred_anyway)?)
        .influence_conversion(Probability::new(args.influence_conversion)?)
        .reach(reach);
    for gain in &args.gain {
        options = options.gain(gain.clone());
    }
    let values = book
        .engagement_values(&options)
        .map_err(|e| Failure(format!("{name}: {e}")))?;
    for skipped in &values.skipped {
        eprintln!("social-loop crm cev: warning: {name}: skipped the currency {skipped}");
    }
    output::write_file(&args.out, &values.to_csv())?;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} events applied ({} rejected), {} customers, {} rows valued ({:.2?})",
        report.counts.applied,
        report.counts.rejected,
        book.customer_count(),
        values.customers.len(),
        started.elapsed()
    );
    text.push_str(&top_lines(&values, args.top));
    let _ = writeln!(text, "wrote {}", args.out.display());
    output::print(&text)
}

/// The top `n` customers of each currency, with where their CEV comes from.
fn top_lines(values: &EngagementValues, n: usize) -> String {
    let mut text = String::new();
    let mut currencies: Vec<_> = values.customers.iter().map(|c| c.currency).collect();
    currencies.dedup();
    for currency in currencies {
        for (i, c) in values.of(currency).take(n).enumerate() {
            let _ = writeln!(text, "  {}. {c}", i + 1);
        }
    }
    text
}

/// `social-loop run ... --cev OUT.csv`: every simulated customer's CEV over
/// `runs` runs (17 runs of the scenario each), written to `out`; returns the
/// lines to print.
pub fn simulated(
    scenario: &Scenario,
    runs: u64,
    threads: Option<usize>,
    out: &Path,
) -> Result<String, Failure> {
    let mut settings = MonteCarloSettings::new(runs, scenario.get_seed())
        .map_err(|e| Failure(format!("--cev-runs: {e}")))?;
    if let Some(t) = threads {
        settings = settings
            .threads(t)
            .map_err(|e| Failure(format!("--threads: {e}")))?;
    }
    let cev = Simulation::new(scenario)?.engagement_values(settings)?;
    output::write_file(out, &cev.values.to_csv())?;
    let mut text = String::new();
    let _ = writeln!(text, "{cev}");
    text.push_str(&top_lines(&cev.values, 3));
    let _ = writeln!(text, "wrote {}", out.display());
    Ok(text)
}
