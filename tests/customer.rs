//! The customer lifecycle: every row of the transition table, moves in both
//! directions, the audit trail, NPS and the invariants of any cause sequence.

use proptest::prelude::*;
use social_loop::customer::{
    AuditTrail, Cause, Condition, CustomerId, CustomerState, Experience, ExperienceQuality,
    Journey, LikelihoodToRecommend, NpsClass, NpsTally, RuleId, Sentiment, TRANSITIONS, Touchpoint,
    TransitionProbabilities, Trigger, Valence, next_stage, nps,
};
use social_loop::{Error, Stage};

/// A cause with the given trigger (any payload).
fn cause_of(trigger: Trigger) -> Cause {
    match trigger {
        Trigger::Exposure => Cause::Exposure { channel: None },
        Trigger::Experience(q) => Cause::Experience(Experience::new(q).at(Touchpoint::Product)),
        Trigger::WordOfMouth(valence) => Cause::WordOfMouth {
            valence,
            from: CustomerId::from("friend"),
        },
        Trigger::Engagement { relevant } => Cause::Engagement {
            relevant,
            channel: None,
        },
        Trigger::Purchase => Cause::Purchase,
        Trigger::Complaint => Cause::Complaint { touchpoint: None },
        Trigger::NoContact => Cause::NoContact { periods: 6 },
        Trigger::ServiceRecovery => Cause::ServiceRecovery,
        other => panic!("a trigger this test does not know: {other}"),
    }
}

/// The purchase histories a customer in `stage` can have.
fn histories(stage: Stage) -> &'static [bool] {
    if stage.has_bought() {
        &[true]
    } else {
        &[false, true]
    }
}

#[test]
fn every_row_of_the_table_moves_as_written() {
    for (index, rule) in TRANSITIONS.iter().enumerate() {
        for &ever in histories(rule.from) {
            if !rule.when.holds(ever) {
                continue;
            }
            let mut journey =
                Journey::from_state(CustomerState::new(rule.from).with_ever_bought(ever));
            let t = journey
                .apply(cause_of(rule.trigger), 7)
                .unwrap()
                .cloned()
                .unwrap_or_else(|| {
                    panic!("row {index} {rule:?} (ever bought {ever}) did not move")
                });
            assert_eq!(
                (t.from, t.to, t.period),
                (rule.from, rule.to, 7),
                "row {index}"
            );
            assert_eq!(t.rule().map(RuleId::index), Some(index), "row {index}");
            assert_eq!(journey.stage(), rule.to);
            assert_eq!(journey.state().why(), Some(t.as_move()));
            assert_eq!(
                next_stage(rule.from, &cause_of(rule.trigger), ever),
                Some(rule.to)
            );
        }
    }
}

#[test]
fn a_cause_without_a_row_moves_nobody() {
    let mut unmoved = 0;
    for stage in Stage::ALL {
        for trigger in Trigger::ALL {
            for &ever in histories(stage) {
                let has_row = TRANSITIONS
                    .iter()
                    .any(|r| r.from == stage && r.trigger == trigger && r.when.holds(ever));
                if has_row {
                    continue;
                }
                let mut state = CustomerState::new(stage).with_ever_bought(ever);
                assert_eq!(state.apply(cause_of(trigger), 1), None, "{stage} {trigger}");
                assert_eq!(state.stage(), stage);
                assert_eq!(state.why(), None);
                unmoved += 1;
            }
        }
    }
    // 7 stages x 13 triggers x histories, minus the rows that fire.
    assert!(unmoved > 60, "{unmoved}");
}

#[test]
fn conditional_rows_depend_on_purchase_history() {
    let conditional: Vec<_> = TRANSITIONS
        .iter()
        .filter(|r| r.when != Condition::Any)
        .collect();
    assert!(conditional.len() >= 4);
    for rule in conditional {
        let other = !rule.when.holds(true);
        let mut state = CustomerState::new(rule.from).with_ever_bought(other);
        let moved = state.apply(cause_of(rule.trigger), 0);
        assert_ne!(moved.map(|t| t.to), Some(rule.to), "{rule:?}");
    }
}

