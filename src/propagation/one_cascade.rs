//! One cascade on demand, for callers that need each run's outcome node by
//! node: the value loop's word of mouth runs one cascade per period through the
//! per-run engine's own code (not a copy), so it follows [`Model`]'s rules
//! exactly.
//!
//! [`OneCascade::run`] takes the positive and negative speakers and a key, and
//! returns who was reached (speakers excluded), on which side, and by whom:
//!
//! * **Keys.** The cascade of `(seed, run, period)` draws from the unit stream
//!   `(seed', unit)` of [`streams`](super::streams), with `seed'` a fixed mix of
//!   `seed` and `unit = run · 2³² + period`: every period of every run has its
//!   own live-edge world, and the same key gives the same world whoever speaks
//!   (arc `a` is live by its own coin), so two scenarios that differ only in
//!   their speakers are compared on common random numbers.
//! * **Sides.** [`Model::Signed`] runs both sides in one cascade (distrust
//!   flips a message, first arrival wins, `negativity_bias` breaks same-step
//!   ties). Independent Cascade and Linear Threshold carry no opinion: each
//!   side spreads as its own cascade of the model, under its own key (the
//!   negative side's key is the positive side's with a fixed salt), so a
//!   customer may be reached by both.
//! * **By whom.** A reached customer is credited to one of the customers whose
//!   talk crossed a tie into them with the side they took (a live arc from an
//!   active customer; for Linear Threshold, any active in-neighbour with a
//!   positive weight), chosen uniformly by a keyed hash: the person who "told
//!   them", as a referral is credited.

use super::per_run::{RunRules, RunWorker, SeedNodes};
use super::streams::{GOLDEN, UnitKeys, arc_is_live, coin, mix64, threshold};
use super::tally::{Record, Tally};
use super::{CompiledNetwork, Model};

/// Salt that separates the talk's master seed from the other streams of `seed`.
const TALK_SALT: u64 = 0x7A1C_5EED_0B0E_3C1D;

/// Salt of the negative side's cascade for the unsigned models.
const NEGATIVE_SALT: u64 = 0xA076_1D64_78BD_642F;

/// "No credit yet" in [`OneCascade::best`]: above every candidate, whose low
/// half is a node number below `u32::MAX`.
const UNSET: u64 = u64::MAX;

/// One customer the cascade reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reached {
    /// The customer's node.
    pub node: u32,
    /// Whether the talk that reached them was negative.
    pub negative: bool,
    /// The node credited for reaching them (see the module docs).
    pub from: u32,
}

/// Reusable buffers of the one-cascade entry point: O(n) memory, allocated
/// once; each run costs the cascade plus one pass over the active customers'
/// out-arcs (for the credit).
#[derive(Debug)]
pub(crate) struct OneCascade {
    model: Model,
    worker: RunWorker,
    tally: Tally,
    active: Vec<u32>,
    /// Per node: 0 inactive, 1 reached, 2 speaker (reset after each run).
    mark: Vec<u8>,
    /// Per node: the best credit so far, high half of a keyed hash and the
    /// crediting node in the low half, or [`UNSET`] (reset after each run).
    best: Vec<u64>,
    reached: Vec<Reached>,
}

impl OneCascade {
    /// Buffers for cascades of `model` on `network` (for Linear Threshold the
    /// caller checks the weights with [`Model::validate`] first).
    pub(crate) fn new(network: &CompiledNetwork, model: Model) -> Self {
        let n = network.node_count();
        let record = Record {
            nodes: true,
            signed: true,
            ..Record::default()
        };
        OneCascade {
            model,
            worker: RunWorker::new(network, RunRules::of(model, None), false),
            tally: Tally::new(record, n, 0),
            active: Vec::new(),
            mark: vec![0; n],
            best: vec![UNSET; n],
            reached: Vec::new(),
        }
    }

    /// Runs the cascade of `(seed, run, period)` from `positive` and `negative`
    /// speakers (node numbers below `network.node_count()`, the two lists
    /// disjoint) and returns the customers it reached, in no particular order.
    ///
    /// # Complexity
    /// O(speakers + out-arcs of the customers reached), on the calling thread.
    pub(crate) fn run(
        &mut self,
        network: &CompiledNetwork,
        positive: &[u32],
        negative: &[u32],
        (seed, run, period): (u64, u32, u32),
    ) -> &[Reached] {
        self.reached.clear();
        let keys = talk_keys(seed, run, period);
        match self.model {
            Model::Signed { .. } => self.side(network, positive, negative, keys, None),
            _ => {
                self.side(network, positive, &[], keys, Some(false));
                let salted = UnitKeys {
                    arc: keys.arc ^ NEGATIVE_SALT,
                    node: keys.node ^ NEGATIVE_SALT,
                };
                self.side(network, negative, &[], salted, Some(true));
            }
        }
        &self.reached
    }

