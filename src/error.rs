//! The crate's one error type.
//!
//! Every fallible function in `social_loop` returns [`Result<T>`](Result). Each
//! variant says *what* was wrong and *where*: the file, line and column of an
//! input, the customer id, the [`FieldPath`] of a configuration value. The enum is
//! `#[non_exhaustive]` so that new failure modes can be added without a breaking
//! change; callers branch on the predicates ([`Error::is_invalid_parameter`],
//! [`Error::field`], [`Error::line`], ...) rather than on message text.
//!
//! ```
//! use social_loop::Probability;
//!
//! let err = Probability::for_field(1.5, "rates.purchase").unwrap_err();
//! assert!(err.is_invalid_parameter());
//! assert_eq!(err.field(), Some("rates.purchase"));
//! assert_eq!(err.line(), None);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::customer::CustomerId;

/// Shorthand for `std::result::Result<T, social_loop::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a rejected value sits in the caller's input: its JSON path.
///
/// Segments are joined by `.`, list positions are written `[i]`:
/// `network.generated.tie_probability`, `population.profiles[2].share`,
/// `sales[17]`. For a scenario the path is the one sweeps use, so a sweep, a
/// scenario file and an error all name a field the same way. Most paths are
/// `&'static str` (no allocation); indexed or prefixed ones own their text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath(Cow<'static, str>);

impl FieldPath {
    /// A path known at compile time.
    pub const fn new(path: &'static str) -> Self {
        FieldPath(Cow::Borrowed(path))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This path inside `prefix` (`"network.generated"` + `"customers"` gives
    /// `"network.generated.customers"`); an empty prefix leaves it unchanged.
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        FieldPath(Cow::Owned(format!("{prefix}.{}", self.0)))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&'static str> for FieldPath {
    fn from(path: &'static str) -> Self {
        FieldPath::new(path)
    }
}

impl From<String> for FieldPath {
    fn from(path: String) -> Self {
        FieldPath(Cow::Owned(path))
    }
}

impl PartialEq<str> for FieldPath {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Where in an input a [`Error::Parse`] happened: file (if known), 1-based line
/// and, where the reader knows them, 1-based column and the JSON path of the
/// bad value in a JSON line.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (or a description of the reader, such as `<stdin>`); `None` for
    /// in-memory input.
    pub path: Option<String>,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// The JSON path of the bad value within the line (`money.amount`), for
    /// inputs of JSON records.
    pub field: Option<FieldPath>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        write!(f, "line {}", self.line)?;
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in `social_loop`.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A probability (or rate) was NaN, infinite or outside `[0, 1]`.
    #[error("{field}: {value} is not a probability (must be a finite number in [0, 1])")]
    InvalidProbability {
        /// Which field or argument held the value.
        field: FieldPath,
        /// The rejected value.
        value: f64,
    },

    /// A parameter was outside its documented domain.
    #[error("{field}: {reason}")]
    InvalidParameter {
        /// Which field or argument held the value.
        field: FieldPath,
        /// Why it was rejected.
        reason: String,
    },

    /// A line of an input could not be understood.
    #[error("{at}: {reason}")]
    Parse {
        /// File, line and column.
        at: Location,
        /// What was wrong with it.
        reason: String,
    },

    /// An input could not be read or an output written.
    #[error("cannot read or write {path}: {source}")]
    Io {
        /// The path (or reader) involved.
        path: String,
        /// The operating system's error.
        #[source]
        source: Arc<std::io::Error>,
    },

    /// A customer id was referred to that the network or book does not contain.
    #[error("unknown customer id `{0}`")]
    UnknownCustomer(CustomerId),

    /// A customer id was added twice where ids must be unique.
    #[error("customer id `{0}` appears more than once")]
    DuplicateCustomer(CustomerId),

    /// A tie from a customer to themselves, rejected by the self-loop policy.
    #[error("self-loop on customer `{0}` (a customer cannot influence themselves)")]
    SelfLoop(CustomerId),

    /// Linear Threshold weights into one customer add up to more than 1.
    #[error(
        "incoming influence weights of `{customer}` sum to {sum}, more than 1 (Linear Threshold)"
    )]
    ThresholdWeights {
        /// The customer whose incoming weights are too large.
        customer: CustomerId,
        /// Their sum.
        sum: f64,
    },

    /// Exact (decimal) arithmetic overflowed.
    #[error("decimal overflow while computing {context}")]
    Overflow {
        /// What was being computed.
        context: String,
    },

