//! The Monte Carlo estimator: thread-count independence, the word-parallel engine
//! against the per-run one, optional outputs, signed cascades and errors.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use social_loop::network::{InfluenceNetwork, WeightScheme};
use social_loop::propagation::MonteCarloSettings;
use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo, SpreadEstimate, exact};
use social_loop::{Error, Probability};

fn compile(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
    CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples.iter().copied()).unwrap())
}

/// A sparse random digraph with `n` nodes and about `n * degree` arcs, weighted
/// cascade probabilities, some ties negative.
fn medium_graph(seed: u64, n: usize, degree: usize) -> CompiledNetwork {
    random_digraph(seed, n, degree, None)
}

/// The same random digraph with every tie positive at probability `p`.
fn uniform_graph(seed: u64, n: usize, degree: usize, p: f64) -> CompiledNetwork {
    random_digraph(seed, n, degree, Some(p))
}

/// `n` nodes, about `n * degree` random arcs; with `uniform`, every tie has that
/// probability; without, weighted cascade with a fifth of the ties negative.
fn random_digraph(seed: u64, n: usize, degree: usize, uniform: Option<f64>) -> CompiledNetwork {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut net = InfluenceNetwork::new();
    for v in 0..n {
        net.add_customer(format!("c{v}"));
    }
    for _ in 0..n * degree {
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a != b {
            let w = match uniform {
                Some(p) => p,
                None if rng.random_bool(0.2) => -0.5,
                None => 0.5,
            };
            let tie = social_loop::network::Tie::from_signed_weight(w, "w").unwrap();
            net.add_tie(format!("c{a}"), format!("c{b}"), tie).unwrap();
        }
    }
    if uniform.is_none() {
        WeightScheme::WeightedCascade.apply(&mut net);
    }
    CompiledNetwork::from_network(&net)
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn estimates_are_bit_identical_for_1_2_and_16_threads() {
    let net = medium_graph(3, 400, 4);
    let seeds = ["c1", "c2", "c3"];
    let signed = Model::signed(Probability::new(0.7).unwrap());
    let estimators = [
        (Model::IndependentCascade, Engine::Auto),
        (Model::IndependentCascade, Engine::WordParallel),
        (Model::IndependentCascade, Engine::PerRun),
        (Model::IndependentCascade, Engine::Skipping),
        (Model::LinearThreshold, Engine::Auto),
        (signed, Engine::Auto),
        (signed, Engine::Skipping),
    ];
    for (model, engine) in estimators {
        let mc = MonteCarlo::new(model)
            .settings(MonteCarloSettings::new(1_000, 42).unwrap().engine(engine))
            .node_probabilities(true)
            .trajectory(true)
            .influence(true);
        let run = |threads| {
            in_pool(threads, || {
                if matches!(mc.model(), Model::Signed { .. }) {
                    mc.estimate_signed(&net, seeds, ["c9"]).unwrap()
                } else {
                    mc.estimate(&net, seeds).unwrap()
                }
            })
        };
        let one: SpreadEstimate = run(1);
        assert_eq!(one, run(2), "{mc:?}");
        assert_eq!(one, run(16), "{mc:?}");
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&run(16)).unwrap()
        );
        assert!(one.std_err > 0.0);
    }
}

#[test]
fn a_fixed_seed_gives_a_fixed_number() {
    let path = compile(&[("a", "b", 0.5), ("b", "c", 0.5)]);
    let word = MonteCarlo::new(Model::IndependentCascade).settings(
        MonteCarloSettings::new(1_000, 7)
            .unwrap()
            .engine(Engine::WordParallel),
    );
    let first = word.estimate(&path, ["a"]).unwrap().mean;
    assert_eq!(first, word.estimate(&path, ["a"]).unwrap().mean);
    // Pinned: changing the streams, the coins or the engine changes these numbers.
    assert_eq!(first, PINNED_WORD);
    let per_run = word
        .clone()
        .settings(word.replication().engine(Engine::PerRun));
    assert_eq!(per_run.estimate(&path, ["a"]).unwrap().mean, PINNED_PER_RUN);
    let skipping = word
        .clone()
        .settings(word.replication().engine(Engine::Skipping));
    assert_eq!(
        skipping.estimate(&path, ["a"]).unwrap().mean,
        PINNED_SKIPPING
    );
    let other_seed = word.clone().settings(word.replication().with_seed(8));
    assert_ne!(other_seed.estimate(&path, ["a"]).unwrap().mean, first);
}

