//! BG/NBD fit and per-customer predictions on synthetic customers, for
//! `bench/peers/clv_compare.sh` and the issue's one-thread target.
//!
//! ```text
//! cargo run --release -p social_loop_bench --bin clv_speed -- --customers 100000 --threads 1 --csv target/peers/clv_100k.csv
//! ```
//!
//! The base is drawn from a BG/NBD with CDNOW's published parameters
//! (r = 0.2426, alpha = 4.4135, a = 0.7929, b = 2.4258), customers joining
//! over 12 weeks and observed to week 52, recorded in whole weeks (seed 1).
//! `--csv` writes it as `x,t_x,T` for the peer. Prints one JSON line:
//! `{"tool":"social_loop","customers":N,"distinct":D,"threads":T,"fit_ms":F,
//! "predict_ms":P,"total_ms":F+P,"params":{"r":..,"alpha":..,"a":..,"b":..},
//! "log_likelihood":L,"sum_expected_39":E,"sum_p_alive":A}`; drawing the base
//! and writing the CSV are not timed.
// A benchmark program: a failure is its verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::time::Instant;

use social_loop::clv::{BgNbd, BgNbdSimulation, TransactionModel};

/// A BG/NBD fit and predictions on a simulated base, timed.
#[derive(clap::Parser)]
struct Args {
    /// Customers of the simulated base.
    #[arg(long, default_value_t = 100_000)]
    customers: usize,
    /// Threads of the rayon pool.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Also write the base as a CSV (for the peer's side of the comparison).
    #[arg(long, value_name = "FILE.csv")]
    csv: Option<String>,
}

fn main() {
    let Args {
        customers,
        threads,
        csv,
    } = clap::Parser::parse();
    let truth = BgNbd::new(0.2426, 4.4135, 0.7929, 2.4258).unwrap();
    let base = BgNbdSimulation::new(truth, customers)
        .whole_periods(true)
        .seed(1)
        .summaries()
        .unwrap();
    if let Some(path) = csv {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("--csv file"));
        writeln!(out, "x,t_x,T").unwrap();
        for c in &base.customers {
            writeln!(out, "{},{},{}", c.x(), c.t_x(), c.t_cal()).unwrap();
        }
        out.flush().unwrap();
    }
    let distinct = {
        let mut seen = std::collections::HashSet::new();
        base.customers
            .iter()
            .filter(|c| seen.insert((c.x(), c.t_x().to_bits(), c.t_cal().to_bits())))
            .count()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (fit, predictions, fit_ms, predict_ms) = pool.install(|| {
        let started = Instant::now();
        let fit = TransactionModel::Bgnbd.fit(&base).unwrap();
        let fit_ms = started.elapsed().as_secs_f64() * 1e3;
        let started = Instant::now();
        let predictions = fit.predict(&base, 39.0).unwrap();
        (
            fit,
            predictions,
            fit_ms,
            started.elapsed().as_secs_f64() * 1e3,
        )
    });
    let [r, alpha, a, b] = fit.bgnbd().unwrap().values();
    let line = serde_json::json!({
        "tool": "social_loop",
        "customers": customers,
        "distinct": distinct,
        "threads": threads,
        "fit_ms": fit_ms,
        "predict_ms": predict_ms,
        "total_ms": fit_ms + predict_ms,
        "params": {"r": r, "alpha": alpha, "a": a, "b": b},
        "log_likelihood": fit.estimates.log_likelihood,
        "evaluations": fit.estimates.evaluations,
        "sum_expected_39": predictions.iter().map(|p| p.expected).sum::<f64>(),
        "sum_p_alive": predictions.iter().map(|p| p.p_alive).sum::<f64>(),
    });
    println!("{line}");
}
