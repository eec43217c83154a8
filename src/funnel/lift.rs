//! The funnel effect of word of mouth: the expected purchase funnel with and
//! without the advocates' Independent Cascade, on common random numbers.
//! (Influencers ranked by expected reach: [`crate::propagation::InfluencerRanking`].)
//!
//! See [`FunnelLift`] for the model.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::{Deserialize, Serialize};

use super::FunnelStage;
use crate::error::{Error, Result};
use crate::probability::Probability;
use crate::propagation::streams::coin;
use crate::propagation::{CompiledNetwork, MonteCarloSettings, Summary, independent_cascade_runs};

/// 1,000 runs from seed 0: the funnel lift's default.
const DEFAULT_SETTINGS: MonteCarloSettings = MonteCarloSettings::const_new(1_000, 0);

/// Number of funnel stages.
const STAGES: usize = FunnelStage::ALL.len();

/// Decimal places kept when a mean number of customers becomes a [`Decimal`].
const CUSTOMER_PLACES: u32 = 6;

/// Decimal places of money (cents).
const MONEY_PLACES: u32 = 2;

/// Options of the funnel-lift estimate.
///
/// # The model of one run
/// Run `r` draws the keys of its unit stream `(seed, r)` (the crate's
/// [`propagation`](crate::propagation) stream scheme). With the arc key it plays the
/// Independent Cascade from the advocates with the coin rule of the propagation
/// engine (arc `a` is live when its 32-bit uniform is below `floor(p · 2³²)`); the
/// advocates themselves and every customer the cascade activates are *reached*.
/// With the node key every customer `v` gets five uniforms on `[0, 1)` (counter
/// `5v + k`, 53-bit resolution), one per stage, used by **both** worlds:
///
/// | stage | without word of mouth | with word of mouth |
/// |---|---|---|
/// | awareness | `u₀ < baseline_awareness` | reached, or `u₀ < baseline_awareness` |
/// | consideration | aware and `u₁ < consider_given_aware` | aware and `u₁ < p`, `p = consider_given_reached` if reached, else `consider_given_aware` |
/// | purchase | considering and `u₂ < purchase_given_considering` | same rule |
/// | loyalty | purchased and `u₃ < loyal_given_purchase` | same rule |
/// | advocacy | loyal and `u₄ < advocate_given_loyal` | same rule |
///
/// A stage's count is the number of customers who reached *at least* that stage.
/// Because `consider_given_reached >= consider_given_aware` (checked), every
/// customer is at least as deep in the funnel with word of mouth as without, in
/// every run: the per-run lift of every stage is a non-negative integer, and its
/// mean's interval is the *paired* one (from the per-run differences), narrower
/// than comparing two independent estimates. Runs are simulated in order on one
/// thread, so the result depends only on the options, the network and the advocates.
///
/// Defaults: 1 000 runs, seed 0 (one [`MonteCarloSettings`]; its engine and
/// threads are not used), `baseline_awareness` 0.3, `consider_given_aware`
/// 0.4, `consider_given_reached` 0.6, `purchase_given_considering` 0.3,
/// `loyal_given_purchase` 0.5, `advocate_given_loyal` 0.2, `unit_price` 1.
///
/// ```
/// use social_loop::funnel::{FunnelLift, FunnelStage};
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::{CompiledNetwork, MonteCarloSettings};
/// use social_loop::Probability;
/// use rust_decimal::Decimal;
///
/// let net = InfluenceNetwork::from_triples([("ann", "bob", 1.0), ("bob", "cy", 0.5)])?;
/// let compiled = CompiledNetwork::from_network(&net);
/// let lift = FunnelLift::default()
///     .settings(MonteCarloSettings::new(2_000, 3)?)
///     .consider_given_reached(Probability::new(0.9)?)
///     .unit_price(Decimal::new(4999, 2)) // 49.99
///     .estimate(&compiled, ["ann"])?;
/// let aware = lift.stage(FunnelStage::Awareness).ok_or("no awareness")?;
/// assert!(aware.lift.mean > 1.0); // ann and bob always, cy half the time
/// assert!(lift.revenue_lift > Decimal::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelLift {
    settings: MonteCarloSettings,
    baseline_awareness: Probability,
    consider_given_aware: Probability,
    consider_given_reached: Probability,
    purchase_given_considering: Probability,
    loyal_given_purchase: Probability,
    advocate_given_loyal: Probability,
    unit_price: Decimal,
}

