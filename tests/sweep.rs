//! Sweeps: exact merging of split runs, thread-count independence, agreement
//! with runs done by hand, common random numbers, progress and cancellation,
//! and errors that name the cell and the path.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::json;
use social_loop::progress::Progress;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, run};
use social_loop::sweep::{Axis, Design, Levels, Metric, Seeding, Sweep, SweepTable};
use social_loop::value::Actor;
use social_loop::{Error, Stage};

fn small_base() -> Scenario {
    Scenario::default()
        .network(NetworkSpec::Generated(
            GeneratedNetwork::micro_communities(200, 20, 4.0).unwrap(),
        ))
        .horizon(5)
}

fn two_axis_sweep() -> Sweep {
    Sweep::new(small_base())
        .axis(Axis::new(
            "ownership",
            Levels::values([json!({"model": "siloed"}), json!({"model": "co_op"})]),
        ))
        .axis(Axis::new("rates.advocate_talk", Levels::range(0.1, 0.6, 3)))
        .metrics([
            Metric::NetValue,
            Metric::Value(Actor::Customer),
            Metric::Stage(Stage::Advocate),
            Metric::Nps,
            Metric::ReturnOnEngagement,
            Metric::Purchases,
        ])
        .seed(11)
}

#[test]
fn merging_two_halves_gives_exactly_the_whole_table() {
    let sweep = two_axis_sweep();
    let n = 6;
    let whole = sweep.run(0..n).unwrap();
    let first = sweep.run(0..n / 2).unwrap();
    let second = sweep.run(n / 2..n).unwrap();

    let mut merged = first.clone();
    merged.merge(&second).unwrap();
    assert_eq!(merged, whole);
    assert_eq!(merged.summary(), whole.summary());
    assert_eq!(merged.summary().to_csv(), whole.summary().to_csv());

    // In the other order, and through JSON (as jobs on a cluster would).
    let ship = |t: &SweepTable| -> SweepTable {
        serde_json::from_str(&serde_json::to_string(t).unwrap()).unwrap()
    };
    let mut reversed = ship(&second);
    reversed.merge(&ship(&first)).unwrap();
    assert_eq!(reversed, whole);
    assert_eq!(whole.runs(), Some(&[[0, n]][..]));

    // The whole table really holds n runs of every metric in every cell.
    let advocates = whole.moments(0, Metric::Stage(Stage::Advocate)).unwrap();
    assert_eq!(advocates.count() + advocates.missing(), u64::from(n));
}

#[test]
fn a_run_cannot_be_merged_twice_nor_a_table_of_another_sweep() {
    let sweep = two_axis_sweep();
    let mut a = sweep.run(0..2).unwrap();
    let err = a.merge(&sweep.run(1..3).unwrap()).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref field, .. } if field == "merge"));
    let other = two_axis_sweep().seed(12).run(2..3).unwrap();
    assert!(
        a.merge(&other)
            .unwrap_err()
            .to_string()
            .contains("seeds differ")
    );
    let other_base = Sweep::new(small_base().horizon(4))
        .axis(two_axis_sweep().axes()[0].clone())
        .axis(two_axis_sweep().axes()[1].clone())
        .metrics(two_axis_sweep().run(0..1).unwrap().metrics().to_vec())
        .seed(11);
    let err = a.merge(&other_base.run(2..3).unwrap()).unwrap_err();
    assert!(err.to_string().contains("base scenarios differ"), "{err}");
}

#[test]
fn the_table_does_not_depend_on_the_number_of_threads() {
    let sweep = two_axis_sweep();
    let with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| sweep.run(0..3).unwrap())
    };
    let one = with(1);
    assert_eq!(one, with(2));
    assert_eq!(one, with(5));
}

