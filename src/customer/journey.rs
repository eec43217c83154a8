//! The lifecycle state machine: a lean [`CustomerState`] for every customer, and
//! a [`Journey`] (state plus [`AuditTrail`]) for the customers whose full history
//! a caller wants to keep.
//!
//! # Memory: why the history is optional
//!
//! A [`CustomerState`] is 16 bytes and `Copy`: the simulation holds a million
//! of them in a `Vec`. It remembers only its last [`Move`] (stages, period and
//! the kind of cause), which already answers "why is this customer an
//! adversary?" at the level of the rule that fired. The full history, with each
//! cause's payload (who spoke, at which touchpoint), lives in an [`AuditTrail`]
//! that grows by one [`Transition`] per move (32 bytes; a word-of-mouth
//! speaker's id is shared, not copied). A caller chooses per customer: keep a
//! `Vec<CustomerState>` and no history, keep a `Journey` for everyone (a CRM),
//! or keep journeys for a sample only. The step is the
//! same in every case ([`CustomerState::apply_trigger`]).

use serde::{Deserialize, Serialize};

use super::{
    Cause, LikelihoodToRecommend, Move, NpsClass, RuleId, Sentiment, Stage, Transition, Trigger,
};
use crate::error::{Error, Result};

/// Where a customer is and how they feel: stage, purchase history, sentiment
/// and the last move. 16 bytes, `Copy`.
///
/// Invariants (kept by every method, checked on deserialisation): the
/// sentiment lies in the band of the stage (see
/// [`Sentiment::within_stage`]); a customer whose stage implies a purchase
/// ([`Stage::has_bought`]) has `ever_bought`; the last move ends in the
/// current stage.
///
/// ```
/// use social_loop::Stage;
/// use social_loop::customer::{Cause, CustomerState, ExperienceQuality, NpsClass};
/// let mut ann = CustomerState::new(Stage::Customer);
/// // Delight makes an advocate (a promoter)...
/// ann.apply(Cause::experience(ExperienceQuality::Delighted), 1);
/// assert_eq!(ann.stage(), Stage::Advocate);
/// assert_eq!(ann.nps_class(), NpsClass::Promoter);
/// // ...and one outrage an adversary.
/// ann.apply(Cause::experience(ExperienceQuality::Outraged), 2);
/// assert_eq!(ann.stage(), Stage::Adversary);
/// let why = ann.why().ok_or("no move")?;
/// assert_eq!(why.to_string(), "period 2: advocate -> adversary (experience_outraged)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StateRecord", into = "StateRecord")]
pub struct CustomerState {
    stage: Stage,
    ever_bought: bool,
    sentiment: Sentiment,
    last_move: Option<Move>,
}

/// The serialised form of a [`CustomerState`], validated on the way in.
#[derive(Serialize, Deserialize)]
struct StateRecord {
    stage: Stage,
    ever_bought: bool,
    sentiment: Sentiment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_move: Option<Move>,
}

impl TryFrom<StateRecord> for CustomerState {
    type Error = Error;
    fn try_from(r: StateRecord) -> Result<Self> {
        if r.sentiment.within_stage(r.stage) != r.sentiment {
            return Err(Error::invalid(
                "customer_state.sentiment",
                format!(
                    "{} is outside the band of stage {}",
                    r.sentiment.get(),
                    r.stage
                ),
            ));
        }
        if r.stage.has_bought() && !r.ever_bought {
            return Err(Error::invalid(
                "customer_state.ever_bought",
                format!("a customer in stage {} has bought", r.stage),
            ));
        }
        if let Some(m) = r.last_move
            && m.to != r.stage
        {
            return Err(Error::invalid(
                "customer_state.last_move",
                format!("ends in {} but the stage is {}", m.to, r.stage),
            ));
        }
        Ok(CustomerState {
            stage: r.stage,
            ever_bought: r.ever_bought,
            sentiment: r.sentiment,
            last_move: r.last_move,
        })
    }
}

