//! [`Scenario`]: everything a run needs, serde in.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::brand::{
    Department, Engagement, EngagementKind, EngagementPlan, Ownership, OwnershipEffects,
    RelevanceModel, Schedule, Target,
};
use crate::business::{Change, ChangeKind, ChangePolicy};
use crate::customer::{
    Channel, CustomerId, Profile, Segment, Stage, Topic, TransitionProbabilities,
};
use crate::error::{Error, Result};
use crate::network::{BarabasiAlbert, InfluenceNetwork, WattsStrogatz};
use crate::probability::Probability;

/// A run of the value loop: the population and its network, what the brand does,
/// how the business changes, who owns social media, prices, the model's rates,
/// the horizon and the seed.
///
/// Every field has a default (`#[serde(default)]`), so a JSON scenario only
/// needs the fields it changes. [`Scenario::default`] is the quickstart
/// scenario:
///
/// - **network**: 10,000 customers in 200 micro-communities of 50, about 8
///   friends inside their community and 2 outside (about 10 ties each, 100,000
///   directed ties), tie probability 0.1, 5% of ties distrustful (negative);
/// - **population**: four interest profiles (see [`PopulationSpec::default`]),
///   shared inside communities (homophily 0.8); 60% unaware, 20% aware, 8%
///   prospects, 8% customers, 2% advocates, 1% adversaries, 1% lapsed;
/// - **engagements**: weekly relevant content on the microblog about the two
///   most common interests, listening every week, a monthly discount by e-mail,
///   monthly conversations with small businesses, weekly service recovery for
///   those who need it, and an advocacy programme from week 13 (see
///   [`default_plan`]);
/// - **business**: 25% of experiences are bad at first; a change every 1,000
///   pieces of feedback that reach the business (see [`BusinessSpec::default`]);
///   no scheduled change;
/// - **ownership**: siloed, with the documented [`OwnershipEffects`];
/// - **prices**: see [`Prices::default`]; purchase frequency 0.1 a week;
/// - **rates**: see [`Rates::default`]; **horizon** 52 weekly periods; **seed** 1.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// The influence network: generated or given.
    pub network: NetworkSpec,
    /// Who the customers are and where they start.
    pub population: PopulationSpec,
    /// What the brand does, when and to whom.
    pub engagements: EngagementPlan,
    /// How relevance is scored.
    pub relevance: RelevanceModel,
    /// Who owns social media.
    pub ownership: Ownership,
    /// The effect parameters of every ownership model.
    pub ownership_effects: OwnershipEffects,
    /// How the business changes itself.
    pub business: BusinessSpec,
    /// Prices and values.
    pub prices: Prices,
    /// Chance that a customer (or advocate) buys again in a period.
    pub purchase_frequency: Probability,
    /// The model's rates.
    pub rates: Rates,
    /// Number of periods to run (at most 60,000).
    pub horizon: u32,
    /// Master seed: same scenario + same seed = same report.
    pub seed: u64,
    /// Which customers' full histories to keep.
    pub audit: AuditOptions,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            network: NetworkSpec::default(),
            population: PopulationSpec::default(),
            engagements: default_plan(),
            relevance: RelevanceModel::default(),
            ownership: Ownership::Siloed,
            ownership_effects: OwnershipEffects::default(),
            business: BusinessSpec::default(),
            prices: Prices::default(),
            purchase_frequency: Probability::saturating(0.1),
            rates: Rates::default(),
            horizon: 52,
            seed: 1,
            audit: AuditOptions::default(),
        }
    }
}

impl Scenario {
    /// Sets the network.
    pub fn network(mut self, network: NetworkSpec) -> Self {
        self.network = network;
        self
    }

    /// Sets the population.
    pub fn population(mut self, population: PopulationSpec) -> Self {
        self.population = population;
        self
    }

    /// Sets the engagement plan.
    pub fn engagements(mut self, plan: EngagementPlan) -> Self {
        self.engagements = plan;
        self
    }

    /// Sets the ownership model.
    pub fn ownership(mut self, ownership: Ownership) -> Self {
        self.ownership = ownership;
        self
    }

    /// Sets the business spec.
    pub fn business(mut self, business: BusinessSpec) -> Self {
        self.business = business;
        self
    }

    /// Sets the prices.
    pub fn prices(mut self, prices: Prices) -> Self {
        self.prices = prices;
        self
    }

    /// Sets the rates.
    pub fn rates(mut self, rates: Rates) -> Self {
        self.rates = rates;
        self
    }

