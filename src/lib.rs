//! # social_loop
//!
//! The value loop between the **social customer**, the **brand** and the
//! **business**, on an **influence network**: typed lifecycle states with an audit
//! trail, diffusion models with honest uncertainty, funnel estimates, an
//! exact-decimal cash book, and the value each actor creates measured by
//! counterfactual runs on common random numbers.
//!
//! Your own edge list (one `from to` per line: `from` influences `to`), a
//! weight choice, and an estimate with its uncertainty:
//!
//! ```
//! use social_loop::network::io::{read_edge_list_file, ReadOptions};
//! use social_loop::propagation::{CompiledNetwork, Model, MonteCarlo, MonteCarloSettings};
//! # let my_edges = std::env::temp_dir().join(format!("social_loop_lib_doc_{}.txt", std::process::id()));
//! # std::fs::write(&my_edges, "# from to\nann bob\nann cy\nbob dee\ncy dee\n")?;
//! let options = ReadOptions::default().weights("uniform:0.1".parse()?); // or "weighted_cascade", "trivalency"
//! let (net, _report) = read_edge_list_file(&my_edges, options)?; // my_edges: the path of your file
//! let spread = MonteCarlo::new(Model::IndependentCascade).settings(MonteCarloSettings::new(10_000, 1)?)
//!     .estimate(&CompiledNetwork::from_network(&net), ["ann"])?;
//! println!("reach of ann: {:.2} ± {:.2} customers (95% CI {:?})", spread.mean, spread.std_err, spread.ci95);
//! # assert!((spread.mean - 1.2199).abs() < 4.0 * spread.std_err); // 1 + 0.1 + 0.1 + (1 - 0.99^2)
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Trust networks ("`a` trusts `b`") list influence backwards: add
//! `.reverse(true)`. [`network::io`] has the formats, the direction convention
//! and where the public data sets come from.
//!
//! The value loop on a generated network:
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
//! * [`network`]: the influence network keyed by customer ids; edge-list readers
//!   ([`network::io`]), seeded generators, weight schemes.
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
//! * [`clv`]: customer value from purchase histories: BG/NBD, Pareto/NBD,
//!   Gamma-Gamma and shifted-beta-geometric fits, CLV with intervals.
//! * [`cev`]: customer engagement value, CLV + referral, influence and
//!   knowledge value per customer, from a CRM book or the value loop.
//! * [`calibrate`]: a CRM book's own customers in the loop: the loop's rates
//!   fitted to the book with intervals, and the scenario of those customers.
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
//! * Randomness is injected as a `u64` seed (no random number generator type is
//!   part of the API): a master seed plus a unit index gives every unit of work
//!   its own stream, so results do not depend on the number of threads.
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]
#![warn(missing_debug_implementations)]

#[macro_use]
mod config;

pub mod aggregate;
pub mod brand;
pub mod business;
pub mod calibrate;
pub mod cev;
pub mod clv;
pub mod crm;
pub mod customer;
pub mod error;
pub mod funnel;
mod json;
mod lines;
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
