//! Your own edge list through `spread` and `target`: a byte-order mark, a
//! header, duplicates and self-loops (noted on stderr), a trust network read
//! in reverse, a file without weights, an empty file, and a closed stdout.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Stdio};

use common::{err_2, json_line, run_line, social_loop, temp_file};

fn file(name: &str, text: &str) -> String {
    temp_file("edge_files", name, text).display().to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// "t_i trusts hub" and "t_i trusts t_{i+1}" for 40 traders in a ring.
fn trust_ring() -> String {
    let mut text = String::from("# truster\ttrusted\n");
    for i in 0..40 {
        text.push_str(&format!("t{i}\thub\nt{i}\tt{}\n", (i + 1) % 40));
    }
    text
}

#[test]
fn a_byte_order_mark_stays_out_of_the_first_id() {
    let edges = file("bom.txt", "\u{feff}ann bob 0.5\r\nbob cy 0.5\r\n");
    let out = run_line(&format!(
        "spread --edges {edges} --model ic --seeds ann --runs 100 --rng-seed 1"
    ));
    assert_eq!(json_line(&out)["seeds"], serde_json::json!(["ann"]));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn a_header_is_refused_naming_the_flag_or_skipped_with_a_note() {
    let edges = file("header.txt", "source\ttarget\nann\tbob\nbob\tcy\n");
    let base =
        format!("spread --edges {edges} --model ic --p 0.5 --seeds ann --runs 100 --rng-seed 1");
    let err = err_2(&run_line(&base));
    assert!(
        err.contains("line 1") && err.contains("looks like a header"),
        "{err}"
    );
    assert!(err.contains("--header"), "{err}");
    let out = run_line(&format!("{base} --header"));
    assert_eq!(json_line(&out)["nodes"], 3);
    assert!(
        stderr(&out).contains("skipped the header on line 1"),
        "{}",
        stderr(&out)
    );
    // `--header absent`: the customers really are called `source` and `target`.
    let out = run_line(&format!("{base} --header absent"));
    assert_eq!(json_line(&out)["nodes"], 5);
    let err = err_2(&run_line(&format!("{base} --header maybe")));
    assert!(err.contains("--header"), "{err}");
}

#[test]
fn duplicates_and_self_loops_are_noted_on_stderr_with_count_and_first_line() {
    let edges = file(
        "dupes.txt",
        "a b 0.1\nb b 0.5\nb c 0.2\na b 0.9\nc c 0.3\na b 0.4\n",
    );
    let out = run_line(&format!(
        "spread --edges {edges} --model ic --seeds a --runs 100 --rng-seed 1"
    ));
    let v = json_line(&out);
    assert_eq!(
        (v["nodes"].as_u64(), v["arcs"].as_u64()),
        (Some(3), Some(2))
    );
    let notes = stderr(&out);
    assert!(notes.contains("2 repeated tie(s) dropped"), "{notes}");
    assert!(notes.contains("first repeat on line 4"), "{notes}");
    assert!(
        notes.contains("2 self-loop(s) skipped (first on line 2)"),
        "{notes}"
    );
    assert_eq!(notes.lines().count(), 2, "{notes}");
}

#[test]
fn reverse_reads_a_trust_network_in_the_direction_of_influence() {
    let edges = file("trust.txt", &trust_ring());
    let spread = |extra: &str| {
        json_line(&run_line(&format!(
            "spread --edges {edges} --model ic --p 1 --seeds hub --runs 64 --rng-seed 1 {extra}"
        )))
    };
    // As listed, "t trusts hub" makes hub a listener: it reaches nobody.
    assert_eq!(spread("")["mean"], 1.0);
    // Reversed, everyone who trusts hub hears it: 1 + 40, exactly.
    let v = spread("--reverse");
    assert_eq!(
        (v["mean"].as_f64(), v["std_err"].as_f64()),
        (Some(41.0), Some(0.0))
    );
    // target picks the hub first only on the reversed reading.
    let seeds = |extra: &str| {
        json_line(&run_line(&format!(
            "target --edges {edges} --model ic --p 0.2 --k 1 --rng-seed 1 {extra}"
        )))["seeds"][0]
            .clone()
    };
    assert_eq!(seeds("--reverse"), "hub");
    assert_ne!(seeds(""), "hub");
}

#[test]
fn a_file_without_weights_needs_a_weight_flag() {
    let edges = file("snap.txt", "# FromNodeId\tToNodeId\n1\t2\n2\t3\n");
    for command in ["spread", "target"] {
        let seeds = if command == "spread" {
            "--seeds 1 --runs 10"
        } else {
            "--k 1"
        };
        let err = err_2(&run_line(&format!(
            "{command} --edges {edges} --model ic {seeds} --rng-seed 1"
        )));
        assert!(
            err.contains("no weights") && err.contains("--p, --weighted-cascade or --trivalency"),
            "{command}: {err}"
        );
        assert!(err.contains("snap.txt"), "{err}");
    }
}

#[test]
fn an_empty_or_comment_only_file_says_so() {
    for (name, text, says) in [
        ("empty.txt", "", "the file is empty"),
        (
            "comments.txt",
            "# nothing\n\n% here\n",
            "3 line(s) are all comments",
        ),
        (
            "only_header.txt",
            "source target\n",
            "1 line(s) are all comments, blank or a header",
        ),
    ] {
        let edges = file(name, text);
        let extra = if name == "only_header.txt" {
            "--header"
        } else {
            ""
        };
        for command in [
            format!("target --edges {edges} --model ic --p 0.1 --k 1 --rng-seed 1 {extra}"),
            format!(
                "spread --edges {edges} --model ic --p 0.1 --top-degree 1 --runs 10 --rng-seed 1 {extra}"
            ),
        ] {
            let err = err_2(&run_line(&command));
            assert!(
                err.contains("has no ties") && err.contains(says),
                "{command}: {err}"
            );
        }
    }
}

#[test]
fn k_above_the_customers_and_threads_above_the_cap_name_the_flag() {
    let edges = file("three.txt", "a b 0.5\nb c 0.5\n");
    let err = err_2(&run_line(&format!(
        "target --edges {edges} --model ic --k 1000000 --rng-seed 1"
    )));
    assert!(
        err.contains("--k 1000000: the network has only 3 customers"),
        "{err}"
    );
    let err = err_2(&run_line(&format!(
        "target --edges {edges} --model ic --k 1 --rng-seed 1 --threads 100000"
    )));
    assert!(err.contains("--threads") && err.contains("1024"), "{err}");
}

/// Runs `social-loop` with stdout a pipe whose reader is already gone.
#[allow(clippy::incompatible_msrv)] // std::io::pipe (1.87): tests only
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_social-loop"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() {
    let edges = file("pipe.txt", "a b 0.5\nb c 0.5\n");
    for args in [
        vec!["run", "--default"],
        vec![
            "spread",
            "--edges",
            &edges,
            "--model",
            "ic",
            "--seeds",
            "a",
            "--runs",
            "10",
            "--rng-seed",
            "1",
        ],
        vec![
            "target",
            "--edges",
            &edges,
            "--model",
            "ic",
            "--k",
            "1",
            "--rng-seed",
            "1",
        ],
    ] {
        let out = with_closed_stdout(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
    // The same run with a reader prints its line.
    assert!(!social_loop(["run", "--default"]).stdout.is_empty());
}
