//! What a run produces: a [`PeriodReport`] per period and the [`Report`] of the
//! whole run.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::attribution::Attribution;
use super::scenario::Period;
use crate::crm::Currency;
use crate::customer::{
    CustomerId, CustomerState, NpsTally, Stage, StageCounts, Transition, Trigger,
};
use crate::funnel::{FunnelSnapshot, FunnelStage};
use crate::value::Actor;
use crate::value::{Ledger, Totals};

/// The stage moves of one period: how many from each stage to each other, and
/// how many by each kind of cause.
///
/// `moves[from][to]` is indexed by [`Stage::index`]; `by_trigger` follows the
/// order of [`Trigger::ALL`]. In JSON both are lists of named counts (zero
/// counts are left out).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "TransitionRecord", from = "TransitionRecord")]
pub struct TransitionCounts {
    moves: [[u64; 7]; 7],
    by_trigger: [u64; 13],
}

/// One `from -> to` count in a [`TransitionCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MoveCount {
    /// Stage before.
    pub from: Stage,
    /// Stage after.
    pub to: Stage,
    /// How many customers moved so.
    pub count: u64,
}

/// One per-cause count in a [`TransitionCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TriggerCount {
    /// The kind of cause.
    pub trigger: Trigger,
    /// How many moves it caused.
    pub count: u64,
}

#[derive(Serialize, Deserialize)]
struct TransitionRecord {
    moves: Vec<MoveCount>,
    by_cause: Vec<TriggerCount>,
}

impl From<TransitionCounts> for TransitionRecord {
    fn from(t: TransitionCounts) -> Self {
        TransitionRecord {
            moves: t.moves().collect(),
            by_cause: t.by_trigger().collect(),
        }
    }
}

impl From<TransitionRecord> for TransitionCounts {
    fn from(r: TransitionRecord) -> Self {
        let mut t = TransitionCounts::default();
        for m in r.moves {
            if let Some(c) = t
                .moves
                .get_mut(m.from.index())
                .and_then(|row| row.get_mut(m.to.index()))
            {
                *c = c.saturating_add(m.count);
            }
        }
        for c in r.by_cause {
            if let Some(slot) = t.by_trigger.get_mut(c.trigger.index()) {
                *slot = slot.saturating_add(c.count);
            }
        }
        t
    }
}

impl TransitionCounts {
    /// Counts one move.
    pub fn record(&mut self, from: Stage, to: Stage, trigger: Trigger) {
        if let Some(c) = self
            .moves
            .get_mut(from.index())
            .and_then(|row| row.get_mut(to.index()))
        {
            *c = c.saturating_add(1);
        }
        if let Some(c) = self.by_trigger.get_mut(trigger.index()) {
            *c = c.saturating_add(1);
        }
    }

    /// Adds another period's (or block's) counts.
    pub fn merge(&mut self, other: &TransitionCounts) {
        for (row, other_row) in self.moves.iter_mut().zip(other.moves.iter()) {
            for (c, o) in row.iter_mut().zip(other_row.iter()) {
                *c = c.saturating_add(*o);
            }
        }
        for (c, o) in self.by_trigger.iter_mut().zip(other.by_trigger.iter()) {
            *c = c.saturating_add(*o);
        }
    }

    /// How many customers moved from `from` to `to`.
    pub fn count(&self, from: Stage, to: Stage) -> u64 {
        self.moves
            .get(from.index())
            .and_then(|row| row.get(to.index()))
            .copied()
            .unwrap_or(0)
    }

    /// How many moves `trigger` caused.
    pub fn caused_by(&self, trigger: Trigger) -> u64 {
        self.by_trigger.get(trigger.index()).copied().unwrap_or(0)
    }

    /// Every move.
    pub fn total(&self) -> u64 {
        self.by_trigger
            .iter()
            .fold(0u64, |a, &c| a.saturating_add(c))
    }

    /// The non-zero `from -> to` counts, in stage order.
    pub fn moves(&self) -> impl Iterator<Item = MoveCount> + '_ {
        Stage::ALL.into_iter().flat_map(move |from| {
            Stage::ALL.into_iter().filter_map(move |to| {
                let count = self.count(from, to);
                (count > 0).then_some(MoveCount { from, to, count })
            })
        })
    }

    /// The non-zero per-cause counts, in [`Trigger::ALL`] order.
    pub fn by_trigger(&self) -> impl Iterator<Item = TriggerCount> + '_ {
        Trigger::ALL
            .into_iter()
            .zip(self.by_trigger.iter())
            .filter(|(_, c)| **c > 0)
            .map(|(trigger, &count)| TriggerCount { trigger, count })
    }
}

