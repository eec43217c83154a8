//! [`CustomerBook::forget`]: erasing a customer (a data subject's right to
//! erasure), and the [`Forgotten`] report of what went.

use serde::Serialize;

use super::{CustomerBook, NONE};
use crate::crm::{Event, Outcome};
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// What [`CustomerBook::forget`] erased.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forgotten {
    /// The customer erased.
    pub customer: CustomerId,
    /// Their own events, erased.
    pub events: usize,
    /// Events of other customers that named them as the counterpart (a
    /// referral they made, a reply to them, a tie from them), erased too.
    pub mentions: usize,
    /// The other customers whose states were recomputed without those
    /// events, in id order.
    pub affected: Vec<CustomerId>,
    /// Ties to or from them, removed from the network.
    pub ties: usize,
}

impl CustomerBook {
    /// Erases customer `id`: their events, their state, their ties, and the
    /// events of others that name them (which are the others' only link to
    /// them), then recomputes the customers those events concerned. Returns
    /// what was erased.
    ///
    /// Nothing of theirs remains: not their id, not their event ids (so a
    /// re-delivered event of theirs would be applied as new: stop the source
    /// first). The outcome [`counts`](Self::counts) of past imports are kept.
    /// A [`DurableBook`](crate::crm::DurableBook) also rewrites its files.
    ///
    /// ```
    /// use social_loop::crm::{CustomerBook, Event, EventId, EventKind};
    /// let at = |s: &str| s.parse::<social_loop::crm::Timestamp>();
    /// let mut book = CustomerBook::new();
    /// book.apply(&Event::new(EventId::new("e1")?, at("2024-03-01T10:00:00Z")?, "ann", EventKind::Purchase));
    /// book.apply(&Event::new(EventId::new("e2")?, at("2024-03-02T10:00:00Z")?, "bob", EventKind::Referral).counterpart("ann"));
    /// book.apply(&Event::new(EventId::new("e3")?, at("2024-03-03T10:00:00Z")?, "bob", EventKind::Purchase));
    /// let gone = book.forget("ann")?;
    /// assert_eq!((gone.events, gone.mentions, gone.ties), (1, 1, 1));
    /// assert_eq!(gone.affected[0].as_str(), "bob");
    /// assert!(!book.contains("ann") && book.event("e2").is_none());
    /// assert_eq!(book.event_count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`]. The book is unchanged on error.
    ///
    /// # Complexity
    /// O(events): the book is rebuilt from the events it keeps.
    pub fn forget(&mut self, id: &str) -> Result<Forgotten> {
        let me = self.number(id)?;
        let ties =
            self.network.out_degree(id).unwrap_or(0) + self.network.in_degree(id).unwrap_or(0);
        let (mut events, mut mentions) = (0, 0);
        let mut affected: Vec<u32> = Vec::new();
        let mut kept: Vec<Event> = Vec::with_capacity(self.store.records.len());
        for (n, r) in self.store.records.iter().enumerate() {
            if r.customer == me {
                events += 1;
            } else if r.counterpart == me && r.counterpart != NONE {
                mentions += 1;
                affected.push(r.customer);
            } else if let Some(event) = self.store.event(n as u32, &self.names) {
                kept.push(event);
            }
        }
        let mut rebuilt = CustomerBook::with_options(self.options);
        let mut failure = None;
        rebuilt.import_each(&kept, |r| {
            if failure.is_none() && !matches!(r.outcome, Outcome::Applied { .. }) {
                failure = Some(r.position);
            }
        });
        if let Some(position) = failure {
            return Err(Error::invalid(
                "book",
                format!("replaying the kept events failed at {position} (a bug)"),
            ));
        }
        rebuilt.counts = self.counts;
        let mut affected: Vec<CustomerId> = affected
            .into_iter()
            .filter_map(|c| self.names.get(c as usize).cloned())
            .collect();
        affected.sort();
        affected.dedup();
        let customer = CustomerId::new(id);
        *self = rebuilt;
        Ok(Forgotten {
            customer,
            events,
            mentions,
            affected,
            ties,
        })
    }
}
