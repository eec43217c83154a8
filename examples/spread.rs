//! `spread`: a researcher's command line for one Monte Carlo estimate of how far a
//! cascade reaches on an edge-list file.
//!
//! ```text
//! cargo run --release --example spread -- --edges FILE
//!     [--format auto|snap|weighted|signed-csv] [--undirected]
//!     --model ic|lt|signed
//!     [--p P | --weighted-cascade | --trivalency]
//!     (--seeds ID,ID,... | --top-degree K)
//!     --runs N --rng-seed S [--threads T]
//!     [--adversaries ID,ID,...] [--negativity-bias B]      (signed only)
//!     [--engine auto|word-parallel|per-run|skipping]
//! ```
//!
//! It prints exactly one JSON line on stdout:
//!
//! ```text
//! {"model":"ic","nodes":N,"arcs":M,"runs":R,"mean":X,"std_err":S,"ci95":[LO,HI],"seeds":["id",...],"elapsed_ms":T}
//! ```
//!
//! * **Weights.** `--p P` sets every tie to `P`; `--weighted-cascade` sets `u -> v`
//!   to `1 / in-degree(v)`; `--trivalency` draws each tie's probability from
//!   {0.1, 0.01, 0.001} with a `Xoshiro256PlusPlus` seeded by
//!   `rng-seed XOR 0x7472_6976_616c_656e` (a stream apart from the runs'). Without any
//!   of them the weights come from the file's third column (`weighted`), or
//!   `|rating| / 10` for `signed-csv`; a `snap` file has no weights, and that is an
//!   error. Tie signs are always kept from the file.
//! * **Seeds.** `--seeds` lists customer ids (duplicates count once, in the order
//!   given). `--top-degree K` takes the `K` nodes of highest out-degree (after
//!   self-loops and duplicate arcs were dropped by the reader); ties are broken by
//!   node order, which is the order in which ids first appear in the file (the
//!   source id of a line before its target). `seeds` in the output lists the ids
//!   used, in that order.
//! * **Models.** `ic` is Independent Cascade and `lt` Linear Threshold (incoming
//!   weights must sum to at most 1, as weighted cascade guarantees); both ignore
//!   tie signs. `signed` is the advocate/adversary cascade: the seeds are the
//!   **advocates** (positive opinion) and `--adversaries` (optional; never
//!   picked by `--top-degree`) start a negative one in the same runs; a negative
//!   tie flips the message; first arrival wins, and a same-step clash goes
//!   negative with probability `--negativity-bias` (default 0.5). For `signed`,
//!   `mean`/`std_err`/`ci95` are the **positive reach** (customers ending
//!   positive, advocates included), and these fields are appended after the
//!   required ones: `"adversaries":[...]`, `"negativity_bias":B`,
//!   `"negative_mean"`, `"negative_std_err"`, `"negative_ci95"`.
//! * **Reproducibility.** The estimate depends only on the file, the flags and
//!   `--rng-seed`, not on `--threads` (a rayon pool of `T` threads; default: all
//!   cores). `--engine` chooses the simulation engine (default `auto`: for `ic`,
//!   a deterministic pilot picks `skipping` for small cascades and
//!   `word-parallel` for large ones; `skipping` for `signed`, `per-run` for
//!   `lt`); the engines use different streams.
//! * **Timing.** `elapsed_ms` times the Monte Carlo estimate alone, not reading
//!   the file, weighting, compiling or choosing the seeds.
//!
//! Errors (a bad or missing flag, an unreadable file, a malformed line, an
//! unknown seed id) go to stderr, naming the flag, the file or the line, and the
//! exit code is 2. `--help` prints the usage and exits 0.

// The test binary includes both CLIs, so it sees this module twice (by design).
#[allow(clippy::duplicate_mod, clippy::module_inception)]
#[path = "cli/mod.rs"]
mod cli;

pub use cli::Weights;
use cli::number;

use std::cmp::Reverse;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;
use social_loop::Probability;
use social_loop::network::EdgeFormat;
use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo};

