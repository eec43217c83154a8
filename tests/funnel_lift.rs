//! Funnel lift of word of mouth.

use rust_decimal::Decimal;
use social_loop::Error;
use social_loop::Probability;
use social_loop::funnel::{FunnelLift, FunnelStage};
use social_loop::network::InfluenceNetwork;
use social_loop::propagation::CompiledNetwork;
use social_loop::propagation::MonteCarloSettings;

fn p(x: f64) -> Probability {
    Probability::new(x).unwrap()
}

fn compiled(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
    let net = InfluenceNetwork::from_triples(triples.iter().copied()).unwrap();
    CompiledNetwork::from_network(&net)
}

/// A small graph with uncertain ties, a fan and a chain.
fn small() -> CompiledNetwork {
    compiled(&[
        ("a", "b", 0.5),
        ("a", "c", 0.3),
        ("b", "d", 0.7),
        ("c", "d", 0.2),
        ("d", "e", 0.6),
        ("e", "f", 0.4),
        ("f", "a", 0.5),
    ])
}

#[test]
fn path_with_certain_steps_gives_two_customers_through_the_funnel() {
    let one = p(1.0);
    let est = FunnelLift::default()
        .settings(MonteCarloSettings::new(50, 0).unwrap())
        .baseline_awareness(p(0.0))
        .consider_given_aware(one)
        .consider_given_reached(one)
        .purchase_given_considering(one)
        .loyal_given_purchase(one)
        .advocate_given_loyal(one)
        .unit_price(Decimal::new(1999, 2))
        .estimate(&compiled(&[("a", "b", 1.0)]), ["a"])
        .unwrap();
    let aware = est.stage(FunnelStage::Awareness).unwrap();
    assert_eq!(aware.with.mean, 2.0);
    assert_eq!(aware.without.mean, 0.0);
    assert_eq!(aware.lift.mean, 2.0);
    assert_eq!(est.stage(FunnelStage::Advocacy).unwrap().lift.mean, 2.0);
    // Every stage, every run alike: the lift has no spread at all.
    for s in &est.stages {
        assert_eq!((s.with.mean, s.without.mean), (2.0, 0.0));
        assert_eq!((s.lift.mean, s.lift.std_err), (2.0, 0.0));
    }
    assert_eq!(est.revenue_lift, Decimal::new(3998, 2));
    assert_eq!(est.revenue_ci95, [Decimal::new(3998, 2); 2]);
}

#[test]
fn lift_is_exactly_zero_when_word_of_mouth_changes_nothing() {
    let net = small();
    // No advocates: nobody is reached.
    let none = FunnelLift::default()
        .settings(MonteCarloSettings::new(200, 0).unwrap())
        .estimate(&net, std::iter::empty::<&str>())
        .unwrap();
    // Everyone aware anyway and no consideration boost: reach changes nothing.
    let saturated = FunnelLift::default()
        .settings(MonteCarloSettings::new(200, 0).unwrap())
        .baseline_awareness(p(1.0))
        .consider_given_aware(p(0.4))
        .consider_given_reached(p(0.4))
        .estimate(&net, ["a", "d"])
        .unwrap();
    for est in [none, saturated] {
        for s in &est.stages {
            assert_eq!(s.lift.mean, 0.0, "{:?}", s.stage);
            assert_eq!(s.lift.std_err, 0.0);
            assert_eq!(s.with, s.without);
        }
        assert_eq!(est.revenue_lift, Decimal::ZERO);
    }
}

#[test]
fn every_run_is_at_least_as_deep_with_word_of_mouth() {
    let runs = FunnelLift::default()
        .settings(MonteCarloSettings::new(500, 11).unwrap())
        .per_run(&small(), ["a"])
        .unwrap();
    assert_eq!(runs.len(), 500);
    let mut strictly = 0;
    for run in &runs {
        for i in 0..5 {
            assert!(run.with[i] >= run.without[i], "{run:?}");
            if i + 1 < 5 {
                // Cumulative funnel: each stage at most the one above.
                assert!(run.with[i + 1] <= run.with[i]);
                assert!(run.without[i + 1] <= run.without[i]);
            }
        }
        strictly += usize::from(run.with[0] > run.without[0]);
    }
    // The test can fail: the advocate is not baseline-aware in most runs.
    assert!(strictly > 300, "{strictly}");
}

