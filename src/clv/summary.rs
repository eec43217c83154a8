//! Per-customer purchase summaries `(x, t_x, T, mean spend)`: from a
//! [`PurchaseLog`] split at a calibration date, or read from a summary file.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Date, Period, PurchaseLog};
use crate::crm::Currency;
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// One customer's history in the calibration period.
///
/// * `x`: repeat transactions (transactions after the first one);
/// * `t_x`: time from the first transaction to the last one (0 when `x = 0`);
/// * `t_cal`: time from the first transaction to the end of calibration (`T`);
/// * `mean_spend`: the mean amount of the repeat transactions (`None` when
///   `x = 0`), in the summary's currency.
///
/// Times are in the summary's [`Period`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    customer: CustomerId,
    x: u32,
    t_x: f64,
    t_cal: f64,
    #[serde(with = "rust_decimal::serde::str_option")]
    mean_spend: Option<Decimal>,
}

impl CustomerSummary {
    /// Checks and builds a summary.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `summary`, naming the customer) when
    /// the summary is impossible: a time that is negative or not finite,
    /// `t_x > T`, `x > 0` with `t_x = 0`, or `x = 0` with `t_x > 0`.
    ///
    /// ```
    /// use social_loop::clv::CustomerSummary;
    /// assert!(CustomerSummary::new("ann", 2, 30.43, 38.86).is_ok());
    /// let err = CustomerSummary::new("bob", 1, 0.0, 10.0).unwrap_err();
    /// assert_eq!(err.to_string(), "summary: customer `bob`: x = 1 repeat transactions but t_x = 0");
    /// ```
    pub fn new(customer: impl Into<CustomerId>, x: u32, t_x: f64, t_cal: f64) -> Result<Self> {
        let customer = customer.into();
        let bad = |why: String| Error::invalid("summary", format!("customer `{customer}`: {why}"));
        if !(t_x.is_finite() && t_cal.is_finite() && t_x >= 0.0 && t_cal >= 0.0) {
            return Err(bad(format!(
                "t_x = {t_x} and T = {t_cal} must be finite and not negative"
            )));
        }
        if t_x > t_cal {
            return Err(bad(format!("t_x = {t_x} is later than T = {t_cal}")));
        }
        if x > 0 && t_x == 0.0 {
            return Err(bad(format!("x = {x} repeat transactions but t_x = 0")));
        }
        if x == 0 && t_x > 0.0 {
            return Err(bad(format!("no repeat transaction but t_x = {t_x}")));
        }
        Ok(CustomerSummary {
            customer,
            x,
            t_x,
            t_cal,
            mean_spend: None,
        })
    }

    /// The same summary with the mean spend of its repeat transactions
    /// (ignored when `x = 0`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `summary`) for a negative amount.
    pub fn with_mean_spend(mut self, mean_spend: Decimal) -> Result<Self> {
        if mean_spend.is_sign_negative() && !mean_spend.is_zero() {
            return Err(Error::invalid(
                "summary",
                format!(
                    "customer `{}`: mean spend {mean_spend} is negative",
                    self.customer
                ),
            ));
        }
        self.mean_spend = (self.x > 0).then_some(mean_spend);
        Ok(self)
    }

    /// The customer.
    pub fn customer(&self) -> &CustomerId {
        &self.customer
    }
    /// Repeat transactions `x`.
    pub fn x(&self) -> u32 {
        self.x
    }
    /// Time of the last repeat transaction `t_x`.
    pub fn t_x(&self) -> f64 {
        self.t_x
    }
    /// Time observed `T`.
    pub fn t_cal(&self) -> f64 {
        self.t_cal
    }
    /// Mean repeat spend (`None` without a repeat transaction).
    pub fn mean_spend(&self) -> Option<Decimal> {
        self.mean_spend
    }
}

/// How [`Summaries::from_log`] reads a log: the period unit, the end of the
/// calibration period, an optional holdout end, and which currency.
///
/// ```
/// use social_loop::clv::{Period, SummaryOptions};
/// let options = SummaryOptions::default()
///     .period(Period::Week)
///     .calibration_end("1997-09-30".parse()?)
///     .holdout_end("1998-06-30".parse()?);
/// assert_eq!(options.get_period(), Period::Week);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SummaryOptions {
    period: Period,
    calibration_end: Option<Date>,
    holdout_end: Option<Date>,
    currency: Option<Currency>,
}

