//! Customer engagement value of a large CRM book, for the issue's speed
//! target (100,000 customers, 1,000,000 events, under 10 s on two threads).
//!
//! ```text
//! cargo run --release -p social_loop_bench --bin cev_speed -- --customers 100000 --events 1000000 --threads 2
//! ```
//!
//! The book is `SyntheticCrm` (seed 1) over `--days` days (default 730), cut to the first
//! `--events` events in time order (or all of them when it has fewer),
//! imported into a `CustomerBook` (timed apart), then
//! `CustomerBook::engagement_values` with the default options (BG/NBD +
//! Gamma-Gamma, 100 parameter draws, every customer's reach from 64
//! reverse-reachable sets per customer) and one knowledge gain, on `--threads` threads. Prints
//! one JSON line: `{"customers":N,"events":E,"threads":T,"import_ms":I,
//! "cev_ms":C,"rows":R,"networked":K}`; generating the events is not timed.
// A benchmark program: a failure is its verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use social_loop::Decimal;
use social_loop::cev::{EngagementOptions, KnowledgeGain};
use social_loop::crm::{Currency, CustomerBook, Money, SyntheticCrm};
use social_loop::targeting::ReachOfEach;

/// Customer engagement value of a large synthetic CRM book, timed.
#[derive(clap::Parser)]
struct Args {
    /// Customers of the synthetic book.
    #[arg(long, default_value_t = 100_000)]
    customers: usize,
    /// Events kept (the first in time order).
    #[arg(long, default_value_t = 1_000_000)]
    events: usize,
    /// Threads of the rayon pool.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Days the synthetic book covers.
    #[arg(long, default_value_t = 730)]
    days: u32,
    /// Also time the parts (CLV, referrals, reach) apart.
    #[arg(long, value_name = "ANY")]
    parts: Option<String>,
}

fn main() {
    let Args {
        customers,
        events: wanted,
        threads,
        days,
        parts,
    } = clap::Parser::parse();
    let mut events = SyntheticCrm::new(customers)
        .days(days)
        .seed(1)
        .events()
        .unwrap();
    events.truncate(wanted);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut book = CustomerBook::new();
    let report = pool.install(|| book.import(&events));
    let import_ms = started.elapsed().as_secs_f64() * 1e3;
    assert_eq!(report.counts.applied as usize, events.len());
    let options = EngagementOptions::default()
        .reach(ReachOfEach::default().threads(threads).unwrap())
        .gain(KnowledgeGain::new(
            "battery".into(),
            Money::new(Decimal::from(50_000), Currency::new("EUR").unwrap()),
        ));
    if parts.is_some() {
        let started = Instant::now();
        pool.install(|| book.customer_values(Default::default()))
            .unwrap();
        eprintln!(
            "customer_values {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        let started = Instant::now();
        let no_draws = social_loop::crm::BookValueOptions::default()
            .value(social_loop::clv::ValueOptions::default().draws(0));
        pool.install(|| book.customer_values(no_draws)).unwrap();
        eprintln!(
            "customer_values without draws {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        let started = Instant::now();
        let network = social_loop::propagation::CompiledNetwork::from_network(book.network());
        pool.install(|| ReachOfEach::default().estimate(&network))
            .unwrap();
        eprintln!(
            "reach of every customer (RR sets) {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        let started = Instant::now();
        pool.install(|| book.referral_attribution()).unwrap();
        eprintln!(
            "referral_attribution {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let started = Instant::now();
    let values = pool.install(|| book.engagement_values(&options)).unwrap();
    let cev_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "{{\"customers\":{},\"events\":{},\"threads\":{threads},\"import_ms\":{import_ms:.0},\"cev_ms\":{cev_ms:.0},\"rows\":{},\"networked\":{}}}",
        book.customer_count(),
        events.len(),
        values.customers.len(),
        book.network().customer_count()
    );
}
