//! The event envelope: [`Event`] and its parts.

mod envelope;
mod kind;

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

pub(crate) use envelope::Envelope;
pub use kind::EventKind;

use super::{Money, Timestamp};
use crate::customer::{Channel, CustomerId};
use crate::error::{Error, Result};
use crate::probability::Probability;

/// The version of the event envelope this library writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The longest id (event, customer, ticket, engagement, source, kind name)
/// accepted, in bytes.
pub const MAX_ID_BYTES: usize = 256;

/// One thing that happened, as a CRM records it: the envelope of every event
/// the [`CustomerBook`](super::CustomerBook) reads. One JSON object per line in
/// a JSON Lines file:
///
/// ```json
/// {"schema":1,"id":"evt-0042","at":"2024-03-01T12:00:00Z","customer":"crm-17",
///  "kind":{"type":"purchase"},"channel":"email","source":{"system":"shop","actor":"checkout"},
///  "money":{"amount":"49.99","currency":"EUR"}}
/// ```
///
/// * `schema` is [`SCHEMA_VERSION`] (written always; `1` when absent).
/// * `id` is the event's identity: a second record with the same id is a
///   duplicate (a retried webhook), whatever its content.
/// * `at` is when it happened (RFC 3339 or Unix milliseconds, see
///   [`Timestamp`]); events are applied in `(at, id)` order, whatever the order
///   they arrive in.
/// * `counterpart` is the other customer of a relationship (the referrer, the
///   person replied to, the influencer of a tie).
/// * `sentiment` is the tone of what the customer said (reviews, posts,
///   feedback), `money` the amount and currency of a purchase or refund.
/// * Unknown fields are ignored by serde, so newer producers can add fields;
///   the [`CustomerBook`](super::CustomerBook)'s JSON Lines import reports each
///   as a warning (or rejects it in strict mode).
/// * Every text id (event, customer, ticket, source, ...) is non-empty, at most
///   [`MAX_ID_BYTES`] bytes, without leading or trailing white space, control
///   characters (NUL, tab, new line), bidirectional controls (U+202E) or
///   zero-width characters (U+200B), so that what looks like one id is one id.
///
/// ```
/// use social_loop::crm::{Event, EventId, EventKind};
/// let line = r#"{"id":"e1","at":"2024-03-01T12:00:00Z","customer":"ann","kind":{"type":"referral"},"counterpart":"bob"}"#;
/// let event: Event = serde_json::from_str(line)?;
/// assert_eq!(event.kind, EventKind::Referral);
/// assert_eq!(event.counterpart.as_ref().map(|c| c.as_str()), Some("bob"));
/// event.validate()?;
/// let built = Event::new(EventId::new("e1")?, "2024-03-01T12:00:00Z".parse()?, "ann", EventKind::Referral)
///     .counterpart("bob");
/// assert_eq!(built, event);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Envelope")]
pub struct Event {
    /// Envelope version, [`SCHEMA_VERSION`].
    pub schema: u32,
    /// The event's unique id in the caller's systems.
    pub id: EventId,
    /// When it happened.
    pub at: Timestamp,
    /// Whom it concerns.
    pub customer: CustomerId,
    /// The other customer of a relationship, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<CustomerId>,
    /// What happened.
    pub kind: EventKind,
    /// Through which channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<EventChannel>,
    /// Which system (and who in it) recorded the event.
    #[serde(default)]
    pub source: Source,
    /// The tone of what the customer said, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<SentimentReading>,
    /// The amount of a purchase, refund, feedback value or engagement cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
}

impl Event {
    /// An event with no counterpart, channel, sentiment or money, from an
    /// unspecified source.
    pub fn new(
        id: EventId,
        at: Timestamp,
        customer: impl Into<CustomerId>,
        kind: EventKind,
    ) -> Self {
        Event {
            schema: SCHEMA_VERSION,
            id,
            at,
            customer: customer.into(),
            counterpart: None,
            kind,
            channel: None,
            source: Source::default(),
            sentiment: None,
            money: None,
        }
    }

    /// The same event with `counterpart`.
    #[must_use]
    pub fn counterpart(mut self, counterpart: impl Into<CustomerId>) -> Self {
        self.counterpart = Some(counterpart.into());
        self
    }

    /// The same event through `channel`.
    #[must_use]
    pub fn channel(mut self, channel: impl Into<EventChannel>) -> Self {
        self.channel = Some(channel.into());
        self
    }

    /// The same event from `source`.
    #[must_use]
    pub fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// The same event with a sentiment reading.
    #[must_use]
    pub fn sentiment(mut self, sentiment: SentimentReading) -> Self {
        self.sentiment = Some(sentiment);
        self
    }

