//! [`Actor`] and [`ValueKind`]: who created a unit of value, and how.

use serde::{Deserialize, Serialize};

/// One of the three actors of the loop.
///
/// In the cash book ([`Ledger`](super::Ledger)) an actor is an **account**: who
/// paid or was paid (customers pay for what they buy; the brand pays for
/// engagements, referral rewards and agencies; the business pays for changes).
/// Who *created* value is another question, answered by counterfactual runs:
/// [`Attribution`](crate::sim::Attribution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Actor {
    /// The social customer: buys, sells for the brand by word of mouth, gives
    /// product feedback.
    Customer,
    /// The social brand: listens and engages.
    Brand,
    /// The social business: changes itself on what customers say.
    Business,
}

impl Actor {
    /// Every actor.
    pub const ALL: [Actor; 3] = [Actor::Customer, Actor::Brand, Actor::Business];

    /// Position in [`Actor::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The actor's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            Actor::Customer => "customer",
            Actor::Brand => "brand",
            Actor::Business => "business",
        }
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a line of the cash book records: money received or paid.
///
/// # Accounts and signs
///
/// Amounts are signed as they change the company's cash: **receipts are
/// positive, payments negative** (one column, so that any total is a plain sum).
/// The ledger rejects an entry whose sign does not match its kind (zero is
/// allowed for both).
///
/// | kind | account | sign | what it is |
/// |---|---|---|---|
/// | `sale` | customer | + | the price a customer paid (after any discount) |
/// | `cost_of_sales` | customer | - | what the goods or service sold cost: `unit price x (1 - gross margin)` a sale |
/// | `refund` | customer | - | money given back to a customer |
/// | `engagement_cost` | brand | - | what one run of an engagement cost, with the ownership's coordination overhead |
/// | `referral_reward` | brand | - | a reward paid to a referrer for a referral sale |
/// | `agency_fee` | brand | - | an agency's fee for running social media, per period until the hand-over |
/// | `change_cost` | business | - | what a change of process, behaviour, policy or product cost |
///
/// # The cash book says who paid, not who created value
///
/// A sale is booked as a sale whoever brought the customer: a referral sale, a
/// discounted sale and a sale after a business change look alike here. The value
/// each actor *created* is what changes when its contributions are switched
/// off, on the same random numbers: see [`Attribution`](crate::sim::Attribution).
/// (Value is the margin, `sale + cost_of_sales`, net of the other payments;
/// product feedback has no money value of its own.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueKind {
    /// The price a customer paid.
    Sale,
    /// What the goods or service sold cost (negative).
    CostOfSales,
    /// Money given back to a customer (negative).
    Refund,
    /// What a brand engagement cost (negative).
    EngagementCost,
    /// A reward paid to a referrer (negative).
    ReferralReward,
    /// An agency's fee (negative).
    AgencyFee,
    /// What a business change cost (negative).
    ChangeCost,
}

/// Number of [`ValueKind`]s.
pub const KIND_COUNT: usize = 7;

impl ValueKind {
    /// Every kind, grouped by account.
    pub const ALL: [ValueKind; KIND_COUNT] = [
        ValueKind::Sale,
        ValueKind::CostOfSales,
        ValueKind::Refund,
        ValueKind::EngagementCost,
        ValueKind::ReferralReward,
        ValueKind::AgencyFee,
        ValueKind::ChangeCost,
    ];

    /// Position in [`ValueKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The account the kind belongs to: who paid or was paid.
    pub fn actor(self) -> Actor {
        match self {
            ValueKind::Sale | ValueKind::CostOfSales | ValueKind::Refund => Actor::Customer,
            ValueKind::EngagementCost | ValueKind::ReferralReward | ValueKind::AgencyFee => {
                Actor::Brand
            }
            ValueKind::ChangeCost => Actor::Business,
        }
    }

    /// Whether amounts of this kind are payments (recorded as negative amounts).
    pub fn is_cost(self) -> bool {
        !matches!(self, ValueKind::Sale)
    }

    /// The kind's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::Sale => "sale",
            ValueKind::CostOfSales => "cost_of_sales",
            ValueKind::Refund => "refund",
            ValueKind::EngagementCost => "engagement_cost",
            ValueKind::ReferralReward => "referral_reward",
            ValueKind::AgencyFee => "agency_fee",
            ValueKind::ChangeCost => "change_cost",
        }
    }
}

impl std::fmt::Display for ValueKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_match_the_all_arrays() {
        for (i, k) in ValueKind::ALL.iter().enumerate() {
            assert_eq!(k.index(), i);
        }
        for (i, a) in Actor::ALL.iter().enumerate() {
            assert_eq!(a.index(), i);
        }
    }

    #[test]
    fn every_account_pays_and_only_customers_pay_in() {
        for actor in Actor::ALL {
            let kinds: Vec<_> = ValueKind::ALL
                .iter()
                .filter(|k| k.actor() == actor)
                .collect();
            assert!(kinds.iter().any(|k| k.is_cost()), "{actor}");
            let receipts = kinds.iter().any(|k| !k.is_cost());
            assert_eq!(receipts, actor == Actor::Customer, "{actor}");
        }
    }
}
