//! Sweeps split over a cluster: merging is exact in any order and grouping,
//! shards of any count merge to the whole, a part twice or missing is
//! refused; split Monte Carlo estimates merge to the estimate of all runs.

use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::json;
use social_loop::network::InfluenceNetwork;
use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo, MonteCarloSettings};
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
use social_loop::sweep::{Axis, Levels, Metric, Shard, ShardMerge, Sweep, SweepTable};
use social_loop::{Error, Stage};

const RUNS: u32 = 8;

fn sweep() -> Sweep {
    let base = Scenario::default()
        .network(NetworkSpec::Generated(
            GeneratedNetwork::micro_communities(120, 20, 4.0).unwrap(),
        ))
        .horizon(3);
    Sweep::new(base)
        .axis(Axis::new(
            "ownership",
            Levels::values([json!({"model": "siloed"}), json!({"model": "co_op"})]),
        ))
        .axis(Axis::new("rates.advocate_talk", Levels::values([0.1, 0.5])))
        // A second network size, so that cells differ in cost.
        .axis(Axis::new(
            "network.generated.model.communities",
            Levels::values([6, 12]),
        ))
        .metrics([
            Metric::NetValue,
            Metric::Stage(Stage::Advocate),
            Metric::Nps,
        ])
        .seed(5)
}

/// The whole table, and one table per run (computed once).
fn tables() -> &'static (SweepTable, Vec<SweepTable>) {
    static TABLES: OnceLock<(SweepTable, Vec<SweepTable>)> = OnceLock::new();
    TABLES.get_or_init(|| {
        let s = sweep();
        let runs = (0..RUNS).map(|r| s.run(r..r + 1).unwrap()).collect();
        (s.run(0..RUNS).unwrap(), runs)
    })
}

/// Merges `pieces` by repeatedly merging the pair at `picks[k] % len` with
/// its right neighbour: any grouping, in the order given.
fn merge_in_tree(mut pieces: Vec<SweepTable>, picks: &[usize]) -> SweepTable {
    let mut k = 0;
    while pieces.len() > 1 {
        let i = picks.get(k).copied().unwrap_or(0) % (pieces.len() - 1);
        k += 1;
        let right = pieces.remove(i + 1);
        pieces[i].merge(&right).unwrap();
    }
    pieces.pop().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn merging_runs_is_exact_in_any_order_and_grouping(
        order in Just((0..RUNS as usize).collect::<Vec<_>>()).prop_shuffle(),
        picks in proptest::collection::vec(0usize..64, 0..16),
    ) {
        let (whole, runs) = tables();
        let pieces: Vec<SweepTable> = order.iter().map(|&r| runs[r].clone()).collect();
        let merged = merge_in_tree(pieces, &picks);
        prop_assert_eq!(&merged, whole);
        prop_assert_eq!(serde_json::to_string(&merged).unwrap(), serde_json::to_string(whole).unwrap());
    }

    #[test]
    fn shards_of_any_count_merge_to_the_whole_in_any_order(
        count in 1u32..7,
        seed in any::<u64>(),
    ) {
        let (whole, _) = tables();
        let s = sweep();
        let mut parts: Vec<_> = (0..count)
            .map(|i| s.run_shard(0..RUNS, Shard::new(i, count).unwrap()).unwrap())
            .collect();
        // A deterministic shuffle from the seed.
        let n = parts.len();
        for i in (1..n).rev() {
            let j = (seed.rotate_left(i as u32) % (i as u64 + 1)) as usize;
            parts.swap(i, j);
        }
        let mut merge = ShardMerge::new();
        for part in &parts {
            // Through JSON, as the tasks of a cluster hand them over.
            let part = serde_json::from_str(&serde_json::to_string(part).unwrap()).unwrap();
            merge.add(format!("part-{}", part_index(&part)), part).unwrap();
        }
        let merged = merge.finish().unwrap();
        prop_assert_eq!(serde_json::to_string(&merged).unwrap(), serde_json::to_string(whole).unwrap());
        // Every part checks against the sweep; a part is not another shard.
        for part in &parts {
            prop_assert!(s.check_part(part, 0..RUNS, part.shard()).is_ok());
        }
        if count > 1 {
            let wrong = Shard::new((parts[0].shard().index() + 1) % count, count).unwrap();
            prop_assert!(s.check_part(&parts[0], 0..RUNS, wrong).is_err());
        }
    }
}

fn part_index(part: &social_loop::sweep::SweepPart) -> u32 {
    part.shard().index()
}

