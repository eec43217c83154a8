//! [`Programme`]: an engagement given to chosen customers, and what choosing
//! them one way rather than another is worth, on common random numbers.

use std::ops::Range;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::brand::Engagement;
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::sim::{Scenario, Simulation};
use crate::value::MoneyEstimate;

/// A programme for chosen customers: one engagement, aimed at each of them by
/// name ([`Target::Customer`](crate::brand::Target::Customer)); what
/// engagement value is for, in Kumar et al. (2010): deciding whom a
/// programme's budget goes to.
///
/// Its effect is what the engagement does to the customers it is aimed at in
/// the value loop: an
/// [`AdvocacyProgramme`](crate::brand::EngagementKind::AdvocacyProgramme)
/// delights a satisfied customer (who can become an advocate) and raises an
/// advocate's chance of talking by `programme_talk × landing`, so its value
/// runs through their word of mouth and referrals; it costs its cost per
/// customer each time it runs, whoever they are.
///
/// ```
/// use social_loop::brand::{Engagement, EngagementKind, Schedule};
/// use social_loop::cev::Programme;
/// use social_loop::customer::Channel;
/// use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
/// let scenario = Scenario::default()
///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(200, 20, 6.0)?))
///     .horizon(8);
/// let programme = Programme::new(
///     Engagement::builder(EngagementKind::AdvocacyProgramme, Channel::Microblog)
///         .schedule(Schedule::every(0, 1)?)
///         .cost("5".parse()?)
///         .build()?,
/// );
/// let (a, b) = (["c1".into(), "c2".into()], ["c3".into(), "c4".into()]);
/// let gain = programme.paired_gain(&scenario, &a, &b, 0..10)?;
/// assert_eq!(gain.runs, 10);
/// assert!(gain.ci95[0] <= gain.mean && gain.mean <= gain.ci95[1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    engagement: Engagement,
}

impl Programme {
    /// The programme that gives `engagement` (its kind, channel, topics,
    /// schedule, cost and owner; its target is replaced) to each chosen
    /// customer.
    pub fn new(engagement: Engagement) -> Self {
        Programme { engagement }
    }

    /// `scenario` with the programme given to each of `customers` (added to
    /// its engagement plan).
    pub fn given_to(&self, scenario: &Scenario, customers: &[CustomerId]) -> Scenario {
        let mut plan = scenario.get_engagements().clone();
        for c in customers {
            plan.push(self.engagement.aimed_at(c.clone()));
        }
        scenario.clone().engagements(plan)
    }

    /// What giving the programme to `a` rather than to `b` gains: the mean
    /// over `runs` (run numbers of the scenario's seed) of the difference of
    /// the two runs' net present value, each pair run on the same random
    /// numbers ([`Simulation::replication`]), with its 95% interval. Give
    /// runs other than those that measured the values `a` and `b` were
    /// chosen by, so the choice is not judged on the draws it saw.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `runs`) for fewer than 2 runs; as
    /// [`Simulation::new`] and [`Simulation::run`] (an unknown customer is
    /// [`Error::UnknownCustomer`]).
    ///
    /// # Complexity
    /// Two runs of the scenario per run, in parallel on the rayon pool; the
    /// result does not depend on the number of threads.
    pub fn paired_gain(
        &self,
        scenario: &Scenario,
        a: &[CustomerId],
        b: &[CustomerId],
        runs: Range<u32>,
    ) -> Result<MoneyEstimate> {
        if runs.len() < 2 {
            return Err(Error::invalid(
                "runs",
                format!("{} runs: at least 2 are needed", runs.len()),
            ));
        }
        let (with_a, with_b) = (self.given_to(scenario, a), self.given_to(scenario, b));
        let gains = runs
            .into_par_iter()
            .map(|r| -> Result<Decimal> {
                let value = |s: &Scenario| -> Result<Decimal> {
                    Ok(Simulation::new(s)?
                        .replication(r)
                        .run()?
                        .totals
                        .net_present_value)
                };
                value(&with_a)?
                    .checked_sub(value(&with_b)?)
                    .ok_or_else(|| Error::overflow("a paired gain"))
            })
            .collect::<Result<Vec<_>>>()?;
        MoneyEstimate::of(&gains)
    }
}
