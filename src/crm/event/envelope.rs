//! [`Envelope`]: an [`Event`] as it arrives, with its kind still a JSON
//! object, so that the kind's unknown fields can be reported and its errors
//! named by path.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Event, EventChannel, EventId, EventKind, SCHEMA_VERSION, SentimentReading, Source};
use crate::crm::{Money, Timestamp};
use crate::customer::CustomerId;
use crate::error::{Error, Result};

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

/// The wire form of [`Event`]: every `Event` is read through it.
#[derive(Deserialize)]
pub(crate) struct Envelope {
    #[serde(default = "schema_version")]
    schema: u32,
    id: EventId,
    at: Timestamp,
    customer: CustomerId,
    #[serde(default)]
    counterpart: Option<CustomerId>,
    kind: Map<String, Value>,
    #[serde(default)]
    channel: Option<EventChannel>,
    #[serde(default)]
    source: Source,
    #[serde(default)]
    sentiment: Option<SentimentReading>,
    #[serde(default)]
    money: Option<Money>,
}

impl Envelope {
    /// The event, and the JSON paths of the kind's fields it does not know.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] whose field is the JSON path in the kind
    /// (`kind.type`, `kind.score`).
    pub(crate) fn into_event(self) -> Result<(Event, Vec<String>)> {
        let (kind, unknown) = EventKind::from_fields(self.kind)?;
        let event = Event {
            schema: self.schema,
            id: self.id,
            at: self.at,
            customer: self.customer,
            counterpart: self.counterpart,
            kind,
            channel: self.channel,
            source: self.source,
            sentiment: self.sentiment,
            money: self.money,
        };
        Ok((event, unknown))
    }
}

impl TryFrom<Envelope> for Event {
    type Error = Error;

    fn try_from(envelope: Envelope) -> Result<Self> {
        envelope.into_event().map(|(event, _)| event)
    }
}
