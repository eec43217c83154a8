//! `social-loop spread`: the flags and the JSON line that scripts depend on
//! (the `spread` example's interface, unchanged).
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{data, err_2, json_line, keys_in_order, ok_stdout, run_line, temp_file};

/// The required fields, in the required order.
const REQUIRED: [&str; 9] = [
    "model",
    "nodes",
    "arcs",
    "runs",
    "mean",
    "std_err",
    "ci95",
    "seeds",
    "elapsed_ms",
];

fn diamond() -> std::path::PathBuf {
    temp_file("spread", "diamond.txt", "# diamond\na b\na c\nb d\nc d\n")
}

#[test]
fn diamond_from_a_matches_the_textbook_value_with_the_required_fields_in_order() {
    // a->b, a->c, b->d, c->d at p = 0.5 from {a}: exactly 2.4375.
    let line = format!(
        "spread --edges {} --model ic --p 0.5 --seeds a --runs 20000 --rng-seed 3",
        diamond().display()
    );
    let out = run_line(&line);
    let stdout = ok_stdout(&out);
    assert_eq!(keys_in_order(stdout.trim()), REQUIRED);
    let v = json_line(&out);
    assert_eq!(v["model"], "ic");
    assert_eq!(
        (v["nodes"].as_u64(), v["arcs"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(v["runs"], 20000);
    assert_eq!(v["seeds"], serde_json::json!(["a"]));
    let (mean, se) = (v["mean"].as_f64().unwrap(), v["std_err"].as_f64().unwrap());
    assert!(
        se > 0.0 && (mean - 2.4375).abs() < 4.0 * se,
        "{mean} ± {se}"
    );
    let ci = v["ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() < mean && mean < ci[1].as_f64().unwrap());
    // Piped stderr: no progress bar, no noise.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_full_interface_parses_and_equals_signs_work() {
    let file = diamond();
    for line in [
        format!(
            "spread --edges {} --format snap --undirected --model ic --p 0.25 \
             --top-degree 2 --runs 500 --rng-seed 42 --threads 2",
            file.display()
        ),
        format!(
            "spread --edges={} --model=lt --weighted-cascade --seeds=a,b --runs=64 --rng-seed=0 --engine=per-run",
            file.display()
        ),
        format!(
            "spread --edges {} --model signed --trivalency --seeds a --adversaries d \
             --negativity-bias 0.7 --runs 10 --rng-seed 1 --engine skipping",
            file.display()
        ),
    ] {
        json_line(&run_line(&line));
    }
}

#[test]
fn top_degree_breaks_ties_by_first_appearance_and_threads_do_not_change_the_estimate() {
    // Node order z, x, y, w (first appearance); out-degrees z 2, x 1, y 2, w 0:
    // the top 3 are z and y (degree 2, z first), then x.
    let file = temp_file(
        "spread",
        "ties.txt",
        "z x 0.3\ny z 0.3\nz w 0.3\ny w 0.3\nx y 0.3\n",
    );
    let line = |k: usize, threads: usize| {
        format!(
            "spread --edges {} --model ic --top-degree {k} --runs 640 --rng-seed 9 --threads {threads}",
            file.display()
        )
    };
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("elapsed_ms");
        v
    };
    let one = strip(json_line(&run_line(&line(3, 1))));
    assert_eq!(one["seeds"], serde_json::json!(["z", "y", "x"]));
    assert_eq!(one, strip(json_line(&run_line(&line(3, 2)))));
    let err = err_2(&run_line(&line(5, 1)));
    assert!(err.contains("--top-degree 5"), "{err}");
}

#[test]
fn signed_reports_positive_reach_and_appends_the_negative_side() {
    // a trusts b; b distrusts c: a's praise reaches c as criticism.
    let file = temp_file("spread", "signed.csv", "a,b,10,0\nb,c,-10,0\nd,c,10,0\n");
    let line = format!(
        "spread --edges {} --format signed-csv --model signed --seeds a --runs 100 --rng-seed 1",
        file.display()
    );
    let out = run_line(&line);
    let keys = keys_in_order(ok_stdout(&out).trim());
    assert_eq!(keys[..9], REQUIRED);
    assert_eq!(
        keys[9..],
        [
            "adversaries",
            "negativity_bias",
            "negative_mean",
            "negative_std_err",
            "negative_ci95"
        ]
    );
    let v = json_line(&out);
    // Probabilities 1: a and b positive, c negative in every run.
    assert_eq!(
        (v["mean"].as_f64(), v["negative_mean"].as_f64()),
        (Some(2.0), Some(1.0))
    );
    // With d as an adversary: d's criticism reaches c at step 1, before b's
    // flipped message at step 2; d counts on the negative side.
    let v = json_line(&run_line(&format!("{line} --adversaries d")));
    assert_eq!(v["adversaries"], serde_json::json!(["d"]));
    assert_eq!(
        (v["mean"].as_f64(), v["negative_mean"].as_f64()),
        (Some(2.0), Some(2.0))
    );
}

#[test]
fn bad_command_lines_exit_2_naming_the_flag() {
    let file = diamond();
    let base = format!("spread --edges {} --model ic --p 0.5", file.display());
    let cases = [
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --bogus 1"),
            "--bogus",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --runs 20"),
            "--runs",
        ),
        (
            "spread --model ic --seeds a --runs 10 --rng-seed 1".into(),
            "--edges",
        ),
        (
            format!(
                "spread --edges {} --seeds a --runs 10 --rng-seed 1",
                file.display()
            ),
            "--model",
        ),
        (format!("{base} --runs 10 --rng-seed 1"), "--seeds"),
        (format!("{base} --seeds a --rng-seed 1"), "--runs"),
        (format!("{base} --seeds a --runs 10"), "--rng-seed"),
        (
            format!("{base} --seeds a --top-degree 3 --runs 10 --rng-seed 1"),
            "--top-degree",
        ),
        (
            format!("{base} --weighted-cascade --seeds a --runs 10 --rng-seed 1"),
            "--weighted-cascade",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --p 1.5"),
            "--p",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --threads 0"),
            "--threads",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --threads 100000"),
            "--threads",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --threads two"),
            "--threads",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --adversaries b"),
            "--adversaries",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --negativity-bias 0.6"),
            "--negativity-bias",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --format tsv"),
            "--format",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --engine fast"),
            "--engine",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --undirected=yes"),
            "--undirected",
        ),
        (
            format!("{base} --seeds a --runs 10 --rng-seed 1 --threads"),
            "--threads",
        ),
        (format!("{base} --seeds a --runs 1 --rng-seed 1"), "--runs"),
        (
            format!("{base} --seeds a,,b --runs 9 --rng-seed 1"),
            "empty id",
        ),
        (
            format!("{base} --top-degree 0 --runs 9 --rng-seed 1"),
            "--top-degree",
        ),
        (
            format!("{base} --seeds zz --runs 9 --rng-seed 1"),
            "--seeds: unknown customer id `zz`",
        ),
    ];
    for (line, expected) in cases {
        let err = err_2(&run_line(&line));
        assert!(
            err.contains(expected),
            "{line}: `{err}` should contain `{expected}`"
        );
    }
    let model = err_2(&run_line(&format!(
        "spread --edges {} --model xx --seeds a --runs 10 --rng-seed 1",
        file.display()
    )));
    assert!(model.contains("xx") && model.contains("--model"), "{model}");
}

#[test]
fn file_errors_name_the_file_and_the_line() {
    let bad = temp_file("spread", "bad.txt", "# header\n1 2 0.5\n2 3 oops\n");
    let args = |path: &std::path::Path, extra: &str| {
        format!(
            "spread --edges {} --model ic --runs 10 --rng-seed 1 {extra}",
            path.display()
        )
    };
    let err = err_2(&run_line(&args(&bad, "--seeds 1")));
    assert!(err.contains("bad.txt: line 3"), "{err}");
    let missing = bad.with_file_name("missing.txt");
    let err = err_2(&run_line(&args(&missing, "--seeds 1")));
    assert!(err.contains("missing.txt"), "{err}");
    let snap = temp_file("spread", "snap.txt", "1 2\n2 3\n");
    let err = err_2(&run_line(&args(&snap, "--seeds 1")));
    assert!(err.contains("no weights"), "{err}");
    let err = err_2(&run_line(&args(&snap, "--p 0.1 --format snap --seeds 9")));
    assert!(err.contains("--seeds") && err.contains("`9`"), "{err}");
}

#[test]
fn help_exits_0_on_every_subcommand() {
    for line in [
        "--help",
        "spread --help",
        "target --help",
        "run --help",
        "sweep --help",
        "sweep merge --help",
    ] {
        let out = ok_stdout(&run_line(line));
        assert!(out.contains("Usage"), "{line}: {out}");
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn reads_bitcoin_alpha_with_the_readme_counts() {
    let line = format!(
        "spread --edges {} --format signed-csv --model ic --top-degree 3 --runs 64 --rng-seed 5",
        data("soc-sign-bitcoinalpha.csv").display()
    );
    let v = json_line(&run_line(&line));
    assert_eq!(
        (v["nodes"].as_u64(), v["arcs"].as_u64()),
        (Some(3_783), Some(24_186))
    );
    assert_eq!(v["seeds"].as_array().map(Vec::len), Some(3));
}

/// The line without `elapsed_ms` (a timing, the one field that may differ).
fn without_time(out: &std::process::Output) -> String {
    let mut v = json_line(out);
    v.as_object_mut().unwrap().remove("elapsed_ms").unwrap();
    serde_json::to_string(&v).unwrap()
}

#[test]
fn partial_tallies_merge_to_the_line_of_one_run_bit_for_bit() {
    let file = temp_file(
        "spread",
        "partials.txt",
        "a b\na c\nb d\nc d\nd e\nb e\ne f\nc f\n",
    );
    let dir = common::temp_dir("spread");
    let part = |name: &str| dir.join(name).display().to_string();
    for (model, extra) in [
        ("ic", ""),
        ("ic", "--engine word-parallel"),
        ("lt", ""),
        ("signed", "--adversaries f"),
    ] {
        let base = format!(
            "spread --edges {} --model {model} --p 0.3 --seeds a --rng-seed 9 {extra}",
            file.display()
        );
        let whole = run_line(&format!("{base} --runs-range 30..330"));
        for (range, name) in [
            ("200..330", "c.json"),
            ("30..95", "a.json"),
            ("95..200", "b.json"),
        ] {
            let out = run_line(&format!(
                "{base} --runs-range {range} --partial {}",
                part(name)
            ));
            assert_eq!(ok_stdout(&out), "", "a partial prints nothing");
        }
        let merged = run_line(&format!(
            "spread merge {} {} {}",
            part("b.json"),
            part("c.json"),
            part("a.json")
        ));
        // Every field bit for bit (f64s printed in full), elapsed_ms aside.
        assert_eq!(
            without_time(&merged),
            without_time(&whole),
            "{model} {extra}"
        );
        assert_eq!(json_line(&merged)["runs"], 300);
        // 0..N with N >= 64 is exactly --runs N.
        assert_eq!(
            without_time(&run_line(&format!("{base} --runs-range 0..100"))),
            without_time(&run_line(&format!("{base} --runs 100"))),
            "{model} {extra}"
        );
    }
    // A part twice, a gap, another estimate: errors naming the file.
    let err = err_2(&run_line(&format!(
        "spread merge {} {}",
        part("a.json"),
        part("a.json")
    )));
    assert!(
        err.contains("a.json: runs 30..95 and 30..95 overlap"),
        "{err}"
    );
    let err = err_2(&run_line(&format!(
        "spread merge {} {}",
        part("a.json"),
        part("c.json")
    )));
    assert!(err.contains("runs 95..200 are missing"), "{err}");
    let other = run_line(&format!(
        "spread --edges {} --model signed --p 0.3 --seeds a --rng-seed 10 --adversaries f --runs-range 95..200 --partial {}",
        file.display(),
        part("other.json")
    ));
    ok_stdout(&other);
    let err = err_2(&run_line(&format!(
        "spread merge {} {}",
        part("a.json"),
        part("other.json")
    )));
    assert!(
        err.contains("other.json: a part of another estimate"),
        "{err}"
    );
    std::fs::write(dir.join("cut.json"), "{\"inputs\":").unwrap();
    let err = err_2(&run_line(&format!("spread merge {}", part("cut.json"))));
    assert!(err.contains("cut.json: not a partial tally"), "{err}");
    let err = err_2(&run_line(&format!(
        "spread --edges {} --model ic --p 0.3 --seeds a --rng-seed 9 --runs 10 --partial {}",
        file.display(),
        part("x.json")
    )));
    assert!(err.contains("--partial needs --runs-range"), "{err}");
}
