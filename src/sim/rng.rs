//! The simulation's random streams: one independent stream per
//! (seed, period, block, phase), so the result does not depend on the thread
//! schedule.
//!
//! Customers are processed in fixed blocks of [`BLOCK`] customers. Every block of
//! every period draws each phase's randomness from its own
//! [`Xoshiro256PlusPlus`] stream, seeded by SplitMix64-mixing the master seed with
//! the period, the block index and the phase. Which thread runs a block, and in
//! which order blocks finish, cannot change a single draw; and adding a draw to
//! one phase does not shift the draws of another.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Customers per block: the unit of parallel work and of random streams.
pub(crate) const BLOCK: usize = 4096;

/// The parts of a period that draw randomness, each from its own stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum Phase {
    /// Generating the network.
    Network = 1,
    /// Making generated ties distrustful.
    Distrust = 2,
    /// Drawing one profile per micro-community.
    Communities = 3,
    /// Assigning profiles and initial stages when the population is built.
    Population = 4,
    /// Advocates and adversaries talking (word of mouth sent) and listening.
    Talk = 5,
    /// Exposure and engagements reaching customers.
    Engagement = 6,
    /// Contacts with departments and the quality of experiences.
    Experience = 7,
    /// Word of mouth received and acted on.
    Heard = 8,
    /// Purchases.
    Purchase = 9,
    /// Feedback and drift (time without contact).
    Drift = 10,
}

/// One SplitMix64 step (the golden increment, then the output function shared
/// with the propagation engine's streams): a bijective mixer of 64 bits.
pub(crate) fn splitmix64(z: u64) -> u64 {
    use crate::propagation::streams::{GOLDEN, mix64};
    mix64(z.wrapping_add(GOLDEN))
}

/// The stream of `phase` for `block` in `period` of the run with master `seed`.
pub(crate) fn stream(seed: u64, period: u32, block: usize, phase: Phase) -> Xoshiro256PlusPlus {
    let mut key = splitmix64(seed);
    key = splitmix64(key ^ u64::from(period));
    key = splitmix64(key ^ block as u64);
    key = splitmix64(key ^ phase as u64);
    Xoshiro256PlusPlus::seed_from_u64(key)
}

/// A uniform draw in `[0, 1)` with 53 bits of precision.
#[inline]
pub(crate) fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    use rand::RngCore;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `true` with probability `p` (any `p <= 0` is never, `p >= 1` always).
#[inline]
pub(crate) fn chance(rng: &mut Xoshiro256PlusPlus, p: f64) -> bool {
    uniform(rng) < p
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn streams_differ_by_every_coordinate_and_repeat_exactly() {
        let a = stream(7, 3, 2, Phase::Talk).next_u64();
        assert_eq!(a, stream(7, 3, 2, Phase::Talk).next_u64());
        assert_ne!(a, stream(8, 3, 2, Phase::Talk).next_u64());
        assert_ne!(a, stream(7, 4, 2, Phase::Talk).next_u64());
        assert_ne!(a, stream(7, 3, 3, Phase::Talk).next_u64());
        assert_ne!(a, stream(7, 3, 2, Phase::Purchase).next_u64());
    }

    #[test]
    fn uniform_is_in_the_unit_interval_and_chance_is_calibrated() {
        let mut rng = stream(1, 0, 0, Phase::Experience);
        let n = 100_000;
        let mut hits = 0;
        for _ in 0..n {
            let u = uniform(&mut rng);
            assert!((0.0..1.0).contains(&u));
            if chance(&mut rng, 0.3) {
                hits += 1;
            }
        }
        // binomial sd = sqrt(n p q) ~ 145; allow 5 sd.
        assert!((hits as f64 - 30_000.0).abs() < 725.0, "{hits}");
        assert!(!chance(&mut rng, 0.0));
        assert!(chance(&mut rng, 1.0));
    }
}
