//! [`Metric`]: what a sweep measures in each run's [`Report`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::moments::Fixed;
use crate::customer::Stage;
use crate::error::{Error, Result};
use crate::funnel::FunnelStage;
use crate::sim::{ActorValues, Report};
use crate::value::{Actor, ValueKind};

/// One number read from a run's [`Report`], summarised over the runs of each
/// cell.
///
/// Written (in JSON, in CSV headers, and by [`FromStr`]) as its
/// [`name`](Self::name):
///
/// | name | value |
/// |---|---|
/// | `net_value` | net cash over the run, undiscounted (the cash book's grand total) |
/// | `npv` | net present value of the run (each period's net cash discounted at the scenario's rate) |
/// | `value.customer`, `value.brand`, `value.business` | value **created** by one actor: its Shapley value over the run's eight counterfactual runs (see [`Attribution`](crate::sim::Attribution)), in net present value |
/// | `booked.customer`, `booked.brand`, `booked.business` | cash book lines **labelled** with one actor (what it was paid or paid; not what it caused) |
/// | `kind.purchase`, `kind.referral_sale`, ... | cash book total of one [`ValueKind`] |
/// | `stage.advocate`, `stage.adversary`, ... | customers in a lifecycle stage at the end |
/// | `funnel.awareness`, ..., `funnel.advocacy` | customers who reached a funnel stage, at the end |
/// | `nps` | Net Promoter Score at the end (undefined when nobody has bought) |
/// | `purchases`, `referral_sales` | purchases and referral sales over the run |
/// | `changes` | business changes commissioned over the run |
/// | `return_on_engagement`, `return_on_change` | value created by the brand (the business) per unit it spent, both in net present value (undefined when nothing was spent) |
///
/// "At the end" is the last period; a horizon of 0 reads the initial funnel
/// and leaves stages and NPS undefined.
///
/// **Cost.** `value.*` and `return_on_*` are causal: a run that measures any
/// of them also runs its eight counterfactuals (the same random numbers, each
/// subset of the actors' contributions switched on), nine runs in all. The
/// other metrics read the one run.
///
/// ```
/// use social_loop::sweep::Metric;
/// use social_loop::Stage;
/// let m: Metric = "stage.advocate".parse()?;
/// assert_eq!(m, Metric::Stage(Stage::Advocate));
/// assert_eq!(Metric::NetValue.to_string(), "net_value");
/// assert!("stage.fan".parse::<Metric>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
#[non_exhaustive]
pub enum Metric {
    /// Net cash over the run, undiscounted.
    NetValue,
    /// Net present value of the run.
    PresentValue,
    /// Value created by one actor over the run: its Shapley value over the
    /// run's eight counterfactual runs, in net present value.
    Value(Actor),
    /// Cash book lines labelled with one actor over the run (not causal).
    Booked(Actor),
    /// Cash book total of one kind of value over the run.
    Kind(ValueKind),
    /// Customers in a lifecycle stage at the end.
    Stage(Stage),
    /// Customers who reached a funnel stage, at the end.
    Funnel(FunnelStage),
    /// Net Promoter Score at the end.
    Nps,
    /// Purchases over the run.
    Purchases,
    /// Referral sales over the run.
    ReferralSales,
    /// Business changes commissioned over the run.
    Changes,
    /// Value created by the brand per unit it spent (net present values).
    ReturnOnEngagement,
    /// Value created by the business per unit it spent (net present values).
    ReturnOnChange,
}

impl Metric {
    /// The metrics a sweep reports unless told otherwise (one run each, no
    /// counterfactuals): net cash, net present value, advocates and
    /// adversaries at the end, NPS, customers who have bought (funnel purchase
    /// stage) at the end, and purchases.
    pub fn defaults() -> Vec<Metric> {
        vec![
            Metric::NetValue,
            Metric::PresentValue,
            Metric::Stage(Stage::Advocate),
            Metric::Stage(Stage::Adversary),
            Metric::Nps,
            Metric::Funnel(FunnelStage::Purchase),
            Metric::Purchases,
        ]
    }

    /// The metric's name (see the table above).
    pub fn name(&self) -> String {
        match self {
            Metric::NetValue => "net_value".into(),
            Metric::PresentValue => "npv".into(),
            Metric::Value(a) => format!("value.{}", a.name()),
            Metric::Booked(a) => format!("booked.{}", a.name()),
            Metric::Kind(k) => format!("kind.{}", k.name()),
            Metric::Stage(s) => format!("stage.{}", s.name()),
            Metric::Funnel(f) => format!("funnel.{}", f.name()),
            Metric::Nps => "nps".into(),
            Metric::Purchases => "purchases".into(),
            Metric::ReferralSales => "referral_sales".into(),
            Metric::Changes => "changes".into(),
            Metric::ReturnOnEngagement => "return_on_engagement".into(),
            Metric::ReturnOnChange => "return_on_change".into(),
        }
    }

