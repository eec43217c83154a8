//! [`Explanation`]: where a customer is, every move that brought them there
//! with the events and rules behind it, and the factors for and against.

mod build;
mod describe;

use std::fmt;

use serde::{Deserialize, Serialize};

use super::event::Source;
use super::{EventId, Timestamp};
use crate::cev::{CustomerEngagementValue, EngagementValues};
use crate::customer::{CustomerId, LikelihoodToRecommend, NpsClass, RuleId, Stage, Transition};

pub(crate) use describe::key_order;

/// Settings of [`CustomerBook::explain`](crate::crm::CustomerBook::explain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainOptions {
    as_of: Option<Timestamp>,
    quiet_days: u32,
    evidence: usize,
}

impl Default for ExplainOptions {
    /// As of the caller's [`BookOptions::now`](crate::crm::BookOptions::now)
    /// when given, else the book's latest event; silence of 90 days or more is a factor;
    /// at most 20 event ids of evidence per factor.
    fn default() -> Self {
        ExplainOptions {
            as_of: None,
            quiet_days: 90,
            evidence: 20,
        }
    }
}

impl ExplainOptions {
    /// Explain as of `at` instead of the book's latest event: only the events
    /// that occurred by `at` are replayed (the stage, moves, factors and NPS
    /// are those of that instant), and ages of open tickets and silence are
    /// counted to `at`. Give the caller's "now" here for ages to today.
    #[must_use]
    pub fn as_of(mut self, at: Timestamp) -> Self {
        self.as_of = Some(at);
        self
    }

    /// How many days without any event make "no contact" a factor.
    #[must_use]
    pub fn quiet_days(mut self, days: u32) -> Self {
        self.quiet_days = days;
        self
    }

    /// At most this many event ids listed as the evidence of one factor.
    #[must_use]
    pub fn evidence(mut self, ids: usize) -> Self {
        self.evidence = ids;
        self
    }
}

/// One stage move with everything that explains it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainedMove {
    /// When the event that caused it occurred.
    pub at: Timestamp,
    /// From, to, the customer's event ordinal as the period, and the cause.
    pub transition: Transition,
    /// The row of the transition table that fired, serialised by its name
    /// (`customer+experience_outraged`).
    pub rule: RuleId,
    /// How the event became the cause (`nps_response 2 -> outraged experience`).
    pub because: String,
    /// The event that caused the move, then any event it refers to (the
    /// opening of a resolved ticket).
    pub events: Vec<EventId>,
    /// Who recorded the causing event.
    pub source: Source,
}

impl fmt::Display for ExplainedMove {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.events.iter().map(EventId::as_str).collect();
        write!(
            f,
            "{}  {} -> {}  by rule {} on {} ({}) from {}",
            self.at,
            self.transition.from,
            self.transition.to,
            self.rule,
            ids.join(" + "),
            self.because,
            self.source
        )
    }
}

/// Whether a factor speaks for or against the brand.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorSign {
    /// For: it makes the customer more valuable or more loyal.
    Positive,
    /// Against.
    Negative,
}

/// One signed contributing factor, with the events behind it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// For or against.
    pub sign: FactorSign,
    /// What it is, readable (`two referrals made (bob, cy)`).
    pub text: String,
    /// The events behind it (at most the configured number).
    pub events: Vec<EventId>,
    /// How many of the customer's stage moves its events made.
    pub moves: usize,
    /// Whether it holds the event that made the current stage (the last move).
    pub decisive: bool,
}

impl fmt::Display for Factor {
    /// `+ two referrals made (bob, cy)` or `- unresolved ticket T-9 for 21 days`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.sign {
            FactorSign::Positive => '+',
            FactorSign::Negative => '-',
        };
        write!(f, "{sign} {}", self.text)
    }
}

/// The customer's NPS: their latest answer when they gave one, else the
/// likelihood to recommend modelled from their sentiment.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsView {
    /// The class of the answer, or of the modelled likelihood.
    pub class: NpsClass,
    /// The latest answer, if any.
    pub answer: Option<LikelihoodToRecommend>,
    /// The event of that answer.
    pub answered_in: Option<EventId>,
    /// The likelihood to recommend modelled from the current sentiment.
    pub modelled: LikelihoodToRecommend,
}

