//! The influence network, the rankings, and thread safety.

use social_loop::crm::BookOptions;
use social_loop::network::TieSign;
use social_loop::propagation::MonteCarloSettings;

use super::*;

// ---------------------------------------------------------------- network ---

#[test]
fn relationships_grow_the_network_in_any_order() {
    let options = BookOptions::default()
        .referral_tie(Probability::new(0.3).unwrap())
        .reply_tie(Probability::new(0.1).unwrap());
    let events = [
        ev("r1", 0, "bob", EventKind::Referral).counterpart("ann"),
        ev("r2", 1, "bob", EventKind::Referral).counterpart("ann"),
        ev("s1", 2, "bob", EventKind::SocialPost).counterpart("ann"),
        ev(
            "t1",
            3,
            "cy",
            EventKind::Tie {
                tie: Tie::negative(Probability::new(0.4).unwrap()),
            },
        )
        .counterpart("dee"),
        ev(
            "t2",
            4,
            "cy",
            EventKind::Tie {
                tie: Tie::positive(Probability::new(0.7).unwrap()),
            },
        )
        .counterpart("dee"),
        ev("p1", 5, "eve", EventKind::Purchase),
    ];
    for order in [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [4, 0, 5, 3, 2, 1]] {
        let mut book = CustomerBook::with_options(options);
        book.import(order.iter().map(|&i| &events[i]));
        let net = book.network();
        assert_eq!(net.customer_count(), 4, "eve has no tie");
        let ann_bob = net.tie("ann", "bob").unwrap();
        let expected = 1.0 - 0.7 * 0.7 * 0.9;
        assert!((ann_bob.probability.get() - expected).abs() < 1e-12);
        assert_eq!(
            net.tie("dee", "cy").unwrap(),
            Tie::positive(Probability::new(0.7).unwrap())
        );
        assert_eq!(net.tie("cy", "dee"), None);
        assert_eq!(book.relationship_count(), 2);
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn real_trust_ratings_as_tie_events_give_one_network_in_any_order() {
    let path = crate::shared_data::path("soc-sign-bitcoinotc.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // src rates dst: dst's word reaches src with |rating| / 10, distrust when negative.
    let events: Vec<Event> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let f: Vec<&str> = line.split(',').collect();
            let rating: f64 = f[2].parse().unwrap();
            let seconds: f64 = f[3].parse().unwrap();
            let p = Probability::new(rating.abs() / 10.0).unwrap();
            let tie = if rating < 0.0 {
                Tie::negative(p)
            } else {
                Tie::positive(p)
            };
            Event::new(
                EventId::new(format!("otc-{i}")).unwrap(),
                Timestamp::from_unix_millis(seconds as i64 * 1000).unwrap(),
                f[0],
                EventKind::Tie { tie },
            )
            .counterpart(f[1])
        })
        .collect();
    let forward = book_of(&events);
    let mut reversed = events.clone();
    reversed.reverse();
    let backward = book_of(&reversed);
    assert_eq!(forward.network().customer_count(), 5_881);
    assert_eq!(forward.network().tie_count(), 35_592);
    let negative = forward
        .network()
        .ties()
        .filter(|t| t.tie.sign == TieSign::Negative)
        .count();
    assert_eq!(negative, 3_563);
    for t in forward.network().ties() {
        assert_eq!(
            backward.network().tie(t.from.as_str(), t.to.as_str()),
            Some(t.tie)
        );
    }
    let options = RankOptions::default()
        .settings(MonteCarloSettings::new(200, 0).unwrap())
        .shortlist(20)
        .top(5);
    assert_eq!(
        forward.rank(options.clone()).unwrap(),
        backward.rank(options).unwrap()
    );
}

// ---------------------------------------------------------------- ranking ---

#[test]
fn advocates_and_adversaries_are_ranked_by_expected_reach() {
    // hub refers five people (strong ties); solo refers one; grump is an
    // adversary with two followers; nobody is an advocate with no ties.
    let mut events = Vec::new();
    for (i, who) in ["a1", "a2", "a3", "a4", "a5"].iter().enumerate() {
        events.push(
            ev(
                &format!("h{i}"),
                0,
                who,
                EventKind::Tie {
                    tie: Tie::positive(Probability::new(0.9).unwrap()),
                },
            )
            .counterpart("hub"),
        );
    }
    events.push(
        ev(
            "s0",
            0,
            "b1",
            EventKind::Tie {
                tie: Tie::positive(Probability::new(0.9).unwrap()),
            },
        )
        .counterpart("solo"),
    );
    for (i, who) in ["c1", "c2"].iter().enumerate() {
        events.push(
            ev(
                &format!("g{i}"),
                0,
                who,
                EventKind::Tie {
                    tie: Tie::positive(Probability::new(0.5).unwrap()),
                },
            )
            .counterpart("grump"),
        );
    }
    for who in ["hub", "solo", "nobody"] {
        events.push(ev(&format!("buy-{who}"), 1, who, EventKind::Purchase));
        events.push(ev(&format!("nps-{who}"), 2, who, nps(10)));
    }
    events.push(ev("angry", 1, "grump", nps(0)));
    let book = book_of(&events);
    assert_eq!(book.stage("hub").unwrap(), Stage::Advocate);
    assert_eq!(book.stage("grump").unwrap(), Stage::Adversary);
    let options = RankOptions::default().settings(MonteCarloSettings::new(4_000, 11).unwrap());
    let ranking = book.rank(options.clone()).unwrap();
    let names: Vec<&str> = ranking
        .advocates
        .iter()
        .map(|r| r.customer.as_str())
        .collect();
    assert_eq!(names, ["hub", "solo", "nobody"]);
    // Exact expectations: 1 + 5 * 0.9 = 5.5, 1 + 0.9 = 1.9, 1.
    let hub = &ranking.advocates[0].reach;
    assert!((hub.mean - 5.5).abs() < 4.0 * hub.std_err, "{hub:?}");
    assert_eq!(ranking.advocates[2].reach.mean, 1.0);
    assert_eq!(ranking.advocates[2].reach.std_err, 0.0);
    let grump = &ranking.adversaries[0];
    assert_eq!(grump.customer.as_str(), "grump");
    assert!(
        (grump.reach.mean - 2.0).abs() < 4.0 * grump.reach.std_err,
        "{grump:?}"
    );
    assert_eq!(ranking.influencers[0].customer.as_str(), "hub");
    // Same on one thread and on two.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    assert_eq!(one.install(|| book.rank(options.clone())).unwrap(), ranking);
    assert_eq!(two.install(|| book.rank(options)).unwrap(), ranking);
    assert_eq!(
        MonteCarloSettings::new(1, 0).unwrap_err().field(),
        Some("runs")
    );
}

// ------------------------------------------------------------- robustness ---

#[test]
fn the_book_and_its_outputs_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<CustomerBook>();
    shareable::<Event>();
    shareable::<social_loop::crm::Explanation>();
    shareable::<social_loop::crm::Ranking>();
    shareable::<social_loop::crm::Attribution>();
    shareable::<social_loop::crm::ImportReport>();
}
