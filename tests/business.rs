//! Business: changes, the feedback backlog, the change policy and the change log.

use proptest::prelude::*;
use social_loop::business::{
    Business, Change, ChangeKind, ChangeLog, ChangePolicy, FeedbackBacklog, FeedbackItem,
    FeedbackKind, FeedbackSource,
};
use social_loop::customer::Topic;
use social_loop::{Decimal, Error, Probability};

fn change(start: u32, lag: u32, reduction: f64) -> Change {
    Change::builder(ChangeKind::ProductInnovation)
        .start(start)
        .lag(lag)
        .cost(Decimal::new(100, 0))
        .bad_experience_reduction(reduction)
        .build()
        .unwrap()
}

fn complaint() -> FeedbackItem {
    FeedbackItem::new(FeedbackKind::Complaint, FeedbackSource::Customer)
}

#[test]
fn policy_triggers_exactly_at_the_threshold() {
    let policy = ChangePolicy::new(5, change(0, 2, 0.5)).unwrap();
    let mut backlog = FeedbackBacklog::new();
    backlog.add_many(&complaint(), 4);
    assert!(policy.review(&mut backlog, 0).is_empty());
    assert_eq!(
        backlog.len(),
        4,
        "a review below the threshold drains nothing"
    );
    backlog.add(&complaint());
    let changes = policy.review(&mut backlog, 1);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].start(), 1);
    assert_eq!(changes[0].kind(), ChangeKind::ProductInnovation);
    assert_eq!(backlog.len(), 0);
    // The next item does not trigger again.
    backlog.add(&complaint());
    assert!(policy.review(&mut backlog, 2).is_empty());
    assert_eq!(backlog.received(), 6);
}

#[test]
fn policy_commissions_at_most_max_per_review() {
    let mut backlog = FeedbackBacklog::new();
    backlog.add_many(&complaint(), 11);
    let one = ChangePolicy::new(5, change(0, 0, 0.1)).unwrap();
    assert_eq!(one.review(&mut backlog.clone(), 0).len(), 1);
    let two = one.clone().max_per_review(2).unwrap();
    let mut b = backlog.clone();
    assert_eq!(two.review(&mut b, 0).len(), 2);
    assert_eq!(b.len(), 1);
    let three = one.max_per_review(3).unwrap();
    let mut b = backlog;
    assert_eq!(
        three.review(&mut b, 0).len(),
        2,
        "only two thresholds' worth waiting"
    );
    assert_eq!(b.len(), 1);
}

#[test]
fn default_policy_is_documented() {
    let policy = ChangePolicy::default();
    assert_eq!(policy.threshold(), 1_000);
    assert_eq!(policy.max_changes_per_review(), 1);
    let c = policy.commission();
    assert_eq!(c.kind(), ChangeKind::ProductInnovation);
    assert_eq!(c.cost(), Decimal::new(5_000, 0));
    assert_eq!(c.lag(), 8);
    assert_eq!(c.bad_experience_reduction().get(), 0.1);
    let json = serde_json::to_string(&policy).unwrap();
    assert_eq!(serde_json::from_str::<ChangePolicy>(&json).unwrap(), policy);
    // One default: the scenario's business uses the policy's own (there used
    // to be two, 50 / 20,000 and 1,000 / 5,000, behind a silent fallback).
    assert_eq!(
        social_loop::sim::BusinessSpec::default().get_policy(),
        &policy
    );
}

#[test]
fn change_lag_is_respected() {
    let c = change(3, 4, 0.5);
    let in_effect: Vec<u32> = (0..10).filter(|&t| c.in_effect(t)).collect();
    assert_eq!(in_effect, vec![7, 8, 9]);
    assert_eq!(c.effective_from(), Some(7));
    // No lag: in effect from the start period.
    assert!(change(3, 0, 0.5).in_effect(3) && !change(3, 0, 0.5).in_effect(2));
    // A lag past the end of time: never.
    let never = change(u32::MAX, 1, 0.5);
    assert_eq!(never.effective_from(), None);
    assert!(!never.in_effect(u32::MAX));
}

