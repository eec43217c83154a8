//! The crate's one error type.
//!
//! Every fallible function in `social_loop` returns [`Result<T>`](Result). Each
//! variant says *what* was wrong and *where*: the line of a file, the customer id,
//! the field of a configuration. The enum is `#[non_exhaustive]` so that new
//! failure modes can be added without a breaking change.

use crate::customer::CustomerId;

/// Shorthand for `std::result::Result<T, social_loop::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `social_loop`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A probability (or rate) was NaN, infinite or outside `[0, 1]`.
    #[error("{field}: {value} is not a probability (must be a finite number in [0, 1])")]
    InvalidProbability {
        /// Which field or argument held the value.
        field: String,
        /// The rejected value.
        value: f64,
    },

    /// A parameter was outside its documented domain.
    #[error("{field}: {reason}")]
    InvalidParameter {
        /// Which field or argument held the value.
        field: String,
        /// Why it was rejected.
        reason: String,
    },

    /// A line of an input file could not be understood.
    #[error("line {line}: {reason}")]
    Parse {
        /// 1-based line number in the input.
        line: usize,
        /// What was wrong with it.
        reason: String,
    },

    /// An input file could not be read.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The path that was being read.
        path: String,
        /// The operating system's message.
        reason: String,
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
}

impl Error {
    /// Builds an [`Error::InvalidParameter`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
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
}
