//! Phase A of a period: the advocates and adversaries who talk are the
//! speakers of the period's word-of-mouth cascade, run by the propagation
//! engine ([`OneCascade`]); listening hears some of the speakers.
//!
//! Who talks is a keyed draw per speaker, so the speakers do not depend on the
//! order of the blocks; the cascade runs on the calling thread, keyed by
//! (seed, run, period). Every reached customer gets at most one message per
//! side, with the customer credited for it.

use rayon::prelude::*;

use super::period::is_set;
use super::rng::{BLOCK, Dice, Purpose};
use crate::customer::CustomerState;
use crate::propagation::{CompiledNetwork, Model, OneCascade};

/// Slot of the "does this speaker talk" draw.
const TALKS: u32 = 0;
/// Slot, in a listening engagement's dice, of "does it hear this speaker".
pub(crate) const LISTEN_CAPTURE: u32 = 20;
/// Slot, in a listening engagement's dice, of "does what it heard reach the business".
pub(crate) const LISTEN_REACH: u32 = 21;

/// No message of this side reached the customer.
const NONE: u32 = u32::MAX;

/// The word of mouth of one period, and the buffers it reuses.
#[derive(Debug)]
pub(crate) struct Talk {
    cascade: OneCascade,
    /// Per customer: who told them praise this period ([`NONE`] if nobody).
    positive_from: Vec<u32>,
    /// Per customer: who told them criticism this period.
    negative_from: Vec<u32>,
    /// The customers whose entries are set, to reset them next period.
    set: Vec<u32>,
    /// Who was credited with each message this period (when recording).
    pub(crate) credited: Vec<u32>,
}

/// What one period's talking produced, besides the messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TalkTally {
    /// Speakers who talked (advocates, adversaries).
    pub(crate) speakers: (u64, u64),
    /// Customers reached by praise, by criticism.
    pub(crate) reached: (u64, u64),
    /// Talk heard by listening: (praise, complaints).
    pub(crate) heard: (u64, u64),
    /// Of those, how many reached the business's backlog: (praise, complaints).
    pub(crate) heard_reached: (u64, u64),
}

/// The per-period parameters of talking.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TalkParams<'a> {
    pub(crate) seed: u64,
    pub(crate) run: u32,
    pub(crate) period: u32,
    /// Whether customers talk at all (their word of mouth switched on).
    pub(crate) customers_talk: bool,
    /// Chance an advocate talks this period, before any advocacy programme.
    pub(crate) advocate_talk: f64,
    /// Chance an adversary talks this period.
    pub(crate) adversary_talk: f64,
    /// `programme_talk x relevance` of the advocacy programmes running this
    /// period, per profile index (empty when none runs).
    pub(crate) programme_boost: &'a [f64],
    /// `(node, boost)` for the customers a programme targets by name, by
    /// node: replaces their profile's boost.
    pub(crate) programme_targets: &'a [(u32, f64)],
    /// The plan indices of the listening engagements running this period.
    pub(crate) listening: &'a [u32],
    /// Chance one listening engagement hears one speaker.
    pub(crate) listen_capture: f64,
    /// Chance what listening hears reaches the business.
    pub(crate) feedback_reach: f64,
    /// Bitset of the customers who do not talk (their contributions switched
    /// off, see [`super::engagement`]); empty: everyone may.
    pub(crate) silenced: &'a [u64],
    /// Whether to record who is credited with each message ([`Talk::credited`]).
    pub(crate) record: bool,
}

impl Talk {
    /// Buffers for `network` and word of mouth by `model`.
    pub(crate) fn new(network: &CompiledNetwork, model: Model) -> Self {
        let n = network.node_count();
        Talk {
            cascade: OneCascade::new(network, model),
            positive_from: vec![NONE; n],
            negative_from: vec![NONE; n],
            set: Vec::new(),
            credited: Vec::new(),
        }
    }

    /// Who told `node` praise and who told them criticism this period.
    pub(crate) fn heard(&self, node: usize) -> (Option<u32>, Option<u32>) {
        let get = |v: &[u32]| v.get(node).copied().filter(|&f| f != NONE);
        (get(&self.positive_from), get(&self.negative_from))
    }