    /// The same event with an amount.
    #[must_use]
    pub fn money(mut self, money: Money) -> Self {
        self.money = Some(money);
        self
    }

    /// The top-level fields in which `other` differs from this event (for a
    /// record whose id is known with other content).
    pub(crate) fn differences(&self, other: &Event) -> Vec<&'static str> {
        let mut fields = Vec::new();
        let mut differ = |differs: bool, field: &'static str| {
            if differs {
                fields.push(field);
            }
        };
        differ(self.schema != other.schema, "schema");
        differ(self.at != other.at, "at");
        differ(self.customer != other.customer, "customer");
        differ(self.counterpart != other.counterpart, "counterpart");
        differ(self.kind != other.kind, "kind");
        differ(self.channel != other.channel, "channel");
        differ(self.source != other.source, "source");
        differ(self.sentiment != other.sentiment, "sentiment");
        differ(self.money != other.money, "money");
        fields
    }

    /// Checks everything the types cannot: the schema version, id lengths,
    /// a counterpart where the kind needs one and not the customer themselves,
    /// a star rating in 1..=5, money within the event bounds and not negative
    /// for a purchase or refund.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field (`schema`, `customer`,
    /// `counterpart`, `kind.rating`, `kind.ticket`, `kind.engagement`,
    /// `kind.type`, `source.system`, `source.actor`, `channel`, `money.amount`);
    /// [`Error::SelfLoop`] when the counterpart is the customer.
    pub fn validate(&self) -> Result<()> {
        if self.schema != SCHEMA_VERSION {
            return Err(Error::invalid(
                "schema",
                format!(
                    "version {} is not supported (this library reads {SCHEMA_VERSION})",
                    self.schema
                ),
            ));
        }
        check_text("customer", self.customer.as_str())?;
        if let Some(c) = &self.counterpart {
            check_text("counterpart", c.as_str())?;
            if *c == self.customer {
                return Err(Error::SelfLoop(c.clone()));
            }
        } else if self.kind.needs_counterpart() {
            return Err(Error::invalid(
                "counterpart",
                format!("a `{}` event needs a counterpart", self.kind.name()),
            ));
        }
        match &self.kind {
            EventKind::Review {
                rating: Some(r @ (0 | 6..)),
            } => {
                return Err(Error::invalid(
                    "kind.rating",
                    format!("{r} stars: a rating is 1 to 5"),
                ));
            }
            EventKind::TicketOpened { ticket } | EventKind::TicketResolved { ticket } => {
                check_text("kind.ticket", ticket)?;
            }
            EventKind::EngagementReceived {
                engagement: Some(e),
                ..
            } => check_text("kind.engagement", e)?,
            EventKind::ProductFeedback { topic: Some(t) } => check_text("kind.topic", t.as_str())?,
            EventKind::Other { kind, .. } => check_text("kind.type", kind)?,
            _ => {}
        }
        check_text("source.system", &self.source.system)?;
        if let Some(actor) = &self.source.actor {
            check_text("source.actor", actor)?;
        }
        if let Some(EventChannel::Other(name)) = &self.channel {
            check_text("channel", name)?;
        }
        if let Some(money) = &self.money {
            money.check_event_bounds()?;
            let needs_sign = matches!(self.kind, EventKind::Purchase | EventKind::Refund);
            // `-0.00` too: a sign that says the producer got it wrong.
            if needs_sign && money.amount.is_sign_negative() {
                return Err(Error::invalid(
                    "money.amount",
                    format!(
                        "{money}: the amount of a {} is given as a positive number",
                        self.kind.name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Non-empty, at most [`MAX_ID_BYTES`] bytes, no surrounding white space and
/// no character that hides or disguises text (see [`Event`]).
fn check_text(field: &'static str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if text.len() > MAX_ID_BYTES {
        return Err(Error::invalid(
            field,
            format!("{} bytes; at most {MAX_ID_BYTES} are accepted", text.len()),
        ));
    }
    if text.trim().len() != text.len() {
        return Err(Error::invalid(
            field,
            format!("`{text}` has leading or trailing white space"),
        ));
    }
    if let Some(c) = text.chars().find(|&c| hides_text(c)) {
        return Err(Error::invalid(
            field,
            format!(
                "contains U+{:04X}, a control, bidirectional or zero-width character",
                u32::from(c)
            ),
        ));
    }
    Ok(())
}

/// Control characters (NUL, tab, new line, DEL, C1), bidirectional controls
/// (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) and
/// zero-width characters (U+200B to U+200D, U+2060, U+FEFF).
fn hides_text(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// An event's unique id: non-empty, at most [`MAX_ID_BYTES`] bytes, with no
/// surrounding white space and no control, bidirectional or zero-width
/// character.
///
/// ```
/// use social_loop::crm::EventId;
/// assert_eq!(EventId::new("evt-1")?.as_str(), "evt-1");
/// assert!(EventId::new("").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventId(String);

impl EventId {
    /// Validates `id`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `id`) when it is empty (or only
    /// spaces), longer than [`MAX_ID_BYTES`], has leading or trailing white
    /// space or a character that hides text.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        check_text("id", &id)?;
        Ok(EventId(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EventId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        EventId::new(s)
    }
}

impl From<EventId> for String {
    fn from(id: EventId) -> String {
        id.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which system recorded an event, and who in it (an agent, a job, an
/// integration). Kept for every event, so that each move can be traced to
/// its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// The system (`shop`, `zendesk`, `survey`).
    pub system: String,
    /// Who in it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

impl Source {
    /// The source `system`, no actor.
    pub fn new(system: impl Into<String>) -> Self {
        Source {
            system: system.into(),
            actor: None,
        }
    }

    /// The same source with `actor`.
    #[must_use]
    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into());
        self
    }
}

impl Default for Source {
    /// System `unspecified`, no actor.
    fn default() -> Self {
        Source::new("unspecified")
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.actor {
            Some(a) => write!(f, "{}/{a}", self.system),
            None => f.write_str(&self.system),
        }
    }
}

/// The polarity of a sentiment reading.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// For the brand.
    Positive,
    /// Neither for nor against.
    Neutral,
    /// Against the brand.
    Negative,
    /// Both for and against.
    Mixed,
}

impl Polarity {
    /// Every polarity.
    pub const ALL: [Polarity; 4] = [
        Polarity::Positive,
        Polarity::Neutral,
        Polarity::Negative,
        Polarity::Mixed,
    ];

    /// The polarity's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Neutral => "neutral",
            Polarity::Negative => "negative",
            Polarity::Mixed => "mixed",
        }
    }
}

fn certain() -> Probability {
    Probability::ONE
}

/// The tone of what a customer said, as a sentiment analysis (or a person)
/// read it: a polarity and the confidence in it (1 when absent).
///
/// ```
/// use social_loop::Probability;
/// use social_loop::crm::{Polarity, SentimentReading};
/// let r = SentimentReading::new(Polarity::Negative, Probability::new(0.8)?);
/// assert_eq!(r.score(), -0.8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SentimentReading {
    /// For, against, neither or both.
    pub polarity: Polarity,
    /// How sure the reading is, in `[0, 1]`.
    #[serde(default = "certain")]
    pub confidence: Probability,
}

impl SentimentReading {
    /// A reading.
    pub fn new(polarity: Polarity, confidence: Probability) -> Self {
        SentimentReading {
            polarity,
            confidence,
        }
    }

    /// The signed score in `[-1, 1]`: `+confidence` when positive,
    /// `-confidence` when negative, `0` when neutral or mixed.
    pub fn score(&self) -> f64 {
        match self.polarity {
            Polarity::Positive => self.confidence.get(),
            Polarity::Negative => -self.confidence.get(),
            Polarity::Neutral | Polarity::Mixed => 0.0,
        }
    }
}

/// The channel of an event: one of the library's [`Channel`]s, or any other
/// name the CRM uses (kept as given). In JSON a string (`"email"`, `"web"`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum EventChannel {
    /// A channel the library models.
    Known(Channel),
    /// Another channel (`web`, `sms`), kept by name.
    Other(String),
}

impl From<Channel> for EventChannel {
    fn from(c: Channel) -> Self {
        EventChannel::Known(c)
    }
}

impl EventChannel {
    /// The library's channel, when it is one.
    pub fn known(&self) -> Option<Channel> {
        match self {
            EventChannel::Known(c) => Some(*c),
            EventChannel::Other(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for EventChannel {
    /// A string: a library channel by its name, any other name as
    /// [`EventChannel::Other`]; anything else is an error that says so.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct ChannelVisitor;
        impl Visitor<'_> for ChannelVisitor {
            type Value = EventChannel;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a channel name (a string such as \"email\" or \"web\")")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<EventChannel, E> {
                use serde::de::IntoDeserializer;
                let known: std::result::Result<Channel, E> =
                    Channel::deserialize(v.into_deserializer());
                Ok(match known {
                    Ok(c) => EventChannel::Known(c),
                    Err(_) => EventChannel::Other(v.to_string()),
                })
            }
        }
        deserializer.deserialize_str(ChannelVisitor)
    }
}
