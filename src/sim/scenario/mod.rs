//! [`Scenario`]: everything a run needs, serde in.

mod economics;
mod network;
mod population;
mod talk;
mod time;

pub use economics::{BusinessSpec, Prices, Rates};
pub use network::{GeneratedNetwork, NetworkFile, NetworkModel, NetworkSpec};
pub use population::{PopulationSpec, ProfileShare, StageMix};
pub use talk::{Seeds, WordOfMouth, WordOfMouthModel};
pub use time::Period;

use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::brand::{
    Department, Engagement, EngagementKind, EngagementPlan, Ownership, OwnershipEffects,
    RelevanceModel, Schedule, Target,
};
use crate::crm::Currency;
use crate::customer::{Channel, CustomerId, Segment};
use crate::error::{Error, Result};
use crate::probability::Probability;

/// A run of the value loop: the population and its network, how word of mouth
/// travels, what the brand does, how the business changes, who owns social
/// media, money, the model's rates, the horizon and the seed.
///
/// Every field has a default (`#[serde(default)]`), so a JSON scenario only
/// needs the fields it changes (`examples/scenario.md` documents the file).
/// Fields are set with by-value setters (`Scenario::default().horizon(13)`)
/// and read with `get_` getters; a scenario is validated once, by
/// [`Scenario::validate`] (which [`Simulation::new`](super::Simulation::new)
/// and [`Scenario::from_json`] call). [`Scenario::default`] is the quickstart
/// scenario:
///
/// - **network**: 10,000 customers in 200 micro-communities of 50, about 8
///   friends inside their community and 2 outside (about 10 ties each, 100,000
///   directed ties), tie probability 0.1, 5% of ties distrustful (negative);
/// - **population**: four interest profiles (see [`PopulationSpec::default`]),
///   shared inside communities (homophily 0.8); 60% unaware, 20% aware, 8%
///   prospects, 8% customers, 2% advocates, 1% adversaries, 1% lapsed; no
///   [seeds](Seeds) by id;
/// - **word of mouth**: the signed cascade (see [`WordOfMouth`]);
/// - **engagements**: weekly relevant content on the microblog about the two
///   most common interests, listening every week, a monthly discount by e-mail,
///   monthly conversations with small businesses, weekly service recovery for
///   those who need it, and an advocacy programme from week 13 (see
///   [`default_plan`]);
/// - **business**: 25% of experiences are bad at first; the default
///   [`ChangePolicy`](crate::business::ChangePolicy); no scheduled change;
/// - **ownership**: siloed, with the documented [`OwnershipEffects`];
/// - **money**: in US dollars (`USD`, the currency of the sources the agency
///   fee's default is read from), prices as in [`Prices::default`];
/// - **time**: weekly periods ([`Period::Week`]), 52 of them; purchase
///   frequency 0.1 a week; rates as in [`Rates::default`]; **seed** 1.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub(crate) network: NetworkSpec,
    pub(crate) population: PopulationSpec,
    pub(crate) seeds: Seeds,
    pub(crate) word_of_mouth: WordOfMouth,
    pub(crate) engagements: EngagementPlan,
    pub(crate) relevance: RelevanceModel,
    pub(crate) ownership: Ownership,
    pub(crate) ownership_effects: OwnershipEffects,
    pub(crate) business: BusinessSpec,
    pub(crate) currency: Currency,
    pub(crate) period: Period,
    pub(crate) prices: Prices,
    pub(crate) purchase_frequency: Probability,
    pub(crate) rates: Rates,
    pub(crate) horizon: u32,
    pub(crate) seed: u64,
    pub(crate) audit: AuditOptions,
}

/// The scenario's default currency: US dollars.
#[allow(
    clippy::expect_used,
    reason = "`USD` is three uppercase ASCII letters, which Currency::new accepts (a test checks it)"
)]
pub(crate) fn default_currency() -> Currency {
    Currency::new("USD").expect("USD is an ISO 4217 code")
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            network: NetworkSpec::default(),
            population: PopulationSpec::default(),
            seeds: Seeds::default(),
            word_of_mouth: WordOfMouth::default(),
            engagements: default_plan(),
            relevance: RelevanceModel::default(),
            ownership: Ownership::Siloed,
            ownership_effects: OwnershipEffects::default(),
            business: BusinessSpec::default(),
            currency: default_currency(),
            period: Period::Week,
            prices: Prices::default(),
            purchase_frequency: Probability::saturating(0.1),
            rates: Rates::default(),
            horizon: 52,
            seed: 1,
            audit: AuditOptions::default(),
        }
    }
}

