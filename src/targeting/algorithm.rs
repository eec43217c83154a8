//! [`Algorithm`]: the strategies a selection can run, and how CELF evaluates
//! a seed set ([`SpreadOracle`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::Targeting;
use crate::error::{Error, Result};

/// How to choose the customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Algorithm {
    /// IMM on reverse-reachable sets: `(1 − 1/e − ε)` with probability
    /// `1 − 1/n^ℓ` (see [`crate::targeting`]). For large networks.
    #[default]
    Imm,
    /// OPIM-C (Tang, Tang, Xiao & Yuan 2018) on reverse-reachable sets: an
    /// anytime selection that certifies its approximation ratio from its own RR
    /// sets after each doubling, and stops once it reaches `(1 − 1/e − ε)` with
    /// probability `1 − 1/n^ℓ`; under [`Targeting::time_budget`] or
    /// [`Targeting::rr_budget`] it draws until the budget runs out instead, and
    /// returns the best selection so far with its
    /// [certified ratio](super::Selection::certified_ratio).
    /// Independent Cascade and Linear Threshold. For large networks.
    Opim,
    /// CELF, the lazy greedy on Monte Carlo estimates with common random numbers
    /// (or on the exact spread, [`SpreadOracle::Exact`]). For small networks.
    Celf,
    /// Highest out-degree first (ties: node order).
    Degree,
    /// Highest influence PageRank first (PageRank on the reversed graph, weighted
    /// by tie probability, damping 0.85).
    PageRank,
    /// A uniformly random order (seeded).
    Random,
    /// "Hubs": highest total degree (in + out) first, the marketing literature's
    /// well-connected customers.
    Hubs,
    /// "Bridges": highest betweenness first, approximated by Brandes' algorithm from
    /// [`Targeting::pivots`] sampled sources.
    Bridges,
    /// "Fringes": lowest total degree first among customers with at least one
    /// out-tie (ties in a seeded random order).
    Fringes,
}

impl Algorithm {
    /// Every algorithm.
    pub const ALL: [Algorithm; 9] = [
        Algorithm::Imm,
        Algorithm::Opim,
        Algorithm::Celf,
        Algorithm::Degree,
        Algorithm::PageRank,
        Algorithm::Random,
        Algorithm::Hubs,
        Algorithm::Bridges,
        Algorithm::Fringes,
    ];

    /// The name accepted by [`FromStr`]: `imm`, `opim`, `celf`, `degree`,
    /// `pagerank`, `random`, `hubs`, `bridges` or `fringes`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Imm => "imm",
            Algorithm::Opim => "opim",
            Algorithm::Celf => "celf",
            Algorithm::Degree => "degree",
            Algorithm::PageRank => "pagerank",
            Algorithm::Random => "random",
            Algorithm::Hubs => "hubs",
            Algorithm::Bridges => "bridges",
            Algorithm::Fringes => "fringes",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Parses a name as given by [`Algorithm::name`] (ASCII case-insensitive).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `algorithm`) for any other text.
    fn from_str(s: &str) -> Result<Self> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::invalid(
                    "algorithm",
                    format!(
                        "unknown algorithm `{s}` (expected imm, opim, celf, degree, pagerank, random, hubs, bridges or fringes)"
                    ),
                )
            })
    }
}

/// How CELF evaluates a seed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SpreadOracle {
    /// Monte Carlo with this many runs, every evaluation on the same worlds
    /// (common random numbers from [`Targeting::seed`]).
    MonteCarlo {
        /// Runs per evaluation.
        runs: u64,
    },
    /// The exact expected spread by live-edge enumeration
    /// ([`crate::propagation::exact`]; tiny graphs, Independent Cascade and Linear
    /// Threshold only).
    Exact,
}

impl Default for SpreadOracle {
    fn default() -> Self {
        SpreadOracle::MonteCarlo { runs: 1_000 }
    }
}
