//! Brand: engagements, the relevance model and ownership effects.

use proptest::prelude::*;
use social_loop::brand::{
    AgencyEffects, Department, Engagement, EngagementKind, EngagementPlan, InHouse, InHouseEffects,
    Ownership, OwnershipEffects, RelevanceModel, Schedule, Target,
};
use social_loop::customer::{Channel, Profile, Segment, Topic};
use social_loop::{CustomerId, Decimal, Error, Probability};

fn p(x: f64) -> Probability {
    Probability::new(x).unwrap()
}

/// Customer "ann": microblog user, cares about a and b, in segment smb, attentive
/// in even periods.
fn ann() -> (CustomerId, Profile) {
    (
        CustomerId::from("ann"),
        Profile {
            channels: vec![Channel::Microblog, Channel::Email],
            interests: vec![Topic::new("a"), Topic::new("b")],
            segment: Some(Segment::new("smb")),
            attention_every: 2,
            attention_offset: 0,
        },
    )
}

/// Factors chosen as binary fractions so that products are exact.
fn model() -> RelevanceModel {
    RelevanceModel::default()
        .off_topic(p(0.5))
        .off_time(p(0.25))
        .cross_channel(p(0.5))
        .targeting_miss(p(0.125))
}

fn content(topics: &[&str], channel: Channel, target: Target) -> Engagement {
    Engagement::builder(EngagementKind::RelevantContent, channel)
        .topics(topics.iter().copied())
        .target(target)
        .build()
        .unwrap()
}

#[test]
fn relevance_is_the_product_of_four_factors_exact_values() {
    let (id, profile) = ann();
    let m = model();
    // (topics, channel, target, period) -> expected
    let cases: Vec<(&[&str], Channel, Target, u32, f64)> = vec![
        // everything right
        (&["a", "b"], Channel::Microblog, Target::Everyone, 0, 1.0),
        // one topic in four: content 0.5 + 0.5 x 0.25 = 0.625
        (
            &["a", "c", "d", "e"],
            Channel::Microblog,
            Target::Everyone,
            0,
            0.625,
        ),
        // ... at the wrong time: x 0.25
        (
            &["a", "c", "d", "e"],
            Channel::Microblog,
            Target::Everyone,
            1,
            0.15625,
        ),
        // ... in a channel she does not use: x 0.5
        (
            &["a", "c", "d", "e"],
            Channel::Video,
            Target::Everyone,
            1,
            0.078125,
        ),
        // ... aimed at another segment: x 0.125
        (
            &["a", "c", "d", "e"],
            Channel::Video,
            Target::Segment("enterprise".into()),
            1,
            0.009765625,
        ),
        // entirely off-topic: the floor
        (
            &["x"],
            Channel::Email,
            Target::Customer("ann".into()),
            4,
            0.5,
        ),
        // no topics: nothing to be off-topic
        (&[], Channel::Email, Target::Segment("smb".into()), 2, 1.0),
        // another customer targeted, right everything else
        (
            &["a"],
            Channel::Email,
            Target::Customer("bob".into()),
            2,
            0.125,
        ),
    ];
    for (topics, channel, target, period, expected) in cases {
        let e = content(topics, channel, target.clone());
        let r = m.relevance(&e, &id, &profile, period);
        assert_eq!(
            r.get(),
            expected,
            "topics {topics:?} channel {channel:?} target {target:?} period {period}"
        );
        assert_eq!(m.factors(&e, &id, &profile, period).product(), r);
    }
}

#[test]
fn relevance_factors_are_reported_one_by_one() {
    let (id, profile) = ann();
    let e = content(&["a", "z"], Channel::Video, Target::Everyone);
    let f = model().factors(&e, &id, &profile, 3);
    assert_eq!(f.content.get(), 0.75);
    assert_eq!(f.time.get(), 0.25);
    assert_eq!(f.channel.get(), 0.5);
    assert_eq!(f.customer.get(), 1.0);
}

#[test]
fn default_model_one_wrong_factor_sinks_relevance() {
    let (id, profile) = ann();
    // Default targeting miss is 0: perfect content to the wrong customer is worthless.
    let e = content(
        &["a", "b"],
        Channel::Microblog,
        Target::Customer("bob".into()),
    );
    assert_eq!(
        RelevanceModel::default().relevance(&e, &id, &profile, 0),
        Probability::ZERO
    );
    // Default off-topic floor 0.1, off-time 0.2, cross-channel 0.1.
    let e = content(&["q"], Channel::Video, Target::Everyone);
    let r = RelevanceModel::default()
        .relevance(&e, &id, &profile, 1)
        .get();
    assert!((r - 0.1 * 0.2 * 0.1).abs() < 1e-15, "{r}");
}

