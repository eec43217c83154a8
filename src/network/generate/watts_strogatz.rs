//! [`WattsStrogatz`]: a ring lattice with random shortcuts ("small world").

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::{build_undirected, check_customers, check_relationships};
use crate::error::{Error, Result};
use crate::network::InfluenceNetwork;
use crate::probability::Probability;

/// The Watts-Strogatz small-world model: customers on a ring, each befriending
/// the `neighbours / 2` nearest on either side; then each lattice relationship
/// `(u, u + j)` is, with probability `rewiring`, moved to `(u, w)` for a uniformly
/// chosen `w` that is neither `u` nor already a friend of `u` (kept if `u` is
/// already everyone's friend). This is networkx's `watts_strogatz_graph`.
///
/// There are always exactly `customers * neighbours / 2` relationships
/// (`customers * neighbours` arcs). With `rewiring = 0` the result is the exact
/// ring lattice; with `rewiring = 1` it is close to a random graph.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WattsStrogatz {
    /// Number of customers `n`; more than `neighbours`.
    pub customers: usize,
    /// Lattice degree `k`: an even number, at least 2.
    pub neighbours: usize,
    /// Chance `beta` that each lattice relationship is rewired.
    pub rewiring: Probability,
}

impl WattsStrogatz {
    /// The model with `customers` on a ring, `neighbours` lattice friends each,
    /// and rewiring probability `rewiring`.
    pub fn new(customers: usize, neighbours: usize, rewiring: Probability) -> Self {
        WattsStrogatz {
            customers,
            neighbours,
            rewiring,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `neighbours` when it is odd or less
    /// than 2, or `customers` when it is not more than `neighbours` or exceeds the
    /// graph's `u32` index space, or `neighbours` when the network would have
    /// more arcs than that space holds.
    pub fn validate(&self) -> Result<()> {
        if self.neighbours < 2 || self.neighbours % 2 != 0 {
            return Err(Error::invalid(
                "neighbours",
                format!("must be an even number >= 2, got {}", self.neighbours),
            ));
        }
        check_customers(
            self.customers,
            self.neighbours.saturating_add(1),
            "customers",
        )?;
        check_relationships(
            self.customers as f64 * self.neighbours as f64 / 2.0,
            "neighbours",
        )
    }

    /// Generates the network from `seed` (a `Xoshiro256PlusPlus` seeded with
    /// `seed_from_u64`); every tie is positive with `probability`. The same seed
    /// gives the same network on every platform.
    ///
    /// # Errors
    /// As [`WattsStrogatz::validate`].
    ///
    /// # Complexity
    /// O(n k) memory and expected O(n k^2) time (friend checks scan a customer's
    /// list of about `k` friends).
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
        let (n, half) = (self.customers, self.neighbours / 2);
        let beta = self.rewiring.get();
        // `validate` bounds n by u32::MAX, so every index fits in u32.
        let mut friends: Vec<Vec<u32>> = vec![Vec::with_capacity(2 * half); n];
        for j in 1..=half {
            for u in 0..n {
                link(&mut friends, u as u32, ((u + j) % n) as u32);
            }
        }
        for j in 1..=half {
            for u in 0..n {
                if beta == 0.0 || rng.random::<f64>() >= beta {
                    continue;
                }
                let u32_u = u as u32;
                let v = ((u + j) % n) as u32;
                let degree = friends.get(u).map_or(0, Vec::len);
                if degree + 1 >= n {
                    continue; // already everyone's friend: nowhere to rewire to
                }
                let w = loop {
                    let w = rng.random_range(0..n as u32);
                    if w != u32_u && !are_friends(&friends, u32_u, w) {
                        break w;
                    }
                };
                unlink(&mut friends, u32_u, v);
                link(&mut friends, u32_u, w);
            }
        }
        let relationships: Vec<(u32, u32)> = friends
            .iter()
            .enumerate()
            .flat_map(|(a, list)| {
                let a = a as u32;
                list.iter().filter(move |&&b| a < b).map(move |&b| (a, b))
            })
            .collect();
        build_undirected(n, &relationships, probability)
    }
}

fn are_friends(friends: &[Vec<u32>], a: u32, b: u32) -> bool {
    friends
        .get(a as usize)
        .is_some_and(|list| list.contains(&b))
}

fn link(friends: &mut [Vec<u32>], a: u32, b: u32) {
    for (x, y) in [(a, b), (b, a)] {
        if let Some(list) = friends.get_mut(x as usize) {
            list.push(y);
        }
    }
}

fn unlink(friends: &mut [Vec<u32>], a: u32, b: u32) {
    for (x, y) in [(a, b), (b, a)] {
        if let Some(list) = friends.get_mut(x as usize) {
            list.retain(|&f| f != y);
        }
    }
}
