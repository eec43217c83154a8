//! `social-loop spread`: one Monte Carlo estimate of how far a cascade reaches,
//! whole or split over the jobs of a cluster.
//!
//! It prints exactly one JSON line:
//!
//! ```text
//! {"model":"ic","nodes":N,"arcs":M,"runs":R,"mean":X,"std_err":S,"ci95":[LO,HI],"seeds":["id",...],"elapsed_ms":T}
//! ```
//!
//! For `--model signed` the headline is the positive reach and these fields
//! follow: `adversaries`, `negativity_bias`, `negative_mean`,
//! `negative_std_err`, `negative_ci95`. `elapsed_ms` times the estimate alone
//! (not reading, weighting or compiling the file).

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use social_loop::Probability;
use social_loop::propagation::{
    Engine, Model, MonteCarlo, MonteCarloSettings, SpreadEstimate, SpreadTally,
};

use crate::network_args::{NetworkArgs, load, parse_probability, parse_threads};
use crate::{Failure, output};

/// Which diffusion model to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelChoice {
    /// Independent Cascade (tie signs ignored).
    Ic,
    /// Linear Threshold (incoming weights must sum to at most 1).
    Lt,
    /// Advocates against adversaries: a negative tie flips the message, first
    /// arrival wins.
    Signed,
}

/// Arguments of `social-loop spread`.
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SpreadArgs {
    #[command(subcommand)]
    merge: Option<SpreadCommand>,
    #[command(flatten)]
    estimate: EstimateArgs,
}

#[derive(Debug, Clone, Subcommand)]
enum SpreadCommand {
    /// Merge the partial tallies of one estimate (`--partial`) and print its
    /// JSON line.
    Merge(MergeArgs),
}

/// Merging partial tallies.
#[derive(Debug, Clone, Args)]
struct MergeArgs {
    /// The partial tallies (each written by `spread --runs-range A..B --partial`).
    #[arg(value_name = "PART.json", required = true, num_args = 1..)]
    parts: Vec<PathBuf>,
}

/// Estimating.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("seed_choice").required(true).args(["seeds", "top_degree"])))]
#[command(group(ArgGroup::new("run_choice").required(true).args(["runs", "runs_range"])))]
struct EstimateArgs {
    #[command(flatten)]
    network: NetworkArgs,
    /// The diffusion model.
    #[arg(long, value_enum, required = true)]
    model: Option<ModelChoice>,
    /// Seed customers by id (advocates for `signed`); duplicates count once.
    #[arg(long, value_name = "ID,ID,...", value_parser = parse_id_list)]
    seeds: Option<IdList>,
    /// The K customers of highest out-degree (ties by first appearance in the
    /// file; adversaries are never picked).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    top_degree: Option<u64>,
    /// Adversary seeds (signed only): they start a negative cascade in the same runs.
    #[arg(long, value_name = "ID,ID,...", value_parser = parse_id_list)]
    adversaries: Option<IdList>,
    /// Chance that a same-step clash goes negative (signed only; default 0.5).
    #[arg(long, value_name = "B", value_parser = parse_probability)]
    negativity_bias: Option<Probability>,
    /// Monte Carlo runs (at least 2).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..))]
    runs: Option<u64>,
    /// Only runs A..B of the seed's sequence (at least 2 runs without --partial).
    #[arg(long, value_name = "A..B", value_parser = parse_run_range)]
    runs_range: Option<Range<u64>>,
    /// Write the exact tally of --runs-range to this file instead of printing
    /// the line (`spread merge` merges the parts).
    #[arg(long, value_name = "PART.json", requires = "runs_range")]
    partial: Option<PathBuf>,
    /// Master seed: same file, flags and seed give the same estimate.
    #[arg(long, value_name = "S", required = true)]
    rng_seed: Option<u64>,
    /// Threads (default: all cores); the estimate does not depend on it.
    #[arg(long, value_name = "T", value_parser = parse_threads)]
    threads: Option<usize>,
    /// The simulation engine (auto: chosen per estimate by a deterministic pilot).
    #[arg(long, default_value = "auto", value_parser = parse_engine, value_name = "auto|word-parallel|per-run|skipping")]
    engine: Engine,
}

/// A comma-separated list of customer ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdList(pub Vec<String>);

