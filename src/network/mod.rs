//! The influence network: who influences whom, how strongly, with trust or distrust.
//!
//! [`InfluenceNetwork`] is a directed graph whose nodes are the caller's
//! [`CustomerId`]s and whose edges are [`Tie`]s (`u -> v`: `u` influences `v`).
//! It is stored as a petgraph graph, but neither petgraph's types nor its
//! indices are part of the API: every public method speaks in customer ids. The
//! propagation engine compiles the network once into compact arrays for its hot
//! loops (see [`crate::propagation`]).
//!
//! * [`io`]: reading edge-list files (formats, direction, weights, messy files,
//!   and where the public data sets come from);
//! * [`WeightScheme`]: tie probabilities when the data has none;
//! * [`BarabasiAlbert`], [`WattsStrogatz`], [`MicroCommunities`]: seeded random
//!   networks (below).
//!
//! ```
//! use social_loop::network::InfluenceNetwork;
//! let net = InfluenceNetwork::from_triples([("ann", "bob", 0.3), ("bob", "cy", -0.1)])?;
//! assert_eq!(net.customer_count(), 3);
//! assert_eq!(net.tie_count(), 2);
//! assert_eq!(net.out_degree("ann")?, 1);
//! # Ok::<(), social_loop::Error>(())
//! ```
//!
//! # Random networks
//!
//! Every generator is a plain, serde-able parameter struct with a `validate` and
//! a `generate(probability, seed)` method: the seed (a `u64`) seeds a
//! `Xoshiro256PlusPlus`, so the same seed gives the same network on every
//! platform and thread count, and no random number generator crosses the API.
//! Conventions shared by all three:
//! - customer `i` (0-based) has the id `c{i}` ([`generated_id`]) and is the
//!   `i`-th customer of [`InfluenceNetwork::customers`];
//! - relationships are **undirected** (friends, colleagues, neighbours), and each
//!   is stored as two arcs `a -> b` and `b -> a`, so [`InfluenceNetwork::tie_count`]
//!   is twice the number of relationships and a customer's out-degree is their
//!   number of relationships;
//! - every tie is positive with the given probability; apply a [`WeightScheme`]
//!   afterwards for other weights;
//! - there are no self-loops and no repeated ties.
//!
//! ```
//! use social_loop::Probability;
//! use social_loop::network::{BarabasiAlbert, MicroCommunities, WattsStrogatz};
//!
//! let p = Probability::new(0.05)?;
//! let hubs = BarabasiAlbert::new(100, 2).generate(p, 7)?;
//! assert_eq!(hubs.tie_count(), 2 * 2 * (100 - 2)); // m (n - m) relationships, two arcs each
//!
//! let ring = WattsStrogatz::new(50, 4, Probability::ZERO).generate(p, 7)?;
//! assert_eq!(ring.out_degree("c0")?, 4); // no rewiring: the exact ring lattice
//!
//! // 20 communities of 50 customers: about 6 friends inside, 1 outside.
//! let spec = MicroCommunities::with_mean_degrees(20, 50, 6.0, 1.0)?;
//! let net = spec.generate(p, 7)?;
//! assert_eq!(net.customer_count(), 1_000);
//! assert_eq!(spec.community_of(120), Some(2)); // customer c120 is in community 2
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod generate;
pub mod io;
mod tie;
mod weights;

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

pub use generate::{BarabasiAlbert, MicroCommunities, WattsStrogatz, generated_id};
pub use tie::{Tie, TieSign};
pub use weights::{TRIVALENCY_VALUES, WeightScheme};

use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// A directed influence network keyed by [`CustomerId`].
///
/// Adding a tie adds its endpoints if they are new. At most one tie exists per
/// ordered pair: adding `a -> b` again replaces the earlier tie. Self-loops are
/// rejected ([`Error::SelfLoop`]); file readers may instead skip them by policy.
///
/// Serialises as `{"customers": [...], "ties": [{"from","to","probability","sign"}]}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(try_from = "NetworkRecord", into = "NetworkRecord")]
pub struct InfluenceNetwork {
    graph: DiGraph<CustomerId, Tie, u32>,
    index: HashMap<CustomerId, NodeIndex<u32>>,
}

/// A view of one tie with its endpoints' ids.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieRef<'a> {
    /// The influencer.
    pub from: &'a CustomerId,
    /// The influenced.
    pub to: &'a CustomerId,
    /// The tie.
    pub tie: Tie,
}

impl InfluenceNetwork {
    /// An empty network.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty network with room for `customers` nodes and `ties` edges.
    pub fn with_capacity(customers: usize, ties: usize) -> Self {
        InfluenceNetwork {
            graph: DiGraph::with_capacity(customers, ties),
            index: HashMap::with_capacity(customers),
        }
    }

