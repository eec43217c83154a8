//! What `spread` and `target` share: the edge-list flags, the weight flags and
//! reading + weighting + compiling the network.

use std::path::PathBuf;

use clap::Args;
use social_loop::Probability;
use social_loop::network::{EdgeFormat, ReadOptions, WeightScheme, read_edge_list_file};
use social_loop::propagation::{CompiledNetwork, MAX_THREADS};

use crate::Failure;

/// Mixed into `--rng-seed` for the trivalency draws ("trivalen" in ASCII), so
/// they use a stream apart from the Monte Carlo's.
pub const TRIVALENCY_STREAM: u64 = 0x7472_6976_616c_656e;

/// The edge list and how to read it.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// The edge-list file: `u v` (snap), `u v p` (weighted) or
    /// `src,dst,rating,time` (signed-csv); `#` and `%` lines are comments.
    #[arg(long, value_name = "FILE", required = true)]
    pub edges: Option<PathBuf>,
    /// The file's format (auto: detected from the first data line).
    #[arg(long, default_value = "auto", value_parser = parse_format, value_name = "auto|snap|weighted|signed-csv")]
    pub format: EdgeFormat,
    /// Read every line as two ties, one each way.
    #[arg(long)]
    pub undirected: bool,
    #[command(flatten)]
    pub weights: WeightArgs,
}

impl NetworkArgs {
    /// The edge file (`--edges`, required by clap unless a subcommand such
    /// as `spread merge` stands in for the flags).
    pub fn edges_file(&self) -> Result<&std::path::Path, Failure> {
        self.edges
            .as_deref()
            .ok_or_else(|| Failure("give the edge file with --edges".into()))
    }
}

/// Where the tie probabilities come from: at most one flag; none means the
/// file's third column (`weighted`), or `|rating| / 10` (`signed-csv`).
#[derive(Debug, Clone, Copy, Args)]
#[group(multiple = false)]
pub struct WeightArgs {
    /// Every tie has probability P.
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    pub p: Option<Probability>,
    /// Tie u -> v has probability 1 / in-degree(v).
    #[arg(long)]
    pub weighted_cascade: bool,
    /// Each tie's probability drawn from {0.1, 0.01, 0.001}, seeded by
    /// `--rng-seed` XOR 0x7472_6976_616c_656e.
    #[arg(long)]
    pub trivalency: bool,
}

impl WeightArgs {
    /// The scheme the flags ask for.
    fn scheme(&self) -> WeightScheme {
        match (self.p, self.weighted_cascade, self.trivalency) {
            (Some(p), _, _) => WeightScheme::Uniform(p),
            (None, true, _) => WeightScheme::WeightedCascade,
            (None, false, true) => WeightScheme::Trivalency,
            (None, false, false) => WeightScheme::FromData,
        }
    }
}

/// `--threads T`: a pool of its own of 1 to [`MAX_THREADS`] threads.
pub fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(t) if (1..=MAX_THREADS).contains(&t) => Ok(t),
        _ => Err(format!(
            "`{text}` is not a thread count from 1 to {MAX_THREADS}"
        )),
    }
}

/// A probability in `[0, 1]`.
pub fn parse_probability(text: &str) -> Result<Probability, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    Probability::new(value).map_err(|_| format!("{value} is not a probability in [0, 1]"))
}

fn parse_format(text: &str) -> Result<EdgeFormat, String> {
    text.parse::<EdgeFormat>().map_err(|e| e.to_string())
}

/// Reads the edge list, applies the weights and compiles the network. Errors
/// name the file and, for malformed content, the line.
pub fn load(args: &NetworkArgs, rng_seed: u64) -> Result<CompiledNetwork, Failure> {
    let edges = args.edges_file()?;
    let file = edges.display().to_string();
    let options = ReadOptions::default()
        .format(args.format)
        .undirected(args.undirected);
    let (mut net, report) = read_edge_list_file(edges, options)?;
    let scheme = args.weights.scheme();
    if scheme == WeightScheme::FromData && report.format == EdgeFormat::Snap {
        return Err(Failure(format!(
            "{file} is a snap edge list (no third column), so it has no weights: \
             give --p, --weighted-cascade or --trivalency"
        )));
    }
    scheme.apply(&mut net, rng_seed ^ TRIVALENCY_STREAM);
    Ok(CompiledNetwork::from_network(&net))
}
