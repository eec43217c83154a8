//! [`Scenario`]: everything a run needs, serde in.

mod economics;
mod network;
mod population;

pub use economics::{BusinessSpec, Prices, Rates};
pub use network::{GeneratedNetwork, NetworkFile, NetworkModel, NetworkSpec};
pub use population::{PopulationSpec, ProfileShare, StageMix};

use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::brand::{
    Department, Engagement, EngagementKind, EngagementPlan, Ownership, OwnershipEffects,
    RelevanceModel, Schedule, Target,
};
use crate::customer::{Channel, CustomerId, Segment};
use crate::error::{Error, Result};
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
    #[must_use]
    pub fn network(mut self, network: NetworkSpec) -> Self {
        self.network = network;
        self
    }

    /// Sets the population.
    #[must_use]
    pub fn population(mut self, population: PopulationSpec) -> Self {
        self.population = population;
        self
    }

    /// Sets the engagement plan.
    #[must_use]
    pub fn engagements(mut self, plan: EngagementPlan) -> Self {
        self.engagements = plan;
        self
    }

    /// Sets the ownership model.
    #[must_use]
    pub fn ownership(mut self, ownership: Ownership) -> Self {
        self.ownership = ownership;
        self
    }

    /// Sets the business spec.
    #[must_use]
    pub fn business(mut self, business: BusinessSpec) -> Self {
        self.business = business;
        self
    }

    /// Sets the prices.
    #[must_use]
    pub fn prices(mut self, prices: Prices) -> Self {
        self.prices = prices;
        self
    }

    /// Sets the rates.
    #[must_use]
    pub fn rates(mut self, rates: Rates) -> Self {
        self.rates = rates;
        self
    }

    /// Sets the horizon (number of periods).
    #[must_use]
    pub fn horizon(mut self, periods: u32) -> Self {
        self.horizon = periods;
        self
    }

    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the customers whose full history is kept.
    #[must_use]
    pub fn audit(mut self, audit: AuditOptions) -> Self {
        self.audit = audit;
        self
    }

    /// Reads a scenario file's JSON text strictly: a byte-order mark is skipped,
    /// a value of the wrong type or an unknown field (a typo that would
    /// otherwise leave the default in place) is an error naming its JSON path,
    /// and the result is [validated](Scenario::validate). A relative
    /// `network.file.path` is relative to the current directory; read a file
    /// with [`Scenario::from_json_file`] to have it relative to the file.
    ///
    /// ```
    /// use social_loop::sim::Scenario;
    ///
    /// let scenario = Scenario::from_json(r#"{"horizon": 13, "seed": 7}"#)?;
    /// assert_eq!(scenario.horizon, 13);
    /// let typo = Scenario::from_json(r#"{"horizn": 13}"#).unwrap_err();
    /// assert_eq!(typo.field(), Some("horizn"));
    /// # Ok::<(), social_loop::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Parse`] (line and column) for malformed JSON;
    /// [`Error::InvalidParameter`] naming the JSON path for a wrong type, an
    /// unknown field or a value out of its domain.
    pub fn from_json(text: &str) -> Result<Scenario> {
        Self::parse(text, None)
    }

    /// Reads a scenario file as [`Scenario::from_json`] does, with a relative
    /// `network.file.path` taken relative to the scenario file's folder, so a
    /// scenario and its network can move together.
    ///
    /// ```
    /// use social_loop::sim::{NetworkSpec, Scenario};
    /// let dir = std::env::temp_dir().join("social_loop_doc_scenario");
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("edges.txt"), "ann bob 0.3\nbob cy 0.2\n")?;
    /// std::fs::write(dir.join("scenario.json"), r#"{"network": {"file": {"path": "edges.txt"}}}"#)?;
    /// let scenario = Scenario::from_json_file(dir.join("scenario.json"))?;
    /// assert!(matches!(&scenario.network, NetworkSpec::File(f) if f.path() == dir.join("edges.txt")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] naming the file when it cannot be read; otherwise as
    /// [`Scenario::from_json`], with the file named in a syntax error.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(name.clone(), e))?;
        Self::parse(&text, path.parent()).map_err(|e| e.in_file(name))
    }

    /// Parses, resolves a relative network file against `base`, validates.
    fn parse(text: &str, base: Option<&Path>) -> Result<Scenario> {
        let (mut scenario, _): (Scenario, _) =
            crate::json::from_str(text, crate::json::Unknown::Reject)?;
        if let (Some(base), NetworkSpec::File(file)) = (base, &mut scenario.network) {
            file.resolve_against(base);
        }
        scenario.validate()?;
        Ok(scenario)
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