    /// Money in two currencies was combined without a conversion rate.
    #[error("currency mismatch: cannot combine {left} with {right} without a conversion rate")]
    CurrencyMismatch {
        /// The first currency code.
        left: String,
        /// The second currency code.
        right: String,
    },

    /// A long-running computation was cancelled by its caller.
    #[error("cancelled by the caller")]
    Cancelled,

    /// A model fit failed: it did not converge, ran to the boundary of the
    /// parameter space, or left a parameter unidentified. `field` names the
    /// model and parameter (`bgnbd.b`).
    #[error("{field}: {reason}")]
    Fit {
        /// The model and parameter, as `model.parameter` (or the model alone).
        field: FieldPath,
        /// What went wrong.
        reason: String,
    },
}

impl PartialEq for Error {
    /// Structural equality; two [`Error::Io`] are equal when their paths and
    /// [`std::io::ErrorKind`]s are (the operating system's message is not compared).
    fn eq(&self, other: &Self) -> bool {
        use Error::*;
        match (self, other) {
            (
                InvalidProbability { field, value },
                InvalidProbability {
                    field: f2,
                    value: v2,
                },
            ) => field == f2 && value.to_bits() == v2.to_bits(),
            (
                InvalidParameter { field, reason },
                InvalidParameter {
                    field: f2,
                    reason: r2,
                },
            ) => field == f2 && reason == r2,
            (Parse { at, reason }, Parse { at: a2, reason: r2 }) => at == a2 && reason == r2,
            (
                Io { path, source },
                Io {
                    path: p2,
                    source: s2,
                },
            ) => path == p2 && source.kind() == s2.kind(),
            (UnknownCustomer(a), UnknownCustomer(b))
            | (DuplicateCustomer(a), DuplicateCustomer(b))
            | (SelfLoop(a), SelfLoop(b)) => a == b,
            (
                ThresholdWeights { customer, sum },
                ThresholdWeights {
                    customer: c2,
                    sum: s2,
                },
            ) => customer == c2 && sum.to_bits() == s2.to_bits(),
            (Overflow { context }, Overflow { context: c2 }) => context == c2,
            (
                CurrencyMismatch { left, right },
                CurrencyMismatch {
                    left: l2,
                    right: r2,
                },
            ) => left == l2 && right == r2,
            (Cancelled, Cancelled) => true,
            (
                Fit { field, reason },
                Fit {
                    field: f2,
                    reason: r2,
                },
            ) => field == f2 && reason == r2,
            _ => false,
        }
    }
}

