//! Exact expected spread by enumerating every live-edge world (small graphs only).
//!
//! Both unsigned models are equivalent to reachability in a random *live-edge*
//! graph (Kempe, Kleinberg & Tardos 2003):
//! * **Independent Cascade**: each arc is live independently with its probability;
//! * **Linear Threshold**: each node keeps at most one incoming arc, arc `u -> v`
//!   with probability equal to its weight, none with the remaining probability.
//!
//! The expected spread is the sum over worlds of (world probability) × (nodes
//! reachable from the seeds in the world). The number of worlds grows
//! exponentially, so it is capped at [`MAX_WORLDS`]. This is the oracle the Monte
//! Carlo engines are tested against.
//!
//! ```
//! use social_loop::network::InfluenceNetwork;
//! use social_loop::propagation::{CompiledNetwork, Model, exact};
//! let diamond = InfluenceNetwork::from_triples([
//!     ("a", "b", 0.5), ("a", "c", 0.5), ("b", "d", 0.5), ("c", "d", 0.5),
//! ])?;
//! let compiled = CompiledNetwork::from_network(&diamond);
//! let spread = exact::expected_spread(&compiled, Model::IndependentCascade, ["a"])?;
//! assert_eq!(spread, 2.4375);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{CompiledNetwork, Model};
use crate::error::{Error, Result};

/// The largest number of live-edge worlds [`expected_spread`] enumerates (2²⁰).
///
/// For Independent Cascade that is 2^(arcs whose probability is strictly between 0
/// and 1); for Linear Threshold the product over nodes of the number of choices
/// (in-arcs with a positive weight, plus "none" when the weights sum below 1).
pub const MAX_WORLDS: u64 = 1 << 20;

/// The exact expected spread of `model` from `seeds` (ids; duplicates count once).
///
/// Probabilities are the stored `f32` values, taken exactly.
///
/// # Errors
/// [`Error::UnknownCustomer`] for an id not in the network;
/// [`Error::InvalidParameter`] (field `network`) when the graph has more than
/// [`MAX_WORLDS`] worlds, or (field `model`) for the signed model;
/// [`Error::ThresholdWeights`] for Linear Threshold weights summing above 1.
///
/// # Complexity
/// O(worlds · (n + m)).
pub fn expected_spread<I>(network: &CompiledNetwork, model: Model, seeds: I) -> Result<f64>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let seeds = network.nodes_of(seeds)?;
    model.validate(network)?;
    let choices = match model {
        Model::IndependentCascade => ic_choices(network),
        Model::LinearThreshold => lt_choices(network),
        Model::Signed { .. } => {
            return Err(Error::invalid(
                "model",
                "exact enumeration covers Independent Cascade and Linear Threshold only",
            ));
        }
    };
    let worlds = choices.iter().try_fold(1u64, |acc, c| {
        acc.checked_mul(c.len() as u64).filter(|&w| w <= MAX_WORLDS)
    });
    let worlds = worlds.ok_or_else(|| {
        Error::invalid(
            "network",
            format!("more than {MAX_WORLDS} live-edge worlds to enumerate; use Monte Carlo"),
        )
    })?;
    let n = network.node_count();
    let mut live = vec![false; network.arc_count()];
    let mut reached = vec![false; n];
    let mut stack = Vec::with_capacity(n);
    let mut total = 0.0;
    for world in 0..worlds {
        // Decode the world as a mixed-radix number, one digit per choice point.
        let mut rest = world;
        let mut probability = 1.0;
        live.fill(false);
        for options in &choices {
            let radix = options.len() as u64;
            let digit = (rest % radix) as usize;
            rest /= radix;
            if let Some(option) = options.get(digit) {
                probability *= option.probability;
                if let Some(l) = option.arc.and_then(|a| live.get_mut(a)) {
                    *l = true;
                }
            }
        }
        if probability == 0.0 {
            continue;
        }
        total += probability * reachable(network, &seeds, &live, &mut reached, &mut stack) as f64;
    }
    Ok(total)
}

/// One outcome of a choice point: an arc made live (or none) and its probability.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    arc: Option<usize>,
    probability: f64,
}

