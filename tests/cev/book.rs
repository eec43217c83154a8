//! CEV of a CRM book: the parts' definitions on exact oracles.

use social_loop::Decimal;
use social_loop::Probability;
use social_loop::cev::{EngagementOptions, EngagementValues, KnowledgeGain, SkipCause, ValuePart};
use social_loop::clv::ValueOptions;
use social_loop::crm::{
    BookValueOptions, Currency, CustomerBook, Event, EventId, EventKind, ExplainOptions,
    Explanation, Money, SyntheticCrm,
};
use social_loop::targeting::ReachOfEach;

fn eur() -> Currency {
    Currency::new("EUR").unwrap()
}

fn options() -> EngagementOptions {
    EngagementOptions::default()
        .value(BookValueOptions::default().value(ValueOptions::default().draws(20)))
        .reach(ReachOfEach::default().seed(3))
}

/// The synthetic CRM's purchases and refunds only: no referral, tie or feedback.
fn purchases_only(customers: usize, seed: u64) -> Vec<Event> {
    SyntheticCrm::new(customers)
        .seed(seed)
        .events()
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.kind, EventKind::Purchase | EventKind::Refund))
        .collect()
}

#[test]
fn the_synthetic_book_is_valued_and_ranked_by_cev() {
    let mut book = CustomerBook::new();
    book.import(SyntheticCrm::new(1_200).seed(4).events().unwrap());
    let options = options().gain(KnowledgeGain::new(
        "battery".into(),
        Money::new(Decimal::from(5_000), eur()),
    ));
    let values = book.engagement_values(&options).unwrap();
    let ranked: Vec<_> = values.of(eur()).collect();
    assert!(ranked.len() > 1_000, "{} EUR customers", ranked.len());
    for pair in ranked.windows(2) {
        assert!(pair[0].cev.value >= pair[1].cev.value);
    }
    for c in &values.customers {
        assert_eq!(
            c.cev.value,
            c.clv.value + c.crv.value + c.civ.value + c.ckv.value
        );
    }
    // Referrers get CRV, influencers CIV, the feedback on batteries CKV (which
    // adds up to the gain exactly).
    assert!(ranked.iter().any(|c| c.crv.value > Decimal::ZERO));
    assert!(ranked.iter().any(|c| c.civ.value != Decimal::ZERO));
    let ckv: Decimal = ranked.iter().map(|c| c.ckv.value).sum();
    assert_eq!(ckv, Decimal::from(5_000));
}

#[test]
fn no_referral_tie_or_feedback_means_zero_referral_influence_and_knowledge_value() {
    let mut book = CustomerBook::new();
    book.import(purchases_only(800, 5));
    let options = options().gain(KnowledgeGain::new(
        "battery".into(),
        Money::new(Decimal::from(1_000), eur()),
    ));
    let values = book.engagement_values(&options).unwrap();
    assert!(values.customers.len() > 500);
    for c in &values.customers {
        assert_eq!(
            (c.crv, c.civ, c.ckv),
            (ValuePart::ZERO, ValuePart::ZERO, ValuePart::ZERO)
        );
        assert_eq!(c.cev, c.clv);
    }
}

#[test]
fn a_referral_chain_credits_each_referrer_with_their_direct_referral_only() {
    let mut book = CustomerBook::new();
    let events = purchases_only(1_000, 1);
    let first = events[0].at;
    book.import(&events);
    let plain = book.engagement_values(&options()).unwrap();
    // Three customers with a CLV in EUR: a refers b, b refers c.
    let picked: Vec<_> = plain
        .of(eur())
        .filter(|c| c.clv.value > Decimal::ZERO)
        .take(3)
        .map(|c| (c.customer.clone(), c.clv))
        .collect();
    let [(a, _), (b, clv_b), (c, clv_c)] =
        [picked[0].clone(), picked[1].clone(), picked[2].clone()];
    for (n, (who, by)) in [(&b, &a), (&c, &b)].into_iter().enumerate() {
        let referral = Event::new(
            EventId::new(format!("ref-{n}")).unwrap(),
            first,
            who.as_str(),
            EventKind::Referral,
        )
        .counterpart(by.as_str());
        assert!(book.apply(&referral).is_applied());
    }
    // A quarter of referred customers would have come anyway.
    let values = book
        .engagement_values(&options().referred_anyway(Probability::new(0.25).unwrap()))
        .unwrap();
    let get = |id: &social_loop::CustomerId| values.get(id.as_str(), eur()).unwrap();
    let three_quarters = |d: Decimal| d * Decimal::new(75, 2);
    // CRV(a) = 0.75 CLV(b): not c, whose value is b's referral.
    assert_eq!(get(&a).crv.value, three_quarters(clv_b.value));
    assert_eq!(
        get(&a).crv.ci95,
        [three_quarters(clv_b.ci95[0]), three_quarters(clv_b.ci95[1])]
    );
    assert_eq!(get(&b).crv.value, three_quarters(clv_c.value));
    assert_eq!(get(&c).crv, ValuePart::ZERO);
    // The referral ties make a and b influencers; c has no outgoing tie.
    assert!(get(&a).civ.value > Decimal::ZERO);
    assert!(get(&b).civ.value > Decimal::ZERO);
    assert_eq!(get(&c).civ, ValuePart::ZERO);
    // CLV does not move with referrals.
    assert_eq!(get(&b).clv, clv_b);
}