#[test]
fn customers_move_up_and_down_the_lifecycle() {
    let mut ann = Journey::new(Stage::Unaware);
    let steps = [
        (Cause::Exposure { channel: None }, Stage::Aware),
        (
            Cause::Engagement {
                relevant: true,
                channel: None,
            },
            Stage::Prospect,
        ),
        (Cause::Purchase, Stage::Customer),
        (
            Cause::experience(ExperienceQuality::Delighted),
            Stage::Advocate,
        ),
        // One minute they love the brand, the next they hate it.
        (
            Cause::experience(ExperienceQuality::Outraged),
            Stage::Adversary,
        ),
        (Cause::ServiceRecovery, Stage::Customer),
        (Cause::NoContact { periods: 12 }, Stage::Lapsed),
        (Cause::Purchase, Stage::Customer),
    ];
    for (period, (cause, expected)) in steps.into_iter().enumerate() {
        ann.apply(cause, period as u32).unwrap();
        assert_eq!(ann.stage(), expected, "step {period}");
    }
    assert_eq!(ann.history().len(), 8);

    // Negative word of mouth sends a prospect back; a never-buyer adversary is
    // won back as a prospect, not a customer.
    let mut bob = CustomerState::new(Stage::Prospect);
    let wom = Cause::WordOfMouth {
        valence: Valence::Negative,
        from: "cy".into(),
    };
    assert_eq!(bob.apply(wom, 1).map(|t| t.to), Some(Stage::Aware));
    let mut dee = CustomerState::new(Stage::Adversary);
    assert!(!dee.ever_bought());
    assert_eq!(
        dee.apply(Cause::ServiceRecovery, 2).map(|t| t.to),
        Some(Stage::Prospect)
    );
}

#[test]
fn the_audit_trail_explains_each_move_with_its_cause() {
    let mut journey = Journey::new(Stage::Aware);
    let praise = Cause::WordOfMouth {
        valence: Valence::Positive,
        from: "ann".into(),
    };
    journey.apply(praise.clone(), 2).unwrap();
    // A cause that moves nobody leaves no trace in the trail.
    journey.apply(Cause::ServiceRecovery, 3).unwrap();
    journey.apply(Cause::Purchase, 4).unwrap();
    let outrage = Experience::new(ExperienceQuality::Outraged).at(Touchpoint::CustomerService);
    journey.apply(Cause::Experience(outrage), 9).unwrap();

    let history = journey.history();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].cause, praise);
    assert_eq!(
        (history[0].from, history[0].to, history[0].period),
        (Stage::Aware, Stage::Prospect, 2)
    );
    let why = journey.why().unwrap();
    assert_eq!(why.cause, Cause::Experience(outrage));
    assert_eq!(
        why.to_string(),
        "period 9: customer -> adversary (outraged experience (customer_service))"
    );
    assert_eq!(
        history[0].to_string(),
        "period 2: aware -> prospect (positive word of mouth from ann)"
    );
    assert_eq!(why.rule().unwrap().name(), "customer+experience_outraged");

    // The trail survives serde, and a tampered trail is refused.
    let json = serde_json::to_string(&journey).unwrap();
    let back: Journey = serde_json::from_str(&json).unwrap();
    assert_eq!(back, journey);
    let tampered = json.replace("\"to\":\"prospect\"", "\"to\":\"customer\"");
    assert_ne!(tampered, json);
    assert!(serde_json::from_str::<Journey>(&tampered).is_err());
}

#[test]
fn a_draw_that_refuses_the_move_still_changes_the_mood() {
    let probs = TransitionProbabilities::default();
    let mut state = CustomerState::new(Stage::Customer);
    let before = state.sentiment().get();
    let outrage = Cause::experience(ExperienceQuality::Outraged);
    let mut asked = None;
    let moved = state.apply_if(outrage, 1, |rule| {
        asked = Some(rule);
        0.99 < probs.get(rule).get()
    });
    assert_eq!(moved, None);
    assert_eq!(state.stage(), Stage::Customer);
    assert_eq!(asked.unwrap().name(), "customer+experience_outraged");
    assert!((state.sentiment().get() - (before - 0.6)).abs() < 1e-6);
}