#[test]
fn change_log_combines_effects_multiplicatively() {
    let log: ChangeLog = [change(0, 2, 0.5), change(1, 3, 0.5), change(2, 0, 0.25)]
        .into_iter()
        .collect();
    let base = Probability::new(0.5).unwrap();
    let quality = |t| log.experience_quality(base, t).get();
    assert_eq!(quality(0), 0.5);
    assert_eq!(quality(1), 0.5);
    // Period 2: first (0.5) and third (0.25) changes: bad 0.5 x 0.5 x 0.75.
    assert_eq!(log.bad_experience_factor(2).get(), 0.375);
    assert_eq!(quality(2), 1.0 - 0.5 * 0.375);
    // Period 4: all three.
    assert_eq!(log.bad_experience_factor(4).get(), 0.1875);
    assert_eq!(
        log.bad_experience_probability(base.complement(), 4).get(),
        0.09375
    );
    assert_eq!(log.in_effect(3).count(), 2);
    assert_eq!(log.in_effect(4).count(), 3);
}

#[test]
fn change_log_books_costs_in_the_commissioning_period() {
    let mut log = ChangeLog::new();
    log.push(change(2, 5, 0.1));
    log.extend([change(2, 1, 0.1), change(3, 0, 0.1)]);
    assert_eq!(log.cost_in(2).unwrap(), Decimal::new(200, 0));
    assert_eq!(log.cost_in(3).unwrap(), Decimal::new(100, 0));
    assert_eq!(log.cost_in(7).unwrap(), Decimal::ZERO);
    assert_eq!(log.commissioned_in(2).count(), 2);
    let huge = Change::builder(ChangeKind::Policy)
        .cost(Decimal::MAX)
        .build()
        .unwrap();
    let log: ChangeLog = [huge.clone(), huge].into_iter().collect();
    assert!(matches!(log.cost_in(0), Err(Error::Overflow { .. })));
    let json = serde_json::to_string(&log).unwrap();
    assert_eq!(serde_json::from_str::<ChangeLog>(&json).unwrap(), log);
}

#[test]
fn backlog_counts_and_drains_oldest_first() {
    let mut backlog = FeedbackBacklog::new();
    let delivery = complaint().about("delivery");
    let idea = FeedbackItem::new(FeedbackKind::Suggestion, FeedbackSource::Listening).about("app");
    backlog.add_many(&delivery, 3);
    backlog.add_many(&idea, 2);
    backlog.add(&complaint());
    backlog.add_many(&delivery, 0);
    assert_eq!(backlog.len(), 6);
    assert_eq!(backlog.count_kind(FeedbackKind::Complaint), 4);
    assert_eq!(backlog.count_source(FeedbackSource::Listening), 2);
    assert_eq!(backlog.count_topic(&Topic::new("delivery")), 3);
    assert_eq!(
        backlog.topics().collect::<Vec<_>>(),
        vec![(&Topic::new("app"), 2), (&Topic::new("delivery"), 3)]
    );
    // Drain 4: the three delivery complaints and one app idea.
    assert_eq!(backlog.drain(4), 4);
    assert_eq!(backlog.count_topic(&Topic::new("delivery")), 0);
    assert_eq!(backlog.count_topic(&Topic::new("app")), 1);
    assert_eq!(backlog.count_kind(FeedbackKind::Complaint), 1);
    // Round trip keeps the queue and rebuilds the counts.
    let json = serde_json::to_string(&backlog).unwrap();
    let back: FeedbackBacklog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, backlog);
    // Draining more than is waiting drains what there is.
    assert_eq!(backlog.drain(10), 2);
    assert!(backlog.is_empty());
    assert_eq!(backlog.received(), 6);
    assert_eq!(backlog.count_source(FeedbackSource::Customer), 0);
}

