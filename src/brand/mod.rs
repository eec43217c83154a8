//! The social brand: engagements (listening, relevant content, discounts,
//! conversations, service recovery, advocacy programmes), the relevance model and
//! who owns social media inside the company.
//!
//! "The social brand creates value by listening and engaging (relevant content,
//! discounts, real conversations)." This module types those acts:
//!
//! - [`Engagement`]: one act of the brand, with its [`EngagementKind`], channel,
//!   topics, [`Target`], [`Schedule`], cost and owning [`Department`]; an
//!   [`EngagementPlan`] holds them all.
//! - [`RelevanceModel`]: right content x right time x right channel x right
//!   customer, a product of four factors so that one wrong factor sinks relevance.
//! - [`Ownership`]: siloed, co-op, or agency with a hand-over plan; its
//!   [`OwnershipEffects`] set consistency of experience, reach of feedback into the
//!   business, a relevance multiplier and a coordination overhead, period by period.
//!
//! | essay idea | mechanic |
//! |---|---|
//! | "the right content, at the right time, in the right channel to the right customer" | [`RelevanceModel`]: product of four factors |
//! | "it's one thing to listen ... something entirely different to do something about it" | [`EngagementKind::Listen`] feeds the backlog only through [`Ownership::feedback_reach`] |
//! | "the customer does not see silos, they see the company as one" | [`Ownership::consistency`]: an inconsistent experience disappoints |
//! | "built more efficiently through shared knowledge" (co-op) | higher co-op [`Ownership::relevance_factor`] and reach, at a [`Ownership::coordination_overhead`] |
//! | an agency "can never know the ins and outs of a business"; "plan for the transition" | agency relevance decays geometrically; `hand_over_period` ramps to in-house levels |

mod engagement;
mod ownership;
mod plan;
mod relevance;

pub use engagement::{Department, Engagement, EngagementBuilder, EngagementKind, Schedule, Target};
pub use ownership::{
    AgencyEffects, InHouse, InHouseEffects, Ownership, OwnershipEffects, PeriodEffects,
};
pub use plan::EngagementPlan;
pub use relevance::{RelevanceFactors, RelevanceModel};