impl SummaryOptions {
    /// The unit of time (default weeks).
    #[must_use]
    pub fn period(mut self, period: Period) -> Self {
        self.period = period;
        self
    }
    /// The last day of the calibration period (default: the log's last day).
    #[must_use]
    pub fn calibration_end(mut self, date: Date) -> Self {
        self.calibration_end = Some(date);
        self
    }
    /// The last day of the holdout period (default: no holdout).
    #[must_use]
    pub fn holdout_end(mut self, date: Date) -> Self {
        self.holdout_end = Some(date);
        self
    }
    /// Only purchases in `currency` (default: the log's one currency, or
    /// purchases without a currency).
    #[must_use]
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = Some(currency);
        self
    }
    /// See [`SummaryOptions::period`].
    pub fn get_period(&self) -> Period {
        self.period
    }
}

/// The holdout period of a calibration / holdout split: its length and each
/// customer's repeat transactions in it (in the order of the summaries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Holdout {
    /// The holdout's length in periods.
    pub length: f64,
    /// Transactions of each customer in the holdout.
    pub actual: Vec<u32>,
}

/// The summaries of a customer base, all in one period unit and one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summaries {
    /// One summary per customer, in order of first purchase in the log (or of
    /// the file).
    pub customers: Vec<CustomerSummary>,
    /// The unit of time (`None` for a summary file, whose unit is its own).
    pub period: Option<Period>,
    /// The currency of the spends, when known.
    pub currency: Option<Currency>,
    /// The holdout, when the split has one.
    pub holdout: Option<Holdout>,
}

/// One customer's purchases per period while the log is read.
#[derive(Default)]
struct Periods {
    /// `(period, amount)` of the calibration purchases, in the order met.
    bought: Vec<(i64, Decimal)>,
    /// `(period, amount)` of the holdout purchases.
    later: Vec<(i64, Decimal)>,
}

impl Summaries {
    /// Summaries of `customers` (no holdout, no period, no currency).
    pub fn new(customers: Vec<CustomerSummary>) -> Self {
        Summaries {
            customers,
            period: None,
            currency: None,
            holdout: None,
        }
    }

    /// Summarises `log` as lifetimes' `calibration_and_holdout_data` (and
    /// `summary_data_from_transaction_data`) does: the purchases up to the
    /// calibration end's *day* are the calibration; in them, purchases in one
    /// period count as one transaction (amounts added), the first transaction
    /// starts the customer's clock, and `x`, `t_x` and `T` count whole periods
    /// up to the calibration end's period; customers whose first purchase is
    /// after the calibration end are left out. With a holdout end, each
    /// customer's purchases after the calibration end's day up to the holdout
    /// end's day are counted, one per period; the holdout lasts from the
    /// calibration end's period to the holdout end's period.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `transactions`) when no customer
    /// bought by the calibration end (an empty log), (field `holdout_end`)
    /// when it is not after the calibration end;
    /// [`Error::CurrencyMismatch`] when the log mixes currencies and no
    /// currency was chosen; [`Error::Overflow`] when a sum of amounts does.
    ///
    /// # Complexity
    /// O(n log n) for n purchases.
    pub fn from_log(log: &PurchaseLog, options: SummaryOptions) -> Result<Self> {
        let currency = match options.currency {
            Some(c) => Some(c),
            None => single_currency(log)?,
        };
        let end_date = match options.calibration_end {
            Some(d) => d,
            None => log
                .purchases()
                .iter()
                .map(|p| p.date)
                .max()
                .ok_or_else(|| Error::invalid("transactions", "the log has no purchase"))?,
        };
        if let Some(h) = options.holdout_end {
            if h <= end_date {
                return Err(Error::invalid(
                    "holdout_end",
                    format!("{h} is not after the calibration end {end_date}"),
                ));
            }
        }
        let period = options.period;
        let cal_end = end_date.period_index(period);
        let holdout_end = options.holdout_end.map(|d| d.period_index(period));
        let last_date = options.holdout_end.unwrap_or(end_date);
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut people: Vec<(&CustomerId, Periods)> = Vec::new();
        for p in log.purchases() {
            if p.currency != currency && !(options.currency.is_none() && p.currency.is_none()) {
                continue;
            }
            if p.date > last_date {
                continue;
            }
            let n = *index.entry(p.customer.as_str()).or_insert_with(|| {
                people.push((&p.customer, Periods::default()));
                people.len() - 1
            });
            if let Some((_, periods)) = people.get_mut(n) {
                let slot = if p.date <= end_date {
                    &mut periods.bought
                } else {
                    &mut periods.later
                };
                slot.push((p.date.period_index(period), p.amount));
            }
        }
        let mut customers = Vec::with_capacity(people.len());
        let mut actual = Vec::new();
        for (id, mut periods) in people {
            periods.bought.sort_by_key(|&(at, _)| at);
            let calibration = merge_periods(&periods.bought, currency)?;
            let Some(&(first, _)) = calibration.first() else {
                continue;
            };
            let x = calibration.len() - 1;
            let last_at = calibration.last().map_or(first, |(at, _)| *at);
            let mut summary = CustomerSummary::new(
                id.clone(),
                u32::try_from(x).unwrap_or(u32::MAX),
                (last_at - first) as f64,
                (cal_end - first) as f64,
            )?;
            if x > 0 {
                let mut total = Decimal::ZERO;
                for (_, amount) in calibration.iter().skip(1) {
                    total = add(total, *amount, currency)?;
                }
                summary = summary.with_mean_spend(total / Decimal::from(x as u64))?;
            }
            customers.push(summary);
            periods.later.sort_by_key(|&(at, _)| at);
            periods.later.dedup_by_key(|&mut (at, _)| at);
            actual.push(u32::try_from(periods.later.len()).unwrap_or(u32::MAX));
        }
        if customers.is_empty() {
            return Err(Error::invalid(
                "transactions",
                format!("no customer bought by the calibration end {end_date}"),
            ));
        }
        Ok(Summaries {
            customers,
            period: Some(period),
            currency,
            holdout: holdout_end.map(|h| Holdout {
                length: (h - cal_end) as f64,
                actual,
            }),
        })
    }

