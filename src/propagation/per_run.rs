//! The per-run cascade: one run at a time, for every model.
//!
//! Independent Cascade, Linear Threshold and the signed cascade share one
//! breadth-first mechanism, parameterised by how an arc decides to pass influence
//! ([`ArcRule`]) and whether messages carry a sign. With per-arc coins it is the
//! reference implementation the word-parallel Independent Cascade is tested
//! against; with live arcs drawn by geometric skipping it is the
//! [`Engine::Skipping`](super::Engine) engine.

use super::live_arcs::LiveArcSampler;
use super::streams::{UnitKeys, arc_is_live, node_coin, node_uniform, threshold};
use super::tally::Tally;
use super::{CompiledNetwork, Model};

const POSITIVE: u8 = 1;
const NEGATIVE: u8 = 2;

/// How an arc from a node that acts decides whether it reaches its target.
#[derive(Debug, Clone, Copy)]
enum ArcRule<'a> {
    /// Live with the arc's probability by its own coin, keyed by the arc
    /// (Independent Cascade, signed cascade).
    Coin,
    /// Live with the arc's probability, the acting node's live arcs drawn by
    /// geometric skipping; dead arcs are never looked at.
    Skip(&'a LiveArcSampler),
    /// Adds its weight to the target, which activates at its threshold (LT).
    Threshold,
}

/// The per-run rules of one model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunRules<'a> {
    rule: ArcRule<'a>,
    signed: bool,
    /// Fixed-point chance that negative wins a same-step tie.
    negativity_threshold: u64,
}

impl<'a> RunRules<'a> {
    /// The rules of `model`. With a `sampler`, the coin models (Independent
    /// Cascade, signed) draw their live arcs by geometric skipping; Linear
    /// Threshold has no coins and ignores it.
    pub(crate) fn of(model: Model, sampler: Option<&'a LiveArcSampler>) -> Self {
        let coin = sampler.map_or(ArcRule::Coin, ArcRule::Skip);
        match model {
            Model::IndependentCascade => RunRules {
                rule: coin,
                signed: false,
                negativity_threshold: 0,
            },
            Model::LinearThreshold => RunRules {
                rule: ArcRule::Threshold,
                signed: false,
                negativity_threshold: 0,
            },
            Model::Signed { negativity_bias } => RunRules {
                rule: coin,
                signed: true,
                negativity_threshold: threshold(negativity_bias.get() as f32),
            },
        }
    }

    fn is_threshold(&self) -> bool {
        matches!(self.rule, ArcRule::Threshold)
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
    /// Work done so far, for the automatic choice of engine.
    work: RunWork,
    /// One bit per node activated in any run so far (only when tracked).
    union: Vec<u64>,
}

/// Counts of the work of the runs a [`RunWorker`] has simulated: what the
/// automatic engine choice weighs (see `monte_carlo::cost`). Counts of disjoint
/// sets of runs add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RunWork {
    /// Runs simulated.
    pub runs: u64,
    /// Nodes that acted, summed over the runs.
    pub nodes: u64,
    /// Random words the live-arc sampler drew (skipping only).
    pub draws: u64,
    /// Arcs whose target was looked at.
    pub arcs: u64,
    /// Out-degree summed over each run's active set, over the runs (when tracked).
    pub active_degree: u64,
}

impl std::ops::Add for RunWork {
    type Output = RunWork;

    fn add(self, other: RunWork) -> RunWork {
        RunWork {
            runs: self.runs + other.runs,
            nodes: self.nodes + other.nodes,
            draws: self.draws + other.draws,
            arcs: self.arcs + other.arcs,
            active_degree: self.active_degree + other.active_degree,
        }
    }
}

