//! [`Actor`] and [`ValueKind`]: who created a unit of value, and how.

use serde::{Deserialize, Serialize};

/// Who created (or spent) a unit of value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// What kind of value an entry records.
///
/// # Actors and signs
///
/// Amounts are signed as they change the company's value: **gains are
/// positive, costs are negative** (one column, so that any total is a plain sum
/// and an actor's total is their net contribution). The ledger rejects an
/// entry whose sign does not match its kind (zero is allowed for both).
///
/// | kind | actor | sign | what it is |
/// |---|---|---|---|
/// | `purchase` | customer | + | a sale the customer made on their own |
/// | `referral_sale` | customer | + | a sale won by a customer's word of mouth, credited to the referrer |
/// | `product_feedback` | customer | + | the estimated value of feedback that reached the business |
/// | `refund` | customer | - | money given back to a customer |
/// | `engagement_cost` | brand | - | what an engagement cost |
/// | `engagement_return` | brand | + | a sale caused by a brand engagement |
/// | `change_cost` | business | - | what a change of process, behaviour, policy or product cost |
/// | `change_return` | business | + | a sale or saving caused by a business change |
///
/// # Attribution: every unit of value is recorded once
///
/// A sale is one entry, under the actor whose action caused it: `purchase`
/// when the customer bought on their own, `referral_sale` when word of mouth
/// triggered it, `engagement_return` when a brand engagement did,
/// `change_return` when a business change did. So no sale is counted twice,
/// the ledger's grand total is the net value created, and the actor totals
/// say who created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A sale the customer made on their own.
    Purchase,
    /// A sale won by a customer's word of mouth, credited to the referrer.
    ReferralSale,
    /// The estimated value of a customer's product feedback.
    ProductFeedback,
    /// Money given back to a customer (negative).
    Refund,
    /// What a brand engagement cost (negative).
    EngagementCost,
    /// A sale caused by a brand engagement.
    EngagementReturn,
    /// What a business change cost (negative).
    ChangeCost,
    /// A sale or saving caused by a business change.
    ChangeReturn,
}

/// Number of [`ValueKind`]s.
pub const KIND_COUNT: usize = 8;

impl ValueKind {
    /// Every kind, grouped by actor.
    pub const ALL: [ValueKind; KIND_COUNT] = [
        ValueKind::Purchase,
        ValueKind::ReferralSale,
        ValueKind::ProductFeedback,
        ValueKind::Refund,
        ValueKind::EngagementCost,
        ValueKind::EngagementReturn,
        ValueKind::ChangeCost,
        ValueKind::ChangeReturn,
    ];

    /// Position in [`ValueKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The actor the kind belongs to.
    pub fn actor(self) -> Actor {
        match self {
            ValueKind::Purchase
            | ValueKind::ReferralSale
            | ValueKind::ProductFeedback
            | ValueKind::Refund => Actor::Customer,
            ValueKind::EngagementCost | ValueKind::EngagementReturn => Actor::Brand,
            ValueKind::ChangeCost | ValueKind::ChangeReturn => Actor::Business,
        }
    }

    /// Whether amounts of this kind are costs (recorded as negative amounts).
    pub fn is_cost(self) -> bool {
        matches!(
            self,
            ValueKind::Refund | ValueKind::EngagementCost | ValueKind::ChangeCost
        )
    }

    /// The kind's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::Purchase => "purchase",
            ValueKind::ReferralSale => "referral_sale",
            ValueKind::ProductFeedback => "product_feedback",
            ValueKind::Refund => "refund",
            ValueKind::EngagementCost => "engagement_cost",
            ValueKind::EngagementReturn => "engagement_return",
            ValueKind::ChangeCost => "change_cost",
            ValueKind::ChangeReturn => "change_return",
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
    fn every_actor_has_a_cost_and_a_gain() {
        for actor in Actor::ALL {
            let kinds: Vec<_> = ValueKind::ALL
                .iter()
                .filter(|k| k.actor() == actor)
                .collect();
            assert!(kinds.iter().any(|k| k.is_cost()), "{actor}");
            assert!(kinds.iter().any(|k| !k.is_cost()), "{actor}");
        }
    }
}
