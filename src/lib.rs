//! # social_loop
//!
//! The value loop between the **social customer**, the **brand** and the
//! **business**, on an **influence network**: typed lifecycle states with an audit
//! trail, diffusion models with honest uncertainty, funnel estimates, an
//! exact-decimal cash book, and the value each actor creates measured by
//! counterfactual runs on common random numbers.
//!
//! ```
//! use social_loop::sim::{run, GeneratedNetwork, NetworkSpec, Scenario};
//!
//! // 2,000 customers in micro-communities of 50, one quarter of weekly periods.
//! let scenario = Scenario::default()
//!     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(2_000, 50, 10.0)?))
//!     .horizon(13)
//!     .seed(7);
//! let report = run(&scenario)?;
//! let end = report.last().ok_or("no period was simulated")?;
//! assert_eq!(end.stages.total(), 2_000); // customers are conserved
//! println!("advocates: {}, net present value: {} {}",
//!          end.funnel.advocacy, report.totals.net_present_value, report.currency);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! * [`customer`]: [`CustomerId`] (your own ids), [`Stage`], the causes that move a
//!   customer and the one transition table, the audit trail, sentiment and NPS.
//! * [`brand`]: engagements, the relevance model (right content, time, channel,
//!   customer) and who owns social media (siloed, co-op, agency).
//! * [`business`]: changes and the feedback backlog that triggers them.
//! * [`network`]: the influence network on petgraph, keyed by customer ids; edge-list
//!   readers, seeded generators, weight schemes.
//! * [`propagation`]: Independent Cascade, Linear Threshold and signed cascades on a
//!   compiled CSR form; the seeded, parallel, reproducible Monte Carlo estimator; exact
//!   enumeration for small graphs.
//! * [`funnel`]: funnel stages and snapshots; the lift word of mouth gives the funnel.
//! * [`aggregate`]: the literature's aggregate diffusion models, Bass and "talk of
//!   the network", the references the value loop's adoption is compared with.
//! * [`value`]: the exact-decimal cash book (what was paid and received, by
//!   whom) and estimates of money over runs.
//! * [`sim`]: the value loop, `Scenario` -> `Report`, period by period, or step by
//!   step; the attribution of value to the customer, the brand and the business.
//! * [`targeting`]: whom to engage (CELF, IMM, budgets, signed objectives, baselines).
//! * [`crm`]: real CRM events in, explained states out.
//! * [`sweep`] and [`progress`]: parameter sweeps that merge exactly; progress and
//!   cancellation for long runs.
//! * [`design`]: the architecture page (modules, data flow, decisions).
//!
//! # Conventions
//!
//! * Every fallible function returns [`Result`]; the [`Error`] names the line, id or
//!   field that was wrong. The library does not panic on a caller's data.
//! * Probabilities are [`Probability`] (validated once); money is [`Decimal`] with
//!   checked arithmetic.
//! * Randomness is injected: a master seed plus a unit index gives every unit of work
//!   its own stream, so results do not depend on the number of threads.
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]
#![warn(missing_debug_implementations)]

#[macro_use]
mod config;

pub mod aggregate;
pub mod brand;
pub mod business;
pub mod crm;
pub mod customer;
pub mod error;
pub mod funnel;
mod json;
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

#[doc = include_str!("../docs/ARCHITECTURE.md")]
pub mod design {}

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
