//! The shipped scenario file and the `run_scenario` example: the file parses
//! strictly and runs; mistakes name the field; the CSV has one row per period;
//! the built binary exits 2 on a bad file.

#[allow(dead_code)]
#[path = "../examples/run_scenario.rs"]
mod cli;

use std::path::PathBuf;
use std::process::Command as Process;

use cli::{Args, Command, parse_args, parse_scenario, periods_csv};
use social_loop::brand::Ownership;
use social_loop::sim::run;

const SHIPPED: &str = include_str!("../examples/scenario.json");

#[test]
fn the_shipped_scenario_parses_strictly_and_runs() {
    let scenario = parse_scenario(SHIPPED).unwrap();
    assert_eq!(scenario.ownership, Ownership::CoOp);
    assert_eq!((scenario.horizon, scenario.seed), (26, 2024));
    assert_eq!(scenario.engagements.len(), 6);
    assert_eq!(scenario.audit.customers.len(), 2);
    let report = run(&scenario.horizon(3)).unwrap();
    assert_eq!(report.population, 3_000);
    assert_eq!(report.periods.len(), 3);
    assert!(report.periods.iter().all(|p| p.stages.total() == 3_000));
    assert_eq!(report.audit.len(), 2);
    // Money is read exactly from strings.
    assert_eq!(
        report.ledger.totals().net(),
        report.periods.iter().map(|p| p.value.net()).sum()
    );
}

fn error_of(json: &str) -> String {
    match parse_scenario(json) {
        Err(e) => e,
        Ok(_) => panic!("{json} was accepted"),
    }
}

#[test]
fn mistakes_name_the_field() {
    let e = error_of(r#"{"rates": {"advocate_talk": 1.5}}"#);
    assert!(e.starts_with("rates.advocate_talk: "), "{e}");
    assert!(e.contains("1.5 is not a probability"), "{e}");

    let e = error_of(r#"{"rates": {"advocate_tlk": 0.5}}"#);
    assert!(e.starts_with("rates.advocate_tlk: unknown field"), "{e}");

    let e = error_of(r#"{"ownership": {"model": "coop"}}"#);
    assert!(
        e.starts_with("ownership.model: unknown variant `coop`"),
        "{e}"
    );

    let e = error_of("{\"horizon\": 5,\n \"seed\": \"x\"}");
    assert!(e.starts_with("seed: invalid type"), "{e}");
    assert!(e.contains("line 2"), "{e}");

    // The scenario's own checks, after parsing.
    let e = error_of(r#"{"prices": {"unit_price": "-3"}}"#);
    assert_eq!(e, "prices.unit_price: -3 must be > 0");

    let e = error_of(r#"{"horizon": 5} trailing"#);
    assert!(e.starts_with("line 1, column "), "{e}");
    assert!(e.contains("trailing characters"), "{e}");
}

#[test]
fn an_empty_file_is_the_default_scenario() {
    let s = parse_scenario("{}").unwrap();
    assert_eq!(s.horizon, 52);
    assert_eq!(s.ownership, Ownership::Siloed);
}

#[test]
fn the_csv_has_a_header_and_one_row_per_period_of_equal_width() {
    let scenario = parse_scenario(SHIPPED).unwrap().horizon(4);
    let report = run(&scenario).unwrap();
    let csv = periods_csv(&report);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5);
    let width = lines[0].split(',').count();
    assert_eq!(width, 30);
    assert!(lines.iter().all(|l| l.split(',').count() == width));
    assert!(lines[0].starts_with("period,unaware,aware,"));
    assert!(lines[0].ends_with(",value_net"));
    // Stage counts of each row add up to the population.
    for line in &lines[1..] {
        let stages: u64 = line
            .split(',')
            .skip(1)
            .take(7)
            .map(|x| x.parse::<u64>().unwrap())
            .sum();
        assert_eq!(stages, 3_000);
    }
}

#[test]
fn arguments() {
    assert_eq!(
        parse_args(["s.json", "--out", "o", "--horizon", "4", "--seed", "9"]),
        Ok(Command::Run(Args {
            file: PathBuf::from("s.json"),
            out: PathBuf::from("o"),
            horizon: Some(4),
            seed: Some(9),
        }))
    );
    assert_eq!(parse_args(["--default"]), Ok(Command::PrintDefault));
    assert_eq!(parse_args(["--help"]), Ok(Command::Help));
    assert_eq!(
        parse_args(Vec::<String>::new()),
        Err("missing the scenario file".into())
    );
    assert!(
        parse_args(["a.json", "--horizon", "x"])
            .unwrap_err()
            .contains("--horizon")
    );
    assert!(
        parse_args(["a.json", "b.json"])
            .unwrap_err()
            .contains("one scenario file")
    );
    assert!(
        parse_args(["a.json", "--out"])
            .unwrap_err()
            .contains("--out needs a value")
    );
}

/// The example binary next to this test binary, when `cargo test` built it
/// from the current source (`cargo test --test integration` alone does not
/// build examples, and an older binary would test old code).
fn built_example() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe
        .parent()?
        .parent()?
        .join("examples")
        .join(format!("run_scenario{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&bin).ok()?.modified().ok()?;
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/run_scenario.rs");
    let written = std::fs::metadata(source).ok()?.modified().ok()?;
    (built >= written).then_some(bin)
}

#[test]
fn the_binary_writes_both_files_or_exits_2_naming_the_field() {
    let Some(bin) = built_example() else {
        eprintln!(
            "note: examples/run_scenario not built from the current source (run `cargo test`), skipping"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("social_loop_run_scenario_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"rates": {"advocate_talk": 1.5}}"#).unwrap();
    let out = Process::new(&bin).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rates.advocate_talk"), "{stderr}");

    let good = dir.join("good.json");
    std::fs::write(&good, SHIPPED).unwrap();
    let out_dir = dir.join("out");
    let out = Process::new(&bin)
        .arg(&good)
        .args(["--horizon", "2", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["periods"].as_array().map(Vec::len), Some(2));
    let csv = std::fs::read_to_string(out_dir.join("periods.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3);
    // Piped stderr: no progress bar drawn.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
