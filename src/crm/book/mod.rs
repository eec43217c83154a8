//! [`CustomerBook`]: the CRM's customers, built from their events.

mod forget;
mod import;
mod options;
mod persist;
mod queries;
mod rules;
mod store;
mod ties;

use std::borrow::Cow;
use std::collections::HashMap;

use super::intern::{FoldState, Lookup};
use super::outcome::{Outcome, OutcomeCounts};
use super::{Event, Timestamp};
use crate::customer::{CustomerId, CustomerState};
use crate::error::{Error, Result};
use crate::network::InfluenceNetwork;

pub use forget::Forgotten;
use import::Hint;
pub(crate) use options::unknown_kind;
pub use options::{BookOptions, IdPolicy};
pub use queries::{BookNps, Revenue};
pub(crate) use rules::{Effect, effect, replay, voice_score};
pub(crate) use store::{Code, NONE, Store, Stored};

/// One customer: their state and their events in `(at, id)` order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Person {
    pub state: CustomerState,
    /// The occurred-at of their latest event (meaningless without events).
    pub last_at: i64,
    pub events: Vec<u32>,
    /// Their state waits for a replay (a late event arrived during a batch).
    pub dirty: bool,
}

/// The customers of a CRM, built from the events it records: where each
/// customer is and why, who influences whom, and what word of mouth is worth.
///
/// # Guarantees
/// * **Idempotent**: an event whose id was applied before is ignored and
///   counted as a duplicate ([`Outcome::Duplicate`]); if its content differs
///   from the first (10.00, then 1000.00), it is a conflict
///   ([`Outcome::Conflict`] naming the fields) and the first is kept.
/// * **Order-independent**: a customer's events are applied in
///   `(occurred-at, event id)` order, whatever the order they arrive in, so the
///   same set of events gives the same book. An event that arrives after a
///   later event of the same customer is inserted in its place and the
///   customer's state is recomputed from their first event.
/// * **All or nothing per record**: a record that fails [`Event::validate`] or
///   the [options](BookOptions) (time window, strictness, id hygiene) is
///   rejected with the reason and changes nothing (its id is not even
///   remembered, so a corrected record with the same id is accepted later).
/// * **Exact money, per currency**: amounts are `Decimal`s within the bounds of
///   [`MAX_MAGNITUDE`](super::MAX_MAGNITUDE), so every total is exact; totals are
///   kept per currency ([`MoneyTotals`](super::MoneyTotals)), never mixed.
///
/// # Rules
///
/// Each event becomes a cause of the one lifecycle
/// [transition table](crate::customer::TRANSITIONS) for its customer, and every
/// matching rule fires (these are real events, not simulated draws):
///
/// | event kind | cause for the customer | also |
/// |---|---|---|
/// | `purchase` | purchase | revenue (`money`, not negative) |
/// | `refund` | complaint (sales) | refund (`money`, not negative) |
/// | `referral` | positive word of mouth from the counterpart | tie counterpart → customer; the first referral names the customer's referrer |
/// | `review`, `social_post` | experience of the quality of the tone: sentiment `±confidence`, else stars `(stars − 3) / 2`, through [`ExperienceQuality::from_score`](crate::customer::ExperienceQuality::from_score); exposure when neither is known | with a counterpart, tie counterpart → customer (a reply) |
/// | `criticism` | negative word of mouth from the counterpart | |
/// | `nps_response` | experience: 9-10 delighted, 7-8 satisfied, 4-6 disappointed, 0-3 outraged (none with `experience: false`); then the sentiment is set to the answer | the measured NPS |
/// | `ticket_opened` | complaint (customer service) | the ticket is open until resolved |
/// | `ticket_resolved` | service recovery | closes the ticket |
/// | `engagement_received` | `listen`: none; `conversation`, `service_recovery`: service recovery; otherwise an engagement, relevant or not | |
/// | `product_feedback` | experience (product) of the quality of the sentiment; none without one | |
/// | `inactivity` | no contact for `days` | |
/// | `tie` | none | explicit tie counterpart → customer (the latest replaces earlier ones) |
/// | other kinds | none | kept with their fields |
///
/// A tie from `r` referrals and `q` replies has probability
/// `1 − (1 − p_referral)^r (1 − p_reply)^q` (see [`BookOptions`]).
///
/// # Cost
/// Applying an event in time order for its customer is O(1) expected (a few
/// hash lookups and one step of the state machine, no allocation once the
/// arrays have grown). A late event costs O(k) for a customer with k events
/// (an insertion and a replay of k steps); a batch ([`import`](Self::import))
/// replays each customer at most once, at its end, and looks 32 records ahead
/// so that their cache misses overlap: about a million events per second on
/// one thread for a book of 100,000 customers. Memory: about 100 bytes per
/// event plus its id's bytes, and about 150 bytes per customer (measured
/// figures in `BENCHMARKS.md`).
///
/// ```
/// use social_loop::Stage;
/// use social_loop::crm::{CustomerBook, Event, EventId, EventKind, Outcome};
/// let at = |s: &str| s.parse::<social_loop::crm::Timestamp>();
/// let mut book = CustomerBook::new();
/// let buy = Event::new(EventId::new("e1")?, at("2024-03-01T10:00:00Z")?, "ann", EventKind::Purchase);
/// let seen = Event::new(EventId::new("e0")?, at("2024-02-01T10:00:00Z")?, "ann", EventKind::SocialPost);
/// assert_eq!(book.apply(&buy), Outcome::Applied { late: false });
/// assert_eq!(book.apply(&seen), Outcome::Applied { late: true }); // earlier, arrived later
/// assert_eq!(book.apply(&buy), Outcome::Duplicate);
/// assert_eq!(book.stage("ann")?, Stage::Customer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CustomerBook {
    options: BookOptions,
    store: Store,
    names: Vec<CustomerId>,
    people: Vec<Person>,
    index: HashMap<CustomerId, u32, FoldState>,
    network: InfluenceNetwork,
    relations: ties::Relations,
    latest: Option<i64>,
    counts: OutcomeCounts,
    dirty: Vec<u32>,
}