#[test]
fn cell_statistics_match_runs_done_by_hand() {
    let sweep = two_axis_sweep();
    let runs = 4u32;
    let summary = sweep.run(0..runs).unwrap().summary();
    let cells = sweep.cells().unwrap();
    assert_eq!(cells.len(), 6);
    // Cell 4: co-op (second level of the first axis), talk 0.35 (middle level).
    assert_eq!(cells[4], vec![json!({"model": "co_op"}), json!(0.35)]);
    let advocates: Vec<f64> = (0..runs)
        .map(|r| {
            let scenario = sweep.scenario(4, &cells[4], r).unwrap();
            assert_eq!(scenario.get_seed(), Seeding::Independent.run_seed(11, 4, r));
            let report = run(&scenario).unwrap();
            report.last().unwrap().stages.advocate as f64
        })
        .collect();
    let mean = advocates.iter().sum::<f64>() / f64::from(runs);
    let var = advocates.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / f64::from(runs - 1);
    let stats = summary.column(Metric::Stage(Stage::Advocate)).unwrap()[4];
    assert_eq!(stats.n, u64::from(runs));
    assert!((stats.mean.unwrap() - mean).abs() < 1e-12);
    assert!((stats.std_dev.unwrap() - var.sqrt()).abs() < 1e-9);
    // 95% CI with Student's t for 3 degrees of freedom.
    let half = 3.182_446_305 * var.sqrt() / f64::from(runs).sqrt();
    let [lo, hi] = stats.ci95.unwrap();
    assert!((lo - (mean - half)).abs() < 1e-9 && (hi - (mean + half)).abs() < 1e-9);
    assert_eq!(stats.min, advocates.iter().copied().reduce(f64::min));
}

#[test]
fn common_random_numbers_pair_cells_run_by_run() {
    // The gross margin changes the money, not the dynamics.
    let sweep = |seeding| {
        Sweep::new(small_base())
            .axis(Axis::new(
                "prices.gross_margin",
                Levels::values(["0.1", "0.9"]),
            ))
            .metrics([
                Metric::Stage(Stage::Advocate),
                Metric::Kind(social_loop::value::ValueKind::CostOfSales),
            ])
            .seeding(seeding)
            .run(0..4)
            .unwrap()
    };
    let common = sweep(Seeding::Common);
    let advocates = Metric::Stage(Stage::Advocate);
    assert_eq!(common.moments(0, advocates), common.moments(1, advocates));
    let cost = Metric::Kind(social_loop::value::ValueKind::CostOfSales);
    let (thin, fat) = (
        common.moments(0, cost).unwrap().summary().mean.unwrap(),
        common.moments(1, cost).unwrap().summary().mean.unwrap(),
    );
    // The same sales cost 0.9 and 0.1 of their price.
    assert!(fat < 0.0);
    assert!((thin - 9.0 * fat).abs() < 1e-6, "{thin} {fat}");

    let independent = sweep(Seeding::Independent);
    assert_ne!(
        independent.moments(0, advocates),
        independent.moments(1, advocates)
    );
}

#[test]
fn progress_counts_every_run_and_cancel_stops_the_sweep() {
    let sweep = two_axis_sweep();
    let last = Arc::new(AtomicU64::new(0));
    let calls = Arc::new(AtomicU64::new(0));
    let (l, c) = (Arc::clone(&last), Arc::clone(&calls));
    let progress = Progress::new().on_progress(move |done| {
        assert_eq!(done.total, 12);
        l.fetch_max(done.done, Ordering::SeqCst);
        c.fetch_add(1, Ordering::SeqCst);
    });
    let table = sweep.clone().progress(&progress).run(0..2).unwrap();
    assert_eq!(table, sweep.run(0..2).unwrap());
    assert_eq!(
        (last.load(Ordering::SeqCst), calls.load(Ordering::SeqCst)),
        (12, 12)
    );

    // Cancelled from the callback after the first finished run.
    let stopper = Progress::new();
    let flag = stopper.cancel_flag();
    let stopper = stopper.on_progress(move |_| flag.store(true, Ordering::SeqCst));
    assert_eq!(
        sweep.clone().progress(&stopper).run(0..50),
        Err(Error::Cancelled)
    );

    // Cancelled before it starts.
    let cancelled = Progress::new();
    cancelled.cancel();
    assert_eq!(
        sweep.clone().progress(&cancelled).run(0..1),
        Err(Error::Cancelled)
    );
}

fn field_of(result: Result<SweepTable, Error>) -> (String, String) {
    match result {
        Err(Error::InvalidParameter { field, reason }) => (field.to_string(), reason),
        other => panic!("expected an invalid parameter, got {other:?}"),
    }
}

