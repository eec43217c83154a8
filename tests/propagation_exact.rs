//! Monte Carlo against the exact live-edge enumeration, textbook values, and the
//! monotonicity of the spread under common random numbers.

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use social_loop::network::InfluenceNetwork;
use social_loop::propagation::MonteCarloSettings;
use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo, exact};

fn compile(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
    CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples.iter().copied()).unwrap())
}

/// A random directed graph on `n` nodes with `m` distinct arcs (no loops). For
/// Linear Threshold the weights into each node are scaled to sum to at most 1.
fn random_graph(seed: u64, n: usize, m: usize, lt: bool) -> Vec<(String, String, f64)> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut arcs: Vec<(usize, usize, f64)> = Vec::new();
    while arcs.len() < m {
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a != b && !arcs.iter().any(|&(x, y, _)| x == a && y == b) {
            arcs.push((a, b, rng.random_range(0.05..0.95)));
        }
    }
    if lt {
        for v in 0..n {
            let sum: f64 = arcs.iter().filter(|t| t.1 == v).map(|t| t.2).sum();
            let scale = rng.random_range(0.6..1.0) / sum.max(1.0);
            for t in arcs.iter_mut().filter(|t| t.1 == v) {
                t.2 *= scale;
            }
        }
    }
    arcs.into_iter()
        .map(|(a, b, p)| (format!("n{a}"), format!("n{b}"), p))
        .collect()
}

/// Compiles `triples` on nodes `n0, n1, ...` (every node present, in order, even
/// without ties).
fn compile_owned(triples: &[(String, String, f64)]) -> CompiledNetwork {
    let mut net = InfluenceNetwork::new();
    for v in 0..16 {
        net.add_customer(format!("n{v}"));
    }
    for (a, b, w) in triples {
        let tie = social_loop::network::Tie::from_signed_weight(*w, "w").unwrap();
        net.add_tie(a.as_str(), b.as_str(), tie).unwrap();
    }
    CompiledNetwork::from_network(&net)
}

/// Every Independent Cascade engine, the automatic choice included.
const ENGINES: [Engine; 4] = [
    Engine::WordParallel,
    Engine::PerRun,
    Engine::Skipping,
    Engine::Auto,
];

#[test]
fn textbook_values_are_exact() {
    let diamond = compile(&[
        ("a", "b", 0.5),
        ("a", "c", 0.5),
        ("b", "d", 0.5),
        ("c", "d", 0.5),
    ]);
    assert_eq!(
        exact::expected_spread(&diamond, Model::IndependentCascade, ["a"]).unwrap(),
        2.4375
    );
    let path = compile(&[("a", "b", 0.5), ("b", "c", 0.5)]);
    assert_eq!(
        exact::expected_spread(&path, Model::IndependentCascade, ["a"]).unwrap(),
        1.75
    );
}

#[test]
fn textbook_values_by_monte_carlo_on_every_engine() {
    let diamond = compile(&[
        ("a", "b", 0.5),
        ("a", "c", 0.5),
        ("b", "d", 0.5),
        ("c", "d", 0.5),
    ]);
    let path = compile(&[("a", "b", 0.5), ("b", "c", 0.5)]);
    for engine in ENGINES {
        for (net, truth) in [(&diamond, 2.4375), (&path, 1.75)] {
            let est = MonteCarlo::new(Model::IndependentCascade)
                .settings(MonteCarloSettings::new(20_000, 11).unwrap().engine(engine))
                .estimate(net, ["a"])
                .unwrap();
            assert!(
                (est.mean - truth).abs() < 4.0 * est.std_err,
                "{engine:?}: {} ± {} vs {truth}",
                est.mean,
                est.std_err
            );
            let half_width = social_loop::propagation::Z_95 * est.std_err;
            assert!((est.ci95[1] - est.mean - half_width).abs() < 1e-12);
            assert!((est.mean - est.ci95[0] - half_width).abs() < 1e-12);
        }
    }
}

#[test]
fn independent_cascade_matches_enumeration_on_random_graphs() {
    for graph_seed in 0..5 {
        let triples = random_graph(graph_seed, 7, 13, false);
        let net = compile_owned(&triples);
        let seeds = ["n0", "n3"];
        let truth = exact::expected_spread(&net, Model::IndependentCascade, seeds).unwrap();
        for engine in ENGINES {
            let est = MonteCarlo::new(Model::IndependentCascade)
                .settings(
                    MonteCarloSettings::new(8_000, graph_seed + 100)
                        .unwrap()
                        .engine(engine),
                )
                .estimate(&net, seeds)
                .unwrap();
            assert!(
                (est.mean - truth).abs() < 4.0 * est.std_err,
                "graph {graph_seed} {engine:?}: {} ± {} vs exact {truth}",
                est.mean,
                est.std_err
            );
        }
    }
}

