//! `social-loop run --events-out` then `social-loop calibrate`: the printed
//! line's keys, parameters recovered inside their intervals, a fitted file
//! that `run` accepts, and an empty events file named in the error.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{err_2, json_line, keys_in_order, ok_stdout, social_loop, temp_dir, temp_file};

const COMPANY: &str = r#"{"network": {"generated": {"model": {"kind": "micro_communities", "communities": 20,
  "size": 50, "friends_inside": 4.0, "friends_outside": 1.0}, "tie_probability": 0.05, "distrust": 0.0}},
  "rates": {"adversary_talk": 0.0, "exposure": 0.03, "conversion": 0.05},
  "purchase_frequency": 0.15, "horizon": 20, "seed": 3}"#;

#[test]
fn calibrate_recovers_the_simulated_parameters_and_writes_a_runnable_scenario() {
    let scenario = temp_file("calibrate", "company.json", COMPANY);
    let dir = temp_dir("calibrate");
    let events = dir.join("events.jsonl");
    let fitted = dir.join("fitted.json");
    let out = social_loop([
        "run".as_ref(),
        scenario.as_os_str(),
        "--events-out".as_ref(),
        events.as_os_str(),
        "--out".as_ref(),
        dir.join("run").as_os_str(),
    ]);
    ok_stdout(&out);
    let out = social_loop([
        "calibrate".as_ref(),
        "--events".as_ref(),
        events.as_os_str(),
        "--at".as_ref(),
        "2023-12-31".as_ref(),
        "--out".as_ref(),
        fitted.as_os_str(),
    ]);
    let line = json_line(&out);
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(
        keys_in_order(text.trim()),
        ["customers", "events", "parameters"]
    );
    assert_eq!(line["customers"], 1000);
    let parameters = line["parameters"].as_object().unwrap();
    for (path, e) in parameters {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        let source = e["source"].as_str().unwrap();
        let expected: &[&str] = if source == "fitted" {
            &["ci95", "estimate", "source", "std_err"]
        } else {
            &["ci95", "estimate", "reason", "source", "std_err"]
        };
        assert_eq!(keys, expected, "{path}");
        let (lo, hi) = (
            e["ci95"][0].as_f64().unwrap(),
            e["ci95"][1].as_f64().unwrap(),
        );
        assert!(lo < hi, "{path}");
    }
    // One company: each estimate within four standard errors of the truth
    // (the 95% intervals themselves are checked over 100 companies in the
    // library's coverage test; here five of them would miss one in four runs).
    for (path, truth) in [
        ("purchase_frequency", 0.15),
        ("rates.conversion", 0.05),
        ("rates.exposure", 0.03),
        ("rates.transitions.customer+experience_delighted", 0.3),
        ("population.initial.unaware", 0.6),
        ("rates.advocate_talk", 0.3),
        ("network.generated.tie_probability", 0.05),
    ] {
        let e = &parameters[path];
        assert_eq!(e["source"], "fitted", "{path}");
        let (estimate, std_err) = (
            e["estimate"].as_f64().unwrap(),
            e["std_err"].as_f64().unwrap(),
        );
        assert!(
            (estimate - truth).abs() <= 4.0 * std_err,
            "{path}: {estimate} +- {std_err} is far from {truth}"
        );
    }
    // No adversary talks in this company: no criticism to fit its rate on.
    assert_eq!(parameters["rates.adversary_talk"]["source"], "default");
    // The fitted scenario runs.
    let out = social_loop([
        "run".as_ref(),
        fitted.as_os_str(),
        "--horizon".as_ref(),
        "2".as_ref(),
        "--out".as_ref(),
        dir.join("again").as_os_str(),
    ]);
    assert!(ok_stdout(&out).contains("1000 customers"));
}

#[test]
fn an_empty_events_file_is_an_error_naming_it() {
    let empty = temp_file("calibrate_empty", "empty.jsonl", "");
    let out = social_loop([
        "calibrate".as_ref(),
        "--events".as_ref(),
        empty.as_os_str(),
        "--out".as_ref(),
        temp_dir("calibrate_empty").join("f.json").as_os_str(),
    ]);
    let stderr = err_2(&out);
    assert!(
        stderr.contains("empty.jsonl") && stderr.contains("empty"),
        "{stderr}"
    );
}
