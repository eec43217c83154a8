//! Targeting: greedy/CELF and IMM against brute force over every k-subset (exact
//! spreads), budgets never exceeded, thread-count independence, the signed
//! objective, exclusions, and every error.

mod opim;
mod signed;

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rust_decimal::Decimal;
use social_loop::Error;
use social_loop::network::{InfluenceNetwork, Tie};
use social_loop::propagation::MonteCarloSettings;
use social_loop::propagation::{CompiledNetwork, Model, exact};
use social_loop::targeting::{
    Algorithm, Costs, ImmSampling, RrSetStats, Selection, SpreadOracle, Targeting,
};

const GREEDY_RATIO: f64 = 1.0 - 1.0 / std::f64::consts::E;

/// A random directed graph on `n0..n{n-1}` with `m` distinct arcs. For Linear
/// Threshold the weights into each node are scaled to sum to at most 1.
pub(crate) fn random_network(seed: u64, n: usize, m: usize, lt: bool) -> CompiledNetwork {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut arcs: Vec<(usize, usize, f64)> = Vec::new();
    while arcs.len() < m {
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a != b && !arcs.iter().any(|&(x, y, _)| x == a && y == b) {
            arcs.push((a, b, rng.random_range(0.1..0.9)));
        }
    }
    if lt {
        for v in 0..n {
            let sum: f64 = arcs.iter().filter(|t| t.1 == v).map(|t| t.2).sum();
            let scale = rng.random_range(0.7..1.0) / sum.max(1.0);
            for t in arcs.iter_mut().filter(|t| t.1 == v) {
                t.2 *= scale;
            }
        }
    }
    let mut net = InfluenceNetwork::new();
    for v in 0..n {
        net.add_customer(format!("n{v}"));
    }
    for (a, b, p) in arcs {
        let tie = Tie::from_signed_weight(p, "p").unwrap();
        net.add_tie(format!("n{a}"), format!("n{b}"), tie).unwrap();
    }
    CompiledNetwork::from_network(&net)
}

/// The small graphs every strategy is held to the brute-force optimum on (8
/// customers, 12 ties): two Independent Cascade, two Linear Threshold.
pub(crate) fn small_cases() -> impl Iterator<Item = (u64, Model, CompiledNetwork)> {
    [
        (0u64, Model::IndependentCascade),
        (1, Model::IndependentCascade),
        (2, Model::LinearThreshold),
        (3, Model::LinearThreshold),
    ]
    .into_iter()
    .map(|(graph, model)| {
        let network = random_network(graph, 8, 12, model == Model::LinearThreshold);
        (graph, model, network)
    })
}

/// `select` run on a pool of one thread, then on a pool of two.
pub(crate) fn on_one_and_two_threads(
    select: impl Fn() -> Selection + Send + Sync,
) -> (Selection, Selection) {
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(&select)
    };
    (run(1), run(2))
}

pub(crate) fn compile(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
    CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples.iter().copied()).unwrap())
}

pub(crate) fn ids(selection: &Selection) -> Vec<&str> {
    selection.seeds.iter().map(|c| c.as_str()).collect()
}

/// The exact spread of a selection.
fn exact_spread(network: &CompiledNetwork, model: Model, selection: &Selection) -> f64 {
    exact::expected_spread(network, model, ids(selection)).unwrap()
}

/// The best exact spread over every k-subset of the nodes.
fn brute_force_optimum(network: &CompiledNetwork, model: Model, k: usize) -> f64 {
    let n = network.node_count();
    let names: Vec<&str> = network.customers().iter().map(|c| c.as_str()).collect();
    let mut best = 0.0f64;
    let mut subset: Vec<usize> = (0..k).collect();
    loop {
        let seeds: Vec<&str> = subset.iter().map(|&i| names[i]).collect();
        best = best.max(exact::expected_spread(network, model, seeds).unwrap());
        // Next k-combination in lexicographic order.
        let Some(i) = (0..k).rev().find(|&i| subset[i] < n - k + i) else {
            return best;
        };
        subset[i] += 1;
        for j in i + 1..k {
            subset[j] = subset[j - 1] + 1;
        }
    }
}

