//! Behaviour tests, compiled as one test binary.
mod bass;
mod brand;
mod business;
mod crm;
mod customer;
mod funnel_lift;
mod network_generate;
mod network_io;
mod propagation_estimator;
mod propagation_exact;
mod run_scenario;
mod sim;
mod spread_cli;
mod sweep;
mod talk_of_network;
mod targeting;
mod value;
