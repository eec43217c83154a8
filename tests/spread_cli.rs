//! The `spread` example: argument parsing and the JSON line, tested in process by
//! including the example's source, plus an end-to-end check of the built binary
//! (exit codes, stdout/stderr) when `cargo test` has built it.

#[allow(dead_code)]
#[path = "../examples/spread.rs"]
mod cli;

use std::path::PathBuf;
use std::process::Command as Process;

use cli::{Args, Command, ModelChoice, SeedChoice, Weights, parse_args, run};
use social_loop::Probability;
use social_loop::network::EdgeFormat;
use social_loop::propagation::Engine;

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

/// Writes `text` to a fresh file in the temp dir and returns its path.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("social_loop_spread_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn parse(line: &str) -> Result<Command, String> {
    parse_args(line.split_whitespace())
}

fn parse_run(line: &str) -> Args {
    match parse(line) {
        Ok(Command::Run(args)) => args,
        other => panic!("{line}: {other:?}"),
    }
}

/// The keys of a JSON object line, in the order written.
fn keys_in_order(line: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(line).unwrap();
    let mut keys: Vec<(usize, String)> = value
        .as_object()
        .unwrap()
        .keys()
        .map(|k| (line.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn parses_the_full_interface() {
    let args = parse_run(
        "--edges g.txt --format snap --undirected --model ic --p 0.25 \
         --top-degree 7 --runs 500 --rng-seed 42 --threads 2",
    );
    assert_eq!(
        args,
        Args {
            edges: PathBuf::from("g.txt"),
            format: EdgeFormat::Snap,
            undirected: true,
            model: ModelChoice::Ic,
            weights: Weights::Uniform(Probability::new(0.25).unwrap()),
            seeds: SeedChoice::TopDegree(7),
            adversaries: vec![],
            negativity_bias: Probability::new(0.5).unwrap(),
            runs: 500,
            rng_seed: 42,
            threads: Some(2),
            engine: Engine::Auto,
        }
    );
    let signed = parse_run(
        "--edges=x.csv --model signed --seeds a,b --adversaries c --negativity-bias 0.7 \
         --runs 10 --rng-seed 1 --engine per-run --trivalency",
    );
    assert_eq!(signed.model, ModelChoice::Signed);
    assert_eq!(signed.format, EdgeFormat::Auto);
    assert_eq!(signed.weights, Weights::Trivalency);
    assert_eq!(signed.seeds, SeedChoice::Ids(vec!["a".into(), "b".into()]));
    assert_eq!(signed.adversaries, vec!["c".to_string()]);
    assert_eq!(signed.negativity_bias.get(), 0.7);
    assert_eq!(signed.engine, Engine::PerRun);
    assert_eq!(signed.threads, None);
    let lt = parse_run("--edges g --model lt --weighted-cascade --seeds a --runs 2 --rng-seed 0");
    assert_eq!(lt.weights, Weights::WeightedCascade);
    let from_file = parse_run("--edges g --model ic --seeds a --runs 2 --rng-seed 0");
    assert_eq!(from_file.weights, Weights::FromFile);
    assert_eq!(parse("--model ic --help"), Ok(Command::Help));
}

#[test]
fn rejects_bad_command_lines_naming_the_flag() {
    let base = "--edges g --model ic --seeds a --runs 10 --rng-seed 1";
    let cases = [
        (format!("{base} --bogus 1"), "unknown argument `--bogus`"),
        (format!("{base} --runs 20"), "--runs given more than once"),
        (
            "--model ic --seeds a --runs 10 --rng-seed 1".into(),
            "missing --edges",
        ),
        (
            "--edges g --seeds a --runs 10 --rng-seed 1".into(),
            "missing --model",
        ),
        (
            "--edges g --model ic --runs 10 --rng-seed 1".into(),
            "missing --seeds or --top-degree",
        ),
        (
            "--edges g --model ic --seeds a --rng-seed 1".into(),
            "missing --runs",
        ),
        (
            "--edges g --model ic --seeds a --runs 10".into(),
            "missing --rng-seed",
        ),
        (format!("{base} --top-degree 3"), "not both"),
        (
            format!("{base} --p 0.1 --weighted-cascade"),
            "at most one of",
        ),
        (format!("{base} --p 1.5"), "--p:"),
        (
            format!("{base} --threads 0"),
            "--threads must be at least 1",
        ),
        (format!("{base} --threads two"), "--threads: `two`"),
        (
            format!("{base} --adversaries b"),
            "--adversaries needs --model signed",
        ),
        (
            format!("{base} --negativity-bias 0.6"),
            "--negativity-bias needs --model signed",
        ),
        (format!("{base} --format tsv"), "format"),
        (format!("{base} --engine fast"), "--engine: `fast`"),
        (
            format!("{base} --undirected=yes"),
            "--undirected takes no value",
        ),
        (format!("{base} --threads"), "--threads needs a value"),
        (
            "--edges g --model xx --seeds a --runs 10 --rng-seed 1".into(),
            "--model: `xx`",
        ),
        (
            "--edges g --model ic --seeds a --runs 1 --rng-seed 1".into(),
            "at least 2",
        ),
        (
            "--edges g --model ic --seeds a,,b --runs 9 --rng-seed 1".into(),
            "empty id",
        ),
        (
            "--edges g --model ic --top-degree 0 --runs 9 --rng-seed 1".into(),
            "at least 1",
        ),
    ];
    for (line, expected) in cases {
        match parse(&line) {
            Err(message) => assert!(
                message.contains(expected),
                "{line}: `{message}` should contain `{expected}`"
            ),
            Ok(command) => panic!("{line}: accepted as {command:?}"),
        }
    }
}

#[test]
fn diamond_from_a_matches_the_textbook_value_with_the_required_fields_in_order() {
    // a->b, a->c, b->d, c->d at p = 0.5 from {a}: exactly 2.4375.
    let file = temp_file("diamond.txt", "# diamond\na b\na c\nb d\nc d\n");
    let line = format!(
        "--edges {} --model ic --p 0.5 --seeds a --runs 20000 --rng-seed 3",
        file.display()
    );
    let out = run(&parse_run(&line)).unwrap();
    assert!(!out.contains('\n'));
    assert_eq!(keys_in_order(&out), REQUIRED);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
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
    assert!(v["elapsed_ms"].as_f64().unwrap() >= 0.0);
}

#[test]
fn top_degree_breaks_ties_by_first_appearance_and_threads_do_not_change_the_estimate() {
    // Node order z, x, y, w (first appearance); out-degrees z 2, x 1, y 2, w 0:
    // the top 3 are z and y (degree 2, z first), then x.
    let text = "z x 0.3\ny z 0.3\nz w 0.3\ny w 0.3\nx y 0.3\n";
    let file = temp_file("ties.txt", text);
    let line = |k: usize, threads: usize| {
        format!(
            "--edges {} --model ic --top-degree {k} --runs 640 --rng-seed 9 --threads {threads}",
            file.display()
        )
    };
    let strip = |out: String| {
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_object_mut().unwrap().remove("elapsed_ms");
        v
    };
    let one = strip(run(&parse_run(&line(3, 1))).unwrap());
    assert_eq!(one["seeds"], serde_json::json!(["z", "y", "x"]));
    let two = strip(run(&parse_run(&line(3, 2))).unwrap());
    assert_eq!(one, two);
    let err = run(&parse_run(&line(5, 1))).unwrap_err();
    assert!(err.contains("--top-degree 5"), "{err}");
}

#[test]
fn signed_reports_positive_reach_and_appends_the_negative_side() {
    // a trusts b; b distrusts c: a's praise reaches c as criticism.
    let file = temp_file("signed.csv", "a,b,10,0\nb,c,-10,0\nd,c,10,0\n");
    let line = format!(
        "--edges {} --format signed-csv --model signed --seeds a --runs 100 --rng-seed 1",
        file.display()
    );
    let out = run(&parse_run(&line)).unwrap();
    let keys = keys_in_order(&out);
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
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Probabilities 1: a and b positive, c negative in every run.
    assert_eq!(
        (v["mean"].as_f64(), v["negative_mean"].as_f64()),
        (Some(2.0), Some(1.0))
    );
    // With d as an adversary: d's criticism reaches c at step 1, before b's flipped
    // message at step 2; d counts on the negative side.
    let with_adversary = format!("{line} --adversaries d");
    let v: serde_json::Value =
        serde_json::from_str(&run(&parse_run(&with_adversary)).unwrap()).unwrap();
    assert_eq!(v["adversaries"], serde_json::json!(["d"]));
    assert_eq!(
        (v["mean"].as_f64(), v["negative_mean"].as_f64()),
        (Some(2.0), Some(2.0))
    );
}

#[test]
fn file_errors_name_the_file_or_the_line() {
    let bad = temp_file("bad.txt", "# header\n1 2 0.5\n2 3 oops\n");
    let args = |path: &std::path::Path, extra: &str| {
        parse_run(&format!(
            "--edges {} --model ic --runs 10 --rng-seed 1 {extra}",
            path.display()
        ))
    };
    let err = run(&args(&bad, "--seeds 1")).unwrap_err();
    assert!(err.contains("line 3"), "{err}");
    let missing = bad.with_file_name("missing.txt");
    let err = run(&args(&missing, "--seeds 1")).unwrap_err();
    assert!(err.contains("missing.txt"), "{err}");
    let snap = temp_file("snap.txt", "1 2\n2 3\n");
    let err = run(&args(&snap, "--seeds 1")).unwrap_err();
    assert!(err.contains("no weights"), "{err}");
    let err = run(&args(&snap, "--p 0.1 --format snap --seeds 9")).unwrap_err();
    assert!(err.contains("--seeds") && err.contains("`9`"), "{err}");
}

#[test]
fn reads_bitcoin_alpha_with_the_readme_counts() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/soc-sign-bitcoinalpha.csv");
    if !path.exists() {
        eprintln!("note: {} absent, skipping", path.display());
        return;
    }
    let line = format!(
        "--edges {} --format signed-csv --model ic --top-degree 3 --runs 64 --rng-seed 5",
        path.display()
    );
    let v: serde_json::Value = serde_json::from_str(&run(&parse_run(&line)).unwrap()).unwrap();
    assert_eq!(
        (v["nodes"].as_u64(), v["arcs"].as_u64()),
        (Some(3_783), Some(24_186))
    );
    assert_eq!(v["seeds"].as_array().map(Vec::len), Some(3));
}

/// The example binary next to this test binary, when `cargo test` built it.
fn built_example() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let bin = profile_dir
        .join("examples")
        .join(format!("spread{}", std::env::consts::EXE_SUFFIX));
    bin.exists().then_some(bin)
}

#[test]
fn the_binary_prints_one_line_or_exits_2_with_the_line_number() {
    let Some(bin) = built_example() else {
        eprintln!(
            "note: examples/spread not built (run `cargo test` or `cargo build --example spread`), skipping"
        );
        return;
    };
    let good = temp_file("bin_good.txt", "a b 0.5\nb c 0.5\n");
    let ok = Process::new(&bin)
        .args([
            "--edges",
            good.to_str().unwrap(),
            "--model",
            "ic",
            "--seeds",
            "a",
        ])
        .args(["--runs", "1000", "--rng-seed", "1", "--threads", "1"])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert_eq!(keys_in_order(stdout.trim()), REQUIRED);

    let bad = temp_file("bin_bad.txt", "a b 0.5\n\nb c 2.5\n");
    let failed = Process::new(&bin)
        .args([
            "--edges",
            bad.to_str().unwrap(),
            "--model",
            "ic",
            "--seeds",
            "a",
        ])
        .args(["--runs", "10", "--rng-seed", "1"])
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(2));
    assert!(failed.stdout.is_empty());
    let stderr = String::from_utf8(failed.stderr).unwrap();
    assert!(stderr.contains("line 3"), "{stderr}");

    let usage = Process::new(&bin).arg("--nope").output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("--nope"));
}