    /// Reads a summary file `ID,x,t_x,T[,zbar]` with a header line (the layout
    /// of Fader and Hardie's `cdnow_summary.csv`; `zbar` is the mean repeat
    /// spend). `source` names the input in errors.
    ///
    /// # Errors
    /// [`Error::Parse`] naming `source` and the line of a malformed line or an
    /// impossible summary; [`Error::Io`] when reading fails;
    /// [`Error::InvalidParameter`] (field `transactions`) for a file without
    /// customers.
    pub fn read_csv(reader: impl BufRead, source: &str) -> Result<Self> {
        let mut customers = Vec::new();
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::io(source, e))?;
            let text = line.trim_end_matches('\r').trim_start_matches('\u{feff}');
            if text.trim().is_empty()
                || (i == 0 && text.starts_with(|c: char| c.is_ascii_alphabetic()))
            {
                continue;
            }
            let summary =
                parse_summary(text).map_err(|r| Error::parse(i + 1, r).in_file(source))?;
            customers.push(summary);
        }
        if customers.is_empty() {
            return Err(Error::invalid(
                "transactions",
                format!("{source} has no customer"),
            ));
        }
        Ok(Summaries::new(customers))
    }

    /// Reads the summary file at `path` (see [`read_csv`](Self::read_csv)).
    ///
    /// # Errors
    /// As [`read_csv`](Self::read_csv).
    pub fn read_csv_path(path: impl AsRef<Path>) -> Result<Self> {
        let shown = path.as_ref().display().to_string();
        let file = std::fs::File::open(path.as_ref()).map_err(|e| Error::io(shown.clone(), e))?;
        Summaries::read_csv(std::io::BufReader::new(file), &shown)
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// Whether there is no customer.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }
}

/// The log's one currency (`None` when no purchase names one).
fn single_currency(log: &PurchaseLog) -> Result<Option<Currency>> {
    let mut found: Option<Currency> = None;
    for p in log.purchases() {
        match (found, p.currency) {
            (None, c) => found = c,
            (Some(a), Some(b)) if a != b => {
                return Err(Error::CurrencyMismatch {
                    left: a.to_string(),
                    right: b.to_string(),
                });
            }
            _ => {}
        }
    }
    Ok(found)
}

/// Purchases in one period become one transaction (amounts added).
fn merge_periods(
    sorted: &[(i64, Decimal)],
    currency: Option<Currency>,
) -> Result<Vec<(i64, Decimal)>> {
    let mut merged: Vec<(i64, Decimal)> = Vec::with_capacity(sorted.len());
    for &(at, amount) in sorted {
        match merged.last_mut() {
            Some((last, total)) if *last == at => *total = add(*total, amount, currency)?,
            _ => merged.push((at, amount)),
        }
    }
    Ok(merged)
}