accessors!(Scenario {
    network get_network: NetworkSpec [ref] => "the influence network: generated or given";
    population get_population: PopulationSpec [ref] => "who the customers are and where they start";
    seeds get_seeds: Seeds [ref] => "the customers who start as advocates or adversaries, by id";
    word_of_mouth get_word_of_mouth: WordOfMouth [copy] => "how word of mouth travels";
    engagements get_engagements: EngagementPlan [ref] => "what the brand does, when and to whom";
    relevance get_relevance: RelevanceModel [copy] => "how relevance is scored";
    ownership get_ownership: Ownership [copy] => "who owns social media";
    ownership_effects get_ownership_effects: OwnershipEffects [copy] => "the effect parameters of every ownership model";
    business get_business: BusinessSpec [ref] => "how the business changes itself";
    currency get_currency: Currency [copy] => "the currency of every amount of the scenario and its report (ISO 4217; default `USD`)";
    period get_period: Period [copy] => "the length of one period (default a week)";
    prices get_prices: Prices [copy] => "prices, margins and the discount rate";
    purchase_frequency get_purchase_frequency: Probability [copy] => "the chance per week that a customer (or an advocate) buys again (default 0.1)";
    rates get_rates: Rates [ref] => "the model's rates";
    horizon get_horizon: u32 [copy] => "the number of periods to run (at most 60,000)";
    seed get_seed: u64 [copy] => "the master seed: same scenario + same seed = same report";
    audit get_audit: AuditOptions [ref] => "which customers' full histories to keep";
});

impl Scenario {
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
    /// assert_eq!(scenario.get_horizon(), 13);
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
    /// assert!(matches!(scenario.get_network(), NetworkSpec::File(f) if f.path() == dir.join("edges.txt")));
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

    /// Checks every field that types alone cannot: each rate, price and lever
    /// in its domain, each engagement's topics and segment known to the
    /// population, the seeds distinct. (Ids are checked against the network
    /// when it is built, by [`Simulation::new`](super::Simulation::new).)
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field by its JSON path
    /// (`network.communities`, `population.initial`, `prices.gross_margin`,
    /// `rates.lapse_after`, `engagements[2].target.segment`,
    /// `ownership_effects.co_op.coordination_overhead`, `seeds.advocates[0]`,
    /// `horizon`...) when it is out of its domain.
    pub fn validate(&self) -> Result<()> {
        self.network.validate()?;
        self.population.validate()?;
        self.seeds.validate()?;
        self.validate_engagements()?;
        self.ownership_effects.validate()?;
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

    /// Every engagement's segment and topics exist in the population (a typo
    /// would otherwise silently reach nobody), and the plan is not too long.
    fn validate_engagements(&self) -> Result<()> {
        let plan = self.engagements.engagements();
        if plan.len() > MAX_ENGAGEMENTS {
            return Err(Error::invalid(
                "engagements",
                format!("{} engagements; at most {MAX_ENGAGEMENTS}", plan.len()),
            ));
        }
        let profiles = &self.population.profiles;
        for (i, e) in plan.iter().enumerate() {
            if let Target::Segment(segment) = e.target()
                && !profiles
                    .iter()
                    .any(|p| p.profile.segment.as_ref() == Some(segment))
            {
                return Err(Error::invalid(
                    format!("engagements[{i}].target.segment"),
                    format!("no profile of the population is in segment `{segment}`"),
                ));
            }
            for (j, topic) in e.topics().iter().enumerate() {
                if !profiles.iter().any(|p| p.profile.cares_about(topic)) {
                    return Err(Error::invalid(
                        format!("engagements[{i}].topics[{j}]"),
                        format!("no profile of the population is interested in `{topic}`"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The most engagements a plan may hold (each has its own random numbers per
/// customer and period).
pub(crate) const MAX_ENGAGEMENTS: usize = 4_096;

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
    pub(crate) customers: Vec<CustomerId>,
}

impl AuditOptions {
    /// Follows `customers`.
    pub fn customers<I: IntoIterator<Item = C>, C: Into<CustomerId>>(customers: I) -> Self {
        AuditOptions {
            customers: customers.into_iter().map(Into::into).collect(),
        }
    }

    /// The customers followed.
    pub fn get_customers(&self) -> &[CustomerId] {
        &self.customers
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
