//! `social-loop customer-value`: BTYD fit and customer lifetime value from a
//! purchase log.
//!
//! With `--format csv` the file may also be a summary file whose header is
//! `ID,x,t_x,T[,zbar]` (Fader and Hardie's `cdnow_summary.csv`): it is already
//! summarised, so `--calibration-end` and `--period` are not used (times are
//! the file's, taken as weeks for the discounting) and `--holdout-end` is
//! refused.
//!
//! It prints exactly one JSON line:
//!
//! ```text
//! {"model":"bgnbd","customers":N,"params":{"r":{"estimate":E,"std_err":S,"ci95":[LO,HI]},...},
//!  "log_likelihood":L,"spend_params":{...},"holdout":{"predicted":P,"actual":A},"elapsed_ms":T}
//! ```
//!
//! `spend_params` (`p`, `q`, `gamma`) only with `--spend gamma-gamma`,
//! `holdout` only with `--holdout-end`. With `--out`, a CSV with a header and
//! one row per customer: `customer,x,t_x,T,expected_holdout,p_alive,expected_spend,clv`
//! (`expected_holdout` empty without a holdout; money rounded to hundredths).
//! `elapsed_ms` times the summaries, the fits and the predictions (not reading
//! the file or writing the CSV). The CLV interval uses 100 parameter draws
//! with seed 0 (see `social_loop::clv::ValueOptions`); when the Gamma-Gamma
//! independence check fails (|corr(x, mean spend)| ≥ 0.3) a warning goes to
//! stderr.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde::ser::SerializeMap;
use social_loop::clv::{
    CustomerValues, Date, Estimates, LogFormat, Period, PurchaseLog, SpendFit, Summaries,
    SummaryOptions, TransactionModel, ValueOptions,
};

use crate::{Failure, output};

/// The layout of the transactions file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatChoice {
    /// `customer_id yyyymmdd number_of_cds dollar_value` (CDNOW's master file).
    Cdnow,
    /// `customer,date,amount[,currency]`.
    Csv,
}

/// The unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodChoice {
    /// Monday-to-Sunday weeks.
    Week,
    /// Calendar days.
    Day,
}

/// The transaction model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelChoice {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    Bgnbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    ParetoNbd,
}

/// The spend model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpendChoice {
    /// Gamma-Gamma (Colombo & Jiang 1999; Fader, Hardie & Lee 2005).
    GammaGamma,
}

/// Arguments of `social-loop customer-value`.
#[derive(Debug, Clone, Args)]
pub struct CustomerValueArgs {
    /// The purchase log.
    #[arg(long, value_name = "FILE")]
    transactions: PathBuf,
    /// Its layout.
    #[arg(long, value_enum, value_name = "cdnow|csv")]
    format: FormatChoice,
    /// Last day of the calibration period.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    calibration_end: Date,
    /// Last day of the holdout period (adds the holdout comparison).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    holdout_end: Option<Date>,
    /// The unit of time.
    #[arg(long, value_enum, default_value = "week", value_name = "week|day")]
    period: PeriodChoice,
    /// The transaction model.
    #[arg(long, value_enum, value_name = "bgnbd|pareto-nbd")]
    model: ModelChoice,
    /// Fit a spend model (otherwise each customer's own mean repeat spend).
    #[arg(long, value_enum, value_name = "gamma-gamma")]
    spend: Option<SpendChoice>,
    /// Gross margin, in (0, 1].
    #[arg(long, default_value_t = 0.3, value_name = "M")]
    margin: f64,
    /// Annual discount rate (0.1 = 10%).
    #[arg(long, default_value_t = 0.1, value_name = "D")]
    annual_discount: f64,
    /// CLV horizon in periods (default: no end).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    horizon_periods: Option<u32>,
    /// Write one row per customer to this CSV file.
    #[arg(long, value_name = "customers.csv")]
    out: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|_| format!("`{text}` is not a date YYYY-MM-DD"))
}

/// One parameter in the JSON line.
#[derive(Debug, Serialize)]
struct Parameter {
    estimate: f64,
    std_err: f64,
    ci95: [f64; 2],
}

/// Parameters by name, in the literature's order.
#[derive(Debug)]
struct Parameters(Vec<(String, Parameter)>);

impl Serialize for Parameters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, p) in &self.0 {
            map.serialize_entry(name, p)?;
        }
        map.end()
    }
}

impl From<&Estimates> for Parameters {
    fn from(e: &Estimates) -> Self {
        Parameters(
            e.parameters
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        Parameter {
                            estimate: p.estimate,
                            std_err: p.std_err,
                            ci95: p.ci95,
                        },
                    )
                })
                .collect(),
        )
    }
}

#[derive(Debug, Serialize)]
struct HoldoutLine {
    predicted: f64,
    actual: u64,
}

