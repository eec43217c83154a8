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
//! "cev_ms":C,"cev_cpu_ms":U,"rows":R,"networked":K}` (U: CPU time of all
//! threads, which waiting for a core on a loaded machine does not inflate);
//! generating the events is not timed.
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
        timed("customer_values", || {
            pool.install(|| book.customer_values(Default::default()))
                .unwrap();
        });
        let no_draws = social_loop::crm::BookValueOptions::default()
            .value(social_loop::clv::ValueOptions::default().draws(0));
        timed("customer_values without draws", || {
            pool.install(|| book.customer_values(no_draws)).unwrap();
        });
        timed("reach of every customer (RR sets)", || {
            let network = social_loop::propagation::CompiledNetwork::from_network(book.network());
            pool.install(|| ReachOfEach::default().estimate(&network))
                .unwrap();
        });
        timed("referral_attribution", || {
            pool.install(|| book.referral_attribution()).unwrap();
        });
    }
    let started = Instant::now();
    let cpu_started = cpu_ms();
    let values = pool.install(|| book.engagement_values(&options)).unwrap();
    let cev_ms = started.elapsed().as_secs_f64() * 1e3;
    let cev_cpu_ms = cpu_ms() - cpu_started;
    println!(
        "{{\"customers\":{},\"events\":{},\"threads\":{threads},\"import_ms\":{import_ms:.0},\"cev_ms\":{cev_ms:.0},\"cev_cpu_ms\":{cev_cpu_ms:.0},\"rows\":{},\"networked\":{}}}",
        book.customer_count(),
        events.len(),
        values.customers.len(),
        book.network().customer_count()
    );
}

/// Runs `part`, then prints its wall and CPU time (all threads of the process).
fn timed(name: &str, part: impl FnOnce()) {
    let (started, cpu_started) = (Instant::now(), cpu_ms());
    part();
    eprintln!(
        "{name} {:.0} ms (CPU {:.0} ms)",
        started.elapsed().as_secs_f64() * 1e3,
        cpu_ms() - cpu_started
    );
}

/// CPU time of this process so far (user + system, all threads), from
/// `/proc/self/stat` in clock ticks of 10 ms; NaN where there is no such file.
/// Under load the wall time counts waiting for a core, the CPU time does not.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) * 10.0
}