    /// Builds a network from `(from, to, weight)` triples. A negative weight makes a
    /// [`TieSign::Negative`] tie whose probability is `|weight|`.
    ///
    /// # Errors
    /// [`Error::InvalidProbability`] (naming the triple's position) when `|weight|`
    /// is not in `[0, 1]`; [`Error::SelfLoop`] for `a -> a`.
    pub fn from_triples<I, A, B>(triples: I) -> Result<Self>
    where
        I: IntoIterator<Item = (A, B, f64)>,
        A: Into<CustomerId>,
        B: Into<CustomerId>,
    {
        let mut net = InfluenceNetwork::new();
        for (i, (from, to, weight)) in triples.into_iter().enumerate() {
            let tie = Tie::from_signed_weight(weight, format!("triples[{i}].weight"))?;
            net.add_tie(from, to, tie)?;
        }
        Ok(net)
    }

    /// Adds a customer with no ties; returns `false` if they were already present.
    pub fn add_customer(&mut self, id: impl Into<CustomerId>) -> bool {
        let id = id.into();
        if self.index.contains_key(&id) {
            return false;
        }
        self.intern(id);
        true
    }

    /// Adds (or replaces) the tie `from -> to`, adding either customer if new.
    ///
    /// # Errors
    /// [`Error::SelfLoop`] when `from == to`.
    ///
    /// # Complexity
    /// O(out-degree of `from`) to find an existing tie.
    pub fn add_tie(
        &mut self,
        from: impl Into<CustomerId>,
        to: impl Into<CustomerId>,
        tie: Tie,
    ) -> Result<()> {
        let (from, to) = (from.into(), to.into());
        if from == to {
            return Err(Error::SelfLoop(from));
        }
        let a = self.intern(from);
        let b = self.intern(to);
        self.graph.update_edge(a, b, tie);
        Ok(())
    }

    /// Adds a tie between two known node indices without looking for an existing
    /// one, returning its edge. For generators, readers and the CRM book, which
    /// guarantee no duplicates and no loops (the book keeps the edge of each
    /// pair so that later evidence updates it in O(1)).
    pub(crate) fn push_tie(
        &mut self,
        a: NodeIndex<u32>,
        b: NodeIndex<u32>,
        tie: Tie,
    ) -> EdgeIndex<u32> {
        self.graph.add_edge(a, b, tie)
    }

    /// Replaces the tie of an edge returned by [`push_tie`](Self::push_tie).
    pub(crate) fn set_tie(&mut self, edge: EdgeIndex<u32>, tie: Tie) {
        if let Some(weight) = self.graph.edge_weight_mut(edge) {
            *weight = tie;
        }
    }

    /// Returns the node of `id`, adding it if new.
    pub(crate) fn intern(&mut self, id: CustomerId) -> NodeIndex<u32> {
        if let Some(&ix) = self.index.get(&id) {
            return ix;
        }
        let ix = self.graph.add_node(id.clone());
        self.index.insert(id, ix);
        ix
    }

    /// The node index of `id`, if present.
    pub(crate) fn node_index(&self, id: &str) -> Option<NodeIndex<u32>> {
        self.index.get(id).copied()
    }

