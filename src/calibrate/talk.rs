//! Word of mouth fitted to a book: the advocates' and adversaries' talk
//! rates and the tie probability, by maximum likelihood on who told whom in
//! each period (see the [module](super) docs for the likelihood).

use std::collections::HashMap;

use super::interval::{Z, whole_domain};
use super::tally::{Contact, Grid, Spell, Tally};
use super::{Estimate, EstimateSource, MIN_TRIES};
use crate::clv::fit::{curvature, optimise};
use crate::crm::{CustomerBook, NONE};
use crate::propagation::CompiledNetwork;

/// What one silent potential speaker (no credit, not reached) says: its
/// side, the talkers' arcs into it, its arcs to listeners not reached, and
/// the talkers' arcs into each reached listener it has an arc to.
type Silent = (usize, u32, u32, Vec<u32>);

/// The sufficient statistics of the word-of-mouth likelihood.
#[derive(Debug, Default)]
pub(crate) struct TalkData {
    /// Per side (praise, criticism): potential speakers credited with a
    /// contact and not reached themselves (they talked).
    spoke: [u64; 2],
    /// Potential speakers reached by someone else's talk (they did not talk).
    quiet: [u64; 2],
    /// Potential speakers with no credit, not reached: how many of each kind.
    silent: Vec<(Silent, u64)>,
    /// Arcs from talkers into listeners the talk did not reach.
    dead: u64,
    /// Listeners reached, by the number of arcs from talkers into them.
    reached: Vec<(u32, u64)>,
    /// Contacts (with a teller on the network).
    pub(crate) contacts: u64,
    /// Periods with a voice, per side.
    pub(crate) voiced: [u64; 2],
}

/// A fitted logit beyond this is at the edge of `[0, 1]` (`p < 5e-5`).
const EDGE: f64 = 10.0;

const REACHED: u8 = 1;
const CREDITED: u8 = 2;
const VOICED: u8 = 4;
const NEGATIVE: u8 = 8;

/// Gathers the statistics of every period of `tally` on `book`'s network.
///
/// # Complexity
/// O(spells' periods + contacts + the out-arcs of the talkers and of the
/// potential speakers of each period).
pub(crate) fn gather(book: &CustomerBook, grid: &Grid, tally: &Tally) -> TalkData {
    let net = CompiledNetwork::from_network(book.network());
    let node_of: Vec<u32> = book
        .names()
        .iter()
        .map(|id| net.node_of(id.as_str()).unwrap_or(NONE))
        .collect();
    let node = |c: u32| node_of.get(c as usize).copied().unwrap_or(NONE);
    let mut contacts: Vec<Contact> = tally
        .contacts
        .iter()
        .filter(|c| node(c.customer) != NONE && node(c.from) != NONE)
        .copied()
        .collect();
    contacts.sort_unstable_by_key(|c| c.period);
    let mut voiced: Vec<(i64, u32, bool)> = Vec::new();
    for &Spell {
        customer,
        negative,
        from,
        to,
    } in &tally.spells
    {
        let v = node(customer);
        if v == NONE {
            continue;
        }
        voiced.extend((from.max(0)..to.min(grid.periods)).map(|t| (t, v, negative)));
    }
    voiced.sort_unstable();
    let n = net.node_count();
    let mut mark = vec![0u8; n];
    let mut talkers_in = vec![0u32; n];
    let mut data = TalkData::default();
    let mut silent: HashMap<Silent, u64> = HashMap::new();
    let mut reached: HashMap<u32, u64> = HashMap::new();
    let (mut ci, mut vi) = (0, 0);
    let mut touched: Vec<u32> = Vec::new();
    let mut speakers: Vec<u32> = Vec::new();
    for t in 0..grid.periods {
        touched.clear();
        speakers.clear();
        let mut talkers: Vec<u32> = Vec::new();
        let mut flag = |v: u32, bit: u8, touched: &mut Vec<u32>| {
            if let Some(m) = mark.get_mut(v as usize) {
                if *m == 0 {
                    touched.push(v);
                }
                *m |= bit;
            }
        };
        while let Some(c) = contacts.get(ci).filter(|c| c.period == t) {
            let (v, u) = (node(c.customer), node(c.from));
            flag(v, REACHED, &mut touched);
            flag(u, CREDITED, &mut touched);
            data.contacts += 1;
            ci += 1;
        }
        talkers.extend(touched.iter().copied());
        while let Some(&(_, v, negative)) = voiced.get(vi).filter(|s| s.0 == t) {
            flag(
                v,
                VOICED | if negative { NEGATIVE } else { 0 },
                &mut touched,
            );
            speakers.push(v);
            data.voiced[usize::from(negative)] += 1;
            vi += 1;
        }
        // Arcs from this period's known talkers into each customer.
        for &u in &talkers {
            for &v in net.out_arcs(u).targets {
                if v == u {
                    continue;
                }
                if let Some(k) = talkers_in.get_mut(v as usize) {
                    if *k == 0 && mark.get(v as usize) == Some(&0) {
                        touched.push(v);
                    }
                    *k += 1;
                }
            }
        }
        let is = |v: u32, bit: u8| mark.get(v as usize).is_some_and(|m| m & bit != 0);
        let into = |v: u32| talkers_in.get(v as usize).copied().unwrap_or(0);
        // Listeners who could not talk themselves.
        for &v in &touched {
            let k = into(v);
            if k == 0 || is(v, VOICED) {
                continue;
            }
            if is(v, REACHED) {
                *reached.entry(k).or_default() += 1;
            } else {
                data.dead += u64::from(k);
            }
        }
        for &w in &speakers {
            let side = usize::from(is(w, NEGATIVE));
            if is(w, REACHED) {
                // Speakers are never reached: someone else's talk reached a
                // customer who did not talk.
                data.quiet[side] += 1;
                if into(w) > 0 {
                    *reached.entry(into(w)).or_default() += 1;
                }
            } else if is(w, CREDITED) {
                data.spoke[side] += 1;
            } else {
                let (mut dead, mut listeners) = (0u32, Vec::new());
                for &x in net.out_arcs(w).targets {
                    if x == w {
                        continue;
                    }
                    if is(x, REACHED) {
                        listeners.push(into(x));
                    } else if !is(x, VOICED) {
                        dead += 1;
                    }
                }
                listeners.sort_unstable();
                *silent.entry((side, into(w), dead, listeners)).or_default() += 1;
            }
        }
        for &v in &touched {
            if let Some(m) = mark.get_mut(v as usize) {
                *m = 0;
            }
            if let Some(k) = talkers_in.get_mut(v as usize) {
                *k = 0;
            }
        }
    }
    data.silent = silent.into_iter().collect();
    data.silent.sort_unstable();
    data.reached = reached.into_iter().collect();
    data.reached.sort_unstable();
    data
}

fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// `ln(1 - q^m)` without cancellation.
fn ln_reach(q: f64, m: u32) -> f64 {
    (-(f64::from(m) * q.ln()).exp_m1())
        .max(f64::MIN_POSITIVE)
        .ln()
}

impl TalkData {
    /// The log-likelihood at talk rates `a` (per side; `None`: the side is
    /// not fitted and its potential speakers are left out) and tie
    /// probability `p`.
    fn log_likelihood(&self, a: [Option<f64>; 2], p: f64) -> f64 {
        let q = 1.0 - p;
        let lnq = q.ln();
        let mut ll = self.dead as f64 * lnq;
        for &(m, count) in &self.reached {
            ll += count as f64 * ln_reach(q, m);
        }
        for side in 0..2 {
            if let (Some(a), Some(&s), Some(&r)) = (
                a.get(side).copied().flatten(),
                self.spoke.get(side),
                self.quiet.get(side),
            ) {
                ll += s as f64 * a.ln() + r as f64 * (1.0 - a).ln();
            }
        }
        // A reached listener with m talkers' arcs, one more talker: the
        // ratio of (1 - q^(m+1)) / (m + 1) to (1 - q^m) / m.
        let more = |m: u32| {
            let mf = f64::from(m);
            ln_reach(q, m + 1) - (mf + 1.0).ln() - ln_reach(q, m) + mf.ln()
        };
        for ((side, into, dead, listeners), count) in &self.silent {
            let Some(a) = a.get(*side).copied().flatten() else {
                continue;
            };
            let quiet = (1.0 - a).ln() + f64::from(*into) * lnq;
            let talked = a.ln()
                + f64::from(*dead) * lnq
                + listeners.iter().map(|&m| more(m.max(1))).sum::<f64>();
            let top = quiet.max(talked);
            ll += *count as f64 * (top + ((quiet - top).exp() + (talked - top).exp()).ln());
        }
        ll
    }

    /// Observations behind the likelihood (for its scale).
    fn size(&self) -> f64 {
        let silent: u64 = self.silent.iter().map(|(_, c)| c).sum();
        let reached: u64 = self.reached.iter().map(|(_, c)| c).sum();
        (self.spoke.iter().sum::<u64>()
            + self.quiet.iter().sum::<u64>()
            + silent
            + reached
            + self.dead)
            .max(1) as f64
    }
}

