//! [`MicroCommunities`]: a stochastic block model of many small, dense groups.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::{MAX_ARCS, build_undirected, check_customers, check_relationships};
use crate::error::{Error, Result};
use crate::network::InfluenceNetwork;
use crate::probability::Probability;

/// A stochastic block model of "micro-communities": customers form small groups
/// (a club, a forum thread, a neighbourhood) in which any two are friends with
/// probability `p_in`, and any two customers of different groups are friends with
/// the much smaller probability `p_out`; every pair is decided independently.
///
/// Communities are contiguous: community 0 is customers `c0..c{s0-1}`, community 1
/// the next `s1`, and so on ([`MicroCommunities::community_of`],
/// [`MicroCommunities::membership`]), so the simulation can give each community
/// its own interests.
///
/// Generation skips over absent pairs with geometric jumps (Batagelj & Brandes
/// 2005), so its cost follows the number of relationships, not the number of
/// pairs: a million customers with ten million arcs take seconds, not hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MicroCommunities {
    /// Size of each community, in customer order; each at least 1.
    pub community_sizes: Vec<usize>,
    /// Chance that two customers of the same community are friends.
    pub p_in: Probability,
    /// Chance that two customers of different communities are friends.
    pub p_out: Probability,
}

impl MicroCommunities {
    /// `communities` communities of `size` customers each.
    pub fn uniform(communities: usize, size: usize, p_in: Probability, p_out: Probability) -> Self {
        MicroCommunities {
            community_sizes: vec![size; communities],
            p_in,
            p_out,
        }
    }

    /// `communities` communities of `size` customers each, with `p_in` and
    /// `p_out` chosen so that a customer has on average `friends_inside` friends in
    /// their own community and `friends_outside` in others.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field when a count is out of range
    /// (see [`MicroCommunities::validate`]), when a mean is negative or not finite,
    /// or when it needs a probability above 1 (more friends than customers).
    pub fn with_mean_degrees(
        communities: usize,
        size: usize,
        friends_inside: f64,
        friends_outside: f64,
    ) -> Result<Self> {
        let mut spec = Self::uniform(communities, size, Probability::ZERO, Probability::ZERO);
        spec.validate()?;
        let others_inside = size.saturating_sub(1) as f64;
        let others_outside = (spec.customers() - size) as f64;
        spec.p_in = probability_for_mean(friends_inside, others_inside, "friends_inside")?;
        spec.p_out = probability_for_mean(friends_outside, others_outside, "friends_outside")?;
        Ok(spec)
    }

    /// Total number of customers.
    pub fn customers(&self) -> usize {
        self.community_sizes
            .iter()
            .fold(0, |a, &s| a.saturating_add(s))
    }

    /// The community of the `customer`-th customer (`c{customer}`), or `None`
    /// past the last one.
    ///
    /// # Complexity
    /// O(number of communities); use [`MicroCommunities::membership`] for all.
    pub fn community_of(&self, customer: usize) -> Option<usize> {
        let mut end = 0usize;
        for (community, &size) in self.community_sizes.iter().enumerate() {
            end = end.saturating_add(size);
            if customer < end {
                return Some(community);
            }
        }
        None
    }

    /// The community of every customer, in customer order.
    pub fn membership(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.customers());
        for (community, &size) in self.community_sizes.iter().enumerate() {
            out.extend(std::iter::repeat_n(community, size));
        }
        out
    }

    /// The expected number of relationships (half the expected arcs).
    pub fn expected_relationships(&self) -> f64 {
        let (inside, between) = self.expected_relationships_split();
        inside + between
    }

    /// Expected relationships inside communities and between them.
    fn expected_relationships_split(&self) -> (f64, f64) {
        let n = self.customers() as f64;
        let pairs_inside: f64 = self
            .community_sizes
            .iter()
            .map(|&s| s as f64 * (s as f64 - 1.0) / 2.0)
            .sum();
        let pairs_between = n * (n - 1.0) / 2.0 - pairs_inside;
        (
            pairs_inside * self.p_in.get(),
            pairs_between * self.p_out.get(),
        )
    }

    /// The expected mean number of friends per customer (mean out-degree).
    pub fn expected_mean_degree(&self) -> f64 {
        match self.customers() {
            0 => 0.0,
            n => 2.0 * self.expected_relationships() / n as f64,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `community_sizes` when there is no
    /// community or one is empty, or `customers` when the total exceeds the
    /// graph's `u32` index space, or `p_in` / `p_out` (whichever contributes
    /// more) when the expected number of arcs exceeds that space.
    pub fn validate(&self) -> Result<()> {
        if self.community_sizes.is_empty() {
            return Err(Error::invalid(
                "community_sizes",
                "needs at least one community",
            ));
        }
        if let Some(at) = self.community_sizes.iter().position(|&s| s == 0) {
            return Err(Error::invalid(
                "community_sizes",
                format!("community {at} is empty"),
            ));
        }
        check_customers(self.customers(), 1, "customers")?;
        let (inside, between) = self.expected_relationships_split();
        let field = if inside >= between { "p_in" } else { "p_out" };
        check_relationships(inside + between, field)
    }

    /// Generates the network from `seed` (a `Xoshiro256PlusPlus` seeded with
    /// `seed_from_u64`); every tie is positive with `probability`. The same seed
    /// gives the same network on every platform.
    ///
    /// Relationships inside communities come first (community by community), then
    /// those between communities; the order is fixed by the seed.
    ///
    /// # Errors
    /// As [`MicroCommunities::validate`].
    ///
    /// # Complexity
    /// O(n + E) expected time and memory for `n` customers and `E`
    /// relationships (one random draw per relationship, plus one per community).
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
        let n = self.customers();
        let expected = self.expected_relationships();
        // Room for the mean plus five standard deviations: one allocation in practice.
        let capacity = (expected + 5.0 * expected.sqrt() + 16.0).min(MAX_ARCS as f64 / 2.0);
        let mut relationships: Vec<(u32, u32)> = Vec::with_capacity(capacity as usize);
        // `validate` bounds n by u32::MAX, so every index fits in u32.
        let mut offset = 0u64;
        for &size in &self.community_sizes {
            sample_pairs(size as u64, self.p_in.get(), rng, |v, w| {
                relationships.push(((offset + w) as u32, (offset + v) as u32));
            });
            offset += size as u64;
        }
        let membership = community_index(&self.community_sizes, n);
        let community = |i: u64| membership.get(i as usize).copied();
        sample_pairs(n as u64, self.p_out.get(), rng, |v, w| {
            if community(v) != community(w) {
                relationships.push((w as u32, v as u32));
            }
        });
        build_undirected(n, &relationships, probability)
    }
}

