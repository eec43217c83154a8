//! Strict ingestion (issue 18, points 1-6): errors name the JSON path, strict
//! mode and warnings, conflicting retries, a plausible time window, id
//! hygiene and one rule for amounts.

use super::*;
use social_loop::crm::{BookOptions, IdPolicy, Warning};

fn line(fields: &str) -> String {
    format!(r#"{{"id":"e1","at":"2024-03-01T10:00:00Z","customer":"ann",{fields}}}"#)
}

fn import(book: &mut CustomerBook, lines: &[String]) -> social_loop::crm::ImportReport {
    book.import_jsonl(lines.join("\n").as_bytes()).unwrap()
}

fn rejection(options: BookOptions, text: &str) -> Error {
    let mut book = CustomerBook::with_options(options);
    let report = import(&mut book, &[text.to_string()]);
    let (_, reason) = report.rejections().next().expect("rejected");
    reason.clone()
}

#[test]
fn every_rejection_names_the_json_path() {
    let cases = [
        (
            r#"{"id":42,"at":"2024-03-01T10:00:00Z","customer":"ann","kind":{"type":"purchase"}}"#.to_string(),
            "id",
        ),
        (line(r#""kind":{"type":"purchase"},"channel":42"#), "channel"),
        (line(r#""kind":{"type":"purchase"},"money":{"amount":49.99,"currency":"EUR"}"#), "money.amount"),
        (line(r#""kind":{"type":"purchase"},"money":{"amount":"1","currency":"eur"}"#), "money.currency"),
        (line(r#""kind":{"type":"purchase"},"source":{"system":7}"#), "source.system"),
        (line(r#""kind":{"type":"purchase"},"sentiment":{"polarity":"glad"}"#), "sentiment.polarity"),
        (line(r#""kind":{"type":42}"#), "kind.type"),
        (line(r#""kind":{"amount":3}"#), "kind.type"),
        (line(r#""kind":{"type":"inactivity"}"#), "kind.days"),
        (line(r#""kind":{"type":"nps_response","score":11}"#), "kind"),
        (line(r#""kind":[1]"#), "kind"),
        (
            r#"{"id":"e1","at":"2024-13-01T10:00:00Z","customer":"ann","kind":{"type":"purchase"}}"#.to_string(),
            "at",
        ),
    ];
    for (text, field) in cases {
        let err = rejection(BookOptions::default(), &text);
        assert_eq!(err.field(), Some(field), "{text}: {err}");
        assert_eq!(err.line(), Some(1), "{err}");
        assert!(
            err.to_string().contains(&format!("field `{field}`")),
            "{err}"
        );
    }
    let channel = rejection(
        BookOptions::default(),
        &line(r#""kind":{"type":"purchase"},"channel":42"#),
    );
    assert!(channel.to_string().contains("a channel name"), "{channel}");
}

#[test]
fn unknowns_are_warned_by_default_and_rejected_in_strict_mode() {
    let lines = [
        line(r#""kind":{"type":"Purchase"},"money":{"amount":"10.00","currency":"EUR"}"#),
        line(r#""kind":{"type":"purchase","amount":"3"},"moneyy":{"amount":"10.00","currency":"EUR"}"#)
            .replace("e1", "e2"),
        line(r#""kind":{"type":"purchase"}"#).replace("e1", "e3"),
    ];
    let mut book = CustomerBook::new();
    let report = import(&mut book, &lines);
    assert_eq!(report.counts.applied, 3);
    assert_eq!(report.counts.warned, 2);
    let warned: Vec<(Position, &Warning)> = report.warnings().collect();
    assert_eq!(warned[0].0, Position::Line(1));
    assert_eq!(warned[0].1.field, "kind.type");
    assert!(
        warned[0].1.message.contains("did you mean `purchase`"),
        "{}",
        warned[0].1
    );
    let fields: Vec<&str> = warned[1..].iter().map(|(_, w)| w.field.as_str()).collect();
    assert_eq!(fields, ["moneyy", "kind.amount"]);
    assert!(report.outcomes[2].warnings.is_empty());
    // A wrong-case kind moves nobody and earns nothing: that is why it is warned.
    assert!(book.revenue().unwrap().purchases.is_empty());

    let mut strict = CustomerBook::with_options(BookOptions::default().strict(true));
    let report = import(&mut strict, &lines);
    assert_eq!((report.counts.applied, report.counts.rejected), (1, 2));
    let fields: Vec<Option<&str>> = report.rejections().map(|(_, e)| e.field()).collect();
    assert_eq!(fields, [Some("kind.type"), Some("moneyy")]);
    let typed = Event::new(
        EventId::new("x").unwrap(),
        at(0),
        "ann",
        EventKind::Other {
            kind: "Purchase".into(),
            fields: Default::default(),
        },
    );
    assert!(matches!(strict.apply(&typed), Outcome::Rejected { .. }));
}

#[test]
fn a_retry_with_other_content_is_a_conflict_and_the_first_is_kept() {
    let first = ev("e1", 0, "ann", EventKind::Purchase).money(money(1_000, eur()));
    let retry = ev("e1", 0, "ann", EventKind::Purchase).money(money(100_000, eur()));
    let moved = ev("e1", 1, "bob", EventKind::Purchase).money(money(1_000, eur()));
    let mut book = CustomerBook::new();
    assert!(book.apply(&first).is_applied());
    assert_eq!(book.apply(&first), Outcome::Duplicate);
    assert_eq!(
        book.apply(&retry),
        Outcome::Conflict {
            fields: vec!["money"]
        }
    );
    assert_eq!(
        book.apply(&moved),
        Outcome::Conflict {
            fields: vec!["at", "customer"]
        }
    );
    assert_eq!(
        book.revenue().unwrap().purchases.get(eur()),
        Decimal::new(1_000, 2)
    );
    assert_eq!((book.counts().duplicates, book.counts().conflicts), (1, 2));
    let json = serde_json::to_value(book.apply(&retry)).unwrap();
    assert_eq!(json, json!({"status": "conflict", "fields": ["money"]}));
}

#[test]
fn implausible_instants_are_rejected_against_the_callers_now() {
    let now = at(100);
    let options = BookOptions::default().now(now);
    let mut book = CustomerBook::with_options(options);
    let seconds_as_millis = Timestamp::from_unix_millis(at(0).unix_millis() / 1_000).unwrap();
    let cases = [
        (seconds_as_millis, false),
        ("0001-01-01T00:00:00Z".parse().unwrap(), false),
        (Timestamp::MAX, false),
        (now.plus_days(2), false),
        (
            Timestamp::from_unix_millis(now.unix_millis() + DAY / 2).unwrap(),
            true,
        ),
        ("1990-01-01T00:00:00Z".parse().unwrap(), true),
    ];
    for (i, (when, ok)) in cases.into_iter().enumerate() {
        let e = Event::new(
            EventId::new(format!("e{i}")).unwrap(),
            when,
            "ann",
            EventKind::Purchase,
        );
        match book.apply(&e) {
            Outcome::Applied { .. } => assert!(ok, "{when} was accepted"),
            Outcome::Rejected { reason } => {
                assert!(!ok, "{when}: {reason}");
                assert_eq!(reason.field(), Some("at"));
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(book.latest().unwrap() <= now.plus_days(1));
    // Ages are counted to the caller's now when it is given to explain.
    let why = book
        .explain("ann", ExplainOptions::default().as_of(now.plus_days(120)))
        .unwrap();
    assert!(
        why.factors
            .iter()
            .any(|f| f.text == "no contact for 119 days"),
        "{:?}",
        why.factors
    );
}

#[test]
fn ids_that_hide_or_disguise_text_are_rejected_or_trimmed() {
    for bad in [
        "ann\u{0}",
        "ann\u{202E}",
        "a\u{200B}nn",
        " ann",
        "ann ",
        "an\tn",
    ] {
        let mut book = CustomerBook::new();
        let outcome = book.apply(&ev("e1", 0, bad, EventKind::Purchase));
        match outcome {
            Outcome::Rejected { reason } => assert_eq!(reason.field(), Some("customer"), "{bad:?}"),
            other => panic!("{bad:?}: {other:?}"),
        }
        assert!(
            EventId::new(format!("{bad}-1")).is_err() || bad.ends_with(' '),
            "{bad:?}"
        );
    }
    let mut book = CustomerBook::with_options(BookOptions::default().ids(IdPolicy::Trim));
    assert!(
        book.apply(&ev("e1", 0, "ann", EventKind::Purchase))
            .is_applied()
    );
    assert!(
        book.apply(&ev("e2", 1, " ann", EventKind::SocialPost).counterpart("bob "))
            .is_applied()
    );
    assert_eq!(book.customer_count(), 2);
    assert_eq!(book.events_of("ann").unwrap().len(), 2);
    assert_eq!(
        book.event("e2").unwrap().counterpart.unwrap().as_str(),
        "bob"
    );
    // Trimming does not hide the other hazards.
    assert!(
        !book
            .apply(&ev("e3", 1, "ann\u{202E}", EventKind::Purchase))
            .is_applied()
    );
}

#[test]
fn amounts_follow_one_rule_and_a_byte_order_mark_is_skipped() {
    let with_amount = |amount: &str| {
        line(&format!(
            r#""kind":{{"type":"purchase"}},"money":{{"amount":{amount},"currency":"EUR"}}"#
        ))
    };
    for bad in ["49.99", r#""1e3""#, r#""-0.00""#, r#""+5""#] {
        let err = rejection(BookOptions::default(), &with_amount(bad));
        assert_eq!(err.field(), Some("money.amount"), "{bad}: {err}");
    }
    let err = rejection(BookOptions::default(), &with_amount(r#""-5.00""#));
    assert_eq!(
        err.field(),
        Some("money.amount"),
        "a negative purchase: {err}"
    );
    let mut book = CustomerBook::new();
    let text = format!("\u{feff}{}", with_amount(r#""49.99""#));
    let report = book.import_jsonl(text.as_bytes()).unwrap();
    assert_eq!(
        report.counts.applied,
        1,
        "{:?}",
        report.rejections().collect::<Vec<_>>()
    );
    assert_eq!(
        book.revenue().unwrap().purchases.get(eur()),
        Decimal::new(4999, 2)
    );
}

#[test]
fn forget_erases_a_customer_and_says_what_went() {
    let mut book = book_of(&[
        ev("a1", 0, "ann", EventKind::Purchase).money(money(5_000, eur())),
        ev("a2", 1, "ann", nps(10)),
        ev("b1", 2, "bob", EventKind::Referral).counterpart("ann"),
        ev("b2", 3, "bob", EventKind::Purchase),
        ev("c1", 4, "cy", EventKind::SocialPost).counterpart("ann"),
        ev("c2", 5, "cy", EventKind::Referral).counterpart("bob"),
    ]);
    let before = book.clone();
    let gone = book.forget("ann").unwrap();
    assert_eq!((gone.events, gone.mentions, gone.ties), (2, 2, 2));
    let affected: Vec<&str> = gone.affected.iter().map(|c| c.as_str()).collect();
    assert_eq!(affected, ["bob", "cy"]);
    assert!(!book.contains("ann") && !book.network().contains("ann"));
    for id in ["a1", "a2", "b1", "c1"] {
        assert!(!book.contains_event(id), "{id}");
    }
    let text = serde_json::to_string(&book).unwrap();
    assert!(!text.contains("ann"), "{text}");
    // The rest is the book of the kept events, as if ann had never been.
    let never = book_of(&[
        ev("b2", 3, "bob", EventKind::Purchase),
        ev("c2", 5, "cy", EventKind::Referral).counterpart("bob"),
    ]);
    assert_eq!(fingerprint(&book), fingerprint(&never));
    assert_eq!(book.counts(), before.counts());
    assert!(matches!(book.forget("ann"), Err(Error::UnknownCustomer(_))));
}

#[test]
fn stage_counts_and_rules_are_typed() {
    let book = book_of(&[
        ev("e1", 0, "ann", EventKind::Purchase),
        ev("e2", 1, "ann", nps(10)),
    ]);
    let counts: social_loop::customer::StageCounts = book.stage_counts();
    assert_eq!(counts[Stage::Advocate], 1);
    assert_eq!(counts.iter().map(|(_, &n)| n).sum::<u64>(), 1);
    let why = book.explain("ann", ExplainOptions::default()).unwrap();
    let json = serde_json::to_value(&why.moves[1]).unwrap();
    assert_eq!(json["rule"], "customer+experience_delighted");
    let back: social_loop::crm::ExplainedMove = serde_json::from_value(json).unwrap();
    assert_eq!(back.rule, why.moves[1].rule);
}