impl From<CustomerState> for StateRecord {
    fn from(s: CustomerState) -> Self {
        StateRecord {
            stage: s.stage,
            ever_bought: s.ever_bought,
            sentiment: s.sentiment,
            last_move: s.last_move,
        }
    }
}

impl Default for CustomerState {
    /// An unaware customer, neutral, who has never bought.
    fn default() -> Self {
        CustomerState::new(Stage::Unaware)
    }
}

impl CustomerState {
    /// A customer in `stage`, with neutral sentiment moved into the stage's
    /// band, who has bought if the stage implies it.
    pub fn new(stage: Stage) -> Self {
        CustomerState {
            stage,
            ever_bought: stage.has_bought(),
            sentiment: Sentiment::NEUTRAL.within_stage(stage),
            last_move: None,
        }
    }

    /// The same customer with `sentiment`, moved into the stage's band.
    #[must_use]
    pub fn with_sentiment(mut self, sentiment: Sentiment) -> Self {
        self.sentiment = sentiment.within_stage(self.stage);
        self
    }

    /// The same customer with the given purchase history (ignored, stays
    /// `true`, when the stage implies a purchase). An adversary or a prospect
    /// may have bought before.
    #[must_use]
    pub fn with_ever_bought(mut self, ever_bought: bool) -> Self {
        self.ever_bought = ever_bought || self.stage.has_bought();
        self
    }

    /// Sets the sentiment (moved into the stage's band), for example from a
    /// survey answer ([`Sentiment::from_likelihood`]). Not a move: the stage
    /// does not change.
    pub fn set_sentiment(&mut self, sentiment: Sentiment) {
        self.sentiment = sentiment.within_stage(self.stage);
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Whether the customer has bought at least once.
    pub fn ever_bought(&self) -> bool {
        self.ever_bought
    }

    /// How the customer feels about the brand.
    pub fn sentiment(&self) -> Sentiment {
        self.sentiment
    }

    /// What the customer would answer to "how likely are you to recommend us?".
    pub fn likelihood_to_recommend(&self) -> LikelihoodToRecommend {
        self.sentiment.likelihood_to_recommend()
    }

    /// The customer's NPS class.
    pub fn nps_class(&self) -> NpsClass {
        self.likelihood_to_recommend().class()
    }

    /// The last move: why the customer is in their current stage (`None` if they
    /// have not moved since they were created).
    pub fn why(&self) -> Option<Move> {
        self.last_move
    }

    /// Applies `cause` in `period`: the sentiment effect always, the move of the
    /// transition table when there is one. Returns the move made, with its cause.
    pub fn apply(&mut self, cause: Cause, period: u32) -> Option<Transition> {
        self.apply_if(cause, period, |_| true)
    }

    /// Like [`apply`](Self::apply), but the move is made only if `fire` accepts
    /// the rule that matches: a simulation passes a draw against
    /// [`TransitionProbabilities`](super::TransitionProbabilities) (the sentiment
    /// effect happens whether the move is made or not).
    ///
    /// ```
    /// use social_loop::Stage;
    /// use social_loop::customer::{Cause, CustomerState, TransitionProbabilities};
    /// let probs = TransitionProbabilities::default();
    /// let mut bob = CustomerState::new(Stage::Customer);
    /// let draw = 0.9; // from the caller's seeded random stream
    /// let moved = bob.apply_if(Cause::NoContact { periods: 8 }, 5, |rule| draw < probs.get(rule).get());
    /// assert!(moved.is_none()); // customer+no_contact fires with p = 0.2
    /// assert_eq!(bob.stage(), Stage::Customer);
    /// ```
    pub fn apply_if(
        &mut self,
        cause: Cause,
        period: u32,
        fire: impl FnOnce(RuleId) -> bool,
    ) -> Option<Transition> {
        let m = self.apply_trigger(cause.trigger(), period, fire)?;
        Some(m.with_cause(cause))
    }

    /// The step itself, on a cause's [`Trigger`] only (no allocation, no id
    /// clone): the simulation's hot loop.
    ///
    /// 1. The sentiment moves by [`Trigger::sentiment_effect`].
    /// 2. A purchase sets `ever_bought`.
    /// 3. The rule of the table for (stage, trigger, purchase history) is looked
    ///    up; if there is one and `fire` accepts it, the customer moves and the
    ///    move becomes the last move.
    /// 4. The sentiment is clamped into the band of the (new) stage.
    ///
    /// # Complexity
    /// O(1): at most nine table rows are compared.
    pub fn apply_trigger(
        &mut self,
        trigger: Trigger,
        period: u32,
        fire: impl FnOnce(RuleId) -> bool,
    ) -> Option<Move> {
        let felt = Sentiment::saturating(trigger.sentiment_effect(self.sentiment.get()));
        if trigger == Trigger::Purchase {
            self.ever_bought = true;
        }
        let mut made = None;
        if let Some(rule) = RuleId::find(self.stage, trigger, self.ever_bought)
            && fire(rule)
        {
            let m = Move {
                from: self.stage,
                to: rule.rule().to,
                period,
                trigger,
            };
            self.stage = m.to;
            self.ever_bought |= m.to.has_bought();
            self.last_move = Some(m);
            made = Some(m);
        }
        self.sentiment = felt.within_stage(self.stage);
        made
    }
}

/// The full history of one customer's moves, oldest first, each with its cause.
///
/// Only consistent histories can be built: each transition starts where the
/// previous one ended and is not earlier than it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "Vec<Transition>", into = "Vec<Transition>")]
pub struct AuditTrail(Vec<Transition>);

impl AuditTrail {
    /// An empty trail.
    pub fn new() -> Self {
        AuditTrail(Vec::new())
    }