/// IC: every uncertain arc is a choice point {live, dead}; certain arcs are fixed.
fn ic_choices(network: &CompiledNetwork) -> Vec<Vec<Outcome>> {
    network
        .probabilities()
        .iter()
        .enumerate()
        .map(|(arc, &p)| {
            let p = f64::from(p);
            if p >= 1.0 {
                vec![Outcome {
                    arc: Some(arc),
                    probability: 1.0,
                }]
            } else if p <= 0.0 {
                vec![Outcome {
                    arc: None,
                    probability: 1.0,
                }]
            } else {
                vec![
                    Outcome {
                        arc: Some(arc),
                        probability: p,
                    },
                    Outcome {
                        arc: None,
                        probability: 1.0 - p,
                    },
                ]
            }
        })
        .collect()
}

/// LT: every node is a choice point among its positive-weight in-arcs and "none".
fn lt_choices(network: &CompiledNetwork) -> Vec<Vec<Outcome>> {
    (0..network.node_count() as u32)
        .map(|v| {
            let incoming = network.in_arcs(v);
            let mut options: Vec<Outcome> = incoming
                .arcs
                .iter()
                .filter_map(|&a| {
                    let w = f64::from(*network.probabilities().get(a as usize)?);
                    (w > 0.0).then_some(Outcome {
                        arc: Some(a as usize),
                        probability: w,
                    })
                })
                .collect();
            let none = 1.0 - options.iter().map(|o| o.probability).sum::<f64>();
            if none > 0.0 || options.is_empty() {
                options.push(Outcome {
                    arc: None,
                    probability: none.max(0.0),
                });
            }
            options
        })
        .collect()
}

/// How many nodes are reachable from `seeds` over live arcs.
fn reachable(
    network: &CompiledNetwork,
    seeds: &[u32],
    live: &[bool],
    reached: &mut [bool],
    stack: &mut Vec<u32>,
) -> usize {
    reached.fill(false);
    let mut count = 0;
    for &s in seeds {
        if let Some(r) = reached.get_mut(s as usize) {
            if !*r {
                *r = true;
                count += 1;
                stack.push(s);
            }
        }
    }
    while let Some(u) = stack.pop() {
        let arcs = network.out_arcs(u);
        for (i, &v) in arcs.targets.iter().enumerate() {
            let arc = arcs.first_arc as usize + i;
            if live.get(arc).copied().unwrap_or(false) {
                if let Some(r) = reached.get_mut(v as usize) {
                    if !*r {
                        *r = true;
                        count += 1;
                        stack.push(v);
                    }
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;

    #[test]
    fn path_and_lt_chain() {
        let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 0.5)]).unwrap();
        let c = CompiledNetwork::from_network(&net);
        assert_eq!(
            expected_spread(&c, Model::IndependentCascade, ["a"]).unwrap(),
            1.75
        );
        // LT on a path: each node keeps its only in-arc with probability 0.5: same value.
        assert_eq!(
            expected_spread(&c, Model::LinearThreshold, ["a"]).unwrap(),
            1.75
        );
        assert_eq!(
            expected_spread(&c, Model::IndependentCascade, ["a", "a", "c"]).unwrap(),
            2.5
        );
    }

    #[test]
    fn lt_counts_one_in_arc_per_node() {
        // d has two in-arcs of weight 0.5 from seeds b and c: it keeps one of them surely.
        let net = InfluenceNetwork::from_triples([("b", "d", 0.5), ("c", "d", 0.5)]).unwrap();
        let c = CompiledNetwork::from_network(&net);
        assert_eq!(
            expected_spread(&c, Model::LinearThreshold, ["b", "c"]).unwrap(),
            3.0
        );
        assert_eq!(
            expected_spread(&c, Model::LinearThreshold, ["b"]).unwrap(),
            1.5
        );
        // IC: 1 - 0.25.
        assert_eq!(
            expected_spread(&c, Model::IndependentCascade, ["b", "c"]).unwrap(),
            2.75
        );
    }

    #[test]
    fn refuses_too_many_worlds_and_signed() {
        let triples: Vec<(String, String, f64)> = (0..21)
            .map(|i| (format!("u{i}"), format!("u{}", i + 1), 0.5))
            .collect();
        let c = CompiledNetwork::from_network(&InfluenceNetwork::from_triples(triples).unwrap());
        let err = expected_spread(&c, Model::IndependentCascade, ["u0"]).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { ref field, .. } if field == "network"));
        let err = expected_spread(&c, Model::signed_neutral(), ["u0"]).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { ref field, .. } if field == "model"));
        assert!(matches!(
            expected_spread(&c, Model::IndependentCascade, ["nobody"]),
            Err(Error::UnknownCustomer(_))
        ));
    }
}