    /// One cascade; `forced` is the side of every reached customer for the
    /// unsigned models (`None`: the signed cascade says).
    fn side(
        &mut self,
        network: &CompiledNetwork,
        positive: &[u32],
        negative: &[u32],
        keys: UnitKeys,
        forced: Option<bool>,
    ) {
        if positive.is_empty() && negative.is_empty() {
            return;
        }
        let seeds = SeedNodes {
            positive: positive.to_vec(),
            negative: negative.to_vec(),
        };
        let rules = RunRules::of(self.model, None);
        let active = &mut self.active;
        self.worker
            .run_and_inspect(network, rules, &seeds, keys, &mut self.tally, |nodes| {
                active.clear();
                active.extend_from_slice(nodes);
            });
        for speakers in [positive, negative] {
            for &s in speakers {
                if let Some(m) = self.mark.get_mut(s as usize) {
                    *m = 2;
                }
            }
        }
        for &v in &self.active {
            if let Some(m) = self.mark.get_mut(v as usize)
                && *m == 0
            {
                *m = 1;
            }
        }
        let side_of = |tally: &Tally, v: u32| -> bool {
            forced.unwrap_or_else(|| tally.node_negative.get(v as usize).is_some_and(|&c| c > 0))
        };
        // The credit: among the live arcs from an active customer into a
        // reached one that carry the side it took, the largest keyed hash.
        let signed = matches!(self.model, Model::Signed { .. });
        let threshold_model = self.model == Model::LinearThreshold;
        for &u in &self.active {
            let sender = side_of(&self.tally, u);
            let arcs = network.out_arcs(u);
            for (j, (&v, &p)) in arcs.targets.iter().zip(arcs.probabilities).enumerate() {
                if self.mark.get(v as usize) != Some(&1) {
                    continue;
                }
                let arc = arcs.first_arc + j as u32;
                let carried = if threshold_model {
                    p > 0.0
                } else {
                    arc_is_live(keys.arc, arc, threshold(p))
                };
                let message = sender != (signed && network.is_negative(arc));
                if !carried || message != side_of(&self.tally, v) {
                    continue;
                }
                let hash = coin(keys.node ^ GOLDEN, u64::from(u) << 32 | u64::from(v));
                let candidate = (hash & !0xFFFF_FFFF) | u64::from(u);
                if let Some(best) = self.best.get_mut(v as usize)
                    && (*best == UNSET || candidate > *best)
                {
                    *best = candidate;
                }
            }
        }
        for &v in &self.active {
            let vi = v as usize;
            let mark = self.mark.get(vi).copied().unwrap_or(0);
            if mark == 1 {
                // Every reached customer has a credit: the arc that reached
                // them is one of the candidates.
                if let Some(&b) = self.best.get(vi).filter(|&&b| b != UNSET) {
                    self.reached.push(Reached {
                        node: v,
                        negative: side_of(&self.tally, v),
                        from: (b & 0xFFFF_FFFF) as u32,
                    });
                }
            }
            if let Some(m) = self.mark.get_mut(vi) {
                *m = 0;
            }
            if let Some(b) = self.best.get_mut(vi) {
                *b = UNSET;
            }
            if let Some(c) = self.tally.node_active.get_mut(vi) {
                *c = 0;
            }
            if let Some(c) = self.tally.node_negative.get_mut(vi) {
                *c = 0;
            }
        }
    }
}