    /// Sets the horizon (number of periods).
    pub fn horizon(mut self, periods: u32) -> Self {
        self.horizon = periods;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the customers whose full history is kept.
    pub fn audit(mut self, audit: AuditOptions) -> Self {
        self.audit = audit;
        self
    }

    /// Checks every field that types alone cannot.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field (`network.communities`,
    /// `population.initial`, `population.profiles`, `prices.unit_price`,
    /// `rates.lapse_after`, `horizon`...) when it is out of its domain.
    pub fn validate(&self) -> Result<()> {
        self.network.validate()?;
        self.population.validate()?;
        self.prices.validate()?;
        self.rates.validate()?;
        if self.horizon > MAX_HORIZON {
            return Err(Error::invalid(
                "horizon",
                format!("{} periods; at most {MAX_HORIZON}", self.horizon),
            ));
        }
        Ok(())
    }
}

/// The longest horizon a scenario may ask for: more than a thousand years of
/// weeks (the report keeps one [`PeriodReport`](super::PeriodReport) per period).
pub(crate) const MAX_HORIZON: u32 = 60_000;

/// The longest attention rhythm a profile may have (relevance is tabulated per
/// rhythm phase).
pub(crate) const MAX_ATTENTION_EVERY: u32 = 64;

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
    fn validate(&self) -> Result<()> {
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
    /// Chance that one exposure passes word of mouth along a tie.
    pub tie_probability: Probability,
    /// Share of ties (drawn independently per directed tie) that are negative:
    /// the listener distrusts the speaker and takes the opposite message.
    pub distrust: Probability,
}

impl Default for GeneratedNetwork {
    fn default() -> Self {
        GeneratedNetwork {
            model: NetworkModel::default(),
            tie_probability: Probability::saturating(0.1),
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

    fn validate(&self) -> Result<()> {
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
                .map_err(|e| prefix(e, "network."))?
                .validate()
                .map_err(|e| prefix(e, "network."))
            }
            NetworkModel::BarabasiAlbert(m) => m.validate().map_err(|e| prefix(e, "network.")),
            NetworkModel::WattsStrogatz(m) => m.validate().map_err(|e| prefix(e, "network.")),
        }
    }
}

/// Prefixes the field of an [`Error::InvalidParameter`] or
/// [`Error::InvalidProbability`] with `prefix`.
pub(crate) fn prefix(e: Error, prefix: &str) -> Error {
    match e {
        Error::InvalidParameter { field, reason } => Error::InvalidParameter {
            field: format!("{prefix}{field}"),
            reason,
        },
        Error::InvalidProbability { field, value } => Error::InvalidProbability {
            field: format!("{prefix}{field}"),
            value,
        },
        other => other,
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

/// One kind of customer: a [`Profile`] and the share of customers who have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileShare {
    /// Relative weight (need not sum to 1 over the profiles; must be > 0).
    pub share: f64,
    /// Channels, interests, segment and attention rhythm. Each customer gets
    /// their own phase of the rhythm, drawn uniformly in `0..attention_every`.
    pub profile: Profile,
}

/// Shares of the population in each lifecycle stage at the start (each >= 0,
/// summing to 1 within 10⁻⁶).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageMix {
    /// Never heard of the brand.
    pub unaware: f64,
    /// Know the brand.
    pub aware: f64,
    /// Considering a purchase.
    pub prospect: f64,
    /// Customers.
    pub customer: f64,
    /// Advocates.
    pub advocate: f64,
    /// Adversaries.
    pub adversary: f64,
    /// Lapsed customers.
    pub lapsed: f64,
}

impl Default for StageMix {
    fn default() -> Self {
        StageMix {
            unaware: 0.6,
            aware: 0.2,
            prospect: 0.08,
            customer: 0.08,
            advocate: 0.02,
            adversary: 0.01,
            lapsed: 0.01,
        }
    }
}

impl StageMix {
    /// Everyone in `stage`.
    pub fn all(stage: Stage) -> Self {
        let mut mix = StageMix {
            unaware: 0.0,
            aware: 0.0,
            prospect: 0.0,
            customer: 0.0,
            advocate: 0.0,
            adversary: 0.0,
            lapsed: 0.0,
        };
        *mix.get_mut(stage) = 1.0;
        mix
    }

    /// The share of `stage`.
    pub fn get(&self, stage: Stage) -> f64 {
        match stage {
            Stage::Unaware => self.unaware,
            Stage::Aware => self.aware,
            Stage::Prospect => self.prospect,
            Stage::Customer => self.customer,
            Stage::Advocate => self.advocate,
            Stage::Adversary => self.adversary,
            Stage::Lapsed => self.lapsed,
        }
    }

