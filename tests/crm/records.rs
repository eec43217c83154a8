//! Bad records: rejected with the reason and the position, changing nothing.

use super::*;

// ------------------------------------------------------------ bad records ---

#[test]
fn a_rejected_record_changes_nothing_and_says_why_and_where() {
    let good = [
        ev("e1", 0, "ann", EventKind::Purchase).money(money(1000, eur())),
        ev("e2", 1, "bob", EventKind::Referral).counterpart("ann"),
    ];
    let mut bad_schema = ev("b1", 2, "ann", EventKind::Purchase);
    bad_schema.schema = 2;
    let bad = [
        (bad_schema, "schema"),
        (ev("b2", 2, "ann", EventKind::Referral), "counterpart"),
        (
            ev("b3", 2, "ann", EventKind::Review { rating: Some(6) }),
            "kind.rating",
        ),
        (
            ev("b4", 2, "ann", EventKind::Purchase).money(money(-5, eur())),
            "money.amount",
        ),
        (
            ev("b5", 2, "ann", EventKind::Refund).money(Money::new(Decimal::new(1, 7), eur())),
            "money.amount",
        ),
        (
            ev("b6", 2, "ann", EventKind::Purchase)
                .money(Money::new(Decimal::from(2_000_000_000_000i64), eur())),
            "money.amount",
        ),
        (ev("b7", 2, "", EventKind::Purchase), "customer"),
        (ev("b8", 2, "ann", ticket(opened, " ")), "kind.ticket"),
        (
            ev("b9", 2, "ann", EventKind::Purchase).source(Source::new("")),
            "source.system",
        ),
        (
            ev("b10", 2, "ann", EventKind::Purchase).channel(EventChannel::Other("x".repeat(300))),
            "channel",
        ),
    ];
    let mut stream: Vec<Event> = vec![good[0].clone()];
    stream.extend(bad.iter().map(|(e, _)| e.clone()));
    stream.push(good[1].clone());
    stream.push(ev("b11", 2, "ann", EventKind::Referral).counterpart("ann"));

    let mut book = CustomerBook::new();
    let report = book.import(&stream);
    assert_eq!(report.counts.applied, 2);
    assert_eq!(report.counts.rejected, bad.len() as u64 + 1);
    let rejections: Vec<_> = report.rejections().collect();
    for (k, (_, field)) in bad.iter().enumerate() {
        let (position, reason) = rejections[k];
        assert_eq!(position, Position::Index(k + 1));
        assert!(
            matches!(reason, Error::InvalidParameter { field: f, .. } if f == field),
            "{k}: {reason}"
        );
    }
    let (position, reason) = rejections[bad.len()];
    assert_eq!(position, Position::Index(stream.len() - 1));
    assert!(matches!(reason, Error::SelfLoop(id) if id.as_str() == "ann"));
    // Same book as the good records alone, and rejected ids were not remembered.
    assert_eq!(fingerprint(&book), fingerprint(&book_of(&good)));
    assert!(!book.contains_event("b1"));
    let mut fixed = ev("b1", 2, "ann", EventKind::Purchase);
    fixed.schema = 1;
    assert_eq!(book.apply(&fixed), Outcome::Applied { late: false });
}

