//! The social business: changes to process, behaviour, policy and product driven by
//! what customers say, and the feedback backlog that triggers them.
