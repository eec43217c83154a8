//! The signed objective: distrust, adversaries, and the signed RR sets' estimate.

use social_loop::propagation::Model;
use social_loop::propagation::MonteCarloSettings;
use social_loop::targeting::{Algorithm, Targeting};

use super::{compile, distrust_network, ids};

#[test]
fn the_signed_objective_avoids_influence_through_distrust() {
    let network = distrust_network();
    let unsigned = Targeting::new(Algorithm::Imm)
        .epsilon(0.2)
        .seed(1)
        .select(&network, 1)
        .unwrap();
    assert_eq!(ids(&unsigned), ["bad"]);
    for algorithm in [Algorithm::Imm, Algorithm::Celf] {
        let signed = Targeting::new(algorithm)
            .epsilon(0.2)
            .model(Model::signed_neutral())
            .seed(1)
            .select(&network, 1)
            .unwrap();
        assert_eq!(ids(&signed), ["good"], "{algorithm:?}");
        let reach = signed.evaluation.signed.unwrap();
        // good + q1 + q2 at 0.9 each: 2.8 positive, nobody negative.
        assert!((reach.positive.mean - 2.8).abs() < 4.0 * reach.positive.std_err + 1e-9);
        assert_eq!(reach.negative.mean, 0.0);
        assert_eq!(signed.guarantee, None);
        let objective = signed.evaluation.objective;
        assert!(objective.ci95[0] <= objective.mean && objective.mean <= objective.ci95[1]);
    }
    // Asked for two, the signed greedy's second pick is a distrusted customer
    // reached by nobody (gain +1), not bad (gain 1 - 4 x 0.9 < 0).
    let two = Targeting::new(Algorithm::Imm)
        .epsilon(0.2)
        .model(Model::signed_neutral())
        .select(&network, 2)
        .unwrap();
    assert_eq!(ids(&two)[0], "good");
    assert!(ids(&two)[1].starts_with('p'), "{:?}", ids(&two));
    assert!(two.marginal_gains[1] > 0.9);
}

#[test]
fn against_adversaries_the_signed_choice_blocks_and_is_never_an_adversary() {
    // The adversary x reaches t1..t3 through `gate`; seeding gate first blocks it
    // (gate is one step closer to them than x). `loner` reaches one customer.
    let network = compile(&[
        ("x", "gate", 0.2),
        ("gate", "t1", 1.0),
        ("gate", "t2", 1.0),
        ("gate", "t3", 1.0),
        ("loner", "l1", 1.0),
    ]);
    let targeting = Targeting::new(Algorithm::Imm)
        .epsilon(0.2)
        .model(Model::signed_neutral())
        .adversaries(["x"])
        .negative_weight(2.0)
        .seed(5)
        .evaluation(MonteCarloSettings::new(4_000, 1).unwrap());
    let selection = targeting.select(&network, 1).unwrap();
    assert_eq!(ids(&selection), ["gate"]);
    let reach = selection.evaluation.signed.unwrap();
    // x alone is negative; gate is positive with t1..t3.
    assert!((reach.negative.mean - 1.0).abs() < 1e-12);
    assert!((reach.positive.mean - 4.0).abs() < 1e-12);
    let objective = selection.evaluation.objective.mean;
    assert!((objective - (4.0 - 2.0 * 1.0)).abs() < 1e-12);
    // Excluding gate moves the choice.
    let without_gate = targeting.exclude(["gate"]).select(&network, 1).unwrap();
    assert_eq!(ids(&without_gate), ["loner"]);
}

#[test]
fn signed_rr_sets_estimate_the_signed_objective_where_shortest_paths_are_unique() {
    // Every node has one shortest path from each seed side, so the signed RR sets
    // are exact: their estimate of positive - 2 x negative reach for the chosen
    // advocate must agree with the signed cascade's Monte Carlo.
    let network = compile(&[
        ("a", "b", 0.8),
        ("b", "c", -0.7),
        ("c", "d", 0.6),
        ("x", "c", 0.5),
        ("x", "e", 0.9),
        ("e", "f", -0.5),
        ("b", "g", 0.4),
        ("g", "h", 0.9),
    ]);
    let everyone_but_a: Vec<&str> = network
        .customers()
        .iter()
        .map(|c| c.as_str())
        .filter(|&c| c != "a")
        .collect();
    let selection = Targeting::new(Algorithm::Imm)
        .epsilon(0.02)
        .model(Model::signed_neutral())
        .adversaries(["x"])
        .exclude(everyone_but_a)
        .negative_weight(2.0)
        .seed(8)
        .evaluation(MonteCarloSettings::new(40_000, 1).unwrap())
        .select(&network, 1)
        .unwrap();
    assert_eq!(ids(&selection), ["a"]);
    let stats = selection.rr_sets.unwrap();
    let n = network.node_count() as f64;
    // Each set is worth between -2 and 1: standard error at most n * 1.5 / sqrt(sets).
    let rr_se = n * 1.5 / (stats.final_sets as f64).sqrt();
    let mc = selection.evaluation.objective;
    assert!(
        (stats.rr_estimate - mc.mean).abs()
            < 4.0 * (rr_se * rr_se + mc.std_err * mc.std_err).sqrt(),
        "RR {} vs Monte Carlo {} ± {}",
        stats.rr_estimate,
        mc.mean,
        mc.std_err
    );
}
