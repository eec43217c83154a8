//! The social business: changes to process, behaviour, policy and product driven by
//! what customers say, and the feedback backlog that triggers them.
//!
//! "The social business creates value by implementing change internally." The loop
//! here: customers' feedback and what the brand hears by listening go into a
//! [`FeedbackBacklog`] (only the share that reaches the business: see
//! [`Ownership::feedback_reach`](crate::brand::Ownership::feedback_reach)); a
//! [`ChangePolicy`] turns enough of it into a [`Change`]; the [`ChangeLog`] says
//! which changes are in effect and how much they cut the probability of a bad
//! experience, which is what customers feel. [`Business`] holds the three together.

mod backlog;
mod change;
mod log;
mod policy;
mod state;

pub use backlog::{FeedbackBacklog, FeedbackItem, FeedbackKind, FeedbackSource};
pub use change::{Change, ChangeBuilder, ChangeKind};
pub use log::ChangeLog;
pub use policy::ChangePolicy;
pub use state::Business;
