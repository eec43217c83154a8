//! Money that carries its currency: [`Currency`], [`Money`], [`MoneyTotals`]
//! and [`ExchangeRates`].
//!
//! Amounts are exact [`Decimal`]s; sums are checked. Money in two currencies is
//! never added silently: [`Money::checked_add`] and every total refuse with
//! [`Error::CurrencyMismatch`], and a conversion needs an explicit rate.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The most decimal places an event's amount may have.
pub const MAX_SCALE: u32 = 6;

/// Event amounts must be smaller than this in magnitude (10¹², one trillion).
///
/// With at most [`MAX_SCALE`] decimal places, an amount is an integer below
/// 10¹⁸ millionths; `Decimal` holds integers up to 7.9 · 10²⁸, so any sum of
/// fewer than 79 billion such amounts is exact (no overflow, no lost digit),
/// whatever the order in which they are added. A book holds at most 2³² − 1
/// events, so its totals are exact and independent of the arrival order.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// An ISO 4217 currency code: three uppercase ASCII letters (`EUR`, `USD`).
///
/// Only the form is checked, not membership of the ISO list, so that a new or
/// private code (`XBT`) still works.
///
/// ```
/// use social_loop::crm::Currency;
/// let eur: Currency = "EUR".parse()?;
/// assert_eq!(eur.as_str(), "EUR");
/// assert!("eur".parse::<Currency>().is_err());
/// assert!("EURO".parse::<Currency>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Validates `code`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `money.currency`) unless `code` is
    /// exactly three ASCII letters `A`-`Z`.
    pub fn new(code: &str) -> Result<Self> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Currency([a, b, c])),
            _ => {
                let shown: String = code.chars().take(12).collect();
                Err(Error::invalid(
                    "money.currency",
                    format!("`{shown}` is not an ISO 4217 code (three uppercase letters)"),
                ))
            }
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        // Always three ASCII letters, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl std::str::FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Currency::new(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Currency::new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exact amount in one currency. In JSON: `{"amount": "49.99", "currency": "EUR"}`.
///
/// **The one rule for amounts in JSON**: a string of decimal digits with an
/// optional leading `-` and an optional fractional part (`"49.99"`, `"-5"`,
/// `"0.000001"`), read exactly. A JSON number (`49.99`) is rejected wherever
/// it appears, because a producer's floating point may already have changed
/// its digits; so are exponents (`"1e3"`), a `+`, spaces, a negative zero
/// (`"-0.00"`), and more than
/// [`MAX_SCALE`] decimal places (the message counts the places as written).
///
/// ```
/// use social_loop::Decimal;
/// use social_loop::crm::{Currency, Money};
/// let eur = Currency::new("EUR")?;
/// let a = Money::new(Decimal::new(4999, 2), eur);
/// let b = Money::new(Decimal::new(1, 2), eur);
/// assert_eq!(a.checked_add(&b)?.to_string(), "50.00 EUR");
/// let usd = Money::new(Decimal::ONE, Currency::new("USD")?);
/// assert!(a.checked_add(&usd).is_err()); // no silent sum across currencies
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    #[serde(
        serialize_with = "rust_decimal::serde::str::serialize",
        deserialize_with = "amount::deserialize"
    )]
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// `amount` of `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// The sum of two amounts of the same currency, exactly.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] when the currencies differ;
    /// [`Error::Overflow`] when the sum is out of range or would lose digits.
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        if self.currency != other.currency {
            return Err(mismatch(self.currency, other.currency));
        }
        Ok(Money::new(
            exact_add(self.amount, other.amount, self.currency)?,
            self.currency,
        ))
    }

    /// Checks that the amount fits an event: at most [`MAX_SCALE`] decimal
    /// places and a magnitude below [`MAX_MAGNITUDE`].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `money.amount`).
    pub fn check_event_bounds(&self) -> Result<()> {
        if self.amount.scale() > MAX_SCALE {
            return Err(Error::invalid(
                "money.amount",
                format!(
                    "{} has {} decimal places; at most {MAX_SCALE} are accepted",
                    self.amount,
                    self.amount.scale()
                ),
            ));
        }
        if self.amount.abs() >= MAX_MAGNITUDE {
            return Err(Error::invalid(
                "money.amount",
                format!("{} is not below {MAX_MAGNITUDE} in magnitude", self.amount),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Amounts as JSON strings (see [`Money`]).
mod amount {
    use std::fmt;

    use rust_decimal::Decimal;
    use serde::Deserializer;
    use serde::de::{self, Visitor};

    use super::{MAX_MAGNITUDE, MAX_SCALE};

    /// Reads `text` as an amount, or says what is wrong with it.
    pub(super) fn parse(text: &str) -> Result<Decimal, String> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !fraction.is_none_or(all_digits) {
            return Err(format!(
                "`{}` is not an amount: write decimal digits with an optional `-` and `.` (\"49.99\"), no exponent, sign `+` or spaces",
                clip(text)
            ));
        }
        if text.starts_with('-') && digits.bytes().all(|b| b == b'0' || b == b'.') {
            return Err(format!("`{}` is a negative zero: write 0", clip(text)));
        }
        let places = fraction.map_or(0, str::len);
        if places > MAX_SCALE as usize {
            return Err(format!(
                "`{}` has {places} decimal places; at most {MAX_SCALE} are accepted",
                clip(text)
            ));
        }
        let significant = whole.trim_start_matches('0').len();
        if significant > 13 {
            return Err(format!(
                "`{}` is not below {MAX_MAGNITUDE} in magnitude",
                clip(text)
            ));
        }
        Decimal::from_str_exact(text).map_err(|e| format!("`{}`: {e}", clip(text)))
    }

    fn clip(text: &str) -> String {
        let shown: String = text.chars().take(40).collect();
        if shown.len() < text.len() {
            format!("{shown}...")
        } else {
            shown
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string of decimal digits, such as \"49.99\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(AmountVisitor)
    }
}

fn mismatch(left: Currency, right: Currency) -> Error {
    Error::CurrencyMismatch {
        left: left.to_string(),
        right: right.to_string(),
    }
}

/// `a + b` exactly, or [`Error::Overflow`] (out of range, or digits lost): the
/// ledger's one exact-sum rule, with the currency named in the error.
pub(crate) fn exact_add(a: Decimal, b: Decimal, currency: Currency) -> Result<Decimal> {
    crate::value::exact_add(a, b, || format!("a sum of {currency} amounts"))
}

/// Exact totals kept per currency: never summed across currencies.
///
/// In JSON a map from code to amount string: `{"EUR": "120.50", "USD": "9.99"}`.
///
/// ```
/// use social_loop::Decimal;
/// use social_loop::crm::{Currency, ExchangeRates, Money, MoneyTotals};
/// let (eur, usd) = (Currency::new("EUR")?, Currency::new("USD")?);
/// let mut totals = MoneyTotals::new();
/// totals.add(Money::new(Decimal::from(100), eur))?;
/// totals.add(Money::new(Decimal::from(50), usd))?;
/// assert_eq!(totals.get(eur), Decimal::from(100));
/// // One figure needs a rate for every currency...
/// assert!(totals.single().is_err());
/// assert!(totals.convert(eur, &ExchangeRates::new()).is_err());
/// // ...and then it is explicit.
/// let rates = ExchangeRates::new().with(usd, eur, Decimal::new(9, 1))?;
/// assert_eq!(totals.convert(eur, &rates)?, Money::new(Decimal::new(1450, 1), eur));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MoneyTotals(#[serde(with = "decimal_map")] BTreeMap<Currency, Decimal>);

mod decimal_map {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Currency;

    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    struct Amount(#[serde(with = "rust_decimal::serde::str")] Decimal);

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<Currency, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let m: BTreeMap<&Currency, Amount> = map.iter().map(|(c, &a)| (c, Amount(a))).collect();
        m.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<Currency, Decimal>, D::Error> {
        let m = BTreeMap::<Currency, Amount>::deserialize(d)?;
        Ok(m.into_iter().map(|(c, a)| (c, a.0)).collect())
    }
}

impl MoneyTotals {
    /// No money.
    pub fn new() -> Self {
        MoneyTotals::default()
    }

    /// Adds `money` to the total of its currency.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the total would leave `Decimal`'s range or lose
    /// digits; the totals are left unchanged.
    pub fn add(&mut self, money: Money) -> Result<()> {
        let slot = self.0.entry(money.currency).or_insert(Decimal::ZERO);
        *slot = exact_add(*slot, money.amount, money.currency)?;
        Ok(())
    }

    /// Adds every total of `other`.
    ///
    /// # Errors
    /// As [`MoneyTotals::add`]; totals already added stay added.
    pub fn merge(&mut self, other: &MoneyTotals) -> Result<()> {
        other.iter().try_for_each(|m| self.add(m))
    }

    /// The total in `currency` (zero when there is none).
    pub fn get(&self, currency: Currency) -> Decimal {
        self.0.get(&currency).copied().unwrap_or_default()
    }

    /// Every total, by currency code.
    pub fn iter(&self) -> impl Iterator<Item = Money> + '_ {
        self.0.iter().map(|(&c, &a)| Money::new(a, c))
    }

    /// Whether there is no money at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The total as one amount when there is at most one currency (`None` when
    /// there is no money).
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] naming two of the currencies when there are
    /// several.
    pub fn single(&self) -> Result<Option<Money>> {
        let mut it = self.iter();
        let first = it.next();
        match (first, it.next()) {
            (Some(a), Some(b)) => Err(mismatch(a.currency, b.currency)),
            (first, _) => Ok(first),
        }
    }

    /// The total in `target`, converting every other currency with `rates`.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] for a currency with no rate into `target`;
    /// [`Error::Overflow`] when a product or the sum is out of range (products
    /// are rounded to `Decimal`'s 28 significant digits).
    pub fn convert(&self, target: Currency, rates: &ExchangeRates) -> Result<Money> {
        let mut sum = Money::new(Decimal::ZERO, target);
        for m in self.iter() {
            let converted = rates.convert(m, target)?;
            sum = sum.checked_add(&converted)?;
        }
        Ok(sum)
    }
}

impl fmt::Display for MoneyTotals {
    /// `120.50 EUR + 9.99 USD`, or `0` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("0");
        }
        for (i, m) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

/// Explicit conversion rates: `1 from = rate · to`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExchangeRates {
    rates: BTreeMap<(Currency, Currency), Decimal>,
}

impl ExchangeRates {
    /// No rates.
    pub fn new() -> Self {
        ExchangeRates::default()
    }

    /// The same rates, with `1 from = rate · to`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `rate`) when `rate` is not positive.
    pub fn with(mut self, from: Currency, to: Currency, rate: Decimal) -> Result<Self> {
        if rate <= Decimal::ZERO {
            return Err(Error::invalid(
                "rate",
                format!("{from} -> {to}: {rate} is not a positive rate"),
            ));
        }
        self.rates.insert((from, to), rate);
        Ok(self)
    }

    /// `money` in `to` (unchanged when it already is).
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] when there is no rate; [`Error::Overflow`]
    /// when the product is out of range.
    pub fn convert(&self, money: Money, to: Currency) -> Result<Money> {
        if money.currency == to {
            return Ok(money);
        }
        let rate = self
            .rates
            .get(&(money.currency, to))
            .ok_or_else(|| mismatch(money.currency, to))?;
        let amount = money
            .amount
            .checked_mul(*rate)
            .ok_or_else(|| Error::overflow(format!("converting {money} to {to}")))?;
        Ok(Money::new(amount, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(s: &str) -> Currency {
        Currency::new(s).unwrap()
    }

    #[test]
    fn max_magnitude_is_one_trillion() {
        assert_eq!(MAX_MAGNITUDE, Decimal::from(1_000_000_000_000i64));
    }

    #[test]
    fn currency_codes_are_three_uppercase_letters() {
        for bad in ["", "EU", "EURO", "eur", "E1R", "ÉUR", "€"] {
            assert!(
                matches!(Currency::new(bad), Err(Error::InvalidParameter { ref field, .. }) if field == "money.currency"),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<Currency>("\"usd\"").is_err());
        assert_eq!(serde_json::to_string(&cur("USD")).unwrap(), "\"USD\"");
    }

    #[test]
    fn money_json_keeps_every_digit() {
        let m: Money = serde_json::from_str(r#"{"amount":"0.100000","currency":"EUR"}"#).unwrap();
        assert_eq!(m.amount.scale(), 6);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"amount":"0.100000","currency":"EUR"}"#
        );
    }

    #[test]
    fn amounts_are_strings_of_decimal_digits_only() {
        let read = |amount: &str| {
            serde_json::from_str::<Money>(&format!(r#"{{"amount":{amount},"currency":"EUR"}}"#))
        };
        assert_eq!(read(r#""49.99""#).unwrap().amount, Decimal::new(4999, 2));
        assert_eq!(read(r#""-5""#).unwrap().amount, Decimal::from(-5));
        assert_eq!(read(r#""007.50""#).unwrap().amount, Decimal::new(750, 2));
        for bad in [
            r#""-0.00""#,
            r#""-0""#,
            "49.99",
            "1000",
            r#""1e3""#,
            r#""+1""#,
            r#"" 1""#,
            r#"".5""#,
            r#""5.""#,
            r#""""#,
            r#""1.0000001""#,
            r#""10000000000000""#,
            r#""NaN""#,
            r#""１""#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        let thirty = read(r#""1.000000000000000000000000000001""#).unwrap_err();
        assert!(
            thirty.to_string().contains("has 30 decimal places"),
            "{thirty}"
        );
        let number = read("49.99").unwrap_err();
        assert!(
            number.to_string().contains("string of decimal digits"),
            "{number}"
        );
    }

    #[test]
    fn mismatch_and_overflow_are_errors() {
        let a = Money::new(Decimal::MAX, cur("EUR"));
        assert!(matches!(a.checked_add(&a), Err(Error::Overflow { .. })));
        let b = Money::new(Decimal::ONE, cur("USD"));
        assert_eq!(
            a.checked_add(&b),
            Err(Error::CurrencyMismatch {
                left: "EUR".into(),
                right: "USD".into()
            })
        );
        let tiny = Money::new(Decimal::new(1, 28), cur("EUR"));
        let big = Money::new(Decimal::from(10_000_000_000i64), cur("EUR"));
        assert!(matches!(
            big.checked_add(&tiny),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn event_bounds() {
        let eur = cur("EUR");
        assert!(
            Money::new(Decimal::new(1, 6), eur)
                .check_event_bounds()
                .is_ok()
        );
        assert!(
            Money::new(Decimal::new(1, 7), eur)
                .check_event_bounds()
                .is_err()
        );
        assert!(Money::new(MAX_MAGNITUDE, eur).check_event_bounds().is_err());
        assert!(
            Money::new(-MAX_MAGNITUDE + Decimal::ONE, eur)
                .check_event_bounds()
                .is_ok()
        );
    }

    #[test]
    fn totals_json_and_display() {
        let mut t = MoneyTotals::new();
        t.add(Money::new(Decimal::new(1050, 2), cur("USD")))
            .unwrap();
        t.add(Money::new(Decimal::new(2, 0), cur("EUR"))).unwrap();
        assert_eq!(t.to_string(), "2 EUR + 10.50 USD");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"EUR":"2","USD":"10.50"}"#);
        assert_eq!(serde_json::from_str::<MoneyTotals>(&json).unwrap(), t);
        assert!(
            ExchangeRates::new()
                .with(cur("USD"), cur("EUR"), Decimal::ZERO)
                .is_err()
        );
    }
}
