//! [`PurchaseLog`]: a transaction log read from CDNOW's format or a plain CSV.

use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Date;
use crate::crm::Currency;
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// One purchase: who, on which day, for how much (never negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    /// The customer.
    pub customer: CustomerId,
    /// The day of the purchase.
    pub date: Date,
    /// The amount, not negative.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Its currency, when the log says.
    pub currency: Option<Currency>,
}

/// The layout of a purchase log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LogFormat {
    /// CDNOW's `cdnow_master.txt`: an optional header line, then
    /// `customer_id yyyymmdd number_of_cds dollar_value`, fields separated by
    /// spaces, amounts in US dollars.
    Cdnow,
    /// `customer,date,amount[,currency]` with an optional header line
    /// starting `customer,`; dates `YYYY-MM-DD` or `YYYYMMDD`; no quoting.
    Csv,
}

impl LogFormat {
    /// `cdnow` or `csv`.
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Cdnow => "cdnow",
            LogFormat::Csv => "csv",
        }
    }
}

impl FromStr for LogFormat {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        [LogFormat::Cdnow, LogFormat::Csv]
            .into_iter()
            .find(|f| f.name() == text)
            .ok_or_else(|| Error::invalid("format", format!("`{text}` is not cdnow or csv")))
    }
}

/// A purchase log, in the order read.
///
/// ```
/// use social_loop::clv::{LogFormat, PurchaseLog};
/// let text = "customer,date,amount,currency\nann,2024-03-01,19.90,EUR\nann,2024-03-09,5,EUR\n";
/// let log = PurchaseLog::read(text.as_bytes(), LogFormat::Csv, "<memory>")?;
/// assert_eq!(log.purchases().len(), 2);
/// let err = PurchaseLog::read("ann,2024-03-01,-1\n".as_bytes(), LogFormat::Csv, "log.csv").unwrap_err();
/// assert_eq!(err.to_string(), "log.csv: line 1: amount `-1` is negative");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseLog {
    purchases: Vec<Purchase>,
}

impl PurchaseLog {
    /// An empty log.
    pub fn new() -> Self {
        PurchaseLog::default()
    }

    /// Adds a purchase.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `amount`) for a negative amount.
    pub fn push(&mut self, purchase: Purchase) -> Result<()> {
        if purchase.amount.is_sign_negative() && !purchase.amount.is_zero() {
            return Err(Error::invalid(
                "amount",
                format!("{} of `{}` is negative", purchase.amount, purchase.customer),
            ));
        }
        self.purchases.push(purchase);
        Ok(())
    }

    /// The purchases, in the order read or pushed.
    pub fn purchases(&self) -> &[Purchase] {
        &self.purchases
    }

    /// Reads a log; `source` names it in errors (a path, `<stdin>`).
    ///
    /// # Errors
    /// [`Error::Parse`] naming `source` and the 1-based line of a malformed
    /// line, a negative or non-numeric amount, an unparsable date or currency;
    /// [`Error::Io`] when reading fails. An empty log is not an error here (a
    /// summary of it is).
    ///
    /// # Complexity
    /// O(lines).
    pub fn read(reader: impl BufRead, format: LogFormat, source: &str) -> Result<Self> {
        let mut log = PurchaseLog::new();
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::io(source, e))?;
            let number = i + 1;
            let text = line.trim_end_matches('\r').trim_start_matches('\u{feff}');
            if text.trim().is_empty() || (number == 1 && is_header(text, format)) {
                continue;
            }
            let purchase = parse_line(text, format)
                .map_err(|reason| Error::parse(number, reason).in_file(source))?;
            log.purchases.push(purchase);
        }
        Ok(log)
    }

    /// Reads the log at `path`.
    ///
    /// # Errors
    /// As [`read`](Self::read); [`Error::Io`] when the file cannot be opened.
    pub fn read_path(path: impl AsRef<Path>, format: LogFormat) -> Result<Self> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| Error::io(shown.clone(), e))?;
        PurchaseLog::read(std::io::BufReader::new(file), format, &shown)
    }
}

