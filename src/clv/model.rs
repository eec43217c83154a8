//! [`TransactionModel`] (which BTYD model) and [`TransactionFit`] (a fitted
//! one): the per-customer predictions CLV is built on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdData;
use super::discount::DiscountRule;
use super::fit::{Estimates, maximise};
use super::pareto_nbd::ParetoNbdData;
use super::triples::Compressed;
use super::{BgNbd, CustomerSummary, ParetoNbd, Summaries};
use crate::error::{Error, Result};

/// Which model of repeat transactions to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TransactionModel {
    /// BG/NBD (Fader, Hardie & Lee 2005): parameters `r, alpha, a, b`.
    #[default]
    Bgnbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987): `r, alpha, s, beta`.
    ParetoNbd,
}

impl TransactionModel {
    /// Both models.
    pub const ALL: [TransactionModel; 2] = [TransactionModel::Bgnbd, TransactionModel::ParetoNbd];

    /// `bgnbd` or `pareto-nbd`.
    pub fn name(self) -> &'static str {
        match self {
            TransactionModel::Bgnbd => "bgnbd",
            TransactionModel::ParetoNbd => "pareto-nbd",
        }
    }

    /// Fits the model to `summaries` by maximum likelihood over their distinct
    /// `(x, t_x, T)` triples.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `transactions`) for no customers;
    /// [`Error::Fit`] when the fit does not converge, runs to a boundary or
    /// leaves a parameter unidentified.
    ///
    /// # Complexity
    /// O(n) to group the customers, then O(distinct triples) per likelihood
    /// evaluation (a few hundred evaluations).
    ///
    /// ```
    /// use social_loop::clv::{CustomerSummary, Summaries, TransactionModel};
    /// let customers = vec![CustomerSummary::new("a", 0, 0.0, 10.0)?];
    /// let err = TransactionModel::Bgnbd.fit(&Summaries::new(customers)).unwrap_err();
    /// assert!(err.is_fit_failure()); // nobody came back: no interior maximum
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fit(self, summaries: &Summaries) -> Result<TransactionFit> {
        self.fit_customers(&summaries.customers)
    }

    pub(crate) fn fit_customers(self, customers: &[CustomerSummary]) -> Result<TransactionFit> {
        if customers.is_empty() {
            return Err(Error::invalid("transactions", "no customer to fit"));
        }
        let data = Compressed::new(customers);
        let estimates = match self {
            TransactionModel::Bgnbd => maximise(&BgNbdData(&data))?,
            TransactionModel::ParetoNbd => maximise(&ParetoNbdData(&data))?,
        };
        Ok(TransactionFit {
            model: self,
            estimates,
        })
    }
}

impl fmt::Display for TransactionModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TransactionModel {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        TransactionModel::ALL
            .into_iter()
            .find(|m| m.name() == text)
            .ok_or_else(|| Error::invalid("model", format!("`{text}` is not bgnbd or pareto-nbd")))
    }
}

/// A fitted transaction model.
///
/// ```
/// use social_loop::clv::{BgNbd, BgNbdSimulation, TransactionModel};
/// let truth = BgNbd::new(0.25, 4.0, 0.8, 2.5)?;
/// let summaries = BgNbdSimulation::new(truth, 2_000).seed(1).summaries()?;
/// let fit = TransactionModel::Bgnbd.fit(&summaries)?;
/// assert_eq!(fit.estimates.parameters.len(), 4);
/// let first = &summaries.customers[0];
/// assert!(fit.p_alive(first) > 0.0 && fit.p_alive(first) <= 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransactionFit {
    /// Which model.
    pub model: TransactionModel,
    /// Its estimates.
    pub estimates: Estimates,
}

/// One customer's predictions (see [`TransactionFit::predict`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Prediction {
    /// Probability of being alive at the end of calibration.
    pub p_alive: f64,
    /// Expected transactions in the next `t` periods.
    pub expected: f64,
}

/// The parameters of either model, for predictions.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Params {
    BgNbd(BgNbd),
    ParetoNbd(ParetoNbd),
}

impl Params {
    pub fn of(model: TransactionModel, theta: &[f64]) -> Self {
        match model {
            TransactionModel::Bgnbd => Params::BgNbd(BgNbd::from_theta(theta)),
            TransactionModel::ParetoNbd => Params::ParetoNbd(ParetoNbd::from_theta(theta)),
        }
    }

