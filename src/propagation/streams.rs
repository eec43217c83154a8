//! Random numbers of the cascades: one Xoshiro256PlusPlus stream per unit of work,
//! and counter-based coins keyed by that stream.
//!
//! A *unit* (one run, or one batch of 64 runs) gets its own
//! [`Xoshiro256PlusPlus`] stream from `(master seed, unit index)` by SplitMix64
//! mixing ([`unit_stream`]); distinct pairs give distinct states. The unit draws its
//! *keys* from that stream. Every random decision of the cascade is then a pure
//! function of a key and a counter (the SplitMix64 output at that counter):
//!
//! * the coin of arc `a` in a run is drawn from `(arc key, a)` (the skipping
//!   engine draws node `u`'s live arcs from `(arc key, c)` for the counters `c`
//!   reserved for `u`: see `live_arcs`);
//! * the Linear Threshold threshold of node `v` and the signed tie-break of node
//!   `v` are drawn from `(node key, v)`.
//!
//! So a run's *live-edge world* does not depend on the order in which the cascade
//! visits arcs. With per-arc coins this is a common-random-numbers coupling:
//! raising one probability can only add live arcs, so the spread of every run, and
//! the estimate, never decreases; and two scenarios compared on the same seed are
//! paired run by run.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The SplitMix64 increment (2⁶⁴ / golden ratio).
pub(crate) const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// 2³²: the resolution of arc probabilities.
pub(crate) const ONE_FIXED: u64 = 1 << 32;

/// The SplitMix64 output function (a bijection of `u64`).
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The Xoshiro256PlusPlus stream of `unit` under `seed`.
///
/// The four state words are `mix64` images of `seed`, of `unit` and of two
/// combinations of them: the first two words alone make the map injective.
pub(crate) fn unit_stream(seed: u64, unit: u64) -> Xoshiro256PlusPlus {
    let s0 = mix64(seed ^ 0x243F_6A88_85A3_08D3);
    let s1 = mix64(unit ^ 0x1319_8A2E_0370_7344);
    let s2 = mix64(seed.wrapping_add(unit.wrapping_mul(GOLDEN)) ^ 0xA409_3822_299F_31D0);
    let mut s3 = mix64(s0 ^ s1.rotate_left(17) ^ 0x082E_FA98_EC4E_6C89);
    if s0 | s1 | s2 | s3 == 0 {
        s3 = 1;
    }
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip([s0, s1, s2, s3]) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// The keys of one unit, drawn from its stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitKeys {
    /// Keys the arc coins.
    pub arc: u64,
    /// Keys per-node draws (LT thresholds, signed tie-breaks).
    pub node: u64,
}

impl UnitKeys {
    pub(crate) fn new(seed: u64, unit: u64) -> Self {
        let mut stream = unit_stream(seed, unit);
        UnitKeys {
            arc: stream.next_u64(),
            node: stream.next_u64(),
        }
    }
}

/// The `counter`-th output of the wyrand generator started at `key`: state
/// `s = key + (counter + 1) · P0`, output the xor of the two halves of the 128-bit
/// product `s · (s ^ P1)` (Wang Yi's wyrand, which passes BigCrush and PractRand).
/// One wide multiplication: the cheapest counter-based generator of that quality.
#[inline]
pub(crate) fn coin(key: u64, counter: u64) -> u64 {
    wyrand_output(key.wrapping_add(counter.wrapping_add(1).wrapping_mul(WYRAND_INCREMENT)))
}

/// wyrand's state increment (its `P0`).
const WYRAND_INCREMENT: u64 = 0xa076_1d64_78bd_642f;

/// wyrand's output for the state `s`: the xor of the two halves of `s · (s ^ P1)`.
#[inline(always)]
fn wyrand_output(s: u64) -> u64 {
    const P1: u64 = 0xe703_7ed1_a0b4_28db;
    let product = u128::from(s) * u128::from(s ^ P1);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A sequential generator over [`coin`]: the outputs at counters `0, 1, 2, …`
/// of a key drawn from a unit's stream. One word of state (the counter) and one
/// wide multiplication a draw: for the hot loops that draw many numbers in a row
/// with many other values live (the RR-set sampler), where the four words of
/// `Xoshiro256PlusPlus` would crowd the registers.
#[derive(Debug, Clone)]
pub(crate) struct CoinStream {
    key: u64,
    counter: u64,
}

impl CoinStream {
    /// The stream of unit `unit` under `seed` (its key is the first output of
    /// [`unit_stream`]).
    pub(crate) fn new(seed: u64, unit: u64) -> Self {
        CoinStream {
            key: unit_stream(seed, unit).next_u64(),
            counter: 0,
        }
    }
}

impl RngCore for CoinStream {
    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        let bits = coin(self.key, self.counter);
        self.counter = self.counter.wrapping_add(1);
        bits
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or(&bytes));
        }
    }
}