#[test]
fn mistakes_name_the_cell_and_the_path() {
    let base = Sweep::new(small_base());
    let (field, reason) = field_of(
        base.clone()
            .axis(Axis::new("rates.advocate_tlk", Levels::range(0.1, 0.2, 2)))
            .run(0..1),
    );
    assert_eq!(field, "axes.path");
    assert!(
        reason.contains("no field `advocate_tlk` in `rates`"),
        "{reason}"
    );

    let (field, reason) = field_of(
        base.clone()
            .axis(Axis::new("rates.advocate_talk", Levels::values([0.5, 1.5])))
            .run(0..1),
    );
    assert_eq!(field, "rates.advocate_talk");
    assert!(
        reason.starts_with("cell 1 (rates.advocate_talk = 1.5): ")
            && reason.contains("1.5 is not a probability"),
        "{reason}"
    );

    // The scenario's own validation, prefixed with the cell.
    let (field, _) = field_of(
        base.clone()
            .axis(Axis::new("prices.unit_price", Levels::values(["40", "0"])))
            .run(0..1),
    );
    assert_eq!(field, "prices.unit_price");

    // An integer field swept with reals.
    let (field, reason) = field_of(
        base.clone()
            .axis(Axis::new("rates.lapse_after", Levels::range(2.0, 4.0, 2)))
            .run(0..1),
    );
    assert_eq!(field, "rates.lapse_after");
    assert!(
        reason.starts_with("cell 0 (rates.lapse_after = 2.0): ") && reason.contains("expected u32"),
        "{reason}"
    );

    assert_eq!(
        field_of(
            base.clone()
                .axis(Axis::new("seed", Levels::values([1])))
                .run(0..1)
        )
        .1,
        "`seed`: the sweep sets the seed of every run; sweep other fields"
    );
    assert_eq!(field_of(base.clone().run(3..3)).0, "runs");
    assert_eq!(field_of(base.clone().metrics([]).run(0..1)).0, "metrics");
    assert_eq!(
        field_of(base.design(Design::LatinHypercube { cells: 0 }).run(0..1)).0,
        "design"
    );
}

#[test]
fn sampled_designs_integer_axes_and_wildcards_run() {
    let sweep = Sweep::new(small_base())
        .axis(Axis::new("rates.lapse_after", Levels::integers(2, 12, 2)))
        .axis(Axis::new(
            "engagements.*.cost",
            Levels::values(["0", "100"]),
        ))
        .axis(Axis::new(
            "rates.conversion",
            Levels::log_range(0.01, 0.1, 2),
        ))
        .design(Design::LatinHypercube { cells: 6 })
        .metrics([
            Metric::Kind(social_loop::value::ValueKind::EngagementCost),
            Metric::Purchases,
        ]);
    let cells = sweep.cells().unwrap();
    assert_eq!(cells.len(), 6);
    // Six strata on an axis of six integers: each integer exactly once.
    let mut lapse: Vec<i64> = cells.iter().map(|c| c[0].as_i64().unwrap()).collect();
    lapse.sort_unstable();
    assert_eq!(lapse, vec![2, 4, 6, 8, 10, 12]);
    let table = sweep.run(0..2).unwrap();
    let cost = Metric::Kind(social_loop::value::ValueKind::EngagementCost);
    for (c, levels) in cells.iter().enumerate() {
        let spent = table.moments(c, cost).unwrap().summary().mean.unwrap();
        if levels[1] == json!("0") {
            assert_eq!(spent, 0.0);
        } else {
            assert!(spent < 0.0);
        }
        let conversion = levels[2].as_f64().unwrap();
        assert!((0.01..=0.1).contains(&conversion));
    }
}

#[test]
fn a_sweep_reads_and_writes_as_json() {
    let sweep = two_axis_sweep().design(Design::Random { cells: 3 });
    let json = serde_json::to_string(&sweep).unwrap();
    let back: Sweep = serde_json::from_str(&json).unwrap();
    assert_eq!(back.run(0..2).unwrap(), sweep.run(0..2).unwrap());
    // Every field is optional.
    let minimal: Sweep = serde_json::from_str(
        r#"{"axes": [{"path": "rates.advocate_talk", "levels": {"range": {"min": 0.1, "max": 0.3, "steps": 2}}}],
            "metrics": ["net_value", "stage.advocate"]}"#,
    )
    .unwrap();
    assert_eq!(minimal.cells().unwrap().len(), 2);
}

