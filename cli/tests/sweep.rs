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

/// Runs `social-loop sweep FILE --runs RUNS --shard I/M --out OUT` (with the
/// environment `env`) and returns the output.
fn shard_run(
    file: &std::path::Path,
    runs: &str,
    shard: &[&str],
    out: &std::path::Path,
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_social-loop"));
    command
        .arg("sweep")
        .arg(file)
        .args(["--runs", runs])
        .args(shard)
        .arg("--out")
        .arg(out)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .env_remove("SLURM_ARRAY_TASK_MIN")
        .env_remove("JOB_COMPLETION_INDEX");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

#[test]
fn shards_merge_to_the_whole_byte_for_byte_and_refuse_a_part_twice_or_missing() {
    let dir = temp_dir("shards");
    let file = temp_file("shards", "small.json", SMALL);
    let path = |name: &str| dir.join(name);
    let whole = social_loop([
        "sweep".as_ref(),
        file.as_os_str(),
        "--runs".as_ref(),
        "0..5".as_ref(),
        "--out".as_ref(),
        path("whole.json").as_os_str(),
        "--csv".as_ref(),
        path("whole.csv").as_os_str(),
    ]);
    ok_stdout(&whole);
    // Shard 0 by flag, 1 from Slurm's array (ids 1-3), 2 from Kubernetes.
    let out = shard_run(&file, "0..5", &["--shard", "0/3"], &path("p0.json"), &[]);
    assert!(ok_stdout(&out).contains("shard 0/3 of sweep sha256:"));
    // Not a terminal: one log line per finished cell.
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(log.lines().count() >= 1, "{log}");
    assert!(
        log.lines().all(|l| l.starts_with("shard 0/3: cell ")),
        "{log}"
    );
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "3"),
    ];
    ok_stdout(&shard_run(&file, "0..5", &[], &path("p1.json"), &slurm));
    let k8s = [("JOB_COMPLETION_INDEX", "2")];
    ok_stdout(&shard_run(
        &file,
        "0..5",
        &["--shards", "3"],
        &path("p2.json"),
        &k8s,
    ));

    let merge = |parts: &[&str], out: &str| {
        let mut args: Vec<std::ffi::OsString> = vec!["sweep".into(), "merge".into()];
        args.extend(parts.iter().map(|p| path(p).into_os_string()));
        args.extend(["--out".into(), path(out).into_os_string()]);
        args.extend(["--csv".into(), path(&format!("{out}.csv")).into_os_string()]);
        social_loop(args)
    };
    ok_stdout(&merge(&["p2.json", "p0.json", "p1.json"], "merged.json"));
    assert_eq!(
        std::fs::read(path("merged.json")).unwrap(),
        std::fs::read(path("whole.json")).unwrap()
    );
    assert_eq!(
        std::fs::read(path("merged.json.csv")).unwrap(),
        std::fs::read(path("whole.csv")).unwrap()
    );
    let err = err_2(&merge(&["p0.json", "p2.json"], "x.json"));
    assert!(err.contains("shard 1/3 is missing"), "{err}");
    let err = err_2(&merge(
        &["p0.json", "p1.json", "p0.json", "p2.json"],
        "x.json",
    ));
    assert!(
        err.contains("p0.json: shard 0/3 is already merged, from"),
        "{err}"
    );
    // A part of another sweep (another seed) is refused, naming the file.
    let other = temp_file(
        "shards",
        "other.json",
        &SMALL.replace("\"seed\": 7", "\"seed\": 8"),
    );
    ok_stdout(&shard_run(
        &other,
        "0..5",
        &["--shard", "1/3"],
        &path("o1.json"),
        &[],
    ));
    let err = err_2(&merge(&["p0.json", "o1.json", "p2.json"], "x.json"));
    assert!(err.contains("o1.json: a part of another sweep"), "{err}");
    // Plain tables and parts do not mix.
    let err = err_2(&merge(&["p0.json", "whole.json"], "x.json"));
    assert!(
        err.contains("whole.json: parts of a sharded sweep and plain tables"),
        "{err}"
    );
}

#[test]
fn a_shard_that_is_done_is_skipped_and_a_truncated_part_is_named() {
    let dir = temp_dir("resume");
    let file = temp_file("resume", "small.json", SMALL);
    let part = dir.join("part-1.json");
    let _ = std::fs::remove_file(&part);
    ok_stdout(&shard_run(&file, "0..4", &["--shard", "1/2"], &part, &[]));
    let written = std::fs::read(&part).unwrap();
    let again = ok_stdout(&shard_run(&file, "0..4", &["--shard", "1/2"], &part, &[]));
    assert!(again.contains("is done already"), "{again}");
    assert_eq!(std::fs::read(&part).unwrap(), written);
    // The same file for another shard, or other runs, is not taken for done.
    let err = err_2(&shard_run(&file, "0..4", &["--shard", "0/2"], &part, &[]));
    assert!(err.contains("it is shard 1/2, not 0/2"), "{err}");
    let err = err_2(&shard_run(&file, "0..6", &["--shard", "1/2"], &part, &[]));
    assert!(err.contains("runs 0..4, not 0..6"), "{err}");
    // Truncated: an error naming the file, on rerun and on merge.
    std::fs::write(&part, &written[..written.len() / 2]).unwrap();
    let err = err_2(&shard_run(&file, "0..4", &["--shard", "1/2"], &part, &[]));
    assert!(
        err.contains("part-1.json exists but is not a sweep part (truncated?)"),
        "{err}"
    );
    let err = err_2(&social_loop([
        "sweep".as_ref(),
        "merge".as_ref(),
        part.as_os_str(),
        "--out".as_ref(),
        dir.join("x.json").as_os_str(),
    ]));
    assert!(
        err.contains("part-1.json: not a sweep table or part (truncated?)"),
        "{err}"
    );
    // Shard flags are checked.
    let err = err_2(&shard_run(&file, "0..4", &["--shard", "2/2"], &part, &[]));
    assert!(err.contains("--shard"), "{err}");
    let err = err_2(&shard_run(&file, "0..4", &["--shards", "2"], &part, &[]));
    assert!(err.contains("SLURM_ARRAY_TASK_ID"), "{err}");
}