#[test]
fn linear_threshold_matches_enumeration_on_random_graphs() {
    for graph_seed in 0..5 {
        let triples = random_graph(graph_seed + 50, 7, 13, true);
        let net = compile_owned(&triples);
        let seeds = ["n1"];
        let truth = exact::expected_spread(&net, Model::LinearThreshold, seeds).unwrap();
        let est = MonteCarlo::new(Model::LinearThreshold)
            .settings(MonteCarloSettings::new(8_000, graph_seed).unwrap())
            .estimate(&net, seeds)
            .unwrap();
        assert!(
            (est.mean - truth).abs() < 4.0 * est.std_err,
            "graph {graph_seed}: {} ± {} vs exact {truth}",
            est.mean,
            est.std_err
        );
    }
}

#[test]
fn linear_threshold_differs_from_independent_cascade_where_it_should() {
    // Two seeds each with weight 0.5 into d: LT activates d surely, IC with 0.75.
    let net = compile(&[("b", "d", 0.5), ("c", "d", 0.5)]);
    let lt = MonteCarlo::new(Model::LinearThreshold)
        .settings(MonteCarloSettings::new(2_000, 0).unwrap())
        .estimate(&net, ["b", "c"])
        .unwrap();
    assert_eq!(lt.mean, 3.0);
    assert_eq!(lt.std_err, 0.0);
    let ic = MonteCarlo::new(Model::IndependentCascade)
        .settings(MonteCarloSettings::new(20_000, 0).unwrap())
        .estimate(&net, ["b", "c"])
        .unwrap();
    assert!((ic.mean - 2.75).abs() < 4.0 * ic.std_err);
}

fn spread_sum(net: &CompiledNetwork, model: Model, engine: Engine, seeds: &[&str]) -> f64 {
    MonteCarlo::new(model)
        .settings(MonteCarloSettings::new(200, 5).unwrap().engine(engine))
        .estimate(net, seeds)
        .unwrap()
        .mean
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Raising one arc's probability never lowers the estimate with the same seed:
    /// every run's live-edge world only gains arcs.
    #[test]
    fn spread_never_decreases_when_a_probability_increases(
        graph_seed in 0u64..1_000,
        which in 0usize..12,
        raise in 0.01f64..1.0,
    ) {
        for (model, engine, lt) in [
            (Model::IndependentCascade, Engine::WordParallel, false),
            (Model::IndependentCascade, Engine::PerRun, false),
            (Model::LinearThreshold, Engine::PerRun, true),
        ] {
            let low = random_graph(graph_seed, 8, 12, lt);
            let mut high = low.clone();
            let target = high[which].1.clone();
            let room = if lt {
                1.0 - high.iter().filter(|t| t.1 == target).map(|t| t.2).sum::<f64>()
            } else {
                1.0 - high[which].2
            };
            high[which].2 += raise * room.max(0.0);
            let before = spread_sum(&compile_owned(&low), model, engine, &["n0"]);
            let after = spread_sum(&compile_owned(&high), model, engine, &["n0"]);
            prop_assert!(after >= before, "{model:?} {engine:?}: {after} < {before}");
        }
    }

    /// Adding a seed never lowers the estimate with the same seed on the engines
    /// whose live-edge worlds do not depend on the seeds (per-run coins keyed by
    /// arc; skipping keyed by node): every run's reachable set only grows. (The
    /// word-parallel engine renumbers the graph from the seeds, so its worlds are
    /// not coupled across seed sets.)
    #[test]
    fn spread_never_decreases_when_a_seed_is_added(
        graph_seed in 0u64..1_000,
        extra in 1usize..8,
    ) {
        let net = compile_owned(&random_graph(graph_seed, 8, 14, false));
        let more = format!("n{extra}");
        for model in [Model::IndependentCascade, Model::signed_neutral()] {
            for engine in [Engine::PerRun, Engine::Skipping] {
                let estimate = |seeds: &[&str]| {
                    MonteCarlo::new(model)
                        .settings(MonteCarloSettings::new(200, graph_seed).unwrap().engine(engine))
                        .estimate(&net, seeds)
                        .unwrap()
                        .mean
                };
                let (before, after) = (estimate(&["n0"]), estimate(&["n0", more.as_str()]));
                prop_assert!(after >= before, "{model:?} {engine:?}: {after} < {before}");
            }
        }
    }
}
