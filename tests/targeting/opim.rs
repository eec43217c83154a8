//! OPIM: the certified ratio against the exact optimum (brute force over every
//! feasible seed set, exact spreads by live-edge enumeration) over many seeds;
//! budgets honoured; the ratio never decreasing with the budget; thread-count
//! independence; errors.

use std::collections::HashMap;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rust_decimal::Decimal;
use social_loop::network::{InfluenceNetwork, Tie, WeightScheme};
use social_loop::propagation::{CompiledNetwork, Model, MonteCarloSettings, exact};
use social_loop::targeting::{Algorithm, Costs, Selection, Stop, Targeting};

use super::{
    GREEDY_RATIO, brute_force_optimum, compile, ids, on_one_and_two_threads, random_network,
    small_cases,
};

/// Few evaluation runs: these tests check the selection, not the evaluation.
fn opim() -> Targeting {
    Targeting::new(Algorithm::Opim).evaluation(MonteCarloSettings::new(16, 1).unwrap())
}

/// Certificates checked against the exact spread and optimum, and how many
/// failed.
#[derive(Default)]
struct Checked {
    runs: usize,
    failures: usize,
    /// The failure probability the selections stated.
    delta: Option<f64>,
    spreads: HashMap<String, f64>,
}

impl Checked {
    /// Checks `selection` (on `network` under `model`, whose optimum is
    /// `optimum`): every claim of its certificate must hold, its ratio be in
    /// `[0, 1]`, and its stated `δ` be the same as the others'.
    fn check(
        &mut self,
        selection: &Selection,
        network: &CompiledNetwork,
        model: Model,
        optimum: f64,
    ) {
        let key = format!("{model:?}/{optimum}/{}", ids(selection).join(","));
        let spread = *self
            .spreads
            .entry(key)
            .or_insert_with(|| exact::expected_spread(network, model, ids(selection)).unwrap());
        let guarantee = selection.guarantee.unwrap();
        let certificate = guarantee.certificate.unwrap();
        let holds = certificate.spread_lower_bound <= spread + 1e-9
            && certificate.optimum_upper_bound >= optimum - 1e-9
            && guarantee.ratio * optimum <= spread + 1e-9;
        self.runs += 1;
        self.failures += usize::from(!holds);
        assert!((0.0..=1.0).contains(&guarantee.ratio), "{guarantee:?}");
        let delta = 1.0 - guarantee.probability;
        assert!(self.delta.is_none_or(|d| (d - delta).abs() < 1e-12));
        self.delta = Some(delta);
    }

    /// Fails unless the failures are within what `δ` allows: the mean plus four
    /// standard deviations of a binomial (a tail far below 10⁻³).
    fn assert_within_rate(&self) -> f64 {
        let delta = self.delta.unwrap();
        let mean = self.runs as f64 * delta;
        let allowed = mean + 4.0 * (mean * (1.0 - delta)).sqrt() + 1.0;
        assert!(
            self.failures as f64 <= allowed,
            "{} of {} certificates failed at δ = {delta}",
            self.failures,
            self.runs
        );
        delta
    }
}

#[test]
fn the_certified_ratio_is_a_valid_lower_bound_over_many_seeds() {
    // ℓ = 1 on 8 customers: δ = 1/8, stated with every selection. Epsilons from
    // early stopping (0.3) to the sample limit (0.02), and RR budgets that stop
    // the run on a loose certificate.
    let mut checked = Checked::default();
    for (_, model, network) in small_cases() {
        for k in [2usize, 3] {
            let optimum = brute_force_optimum(&network, model, k);
            for seed in 0..40u64 {
                let (epsilon, budget) = match seed % 4 {
                    0 => (0.3, None),
                    1 => (0.1, None),
                    2 => (0.02, None),
                    _ => (0.1, Some(512 << (seed % 3))),
                };
                let mut targeting = opim().model(model).epsilon(epsilon).seed(seed);
                if let Some(b) = budget {
                    targeting = targeting.rr_budget(b);
                }
                let selection = targeting.select(&network, k).unwrap();
                assert_eq!(selection.seeds.len(), k);
                checked.check(&selection, &network, model, optimum);
            }
        }
    }
    assert!((checked.assert_within_rate() - 1.0 / 8.0).abs() < 1e-12);
}

#[test]
fn a_loose_failure_probability_still_holds_at_its_rate() {
    // ℓ small: δ = 8^−0.2 ≈ 0.66, so each bound is only 1 − δ/(3N) sure, and
    // the certificates are as tight as OPIM makes them; their failure rate must
    // still stay below δ.
    let network = random_network(11, 8, 12, false);
    let model = Model::IndependentCascade;
    let optimum = brute_force_optimum(&network, model, 2);
    let mut checked = Checked::default();
    for seed in 0..150 {
        let selection = opim()
            .ell(0.2)
            .epsilon(0.05)
            .seed(seed)
            .select(&network, 2)
            .unwrap();
        checked.check(&selection, &network, model, optimum);
    }
    assert!((checked.assert_within_rate() - 8f64.powf(-0.2)).abs() < 1e-12);
}

