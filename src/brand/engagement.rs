//! [`Engagement`]: one thing the brand does to or with customers, its target and its
//! schedule.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::customer::{Channel, CustomerId, Profile, Segment, Topic};
use crate::error::{Error, Result};

/// What the brand does in an engagement.
///
/// The essays name two brand activities that create value: *listening* and
/// *engaging* ("relevant content, discounts, real conversations"), plus the two
/// moves that turn customers around: winning back a hurt customer and turning
/// customers into advocates. The simulation gives each kind its effect; the
/// predicates below ([`feeds_backlog`](Self::feeds_backlog),
/// [`lowers_price`](Self::lowers_price), [`wins_back`](Self::wins_back),
/// [`builds_advocacy`](Self::builds_advocacy)) state the intent of each kind in one
/// place, so the simulation and a reader agree on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EngagementKind {
    /// Social listening: the brand reads what customers say. It touches nobody, but
    /// what it hears is fed to the business's feedback backlog ("it's one thing to
    /// listen, it's something entirely different to do something about it").
    Listen,
    /// Relevant content: moves customers toward awareness and consideration when it
    /// is the right content, at the right time, in the right channel, to the right
    /// customer.
    RelevantContent,
    /// A discount: lowers the price for the touched customers and can trigger a
    /// purchase.
    Discount,
    /// A real conversation: a human, authentic exchange; can win back an adversary.
    Conversation,
    /// Service recovery: fixing a bad experience; can win back an adversary.
    ServiceRecovery,
    /// An advocacy (referral) programme: turns satisfied customers into
    /// advocates and strengthens the word of mouth of existing advocates. In
    /// the simulation, when it lands on a customer with no unresolved bad
    /// experience it is an experience with its owner's department that
    /// delights when it goes well (consistent and not bad), and the table's
    /// `customer+experience_delighted` row can make them an advocate; on an
    /// advocate it raises the chance of talking
    /// ([`Rates::programme_talk`](crate::sim::Rates::programme_talk)); on
    /// anyone else it is a relevant engagement.
    AdvocacyProgramme,
}

impl EngagementKind {
    /// Every kind.
    pub const ALL: [EngagementKind; 6] = [
        EngagementKind::Listen,
        EngagementKind::RelevantContent,
        EngagementKind::Discount,
        EngagementKind::Conversation,
        EngagementKind::ServiceRecovery,
        EngagementKind::AdvocacyProgramme,
    ];

    /// Whether what this engagement hears goes to the business's feedback backlog
    /// (only [`Listen`](Self::Listen)).
    pub fn feeds_backlog(self) -> bool {
        matches!(self, EngagementKind::Listen)
    }

    /// Whether this engagement touches customers at all (every kind except
    /// [`Listen`](Self::Listen), which only reads).
    pub fn touches_customers(self) -> bool {
        !self.feeds_backlog()
    }

    /// Whether this engagement lowers the price and can trigger a purchase (only
    /// [`Discount`](Self::Discount)).
    pub fn lowers_price(self) -> bool {
        matches!(self, EngagementKind::Discount)
    }

    /// Whether this engagement can turn an adversary back
    /// ([`Conversation`](Self::Conversation), [`ServiceRecovery`](Self::ServiceRecovery)).
    pub fn wins_back(self) -> bool {
        matches!(
            self,
            EngagementKind::Conversation | EngagementKind::ServiceRecovery
        )
    }

    /// Whether this engagement turns customers into advocates or boosts advocates'
    /// word of mouth (only [`AdvocacyProgramme`](Self::AdvocacyProgramme)).
    pub fn builds_advocacy(self) -> bool {
        matches!(self, EngagementKind::AdvocacyProgramme)
    }
}

/// The department that runs an engagement: the four places where social media is
/// most often run (marketing, PR, sales, customer service) and an outside agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Department {
    /// Marketing.
    Marketing,
    /// Public relations.
    PublicRelations,
    /// Sales.
    Sales,
    /// Customer service.
    CustomerService,
    /// An outside agency acting for the brand.
    Agency,
}

impl Department {
    /// Every department.
    pub const ALL: [Department; 5] = [
        Department::Marketing,
        Department::PublicRelations,
        Department::Sales,
        Department::CustomerService,
        Department::Agency,
    ];

    /// Whether the department is part of the company (everything but
    /// [`Agency`](Self::Agency)).
    pub fn is_in_house(self) -> bool {
        !matches!(self, Department::Agency)
    }
}

/// Whom an engagement is aimed at: the "right customer" of the relevance model.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Target {
    /// One customer, by the caller's id.
    Customer(CustomerId),
    /// Every customer whose [`Profile::segment`] is this segment.
    Segment(Segment),
    /// Every customer.
    Everyone,
}

