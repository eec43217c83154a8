//! [`CustomerBook::customer_values`]: customer lifetime value from the book's
//! own purchases and refunds, one fit per currency (see [`crate::clv`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Currency, CustomerBook, EventKind};
use crate::clv::{
    CustomerValue, CustomerValues, Date, Period, Purchase, PurchaseLog, SpendFit, Summaries,
    SummaryOptions, TransactionFit, TransactionModel, ValueOptions,
};
use crate::error::Result;

/// How [`CustomerBook::customer_values`] values the book's customers.
///
/// ```
/// use social_loop::clv::{Period, TransactionModel, ValueOptions};
/// use social_loop::crm::BookValueOptions;
/// let options = BookValueOptions::default()
///     .model(TransactionModel::ParetoNbd)
///     .spend_model(true)
///     .period(Period::Day)
///     .value(ValueOptions::default().horizon_periods(365)?);
/// assert_eq!(options.get_model(), TransactionModel::ParetoNbd);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BookValueOptions {
    model: TransactionModel,
    spend_model: bool,
    period: Period,
    calibration_end: Option<Date>,
    value: ValueOptions,
}

impl Default for BookValueOptions {
    /// BG/NBD, Gamma-Gamma spend, weeks, calibration to the book's latest
    /// event, the default [`ValueOptions`].
    fn default() -> Self {
        BookValueOptions {
            model: TransactionModel::Bgnbd,
            spend_model: true,
            period: Period::Week,
            calibration_end: None,
            value: ValueOptions::default(),
        }
    }
}

impl BookValueOptions {
    /// The transaction model.
    #[must_use]
    pub fn model(mut self, model: TransactionModel) -> Self {
        self.model = model;
        self
    }
    /// Whether to fit Gamma-Gamma spend (otherwise each customer's own mean).
    #[must_use]
    pub fn spend_model(mut self, on: bool) -> Self {
        self.spend_model = on;
        self
    }
    /// The unit of time.
    #[must_use]
    pub fn period(mut self, period: Period) -> Self {
        self.period = period;
        self
    }
    /// The calibration end (default: the day of the book's latest event).
    #[must_use]
    pub fn calibration_end(mut self, date: Date) -> Self {
        self.calibration_end = Some(date);
        self
    }
    /// Margin, discount, horizon and draws.
    #[must_use]
    pub fn value(mut self, value: ValueOptions) -> Self {
        self.value = value;
        self
    }
    /// See [`BookValueOptions::model`].
    pub fn get_model(&self) -> TransactionModel {
        self.model
    }
}

/// The values of one currency's customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrencyValues {
    /// The currency.
    pub currency: Currency,
    /// The transaction model fitted on this currency's histories.
    pub fit: TransactionFit,
    /// The spend model, when asked for.
    pub spend: Option<SpendFit>,
    /// Each customer who bought in this currency.
    pub values: CustomerValues,
}

impl CurrencyValues {
    /// The `n` customers of highest CLV, highest first (ties by id).
    pub fn top(&self, n: usize) -> Vec<&CustomerValue> {
        let mut all: Vec<&CustomerValue> = self.values.customers.iter().collect();
        all.sort_by(|a, b| b.clv.cmp(&a.clv).then_with(|| a.customer.cmp(&b.customer)));
        all.truncate(n);
        all
    }
}