    /// Appends `transition`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `transition.from`) when it does not
    /// start in the stage where the previous transition ended, or (field
    /// `transition.period`) when it is earlier than the previous one; the
    /// trail is left unchanged.
    pub fn record(&mut self, transition: Transition) -> Result<()> {
        if let Some(last) = self.0.last() {
            if transition.from != last.to {
                return Err(Error::invalid(
                    "transition.from",
                    format!(
                        "starts in {} but the previous move ended in {}",
                        transition.from, last.to
                    ),
                ));
            }
            if transition.period < last.period {
                return Err(Error::invalid(
                    "transition.period",
                    format!(
                        "period {} is earlier than the previous move's period {}",
                        transition.period, last.period
                    ),
                ));
            }
        }
        self.0.push(transition);
        Ok(())
    }

    /// The transitions, oldest first.
    pub fn transitions(&self) -> &[Transition] {
        &self.0
    }

    /// The most recent transition.
    pub fn last(&self) -> Option<&Transition> {
        self.0.last()
    }

    /// Number of transitions.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<Vec<Transition>> for AuditTrail {
    type Error = Error;
    fn try_from(transitions: Vec<Transition>) -> Result<Self> {
        let mut trail = AuditTrail(Vec::with_capacity(transitions.len()));
        for t in transitions {
            trail.record(t)?;
        }
        Ok(trail)
    }
}

impl From<AuditTrail> for Vec<Transition> {
    fn from(trail: AuditTrail) -> Self {
        trail.0
    }
}

/// A customer's state together with the full history of their moves: what a
/// CRM keeps to answer "why is this person an adversary?".
///
/// ```
/// use social_loop::Stage;
/// use social_loop::customer::{Cause, ExperienceQuality, Journey, Touchpoint, Experience};
/// let mut journey = Journey::new(Stage::Prospect);
/// journey.apply(Cause::Purchase, 1)?;
/// let outrage = Experience::new(ExperienceQuality::Outraged).at(Touchpoint::CustomerService);
/// journey.apply(Cause::Experience(outrage), 4)?;
/// assert_eq!(journey.stage(), Stage::Adversary);
/// let lines: Vec<String> = journey.history().iter().map(|t| t.to_string()).collect();
/// assert_eq!(lines, [
///     "period 1: prospect -> customer (purchase)",
///     "period 4: customer -> adversary (outraged experience (customer_service))",
/// ]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "JourneyRecord", into = "JourneyRecord")]
pub struct Journey {
    state: CustomerState,
    trail: AuditTrail,
}

/// The serialised form of a [`Journey`], validated on the way in.
#[derive(Serialize, Deserialize)]
struct JourneyRecord {
    state: CustomerState,
    trail: AuditTrail,
}

impl TryFrom<JourneyRecord> for Journey {
    type Error = Error;
    fn try_from(r: JourneyRecord) -> Result<Self> {
        if let Some(last) = r.trail.last()
            && (last.to != r.state.stage() || r.state.why() != Some(last.as_move()))
        {
            return Err(Error::invalid(
                "journey.trail",
                format!("the last recorded move ({last}) is not the state's last move"),
            ));
        }
        Ok(Journey {
            state: r.state,
            trail: r.trail,
        })
    }
}

impl From<Journey> for JourneyRecord {
    fn from(j: Journey) -> Self {
        JourneyRecord {
            state: j.state,
            trail: j.trail,
        }
    }
}

impl Journey {
    /// A journey starting in `stage` with an empty history.
    pub fn new(stage: Stage) -> Self {
        Journey::from_state(CustomerState::new(stage))
    }