    /// The node index of `id`, or [`Error::UnknownCustomer`].
    pub(crate) fn require(&self, id: &str) -> Result<NodeIndex<u32>> {
        self.node_index(id)
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))
    }

    /// Mutable access to every tie's weight, for weight schemes.
    pub(crate) fn ties_mut(&mut self) -> impl Iterator<Item = &mut Tie> {
        self.graph.edge_weights_mut()
    }

    /// Number of customers (nodes).
    pub fn customer_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of directed ties (arcs).
    pub fn tie_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Whether `id` is in the network.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Every customer, in insertion order (the order the propagation engine uses).
    pub fn customers(&self) -> impl Iterator<Item = &CustomerId> {
        self.graph.node_weights()
    }

    /// Every tie, in insertion order.
    pub fn ties(&self) -> impl Iterator<Item = TieRef<'_>> {
        self.graph.edge_references().map(|e| TieRef {
            from: &self.graph[e.source()],
            to: &self.graph[e.target()],
            tie: *e.weight(),
        })
    }

    /// The tie `from -> to`, if any.
    pub fn tie(&self, from: &str, to: &str) -> Option<Tie> {
        let (a, b) = (self.node_index(from)?, self.node_index(to)?);
        self.graph.find_edge(a, b).map(|e| self.graph[e])
    }

    /// The customers `id` influences, with the ties.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn influencees(&self, id: &str) -> Result<impl Iterator<Item = (&CustomerId, Tie)>> {
        let a = self.require(id)?;
        Ok(self
            .graph
            .edges_directed(a, Direction::Outgoing)
            .map(|e| (&self.graph[e.target()], *e.weight())))
    }

    /// The customers who influence `id`, with the ties.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn influencers(&self, id: &str) -> Result<impl Iterator<Item = (&CustomerId, Tie)>> {
        let b = self.require(id)?;
        Ok(self
            .graph
            .edges_directed(b, Direction::Incoming)
            .map(|e| (&self.graph[e.source()], *e.weight())))
    }

    /// How many customers `id` has ties to.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn out_degree(&self, id: &str) -> Result<usize> {
        let a = self.require(id)?;
        Ok(self.graph.edges_directed(a, Direction::Outgoing).count())
    }

    /// How many customers have ties to `id`.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn in_degree(&self, id: &str) -> Result<usize> {
        let b = self.require(id)?;
        Ok(self.graph.edges_directed(b, Direction::Incoming).count())
    }

    /// The underlying petgraph graph, for the crate's compilers and readers
    /// (petgraph is not part of the public API). Node weights are the customer ids.
    pub(crate) fn graph(&self) -> &DiGraph<CustomerId, Tie, u32> {
        &self.graph
    }
}

/// The serialised form of an [`InfluenceNetwork`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct NetworkRecord {
    customers: Vec<CustomerId>,
    ties: Vec<TieRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TieRecord {
    from: CustomerId,
    to: CustomerId,
    #[serde(flatten)]
    tie: Tie,
}

impl TryFrom<NetworkRecord> for InfluenceNetwork {
    type Error = Error;
    fn try_from(record: NetworkRecord) -> Result<Self> {
        let mut net = InfluenceNetwork::with_capacity(record.customers.len(), record.ties.len());
        for id in record.customers {
            if !net.add_customer(id.clone()) {
                return Err(Error::DuplicateCustomer(id));
            }
        }
        for t in record.ties {
            net.add_tie(t.from, t.to, t.tie)?;
        }
        Ok(net)
    }
}

impl From<InfluenceNetwork> for NetworkRecord {
    fn from(net: InfluenceNetwork) -> Self {
        NetworkRecord {
            customers: net.customers().cloned().collect(),
            ties: net
                .ties()
                .map(|t| TieRecord {
                    from: t.from.clone(),
                    to: t.to.clone(),
                    tie: t.tie,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Probability;

    #[test]
    fn ids_not_indices_and_replacement_of_ties() {
        let mut net = InfluenceNetwork::new();
        let p = |x| Probability::new(x).unwrap();
        net.add_tie("a", "b", Tie::positive(p(0.1))).unwrap();
        net.add_tie("a", "b", Tie::negative(p(0.2))).unwrap();
        assert_eq!(net.tie_count(), 1);
        assert_eq!(net.tie("a", "b"), Some(Tie::negative(p(0.2))));
        assert_eq!(net.in_degree("b").unwrap(), 1);
        assert!(
            matches!(net.out_degree("zz"), Err(Error::UnknownCustomer(id)) if id.as_str() == "zz")
        );
        assert!(matches!(
            net.add_tie("a", "a", Tie::positive(p(0.1))),
            Err(Error::SelfLoop(_))
        ));
    }

    #[test]
    fn triples_name_the_bad_position() {
        let err = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 1.5)]).unwrap_err();
        assert!(
            matches!(err, Error::InvalidProbability { ref field, .. } if field == "triples[1].weight")
        );
    }

    #[test]
    fn serde_rejects_a_customer_listed_twice() {
        let json = r#"{"customers":["a","b","a"],"ties":[]}"#;
        let err = serde_json::from_str::<InfluenceNetwork>(json).unwrap_err();
        assert!(
            err.to_string()
                .contains("customer id `a` appears more than once")
        );
        let json = r#"{"customers":["a"],"ties":[{"from":"a","to":"a","probability":0.5}]}"#;
        let err = serde_json::from_str::<InfluenceNetwork>(json).unwrap_err();
        assert!(err.to_string().contains("self-loop on customer `a`"));
    }

    #[test]
    fn serde_round_trip_keeps_ids_and_signs() {
        let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", -0.25)]).unwrap();
        let json = serde_json::to_string(&net).unwrap();
        let back: InfluenceNetwork = serde_json::from_str(&json).unwrap();
        assert_eq!(back.tie("b", "c").unwrap().sign, TieSign::Negative);
        assert_eq!(
            back.customers().map(|c| c.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }
}
