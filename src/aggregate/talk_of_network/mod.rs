//! "Talk of the network" (Goldenberg, Libai and Muller, 2001, *Marketing
//! Letters* 12:3): word of mouth through strong ties (one's personal network)
//! and weak ties (random meetings with acquaintances), and which of the two
//! speeds up the diffusion of a new product more.
//!
//! * [`informing_probability`]: the individual rule `1 - (1-a)(1-bw)^j(1-bs)^m`;
//! * [`TalkOfNetwork`]: the agent-based model, seeded and reproducible, with
//!   parallel runs whose results do not depend on the number of threads;
//! * [`Elasticities`]: GLM's analysis, the elasticities of the time to a
//!   penetration level with respect to each design parameter, with confidence
//!   intervals and contrasts (weak minus strong).
//!
//! The example `weak_ties` runs GLM's design on a grid:
//! `cargo run --release --example weak_ties`.

mod elasticity;
mod model;
mod probability;

pub use elasticity::{DesignOutcome, DesignParameter, Elasticities, Estimate};
pub use model::{TalkOfNetwork, TalkOfNetworkConfig, TalkRun, TieCount};
pub use probability::{TalkRates, informing_probability};