    fn get_mut(&mut self, stage: Stage) -> &mut f64 {
        match stage {
            Stage::Unaware => &mut self.unaware,
            Stage::Aware => &mut self.aware,
            Stage::Prospect => &mut self.prospect,
            Stage::Customer => &mut self.customer,
            Stage::Advocate => &mut self.advocate,
            Stage::Adversary => &mut self.adversary,
            Stage::Lapsed => &mut self.lapsed,
        }
    }

    fn validate(&self) -> Result<()> {
        let mut sum = 0.0;
        for stage in Stage::ALL {
            let share = self.get(stage);
            if !share.is_finite() || share < 0.0 {
                return Err(Error::invalid(
                    format!("population.initial.{stage}"),
                    format!("{share} is not a share (finite and >= 0)"),
                ));
            }
            sum += share;
        }
        if (sum - 1.0).abs() > 1e-6 {
            return Err(Error::invalid(
                "population.initial",
                format!("the stage shares sum to {sum}, not 1"),
            ));
        }
        Ok(())
    }
}

/// Who the customers are: their profiles and where they start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PopulationSpec {
    /// The kinds of customer and their shares (at least one).
    pub profiles: Vec<ProfileShare>,
    /// With a micro-community network: the chance that a customer shares their
    /// community's profile (drawn once per community) rather than drawing their
    /// own. Communities of like-minded people are what makes content relevant to
    /// a whole micro-community. Ignored for other networks.
    pub homophily: Probability,
    /// Shares of the stages at the start.
    pub initial: StageMix,
}

impl Default for PopulationSpec {
    /// Four profiles, each attentive every other week:
    ///
    /// | share | channels | interests | segment |
    /// |---|---|---|---|
    /// | 0.35 | microblog, social feed | how-to, pricing | smb |
    /// | 0.25 | professional, e-mail | pricing, integrations | enterprise |
    /// | 0.25 | social feed, video | how-to, sustainability | consumer |
    /// | 0.15 | microblog, blog | integrations, sustainability | consumer |
    fn default() -> Self {
        let profile = |channels: &[Channel], interests: &[&str], segment: &str| Profile {
            channels: channels.to_vec(),
            interests: interests.iter().map(|&t| Topic::new(t)).collect(),
            segment: Some(Segment::new(segment)),
            attention_every: 2,
            attention_offset: 0,
        };
        PopulationSpec {
            profiles: vec![
                ProfileShare {
                    share: 0.35,
                    profile: profile(
                        &[Channel::Microblog, Channel::SocialFeed],
                        &["how-to", "pricing"],
                        "smb",
                    ),
                },
                ProfileShare {
                    share: 0.25,
                    profile: profile(
                        &[Channel::Professional, Channel::Email],
                        &["pricing", "integrations"],
                        "enterprise",
                    ),
                },
                ProfileShare {
                    share: 0.25,
                    profile: profile(
                        &[Channel::SocialFeed, Channel::Video],
                        &["how-to", "sustainability"],
                        "consumer",
                    ),
                },
                ProfileShare {
                    share: 0.15,
                    profile: profile(
                        &[Channel::Microblog, Channel::Blog],
                        &["integrations", "sustainability"],
                        "consumer",
                    ),
                },
            ],
            homophily: Probability::saturating(0.8),
            initial: StageMix::default(),
        }
    }
}

impl PopulationSpec {
    fn validate(&self) -> Result<()> {
        if self.profiles.is_empty() {
            return Err(Error::invalid(
                "population.profiles",
                "needs at least one profile",
            ));
        }
        let phases: u64 = self
            .profiles
            .iter()
            .map(|p| u64::from(p.profile.attention_every.max(1)))
            .sum();
        if phases > u64::from(u16::MAX) {
            return Err(Error::invalid(
                "population.profiles",
                format!(
                    "{phases} profile x attention-phase combinations; at most {}",
                    u16::MAX
                ),
            ));
        }
        for (i, p) in self.profiles.iter().enumerate() {
            if !p.share.is_finite() || p.share <= 0.0 {
                return Err(Error::invalid(
                    format!("population.profiles[{i}].share"),
                    format!("{} is not a positive finite weight", p.share),
                ));
            }
            if p.profile.attention_every > MAX_ATTENTION_EVERY {
                return Err(Error::invalid(
                    format!("population.profiles[{i}].profile.attention_every"),
                    format!(
                        "{} periods; at most {MAX_ATTENTION_EVERY}",
                        p.profile.attention_every
                    ),
                ));
            }
        }
        self.initial.validate()
    }
}

