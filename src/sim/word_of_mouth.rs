//! Phase A of a period: advocates and adversaries talk; the messages travel
//! along the network's ties.
//!
//! Speakers are processed in parallel blocks, each drawing from its own stream,
//! and every message is *added* into per-listener counters. Addition commutes, so
//! the counters do not depend on the order in which blocks run: the phase is
//! deterministic for any number of threads. The speaker credited for a
//! listener's messages (the referrer of a referral sale, the "from" of an audit
//! trail) is chosen by keeping the largest of a per-(period, speaker, listener)
//! hash: a uniform choice among the speakers whose message arrived, also
//! independent of the order.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use super::rng::{BLOCK, Phase, chance, splitmix64, stream, uniform};
use crate::customer::CustomerState;
use crate::propagation::CompiledNetwork;

/// Word of mouth received by every customer in one period.
#[derive(Debug)]
pub(crate) struct Heard {
    positive: Vec<AtomicU32>,
    negative: Vec<AtomicU32>,
    positive_from: Vec<AtomicU64>,
    negative_from: Vec<AtomicU64>,
}

/// What one period's talking produced, besides the messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TalkTally {
    /// Speakers who talked (advocates, adversaries).
    pub(crate) speakers: (u64, u64),
    /// Talk heard by listening: (praise, complaints).
    pub(crate) heard: (u64, u64),
    /// Of those, how many reached the business's backlog: (praise, complaints).
    pub(crate) reached: (u64, u64),
}

impl TalkTally {
    fn merge(mut self, o: TalkTally) -> TalkTally {
        self.speakers.0 += o.speakers.0;
        self.speakers.1 += o.speakers.1;
        self.heard.0 += o.heard.0;
        self.heard.1 += o.heard.1;
        self.reached.0 += o.reached.0;
        self.reached.1 += o.reached.1;
        self
    }
}

/// The per-period parameters of talking.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TalkParams<'a> {
    pub(crate) seed: u64,
    pub(crate) period: u32,
    /// Chance an advocate talks, before any advocacy programme.
    pub(crate) advocate_talk: f64,
    /// Chance an adversary talks.
    pub(crate) adversary_talk: f64,
    /// `programme_talk x relevance` of the advocacy programmes running this
    /// period, per profile index (empty when none runs).
    pub(crate) programme_boost: &'a [f64],
    /// Chance listening hears one speaker's talk (0 when nobody listens).
    pub(crate) listen_capture: f64,
    /// Chance what listening hears reaches the business.
    pub(crate) feedback_reach: f64,
}

impl Heard {
    pub(crate) fn new(customers: usize) -> Self {
        let zeros32 = |n| (0..n).map(|_| AtomicU32::new(0)).collect();
        let zeros64 = |n| (0..n).map(|_| AtomicU64::new(0)).collect();
        Heard {
            positive: zeros32(customers),
            negative: zeros32(customers),
            positive_from: zeros64(customers),
            negative_from: zeros64(customers),
        }
    }

    fn clear(&mut self) {
        self.positive
            .par_iter_mut()
            .chain(self.negative.par_iter_mut())
            .for_each(|c| *c.get_mut() = 0);
        self.positive_from
            .par_iter_mut()
            .chain(self.negative_from.par_iter_mut())
            .for_each(|c| *c.get_mut() = 0);
    }

    /// Messages `node` received: (positive, negative).
    pub(crate) fn count(&self, node: usize) -> (u32, u32) {
        let load = |v: &[AtomicU32]| v.get(node).map_or(0, |c| c.load(Ordering::Relaxed));
        (load(&self.positive), load(&self.negative))
    }

    /// The speaker credited for `node`'s positive (or negative) messages, if any
    /// arrived.
    pub(crate) fn speaker(&self, node: usize, positive: bool) -> Option<u32> {
        let (count, from) = if positive {
            (&self.positive, &self.positive_from)
        } else {
            (&self.negative, &self.negative_from)
        };
        let arrived = count.get(node)?.load(Ordering::Relaxed) > 0;
        arrived
            .then(|| (from.get(node).map_or(0, |f| f.load(Ordering::Relaxed)) & 0xFFFF_FFFF) as u32)
    }