impl FromIterator<Purchase> for PurchaseLog {
    /// Collects purchases as they are (amounts are not checked: use
    /// [`PurchaseLog::push`] for that).
    fn from_iter<I: IntoIterator<Item = Purchase>>(iter: I) -> Self {
        PurchaseLog {
            purchases: iter.into_iter().collect(),
        }
    }
}

fn is_header(text: &str, format: LogFormat) -> bool {
    match format {
        LogFormat::Cdnow => text.split_whitespace().next() == Some("customer_id"),
        LogFormat::Csv => text.split(',').next().map(str::trim) == Some("customer"),
    }
}

fn parse_line(text: &str, format: LogFormat) -> std::result::Result<Purchase, String> {
    let fields: Vec<&str> = match format {
        LogFormat::Cdnow => text.split_whitespace().collect(),
        LogFormat::Csv => text.split(',').map(str::trim).collect(),
    };
    let (customer, date, amount, currency) = match (format, fields.as_slice()) {
        (LogFormat::Cdnow, [c, d, _cds, a]) => (*c, *d, *a, None),
        (LogFormat::Csv, [c, d, a]) => (*c, *d, *a, None),
        (LogFormat::Csv, [c, d, a, cur]) => (*c, *d, *a, Some(*cur)),
        (LogFormat::Cdnow, _) => {
            return Err(format!(
                "expected 4 fields `customer_id yyyymmdd number_of_cds dollar_value`, found {}",
                fields.len()
            ));
        }
        (LogFormat::Csv, _) => {
            return Err(format!(
                "expected `customer,date,amount[,currency]`, found {} fields",
                fields.len()
            ));
        }
    };
    if customer.is_empty() {
        return Err("empty customer id".into());
    }
    let date: Date = date
        .parse()
        .map_err(|_| format!("date `{}` is not YYYY-MM-DD or YYYYMMDD", clip(date)))?;
    let amount = Decimal::from_str(amount)
        .or_else(|_| Decimal::from_scientific(amount))
        .map_err(|_| format!("amount `{}` is not a number", clip(amount)))?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(format!("amount `{amount}` is negative"));
    }
    let currency = currency
        .map(|c| {
            Currency::new(c)
                .map_err(|_| format!("currency `{}` is not three uppercase letters", clip(c)))
        })
        .transpose()?;
    Ok(Purchase {
        customer: CustomerId::new(customer),
        date,
        amount,
        currency,
    })
}

fn clip(text: &str) -> String {
    let shown: String = text.chars().take(24).collect();
    if shown.len() < text.len() {
        format!("{shown}...")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdnow_lines_with_crlf_and_header_are_read() {
        let text = " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n";
        let log = PurchaseLog::read(text.as_bytes(), LogFormat::Cdnow, "c.txt").unwrap();
        assert_eq!(log.purchases().len(), 2);
        assert_eq!(log.purchases()[0].customer.as_str(), "00001");
        assert_eq!(log.purchases()[1].amount, Decimal::new(1200, 2));
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        for (text, line, why) in [
            ("a,2024-01-01,1\nb,2024-13-01,1\n", 2, "date `2024-13-01`"),
            ("a,2024-01-01,x\n", 1, "amount `x` is not a number"),
            ("a,2024-01-01,-0.5\n", 1, "negative"),
            ("a,2024-01-01\n", 1, "found 2 fields"),
            (
                "customer,date,amount\na,2024-01-01,1,eur\n",
                2,
                "currency `eur`",
            ),
        ] {
            let err = PurchaseLog::read(text.as_bytes(), LogFormat::Csv, "f.csv").unwrap_err();
            assert_eq!(err.line(), Some(line), "{text}");
            assert_eq!(err.path(), Some("f.csv"));
            assert!(err.to_string().contains(why), "{err}");
        }
        let err =
            PurchaseLog::read(" 1 19970101 1\n".as_bytes(), LogFormat::Cdnow, "m.txt").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("m.txt: line 1: expected 4 fields"),
            "{err}"
        );
    }
}
