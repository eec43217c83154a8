//! Selection time of IMM on NetHEPT as distributed with the IMM code
//! (`../shared/data/nethept_imm_graph_ic.inf`, weighted-cascade weights in the
//! file), k = 50, epsilon 0.1 and 0.5, on 1 and 2 threads; and CELF, degree and
//! PageRank on a small generated graph for scale. The evaluation is left out
//! (2 runs); the spread of the chosen seeds is measured by
//! `bench/peers/imm_compare.py` with 10,000 independent runs.
//!
//! `cargo bench -p social_loop_bench --bench targeting` (skips NetHEPT with a note when the file is
//! absent); `cargo bench -p social_loop_bench --bench targeting -- nethept` for IMM alone.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use social_loop::propagation::MonteCarloSettings;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use social_loop::Probability;
use social_loop::network::io::{ReadOptions, read_edge_list_file};
use social_loop::network::{BarabasiAlbert, WeightScheme};
use social_loop::propagation::CompiledNetwork;
use social_loop::targeting::{Algorithm, SpreadOracle, Targeting};

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

fn nethept(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/nethept_imm_graph_ic.inf"
    );
    if !std::path::Path::new(path).exists() {
        eprintln!("note: {path} is absent; skipping the NetHEPT benchmark");
        return;
    }
    let (net, _) = read_edge_list_file(path, ReadOptions::default()).expect("read NetHEPT");
    let network = CompiledNetwork::from_network(&net);
    let mut group = c.benchmark_group("imm/nethept_k50");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for epsilon in [0.5, 0.1] {
        for threads in [1, 2] {
            let targeting = Targeting::new(Algorithm::Imm)
                .epsilon(epsilon)
                .seed(1)
                .evaluation(MonteCarloSettings::new(2, 1).unwrap());
            let pool = pool(threads);
            group.bench_function(
                BenchmarkId::new(format!("eps{epsilon}"), format!("{threads}t")),
                |b| b.iter(|| pool.install(|| targeting.select(&network, 50).expect("IMM"))),
            );
        }
    }
    group.finish();
}

fn small_graph(c: &mut Criterion) {
    let mut net = BarabasiAlbert::new(2_000, 3)
        .generate(Probability::ONE, 7)
        .expect("generator");
    WeightScheme::WeightedCascade.apply(&mut net);
    let network = CompiledNetwork::from_network(&net);
    let mut group = c.benchmark_group("select/ba2000_k10");
    group.sample_size(10);
    for (name, targeting) in [
        (
            "celf_mc200",
            Targeting::new(Algorithm::Celf).oracle(SpreadOracle::MonteCarlo { runs: 200 }),
        ),
        ("imm_eps0.2", Targeting::new(Algorithm::Imm).epsilon(0.2)),
        ("degree", Targeting::new(Algorithm::Degree)),
        ("pagerank", Targeting::new(Algorithm::PageRank)),
        ("bridges", Targeting::new(Algorithm::Bridges)),
    ] {
        let targeting = targeting
            .seed(3)
            .evaluation(MonteCarloSettings::new(2, 1).unwrap())
            .gains(MonteCarloSettings::new(2, 2).unwrap());
        group.bench_function(name, |b| {
            b.iter(|| targeting.select(&network, 10).expect("selection"))
        });
    }
    group.finish();
}

criterion_group!(benches, nethept, small_graph);
criterion_main!(benches);