impl Default for FunnelLift {
    fn default() -> Self {
        FunnelLift {
            settings: DEFAULT_SETTINGS,
            baseline_awareness: Probability::saturating(0.3),
            consider_given_aware: Probability::saturating(0.4),
            consider_given_reached: Probability::saturating(0.6),
            purchase_given_considering: Probability::saturating(0.3),
            loyal_given_purchase: Probability::saturating(0.5),
            advocate_given_loyal: Probability::saturating(0.2),
            unit_price: Decimal::ONE,
        }
    }
}

/// The funnel of one run in both worlds: customers at or beyond each stage, in
/// [`FunnelStage::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RunFunnel {
    /// Without word of mouth.
    pub without: [u64; STAGES],
    /// With the advocates' word of mouth.
    pub with: [u64; STAGES],
}

/// One stage of a [`FunnelLiftEstimate`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageLift {
    /// The stage.
    pub stage: FunnelStage,
    /// Customers at or beyond the stage without word of mouth.
    pub without: Summary,
    /// Customers at or beyond the stage with word of mouth.
    pub with: Summary,
    /// The per-run difference `with - without`; its interval is the paired one.
    pub lift: Summary,
}

/// What [`FunnelLift::estimate`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunnelLiftEstimate {
    /// Number of runs.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// One entry per stage, in [`FunnelStage::ALL`] order.
    pub stages: Vec<StageLift>,
    /// Revenue attributed to word of mouth: the mean purchase lift (rounded to 6
    /// decimal places) times the unit price, rounded to cents.
    pub revenue_lift: Decimal,
    /// The same for the two ends of the purchase lift's paired 95% interval.
    pub revenue_ci95: [Decimal; 2],
}

impl FunnelLiftEstimate {
    /// The entry of `stage` (`None` only for a hand-built or truncated estimate).
    pub fn stage(&self, stage: FunnelStage) -> Option<StageLift> {
        self.stages.iter().copied().find(|s| s.stage == stage)
    }
}

impl FunnelLift {
    /// Runs and master seed.
    #[must_use]
    pub fn settings(mut self, settings: MonteCarloSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Chance that a customer is aware without word of mouth.
    #[must_use]
    pub fn baseline_awareness(mut self, p: Probability) -> Self {
        self.baseline_awareness = p;
        self
    }

    /// Chance that an aware customer not reached by word of mouth considers.
    #[must_use]
    pub fn consider_given_aware(mut self, p: Probability) -> Self {
        self.consider_given_aware = p;
        self
    }

    /// Chance that a customer reached by word of mouth considers (the boost; must
    /// be at least `consider_given_aware`).
    #[must_use]
    pub fn consider_given_reached(mut self, p: Probability) -> Self {
        self.consider_given_reached = p;
        self
    }

    /// Chance that a considering customer buys.
    #[must_use]
    pub fn purchase_given_considering(mut self, p: Probability) -> Self {
        self.purchase_given_considering = p;
        self
    }

    /// Chance that a buyer becomes loyal.
    #[must_use]
    pub fn loyal_given_purchase(mut self, p: Probability) -> Self {
        self.loyal_given_purchase = p;
        self
    }

    /// Chance that a loyal customer becomes an advocate.
    #[must_use]
    pub fn advocate_given_loyal(mut self, p: Probability) -> Self {
        self.advocate_given_loyal = p;
        self
    }

    /// Revenue of one purchase.
    #[must_use]
    pub fn unit_price(mut self, price: Decimal) -> Self {
        self.unit_price = price;
        self
    }

    fn validate(&self) -> Result<()> {
        if self.consider_given_reached < self.consider_given_aware {
            return Err(Error::invalid(
                "consider_given_reached",
                format!(
                    "{} is below consider_given_aware {}: word of mouth must not lower consideration",
                    self.consider_given_reached, self.consider_given_aware
                ),
            ));
        }
        Ok(())
    }

    /// The funnel of every run in both worlds, in run order.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] for an advocate not in `network`;
    /// [`Error::InvalidParameter`] when `consider_given_reached <
    /// consider_given_aware`.
    ///
    /// # Complexity
    /// O(runs · (nodes + arcs reached)) time, O(nodes) working memory plus 80 bytes
    /// per run for the result.
    pub fn per_run<I>(&self, network: &CompiledNetwork, advocates: I) -> Result<Vec<RunFunnel>>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.validate()?;
        let seeds = network.nodes_of(advocates)?;
        let mut reached = vec![false; network.node_count()];
        let mut runs = Vec::new();
        let (seed, count) = (self.settings.seed(), self.settings.runs());
        independent_cascade_runs(network, &seeds, seed, count, |keys, active| {
            for &v in active {
                reached[v as usize] = true;
            }
            runs.push(self.count(keys.node, &reached));
            for &v in active {
                reached[v as usize] = false;
            }
        })?;
        Ok(runs)
    }

