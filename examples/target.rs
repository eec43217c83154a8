//! `target`: choose `k` customers to seed on an edge-list file, print one JSON line.
//!
//! ```text
//! cargo run --release --example target -- --edges FILE
//!     [--format auto|snap|weighted|signed-csv] [--undirected]
//!     --model ic|lt
//!     [--p P | --weighted-cascade | --trivalency]
//!     --k K [--epsilon E] [--algorithm imm|celf|degree|pagerank|random]
//!     --rng-seed S [--threads T]
//! ```
//!
//! It prints exactly one JSON line on stdout:
//!
//! ```text
//! {"algorithm":"imm","k":K,"seeds":["id",...],"estimated_spread":X,"elapsed_ms":T}
//! ```
//!
//! * **Weights.** `--p P` sets every tie to `P`; `--weighted-cascade` sets `u -> v`
//!   to `1 / in-degree(v)`; `--trivalency` draws each tie's probability from
//!   {0.1, 0.01, 0.001} with a `Xoshiro256PlusPlus` seeded by
//!   `rng-seed XOR 0x7472_6976_616c_656e` (as the `spread` example does). Without
//!   any of them the weights come from the file's third column (`weighted`), or
//!   `|rating| / 10` for `signed-csv`; a `snap` file has no weights, and that is an
//!   error. Tie signs are ignored by `ic` and `lt`.
//! * **Algorithm.** `imm` (default; `--epsilon`, default 0.1, with `ℓ = 1`),
//!   `celf` (lazy greedy on 1,000 Monte Carlo runs per evaluation; small graphs),
//!   `degree` (highest out-degree), `pagerank` (influence PageRank) or `random`.
//! * **estimated_spread** is the mean of an independent Monte Carlo evaluation of
//!   the chosen seeds with 10,000 runs on a stream apart from the selection's.
//! * **elapsed_ms** times the selection alone: not reading the file, not the
//!   evaluation.
//! * **Reproducibility.** The seeds depend only on the file, the flags and
//!   `--rng-seed`, not on `--threads` (a rayon pool of `T` threads; default: all
//!   cores).
//!
//! * **Beyond the interface above**, `--imm-sampling independent|reused` chooses
//!   where IMM's node selection gets its RR sets: `independent` (default) draws
//!   fresh ones (Chen 2018's fix; the guarantee holds), `reused` tops up the
//!   sampling phase's sets as the published IMM (and PyNetIM) does, about half
//!   the work, for like-for-like comparisons.
//!
//! Errors go to stderr, naming the flag, the file or the line, and the exit code
//! is 2. `--help` prints the usage and exits 0.

// The test binary includes both CLIs, so it sees this module twice (by design).
#[allow(clippy::duplicate_mod, clippy::module_inception)]
#[path = "cli/mod.rs"]
mod cli;

pub use cli::Weights;
use cli::number;

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use social_loop::network::EdgeFormat;
use social_loop::propagation::Model;
use social_loop::targeting::{Algorithm, ImmSampling, Targeting};

/// The usage text printed by `--help` and after an argument error.
const USAGE: &str =
    "usage: target --edges FILE [--format auto|snap|weighted|signed-csv] [--undirected]
              --model ic|lt [--p P | --weighted-cascade | --trivalency]
              --k K [--epsilon E] [--algorithm imm|celf|degree|pagerank|random]
              --rng-seed S [--threads T] [--imm-sampling independent|reused]
Prints one JSON line: algorithm, k, seeds, estimated_spread, elapsed_ms.
Without --p/--weighted-cascade/--trivalency the weights come from the file's third column.";

/// The parsed command line (public so that `tests/targeting/cli.rs`, which includes
/// this file as a module, can check it).
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    pub edges: PathBuf,
    pub format: EdgeFormat,
    pub undirected: bool,
    pub model: Model,
    pub weights: Weights,
    pub k: usize,
    pub epsilon: f64,
    pub algorithm: Algorithm,
    pub rng_seed: u64,
    pub threads: Option<usize>,
    pub imm_sampling: ImmSampling,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Run(Args),
    Help,
}