impl CustomerBook {
    /// An empty book with the default options.
    pub fn new() -> Self {
        CustomerBook::default()
    }

    /// An empty book.
    pub fn with_options(options: BookOptions) -> Self {
        CustomerBook {
            options,
            ..CustomerBook::default()
        }
    }

    /// The options.
    pub fn options(&self) -> BookOptions {
        self.options
    }

    /// Applies one event (see the [guarantees](Self#guarantees)).
    ///
    /// # Complexity
    /// O(1) expected in time order; O(k) for a late event of a customer with k
    /// events.
    pub fn apply(&mut self, event: &Event) -> Outcome {
        let outcome = self.insert(event, Hint::default(), false);
        self.counts.add(&outcome);
        outcome
    }

    /// Applies one record, with what a look-ahead found about it; with
    /// `defer`, a late event marks its customer for a replay by
    /// [`settle`](Self::settle) instead of replaying now.
    fn insert(&mut self, event: &Event, hint: Hint, defer: bool) -> Outcome {
        let id = event.id.as_str();
        let found = match hint.tag {
            Some(tag) => self.store.ids.lookup_tagged(id, tag),
            None => self.store.lookup_id(id),
        };
        let tag = match found {
            Lookup::Found(n) => return self.repeat(n, event),
            Lookup::Vacant(tag) => tag,
        };
        let admitted = match self.options.admit(event) {
            Ok(admitted) => admitted,
            Err(reason) => return import::rejected(reason),
        };
        // Trimmed ids are other ids than the look-ahead saw.
        let hint = match admitted {
            Cow::Borrowed(_) => hint,
            Cow::Owned(_) => Hint::default(),
        };
        let event = admitted.as_ref();
        if let Err(reason) = event.validate() {
            return import::rejected(reason);
        }
        if !self.store.has_room() || self.names.len() + 2 >= store::MAX_EVENTS {
            return import::rejected(Error::invalid(
                "id",
                format!("the book is full ({} events)", self.store.records.len()),
            ));
        }
        // Validated: nothing below can fail.
        let customer = match hint.customer {
            Some(c) => c,
            None => self.person(&event.customer),
        };
        let counterpart = match (hint.counterpart, &event.counterpart) {
            (_, None) => NONE,
            (Some(c), Some(_)) => c,
            (None, Some(c)) => self.person(c),
        };
        let n = self.store.push(event, tag, customer, counterpart);
        let at = event.at.unix_millis();
        self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        let Some(record) = self.store.record(n).copied() else {
            return Outcome::Applied { late: false };
        };
        if counterpart != NONE {
            self.relations.record(
                n,
                &record,
                &self.store,
                &self.names,
                &mut self.network,
                self.options.referral_tie_probability(),
                self.options.reply_tie_probability(),
            );
        }
        let late = self.place(customer, n, &record, defer);
        Outcome::Applied { late }
    }

