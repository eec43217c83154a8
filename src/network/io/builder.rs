//! [`Builder`]: accumulates the arcs of a read with duplicate detection, then
//! builds the network and sets its weights.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use petgraph::graph::NodeIndex;

use super::options::{DuplicateTies, EdgeFormat, ReadOptions, ReadReport, SelfLoops};
use super::parse::ParsedArc;
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::network::weights::SCHEME_CHOICES;
use crate::network::{InfluenceNetwork, Tie, WeightScheme};

/// The most customers, and the most ties, a network can hold (`u32` graph indices).
const MAX_INDEX: usize = u32::MAX as usize - 1;

/// An arc waiting to be added, in file order.
struct PendingArc {
    from: NodeIndex<u32>,
    to: NodeIndex<u32>,
    tie: Tie,
    line: usize,
}

/// Accumulates arcs with duplicate detection, then builds the network.
pub(super) struct Builder {
    net: InfluenceNetwork,
    arcs: Vec<PendingArc>,
    /// `(from << 32) | to` -> position in `arcs`.
    seen: HashMap<u64, usize>,
    options: ReadOptions,
    pub(super) report: ReadReport,
}

/// Checks, once the format is known, that the ties will get probabilities:
/// a snap file has none, so it needs a scheme other than `FromFile`.
///
/// # Errors
/// [`Error::InvalidParameter`] (field `weights`) listing the schemes.
pub(super) fn check_weights(format: EdgeFormat, weights: Option<WeightScheme>) -> Result<()> {
    match (format, weights) {
        (EdgeFormat::Snap, None | Some(WeightScheme::FromFile)) => Err(Error::invalid(
            "weights",
            format!(
                "a snap edge list (`u v`) has no tie probabilities, and reading it \
                 as probability 1 would measure reachability, not influence: \
                 choose a weight scheme: {SCHEME_CHOICES}"
            ),
        )),
        _ => Ok(()),
    }
}

fn parse_error(line: usize, reason: String) -> Error {
    Error::parse(line, reason)
}

impl Builder {
    pub(super) fn new(options: ReadOptions) -> Self {
        Builder {
            net: InfluenceNetwork::new(),
            arcs: Vec::new(),
            seen: HashMap::new(),
            options,
            report: ReadReport::default(),
        }
    }

    fn node(&mut self, id: &str, line: usize) -> Result<NodeIndex<u32>> {
        if let Some(ix) = self.net.node_index(id) {
            return Ok(ix);
        }
        if self.net.customer_count() >= MAX_INDEX {
            return Err(parse_error(
                line,
                format!("more than {MAX_INDEX} customers"),
            ));
        }
        Ok(self.net.intern(CustomerId::new(id)))
    }

    pub(super) fn add(&mut self, arc: ParsedArc<'_>, line: usize) -> Result<()> {
        let (first, second) = if self.options.reverse {
            (arc.to, arc.from)
        } else {
            (arc.from, arc.to)
        };
        let from = self.node(first, line)?;
        let to = self.node(second, line)?;
        if from == to {
            return match self.options.self_loops {
                SelfLoops::Skip => {
                    self.report.self_loops_skipped += 1 + usize::from(self.options.undirected);
                    self.report.first_self_loop_line.get_or_insert(line);
                    Ok(())
                }
                SelfLoops::Reject => Err(parse_error(
                    line,
                    format!(
                        "self-loop on customer `{}` (rejected by the self-loop policy)",
                        arc.from
                    ),
                )),
            };
        }
        self.push(from, to, arc.tie, line)?;
        if self.options.undirected {
            self.push(to, from, arc.tie, line)?;
        }
        Ok(())
    }

    fn push(
        &mut self,
        from: NodeIndex<u32>,
        to: NodeIndex<u32>,
        tie: Tie,
        line: usize,
    ) -> Result<()> {
        let key = (u64::from(from.index() as u32) << 32) | u64::from(to.index() as u32);
        match self.seen.entry(key) {
            Entry::Vacant(slot) => {
                if self.arcs.len() >= MAX_INDEX {
                    return Err(parse_error(line, format!("more than {MAX_INDEX} ties")));
                }
                slot.insert(self.arcs.len());
                self.arcs.push(PendingArc {
                    from,
                    to,
                    tie,
                    line,
                });
            }
            Entry::Occupied(slot) => {
                let Some(first) = self.arcs.get_mut(*slot.get()) else {
                    return Err(parse_error(line, "internal: lost an earlier arc".into()));
                };
                match self.options.duplicates {
                    DuplicateTies::KeepFirst => {}
                    DuplicateTies::KeepLast => first.tie = tie,
                    DuplicateTies::Reject => {
                        let graph = self.net.graph();
                        let (u, v) = (&graph[from], &graph[to]);
                        return Err(parse_error(
                            line,
                            format!(
                                "duplicate tie `{u}` -> `{v}` (first on line {})",
                                first.line
                            ),
                        ));
                    }
                }
                self.report.duplicates_dropped += 1;
                self.report.first_duplicate_line.get_or_insert(line);
            }
        }
        Ok(())
    }

    /// Adds the arcs in file order and sets the weights.
    pub(super) fn finish(mut self) -> (InfluenceNetwork, ReadReport) {
        for arc in self.arcs {
            self.net.push_tie(arc.from, arc.to, arc.tie);
        }
        if let Some(scheme) = self.options.weights {
            scheme.apply(&mut self.net);
        }
        (self.net, self.report)
    }
}
