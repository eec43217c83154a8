//! The compact form of an applied event ([`Stored`], 48 bytes) and the
//! tables its strings and payloads live in ([`Store`]).

use serde_json::{Map, Value};

use super::super::event::{EventChannel, EventKind, Polarity, SentimentReading, Source};
use super::super::intern::{Interner, Lookup};
use super::super::{Event, EventId, Money, Timestamp};
use crate::brand::EngagementKind;
use crate::customer::{Channel, CustomerId, LikelihoodToRecommend, Topic};
use crate::network::Tie;
use crate::probability::Probability;

/// "No value" in a `u32` field.
pub(crate) const NONE: u32 = u32::MAX;

/// At most this many events (and interned strings) in one book.
pub(crate) const MAX_EVENTS: usize = (u32::MAX - 64) as usize;

/// The kind of a stored event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Code {
    Purchase,
    Refund,
    Referral,
    Review,
    SocialPost,
    Nps,
    TicketOpened,
    TicketResolved,
    Engagement,
    Feedback,
    Inactivity,
    Tie,
    Other,
    Criticism,
}

/// One applied event, without its id (the id's number in [`Store::ids`] is
/// the record's position in [`Store::records`]).
///
/// `payload` holds, by kind: the ticket, engagement or topic string number,
/// the days of inactivity, the index of a tie or of an other-kind payload.
/// `aux` holds the star rating, the NPS score or the engagement kind + 1;
/// `aux2` whether an engagement was relevant, or 1 for an NPS answer that
/// is not an experience.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stored {
    pub at: i64,
    pub confidence: f64,
    pub customer: u32,
    pub counterpart: u32,
    pub payload: u32,
    pub money: u32,
    pub system: u32,
    pub actor: u32,
    /// 0 none, `1..=10` a [`Channel`], `11 + n` the other name numbered `n`.
    pub channel: u32,
    pub code: Code,
    /// 0 none, `1 + index` in [`Polarity::ALL`].
    pub polarity: u8,
    pub aux: u8,
    pub aux2: u8,
}

impl Stored {
    /// The sentiment reading, if any.
    pub(crate) fn sentiment(&self) -> Option<SentimentReading> {
        let polarity = Polarity::ALL.get(usize::from(self.polarity).checked_sub(1)?)?;
        Some(SentimentReading::new(
            *polarity,
            Probability::saturating(self.confidence),
        ))
    }

    /// The library channel, if the event has one.
    pub(crate) fn known_channel(&self) -> Option<Channel> {
        let i = (self.channel as usize).checked_sub(1)?;
        Channel::ALL.get(i).copied()
    }

    /// The engagement kind of an engagement event.
    pub(crate) fn engagement_kind(&self) -> Option<EngagementKind> {
        EngagementKind::ALL
            .get(usize::from(self.aux).checked_sub(1)?)
            .copied()
    }
}

const CHANNEL_OTHER_BASE: u32 = 1 + Channel::ALL.len() as u32;

/// Every applied event and the tables behind them.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    /// Event ids, numbered in order of application.
    pub ids: Interner,
    /// The events, by number.
    pub records: Vec<Stored>,
    /// Tickets, systems, actors, engagement ids, topics, channel and kind names.
    pub strings: Interner,
    pub money: Vec<Money>,
    pub ties: Vec<Tie>,
    pub others: Vec<(u32, Map<String, Value>)>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            ids: Interner::new(),
            records: Vec::new(),
            strings: Interner::new(),
            money: Vec::new(),
            ties: Vec::new(),
            others: Vec::new(),
        }
    }
}