#[test]
fn greedy_celf_and_imm_are_within_their_ratios_of_the_brute_force_optimum() {
    for (graph, model, network) in small_cases() {
        for k in [2usize, 3] {
            let optimum = brute_force_optimum(&network, model, k);
            let base = Targeting::new(Algorithm::Celf)
                .model(model)
                .seed(graph)
                .evaluation(MonteCarloSettings::new(200, 1).unwrap());
            let greedy = base
                .clone()
                .oracle(SpreadOracle::Exact)
                .select(&network, k)
                .unwrap();
            let celf = base.clone().select(&network, k).unwrap();
            let epsilon = 0.2;
            let imm = base
                .clone()
                .algorithm(Algorithm::Imm)
                .epsilon(epsilon)
                .select(&network, k)
                .unwrap();
            let reused = base
                .clone()
                .algorithm(Algorithm::Imm)
                .epsilon(epsilon)
                .imm_sampling(ImmSampling::Reused)
                .select(&network, k)
                .unwrap();
            for (name, selection, ratio) in [
                ("exact greedy", &greedy, GREEDY_RATIO),
                ("CELF", &celf, GREEDY_RATIO),
                ("IMM", &imm, GREEDY_RATIO - epsilon),
                ("IMM reusing its sets", &reused, GREEDY_RATIO - epsilon),
            ] {
                assert_eq!(selection.seeds.len(), k, "{name}");
                let spread = exact_spread(&network, model, selection);
                assert!(
                    spread >= ratio * optimum - 1e-9,
                    "graph {graph} {model:?} k={k} {name}: {spread} < {ratio} x {optimum}"
                );
            }
            // The exact greedy reports its guarantee; IMM its (1 - 1/e - eps).
            assert_eq!(greedy.guarantee.map(|g| g.ratio), Some(GREEDY_RATIO));
            let g = imm.guarantee.unwrap();
            assert!((g.ratio - (GREEDY_RATIO - epsilon)).abs() < 1e-12);
            assert!((g.probability - (1.0 - 1.0 / 8.0)).abs() < 1e-12);
            assert_eq!(celf.guarantee, None);
            assert_eq!(reused.guarantee, None);
            // Reusing: the node selection ran on the sampling phase's sets too.
            let (fresh, again) = (imm.rr_sets.unwrap(), reused.rr_sets.unwrap());
            assert!(again.final_sets >= again.sampling_sets);
            assert!(again.final_sets < fresh.sampling_sets + fresh.final_sets);
        }
    }
}

#[test]
fn imm_reports_its_sets_gains_and_an_independent_evaluation() {
    let network = random_network(5, 8, 14, false);
    let selection = Targeting::new(Algorithm::Imm)
        .epsilon(0.3)
        .seed(9)
        .evaluation(MonteCarloSettings::new(20_000, 1).unwrap())
        .select(&network, 2)
        .unwrap();
    let stats = selection.rr_sets.unwrap();
    assert!(stats.final_sets > 0 && stats.sampling_sets > 0);
    assert!(stats.memory_bytes >= 4 * stats.members);
    assert_eq!(selection.marginal_gains.len(), 2);
    assert!(selection.marginal_gains[0] >= selection.marginal_gains[1]);
    // Gains add up to the RR estimate.
    let sum: f64 = selection.marginal_gains.iter().sum();
    assert!((sum - stats.rr_estimate).abs() < 1e-9 * stats.rr_estimate.max(1.0));
    // The evaluation is a different stream and brackets the exact spread.
    let eval = selection.evaluation;
    assert_ne!(eval.seed, 9);
    assert_eq!(eval.runs, 20_000);
    let truth = exact_spread(&network, Model::IndependentCascade, &selection);
    assert!(
        (eval.spread.mean - truth).abs() < 4.0 * eval.spread.std_err,
        "{} vs exact {truth}",
        eval.spread.mean
    );
    assert_eq!(eval.objective, eval.spread);
    assert!(selection.timings.selection_ms >= 0.0 && selection.timings.gains_ms == 0.0);
    // The sampling arrays were built for this selection and timed apart; the
    // network keeps them, so the next selection on it does not build them again
    // and draws the same sets.
    assert!(selection.timings.prepare_ms > 0.0);
    let again = Targeting::new(Algorithm::Imm)
        .epsilon(0.3)
        .seed(9)
        .select(&network, 2)
        .unwrap();
    assert_eq!(again.timings.prepare_ms, 0.0);
    let sets = |s: &RrSetStats| (s.drawn, s.members, s.lower_bound, s.rr_estimate);
    assert_eq!(again.seeds, selection.seeds);
    assert_eq!(sets(&again.rr_sets.unwrap()), sets(&stats));
}