const PINNED_WORD: f64 = 1.75;
const PINNED_PER_RUN: f64 = 1.696;
const PINNED_SKIPPING: f64 = 1.695;

#[test]
fn the_fast_engines_agree_with_per_run_statistically() {
    // Weighted cascade: unequal probabilities, so skipping's thinning is
    // exercised too.
    let net = medium_graph(9, 2_000, 5);
    let seeds = ["c0", "c10", "c20", "c30", "c40"];
    let est = |engine| {
        MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(6_400, 1).unwrap().engine(engine))
            .node_probabilities(true)
            .trajectory(true)
            .estimate(&net, seeds)
            .unwrap()
    };
    let per_run = est(Engine::PerRun);
    assert!(
        per_run.mean > 10.0,
        "the cascade should spread: {}",
        per_run.mean
    );
    for engine in [Engine::WordParallel, Engine::Skipping] {
        let fast = est(engine);
        assert_eq!(fast.engine, engine);
        let se = fast.std_err.hypot(per_run.std_err);
        assert!(
            (fast.mean - per_run.mean).abs() < 4.0 * se,
            "{engine:?}: {} vs {} (se {se})",
            fast.mean,
            per_run.mean
        );
        // The standard errors estimate the same spread distribution's spread.
        let ratio = fast.std_err / per_run.std_err;
        assert!(
            (0.85..1.15).contains(&ratio),
            "{engine:?}: std_err ratio {ratio}"
        );
        // Per-node probabilities agree within 4.5 binomial standard errors (2,000
        // nodes).
        let nodes = per_run.node_probabilities.as_ref().unwrap();
        for (x, y) in fast.node_probabilities.unwrap().iter().zip(nodes) {
            assert_eq!(x.customer, y.customer);
            let p = (x.probability + y.probability) / 2.0;
            let sd = (2.0 * p * (1.0 - p) / 6_400.0).sqrt();
            assert!(
                (x.probability - y.probability).abs() <= 4.5 * sd + 1e-9,
                "{engine:?} {}: {} vs {}",
                x.customer,
                x.probability,
                y.probability
            );
        }
        let (ta, tb) = (
            fast.trajectory.unwrap(),
            per_run.trajectory.as_ref().unwrap(),
        );
        assert!((ta[1].newly_active - tb[1].newly_active).abs() < 0.1 * tb[1].newly_active + 0.05);
    }
    // The signed cascade: both sides of skipping agree with the per-run coins.
    let signed = |engine| {
        signed(0.6)
            .settings(MonteCarloSettings::new(6_000, 0).unwrap().engine(engine))
            .estimate_signed(&net, ["c0", "c1"], ["c2", "c3"])
            .unwrap()
            .signed
            .unwrap()
    };
    let (a, b) = (signed(Engine::Skipping), signed(Engine::PerRun));
    for (x, y) in [(a.positive, b.positive), (a.negative, b.negative)] {
        let se = x.std_err.hypot(y.std_err);
        assert!((x.mean - y.mean).abs() < 4.0 * se, "{x:?} vs {y:?}");
    }
}

#[test]
fn deterministic_graphs_give_the_same_spread_on_both_engines() {
    let net = compile(&[
        ("a", "b", 1.0),
        ("b", "c", 1.0),
        ("c", "d", 0.0),
        ("a", "e", 1.0),
    ]);
    for engine in [
        Engine::WordParallel,
        Engine::PerRun,
        Engine::Skipping,
        Engine::Auto,
    ] {
        let est = MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(130, 0).unwrap().engine(engine))
            .estimate(&net, ["a"])
            .unwrap();
        assert_eq!((est.runs, est.mean, est.std_err), (130, 4.0, 0.0));
    }
}