    pub fn p_alive(&self, x: f64, t_x: f64, t_cal: f64) -> f64 {
        match self {
            Params::BgNbd(m) => m.p_alive(x, t_x, t_cal),
            Params::ParetoNbd(m) => m.p_alive(x, t_x, t_cal),
        }
    }

    pub fn expected(&self, x: f64, t_x: f64, t_cal: f64, t: f64) -> Result<f64> {
        match self {
            Params::BgNbd(m) => m.expected_transactions(x, t_x, t_cal, t),
            Params::ParetoNbd(m) => m.expected_transactions(x, t_x, t_cal, t),
        }
    }

    /// Expected transactions in `(T, T + t]` if alive at `T`.
    pub fn expected_if_alive(&self, x: f64, t_cal: f64, t: f64) -> Result<f64> {
        match self {
            Params::BgNbd(m) => m.expected_if_alive(x, t_cal, t),
            Params::ParetoNbd(m) => Ok(m.expected_if_alive(x, t_cal, t)),
        }
    }

    /// Discounted expected transactions if alive of every `x` of `xs`
    /// (strictly ascending) observed for `t_cal`, all at once when the model
    /// has a shortcut for it (BG/NBD); `None` otherwise or when the shortcut
    /// fails (then one `x` at a time with [`DiscountRule::apply`]).
    pub fn discounted_if_alive(
        &self,
        xs: &[u32],
        t_cal: f64,
        rule: &DiscountRule,
    ) -> Option<Vec<f64>> {
        match self {
            Params::BgNbd(m) => m.discounted_if_alive(xs, t_cal, rule),
            Params::ParetoNbd(_) => None,
        }
    }

    pub fn expected_repeat(&self, t: f64) -> Result<f64> {
        match self {
            Params::BgNbd(m) => m.expected_repeat(t),
            Params::ParetoNbd(m) => m.expected_repeat(t),
        }
    }
}

impl TransactionFit {
    pub(crate) fn params(&self) -> Params {
        Params::of(self.model, &self.estimates.values())
    }

    /// The BG/NBD parameters, when this is a BG/NBD fit.
    pub fn bgnbd(&self) -> Option<BgNbd> {
        match self.params() {
            Params::BgNbd(m) => Some(m),
            Params::ParetoNbd(_) => None,
        }
    }

    /// The Pareto/NBD parameters, when this is a Pareto/NBD fit.
    pub fn pareto_nbd(&self) -> Option<ParetoNbd> {
        match self.params() {
            Params::ParetoNbd(m) => Some(m),
            Params::BgNbd(_) => None,
        }
    }

    /// The probability that `customer` is still alive at the end of calibration.
    pub fn p_alive(&self, customer: &CustomerSummary) -> f64 {
        self.params()
            .p_alive(f64::from(customer.x()), customer.t_x(), customer.t_cal())
    }

    /// Expected transactions of `customer` in the `t` periods after calibration.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the model's terms cannot be evaluated.
    pub fn expected_transactions(&self, customer: &CustomerSummary, t: f64) -> Result<f64> {
        self.params()
            .expected(f64::from(customer.x()), customer.t_x(), customer.t_cal(), t)
    }

    /// P(alive) and expected transactions in the next `t` periods of every
    /// customer of `summaries`, in their order; computed once per distinct
    /// `(x, t_x, T)`, in parallel (the same on any thread count).
    ///
    /// # Errors
    /// As [`expected_transactions`](Self::expected_transactions).
    ///
    /// # Complexity
    /// O(n) plus O(distinct triples) model evaluations.
    pub fn predict(&self, summaries: &Summaries, t: f64) -> Result<Vec<Prediction>> {
        use rayon::prelude::*;
        let data = Compressed::new(&summaries.customers);
        let params = self.params();
        let per_triple: Vec<Prediction> = data
            .triples
            .par_iter()
            .map(|tr| {
                Ok(Prediction {
                    p_alive: params.p_alive(tr.x, tr.t_x, tr.t_cal),
                    expected: params.expected(tr.x, tr.t_x, tr.t_cal, t)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(data
            .of_customer
            .iter()
            .filter_map(|&n| per_triple.get(n as usize).copied())
            .collect())
    }

    /// Expected repeat transactions of a new customer in their first `t` periods.
    ///
    /// # Errors
    /// As [`expected_transactions`](Self::expected_transactions).
    pub fn expected_repeat(&self, t: f64) -> Result<f64> {
        self.params().expected_repeat(t)
    }
}