#[test]
fn stage_pins_the_nps_class() {
    let mut state =
        CustomerState::new(Stage::Customer).with_sentiment(Sentiment::new(-1.0).unwrap());
    assert_eq!(state.nps_class(), NpsClass::Detractor);
    state.apply(Cause::experience(ExperienceQuality::Delighted), 1);
    assert_eq!(state.stage(), Stage::Advocate);
    assert_eq!(state.nps_class(), NpsClass::Promoter);
    state.apply(Cause::experience(ExperienceQuality::Outraged), 2);
    assert_eq!(state.stage(), Stage::Adversary);
    assert_eq!(state.nps_class(), NpsClass::Detractor);
    // Praise does not lift an adversary above the detractor band.
    for period in 3..10 {
        state.apply(
            Cause::WordOfMouth {
                valence: Valence::Positive,
                from: "x".into(),
            },
            period,
        );
    }
    assert_eq!(state.nps_class(), NpsClass::Detractor);
}

#[test]
fn nps_of_fifty_thirty_twenty_is_plus_thirty() {
    let ltr = |s| LikelihoodToRecommend::new(s).unwrap();
    let answers: Vec<_> = (0..100)
        .map(|i| match i {
            0..50 => ltr(9 + (i % 2) as u8),
            50..80 => ltr(7 + (i % 2) as u8),
            _ => ltr((i % 7) as u8),
        })
        .collect();
    assert_eq!(nps(answers.iter().copied()), Some(30.0));
    // Merging two halves gives the same tally.
    let mut left: NpsTally = answers[..37].iter().copied().collect();
    let right: NpsTally = answers[37..].iter().copied().collect();
    left.merge(&right);
    assert_eq!(
        (left.promoters, left.passives, left.detractors),
        (50, 30, 20)
    );
    assert_eq!(left.score(), Some(30.0));
}

#[test]
fn invalid_inputs_are_typed_errors() {
    let field_of = |e: Error| match e {
        Error::InvalidParameter { field, .. } => field,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        field_of(LikelihoodToRecommend::new(11).unwrap_err()),
        "likelihood_to_recommend"
    );
    assert_eq!(field_of(Sentiment::new(1.5).unwrap_err()), "sentiment");
    assert_eq!(
        field_of(ExperienceQuality::from_score(f64::NAN).unwrap_err()),
        "experience.score"
    );

    let mut journey = Journey::new(Stage::Prospect);
    journey.apply(Cause::Purchase, 5).unwrap();
    let before = journey.clone();
    let late = journey.apply(Cause::experience(ExperienceQuality::Delighted), 4);
    assert_eq!(field_of(late.unwrap_err()), "transition.period");
    assert_eq!(journey, before, "a refused cause changes nothing");

    let mut trail = AuditTrail::new();
    let mut state = CustomerState::new(Stage::Prospect);
    let first = state.apply(Cause::Purchase, 1).unwrap();
    trail.record(first.clone()).unwrap();
    assert_eq!(
        field_of(trail.record(first.clone()).unwrap_err()),
        "transition.from"
    );
    let mut back_in_time = state
        .apply(Cause::experience(ExperienceQuality::Delighted), 0)
        .unwrap();
    assert_eq!(
        field_of(trail.record(back_in_time.clone()).unwrap_err()),
        "transition.period"
    );
    back_in_time.period = 1;
    trail.record(back_in_time).unwrap();
    assert_eq!(trail.len(), 2);

    let probs = serde_json::from_str::<TransitionProbabilities>(r#"{"lapsed+teleport": 0.5}"#);
    assert!(probs.unwrap_err().to_string().contains("lapsed+teleport"));

    // A serialised state must keep its invariants.
    for bad in [
        r#"{"stage":"advocate","ever_bought":true,"sentiment":0.0}"#,
        r#"{"stage":"customer","ever_bought":false,"sentiment":0.0}"#,
        r#"{"stage":"customer","ever_bought":true,"sentiment":0.0,
            "last_move":{"from":"prospect","to":"advocate","period":1,"trigger":"purchase"}}"#,
        r#"{"stage":"customer","ever_bought":true,"sentiment":2.0}"#,
    ] {
        assert!(serde_json::from_str::<CustomerState>(bad).is_err(), "{bad}");
    }
    let good = r#"{"stage":"customer","ever_bought":true,"sentiment":0.25}"#;
    assert_eq!(
        serde_json::from_str::<CustomerState>(good).unwrap(),
        CustomerState::new(Stage::Customer).with_sentiment(Sentiment::new(0.25).unwrap())
    );
}