/// The flags that take no value.
const SWITCHES: [&str; 3] = cli::COMMON_SWITCHES;
/// The flags that take one value.
const VALUED: [&str; 10] = [
    "--edges",
    "--format",
    "--model",
    "--p",
    "--k",
    "--epsilon",
    "--algorithm",
    "--rng-seed",
    "--threads",
    "--imm-sampling",
];

/// The algorithms this command line offers.
const ALGORITHMS: [Algorithm; 5] = [
    Algorithm::Imm,
    Algorithm::Celf,
    Algorithm::Degree,
    Algorithm::PageRank,
    Algorithm::Random,
];

/// Parses the arguments after the program name. Each flag may appear once; a
/// value follows its flag as the next argument or after `=`.
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let Some(flags) = cli::Flags::parse(args, &SWITCHES, &VALUED)? else {
        return Ok(Command::Help);
    };
    let get = |flag: &str| flags.get(flag);
    let required = |flag: &str| flags.required(flag);

    let model = match required("--model")? {
        "ic" => Model::IndependentCascade,
        "lt" => Model::LinearThreshold,
        other => return Err(format!("--model: `{other}` is not ic or lt")),
    };
    let weights = flags.weights()?;
    let k = match number::<usize>("--k", required("--k")?)? {
        0 => return Err("--k must be at least 1".into()),
        k => k,
    };
    let epsilon = match get("--epsilon") {
        Some(e) => match number::<f64>("--epsilon", e)? {
            e if e > 0.0 && e < 1.0 => e,
            e => return Err(format!("--epsilon: {e} is not in (0, 1)")),
        },
        None => 0.1,
    };
    let algorithm = match get("--algorithm") {
        None => Algorithm::Imm,
        Some(name) => ALGORITHMS
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                format!("--algorithm: `{name}` is not imm, celf, degree, pagerank or random")
            })?,
    };
    let threads = flags.threads()?;
    let imm_sampling = match get("--imm-sampling").unwrap_or("independent") {
        "independent" => ImmSampling::Independent,
        "reused" => ImmSampling::Reused,
        other => {
            return Err(format!(
                "--imm-sampling: `{other}` is not independent or reused"
            ));
        }
    };
    Ok(Command::Run(Args {
        edges: PathBuf::from(required("--edges")?),
        format: flags.format()?,
        undirected: flags.has("--undirected"),
        model,
        weights,
        k,
        epsilon,
        algorithm,
        rng_seed: number("--rng-seed", required("--rng-seed")?)?,
        threads,
        imm_sampling,
    }))
}

/// The JSON line; the field order is the interface.
#[derive(Debug, Serialize)]
struct Output<'a> {
    algorithm: &'static str,
    k: usize,
    seeds: Vec<&'a str>,
    estimated_spread: f64,
    elapsed_ms: f64,
}

/// Reads, weights, compiles, selects, evaluates, and returns the JSON line.
pub fn run(args: &Args) -> Result<String, String> {
    let network = cli::load_network(
        &args.edges,
        args.format,
        args.undirected,
        args.weights,
        args.rng_seed,
    )?;

    let targeting = Targeting::new(args.algorithm)
        .model(args.model)
        .epsilon(args.epsilon)
        .imm_sampling(args.imm_sampling)
        .seed(args.rng_seed);
    let select = || targeting.select(&network, args.k);
    let selection = match args.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| format!("--threads {t}: {e}"))?
            .install(select),
        None => select(),
    }
    .map_err(|e| e.to_string())?;
    if std::env::var_os("TARGET_DETAILS").is_some() {
        eprintln!(
            "{}",
            serde_json::to_string(&selection).map_err(|e| e.to_string())?
        );
    }
    let output = Output {
        algorithm: args.algorithm.name(),
        k: args.k,
        seeds: selection.seeds.iter().map(|c| c.as_str()).collect(),
        estimated_spread: selection.evaluation.spread.mean,
        elapsed_ms: selection.timings.selection_ms,
    };
    serde_json::to_string(&output).map_err(|e| format!("cannot write the JSON line: {e}"))
}

fn main() -> ExitCode {
    let outcome = parse_args(std::env::args().skip(1)).and_then(|command| match command {
        Command::Help => Ok(None),
        Command::Run(args) => run(&args).map(Some),
    });
    match outcome {
        Ok(Some(line)) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("target: error: {message}");
            eprintln!("(target --help prints the usage)");
            ExitCode::from(2)
        }
    }
}
