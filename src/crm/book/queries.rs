//! What the book answers: states, stages, funnel, NPS, revenue and events.

use serde::{Deserialize, Serialize};

use super::{Code, CustomerBook};
use crate::crm::{Event, Money, MoneyTotals};
use crate::customer::{
    CustomerId, CustomerState, LikelihoodToRecommend, NpsTally, Stage, StageCounts,
};
use crate::error::Result;
use crate::funnel::FunnelSnapshot;
use crate::network::InfluenceNetwork;

impl CustomerBook {
    /// Customer `id`'s lifecycle state.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`](crate::Error::UnknownCustomer).
    pub fn state(&self, id: &str) -> Result<CustomerState> {
        Ok(self.person_of(id)?.state)
    }

    /// Customer `id`'s stage.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`](crate::Error::UnknownCustomer).
    pub fn stage(&self, id: &str) -> Result<Stage> {
        Ok(self.state(id)?.stage())
    }

    /// Every customer with their state, in order of first appearance.
    pub fn customers(&self) -> impl Iterator<Item = (&CustomerId, CustomerState)> {
        self.names.iter().zip(self.people.iter().map(|p| p.state))
    }

    /// Number of customers in each stage.
    ///
    /// # Complexity
    /// O(customers).
    pub fn stage_counts(&self) -> StageCounts {
        let mut counts = StageCounts::default();
        for p in &self.people {
            counts[p.state.stage()] += 1;
        }
        counts
    }

    /// The funnel now: every customer counted in each funnel stage they have
    /// reached.
    pub fn funnel(&self) -> FunnelSnapshot {
        FunnelSnapshot::from_stages(
            self.people
                .iter()
                .map(|p| (p.state.stage(), p.state.ever_bought())),
        )
    }

    /// The Net Promoter Score two ways: `measured` counts each customer's
    /// latest NPS answer (customers who never answered are not counted);
    /// `modelled` counts every customer's likelihood to recommend as the state
    /// machine reads it from their sentiment.
    ///
    /// # Complexity
    /// O(events) for the measured tally, O(customers) for the modelled one.
    pub fn nps(&self) -> BookNps {
        let mut nps = BookNps::default();
        for p in &self.people {
            nps.modelled.add(p.state.likelihood_to_recommend());
            let last = p.events.iter().rev().find_map(|&n| {
                self.store
                    .record(n)
                    .filter(|r| r.code == Code::Nps)
                    .map(|r| r.aux)
            });
            if let Some(answer) = last.and_then(|a| LikelihoodToRecommend::new(a).ok()) {
                nps.measured.add(answer);
            }
        }
        nps
    }

    /// Purchases, refunds and net revenue, per currency.
    ///
    /// # Errors
    /// [`Error::Overflow`](crate::Error::Overflow) (impossible within the event bounds, kept for safety).
    ///
    /// # Complexity
    /// O(events).
    pub fn revenue(&self) -> Result<Revenue> {
        let mut revenue = Revenue::default();
        for r in &self.store.records {
            revenue.add(r.code, self.store.money_of(r))?;
        }
        Ok(revenue)
    }

    /// Customer `id`'s purchases, refunds and net revenue, per currency.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`](crate::Error::UnknownCustomer); [`Error::Overflow`](crate::Error::Overflow) as [`revenue`](Self::revenue).
    pub fn revenue_of(&self, id: &str) -> Result<Revenue> {
        let mut revenue = Revenue::default();
        for &n in &self.person_of(id)?.events {
            if let Some(r) = self.store.record(n) {
                revenue.add(r.code, self.store.money_of(r))?;
            }
        }
        Ok(revenue)
    }

    /// The influence network grown from relationship events (only customers
    /// with at least one tie are in it).
    pub fn network(&self) -> &InfluenceNetwork {
        &self.network
    }

    /// Number of ordered customer pairs with relationship evidence.
    pub fn relationship_count(&self) -> usize {
        self.relations.len()
    }

    /// The customers who gave product feedback on `topic` (before `before`),
    /// with their number of such events, in order of first appearance.
    ///
    /// # Complexity
    /// O(events).
    pub(crate) fn feedback_on(
        &self,
        topic: &str,
        before: Option<crate::crm::Timestamp>,
    ) -> Vec<(CustomerId, u64)> {
        let limit = before.map_or(i64::MAX, |t| t.unix_millis());
        let mut out = Vec::new();
        for (person, name) in self.people.iter().zip(&self.names) {
            let n = person
                .events
                .iter()
                .filter_map(|&e| self.store.record(e))
                .filter(|r| {
                    r.code == Code::Feedback
                        && r.at < limit
                        && self.store.string(r.payload) == Some(topic)
                })
                .count() as u64;
            if n > 0 {
                out.push((name.clone(), n));
            }
        }
        out
    }

    /// Event `id` as it was applied.
    pub fn event(&self, id: &str) -> Option<Event> {
        let n = self.store.ids.get(id)?;
        self.store.event(n, &self.names)
    }

    /// Every applied event, in order of application.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.store.records.len() as u32).filter_map(|n| self.store.event(n, &self.names))
    }

    /// Customer `id`'s events in `(at, id)` order.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`](crate::Error::UnknownCustomer).
    pub fn events_of(&self, id: &str) -> Result<Vec<Event>> {
        Ok(self
            .person_of(id)?
            .events
            .iter()
            .filter_map(|&n| self.store.event(n, &self.names))
            .collect())
    }
}

/// The NPS of a book, measured and modelled (see [`CustomerBook::nps`]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BookNps {
    /// Latest answers of the customers who answered.
    pub measured: NpsTally,
    /// Every customer's likelihood to recommend, as modelled from sentiment.
    pub modelled: NpsTally,
}

/// Purchases, refunds and net revenue, each per currency.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Revenue {
    /// Sum of purchase amounts.
    pub purchases: MoneyTotals,
    /// Sum of refund amounts (positive).
    pub refunds: MoneyTotals,
    /// Purchases minus refunds.
    pub net: MoneyTotals,
}

impl Revenue {
    pub(crate) fn add(&mut self, code: Code, money: Option<Money>) -> Result<()> {
        let Some(m) = money else { return Ok(()) };
        match code {
            Code::Purchase => {
                self.purchases.add(m)?;
                self.net.add(m)
            }
            Code::Refund => {
                self.refunds.add(m)?;
                self.net.add(Money::new(-m.amount, m.currency))
            }
            _ => Ok(()),
        }
    }
}
