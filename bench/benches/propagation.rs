//! Independent Cascade throughput (runs per second) of the two engines, on 1 and 2
//! threads, next to a plain single-threaded CSR loop (one run at a time, a visited
//! flag per node, one Xoshiro256PlusPlus draw per arc to an unvisited node: the
//! kind of loop peers' C/Cython kernels run) as the reference:
//! * Barabasi-Albert, 100,000 customers, 5 ties per newcomer (999,950 arcs), the 10
//!   highest-degree customers as seeds, p = 0.01 and p = 0.1;
//! * `../shared/data/soc-Epinions1.txt` (508,837 arcs) with weighted-cascade
//!   probabilities, the 50 highest out-degree customers as seeds (skipped with a
//!   note when the file is absent).
//!
//! `cargo bench -p social_loop_bench --bench propagation -- --quick` for a fast pass;
//! `cargo bench -p social_loop_bench --bench propagation -- epinions` for one graph.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use social_loop::propagation::MonteCarloSettings;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use social_loop::Probability;
use social_loop::network::io::{EdgeFormat, ReadOptions, read_edge_list_file};
use social_loop::network::{BarabasiAlbert, InfluenceNetwork, WeightScheme};
use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo};

/// The plain loop's own CSR arrays (offsets, targets, `f32` probabilities),
/// built from the network's public ties in insertion order, as the crate
/// compiles them.
struct PlainCsr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    probabilities: Vec<f32>,
    index: std::collections::HashMap<String, u32>,
}

impl PlainCsr {
    fn new(net: &InfluenceNetwork) -> Self {
        let index: std::collections::HashMap<String, u32> = net
            .customers()
            .enumerate()
            .map(|(i, c)| (c.to_string(), i as u32))
            .collect();
        let mut out: Vec<Vec<(u32, f32)>> = vec![Vec::new(); index.len()];
        for t in net.ties() {
            out[index[t.from.as_str()] as usize]
                .push((index[t.to.as_str()], t.tie.probability.get() as f32));
        }
        let mut csr = PlainCsr {
            offsets: vec![0],
            targets: Vec::new(),
            probabilities: Vec::new(),
            index,
        };
        for arcs in out {
            for (v, p) in arcs {
                csr.targets.push(v);
                csr.probabilities.push(p);
            }
            csr.offsets.push(csr.targets.len() as u32);
        }
        csr
    }
}

/// The plain reference loop: `runs` Independent Cascade runs one after the other;
/// returns the total spread.
fn plain_csr_loop(csr: &PlainCsr, seeds: &[u32], runs: u64, seed: u64) -> u64 {
    use rand::RngCore;
    let (offsets, targets, probabilities) = (&csr.offsets, &csr.targets, &csr.probabilities);
    let n = offsets.len() - 1;
    let mut visited = vec![false; n];
    let mut queue: Vec<u32> = Vec::with_capacity(n);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut total = 0;
    for _ in 0..runs {
        queue.clear();
        for &s in seeds {
            if !visited[s as usize] {
                visited[s as usize] = true;
                queue.push(s);
            }
        }
        let mut head = 0;
        while let Some(&u) = queue.get(head) {
            head += 1;
            let (lo, hi) = (
                offsets[u as usize] as usize,
                offsets[u as usize + 1] as usize,
            );
            for arc in lo..hi {
                let v = targets[arc] as usize;
                if !visited[v] {
                    let draw = rng.next_u32() as f32 * (1.0 / 4_294_967_296.0);
                    if draw < probabilities[arc] {
                        visited[v] = true;
                        queue.push(v as u32);
                    }
                }
            }
        }
        total += queue.len() as u64;
        for &v in &queue {
            visited[v as usize] = false;
        }
    }
    total
}

/// The `k` customers with the most out-arcs (ties broken by node order).
fn top_degree(compiled: &CompiledNetwork, k: usize) -> Vec<String> {
    compiled
        .highest_out_degree::<&str>(k, &[])
        .expect("k customers")
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn barabasi_albert(p: f64) -> InfluenceNetwork {
    BarabasiAlbert::new(100_000, 5)
        .generate(Probability::new(p).expect("p"), 2024)
        .expect("generator")
}

fn epinions() -> Option<InfluenceNetwork> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/soc-Epinions1.txt"
    );
    if !std::path::Path::new(path).exists() {
        eprintln!("note: {path} is absent; skipping the Epinions benchmark");
        return None;
    }
    let options = ReadOptions::default()
        .format(EdgeFormat::Snap)
        .weights(WeightScheme::WeightedCascade);
    let (net, _) = read_edge_list_file(path, options).expect("read");
    Some(net)
}

fn bench_graph(c: &mut Criterion, name: &str, net: &InfluenceNetwork, seeds: usize, runs: u64) {
    let compiled = CompiledNetwork::from_network(net);
    let seeds = top_degree(&compiled, seeds);
    let mut group = c.benchmark_group(format!("ic/{name}"));
    group.throughput(Throughput::Elements(runs));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        for (engine, label) in [
            (Engine::Auto, "auto"),
            (Engine::WordParallel, "word_parallel"),
            (Engine::Skipping, "skipping"),
            (Engine::PerRun, "per_run"),
        ] {
            let mc = MonteCarlo::new(Model::IndependentCascade).settings(
                MonteCarloSettings::new(runs, 1)
                    .expect("runs >= 2")
                    .engine(engine),
            );
            let est = pool
                .install(|| mc.estimate(&compiled, &seeds))
                .expect("estimate");
            eprintln!(
                "{name} {label} {threads}t: mean spread {:.1} ± {:.1} over {runs} runs ({:?})",
                est.mean, est.std_err, est.engine
            );
            group.bench_function(BenchmarkId::new(label, format!("{threads}t")), |b| {
                b.iter(|| {
                    pool.install(|| mc.estimate(&compiled, &seeds))
                        .expect("estimate")
                })
            });
        }
    }
    let csr = PlainCsr::new(net);
    let seed_nodes: Vec<u32> = seeds.iter().map(|s| csr.index[s.as_str()]).collect();
    let total = plain_csr_loop(&csr, &seed_nodes, runs, 1);
    eprintln!(
        "{name} plain_csr_loop 1t: mean spread {:.1} over {runs} runs",
        total as f64 / runs as f64
    );
    group.bench_function(BenchmarkId::new("plain_csr_loop", "1t"), |b| {
        b.iter(|| plain_csr_loop(&csr, &seed_nodes, runs, 1))
    });
    group.finish();
}

fn propagation(c: &mut Criterion) {
    bench_graph(c, "ba100k_m5_p0.01", &barabasi_albert(0.01), 10, 2_048);
    bench_graph(c, "ba100k_m5_p0.1", &barabasi_albert(0.1), 10, 256);
    if let Some(net) = epinions() {
        bench_graph(c, "epinions_wc_top50", &net, 50, 2_048);
    }
}

criterion_group!(benches, propagation);
criterion_main!(benches);