    /// Phase A: every advocate talks with the advocate rate (raised by an
    /// advocacy programme that lands on them), every adversary with the
    /// adversary rate; a talking speaker's message crosses each out-tie with the
    /// tie's probability, and a distrustful (negative) tie turns it into its
    /// opposite. Listening hears each talking speaker with `listen_capture`.
    ///
    /// # Complexity
    /// O(n + sum of the out-degrees of the speakers who talk).
    pub(crate) fn spread(
        &mut self,
        net: &CompiledNetwork,
        states: &[CustomerState],
        profile_of: &[u16],
        params: &TalkParams<'_>,
    ) -> TalkTally {
        self.clear();
        let this = &*self;
        let pick_key = splitmix64(splitmix64(params.seed ^ 0x5EED_7A1C) ^ u64::from(params.period));
        states
            .par_chunks(BLOCK)
            .zip(profile_of.par_chunks(BLOCK))
            .enumerate()
            .map(|(block, (states, profiles))| {
                let mut rng = stream(params.seed, params.period, block, Phase::Talk);
                let mut tally = TalkTally::default();
                for (k, (state, &profile)) in states.iter().zip(profiles).enumerate() {
                    let voice = state.stage().voice();
                    if voice == 0 {
                        continue;
                    }
                    let talk = if voice > 0 {
                        let boost = params
                            .programme_boost
                            .get(usize::from(profile))
                            .copied()
                            .unwrap_or(0.0);
                        params.advocate_talk + (1.0 - params.advocate_talk) * boost
                    } else {
                        params.adversary_talk
                    };
                    if !chance(&mut rng, talk) {
                        continue;
                    }
                    if voice > 0 {
                        tally.speakers.0 += 1;
                    } else {
                        tally.speakers.1 += 1;
                    }
                    let speaker = (block * BLOCK + k) as u32;
                    let arcs = net.out_arcs(speaker);
                    for (j, (&listener, &p)) in
                        arcs.targets.iter().zip(arcs.probabilities).enumerate()
                    {
                        if uniform(&mut rng) >= f64::from(p) {
                            continue;
                        }
                        let flipped = net.is_negative(arcs.first_arc + j as u32);
                        let positive = (voice > 0) != flipped;
                        this.deliver(listener, speaker, positive, pick_key);
                    }
                    if chance(&mut rng, params.listen_capture) {
                        let reached = chance(&mut rng, params.feedback_reach);
                        if voice > 0 {
                            tally.heard.0 += 1;
                            tally.reached.0 += u64::from(reached);
                        } else {
                            tally.heard.1 += 1;
                            tally.reached.1 += u64::from(reached);
                        }
                    }
                }
                tally
            })
            .reduce(TalkTally::default, TalkTally::merge)
    }

    fn deliver(&self, listener: u32, speaker: u32, positive: bool, pick_key: u64) {
        let l = listener as usize;
        let (count, from) = if positive {
            (&self.positive, &self.positive_from)
        } else {
            (&self.negative, &self.negative_from)
        };
        if let (Some(c), Some(f)) = (count.get(l), from.get(l)) {
            c.fetch_add(1, Ordering::Relaxed);
            let h = splitmix64(pick_key ^ (u64::from(speaker) << 32 | u64::from(listener)));
            f.fetch_max((h & !0xFFFF_FFFF) | u64::from(speaker), Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::Stage;
    use crate::network::InfluenceNetwork;

    fn params(period: u32) -> TalkParams<'static> {
        TalkParams {
            seed: 5,
            period,
            advocate_talk: 1.0,
            adversary_talk: 1.0,
            programme_boost: &[],
            listen_capture: 1.0,
            feedback_reach: 0.0,
        }
    }

    #[test]
    fn certain_ties_deliver_and_negative_ties_flip_the_message() {
        // a (advocate) -> c trusted, b (adversary) -> c trusted, a -> d distrusted.
        let net =
            InfluenceNetwork::from_triples([("a", "c", 1.0), ("b", "c", 1.0), ("a", "d", -1.0)])
                .unwrap();
        let compiled = CompiledNetwork::from_network(&net);
        let node = |id| compiled.node_of(id).unwrap() as usize;
        let mut states = vec![CustomerState::new(Stage::Aware); 4];
        states[node("a")] = CustomerState::new(Stage::Advocate);
        states[node("b")] = CustomerState::new(Stage::Adversary);
        let profiles = vec![0u16; 4];
        let mut heard = Heard::new(4);
        let tally = heard.spread(&compiled, &states, &profiles, &params(0));
        assert_eq!(heard.count(node("c")), (1, 1));
        assert_eq!(heard.count(node("d")), (0, 1));
        assert_eq!(heard.speaker(node("d"), false), Some(node("a") as u32));
        assert_eq!(heard.speaker(node("d"), true), None);
        assert_eq!(tally.speakers, (1, 1));
        assert_eq!(tally.heard, (1, 1));
        assert_eq!(tally.reached, (0, 0));
        // Nothing is left over from an earlier period.
        states[node("a")] = CustomerState::new(Stage::Customer);
        heard.spread(&compiled, &states, &profiles, &params(1));
        assert_eq!(heard.count(node("d")), (0, 0));
        assert_eq!(heard.count(node("c")), (0, 1));
    }

    #[test]
    fn the_credited_speaker_is_uniform_among_those_who_arrived() {
        // Four advocates all reach one listener; over many periods each is
        // credited about a quarter of the time (sd of a count at n = 4000,
        // p = 1/4 is 27; allow 5 sd).
        let net = InfluenceNetwork::from_triples([
            ("s0", "l", 1.0),
            ("s1", "l", 1.0),
            ("s2", "l", 1.0),
            ("s3", "l", 1.0),
        ])
        .unwrap();
        let compiled = CompiledNetwork::from_network(&net);
        let mut states = vec![CustomerState::new(Stage::Advocate); 5];
        let l = compiled.node_of("l").unwrap() as usize;
        states[l] = CustomerState::new(Stage::Aware);
        let profiles = vec![0u16; 5];
        let mut heard = Heard::new(5);
        let mut credited = [0u32; 5];
        for period in 0..4000 {
            heard.spread(&compiled, &states, &profiles, &params(period));
            assert_eq!(heard.count(l), (4, 0));
            credited[heard.speaker(l, true).unwrap() as usize] += 1;
        }
        assert_eq!(credited[l], 0);
        for (node, &c) in credited.iter().enumerate() {
            if node != l {
                assert!((f64::from(c) - 1000.0).abs() < 135.0, "{credited:?}");
            }
        }
    }
}
