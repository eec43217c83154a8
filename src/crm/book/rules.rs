//! The book's rules: what each event does to its customer's lifecycle state
//! (documented in the table on [`CustomerBook`](super::CustomerBook#rules)).
//!
//! An event becomes a [`Trigger`] of the one transition table in
//! [`crate::customer`]; [`step`] applies it with [`CustomerState::apply_trigger`]
//! (every matching rule fires: real events, not draws). The same function runs
//! when an event arrives in order, when a customer is replayed after a late
//! event, and when an explanation is built, so the three cannot disagree.

use super::store::{Code, Store, Stored};
use crate::customer::{
    CustomerState, ExperienceQuality, Move, Sentiment, Touchpoint, Trigger, Valence,
};

/// What an event does to its customer: a trigger of the transition table with
/// the payload a [`Cause`](crate::customer::Cause) needs for an explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Effect {
    pub trigger: Trigger,
    pub touchpoint: Option<Touchpoint>,
    /// Days without contact, for [`Trigger::NoContact`].
    pub periods: u32,
}

impl Effect {
    fn of(trigger: Trigger) -> Self {
        Effect {
            trigger,
            touchpoint: None,
            periods: 0,
        }
    }

    fn at(mut self, touchpoint: Touchpoint) -> Self {
        self.touchpoint = Some(touchpoint);
        self
    }

    fn experience(score: f64) -> Self {
        let quality = ExperienceQuality::from_score(score.clamp(-1.0, 1.0))
            .unwrap_or(ExperienceQuality::Satisfied);
        Effect::of(Trigger::Experience(quality))
    }
}

/// The quality of experience an NPS answer reports: 9-10 delighted, 7-8
/// satisfied, 4-6 disappointed, 0-3 outraged (the adversary band).
pub(crate) fn nps_quality(score: u8) -> ExperienceQuality {
    match score {
        9.. => ExperienceQuality::Delighted,
        7..=8 => ExperienceQuality::Satisfied,
        4..=6 => ExperienceQuality::Disappointed,
        _ => ExperienceQuality::Outraged,
    }
}

/// The tone of what the customer said in a review, post or feedback: the
/// sentiment reading's score, else a review's stars (`(stars - 3) / 2`).
pub(crate) fn voice_score(r: &Stored) -> Option<f64> {
    match r.sentiment() {
        Some(s) => Some(s.score()),
        None if r.code == Code::Review && r.aux != 0 => Some((f64::from(r.aux) - 3.0) / 2.0),
        None => None,
    }
}

/// The effect of `r` on its customer, or `None` for an event that moves no one.
pub(crate) fn effect(r: &Stored) -> Option<Effect> {
    Some(match r.code {
        Code::Purchase => Effect::of(Trigger::Purchase),
        Code::Refund => Effect::of(Trigger::Complaint).at(Touchpoint::Sales),
        Code::Referral => Effect::of(Trigger::WordOfMouth(Valence::Positive)),
        Code::Criticism => Effect::of(Trigger::WordOfMouth(Valence::Negative)),
        Code::Review | Code::SocialPost => match voice_score(r) {
            Some(score) => Effect::experience(score),
            None => Effect::of(Trigger::Exposure),
        },
        // An answer that only measures (not an experience) moves no one.
        Code::Nps if r.aux2 != 0 => return None,
        Code::Nps => Effect::of(Trigger::Experience(nps_quality(r.aux))),
        Code::TicketOpened => Effect::of(Trigger::Complaint).at(Touchpoint::CustomerService),
        Code::TicketResolved => Effect::of(Trigger::ServiceRecovery),
        Code::Engagement => match r.engagement_kind() {
            Some(k) if !k.touches_customers() => return None,
            Some(k) if k.wins_back() => Effect::of(Trigger::ServiceRecovery),
            _ => Effect::of(Trigger::Engagement {
                relevant: r.aux2 != 0,
            }),
        },
        Code::Feedback => Effect::experience(voice_score(r)?).at(Touchpoint::Product),
        Code::Inactivity => Effect {
            periods: r.payload,
            ..Effect::of(Trigger::NoContact)
        },
        Code::Tie | Code::Other => return None,
    })
}

/// Applies event `r`, the `ordinal`-th of its customer in time order, to
/// `state`; returns the move made. An NPS answer then sets the sentiment to
/// the answer (`score / 5 - 1`, kept in the band of the stage).
///
/// # Complexity
/// O(1).
pub(crate) fn step(state: &mut CustomerState, r: &Stored, ordinal: u32) -> Option<Move> {
    let made = effect(r).and_then(|e| state.apply_trigger(e.trigger, ordinal, |_| true));
    if r.code == Code::Nps {
        *state = state.with_sentiment(Sentiment::saturating(f32::from(r.aux) / 5.0 - 1.0));
    }
    made
}

/// Replays a customer's `events` (numbers in time order) from a fresh state,
/// calling `seen` after each with the event number, its record, the state
/// after it and the move it made.
///
/// # Complexity
/// O(events).
pub(crate) fn replay(
    store: &Store,
    events: &[u32],
    mut seen: impl FnMut(u32, &Stored, &CustomerState, Option<Move>),
) -> CustomerState {
    let mut state = CustomerState::default();
    for (ordinal, &n) in events.iter().enumerate() {
        if let Some(r) = store.record(n) {
            let made = step(&mut state, r, ordinal as u32);
            seen(n, r, &state, made);
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_bands() {
        let q: Vec<_> = (0..=10).map(nps_quality).collect();
        assert_eq!(q[3], ExperienceQuality::Outraged);
        assert_eq!(q[4], ExperienceQuality::Disappointed);
        assert_eq!(q[6], ExperienceQuality::Disappointed);
        assert_eq!(q[7], ExperienceQuality::Satisfied);
        assert_eq!(q[9], ExperienceQuality::Delighted);
    }
}