#[test]
fn optional_outputs_on_the_path_and_the_diamond() {
    let path = compile(&[("a", "b", 0.5), ("b", "c", 0.5)]);
    let runs = 20_000;
    for engine in [Engine::WordParallel, Engine::PerRun, Engine::Skipping] {
        let est = MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(runs, 3).unwrap().engine(engine))
            .node_probabilities(true)
            .trajectory(true)
            .influence(true)
            .estimate(&path, ["a"])
            .unwrap();
        let nodes = est.node_probabilities.clone().unwrap();
        let probability: Vec<f64> = nodes.iter().map(|n| n.probability).collect();
        assert_eq!(probability[0], 1.0);
        for (p, truth) in probability.iter().zip([1.0, 0.5, 0.25]) {
            let sd = (truth * (1.0 - truth) / runs as f64).sqrt();
            assert!((p - truth).abs() <= 4.0 * sd, "{engine:?}: {p} vs {truth}");
        }
        assert!((probability.iter().sum::<f64>() - est.mean).abs() < 1e-9);
        let steps = est.trajectory.clone().unwrap();
        assert_eq!(steps[0].newly_active, 1.0);
        assert!((steps.last().unwrap().cumulative_active - est.mean).abs() < 1e-9);
        assert!((steps[1].newly_active - probability[1]).abs() < 1e-12);
        let influence = est.influence.clone().unwrap();
        assert_eq!(influence.len(), 2);
        assert_eq!(
            (influence[0].from.as_str(), influence[0].to.as_str()),
            ("a", "b")
        );
        // Each non-seed activation is credited to exactly one tie.
        let credited: u64 = influence.iter().map(|i| i.runs).sum();
        assert_eq!(credited, (est.mean * runs as f64).round() as u64 - runs);
        assert!(est.signed.is_none() && nodes.iter().all(|n| n.negative.is_none()));
    }
    // Diamond: d is credited to b or c, never both, and its total matches P(d).
    let diamond = compile(&[
        ("a", "b", 0.5),
        ("a", "c", 0.5),
        ("b", "d", 0.5),
        ("c", "d", 0.5),
    ]);
    let est = MonteCarlo::new(Model::IndependentCascade)
        .settings(MonteCarloSettings::new(runs, 0).unwrap())
        .influence(true)
        .node_probabilities(true)
        .estimate(&diamond, ["a"])
        .unwrap();
    let into_d: u64 = est
        .influence
        .unwrap()
        .iter()
        .filter(|i| i.to.as_str() == "d")
        .map(|i| i.runs)
        .sum();
    let p_d = est.node_probabilities.unwrap()[3].probability;
    assert_eq!(into_d as f64 / runs as f64, p_d);
    let truth = exact::expected_spread(&diamond, Model::IndependentCascade, ["a"]).unwrap();
    assert!((est.mean - truth).abs() < 4.0 * est.std_err);
}

#[test]
fn runs_not_a_multiple_of_64_are_counted_exactly() {
    let path = compile(&[("a", "b", 0.5), ("b", "c", 0.5)]);
    let est = MonteCarlo::new(Model::IndependentCascade)
        .settings(MonteCarloSettings::new(100, 0).unwrap())
        .trajectory(true)
        .estimate(&path, ["a"])
        .unwrap();
    assert_eq!(est.runs, 100);
    assert_eq!(est.trajectory.unwrap()[0].newly_active, 1.0);
    assert_eq!(
        MonteCarlo::new(Model::IndependentCascade)
            .settings(
                MonteCarloSettings::new(100, 0)
                    .unwrap()
                    .engine(Engine::WordParallel)
            )
            .units()
            .unwrap(),
        2
    );
    // The automatic choice counts one run per unit (an upper bound).
    assert_eq!(
        MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(100, 0).unwrap())
            .units()
            .unwrap(),
        100
    );
    assert_eq!(
        MonteCarlo::new(Model::LinearThreshold)
            .settings(MonteCarloSettings::new(100, 0).unwrap())
            .units()
            .unwrap(),
        100
    );
}

