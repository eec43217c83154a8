//! The Kumar finding (issue 14 point 4), as `examples/engagement_value.rs`
//! shows it: the customers of highest lifetime value and those of highest
//! referral + influence value are largely different people, in a synthetic
//! book and in a simulated company; and what choosing whom an advocacy
//! programme goes to by CEV, or by CRV + CIV, gains over choosing by CLV,
//! paired on common random numbers. Fixed seeds; each bound is stated with
//! the value the seeds give.

use social_loop::CustomerId;
use social_loop::Decimal;
use social_loop::brand::{Department, Engagement, EngagementKind, Schedule};
use social_loop::cev::{CustomerEngagementValue, EngagementOptions, EngagementValues, Programme};
use social_loop::clv::ValueOptions;
use social_loop::crm::{BookValueOptions, Currency, CustomerBook, SyntheticCrm};
use social_loop::customer::Channel;
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};

/// How many of the top `n` by CLV are among the top `n` by CRV + CIV.
fn overlap(values: &EngagementValues, currency: Currency, n: usize) -> usize {
    EngagementValues::overlap(
        &values.top_by(currency, n, |c| c.clv.value),
        &values.top_by(currency, n, CustomerEngagementValue::social),
    )
}

fn ids(list: Vec<&CustomerEngagementValue>) -> Vec<CustomerId> {
    list.iter().map(|c| c.customer.clone()).collect()
}

#[test]
fn in_the_synthetic_book_the_top_by_clv_and_by_referral_and_influence_value_differ() {
    let mut book = CustomerBook::new();
    book.import(SyntheticCrm::new(3_000).seed(2024).events().unwrap());
    let options = EngagementOptions::default()
        .value(BookValueOptions::default().value(ValueOptions::default().draws(0)));
    let values = book.engagement_values(&options).unwrap();
    let eur = Currency::new("EUR").unwrap();
    // The seed gives 0 of 10 (the example) and 2 of 50.
    assert!(
        overlap(&values, eur, 10) <= 2,
        "{}",
        overlap(&values, eur, 10)
    );
    assert!(
        overlap(&values, eur, 50) <= 10,
        "{}",
        overlap(&values, eur, 50)
    );
}

#[test]
fn in_a_simulated_company_they_differ_and_choosing_a_programme_by_cev_gains_nothing_measurable() {
    let scenario = Scenario::default()
        .network(NetworkSpec::Generated(
            GeneratedNetwork::micro_communities(2_000, 50, 10.0).unwrap(),
        ))
        .horizon(26)
        .seed(7);
    let runs = 6;
    let cev = Simulation::new(&scenario)
        .unwrap()
        .engagement_values(MonteCarloSettings::new(runs, 0).unwrap())
        .unwrap();
    let usd = scenario.get_currency();
    let values = &cev.values;
    // 2 of 20 with these seeds (6 runs; the example's 20 runs give 1).
    assert!(
        overlap(values, usd, 20) <= 5,
        "{}",
        overlap(values, usd, 20)
    );
    // Why CEV cannot help here: its social parts are a few percent of it
    // (4.9% with 6 runs), so the top by CEV is nearly the top by CLV (18 of 20).
    let share = cev.social_total.mean / values.total(usd).unwrap().value;
    assert!(share < Decimal::new(10, 2), "{share}");
    let by_cev = ids(values.top_by(usd, 20, |c| c.cev.value));
    let by_clv = ids(values.top_by(usd, 20, |c| c.clv.value));
    let by_social = ids(values.top_by(usd, 20, CustomerEngagementValue::social));
    let shared = by_cev.iter().filter(|c| by_clv.contains(c)).count();
    assert!(shared >= 15, "{shared}");

    let programme = Programme::new(
        Engagement::builder(EngagementKind::AdvocacyProgramme, Channel::Microblog)
            .schedule(Schedule::every(0, 1).unwrap())
            .cost(Decimal::new(5, 0))
            .owner(Department::Marketing)
            .build()
            .unwrap(),
    );
    let held_out = runs as u32..runs as u32 + 100;
    // By CEV over by CLV: -1.7 USD (95% CI -19.8 to 16.5); the interval holds 0
    // and is narrow (a measured nothing, not an unmeasured something).
    let gain = programme
        .paired_gain(&scenario, &by_cev, &by_clv, held_out.clone())
        .unwrap();
    assert!(
        gain.ci95[0] < Decimal::ZERO && Decimal::ZERO < gain.ci95[1],
        "{gain:?}"
    );
    assert!(gain.ci95[1] - gain.ci95[0] < Decimal::from(60), "{gain:?}");
    // By CRV + CIV over by CLV: 33.8 USD (95% CI 8.4 to 59.2), above 0.
    let gain = programme
        .paired_gain(&scenario, &by_social, &by_clv, held_out)
        .unwrap();
    assert!(gain.ci95[0] > Decimal::ZERO, "{gain:?}");
}
