//! Seeded random networks: Barabasi-Albert, Watts-Strogatz and stochastic-block
//! "micro-communities" (re-exported by [`crate::network`], whose docs give the
//! conventions they share).

mod barabasi_albert;
mod micro_communities;
mod watts_strogatz;

pub use barabasi_albert::BarabasiAlbert;
pub use micro_communities::MicroCommunities;
pub use watts_strogatz::WattsStrogatz;

use petgraph::graph::NodeIndex;

use super::{InfluenceNetwork, Tie};
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::probability::Probability;

/// The id of the `i`-th customer of a generated network: `c{i}`.
///
/// ```
/// assert_eq!(social_loop::network::generated_id(42).as_str(), "c42");
/// ```
pub fn generated_id(i: usize) -> CustomerId {
    CustomerId::from(format!("c{i}"))
}

/// The most customers a generated network can hold (graph indices are `u32`).
const MAX_CUSTOMERS: usize = u32::MAX as usize - 1;

/// The most arcs a network can hold (graph indices are `u32`).
const MAX_ARCS: usize = u32::MAX as usize - 1;

/// Checks that `relationships` undirected relationships (two arcs each) fit.
fn check_relationships(relationships: f64, field: &'static str) -> Result<()> {
    if relationships * 2.0 > MAX_ARCS as f64 {
        return Err(Error::invalid(
            field,
            format!(
                "would make about {relationships} relationships, more than the {} a network can hold",
                MAX_ARCS / 2
            ),
        ));
    }
    Ok(())
}

/// Checks a customer count: at least `min`, at most [`MAX_CUSTOMERS`].
fn check_customers(customers: usize, min: usize, field: &'static str) -> Result<()> {
    if customers < min {
        return Err(Error::invalid(
            field,
            format!("must be at least {min}, got {customers}"),
        ));
    }
    if customers > MAX_CUSTOMERS {
        return Err(Error::invalid(
            field,
            format!("must be at most {MAX_CUSTOMERS}, got {customers}"),
        ));
    }
    Ok(())
}

/// Builds the network of `customers` customers `c0..` from undirected
/// relationships given as `(a, b)` customer indices (each `< customers`, `a != b`,
/// no pair twice), storing each as two arcs with a positive tie of `probability`.
fn build_undirected(
    customers: usize,
    relationships: &[(u32, u32)],
    probability: Probability,
) -> Result<InfluenceNetwork> {
    check_relationships(relationships.len() as f64, "relationships")?;
    let arcs = relationships.len() * 2;
    let mut net = InfluenceNetwork::with_capacity(customers, arcs);
    for i in 0..customers {
        let ix = net.intern(generated_id(i));
        debug_assert_eq!(ix.index(), i);
    }
    let tie = Tie::positive(probability);
    for &(a, b) in relationships {
        let (a, b) = (NodeIndex::new(a as usize), NodeIndex::new(b as usize));
        net.push_tie(a, b, tie);
        net.push_tie(b, a, tie);
    }
    Ok(net)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_undirected_stores_two_arcs_per_relationship() {
        let p = Probability::new(0.5).unwrap();
        let net = build_undirected(3, &[(0, 1), (2, 1)], p).unwrap();
        assert_eq!(
            net.customers().map(|c| c.as_str()).collect::<Vec<_>>(),
            ["c0", "c1", "c2"]
        );
        assert_eq!(net.tie_count(), 4);
        assert_eq!(net.tie("c1", "c2"), Some(Tie::positive(p)));
        assert_eq!(net.tie("c0", "c2"), None);
    }

    #[test]
    fn customer_counts_are_bounded() {
        assert!(check_customers(1, 2, "customers").is_err());
        assert!(check_customers(MAX_CUSTOMERS + 1, 1, "customers").is_err());
        assert!(check_customers(10, 2, "customers").is_ok());
    }
}