/// The usage text printed by `--help` and after an argument error.
pub const USAGE: &str =
    "usage: spread --edges FILE [--format auto|snap|weighted|signed-csv] [--undirected]
              --model ic|lt|signed [--p P | --weighted-cascade | --trivalency]
              (--seeds ID,ID,... | --top-degree K) --runs N --rng-seed S [--threads T]
              [--adversaries ID,ID,...] [--negativity-bias B] [--engine auto|word-parallel|per-run|skipping]
Prints one JSON line: model, nodes, arcs, runs, mean, std_err, ci95, seeds, elapsed_ms.
Without --p/--weighted-cascade/--trivalency the weights come from the file's third column.";

/// Which diffusion model to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelChoice {
    Ic,
    Lt,
    Signed,
}

/// How the (advocate) seeds are chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedChoice {
    Ids(Vec<String>),
    TopDegree(usize),
}

/// The parsed command line (public so that `tests/spread_cli.rs`, which includes
/// this file as a module, can check it).
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    pub edges: PathBuf,
    pub format: EdgeFormat,
    pub undirected: bool,
    pub model: ModelChoice,
    pub weights: Weights,
    pub seeds: SeedChoice,
    pub adversaries: Vec<String>,
    pub negativity_bias: Probability,
    pub runs: u64,
    pub rng_seed: u64,
    pub threads: Option<usize>,
    pub engine: Engine,
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
const VALUED: [&str; 12] = [
    "--edges",
    "--format",
    "--model",
    "--p",
    "--seeds",
    "--top-degree",
    "--runs",
    "--rng-seed",
    "--threads",
    "--adversaries",
    "--negativity-bias",
    "--engine",
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
        "ic" => ModelChoice::Ic,
        "lt" => ModelChoice::Lt,
        "signed" => ModelChoice::Signed,
        other => return Err(format!("--model: `{other}` is not ic, lt or signed")),
    };
    let weights = flags.weights()?;
    let seeds = match (get("--seeds"), get("--top-degree")) {
        (Some(_), Some(_)) => return Err("give --seeds or --top-degree, not both".into()),
        (None, None) => return Err("missing --seeds or --top-degree".into()),
        (Some(list), None) => SeedChoice::Ids(id_list("--seeds", list)?),
        (None, Some(k)) => match number::<usize>("--top-degree", k)? {
            0 => return Err("--top-degree must be at least 1".into()),
            k => SeedChoice::TopDegree(k),
        },
    };
    let adversaries = match get("--adversaries") {
        Some(list) if model == ModelChoice::Signed => id_list("--adversaries", list)?,
        Some(_) => return Err("--adversaries needs --model signed".into()),
        None => Vec::new(),
    };
    let negativity_bias = match get("--negativity-bias") {
        Some(b) if model == ModelChoice::Signed => {
            Probability::new(number("--negativity-bias", b)?)
                .map_err(|e| format!("--negativity-bias: {e}"))?
        }
        Some(_) => return Err("--negativity-bias needs --model signed".into()),
        None => Probability::saturating(0.5),
    };
    let runs = number::<u64>("--runs", required("--runs")?)?;
    if runs < 2 {
        return Err("--runs must be at least 2 (a standard error needs two runs)".into());
    }
    let threads = flags.threads()?;
    let engine = match get("--engine") {
        None => Engine::Auto,
        Some(name) => name.parse::<Engine>().map_err(|_| {
            let names: Vec<&str> = Engine::ALL.into_iter().map(Engine::name).collect();
            format!("--engine: `{name}` is not {}", names.join(", "))
        })?,
    };
    Ok(Command::Run(Args {
        edges: PathBuf::from(required("--edges")?),
        format: flags.format()?,
        undirected: flags.has("--undirected"),
        model,
        weights,
        seeds,
        adversaries,
        negativity_bias,
        runs,
        rng_seed: number("--rng-seed", required("--rng-seed")?)?,
        threads,
        engine,
    }))
}

/// Splits `a,b,c` into ids, rejecting empty items.
fn id_list(flag: &str, text: &str) -> Result<Vec<String>, String> {
    text.split(',')
        .map(|id| match id.trim() {
            "" => Err(format!("{flag}: empty id in `{text}`")),
            id => Ok(id.to_string()),
        })
        .collect()
}

