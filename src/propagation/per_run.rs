//! The per-run cascade: one run at a time, for every model.
//!
//! Independent Cascade, Linear Threshold and the signed cascade share one
//! breadth-first mechanism, parameterised by how an arc decides to pass influence
//! ([`ArcRule`]) and whether messages carry a sign. It is the reference
//! implementation: the word-parallel Independent Cascade is tested against it.

use super::streams::{UnitKeys, arc_is_live, node_coin, node_uniform, threshold};
use super::tally::Tally;
use super::{CompiledNetwork, Model};

const POSITIVE: u8 = 1;
const NEGATIVE: u8 = 2;

/// How an arc from a node that acts decides whether it reaches its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArcRule {
    /// Live with the arc's probability (Independent Cascade, signed cascade).
    Coin,
    /// Adds its weight to the target, which activates at its threshold (LT).
    Threshold,
}

/// The per-run rules of one model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunRules {
    rule: ArcRule,
    signed: bool,
    /// Fixed-point chance that negative wins a same-step tie.
    negativity_threshold: u64,
}

impl RunRules {
    pub(crate) fn of(model: Model) -> Self {
        match model {
            Model::IndependentCascade => RunRules {
                rule: ArcRule::Coin,
                signed: false,
                negativity_threshold: 0,
            },
            Model::LinearThreshold => RunRules {
                rule: ArcRule::Threshold,
                signed: false,
                negativity_threshold: 0,
            },
            Model::Signed { negativity_bias } => RunRules {
                rule: ArcRule::Coin,
                signed: true,
                negativity_threshold: threshold(negativity_bias.get() as f32),
            },
        }
    }
}

/// Seed nodes of a run, deduplicated, the two sides disjoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SeedNodes {
    pub positive: Vec<u32>,
    pub negative: Vec<u32>,
}

/// Reusable buffers of one worker thread (no allocation per run).
///
/// Memory: 2 bytes per node, plus 8 per node for Linear Threshold and 8 per
/// node when who-influenced-whom is recorded.
#[derive(Debug)]
pub(crate) struct RunWorker {
    opinion: Vec<u8>,
    pending: Vec<u8>,
    /// Linear Threshold: weight received so far.
    received: Vec<f64>,
    /// Who-influenced-whom: first arc that brought each opinion this step.
    credit: Vec<[u32; 2]>,
    frontier: Vec<u32>,
    next: Vec<u32>,
    touched: Vec<u32>,
    weighted: Vec<u32>,
}

impl RunWorker {
    pub(crate) fn new(network: &CompiledNetwork, rules: RunRules, record_arcs: bool) -> Self {
        let n = network.node_count();
        RunWorker {
            opinion: vec![0; n],
            pending: vec![0; n],
            received: if rules.rule == ArcRule::Threshold {
                vec![0.0; n]
            } else {
                Vec::new()
            },
            credit: if record_arcs {
                vec![[0; 2]; n]
            } else {
                Vec::new()
            },
            frontier: Vec::new(),
            next: Vec::new(),
            touched: Vec::new(),
            weighted: Vec::new(),
        }
    }

    /// Simulates one run keyed by `keys` and adds it to `tally`.
    ///
    /// Seed nodes must be `< node_count()` (checked by the caller).
    pub(crate) fn run(
        &mut self,
        network: &CompiledNetwork,
        rules: RunRules,
        seeds: &SeedNodes,
        keys: UnitKeys,
        tally: &mut Tally,
    ) {
        let record = tally.record();
        let targets = network.targets();
        let probabilities = network.probabilities();
        for (side, nodes) in [(POSITIVE, &seeds.positive), (NEGATIVE, &seeds.negative)] {
            for &s in nodes.iter() {
                if let Some(o) = self.opinion.get_mut(s as usize) {
                    *o = side;
                    self.touched.push(s);
                    self.frontier.push(s);
                }
            }
        }
        tally.add_step(0, self.frontier.len() as u64);
        let mut step = 0;
        while !self.frontier.is_empty() {
            step += 1;
            for &u in &self.frontier {
                let sender = self.opinion[u as usize];
                for arc in network.arc_range(u) {
                    let v = targets[arc] as usize;
                    if self.opinion[v] != 0 {
                        continue;
                    }
                    let message = if rules.signed && network.is_negative(arc as u32) {
                        POSITIVE + NEGATIVE - sender
                    } else {
                        sender
                    };
                    if self.pending[v] & message != 0 {
                        continue;
                    }
                    let reaches = match rules.rule {
                        ArcRule::Coin => {
                            arc_is_live(keys.arc, arc as u32, threshold(probabilities[arc]))
                        }
                        ArcRule::Threshold => {
                            let received = &mut self.received[v];
                            if *received == 0.0 {
                                self.weighted.push(v as u32);
                            }
                            *received += f64::from(probabilities[arc]);
                            *received >= node_uniform(keys.node, v as u32)
                        }
                    };
                    if !reaches {
                        continue;
                    }
                    if self.pending[v] == 0 {
                        self.next.push(v as u32);
                    }
                    self.pending[v] |= message;
                    if let Some(c) = self.credit.get_mut(v) {
                        c[usize::from(message - 1)] = arc as u32;
                    }
                }
            }
            self.frontier.clear();
            for &v in &self.next {
                let vi = v as usize;
                let arrived = self.pending[vi];
                self.pending[vi] = 0;
                let side = if arrived == POSITIVE | NEGATIVE {
                    if node_coin(keys.node, v, rules.negativity_threshold) {
                        NEGATIVE
                    } else {
                        POSITIVE
                    }
                } else {
                    arrived
                };
                self.opinion[vi] = side;
                self.touched.push(v);
                self.frontier.push(v);
                if let Some(c) = self.credit.get(vi) {
                    tally.add_arc(c[usize::from(side - 1)] as usize, 1);
                }
            }
            tally.add_step(step, self.next.len() as u64);
            self.next.clear();
        }
        let (mut positive, mut negative) = (0u64, 0u64);
        for &v in &self.touched {
            let o = &mut self.opinion[v as usize];
            let is_negative = *o == NEGATIVE;
            if is_negative {
                negative += 1;
            } else {
                positive += 1;
            }
            if record.nodes {
                tally.add_node(v as usize, 1, u64::from(is_negative));
            }
            *o = 0;
        }
        for &v in &self.weighted {
            self.received[v as usize] = 0.0;
        }
        self.touched.clear();
        self.weighted.clear();
        tally.add_run(positive, negative);
    }
}
