//! The word-parallel Independent Cascade: 64 runs at once, one bit per run.
//!
//! Each node holds a `u64` *active mask* (bit `l` set when the node is active in
//! run `l` of the batch). A breadth-first frontier lists the nodes whose
//! *newly-active mask* is non-zero at the current step; each frontier node reads its
//! out-arcs **once** for all the runs in which it just became active, and for every
//! arc draws a 64-bit Bernoulli mask restricted to the runs where the arc matters
//! (source newly active, target still inactive) with
//! [`live_lanes`](super::streams::live_lanes). Large cascades are bound by memory
//! latency (the random reads of the target's state); sharing each read among up to
//! 64 runs is what makes this path fast.
//!
//! Spreads per run are kept exactly: the final active masks are added into a
//! bit-sliced counter (one `u64` per bit of the count), from which the 64
//! per-run spreads are read, so the standard error is computed from the runs
//! themselves, not from batch means.

use super::CompiledNetwork;
use super::streams::{live_lanes, threshold};
use super::tally::Tally;

/// Bits of a per-lane count (node counts fit in `u32`).
const COUNTER_BITS: usize = 33;

/// 64 counters side by side, bit-sliced: plane `i` holds bit `i` of every lane's count.
#[derive(Debug, Clone)]
struct LaneCounter {
    planes: [u64; COUNTER_BITS],
}

impl LaneCounter {
    fn new() -> Self {
        LaneCounter {
            planes: [0; COUNTER_BITS],
        }
    }

    /// Adds 1 to every lane whose bit is set in `mask` (amortised O(1)).
    #[inline]
    fn add(&mut self, mut mask: u64) {
        for plane in self.planes.iter_mut() {
            if mask == 0 {
                break;
            }
            let carry = *plane & mask;
            *plane ^= mask;
            mask = carry;
        }
    }

    /// The count of `lane`, then resets nothing.
    fn lane(&self, lane: u32) -> u64 {
        self.planes
            .iter()
            .enumerate()
            .map(|(i, plane)| ((plane >> lane) & 1) << i)
            .sum()
    }
}

/// Reusable buffers of one worker thread: 16 bytes per node (active and
/// newly-active masks) plus the frontier lists; nothing is allocated per batch once
/// the lists have grown.
#[derive(Debug)]
pub(crate) struct WordWorker {
    active: Vec<u64>,
    fresh: Vec<u64>,
    frontier: Vec<(u32, u64)>,
    next: Vec<u32>,
    touched: Vec<u32>,
}

impl WordWorker {
    pub(crate) fn new(network: &CompiledNetwork) -> Self {
        let n = network.node_count();
        WordWorker {
            active: vec![0; n],
            fresh: vec![0; n],
            frontier: Vec::new(),
            next: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Simulates the runs whose bits are set in `lanes` (a batch keyed by `key`)
    /// from `seeds` (distinct, `< node_count()`), and adds them to `tally`.
    pub(crate) fn run_batch(
        &mut self,
        network: &CompiledNetwork,
        seeds: &[u32],
        lanes: u64,
        key: u64,
        tally: &mut Tally,
    ) {
        let record = tally.record();
        let targets = network.targets();
        let probabilities = network.probabilities();
        for &s in seeds {
            if let Some(a) = self.active.get_mut(s as usize) {
                *a = lanes;
                self.touched.push(s);
                self.frontier.push((s, lanes));
            }
        }
        tally.add_step(
            0,
            self.frontier.len() as u64 * u64::from(lanes.count_ones()),
        );
        let mut step = 0;
        while !self.frontier.is_empty() {
            step += 1;
            let mut activations = 0u64;
            for &(u, newly) in &self.frontier {
                for arc in network.arc_range(u) {
                    let v = targets[arc] as usize;
                    let asked = newly & !self.active[v];
                    if asked == 0 {
                        continue;
                    }
                    let live = live_lanes(key, arc as u32, threshold(probabilities[arc]), asked);
                    if live == 0 {
                        continue;
                    }
                    if self.active[v] == 0 {
                        self.touched.push(v as u32);
                    }
                    self.active[v] |= live;
                    if self.fresh[v] == 0 {
                        self.next.push(v as u32);
                    }
                    self.fresh[v] |= live;
                    if record.arcs {
                        tally.add_arc(arc, u64::from(live.count_ones()));
                    }
                    if record.steps {
                        activations += u64::from(live.count_ones());
                    }
                }
            }
            self.frontier.clear();
            for &v in &self.next {
                let fresh = &mut self.fresh[v as usize];
                self.frontier.push((v, *fresh));
                *fresh = 0;
            }
            self.next.clear();
            tally.add_step(step, activations);
        }
        let mut counter = LaneCounter::new();
        for &v in &self.touched {
            let a = &mut self.active[v as usize];
            counter.add(*a);
            if record.nodes {
                tally.add_node(v as usize, u64::from(a.count_ones()), 0);
            }
            *a = 0;
        }
        self.touched.clear();
        let mut remaining = lanes;
        while remaining != 0 {
            let lane = remaining.trailing_zeros();
            remaining &= remaining - 1;
            tally.add_run(counter.lane(lane), 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_counter_counts_each_lane() {
        let mut c = LaneCounter::new();
        let mut expected = [0u64; 64];
        let mut x = 0x1234_5678_9ABC_DEF0u64;
        for _ in 0..1000 {
            x = super::super::streams::mix64(x);
            c.add(x);
            for (l, e) in expected.iter_mut().enumerate() {
                *e += (x >> l) & 1;
            }
        }
        for (l, e) in expected.iter().enumerate() {
            assert_eq!(c.lane(l as u32), *e);
        }
    }
}
