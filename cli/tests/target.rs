//! `social-loop target`: the flags and the JSON line that scripts depend on
//! (the `target` example's interface, unchanged).
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{err_2, json_line, keys_in_order, ok_stdout, run_line, temp_file};

const KEYS: [&str; 8] = [
    "algorithm",
    "k",
    "seeds",
    "estimated_spread",
    "elapsed_ms",
    "certified_ratio",
    "rr_sets",
    "spread",
];

/// The star graph in a file of its own per test: the tests of this file run in
/// parallel in one process, and a shared file rewritten by one test was read
/// empty by another's child process.
fn star(test: &str) -> std::path::PathBuf {
    temp_file(
        "target",
        &format!("star_{test}.txt"),
        "hub a 0.5\nhub b 0.5\nhub c 0.5\na d 0.5\ne hub 0.5\n",
    )
}

#[test]
fn one_json_line_with_the_required_fields_in_order() {
    let line = format!(
        "target --edges {} --model ic --k 2 --epsilon 0.3 --rng-seed 4",
        star("json_line").display()
    );
    let out = run_line(&line);
    assert_eq!(keys_in_order(ok_stdout(&out).trim()), KEYS);
    let v = json_line(&out);
    assert_eq!(v["algorithm"], "imm");
    assert_eq!(v["k"], 2);
    assert_eq!(v["seeds"][0], "hub");
    assert!(v["estimated_spread"].as_f64().unwrap() > 2.0);
    // IMM certifies 1 - 1/e - epsilon and says how many RR sets it drew.
    let ratio = v["certified_ratio"].as_f64().unwrap();
    assert!(
        (ratio - (1.0 - (-1f64).exp() - 0.3)).abs() < 1e-9,
        "{ratio}"
    );
    assert!(v["rr_sets"].as_u64().unwrap() > 0);
    // The independent evaluation with its uncertainty.
    let spread = &v["spread"];
    let keys: Vec<&str> = spread
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 3, "{spread}");
    let mean = spread["mean"].as_f64().unwrap();
    let std_err = spread["std_err"].as_f64().unwrap();
    let [lo, hi] = [0, 1].map(|i| spread["ci95"][i].as_f64().unwrap());
    assert_eq!(mean, v["estimated_spread"].as_f64().unwrap());
    assert!(std_err > 0.0 && std_err < 0.1, "{spread}");
    assert!(
        (hi - lo - 2.0 * 1.959_963_984_540_054 * std_err).abs() < 1e-9,
        "{spread}"
    );
    assert!(lo < mean && mean < hi, "{spread}");
    // Strategies that certify nothing and draw no RR set say so.
    let degree = json_line(&run_line(&format!("{line} --algorithm degree")));
    assert!(degree["certified_ratio"].is_null());
    assert_eq!(degree["rr_sets"], 0);
}

#[test]
fn opim_is_anytime_with_rr_and_time_budgets() {
    let file = star("anytime");
    let opim = format!(
        "target --edges {} --model ic --k 2 --rng-seed 4 --algorithm opim",
        file.display()
    );
    let free = json_line(&run_line(&opim));
    assert_eq!(free["algorithm"], "opim");
    assert_eq!(free["seeds"][0], "hub");
    let ratio = free["certified_ratio"].as_f64().unwrap();
    assert!(ratio > 0.0 && ratio <= 1.0, "{ratio}");
    // An RR budget caps the sets (reproducibly: the same line twice).
    let budgeted = format!("{opim} --rr-budget 600 --epsilon 0.01");
    let once = json_line(&run_line(&budgeted));
    assert_eq!(once["rr_sets"], 512);
    let again = json_line(&run_line(&budgeted));
    assert_eq!(once["seeds"], again["seeds"]);
    assert_eq!(once["certified_ratio"], again["certified_ratio"]);
    // A time budget of 0 ms still completes the first doubling.
    let rushed = json_line(&run_line(&format!(
        "{opim} --time-budget-ms 0 --epsilon 0.01"
    )));
    assert!(rushed["rr_sets"].as_u64().unwrap() >= 512);
    assert_eq!(rushed["seeds"].as_array().map(Vec::len), Some(2));
    assert!(rushed["certified_ratio"].as_f64().unwrap() <= 1.0);
    for threads in ["1", "2"] {
        let line = json_line(&run_line(&format!("{budgeted} --threads {threads}")));
        assert_eq!(line["seeds"], once["seeds"]);
    }
}

