//! The bugs a CRM team's client program found (issue 18), each pinned by a
//! test that failed before its fix.

use super::*;

#[test]
fn a_referral_factor_names_each_person_once() {
    let book = book_of(&[
        ev("r1", 0, "amy", EventKind::Referral).counterpart("zed"),
        ev("r2", 1, "ben", EventKind::Referral).counterpart("zed"),
        ev("r3", 2, "amy", EventKind::Referral).counterpart("zed"),
    ]);
    let why = book.explain("zed", ExplainOptions::default()).unwrap();
    let texts: Vec<String> = why.factors.iter().map(ToString::to_string).collect();
    assert!(
        texts.contains(&"+ three referrals made (amy, ben)".to_string()),
        "{texts:?}"
    );
}

#[test]
fn an_explanation_as_of_an_earlier_day_ignores_later_events() {
    let book = book_of(&[
        ev("e1", 0, "ann", EventKind::Purchase),
        ev("e2", 30, "ann", ticket(opened, "T-1")),
        ev("e3", 31, "ann", nps(1)),
    ]);
    let why = book
        .explain("ann", ExplainOptions::default().as_of(at(10)))
        .unwrap();
    let texts: Vec<String> = why.factors.iter().map(ToString::to_string).collect();
    assert!(texts.iter().all(|t| !t.contains("T-1")), "{texts:?}");
    assert!(
        texts
            .iter()
            .all(|t| !t.contains('-') || t.starts_with("- ")),
        "{texts:?}"
    );
    assert_eq!(why.moves.len(), 1, "only the purchase happened by day 10");
    assert_eq!(why.stage, Stage::Customer);
    assert_eq!(why.events, 1);
    // As of now the later events count again, and the ticket's age is positive.
    let now = book.explain("ann", ExplainOptions::default()).unwrap();
    assert_eq!(now.stage, Stage::Adversary);
    let texts: Vec<String> = now.factors.iter().map(ToString::to_string).collect();
    assert!(
        texts.contains(&"- unresolved ticket T-1 for 1 day".to_string()),
        "{texts:?}"
    );
}

#[test]
fn one_event_far_in_the_future_is_rejected_and_poisons_nothing() {
    let mut book = CustomerBook::new();
    book.apply(&ev("e1", 0, "ann", EventKind::Purchase));
    let future = Event::new(
        EventId::new("e2").unwrap(),
        Timestamp::MAX,
        "bob",
        EventKind::Purchase,
    );
    let outcome = book.apply(&future);
    match outcome {
        Outcome::Rejected { reason } => assert_eq!(reason.field(), Some("at"), "{reason}"),
        other => panic!("accepted an event in year 9999: {other:?}"),
    }
    assert_eq!(book.latest(), Some(at(0)));
    let why = book.explain("ann", ExplainOptions::default()).unwrap();
    assert!(
        why.factors.iter().all(|f| !f.text.contains("no contact")),
        "{:?}",
        why.factors
    );
}

#[test]
fn an_amount_with_thirty_decimals_is_reported_as_thirty() {
    let line = r#"{"id":"e1","at":"2024-03-01T10:00:00Z","customer":"ann","kind":{"type":"purchase"},"money":{"amount":"1.000000000000000000000000000001","currency":"EUR"}}"#;
    let mut book = CustomerBook::new();
    let report = book.import_jsonl(line.as_bytes()).unwrap();
    let (_, reason) = report.rejections().next().expect("rejected");
    let text = reason.to_string();
    assert!(text.contains("30 decimal places"), "{text}");
    assert!(!text.contains("28"), "{text}");
}

#[test]
fn inactivity_reads_in_days_and_one_star_is_singular() {
    let book = book_of(&[
        ev("e1", 0, "ann", EventKind::Purchase),
        ev("e2", 200, "ann", EventKind::Inactivity { days: 195 }),
        ev("e3", 0, "bob", EventKind::Review { rating: Some(1) }),
    ]);
    let ann = book.explain("ann", ExplainOptions::default()).unwrap();
    let lapse = ann.moves.last().unwrap();
    assert_eq!(lapse.because, "inactivity: no contact for 195 days");
    let bob = book.explain("bob", ExplainOptions::default()).unwrap();
    assert!(
        bob.moves[0].because.starts_with("review, 1 star "),
        "{}",
        bob.moves[0].because
    );
}

#[test]
fn an_edge_list_line_longer_than_the_limit_is_refused_without_being_kept() {
    use social_loop::network::io::{ReadOptions, read_edge_list};
    use std::io::Read;
    // A 64 MiB line (never held whole), then a good line.
    let long = std::io::repeat(b'a').take(64 << 20);
    let input = std::io::BufReader::new(long.chain(&b" b\nc d\n"[..]));
    let Err(err) = read_edge_list(input, ReadOptions::default()) else {
        panic!("a 64 MiB line was read as a tie");
    };
    assert_eq!(err.line(), Some(1), "{err}");
    assert!(
        err.reason().is_some_and(|r| r.contains("longer than")),
        "{err}"
    );
}