#[test]
fn bad_json_lines_are_rejected_by_line_number() {
    let text = "\
{\"id\":\"e1\",\"at\":\"2024-03-01T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}

{\"id\":\"e2\",\"at\":\"2024-02-30T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}
{\"id\":\"e3\",\"at\":0,\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"},\"money\":{\"amount\":\"1\",\"currency\":\"eur\"}}
{\"id\":\"e4\",\"at\":0,\"customer\":\"ann\",\"kind\":{\"type\":\"nps_response\",\"score\":11}}
{\"id\":\"e5\",\"at\":0,\"customer\":\"ann\",\"kind\":{\"type\":\"referral\"}}
{\"id\":\"e6\",\"at\":\"2024-03-02T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"webinar\",\"minutes\":3}}\r
garbage
{\"id\":\"e1\",\"at\":\"2024-03-01T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}";
    let mut book = CustomerBook::new();
    let report = book.import_jsonl(text.as_bytes()).unwrap();
    let summary: Vec<(Position, &str)> = report
        .outcomes
        .iter()
        .map(|r| {
            (
                r.position,
                match &r.outcome {
                    Outcome::Applied { .. } => "applied",
                    Outcome::Duplicate => "duplicate",
                    Outcome::Rejected { reason } => match reason.as_ref() {
                        Error::Parse { .. } => "parse",
                        Error::InvalidParameter { .. } => "invalid",
                        _ => "other",
                    },
                    _ => "other outcome",
                },
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Position::Line(1), "applied"),
            (Position::Line(3), "parse"),
            (Position::Line(4), "parse"),
            (Position::Line(5), "parse"),
            (Position::Line(6), "invalid"),
            (Position::Line(7), "applied"),
            (Position::Line(8), "parse"),
            (Position::Line(9), "duplicate"),
        ]
    );
    let rejected: Vec<String> = report.rejections().map(|(_, e)| e.to_string()).collect();
    assert!(
        rejected[0].starts_with("line 3, column "),
        "{}",
        rejected[0]
    );
    assert!(rejected[0].contains("day out of range"), "{}", rejected[0]);
    assert!(rejected[1].contains("ISO 4217"), "{}", rejected[1]);
    assert!(rejected[2].contains("11"), "{}", rejected[2]);
    // The unknown kind is kept, fields and all.
    let kept = book.event("e6").unwrap();
    assert_eq!(
        serde_json::to_value(&kept.kind).unwrap(),
        json!({"type": "webinar", "minutes": 3})
    );
}

#[test]
fn an_io_failure_keeps_the_lines_before_it() {
    struct Failing(&'static [u8], bool);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 {
                return Err(std::io::Error::other("disk on fire"));
            }
            self.1 = true;
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            Ok(n)
        }
    }
    let line: &[u8] =
        b"{\"id\":\"e1\",\"at\":\"2024-03-01T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}\n";
    let mut book = CustomerBook::new();
    let err = book
        .import_jsonl(std::io::BufReader::new(Failing(line, false)))
        .unwrap_err();
    assert!(matches!(err, Error::Io { ref source, .. } if source.to_string() == "disk on fire"));
    assert_eq!(book.stage("ann").unwrap(), Stage::Customer);
}

#[test]
fn a_stored_book_with_a_bad_or_repeated_event_does_not_load() {
    let book = book_of(&[ev("e1", 0, "ann", EventKind::Purchase)]);
    let mut stored = serde_json::to_value(&book).unwrap();
    let first = stored["events"][0].clone();
    stored["events"].as_array_mut().unwrap().push(first);
    let err = serde_json::from_value::<CustomerBook>(stored.clone()).unwrap_err();
    assert!(
        err.to_string().contains("record 1 repeats an event id"),
        "{err}"
    );
    stored["events"][1]["id"] = json!("e2");
    stored["events"][1]["schema"] = json!(7);
    let err = serde_json::from_value::<CustomerBook>(stored).unwrap_err();
    assert!(err.to_string().contains("record 1: schema"), "{err}");
}

// ------------------------------------- criticism and measuring NPS answers ---

#[test]
fn criticism_is_negative_word_of_mouth_and_a_measuring_answer_moves_no_one() {
    // JSON: the new kind and field read and write back; an answer without
    // `experience` is one (the schema before the field).
    let line = r#"{"id":"c1","at":"2024-03-01T00:00:00Z","customer":"bob","counterpart":"ann","kind":{"type":"criticism"}}"#;
    let criticism: Event = serde_json::from_str(line).unwrap();
    assert_eq!(criticism.kind, EventKind::Criticism);
    assert!(
        serde_json::to_string(&criticism)
            .unwrap()
            .contains(r#"{"type":"criticism"}"#)
    );
    let old: EventKind =
        serde_json::from_value(json!({"type": "nps_response", "score": 9})).unwrap();
    assert_eq!(old, nps(9));
    let measuring = EventKind::NpsResponse {
        score: LikelihoodToRecommend::new(2).unwrap(),
        experience: false,
    };
    let written = serde_json::to_value(&measuring).unwrap();
    assert_eq!(
        written,
        json!({"type": "nps_response", "score": 2, "experience": false})
    );
    assert_eq!(
        serde_json::from_value::<EventKind>(written).unwrap(),
        measuring
    );
    assert_eq!(
        serde_json::to_value(nps(9)).unwrap(),
        json!({"type": "nps_response", "score": 9})
    );
    // Criticism needs who said it.
    let mut book = CustomerBook::new();
    let outcome = book.apply(&ev("c0", 0, "bob", EventKind::Criticism));
    assert!(matches!(outcome, Outcome::Rejected { .. }), "{outcome:?}");
    // An answer that only measures sets the sentiment, not the stage.
    book.apply(&ev("p1", 1, "bob", EventKind::Purchase));
    let before = book.state("bob").unwrap();
    book.apply(&ev("m1", 2, "bob", measuring.clone()));
    let after = book.state("bob").unwrap();
    assert_eq!(
        after.stage(),
        before.stage(),
        "a measuring answer is not a move"
    );
    assert_eq!(after.likelihood_to_recommend().get(), 2);
    assert_eq!(book.nps().measured.detractors, 1);
    // The same answer as an experience moves bob (customer+experience_outraged).
    let mut other = CustomerBook::new();
    other.apply(&ev("p1", 1, "bob", EventKind::Purchase));
    other.apply(&ev("m1", 2, "bob", nps(2)));
    assert_ne!(other.stage("bob").unwrap(), before.stage());
    // Criticism from ann: the row customer+word_of_mouth_negative (every row
    // fires in a book) makes bob an adversary; it is no evidence of a tie.
    let mut heard = CustomerBook::new();
    heard.apply(&ev("p1", 1, "bob", EventKind::Purchase));
    heard.apply(&ev("c1", 2, "bob", EventKind::Criticism).counterpart("ann"));
    let why = heard.state("bob").unwrap().why().unwrap();
    assert_eq!(why.trigger.name(), "word_of_mouth_negative");
    assert_eq!(heard.stage("bob").unwrap(), Stage::Adversary);
    assert_eq!(heard.relationship_count(), 0);
}
