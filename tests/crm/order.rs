//! Arrival order, duplicates, round trips and the JSON Lines fuzz targets.

use super::*;

// ---------------------------------------------------------------- events ---

const PEOPLE: [&str; 5] = ["ann", "bob", "cy", "dee", "eve"];

fn kind_strategy() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        Just(EventKind::Purchase),
        Just(EventKind::Refund),
        Just(EventKind::Referral),
        proptest::option::of(1u8..=5).prop_map(|rating| EventKind::Review { rating }),
        Just(EventKind::SocialPost),
        (0u8..=10).prop_map(nps),
        (0u8..3).prop_map(|t| opened(format!("T{t}"))),
        (0u8..3).prop_map(|t| resolved(format!("T{t}"))),
        (proptest::option::of(0usize..6), any::<bool>()).prop_map(|(k, relevant)| {
            EventKind::EngagementReceived {
                engagement: Some("campaign".into()),
                engagement_kind: k.map(|i| EngagementKind::ALL[i]),
                relevant,
            }
        }),
        proptest::option::of(Just(Topic::new("battery")))
            .prop_map(|topic| EventKind::ProductFeedback { topic }),
        (1u32..200).prop_map(|days| EventKind::Inactivity { days }),
        (0.0f64..=1.0, any::<bool>()).prop_map(|(p, neg)| EventKind::Tie {
            tie: if neg {
                Tie::negative(Probability::new(p).unwrap())
            } else {
                Tie::positive(Probability::new(p).unwrap())
            }
        }),
        Just(EventKind::Other {
            kind: "webinar_attended".into(),
            fields: serde_json::from_str(r#"{"minutes": 42}"#).unwrap(),
        }),
    ]
}

prop_compose! {
    fn event_strategy()(
        day in 0i64..4,
        ms in prop_oneof![Just(0i64), 0i64..3],
        who in 0usize..5,
        other in 0usize..5,
        kind in kind_strategy(),
        polarity in proptest::option::of(0usize..4),
        confidence in 0.0f64..=1.0,
        cents in proptest::option::of(0i64..100_000),
        in_usd in any::<bool>(),
        channel in proptest::option::of(0usize..11),
    ) -> Event {
        let mut e = Event::new(EventId::new("x").unwrap(), Timestamp::from_unix_millis(T0 + day * DAY + ms).unwrap(), PEOPLE[who], kind);
        if other != who {
            e = e.counterpart(PEOPLE[other]);
        } else if e.kind.needs_counterpart() {
            e = e.counterpart(PEOPLE[(who + 1) % 5]);
        }
        if let Some(p) = polarity {
            e = e.sentiment(voice(Polarity::ALL[p], confidence));
        }
        if let Some(c) = cents {
            e = e.money(money(c, if in_usd { usd() } else { eur() }));
        }
        e.channel = channel.map(|c| match Channel::ALL.get(c) {
            Some(&known) => EventChannel::Known(known),
            None => EventChannel::Other("web".into()),
        });
        e.source = Source::new(["shop", "zendesk", "survey"][who % 3]).actor(format!("agent-{other}"));
        e
    }
}

