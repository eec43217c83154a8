//! Advocates, adversaries and influencers now: customers ranked by the reach
//! the propagation engine expects of them on the book's current network.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::CustomerBook;
use crate::customer::{CustomerId, Stage};
use crate::error::{Error, Result};
use crate::network::InfluenceNetwork;
use crate::probability::Probability;
use crate::propagation::{CompiledNetwork, Model, MonteCarlo, Summary};

/// Settings of [`CustomerBook::rank`].
///
/// ```
/// use social_loop::crm::RankOptions;
/// let options = RankOptions::default().runs(2_000).seed(7).top(5);
/// assert_eq!(options.top_count(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankOptions {
    runs: u64,
    seed: u64,
    shortlist: usize,
    top: usize,
    negativity_bias: Probability,
}

impl Default for RankOptions {
    /// 1,000 runs per customer, seed 0, a shortlist of 200 per list, the top
    /// 10, a neutral signed tie rule (0.5).
    fn default() -> Self {
        RankOptions {
            runs: 1_000,
            seed: 0,
            shortlist: 200,
            top: 10,
            negativity_bias: Probability::saturating(0.5),
        }
    }
}

impl RankOptions {
    /// Monte Carlo runs per customer estimated (at least 2).
    pub fn runs(mut self, runs: u64) -> Self {
        self.runs = runs;
        self
    }

    /// The master seed (the same for every customer: common random numbers
    /// make the comparisons between customers sharper).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How many customers per list are estimated by Monte Carlo (the best by
    /// the screening score).
    pub fn shortlist(mut self, shortlist: usize) -> Self {
        self.shortlist = shortlist;
        self
    }

    /// How many customers each list returns.
    pub fn top(mut self, top: usize) -> Self {
        self.top = top;
        self
    }

    /// The signed cascade's tie rule (see [`Model::Signed`]).
    pub fn negativity_bias(mut self, bias: Probability) -> Self {
        self.negativity_bias = bias;
        self
    }

    /// See [`RankOptions::top`].
    pub fn top_count(&self) -> usize {
        self.top
    }
}

/// One ranked customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// Who.
    pub customer: CustomerId,
    /// Their stage now.
    pub stage: Stage,
    /// Expected number of customers reached, themselves included, with its
    /// standard error and 95% interval: positive reach for advocates, negative
    /// reach for adversaries, spread for influencers.
    pub reach: Summary,
    /// The screening score that put them on the shortlist (two-hop expected
    /// reach, see [`CustomerBook::rank`]).
    pub screening: f64,
}

/// The three rankings, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// Advocates now, by expected positive reach (signed cascade, seeded as an
    /// advocate).
    pub advocates: Vec<Ranked>,
    /// Adversaries now, by expected negative reach (signed cascade, seeded as
    /// an adversary).
    pub adversaries: Vec<Ranked>,
    /// Any customer, by expected spread (Independent Cascade): who would matter
    /// most if they spoke.
    pub influencers: Vec<Ranked>,
    /// Customers and ties of the network ranked on.
    pub network: [usize; 2],
    /// Monte Carlo runs per estimate.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Advocate,
    Adversary,
    Influencer,
}

