//! Behaviour tests, compiled as one test binary.
mod network_io;
mod bass;
mod brand;
mod business;
mod network_generate;
mod propagation_estimator;
mod propagation_exact;
mod talk_of_network;
mod customer;
mod value;
mod spread_cli;
mod sim;
mod crm;
mod targeting;
mod sweep;
mod run_scenario;
mod funnel_lift;