    /// The outcome of a record whose id is that of applied event `n`: a
    /// duplicate when its content is the same, else a conflict naming the
    /// fields that differ (the book keeps event `n`).
    fn repeat(&self, n: u32, event: &Event) -> Outcome {
        let event = self.options.admit(event).unwrap_or(Cow::Borrowed(event));
        let Some(first) = self.store.event(n, &self.names) else {
            return Outcome::Duplicate;
        };
        let fields = first.differences(&event);
        if fields.is_empty() {
            Outcome::Duplicate
        } else {
            Outcome::Conflict { fields }
        }
    }

    /// The number of customer `id`, adding them when new.
    fn person(&mut self, id: &CustomerId) -> u32 {
        if let Some(&n) = self.index.get(id.as_str()) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(id.clone());
        self.people.push(Person::default());
        self.index.insert(id.clone(), n);
        n
    }

    /// Puts event `n` of `customer` in its place and updates their state.
    /// Returns whether it was late.
    fn place(&mut self, customer: u32, n: u32, record: &Stored, defer: bool) -> bool {
        let store = &self.store;
        let Some(p) = self.people.get_mut(customer as usize) else {
            return false;
        };
        let in_order = match p.events.last() {
            None => true,
            Some(_) if record.at > p.last_at => true,
            Some(&last) => store.precedes(last, n),
        };
        p.last_at = if p.events.is_empty() {
            record.at
        } else {
            p.last_at.max(record.at)
        };
        if in_order {
            p.events.push(n);
            if !p.dirty {
                rules::step(&mut p.state, record, (p.events.len() - 1) as u32);
            }
            return false;
        }
        let at = p.events.partition_point(|&e| store.precedes(e, n));
        p.events.insert(at, n);
        if defer {
            if !p.dirty {
                p.dirty = true;
                self.dirty.push(customer);
            }
        } else {
            p.state = replay(store, &p.events, |_, _, _, _| {});
        }
        true
    }

    /// Replays every customer marked by a deferred late event.
    fn settle(&mut self) {
        for c in std::mem::take(&mut self.dirty) {
            if let Some(p) = self.people.get_mut(c as usize) {
                p.state = replay(&self.store, &p.events, |_, _, _, _| {});
                p.dirty = false;
            }
        }
    }

    /// Releases the spare capacity of every array and table (after a large
    /// import, when few events are expected for a while).
    ///
    /// # Complexity
    /// O(customers + events).
    pub fn shrink_to_fit(&mut self) {
        self.store.shrink_to_fit();
        for p in &mut self.people {
            p.events.shrink_to_fit();
        }
        self.people.shrink_to_fit();
        self.names.shrink_to_fit();
        self.index.shrink_to_fit();
        self.dirty.shrink_to_fit();
    }

    /// Counts of every outcome so far.
    pub fn counts(&self) -> OutcomeCounts {
        self.counts
    }

    /// Number of customers (including those known only as a counterpart).
    pub fn customer_count(&self) -> usize {
        self.names.len()
    }

    /// Number of events applied.
    pub fn event_count(&self) -> usize {
        self.store.records.len()
    }

    /// The latest occurred-at of any applied event (`None` when empty): the
    /// book's "now" for explanations unless the caller gave one
    /// ([`BookOptions::now`], [`ExplainOptions::as_of`](super::ExplainOptions::as_of)).
    /// The time window keeps it within a day of "now".
    pub fn latest(&self) -> Option<Timestamp> {
        self.latest
            .and_then(|l| Timestamp::from_unix_millis(l).ok())
    }

    /// Whether event `id` was applied.
    pub fn contains_event(&self, id: &str) -> bool {
        self.store.ids.get(id).is_some()
    }

    /// Whether customer `id` is in the book.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    pub(crate) fn number(&self, id: &str) -> Result<u32> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))
    }

    pub(crate) fn person_of(&self, id: &str) -> Result<&Person> {
        let n = self.number(id)?;
        self.people
            .get(n as usize)
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))
    }

    /// Heap bytes held by the book (capacities of its arrays and tables;
    /// hash tables estimated from their capacity), excluding the influence
    /// network's petgraph storage and the text of customer ids.
    pub fn heap_bytes(&self) -> usize {
        let events: usize = self.people.iter().map(|p| p.events.capacity() * 4).sum();
        self.store.heap_bytes()
            + events
            + self.people.capacity() * std::mem::size_of::<Person>()
            + self.names.capacity() * std::mem::size_of::<CustomerId>()
            + self.index.capacity() * (std::mem::size_of::<(CustomerId, u32)>() + 1)
            + self.relations.heap_bytes()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn names(&self) -> &[CustomerId] {
        &self.names
    }

    pub(crate) fn people(&self) -> &[Person] {
        &self.people
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<CustomerBook>();
    }
}
