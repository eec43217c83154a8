//! Customer value from purchase histories: the "buy till you die" (BTYD)
//! models fitted by maximum likelihood, and customer lifetime value (CLV).
//!
//! ```
//! use social_loop::clv::{BgNbd, BgNbdSimulation, CustomerValues, LogFormat, Period,
//!     PurchaseLog, Summaries, SummaryOptions, TransactionModel, ValueOptions};
//! // A purchase log in, per-customer summaries out (x, t_x, T in weeks).
//! let log = "customer,date,amount\n\
//!     a,2024-01-02,20\na,2024-02-10,25\na,2024-03-30,30\nb,2024-01-05,10\n";
//! let log = PurchaseLog::read(log.as_bytes(), LogFormat::Csv, "<memory>")?;
//! let summaries = Summaries::from_log(&log, SummaryOptions::default()
//!     .period(Period::Week)
//!     .calibration_end("2024-04-30".parse()?))?;
//! assert_eq!(summaries.customers[0].x(), 2); // two repeat purchases of a
//!
//! // A base of 2,000 customers drawn from known parameters, fitted back and valued.
//! let truth = BgNbd::new(0.25, 4.0, 0.8, 2.5)?;
//! let base = BgNbdSimulation::new(truth, 2_000).seed(7).summaries()?;
//! let fit = TransactionModel::Bgnbd.fit(&base)?;
//! let values = CustomerValues::compute(&base, &fit, None, ValueOptions::default().horizon_periods(52)?)?;
//! let first = &values.customers[0];
//! assert!(first.clv_ci95[0] <= first.clv && first.clv <= first.clv_ci95[1]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Pieces
//!
//! * Data: [`PurchaseLog`] (CDNOW's format or `customer,date,amount[,currency]`),
//!   [`Summaries::from_log`] (per-customer `x, t_x, T`, mean repeat spend, a
//!   calibration / holdout split at a date, in [`Period`]s, as lifetimes'
//!   `summary_data_from_transaction_data` counts them), [`Summaries::read_csv`]
//!   (a summary file such as `cdnow_summary.csv`), and
//!   [`CustomerBook::customer_values`](crate::crm::CustomerBook::customer_values)
//!   for a CRM's own purchases and refunds, per currency.
//! * Models, each fitted by one maximum-likelihood mechanism (argmin's
//!   Nelder-Mead and BFGS on log parameters, Hessian standard errors, 95%
//!   intervals, log-likelihood and AIC, refusals as [`Error::Fit`](crate::Error::Fit)):
//!   [`BgNbd`] (Fader, Hardie & Lee 2005), [`ParetoNbd`] (Schmittlein,
//!   Morrison & Colombo 1987; Fader & Hardie 2005), through
//!   [`TransactionModel::fit`]; [`GammaGamma`] spend (Colombo & Jiang 1999;
//!   Fader, Hardie & Lee 2005) through [`SpendFit::fit`], with its
//!   independence check; [`Retention`], the shifted-beta-geometric of
//!   contractual settings (Fader & Hardie 2007).
//! * Value: [`CustomerValues::compute`]: expected transactions in a holdout,
//!   P(alive), expected spend and CLV in `Decimal` with an interval from
//!   parameter draws.
//! * [`BgNbdSimulation`]: synthetic bases from known parameters.
//!
//! Fits sum the likelihood over the distinct `(x, t_x, T)` triples with their
//! counts; predictions are computed once per triple, in parallel, with the
//! same result on any number of threads.

mod bgnbd;
mod date;
mod discount;
pub(crate) mod fit;
mod gamma_gamma;
mod log;
mod model;
mod pareto_nbd;
mod sbg;
mod simulate;
mod special;
mod summary;
mod triples;
mod value;

pub use bgnbd::BgNbd;
pub use date::{Date, Period};
pub use fit::{Estimates, ParameterEstimate};
pub use gamma_gamma::{GammaGamma, SpendCheck, SpendFit};
pub use log::{LogFormat, Purchase, PurchaseLog};
pub use model::{Prediction, TransactionFit, TransactionModel};
pub use pareto_nbd::ParetoNbd;
pub use sbg::Retention;
pub use simulate::BgNbdSimulation;
pub use summary::{CustomerSummary, Holdout, Summaries, SummaryOptions};
pub use value::{CustomerValue, CustomerValues, HoldoutTotals, ValueOptions};
