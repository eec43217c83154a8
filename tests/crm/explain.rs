//! Explanations, factors, funnel and NPS.

use super::*;

// ----------------------------------------------------------- explanations ---

#[test]
fn explanation_names_the_events_and_rules_behind_every_move() {
    let events = [
        ev("e1", 0, "ann", EventKind::SocialPost).source(Source::new("listening")),
        ev("e2", 1, "ann", EventKind::Purchase).money(money(4999, eur())),
        ev("e3", 2, "ann", ticket(opened, "T-9")).source(Source::new("zendesk").actor("kim")),
        ev("e4", 3, "ann", EventKind::Review { rating: None })
            .sentiment(voice(Polarity::Negative, 0.9)),
        ev("e5", 9, "ann", ticket(resolved, "T-9")).source(Source::new("zendesk").actor("kim")),
        ev("e6", 10, "ann", nps(10)),
    ];
    // Deliver out of order: the explanation is by time, not by arrival.
    let mut book = CustomerBook::new();
    for i in [5, 2, 0, 4, 1, 3] {
        book.apply(&events[i]);
    }
    let why = book.explain("ann", ExplainOptions::default()).unwrap();
    let moves: Vec<(Stage, Stage, String, Vec<&str>)> = why
        .moves
        .iter()
        .map(|m| {
            (
                m.transition.from,
                m.transition.to,
                m.rule.name(),
                m.events.iter().map(EventId::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            (
                Stage::Unaware,
                Stage::Aware,
                "unaware+exposure".into(),
                vec!["e1"]
            ),
            (
                Stage::Aware,
                Stage::Customer,
                "aware+purchase".into(),
                vec!["e2"]
            ),
            (
                Stage::Customer,
                Stage::Adversary,
                "customer+experience_outraged".into(),
                vec!["e4"]
            ),
            (
                Stage::Adversary,
                Stage::Customer,
                "adversary+service_recovery:ever_bought".into(),
                vec!["e5", "e3"]
            ),
            (
                Stage::Customer,
                Stage::Advocate,
                "customer+experience_delighted".into(),
                vec!["e6"]
            ),
        ]
    );
    assert_eq!(why.stage, Stage::Advocate);
    assert_eq!(book.stage("ann").unwrap(), Stage::Advocate);
    assert_eq!(
        why.moves[2].because,
        "review, negative 0.90 -> outraged experience"
    );
    assert_eq!(why.moves[3].source.to_string(), "zendesk/kim");
    assert_eq!(why.nps.class, NpsClass::Promoter);
    assert_eq!(
        why.nps.answered_in.as_ref().map(EventId::as_str),
        Some("e6")
    );
    let text = why.to_string();
    assert!(
        text.contains(
            "adversary -> customer  by rule adversary+service_recovery:ever_bought on e5 + e3"
        ),
        "{text}"
    );
}

#[test]
fn factors_are_signed_counted_and_backed_by_events() {
    let events = [
        ev("p1", 0, "ann", EventKind::Purchase).money(money(10_000, eur())),
        ev("p2", 1, "ann", EventKind::Purchase).money(money(2_550, usd())),
        ev("r1", 2, "bob", EventKind::Referral).counterpart("ann"),
        ev("r2", 3, "cy", EventKind::Referral).counterpart("ann"),
        ev("t1", 4, "ann", ticket(opened, "T-1")),
        ev("n1", 5, "ann", nps(3)),
        ev("f1", 6, "ann", EventKind::Refund).money(money(1_000, eur())),
        ev("x1", 25, "dee", EventKind::Purchase),
    ];
    let book = book_of(&events);
    let why = book.explain("ann", ExplainOptions::default()).unwrap();
    let lines: Vec<String> = why.factors.iter().map(ToString::to_string).collect();
    // An adversary since the NPS answer of 3: that is decisive, the other
    // negatives follow, then the positives, purchases (which moved her) first.
    assert_eq!(why.stage, Stage::Adversary);
    assert_eq!(
        lines,
        [
            "- NPS answer 3 (detractor)",
            "- one refund (10.00 EUR)",
            "- unresolved ticket T-1 for 21 days",
            "+ two purchases (100.00 EUR + 25.50 USD)",
            "+ two referrals made (bob, cy)",
            "+ influences two customers",
        ]
    );
    let referrals = &why.factors[4];
    assert_eq!(referrals.sign, FactorSign::Positive);
    let ids: Vec<&str> = referrals.events.iter().map(EventId::as_str).collect();
    assert_eq!(ids, ["r1", "r2"]);
    // Silence becomes a factor after the configured number of days.
    let later = book
        .explain(
            "bob",
            ExplainOptions::default().as_of(at(200)).quiet_days(90),
        )
        .unwrap();
    assert!(
        later
            .factors
            .iter()
            .any(|f| f.to_string() == "- no contact for 198 days")
    );
    assert!(
        later
            .factors
            .iter()
            .any(|f| f.to_string() == "+ referred by ann")
    );
    assert!(matches!(
        book.explain("zed", ExplainOptions::default()),
        Err(Error::UnknownCustomer(id)) if id.as_str() == "zed"
    ));
}

#[test]
fn funnel_and_nps_of_a_small_book() {
    let events = [
        ev("1", 0, "ann", EventKind::Purchase),
        ev("2", 1, "ann", nps(10)),
        ev("3", 0, "bob", EventKind::SocialPost),
        ev("4", 0, "cy", nps(2)),
        ev("5", 1, "cy", nps(8)),
        ev("6", 0, "dee", EventKind::Referral).counterpart("eve"),
    ];
    let book = book_of(&events);
    let nps = book.nps();
    assert_eq!(
        (
            nps.measured.promoters,
            nps.measured.passives,
            nps.measured.detractors
        ),
        (1, 1, 0)
    );
    assert_eq!(nps.modelled.respondents(), 5);
    let funnel = book.funnel();
    assert_eq!(funnel.population, 5);
    assert_eq!(funnel.purchase, 1);
    assert_eq!(funnel.advocacy, 1);
    let counts = book.stage_counts();
    assert_eq!(counts[Stage::Advocate], 1);
    assert_eq!(counts[Stage::Unaware], 1); // eve, known only as a referrer
    assert_eq!(counts[Stage::Prospect], 1); // dee, referred
}

#[test]
fn factors_are_weighed_the_decisive_event_first() {
    // An advocate who brought seven people, then was outraged: an adversary
    // whose explanation must not lead with the referrals.
    let mut events: Vec<Event> = (0..7)
        .map(|i| {
            ev(
                &format!("r{i}"),
                i,
                &format!("friend{i}"),
                EventKind::Referral,
            )
            .counterpart("zoe")
        })
        .collect();
    events.push(ev("z1", 0, "zoe", EventKind::Purchase));
    events.push(ev("z2", 1, "zoe", nps(10)));
    events.push(ev("z3", 20, "zoe", EventKind::Refund));
    events.push(ev("z4", 21, "zoe", nps(1)));
    let book = book_of(&events);
    let why = book.explain("zoe", ExplainOptions::default()).unwrap();
    assert_eq!(why.stage, Stage::Adversary);
    let texts: Vec<String> = why.factors.iter().map(ToString::to_string).collect();
    assert_eq!(texts[0], "- NPS answer 1 (detractor)", "{texts:?}");
    assert!(why.factors[0].decisive && why.factors[0].moves == 1);
    assert_eq!(texts[1], "- one refund", "{texts:?}");
    assert!(
        why.factors[2..]
            .iter()
            .all(|f| f.sign == FactorSign::Positive),
        "{texts:?}"
    );
    assert!(
        texts.contains(
            &"+ seven referrals made (friend0, friend1, friend2, friend3, friend4, ...)"
                .to_string()
        ),
        "{texts:?}"
    );
    // As of the day after the delight, the same customer reads the other way.
    let then = book
        .explain("zoe", ExplainOptions::default().as_of(at(2)))
        .unwrap();
    assert_eq!(then.stage, Stage::Advocate);
    assert_eq!(then.factors[0].to_string(), "+ NPS answer 10 (promoter)");
    assert!(then.factors.iter().all(|f| f.sign == FactorSign::Positive));
}