fn add(a: Decimal, b: Decimal, currency: Option<Currency>) -> Result<Decimal> {
    crate::value::exact_add(a, b, || match currency {
        Some(c) => format!("a customer's {c} spend"),
        None => "a customer's spend".to_string(),
    })
}

fn parse_summary(text: &str) -> std::result::Result<CustomerSummary, String> {
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    let (id, x, t_x, t_cal, spend) = match fields.as_slice() {
        [id, x, t_x, t] => (*id, *x, *t_x, *t, None),
        [id, x, t_x, t, z] => (*id, *x, *t_x, *t, Some(*z)),
        _ => {
            return Err(format!(
                "expected `ID,x,t_x,T[,zbar]`, found {} fields",
                fields.len()
            ));
        }
    };
    let x: u32 = x
        .parse()
        .map_err(|_| format!("x `{x}` is not a whole number"))?;
    let number = |name: &str, v: &str| -> std::result::Result<f64, String> {
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| format!("{name} `{v}` is not a number"))
    };
    let summary = CustomerSummary::new(id, x, number("t_x", t_x)?, number("T", t_cal)?)
        .map_err(|e| e.reason().unwrap_or("impossible summary").to_string())?;
    match spend {
        None => Ok(summary),
        Some(z) => {
            let z: Decimal = z
                .parse()
                .map_err(|_| format!("zbar `{z}` is not a number"))?;
            summary
                .with_mean_spend(z)
                .map_err(|e| e.reason().unwrap_or("bad spend").to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clv::LogFormat;

    fn log(text: &str) -> PurchaseLog {
        PurchaseLog::read(text.as_bytes(), LogFormat::Csv, "t").unwrap()
    }

    #[test]
    fn days_merge_and_whole_periods_count_as_lifetimes_does() {
        // ann: 3 purchases on 2 days in calibration, one in the holdout.
        let l = log(
            "ann,2024-01-01,10\nann,2024-01-01,5\nann,2024-01-08,20\nann,2024-01-20,1\nbob,2024-01-05,7\ncid,2024-01-12,3\n",
        );
        let options = SummaryOptions::default()
            .period(Period::Day)
            .calibration_end("2024-01-10".parse().unwrap())
            .holdout_end("2024-01-31".parse().unwrap());
        let s = Summaries::from_log(&l, options).unwrap();
        assert_eq!(s.len(), 2, "cid first bought after the calibration end");
        let ann = &s.customers[0];
        assert_eq!((ann.x(), ann.t_x(), ann.t_cal()), (1, 7.0, 9.0));
        assert_eq!(ann.mean_spend(), Some(Decimal::from(20)));
        let bob = &s.customers[1];
        assert_eq!(
            (bob.x(), bob.t_x(), bob.t_cal(), bob.mean_spend()),
            (0, 0.0, 5.0, None)
        );
        let h = s.holdout.as_ref().unwrap();
        assert_eq!((h.length, h.actual.clone()), (21.0, vec![1, 0]));
        // In weeks (Monday to Sunday) Jan 1 and Jan 8 are weeks 0 and 1; the end (Wed 10th) is week 1.
        let w = Summaries::from_log(&l, options.period(Period::Week)).unwrap();
        assert_eq!(
            (
                w.customers[0].x(),
                w.customers[0].t_x(),
                w.customers[0].t_cal()
            ),
            (1, 1.0, 1.0)
        );
    }

    #[test]
    fn impossible_summaries_and_empty_logs_are_refused() {
        assert!(CustomerSummary::new("a", 0, 1.0, 2.0).is_err());
        assert!(CustomerSummary::new("a", 2, 3.0, 2.0).is_err());
        assert!(CustomerSummary::new("a", 2, f64::NAN, 2.0).is_err());
        let err = Summaries::from_log(&PurchaseLog::new(), SummaryOptions::default()).unwrap_err();
        assert_eq!(err.field(), Some("transactions"));
        let err = Summaries::read_csv("ID,x,t_x,T\n1,2,3,2\n".as_bytes(), "s.csv").unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert!(err.to_string().contains("later than T"), "{err}");
    }
}
