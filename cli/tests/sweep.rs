//! `social-loop sweep` and `sweep merge`: a sweep file runs, and the merge of
//! parts is exactly the table of one run over all their runs.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{err_2, ok_stdout, social_loop, temp_dir, temp_file};

/// A sweep small enough for a test: 4 cells of 200 customers over 4 weeks.
const SMALL: &str = r#"{
  "base": {
    "network": {"generated": {"model": {"kind": "micro_communities", "communities": 10, "size": 20, "friends_inside": 4.0, "friends_outside": 1.0}, "tie_probability": 0.1, "distrust": 0.05}},
    "horizon": 4
  },
  "axes": [
    {"path": "ownership", "levels": {"values": [{"model": "siloed"}, {"model": "co_op"}]}},
    {"path": "rates.advocate_talk", "levels": {"values": [0.1, 0.4]}}
  ],
  "seed": 7,
  "metrics": ["net_value", "stage.advocate"]
}"#;

#[test]
fn parts_merge_to_the_whole_byte_for_byte() {
    let dir = temp_dir("sweep");
    let file = temp_file("sweep", "small.json", SMALL);
    let path = |name: &str| dir.join(name);
    let run = |runs: &str, out: &str| {
        let out = social_loop([
            "sweep".as_ref(),
            file.as_os_str(),
            "--runs".as_ref(),
            runs.as_ref(),
            "--out".as_ref(),
            path(out).as_os_str(),
        ]);
        ok_stdout(&out)
    };
    let whole = run("0..3", "whole.json");
    assert!(whole.contains("ran 4 cells x runs 0..3"), "{whole}");
    assert!(whole.contains("best cells by net_value"), "{whole}");
    run("0..1", "a.json");
    run("1..3", "b.json");
    let merged = social_loop([
        "sweep".as_ref(),
        "merge".as_ref(),
        path("b.json").as_os_str(),
        path("a.json").as_os_str(),
        "--out".as_ref(),
        path("merged.json").as_os_str(),
        "--csv".as_ref(),
        path("merged.csv").as_os_str(),
    ]);
    ok_stdout(&merged);
    assert_eq!(
        std::fs::read(path("merged.json")).unwrap(),
        std::fs::read(path("whole.json")).unwrap()
    );
    let csv = std::fs::read_to_string(path("merged.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");

    // A part twice is refused, naming the part.
    let twice = social_loop([
        "sweep".as_ref(),
        "merge".as_ref(),
        path("a.json").as_os_str(),
        path("a.json").as_os_str(),
        "--out".as_ref(),
        path("x.json").as_os_str(),
    ]);
    assert!(err_2(&twice).contains("a.json"));
}

#[test]
fn bad_sweep_files_and_flags_exit_2() {
    let typo = temp_file("sweep", "typo.json", r#"{"axis": []}"#);
    let err = err_2(&social_loop(["sweep".as_ref(), typo.as_os_str()]));
    assert!(err.contains("typo.json: axis: unknown field"), "{err}");
    let file = temp_file("sweep", "small2.json", SMALL);
    let err = err_2(&social_loop([
        "sweep".as_ref(),
        file.as_os_str(),
        "--runs".as_ref(),
        "3..3".as_ref(),
    ]));
    assert!(err.contains("--runs"), "{err}");
    let err = err_2(&social_loop(["sweep", "merge", "--out", "x.json"]));
    assert!(err.contains("PART.json"), "{err}");
}

#[test]
fn the_shipped_sweep_file_reads() {
    let text = include_str!("../../examples/sweep.json");
    let sweep = social_loop::sweep::Sweep::from_json(text).unwrap();
    assert_eq!(sweep.cells().unwrap().len(), 120);
}