#[test]
fn sweep_types_can_be_sent_and_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Sweep>();
    send_sync::<SweepTable>();
    send_sync::<social_loop::sweep::SweepSummary>();
    send_sync::<Progress>();
}

#[test]
fn a_sweep_file_reads_a_relative_network_file_from_its_own_folder() {
    let dir = std::env::temp_dir().join(format!("social-loop-sweep-file-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let edges: String = (0..30)
        .map(|i| format!("c{i}\tc{}\n", (i + 1) % 30))
        .collect();
    std::fs::write(dir.join("data/ring.txt"), edges).unwrap();
    let text = r#"{"base": {"network": {"file": {"path": "data/ring.txt", "format": "snap",
                             "weights": "uniform:0.2"}}, "horizon": 2},
                   "axes": [{"path": "rates.advocate_talk", "levels": {"values": [0.1, 0.5]}}]}"#;
    std::fs::write(dir.join("sweep.json"), text).unwrap();

    let sweep = Sweep::from_json_file(dir.join("sweep.json")).unwrap();
    let cells = sweep.cells().unwrap();
    let scenario = sweep.scenario(1, &cells[1], 0).unwrap();
    let NetworkSpec::File(file) = scenario.get_network() else {
        panic!("{:?}", scenario.get_network())
    };
    assert_eq!(file.path(), dir.join("data/ring.txt"));
    let table = sweep.run(0..2).unwrap();
    assert_eq!(table.summary().column(Metric::Purchases).unwrap().len(), 2);

    // The same text without its file's folder looks in the working directory,
    // and says which field names the missing file.
    let err = Sweep::from_json(text).unwrap().run(0..1).unwrap_err();
    assert_eq!(err.field(), Some("network.file.path"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn value_by_actor_in_a_sweep_is_the_attribution_of_each_run() {
    let sweep = two_axis_sweep().metrics([
        Metric::Value(Actor::Customer),
        Metric::Value(Actor::Brand),
        Metric::Booked(Actor::Customer),
        Metric::PresentValue,
    ]);
    let runs = 3u32;
    let summary = sweep.run(0..runs).unwrap().summary();
    let cells = sweep.cells().unwrap();
    let cell = 4;
    let settings = social_loop::propagation::MonteCarloSettings::new(2, 0).unwrap();
    let by_hand: Vec<(f64, f64, f64, f64)> = (0..runs)
        .map(|r| {
            let scenario = sweep.scenario(cell as u64, &cells[cell], r).unwrap();
            let report = social_loop::sim::Simulation::new(&scenario)
                .unwrap()
                .attribution(settings)
                .run()
                .unwrap();
            let values = report.attribution.as_ref().unwrap().per_run[0];
            let f = |d: social_loop::Decimal| d.to_string().parse::<f64>().unwrap();
            (
                f(values.customer),
                f(values.brand),
                f(report.totals.value.for_actor(Actor::Customer)),
                f(report.totals.net_present_value),
            )
        })
        .collect();
    let mean = |pick: fn(&(f64, f64, f64, f64)) -> f64| {
        by_hand.iter().map(pick).sum::<f64>() / f64::from(runs)
    };
    for (metric, expected) in [
        (Metric::Value(Actor::Customer), mean(|v| v.0)),
        (Metric::Value(Actor::Brand), mean(|v| v.1)),
        (Metric::Booked(Actor::Customer), mean(|v| v.2)),
        (Metric::PresentValue, mean(|v| v.3)),
    ] {
        let got = summary.column(metric).unwrap()[cell].mean.unwrap();
        assert!(
            (got - expected).abs() < 1e-6,
            "{metric}: {got} vs {expected}"
        );
    }
    // The causal value is not the labelled one.
    assert!((mean(|v| v.0) - mean(|v| v.2)).abs() > 1.0);
}
