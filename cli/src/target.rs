//! `social-loop target`: choose `k` customers to seed, print one JSON line.
//!
//! ```text
//! {"algorithm":"imm","k":K,"seeds":["id",...],"estimated_spread":X,"elapsed_ms":T,
//!  "certified_ratio":R,"rr_sets":N,"spread":{"mean":X,"std_err":S,"ci95":[LO,HI]}}
//! ```
//!
//! `estimated_spread` is the mean of an independent Monte Carlo evaluation of
//! the chosen seeds (10,000 runs on a stream apart from the selection's), and
//! `spread` that evaluation with its standard error and 95% confidence
//! interval; `elapsed_ms` times the selection alone (IMM and OPIM: with the
//! network's RR-set sampling arrays built first, as the published codes time
//! theirs with the graph loaded; that build is `timings.prepare_ms` in the
//! `TARGET_DETAILS` output). `certified_ratio` is the
//! fraction of the optimum the selection is certified to reach with probability
//! `1 − 1/n` (OPIM: certified from its RR sets; IMM: `1 − 1/e − ε`; `null` for
//! the strategies that certify nothing); `rr_sets` counts the RR sets drawn (0
//! for the strategies that draw none). With the environment variable
//! `TARGET_DETAILS` set, the whole selection is also written as JSON on stderr.
//!
//! `--algorithm opim` stops once it certifies `1 − 1/e − ε`; with
//! `--time-budget-ms` or `--rr-budget` it is anytime instead: it draws until the
//! budget runs out and prints the best selection so far. An RR budget is
//! reproducible; a time budget is not (how far it gets depends on the machine
//! and its load).

use std::time::Duration;

use clap::{Args, ValueEnum};
use serde::Serialize;
use social_loop::propagation::Model;
use social_loop::targeting::{Algorithm, ImmSampling, Targeting};

use crate::network_args::{NetworkArgs, load, parse_threads};
use crate::{Failure, output};

/// The models a selection optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetModel {
    /// Independent Cascade.
    Ic,
    /// Linear Threshold.
    Lt,
}

/// The strategies this command offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmChoice {
    /// IMM on reverse-reachable sets (`--epsilon`, `ℓ = 1`).
    Imm,
    /// OPIM-C: anytime, certifies its ratio; stops at `1 − 1/e − ε` or a budget.
    Opim,
    /// Lazy greedy on 1,000 Monte Carlo runs per evaluation (small graphs).
    Celf,
    /// Highest out-degree first.
    Degree,
    /// Highest influence PageRank first.
    Pagerank,
    /// A seeded random order.
    Random,
}

/// Where IMM's node selection gets its RR sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplingChoice {
    /// Fresh RR sets (Chen 2018's fix; the guarantee holds).
    Independent,
    /// The sampling phase's sets topped up, as the published IMM does.
    Reused,
}

/// Arguments of `social-loop target`.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    #[command(flatten)]
    network: NetworkArgs,
    /// The diffusion model whose spread is maximised.
    #[arg(long, value_enum)]
    model: TargetModel,
    /// How many customers to choose (at most the number in the network).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    k: u64,
    /// IMM's and OPIM's accuracy ε in (0, 1).
    #[arg(long, default_value_t = 0.1, value_name = "E", value_parser = parse_epsilon)]
    epsilon: f64,
    /// The selection strategy.
    #[arg(long, value_enum, default_value = "imm")]
    algorithm: AlgorithmChoice,
    /// Master seed: same file, flags and seed give the same seeds.
    #[arg(long, value_name = "S")]
    rng_seed: u64,
    /// Threads (default: all cores); the seeds do not depend on it.
    #[arg(long, value_name = "T", value_parser = parse_threads)]
    threads: Option<usize>,
    /// Where IMM's node selection gets its RR sets.
    #[arg(long, value_enum, default_value = "independent")]
    imm_sampling: SamplingChoice,
    /// OPIM: stop drawing RR sets after MS milliseconds (not reproducible).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64))]
    time_budget_ms: Option<u64>,
    /// OPIM: draw at most N RR sets (at least 512; reproducible).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(512..))]
    rr_budget: Option<u64>,
}