#[test]
fn bad_inputs_name_the_field() {
    let err = Change::builder(ChangeKind::Process)
        .cost(Decimal::new(-5, 0))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref field, .. } if field == "change.cost"));
    for bad in [1.5, -0.1, f64::NAN] {
        let err = Change::builder(ChangeKind::Process)
            .bad_experience_reduction(bad)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidProbability { ref field, .. } if field == "change.bad_experience_reduction"),
            "{bad}"
        );
    }
    let err = ChangePolicy::new(0, change(0, 0, 0.1)).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { ref field, .. } if field == "change_policy.threshold")
    );
    let err = ChangePolicy::default().max_per_review(0).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { ref field, .. } if field == "change_policy.max_per_review")
    );
    // The same checks guard deserialisation.
    let err = serde_json::from_str::<Change>(
        r#"{"kind":"policy","cost":"1","bad_experience_reduction":2.0}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("change.bad_experience_reduction"),
        "{err}"
    );
    let err = serde_json::from_str::<Change>(
        r#"{"kind":"policy","cost":"-1","bad_experience_reduction":0.5}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("change.cost"), "{err}");
    let err = serde_json::from_str::<ChangePolicy>(
        r#"{"threshold":0,"commission":{"kind":"policy","cost":"1","bad_experience_reduction":0.5}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("change_policy.threshold"), "{err}");
}

#[test]
fn business_closes_the_feedback_loop() {
    let scheduled = Change::builder(ChangeKind::Behaviour)
        .start(0)
        .lag(1)
        .cost(Decimal::new(7, 0))
        .bad_experience_reduction(0.5)
        .build()
        .unwrap();
    let policy = ChangePolicy::new(2, change(0, 3, 0.5)).unwrap();
    let mut business = Business::new(Some(policy));
    business.schedule(scheduled);
    business.receive(&complaint(), 1);
    assert!(business.review(0).is_empty());
    business.receive(&complaint(), 1);
    let new = business.review(1);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].start(), 1);
    assert_eq!(business.cost_in(0).unwrap(), Decimal::new(7, 0));
    assert_eq!(business.cost_in(1).unwrap(), Decimal::new(100, 0));
    let base = Probability::new(0.0).unwrap();
    let quality = |b: &Business, t| b.experience_quality(base, t).get();
    assert_eq!(quality(&business, 0), 0.0);
    assert_eq!(quality(&business, 1), 0.5);
    assert_eq!(quality(&business, 4), 0.75);
    let json = serde_json::to_string(&business).unwrap();
    assert_eq!(serde_json::from_str::<Business>(&json).unwrap(), business);

    // Without a policy, feedback piles up and nothing changes.
    let mut deaf = Business::new(None);
    deaf.receive(&complaint(), 1_000);
    assert!(deaf.review(0).is_empty());
    assert_eq!(deaf.backlog.len(), 1_000);
    assert_eq!(quality(&deaf, 100), 0.0);
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Business>();
    check::<Change>();
    check::<ChangeLog>();
    check::<ChangePolicy>();
    check::<FeedbackBacklog>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn quality_never_leaves_the_unit_interval_and_never_falls(
        changes in proptest::collection::vec((0u32..30, 0u32..10, 0.0f64..=1.0), 0..40),
        base in 0.0f64..=1.0,
    ) {
        let log: ChangeLog = changes.iter().map(|&(s, l, r)| change(s, l, r)).collect();
        let base = Probability::new(base).unwrap();
        let mut previous = base.get();
        for t in 0..45 {
            let q = log.experience_quality(base, t).get();
            prop_assert!((0.0..=1.0).contains(&q));
            prop_assert!(q >= base.get() - 1e-12, "changes never make experiences worse");
            prop_assert!(q >= previous - 1e-12, "quality does not fall over time");
            previous = q;
        }
    }

    #[test]
    fn backlog_conserves_items(
        adds in proptest::collection::vec((0u8..3, 0u64..20), 0..30),
        threshold in 1u64..25,
    ) {
        let policy = ChangePolicy::new(threshold, change(0, 0, 0.1))
            .unwrap()
            .max_per_review(u32::MAX)
            .unwrap();
        let mut backlog = FeedbackBacklog::new();
        let mut commissioned = 0u64;
        for (t, &(topic, n)) in adds.iter().enumerate() {
            backlog.add_many(&complaint().about(["a", "b", "c"][usize::from(topic)]), n);
            commissioned += policy.review(&mut backlog, t as u32).len() as u64;
            prop_assert!(backlog.len() < threshold);
        }
        prop_assert_eq!(backlog.received(), commissioned * threshold + backlog.len());
        let by_topic: u64 = backlog.topics().map(|(_, n)| n).sum();
        prop_assert_eq!(by_topic, backlog.len());
    }
}
