//! [`InfluencerRanking`]: the crate's one ranking of customers by the reach
//! the Monte Carlo estimator expects of each, seeded alone. The CRM's
//! advocates, adversaries and influencers ([`CustomerBook::rank`](crate::crm::CustomerBook::rank))
//! and any caller's own candidates are ranked by it.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CompiledNetwork, Model, MonteCarlo, MonteCarloSettings, Summary};
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::probability::Probability;
use crate::progress::{Counter, Progress};

/// What a ranked customer's reach is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Objective {
    /// The spread of the model, the customer seeded alone.
    Spread,
    /// The signed cascade's positive reach, seeded alone as an advocate.
    Positive,
    /// The signed cascade's negative reach, seeded alone as an adversary.
    Negative,
}

/// A customer ranked by [`InfluencerRanking`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Influencer {
    /// The customer.
    pub customer: CustomerId,
    /// Expected reach from this customer alone (themselves included), with its
    /// standard error and 95% interval: spread, positive reach or negative
    /// reach as the ranking asks.
    pub reach: Summary,
    /// The two-hop screening score that put them on the shortlist, when the
    /// ranking screens.
    pub screening: Option<f64>,
    /// Number of outgoing ties (for comparison: not what the ranking uses).
    pub ties: usize,
}

/// Ranks customers as influencers by **expected reach**, not by follower
/// count: a customer with many weak ties can reach fewer people than one with
/// a few strong ties into a long chain.
///
/// 1. With a [`shortlist`](Self::shortlist), every candidate first gets a
///    screening score, the two-hop expected reach
///    `Σ_{u→v} p_uv (1 + Σ_{v→w} p_vw)`, and only the best `shortlist` are
///    estimated (the screening can miss a customer whose reach comes from
///    three hops or more; without a shortlist every candidate is estimated).
/// 2. Each estimated candidate gets a Monte Carlo estimate seeded with them
///    alone, every candidate with the same [`MonteCarloSettings`] (common
///    random numbers sharpen the comparisons), in parallel on the settings'
///    pool. A candidate with no outgoing tie reaches exactly themselves
///    (reach 1, no error) without sampling.
/// 3. The candidates are sorted by mean reach, ties by customer id, and the
///    [`top`](Self::top) are returned. Results do not depend on the number of
///    threads or on the order of the candidates.
///
/// Defaults: the Independent Cascade's spread, 1,000 runs from seed 0, no
/// shortlist, the top 10.
///
/// ```
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::{CompiledNetwork, InfluencerRanking, MonteCarloSettings};
///
/// let net = InfluenceNetwork::from_triples([
///     ("hub", "a", 0.01), ("hub", "b", 0.01), ("hub", "c", 0.01),
///     ("link", "x", 1.0), ("x", "y", 1.0),
/// ])?;
/// let compiled = CompiledNetwork::from_network(&net);
/// let top = InfluencerRanking::default()
///     .settings(MonteCarloSettings::new(500, 1)?)
///     .top(1)
///     .rank_all(&compiled)?;
/// assert_eq!(top[0].customer.as_str(), "link");
/// assert_eq!(top[0].reach.mean, 3.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfluencerRanking {
    model: Model,
    objective: Objective,
    settings: MonteCarloSettings,
    shortlist: Option<usize>,
    top: usize,
    #[serde(skip)]
    progress: Progress,
}

impl Default for InfluencerRanking {
    fn default() -> Self {
        InfluencerRanking::spread(Model::IndependentCascade)
    }
}

impl InfluencerRanking {
    /// Ranks by the spread of `model` from each candidate alone.
    pub fn spread(model: Model) -> Self {
        InfluencerRanking {
            model,
            objective: Objective::Spread,
            settings: MonteCarloSettings::const_new(1_000, 0),
            shortlist: None,
            top: 10,
            progress: Progress::default(),
        }
    }