fn signed(bias: f64) -> MonteCarlo {
    MonteCarlo::new(Model::signed(Probability::new(bias).unwrap()))
        .settings(MonteCarloSettings::new(20_000, 5).unwrap())
        .node_probabilities(true)
}

#[test]
fn simultaneous_arrivals_follow_the_negativity_bias() {
    // a (advocate) and b (adversary) both reach c surely at step 1.
    let net = compile(&[("a", "c", 1.0), ("b", "c", 1.0)]);
    for bias in [0.0, 1.0] {
        let est = signed(bias).estimate_signed(&net, ["a"], ["b"]).unwrap();
        let reach = est.signed.unwrap();
        assert_eq!(reach.positive.mean, 2.0 - bias);
        assert_eq!(reach.negative.mean, 1.0 + bias);
        assert_eq!(est.mean, 3.0);
    }
    let est = signed(0.7).estimate_signed(&net, ["a"], ["b"]).unwrap();
    let reach = est.signed.unwrap();
    assert!((reach.negative.mean - 1.7).abs() < 4.0 * reach.negative.std_err);
    assert!((reach.positive.mean - 1.3).abs() < 4.0 * reach.positive.std_err);
    let nodes = est.node_probabilities.unwrap();
    let c = nodes.iter().find(|n| n.customer.as_str() == "c").unwrap();
    assert_eq!(c.probability, 1.0);
    assert!((c.negative.unwrap() - 0.7).abs() < 4.0 * (0.21f64 / 20_000.0).sqrt());
}

#[test]
fn first_arrival_wins_over_the_bias() {
    // The advocate reaches c at step 1, the adversary only at step 2.
    let net = compile(&[("a", "c", 1.0), ("b", "x", 1.0), ("x", "c", 1.0)]);
    let est = signed(1.0).estimate_signed(&net, ["a"], ["b"]).unwrap();
    let reach = est.signed.unwrap();
    assert_eq!((reach.positive.mean, reach.negative.mean), (2.0, 2.0));
    let nodes = est.node_probabilities.unwrap();
    let c = nodes.iter().find(|n| n.customer.as_str() == "c").unwrap();
    assert_eq!(c.negative, Some(0.0));
    assert_eq!(c.probability, 1.0);
}

#[test]
fn negative_ties_flip_the_message() {
    // a praises; b distrusts a (flip to negative); c distrusts b (flip back).
    let net = compile(&[("a", "b", -1.0), ("b", "c", -1.0), ("c", "d", 1.0)]);
    let est = signed(0.5).estimate(&net, ["a"]).unwrap();
    let reach = est.signed.unwrap();
    assert_eq!((reach.positive.mean, reach.negative.mean), (3.0, 1.0));
    let negative: Vec<_> = est
        .node_probabilities
        .unwrap()
        .iter()
        .map(|n| n.negative.unwrap())
        .collect();
    assert_eq!(negative, [0.0, 1.0, 0.0, 0.0]);
    // Independent Cascade ignores the signs.
    let ic = MonteCarlo::new(Model::IndependentCascade)
        .settings(MonteCarloSettings::new(64, 0).unwrap())
        .estimate(&net, ["a"])
        .unwrap();
    assert_eq!(ic.mean, 4.0);
}

#[test]
fn signed_reach_with_probabilistic_ties_is_consistent() {
    let net = medium_graph(5, 300, 4);
    let est = signed(0.6)
        .settings(MonteCarloSettings::new(2_000, 0).unwrap())
        .estimate_signed(&net, ["c0", "c1"], ["c2"])
        .unwrap();
    let reach = est.signed.unwrap();
    assert!((reach.positive.mean + reach.negative.mean - est.mean).abs() < 1e-9);
    assert!(reach.positive.mean >= 2.0 && reach.negative.mean >= 1.0);
    let nodes = est.node_probabilities.unwrap();
    let negative: f64 = nodes.iter().map(|n| n.negative.unwrap()).sum();
    assert!((negative - reach.negative.mean).abs() < 1e-9);
}