    /// Counts the customers at or beyond each stage in both worlds.
    fn count(&self, key: u64, reached: &[bool]) -> RunFunnel {
        let steps = [
            self.purchase_given_considering.get(),
            self.loyal_given_purchase.get(),
            self.advocate_given_loyal.get(),
        ];
        let mut funnel = RunFunnel {
            without: [0; STAGES],
            with: [0; STAGES],
        };
        for (v, &is_reached) in reached.iter().enumerate() {
            let u = |k: u64| uniform(key, (v as u64).wrapping_mul(STAGES as u64) + k);
            let baseline = u(0) < self.baseline_awareness.get();
            let consider = u(1);
            let worlds = [
                (&mut funnel.without, baseline, self.consider_given_aware),
                (
                    &mut funnel.with,
                    baseline || is_reached,
                    if is_reached {
                        self.consider_given_reached
                    } else {
                        self.consider_given_aware
                    },
                ),
            ];
            for (counts, aware, consider_p) in worlds {
                let mut depth = 0;
                if aware {
                    depth = 1;
                    if consider < consider_p.get() {
                        depth = 2;
                        for (k, p) in steps.iter().enumerate() {
                            if u(2 + k as u64) < *p {
                                depth += 1;
                            } else {
                                break;
                            }
                        }
                    }
                }
                for c in counts.iter_mut().take(depth) {
                    *c += 1;
                }
            }
        }
        funnel
    }

    /// Estimates the funnel with and without the word of mouth of `advocates`.
    ///
    /// # Errors
    /// As [`FunnelLift::per_run`], and [`Error::Overflow`] when the revenue does
    /// not fit a [`Decimal`].
    ///
    /// # Complexity
    /// As [`FunnelLift::per_run`].
    pub fn estimate<I>(&self, network: &CompiledNetwork, advocates: I) -> Result<FunnelLiftEstimate>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let runs = self.per_run(network, advocates)?;
        let mut stages = Vec::with_capacity(STAGES);
        for stage in FunnelStage::ALL {
            let i = stage.index();
            let mut sums = [[0u128; 2]; 3];
            for run in &runs {
                let (without, with) = (run.without[i], run.with[i]);
                // Never negative: the with-world is at least as deep (see validate).
                let lift = with.saturating_sub(without);
                for (sum, value) in sums.iter_mut().zip([without, with, lift]) {
                    let value = u128::from(value);
                    sum[0] += value;
                    sum[1] += value * value;
                }
            }
            let summary = |s: [u128; 2]| Summary::from_sums(self.settings.runs(), s[0], s[1]);
            stages.push(StageLift {
                stage,
                without: summary(sums[0]),
                with: summary(sums[1]),
                lift: summary(sums[2]),
            });
        }
        let purchase = stages
            .get(FunnelStage::Purchase.index())
            .map(|s| s.lift)
            .ok_or_else(|| Error::invalid("stages", "no purchase stage"))?;
        Ok(FunnelLiftEstimate {
            runs: self.settings.runs(),
            seed: self.settings.seed(),
            revenue_lift: self.revenue(purchase.mean)?,
            revenue_ci95: [
                self.revenue(purchase.ci95[0])?,
                self.revenue(purchase.ci95[1])?,
            ],
            stages,
        })
    }

    /// `customers` (rounded to 6 places) times the unit price, rounded to cents.
    fn revenue(&self, customers: f64) -> Result<Decimal> {
        let customers = Decimal::from_f64(customers)
            .ok_or_else(|| Error::overflow("funnel lift: mean purchases as a decimal"))?
            .round_dp(CUSTOMER_PLACES);
        customers
            .checked_mul(self.unit_price)
            .map(|r| r.round_dp(MONEY_PLACES))
            .ok_or_else(|| Error::overflow("funnel lift: purchases times unit price"))
    }
}

/// A uniform draw on `[0, 1)` (53-bit resolution): `u < p` has probability `p`
/// for every `p` that is a multiple of 2⁻⁵³, exactly 0 for `p = 0` and 1 for `p = 1`.
fn uniform(key: u64, counter: u64) -> f64 {
    (coin(key, counter) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
