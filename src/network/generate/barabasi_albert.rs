//! [`BarabasiAlbert`]: preferential attachment, a few hubs and many small fry.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::{build_undirected, check_customers, check_relationships};
use crate::error::{Error, Result};
use crate::network::InfluenceNetwork;
use crate::probability::Probability;

/// The Barabasi-Albert preferential-attachment model: customers join one by one
/// and befriend `ties_per_newcomer` distinct earlier customers, each chosen with
/// probability proportional to their current number of relationships.
///
/// The construction is the classic one (as in networkx 1.x): the first `m`
/// customers (`m = ties_per_newcomer`) start alone; customer `m` befriends all of
/// them; every later newcomer draws `m` distinct partners from the list in which
/// each customer appears once per relationship end (the "repeated nodes" list).
/// Hence, with `n = customers`:
/// - exactly `m (n - m)` relationships, stored as `2 m (n - m)` arcs;
/// - every newcomer (customer `m` onwards) has at least `m` relationships, every
///   founder at least 1, and the network is connected;
/// - the degree distribution has a power-law tail with exponent about 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarabasiAlbert {
    /// Number of customers `n`; more than `ties_per_newcomer`.
    pub customers: usize,
    /// Relationships each newcomer makes, `m >= 1`.
    pub ties_per_newcomer: usize,
}

impl BarabasiAlbert {
    /// The model with `customers` customers, each newcomer making
    /// `ties_per_newcomer` relationships.
    pub fn new(customers: usize, ties_per_newcomer: usize) -> Self {
        BarabasiAlbert {
            customers,
            ties_per_newcomer,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `ties_per_newcomer` when it is 0, or
    /// `customers` when it is not more than `ties_per_newcomer` or exceeds the
    /// graph's `u32` index space, or `ties_per_newcomer` when the network would
    /// have more arcs than that space holds.
    pub fn validate(&self) -> Result<()> {
        if self.ties_per_newcomer == 0 {
            return Err(Error::invalid("ties_per_newcomer", "must be at least 1"));
        }
        check_customers(
            self.customers,
            self.ties_per_newcomer.saturating_add(1),
            "customers",
        )?;
        let relationships =
            self.ties_per_newcomer as f64 * (self.customers - self.ties_per_newcomer) as f64;
        check_relationships(relationships, "ties_per_newcomer")
    }

    /// Generates the network from `seed` (a `Xoshiro256PlusPlus` seeded with
    /// `seed_from_u64`); every tie is positive with `probability`. The same seed
    /// gives the same network on every platform.
    ///
    /// # Errors
    /// As [`BarabasiAlbert::validate`].
    ///
    /// # Complexity
    /// O(n m) memory and expected O(n m^2) time (drawing `m` distinct partners
    /// with rejection; `m` is small in practice).
    pub fn generate(&self, probability: Probability, seed: u64) -> Result<InfluenceNetwork> {
        self.generate_with(probability, &mut Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// [`Self::generate`] on the caller's stream (the simulation's keyed streams).
    pub(crate) fn generate_with<R: Rng + ?Sized>(
        &self,
        probability: Probability,
        rng: &mut R,
    ) -> Result<InfluenceNetwork> {
        self.validate()?;
        let (n, m) = (self.customers, self.ties_per_newcomer);
        // `validate` bounds n by u32::MAX, so every index fits in u32.
        let relationship_count = m * (n - m);
        let mut relationships: Vec<(u32, u32)> = Vec::with_capacity(relationship_count);
        let mut repeated: Vec<u32> = Vec::with_capacity(2 * relationship_count);
        let mut targets: Vec<u32> = (0..m as u32).collect();
        for source in m..n {
            let source = source as u32;
            for &target in &targets {
                relationships.push((source, target));
            }
            repeated.extend_from_slice(&targets);
            repeated.extend(std::iter::repeat_n(source, m));
            if source as usize + 1 == n {
                break;
            }
            // `repeated` holds at least m + 1 distinct customers from here on.
            targets.clear();
            while targets.len() < m {
                let pick = rng.random_range(0..repeated.len());
                let candidate = repeated.get(pick).copied().unwrap_or(source);
                if !targets.contains(&candidate) {
                    targets.push(candidate);
                }
            }
        }
        build_undirected(n, &relationships, probability)
    }
}
