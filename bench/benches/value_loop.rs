//! The value loop, end to end: the default scenario (micro-communities of 50,
//! about 10 ties per customer) for 52 weekly periods, on 10^4 and 10^5
//! customers, on 1 and 2 threads. Building the population (network generation
//! and compilation) is measured separately from the periods.
//!
//! ```text
//! cargo bench -p social_loop_bench --bench value_loop
//! ```
//!
//! The 10^6-customer figure (about 10^7 ties) is measured with the `scale`
//! example under `/usr/bin/time -v`, which also gives the peak memory.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};

fn scenario(customers: usize) -> Scenario {
    let network = GeneratedNetwork::micro_communities(customers, 50, 10.0).unwrap();
    Scenario::default().network(NetworkSpec::Generated(network))
}

fn value_loop(c: &mut Criterion) {
    let mut group = c.benchmark_group("value_loop_52_weeks");
    group.sample_size(10);
    for customers in [10_000usize, 100_000] {
        let scenario = scenario(customers);
        for threads in [1usize, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let id = BenchmarkId::new(format!("periods_{threads}_threads"), customers);
            group.bench_with_input(id, &scenario, |b, s| {
                b.iter_batched(
                    || Simulation::new(s).unwrap(),
                    |mut sim| {
                        pool.install(|| sim.run_to_horizon()).unwrap();
                        sim.period()
                    },
                    BatchSize::PerIteration,
                )
            });
        }
        let id = BenchmarkId::new("build_population", customers);
        group.bench_with_input(id, &scenario, |b, s| {
            b.iter(|| Simulation::new(s).unwrap().population())
        });
    }
    group.finish();
}

criterion_group!(benches, value_loop);
criterion_main!(benches);