/// The JSON line; field order is the interface.
#[derive(Debug, Serialize)]
struct Line {
    model: &'static str,
    customers: usize,
    params: Parameters,
    log_likelihood: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    spend_params: Option<Parameters>,
    #[serde(skip_serializing_if = "Option::is_none")]
    holdout: Option<HoldoutLine>,
    elapsed_ms: f64,
}

/// Reads, summarises, fits, values, prints the JSON line, writes the CSV.
pub fn run(args: &CustomerValueArgs) -> Result<(), Failure> {
    let format = match args.format {
        FormatChoice::Cdnow => LogFormat::Cdnow,
        FormatChoice::Csv => LogFormat::Csv,
    };
    let value_options = value_options(args).map_err(|e| Failure(format!("--{e}")))?;
    let summary_file = format == LogFormat::Csv && is_summary_file(&args.transactions)?;
    let log = if summary_file {
        if args.holdout_end.is_some() {
            return Err(Failure(format!(
                "--holdout-end: {} is a summary file (ID,x,t_x,T[,zbar]): it has no holdout",
                args.transactions.display()
            )));
        }
        PurchaseLog::new()
    } else {
        let log = PurchaseLog::read_path(&args.transactions, format)?;
        if log.purchases().is_empty() {
            return Err(Failure(format!(
                "{}: no purchase in the file",
                args.transactions.display()
            )));
        }
        log
    };
    let started = Instant::now();
    let summaries = if summary_file {
        Summaries::read_csv_path(&args.transactions)?
    } else {
        let period = match args.period {
            PeriodChoice::Week => Period::Week,
            PeriodChoice::Day => Period::Day,
        };
        let mut options = SummaryOptions::default()
            .period(period)
            .calibration_end(args.calibration_end);
        if let Some(h) = args.holdout_end {
            options = options.holdout_end(h);
        }
        let in_file =
            |e: social_loop::Error| Failure(format!("{}: {e}", args.transactions.display()));
        Summaries::from_log(&log, options).map_err(in_file)?
    };
    let model = match args.model {
        ModelChoice::Bgnbd => TransactionModel::Bgnbd,
        ModelChoice::ParetoNbd => TransactionModel::ParetoNbd,
    };
    let fit = model.fit(&summaries)?;
    let spend = match args.spend {
        Some(SpendChoice::GammaGamma) => Some(SpendFit::fit(&summaries)?),
        None => None,
    };
    if let Some(s) = spend.as_ref().filter(|s| !s.check.independent) {
        eprintln!(
            "social-loop customer-value: warning: spend and frequency are correlated \
             (r = {:.3} over {} repeat buyers): the Gamma-Gamma independence assumption is doubtful",
            s.check.correlation, s.check.repeat_buyers
        );
    }
    let values = CustomerValues::compute(&summaries, &fit, spend.as_ref(), value_options)?;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    let line = Line {
        model: model.name(),
        customers: summaries.len(),
        params: Parameters::from(&fit.estimates),
        log_likelihood: fit.estimates.log_likelihood,
        spend_params: spend.as_ref().map(|s| Parameters::from(&s.estimates)),
        holdout: values.holdout.map(|h| HoldoutLine {
            predicted: h.predicted,
            actual: h.actual,
        }),
        elapsed_ms,
    };
    if let Some(path) = &args.out {
        std::fs::write(path, csv(&values))
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    }
    output::line(&serde_json::to_string(&line)?)
}

/// Whether a CSV file starts with a summary file's header `ID,x,t_x,T`.
fn is_summary_file(path: &std::path::Path) -> Result<bool, Failure> {
    use std::io::BufRead;
    let file = std::fs::File::open(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    let mut first = String::new();
    std::io::BufReader::new(file)
        .read_line(&mut first)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    let fields: Vec<&str> = first
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .map(str::trim)
        .collect();
    Ok(fields.get(1..4) == Some(&["x", "t_x", "T"][..]))
}

fn value_options(args: &CustomerValueArgs) -> social_loop::Result<ValueOptions> {
    let mut options = ValueOptions::default()
        .margin(args.margin)?
        .annual_discount(args.annual_discount)?;
    if let Some(h) = args.horizon_periods {
        options = options.horizon_periods(h)?;
    }
    Ok(options)
}

fn csv(values: &CustomerValues) -> String {
    let mut out = String::with_capacity(64 * (values.customers.len() + 1));
    out.push_str("customer,x,t_x,T,expected_holdout,p_alive,expected_spend,clv\n");
    for c in &values.customers {
        let holdout = c
            .expected_holdout
            .map(|h| format!("{h:.6}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{:.6},{},{}",
            c.customer, c.x, c.t_x, c.t_cal, holdout, c.p_alive, c.expected_spend, c.clv
        );
    }
    out
}