/// The maximum of the likelihood over the talk logits of `sides` and the
/// tie logit (last), with the covariance of the logits (or the index of a
/// flat direction).
fn maximise(
    data: &TalkData,
    sides: &[usize],
    talk: [f64; 2],
) -> (Vec<f64>, Result<Vec<Vec<f64>>, usize>) {
    let rates = |x: &[f64]| -> [Option<f64>; 2] {
        let mut a = [None, None];
        for (i, &s) in sides.iter().enumerate() {
            if let (Some(slot), Some(&v)) = (a.get_mut(s), x.get(i)) {
                *slot = Some(expit(v));
            }
        }
        a
    };
    let scale = data.size();
    let k = sides.len();
    let objective = |x: &[f64]| -> f64 {
        let p = expit(x.get(k).copied().unwrap_or(0.0));
        let ll = data.log_likelihood(rates(x), p);
        if ll.is_finite() { -ll / scale } else { 1e300 }
    };
    let start_p = data.contacts as f64 / (data.contacts + data.dead).max(1) as f64;
    let mut start: Vec<f64> = sides
        .iter()
        .map(|&s| logit(talk.get(s).copied().unwrap_or(0.3)))
        .collect();
    start.push(logit(start_p));
    let x = optimise::minimise(&objective, start, 1e-8).phi;
    let covariance = curvature::covariance(&curvature::hessian(&objective, &x, scale));
    (x, covariance)
}

/// The fitted word of mouth: the talk rates per period (praise,
/// criticism) and the tie probability, each fitted or its default with the
/// reason.
pub(crate) fn fit(data: &TalkData, defaults: [f64; 3]) -> [Estimate; 3] {
    let [praise, criticism, tie] = defaults;
    let default_all = |reason: String| {
        [
            whole_domain(praise, &reason),
            whole_domain(criticism, &reason),
            whole_domain(tie, &reason),
        ]
    };
    if data.contacts < MIN_TRIES {
        return default_all(format!(
            "only {} word-of-mouth contacts (referrals and criticism with who told them) on the book's network (at least {MIN_TRIES} needed)",
            data.contacts
        ));
    }
    let mut sides: Vec<usize> = (0..2)
        .filter(|&s| data.voiced.get(s).is_some_and(|&v| v >= MIN_TRIES))
        .collect();
    // A talk rate whose likelihood is largest at 0 or 1 (no potential
    // speaker of that side credited with a contact) is left out and the
    // rest fitted again: the logit's curvature says nothing at the edge.
    let mut edge = [false, false];
    let (x, covariance) = loop {
        let (x, covariance) = maximise(data, &sides, [praise, criticism]);
        let out = sides
            .iter()
            .enumerate()
            .find(|&(i, _)| x.get(i).is_some_and(|t| t.abs() > EDGE));
        match out {
            Some((i, &s)) => {
                if let Some(e) = edge.get_mut(s) {
                    *e = true;
                }
                sides.remove(i);
            }
            None => break (x, covariance),
        }
    };
    let k = sides.len();
    let estimate = |i: usize, default: f64, what: &str| -> Estimate {
        let theta = x.get(i).copied().unwrap_or(0.0);
        let var = covariance
            .as_ref()
            .ok()
            .and_then(|c| c.get(i).and_then(|row| row.get(i)).copied());
        match var {
            _ if theta.abs() > EDGE => whole_domain(
                default,
                &format!("the likelihood is largest at the edge of [0, 1] for {what}"),
            ),
            Some(v) if v.is_finite() && v > 0.0 && theta.is_finite() => {
                let se = v.sqrt();
                let p = expit(theta);
                let (lo, hi) = (expit(theta - Z * se), expit(theta + Z * se));
                if lo < hi {
                    return Estimate {
                        estimate: p,
                        std_err: (p * (1.0 - p) * se).max(f64::MIN_POSITIVE),
                        ci95: [lo, hi],
                        source: EstimateSource::Fitted,
                        reason: None,
                    };
                }
                whole_domain(default, &format!("the likelihood does not bound {what}"))
            }
            _ => whole_domain(
                default,
                &format!("the likelihood is flat or not concave in {what}"),
            ),
        }
    };
    let mut out = default_all(String::new());
    for (s, (slot, default)) in out.iter_mut().zip([praise, criticism]).enumerate() {
        let who = if s == 0 { "advocates" } else { "adversaries" };
        *slot = match sides.iter().position(|&f| f == s) {
            Some(i) => estimate(i, default, "the talk rate"),
            None if edge.get(s) == Some(&true) => whole_domain(
                default,
                &format!(
                    "the likelihood of the talk rate of {who} is largest at the edge of [0, 1] (no or every one of them credited with a contact)"
                ),
            ),
            None => whole_domain(
                default,
                &format!(
                    "only {} periods of {who} in the book (at least {MIN_TRIES} needed)",
                    data.voiced.get(s).copied().unwrap_or(0),
                ),
            ),
        };
    }
    if let Some(slot) = out.get_mut(2) {
        *slot = estimate(k, tie, "the tie probability");
    }
    out
}
