//! CEV in the value loop: per-customer counterfactuals on common random numbers.

use social_loop::Decimal;
use social_loop::Probability;
use social_loop::cev::ValuePart;
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};

fn scenario(n: usize) -> Scenario {
    Scenario::default()
        .network(NetworkSpec::Generated(
            GeneratedNetwork::micro_communities(n, 25, 8.0).unwrap(),
        ))
        .horizon(13)
        .seed(5)
}

#[test]
fn customers_cev_total_agrees_with_the_customer_actors_attribution() {
    // 600 customers, a quarter of weekly periods, 16 runs of 17 counterfactuals.
    let settings = MonteCarloSettings::new(16, 0).unwrap().threads(2).unwrap();
    let cev = Simulation::new(&scenario(600))
        .unwrap()
        .engagement_values(settings)
        .unwrap();
    let customer = cev.attribution.customer;
    assert!(customer.mean > Decimal::ZERO, "{customer:?}");
    // The chain of groups telescopes to the customer actor's marginal value in
    // a coalition drawn with the Shapley weights: the customers' total is an
    // estimate of the same Shapley value and falls inside its 95% interval.
    assert!(
        customer.ci95[0] <= cev.social_total.mean && cev.social_total.mean <= customer.ci95[1],
        "customers' CEV total {:?} vs the customer actor's {:?}",
        cev.social_total,
        customer
    );
    // The parts add up, per customer, exactly; some customers' value is mostly
    // social.
    assert_eq!(cev.values.customers.len(), 600);
    let mut social = Decimal::ZERO;
    for c in &cev.values.customers {
        assert_eq!(
            c.cev.value,
            c.clv.value + c.crv.value + c.civ.value + c.ckv.value
        );
        social += c.crv.value + c.civ.value + c.ckv.value;
    }
    // Means of the per-customer parts add up to the mean total (each rounded
    // to the millionth: at most 3 x 600 millionths apart).
    assert!((social - cev.social_total.mean).abs() <= Decimal::new(1_800, 6));
    assert!(
        cev.values
            .customers
            .iter()
            .any(|c| c.crv.value > Decimal::ZERO)
    );
    assert!(
        cev.values
            .customers
            .iter()
            .any(|c| c.ckv.value != Decimal::ZERO)
    );
}

#[test]
fn customers_who_cannot_talk_or_give_feedback_have_no_social_value() {
    let s = scenario(300);
    let rates = s.get_rates().clone();
    let quiet = s.rates(
        rates
            .advocate_talk(Probability::ZERO)
            .adversary_talk(Probability::ZERO)
            .programme_talk(Probability::ZERO)
            .feedback(Probability::ZERO),
    );
    let cev = Simulation::new(&quiet)
        .unwrap()
        .engagement_values(MonteCarloSettings::new(3, 0).unwrap())
        .unwrap();
    assert_eq!(cev.attribution.customer.mean, Decimal::ZERO);
    assert_eq!(cev.social_total.mean, Decimal::ZERO);
    for c in &cev.values.customers {
        assert_eq!(
            (c.crv, c.civ, c.ckv),
            (ValuePart::ZERO, ValuePart::ZERO, ValuePart::ZERO)
        );
    }
    assert!(
        cev.values
            .customers
            .iter()
            .any(|c| c.clv.value > Decimal::ZERO)
    );
}

#[test]
fn engagement_values_do_not_depend_on_the_thread_count() {
    let sim = Simulation::new(&scenario(200)).unwrap();
    let on = |threads: usize| {
        let settings = MonteCarloSettings::new(3, 0)
            .unwrap()
            .threads(threads)
            .unwrap();
        sim.engagement_values(settings).unwrap()
    };
    assert_eq!(on(1), on(2));
}
