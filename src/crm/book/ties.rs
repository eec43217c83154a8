//! How relationship events grow the influence network.
//!
//! Every tie goes from the event's counterpart to its customer: the referrer
//! influences the referred, the person replied to influences the one who
//! replied, an explicit tie says so. The evidence per ordered pair is kept:
//! * with an explicit `tie` event, the latest one (in `(at, id)` order) is the tie;
//! * otherwise `r` referrals and `q` replies give a positive tie of probability
//!   `1 - (1 - p_referral)^r (1 - p_reply)^q`: each is an independent chance to
//!   pass influence along ([`BookOptions`](super::BookOptions) sets the two `p`).
//!
//! Counts commute and the explicit tie is chosen by key, so the network does not
//! depend on the order in which events arrive.
//!
//! The evidence of a pair also keeps the pair's edge in the network, so new
//! evidence updates the tie in O(1): petgraph's `update_edge` would scan the
//! counterpart's out-edges, which made 40,000 replies to one celebrity account
//! quadratic (issue 18; `crm_ties` in `bench/benches/crm.rs`).

use std::collections::HashMap;

use super::super::intern::FoldState;
use super::store::{Code, NONE, Store, Stored};
use crate::customer::CustomerId;
use petgraph::graph::EdgeIndex;

use crate::network::{InfluenceNetwork, Tie};
use crate::probability::Probability;

#[derive(Debug, Clone, Copy)]
struct Evidence {
    referrals: u32,
    replies: u32,
    /// The event number of the latest explicit tie, or [`NONE`].
    explicit: u32,
    /// The pair's edge in the network, or [`NONE`] before its first tie.
    edge: u32,
}

/// The evidence behind every tie, and the weights that turn it into ties.
#[derive(Debug, Clone, Default)]
pub(crate) struct Relations {
    evidence: HashMap<(u32, u32), Evidence, FoldState>,
}

impl Relations {
    /// Records event `n` (`r`) if it is a relationship, updating `network`.
    ///
    /// # Complexity
    /// O(1) expected.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        &mut self,
        n: u32,
        r: &Stored,
        store: &Store,
        customers: &[CustomerId],
        network: &mut InfluenceNetwork,
        referral: Probability,
        reply: Probability,
    ) {
        if r.counterpart == NONE {
            return;
        }
        let relationship = matches!(
            r.code,
            Code::Referral | Code::Review | Code::SocialPost | Code::Tie
        );
        if !relationship {
            return;
        }
        let e = self
            .evidence
            .entry((r.counterpart, r.customer))
            .or_insert(Evidence {
                referrals: 0,
                replies: 0,
                explicit: NONE,
                edge: NONE,
            });
        match r.code {
            Code::Referral => e.referrals = e.referrals.saturating_add(1),
            Code::Tie => {
                if e.explicit == NONE || store.precedes(e.explicit, n) {
                    e.explicit = n;
                }
            }
            _ => e.replies = e.replies.saturating_add(1),
        }
        let tie = tie_of(e, store, referral, reply);
        if e.edge != NONE {
            network.set_tie(EdgeIndex::new(e.edge as usize), tie);
        } else if let (Some(from), Some(to)) = (
            customers.get(r.counterpart as usize),
            customers.get(r.customer as usize),
        ) {
            // The counterpart differs from the customer (validated), so this
            // is not a self-loop, and the pair had no edge yet.
            let (a, b) = (network.intern(from.clone()), network.intern(to.clone()));
            e.edge = network.push_tie(a, b, tie).index() as u32;
        }
    }

    /// Number of ordered pairs with evidence.
    pub(crate) fn len(&self) -> usize {
        self.evidence.len()
    }

    /// Heap bytes (an estimate: the table's capacity times its entry size).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.evidence.capacity() * (std::mem::size_of::<((u32, u32), Evidence)>() + 1)
    }
}

fn tie_of(e: &Evidence, store: &Store, referral: Probability, reply: Probability) -> Tie {
    if let Some(t) = store
        .record(e.explicit)
        .and_then(|r| store.ties.get(r.payload as usize))
    {
        return *t;
    }
    let miss = referral.complement().get().powf(f64::from(e.referrals))
        * reply.complement().get().powf(f64::from(e.replies));
    Tie::positive(Probability::saturating(1.0 - miss))
}
