//! Word of mouth in money: who brought whom, and the revenue of the chains.

use serde::{Deserialize, Serialize};

use super::book::{Code, NONE, Revenue};
use super::explain::key_order;
use super::{CustomerBook, EventId, MoneyTotals};
use crate::customer::CustomerId;
use crate::error::Result;

/// What one referrer brought.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralCredit {
    /// The referrer.
    pub referrer: CustomerId,
    /// The customers they referred directly, in referral order.
    pub referred: Vec<CustomerId>,
    /// Net revenue (purchases minus refunds, from each referral on) of the
    /// customers they referred directly, per currency.
    pub direct_revenue: MoneyTotals,
    /// Everyone in their referral tree below them (referred, referred by the
    /// referred, ...).
    pub chain_customers: u64,
    /// Net revenue of their whole referral tree below them, per currency.
    pub chain_revenue: MoneyTotals,
}

/// The referral forest of a book and the revenue it brought.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attribution {
    /// One credit per referrer, by chain size (largest first), then id.
    pub credits: Vec<ReferralCredit>,
    /// Net revenue of every referred customer from their referral on, per
    /// currency: the value of word of mouth (the sum of the direct revenues).
    pub referred_revenue: MoneyTotals,
    /// Referrals not credited because they would close a cycle (`a` referred
    /// by `b` referred by `a`).
    pub cycles_broken: Vec<EventId>,
}