#[test]
fn every_algorithm_and_flag_is_accepted_and_threads_do_not_change_the_seeds() {
    let file = star("every_flag");
    let seeds_with = |weights: &str, extra: &str| {
        json_line(&run_line(&format!(
            "target --edges {} --model lt {weights} --k 2 --rng-seed 9 {extra}",
            file.display()
        )))["seeds"]
            .clone()
    };
    let seeds = |extra: &str| seeds_with("--weighted-cascade", extra);
    for algorithm in ["imm", "celf", "degree", "pagerank", "random"] {
        assert_eq!(
            seeds(&format!("--algorithm {algorithm} --threads 1")),
            seeds(&format!("--algorithm {algorithm} --threads 2")),
            "{algorithm}"
        );
    }
    seeds("--imm-sampling reused --epsilon 0.5");
    assert_eq!(
        seeds_with("--trivalency", "").as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn bad_command_lines_exit_2_naming_the_flag() {
    let file = star("every_flag");
    let base = format!("target --edges {} --model ic", file.display());
    for (line, needle) in [
        (format!("{base} --rng-seed 1"), "--k"),
        (format!("{base} --k 0 --rng-seed 1"), "--k"),
        (
            format!("{base} --k 1000000 --rng-seed 1"),
            "--k 1000000: the network has only 6 customers",
        ),
        (
            format!("{base} --k 2 --epsilon 1 --rng-seed 1"),
            "--epsilon",
        ),
        (
            format!(
                "target --edges {} --model signed --k 2 --rng-seed 1",
                file.display()
            ),
            "--model",
        ),
        (
            format!("{base} --k 2 --algorithm hubs --rng-seed 1"),
            "--algorithm",
        ),
        (
            format!("{base} --k 2 --p 0.1 --trivalency --rng-seed 1"),
            "--trivalency",
        ),
        (format!("{base} --k 2 --rng-seed 1 --k 3"), "--k"),
        (format!("{base} --k 2 --rng-seed x"), "--rng-seed"),
        (
            format!("{base} --k 2 --rng-seed 1 --threads 0"),
            "--threads",
        ),
        (
            format!("{base} --k 2 --rng-seed 1 --threads 5000"),
            "--threads",
        ),
        (format!("{base} --k 2 --rng-seed 1 --verbose"), "--verbose"),
        (
            format!("{base} --k 2 --rng-seed 1 --rr-budget 100000"),
            "--rr-budget: budgets apply to --algorithm opim",
        ),
        (
            format!("{base} --k 2 --rng-seed 1 --algorithm celf --time-budget-ms 5"),
            "--time-budget-ms: budgets apply to --algorithm opim",
        ),
        (
            format!("{base} --k 2 --rng-seed 1 --algorithm opim --rr-budget 511"),
            "--rr-budget",
        ),
        (
            format!("{base} --k 2 --rng-seed 1 --algorithm opim --time-budget-ms soon"),
            "--time-budget-ms",
        ),
    ] {
        let err = err_2(&run_line(&line));
        assert!(err.contains(needle), "{line}: {err}");
    }
    let bad = temp_file("target", "bad.txt", "a b 0.5\nb c\n");
    let err = err_2(&run_line(&format!(
        "target --edges {} --model ic --k 1 --rng-seed 1",
        bad.display()
    )));
    assert!(err.contains("line 2"), "{err}");
}