/// The fixed-point threshold `t = floor(p · 2³²)` (in `0..=2³²`) of a stored
/// probability: an arc is live when a uniform 32-bit number is below `t`, so with
/// probability `t / 2³²`, which is `p` exactly for 0, 1 and every multiple of 2⁻³²,
/// and less than 2⁻³² below `p` otherwise.
#[inline]
pub(crate) fn threshold(p: f32) -> u64 {
    // `as` saturates (NaN and negatives to 0); p <= 1 was validated upstream and
    // the `min` keeps the hot loop total even so. No rounding call: this is two
    // instructions.
    ((f64::from(p) * ONE_FIXED as f64) as u64).min(ONE_FIXED)
}

/// Words used per arc: a run's 32-bit uniform for arc `a` is spread over the
/// counters `32a .. 32a + 32` (bit `31 - i` in word `i`, one lane per bit).
const WORDS_PER_ARC: u64 = 32;

/// Whether arc `arc` is live in the single run keyed by `key` (probability exactly
/// `t / 2³²`).
#[inline]
pub(crate) fn arc_is_live(key: u64, arc: u32, t: u64) -> bool {
    (coin(key, u64::from(arc) * WORDS_PER_ARC) >> 32) < t
}

/// Which of the runs in `lanes` (one bit per run of a 64-run batch keyed by `key`)
/// have arc `arc` live. Each lane is live with probability exactly `t / 2³²`,
/// independently of the other lanes and arcs.
///
/// Lane `l` compares its own 32-bit uniform `U_l` with `t`, most significant bit
/// first; bit `31 - i` of every lane's `U` is bit `l` of coin word `i`. The loop
/// stops once every lane asked for is decided, or once the bits of `t` left are
/// all 0 (a lane still tied then has `U_l >= t`: dead), so it needs about
/// `log2(lanes) + 2` words on average, and never more than 32. A lane's answer does
/// not depend on which other lanes were asked for.
///
/// The hot loop of the word-parallel engine, shaped for the branch predictor:
/// the bit of `t` selects each update by a mask (no branch on it), and the words
/// come in blocks of [`WORDS_PER_CHECK`] with one exit test per block. How many
/// words a call needs is random (one or two for a lane or two, seven or eight
/// for 64), so a test per word was mispredicted about once per arc; drawing up
/// to three words more than needed costs less (measured on Epinions: about 20%
/// more instructions, half the mispredicted branches, a third less time). The
/// words past the decision change nothing (decided lanes stay decided), so the
/// result is the same as with a test per word. The wyrand state advances by one
/// addition per word (the same words as [`coin`] at the counters `32 arc + i`).
#[inline]
pub(crate) fn live_lanes(key: u64, arc: u32, t: u64, lanes: u64) -> u64 {
    if t >= ONE_FIXED {
        return lanes;
    }
    // t's 32 bits, most significant first, in the top half of a word: the sign
    // bit is the bit of t that the next word is compared with.
    let mut t_bits = t << 32;
    let mut state = key.wrapping_add(
        (u64::from(arc) * WORDS_PER_ARC)
            .wrapping_add(1)
            .wrapping_mul(WYRAND_INCREMENT),
    );
    let mut undecided = lanes;
    let mut live = 0u64;
    // Once t's bits left are all 0, a lane still tied has U >= t: dead.
    while undecided != 0 && t_bits != 0 {
        for _ in 0..WORDS_PER_CHECK {
            let bits = wyrand_output(state);
            state = state.wrapping_add(WYRAND_INCREMENT);
            // All ones where t has a 1. The lanes whose bit differs from t's are
            // decided: below t (live) where t has a 1, above t (dead) where it
            // has a 0. The lanes whose bit equals t's stay tied.
            let t_has_one = ((t_bits as i64) >> 63) as u64;
            let decided = undecided & (bits ^ t_has_one);
            live |= decided & t_has_one;
            undecided ^= decided;
            t_bits <<= 1;
        }
    }
    live
}

/// Words [`live_lanes`] draws between two tests of whether it is done (32 is a
/// multiple of it). Measured on Epinions (weighted cascade, 50 seeds): 4 beats
/// 2, 3, 6 and 8.
const WORDS_PER_CHECK: u32 = 4;