/// Splits `a,b,c` into ids, rejecting empty items.
pub fn parse_id_list(text: &str) -> Result<IdList, String> {
    text.split(',')
        .map(|id| match id.trim() {
            "" => Err(format!("empty id in `{text}`")),
            id => Ok(id.to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(IdList)
}

/// `A..B`, not empty.
fn parse_run_range(text: &str) -> Result<Range<u64>, String> {
    let number = |t: &str| {
        t.trim()
            .parse::<u64>()
            .map_err(|_| format!("`{t}` is not a run number"))
    };
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| format!("`{text}` is not a range A..B"))?;
    let runs = number(a)?..number(b)?;
    if runs.is_empty() {
        return Err(format!("`{text}` is an empty range of runs"));
    }
    Ok(runs)
}

fn parse_engine(text: &str) -> Result<Engine, String> {
    text.parse::<Engine>().map_err(|_| {
        let names: Vec<&str> = Engine::ALL.into_iter().map(Engine::name).collect();
        format!("`{text}` is not {}", names.join(", "))
    })
}

/// The JSON line. Field order is the interface: required fields first, the
/// signed cascade's extras after them.
#[derive(Debug, Serialize)]
struct Output<'a> {
    model: &'a str,
    nodes: usize,
    arcs: usize,
    runs: u64,
    mean: f64,
    std_err: f64,
    ci95: [f64; 2],
    seeds: &'a [String],
    elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    adversaries: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negativity_bias: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_std_err: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_ci95: Option<[f64; 2]>,
}

/// What the line says besides the estimate: the same for every part of a
/// split estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Fixed {
    model: String,
    nodes: usize,
    arcs: usize,
    seeds: Vec<String>,
    adversaries: Option<Vec<String>>,
    negativity_bias: Option<f64>,
}

/// A `--partial` file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Partial {
    /// SHA-256 of the edge file and of the flags that change the estimate.
    inputs: String,
    line: Fixed,
    tally: SpreadTally,
    elapsed_ms: f64,
}

/// Runs the command.
pub fn run(args: &SpreadArgs) -> Result<(), Failure> {
    match &args.merge {
        Some(SpreadCommand::Merge(m)) => merge(m),
        None => estimate(&args.estimate),
    }
}

/// The JSON line of `estimate` (the headline is the positive reach for the
/// signed model).
fn line(fixed: &Fixed, estimate: &SpreadEstimate, elapsed_ms: f64) -> Result<(), Failure> {
    let reach = estimate.signed.filter(|_| fixed.adversaries.is_some());
    let headline = reach.map_or(estimate.summary(), |s| s.positive);
    let line = Output {
        model: &fixed.model,
        nodes: fixed.nodes,
        arcs: fixed.arcs,
        runs: estimate.runs,
        mean: headline.mean,
        std_err: headline.std_err,
        ci95: headline.ci95,
        seeds: &fixed.seeds,
        elapsed_ms,
        adversaries: fixed.adversaries.as_deref(),
        negativity_bias: fixed.negativity_bias,
        negative_mean: reach.map(|s| s.negative.mean),
        negative_std_err: reach.map(|s| s.negative.std_err),
        negative_ci95: reach.map(|s| s.negative.ci95),
    };
    output::line(&serde_json::to_string(&line)?)
}

