//! "Talk of the network" (Goldenberg, Libai and Muller 2001): the individual
//! rule, the agent-based model's exact cases, its mean-field limit, its
//! reproducibility across thread counts, and the elasticity analysis.

use proptest::prelude::*;
use social_loop::Error;
use social_loop::aggregate::{
    DesignOutcome, DesignParameter, Elasticities, TalkOfNetwork, TalkOfNetworkConfig, TalkRates,
    TieCount, informing_probability,
};

fn field_of(err: Error) -> String {
    match err {
        Error::InvalidParameter { field, .. } | Error::InvalidProbability { field, .. } => {
            field.to_string()
        }
        other => panic!("expected a parameter error, got {other:?}"),
    }
}

fn model(config: TalkOfNetworkConfig) -> TalkOfNetwork {
    TalkOfNetwork::new(config).unwrap()
}

#[test]
fn individual_probability_oracle() {
    let rates = TalkRates::new(0.0005, 0.005, 0.01).unwrap();
    let p = informing_probability(&rates, 3, 2).get();
    assert!((p - 0.03501085095499375).abs() < 1e-15, "{p}");
    // No informed contacts: advertising alone.
    assert!((informing_probability(&rates, 0, 0).get() - 0.0005).abs() < 1e-15);
    // Nothing at all: never.
    let silent = TalkRates::new(0.0, 0.0, 0.0).unwrap();
    assert_eq!(informing_probability(&silent, 1_000, 1_000).get(), 0.0);
    // A certain source: certain.
    let certain = TalkRates::new(0.0, 0.0, 1.0).unwrap();
    assert_eq!(informing_probability(&certain, 0, 1).get(), 1.0);
}

#[test]
fn rates_are_validated_by_name() {
    assert_eq!(
        field_of(TalkRates::new(-0.1, 0.01, 0.01).unwrap_err()),
        "advertising"
    );
    assert_eq!(
        field_of(TalkRates::new(0.1, f64::NAN, 0.01).unwrap_err()),
        "weak"
    );
    assert_eq!(
        field_of(TalkRates::new(0.1, 0.01, 1.01).unwrap_err()),
        "strong"
    );
}

#[test]
fn invalid_designs_name_their_field() {
    let base = TalkOfNetworkConfig::default();
    let fails = |c: TalkOfNetworkConfig| field_of(TalkOfNetwork::new(c).unwrap_err());
    assert_eq!(fails(base.clone().population(1)), "population");
    assert_eq!(
        fails(base.clone().strong_ties(TieCount::between(9, 5))),
        "strong_ties"
    );
    assert_eq!(
        fails(base.clone().weak_ties(TieCount::between(9, 5))),
        "weak_ties"
    );
    assert_eq!(
        fails(base.clone().population(10).strong_ties(TieCount::fixed(10))),
        "strong_ties"
    );
    assert_eq!(fails(base.clone().stop_at(0.0)), "stop_at");
    assert_eq!(fails(base.clone().stop_at(1.5)), "stop_at");
    assert_eq!(fails(base.horizon(0)), "horizon");
}

#[test]
fn certain_advertising_informs_everybody_in_one_period() {
    let rates = TalkRates::new(1.0, 0.0, 0.0).unwrap();
    let run = model(TalkOfNetworkConfig::default().rates(rates)).run_seeded(1, 0);
    assert_eq!(run.informed, vec![0, 3_000]);
    assert_eq!(run.time_to(0.16), Some(1));
    assert_eq!(run.time_to(0.95), Some(1));
    assert_eq!(run.final_penetration(), 1.0);
}

#[test]
fn without_any_influence_nobody_is_informed() {
    let rates = TalkRates::new(0.0, 0.5, 0.5).unwrap();
    let run = model(TalkOfNetworkConfig::default().rates(rates).horizon(7)).run_seeded(1, 0);
    assert_eq!(run.informed, vec![0; 8]);
    assert_eq!(run.periods(), 7);
    assert_eq!(run.time_to(0.16), None);
    assert_eq!(run.time_to(0.0), Some(0));
}