    /// Ranks advocates: the signed cascade (with `negativity_bias`, see
    /// [`Model::Signed`]) seeded with each candidate alone as an advocate, by
    /// expected positive reach.
    pub fn advocates(negativity_bias: Probability) -> Self {
        InfluencerRanking {
            objective: Objective::Positive,
            ..InfluencerRanking::spread(Model::signed(negativity_bias))
        }
    }

    /// Ranks adversaries: the signed cascade seeded with each candidate alone
    /// as an adversary, by expected negative reach.
    pub fn adversaries(negativity_bias: Probability) -> Self {
        InfluencerRanking {
            objective: Objective::Negative,
            ..InfluencerRanking::spread(Model::signed(negativity_bias))
        }
    }

    /// Runs per candidate, master seed, threads and engine.
    #[must_use]
    pub fn settings(mut self, settings: MonteCarloSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Estimates only the best `shortlist` candidates by the screening score
    /// (`None`, the default: every candidate).
    #[must_use]
    pub fn shortlist(mut self, shortlist: Option<usize>) -> Self {
        self.shortlist = shortlist;
        self
    }

    /// How many customers to return.
    #[must_use]
    pub fn top(mut self, k: usize) -> Self {
        self.top = k;
        self
    }

    /// Tells `progress` after each candidate estimated and stops with
    /// [`Error::Cancelled`] once it is cancelled.
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
        self
    }

    /// How many customers a ranking returns.
    pub fn top_count(&self) -> usize {
        self.top
    }