/// Everything the book knows about why a customer is where they are.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The customer.
    pub customer: CustomerId,
    /// Their stage as of [`as_of`](Self::as_of).
    pub stage: Stage,
    /// Whether they had bought by then.
    pub ever_bought: bool,
    /// The instant the explanation is computed at: the given "as of", else the
    /// book's "now" ([`BookOptions::now`](crate::crm::BookOptions::now)), else
    /// its latest event.
    pub as_of: Option<Timestamp>,
    /// Their events by then.
    pub events: usize,
    /// Their first and latest event.
    pub seen: Option<[Timestamp; 2]>,
    /// Every move, oldest first.
    pub moves: Vec<ExplainedMove>,
    /// Their NPS.
    pub nps: NpsView,
    /// Signed contributing factors, weighed: the [decisive](Factor::decisive)
    /// one first, then those on the side of the current stage (negatives for
    /// an adversary or a lapsed customer, positives otherwise), each side by
    /// the [moves](Factor::moves) its events made.
    pub factors: Vec<Factor>,
    /// Their engagement value, one per currency they have one in, with the
    /// parts it comes from: empty unless attached by
    /// [`with_engagement`](Self::with_engagement) (the book's explanation
    /// replays events; the values need the fitted models).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub engagement: Vec<CustomerEngagementValue>,
}

impl Explanation {
    /// This explanation with the customer's entries of `values` (from
    /// [`CustomerBook::engagement_values`](crate::crm::CustomerBook::engagement_values)):
    /// their CEV in each currency and which part of it comes from where
    /// (their own purchases, their referrals, their word of mouth, their
    /// feedback), shown by [`Display`](fmt::Display) under
    /// `engagement value:`.
    ///
    /// ```
    /// use social_loop::cev::EngagementOptions;
    /// use social_loop::clv::ValueOptions;
    /// use social_loop::crm::{BookValueOptions, CustomerBook, ExplainOptions, SyntheticCrm};
    /// let mut book = CustomerBook::new();
    /// book.import(&SyntheticCrm::new(400).seed(1).events()?);
    /// let options = EngagementOptions::default()
    ///     .value(BookValueOptions::default().value(ValueOptions::default().draws(20)));
    /// let values = book.engagement_values(&options)?;
    /// let best = values.customers[0].customer.clone();
    /// let why = book.explain(best.as_str(), ExplainOptions::default())?.with_engagement(&values);
    /// assert_eq!(why.engagement[0], values.customers[0]);
    /// assert!(why.to_string().contains(&format!("engagement value (CLV: own purchases, ")));
    /// assert!(why.to_string().contains(&values.customers[0].to_string()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_engagement(mut self, values: &EngagementValues) -> Self {
        self.engagement = values
            .customers
            .iter()
            .filter(|c| c.customer == self.customer)
            .cloned()
            .collect();
        self
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} is {} ({} events{})",
            self.customer,
            self.stage,
            self.events,
            match self.seen {
                Some([a, b]) => format!(", {a} to {b}"),
                None => String::new(),
            }
        )?;
        let class = match self.nps.class {
            NpsClass::Promoter => "promoter",
            NpsClass::Passive => "passive",
            NpsClass::Detractor => "detractor",
        };
        match self.nps.answer {
            Some(a) => writeln!(
                f,
                "NPS: {class}, answered {} in {}",
                a.get(),
                self.nps.answered_in.as_ref().map_or("?", EventId::as_str)
            )?,
            None => writeln!(
                f,
                "NPS: {class} (modelled likelihood {}, never answered)",
                self.nps.modelled.get()
            )?,
        }
        writeln!(f, "moves:")?;
        if self.moves.is_empty() {
            writeln!(f, "  (none: still {})", self.stage)?;
        }
        for m in &self.moves {
            writeln!(f, "  {m}")?;
        }
        writeln!(f, "factors:")?;
        for factor in &self.factors {
            writeln!(f, "  {factor}")?;
        }
        if !self.engagement.is_empty() {
            writeln!(
                f,
                "engagement value (CLV: own purchases, CRV: customers referred, \
                 CIV: word of mouth's reach, CKV: product feedback):"
            )?;
        }
        for value in &self.engagement {
            writeln!(f, "  {value}")?;
        }
        Ok(())
    }
}