/// Prices and the money value of what customers do.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    /// Price of one purchase (> 0).
    pub unit_price: Decimal,
    /// Fraction taken off the price by a discount engagement, in `[0, 1]`.
    pub discount: Decimal,
    /// Reward the brand pays the referrer for each referral sale (>= 0). It is a
    /// brand engagement cost.
    pub referral_reward: Decimal,
    /// Estimated value of one piece of customer feedback that reaches the
    /// business (>= 0): the customer's product feedback as value created.
    pub feedback_value: Decimal,
}

impl Default for Prices {
    /// Unit price 40, discount 20%, referral reward 5, feedback value 2.
    fn default() -> Self {
        Prices {
            unit_price: Decimal::new(40, 0),
            discount: Decimal::new(20, 2),
            referral_reward: Decimal::new(5, 0),
            feedback_value: Decimal::new(2, 0),
        }
    }
}

impl Prices {
    fn validate(&self) -> Result<()> {
        if self.unit_price <= Decimal::ZERO {
            return Err(Error::invalid(
                "prices.unit_price",
                format!("{} must be > 0", self.unit_price),
            ));
        }
        if self.discount < Decimal::ZERO || self.discount > Decimal::ONE {
            return Err(Error::invalid(
                "prices.discount",
                format!("{} must be in [0, 1]", self.discount),
            ));
        }
        for (field, value) in [
            ("prices.referral_reward", self.referral_reward),
            ("prices.feedback_value", self.feedback_value),
        ] {
            if value < Decimal::ZERO {
                return Err(Error::invalid(field, format!("{value} must be >= 0")));
            }
        }
        Ok(())
    }
}

/// The model's rates, per period. The chance that each cause moves a customer
/// is the transition table's ([`TransitionProbabilities`]); these are the
/// chances that the causes happen at all, and how experiences turn out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rates {
    /// Chance that each cause of the transition table produces its move.
    pub transitions: TransitionProbabilities,
    /// Chance that an advocate talks about the brand to the people who listen to
    /// them in a period (default 0.3). Each tie then carries the message with the
    /// tie's probability.
    pub advocate_talk: Probability,
    /// Chance that an adversary talks against the brand in a period (default
    /// 0.4: complaints travel further than praise).
    pub adversary_talk: Probability,
    /// How much an advocacy programme that lands on an advocate raises their
    /// chance of talking: `talk + (1 - talk) x programme_talk x relevance`
    /// (default 0.5).
    pub programme_talk: Probability,
    /// Chance per period that a prospect buys on their own (default 0.03).
    pub conversion: Probability,
    /// Chance that one positive word-of-mouth message makes a prospect buy
    /// (default 0.1): a referral sale, credited to the speaker.
    pub referral_conversion: Probability,
    /// Chance that a discount that lands makes a prospect, a customer or an
    /// advocate buy (default 0.2): an engagement return.
    pub discount_conversion: Probability,
    /// Chance that an aware customer of any stage but unaware has a contact with a
    /// department (marketing, PR, sales or service) in a period: an experience
    /// (default 0.05). Every purchase is an experience too.
    pub contact: Probability,
    /// Chance that an unaware customer is exposed to the brand in a period
    /// outside the engagement plan (advertising, a shelf; default 0.01).
    pub exposure: Probability,
    /// Share of bad experiences that are outrageous rather than disappointing
    /// (default 0.3).
    pub outrage_share: Probability,
    /// Share of good experiences that delight rather than merely satisfy
    /// (default 0.25).
    pub delight_share: Probability,
    /// Chance that an engagement that does not land is still noticed, as
    /// irrelevant noise (default 0.3); otherwise the customer filters it out.
    pub notice_irrelevant: Probability,
    /// Chance that a customer gives product feedback after an experience (default
    /// 0.2: a complaint after a bad one, a suggestion after a good one).
    pub feedback: Probability,
    /// Chance that listening (an active [`EngagementKind::Listen`]) hears one
    /// word-of-mouth message about the brand (default 0.3): feedback from the
    /// social web.
    pub listen_capture: Probability,
    /// Periods without contact after which time starts to act (the no-contact
    /// cause is applied every further silent period; default 8, at least 1).
    pub lapse_after: u32,
}

impl Default for Rates {
    fn default() -> Self {
        let p = Probability::saturating;
        Rates {
            transitions: TransitionProbabilities::default(),
            advocate_talk: p(0.3),
            adversary_talk: p(0.4),
            programme_talk: p(0.5),
            conversion: p(0.03),
            referral_conversion: p(0.1),
            discount_conversion: p(0.2),
            contact: p(0.05),
            exposure: p(0.01),
            outrage_share: p(0.3),
            delight_share: p(0.25),
            notice_irrelevant: p(0.3),
            feedback: p(0.2),
            listen_capture: p(0.3),
            lapse_after: 8,
        }
    }
}