/// Distinct events with ids `e0`, `e1`, ... (ids are not in time order, so that
/// ties of `at` are broken by ids in an order unrelated to generation).
fn events_strategy(max: usize) -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec(event_strategy(), 1..max).prop_map(|mut events| {
        for (i, e) in events.iter_mut().enumerate() {
            e.id = EventId::new(format!("e{}", (i * 7919) % 1000)).unwrap();
        }
        events.sort_by(|a, b| a.id.cmp(&b.id));
        events.dedup_by(|a, b| a.id == b.id);
        events
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any arrival order, one by one or in batches of any size, gives the same book.
    #[test]
    fn the_book_does_not_depend_on_arrival_order(
        events in events_strategy(40),
        order in any::<u64>(),
        batch in 1usize..8,
    ) {
        let mut sorted = events.clone();
        sorted.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        let reference = fingerprint(&book_of(&sorted));

        // A permutation from the seed (Fisher-Yates with a small LCG).
        let mut shuffled = events.clone();
        let mut state = order | 1;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let mut one_by_one = CustomerBook::new();
        for e in &shuffled {
            prop_assert!(one_by_one.apply(e).is_applied());
        }
        prop_assert_eq!(&fingerprint(&one_by_one), &reference);

        let mut batched = CustomerBook::new();
        for chunk in shuffled.chunks(batch) {
            batched.import(chunk);
        }
        prop_assert_eq!(&fingerprint(&batched), &reference);

        let mut reversed = sorted.clone();
        reversed.reverse();
        prop_assert_eq!(&fingerprint(&book_of(&reversed)), &reference);
    }

    /// Retried deliveries change nothing and are counted.
    #[test]
    fn duplicates_are_ignored_and_counted(events in events_strategy(30), repeat in 1usize..4) {
        let reference = fingerprint(&book_of(&events));
        let mut book = CustomerBook::new();
        let mut stream = Vec::new();
        for e in &events {
            stream.push(e.clone());
            for _ in 0..repeat {
                stream.push(e.clone());
            }
        }
        let third = stream.len() / 3;
        stream.rotate_left(third);
        let report = book.import(&stream);
        prop_assert_eq!(report.counts.applied, events.len() as u64);
        prop_assert_eq!(report.counts.duplicates, (events.len() * repeat) as u64);
        prop_assert_eq!(&fingerprint(&book), &reference);
        // A retry of a whole batch later is all duplicates.
        let again = book.import(&events);
        prop_assert_eq!(again.counts.duplicates, events.len() as u64);
        prop_assert_eq!(&fingerprint(&book), &reference);
    }

    /// The book's events, written and read back, rebuild the same book.
    #[test]
    fn events_round_trip_through_json_lines(events in events_strategy(30)) {
        let book = book_of(&events);
        let mut jsonl = String::new();
        for e in book.events() {
            jsonl.push_str(&serde_json::to_string(&e).unwrap());
            jsonl.push('\n');
        }
        let mut again = CustomerBook::new();
        let report = again.import_jsonl(jsonl.as_bytes()).unwrap();
        prop_assert_eq!(report.counts.applied, events.len() as u64);
        prop_assert_eq!(fingerprint(&again), fingerprint(&book));
        for e in &events {
            prop_assert_eq!(&book.event(e.id.as_str()), &Some(e.clone()));
        }
        // The whole book, stored and read back.
        let stored = serde_json::to_string(&book).unwrap();
        let back: CustomerBook = serde_json::from_str(&stored).unwrap();
        prop_assert_eq!(fingerprint(&back), fingerprint(&book));
    }

    /// The JSON Lines reader never panics, on any bytes, and accounts for every line.
    #[test]
    fn jsonl_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let mut book = CustomerBook::new();
        let report = book.import_jsonl(&bytes[..]).unwrap();
        prop_assert_eq!(report.counts.records(), report.outcomes.len() as u64);
        prop_assert_eq!(book.event_count() as u64, report.counts.applied);
    }

    /// ...nor on text that looks like events, with random damage.
    #[test]
    fn jsonl_reader_never_panics_on_damaged_events(
        events in events_strategy(8),
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<char>()), 0..12),
    ) {
        let mut text = String::new();
        for e in &events {
            text.push_str(&serde_json::to_string(e).unwrap());
            text.push('\n');
        }
        let mut chars: Vec<char> = text.chars().collect();
        for (i, c) in cuts {
            let i = i.index(chars.len());
            chars[i] = c;
        }
        let damaged: String = chars.into_iter().collect();
        let mut book = CustomerBook::new();
        let report = book.import_jsonl(damaged.as_bytes()).unwrap();
        prop_assert!(report.counts.records() >= 1);
        prop_assert_eq!(book.event_count() as u64, report.counts.applied);
        // Whatever was applied explains without error.
        for (id, _) in book.customers() {
            prop_assert!(book.explain(id.as_str(), ExplainOptions::default()).is_ok());
        }
    }
}

#[test]
fn json_fragments_never_panic() {
    // A fixed corpus of nasty lines, each on its own.
    let lines = [
        "{}",
        "[]",
        "null",
        "{\"id\":\"\"}",
        "{\"id\":1,\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"}}",
        "{\"id\":\"e\",\"at\":-99999999999999999,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"}}",
        "{\"id\":\"e\",\"at\":1e400,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":7}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"nps_response\",\"score\":-1}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"tie\",\"probability\":\"NaN\"}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"},\"money\":{\"amount\":\"1e999\",\"currency\":\"EUR\"}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"},\"money\":{\"amount\":12.5,\"currency\":\"EUR\"}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"},\"sentiment\":{\"polarity\":\"positive\",\"confidence\":2}}",
        "\u{feff}{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"}}",
        "{\"id\":\"e\",\"at\":0,\"customer\":\"a\",\"kind\":{\"type\":\"purchase\"}",
        &"[".repeat(10_000),
    ];
    let mut book = CustomerBook::new();
    let report = book.import_jsonl(lines.join("\n").as_bytes()).unwrap();
    assert_eq!(report.counts.records(), lines.len() as u64);
    assert_eq!(report.counts.applied, 0, "{:?}", report.outcomes);
    for (position, reason) in report.rejections() {
        let Position::Line(line) = position else {
            panic!("{position:?}")
        };
        assert!(reason.line() == Some(line), "{reason}");
    }
}