/// Everything measured in one period, at its end. Money is in the report's
/// [currency](Report::currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PeriodReport {
    /// The period (0-based).
    pub period: u32,
    /// The funnel at the end of the period: how many customers are at or
    /// beyond each funnel stage now (see [`FunnelStage::reached_by`]).
    pub funnel: FunnelSnapshot,
    /// Customers in each lifecycle stage at the end of the period; they add up
    /// to the population.
    pub stages: StageCounts,
    /// Promoters, passives and detractors among customers who have ever bought
    /// (by their likelihood to recommend, which follows their sentiment).
    pub nps: NpsTally,
    /// The moves made during the period.
    pub transitions: TransitionCounts,
    /// Purchases made (including referral sales).
    pub purchases: u64,
    /// Purchases by prospects who heard praise this period.
    pub referral_sales: u64,
    /// Advocates and adversaries who talked (the speakers of the period's
    /// word-of-mouth cascade).
    pub speakers: (u64, u64),
    /// Customers the period's word of mouth reached: with praise, with
    /// criticism.
    pub word_of_mouth: (u64, u64),
    /// Engagements that landed on a customer (relevant), and that were noticed
    /// as irrelevant noise.
    pub engagements: (u64, u64),
    /// Experiences customers had, and how many of them were inconsistent across
    /// departments.
    pub experiences: (u64, u64),
    /// Feedback items given by customers or heard by listening, and how many of
    /// them reached the business's backlog.
    pub feedback: (u64, u64),
    /// Business changes in effect during the period.
    pub changes_live: u32,
    /// Probability that a consistent experience was bad during the period,
    /// after the changes in effect.
    pub bad_experience: f64,
    /// The cash book's totals of the period: by kind, by account and net.
    pub value: Totals,
    /// The period's net cash discounted to period 0 (millionths).
    #[serde(with = "rust_decimal::serde::str")]
    pub present_value: Decimal,
}

impl PeriodReport {
    /// The Net Promoter Score of customers who have ever bought (`None` when there
    /// are none).
    pub fn nps_score(&self) -> Option<f64> {
        self.nps.score()
    }
}

/// The run's totals. Money is in the report's [currency](Report::currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RunTotals {
    /// The cash book's totals over the run: by kind, by account and net.
    pub value: Totals,
    /// The run's value: every period's net cash discounted to period 0 at the
    /// scenario's discount rate (millionths).
    #[serde(with = "rust_decimal::serde::str")]
    pub net_present_value: Decimal,
    /// The value the brand created (its [attribution](Attribution) in this
    /// run, net of what it spent) per unit of present value it spent on
    /// engagements, referral rewards and agency fees: the net return on
    /// engagement. `None` unless the report carries an attribution, or when the
    /// brand spent nothing.
    pub return_on_engagement: Option<Decimal>,
    /// The value the business created per unit of present value it spent on
    /// changes: the net return on change. `None` unless the report carries an
    /// attribution, or when the business spent nothing.
    pub return_on_change: Option<Decimal>,
    /// Purchases over the run (including those applied by hand).
    pub purchases: u64,
    /// Referral sales over the run.
    pub referral_sales: u64,
    /// Business changes commissioned (scheduled or by the policy) during the run.
    pub changes: u32,
}

/// A tracked customer's audit trail (see [`crate::sim::AuditOptions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerAudit {
    /// The customer.
    pub customer: CustomerId,
    /// Their state at the end of the run.
    pub state: CustomerState,
    /// Every move they made, oldest first, each with its full cause.
    pub history: Vec<Transition>,
}

/// The result of a run: one [`PeriodReport`] per period plus the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// The scenario's seed.
    pub seed: u64,
    /// Which run of the seed this is (see
    /// [`Simulation::replication`](super::Simulation::replication)).
    pub run: u32,
    /// The currency of every amount of the report.
    pub currency: Currency,
    /// The length of one period.
    pub period_length: Period,
    /// Number of customers.
    pub population: u64,
    /// Number of directed ties in the network.
    pub ties: u64,
    /// The funnel before the first period.
    pub initial: FunnelSnapshot,
    /// Customers in each lifecycle stage before the first period.
    pub initial_stages: StageCounts,
    /// One report per period, in order.
    pub periods: Vec<PeriodReport>,
    /// Totals over the run.
    pub totals: RunTotals,
    /// The cash book: one entry per kind of money per period (sales summed over
    /// customers), one per engagement run, fee and change.
    pub ledger: Ledger,
    /// Audit trails of the tracked customers (empty unless asked for).
    pub audit: Vec<CustomerAudit>,
    /// The value created by each actor, when the run was asked for it (see
    /// [`Simulation::attribution`](super::Simulation::attribution)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
}