impl CustomerBook {
    /// Attributes revenue through referral chains, in exact decimals.
    ///
    /// * A customer's referrer is the counterpart of their **first** referral
    ///   event (in `(at, id)` order); later referrals of the same customer
    ///   still grow the network but do not move the credit.
    /// * Their revenue from that referral on (purchases minus refunds, per
    ///   currency) is credited to the referrer as *direct* revenue, and to
    ///   every ancestor of the referrer as *chain* revenue. Direct revenues add
    ///   up to [`Attribution::referred_revenue`]; chain revenues overlap by
    ///   design (each ancestor is credited with the whole tree below them).
    /// * Referrals are linked in `(at, id)` order; one that would make a
    ///   customer their own ancestor is not credited and listed in
    ///   [`Attribution::cycles_broken`].
    ///
    /// ```
    /// use social_loop::Decimal;
    /// use social_loop::crm::{Currency, CustomerBook, Event, EventId, EventKind, Money, Timestamp};
    /// let eur = Currency::new("EUR")?;
    /// let at = |day: i64| Timestamp::from_unix_millis(1_709_280_000_000 + day * 86_400_000);
    /// let mut book = CustomerBook::new();
    /// book.apply(&Event::new(EventId::new("r1")?, at(1)?, "bob", EventKind::Referral).counterpart("ann"));
    /// book.apply(&Event::new(EventId::new("r2")?, at(2)?, "cy", EventKind::Referral).counterpart("bob"));
    /// book.apply(&Event::new(EventId::new("p1")?, at(3)?, "cy", EventKind::Purchase)
    ///     .money(Money::new(Decimal::new(1999, 2), eur)));
    /// let credit = book.referral_attribution()?;
    /// let ann = credit.credits.iter().find(|c| c.referrer.as_str() == "ann").ok_or("ann")?;
    /// assert_eq!(ann.chain_customers, 2);
    /// assert_eq!(ann.chain_revenue.get(eur), Decimal::new(1999, 2));
    /// assert!(ann.direct_revenue.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Overflow`](crate::Error::Overflow), impossible within the event
    /// bounds (kept for safety).
    ///
    /// # Complexity
    /// O(events + referred · log referred).
    pub fn referral_attribution(&self) -> Result<Attribution> {
        let store = self.store();
        let people = self.people();
        let names = self.names();
        // (referral event, referrer, referred, revenue from the referral on)
        let mut edges: Vec<(u32, u32, u32, MoneyTotals)> = Vec::new();
        for (c, p) in people.iter().enumerate() {
            let first = p.events.iter().position(|&n| {
                store
                    .record(n)
                    .is_some_and(|r| r.code == Code::Referral && r.counterpart != NONE)
            });
            let Some(i) = first else { continue };
            let mut revenue = Revenue::default();
            for &n in p.events.get(i..).unwrap_or_default() {
                if let Some(r) = store.record(n) {
                    revenue.add(r.code, store.money_of(r))?;
                }
            }
            let n = p.events.get(i).copied().unwrap_or(NONE);
            let referrer = store.record(n).map_or(NONE, |r| r.counterpart);
            edges.push((n, referrer, c as u32, revenue.net));
        }
        edges.sort_by(|a, b| key_order(store, a.0, b.0));
        let count = people.len();
        let mut parent = vec![NONE; count];
        let mut revenue = vec![MoneyTotals::new(); count];
        let mut linked = Vec::new();
        let mut attribution = Attribution::default();
        for (n, referrer, referred, money) in edges {
            if is_ancestor(&parent, referred, referrer) {
                if let Ok(id) = EventId::new(store.ids.resolve(n)) {
                    attribution.cycles_broken.push(id);
                }
                continue;
            }
            if let Some(slot) = parent.get_mut(referred as usize) {
                *slot = referrer;
            }
            attribution.referred_revenue.merge(&money)?;
            if let Some(slot) = revenue.get_mut(referred as usize) {
                *slot = money;
            }
            linked.push(referred);
        }
        // Depths, then subtree sums from the deepest up.
        let depth = depths(&parent);
        linked.sort_by_key(|&v| std::cmp::Reverse(depth.get(v as usize).copied().unwrap_or(0)));
        let mut below = vec![(0u64, MoneyTotals::new()); count];
        let mut credits: Vec<Option<ReferralCredit>> = vec![None; count];
        for &v in &linked {
            let (vi, pi) = (v as usize, parent.get(v as usize).copied().unwrap_or(NONE));
            let own = revenue.get(vi).cloned().unwrap_or_default();
            let (sub_count, mut sub_money) = below.get(vi).cloned().unwrap_or_default();
            sub_money.merge(&own)?;
            let Some(referrer) = names.get(pi as usize) else {
                continue;
            };
            let credit = credits.get_mut(pi as usize).map(|c| {
                c.get_or_insert_with(|| ReferralCredit {
                    referrer: referrer.clone(),
                    referred: Vec::new(),
                    direct_revenue: MoneyTotals::new(),
                    chain_customers: 0,
                    chain_revenue: MoneyTotals::new(),
                })
            });
            if let Some(credit) = credit {
                credit.direct_revenue.merge(&own)?;
                if let Some(name) = names.get(vi) {
                    credit.referred.push(name.clone());
                }
            }
            if let Some((c, m)) = below.get_mut(pi as usize) {
                *c += sub_count + 1;
                m.merge(&sub_money)?;
            }
        }
        for (i, credit) in credits.iter_mut().enumerate() {
            if let (Some(credit), Some((c, m))) = (credit.as_mut(), below.get(i)) {
                credit.chain_customers = *c;
                credit.chain_revenue = m.clone();
            }
        }
        attribution.credits = credits.into_iter().flatten().collect();
        attribution.credits.sort_by(|a, b| {
            b.chain_customers
                .cmp(&a.chain_customers)
                .then_with(|| a.referrer.cmp(&b.referrer))
        });
        Ok(attribution)
    }
}

/// Whether `a` is `b` or an ancestor of `b` in the forest `parent`.
fn is_ancestor(parent: &[u32], a: u32, mut b: u32) -> bool {
    // A forest has no cycle, so the walk ends within `parent.len()` steps.
    for _ in 0..=parent.len() {
        if a == b {
            return true;
        }
        match parent.get(b as usize) {
            Some(&p) if p != NONE => b = p,
            _ => return false,
        }
    }
    false
}

/// The depth of every node of the forest (roots 0).
fn depths(parent: &[u32]) -> Vec<u32> {
    const UNKNOWN: u32 = u32::MAX;
    let mut depth = vec![UNKNOWN; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut v = start as u32;
        while depth.get(v as usize) == Some(&UNKNOWN) {
            path.push(v);
            match parent.get(v as usize) {
                Some(&p) if p != NONE => v = p,
                _ => break,
            }
        }
        let mut d = match depth.get(v as usize) {
            Some(&d) if d != UNKNOWN => d + 1,
            _ => 0,
        };
        while let Some(u) = path.pop() {
            if let Some(slot) = depth.get_mut(u as usize)
                && *slot == UNKNOWN
            {
                *slot = d;
                d += 1;
            }
        }
    }
    depth
}