#[test]
fn under_a_money_budget_the_certificate_holds_against_the_budgeted_optimum() {
    let network = random_network(4, 8, 12, false);
    let model = Model::IndependentCascade;
    let names: Vec<String> = network.customers().iter().map(|c| c.to_string()).collect();
    let cost = |v: usize| Decimal::from(1 + v % 3);
    let mut costs = Costs::uniform(Decimal::ONE);
    for (v, name) in names.iter().enumerate() {
        costs = costs.with(name.as_str(), cost(v));
    }
    let budget = Decimal::from(4);
    // Every subset within the budget.
    let mut optimum = 0.0f64;
    for mask in 1u32..(1 << names.len()) {
        let members: Vec<usize> = (0..names.len()).filter(|&v| mask >> v & 1 == 1).collect();
        if members.iter().map(|&v| cost(v)).sum::<Decimal>() <= budget {
            let seeds = members.iter().map(|&v| names[v].as_str());
            optimum = optimum.max(exact::expected_spread(&network, model, seeds).unwrap());
        }
    }
    for seed in 0..30 {
        let selection = opim()
            .seed(seed)
            .select_within_budget(&network, &costs, budget)
            .unwrap();
        assert!(selection.total_cost.unwrap() <= budget);
        let mut one = Checked::default();
        one.check(&selection, &network, model, optimum);
        assert_eq!(
            one.failures, 0,
            "seed {seed}: {:?}, optimum {optimum}",
            selection.guarantee
        );
        // The target under a budget is (1 − 1/e)/2 − ε.
        let stats = selection.rr_sets.unwrap();
        if stats.stopped_by == Some(Stop::RatioReached) {
            assert!(selection.certified_ratio().unwrap() >= GREEDY_RATIO / 2.0 - 0.1);
        }
    }
}

/// A larger, sparse graph with weak ties, where a certificate needs many sets:
/// 2,000 customers, each with 3 random out-ties of probability 1/in-degree
/// (weighted cascade).
fn larger() -> CompiledNetwork {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
    let n = 2_000;
    let mut net = InfluenceNetwork::new();
    for v in 0..n {
        net.add_customer(format!("n{v}"));
    }
    for v in 0..n {
        for _ in 0..3 {
            let w = rng.random_range(0..n);
            if w != v {
                net.add_tie(
                    format!("n{v}"),
                    format!("n{w}"),
                    Tie::from_signed_weight(0.5, "p").unwrap(),
                )
                .unwrap();
            }
        }
    }
    WeightScheme::WeightedCascade.apply(&mut net);
    CompiledNetwork::from_network(&net)
}

#[test]
fn rr_budgets_are_honoured_and_the_ratio_never_decreases_with_the_budget() {
    let network = larger();
    let base = opim().epsilon(0.02).seed(5);
    let mut previous = 0.0;
    let mut last_drawn = 0;
    for budget in [512u64, 700, 1_024, 3_000, 4_096, 20_000, 65_536, 200_000] {
        let selection = base.clone().rr_budget(budget).select(&network, 10).unwrap();
        let stats = selection.rr_sets.unwrap();
        assert!(stats.drawn <= budget, "{} > {budget}", stats.drawn);
        assert!(stats.drawn >= last_drawn);
        // Doublings of 256 sets a collection: the largest that fits is drawn.
        assert!(2 * stats.drawn > budget || stats.stopped_by != Some(Stop::RrBudget));
        let ratio = selection.certified_ratio().unwrap();
        assert!(ratio >= previous, "budget {budget}: {ratio} < {previous}");
        (previous, last_drawn) = (ratio, stats.drawn);
    }
    // Without a budget the run stops at its target; a budget of exactly the
    // sets it drew runs the same doublings, to the same selection.
    let free = base.clone().select(&network, 10).unwrap();
    let stats = free.rr_sets.unwrap();
    assert_eq!(stats.stopped_by, Some(Stop::RatioReached));
    assert!(free.certified_ratio().unwrap() >= GREEDY_RATIO - 0.02);
    let same = base.rr_budget(stats.drawn).select(&network, 10).unwrap();
    assert_eq!(same.seeds, free.seeds);
    assert_eq!(same.guarantee, free.guarantee);
    assert_eq!(same.rr_sets.unwrap().stopped_by, Some(Stop::RrBudget));
}

