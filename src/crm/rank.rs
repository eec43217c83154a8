//! Advocates, adversaries and influencers now: customers ranked by the reach
//! the propagation engine expects of them on the book's current network.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::CustomerBook;
use crate::customer::{CustomerId, Stage};
use crate::error::Result;
use crate::network::InfluenceNetwork;
use crate::probability::Probability;
use crate::progress::{Counter, Progress};
use crate::propagation::{CompiledNetwork, Model, MonteCarlo, MonteCarloSettings, Summary};

/// Settings of [`CustomerBook::rank`].
///
/// ```
/// use social_loop::crm::RankOptions;
/// use social_loop::propagation::MonteCarloSettings;
/// let options = RankOptions::default().settings(MonteCarloSettings::new(2_000, 7)?).top(5);
/// assert_eq!(options.top_count(), 5);
/// # Ok::<(), social_loop::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankOptions {
    settings: MonteCarloSettings,
    shortlist: usize,
    top: usize,
    negativity_bias: Probability,
    #[serde(skip)]
    progress: Progress,
}

impl Default for RankOptions {
    /// 1,000 runs per customer, seed 0, a shortlist of 200 per list, the top
    /// 10, a neutral signed tie rule (0.5).
    fn default() -> Self {
        RankOptions {
            settings: MonteCarloSettings::const_new(1_000, 0),
            shortlist: 200,
            top: 10,
            negativity_bias: Probability::saturating(0.5),
            progress: Progress::default(),
        }
    }
}

impl RankOptions {
    /// Monte Carlo runs per customer estimated and the master seed (the same
    /// for every customer: common random numbers make the comparisons between
    /// customers sharper); threads and engine as the settings say.
    #[must_use]
    pub fn settings(mut self, settings: MonteCarloSettings) -> Self {
        self.settings = settings;
        self
    }

    /// How many customers per list are estimated by Monte Carlo (the best by
    /// the screening score).
    #[must_use]
    pub fn shortlist(mut self, shortlist: usize) -> Self {
        self.shortlist = shortlist;
        self
    }

    /// How many customers each list returns.
    #[must_use]
    pub fn top(mut self, top: usize) -> Self {
        self.top = top;
        self
    }

    /// The signed cascade's tie rule (see [`Model::Signed`]).
    #[must_use]
    pub fn negativity_bias(mut self, bias: Probability) -> Self {
        self.negativity_bias = bias;
        self
    }

    /// Tells `progress` after each customer estimated by Monte Carlo (`done`
    /// of the three shortlists) and stops the ranking with
    /// [`Error::Cancelled`](crate::Error::Cancelled) once it is cancelled.
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
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
    /// let settings = social_loop::propagation::MonteCarloSettings::new(500, 0)?;
    /// let ranking = book.rank(RankOptions::default().settings(settings))?;
    /// assert_eq!(ranking.influencers[0].customer.as_str(), "ann");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) (field
    /// `threads`) when the settings' thread pool cannot be started.
    ///
    /// # Complexity
    /// O(n + m) to compile and screen, plus `3 · shortlist · runs` cascades.
    pub fn rank(&self, options: RankOptions) -> Result<Ranking> {
        options.settings.install(|| self.rank_here(&options))
    }

    fn rank_here(&self, options: &RankOptions) -> Result<Ranking> {
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
        let estimated = [&advocates, &adversaries, &influencers]
            .iter()
            .map(|c| c.len().min(options.shortlist) as u64)
            .sum();
        let counter = options.progress.counter(estimated);
        let lists = [
            (advocates, Side::Advocate),
            (adversaries, Side::Adversary),
            (influencers, Side::Influencer),
        ]
        .map(|(c, side)| rank_side(&compiled, &screening, c, side, options, &counter));
        let [a, b, c] = lists;
        Ok(Ranking {
            advocates: a?,
            adversaries: b?,
            influencers: c?,
            network: [compiled.node_count(), compiled.arc_count()],
            runs: options.settings.runs(),
            seed: options.settings.seed(),
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
    counter: &Counter<'_>,
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
    // The ranking runs under the settings' pool: the estimates use it.
    let mc = MonteCarlo::new(model).settings(options.settings.on_current_pool());
    // The shortlisted customers are estimated in parallel (each estimate is
    // reproducible on its own, so the ranking does not depend on the threads).
    screened.truncate(options.shortlist);
    let mut ranked = screened
        .into_par_iter()
        .map(|(node, screening, id, stage)| {
            options.progress.check()?;
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
            counter.tick();
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