/// The unit keys of the talk of `(seed, run, period)`.
fn talk_keys(seed: u64, run: u32, period: u32) -> UnitKeys {
    let unit = u64::from(run) << 32 | u64::from(period);
    UnitKeys::new(mix64(seed ^ TALK_SALT), unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Probability;
    use crate::network::InfluenceNetwork;
    use crate::propagation::{MonteCarlo, MonteCarloSettings};

    fn compiled(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
        CompiledNetwork::from_network(
            &InfluenceNetwork::from_triples(triples.iter().copied()).unwrap(),
        )
    }

    fn sorted(reached: &[Reached]) -> Vec<Reached> {
        let mut v = reached.to_vec();
        v.sort_by_key(|r| (r.node, r.negative));
        v
    }

    #[test]
    fn the_signed_cascade_flips_on_distrust_and_credits_the_teller() {
        // a (advocate) -> b trusted -> c distrusted; x (adversary) -> y.
        let net = compiled(&[("a", "b", 1.0), ("b", "c", -1.0), ("x", "y", 1.0)]);
        let node = |id| net.node_of(id).unwrap();
        let mut one = OneCascade::new(&net, Model::signed_neutral());
        let got = sorted(one.run(&net, &[node("a")], &[node("x")], (1, 0, 0)));
        let want = sorted(&[
            Reached {
                node: node("b"),
                negative: false,
                from: node("a"),
            },
            Reached {
                node: node("c"),
                negative: true,
                from: node("b"),
            },
            Reached {
                node: node("y"),
                negative: true,
                from: node("x"),
            },
        ]);
        assert_eq!(got, want);
        // The buffers are clean for the next run.
        let got = one.run(&net, &[node("b")], &[], (1, 0, 1)).to_vec();
        assert_eq!(
            got,
            vec![Reached {
                node: node("c"),
                negative: true,
                from: node("b")
            }]
        );
    }

    #[test]
    fn unsigned_models_spread_each_side_on_its_own_and_ignore_signs() {
        // Both sides reach b; the distrusted tie does not flip anything.
        let net = compiled(&[("a", "b", 1.0), ("x", "b", -1.0)]);
        let node = |id| net.node_of(id).unwrap();
        for model in [Model::IndependentCascade, Model::LinearThreshold] {
            let net = if model == Model::LinearThreshold {
                compiled(&[("a", "b", 0.5), ("x", "b", -0.5)])
            } else {
                compiled(&[("a", "b", 1.0), ("x", "b", -1.0)])
            };
            let mut one = OneCascade::new(&net, model);
            let got = sorted(one.run(&net, &[node("a")], &[node("x")], (3, 1, 2)));
            let b = node("b");
            // LT: each side alone brings weight 0.5, so b is reached with
            // probability 0.5 per side; IC: for sure.
            if model == Model::IndependentCascade {
                assert_eq!(
                    got,
                    vec![
                        Reached {
                            node: b,
                            negative: false,
                            from: node("a")
                        },
                        Reached {
                            node: b,
                            negative: true,
                            from: node("x")
                        },
                    ]
                );
            } else {
                assert!(got.iter().all(|r| r.node == b), "{got:?}");
            }
        }
    }

    #[test]
    fn the_credit_is_uniform_among_the_tellers() {
        // Four advocates reach one listener for sure: each is credited about a
        // quarter of the time (sd of a count at n = 4000, p = 1/4 is 27; 5 sd).
        let net = compiled(&[
            ("s0", "l", 1.0),
            ("s1", "l", 1.0),
            ("s2", "l", 1.0),
            ("s3", "l", 1.0),
        ]);
        let speakers: Vec<u32> = ["s0", "s1", "s2", "s3"]
            .iter()
            .map(|s| net.node_of(s).unwrap())
            .collect();
        let mut one = OneCascade::new(&net, Model::IndependentCascade);
        let mut credited = [0u32; 5];
        for period in 0..4000 {
            let reached = one.run(&net, &speakers, &[], (7, 0, period));
            assert_eq!(reached.len(), 1);
            credited[reached[0].from as usize] += 1;
        }
        for &s in &speakers {
            assert!(
                (f64::from(credited[s as usize]) - 1000.0).abs() < 135.0,
                "{credited:?}"
            );
        }
    }

    #[test]
    fn one_cascade_per_key_has_the_monte_carlo_distribution() {
        // A small random-ish graph at p = 0.3: the mean reach over 4,000 keys
        // (runs) matches the Monte Carlo estimate minus the seeds within 5
        // standard errors of the difference.
        let mut triples = Vec::new();
        let names: Vec<String> = (0..30).map(|i| format!("n{i}")).collect();
        for i in 0..30usize {
            for d in [1usize, 3, 7] {
                triples.push((names[i].as_str(), names[(i + d) % 30].as_str(), 0.3));
            }
        }
        let net = compiled(&triples);
        let seeds = [net.node_of("n0").unwrap(), net.node_of("n15").unwrap()];
        let mut one = OneCascade::new(&net, Model::IndependentCascade);
        let runs = 4000u32;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for run in 0..runs {
            let k = one.run(&net, &seeds, &[], (11, run, 0)).len() as f64;
            sum += k;
            sum_sq += k * k;
        }
        let mean = sum / f64::from(runs);
        let se = ((sum_sq / f64::from(runs) - mean * mean) / f64::from(runs)).sqrt();
        let mc = MonteCarlo::new(Model::IndependentCascade)
            .settings(MonteCarloSettings::new(20_000, 5).unwrap())
            .estimate(&net, ["n0", "n15"])
            .unwrap();
        let diff = (mean - (mc.mean - 2.0)).abs();
        assert!(
            diff < 5.0 * (se * se + mc.std_err * mc.std_err).sqrt(),
            "{mean} vs {}",
            mc.mean - 2.0
        );
        let _ = Probability::ONE;
    }
}