    /// Phase A: every advocate talks with the advocate rate (raised by an
    /// advocacy programme that lands on them), every adversary with the
    /// adversary rate; the speakers start one cascade of the word-of-mouth
    /// model; every listening engagement hears each speaker with
    /// `listen_capture`.
    ///
    /// # Complexity
    /// O(n) to find the speakers (in parallel), plus the cascade: the
    /// speakers and the out-arcs of the customers it reaches.
    pub(crate) fn spread(
        &mut self,
        net: &CompiledNetwork,
        states: &[CustomerState],
        profile_of: &[u16],
        params: &TalkParams<'_>,
    ) -> TalkTally {
        for &v in &self.set {
            if let Some(f) = self.positive_from.get_mut(v as usize) {
                *f = NONE;
            }
            if let Some(f) = self.negative_from.get_mut(v as usize) {
                *f = NONE;
            }
        }
        self.set.clear();
        self.credited.clear();
        let mut tally = TalkTally::default();
        if !params.customers_talk {
            return tally;
        }
        let dice = Dice::new(params.seed, params.run, params.period, Purpose::Talk);
        let blocks: Vec<(Vec<u32>, Vec<u32>)> = states
            .par_chunks(BLOCK)
            .zip(profile_of.par_chunks(BLOCK))
            .enumerate()
            .map(|(block, (states, profiles))| {
                let (mut positive, mut negative) = (Vec::new(), Vec::new());
                for (k, (state, &profile)) in states.iter().zip(profiles).enumerate() {
                    let node = (block * BLOCK + k) as u32;
                    if is_set(params.silenced, node) {
                        continue;
                    }
                    let talk = match state.stage().voice() {
                        0 => continue,
                        v if v > 0 => {
                            let targeted = params
                                .programme_targets
                                .binary_search_by_key(&node, |t| t.0)
                                .ok()
                                .and_then(|i| params.programme_targets.get(i));
                            let boost = match targeted {
                                Some(&(_, boost)) => boost,
                                None => params
                                    .programme_boost
                                    .get(usize::from(profile))
                                    .copied()
                                    .unwrap_or(0.0),
                            };
                            params.advocate_talk + (1.0 - params.advocate_talk) * boost
                        }
                        _ => params.adversary_talk,
                    };
                    if dice.chance(node, TALKS, talk) {
                        if state.stage().voice() > 0 {
                            positive.push(node);
                        } else {
                            negative.push(node);
                        }
                    }
                }
                (positive, negative)
            })
            .collect();
        let mut positive = Vec::new();
        let mut negative = Vec::new();
        for (p, n) in blocks {
            positive.extend(p);
            negative.extend(n);
        }
        tally.speakers = (positive.len() as u64, negative.len() as u64);
        for &e in params.listening {
            let ear = Dice::new(
                params.seed,
                params.run,
                params.period,
                Purpose::Engagement(e),
            );
            for (side, speakers) in [(0, &positive), (1, &negative)] {
                for &s in speakers.iter() {
                    if ear.chance(s, LISTEN_CAPTURE, params.listen_capture) {
                        let reached = ear.chance(s, LISTEN_REACH, params.feedback_reach);
                        if side == 0 {
                            tally.heard.0 += 1;
                            tally.heard_reached.0 += u64::from(reached);
                        } else {
                            tally.heard.1 += 1;
                            tally.heard_reached.1 += u64::from(reached);
                        }
                    }
                }
            }
        }
        let key = (params.seed, params.run, params.period);
        for r in self.cascade.run(net, &positive, &negative, key) {
            let (slot, count) = if r.negative {
                (
                    self.negative_from.get_mut(r.node as usize),
                    &mut tally.reached.1,
                )
            } else {
                (
                    self.positive_from.get_mut(r.node as usize),
                    &mut tally.reached.0,
                )
            };
            if let Some(f) = slot {
                if params.record {
                    self.credited.push(r.from);
                }
                *f = r.from;
                *count += 1;
                self.set.push(r.node);
            }
        }
        tally
    }
}