#[test]
fn a_zero_time_budget_stops_after_the_first_doubling_and_an_ample_one_binds_nothing() {
    let network = larger();
    let base = opim().epsilon(0.02).seed(8);
    // No time at all: the first doubling (256 + 256 sets) completes, no more.
    let rushed = base
        .clone()
        .time_budget(Duration::ZERO)
        .select(&network, 10)
        .unwrap();
    let stats = rushed.rr_sets.unwrap();
    assert_eq!(stats.drawn, 512);
    assert_eq!(stats.stopped_by, Some(Stop::TimeBudget));
    assert_eq!(rushed.seeds.len(), 10);
    // An hour on top of an RR budget: the RR budget binds, and the result is
    // the RR budget's alone, with a ratio at least the rushed one's.
    let counted = base.clone().rr_budget(20_000).select(&network, 10).unwrap();
    let patient = base
        .rr_budget(20_000)
        .time_budget(Duration::from_secs(3_600))
        .select(&network, 10)
        .unwrap();
    assert_eq!(patient.seeds, counted.seeds);
    assert_eq!(patient.guarantee, counted.guarantee);
    assert_eq!(patient.rr_sets.unwrap().stopped_by, Some(Stop::RrBudget));
    assert!(patient.certified_ratio() >= rushed.certified_ratio());
}

#[test]
fn opim_stops_at_its_target_or_at_the_sample_limit() {
    let network = larger();
    let reached = opim().epsilon(0.3).seed(2).select(&network, 5).unwrap();
    let stats = reached.rr_sets.unwrap();
    assert_eq!(stats.stopped_by, Some(Stop::RatioReached));
    assert!(reached.certified_ratio().unwrap() >= GREEDY_RATIO - 0.3);
    assert_eq!(stats.drawn, stats.final_sets + stats.sampling_sets);
    // The certificate's lower bound is below the evaluated spread, its upper
    // bound above it.
    let certificate = reached.guarantee.unwrap().certificate.unwrap();
    let spread = reached.evaluation.spread.mean;
    assert!(certificate.spread_lower_bound < spread + 4.0 * reached.evaluation.spread.std_err);
    assert!(certificate.optimum_upper_bound > certificate.spread_lower_bound);
    // Gains add up to the estimate on the selection collection.
    let sum: f64 = reached.marginal_gains.iter().sum();
    assert!((sum - stats.rr_estimate).abs() < 1e-9 * sum.max(1.0));
    // A tiny graph with ε close to 0: the sample limit comes first, and the
    // worst-case ratio is then guaranteed.
    let tiny = compile(&[("a", "b", 0.5), ("b", "c", 0.5), ("d", "e", 0.5)]);
    let limit = opim().epsilon(0.01).seed(1).select(&tiny, 1).unwrap();
    if limit.rr_sets.unwrap().stopped_by == Some(Stop::SampleLimit) {
        assert!(limit.certified_ratio().unwrap() >= GREEDY_RATIO - 0.01);
    }
    assert_eq!(ids(&limit), ["a"]);
}

#[test]
fn opim_gives_the_same_selection_on_one_and_two_threads() {
    let (ic, lt) = (larger(), random_network(21, 300, 1_500, true));
    for (targeting, network) in [
        (opim().epsilon(0.1).seed(3), &ic),
        (opim().epsilon(0.05).seed(4).rr_budget(30_000), &ic),
        (opim().model(Model::LinearThreshold).seed(6), &lt),
    ] {
        let (one, two) = on_one_and_two_threads(|| targeting.select(network, 8).unwrap());
        assert_eq!(one.seeds, two.seeds);
        assert_eq!(one.marginal_gains, two.marginal_gains);
        assert_eq!(one.guarantee, two.guarantee);
        let (a, b) = (one.rr_sets.unwrap(), two.rr_sets.unwrap());
        assert_eq!(
            (a.drawn, a.members, a.lower_bound),
            (b.drawn, b.members, b.lower_bound)
        );
    }
}

#[test]
fn budgets_and_models_opim_cannot_serve_are_refused() {
    let network = larger();
    let field =
        |result: social_loop::Result<Selection>| result.unwrap_err().field().map(str::to_string);
    assert_eq!(
        field(opim().rr_budget(511).select(&network, 2)).as_deref(),
        Some("rr_budget")
    );
    for algorithm in [Algorithm::Imm, Algorithm::Celf, Algorithm::Degree] {
        let other = Targeting::new(algorithm);
        assert_eq!(
            field(other.clone().rr_budget(10_000).select(&network, 2)).as_deref(),
            Some("rr_budget")
        );
        assert_eq!(
            field(
                other
                    .time_budget(Duration::from_millis(5))
                    .select(&network, 2)
            )
            .as_deref(),
            Some("time_budget")
        );
    }
    assert_eq!(
        field(opim().model(Model::signed_neutral()).select(&network, 2)).as_deref(),
        Some("model")
    );
    // A tiny epsilon would need more than 2^32 sets a collection in the worst
    // case; the certificate stops the run long before.
    let tiny = opim().epsilon(1e-7).select(&network, 2).unwrap();
    assert_eq!(tiny.rr_sets.unwrap().stopped_by, Some(Stop::RatioReached));
    let capped = opim()
        .epsilon(1e-7)
        .rr_budget(2_048)
        .select(&network, 2)
        .unwrap();
    assert_eq!(capped.rr_sets.unwrap().stopped_by, Some(Stop::RrBudget));
}
