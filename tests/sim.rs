//! Behaviour tests of the value loop (`social_loop::sim`).

use proptest::prelude::*;
use social_loop::brand::{
    AgencyEffects, Engagement, EngagementKind, EngagementPlan, InHouseEffects, Ownership,
    OwnershipEffects, Target,
};
use social_loop::customer::Channel;
use social_loop::customer::{Cause, ExperienceQuality, TransitionProbabilities, Trigger, Valence};
use social_loop::network::InfluenceNetwork;
use social_loop::sim::{
    AuditOptions, BusinessSpec, GeneratedNetwork, NetworkModel, NetworkSpec, PopulationSpec,
    Prices, ProfileShare, Rates, Report, Scenario, Seeds, Simulation, StageMix, run,
};
use social_loop::value::{Actor, ValueKind};
use social_loop::{Decimal, Error, Probability, Stage};

fn p(x: f64) -> Probability {
    Probability::new(x).unwrap()
}

/// The default scenario on a smaller generated network.
fn small(customers: usize, horizon: u32, seed: u64) -> Scenario {
    Scenario::default()
        .network(NetworkSpec::Generated(
            GeneratedNetwork::micro_communities(customers, 50, 10.0).unwrap(),
        ))
        .horizon(horizon)
        .seed(seed)
}

/// Rates with nothing happening on its own: no exposure, contact, conversion,
/// feedback or talk; every rule of the table fires for sure.
pub(crate) fn quiet_rates() -> Rates {
    Rates::default()
        .transitions(TransitionProbabilities::uniform(Probability::ONE))
        .advocate_talk(Probability::ZERO)
        .adversary_talk(Probability::ZERO)
        .programme_talk(Probability::ZERO)
        .conversion(Probability::ZERO)
        .referral_conversion(Probability::ZERO)
        .discount_conversion(Probability::ZERO)
        .contact(Probability::ZERO)
        .exposure(Probability::ZERO)
        .outrage_share(Probability::ZERO)
        .delight_share(Probability::ZERO)
        .notice_irrelevant(Probability::ZERO)
        .feedback(Probability::ZERO)
        .listen_capture(Probability::ZERO)
        .lapse_after(100)
}

/// Co-op ownership with perfect consistency: no experience is inconsistent.
fn consistent() -> OwnershipEffects {
    OwnershipEffects::default().co_op(InHouseEffects::co_op().consistency(Probability::ONE))
}

#[test]
fn word_of_mouth_on_a_tiny_network_follows_the_table_exactly() {
    // ann (advocate) -> bob (aware) trusted, ann -> cy (prospect) distrusted.
    let net = InfluenceNetwork::from_triples([("ann", "bob", 1.0), ("ann", "cy", -1.0)]).unwrap();
    let scenario = Scenario::default()
        .network(NetworkSpec::Explicit(net))
        .engagements(EngagementPlan::default())
        .ownership(Ownership::CoOp)
        .ownership_effects(consistent())
        .purchase_frequency(Probability::ZERO)
        .rates(
            quiet_rates()
                .advocate_talk(Probability::ONE)
                .referral_conversion(Probability::ONE),
        )
        .business(BusinessSpec::default().bad_experience(Probability::ZERO))
        .horizon(2)
        .audit(AuditOptions::customers(["bob", "cy"]));
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.apply("ann", Cause::Purchase).unwrap();
    sim.apply("ann", Cause::experience(ExperienceQuality::Delighted))
        .unwrap();
    sim.apply("bob", Cause::Exposure { channel: None }).unwrap();
    sim.apply("cy", Cause::Exposure { channel: None }).unwrap();
    sim.apply("cy", Cause::experience(ExperienceQuality::Delighted))
        .unwrap();
    assert_eq!(sim.customer("ann").unwrap().stage(), Stage::Advocate);
    assert_eq!(sim.customer("bob").unwrap().stage(), Stage::Aware);
    assert_eq!(sim.customer("cy").unwrap().stage(), Stage::Prospect);

    let week0 = sim.step().unwrap();
    // bob heard praise: aware -> prospect; as a prospect who heard praise he
    // bought (referral conversion 1): a referral sale credited to ann.
    assert_eq!(sim.customer("bob").unwrap().stage(), Stage::Customer);
    // cy distrusts ann: the praise arrived as criticism, prospect -> aware.
    assert_eq!(sim.customer("cy").unwrap().stage(), Stage::Aware);
    assert_eq!(week0.speakers, (1, 0));
    assert_eq!(week0.word_of_mouth, (1, 1));
    assert_eq!(week0.referral_sales, 1);
    assert_eq!(week0.purchases, 1);
    // The cash book: bob's sale and ann's purchase applied by hand, at 40,
    // each costing 16 (gross margin 0.6); the referral reward is a brand cost.
    assert_eq!(week0.value.of(ValueKind::Sale), Decimal::new(80, 0));
    assert_eq!(week0.value.of(ValueKind::CostOfSales), Decimal::new(-32, 0));
    assert_eq!(
        week0.value.of(ValueKind::ReferralReward),
        Decimal::new(-5, 0)
    );
    assert_eq!(
        week0
            .transitions
            .caused_by(Trigger::WordOfMouth(Valence::Positive)),
        1
    );
    assert_eq!(
        week0
            .transitions
            .caused_by(Trigger::WordOfMouth(Valence::Negative)),
        1
    );
    assert_eq!(week0.transitions.count(Stage::Prospect, Stage::Customer), 1);
    assert_eq!(week0.stages.customer, 1);
    assert_eq!(week0.stages.advocate, 1);
    assert_eq!(week0.stages.aware, 1);

    // The audit trail says why, with who spoke.
    let why_cy = sim.history("cy").unwrap();
    let last = why_cy.last().unwrap();
    assert_eq!(
        last.to_string(),
        "period 0: prospect -> aware (negative word of mouth from ann)"
    );
    let bob: Vec<String> = sim
        .history("bob")
        .unwrap()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        bob,
        [
            "period 0: unaware -> aware (exposure)",
            "period 0: aware -> prospect (positive word of mouth from ann)",
            "period 0: prospect -> customer (purchase)",
        ]
    );
    assert!(sim.history("ann").is_none(), "ann is not followed");
    let report = {
        sim.run_to_horizon().unwrap();
        sim.into_report().unwrap()
    };
    assert_eq!(report.audit.len(), 2);
    assert_eq!(report.audit[0].customer.as_str(), "bob");
}

