//! The social customer: identity, lifecycle stage, sentiment and the audit trail
//! of every move.
//!
//! * [`Stage`]: where a customer is (unaware ... advocate, adversary, lapsed).
//! * [`Cause`]: what happened to them (an experience, word of mouth, an
//!   engagement, a purchase, a complaint, time without contact, service recovery).
//! * [`TRANSITIONS`]: the one table of moves a cause can produce, in both
//!   directions; [`next_stage`] reads it.
//! * [`CustomerState`] (16 bytes, for millions of customers) and [`Journey`]
//!   (state plus [`AuditTrail`], for a CRM): apply causes, ask [`why`](Journey::why).
//! * [`Sentiment`], [`LikelihoodToRecommend`], [`NpsClass`] and [`NpsTally`]: how
//!   customers feel, and the Net Promoter Score of a population.
//!
//! Probabilities are not part of the table: a simulation draws against
//! [`TransitionProbabilities`] with [`CustomerState::apply_if`]; a CRM applying
//! real events uses [`CustomerState::apply`] (every matching rule fires).
//!
//! *Influencer* is not a stage and not a follower count: it is a role computed
//! from the influence network (expected reach) by the propagation engine's
//! [`InfluencerRanking`](crate::propagation::InfluencerRanking).

mod cause;
mod id;
mod journey;
mod nps;
mod per_stage;
mod probabilities;
mod profile;
mod sentiment;
mod stage;
mod table;
mod transition;

pub use cause::{Cause, Experience, ExperienceQuality, Touchpoint, Trigger, Valence};
pub use id::CustomerId;
pub use journey::{AuditTrail, CustomerState, Journey};
pub use nps::{NpsTally, nps};
pub use per_stage::{PerStage, StageCounts};
pub use probabilities::TransitionProbabilities;
pub use profile::{Channel, Profile, Segment, Topic};
pub use sentiment::{LikelihoodToRecommend, NpsClass, Sentiment};
pub use stage::Stage;
pub use table::{Condition, RULE_COUNT, Rule, RuleId, TRANSITIONS, next_stage};
pub use transition::{Move, Transition};
