//! The value loop: a [`Scenario`](crate::sim) run period by period into a report.