impl Target {
    /// Whether the customer `id` with `profile` is aimed at.
    ///
    /// A customer without a segment is never in a [`Target::Segment`].
    pub fn matches(&self, id: &CustomerId, profile: &Profile) -> bool {
        match self {
            Target::Customer(target) => target == id,
            Target::Segment(segment) => profile.segment.as_ref() == Some(segment),
            Target::Everyone => true,
        }
    }
}

/// When an engagement runs: from `start`, every `every` periods, up to and including
/// `until` (or forever when `until` is `None`).
///
/// ```
/// use social_loop::brand::Schedule;
/// let weekly_in_q1 = Schedule::every(2, 3)?.until(11)?;
/// let active: Vec<u32> = (0..20).filter(|&p| weekly_in_q1.is_active(p)).collect();
/// assert_eq!(active, vec![2, 5, 8, 11]);
/// assert!(Schedule::once(4).is_active(4) && !Schedule::once(4).is_active(5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ScheduleFields")]
pub struct Schedule {
    start: u32,
    every: u32,
    until: Option<u32>,
}

#[derive(Deserialize)]
struct ScheduleFields {
    start: u32,
    every: u32,
    until: Option<u32>,
}

impl TryFrom<ScheduleFields> for Schedule {
    type Error = Error;
    fn try_from(f: ScheduleFields) -> Result<Self> {
        Schedule::every(f.start, f.every)?.with_until(f.until)
    }
}

impl Schedule {
    /// Runs in `period` only.
    pub fn once(period: u32) -> Self {
        Schedule {
            start: period,
            every: 1,
            until: Some(period),
        }
    }

    /// Runs in `start`, `start + every`, `start + 2 every`, ... forever.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `schedule.every`) when `every` is 0.
    pub fn every(start: u32, every: u32) -> Result<Self> {
        if every == 0 {
            return Err(Error::invalid(
                "schedule.every",
                "must be at least 1 period",
            ));
        }
        Ok(Schedule {
            start,
            every,
            until: None,
        })
    }

    /// Stops after period `until` (inclusive).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `schedule.until`) when `until < start`.
    pub fn until(self, until: u32) -> Result<Self> {
        self.with_until(Some(until))
    }

    fn with_until(self, until: Option<u32>) -> Result<Self> {
        if let Some(u) = until
            && u < self.start
        {
            return Err(Error::invalid(
                "schedule.until",
                format!("period {u} is before the start period {}", self.start),
            ));
        }
        Ok(Schedule { until, ..self })
    }

    /// The first period.
    pub fn start(&self) -> u32 {
        self.start
    }

    /// The spacing between runs, in periods (at least 1).
    pub fn spacing(&self) -> u32 {
        self.every
    }

    /// The last period it may run in, if any.
    pub fn last(&self) -> Option<u32> {
        self.until
    }

    /// Whether the engagement runs in `period`.
    pub fn is_active(&self, period: u32) -> bool {
        period >= self.start
            && self.until.is_none_or(|u| period <= u)
            && (period - self.start) % self.every.max(1) == 0
    }
}

/// One engagement of the brand: what (`kind`), where (`channel`), about what
/// (`topics`), to whom (`target`), when (`schedule`), at what cost and run by whom
/// (`owner`).
///
/// `cost` is what one run costs the brand (each period the engagement is active),
/// whatever the number of customers it touches. Build one with
/// [`Engagement::builder`]; it is valid by construction (and when deserialised).
///
/// ```
/// use social_loop::brand::{Department, Engagement, EngagementKind, Schedule, Target};
/// use social_loop::customer::Channel;
/// use social_loop::Decimal;
/// let post = Engagement::builder(EngagementKind::RelevantContent, Channel::Microblog)
///     .topics(["pricing", "how-to"])
///     .target(Target::Everyone)
///     .schedule(Schedule::every(0, 1)?)
///     .cost(Decimal::new(250, 0))
///     .owner(Department::Marketing)
///     .build()?;
/// assert_eq!(post.topics().len(), 2);
/// assert!(post.is_active(7));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EngagementFields")]
pub struct Engagement {
    kind: EngagementKind,
    channel: Channel,
    topics: Vec<Topic>,
    target: Target,
    schedule: Schedule,
    cost: Decimal,
    owner: Department,
}

#[derive(Deserialize)]
struct EngagementFields {
    kind: EngagementKind,
    channel: Channel,
    #[serde(default)]
    topics: Vec<Topic>,
    target: Target,
    schedule: Schedule,
    cost: Decimal,
    owner: Department,
}

impl TryFrom<EngagementFields> for Engagement {
    type Error = Error;
    fn try_from(f: EngagementFields) -> Result<Self> {
        EngagementBuilder {
            kind: f.kind,
            channel: f.channel,
            topics: f.topics,
            target: f.target,
            schedule: f.schedule,
            cost: f.cost,
            owner: f.owner,
        }
        .build()
    }
}

