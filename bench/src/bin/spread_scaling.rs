//! Time per Independent Cascade run against the number of arcs, for the scaling
//! table of `BENCHMARKS.md`.
//!
//! ```sh
//! cargo run --release -p social_loop_bench --bin spread_scaling -- --arcs 1000000 [--p 0.05] [--runs 640] [--threads 1]
//!     [--engine auto|word-parallel|skipping|per-run]
//! ```
//!
//! Generates a Barabasi-Albert network (m = 5, both arcs of every tie, so about
//! 10 arcs per customer) with `--arcs` arcs at uniform probability `--p`, seeds the
//! cascade from the 10 customers added first (the oldest, best-connected ones),
//! and prints one JSON line: arcs, nodes, runs, the engine that ran (the one
//! `auto` chose), mean spread, time per run and the bytes of the compiled form per
//! arc. Run it under `/usr/bin/time -v` for the
//! process's peak memory.

use social_loop::propagation::MonteCarloSettings;
use std::time::Instant;

use social_loop::Probability;
use social_loop::network::BarabasiAlbert;
use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo};

fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a number")),
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("spread_scaling: error: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arcs: usize = flag(&args, "--arcs", 1_000_000)?;
    let p: f64 = flag(&args, "--p", 0.05)?;
    let runs: u64 = flag(&args, "--runs", 640)?;
    let threads: usize = flag(&args, "--threads", 1)?;
    let engine: Engine = match args.iter().position(|a| a == "--engine") {
        None => Engine::Auto,
        Some(i) => args.get(i + 1).ok_or("--engine needs a name")?.parse()?,
    };
    const M: usize = 5;
    let customers = (arcs / (2 * M)).max(2 * M);
    let net = BarabasiAlbert::new(customers, M).generate(Probability::new(p)?, 42)?;
    let compiled = CompiledNetwork::from_network(&net);
    // The compiled form itself (the engines' caches, built by the estimate, not
    // included).
    let compiled_bytes = compiled.heap_bytes();
    let seeds: Vec<String> = net.customers().take(10).map(|c| c.to_string()).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let started = Instant::now();
    let estimate = pool.install(|| {
        MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(runs, 1)?.engine(engine))
            .estimate(&compiled, &seeds)
    })?;
    let elapsed = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "{{\"arcs\":{},\"nodes\":{},\"p\":{p},\"runs\":{runs},\"threads\":{threads},\"engine\":{},\"mean\":{:.1},\"ms_per_run\":{:.4},\"compiled_bytes_per_arc\":{:.2}}}",
        compiled.arc_count(),
        compiled.node_count(),
        serde_json::to_string(&estimate.engine)?,
        estimate.mean,
        elapsed / runs as f64,
        compiled_bytes as f64 / compiled.arc_count().max(1) as f64,
    );
    Ok(())
}