#[test]
fn errors_name_what_is_wrong() {
    let net = compile(&[("a", "b", 0.7), ("c", "b", 0.6), ("b", "d", 0.2)]);
    let ic = MonteCarlo::new(Model::IndependentCascade);
    assert!(matches!(
        ic.estimate(&net, ["a", "zed"]),
        Err(Error::UnknownCustomer(id)) if id.as_str() == "zed"
    ));
    assert!(matches!(
        MonteCarloSettings::new(1, 0),
        Err(Error::InvalidParameter { field, .. }) if field == "runs"
    ));
    assert!(matches!(
        ic.estimate_signed(&net, ["a"], ["c"]),
        Err(Error::InvalidParameter { field, .. }) if field == "model"
    ));
    let lt = MonteCarlo::new(Model::LinearThreshold);
    match lt.estimate(&net, ["a"]) {
        Err(Error::ThresholdWeights { customer, sum }) => {
            assert_eq!(customer.as_str(), "b");
            assert!((sum - 1.3).abs() < 1e-6);
        }
        other => panic!("expected ThresholdWeights, got {other:?}"),
    }
    assert!(matches!(
        exact::expected_spread(&net, Model::LinearThreshold, ["a"]),
        Err(Error::ThresholdWeights { .. })
    ));
    for engine in [Engine::WordParallel, Engine::Skipping] {
        assert!(matches!(
            lt.clone()
                .settings(lt.replication().engine(engine))
                .estimate(&net, ["a"]),
            Err(Error::InvalidParameter { field, .. }) if field == "engine"
        ));
    }
    assert!(matches!(
        signed(0.5).estimate_signed(&net, ["a", "b"], ["b"]),
        Err(Error::InvalidParameter { field, reason }) if field == "seeds" && reason.contains("`b`")
    ));
}

#[test]
fn estimates_round_trip_through_serde() {
    let net = compile(&[("a", "b", 0.5), ("b", "c", -0.5)]);
    let est = signed(0.5)
        .settings(MonteCarloSettings::new(500, 0).unwrap())
        .trajectory(true)
        .influence(true)
        .estimate(&net, ["a"])
        .unwrap();
    let json = serde_json::to_string(&est).unwrap();
    assert!(json.contains("\"model\":{\"signed\":{\"negativity_bias\":0.5}}"));
    let back: SpreadEstimate = serde_json::from_str(&json).unwrap();
    // serde_json may round the last bit of a float on the way back.
    assert!((back.std_err - est.std_err).abs() <= 1e-15 * est.std_err.max(1.0));
    assert_eq!(
        (back.runs, back.seed, back.model),
        (est.runs, est.seed, est.model)
    );
    assert_eq!(back.influence, est.influence);
    assert_eq!(
        back.trajectory.map(|t| t.len()),
        est.trajectory.map(|t| t.len())
    );
    let mc: MonteCarlo =
        serde_json::from_str(&serde_json::to_string(&signed(0.2)).unwrap()).unwrap();
    assert_eq!(mc, signed(0.2));
}

#[test]
fn asking_for_outputs_does_not_change_the_spread() {
    // With per-step or per-tie outputs the word-parallel engine runs step by step;
    // without, it sweeps. Both compute each run's reachable set in the same
    // live-edge world, so the spread statistics are identical.
    let net = medium_graph(21, 1_000, 4);
    let seeds = ["c5", "c6"];
    for engine in [
        Engine::WordParallel,
        Engine::PerRun,
        Engine::Skipping,
        Engine::Auto,
    ] {
        let plain = MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(700, 3).unwrap().engine(engine));
        let bare = plain.estimate(&net, seeds).unwrap();
        let full = plain
            .clone()
            .trajectory(true)
            .influence(true)
            .node_probabilities(true)
            .estimate(&net, seeds)
            .unwrap();
        assert!(bare.mean > 5.0);
        assert_eq!((bare.mean, bare.std_err), (full.mean, full.std_err));
    }
}