#[test]
fn same_seed_same_report_whatever_the_number_of_threads() {
    // 20,000 customers: five blocks of 4,096, so blocks really run in parallel.
    let scenario = small(20_000, 6, 11).audit(AuditOptions::customers(["c5", "c19000"]));
    let reports: Vec<Report> = [1, 2, 8]
        .into_iter()
        .map(|threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| run(&scenario)).unwrap()
        })
        .collect();
    assert_eq!(reports[0], reports[1]);
    assert_eq!(reports[0], reports[2]);
    // And a different seed gives a different report.
    let other = run(&small(20_000, 6, 12)).unwrap();
    assert_ne!(other.periods, reports[0].periods);
}

#[test]
fn stepping_by_hand_gives_the_same_report_as_run() {
    let scenario = small(1_000, 5, 3);
    let mut sim = Simulation::new(&scenario).unwrap();
    let mut stepped = Vec::new();
    while !sim.is_done() {
        stepped.push(sim.step().unwrap());
    }
    assert_eq!(sim.period(), 5);
    let report = run(&scenario).unwrap();
    assert_eq!(report.periods, stepped);
    assert_eq!(sim.into_report().unwrap(), report);
}

/// Pinned values of one small scenario for one seed: the default scenario on
/// 600 customers (12 micro-communities of 50, about 10 ties each), 8 weeks,
/// seed 2024, and the attribution of its value over 2 runs. The numbers were
/// obtained by running this scenario once with the code of this commit and
/// printing the report; any change to the model, the random draws or the
/// defaults changes them and must be deliberate.
#[test]
fn pinned_report_of_a_small_scenario() {
    let scenario = small(600, 8, 2024);
    let settings = social_loop::propagation::MonteCarloSettings::new(2, 2024).unwrap();
    let report = Simulation::new(&scenario)
        .unwrap()
        .attribution(settings)
        .run()
        .unwrap();
    assert_eq!(report.population, 600);
    let counts = |period: usize| {
        let s = &report.periods[period].stages;
        [
            s.unaware,
            s.aware,
            s.prospect,
            s.customer,
            s.advocate,
            s.adversary,
            s.lapsed,
        ]
    };
    assert_eq!(counts(0), PINNED_STAGES_0);
    assert_eq!(counts(7), PINNED_STAGES_7);
    let cash = &report.totals.value;
    let accounts = Actor::ALL.map(|a| cash.for_actor(a).to_string());
    assert_eq!(accounts, PINNED_CASH);
    assert_eq!(
        report.totals.net_present_value.to_string(),
        PINNED_NET_PRESENT_VALUE
    );
    assert_eq!(report.totals.purchases, PINNED_PURCHASES);
    let runs: Vec<[String; 5]> = report
        .attribution
        .unwrap()
        .per_run
        .iter()
        .map(|r| [r.customer, r.brand, r.business, r.baseline, r.total].map(|d| d.to_string()))
        .collect();
    assert_eq!(runs, PINNED_ATTRIBUTION);
}