/// Two people in one personal network, advertising 0.3, strong tie 0.5, no
/// weak ties. From nobody informed: both in a period w.p. 0.09, one w.p. 0.42;
/// from one informed the other follows w.p. 1 - 0.7 * 0.5 = 0.65. The expected
/// time until both know is (1 + 0.42 / 0.65) / 0.51 = 3.22775...
#[test]
fn two_person_network_has_the_exact_expected_time() {
    let rates = TalkRates::new(0.3, 0.0, 0.5).unwrap();
    let config = TalkOfNetworkConfig::default()
        .population(2)
        .strong_ties(TieCount::fixed(1))
        .weak_ties(TieCount::fixed(0))
        .rates(rates)
        .stop_at(1.0);
    let runs = model(config).run_many(9, 0..6_000);
    let times: Vec<f64> = runs
        .iter()
        .map(|r| f64::from(r.time_to(1.0).unwrap()))
        .collect();
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let expected = (1.0 + 0.42 / 0.65) / 0.51;
    // The time has standard deviation about 2.5: the mean's is 0.032; allow 5.
    assert!((mean - expected).abs() < 0.16, "mean {mean} vs {expected}");
    // The probability of finishing in period 1 is 0.09.
    let first = times.iter().filter(|&&t| t == 1.0).count() as f64 / times.len() as f64;
    assert!((first - 0.09).abs() < 0.02, "P(T = 1) = {first}");
}

/// With no strong ties everyone mixes: the expected informed fraction follows
/// x' = x + (1 - x)(1 - (1 - a)(1 - bw x N/(N-1))^W). The average of 8 runs of
/// 3,000 people stays within 0.02 of it (its noise is below 0.005; the
/// recursion neglects the curvature of the expectation, of order 1/N).
#[test]
fn homogeneous_mixing_follows_the_mean_field_recursion() {
    let (a, bw, meetings) = (0.002, 0.01, 20);
    let config = TalkOfNetworkConfig::default()
        .strong_ties(TieCount::fixed(0))
        .weak_ties(TieCount::fixed(meetings))
        .rates(TalkRates::new(a, bw, 0.3).unwrap())
        .stop_at(1.0)
        .horizon(40);
    let runs = model(config).run_many(77, 0..8);
    let n = 3_000.0;
    let mut x = 0.0_f64;
    let mut worst = 0.0_f64;
    for t in 1..=40 {
        let outside_share = x * n / (n - 1.0);
        x += (1.0 - x) * (1.0 - (1.0 - a) * (1.0 - bw * outside_share).powi(meetings as i32));
        let simulated = runs
            .iter()
            .map(|r| f64::from(r.informed.get(t).copied().unwrap_or(3_000)) / n)
            .sum::<f64>()
            / runs.len() as f64;
        worst = worst.max((simulated - x).abs());
    }
    assert!(worst < 0.02, "largest gap {worst}");
    // And the recursion itself moved: the test compares a real curve.
    assert!(x > 0.5, "x(40) = {x}");
}

#[test]
fn stronger_ties_of_either_kind_speed_diffusion() {
    let mean_time = |rates: TalkRates| {
        let runs = model(TalkOfNetworkConfig::default().rates(rates)).run_many(5, 0..6);
        runs.iter()
            .map(|r| f64::from(r.time_to(0.5).unwrap()))
            .sum::<f64>()
            / 6.0
    };
    let base = mean_time(TalkRates::new(0.001, 0.005, 0.01).unwrap());
    let weak = mean_time(TalkRates::new(0.001, 0.015, 0.01).unwrap());
    let strong = mean_time(TalkRates::new(0.001, 0.005, 0.07).unwrap());
    assert!(weak < 0.8 * base, "weak {weak} vs base {base}");
    assert!(strong < 0.8 * base, "strong {strong} vs base {base}");
}

#[test]
fn runs_are_reproducible_and_independent_of_thread_count() {
    let talk = model(
        TalkOfNetworkConfig::default()
            .strong_ties(TieCount::between(5, 29))
            .weak_ties(TieCount::between(5, 29)),
    );
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| talk.run_many(123, 0..6))
    };
    let single = on(1);
    assert_eq!(single, on(3));
    // Split ranges give the same runs: work can be fanned out and merged.
    let mut halves = talk.run_many(123, 0..3);
    halves.extend(talk.run_many(123, 3..6));
    assert_eq!(single, halves);
    assert_eq!(single[4], talk.run_seeded(123, 4));
    assert_ne!(single[0], single[1]);
    assert_ne!(single[0], talk.run_seeded(124, 0));
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<TalkOfNetwork>();
    check::<TalkOfNetworkConfig>();
    check::<social_loop::aggregate::TalkRun>();
    check::<Elasticities>();
}

#[test]
fn config_round_trips_through_serde() {
    let config = TalkOfNetworkConfig::default().weak_ties(TieCount::between(5, 29));
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(
        serde_json::from_str::<TalkOfNetworkConfig>(&json).unwrap(),
        config
    );
}

