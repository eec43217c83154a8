//! Attribution of value by actor: the parts add up to the total run by run,
//! an actor with nothing to switch off gets exactly 0, and the numbers do not
//! depend on the thread count.

use proptest::prelude::*;
use social_loop::brand::EngagementPlan;
use social_loop::business::{Change, ChangeKind, ChangePolicy};
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{
    Attribution, BusinessSpec, GeneratedNetwork, NetworkSpec, Prices, Rates, Scenario, Simulation,
    WordOfMouth, WordOfMouthModel,
};
use social_loop::value::Actor;
use social_loop::{Decimal, Probability};

fn p(x: f64) -> Probability {
    Probability::new(x).unwrap()
}

/// The attribution of `scenario` over `runs` runs on `threads` threads.
fn attribution(scenario: &Scenario, runs: u64, threads: usize) -> Attribution {
    let settings = MonteCarloSettings::new(runs, 0)
        .unwrap()
        .threads(threads)
        .unwrap();
    Simulation::new(scenario)
        .unwrap()
        .attribution(settings)
        .run()
        .unwrap()
        .attribution
        .unwrap()
}

/// `scenario` with `actor`'s contributions left out of the scenario itself.
fn without(scenario: Scenario, actor: Actor) -> Scenario {
    match actor {
        Actor::Customer => {
            let rates = scenario.get_rates().clone();
            scenario.rates(
                rates
                    .advocate_talk(Probability::ZERO)
                    .adversary_talk(Probability::ZERO)
                    .programme_talk(Probability::ZERO)
                    .feedback(Probability::ZERO),
            )
        }
        Actor::Brand => {
            let prices = scenario.get_prices().referral_reward(Decimal::ZERO);
            let effects = scenario.get_ownership_effects();
            let no_fee = effects.agency(effects.get_agency().fee_per_week(Decimal::ZERO));
            scenario
                .engagements(EngagementPlan::default())
                .prices(prices)
                .ownership_effects(no_fee)
        }
        _ => {
            let never = Change::builder(ChangeKind::Process)
                .cost(Decimal::ONE)
                .build()
                .unwrap();
            let business =
                BusinessSpec::default().policy(ChangePolicy::new(u64::MAX, never).unwrap());
            scenario.business(business)
        }
    }
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        (60usize..250, 0usize..3, 0usize..3),
        prop::array::uniform6(0.0f64..=1.0),
        (1u32..7, any::<u64>(), 1u32..400),
    )
        .prop_map(|((n, own, model), r, (horizon, seed, threshold))| {
            let ownership = crate::sim::OWNERSHIPS[own];
            let model = [
                WordOfMouthModel::Signed,
                WordOfMouthModel::IndependentCascade,
                WordOfMouthModel::Signed,
            ][model];
            let rates = Rates::default()
                .advocate_talk(p(r[0]))
                .adversary_talk(p(r[1]))
                .conversion(p(r[2]))
                .referral_conversion(p(r[3]))
                .contact(p(r[4]))
                .feedback(p(r[5]));
            let fix = Change::builder(ChangeKind::Process)
                .cost(Decimal::new(300, 0))
                .lag(1)
                .bad_experience_reduction(0.3)
                .build()
                .unwrap();
            let network = GeneratedNetwork::micro_communities(n, 20, 6.0).unwrap();
            Scenario::default()
                .network(NetworkSpec::Generated(GeneratedNetwork {
                    tie_probability: p(0.15),
                    ..network
                }))
                .word_of_mouth(WordOfMouth::default().model(model))
                .ownership(ownership)
                .rates(rates)
                .business(
                    BusinessSpec::default()
                        .policy(ChangePolicy::new(u64::from(threshold), fix).unwrap()),
                )
                .prices(Prices::default().annual_discount_rate(Decimal::new(25, 2)))
                .horizon(horizon)
                .seed(seed)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn parts_add_up_exactly_an_absent_actor_gets_zero_and_threads_do_not_matter(
        scenario in arb_scenario(),
        absent in 0usize..4,
    ) {
        let scenario = match Actor::ALL.get(absent) {
            Some(&actor) => without(scenario, actor),
            None => scenario,
        };
        let one = attribution(&scenario, 3, 1);
        for run in &one.per_run {
            prop_assert_eq!(run.customer + run.brand + run.business + run.baseline, run.total);
            if let Some(&actor) = Actor::ALL.get(absent) {
                prop_assert_eq!(run.of(actor), Decimal::ZERO, "{} in run {}", actor, run.run);
            }
        }
        // Run 0 is the scenario as written.
        let report = Simulation::new(&scenario).unwrap().run().unwrap();
        prop_assert_eq!(one.per_run[0].total, report.totals.net_present_value);
        let two = attribution(&scenario, 3, 2);
        prop_assert_eq!(one, two);
    }
}

#[test]
fn the_default_scenario_splits_its_value_with_tight_intervals() {
    // 2,000 customers, 13 weeks, 4 runs: common random numbers make the
    // parts' intervals narrow against the totals, and the mean parts plus
    // the baseline add up to the mean total (to the millionth each part is
    // rounded to).
    let network = GeneratedNetwork::micro_communities(2_000, 50, 10.0).unwrap();
    let scenario = Scenario::default()
        .network(NetworkSpec::Generated(network))
        .horizon(13);
    let a = attribution(&scenario, 4, 2);
    assert_eq!(a.runs, 4);
    assert_eq!(a.per_run.len(), 4);
    let sum = a.customer.mean + a.brand.mean + a.business.mean + a.baseline.mean;
    assert!(
        (sum - a.total.mean).abs() <= Decimal::new(4, 6),
        "{sum} vs {}",
        a.total.mean
    );
    for part in [&a.customer, &a.brand, &a.business, &a.baseline, &a.total] {
        assert!(part.ci95[0] <= part.mean && part.mean <= part.ci95[1]);
    }
    // The brand's engagements cost money every week: its part is a real
    // number, not zero, and the report's returns say it per unit spent.
    assert_ne!(a.brand.mean, Decimal::ZERO);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(serde_json::from_str::<Attribution>(&json).unwrap(), a);
}