#[test]
fn an_imm_epsilon_at_or_above_the_greedy_ratio_proves_a_ratio_of_zero() {
    let network = random_network(5, 8, 14, false);
    for epsilon in [0.7, 0.9] {
        let selection = Targeting::new(Algorithm::Imm)
            .epsilon(epsilon)
            .seed(9)
            .select(&network, 2)
            .unwrap();
        assert_eq!(selection.certified_ratio(), Some(0.0), "ε = {epsilon}");
    }
    let proven = Targeting::new(Algorithm::Imm)
        .epsilon(0.5)
        .seed(9)
        .select(&network, 2)
        .unwrap();
    let ratio = proven.certified_ratio().unwrap();
    assert!((ratio - (GREEDY_RATIO - 0.5)).abs() < 1e-12, "{ratio}");
}

#[test]
fn same_seed_same_selection_for_one_and_two_threads() {
    let network = random_network(7, 40, 160, true);
    let signed = compile(&[
        ("a", "b", 0.6),
        ("b", "c", -0.5),
        ("c", "d", 0.7),
        ("x", "c", 0.5),
        ("a", "e", 0.4),
        ("e", "d", -0.3),
        ("d", "f", 0.6),
    ]);
    let cases = [
        (Targeting::new(Algorithm::Imm).epsilon(0.3), &network),
        (
            Targeting::new(Algorithm::Imm)
                .epsilon(0.3)
                .model(Model::LinearThreshold),
            &network,
        ),
        (
            Targeting::new(Algorithm::Celf).oracle(SpreadOracle::MonteCarlo { runs: 200 }),
            &network,
        ),
        (Targeting::new(Algorithm::Bridges).pivots(8), &network),
        (
            Targeting::new(Algorithm::Imm)
                .epsilon(0.3)
                .imm_sampling(ImmSampling::Reused),
            &network,
        ),
        (
            Targeting::new(Algorithm::Imm)
                .epsilon(0.3)
                .model(Model::signed_neutral())
                .adversaries(["x"]),
            &signed,
        ),
    ];
    for (targeting, net) in cases {
        let targeting = targeting
            .seed(42)
            .evaluation(MonteCarloSettings::new(500, 1).unwrap())
            .gains(MonteCarloSettings::new(100, 2).unwrap());
        let (one, two) = on_one_and_two_threads(|| targeting.select(net, 3).unwrap());
        assert_eq!(one.seeds, two.seeds, "{targeting:?}");
        assert_eq!(one.marginal_gains, two.marginal_gains);
        assert_eq!(one.evaluation, two.evaluation);
        assert_eq!(
            one.rr_sets.map(|s| (s.final_sets, s.members)),
            two.rr_sets.map(|s| (s.final_sets, s.members))
        );
    }
}

