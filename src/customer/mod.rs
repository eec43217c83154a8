//! The social customer: identity, lifecycle stage, sentiment and the audit trail
//! of every move.

mod id;
mod stage;

pub use id::CustomerId;
pub use stage::Stage;
