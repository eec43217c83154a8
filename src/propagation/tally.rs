//! [`Tally`]: exact integer accumulators of Monte Carlo runs.
//!
//! Every count is an integer, so adding tallies is exact, associative and
//! commutative: however rayon splits and merges the units, the final tally (and so
//! the estimate) is bit-identical.

use super::estimate::{
    InfluenceCount, NodeActivation, SignedReach, SpreadEstimate, StepActivity, Summary,
};
use super::{CompiledNetwork, Engine, Model};

/// Which optional outputs to accumulate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Record {
    pub nodes: bool,
    pub steps: bool,
    pub arcs: bool,
    pub signed: bool,
}

/// Sum and sum of squares of a per-run count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Moments {
    sum: u128,
    sum_sq: u128,
}

impl Moments {
    #[inline]
    pub(crate) fn add(&mut self, x: u64) {
        let x = u128::from(x);
        self.sum += x;
        self.sum_sq += x * x;
    }

    /// The sum and the sum of squares.
    pub(crate) fn sums(&self) -> [u128; 2] {
        [self.sum, self.sum_sq]
    }

    fn merge(&mut self, other: Moments) {
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    fn summary(&self, runs: u64) -> Summary {
        Summary::from_sums(runs, self.sum, self.sum_sq)
    }
}

/// Integer accumulators for a set of runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub runs: u64,
    pub total: Moments,
    pub positive: Moments,
    pub negative: Moments,
    /// Per node: runs in which it was active (either side).
    pub node_active: Vec<u64>,
    /// Per node: runs in which it ended negative (signed only).
    pub node_negative: Vec<u64>,
    /// Per step: activations at that step, summed over runs.
    pub steps: Vec<u64>,
    /// Per arc: runs in which it carried the activation.
    pub arcs: Vec<u64>,
    record: Record,
}

impl Tally {
    pub(crate) fn new(record: Record, nodes: usize, arcs: usize) -> Self {
        Tally {
            node_active: if record.nodes {
                vec![0; nodes]
            } else {
                Vec::new()
            },
            node_negative: if record.nodes && record.signed {
                vec![0; nodes]
            } else {
                Vec::new()
            },
            arcs: if record.arcs {
                vec![0; arcs]
            } else {
                Vec::new()
            },
            record,
            ..Tally::default()
        }
    }

    pub(crate) fn record(&self) -> Record {
        self.record
    }

    /// Adds `count` activations at `step`.
    #[inline]
    pub(crate) fn add_step(&mut self, step: usize, count: u64) {
        if self.record.steps {
            if self.steps.len() <= step {
                self.steps.resize(step + 1, 0);
            }
            if let Some(s) = self.steps.get_mut(step) {
                *s += count;
            }
        }
    }

    /// Adds `count` runs in which `arc` carried the activation.
    #[inline]
    pub(crate) fn add_arc(&mut self, arc: usize, count: u64) {
        if let Some(a) = self.arcs.get_mut(arc) {
            *a += count;
        }
    }

    /// Adds `count` runs in which `node` was active, `negative` of them negative.
    #[inline]
    pub(crate) fn add_node(&mut self, node: usize, count: u64, negative: u64) {
        if let Some(a) = self.node_active.get_mut(node) {
            *a += count;
        }
        if let Some(a) = self.node_negative.get_mut(node) {
            *a += negative;
        }
    }

    /// Adds one run with `positive` and `negative` reach.
    #[inline]
    pub(crate) fn add_run(&mut self, positive: u64, negative: u64) {
        self.runs += 1;
        self.total.add(positive + negative);
        self.positive.add(positive);
        self.negative.add(negative);
    }

    pub(crate) fn merge(mut self, other: Tally) -> Tally {
        self.runs += other.runs;
        self.total.merge(other.total);
        self.positive.merge(other.positive);
        self.negative.merge(other.negative);
        add_into(&mut self.node_active, &other.node_active);
        add_into(&mut self.node_negative, &other.node_negative);
        add_into(&mut self.steps, &other.steps);
        add_into(&mut self.arcs, &other.arcs);
        self
    }

    /// Turns the counts into an estimate.
    pub(crate) fn finish(
        self,
        network: &CompiledNetwork,
        model: Model,
        seed: u64,
        engine: Engine,
    ) -> SpreadEstimate {
        let runs = self.runs;
        let r = runs.max(1) as f64;
        let spread = self.total.summary(runs);
        let signed = self.record.signed.then(|| SignedReach {
            positive: self.positive.summary(runs),
            negative: self.negative.summary(runs),
        });
        let node_probabilities = self.record.nodes.then(|| {
            network
                .customers()
                .iter()
                .enumerate()
                .map(|(v, customer)| NodeActivation {
                    customer: customer.clone(),
                    probability: self.node_active.get(v).copied().unwrap_or(0) as f64 / r,
                    negative: self
                        .record
                        .signed
                        .then(|| self.node_negative.get(v).copied().unwrap_or(0) as f64 / r),
                })
                .collect()
        });
        let trajectory = self.record.steps.then(|| {
            let mut cumulative = 0u64;
            // The last step of every run activates no one: stop at the last step
            // that activated someone (step 0, the seeds, is always kept).
            let last = self.steps.iter().rposition(|&c| c > 0).unwrap_or(0);
            self.steps
                .iter()
                .take(last + 1)
                .enumerate()
                .map(|(step, &count)| {
                    cumulative += count;
                    StepActivity {
                        step: step as u32,
                        newly_active: count as f64 / r,
                        cumulative_active: cumulative as f64 / r,
                    }
                })
                .collect()
        });
        let influence = self.record.arcs.then(|| {
            let mut out = Vec::new();
            for u in 0..network.node_count() as u32 {
                let arcs = network.out_arcs(u);
                for (i, &v) in arcs.targets.iter().enumerate() {
                    let arc = arcs.first_arc as usize + i;
                    let count = self.arcs.get(arc).copied().unwrap_or(0);
                    if let (true, Some(from), Some(to)) =
                        (count > 0, network.customer(u), network.customer(v))
                    {
                        out.push(InfluenceCount {
                            from: from.clone(),
                            to: to.clone(),
                            runs: count,
                        });
                    }
                }
            }
            out
        });
        SpreadEstimate {
            model,
            engine,
            runs,
            seed,
            mean: spread.mean,
            std_err: spread.std_err,
            ci95: spread.ci95,
            signed,
            node_probabilities,
            trajectory,
            influence,
        }
    }
}

fn add_into(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}
