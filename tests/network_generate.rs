//! Seeded generators: exact counts, degree properties, reproducibility, errors.

use std::collections::{HashSet, VecDeque};

use proptest::prelude::*;
use social_loop::network::{
    BarabasiAlbert, InfluenceNetwork, MicroCommunities, WattsStrogatz, generated_id,
};
use social_loop::{Error, Probability};

fn p(x: f64) -> Probability {
    Probability::new(x).unwrap()
}

/// Every arc as `(from, to)` customer indices, in network order.
fn arcs(net: &InfluenceNetwork) -> Vec<(usize, usize)> {
    let index = |id: &str| id.strip_prefix('c').unwrap().parse::<usize>().unwrap();
    net.ties()
        .map(|t| (index(t.from.as_str()), index(t.to.as_str())))
        .collect()
}

fn degree(net: &InfluenceNetwork, i: usize) -> usize {
    net.out_degree(generated_id(i).as_str()).unwrap()
}

/// Ids are c0..c{n-1} in order; no self-loops, no repeated arcs, every arc has
/// its reverse with the same tie, every tie has `probability`.
fn assert_well_formed(net: &InfluenceNetwork, n: usize, probability: Probability) {
    let ids: Vec<_> = net.customers().map(|c| c.to_string()).collect();
    assert_eq!(ids, (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>());
    let all = arcs(net);
    let set: HashSet<_> = all.iter().copied().collect();
    assert_eq!(set.len(), all.len(), "repeated arc");
    assert!(all.iter().all(|&(a, b)| a != b), "self-loop");
    assert!(
        all.iter().all(|&(a, b)| set.contains(&(b, a))),
        "missing reverse arc"
    );
    assert!(net.ties().all(|t| t.tie.probability == probability));
}

fn is_connected(net: &InfluenceNetwork, n: usize) -> bool {
    let mut adjacency = vec![Vec::new(); n];
    for (a, b) in arcs(net) {
        adjacency[a].push(b);
    }
    let mut seen = vec![false; n];
    let mut queue = VecDeque::from([0]);
    seen[0] = true;
    while let Some(u) = queue.pop_front() {
        for &v in &adjacency[u] {
            if !seen[v] {
                seen[v] = true;
                queue.push_back(v);
            }
        }
    }
    seen.iter().all(|&s| s)
}

// ---- Barabasi-Albert ----

#[test]
fn barabasi_albert_has_m_times_n_minus_m_relationships_and_min_degree_m() {
    let (n, m) = (500, 3);
    let net = BarabasiAlbert::new(n, m).generate(p(0.2), 1).unwrap();
    assert_well_formed(&net, n, p(0.2));
    assert_eq!(net.tie_count(), 2 * m * (n - m));
    assert!(
        (m..n).all(|i| degree(&net, i) >= m),
        "a newcomer has fewer than m friends"
    );
    assert!((0..m).all(|i| degree(&net, i) >= 1));
    // Customer m befriends every founder.
    assert!((0..m).all(|i| net.tie("c3", generated_id(i).as_str()).is_some()));
    assert!(is_connected(&net, n));
}

#[test]
fn barabasi_albert_grows_hubs() {
    // Preferential attachment: for n = 2000, m = 2 the largest degree is far above
    // the mean (4); in a uniform-attachment graph it would be about 20.
    let net = BarabasiAlbert::new(2000, 2).generate(p(0.1), 5).unwrap();
    let max = (0..2000).map(|i| degree(&net, i)).max().unwrap();
    assert!(max > 40, "largest degree {max}");
}

// ---- Watts-Strogatz ----

fn ring_distance(a: usize, b: usize, n: usize) -> usize {
    let d = a.abs_diff(b);
    d.min(n - d)
}

#[test]
fn watts_strogatz_without_rewiring_is_the_exact_ring_lattice() {
    let (n, k) = (30, 6);
    let net = WattsStrogatz::new(n, k, Probability::ZERO)
        .generate(p(0.5), 2)
        .unwrap();
    assert_well_formed(&net, n, p(0.5));
    assert_eq!(net.tie_count(), n * k);
    let expected: HashSet<(usize, usize)> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter(|&(a, b)| a != b && ring_distance(a, b, n) <= k / 2)
        .collect();
    assert_eq!(arcs(&net).into_iter().collect::<HashSet<_>>(), expected);
}

#[test]
fn watts_strogatz_rewires_about_beta_of_the_relationships() {
    // 1000 x 4 / 2 = 2000 relationships, beta = 0.3: about 600 become shortcuts
    // (a rewired tie lands back on the lattice with chance ~ k / n, negligible);
    // Binomial sd ~ 20.5, allow 5 sd.
    let (n, k) = (1000, 4);
    let net = WattsStrogatz::new(n, k, p(0.3))
        .generate(p(0.1), 3)
        .unwrap();
    assert_well_formed(&net, n, p(0.1));
    assert_eq!(net.tie_count(), n * k);
    let shortcuts = arcs(&net)
        .into_iter()
        .filter(|&(a, b)| a < b && ring_distance(a, b, n) > k / 2)
        .count();
    assert!(
        (shortcuts as f64 - 600.0).abs() < 5.0 * 20.5,
        "{shortcuts} shortcuts"
    );
}

// ---- micro-communities ----

#[test]
fn micro_communities_extremes_are_exact() {
    // p_in = 1, p_out = 0: disjoint cliques.
    let spec = MicroCommunities {
        community_sizes: vec![3, 5, 1, 4],
        p_in: Probability::ONE,
        p_out: Probability::ZERO,
    };
    let net = spec.generate(p(0.3), 4).unwrap();
    assert_well_formed(&net, 13, p(0.3));
    assert_eq!(net.tie_count(), 3 * 2 + 5 * 4 + 4 * 3); // the singleton has none
    let membership = spec.membership();
    assert!(
        arcs(&net)
            .iter()
            .all(|&(a, b)| membership[a] == membership[b])
    );
    // p_in = 0, p_out = 1: the complete multipartite graph.
    let spec = MicroCommunities {
        p_in: Probability::ZERO,
        p_out: Probability::ONE,
        ..spec
    };
    let net = spec.generate(p(0.3), 4).unwrap();
    assert_well_formed(&net, 13, p(0.3));
    assert_eq!(net.tie_count(), 13 * 12 - (3 * 2 + 5 * 4 + 4 * 3));
    assert!(
        arcs(&net)
            .iter()
            .all(|&(a, b)| membership[a] != membership[b])
    );
}

#[test]
fn micro_communities_mean_degrees_match_the_request() {
    // 100 communities of 40: 4,000 customers, mean 6 friends inside and 1.5 outside.
    // Relationships inside ~ Binomial with mean 12,000 (sd ~ 105), between mean
    // 3,000 (sd ~ 55); allow 5 sd on each.
    let spec = MicroCommunities::with_mean_degrees(100, 40, 6.0, 1.5).unwrap();
    assert!((spec.expected_mean_degree() - 7.5).abs() < 1e-9);
    let net = spec.generate(p(0.05), 6).unwrap();
    assert_well_formed(&net, 4000, p(0.05));
    let membership = spec.membership();
    let (inside, between): (Vec<_>, Vec<_>) = arcs(&net)
        .into_iter()
        .filter(|&(a, b)| a < b)
        .partition(|&(a, b)| membership[a] == membership[b]);
    assert!(
        (inside.len() as f64 - 12_000.0).abs() < 5.0 * 105.0,
        "{}",
        inside.len()
    );
    assert!(
        (between.len() as f64 - 3_000.0).abs() < 5.0 * 55.0,
        "{}",
        between.len()
    );
    let mean_degree = net.tie_count() as f64 / 4000.0;
    assert!((mean_degree - 7.5).abs() < 0.3, "mean degree {mean_degree}");
}

#[test]
fn micro_communities_membership_is_contiguous() {
    let spec = MicroCommunities {
        community_sizes: vec![2, 3],
        p_in: p(0.5),
        p_out: p(0.1),
    };
    assert_eq!(spec.customers(), 5);
    assert_eq!(spec.membership(), [0, 0, 1, 1, 1]);
    assert_eq!(
        (0..6).map(|i| spec.community_of(i)).collect::<Vec<_>>(),
        [Some(0), Some(0), Some(1), Some(1), Some(1), None]
    );
}

// ---- reproducibility ----

#[test]
fn same_seed_same_network_and_different_seed_different_network() {
    type Generate = Box<dyn Fn(u64) -> InfluenceNetwork>;
    let generators: [(&str, Generate); 3] = [
        (
            "ba",
            Box::new(|s| BarabasiAlbert::new(200, 2).generate(p(0.1), s).unwrap()),
        ),
        (
            "ws",
            Box::new(|s| {
                WattsStrogatz::new(200, 4, p(0.2))
                    .generate(p(0.1), s)
                    .unwrap()
            }),
        ),
        (
            "sbm",
            Box::new(|s| {
                MicroCommunities::with_mean_degrees(10, 20, 4.0, 1.0)
                    .unwrap()
                    .generate(p(0.1), s)
                    .unwrap()
            }),
        ),
    ];
    for (name, generate) in &generators {
        assert_eq!(arcs(&generate(11)), arcs(&generate(11)), "{name}");
        assert_ne!(arcs(&generate(11)), arcs(&generate(12)), "{name}");
    }
}

#[test]
fn a_fixed_seed_gives_a_fixed_network() {
    // Pinned values: they change only if the algorithm or rand's sampling changes.
    let net = MicroCommunities::with_mean_degrees(4, 5, 2.0, 1.0)
        .unwrap()
        .generate(p(0.1), 2024)
        .unwrap();
    let first: Vec<_> = arcs(&net).into_iter().take(6).collect();
    println!("pinned sbm: {} arcs, first {first:?}", net.tie_count());
    assert_eq!(net.tie_count(), PINNED_SBM_ARCS);
    assert_eq!(first, PINNED_SBM_FIRST);
}

const PINNED_SBM_ARCS: usize = 70;
const PINNED_SBM_FIRST: [(usize, usize); 6] = [(0, 2), (2, 0), (1, 2), (2, 1), (0, 3), (3, 0)];

// ---- one test per invalid parameter ----

fn invalid_field(result: social_loop::Result<InfluenceNetwork>) -> String {
    match result {
        Err(Error::InvalidParameter { field, .. }) => field.to_string(),
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

#[test]
fn invalid_barabasi_albert_parameters_name_the_field() {
    let g = |n, m| BarabasiAlbert::new(n, m).generate(p(0.1), 0);
    assert_eq!(invalid_field(g(10, 0)), "ties_per_newcomer");
    assert_eq!(invalid_field(g(3, 3)), "customers");
    // 2 * 50,000 * 50,000 arcs do not fit u32 graph indices: refused before any work.
    assert_eq!(invalid_field(g(100_000, 50_000)), "ties_per_newcomer");
}

#[test]
fn invalid_watts_strogatz_parameters_name_the_field() {
    let g = |n, k| WattsStrogatz::new(n, k, p(0.1)).generate(p(0.1), 0);
    assert_eq!(invalid_field(g(10, 3)), "neighbours");
    assert_eq!(invalid_field(g(10, 0)), "neighbours");
    assert_eq!(invalid_field(g(4, 4)), "customers");
}

#[test]
fn invalid_micro_communities_parameters_name_the_field() {
    let g = |sizes: Vec<usize>, p_in: f64| {
        MicroCommunities {
            community_sizes: sizes,
            p_in: p(p_in),
            p_out: Probability::ZERO,
        }
        .generate(p(0.1), 0)
    };
    assert_eq!(invalid_field(g(vec![], 0.1)), "community_sizes");
    assert_eq!(invalid_field(g(vec![3, 0, 2], 0.1)), "community_sizes");
    assert_eq!(invalid_field(g(vec![200_000], 1.0)), "p_in");
    let field = |r: social_loop::Result<MicroCommunities>| match r {
        Err(Error::InvalidParameter { field, .. }) => field.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(MicroCommunities::with_mean_degrees(10, 5, 5.0, 1.0)),
        "friends_inside"
    );
    assert_eq!(
        field(MicroCommunities::with_mean_degrees(10, 5, 1.0, f64::NAN)),
        "friends_outside"
    );
    assert_eq!(
        field(MicroCommunities::with_mean_degrees(0, 5, 1.0, 1.0)),
        "community_sizes"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn generated_networks_are_symmetric_and_loop_free(
        seed in any::<u64>(),
        n in 8usize..60,
        m in 1usize..4,
        half in 1usize..3,
        beta in 0.0f64..=1.0,
        size in 1usize..8,
        p_in in 0.0f64..=1.0,
        p_out in 0.0f64..=0.3,
    ) {
        let q = p(0.25);
        let ba = BarabasiAlbert::new(n, m).generate(q, seed).unwrap();
        assert_well_formed(&ba, n, q);
        prop_assert_eq!(ba.tie_count(), 2 * m * (n - m));
        let ws = WattsStrogatz::new(n, 2 * half, p(beta)).generate(q, seed).unwrap();
        assert_well_formed(&ws, n, q);
        prop_assert_eq!(ws.tie_count(), n * 2 * half);
        let communities = n.div_ceil(size);
        let sbm = MicroCommunities::uniform(communities, size, p(p_in), p(p_out))
            .generate(q, seed)
            .unwrap();
        assert_well_formed(&sbm, communities * size, q);
    }
}
