//! Where a scenario's influence network comes from.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::network::io::{
    DuplicateTies, EdgeFormat, Header, ReadOptions, SelfLoops, read_edge_list_file,
};
use crate::network::{BarabasiAlbert, InfluenceNetwork, WattsStrogatz, WeightScheme};
use crate::probability::Probability;

/// Where the influence network comes from.
///
/// In a scenario file: `{"generated": {...}}`, `{"file": {"path": ...}}` or
/// `{"explicit": {"customers": [...], "ties": [...]}}`.
#[non_exhaustive]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkSpec {
    /// A seeded random network.
    Generated(GeneratedNetwork),
    /// An edge-list file, read when the run starts.
    File(NetworkFile),
    /// A network the caller built or read (its ties keep their probabilities and
    /// signs).
    Explicit(InfluenceNetwork),
}

impl Default for NetworkSpec {
    fn default() -> Self {
        NetworkSpec::Generated(GeneratedNetwork::default())
    }
}

impl NetworkSpec {
    pub(super) fn validate(&self) -> Result<()> {
        match self {
            NetworkSpec::Generated(g) => g.validate(),
            NetworkSpec::File(file) => file.validate(),
            NetworkSpec::Explicit(net) => {
                if net.customer_count() == 0 {
                    Err(Error::invalid(
                        "network.explicit",
                        "the network has no customers",
                    ))
                } else if net.customer_count() > u32::MAX as usize {
                    Err(Error::invalid("network.explicit", "too many customers"))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// An influence network read from an edge-list file (see
/// [`crate::network::io`] for the formats and the direction convention).
///
/// In a scenario file:
///
/// ```json
/// {"network": {"file": {"path": "edges.txt", "format": "snap",
///                       "weights": "uniform:0.1", "reverse": true}}}
/// ```
///
/// | field | default | meaning |
/// |---|---|---|
/// | `path` | required | the file; a relative path is relative to the scenario file's folder ([`Scenario::from_json_file`](super::Scenario::from_json_file)), or to the current directory for [`Scenario::from_json`](super::Scenario::from_json) |
/// | `format` | `"auto"` | `"auto"`, `"snap"`, `"weighted"` or `"signed-csv"` |
/// | `weights` | the file's column | `"from_file"`, `"weighted_cascade"`, `"trivalency"` (or `"trivalency:SEED"`, seed 0 by default) or `"uniform:0.1"`; required for a snap file, which has no probabilities |
/// | `reverse` | `false` | read `u v` as `v -> u` (trust and vote networks: see the docs of [`crate::network::io`]) |
/// | `header` | `"refuse"` | `"skip"` a header line, `"absent"`, or `"refuse"` a first line that looks like one |
/// | `undirected`, `self_loops`, `duplicates` | `false`, `"skip"`, `"keep-first"` | as [`ReadOptions`] |
///
/// A file network is data: it does not change with the scenario's seed
/// (trivalency weights use their own seed), so sweeping the seed varies the
/// dynamics on one fixed network. Customers keep the file's ids; there are no
/// communities, so profiles are drawn per customer.
///
/// ```
/// use social_loop::network::WeightScheme;
/// use social_loop::network::io::ReadOptions;
/// use social_loop::sim::{NetworkFile, NetworkSpec, Scenario};
/// let file = NetworkFile::new("data/soc-Epinions1.txt")
///     .options(ReadOptions::default().weights(WeightScheme::WeightedCascade).reverse(true));
/// let scenario = Scenario::default().network(NetworkSpec::File(file));
/// # let _ = scenario;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "NetworkFileRecord", into = "NetworkFileRecord")]
pub struct NetworkFile {
    path: PathBuf,
    options: ReadOptions,
}

/// The JSON form of a [`NetworkFile`]: the path and the reader's options.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)] // names the field in the error (`network.file.revers`)
struct NetworkFileRecord {
    path: PathBuf,
    #[serde(default)]
    format: EdgeFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weights: Option<WeightScheme>,
    #[serde(default)]
    reverse: bool,
    #[serde(default)]
    header: Header,
    #[serde(default)]
    undirected: bool,
    #[serde(default)]
    self_loops: SelfLoops,
    #[serde(default)]
    duplicates: DuplicateTies,
}

impl From<NetworkFileRecord> for NetworkFile {
    fn from(r: NetworkFileRecord) -> Self {
        let options = ReadOptions::default()
            .format(r.format)
            .reverse(r.reverse)
            .header(r.header)
            .undirected(r.undirected)
            .self_loops(r.self_loops)
            .duplicates(r.duplicates);
        NetworkFile {
            path: r.path,
            options: match r.weights {
                Some(scheme) => options.weights(scheme),
                None => options,
            },
        }
    }
}

impl From<NetworkFile> for NetworkFileRecord {
    fn from(file: NetworkFile) -> Self {
        let o = file.options;
        NetworkFileRecord {
            path: file.path,
            format: o.format,
            weights: o.weights,
            reverse: o.reverse,
            header: o.header,
            undirected: o.undirected,
            self_loops: o.self_loops,
            duplicates: o.duplicates,
        }
    }
}

impl NetworkFile {
    /// The file at `path`, read with [`ReadOptions::default`] (format detected,
    /// weights from the file, as listed).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        NetworkFile {
            path: path.into(),
            options: ReadOptions::default(),
        }
    }

    /// How to read it (the format, the weight scheme a snap file needs,
    /// `reverse` for trust networks, the header policy, ...).
    #[must_use]
    pub fn options(mut self, options: ReadOptions) -> Self {
        self.options = options;
        self
    }

    /// The file's path (after [`Scenario::from_json_file`](super::Scenario::from_json_file)
    /// resolved a relative one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A relative path becomes relative to `base` (the scenario file's folder).
    pub(super) fn resolve_against(&mut self, base: &Path) {
        if self.path.is_relative() {
            self.path = base.join(&self.path);
        }
    }

    fn validate(&self) -> Result<()> {
        if self.path.as_os_str().is_empty() {
            return Err(Error::invalid("network.file.path", "is empty"));
        }
        if !self.path.is_file() {
            return Err(Error::invalid(
                "network.file.path",
                format!("{} is not a readable file", self.path.display()),
            ));
        }
        Ok(())
    }

    /// Reads the network.
    ///
    /// # Errors
    /// As [`read_edge_list_file`] (a missing weight scheme is named
    /// `network.file.weights`); [`Error::InvalidParameter`]
    /// (`network.file.path`) for a file without ties.
    pub(crate) fn read(&self) -> Result<InfluenceNetwork> {
        let (net, _) =
            read_edge_list_file(&self.path, self.options).map_err(|e| e.within("network.file"))?;
        if net.tie_count() == 0 {
            return Err(Error::invalid(
                "network.file.path",
                format!("{} has no ties", self.path.display()),
            ));
        }
        Ok(net)
    }
}

/// A generated network: the model, the probability every tie gets, and the
/// share of ties that are distrustful. Every field has a default (the
/// quickstart's: 200 micro-communities of 50, tie probability 0.1, 5% distrust).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)] // names the variant in the error (`network.generated`)
pub struct GeneratedNetwork {
    /// The random graph model.
    pub model: NetworkModel,
    /// Chance that one period's talk crosses a tie (see
    /// [`WordOfMouth`](super::WordOfMouth)); default 0.05: with about 10 ties
    /// a customer, each speaker's talk then reaches about one customer a
    /// period, counting the customers those tell in turn (a cascade at 0.1
    /// would be near critical: each speaker would reach several).
    pub tie_probability: Probability,
    /// Share of ties (drawn independently per directed tie) that are negative:
    /// the listener distrusts the speaker and takes the opposite message.
    pub distrust: Probability,
}

impl Default for GeneratedNetwork {
    fn default() -> Self {
        GeneratedNetwork {
            model: NetworkModel::default(),
            tie_probability: Probability::saturating(0.05),
            distrust: Probability::saturating(0.05),
        }
    }
}

impl GeneratedNetwork {
    /// Micro-communities of `size` customers, enough of them for at least
    /// `customers` customers, with about `degree` ties per customer (80% inside
    /// the community, 20% outside), at the default tie probability and distrust.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `network.size` or `network.degree`)
    /// when `size < 2` or the degree cannot be reached.
    pub fn micro_communities(customers: usize, size: usize, degree: f64) -> Result<Self> {
        if size < 2 {
            return Err(Error::invalid("network.size", "must be at least 2"));
        }
        let communities = customers.div_ceil(size).max(1);
        let spec = GeneratedNetwork {
            model: NetworkModel::MicroCommunities {
                communities,
                size,
                friends_inside: 0.8 * degree,
                friends_outside: 0.2 * degree,
            },
            ..GeneratedNetwork::default()
        };
        spec.validate()?;
        Ok(spec)
    }

    pub(super) fn validate(&self) -> Result<()> {
        match &self.model {
            NetworkModel::MicroCommunities {
                communities,
                size,
                friends_inside,
                friends_outside,
            } => {
                if *communities == 0 {
                    return Err(Error::invalid("network.communities", "must be at least 1"));
                }
                if *size == 0 {
                    return Err(Error::invalid("network.size", "must be at least 1"));
                }
                crate::network::MicroCommunities::with_mean_degrees(
                    *communities,
                    *size,
                    *friends_inside,
                    *friends_outside,
                )
                .map_err(|e| e.within("network"))?
                .validate()
                .map_err(|e| e.within("network"))
            }
            NetworkModel::BarabasiAlbert(m) => m.validate().map_err(|e| e.within("network")),
            NetworkModel::WattsStrogatz(m) => m.validate().map_err(|e| e.within("network")),
        }
    }
}

/// The random graph models a scenario can generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NetworkModel {
    /// Equal-sized micro-communities (a stochastic block model, see
    /// [`MicroCommunities`](crate::network::MicroCommunities)) with the given mean
    /// number of friends inside and outside a customer's community.
    MicroCommunities {
        /// Number of communities.
        communities: usize,
        /// Customers per community.
        size: usize,
        /// Mean friends inside one's own community.
        friends_inside: f64,
        /// Mean friends in other communities.
        friends_outside: f64,
    },
    /// Preferential attachment (hubs).
    BarabasiAlbert(BarabasiAlbert),
    /// A rewired ring lattice (small world).
    WattsStrogatz(WattsStrogatz),
}

impl Default for NetworkModel {
    fn default() -> Self {
        NetworkModel::MicroCommunities {
            communities: 200,
            size: 50,
            friends_inside: 8.0,
            friends_outside: 2.0,
        }
    }
}
