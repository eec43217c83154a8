//! The social customer: identity, lifecycle stage, sentiment and the audit trail
//! of every move.

mod id;
mod profile;
mod stage;

pub use id::CustomerId;
pub use profile::{Channel, Profile, Segment, Topic};
pub use stage::Stage;