/// A uniform draw in `(0, 1]` for node `node` under `key` (53-bit resolution).
#[inline]
pub(crate) fn node_uniform(key: u64, node: u32) -> f64 {
    let bits = coin(key, u64::from(node)) >> 11;
    (bits + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A Bernoulli draw with probability `t / 2³²` for node `node` under `key`.
#[inline]
pub(crate) fn node_coin(key: u64, node: u32, t: u64) -> bool {
    (coin(key, u64::from(node)) >> 32) < t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_streams_differ_by_seed_and_unit_and_repeat() {
        let a = UnitKeys::new(7, 0);
        let b = UnitKeys::new(7, 1);
        let c = UnitKeys::new(8, 0);
        assert_ne!(a.arc, b.arc);
        assert_ne!(a.arc, c.arc);
        assert_ne!(a.arc, a.node);
        assert_eq!(a.arc, UnitKeys::new(7, 0).arc);
    }

    #[test]
    fn thresholds_cover_the_ends() {
        assert_eq!(threshold(0.0), 0);
        assert_eq!(threshold(1.0), ONE_FIXED);
        assert_eq!(threshold(0.5), ONE_FIXED / 2);
        assert_eq!(threshold(0.1), 429_496_736); // 0.1f32 = 0.100000001490116... exactly
        assert_eq!(threshold(f32::NAN), 0);
        assert_eq!(threshold(2.0), ONE_FIXED);
    }

    #[test]
    fn live_lanes_frequency_matches_t_and_lanes_are_consistent() {
        for p in [0.001f32, 0.1, 0.37, 0.5, 0.9] {
            let t = threshold(p);
            let mut hits = 0u64;
            let arcs = 4000u32;
            for arc in 0..arcs {
                let all = live_lanes(99, arc, t, u64::MAX);
                // Asking for a subset gives the same answer on that subset.
                let odd = live_lanes(99, arc, t, 0xAAAA_AAAA_AAAA_AAAA);
                assert_eq!(all & 0xAAAA_AAAA_AAAA_AAAA, odd);
                hits += u64::from(all.count_ones());
            }
            let n = f64::from(arcs) * 64.0;
            let expected = n * f64::from(p);
            let sd = (n * f64::from(p) * (1.0 - f64::from(p))).sqrt();
            assert!(
                (hits as f64 - expected).abs() < 5.0 * sd + 1.0,
                "p={p}: {hits} vs {expected}"
            );
        }
        assert_eq!(live_lanes(1, 2, ONE_FIXED, 0b1011), 0b1011);
        assert_eq!(live_lanes(1, 2, 0, u64::MAX), 0);
    }

    #[test]
    fn live_lanes_is_each_lanes_32_bit_uniform_below_t() {
        // The oracle: lane l's uniform has bit 31 - i equal to bit l of coin word
        // 32 arc + i, and the lane is live when that uniform is below t.
        let key = 0x5DEE_CE66_D1CE_5EEDu64;
        let mut x = 17u64;
        for arc in 0..3000u32 {
            x = mix64(x);
            // Thresholds with few and many bits set, and the ends.
            let t = match arc % 5 {
                0 => x >> 32,
                1 => (x >> 32) >> (arc % 31),
                2 => (x >> 32) & !0xFFFF,
                3 => u64::from(arc % 7),
                _ => ONE_FIXED - u64::from(arc % 3),
            };
            let lanes = mix64(x ^ 1) | mix64(x ^ 2);
            let mut expected = 0u64;
            for l in 0..64 {
                let u: u64 = (0..32u64)
                    .map(|i| ((coin(key, u64::from(arc) * 32 + i) >> l) & 1) << (31 - i))
                    .sum();
                if u < t {
                    expected |= 1 << l;
                }
            }
            assert_eq!(
                live_lanes(key, arc, t, lanes),
                expected & lanes,
                "arc {arc}, t {t}"
            );
        }
    }

    #[test]
    fn live_lanes_is_monotone_in_t() {
        for arc in 0..500u32 {
            let lo = live_lanes(5, arc, threshold(0.2), u64::MAX);
            let hi = live_lanes(5, arc, threshold(0.6), u64::MAX);
            assert_eq!(lo & !hi, 0);
        }
    }

    #[test]
    fn node_uniform_is_in_the_half_open_unit_interval() {
        let mean = (0..10_000u32).map(|v| node_uniform(3, v)).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.015);
        assert!((0..1000u32).all(|v| {
            let u = node_uniform(3, v);
            u > 0.0 && u <= 1.0
        }));
    }
}
