//! Advocates, adversaries and influencers now: customers ranked by the reach
//! the propagation engine expects of them on the book's current network.

use serde::{Deserialize, Serialize};

use super::CustomerBook;
use crate::customer::{CustomerId, Stage};
use crate::error::Result;
use crate::network::InfluenceNetwork;
use crate::probability::Probability;
use crate::progress::Progress;
use crate::propagation::{CompiledNetwork, InfluencerRanking, Model, MonteCarloSettings, Summary};

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
#[non_exhaustive]
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
#[non_exhaustive]
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

impl CustomerBook {
    /// Ranks advocates, adversaries and influencers by the reach the
    /// [propagation engine](crate::propagation) expects of each, alone, on the
    /// current network.
    ///
    /// The network is compiled once, in a canonical order (customers and ties
    /// sorted by id), so that the ranking, like the book, does not depend on
    /// the order in which events arrived. Each list is then ranked by the
    /// crate's one [`InfluencerRanking`] (screened to a `shortlist`, Monte
    /// Carlo with one seed for all, in parallel): advocates now by the signed
    /// cascade's positive reach seeded with them alone as advocates
    /// ([`InfluencerRanking::advocates`]), adversaries now by its negative
    /// reach ([`InfluencerRanking::adversaries`]), every customer with a tie
    /// by the Independent Cascade's spread. A candidate with no tie reaches
    /// exactly themselves (reach 1, no error). Results do not depend on the
    /// number of threads.
    ///
    /// ```
    /// use social_loop::crm::{CustomerBook, Event, EventId, EventKind, RankOptions};
    /// let mut book = CustomerBook::new();
    /// for (i, who) in ["bob", "cy", "dee"].iter().enumerate() {
    ///     let at = social_loop::crm::Timestamp::from_unix_millis(1_709_280_000_000 + i as i64)?;
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
        let mut advocates: Vec<&CustomerId> = Vec::new();
        let mut adversaries: Vec<&CustomerId> = Vec::new();
        for (id, state) in self.customers() {
            match state.stage() {
                Stage::Advocate => advocates.push(id),
                Stage::Adversary => adversaries.push(id),
                _ => {}
            }
        }
        // Advocates and adversaries without a tie are nodes too: they rank
        // with reach 1.
        let extra = advocates.iter().chain(&adversaries).copied();
        let compiled = CompiledNetwork::from_network(&self.canonical_network(extra));
        let nodes = |ids: &mut dyn Iterator<Item = &CustomerId>| -> Vec<u32> {
            ids.filter_map(|id| compiled.node_of(id.as_str()).ok())
                .collect()
        };
        let bias = options.negativity_bias;
        let lists = [
            (
                InfluencerRanking::advocates(bias),
                nodes(&mut advocates.into_iter()),
            ),
            (
                InfluencerRanking::adversaries(bias),
                nodes(&mut adversaries.into_iter()),
            ),
            (
                InfluencerRanking::spread(Model::IndependentCascade),
                nodes(&mut self.network().customers()),
            ),
        ]
        .map(|(ranking, nodes)| {
            let ranking = ranking
                .settings(options.settings.on_current_pool())
                .shortlist(Some(options.shortlist))
                .top(options.top)
                .progress(&options.progress.cancel_only());
            (ranking, nodes)
        });
        let estimated = lists.iter().map(|(r, n)| r.estimated(n.len()) as u64).sum();
        let counter = options.progress.counter(estimated);
        let [a, b, c] = lists.map(|(ranking, nodes)| {
            let ranked = ranking.rank_nodes(&compiled, &nodes, &counter)?;
            Ok::<_, crate::Error>(
                ranked
                    .into_iter()
                    .map(|i| Ranked {
                        stage: self.stage(i.customer.as_str()).unwrap_or(Stage::Unaware),
                        customer: i.customer,
                        reach: i.reach,
                        screening: i.screening.unwrap_or(0.0),
                    })
                    .collect::<Vec<_>>(),
            )
        });
        Ok(Ranking {
            advocates: a?,
            adversaries: b?,
            influencers: c?,
            network: [self.network().customer_count(), self.network().tie_count()],
            runs: options.settings.runs(),
            seed: options.settings.seed(),
        })
    }

    /// The network with customers (and `extra` customers without ties) and
    /// ties in id order.
    ///
    /// # Complexity
    /// O(n log n + m log m).
    fn canonical_network<'a>(
        &'a self,
        extra: impl Iterator<Item = &'a CustomerId>,
    ) -> InfluenceNetwork {
        let network = self.network();
        let mut customers: Vec<&CustomerId> = network.customers().chain(extra).collect();
        customers.sort();
        customers.dedup();
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