    /// A journey starting from `state` (its earlier history unknown).
    pub fn from_state(state: CustomerState) -> Self {
        Journey {
            state,
            trail: AuditTrail::new(),
        }
    }

    /// The current state.
    pub fn state(&self) -> &CustomerState {
        &self.state
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.state.stage()
    }

    /// Sets the sentiment (see [`CustomerState::set_sentiment`]).
    pub fn set_sentiment(&mut self, sentiment: Sentiment) {
        self.state.set_sentiment(sentiment);
    }

    /// Every move, oldest first.
    pub fn history(&self) -> &[Transition] {
        self.trail.transitions()
    }

    /// The audit trail.
    pub fn trail(&self) -> &AuditTrail {
        &self.trail
    }

    /// The last move with its full cause: why the customer is where they are.
    pub fn why(&self) -> Option<&Transition> {
        self.trail.last()
    }

    /// Applies `cause` in `period` (see [`CustomerState::apply`]) and records
    /// the move, if any.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `transition.period`) when `period` is
    /// earlier than the last recorded move (causes must be applied in time
    /// order); the journey is left unchanged.
    pub fn apply(&mut self, cause: Cause, period: u32) -> Result<Option<&Transition>> {
        self.apply_if(cause, period, |_| true)
    }

    /// Applies `cause` in `period`, making the move only if `fire` accepts its
    /// rule (see [`CustomerState::apply_if`]), and records it.
    ///
    /// # Errors
    /// As [`Journey::apply`].
    pub fn apply_if(
        &mut self,
        cause: Cause,
        period: u32,
        fire: impl FnOnce(RuleId) -> bool,
    ) -> Result<Option<&Transition>> {
        if let Some(last) = self.trail.last()
            && period < last.period
        {
            return Err(Error::invalid(
                "transition.period",
                format!(
                    "period {period} is earlier than the last recorded move's period {}",
                    last.period
                ),
            ));
        }
        let mut next = self.state;
        match next.apply_if(cause, period, fire) {
            None => {
                self.state = next;
                Ok(None)
            }
            Some(t) => {
                self.trail.record(t)?;
                self.state = next;
                Ok(self.trail.last())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_is_small_and_shareable() {
        assert!(std::mem::size_of::<CustomerState>() <= 16);
        assert!(std::mem::size_of::<Transition>() <= 32);
        fn shareable<T: Send + Sync>() {}
        shareable::<CustomerState>();
        shareable::<Journey>();
    }
}