impl Store {
    /// Releases spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.strings.shrink_to_fit();
        self.records.shrink_to_fit();
        self.money.shrink_to_fit();
        self.ties.shrink_to_fit();
        self.others.shrink_to_fit();
    }

    /// Whether the store can take one more event.
    pub(crate) fn has_room(&self) -> bool {
        self.ids.len() < MAX_EVENTS && self.strings.len() + 8 < MAX_EVENTS
    }

    /// The event's `(at, id)` ordering key, compared in full.
    pub(crate) fn precedes(&self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.record(a), self.record(b));
        match ra.map(|r| r.at).cmp(&rb.map(|r| r.at)) {
            std::cmp::Ordering::Equal => self.ids.resolve(a) < self.ids.resolve(b),
            o => o == std::cmp::Ordering::Less,
        }
    }

    pub(crate) fn record(&self, n: u32) -> Option<&Stored> {
        self.records.get(n as usize)
    }

    fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.strings.intern(s))
    }

    /// Stores a validated `event` of customer `customer` (and `counterpart`)
    /// whose id lookup returned `tag`; returns its number.
    pub(crate) fn push(&mut self, event: &Event, tag: u32, customer: u32, counterpart: u32) -> u32 {
        let (mut payload, mut aux, mut aux2) = (NONE, 0u8, 0u8);
        let code = match &event.kind {
            EventKind::Purchase => Code::Purchase,
            EventKind::Refund => Code::Refund,
            EventKind::Referral => Code::Referral,
            EventKind::Review { rating } => {
                aux = rating.unwrap_or(0);
                Code::Review
            }
            EventKind::SocialPost => Code::SocialPost,
            EventKind::Criticism => Code::Criticism,
            EventKind::NpsResponse { score, experience } => {
                aux = score.get();
                aux2 = u8::from(!*experience);
                Code::Nps
            }
            EventKind::TicketOpened { ticket } => {
                payload = self.strings.intern(ticket);
                Code::TicketOpened
            }
            EventKind::TicketResolved { ticket } => {
                payload = self.strings.intern(ticket);
                Code::TicketResolved
            }
            EventKind::EngagementReceived {
                engagement,
                engagement_kind,
                relevant,
            } => {
                payload = self.intern_opt(engagement.as_deref());
                aux = engagement_kind.map_or(0, |k| {
                    let i = EngagementKind::ALL
                        .iter()
                        .position(|x| *x == k)
                        .unwrap_or(0);
                    i as u8 + 1
                });
                aux2 = u8::from(*relevant);
                Code::Engagement
            }
            EventKind::ProductFeedback { topic } => {
                payload = self.intern_opt(topic.as_ref().map(Topic::as_str));
                Code::Feedback
            }
            EventKind::Inactivity { days } => {
                payload = *days;
                Code::Inactivity
            }
            EventKind::Tie { tie } => {
                payload = self.ties.len() as u32;
                self.ties.push(*tie);
                Code::Tie
            }
            EventKind::Other { kind, fields } => {
                let name = self.strings.intern(kind);
                payload = self.others.len() as u32;
                self.others.push((name, fields.clone()));
                Code::Other
            }
        };
        let channel = match &event.channel {
            None => 0,
            Some(EventChannel::Known(c)) => {
                1 + Channel::ALL.iter().position(|x| x == c).unwrap_or(0) as u32
            }
            Some(EventChannel::Other(name)) => CHANNEL_OTHER_BASE + self.strings.intern(name),
        };
        let (polarity, confidence) = match event.sentiment {
            Some(r) => {
                let i = Polarity::ALL
                    .iter()
                    .position(|p| *p == r.polarity)
                    .unwrap_or(0);
                (i as u8 + 1, r.confidence.get())
            }
            None => (0, 0.0),
        };
        let money = match event.money {
            Some(m) => {
                self.money.push(m);
                (self.money.len() - 1) as u32
            }
            None => NONE,
        };
        let system = self.strings.intern(&event.source.system);
        let actor = self.intern_opt(event.source.actor.as_deref());
        let n = self.ids.insert_vacant(event.id.as_str(), tag);
        self.records.push(Stored {
            at: event.at.unix_millis(),
            confidence,
            customer,
            counterpart,
            payload,
            money,
            system,
            actor,
            channel,
            code,
            polarity,
            aux,
            aux2,
        });
        n
    }

    /// Looks an event id up.
    pub(crate) fn lookup_id(&self, id: &str) -> Lookup {
        self.ids.lookup(id)
    }

    /// The string numbered `n`, or `None` for [`NONE`].
    pub(crate) fn string(&self, n: u32) -> Option<&str> {
        (n != NONE).then(|| self.strings.resolve(n))
    }

    /// The money of an event.
    pub(crate) fn money_of(&self, r: &Stored) -> Option<Money> {
        self.money.get(r.money as usize).copied()
    }

    /// The event numbered `n` as the caller gave it (`None` for a number not
    /// handed out). `customers` resolves customer numbers.
    pub(crate) fn event(&self, n: u32, customers: &[CustomerId]) -> Option<Event> {
        let r = self.record(n)?;
        let id = EventId::new(self.ids.resolve(n)).ok()?;
        let at = Timestamp::from_unix_millis(r.at).ok()?;
        let text = |k: u32| self.string(k).map(str::to_string);
        let kind = match r.code {
            Code::Purchase => EventKind::Purchase,
            Code::Refund => EventKind::Refund,
            Code::Referral => EventKind::Referral,
            Code::Review => EventKind::Review {
                rating: (r.aux != 0).then_some(r.aux),
            },
            Code::SocialPost => EventKind::SocialPost,
            Code::Criticism => EventKind::Criticism,
            Code::Nps => EventKind::NpsResponse {
                score: LikelihoodToRecommend::new(r.aux).ok()?,
                experience: r.aux2 == 0,
            },
            Code::TicketOpened => EventKind::TicketOpened {
                ticket: text(r.payload)?,
            },
            Code::TicketResolved => EventKind::TicketResolved {
                ticket: text(r.payload)?,
            },
            Code::Engagement => EventKind::EngagementReceived {
                engagement: text(r.payload),
                engagement_kind: r.engagement_kind(),
                relevant: r.aux2 != 0,
            },
            Code::Feedback => EventKind::ProductFeedback {
                topic: self.string(r.payload).map(Topic::new),
            },
            Code::Inactivity => EventKind::Inactivity { days: r.payload },
            Code::Tie => EventKind::Tie {
                tie: *self.ties.get(r.payload as usize)?,
            },
            Code::Other => {
                let (name, fields) = self.others.get(r.payload as usize)?;
                EventKind::Other {
                    kind: self.strings.resolve(*name).to_string(),
                    fields: fields.clone(),
                }
            }
        };
        let channel = match r.channel {
            0 => None,
            c if c < CHANNEL_OTHER_BASE => r.known_channel().map(EventChannel::Known),
            c => Some(EventChannel::Other(
                self.strings.resolve(c - CHANNEL_OTHER_BASE).to_string(),
            )),
        };
        let mut source = Source::new(self.strings.resolve(r.system));
        source.actor = text(r.actor);
        let mut event =
            Event::new(id, at, customers.get(r.customer as usize)?.clone(), kind).source(source);
        event.counterpart = customers.get(r.counterpart as usize).cloned();
        event.channel = channel;
        event.sentiment = r.sentiment();
        event.money = self.money_of(r);
        Some(event)
    }

    /// Heap bytes in use (capacities).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes()
            + self.strings.heap_bytes()
            + self.records.capacity() * std::mem::size_of::<Stored>()
            + self.money.capacity() * std::mem::size_of::<Money>()
            + self.ties.capacity() * std::mem::size_of::<Tie>()
            + self.others.capacity() * std::mem::size_of::<(u32, Map<String, Value>)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_is_48_bytes() {
        assert_eq!(std::mem::size_of::<Stored>(), 48);
    }
}