impl CustomerBook {
    /// Fits a BTYD model (and optionally Gamma-Gamma spend) to the book's own
    /// purchase histories, one fit per currency (amounts are never mixed), and
    /// values every customer who bought.
    ///
    /// A purchase is a transaction on its day (time in `period`s from the
    /// customer's first purchase, as [`Summaries::from_log`] counts it); a
    /// refund takes its amount back from the customer's latest purchases in
    /// its currency up to the refund (never below zero), so spends are net of
    /// refunds while the purchase still counts as a transaction.
    ///
    /// # Errors
    /// As [`TransactionModel::fit`], [`SpendFit::fit`] and
    /// [`CustomerValues::compute`] for any currency (an error names the field).
    ///
    /// # Complexity
    /// O(events) to gather the histories, then the fits and predictions.
    ///
    /// ```
    /// use social_loop::clv::ValueOptions;
    /// use social_loop::crm::{BookValueOptions, CustomerBook, Event, EventId, EventKind, Money, Timestamp};
    /// use social_loop::Decimal;
    /// // 300 customers with their own purchase rates and drop-out chances.
    /// let mut state = 0x9E37_79B9_7F4A_7C15u64;
    /// let mut uniform = move || { state ^= state << 13; state ^= state >> 7; state ^= state << 17; (state >> 11) as f64 / (1u64 << 53) as f64 };
    /// let (mut book, mut n, start) = (CustomerBook::new(), 0, Timestamp::parse_rfc3339("2024-01-01T12:00:00Z")?);
    /// for c in 0..300 {
    ///     let (rate, drop) = (0.02 + 0.3 * uniform() * uniform(), 0.02 + 0.7 * uniform() * uniform());
    ///     let mut day = (uniform() * 60.0).floor();
    ///     while day < 300.0 {
    ///         n += 1;
    ///         let money = Money::new(Decimal::new(1000 + 37 * c, 2), "EUR".parse()?);
    ///         let event = Event::new(EventId::new(format!("e{n}"))?, start.plus_days(day as i64), format!("c{c}"), EventKind::Purchase)
    ///             .money(money);
    ///         book.apply(&event);
    ///         if uniform() < drop { break; }
    ///         day += -(1.0 - uniform()).ln() / rate;
    ///     }
    /// }
    /// let values = book.customer_values(BookValueOptions::default().value(ValueOptions::default().draws(20)))?;
    /// let eur = &values[0];
    /// assert_eq!(eur.currency.as_str(), "EUR");
    /// let top = eur.top(3);
    /// assert!(top[0].clv >= top[1].clv && top[1].clv >= top[2].clv);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn customer_values(&self, options: BookValueOptions) -> Result<Vec<CurrencyValues>> {
        self.customer_values_each(options)?
            .into_iter()
            .map(|each| each.values)
            .collect()
    }

    /// [`customer_values`](Self::customer_values) currency by currency: the
    /// values of each currency, or why that currency could not be valued.
    ///
    /// # Errors
    /// When a purchase cannot be logged (a history the book admitted always can).
    pub(crate) fn customer_values_each(
        &self,
        options: BookValueOptions,
    ) -> Result<Vec<EachCurrency>> {
        let mut logs: BTreeMap<Currency, (PurchaseLog, usize)> = BTreeMap::new();
        let mut latest: Option<Date> = None;
        for (id, _) in self.customers() {
            // (date, amount) per currency, in time order.
            let mut bought: BTreeMap<Currency, Vec<(Date, Decimal)>> = BTreeMap::new();
            for event in self.events_of(id.as_str())? {
                let Some(money) = event.money else { continue };
                let date = Date::from_days_since_epoch(
                    i32::try_from(event.at.unix_millis().div_euclid(86_400_000))
                        .unwrap_or(i32::MAX),
                );
                match event.kind {
                    EventKind::Purchase => bought
                        .entry(money.currency)
                        .or_default()
                        .push((date, money.amount)),
                    EventKind::Refund => {
                        let mut left = money.amount;
                        for (_, amount) in
                            bought.entry(money.currency).or_default().iter_mut().rev()
                        {
                            let taken = left.min(*amount);
                            *amount -= taken;
                            left -= taken;
                            if left.is_zero() {
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
            for (currency, purchases) in bought {
                let (log, customers) = logs.entry(currency).or_default();
                *customers += 1;
                for (date, amount) in purchases {
                    latest = Some(latest.map_or(date, |l| l.max(date)));
                    log.push(Purchase {
                        customer: id.clone(),
                        date,
                        amount,
                        currency: Some(currency),
                    })?;
                }
            }
        }
        Ok(logs
            .into_iter()
            .map(|(currency, (log, customers))| EachCurrency {
                currency,
                customers,
                values: value_log(&log, currency, options, latest),
            })
            .collect())
    }
}

/// One currency of [`CustomerBook::customer_values_each`].
pub(crate) struct EachCurrency {
    pub(crate) currency: Currency,
    /// Customers who bought in it.
    pub(crate) customers: usize,
    pub(crate) values: Result<CurrencyValues>,
}

/// Fits and values one currency's purchase log.
fn value_log(
    log: &PurchaseLog,
    currency: Currency,
    options: BookValueOptions,
    latest: Option<Date>,
) -> Result<CurrencyValues> {
    let mut summary_options = SummaryOptions::default()
        .period(options.period)
        .currency(currency);
    if let Some(end) = options.calibration_end.or(latest) {
        summary_options = summary_options.calibration_end(end);
    }
    let summaries = Summaries::from_log(log, summary_options)?;
    let fit = options.model.fit(&summaries)?;
    let spend = if options.spend_model {
        Some(SpendFit::fit(&summaries)?)
    } else {
        None
    };
    let values = CustomerValues::compute(&summaries, &fit, spend.as_ref(), options.value)?;
    Ok(CurrencyValues {
        currency,
        fit,
        spend,
        values,
    })
}