impl RunWorker {
    pub(crate) fn new(network: &CompiledNetwork, rules: RunRules, record_arcs: bool) -> Self {
        let n = network.node_count();
        RunWorker {
            opinion: vec![0; n],
            pending: vec![0; n],
            received: if rules.is_threshold() {
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
            work: RunWork::default(),
            union: Vec::new(),
        }
    }

    /// Also tracks the union of the runs' active sets (see [`RunWorker::union`])
    /// and [`RunWork::active_degree`].
    pub(crate) fn track_union(mut self, network: &CompiledNetwork) -> Self {
        self.union = vec![0; network.node_count().div_ceil(64)];
        self
    }

    /// The union of the active sets of the runs simulated so far, one bit per
    /// node (empty unless tracked).
    pub(crate) fn union(&self) -> &[u64] {
        &self.union
    }

    /// The work of the runs simulated so far.
    pub(crate) fn work(&self) -> RunWork {
        self.work
    }

    /// Node `u`, of opinion `sender`, acts along `arc`: the arc's rule decides
    /// whether its message reaches the (still neutral) target this step.
    #[inline(always)]
    fn offer(
        &mut self,
        network: &CompiledNetwork,
        rules: RunRules<'_>,
        keys: UnitKeys,
        sender: u8,
        arc: usize,
    ) {
        self.work.arcs += 1;
        let v = network.targets()[arc] as usize;
        if self.opinion[v] != 0 {
            return;
        }
        let message = if rules.signed && network.is_negative(arc as u32) {
            POSITIVE + NEGATIVE - sender
        } else {
            sender
        };
        if self.pending[v] & message != 0 {
            return;
        }
        let reaches = match rules.rule {
            // The sampler drew this arc live.
            ArcRule::Skip(_) => true,
            ArcRule::Coin => arc_is_live(
                keys.arc,
                arc as u32,
                threshold(network.probabilities()[arc]),
            ),
            ArcRule::Threshold => {
                let received = &mut self.received[v];
                if *received == 0.0 {
                    self.weighted.push(v as u32);
                }
                *received += f64::from(network.probabilities()[arc]);
                *received >= node_uniform(keys.node, v as u32)
            }
        };
        if !reaches {
            return;
        }
        if self.pending[v] == 0 {
            self.next.push(v as u32);
        }
        self.pending[v] |= message;
        if let Some(c) = self.credit.get_mut(v) {
            c[usize::from(message - 1)] = arc as u32;
        }
    }

    /// Simulates one run keyed by `keys` and adds it to `tally`.
    ///
    /// Seed nodes must be `< node_count()` (checked by the caller).
    pub(crate) fn run(
        &mut self,
        network: &CompiledNetwork,
        rules: RunRules<'_>,
        seeds: &SeedNodes,
        keys: UnitKeys,
        tally: &mut Tally,
    ) {
        self.run_and_inspect(network, rules, seeds, keys, tally, |_| {});
    }

    /// As [`RunWorker::run`], and shows `inspect` the run's active nodes (seeds
    /// included, each once) before the buffers are reset.
    pub(crate) fn run_and_inspect(
        &mut self,
        network: &CompiledNetwork,
        rules: RunRules<'_>,
        seeds: &SeedNodes,
        keys: UnitKeys,
        tally: &mut Tally,
        inspect: impl FnOnce(&[u32]),
    ) {
        let record = tally.record();
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
            let frontier = std::mem::take(&mut self.frontier);
            self.work.nodes += frontier.len() as u64;
            for &u in &frontier {
                let sender = self.opinion[u as usize];
                match rules.rule {
                    ArcRule::Skip(sampler) => {
                        let mut live = sampler.live_arcs(network, u, keys.arc);
                        for arc in live.by_ref() {
                            self.offer(network, rules, keys, sender, arc);
                        }
                        self.work.draws += live.draws();
                    }
                    ArcRule::Coin | ArcRule::Threshold => {
                        for arc in network.arc_range(u) {
                            self.offer(network, rules, keys, sender, arc);
                        }
                    }
                }
            }
            self.frontier = frontier;
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
        inspect(&self.touched);
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
            if let Some(word) = self.union.get_mut(v as usize / 64) {
                *word |= 1u64 << (v % 64);
                self.work.active_degree += network.out_degree(v) as u64;
            }
        }
        for &v in &self.weighted {
            self.received[v as usize] = 0.0;
        }
        self.touched.clear();
        self.weighted.clear();
        self.work.runs += 1;
        tally.add_run(positive, negative);
    }
}