impl Report {
    /// The last period's report, if the horizon was not zero.
    pub fn last(&self) -> Option<&PeriodReport> {
        self.periods.last()
    }

    /// One row per period, with a header (what `social-loop run` writes as
    /// `periods.csv`): stage counts, funnel (customers at or beyond each funnel
    /// stage), NPS (one decimal), purchases, speakers and the customers word
    /// of mouth reached, engagements, experiences, feedback, changes, the
    /// probability of a bad experience (six decimals), the cash by account
    /// (`cash_customer`: sales less their cost; `cash_brand`, `cash_business`:
    /// what they paid, negative), the net cash and its present value, in the
    /// report's currency.
    ///
    /// # Complexity
    /// O(periods).
    pub fn periods_csv(&self) -> String {
        let report = self;
        let mut out = String::from("period");
        for stage in Stage::ALL {
            let _ = write!(out, ",{}", stage.name());
        }
        for stage in FunnelStage::ALL {
            let _ = write!(out, ",funnel_{}", stage.name());
        }
        out.push_str(
            ",nps,purchases,referral_sales,speakers_advocates,speakers_adversaries,\
             word_of_mouth_positive,word_of_mouth_negative,\
             engagements_relevant,engagements_irrelevant,experiences,experiences_inconsistent,\
             feedback_given,feedback_reached,changes_live,bad_experience",
        );
        for actor in Actor::ALL {
            let _ = write!(out, ",cash_{}", actor.name());
        }
        out.push_str(",cash_net,present_value\n");
        for p in &report.periods {
            let _ = write!(out, "{}", p.period);
            for stage in Stage::ALL {
                let _ = write!(out, ",{}", p.stages.get(stage));
            }
            for stage in FunnelStage::ALL {
                let _ = write!(out, ",{}", p.funnel.count(stage));
            }
            let nps = p.nps_score().map_or(String::new(), |s| format!("{s:.1}"));
            let _ = write!(
                out,
                ",{nps},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.6}",
                p.purchases,
                p.referral_sales,
                p.speakers.0,
                p.speakers.1,
                p.word_of_mouth.0,
                p.word_of_mouth.1,
                p.engagements.0,
                p.engagements.1,
                p.experiences.0,
                p.experiences.1,
                p.feedback.0,
                p.feedback.1,
                p.changes_live,
                p.bad_experience
            );
            for actor in Actor::ALL {
                let _ = write!(out, ",{}", p.value.for_actor(actor));
            }
            let _ = writeln!(out, ",{},{}", p.value.net(), p.present_value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{ExperienceQuality, Valence};

    #[test]
    fn transition_counts_add_up_and_round_trip_as_named_lists() {
        let mut t = TransitionCounts::default();
        t.record(
            Stage::Advocate,
            Stage::Adversary,
            Trigger::Experience(ExperienceQuality::Outraged),
        );
        t.record(
            Stage::Prospect,
            Stage::Aware,
            Trigger::WordOfMouth(Valence::Negative),
        );
        t.record(
            Stage::Prospect,
            Stage::Aware,
            Trigger::WordOfMouth(Valence::Negative),
        );
        let mut other = TransitionCounts::default();
        other.record(Stage::Prospect, Stage::Customer, Trigger::Purchase);
        t.merge(&other);
        assert_eq!(t.total(), 4);
        assert_eq!(t.count(Stage::Prospect, Stage::Aware), 2);
        assert_eq!(t.caused_by(Trigger::WordOfMouth(Valence::Negative)), 2);
        assert_eq!(t.moves().count(), 3);
        let json = serde_json::to_string(&t).unwrap();
        assert!(
            json.contains(r#"{"from":"prospect","to":"aware","count":2}"#),
            "{json}"
        );
        let back: TransitionCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn stage_counts_total_and_merge() {
        let mut a = StageCounts::default();
        a.add(Stage::Lapsed);
        a.add(Stage::Advocate);
        let mut b = StageCounts::default();
        b.add(Stage::Advocate);
        a.merge(&b);
        assert_eq!(a.get(Stage::Advocate), 2);
        assert_eq!(a.total(), 3);
    }
}