#[test]
fn a_change_gain_is_shared_by_feedback_events_exactly() {
    let mut book = CustomerBook::new();
    let events = purchases_only(1_000, 2);
    let first = events[0].at;
    book.import(&events);
    let ids: Vec<_> = book.customers().take(2).map(|(id, _)| id.clone()).collect();
    for (n, who) in [&ids[0], &ids[0], &ids[1]].into_iter().enumerate() {
        let feedback = Event::new(
            EventId::new(format!("fb-{n}")).unwrap(),
            first,
            who.as_str(),
            EventKind::ProductFeedback {
                topic: Some("battery".into()),
            },
        );
        assert!(book.apply(&feedback).is_applied());
    }
    let options = options().gain(KnowledgeGain::new(
        "battery".into(),
        Money::new(Decimal::from(100), eur()),
    ));
    let values = book.engagement_values(&options).unwrap();
    let ckv = |i: usize| values.get(ids[i].as_str(), eur()).unwrap().ckv;
    assert_eq!(ckv(0), ValuePart::exact("66.666667".parse().unwrap()));
    assert_eq!(ckv(1), ValuePart::exact("33.333333".parse().unwrap()));
    let ranked = EngagementValues::new(values.customers.clone());
    assert_eq!(ranked, values);
}

#[test]
fn a_currency_whose_fit_fails_is_skipped_with_its_reason_and_the_rest_is_valued() {
    let mut book = CustomerBook::new();
    book.import(SyntheticCrm::new(400).seed(1).events().unwrap());
    // Three customers who paid once each in GBP: no repeat purchase, so no
    // BTYD model can be fitted to GBP.
    let gbp = Currency::new("GBP").unwrap();
    for i in 0..3 {
        let at = "2024-05-01T10:00:00Z".parse().unwrap();
        let event = Event::new(
            EventId::new(format!("gbp-{i}")).unwrap(),
            at,
            format!("brit-{i}"),
            EventKind::Purchase,
        )
        .money(Money::new(Decimal::new(2_500, 2), gbp));
        book.apply(&event);
    }
    let fit = book.customer_values(BookValueOptions::default());
    assert!(fit.is_err(), "the premise: GBP cannot be fitted");
    let options = options().gain(KnowledgeGain::new(
        "battery".into(),
        Money::new(Decimal::from(100), gbp),
    ));
    let values = book.engagement_values(&options).unwrap();
    assert_eq!(values.skipped.len(), 1, "{:?}", values.skipped);
    let skipped = &values.skipped[0];
    assert_eq!((skipped.currency, skipped.customers), (gbp, 3));
    let error = fit.unwrap_err();
    match &skipped.cause {
        SkipCause::Fit { field, reason } => {
            assert_eq!(Some(field.as_str()), error.field());
            assert_eq!(Some(reason.as_str()), error.reason());
        }
        other => panic!("expected a fit failure, got {other:?}"),
    }
    assert!(
        skipped
            .to_string()
            .starts_with("GBP (3 customers): the fit failed on ")
    );
    // Nothing in GBP, not even the GBP gain's CKV; EUR valued as alone.
    assert_eq!(values.of(gbp).count(), 0);
    let mut eur_only = CustomerBook::new();
    eur_only.import(SyntheticCrm::new(400).seed(1).events().unwrap());
    let alone = eur_only.engagement_values(&options).unwrap();
    assert!(alone.skipped.is_empty());
    let eur_entries = |v: &EngagementValues| v.of(eur()).cloned().collect::<Vec<_>>();
    assert!(eur_entries(&values).len() > 300);
    assert_eq!(eur_entries(&values), eur_entries(&alone));
    // The CSV keeps its columns and has no GBP row.
    let csv = values.to_csv();
    assert!(csv.starts_with("customer,currency,clv,crv,civ,ckv,cev,cev_lo,cev_hi\n"));
    assert!(!csv.contains(",GBP,"));
}

#[test]
fn the_books_explanation_says_where_a_customers_engagement_value_comes_from() {
    let mut book = CustomerBook::new();
    book.import(SyntheticCrm::new(1_200).seed(4).events().unwrap());
    let values = book.engagement_values(&options()).unwrap();
    // A referrer: their CEV has a referral part.
    let referrer = values
        .of(eur())
        .find(|c| c.crv.value > Decimal::ZERO && c.clv.value > Decimal::ZERO)
        .unwrap();
    let id = referrer.customer.as_str();
    let plain = book.explain(id, ExplainOptions::default()).unwrap();
    assert!(plain.engagement.is_empty());
    assert!(!plain.to_string().contains("engagement value"));
    let why = plain.clone().with_engagement(&values);
    let expected: Vec<_> = values
        .customers
        .iter()
        .filter(|c| c.customer.as_str() == id)
        .cloned()
        .collect();
    assert_eq!(why.engagement, expected);
    assert_eq!(why.engagement[0].cev.value, referrer.cev.value);
    // Everything else is the plain explanation, and the text adds the parts.
    let mut stripped = why.clone();
    stripped.engagement.clear();
    assert_eq!(stripped, plain);
    let text = why.to_string();
    assert!(text.starts_with(&plain.to_string()), "{text}");
    let line = format!("  {referrer}\n");
    assert!(text.ends_with(&line), "{text}");
    assert!(
        text.contains(&format!("CRV {} (", referrer.crv.value)),
        "{text}"
    );
    // It travels as JSON, and a plain explanation's JSON has no such field.
    let json = serde_json::to_string(&why).unwrap();
    assert_eq!(serde_json::from_str::<Explanation>(&json).unwrap(), why);
    assert!(
        !serde_json::to_string(&plain)
            .unwrap()
            .contains("\"engagement\":")
    );
}