impl Engagement {
    /// This engagement aimed at `customer` alone.
    pub(crate) fn aimed_at(&self, customer: CustomerId) -> Engagement {
        Engagement {
            target: Target::Customer(customer),
            ..self.clone()
        }
    }

    /// Starts an engagement of `kind` in `channel`; by default it has no topics,
    /// targets everyone, runs once in period 0, costs nothing and is owned by
    /// marketing.
    pub fn builder(kind: EngagementKind, channel: Channel) -> EngagementBuilder {
        EngagementBuilder {
            kind,
            channel,
            topics: Vec::new(),
            target: Target::Everyone,
            schedule: Schedule::once(0),
            cost: Decimal::ZERO,
            owner: Department::Marketing,
        }
    }

    /// What the brand does.
    pub fn kind(&self) -> EngagementKind {
        self.kind
    }

    /// Where.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// About what (empty for content-free engagements such as listening).
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// To whom.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// When.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Cost of one run (each active period), never negative.
    pub fn cost(&self) -> Decimal {
        self.cost
    }

    /// Which department runs it.
    pub fn owner(&self) -> Department {
        self.owner
    }

    /// Whether it runs in `period`.
    pub fn is_active(&self, period: u32) -> bool {
        self.schedule.is_active(period)
    }
}

/// Builder of an [`Engagement`]: by-value setters, validated by
/// [`build`](Self::build).
#[derive(Debug, Clone)]
pub struct EngagementBuilder {
    kind: EngagementKind,
    channel: Channel,
    topics: Vec<Topic>,
    target: Target,
    schedule: Schedule,
    cost: Decimal,
    owner: Department,
}

impl EngagementBuilder {
    /// Sets the content topics (duplicates are removed, first occurrence kept).
    #[must_use]
    pub fn topics<T: Into<Topic>>(mut self, topics: impl IntoIterator<Item = T>) -> Self {
        self.topics = topics.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the target.
    #[must_use]
    pub fn target(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    /// Sets the schedule.
    #[must_use]
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Runs once, in `period`.
    #[must_use]
    pub fn period(self, period: u32) -> Self {
        self.schedule(Schedule::once(period))
    }

    /// Sets the cost of one run.
    #[must_use]
    pub fn cost(mut self, cost: Decimal) -> Self {
        self.cost = cost;
        self
    }

    /// Sets the owning department.
    #[must_use]
    pub fn owner(mut self, owner: Department) -> Self {
        self.owner = owner;
        self
    }

    /// Checks and builds the engagement.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] with field `engagement.cost` when the cost is
    /// negative.
    pub fn build(mut self) -> Result<Engagement> {
        if self.cost.is_sign_negative() && !self.cost.is_zero() {
            return Err(Error::invalid(
                "engagement.cost",
                format!("{} is negative; a cost must be >= 0", self.cost),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        self.topics.retain(|t| seen.insert(t.clone()));
        Ok(Engagement {
            kind: self.kind,
            channel: self.channel,
            topics: self.topics,
            target: self.target,
            schedule: self.schedule,
            cost: self.cost,
            owner: self.owner,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_rejects_zero_spacing_and_end_before_start() {
        let err = Schedule::every(0, 0).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { ref field, .. } if field == "schedule.every")
        );
        let err = Schedule::every(5, 1).unwrap().until(4).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { ref field, .. } if field == "schedule.until")
        );
    }

    #[test]
    fn negative_cost_is_rejected_naming_the_field() {
        let err = Engagement::builder(EngagementKind::Discount, Channel::Email)
            .cost(Decimal::new(-1, 2))
            .build()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { ref field, .. } if field == "engagement.cost")
        );
    }

    #[test]
    fn duplicate_topics_are_removed() {
        let e = Engagement::builder(EngagementKind::RelevantContent, Channel::Blog)
            .topics(["a", "b", "a"])
            .build()
            .unwrap();
        assert_eq!(e.topics(), &[Topic::new("a"), Topic::new("b")]);
    }

    #[test]
    fn target_matching() {
        let ann = CustomerId::from("ann");
        let smb = Profile {
            segment: Some(Segment::new("smb")),
            ..Profile::default()
        };
        assert!(Target::Everyone.matches(&ann, &Profile::default()));
        assert!(Target::Customer(ann.clone()).matches(&ann, &smb));
        assert!(!Target::Customer("bob".into()).matches(&ann, &smb));
        assert!(Target::Segment("smb".into()).matches(&ann, &smb));
        assert!(!Target::Segment("smb".into()).matches(&ann, &Profile::default()));
    }
}
