//! Behaviour tests, compiled as one test binary.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod attribution;
mod bass;
mod brand;
mod business;
mod calibrate;
mod cev;
mod clv;
mod crm;
mod customer;
mod examples_args;
mod funnel_lift;
mod network_generate;
mod network_io;
mod propagation_estimator;
mod propagation_exact;
mod propagation_ranking;
mod scenario_file;
mod shared_data;
mod sim;
mod sim_defects;
mod sweep;
mod sweep_shards;
mod talk_of_network;
mod targeting;
mod value;
mod word_of_mouth;