    /// The `top` candidates by expected reach, highest first.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] for a candidate not in `network`;
    /// [`Error::ThresholdWeights`](crate::Error::ThresholdWeights) for Linear
    /// Threshold on weights that do not fit it; [`Error::InvalidParameter`]
    /// (field `threads`) when the settings' pool cannot be started;
    /// [`Error::Cancelled`].
    ///
    /// # Complexity
    /// O(n + m) to screen, plus `runs` cascades per estimated candidate, plus
    /// a sort of the candidates.
    pub fn rank<I>(&self, network: &CompiledNetwork, candidates: I) -> Result<Vec<Influencer>>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let nodes = network.nodes_of(candidates)?;
        self.rank_all_of(network, &nodes)
    }

    /// As [`rank`](Self::rank) with every customer of `network` a candidate.
    ///
    /// # Errors
    /// As [`rank`](Self::rank), but for unknown customers.
    ///
    /// # Complexity
    /// As [`rank`](Self::rank).
    pub fn rank_all(&self, network: &CompiledNetwork) -> Result<Vec<Influencer>> {
        let count = u32::try_from(network.node_count())
            .map_err(|_| Error::invalid("network", "more than 2^32 customers"))?;
        let nodes: Vec<u32> = (0..count).collect();
        self.rank_all_of(network, &nodes)
    }

    fn rank_all_of(&self, network: &CompiledNetwork, nodes: &[u32]) -> Result<Vec<Influencer>> {
        let counter = self.progress.counter(self.estimated(nodes.len()) as u64);
        self.settings
            .install(|| self.rank_nodes(network, nodes, &counter))
    }

    /// How many of `candidates` candidates are estimated.
    pub(crate) fn estimated(&self, candidates: usize) -> usize {
        self.shortlist.map_or(candidates, |s| s.min(candidates))
    }

    /// Ranks `nodes` on the current pool, counting estimates on `counter`.
    pub(crate) fn rank_nodes(
        &self,
        network: &CompiledNetwork,
        nodes: &[u32],
        counter: &Counter<'_>,
    ) -> Result<Vec<Influencer>> {
        let computed = self.shortlist.map(|_| screening_scores(network));
        let scores = computed.as_deref();
        let mut candidates: Vec<(u32, Option<f64>, &CustomerId)> = nodes
            .iter()
            .map(|&v| {
                let customer = network.customer(v).ok_or_else(|| {
                    Error::invalid("candidates", format!("node {v} out of range"))
                })?;
                let score = scores.map(|s| s.get(v as usize).copied().unwrap_or(0.0));
                Ok((v, score, customer))
            })
            .collect::<Result<_>>()?;
        if let Some(shortlist) = self.shortlist {
            candidates.sort_by(|a, b| {
                let (x, y) = (a.1.unwrap_or(0.0), b.1.unwrap_or(0.0));
                y.total_cmp(&x).then_with(|| a.2.cmp(b.2))
            });
            candidates.truncate(shortlist);
        }
        let mc = MonteCarlo::new(self.model).settings(self.settings.on_current_pool());
        let alone = Summary {
            mean: 1.0,
            std_err: 0.0,
            ci95: [1.0, 1.0],
        };
        // Each estimate is reproducible on its own, so the ranking does not
        // depend on the threads.
        let mut ranked = candidates
            .into_par_iter()
            .map(|(v, screening, customer)| {
                self.progress.check()?;
                let ties = network.out_degree(v);
                let reach = if ties == 0 {
                    alone
                } else {
                    let estimate = match self.objective {
                        Objective::Negative => mc.estimate_nodes(network, &[], &[v])?,
                        _ => mc.estimate_nodes(network, &[v], &[])?,
                    };
                    match (self.objective, estimate.signed) {
                        (Objective::Positive, Some(s)) => s.positive,
                        (Objective::Negative, Some(s)) => s.negative,
                        _ => estimate.summary(),
                    }
                };
                counter.tick();
                Ok(Influencer {
                    customer: customer.clone(),
                    reach,
                    screening,
                    ties,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        ranked.sort_by(|a, b| {
            b.reach
                .mean
                .total_cmp(&a.reach.mean)
                .then_with(|| a.customer.cmp(&b.customer))
        });
        ranked.truncate(self.top);
        Ok(ranked)
    }
}

/// Two-hop expected reach of every node.
///
/// # Complexity
/// O(n + m).
fn screening_scores(net: &CompiledNetwork) -> Vec<f64> {
    let n = net.node_count() as u32;
    let out: Vec<f64> = (0..n)
        .map(|u| {
            net.out_arcs(u)
                .probabilities
                .iter()
                .map(|&p| f64::from(p))
                .sum()
        })
        .collect();
    (0..n)
        .map(|u| {
            let arcs = net.out_arcs(u);
            arcs.targets
                .iter()
                .zip(arcs.probabilities)
                .map(|(&v, &p)| f64::from(p) * (1.0 + out.get(v as usize).copied().unwrap_or(0.0)))
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;

    #[test]
    fn screening_is_two_hop_expected_reach() {
        let net =
            InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 0.4), ("b", "d", 0.2)])
                .unwrap();
        let c = CompiledNetwork::from_network(&net);
        let s = screening_scores(&c);
        let a = c.node_of("a").unwrap() as usize;
        let b = c.node_of("b").unwrap() as usize;
        assert!((s[a] - 0.5 * (1.0 + 0.6)).abs() < 1e-6);
        assert!((s[b] - 0.6).abs() < 1e-6);
    }

    #[test]
    fn a_shortlist_estimates_only_the_best_screened() {
        let net =
            InfluenceNetwork::from_triples([("a", "b", 1.0), ("b", "c", 1.0), ("d", "e", 0.1)])
                .unwrap();
        let c = CompiledNetwork::from_network(&net);
        let settings = MonteCarloSettings::new(64, 0).unwrap();
        let ranked = InfluencerRanking::default()
            .settings(settings)
            .shortlist(Some(1))
            .rank(&c, ["d", "a"])
            .unwrap();
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].customer.as_str(), "a");
        assert_eq!(ranked[0].reach.mean, 3.0);
        assert_eq!(ranked[0].screening, Some(2.0));
        let all = InfluencerRanking::default()
            .settings(settings)
            .rank(&c, ["d", "a"])
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].screening, None);
    }
}