#[test]
fn relevance_model_serde_round_trip_and_validation() {
    let json = serde_json::to_string(&model()).unwrap();
    assert_eq!(
        serde_json::from_str::<RelevanceModel>(&json).unwrap(),
        model()
    );
    // Missing fields take the defaults.
    assert_eq!(
        serde_json::from_str::<RelevanceModel>("{}").unwrap(),
        RelevanceModel::default()
    );
    let err = serde_json::from_str::<RelevanceModel>(r#"{"off_time": 1.5}"#).unwrap_err();
    assert!(err.to_string().contains("not a probability"), "{err}");
}

#[test]
fn engagement_builder_and_serde_validate_the_cost() {
    let e = Engagement::builder(EngagementKind::ServiceRecovery, Channel::Phone)
        .topics(["billing"])
        .target(Target::Customer("ann".into()))
        .schedule(Schedule::every(2, 4).unwrap().until(10).unwrap())
        .cost(Decimal::new(1250, 2))
        .owner(Department::CustomerService)
        .build()
        .unwrap();
    assert_eq!(e.kind(), EngagementKind::ServiceRecovery);
    assert_eq!(e.channel(), Channel::Phone);
    assert_eq!(e.owner(), Department::CustomerService);
    assert_eq!(e.cost(), Decimal::new(1250, 2));
    let active: Vec<u32> = (0..20).filter(|&t| e.is_active(t)).collect();
    assert_eq!(active, vec![2, 6, 10]);

    let json = serde_json::to_string(&e).unwrap();
    assert!(json.contains(r#""cost":"12.50""#), "{json}");
    assert_eq!(serde_json::from_str::<Engagement>(&json).unwrap(), e);

    let bad = json.replace(r#""cost":"12.50""#, r#""cost":"-1""#);
    let err = serde_json::from_str::<Engagement>(&bad).unwrap_err();
    assert!(err.to_string().contains("engagement.cost"), "{err}");

    let bad = json.replace(r#""every":4"#, r#""every":0"#);
    let err = serde_json::from_str::<Engagement>(&bad).unwrap_err();
    assert!(err.to_string().contains("schedule.every"), "{err}");

    let err = Engagement::builder(EngagementKind::Discount, Channel::Email)
        .cost(Decimal::NEGATIVE_ONE)
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        Error::invalid("engagement.cost", "-1 is negative; a cost must be >= 0")
    );
}

#[test]
fn engagement_kind_intent() {
    use EngagementKind::*;
    let feeds: Vec<_> = EngagementKind::ALL
        .into_iter()
        .filter(|k| k.feeds_backlog())
        .collect();
    assert_eq!(feeds, vec![Listen]);
    assert!(!Listen.touches_customers());
    assert!(Discount.lowers_price());
    let win_back: Vec<_> = EngagementKind::ALL
        .into_iter()
        .filter(|k| k.wins_back())
        .collect();
    assert_eq!(win_back, vec![Conversation, ServiceRecovery]);
    assert!(AdvocacyProgramme.builds_advocacy() && !RelevantContent.builds_advocacy());
    assert!(!Department::Agency.is_in_house() && Department::Sales.is_in_house());
}

#[test]
fn plan_lists_the_engagements_active_in_a_period() {
    let listen = Engagement::builder(EngagementKind::Listen, Channel::Microblog)
        .schedule(Schedule::every(0, 1).unwrap())
        .cost(Decimal::ONE)
        .build()
        .unwrap();
    let promo = Engagement::builder(EngagementKind::Discount, Channel::Email)
        .schedule(Schedule::every(1, 2).unwrap().until(5).unwrap())
        .cost(Decimal::TEN)
        .build()
        .unwrap();
    let plan: EngagementPlan = [listen.clone(), promo.clone()].into_iter().collect();
    let kinds = |t| plan.active_in(t).map(|e| e.kind()).collect::<Vec<_>>();
    assert_eq!(kinds(0), vec![EngagementKind::Listen]);
    assert_eq!(
        kinds(3),
        vec![EngagementKind::Listen, EngagementKind::Discount]
    );
    assert_eq!(kinds(7), vec![EngagementKind::Listen]);
    assert_eq!(plan.cost_in(5).unwrap(), Decimal::new(11, 0));
    let json = serde_json::to_string(&plan).unwrap();
    assert_eq!(serde_json::from_str::<EngagementPlan>(&json).unwrap(), plan);

    let huge = Engagement::builder(EngagementKind::Discount, Channel::Email)
        .cost(Decimal::MAX)
        .build()
        .unwrap();
    let plan = EngagementPlan::default().with(huge.clone()).with(huge);
    assert!(matches!(plan.cost_in(0), Err(Error::Overflow { .. })));
}

/// Agency parameters chosen as binary fractions: relevance 1, 0.75, 0.625, ...
fn agency_effects(hand_over_to: InHouse, ramp: u32) -> OwnershipEffects {
    OwnershipEffects::default()
        .siloed(
            InHouseEffects::siloed()
                .consistency(p(0.5))
                .feedback_reach(p(0.25))
                .relevance_factor(p(0.875))
                .coordination_overhead(Decimal::ZERO),
        )
        .agency(
            AgencyEffects::default()
                .consistency(p(0.75))
                .feedback_reach(p(0.125))
                .initial_relevance(p(1.0))
                .relevance_floor(p(0.5))
                .relevance_decay(p(0.5))
                .coordination_overhead(Decimal::ZERO)
                .hand_over_ramp(ramp)
                .hand_over_to(hand_over_to),
        )
}

#[test]
fn agency_relevance_decays_then_recovers_after_hand_over() {
    let effects = agency_effects(InHouse::Siloed, 2);
    let forever = Ownership::Agency {
        hand_over_period: None,
    };
    let r = |o: Ownership, t| o.relevance_factor(&effects, t).get();
    assert_eq!(r(forever, 0), 1.0);
    assert_eq!(r(forever, 1), 0.75);
    assert_eq!(r(forever, 2), 0.625);
    assert_eq!(r(forever, 3), 0.5625);
    assert!((r(forever, 200) - 0.5).abs() < 1e-12);

    let handed = Ownership::Agency {
        hand_over_period: Some(2),
    };
    assert_eq!(r(handed, 1), 0.75);
    // Hand-over period: still at the agency's level, the ramp starts.
    assert_eq!(r(handed, 2), 0.625);
    // Half way: (0.625 + 0.875) / 2.
    assert_eq!(r(handed, 3), 0.75);
    // Ramp done: the siloed in-house level, for good.
    assert_eq!(r(handed, 4), 0.875);
    assert_eq!(r(handed, 40), 0.875);
    // The other levers ramp the same way.
    assert_eq!(handed.consistency(&effects, 3).get(), 0.625);
    assert_eq!(handed.feedback_reach(&effects, 3).get(), 0.1875);
    assert_eq!(handed.feedback_reach(&effects, 1).get(), 0.125);
}

#[test]
fn hand_over_without_ramp_and_to_a_co_op() {
    let effects = agency_effects(InHouse::CoOp, 0);
    let handed = Ownership::Agency {
        hand_over_period: Some(3),
    };
    assert_eq!(
        handed.effects_in(&effects, 3),
        Ownership::CoOp.effects_in(&effects, 3)
    );
    assert_eq!(handed.relevance_factor(&effects, 2).get(), 0.625);
    // From the hand-over on, the in-house overhead applies.
    assert_eq!(
        handed.coordination_overhead(&effects, 3),
        effects.get_co_op().get_coordination_overhead()
    );
}

#[test]
fn documented_defaults_hold() {
    let e = OwnershipEffects::default();
    let at = |o: Ownership, t| o.effects_in(&e, t);
    let siloed = at(Ownership::Siloed, 0);
    let co_op = at(Ownership::CoOp, 0);
    assert_eq!(
        (siloed.consistency.get(), siloed.feedback_reach.get()),
        (0.6, 0.3)
    );
    assert_eq!(siloed.relevance_factor.get(), 0.85);
    assert_eq!(siloed.coordination_overhead, Decimal::ZERO);
    assert_eq!(
        (co_op.consistency.get(), co_op.feedback_reach.get()),
        (0.9, 0.8)
    );
    assert_eq!(co_op.relevance_factor.get(), 0.9);
    assert_eq!(co_op.coordination_overhead, Decimal::new(15, 2));
    let agency = Ownership::Agency {
        hand_over_period: None,
    };
    assert_eq!(at(agency, 0).relevance_factor.get(), 0.9);
    assert_eq!(at(agency, 0).feedback_reach.get(), 0.2);
    let expected_10 = 0.5 + 0.4 * 0.95f64.powi(10);
    assert!((at(agency, 10).relevance_factor.get() - expected_10).abs() < 1e-12);
    // Ownership is constant for in-house models.
    assert_eq!(at(Ownership::CoOp, 51), co_op);
}

#[test]
fn coordination_overhead_raises_engagement_cost() {
    let e = OwnershipEffects::default();
    let base = Decimal::new(100, 0);
    assert_eq!(
        Ownership::CoOp.engagement_cost(&e, base, 0).unwrap(),
        Decimal::new(115, 0)
    );
    assert_eq!(
        Ownership::Siloed.engagement_cost(&e, base, 0).unwrap(),
        base
    );
    let bad = e.co_op(e.get_co_op().coordination_overhead(Decimal::NEGATIVE_ONE));
    let err = Ownership::CoOp.engagement_cost(&bad, base, 0).unwrap_err();
    // A scenario refuses it before it runs, naming the field.
    assert_eq!(
        bad.validate().unwrap_err().field(),
        Some("ownership_effects.co_op.coordination_overhead")
    );
    assert!(
        matches!(err, Error::InvalidParameter { ref field, .. } if field == "coordination_overhead")
    );
    assert!(matches!(
        Ownership::CoOp.engagement_cost(&e, Decimal::MAX, 0),
        Err(Error::Overflow { .. })
    ));
}

#[test]
fn ownership_serde() {
    let o = Ownership::Agency {
        hand_over_period: Some(12),
    };
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(json, r#"{"model":"agency","hand_over_period":12}"#);
    assert_eq!(serde_json::from_str::<Ownership>(&json).unwrap(), o);
    assert_eq!(
        serde_json::from_str::<Ownership>(r#"{"model":"co_op"}"#).unwrap(),
        Ownership::CoOp
    );
    let effects = OwnershipEffects::default();
    let json = serde_json::to_string(&effects).unwrap();
    assert_eq!(
        serde_json::from_str::<OwnershipEffects>(&json).unwrap(),
        effects
    );
    let bad = json.replacen(
        r#""coordination_overhead":"0.15""#,
        r#""coordination_overhead":"-0.15""#,
        1,
    );
    assert_ne!(bad, json);
    let read = serde_json::from_str::<OwnershipEffects>(&bad).unwrap();
    assert_eq!(
        read.validate().unwrap_err().field(),
        Some("ownership_effects.co_op.coordination_overhead")
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Engagement>();
    check::<EngagementPlan>();
    check::<RelevanceModel>();
    check::<Ownership>();
    check::<OwnershipEffects>();
}

fn probability() -> impl Strategy<Value = Probability> {
    (0.0f64..=1.0).prop_map(|x| Probability::new(x).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn relevance_stays_in_the_unit_interval(
        off in (probability(), probability(), probability(), probability()),
        topics in proptest::collection::vec("[a-e]", 0..5),
        interests in proptest::collection::vec("[a-e]", 0..5),
        every in 0u32..5,
        offset in 0u32..5,
        period in 0u32..100,
    ) {
        let m = RelevanceModel::default().off_topic(off.0).off_time(off.1).cross_channel(off.2).targeting_miss(off.3);
        let profile = Profile {
            channels: vec![Channel::Blog],
            interests: interests.iter().map(Topic::new).collect(),
            segment: None,
            attention_every: every,
            attention_offset: offset,
        };
        let e = content(&topics.iter().map(String::as_str).collect::<Vec<_>>(), Channel::Blog, Target::Everyone);
        let id = CustomerId::from("x");
        let r = m.relevance(&e, &id, &profile, period).get();
        prop_assert!((0.0..=1.0).contains(&r));
        // A content factor never beats the fully on-topic one.
        let f = m.factors(&e, &id, &profile, period);
        prop_assert!(f.content.get() >= off.0.get() - 1e-12 && f.content.get() <= 1.0);
    }

    #[test]
    fn ownership_levers_stay_in_the_unit_interval(
        a in (probability(), probability(), probability(), probability(), probability()),
        ramp in 0u32..20,
        hand_over in proptest::option::of(0u32..60),
        period in 0u32..120,
        to_co_op in any::<bool>(),
    ) {
        let effects = OwnershipEffects::default().agency(AgencyEffects::default()
            .consistency(a.0)
            .feedback_reach(a.1)
            .initial_relevance(a.2)
            .relevance_floor(a.3)
            .relevance_decay(a.4)
            .coordination_overhead(Decimal::ZERO)
            .hand_over_ramp(ramp)
            .hand_over_to(if to_co_op { InHouse::CoOp } else { InHouse::Siloed }));
        let o = Ownership::Agency { hand_over_period: hand_over };
        let e = o.effects_in(&effects, period);
        for x in [e.consistency, e.feedback_reach, e.relevance_factor] {
            prop_assert!((0.0..=1.0).contains(&x.get()));
        }
        // Relevance lies between the agency's floor/initial and the in-house level.
        let lo = a.2.get().min(a.3.get()).min(0.85).min(0.9);
        let hi = a.2.get().max(a.3.get()).max(0.85).max(0.9);
        prop_assert!(e.relevance_factor.get() >= lo - 1e-12 && e.relevance_factor.get() <= hi + 1e-12);
    }
}
