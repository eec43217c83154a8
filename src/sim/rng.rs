//! The simulation's random numbers: every draw of the loop is keyed by
//! (master seed, run, period, customer, purpose), never taken from a
//! sequential stream.
//!
//! A period's draws of one [`Purpose`] come from a [`Dice`]: a 64-bit key
//! mixed (SplitMix64) from the master seed, the run, the period and the
//! purpose; customer `c`'s draw in slot `s` is the wyrand output of
//! [`coin`](crate::propagation::streams::coin) at counter `c · 32 + s`. So a
//! draw does not depend on which other draws were made before it: when an
//! actor's contributions are switched off (an engagement does not run, a
//! customer does not talk), every other draw of every customer is the same
//! number as before. That is what makes the counterfactual runs of an
//! [attribution](super::Attribution) paired, run by run (common random
//! numbers), and what makes a report independent of the number of threads.
//!
//! Building a population (the network, the profiles, the starting stages)
//! draws once per run's master seed, from sequential
//! [`Xoshiro256PlusPlus`] streams per block ([`stream`]): the same for every
//! counterfactual run.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::propagation::streams::{GOLDEN, coin, mix64};

/// Customers per block: the unit of parallel work.
pub(crate) const BLOCK: usize = 4096;

/// Slots a customer has per purpose and period.
const SLOTS: u64 = 32;

/// The parts of building a population that draw randomness, each from its own
/// stream.
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
}

/// What a period's draw is for (with the customer and the slot, its counter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Whether an advocate or adversary talks this period.
    Talk,
    /// Exposure outside the plan.
    Exposure,
    /// A contact with a department and its experience.
    Contact,
    /// Word of mouth received and acted on.
    Heard,
    /// Purchases and the sales experience.
    Purchase,
    /// Time without contact.
    Drift,
    /// Engagement number `e` of the plan (landing, noticing, its experience;
    /// for a listening engagement, what it hears of each speaker).
    Engagement(u32),
}

impl Purpose {
    fn id(self) -> u64 {
        match self {
            Purpose::Talk => 1,
            Purpose::Exposure => 2,
            Purpose::Contact => 3,
            Purpose::Heard => 4,
            Purpose::Purchase => 5,
            Purpose::Drift => 6,
            Purpose::Engagement(e) => 64 + u64::from(e),
        }
    }
}

/// The slots of one experience (six), from a purpose's base slot.
pub(crate) mod experience {
    /// Consistent across departments or not.
    pub(crate) const CONSISTENT: u32 = 0;
    /// Good or bad (one uniform against the chance of a bad experience).
    pub(crate) const QUALITY: u32 = 1;
    /// Outrageous among bad ones, delightful among good ones.
    pub(crate) const SHARE: u32 = 2;
    /// The transition table's draw.
    pub(crate) const MOVE: u32 = 3;
    /// Whether the customer gives feedback.
    pub(crate) const FEEDBACK: u32 = 4;
    /// Whether the feedback reaches the business.
    pub(crate) const REACH: u32 = 5;
}

/// The draws of one (seed, run, period, purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dice {
    key: u64,
}

impl Dice {
    /// The dice of `purpose` in `period` of run `run` under master `seed`.
    pub(crate) fn new(seed: u64, run: u32, period: u32, purpose: Purpose) -> Self {
        let mut key = splitmix64(seed);
        key = splitmix64(key ^ u64::from(run));
        key = splitmix64(key ^ u64::from(period));
        key = splitmix64(key ^ purpose.id());
        Dice { key }
    }

    /// Customer `node`'s uniform in `[0, 1)` (53 bits) in `slot` (`< 32`).
    #[inline]
    pub(crate) fn roll(&self, node: u32, slot: u32) -> f64 {
        let counter = u64::from(node) * SLOTS + u64::from(slot % SLOTS as u32);
        (coin(self.key, counter) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` for customer `node` in `slot` (any `p <= 0`
    /// is never, `p >= 1` always).
    #[inline]
    pub(crate) fn chance(&self, node: u32, slot: u32, p: f64) -> bool {
        self.roll(node, slot) < p
    }
}

/// One SplitMix64 step (the golden increment, then the output function shared
/// with the propagation engine's streams): a bijective mixer of 64 bits.
pub(crate) fn splitmix64(z: u64) -> u64 {
    mix64(z.wrapping_add(GOLDEN))
}

/// The population stream of `phase` for `block` under master `seed`.
pub(crate) fn stream(seed: u64, block: usize, phase: Phase) -> Xoshiro256PlusPlus {
    let mut key = splitmix64(seed);
    key = splitmix64(key);
    key = splitmix64(key ^ block as u64);
    key = splitmix64(key ^ phase as u64);
    Xoshiro256PlusPlus::seed_from_u64(key)
}

/// A uniform draw in `[0, 1)` with 53 bits of precision from a stream.
#[inline]
pub(crate) fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    use rand::RngCore;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `true` with probability `p` from a stream.
#[inline]
pub(crate) fn chance(rng: &mut Xoshiro256PlusPlus, p: f64) -> bool {
    uniform(rng) < p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_differ_by_every_coordinate_and_repeat_exactly() {
        let d = Dice::new(7, 0, 3, Purpose::Talk);
        let a = d.roll(5, 2);
        assert_eq!(a, Dice::new(7, 0, 3, Purpose::Talk).roll(5, 2));
        for other in [
            Dice::new(8, 0, 3, Purpose::Talk).roll(5, 2),
            Dice::new(7, 1, 3, Purpose::Talk).roll(5, 2),
            Dice::new(7, 0, 4, Purpose::Talk).roll(5, 2),
            Dice::new(7, 0, 3, Purpose::Drift).roll(5, 2),
            Dice::new(7, 0, 3, Purpose::Engagement(0)).roll(5, 2),
            d.roll(6, 2),
            d.roll(5, 3),
        ] {
            assert_ne!(a, other);
        }
    }

    #[test]
    fn rolls_are_uniform_and_chance_is_calibrated() {
        let d = Dice::new(1, 0, 0, Purpose::Contact);
        let n = 100_000u32;
        let mut hits = 0;
        for node in 0..n {
            let u = d.roll(node, 0);
            assert!((0.0..1.0).contains(&u));
            if d.chance(node, 1, 0.3) {
                hits += 1;
            }
        }
        // binomial sd = sqrt(n p q) ~ 145; allow 5 sd.
        assert!((f64::from(hits) - 30_000.0).abs() < 725.0, "{hits}");
        assert!(!d.chance(0, 0, 0.0));
        assert!(d.chance(0, 0, 1.0));
    }

    #[test]
    fn population_streams_differ_by_block_and_phase() {
        use rand::RngCore;
        let a = stream(7, 2, Phase::Population).next_u64();
        assert_eq!(a, stream(7, 2, Phase::Population).next_u64());
        assert_ne!(a, stream(8, 2, Phase::Population).next_u64());
        assert_ne!(a, stream(7, 3, Phase::Population).next_u64());
        assert_ne!(a, stream(7, 2, Phase::Network).next_u64());
    }
}