fn any_cause() -> impl Strategy<Value = Cause> {
    let quality = prop::sample::select(ExperienceQuality::ALL.to_vec());
    let touchpoint = prop::option::of(prop::sample::select(vec![
        Touchpoint::Product,
        Touchpoint::Sales,
        Touchpoint::CustomerService,
        Touchpoint::Agency,
    ]));
    prop_oneof![
        Just(Cause::Exposure { channel: None }),
        (quality, touchpoint).prop_map(|(quality, touchpoint)| Cause::Experience(Experience {
            quality,
            touchpoint
        })),
        (any::<bool>(), 0..5u8).prop_map(|(positive, who)| Cause::WordOfMouth {
            valence: if positive {
                Valence::Positive
            } else {
                Valence::Negative
            },
            from: CustomerId::new(format!("c{who}")),
        }),
        any::<bool>().prop_map(|relevant| Cause::Engagement {
            relevant,
            channel: None
        }),
        Just(Cause::Purchase),
        Just(Cause::Complaint { touchpoint: None }),
        (1..20u32).prop_map(|periods| Cause::NoContact { periods }),
        Just(Cause::ServiceRecovery),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_cause_sequence_keeps_a_valid_state_and_a_consistent_history(
        start in prop::sample::select(Stage::ALL.to_vec()),
        steps in prop::collection::vec((any_cause(), any::<bool>(), 0..3u32), 0..60),
    ) {
        let mut journey = Journey::new(start);
        let mut lean = CustomerState::new(start);
        let mut period = 0u32;
        for (cause, fire, gap) in steps {
            period += gap;
            let state = *journey.state();
            let predicted = next_stage(state.stage(), &cause, state.ever_bought()
                || cause == Cause::Purchase);
            let made = journey.apply_if(cause.clone(), period, |_| fire).unwrap().cloned();
            let lean_made = lean.apply_trigger(cause.trigger(), period, |_| fire);
            prop_assert_eq!(made.as_ref().map(|t| t.as_move()), lean_made);
            prop_assert_eq!(journey.state(), &lean);
            match made {
                Some(t) => {
                    prop_assert!(fire);
                    prop_assert_eq!(Some(t.to), predicted);
                    prop_assert_eq!(t.from, state.stage());
                    prop_assert_eq!(t.cause, cause);
                }
                None => prop_assert!(!fire || predicted.is_none()),
            }
            let now = journey.state();
            prop_assert!(Stage::ALL.contains(&now.stage()));
            prop_assert_eq!(now.sentiment().within_stage(now.stage()), now.sentiment());
            prop_assert!((-1.0..=1.0).contains(&now.sentiment().get()));
            prop_assert!(!now.stage().has_bought() || now.ever_bought());
        }
        let history = journey.history();
        if let Some(first) = history.first() {
            prop_assert_eq!(first.from, start);
        }
        for pair in history.windows(2) {
            prop_assert_eq!(pair[0].to, pair[1].from);
            prop_assert!(pair[0].period <= pair[1].period);
        }
        for t in history {
            prop_assert!(t.rule().is_some());
        }
        prop_assert_eq!(history.last().map(|t| t.to).unwrap_or(start), journey.stage());
        prop_assert_eq!(journey.why().map(|t| t.as_move()), journey.state().why());
        let json = serde_json::to_string(&journey).unwrap();
        prop_assert_eq!(serde_json::from_str::<Journey>(&json).unwrap(), journey);
    }
}