#[test]
fn the_order_customers_were_added_in_does_not_change_the_estimate() {
    let triples = [
        ("a", "b", 0.5),
        ("b", "c", 0.4),
        ("a", "d", 0.3),
        ("d", "c", 0.6),
        ("c", "e", 0.7),
        ("e", "a", 0.2),
    ];
    let forward = compile(&triples);
    let mut reversed = InfluenceNetwork::new();
    for id in ["e", "d", "c", "b", "a"] {
        reversed.add_customer(id);
    }
    for (a, b, w) in triples {
        let tie = social_loop::network::Tie::from_signed_weight(w, "w").unwrap();
        reversed.add_tie(a, b, tie).unwrap();
    }
    let reversed = CompiledNetwork::from_network(&reversed);
    let mc = MonteCarlo::new(Model::IndependentCascade)
        .settings(MonteCarloSettings::new(1_000, 4).unwrap());
    let (x, y) = (
        mc.estimate(&forward, ["a"]).unwrap(),
        mc.estimate(&reversed, ["a"]).unwrap(),
    );
    assert_eq!((x.mean, x.std_err), (y.mean, y.std_err));
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<CompiledNetwork>();
    check::<MonteCarlo>();
    check::<SpreadEstimate>();
    check::<Model>();
    check::<WeightScheme>();
}

#[test]
fn the_automatic_choice_is_skipping_for_small_cascades_and_word_parallel_for_large() {
    let seeds = ["c0", "c1", "c2"];
    let same_as = |net: &CompiledNetwork, chosen: Engine| {
        let auto = MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(500, 4).unwrap())
            .node_probabilities(true)
            .estimate(net, seeds)
            .unwrap();
        let pinned = MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(500, 4).unwrap().engine(chosen))
            .node_probabilities(true)
            .estimate(net, seeds)
            .unwrap();
        assert_eq!(auto.engine, chosen);
        // Bit for bit the pinned engine's estimate: the pilot's runs are its first
        // runs (skipping) or are not kept (word-parallel).
        assert_eq!(auto, pinned);
    };
    // p = 0.01 on 2,000 nodes of out-degree 10: a few customers per run.
    let sparse = uniform_graph(1, 2_000, 10, 0.01);
    same_as(&sparse, Engine::Skipping);
    // p = 0.3: each run reaches most of the graph, so 64 runs share their nodes.
    let dense = uniform_graph(1, 2_000, 10, 0.3);
    same_as(&dense, Engine::WordParallel);
    // Fewer runs than a batch: still one of the two.
    let few = MonteCarlo::new(Model::IndependentCascade)
        .settings(MonteCarloSettings::new(10, 0).unwrap())
        .estimate(&sparse, seeds)
        .unwrap();
    assert_eq!(few.runs, 10);
    assert_eq!(few.engine, Engine::Skipping);
    // Other models resolve to the per-run engine.
    let lt = MonteCarlo::new(Model::LinearThreshold)
        .settings(MonteCarloSettings::new(10, 0).unwrap())
        .estimate(&compile(&[("a", "b", 0.5)]), ["a"])
        .unwrap();
    assert_eq!(lt.engine, Engine::PerRun);
}

#[test]
fn engines_parse_from_their_names() {
    for engine in Engine::ALL {
        assert_eq!(engine.name().parse::<Engine>().unwrap(), engine);
        assert_eq!(engine.to_string(), engine.name());
        // The serde spelling parses too.
        let json = serde_json::to_string(&engine).unwrap();
        assert_eq!(json.trim_matches('"').parse::<Engine>().unwrap(), engine);
    }
    assert!(matches!(
        "fastest".parse::<Engine>(),
        Err(Error::InvalidParameter { field, .. }) if field == "engine"
    ));
}