#[test]
fn the_budget_safeguard_returns_the_best_single_customer() {
    // `star` reaches 4 customers on its own (cost 10, as everyone else); `a` and
    // `b` reach 1.5 each (cost 1). The cost-effective greedy takes a and b (3 customers for 2), and
    // then star no longer fits a budget of 10: the safeguard returns star.
    let network = compile(&[
        ("star", "s1", 1.0),
        ("star", "s2", 1.0),
        ("star", "s3", 1.0),
        ("a", "a1", 0.5),
        ("b", "b1", 0.5),
    ]);
    let costs = Costs::uniform(Decimal::new(10, 0))
        .with("a", Decimal::ONE)
        .with("b", Decimal::ONE);
    for targeting in [
        Targeting::new(Algorithm::Celf).oracle(SpreadOracle::Exact),
        Targeting::new(Algorithm::Imm).epsilon(0.2),
    ] {
        let selection = targeting
            .seed(3)
            .evaluation(MonteCarloSettings::new(100, 1).unwrap())
            .select_within_budget(&network, &costs, Decimal::new(10, 0))
            .unwrap();
        assert_eq!(ids(&selection), ["star"], "{:?}", selection.algorithm);
        assert_eq!(selection.total_cost, Some(Decimal::new(10, 0)));
        assert_eq!(selection.costs, vec![Decimal::new(10, 0)]);
        assert_eq!(selection.budget, Some(Decimal::new(10, 0)));
    }
    // With room for everyone, everyone worth something is taken.
    let roomy = Targeting::new(Algorithm::Celf)
        .oracle(SpreadOracle::Exact)
        .select_within_budget(&network, &costs, Decimal::new(12, 0))
        .unwrap();
    assert_eq!(ids(&roomy)[..2], ["a", "b"]);
    assert!(ids(&roomy).contains(&"star"));
    let g = roomy.guarantee.unwrap();
    assert!((g.ratio - GREEDY_RATIO / 2.0).abs() < 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_budget_is_never_exceeded(
        graph in 0u64..1_000,
        cost_cents in prop::collection::vec(0i64..2_000, 10),
        budget_cents in 0i64..3_000,
        algorithm in prop::sample::select(vec![
            Algorithm::Imm, Algorithm::Celf, Algorithm::Degree, Algorithm::PageRank,
            Algorithm::Random, Algorithm::Hubs, Algorithm::Bridges, Algorithm::Fringes,
        ]),
    ) {
        let network = random_network(graph, 10, 25, false);
        let mut costs = Costs::uniform(Decimal::ONE);
        for (v, &c) in cost_cents.iter().enumerate() {
            costs = costs.with(format!("n{v}"), Decimal::new(c, 2));
        }
        let budget = Decimal::new(budget_cents, 2);
        let selection = Targeting::new(algorithm)
            .epsilon(0.5)
            .oracle(SpreadOracle::MonteCarlo { runs: 64 })
            .evaluation(MonteCarloSettings::new(64, 1).unwrap())
            .gains(MonteCarloSettings::new(64, 2).unwrap())
            .seed(graph)
            .exclude(["n0"])
            .select_within_budget(&network, &costs, budget)
            .unwrap();
        let total: Decimal = selection.seeds.iter().map(|c| costs.cost_of(c.as_str())).sum();
        prop_assert!(total <= budget, "{total} > {budget}");
        prop_assert_eq!(selection.total_cost, Some(total));
        prop_assert_eq!(selection.costs.len(), selection.seeds.len());
        prop_assert_eq!(selection.marginal_gains.len(), selection.seeds.len());
        let mut distinct = ids(&selection);
        distinct.sort();
        distinct.dedup();
        prop_assert_eq!(distinct.len(), selection.seeds.len());
        prop_assert!(!ids(&selection).contains(&"n0"));
    }
}

#[test]
fn heuristics_rank_as_documented_and_report_prefix_gains() {
    let network = compile(&[
        ("hub", "a", 0.5),
        ("hub", "b", 0.5),
        ("hub", "c", 0.5),
        ("a", "d", 0.5),
        ("e", "hub", 0.5),
    ]);
    let pick = |algorithm: Algorithm| {
        Targeting::new(algorithm)
            .seed(2)
            .evaluation(MonteCarloSettings::new(1_000, 1).unwrap())
            .gains(MonteCarloSettings::new(1_000, 2).unwrap())
            .select(&network, 1)
            .unwrap()
    };
    for algorithm in [Algorithm::Degree, Algorithm::Hubs, Algorithm::Bridges] {
        assert_eq!(ids(&pick(algorithm)), ["hub"], "{algorithm:?}");
    }
    // Influence PageRank: e is the hub's only influencer, so the hub's rank flows
    // to e in full (and e keeps its teleport share).
    assert_eq!(ids(&pick(Algorithm::PageRank)), ["e"]);
    assert_eq!(ids(&pick(Algorithm::Fringes)), ["e"]);
    let degree = pick(Algorithm::Degree);
    // hub alone: 1 + 3 x 0.5 + 0.25 = 2.75 in expectation.
    assert!((degree.marginal_gains[0] - 2.75).abs() < 0.2);
    assert_eq!(degree.rr_sets, None);
}

#[test]
fn selections_round_trip_through_json() {
    let network = distrust_network();
    let costs = Costs::uniform(Decimal::new(150, 2));
    let selection = Targeting::new(Algorithm::Imm)
        .epsilon(0.3)
        .evaluation(MonteCarloSettings::new(100, 1).unwrap())
        .select_within_budget(&network, &costs, Decimal::new(3, 0))
        .unwrap();
    let json = serde_json::to_string(&selection).unwrap();
    assert!(json.contains("\"total_cost\":\"3.00\""), "{json}");
    let back: Selection = serde_json::from_str(&json).unwrap();
    assert_eq!(back, selection);
    let options = Targeting::new(Algorithm::Bridges).exclude(["a"]).seed(4);
    let back: Targeting = serde_json::from_str(&serde_json::to_string(&options).unwrap()).unwrap();
    assert_eq!(back, options);
    assert_eq!(
        "pagerank".parse::<Algorithm>().unwrap(),
        Algorithm::PageRank
    );
    assert_eq!(Algorithm::Fringes.to_string(), "fringes");
}

#[test]
fn every_error_names_its_cause() {
    let network = distrust_network();
    let field_of = |result: Result<Selection, Error>| match result {
        Err(Error::InvalidParameter { field, .. }) => field,
        other => panic!("expected InvalidParameter, got {other:?}"),
    };
    let imm = Targeting::new(Algorithm::Imm);
    assert_eq!(field_of(imm.select(&network, 0)), "k");
    assert_eq!(
        field_of(imm.clone().epsilon(1.5).select(&network, 1)),
        "epsilon"
    );
    assert_eq!(
        field_of(imm.clone().epsilon(f64::NAN).select(&network, 1)),
        "epsilon"
    );
    assert_eq!(field_of(imm.clone().ell(0.0).select(&network, 1)), "ell");
    assert_eq!(
        field_of(imm.clone().negative_weight(-1.0).select(&network, 1)),
        "negative_weight"
    );
    assert_eq!(
        field_of(imm.clone().pivots(0).select(&network, 1)),
        "pivots"
    );
    assert_eq!(
        field_of(imm.clone().adversaries(["bad"]).select(&network, 1)),
        "adversaries"
    );
    assert_eq!(
        field_of(imm.clone().epsilon(1e-6).select(&network, 1)),
        "epsilon",
        "more than 2^32 RR sets"
    );
    assert_eq!(
        field_of(
            Targeting::new(Algorithm::Celf)
                .oracle(SpreadOracle::Exact)
                .model(Model::signed_neutral())
                .select(&network, 1)
        ),
        "model"
    );
    assert!(matches!(
        imm.clone().exclude(["nobody"]).select(&network, 1),
        Err(Error::UnknownCustomer(id)) if id.as_str() == "nobody"
    ));
    let negative = Costs::uniform(Decimal::new(-1, 0));
    assert_eq!(
        field_of(imm.select_within_budget(&network, &negative, Decimal::ONE)),
        "costs"
    );
    assert_eq!(
        field_of(imm.select_within_budget(
            &network,
            &Costs::uniform(Decimal::ONE),
            Decimal::new(-5, 0)
        )),
        "budget"
    );
    assert!(matches!(
        imm.select_within_budget(
            &network,
            &Costs::uniform(Decimal::ONE).with("ghost", Decimal::ONE),
            Decimal::ONE
        ),
        Err(Error::UnknownCustomer(_))
    ));
    let lt = compile(&[("a", "c", 0.8), ("b", "c", 0.8)]);
    assert!(matches!(
        Targeting::new(Algorithm::Degree)
            .model(Model::LinearThreshold)
            .select(&lt, 1),
        Err(Error::ThresholdWeights { .. })
    ));
    assert!(matches!(
        "best".parse::<Algorithm>(),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
#[ignore = "needs ../shared/data"]
fn nethept_imm_reaches_960_at_epsilon_0_1() {
    let path = crate::shared_data::path("nethept_imm_graph_ic.inf");
    let (net, _) =
        social_loop::network::io::read_edge_list_file(&path, Default::default()).unwrap();
    let network = CompiledNetwork::from_network(&net);
    let selection = Targeting::new(Algorithm::Imm)
        .epsilon(0.1)
        .seed(1)
        .select(&network, 50)
        .unwrap();
    assert_eq!(selection.seeds.len(), 50);
    assert!(
        selection.evaluation.spread.mean >= 960.0,
        "{:?}",
        selection.evaluation.spread
    );
}

#[test]
#[ignore = "needs ../shared/data"]
fn nethept_opim_certifies_its_target_and_its_bounds_bracket_the_evaluation() {
    let path = crate::shared_data::path("nethept_imm_graph_ic.inf");
    let (net, _) =
        social_loop::network::io::read_edge_list_file(&path, Default::default()).unwrap();
    let network = CompiledNetwork::from_network(&net);
    let selection = Targeting::new(Algorithm::Opim)
        .epsilon(0.1)
        .seed(1)
        .select(&network, 50)
        .unwrap();
    let guarantee = selection.guarantee.unwrap();
    let certificate = guarantee.certificate.unwrap();
    let spread = selection.evaluation.spread;
    assert!(guarantee.ratio >= GREEDY_RATIO - 0.1, "{guarantee:?}");
    // The bounds hold against 10,000 independent runs (4 standard errors).
    assert!(certificate.spread_lower_bound <= spread.mean + 4.0 * spread.std_err);
    assert!(certificate.optimum_upper_bound >= spread.mean - 4.0 * spread.std_err);
    // The quality OPIM-C and SUBSIM reach at this epsilon: their runs give
    // 895 to 930 customers, ours (seeds 1 to 6) 896 to 934 (BENCHMARKS.md).
    assert!(spread.mean >= 880.0, "{spread:?}");
    // Far fewer RR sets than IMM's worst-case sample at the same epsilon.
    assert!(selection.rr_sets.unwrap().drawn <= 300_000);
}

/// `bad` reaches four customers, but through distrust: each of them turns
/// against the brand. `good` reaches two through trust.
pub(crate) fn distrust_network() -> CompiledNetwork {
    compile(&[
        ("bad", "p1", -0.9),
        ("bad", "p2", -0.9),
        ("bad", "p3", -0.9),
        ("bad", "p4", -0.9),
        ("good", "q1", 0.9),
        ("good", "q2", 0.9),
    ])
}
