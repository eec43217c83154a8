//! Tests of the RR sets: estimates against exact spreads, draw modes, thread
//! independence, the signed walk.

use super::*;
use crate::network::InfluenceNetwork;
use crate::propagation::CompiledNetwork;
use crate::propagation::streams::unit_stream;
use crate::propagation::{Model, exact};

fn compiled(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
    CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples.iter().copied()).unwrap())
}

/// `n ×` the fraction of sets that meet `seeds`, and its standard error.
fn rr_estimate(sets: &RrSets, n: usize, seeds: &[u32]) -> (f64, f64) {
    let hits = (0..sets.len())
        .filter(|&r| sets.nodes[sets.range(r)].iter().any(|v| seeds.contains(v)))
        .count() as f64;
    let m = sets.len() as f64;
    let p = hits / m;
    (n as f64 * p, n as f64 * (p * (1.0 - p) / m).sqrt())
}

const GRAPH: [(&str, &str, f64); 8] = [
    ("a", "b", 0.4),
    ("a", "c", 0.3),
    ("b", "d", 0.5),
    ("c", "d", 0.2),
    ("d", "e", 0.6),
    ("e", "b", 0.3),
    ("c", "f", 0.7),
    ("f", "e", 0.25),
];

#[test]
fn rr_coverage_estimates_the_exact_spread_ic_and_lt() {
    let mut weighted = InfluenceNetwork::from_triples(GRAPH).unwrap();
    crate::network::WeightScheme::WeightedCascade.apply(&mut weighted);
    for c in [compiled(&GRAPH), CompiledNetwork::from_network(&weighted)] {
        rr_coverage_matches_exact(&c);
    }
}

fn rr_coverage_matches_exact(c: &CompiledNetwork) {
    let graph = ReverseGraph::new(c, false);
    for (walk, model) in [
        (Walk::Cascade, Model::IndependentCascade),
        (Walk::Threshold, Model::LinearThreshold),
    ] {
        let mut sets = RrSets::new();
        Sampler::new(&graph, walk, &[]).extend(&mut sets, 11, 60_000);
        assert_eq!(sets.len() as u64, 60_000u64.div_ceil(UNIT) * UNIT);
        for seeds in [vec!["a"], vec!["c", "d"], vec!["b", "f"]] {
            let nodes: Vec<u32> = c
                .nodes_of(&seeds)
                .unwrap()
                .into_iter()
                .map(|v| graph.renumbered(v).unwrap())
                .collect();
            let truth = exact::expected_spread(c, model, &seeds).unwrap();
            let (estimate, se) = rr_estimate(&sets, c.node_count(), &nodes);
            assert!(
                (estimate - truth).abs() < 4.0 * se + 1e-9,
                "{model:?} {seeds:?}: {estimate} vs exact {truth} (se {se})"
            );
        }
    }
}

#[test]
fn uniform_nodes_draw_each_arc_independently_with_its_probability() {
    for (d, p) in [
        (40usize, 0.05f64),
        (5, 0.3),
        (3, 1.0),
        (20, 0.5),
        (17, 0.9),
        (1, 0.2),
    ] {
        let triples: Vec<(String, String, f64)> = (0..d)
            .map(|i| (format!("u{i}"), "hub".to_string(), p))
            .collect();
        let c = CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples).unwrap());
        let graph = ReverseGraph::new(&c, false);
        let hub = graph.renumbered(c.node_of("hub").unwrap()).unwrap();
        let expected_draw = match (p, d) {
            (1.0, _) => "All",
            (p, d) if p <= 0.25 && d >= 16 => "Uniform",
            _ => "Coins",
        };
        assert!(format!("{:?}", graph.draw(hub).unwrap()).starts_with(expected_draw));
        let mut rng = unit_stream(3, d as u64);
        let draws = 20_000usize;
        let mut live = vec![0u32; d];
        let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
        for _ in 0..draws {
            let mut k = 0.0;
            graph.for_live_in_arcs(hub, &mut rng, |_, arc| {
                live[arc - graph.range(hub).start] += 1;
                k += 1.0;
            });
            sum += k;
            sum_sq += k * k;
        }
        let n = draws as f64;
        let sd = (n * p * (1.0 - p)).sqrt();
        for (arc, &count) in live.iter().enumerate() {
            assert!(
                (f64::from(count) - n * p).abs() <= 5.0 * sd + 1e-9,
                "d={d} p={p} arc {arc}: {count} live of {draws}"
            );
        }
        // Independence: the number of live arcs has the binomial variance.
        let mean = sum / n;
        let variance = sum_sq / n - mean * mean;
        let binomial = d as f64 * p * (1.0 - p);
        assert!(
            (variance - binomial).abs() <= 0.1 * binomial + 1e-9,
            "d={d} p={p}: variance {variance} vs {binomial}"
        );
    }
}

