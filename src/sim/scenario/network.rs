//! Where a scenario's influence network comes from.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::network::{BarabasiAlbert, InfluenceNetwork, WattsStrogatz};
use crate::probability::Probability;

/// Where the influence network comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkSpec {
    /// A seeded random network.
    Generated(GeneratedNetwork),
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

/// A generated network: the model, the probability every tie gets, and the
/// share of ties that are distrustful.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