#[test]
fn statistical_check_against_the_closed_form() {
    // a -> b with p = 0.5, advocate a. Baseline awareness 0.2, consideration 0.5
    // (1.0 when reached), every later step certain, so purchase = consideration.
    // Awareness lift: a 0.8, b 0.5 · 0.8 = 0.4 -> 1.2.
    // Purchase without: 0.2 · 0.5 each -> 0.2; with: a 1.0, b 0.5 + 0.5 · 0.1 = 0.55.
    let one = p(1.0);
    let est = FunnelLift::default()
        .settings(MonteCarloSettings::new(20_000, 5).unwrap())
        .baseline_awareness(p(0.2))
        .consider_given_aware(p(0.5))
        .consider_given_reached(one)
        .purchase_given_considering(one)
        .loyal_given_purchase(one)
        .advocate_given_loyal(one)
        .unit_price(Decimal::new(10, 0))
        .estimate(&compiled(&[("a", "b", 0.5)]), ["a"])
        .unwrap();
    let check = |got: f64, se: f64, want: f64| {
        // Tolerance: 4 standard errors (a false alarm about once in 16 000).
        assert!((got - want).abs() < 4.0 * se, "{got} vs {want} (se {se})");
    };
    let aware = est.stage(FunnelStage::Awareness).unwrap();
    check(aware.without.mean, aware.without.std_err, 0.4);
    check(aware.lift.mean, aware.lift.std_err, 1.2);
    let purchase = est.stage(FunnelStage::Purchase).unwrap();
    check(purchase.without.mean, purchase.without.std_err, 0.2);
    check(purchase.with.mean, purchase.with.std_err, 1.55);
    check(purchase.lift.mean, purchase.lift.std_err, 1.35);
    // Revenue = mean purchase lift × 10, to cents, inside its own interval.
    let revenue = est.revenue_lift;
    assert!(est.revenue_ci95[0] <= revenue && revenue <= est.revenue_ci95[1]);
    let expected = Decimal::new(135, 1);
    assert!((revenue - expected).abs() < Decimal::new(1, 0), "{revenue}");
}

#[test]
fn paired_interval_is_narrower_than_the_unpaired_one() {
    // The common random numbers make the two worlds positively correlated, so the
    // paired standard error of the lift is below sqrt(se_with² + se_without²).
    let est = FunnelLift::default()
        .settings(MonteCarloSettings::new(4_000, 2).unwrap())
        .estimate(&small(), ["a"])
        .unwrap();
    for s in &est.stages {
        let unpaired = (s.with.std_err.powi(2) + s.without.std_err.powi(2)).sqrt();
        assert!(
            s.lift.std_err < unpaired,
            "{:?}: {} vs {unpaired}",
            s.stage,
            s.lift.std_err
        );
        let width = s.lift.ci95[1] - s.lift.ci95[0];
        assert!(width < 2.0 * 1.96 * unpaired);
    }
}

#[test]
fn same_seed_same_result_and_serde_round_trip() {
    let options = FunnelLift::default().settings(MonteCarloSettings::new(300, 9).unwrap());
    let a = options.estimate(&small(), ["a", "e"]).unwrap();
    let b = options.estimate(&small(), ["a", "e"]).unwrap();
    assert_eq!(a, b);
    let other = options
        .clone()
        .settings(MonteCarloSettings::new(300, 10).unwrap())
        .estimate(&small(), ["a", "e"])
        .unwrap();
    assert_ne!(a, other);
    let json = serde_json::to_string(&a).unwrap();
    let back: social_loop::funnel::FunnelLiftEstimate = serde_json::from_str(&json).unwrap();
    assert_eq!(back.revenue_lift, a.revenue_lift);
    assert_eq!(back.stages.len(), 5);
    let opts_json = serde_json::to_string(&options).unwrap();
    let opts_back: FunnelLift = serde_json::from_str(&opts_json).unwrap();
    assert_eq!(opts_back, options);
}

#[test]
fn unknown_advocate_is_an_error() {
    let err = FunnelLift::default()
        .estimate(&small(), ["a", "zed"])
        .unwrap_err();
    assert!(matches!(err, Error::UnknownCustomer(ref id) if id.as_str() == "zed"));
}

#[test]
fn a_consideration_boost_below_the_baseline_is_rejected() {
    let err = FunnelLift::default()
        .consider_given_aware(p(0.5))
        .consider_given_reached(p(0.4))
        .estimate(&compiled(&[("a", "b", 1.0)]), ["a"])
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { ref field, .. } if field == "consider_given_reached")
    );
}

#[test]
fn too_few_runs_is_an_error() {
    // Checked once, where the settings are built, for every estimator.
    let err = MonteCarloSettings::new(1, 0).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref field, .. } if field == "runs"));
}