impl Error {
    /// Builds an [`Error::InvalidParameter`].
    pub fn invalid(field: impl Into<FieldPath>, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Builds an [`Error::Overflow`].
    pub fn overflow(context: impl Into<String>) -> Self {
        Error::Overflow {
            context: context.into(),
        }
    }

    /// Builds an [`Error::Parse`] at a 1-based `line` of in-memory input (no file,
    /// no column); add them with [`Error::in_file`] and [`Error::at_column`].
    pub fn parse(line: usize, reason: impl Into<String>) -> Self {
        Error::Parse {
            at: Location {
                path: None,
                line,
                column: None,
                field: None,
            },
            reason: reason.into(),
        }
    }

    /// Builds an [`Error::Io`] for `path`, keeping the operating system's error.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source: Arc::new(source),
        }
    }

    /// A [`Error::Parse`] with the file it happened in; other variants unchanged.
    #[must_use]
    pub fn in_file(mut self, path: impl Into<String>) -> Self {
        if let Error::Parse { at, .. } = &mut self {
            at.path = Some(path.into());
        }
        self
    }

    /// A [`Error::Parse`] with its 1-based column; other variants unchanged.
    #[must_use]
    pub fn at_column(mut self, column: usize) -> Self {
        if let Error::Parse { at, .. } = &mut self {
            at.column = Some(column);
        }
        self
    }

    /// A [`Error::Parse`] with the JSON path of the bad value in its line;
    /// other variants unchanged.
    #[must_use]
    pub fn at_field(mut self, field: impl Into<FieldPath>) -> Self {
        if let Error::Parse { at, .. } = &mut self {
            at.field = Some(field.into());
        }
        self
    }

    /// The error with its field moved inside `prefix` (see [`FieldPath::within`]);
    /// variants without a field are unchanged.
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        match self {
            Error::InvalidParameter { field, reason } => Error::InvalidParameter {
                field: field.within(prefix),
                reason,
            },
            Error::InvalidProbability { field, value } => Error::InvalidProbability {
                field: field.within(prefix),
                value,
            },
            other => other,
        }
    }

    /// `true` for a value outside its domain ([`Error::InvalidParameter`] or
    /// [`Error::InvalidProbability`]).
    pub fn is_invalid_parameter(&self) -> bool {
        matches!(
            self,
            Error::InvalidParameter { .. } | Error::InvalidProbability { .. }
        )
    }

    /// `true` for an input that could not be understood ([`Error::Parse`]).
    pub fn is_parse(&self) -> bool {
        matches!(self, Error::Parse { .. })
    }

    /// `true` for an input or output that failed ([`Error::Io`]).
    pub fn is_io(&self) -> bool {
        matches!(self, Error::Io { .. })
    }

    /// `true` when a model fit failed ([`Error::Fit`]).
    pub fn is_fit_failure(&self) -> bool {
        matches!(self, Error::Fit { .. })
    }

    /// `true` when the caller cancelled the computation.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Cancelled)
    }

    /// The path of the rejected field, for [`Error::InvalidParameter`] and
    /// [`Error::InvalidProbability`], the model parameter of an [`Error::Fit`],
    /// and for an [`Error::Parse`] of a JSON record that knows it.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidParameter { field, .. }
            | Error::InvalidProbability { field, .. }
            | Error::Fit { field, .. } => Some(field.as_str()),
            Error::Parse { at, .. } => at.field.as_ref().map(FieldPath::as_str),
            _ => None,
        }
    }

    /// The 1-based line of a [`Error::Parse`].
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Parse { at, .. } => Some(at.line),
            _ => None,
        }
    }

    /// The 1-based column of a [`Error::Parse`], where the reader knows it.
    pub fn column(&self) -> Option<usize> {
        match self {
            Error::Parse { at, .. } => at.column,
            _ => None,
        }
    }

    /// The file of a [`Error::Parse`] or [`Error::Io`], where known.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Parse { at, .. } => at.path.as_deref(),
            Error::Io { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The customer id an error is about ([`Error::UnknownCustomer`],
    /// [`Error::DuplicateCustomer`], [`Error::SelfLoop`],
    /// [`Error::ThresholdWeights`]).
    pub fn customer(&self) -> Option<&CustomerId> {
        match self {
            Error::UnknownCustomer(id)
            | Error::DuplicateCustomer(id)
            | Error::SelfLoop(id)
            | Error::ThresholdWeights { customer: id, .. } => Some(id),
            _ => None,
        }
    }

    /// Why an [`Error::InvalidParameter`], [`Error::Parse`] or [`Error::Fit`]
    /// was rejected.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::InvalidParameter { reason, .. }
            | Error::Parse { reason, .. }
            | Error::Fit { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_file_line_and_column() {
        let err = Error::parse(7, "expected a number")
            .in_file("ties.txt")
            .at_column(3);
        assert_eq!(
            err.to_string(),
            "ties.txt: line 7, column 3: expected a number"
        );
        assert_eq!(
            (err.line(), err.column(), err.path()),
            (Some(7), Some(3), Some("ties.txt"))
        );
        assert!(err.is_parse() && !err.is_invalid_parameter());
        assert_eq!(Error::parse(2, "x").to_string(), "line 2: x");
        let json = Error::parse(3, "invalid type").at_column(8).at_field("id");
        assert_eq!(
            json.to_string(),
            "line 3, column 8, field `id`: invalid type"
        );
        assert_eq!(json.field(), Some("id"));
    }

    #[test]
    fn io_errors_keep_their_source() {
        use std::error::Error as _;
        let err = Error::io(
            "a.txt",
            std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
        );
        let source = err.source().map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("gone"));
        assert_eq!(err.path(), Some("a.txt"));
        assert!(err.is_io());
    }

    #[test]
    fn fields_nest_as_json_paths() {
        let err = Error::invalid("customers", "must be at least 2").within("network.generated");
        assert_eq!(err.field(), Some("network.generated.customers"));
        assert_eq!(err.reason(), Some("must be at least 2"));
        assert_eq!(
            Error::invalid("x", "r").within("").field(),
            Some("x"),
            "an empty prefix keeps the path"
        );
        assert_eq!(Error::Cancelled.field(), None);
    }
}
