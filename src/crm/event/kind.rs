//! [`EventKind`]: what happened, with the payload each kind needs.

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::brand::EngagementKind;
use crate::customer::{LikelihoodToRecommend, Topic};
use crate::error::Error;
use crate::network::Tie;

/// What an [`Event`](super::Event) records. In JSON an object tagged by
/// `type`: `{"type": "nps_response", "score": 9}`.
///
/// Kinds the library does not know are kept as [`EventKind::Other`] with all
/// their fields, not dropped: `{"type": "webinar_attended", "minutes": 42}`
/// reads as `Other { kind: "webinar_attended", fields: {"minutes": 42} }` and
/// writes back the same. A known `type` with a bad payload (an NPS score of
/// 11) is an error, never an `Other`.
///
/// Where a customer relationship is involved, the event's `counterpart` is the
/// other person: the referrer of a referral, the person replied to by a post or
/// review, the influencer of an explicit tie. The
/// [book's rules](super::super::CustomerBook#rules) say what each kind does.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The customer bought (the amount, if any, in the event's `money`).
    Purchase,
    /// The customer was refunded (the amount, positive, in `money`).
    Refund,
    /// The customer was referred by the counterpart (required).
    Referral,
    /// The counterpart (required) spoke against the brand to the customer:
    /// negative word of mouth, the opposite of a referral (for example a
    /// complaint shared with a friend, or a simulation's criticism). It is
    /// not evidence of a tie.
    Criticism,
    /// The customer wrote a review, optionally rated 1 to 5 stars; with a
    /// counterpart it replies to that person's review.
    Review {
        /// Star rating, 1 (worst) to 5 (best).
        rating: Option<u8>,
    },
    /// The customer posted about the brand on social media; with a
    /// counterpart it replies to that person.
    SocialPost,
    /// The customer answered the NPS question ("how likely are you to
    /// recommend us?", 0 to 10).
    NpsResponse {
        /// The answer.
        score: LikelihoodToRecommend,
        /// Whether the answer reports an experience the book has not seen
        /// otherwise (`true`, the default when absent: the book applies it
        /// as one). `false` for an answer that only measures how the
        /// customer feels after the events already recorded (a relationship
        /// survey, or a simulation's answers, see
        /// [`crate::sim::EventOptions`]): it sets the customer's sentiment
        /// and counts in the measured NPS, without a move. In JSON
        /// `"experience": false`, written only when `false`.
        experience: bool,
    },
    /// The customer opened a support ticket.
    TicketOpened {
        /// The ticket's id in the support system.
        ticket: String,
    },
    /// A support ticket of the customer was resolved.
    TicketResolved {
        /// The ticket's id in the support system.
        ticket: String,
    },
    /// A brand [`Engagement`](crate::brand::Engagement) reached the customer.
    EngagementReceived {
        /// The engagement's (campaign's) id in the caller's system.
        engagement: Option<String>,
        /// What kind of engagement it was.
        engagement_kind: Option<EngagementKind>,
        /// Whether it was relevant to the customer (the outcome of the brand's
        /// relevance model, or the CRM's own judgement); `true` when absent.
        relevant: bool,
    },
    /// The customer gave product feedback (its tone in the event's sentiment).
    ProductFeedback {
        /// What it was about.
        topic: Option<Topic>,
    },
    /// The caller's own inactivity job saw no contact for `days` days.
    Inactivity {
        /// Days without contact.
        days: u32,
    },
    /// An explicit influence tie: the counterpart (required) influences the
    /// customer with this strength and sign (for example from a social graph
    /// import). The latest explicit tie of a pair replaces earlier ones.
    Tie {
        /// The tie.
        tie: Tie,
    },
    /// A kind the library does not know, kept with its fields.
    Other {
        /// The `type` as given.
        kind: String,
        /// Every other field of the kind object.
        fields: Map<String, Value>,
    },
}

