//! What the researcher CLIs (`spread`, `target`) share: flag parsing, the weight
//! flags, and reading + weighting + compiling the network. Included by each with
//! `#[path = "cli/mod.rs"] mod cli;` (a folder, so cargo does not take it for an
//! example of its own).

#![allow(dead_code)] // each CLI uses its own subset

use std::collections::HashSet;
use std::path::Path;

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use social_loop::Probability;
use social_loop::network::{EdgeFormat, ReadOptions, WeightScheme, read_edge_list_file};
use social_loop::propagation::CompiledNetwork;

/// Mixed into `--rng-seed` for the trivalency draws ("trivalen" in ASCII), so they
/// use a stream apart from the Monte Carlo's.
pub const TRIVALENCY_STREAM: u64 = 0x7472_6976_616c_656e;

/// The flags every CLI shares that take no value.
pub const COMMON_SWITCHES: [&str; 3] = ["--undirected", "--weighted-cascade", "--trivalency"];

/// Where the tie probabilities come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weights {
    FromFile,
    Uniform(Probability),
    WeightedCascade,
    Trivalency,
}

/// A parsed command line: each flag at most once, a value after its flag (next
/// argument or after `=`).
#[derive(Debug, Default)]
pub struct Flags {
    values: Vec<(&'static str, String)>,
    switches: HashSet<&'static str>,
}

impl Flags {
    /// Parses `args` against the known `switches` and `valued` flags; `Ok(None)`
    /// when `--help` or `-h` was given.
    pub fn parse<I, S>(
        args: I,
        switches: &[&'static str],
        valued: &[&'static str],
    ) -> Result<Option<Flags>, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut flags = Flags::default();
        let mut seen: HashSet<&'static str> = HashSet::new();
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Ok(None);
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            let known = switches.iter().chain(valued.iter()).find(|f| **f == name);
            let Some(&flag) = known else {
                return Err(format!("unknown argument `{arg}`"));
            };
            if !seen.insert(flag) {
                return Err(format!("{flag} given more than once"));
            }
            if switches.contains(&flag) {
                if inline.is_some() {
                    return Err(format!("{flag} takes no value"));
                }
                flags.switches.insert(flag);
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => args
                    .next()
                    .filter(|v| !v.starts_with("--"))
                    .ok_or_else(|| format!("{flag} needs a value"))?,
            };
            flags.values.push((flag, value));
        }
        Ok(Some(flags))
    }

    /// The value of `flag`, if given.
    pub fn get(&self, flag: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, _)| *f == flag)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `flag`, or an error saying it is missing.
    pub fn required(&self, flag: &str) -> Result<&str, String> {
        self.get(flag).ok_or_else(|| format!("missing {flag}"))
    }

    /// Whether the switch `flag` was given.
    pub fn has(&self, flag: &str) -> bool {
        self.switches.contains(flag)
    }

    /// `--p P | --weighted-cascade | --trivalency`, at most one; none: from the file.
    pub fn weights(&self) -> Result<Weights, String> {
        let given = [
            self.get("--p").is_some(),
            self.has("--weighted-cascade"),
            self.has("--trivalency"),
        ];
        if given.iter().filter(|&&on| on).count() > 1 {
            return Err("give at most one of --p, --weighted-cascade, --trivalency".into());
        }
        Ok(match (self.get("--p"), given) {
            (Some(p), _) => Weights::Uniform(
                Probability::new(number::<f64>("--p", p)?).map_err(|e| format!("--p: {e}"))?,
            ),
            (None, [_, true, _]) => Weights::WeightedCascade,
            (None, [_, _, true]) => Weights::Trivalency,
            _ => Weights::FromFile,
        })
    }

    /// `--format`, default `auto`.
    pub fn format(&self) -> Result<EdgeFormat, String> {
        self.get("--format")
            .unwrap_or("auto")
            .parse()
            .map_err(|e| format!("--{e}"))
    }

    /// `--threads T` (at least 1), if given.
    pub fn threads(&self) -> Result<Option<usize>, String> {
        match self.get("--threads") {
            Some(t) => match number::<usize>("--threads", t)? {
                0 => Err("--threads must be at least 1".into()),
                t => Ok(Some(t)),
            },
            None => Ok(None),
        }
    }
}

/// Parses a flag's numeric value, naming the flag on failure.
pub fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{flag}: `{text}` is not a valid number here"))
}

/// Reads the edge list, applies the weights (trivalency draws from
/// `rng_seed ^ TRIVALENCY_STREAM`) and compiles the network. Errors name the file
/// and, for malformed content, the line.
pub fn load_network(
    edges: &Path,
    format: EdgeFormat,
    undirected: bool,
    weights: Weights,
    rng_seed: u64,
) -> Result<CompiledNetwork, String> {
    let file = edges.display().to_string();
    let options = ReadOptions::default().format(format).undirected(undirected);
    let (mut net, report) = read_edge_list_file(edges, options).map_err(|e| match e {
        social_loop::Error::Io { .. } => e.to_string(),
        other => format!("{file}: {other}"),
    })?;
    let scheme = match weights {
        Weights::FromFile if report.format == EdgeFormat::Snap => {
            return Err(format!(
                "{file} is a snap edge list (no third column), so it has no weights: \
                 give --p, --weighted-cascade or --trivalency"
            ));
        }
        Weights::FromFile => WeightScheme::FromData,
        Weights::Uniform(p) => WeightScheme::Uniform(p),
        Weights::WeightedCascade => WeightScheme::WeightedCascade,
        Weights::Trivalency => WeightScheme::Trivalency,
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(rng_seed ^ TRIVALENCY_STREAM);
    scheme.apply(&mut net, &mut rng);
    Ok(CompiledNetwork::from_network(&net))
}