impl Rates {
    fn validate(&self) -> Result<()> {
        if self.lapse_after == 0 {
            return Err(Error::invalid("rates.lapse_after", "must be at least 1"));
        }
        Ok(())
    }
}

/// How the business changes itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessSpec {
    /// Chance that an experience is bad before any change is in effect
    /// (default 0.25). Changes in effect cut it (see [`Change`]).
    pub bad_experience: Probability,
    /// How feedback in the backlog becomes changes.
    pub policy: ChangePolicy,
    /// Changes decided in advance, whatever the feedback.
    pub scheduled: Vec<Change>,
}

impl Default for BusinessSpec {
    /// A bad experience 25% of the time before any change, and a policy sized
    /// for the quickstart's business (10,000 customers, about a million a year in
    /// sales): every 1,000 pieces of feedback that reach the business commission
    /// a product innovation costing 5,000 that cuts the probability of a bad
    /// experience by 10% after 8 weeks (at most one change a week).
    fn default() -> Self {
        let commission = Change::builder(ChangeKind::ProductInnovation)
            .cost(Decimal::new(5_000, 0))
            .lag(8)
            .bad_experience_reduction(0.1)
            .build();
        let policy = commission
            .and_then(|c| ChangePolicy::new(1_000, c))
            .unwrap_or_default();
        BusinessSpec {
            bad_experience: Probability::saturating(0.25),
            policy,
            scheduled: Vec::new(),
        }
    }
}

/// Which customers' full histories (every move with its full cause) to keep.
/// Empty by default: big runs keep only each customer's last move.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditOptions {
    /// The customers to follow.
    pub customers: Vec<CustomerId>,
}

impl AuditOptions {
    /// Follows `customers`.
    pub fn customers<I: IntoIterator<Item = C>, C: Into<CustomerId>>(customers: I) -> Self {
        AuditOptions {
            customers: customers.into_iter().map(Into::into).collect(),
        }
    }
}

/// The quickstart's engagement plan (costs per run):
///
/// | engagement | channel | topics | target | when | cost | owner |
/// |---|---|---|---|---|---|---|
/// | listen | microblog | | everyone | every week | 200 | customer service |
/// | relevant content | microblog | how-to, pricing | everyone | every week | 500 | marketing |
/// | relevant content | professional | pricing, integrations | enterprise | every 2 weeks | 400 | sales |
/// | discount | e-mail | pricing | everyone | every 4 weeks from week 2 | 1,000 | sales |
/// | conversation | social feed | how-to | smb | every 4 weeks | 300 | public relations |
/// | service recovery | microblog | | everyone (who needs it) | every week from week 1 | 400 | customer service |
/// | advocacy programme | social feed | how-to, sustainability | everyone | every 4 weeks from week 13 | 600 | marketing |
pub fn default_plan() -> EngagementPlan {
    let build = |kind: EngagementKind,
                 channel: Channel,
                 topics: &[&str],
                 target: Target,
                 (start, every): (u32, u32),
                 cost: i64,
                 owner: Department| {
        Schedule::every(start, every).and_then(|schedule| {
            Engagement::builder(kind, channel)
                .topics(topics.iter().copied())
                .target(target)
                .schedule(schedule)
                .cost(Decimal::new(cost, 0))
                .owner(owner)
                .build()
        })
    };
    use Department::*;
    use EngagementKind::*;
    [
        build(
            Listen,
            Channel::Microblog,
            &[],
            Target::Everyone,
            (0, 1),
            200,
            CustomerService,
        ),
        build(
            RelevantContent,
            Channel::Microblog,
            &["how-to", "pricing"],
            Target::Everyone,
            (0, 1),
            500,
            Marketing,
        ),
        build(
            RelevantContent,
            Channel::Professional,
            &["pricing", "integrations"],
            Target::Segment(Segment::new("enterprise")),
            (0, 2),
            400,
            Sales,
        ),
        build(
            Discount,
            Channel::Email,
            &["pricing"],
            Target::Everyone,
            (2, 4),
            1000,
            Sales,
        ),
        build(
            Conversation,
            Channel::SocialFeed,
            &["how-to"],
            Target::Segment(Segment::new("smb")),
            (0, 4),
            300,
            PublicRelations,
        ),
        build(
            ServiceRecovery,
            Channel::Microblog,
            &[],
            Target::Everyone,
            (1, 1),
            400,
            CustomerService,
        ),
        build(
            AdvocacyProgramme,
            Channel::SocialFeed,
            &["how-to", "sustainability"],
            Target::Everyone,
            (13, 4),
            600,
            Marketing,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}