/// The `K` nodes of highest out-degree, ties by node order, skipping `excluded`.
fn top_degree(network: &CompiledNetwork, k: usize, excluded: &[u32]) -> Result<Vec<u32>, String> {
    let excluded: HashSet<u32> = excluded.iter().copied().collect();
    let mut nodes: Vec<u32> = (0..network.node_count() as u32)
        .filter(|v| !excluded.contains(v))
        .collect();
    if k > nodes.len() {
        return Err(format!(
            "--top-degree {k}: only {} customers can be seeds",
            nodes.len()
        ));
    }
    nodes.sort_by_key(|&v| (Reverse(network.out_degree(v)), v));
    nodes.truncate(k);
    Ok(nodes)
}

/// The JSON line. Field order is the interface: required fields first, the
/// signed cascade's extras after them.
#[derive(Debug, Serialize)]
struct Output<'a> {
    model: &'static str,
    nodes: usize,
    arcs: usize,
    runs: u64,
    mean: f64,
    std_err: f64,
    ci95: [f64; 2],
    seeds: Vec<&'a str>,
    elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    adversaries: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negativity_bias: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_std_err: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_ci95: Option<[f64; 2]>,
}

/// Reads, weights, compiles, picks the seeds, estimates, and returns the JSON line.
pub fn run(args: &Args) -> Result<String, String> {
    let network = cli::load_network(
        &args.edges,
        args.format,
        args.undirected,
        args.weights,
        args.rng_seed,
    )?;

    let adversaries = network
        .nodes_of(&args.adversaries)
        .map_err(|e| format!("--adversaries: {e}"))?;
    let seeds = match &args.seeds {
        SeedChoice::Ids(ids) => {
            let mut nodes = network.nodes_of(ids).map_err(|e| format!("--seeds: {e}"))?;
            let mut once = HashSet::new();
            nodes.retain(|v| once.insert(*v));
            nodes
        }
        SeedChoice::TopDegree(k) => top_degree(&network, *k, &adversaries)?,
    };
    let model = match args.model {
        ModelChoice::Ic => Model::IndependentCascade,
        ModelChoice::Lt => Model::LinearThreshold,
        ModelChoice::Signed => Model::signed(args.negativity_bias),
    };
    let estimator = MonteCarlo::new(model)
        .runs(args.runs)
        .seed(args.rng_seed)
        .engine(args.engine);
    let estimate = || {
        let start = Instant::now();
        let result = estimator.estimate_nodes(&network, &seeds, &adversaries);
        (result, start.elapsed())
    };
    let (result, elapsed) = match args.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| format!("--threads {t}: {e}"))?
            .install(estimate),
        None => estimate(),
    };
    let est = result.map_err(|e| e.to_string())?;

    let ids = |nodes: &[u32]| -> Vec<&str> {
        nodes
            .iter()
            .filter_map(|&v| network.customer(v).map(|c| c.as_str()))
            .collect()
    };
    let signed = est.signed.filter(|_| args.model == ModelChoice::Signed);
    let headline = signed.map_or(est.summary(), |s| s.positive);
    let output = Output {
        model: model.name(),
        nodes: network.node_count(),
        arcs: network.arc_count(),
        runs: est.runs,
        mean: headline.mean,
        std_err: headline.std_err,
        ci95: headline.ci95,
        seeds: ids(&seeds),
        elapsed_ms: elapsed.as_secs_f64() * 1e3,
        adversaries: signed.map(|_| ids(&adversaries)),
        negativity_bias: signed.map(|_| args.negativity_bias.get()),
        negative_mean: signed.map(|s| s.negative.mean),
        negative_std_err: signed.map(|s| s.negative.std_err),
        negative_ci95: signed.map(|s| s.negative.ci95),
    };
    serde_json::to_string(&output).map_err(|e| format!("cannot write the JSON line: {e}"))
}

fn main() -> ExitCode {
    let outcome = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(args)) => run(&args),
        Err(message) => Err(format!("{message}\n(spread --help prints the usage)")),
    };
    match outcome {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("spread: error: {message}");
            ExitCode::from(2)
        }
    }
}
