//! The value loop at scale: the default scenario on a generated network of N
//! customers in micro-communities of 50 with about 10 ties each, for 52 weeks.
//!
//! ```text
//! cargo run --release -p social_loop_bench --bin scale -- --customers 1000000 --threads 2
//! /usr/bin/time -v target/release/scale --customers 1000000 --threads 2
//! cargo run --release -p social_loop_bench --bin scale -- --customers 10000 --attribution 4
//! ```
//!
//! Prints one line: customers, ties, threads, the time to build the population
//! (network generation and compilation included) and to run the periods, and the
//! advocates at the end. With `--attribution N` (N >= 2), also the time of the
//! attribution over N runs (8 N runs of the scenario, population built once)
//! and its ratio to one run's periods.

use std::time::Instant;

use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let customers = arg("--customers", 100_000);
    let threads = arg("--threads", 2);
    let periods = arg("--periods", 52) as u32;
    let attribution = arg("--attribution", 0) as u64;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    let scenario = Scenario::default()
        .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(
            customers, 50, 10.0,
        )?))
        .horizon(periods);
    let started = Instant::now();
    let mut sim = Simulation::new(&scenario)?;
    let built = started.elapsed();
    let ties = sim.network().arc_count();
    sim.run_to_horizon()?;
    let total = started.elapsed();
    let report = sim.into_report()?;
    let advocates = report.last().map_or(0, |p| p.stages.advocate);
    let loop_s = (total - built).as_secs_f64();
    print!(
        "customers {customers} ties {ties} threads {threads} periods {periods} build_s {:.2} loop_s {loop_s:.2} total_s {:.2} advocates_end {advocates}",
        built.as_secs_f64(),
        total.as_secs_f64()
    );
    if attribution >= 2 {
        let settings = MonteCarloSettings::new(attribution, scenario.get_seed())?;
        let sim = Simulation::new(&scenario)?.attribution(settings);
        let started = Instant::now();
        let report = sim.run()?;
        let seconds = started.elapsed().as_secs_f64() - loop_s;
        let runs = report.attribution.map_or(0, |a| a.runs);
        print!(
            " attribution_runs {runs} attribution_s {seconds:.2} attribution_over_one_run {:.1}",
            seconds / loop_s
        );
    }
    println!();
    Ok(())
}