    /// Whether the metric needs the run's eight counterfactual runs (its
    /// value by actor).
    pub(crate) fn needs_actor_values(&self) -> bool {
        matches!(
            self,
            Metric::Value(_) | Metric::ReturnOnEngagement | Metric::ReturnOnChange
        )
    }

    /// The metric's value in `report` (and the run's value by actor, when
    /// [`needs_actor_values`](Self::needs_actor_values)), in fixed point;
    /// `None` when it is undefined for this run.
    pub(crate) fn observe(
        &self,
        report: &Report,
        actors: Option<&ActorValues>,
    ) -> Result<Option<Fixed>> {
        let totals = &report.totals;
        let last = report.last();
        let name = || self.name();
        Ok(match self {
            Metric::NetValue => Some(Fixed::from_decimal(totals.value.net(), &name())?),
            Metric::PresentValue => Some(Fixed::from_decimal(totals.net_present_value, &name())?),
            Metric::Value(a) => match actors {
                Some(v) => Some(Fixed::from_decimal(v.of(*a), &name())?),
                None => None,
            },
            Metric::Booked(a) => Some(Fixed::from_decimal(totals.value.for_actor(*a), &name())?),
            Metric::Kind(k) => Some(Fixed::from_decimal(totals.value.of(*k), &name())?),
            Metric::Stage(s) => last.map(|p| Fixed::from_count(p.stages.get(*s))),
            Metric::Funnel(f) => Some(Fixed::from_count(
                last.map_or(report.initial, |p| p.funnel).count(*f),
            )),
            Metric::Nps => match last.and_then(|p| p.nps_score()) {
                Some(score) => Some(Fixed::from_f64(score, name())?),
                None => None,
            },
            Metric::Purchases => Some(Fixed::from_count(totals.purchases)),
            Metric::ReferralSales => Some(Fixed::from_count(totals.referral_sales)),
            Metric::Changes => Some(Fixed::from_count(u64::from(totals.changes))),
            Metric::ReturnOnEngagement => match totals.return_on_engagement {
                Some(r) => Some(Fixed::from_decimal(r, &name())?),
                None => None,
            },
            Metric::ReturnOnChange => match totals.return_on_change {
                Some(r) => Some(Fixed::from_decimal(r, &name())?),
                None => None,
            },
        })
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl From<Metric> for String {
    fn from(m: Metric) -> String {
        m.name()
    }
}

impl TryFrom<String> for Metric {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl FromStr for Metric {
    type Err = Error;

    /// Parses a metric name (see [`Metric`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `metric`) for an unknown name.
    fn from_str(s: &str) -> Result<Self> {
        let simple = [
            Metric::NetValue,
            Metric::PresentValue,
            Metric::Nps,
            Metric::Purchases,
            Metric::ReferralSales,
            Metric::Changes,
            Metric::ReturnOnEngagement,
            Metric::ReturnOnChange,
        ];
        let all = simple
            .into_iter()
            .chain(Actor::ALL.map(Metric::Value))
            .chain(Actor::ALL.map(Metric::Booked))
            .chain(ValueKind::ALL.map(Metric::Kind))
            .chain(Stage::ALL.map(Metric::Stage))
            .chain(FunnelStage::ALL.map(Metric::Funnel));
        for m in all {
            if m.name() == s {
                return Ok(m);
            }
        }
        Err(Error::invalid(
            "metric",
            format!(
                "unknown metric `{s}`; expected net_value, npv, value.<actor>, booked.<actor>, kind.<value kind>, \
                 stage.<stage>, funnel.<funnel stage>, nps, purchases, referral_sales, changes, \
                 return_on_engagement or return_on_change"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_name_parses_back() {
        let all = Actor::ALL
            .map(Metric::Value)
            .into_iter()
            .chain(ValueKind::ALL.map(Metric::Kind))
            .chain(Stage::ALL.map(Metric::Stage))
            .chain(FunnelStage::ALL.map(Metric::Funnel))
            .chain(Metric::defaults());
        for m in all {
            assert_eq!(m.name().parse::<Metric>(), Ok(m));
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.name()));
            assert_eq!(serde_json::from_str::<Metric>(&json).unwrap(), m);
        }
        assert!(matches!(
            "advocates".parse::<Metric>(),
            Err(Error::InvalidParameter { field, .. }) if field == "metric"
        ));
    }
}
