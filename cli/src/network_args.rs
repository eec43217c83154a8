//! What `spread` and `target` share: the edge-list flags, the weight flags and
//! reading + weighting + compiling the network.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use social_loop::Probability;
use social_loop::network::WeightScheme;
use social_loop::network::io::{EdgeFormat, Header, ReadOptions, ReadReport, read_edge_list_file};
use social_loop::propagation::{CompiledNetwork, MAX_THREADS};

use crate::Failure;

/// Mixed into `--rng-seed` for the trivalency draws ("trivalen" in ASCII), so
/// they use a stream apart from the Monte Carlo's.
pub const TRIVALENCY_STREAM: u64 = 0x7472_6976_616c_656e;

/// The edge list and how to read it.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// The edge-list file: `u v` (snap), `u v p` (weighted) or
    /// `src,dst,rating,time` (signed-csv); `#` and `%` lines are comments. A
    /// line `u v` is the tie u -> v: u influences v.
    #[arg(long, value_name = "FILE", required = true)]
    pub edges: Option<PathBuf>,
    /// The file's format (auto: detected from the first data line).
    #[arg(long, default_value = "auto", value_parser = parse_format, value_name = "auto|snap|weighted|signed-csv")]
    pub format: EdgeFormat,
    /// Read every line as two ties, one each way.
    #[arg(long)]
    pub undirected: bool,
    /// Read every line `u v` as the tie v -> u: for trust and vote networks
    /// ("u trusts v" means v's word reaches u).
    #[arg(long)]
    pub reverse: bool,
    /// The file's first line is a header: skip it (`--header`), or read it as
    /// data even if it looks like one (`--header absent`). Without the flag, a
    /// first line that looks like a header is an error.
    #[arg(long, value_enum, value_name = "skip|absent", num_args = 0..=1, default_missing_value = "skip")]
    pub header: Option<HeaderChoice>,
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

/// `--header`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeaderChoice {
    /// The first data line is a header: skip it.
    Skip,
    /// There is no header: the first line is data.
    Absent,
}

/// Where the tie probabilities come from: at most one flag; none means the
/// file's third column (`weighted`), or `|rating| / 10` (`signed-csv`). A snap
/// file (`u v`) needs one.
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
    /// The scheme the flags ask for; `None` for the file's own column.
    fn scheme(&self, rng_seed: u64) -> Option<WeightScheme> {
        match (self.p, self.weighted_cascade, self.trivalency) {
            (Some(p), _, _) => Some(WeightScheme::Uniform(p)),
            (None, true, _) => Some(WeightScheme::WeightedCascade),
            (None, false, true) => Some(WeightScheme::Trivalency {
                seed: rng_seed ^ TRIVALENCY_STREAM,
            }),
            (None, false, false) => None,
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
/// name the file and, for malformed content, the line; what the reader dropped
/// (duplicate ties, self-loops) and a skipped header are noted on stderr.
pub fn load(args: &NetworkArgs, rng_seed: u64) -> Result<CompiledNetwork, Failure> {
    let edges = args.edges_file()?;
    let file = edges.display().to_string();
    let mut options = ReadOptions::default()
        .format(args.format)
        .undirected(args.undirected)
        .reverse(args.reverse)
        .header(match args.header {
            None => Header::Refuse,
            Some(HeaderChoice::Skip) => Header::Skip,
            Some(HeaderChoice::Absent) => Header::Absent,
        });
    if let Some(scheme) = args.weights.scheme(rng_seed) {
        options = options.weights(scheme);
    }
    let (net, report) = read_edge_list_file(edges, options).map_err(|e| {
        if e.field() == Some("weights") {
            Failure(format!(
                "{file} is a snap edge list (no third column), so it has no weights: \
                 give --p, --weighted-cascade or --trivalency"
            ))
        } else {
            Failure(e.to_string())
        }
    })?;
    if report.data_lines == 0 {
        return Err(Failure(format!(
            "{file} has no ties: {}",
            if report.lines == 0 {
                "the file is empty".to_string()
            } else {
                format!(
                    "its {} line(s) are all comments, blank or a header",
                    report.lines
                )
            }
        )));
    }
    for note in notes(&file, &report) {
        eprintln!("social-loop: note: {note}");
    }
    Ok(CompiledNetwork::from_network(&net))
}

/// What the reader did besides reading ties: a skipped header, duplicates and
/// self-loops dropped, each with its count and first line.
fn notes(file: &str, report: &ReadReport) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(line) = report.header_line {
        notes.push(format!("{file}: skipped the header on line {line}"));
    }
    if let Some(line) = report.first_duplicate_line {
        notes.push(format!(
            "{file}: {} repeated tie(s) dropped, each first occurrence kept (first repeat on line {line})",
            report.duplicates_dropped
        ));
    }
    if let Some(line) = report.first_self_loop_line {
        notes.push(format!(
            "{file}: {} self-loop(s) skipped (first on line {line})",
            report.self_loops_skipped
        ));
    }
    notes
}