#[test]
fn sets_do_not_depend_on_the_thread_count() {
    let c = compiled(&GRAPH);
    let graph = ReverseGraph::new(&c, true);
    let sampler = Sampler::new(&graph, Walk::Signed, &[c.node_of("e").unwrap()]);
    let draw = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut sets = RrSets::new();
            sampler.extend(&mut sets, 5, 3_000);
            sampler.extend(&mut sets, 5, 20_000);
            sets
        })
    };
    let (one, two) = (draw(1), draw(2));
    assert_eq!(one.nodes, two.nodes);
    assert_eq!(one.offsets, two.offsets);
    assert_eq!(one.tags, two.tags);
    assert_eq!(one.adversary, two.adversary);
}

#[test]
fn signed_sets_record_distance_parity_and_stop_at_the_adversary() {
    // root r; a -> r positive; b -(negative)-> a; adversary x -> a; y -> x.
    let net = InfluenceNetwork::from_triples([
        ("a", "r", 1.0),
        ("b", "a", -1.0),
        ("x", "a", 1.0),
        ("y", "x", 1.0),
    ])
    .unwrap();
    let c = CompiledNetwork::from_network(&net);
    let graph = ReverseGraph::new(&c, true);
    let x = c.node_of("x").unwrap();
    let sampler = Sampler::new(&graph, Walk::Signed, &[x]);
    let mut sets = RrSets::new();
    sampler.extend(&mut sets, 1, UNIT);
    let r = graph.renumbered(c.node_of("r").unwrap()).unwrap();
    let rooted = (0..sets.len())
        .find(|&i| sets.nodes[sets.range(i)].first() == Some(&r))
        .expect("some set is rooted at r");
    let members = &sets.nodes[sets.range(rooted)];
    let tags = &sets.tags[sets.range(rooted)];
    let [a, b] = ["a", "b"].map(|id| graph.renumbered(c.node_of(id).unwrap()).unwrap());
    assert_eq!(members, &[r, a, b]);
    assert_eq!(
        tags,
        &[
            arrival(0, POSITIVE),
            arrival(1, POSITIVE),
            arrival(2, NEGATIVE)
        ]
    );
    // x arrives at distance 2 with a negative message; y (distance 3) is cut off.
    assert_eq!(sets.adversary[rooted], arrival(2, NEGATIVE));
    let rooted_at_x = (0..sets.len()).find(|&i| sets.range(i).is_empty());
    if let Some(i) = rooted_at_x {
        assert_eq!(sets.adversary[i], arrival(0, NEGATIVE));
    }
}

#[test]
fn skewed_nodes_draw_each_arc_with_its_probability_and_keep_its_sign() {
    // Three dense arcs, then 30 small unequal ones, some of them distrust ties.
    let probabilities: Vec<f64> = [0.9, 0.5, 0.3]
        .into_iter()
        .chain((0..30).map(|i| 0.002 + 0.008 * f64::from(i % 9)))
        .collect();
    let triples: Vec<(String, String, f64)> = probabilities
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let signed = if i % 4 == 1 { -p } else { p };
            (format!("u{i}"), "hub".to_string(), signed)
        })
        .collect();
    let c = CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples).unwrap());
    let graph = ReverseGraph::new(&c, true);
    let hub = graph.renumbered(c.node_of("hub").unwrap()).unwrap();
    assert_eq!(graph.draw(hub), Some(reverse::Draw::Sorted { dense: 3 }));
    let index_of = |u: u32| -> usize {
        let id = c.customer(graph.original(u).unwrap()).unwrap();
        id.as_str()[1..].parse().unwrap()
    };
    let mut rng = unit_stream(8, 1);
    let draws = 40_000usize;
    let mut live = vec![0u32; probabilities.len()];
    let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
    for _ in 0..draws {
        let mut k = 0.0;
        graph.for_live_in_arcs(hub, &mut rng, |u, arc| {
            let i = index_of(u);
            live[i] += 1;
            assert_eq!(graph.negative[arc], i % 4 == 1, "the sign follows arc {i}");
            k += 1.0;
        });
        sum += k;
        sum_sq += k * k;
    }
    let n = draws as f64;
    for (i, (&count, &p)) in live.iter().zip(&probabilities).enumerate() {
        let sd = (n * p * (1.0 - p)).sqrt();
        assert!(
            (f64::from(count) - n * p).abs() <= 5.0 * sd + 1e-9,
            "arc {i} (p = {p}): {count} live of {draws}"
        );
    }
    // Independence: the number of live arcs has the variance of a sum of
    // independent Bernoulli draws.
    let mean = sum / n;
    let variance = sum_sq / n - mean * mean;
    let expected: f64 = probabilities.iter().map(|p| p * (1.0 - p)).sum();
    assert!(
        (variance - expected).abs() <= 0.06 * expected,
        "variance {variance} vs {expected}"
    );
}