impl CustomerBook {
    /// Ranks advocates, adversaries and influencers by the reach the
    /// [propagation engine](crate::propagation) expects of each, alone, on the
    /// current network.
    ///
    /// 1. The network is compiled once, in a canonical order (customers and
    ///    ties sorted by id), so that the ranking, like the book, does not
    ///    depend on the order in which events arrived.
    /// 2. Every candidate (advocates now, adversaries now, or every customer in
    ///    the network) gets a screening score, the two-hop expected reach
    ///    `Σ_{u→v} p_uv (1 + Σ_{v→w} p_vw)`.
    /// 3. The best `shortlist` candidates of each list are estimated by Monte
    ///    Carlo (`runs` runs each, one seed for all): the signed cascade seeded
    ///    with the customer alone as an advocate (positive reach) or as an
    ///    adversary (negative reach), the Independent Cascade for influencers.
    /// 4. Each list is sorted by mean reach (ties by customer id).
    ///
    /// A candidate with no tie reaches exactly themselves (reach 1, no error).
    /// The screening can miss a customer whose reach comes from three hops or
    /// more; a `shortlist` at least as large as the candidates estimates all.
    /// Results do not depend on the number of threads.
    ///
    /// ```
    /// use social_loop::crm::{CustomerBook, Event, EventId, EventKind, RankOptions};
    /// let mut book = CustomerBook::new();
    /// for (i, who) in ["bob", "cy", "dee"].iter().enumerate() {
    ///     let at = social_loop::crm::Timestamp::from_unix_millis(i as i64)?;
    ///     book.apply(&Event::new(EventId::new(format!("r{i}"))?, at, *who, EventKind::Referral).counterpart("ann"));
    /// }
    /// let ranking = book.rank(RankOptions::default().runs(500))?;
    /// assert_eq!(ranking.influencers[0].customer.as_str(), "ann");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for fewer
    /// than 2 runs.
    ///
    /// # Complexity
    /// O(n + m) to compile and screen, plus `3 · shortlist · runs` cascades.
    pub fn rank(&self, options: RankOptions) -> Result<Ranking> {
        if options.runs < 2 {
            return Err(Error::invalid(
                "runs",
                format!(
                    "{} runs: at least 2 are needed for a standard error",
                    options.runs
                ),
            ));
        }
        let compiled = CompiledNetwork::from_network(&self.canonical_network());
        let screening = screening_scores(&compiled);
        let mut candidates: [Vec<(&CustomerId, Stage)>; 2] = [Vec::new(), Vec::new()];
        for (id, state) in self.customers() {
            match state.stage() {
                Stage::Advocate => candidates[0].push((id, Stage::Advocate)),
                Stage::Adversary => candidates[1].push((id, Stage::Adversary)),
                _ => {}
            }
        }
        let influencers: Vec<(&CustomerId, Stage)> = compiled
            .customers()
            .iter()
            .map(|id| (id, self.stage(id.as_str()).unwrap_or(Stage::Unaware)))
            .collect();
        let [advocates, adversaries] = candidates;
        let lists = [
            (advocates, Side::Advocate),
            (adversaries, Side::Adversary),
            (influencers, Side::Influencer),
        ]
        .map(|(c, side)| rank_side(&compiled, &screening, c, side, &options));
        let [a, b, c] = lists;
        Ok(Ranking {
            advocates: a?,
            adversaries: b?,
            influencers: c?,
            network: [compiled.node_count(), compiled.arc_count()],
            runs: options.runs,
            seed: options.seed,
        })
    }
}

impl CustomerBook {
    /// The network with customers and ties in id order.
    ///
    /// # Complexity
    /// O(n log n + m log m).
    fn canonical_network(&self) -> InfluenceNetwork {
        let network = self.network();
        let mut customers: Vec<&CustomerId> = network.customers().collect();
        customers.sort();
        let mut ties: Vec<_> = network.ties().collect();
        ties.sort_by(|a, b| (a.from, a.to).cmp(&(b.from, b.to)));
        let mut canonical = InfluenceNetwork::with_capacity(customers.len(), ties.len());
        for id in customers {
            canonical.add_customer(id.clone());
        }
        for t in ties {
            // Copied from a valid network: no self-loop.
            let _ = canonical.add_tie(t.from.clone(), t.to.clone(), t.tie);
        }
        canonical
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

fn rank_side(
    net: &CompiledNetwork,
    screening: &[f64],
    candidates: Vec<(&CustomerId, Stage)>,
    side: Side,
    options: &RankOptions,
) -> Result<Vec<Ranked>> {
    let alone = Summary {
        mean: 1.0,
        std_err: 0.0,
        ci95: [1.0, 1.0],
    };
    let mut screened: Vec<(Option<u32>, f64, &CustomerId, Stage)> = candidates
        .into_iter()
        .map(|(id, stage)| {
            let node = net.node_of(id.as_str()).ok();
            let score = node
                .and_then(|v| screening.get(v as usize))
                .copied()
                .unwrap_or(0.0);
            (node, score, id, stage)
        })
        .collect();
    screened.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.2.cmp(b.2)));
    let model = match side {
        Side::Influencer => Model::IndependentCascade,
        _ => Model::signed(options.negativity_bias),
    };
    let mc = MonteCarlo::new(model).runs(options.runs).seed(options.seed);
    // The shortlisted customers are estimated in parallel (each estimate is
    // reproducible on its own, so the ranking does not depend on the threads).
    screened.truncate(options.shortlist);
    let mut ranked = screened
        .into_par_iter()
        .map(|(node, screening, id, stage)| {
            let reach = match node {
                None => alone,
                Some(v) => {
                    let est = match side {
                        Side::Adversary => mc.estimate_nodes(net, &[], &[v])?,
                        _ => mc.estimate_nodes(net, &[v], &[])?,
                    };
                    match (side, est.signed) {
                        (Side::Advocate, Some(s)) => s.positive,
                        (Side::Adversary, Some(s)) => s.negative,
                        _ => est.summary(),
                    }
                }
            };
            Ok(Ranked {
                customer: id.clone(),
                stage,
                reach,
                screening,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    ranked.sort_by(|a, b| {
        b.reach
            .mean
            .total_cmp(&a.reach.mean)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    ranked.truncate(options.top);
    Ok(ranked)
}