/// The community of every customer, as `u32` to keep a million of them small.
fn community_index(sizes: &[usize], customers: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(customers);
    for (community, &size) in sizes.iter().enumerate() {
        out.extend(std::iter::repeat_n(community as u32, size));
    }
    out
}

fn probability_for_mean(mean: f64, others: f64, field: &'static str) -> Result<Probability> {
    if !mean.is_finite() || mean < 0.0 {
        return Err(Error::invalid(
            field,
            format!("must be a finite number >= 0, got {mean}"),
        ));
    }
    if mean == 0.0 {
        return Ok(Probability::ZERO);
    }
    if mean > others {
        return Err(Error::invalid(
            field,
            format!("{mean} friends asked but only {others} customers to befriend"),
        ));
    }
    Probability::for_field(mean / others, field)
}

/// Calls `emit(v, w)` for each pair `w < v < n` independently with probability
/// `p`, in increasing order of `(v, w)`, drawing one uniform number per emitted
/// pair (plus one at the end) by jumping over the absent pairs with geometric
/// skips (Batagelj & Brandes 2005, algorithm G(n, p)).
fn sample_pairs<R: Rng + ?Sized>(n: u64, p: f64, rng: &mut R, mut emit: impl FnMut(u64, u64)) {
    if n < 2 || p <= 0.0 {
        return;
    }
    if p >= 1.0 {
        for v in 1..n {
            for w in 0..v {
                emit(v, w);
            }
        }
        return;
    }
    // ln(1 - p) < 0, accurate for tiny p.
    let log_q = (-p).ln_1p();
    // Jumps beyond this cannot land on a pair of any graph we can build.
    const FAR: f64 = (1u64 << 62) as f64;
    let (mut v, mut w) = (1u64, 0u64);
    loop {
        let r: f64 = rng.random();
        let skip = ((1.0 - r).ln() / log_q).floor();
        let skip = if skip.is_finite() && skip < FAR {
            skip as u64
        } else {
            FAR as u64
        };
        w = w.saturating_add(skip);
        while w >= v && v < n {
            w -= v;
            v += 1;
        }
        if v >= n {
            return;
        }
        emit(v, w);
        w += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(n: u64, p: f64, seed: u64) -> Vec<(u64, u64)> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut out = Vec::new();
        sample_pairs(n, p, &mut rng, |v, w| out.push((v, w)));
        out
    }

    #[test]
    fn skipping_emits_valid_increasing_pairs() {
        let all = pairs(40, 0.3, 1);
        assert!(all.iter().all(|&(v, w)| w < v && v < 40));
        assert!(all.windows(2).all(|x| x[0] < x[1]));
        assert_eq!(pairs(5, 1.0, 1).len(), 10);
        assert!(pairs(5, 0.0, 1).is_empty());
        assert!(pairs(1, 0.5, 1).is_empty());
    }

    #[test]
    fn every_pair_is_equally_likely() {
        // 6 items, 15 pairs, p = 0.3, 4000 draws: each count ~ Binomial(4000, 0.3),
        // mean 1200, sd 29; allow 5 sd.
        let mut counts = [[0u32; 6]; 6];
        for seed in 0..4000 {
            for (v, w) in pairs(6, 0.3, seed) {
                counts[v as usize][w as usize] += 1;
            }
        }
        for (v, row) in counts.iter().enumerate() {
            for (w, &count) in row.iter().enumerate().take(v) {
                let c = f64::from(count);
                assert!((c - 1200.0).abs() < 5.0 * 29.0, "pair ({v},{w}): {c}");
            }
        }
    }

    #[test]
    fn tiny_probabilities_do_not_overflow() {
        assert!(pairs(1000, 1e-300, 3).is_empty());
        assert!(pairs(1000, f64::MIN_POSITIVE, 3).is_empty());
    }
}
