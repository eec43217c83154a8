//! Customer value: BG/NBD fit and per-customer predictions on synthetic bases
//! of 100,000 and 1,000,000 customers (whole weeks), on one thread.
//!
//! ```text
//! cargo bench -p social_loop_bench --bench clv
//! ```
// A benchmark: a failure is its verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use social_loop::clv::{BgNbd, BgNbdSimulation, TransactionModel};

fn fit_and_predict(c: &mut Criterion) {
    let truth = BgNbd::new(0.2426, 4.4135, 0.7929, 2.4258).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("clv_bgnbd_fit_predict_1_thread");
    group.sample_size(10);
    for customers in [100_000usize, 1_000_000] {
        let base = BgNbdSimulation::new(truth, customers)
            .whole_periods(true)
            .seed(1)
            .summaries()
            .unwrap();
        group.bench_function(format!("{customers}"), |bench| {
            bench.iter(|| {
                pool.install(|| {
                    let fit = TransactionModel::Bgnbd.fit(&base).unwrap();
                    fit.predict(&base, 39.0).unwrap()
                })
            });
        });
    }
    group.finish();
}

criterion_group!(benches, fit_and_predict);
criterion_main!(benches);
