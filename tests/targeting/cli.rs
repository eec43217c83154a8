//! The `target` example: flags, errors and the JSON line, in process.

/// The `target` example's own code, tested in process.
#[allow(dead_code)]
#[path = "../../examples/target.rs"]
mod target_cli;

use social_loop::targeting::{Algorithm, ImmSampling};
use target_cli::{Command, parse_args, run};

fn parse(line: &str) -> Result<Command, String> {
    parse_args(line.split_whitespace())
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("social_loop_target_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn flags_parse_and_bad_ones_name_themselves() {
    let Ok(Command::Run(args)) = parse(
        "--edges g.txt --model lt --weighted-cascade --k 3 --epsilon 0.3 \
         --algorithm pagerank --rng-seed 9 --threads 2",
    ) else {
        panic!("a valid line");
    };
    assert_eq!((args.k, args.epsilon, args.rng_seed), (3, 0.3, 9));
    assert_eq!(args.algorithm, Algorithm::PageRank);
    assert_eq!(args.threads, Some(2));
    let Ok(Command::Run(defaults)) = parse("--edges g --model ic --k 1 --rng-seed 0") else {
        panic!("defaults");
    };
    assert_eq!(
        (defaults.algorithm, defaults.epsilon),
        (Algorithm::Imm, 0.1)
    );
    assert_eq!(defaults.imm_sampling, ImmSampling::Independent);
    assert!(matches!(parse("--help"), Ok(Command::Help)));
    for (line, needle) in [
        ("--edges g --model ic --rng-seed 1", "missing --k"),
        (
            "--edges g --model ic --k 0 --rng-seed 1",
            "--k must be at least 1",
        ),
        (
            "--edges g --model ic --k 2 --epsilon 1 --rng-seed 1",
            "--epsilon",
        ),
        ("--edges g --model signed --k 2 --rng-seed 1", "--model"),
        (
            "--edges g --model ic --k 2 --algorithm hubs --rng-seed 1",
            "--algorithm",
        ),
        (
            "--edges g --model ic --k 2 --p 0.1 --trivalency --rng-seed 1",
            "at most one",
        ),
        (
            "--edges g --model ic --k 2 --rng-seed 1 --k 3",
            "more than once",
        ),
        ("--edges g --model ic --k 2 --rng-seed x", "--rng-seed"),
        (
            "--edges g --model ic --k 2 --rng-seed 1 --threads 0",
            "--threads",
        ),
        (
            "--edges g --model ic --k 2 --rng-seed 1 --verbose",
            "unknown argument",
        ),
    ] {
        let err = parse(line).unwrap_err();
        assert!(err.contains(needle), "{line}: {err}");
    }
}

#[test]
fn one_json_line_with_the_required_fields_in_order() {
    let path = temp_file(
        "star.txt",
        "hub a 0.5\nhub b 0.5\nhub c 0.5\na d 0.5\ne hub 0.5\n",
    );
    let line = format!(
        "--edges {} --model ic --k 2 --epsilon 0.3 --rng-seed 4",
        path.display()
    );
    let Ok(Command::Run(args)) = parse(&line) else {
        panic!("valid")
    };
    let json = run(&args).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = ["algorithm", "k", "seeds", "estimated_spread", "elapsed_ms"].to_vec();
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| json.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
    assert_eq!(value.as_object().unwrap().len(), keys.len());
    assert_eq!(value["algorithm"], "imm");
    assert_eq!(value["k"], 2);
    assert_eq!(value["seeds"][0], "hub");
    assert!(value["estimated_spread"].as_f64().unwrap() > 2.0);
    // A malformed file names its line.
    let bad = temp_file("bad.txt", "a b 0.5\nb c\n");
    let line = format!("--edges {} --model ic --k 1 --rng-seed 1", bad.display());
    let Ok(Command::Run(args)) = parse(&line) else {
        panic!("valid")
    };
    let err = run(&args).unwrap_err();
    assert!(err.contains("line 2"), "{err}");
}
