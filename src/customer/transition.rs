//! Records of moves: the full [`Transition`] (with its cause) and the lean
//! [`Move`] (with its trigger only).

use serde::{Deserialize, Serialize};

use super::{Cause, RuleId, Stage, Trigger};

/// One recorded stage move: who went from where to where, when, and why.
///
/// ```
/// use social_loop::Stage;
/// use social_loop::customer::{Cause, CustomerState};
/// let mut state = CustomerState::new(Stage::Prospect);
/// let t = state.apply(Cause::Purchase, 3).ok_or("no move")?;
/// assert_eq!((t.from, t.to, t.period), (Stage::Prospect, Stage::Customer, 3));
/// assert_eq!(t.to_string(), "period 3: prospect -> customer (purchase)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Transition {
    /// The stage before the move.
    pub from: Stage,
    /// The stage after the move.
    pub to: Stage,
    /// The period in which it happened.
    pub period: u32,
    /// What caused it.
    pub cause: Cause,
}

impl Transition {
    /// The lean form of the move (the cause reduced to its trigger).
    pub fn as_move(&self) -> Move {
        Move {
            from: self.from,
            to: self.to,
            period: self.period,
            trigger: self.cause.trigger(),
        }
    }

    /// The row of the transition table that fired, or `None` for a transition
    /// the table cannot produce (one built by hand).
    pub fn rule(&self) -> Option<RuleId> {
        self.as_move().rule()
    }
}

impl std::fmt::Display for Transition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "period {}: {} -> {} ({})",
            self.period, self.from, self.to, self.cause
        )
    }
}

/// A stage move without the cause's payload: eight bytes, kept inside every
/// [`CustomerState`](super::CustomerState) as the answer to "why is this
/// customer here?" even when no full history is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Move {
    /// The stage before the move.
    pub from: Stage,
    /// The stage after the move.
    pub to: Stage,
    /// The period in which it happened.
    pub period: u32,
    /// The kind of cause.
    pub trigger: Trigger,
}

impl Move {
    /// The full record of this move, with the `cause` whose trigger it was
    /// (for callers that step with [`CustomerState::apply_trigger`](super::CustomerState::apply_trigger)
    /// and build causes only for the customers they audit).
    pub fn with_cause(self, cause: Cause) -> Transition {
        Transition {
            from: self.from,
            to: self.to,
            period: self.period,
            cause,
        }
    }

    /// The row of the transition table that fired, or `None` for a move the
    /// table cannot produce.
    pub fn rule(&self) -> Option<RuleId> {
        RuleId::of_move(self.from, self.trigger, self.to)
    }
}

impl std::fmt::Display for Move {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "period {}: {} -> {} ({})",
            self.period, self.from, self.to, self.trigger
        )
    }
}