#[test]
fn a_part_twice_a_missing_part_and_another_sweep_are_refused() {
    let s = sweep();
    let part = |i: u32| s.run_shard(0..4, Shard::new(i, 3).unwrap()).unwrap();
    let mut merge = ShardMerge::new();
    merge.add("a.json", part(0)).unwrap();
    let err = merge.add("b.json", part(0)).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { ref field, .. } if field == "merge"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("b.json: shard 0/3 is already merged, from a.json"),
        "{err}"
    );
    let other = s
        .clone()
        .seed(6)
        .run_shard(0..4, Shard::new(1, 3).unwrap())
        .unwrap();
    let err = merge.add("c.json", other).unwrap_err().to_string();
    assert!(err.contains("c.json: a part of another sweep"), "{err}");
    let other_runs = s.run_shard(0..5, Shard::new(1, 3).unwrap()).unwrap();
    let err = merge.add("d.json", other_runs).unwrap_err().to_string();
    assert!(
        err.contains("d.json: a part of runs 0..5, not 0..4"),
        "{err}"
    );
    let other_count = s.run_shard(0..4, Shard::new(1, 2).unwrap()).unwrap();
    let err = merge.add("e.json", other_count).unwrap_err().to_string();
    assert!(err.contains("one of 2 parts, not 3"), "{err}");
    merge.add("f.json", part(2)).unwrap();
    let err = merge.finish().unwrap_err().to_string();
    assert!(err.contains("shard 1/3 is missing"), "{err}");
    assert!(ShardMerge::new().finish().is_err());
}

#[test]
fn shards_split_by_cost_and_tell_each_finished_cell() {
    use std::sync::{Arc, Mutex};
    let s = sweep();
    let cells = s.cells().unwrap();
    // Cells with 12 communities cost twice those with 6: with 2 shards the
    // cheap half of the work is not half of the (cell, run) units.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let part = s
        .clone()
        .on_cell_done(move |d| sink.lock().unwrap().push(d))
        .run_shard(0..RUNS, Shard::new(0, 2).unwrap())
        .unwrap();
    let cost = |c: usize| cells[c][2].as_u64().unwrap() * 20 * 3;
    let mut done_cost = 0;
    for c in 0..cells.len() {
        for [a, b] in part.table().cell_runs(c).unwrap() {
            done_cost += u64::from(b - a) * cost(c);
        }
    }
    let total: u64 = (0..cells.len()).map(|c| cost(c) * u64::from(RUNS)).sum();
    let largest = (0..cells.len()).map(cost).max().unwrap();
    assert!(
        done_cost.abs_diff(total / 2) <= largest,
        "{done_cost} of {total}"
    );
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty());
    let dones: Vec<u64> = seen.iter().map(|d| d.done).collect();
    assert_eq!(dones, (1..=seen.len() as u64).collect::<Vec<_>>());
    assert!(seen.iter().all(|d| d.total == seen.len() as u64));
    for d in seen.iter() {
        let held = part.table().cell_runs(d.cell as usize).unwrap();
        assert_eq!(held, &[[d.runs.start, d.runs.end]]);
    }
}

#[test]
fn split_estimates_merge_to_the_estimate_of_all_runs_bit_for_bit() {
    let net = InfluenceNetwork::from_triples([
        ("a", "b", 0.4),
        ("a", "c", 0.4),
        ("b", "d", 0.4),
        ("c", "d", -0.4),
        ("d", "e", 0.4),
        ("e", "f", 0.4),
    ])
    .unwrap();
    let compiled = CompiledNetwork::from_network(&net);
    let none: [&str; 0] = [];
    for (model, engine, adversaries) in [
        (Model::IndependentCascade, Engine::Auto, &none[..]),
        (Model::IndependentCascade, Engine::WordParallel, &none[..]),
        (Model::IndependentCascade, Engine::Skipping, &none[..]),
        (Model::LinearThreshold, Engine::PerRun, &none[..]),
        (Model::signed_neutral(), Engine::Auto, &["f"][..]),
    ] {
        let mc = MonteCarlo::new(model)
            .settings(MonteCarloSettings::new(200, 3).unwrap().engine(engine));
        let whole = mc.tally(&compiled, ["a"], adversaries, 0..200).unwrap();
        // 0..n with n >= 64 is exactly the estimate of n runs.
        assert_eq!(
            whole.finish(),
            mc.estimate_signed(&compiled, ["a"], adversaries).unwrap(),
            "{model:?} {engine:?}"
        );
        // Split at places that cut word-parallel batches, merged in two orders.
        let cuts = [0, 37, 64, 130, 200];
        let parts: Vec<_> = cuts
            .windows(2)
            .map(|w| mc.tally(&compiled, ["a"], adversaries, w[0]..w[1]).unwrap())
            .collect();
        let mut forward = parts[0].clone();
        for p in &parts[1..] {
            forward.merge(p).unwrap();
        }
        let mut backward = parts[3].clone();
        for p in parts[..3].iter().rev() {
            let ship: social_loop::propagation::SpreadTally =
                serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap();
            backward.merge(&ship).unwrap();
        }
        assert_eq!(forward, whole);
        assert_eq!(backward.finish(), whole.finish());
        assert!(forward.merge(&parts[1]).is_err());
    }
    let ic = MonteCarlo::new(Model::IndependentCascade);
    let lt = MonteCarlo::new(Model::LinearThreshold);
    let mut a = ic.tally(&compiled, ["a"], none, 0..10).unwrap();
    assert!(
        a.merge(&lt.tally(&compiled, ["a"], none, 10..20).unwrap())
            .is_err()
    );
    assert!(ic.tally(&compiled, ["a"], none, 5..5).is_err());
    assert!(
        ic.clone()
            .trajectory(true)
            .tally(&compiled, ["a"], none, 0..5)
            .is_err()
    );
}
