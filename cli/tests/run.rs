//! `social-loop run`: writes both files, or exits 2 naming the field.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{err_2, ok_stdout, social_loop, temp_dir, temp_file};

const SHIPPED: &str = include_str!("../../examples/scenario.json");

#[test]
fn writes_both_files_and_a_summary() {
    let good = temp_file("run", "good.json", SHIPPED);
    let out_dir = temp_dir("run").join("out");
    let out = social_loop([
        "run".as_ref(),
        good.as_os_str(),
        "--horizon".as_ref(),
        "2".as_ref(),
        "--seed".as_ref(),
        "9".as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    let stdout = ok_stdout(&out);
    assert!(
        stdout.contains("3000 customers") && stdout.contains("seed 9"),
        "{stdout}"
    );
    assert!(stdout.contains("wrote"), "{stdout}");
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

#[test]
fn mistakes_exit_2_naming_the_file_and_the_field() {
    let bad = temp_file("run", "bad.json", r#"{"rates": {"advocate_talk": 1.5}}"#);
    let err = err_2(&social_loop(["run".as_ref(), bad.as_os_str()]));
    assert!(err.contains("bad.json: rates.advocate_talk"), "{err}");
    let typo = temp_file("run", "typo.json", r#"{"horizn": 3}"#);
    let err = err_2(&social_loop(["run".as_ref(), typo.as_os_str()]));
    assert!(err.contains("horizn: unknown field"), "{err}");
    let err = err_2(&social_loop(["run", "no/such/file.json"]));
    assert!(err.contains("no/such/file.json"), "{err}");
    let err = err_2(&social_loop(["run", "a.json", "--horizon", "x"]));
    assert!(err.contains("--horizon"), "{err}");
    let err = err_2(&social_loop(["run"]));
    assert!(err.contains("SCENARIO.json"), "{err}");
    let err = err_2(&social_loop(["run", "a.json", "b.json"]));
    assert!(err.contains("b.json"), "{err}");
}

#[test]
fn default_prints_a_scenario_that_reads_back() {
    let out = ok_stdout(&social_loop(["run", "--default"]));
    let scenario = social_loop::sim::Scenario::from_json(&out).unwrap();
    assert_eq!(scenario.get_horizon(), 52);
}

#[test]
fn attribution_prints_one_json_line_after_the_summary() {
    let good = temp_file("run", "attributed.json", SHIPPED);
    let out_dir = temp_dir("run").join("attributed");
    let out = social_loop([
        "run".as_ref(),
        good.as_os_str(),
        "--horizon".as_ref(),
        "3".as_ref(),
        "--attribution".as_ref(),
        "--runs".as_ref(),
        "3".as_ref(),
        "--threads".as_ref(),
        "2".as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    let stdout = ok_stdout(&out);
    let last = stdout.lines().last().unwrap();
    let line: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(line["runs"], 3);
    let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["attribution", "runs"],
        "the interface names exactly these keys"
    );
    let actors: Vec<&String> = line["attribution"].as_object().unwrap().keys().collect();
    assert_eq!(actors.len(), 5);
    let money = |v: &serde_json::Value| -> f64 { v.as_str().unwrap().parse().unwrap() };
    let mut parts = 0.0;
    for actor in ["customer", "brand", "business", "baseline", "total"] {
        let part = &line["attribution"][actor];
        let (mean, ci) = (money(&part["mean"]), &part["ci95"]);
        assert!(
            money(&ci[0]) <= mean && mean <= money(&ci[1]),
            "{actor}: {part}"
        );
        // Strings of decimals, to the cent.
        assert!(
            part["mean"]
                .as_str()
                .unwrap()
                .split('.')
                .nth(1)
                .unwrap()
                .len()
                == 2
        );
        if actor != "total" {
            parts += mean;
        }
    }
    let total = money(&line["attribution"]["total"]["mean"]);
    assert!((parts - total).abs() <= 0.03, "{parts} vs {total}");
    // The report carries it too.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["attribution"]["runs"], 3);
}

#[test]
fn attribution_flags_are_checked() {
    let good = temp_file("run", "flags.json", SHIPPED);
    let err = err_2(&social_loop([
        "run".as_ref(),
        good.as_os_str(),
        "--attribution".as_ref(),
        "--runs".as_ref(),
        "1".as_ref(),
    ]));
    assert!(err.contains("--runs"), "{err}");
    let err = err_2(&social_loop([
        "run".as_ref(),
        good.as_os_str(),
        "--runs".as_ref(),
        "5".as_ref(),
    ]));
    assert!(err.contains("--attribution"), "{err}");
}