fn parse_epsilon(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(e) if e > 0.0 && e < 1.0 => Ok(e),
        Ok(e) => Err(format!("{e} is not in (0, 1)")),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

/// The JSON line; the field order is the interface.
#[derive(Debug, Serialize)]
struct Output<'a> {
    algorithm: &'static str,
    k: u64,
    seeds: Vec<&'a str>,
    estimated_spread: f64,
    elapsed_ms: f64,
    certified_ratio: Option<f64>,
    rr_sets: u64,
    spread: Spread,
}

/// The independent evaluation of the chosen seeds, with its uncertainty.
#[derive(Debug, Serialize)]
struct Spread {
    mean: f64,
    std_err: f64,
    ci95: [f64; 2],
}

/// Reads, weights, compiles, selects, evaluates, prints the JSON line.
pub fn run(args: &TargetArgs) -> Result<(), Failure> {
    let network = load(&args.network, args.rng_seed)?;
    let customers = network.node_count();
    let k = usize::try_from(args.k).unwrap_or(usize::MAX);
    if k > customers {
        return Err(Failure(format!(
            "--k {k}: the network has only {customers} customers"
        )));
    }
    let algorithm = match args.algorithm {
        AlgorithmChoice::Imm => Algorithm::Imm,
        AlgorithmChoice::Opim => Algorithm::Opim,
        AlgorithmChoice::Celf => Algorithm::Celf,
        AlgorithmChoice::Degree => Algorithm::Degree,
        AlgorithmChoice::Pagerank => Algorithm::PageRank,
        AlgorithmChoice::Random => Algorithm::Random,
    };
    let targeting = Targeting::new(algorithm)
        .model(match args.model {
            TargetModel::Ic => Model::IndependentCascade,
            TargetModel::Lt => Model::LinearThreshold,
        })
        .epsilon(args.epsilon)
        .imm_sampling(match args.imm_sampling {
            SamplingChoice::Independent => ImmSampling::Independent,
            SamplingChoice::Reused => ImmSampling::Reused,
        })
        .seed(args.rng_seed);
    let budgets = [
        ("--time-budget-ms", args.time_budget_ms.is_some()),
        ("--rr-budget", args.rr_budget.is_some()),
    ];
    if let Some((flag, _)) = budgets.iter().find(|(_, set)| *set) {
        if algorithm != Algorithm::Opim {
            return Err(Failure(format!(
                "{flag}: budgets apply to --algorithm opim, not {}",
                algorithm.name()
            )));
        }
    }
    let targeting = match args.time_budget_ms {
        Some(ms) => targeting.time_budget(Duration::from_millis(ms)),
        None => targeting,
    };
    let targeting = match args.rr_budget {
        Some(sets) => targeting.rr_budget(sets),
        None => targeting,
    };
    let select = || targeting.select(&network, k);
    let selection = match args.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| Failure(format!("--threads {t}: {e}")))?
            .install(select),
        None => select(),
    }?;
    if std::env::var_os("TARGET_DETAILS").is_some() {
        eprintln!("{}", serde_json::to_string(&selection)?);
    }
    let line = Output {
        algorithm: algorithm.name(),
        k: args.k,
        seeds: selection.seeds.iter().map(|c| c.as_str()).collect(),
        estimated_spread: selection.evaluation.spread.mean,
        elapsed_ms: selection.timings.selection_ms,
        certified_ratio: selection.certified_ratio(),
        rr_sets: selection.rr_sets.map_or(0, |s| s.drawn),
        spread: Spread {
            mean: selection.evaluation.spread.mean,
            std_err: selection.evaluation.spread.std_err,
            ci95: selection.evaluation.spread.ci95,
        },
    };
    output::line(&serde_json::to_string(&line)?)
}
