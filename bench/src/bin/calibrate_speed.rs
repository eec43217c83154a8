//! Calibrating a large book: a simulated company of 100,000 customers,
//! recorded as CRM events until there are at least 1,000,000, imported into
//! a `CustomerBook` and fitted (`Calibration::fit`) on a pool of `--threads`
//! threads (issue 15: under 10 s on two threads).
//!
//! ```text
//! cargo run --release -p social_loop_bench --bin calibrate_speed -- --customers 100000 --events 1000000 --threads 2
//! ```
//!
//! Prints one JSON line: `{"customers":N,"events":M,"threads":T,"import_ms":I,
//! "fit_ms":F,"total_ms":I+F,"fitted":K}` (simulating the company is not timed).
// A benchmark program: a failure is its verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use social_loop::calibrate::{Calibration, CalibrationOptions, EstimateSource};
use social_loop::crm::CustomerBook;
use social_loop::sim::{EventOptions, GeneratedNetwork, NetworkSpec, Scenario, Simulation};

/// Calibration of a large simulated company's CRM events, timed.
#[derive(clap::Parser)]
struct Args {
    /// Customers of the simulated company.
    #[arg(long, default_value_t = 100_000)]
    customers: usize,
    /// Events to record (at least this many).
    #[arg(long, default_value_t = 1_000_000)]
    events: usize,
    /// Threads of the rayon pool.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

fn main() {
    let Args {
        customers,
        events: wanted,
        threads,
    } = clap::Parser::parse();
    let scenario = Scenario::default()
        .network(NetworkSpec::Generated(
            GeneratedNetwork::micro_communities(customers, 50, 4.0).unwrap(),
        ))
        .horizon(1_000)
        .seed(1);
    let mut sim = Simulation::new(&scenario)
        .unwrap()
        .record_events(EventOptions::default())
        .unwrap();
    let mut events = sim.take_events();
    while events.len() < wanted {
        sim.step().unwrap();
        events.extend(sim.take_events());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (import_ms, fit_ms, book, fit) = pool.install(|| {
        let started = Instant::now();
        let mut book = CustomerBook::new();
        book.import(&events);
        let import_ms = started.elapsed().as_secs_f64() * 1e3;
        let started = Instant::now();
        let fit = Calibration::fit(&book, CalibrationOptions::default()).unwrap();
        let fit_ms = started.elapsed().as_secs_f64() * 1e3;
        (import_ms, fit_ms, book, fit)
    });
    let fitted = fit
        .parameters
        .values()
        .filter(|e| e.source == EstimateSource::Fitted)
        .count();
    println!(
        "{}",
        serde_json::json!({
            "customers": book.customer_count(),
            "events": book.event_count(),
            "threads": threads,
            "import_ms": import_ms.round(),
            "fit_ms": fit_ms.round(),
            "total_ms": (import_ms + fit_ms).round(),
            "fitted": fitted,
        })
    );
}
