//! Customers compressed into their distinct `(x, t_x, T)` triples with counts.
//!
//! Every BTYD likelihood and prediction depends on a customer only through
//! `(x, t_x, T)`, and purchase logs summarised in whole periods repeat the same
//! triples many times (a million synthetic customers in weeks have about
//! 15,000 distinct ones), so the fits sum over distinct triples weighted by
//! their counts, and predictions are computed once per triple.

use std::collections::HashMap;

use super::CustomerSummary;

/// One distinct `(x, t_x, T)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Triple {
    pub x: f64,
    pub t_x: f64,
    pub t_cal: f64,
}

/// The distinct triples of a list of customers, their counts, and each
/// customer's triple.
#[derive(Debug, Clone, Default)]
pub(crate) struct Compressed {
    pub triples: Vec<Triple>,
    pub counts: Vec<f64>,
    pub of_customer: Vec<u32>,
}

impl Compressed {
    /// Groups `customers` by triple, in order of first appearance.
    ///
    /// # Complexity
    /// O(n) expected.
    pub fn new(customers: &[CustomerSummary]) -> Self {
        let mut index: HashMap<(u32, u64, u64), u32> =
            HashMap::with_capacity(customers.len() / 8 + 16);
        let mut out = Compressed {
            of_customer: Vec::with_capacity(customers.len()),
            ..Compressed::default()
        };
        for c in customers {
            let key = (c.x(), c.t_x().to_bits(), c.t_cal().to_bits());
            let n = *index.entry(key).or_insert_with(|| {
                out.triples.push(Triple {
                    x: f64::from(c.x()),
                    t_x: c.t_x(),
                    t_cal: c.t_cal(),
                });
                out.counts.push(0.0);
                (out.triples.len() - 1) as u32
            });
            if let Some(count) = out.counts.get_mut(n as usize) {
                *count += 1.0;
            }
            out.of_customer.push(n);
        }
        out
    }

    /// Number of customers.
    pub fn customers(&self) -> f64 {
        self.counts.iter().sum()
    }

    /// `Σ count · f(triple)`, summed in triple order (the same on any thread count).
    pub fn weighted_sum(&self, f: impl Fn(&Triple) -> f64) -> f64 {
        self.triples
            .iter()
            .zip(&self.counts)
            .map(|(t, n)| n * f(t))
            .sum()
    }
}