/// The known kinds, as serde sees them.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Known {
    Purchase,
    Refund,
    Referral,
    Criticism,
    Review {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating: Option<u8>,
    },
    SocialPost,
    NpsResponse {
        score: LikelihoodToRecommend,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        experience: bool,
    },
    TicketOpened {
        ticket: String,
    },
    TicketResolved {
        ticket: String,
    },
    EngagementReceived {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        engagement: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        engagement_kind: Option<EngagementKind>,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        relevant: bool,
    },
    ProductFeedback {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<Topic>,
    },
    Inactivity {
        days: u32,
    },
    Tie {
        #[serde(flatten)]
        tie: Tie,
    },
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl EventKind {
    /// The names of the known kinds, as written in `type`.
    pub const KNOWN: [&'static str; 13] = [
        "purchase",
        "refund",
        "referral",
        "criticism",
        "review",
        "social_post",
        "nps_response",
        "ticket_opened",
        "ticket_resolved",
        "engagement_received",
        "product_feedback",
        "inactivity",
        "tie",
    ];

    /// The kind's name as written in `type` (for [`EventKind::Other`], the
    /// caller's name).
    pub fn name(&self) -> &str {
        match self {
            EventKind::Purchase => "purchase",
            EventKind::Refund => "refund",
            EventKind::Referral => "referral",
            EventKind::Criticism => "criticism",
            EventKind::Review { .. } => "review",
            EventKind::SocialPost => "social_post",
            EventKind::NpsResponse { .. } => "nps_response",
            EventKind::TicketOpened { .. } => "ticket_opened",
            EventKind::TicketResolved { .. } => "ticket_resolved",
            EventKind::EngagementReceived { .. } => "engagement_received",
            EventKind::ProductFeedback { .. } => "product_feedback",
            EventKind::Inactivity { .. } => "inactivity",
            EventKind::Tie { .. } => "tie",
            EventKind::Other { kind, .. } => kind,
        }
    }

    /// The fields a known kind reads besides `type` (empty for other kinds).
    fn fields_of(kind: &str) -> &'static [&'static str] {
        match kind {
            "review" => &["rating"],
            "nps_response" => &["score", "experience"],
            "ticket_opened" | "ticket_resolved" => &["ticket"],
            "engagement_received" => &["engagement", "engagement_kind", "relevant"],
            "product_feedback" => &["topic"],
            "inactivity" => &["days"],
            "tie" => &["probability", "sign"],
            _ => &[],
        }
    }

    /// Reads a kind object (`{"type": "review", "rating": 4}`), returning the
    /// kind and the JSON paths (`kind.x`) of the fields a known kind does not
    /// read. Another kind keeps every field.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `kind.type` (missing, not a string,
    /// empty) or the field of a known kind that is wrong (`kind.score`).
    pub(crate) fn from_fields(
        mut fields: Map<String, Value>,
    ) -> Result<(Self, Vec<String>), Error> {
        let kind = match fields.get("type") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(Error::invalid(
                    "kind.type",
                    format!("must be a string, not {other}"),
                ));
            }
            None => {
                return Err(Error::invalid(
                    "kind.type",
                    "missing: a kind needs a `type`",
                ));
            }
        };
        if EventKind::KNOWN.contains(&kind.as_str()) {
            let read = EventKind::fields_of(&kind);
            let unknown: Vec<String> = fields
                .keys()
                .filter(|k| *k != "type" && !read.contains(&k.as_str()))
                .map(|k| format!("kind.{k}"))
                .collect();
            let known = serde_path_to_error::deserialize::<_, Known>(Value::Object(fields))
                .map_err(|e| {
                    let path = e.path().to_string();
                    let inner = e.into_inner().to_string();
                    // Inside the buffered kind the path is often lost: a
                    // missing or bad field names itself in the message.
                    let field = match path.as_str() {
                        "." | "?" => named_field(&inner)
                            .filter(|f| read.contains(f))
                            .map_or_else(|| "kind".to_string(), |f| format!("kind.{f}")),
                        p => format!("kind.{p}"),
                    };
                    Error::invalid(field, format!("kind `{kind}`: {inner}"))
                })?;
            return Ok((EventKind::from(known), unknown));
        }
        if kind.trim().is_empty() {
            return Err(Error::invalid("kind.type", "must not be empty"));
        }
        fields.remove("type");
        Ok((EventKind::Other { kind, fields }, Vec::new()))
    }

    /// Whether the kind needs the event's counterpart (referral, criticism,
    /// tie).
    pub fn needs_counterpart(&self) -> bool {
        matches!(
            self,
            EventKind::Referral | EventKind::Criticism | EventKind::Tie { .. }
        )
    }

    fn to_known(&self) -> Option<Known> {
        Some(match self.clone() {
            EventKind::Purchase => Known::Purchase,
            EventKind::Refund => Known::Refund,
            EventKind::Referral => Known::Referral,
            EventKind::Criticism => Known::Criticism,
            EventKind::Review { rating } => Known::Review { rating },
            EventKind::SocialPost => Known::SocialPost,
            EventKind::NpsResponse { score, experience } => {
                Known::NpsResponse { score, experience }
            }
            EventKind::TicketOpened { ticket } => Known::TicketOpened { ticket },
            EventKind::TicketResolved { ticket } => Known::TicketResolved { ticket },
            EventKind::EngagementReceived {
                engagement,
                engagement_kind,
                relevant,
            } => Known::EngagementReceived {
                engagement,
                engagement_kind,
                relevant,
            },
            EventKind::ProductFeedback { topic } => Known::ProductFeedback { topic },
            EventKind::Inactivity { days } => Known::Inactivity { days },
            EventKind::Tie { tie } => Known::Tie { tie },
            EventKind::Other { .. } => return None,
        })
    }
}

impl From<Known> for EventKind {
    fn from(k: Known) -> Self {
        match k {
            Known::Purchase => EventKind::Purchase,
            Known::Refund => EventKind::Refund,
            Known::Referral => EventKind::Referral,
            Known::Criticism => EventKind::Criticism,
            Known::Review { rating } => EventKind::Review { rating },
            Known::SocialPost => EventKind::SocialPost,
            Known::NpsResponse { score, experience } => {
                EventKind::NpsResponse { score, experience }
            }
            Known::TicketOpened { ticket } => EventKind::TicketOpened { ticket },
            Known::TicketResolved { ticket } => EventKind::TicketResolved { ticket },
            Known::EngagementReceived {
                engagement,
                engagement_kind,
                relevant,
            } => EventKind::EngagementReceived {
                engagement,
                engagement_kind,
                relevant,
            },
            Known::ProductFeedback { topic } => EventKind::ProductFeedback { topic },
            Known::Inactivity { days } => EventKind::Inactivity { days },
            Known::Tie { tie } => EventKind::Tie { tie },
        }
    }
}

impl Serialize for EventKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.to_known(), self) {
            (Some(known), _) => known.serialize(serializer),
            (None, EventKind::Other { kind, fields }) => {
                let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
                map.serialize_entry("type", kind)?;
                for (k, v) in fields {
                    if k != "type" {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
            (None, _) => Err(serde::ser::Error::custom("unreachable event kind")),
        }
    }
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = Map::<String, Value>::deserialize(deserializer)?;
        EventKind::from_fields(fields)
            .map(|(kind, _)| kind)
            .map_err(D::Error::custom)
    }
}

/// The field a serde message names: "missing field `score`", "unknown
/// variant `x`" name none; "invalid value ... for `score`" is rare.
fn named_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}