// unaware, aware, prospect, customer, advocate, adversary, lapsed
const PINNED_STAGES_0: [u64; 7] = [363, 95, 60, 62, 8, 8, 4];
const PINNED_STAGES_7: [u64; 7] = [340, 99, 61, 79, 7, 11, 3];
// customer account (sales less their cost), brand, business (no change is
// commissioned in 8 weeks on 600 customers).
const PINNED_CASH: [&str; 3] = ["2000.00", "-12600", "0"];
const PINNED_NET_PRESENT_VALUE: &str = "-10530.898146";
const PINNED_PURCHASES: u64 = 87;
// customer, brand, business, baseline, total; runs 0 and 1.
const PINNED_ATTRIBUTION: [[&str; 5]; 2] = [
    [
        "7.912503",
        "-12232.387160",
        "0",
        "1693.576511",
        "-10530.898146",
    ],
    ["0", "-12264.037174", "0", "1622.758479", "-10641.278695"],
];

#[test]
fn ledger_totals_are_the_sums_of_its_entries() {
    let report = run(&small(2_000, 10, 5)).unwrap();
    let entries = report.ledger.entries();
    assert!(!entries.is_empty());
    for actor in Actor::ALL {
        let sum: Decimal = entries
            .iter()
            .filter(|e| e.actor() == actor)
            .map(|e| e.amount)
            .sum();
        assert_eq!(sum, report.totals.value.for_actor(actor), "{actor}");
        for period in &report.periods {
            let in_period: Decimal = entries
                .iter()
                .filter(|e| e.actor() == actor && e.period == period.period)
                .map(|e| e.amount)
                .sum();
            assert_eq!(in_period, period.value.for_actor(actor));
        }
    }
    let net: Decimal = entries.iter().map(|e| e.amount).sum();
    assert_eq!(net, report.totals.value.net());
}

#[test]
fn the_co_op_beats_silos_on_advocacy_through_its_levers() {
    // Same seeds, same network and customers: only the ownership differs.
    for seed in 1..=3 {
        let base = small(2_000, 26, seed);
        let siloed = run(&base.clone().ownership(Ownership::Siloed)).unwrap();
        let co_op = run(&base.clone().ownership(Ownership::CoOp)).unwrap();
        let advocates = |r: &Report| r.last().unwrap().stages.advocate;
        assert!(advocates(&co_op) > advocates(&siloed), "seed {seed}");
        // With the co-op's levers set to the siloed values, the advantage is gone:
        // it comes from the levers, not from the name of the model.
        let as_silos = base
            .clone()
            .ownership(Ownership::CoOp)
            .ownership_effects(OwnershipEffects::default().co_op(InHouseEffects::siloed()));
        let same = run(&as_silos).unwrap();
        assert_eq!(same.periods, siloed.periods, "seed {seed}");
    }
}

