//! `social-loop spread`: one Monte Carlo estimate of how far a cascade reaches.
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
use std::time::Instant;

use clap::{ArgGroup, Args, ValueEnum};
use serde::Serialize;
use social_loop::Probability;
use social_loop::propagation::{Engine, Model, MonteCarlo, MonteCarloSettings};

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
#[command(group(ArgGroup::new("seed_choice").required(true).args(["seeds", "top_degree"])))]
pub struct SpreadArgs {
    #[command(flatten)]
    network: NetworkArgs,
    /// The diffusion model.
    #[arg(long, value_enum)]
    model: ModelChoice,
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
    runs: u64,
    /// Master seed: same file, flags and seed give the same estimate.
    #[arg(long, value_name = "S")]
    rng_seed: u64,
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

/// Reads, weights, compiles, picks the seeds, estimates, prints the JSON line.
pub fn run(args: &SpreadArgs) -> Result<(), Failure> {
    let signed = args.model == ModelChoice::Signed;
    if !signed && args.adversaries.is_some() {
        return Err(Failure("--adversaries needs --model signed".into()));
    }
    if !signed && args.negativity_bias.is_some() {
        return Err(Failure("--negativity-bias needs --model signed".into()));
    }
    let network = load(&args.network, args.rng_seed)?;
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
    let model = match args.model {
        ModelChoice::Ic => Model::IndependentCascade,
        ModelChoice::Lt => Model::LinearThreshold,
        ModelChoice::Signed => Model::signed(bias),
    };
    let mut settings = MonteCarloSettings::new(args.runs, args.rng_seed)?.engine(args.engine);
    if let Some(t) = args.threads {
        settings = settings.threads(t)?;
    }
    let estimator = MonteCarlo::new(model).settings(settings);
    let start = Instant::now();
    let estimate = estimator.estimate_signed(&network, &seeds, &adversaries)?;
    let elapsed = start.elapsed();

    let reach = estimate.signed.filter(|_| signed);
    let headline = reach.map_or(estimate.summary(), |s| s.positive);
    let line = Output {
        model: model.name(),
        nodes: network.node_count(),
        arcs: network.arc_count(),
        runs: estimate.runs,
        mean: headline.mean,
        std_err: headline.std_err,
        ci95: headline.ci95,
        seeds: seeds.iter().map(String::as_str).collect(),
        elapsed_ms: elapsed.as_secs_f64() * 1e3,
        adversaries: reach.map(|_| adversaries.iter().map(String::as_str).collect()),
        negativity_bias: reach.map(|_| bias.get()),
        negative_mean: reach.map(|s| s.negative.mean),
        negative_std_err: reach.map(|s| s.negative.std_err),
        negative_ci95: reach.map(|s| s.negative.ci95),
    };
    output::line(&serde_json::to_string(&line)?)
}
