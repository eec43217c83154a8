//! # social_loop
//!
//! The value loop between the **social customer**, the **brand** and the
//! **business**, on an **influence network**: typed lifecycle states with an audit
//! trail, diffusion models with honest uncertainty, funnel estimates, and an
//! exact-decimal ledger of who created which value.
//!
//! ```
//! use social_loop::network::InfluenceNetwork;
//! let net = InfluenceNetwork::from_triples([("ann", "bob", 0.5), ("bob", "cy", 0.5)])?;
//! assert_eq!(net.customer_count(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod brand;
pub mod business;
pub mod crm;
pub mod customer;
pub mod error;
pub mod funnel;
pub mod network;
mod probability;
pub mod progress;
pub mod propagation;
pub mod sim;
pub mod sweep;
pub mod targeting;
pub mod value;

pub use customer::{CustomerId, Stage};
pub use error::{Error, Result};
pub use funnel::FunnelStage;
pub use probability::Probability;
pub use rust_decimal::Decimal;