#[test]
fn scenarios_round_trip_through_json_and_partial_json_gets_defaults() {
    let scenario = small(500, 3, 9);
    let json = serde_json::to_string(&scenario).unwrap();
    let back: Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(run(&back).unwrap(), run(&scenario).unwrap());
    let partial: Scenario = serde_json::from_str(r#"{"horizon": 4, "seed": 77}"#).unwrap();
    assert_eq!(partial.get_horizon(), 4);
    assert_eq!(partial.get_rates(), &Rates::default());
    let report = run(&small(300, 2, 1)).unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

#[test]
fn probabilities_outside_the_unit_interval_are_rejected_at_the_boundary() {
    let err = serde_json::from_str::<Scenario>(r#"{"rates": {"conversion": 1.5}}"#).unwrap_err();
    assert!(err.to_string().contains("probability"), "{err}");
    let err = serde_json::from_str::<Scenario>(r#"{"purchase_frequency": -0.1}"#).unwrap_err();
    assert!(err.to_string().contains("probability"), "{err}");
}

fn field_of(err: Error) -> String {
    match err {
        Error::InvalidParameter { field, .. } => field.to_string(),
        Error::InvalidProbability { field, .. } => field.to_string(),
        other => panic!("not a parameter error: {other:?}"),
    }
}

#[test]
fn invalid_scenarios_name_the_field() {
    let base = small(200, 2, 1);
    let population = |f: &dyn Fn(&mut Vec<ProfileShare>, &mut StageMix)| {
        let pop = base.get_population().clone();
        let mut profiles = pop.get_profiles().clone();
        let mut initial = pop.get_initial();
        f(&mut profiles, &mut initial);
        base.clone()
            .population(pop.profiles(profiles).initial(initial))
    };
    let plan_with = |e: Engagement| base.clone().engagements(EngagementPlan::new(vec![e]));
    let content = || Engagement::builder(EngagementKind::RelevantContent, Channel::Blog);
    let many = {
        let one = base.get_population().get_profiles()[0].clone();
        let mut all = vec![one; 2_000];
        for p in &mut all {
            p.profile.attention_every = 64;
        }
        all
    };
    let prices = Prices::default();
    let cases: Vec<(Scenario, &str)> = vec![
        (
            population(&|_, i| {
                *i = StageMix {
                    unaware: 0.5,
                    ..StageMix::all(Stage::Aware)
                }
            }),
            "population.initial",
        ),
        (
            population(&|_, i| i.aware = -0.1),
            "population.initial.aware",
        ),
        (population(&|p, _| p.clear()), "population.profiles"),
        (
            population(&|p, _| p[1].share = f64::NAN),
            "population.profiles[1].share",
        ),
        (
            population(&|p, _| p[0].profile.attention_every = 1_000),
            "population.profiles[0].profile.attention_every",
        ),
        (
            population(&|p, _| p[2].profile.attention_every = 0),
            "population.profiles[2].profile.attention_every",
        ),
        (population(&|p, _| *p = many.clone()), "population.profiles"),
        (
            base.clone().prices(prices.unit_price(Decimal::ZERO)),
            "prices.unit_price",
        ),
        (
            base.clone().prices(prices.discount(Decimal::new(15, 1))),
            "prices.discount",
        ),
        (
            base.clone()
                .prices(prices.gross_margin(Decimal::new(-1, 1))),
            "prices.gross_margin",
        ),
        (
            base.clone()
                .prices(prices.referral_reward(Decimal::new(-1, 0))),
            "prices.referral_reward",
        ),
        (
            base.clone()
                .prices(prices.annual_discount_rate(Decimal::new(-5, 2))),
            "prices.annual_discount_rate",
        ),
        (
            base.clone().rates(Rates::default().lapse_after(0)),
            "rates.lapse_after",
        ),
        (
            base.clone().ownership_effects(
                OwnershipEffects::default()
                    .siloed(InHouseEffects::siloed().coordination_overhead(Decimal::NEGATIVE_ONE)),
            ),
            "ownership_effects.siloed.coordination_overhead",
        ),
        (
            base.clone().ownership_effects(
                OwnershipEffects::default()
                    .agency(AgencyEffects::default().fee_per_week(Decimal::NEGATIVE_ONE)),
            ),
            "ownership_effects.agency.fee_per_week",
        ),
        (
            plan_with(
                content()
                    .target(Target::Segment("smbs".into()))
                    .build()
                    .unwrap(),
            ),
            "engagements[0].target.segment",
        ),
        (
            plan_with(content().topics(["how-to", "golf"]).build().unwrap()),
            "engagements[0].topics[1]",
        ),
        (
            base.clone()
                .seeds(Seeds::new().advocates(["c1", "c2", "c1"])),
            "seeds.advocates[2]",
        ),
        (
            base.clone()
                .seeds(Seeds::new().advocates(["c1"]).adversaries(["c1"])),
            "seeds.adversaries[0]",
        ),
        (
            base.clone()
                .network(NetworkSpec::Generated(GeneratedNetwork {
                    model: NetworkModel::MicroCommunities {
                        communities: 0,
                        size: 50,
                        friends_inside: 5.0,
                        friends_outside: 1.0,
                    },
                    ..GeneratedNetwork::default()
                })),
            "network.communities",
        ),
        (
            base.clone()
                .network(NetworkSpec::Generated(GeneratedNetwork {
                    model: NetworkModel::MicroCommunities {
                        communities: 4,
                        size: 5,
                        friends_inside: 10.0,
                        friends_outside: 1.0,
                    },
                    ..GeneratedNetwork::default()
                })),
            "network.friends_inside",
        ),
        (
            base.clone()
                .network(NetworkSpec::Explicit(InfluenceNetwork::new())),
            "network.explicit",
        ),
        (base.clone().horizon(1_000_000), "horizon"),
    ];
    for (scenario, field) in cases {
        assert_eq!(field_of(Simulation::new(&scenario).unwrap_err()), field);
        // The same check reads a file: the JSON path names the field.
        let json = serde_json::to_string(&scenario).unwrap();
        let err = Scenario::from_json(&json).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    }
    let s = base.clone().audit(AuditOptions::customers(["nobody"]));
    assert!(
        matches!(Simulation::new(&s), Err(Error::UnknownCustomer(id)) if id.as_str() == "nobody")
    );
    let s = base.clone().seeds(Seeds::new().adversaries(["ghost"]));
    assert!(
        matches!(Simulation::new(&s), Err(Error::UnknownCustomer(id)) if id.as_str() == "ghost")
    );
    assert!(matches!(
        GeneratedNetwork::micro_communities(100, 1, 5.0),
        Err(Error::InvalidParameter { field, .. }) if field == "network.size"
    ));
}

#[test]
fn an_engagement_aimed_at_an_unknown_customer_is_an_error() {
    let plan = EngagementPlan::new(vec![
        Engagement::builder(EngagementKind::Conversation, Channel::Email)
            .target(Target::Customer("ghost".into()))
            .build()
            .unwrap(),
    ]);
    let s = small(200, 2, 1).engagements(plan);
    assert!(
        matches!(Simulation::new(&s), Err(Error::UnknownCustomer(id)) if id.as_str() == "ghost")
    );
}

/// The three ownership models, the agency handing over in period 2.
pub(crate) const OWNERSHIPS: [Ownership; 3] = [
    Ownership::Siloed,
    Ownership::CoOp,
    Ownership::Agency {
        hand_over_period: Some(2),
    },
];

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        (10usize..300, 2usize..40, 0.0f64..6.0),
        prop::array::uniform7(0.0f64..1.0),
        prop::array::uniform8(0.0f64..=1.0),
        (0u32..6, any::<u64>(), 0usize..3, 1u32..6),
    )
        .prop_map(
            |((n, size, degree), mix, r, (horizon, seed, model, lapse))| {
                let size = size.min(n);
                let degree = degree.min(size as f64 - 1.0).max(0.0);
                let total: f64 = mix.iter().sum::<f64>().max(1e-9);
                let initial = StageMix {
                    unaware: mix[0] / total,
                    aware: mix[1] / total,
                    prospect: mix[2] / total,
                    customer: mix[3] / total,
                    advocate: mix[4] / total,
                    adversary: mix[5] / total,
                    lapsed: 1.0 - mix[..6].iter().sum::<f64>() / total,
                };
                let ownership = OWNERSHIPS[model];
                let rates = Rates::default()
                    .advocate_talk(p(r[0]))
                    .adversary_talk(p(r[1]))
                    .conversion(p(r[2]))
                    .referral_conversion(p(r[3]))
                    .contact(p(r[4]))
                    .exposure(p(r[5]))
                    .feedback(p(r[6]))
                    .notice_irrelevant(p(r[7]))
                    .lapse_after(lapse);
                let size = size.max(2);
                let network = GeneratedNetwork::micro_communities(n, size, degree)
                    .or_else(|_| GeneratedNetwork::micro_communities(n, size, 0.0))
                    .unwrap();
                Scenario::default()
                    .network(NetworkSpec::Generated(network))
                    .population(PopulationSpec::default().initial(StageMix {
                        lapsed: initial.lapsed.max(0.0),
                        ..initial
                    }))
                    .ownership(ownership)
                    .rates(rates)
                    .horizon(horizon)
                    .seed(seed)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn customers_are_conserved_and_the_funnel_is_nested(scenario in arb_scenario()) {
        let report = run(&scenario).unwrap();
        prop_assert_eq!(report.periods.len() as u32, scenario.get_horizon());
        for period in &report.periods {
            prop_assert_eq!(period.stages.total(), report.population);
            let f = period.funnel;
            prop_assert_eq!(f.population, report.population);
            prop_assert!(f.awareness >= f.consideration);
            prop_assert!(f.consideration >= f.purchase);
            prop_assert!(f.purchase >= f.loyalty);
            prop_assert!(f.loyalty >= f.advocacy);
            prop_assert_eq!(f.advocacy, period.stages.advocate);
            prop_assert!((0.0..=1.0).contains(&period.bad_experience));
            prop_assert!(period.nps.respondents() <= report.population);
            let moved_out: u64 = period.transitions.moves().map(|m| m.count).sum();
            prop_assert_eq!(moved_out, period.transitions.total());
            prop_assert!(period.experiences.1 <= period.experiences.0);
            prop_assert!(period.feedback.1 <= period.feedback.0);
        }
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Scenario>();
    shareable::<Report>();
    shareable::<Simulation>();
    shareable::<social_loop::sim::PeriodReport>();
}