fn synthetic_design(noise: impl Fn(usize) -> f64) -> Vec<DesignOutcome> {
    let mut outcomes = Vec::new();
    for a in [0.0005_f64, 0.002, 0.01] {
        for bw in [0.005_f64, 0.01, 0.015] {
            for bs in [0.01_f64, 0.04, 0.07] {
                for w in [5.0_f64, 17.0, 29.0] {
                    for s in [5.0_f64, 29.0] {
                        let i = outcomes.len();
                        let periods = 3.0
                            * a.powf(-0.1)
                            * bw.powf(-0.4)
                            * bs.powf(-0.25)
                            * w.powf(-0.35)
                            * s.powf(-0.05)
                            * noise(i).exp();
                        outcomes.push(DesignOutcome {
                            advertising: a,
                            weak_strength: bw,
                            strong_strength: bs,
                            weak_ties: w,
                            strong_ties: s,
                            periods,
                        });
                    }
                }
            }
        }
    }
    outcomes
}

#[test]
fn elasticities_recover_a_known_power_law() {
    let fit = Elasticities::estimate(&synthetic_design(|_| 0.0)).unwrap();
    let expected = [
        (DesignParameter::Advertising, -0.1),
        (DesignParameter::WeakStrength, -0.4),
        (DesignParameter::StrongStrength, -0.25),
        (DesignParameter::WeakTies, -0.35),
        (DesignParameter::StrongTies, -0.05),
    ];
    for (parameter, value) in expected {
        let estimate = fit.of(parameter).unwrap();
        assert!((estimate.value - value).abs() < 1e-10, "{parameter:?}");
        assert!(estimate.standard_error < 1e-8);
    }
    assert!((fit.coefficients[0].value - 3.0_f64.ln()).abs() < 1e-9);
    assert!((fit.r_squared - 1.0).abs() < 1e-12);
    let contrast = fit
        .contrast(
            &[DesignParameter::WeakStrength, DesignParameter::WeakTies],
            &[DesignParameter::StrongStrength, DesignParameter::StrongTies],
        )
        .unwrap();
    assert!((contrast.value - (-0.75 + 0.30)).abs() < 1e-10);
}

#[test]
fn elasticity_standard_errors_cover_the_truth() {
    // Deterministic pseudo-noise with standard deviation ~0.1.
    let noise = |i: usize| {
        0.1 * ((i as f64 * 12.9898).sin() * 43_758.545)
            .fract()
            .mul_add(3.4, -1.7)
    };
    let fit = Elasticities::estimate(&synthetic_design(noise)).unwrap();
    let weak = fit.of(DesignParameter::WeakStrength).unwrap();
    let (low, high) = weak.ci95();
    assert!(weak.standard_error > 0.0);
    assert!(low < -0.4 && -0.4 < high, "[{low}, {high}]");
    // A single-valued parameter is left out rather than failing.
    let mut fixed = synthetic_design(|_| 0.0);
    fixed.iter_mut().for_each(|o| o.strong_ties = 10.0);
    let partial = Elasticities::estimate(&fixed).unwrap();
    assert_eq!(partial.of(DesignParameter::StrongTies), None);
    assert_eq!(partial.parameters.len(), 4);
}

#[test]
fn elasticity_inputs_are_validated() {
    let mut outcomes = synthetic_design(|_| 0.0);
    outcomes[3].periods = 0.0;
    assert_eq!(
        field_of(Elasticities::estimate(&outcomes).unwrap_err()),
        "outcomes[3].periods"
    );
    outcomes[3].periods = 1.0;
    outcomes[5].advertising = -1.0;
    assert_eq!(
        field_of(Elasticities::estimate(&outcomes).unwrap_err()),
        "outcomes[5].advertising"
    );
    let few = synthetic_design(|_| 0.0)[..3].to_vec();
    assert_eq!(
        field_of(Elasticities::estimate(&few).unwrap_err()),
        "outcomes"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// More informed contacts never lower the probability, and it stays a
    /// probability.
    #[test]
    fn informing_probability_is_monotone(
        a in 0.0_f64..=1.0, bw in 0.0_f64..=1.0, bs in 0.0_f64..=1.0,
        j in 0_u32..200, m in 0_u32..200,
    ) {
        let rates = TalkRates::new(a, bw, bs).unwrap();
        let p = informing_probability(&rates, j, m).get();
        prop_assert!((0.0..=1.0).contains(&p));
        prop_assert!(informing_probability(&rates, j + 1, m).get() >= p);
        prop_assert!(informing_probability(&rates, j, m + 1).get() >= p);
    }
}
