//! The one ranking of influencers by expected reach
//! ([`InfluencerRanking`]), as every caller meets it.

use social_loop::Error;
use social_loop::Probability;
use social_loop::network::InfluenceNetwork;
use social_loop::progress::Progress;
use social_loop::propagation::{CompiledNetwork, InfluencerRanking, MonteCarloSettings};

#[test]
fn influencers_are_ranked_by_expected_reach_not_by_ties() {
    // hub: 10 ties of probability 0.01 (expected reach 1.1).
    // head: 2 certain ties, one into a chain of 6 (reach exactly 1 + 1 + 6 = 8).
    let mut triples: Vec<(String, String, f64)> = (0..10)
        .map(|i| ("hub".into(), format!("leaf{i}"), 0.01))
        .collect();
    triples.push(("head".into(), "side".into(), 1.0));
    triples.push(("head".into(), "chain0".into(), 1.0));
    for i in 0..5 {
        triples.push((format!("chain{i}"), format!("chain{}", i + 1), 1.0));
    }
    let net = InfluenceNetwork::from_triples(
        triples.iter().map(|(a, b, w)| (a.as_str(), b.as_str(), *w)),
    )
    .unwrap();
    let net = CompiledNetwork::from_network(&net);
    let ranking = InfluencerRanking::default().settings(MonteCarloSettings::new(2_000, 4).unwrap());
    let ranked = ranking.rank(&net, ["hub", "head"]).unwrap();
    assert_eq!(ranked[0].customer.as_str(), "head");
    assert_eq!(ranked[0].reach.mean, 8.0);
    assert_eq!(ranked[0].reach.std_err, 0.0);
    assert_eq!(ranked[1].customer.as_str(), "hub");
    let hub = ranked[1].reach;
    assert!((hub.mean - 1.1).abs() < 4.0 * hub.std_err + 1e-9, "{hub:?}");
    // Ranking by ties would put the hub first.
    let by_ties = ranked.iter().max_by_key(|i| i.ties).unwrap();
    assert_eq!(by_ties.customer.as_str(), "hub");
    assert_eq!((ranked[0].ties, ranked[1].ties), (2, 10));
    // Over everyone, top 3: head, then chain0 (reach 6), then chain1 (5).
    let all = ranking.top(3).rank_all(&net).unwrap();
    let names: Vec<&str> = all.iter().map(|i| i.customer.as_str()).collect();
    assert_eq!(names, ["head", "chain0", "chain1"]);
}

#[test]
fn unknown_candidates_are_an_error() {
    let net = InfluenceNetwork::from_triples([("a", "b", 0.5)]).unwrap();
    let err = InfluencerRanking::default()
        .rank(&CompiledNetwork::from_network(&net), ["nobody"])
        .unwrap_err();
    assert!(matches!(err, Error::UnknownCustomer(_)));
}

#[test]
fn signed_rankings_seed_advocates_and_adversaries() {
    // ann's word travels to bob and cy; dan's distrust tie makes his
    // negative word travel to eve; fay has no tie.
    let mut net = InfluenceNetwork::from_triples([
        ("ann", "bob", 1.0),
        ("bob", "cy", 1.0),
        ("dan", "eve", 1.0),
    ])
    .unwrap();
    net.add_customer("fay");
    let net = CompiledNetwork::from_network(&net);
    let settings = MonteCarloSettings::new(200, 3).unwrap();
    let neutral = Probability::new(0.5).unwrap();
    let advocates = InfluencerRanking::advocates(neutral)
        .settings(settings)
        .rank(&net, ["fay", "ann", "dan"])
        .unwrap();
    let order: Vec<(&str, f64)> = advocates
        .iter()
        .map(|i| (i.customer.as_str(), i.reach.mean))
        .collect();
    assert_eq!(order, [("ann", 3.0), ("dan", 2.0), ("fay", 1.0)]);
    let adversaries = InfluencerRanking::adversaries(neutral)
        .settings(settings)
        .top(1)
        .rank(&net, ["dan", "fay"])
        .unwrap();
    assert_eq!(adversaries.len(), 1);
    assert_eq!(
        (adversaries[0].customer.as_str(), adversaries[0].reach.mean),
        ("dan", 2.0)
    );
}

#[test]
fn rankings_do_not_depend_on_threads_or_candidate_order_and_can_be_cancelled() {
    let triples: Vec<(String, String, f64)> = (0..60)
        .map(|i| {
            (
                format!("c{i}"),
                format!("c{}", (i * 7 + 3) % 60),
                0.2 + (i % 5) as f64 * 0.1,
            )
        })
        .collect();
    let net = InfluenceNetwork::from_triples(
        triples.iter().map(|(a, b, w)| (a.as_str(), b.as_str(), *w)),
    )
    .unwrap();
    let net = CompiledNetwork::from_network(&net);
    let ranking = |threads| {
        InfluencerRanking::default()
            .settings(
                MonteCarloSettings::new(300, 9)
                    .unwrap()
                    .threads(threads)
                    .unwrap(),
            )
            .shortlist(Some(20))
            .top(60)
    };
    let one = ranking(1).rank_all(&net).unwrap();
    assert_eq!(one.len(), 20);
    assert_eq!(ranking(2).rank_all(&net).unwrap(), one);
    let reversed: Vec<String> = net
        .customers()
        .iter()
        .rev()
        .map(ToString::to_string)
        .collect();
    assert_eq!(ranking(2).rank(&net, &reversed).unwrap(), one);
    let progress = Progress::new();
    progress.cancel();
    assert!(
        ranking(1)
            .progress(&progress)
            .rank_all(&net)
            .unwrap_err()
            .is_cancelled()
    );
}