/// Reads, weights, compiles, picks the seeds, estimates, prints the JSON line
/// (or writes the partial tally).
fn estimate(args: &EstimateArgs) -> Result<(), Failure> {
    // Options only so that `spread merge` can stand in for them; clap
    // requires them otherwise.
    let (Some(model_choice), Some(rng_seed)) = (args.model, args.rng_seed) else {
        return Err(Failure("give --model and --rng-seed".into()));
    };
    if args.partial.is_some() && args.runs_range.is_none() {
        return Err(Failure("--partial needs --runs-range A..B".into()));
    }
    let signed = model_choice == ModelChoice::Signed;
    if !signed && args.adversaries.is_some() {
        return Err(Failure("--adversaries needs --model signed".into()));
    }
    if !signed && args.negativity_bias.is_some() {
        return Err(Failure("--negativity-bias needs --model signed".into()));
    }
    let network = load(&args.network, rng_seed)?;
    let adversaries: Vec<String> = args.adversaries.clone().map(|l| l.0).unwrap_or_default();
    for id in &adversaries {
        if !network.contains(id) {
            return Err(Failure(format!(
                "--adversaries: unknown customer id `{id}`"
            )));
        }
    }
    let seeds: Vec<String> = match (&args.seeds, args.top_degree) {
        (Some(ids), None) => {
            let mut once = HashSet::new();
            let ids: Vec<String> = ids
                .0
                .iter()
                .filter(|id| once.insert(*id))
                .cloned()
                .collect();
            if let Some(id) = ids.iter().find(|id| !network.contains(id)) {
                return Err(Failure(format!("--seeds: unknown customer id `{id}`")));
            }
            ids
        }
        (None, Some(k)) => {
            let k = usize::try_from(k).unwrap_or(usize::MAX);
            network
                .highest_out_degree(k, &adversaries)
                .map_err(|e| Failure(format!("--top-degree {k}: {}", e.reason().unwrap_or("?"))))?
                .iter()
                .map(|c| c.to_string())
                .collect()
        }
        _ => return Err(Failure("give --seeds or --top-degree, not both".into())),
    };
    let bias = args.negativity_bias.unwrap_or(Probability::saturating(0.5));
    let model = match model_choice {
        ModelChoice::Ic => Model::IndependentCascade,
        ModelChoice::Lt => Model::LinearThreshold,
        ModelChoice::Signed => Model::signed(bias),
    };
    let runs = args.runs.unwrap_or(2);
    let mut settings = MonteCarloSettings::new(runs, rng_seed)?.engine(args.engine);
    if let Some(t) = args.threads {
        settings = settings.threads(t)?;
    }
    let estimator = MonteCarlo::new(model).settings(settings);
    let fixed = Fixed {
        model: model.name().to_string(),
        nodes: network.node_count(),
        arcs: network.arc_count(),
        seeds,
        adversaries: signed.then_some(adversaries),
        negativity_bias: signed.then(|| bias.get()),
    };
    let no_adversaries: &[String] = &[];
    let adversaries = fixed.adversaries.as_deref().unwrap_or(no_adversaries);
    let start = Instant::now();
    let Some(range) = args.runs_range.clone() else {
        let estimate = estimator.estimate_signed(&network, &fixed.seeds, adversaries)?;
        return line(&fixed, &estimate, start.elapsed().as_secs_f64() * 1e3);
    };
    if args.partial.is_none() && range.end - range.start < 2 {
        return Err(Failure(format!(
            "--runs-range {}..{}: at least 2 runs are needed for a standard error",
            range.start, range.end
        )));
    }
    let tally = estimator.tally(&network, &fixed.seeds, adversaries, range)?;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
    let Some(path) = &args.partial else {
        return line(&fixed, &tally.finish(), elapsed_ms);
    };
    let partial = Partial {
        inputs: inputs(args, &fixed)?,
        line: fixed,
        tally,
        elapsed_ms,
    };
    output::write_file(path, &serde_json::to_string(&partial)?)
}

/// The fingerprint of what an estimate depends on: the edge file's bytes and
/// every flag but the runs, the threads and where the output goes.
fn inputs(args: &EstimateArgs, fixed: &Fixed) -> Result<String, Failure> {
    let file = args.network.edges_file()?;
    let edges =
        std::fs::read(file).map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    let flags = serde_json::json!({
        "format": args.network.format.to_string(),
        "undirected": args.network.undirected,
        "weights": format!("{:?}", args.network.weights),
        "line": fixed,
        "rng_seed": args.rng_seed,
        "engine": args.engine.name(),
    });
    let mut hash = Sha256::new();
    hash.update(&edges);
    hash.update(flags.to_string().as_bytes());
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

/// `spread merge`: the tallies of one estimate merged, the line printed.
fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let mut merged: Option<(PathBuf, Partial)> = None;
    for path in &args.parts {
        let part = read_partial(path)?;
        let name = path.display();
        let Some((first, whole)) = merged.as_mut() else {
            merged = Some((path.clone(), part));
            continue;
        };
        if part.inputs != whole.inputs || part.line != whole.line {
            return Err(Failure(format!(
                "{name}: a part of another estimate than {} (other edge file, flags or seed)",
                first.display()
            )));
        }
        whole
            .tally
            .merge(&part.tally)
            .map_err(|e| Failure(format!("{name}: {}", e.reason().unwrap_or(&e.to_string()))))?;
        whole.elapsed_ms += part.elapsed_ms;
    }
    let (_, whole) = merged.ok_or_else(|| Failure("merge needs at least one part".into()))?;
    let runs = whole.tally.runs();
    if let [a, b, ..] = runs {
        return Err(Failure(format!(
            "runs {}..{} are missing between the parts (they hold {}..{} and {}..{})",
            a[1], b[0], a[0], a[1], b[0], b[1]
        )));
    }
    let estimate = whole.tally.finish();
    if estimate.runs < 2 {
        return Err(Failure(
            "the parts hold 1 run: at least 2 are needed for a standard error".into(),
        ));
    }
    line(&whole.line, &estimate, whole.elapsed_ms)
}

fn read_partial(path: &Path) -> Result<Partial, Failure> {
    let name = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read {name}: {e}")))?;
    serde_json::from_str(&text).map_err(|e| {
        Failure(format!(
            "{name}: not a partial tally of `spread --partial` (truncated?): {e}"
        ))
    })
}
