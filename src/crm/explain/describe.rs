//! How stored events read in an explanation: their cause, source and the
//! words for "how the event became the cause".

use crate::crm::book::{Code, Effect, Store, Stored};
use crate::crm::event::Source;
use crate::customer::{Cause, CustomerId, Experience, Trigger};

/// Orders two event numbers by their `(at, id)` key.
pub(crate) fn key_order(store: &Store, a: u32, b: u32) -> std::cmp::Ordering {
    if store.precedes(a, b) {
        std::cmp::Ordering::Less
    } else if store.precedes(b, a) {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

pub(super) fn source_of(store: &Store, r: &Stored) -> Source {
    let mut s = Source::new(store.strings.resolve(r.system));
    s.actor = store.string(r.actor).map(str::to_string);
    s
}

/// The full cause of an effect, for the audit trail.
pub(super) fn cause_of(e: &Effect, r: &Stored, names: &[CustomerId]) -> Cause {
    let channel = r.known_channel();
    match e.trigger {
        Trigger::Exposure => Cause::Exposure { channel },
        Trigger::Experience(quality) => Cause::Experience(Experience {
            quality,
            touchpoint: e.touchpoint,
        }),
        Trigger::WordOfMouth(valence) => Cause::WordOfMouth {
            valence,
            from: names
                .get(r.counterpart as usize)
                .cloned()
                .unwrap_or_else(|| CustomerId::new("?")),
        },
        Trigger::Engagement { relevant } => Cause::Engagement { relevant, channel },
        Trigger::Purchase => Cause::Purchase,
        Trigger::Complaint => Cause::Complaint {
            touchpoint: e.touchpoint,
        },
        Trigger::NoContact => Cause::NoContact { periods: e.periods },
        Trigger::ServiceRecovery => Cause::ServiceRecovery,
    }
}

/// How an event became its cause, readable.
pub(super) fn because(store: &Store, r: &Stored, cause: &Cause) -> String {
    let kind = match r.code {
        Code::Purchase => "purchase".to_string(),
        Code::Refund => "refund".to_string(),
        Code::Referral => "referral".to_string(),
        Code::Criticism => "criticism".to_string(),
        Code::Review => match (r.sentiment(), r.aux) {
            (Some(s), _) => format!("review, {} {:.2}", s.polarity.name(), s.confidence.get()),
            (None, 1) => "review, 1 star".to_string(),
            (None, stars @ 2..) => format!("review, {stars} stars"),
            _ => "review".to_string(),
        },
        Code::SocialPost => match r.sentiment() {
            Some(s) => format!(
                "social_post, {} {:.2}",
                s.polarity.name(),
                s.confidence.get()
            ),
            None => "social_post".to_string(),
        },
        Code::Nps => format!("nps_response {}", r.aux),
        Code::TicketOpened => format!("ticket_opened {}", store.string(r.payload).unwrap_or("?")),
        Code::TicketResolved => {
            format!("ticket_resolved {}", store.string(r.payload).unwrap_or("?"))
        }
        Code::Engagement => {
            let what = r
                .engagement_kind()
                .and_then(|k| serde_json::to_value(k).ok())
                .and_then(|v| v.as_str().map(|name| format!(" {name}")))
                .unwrap_or_default();
            match store.string(r.payload) {
                Some(id) => format!("engagement_received{what} {id}"),
                None => format!("engagement_received{what}"),
            }
        }
        Code::Feedback => match r.sentiment() {
            Some(s) => format!(
                "product_feedback, {} {:.2}",
                s.polarity.name(),
                s.confidence.get()
            ),
            None => "product_feedback".to_string(),
        },
        // The cause counts "periods": for the book a period is a day.
        Code::Inactivity => {
            let days = super::build::days_text(i64::from(r.payload));
            return format!("inactivity: no contact for {days}");
        }
        Code::Tie => "tie".to_string(),
        Code::Other => "other".to_string(),
    };
    let cause = cause.to_string();
    if cause == kind {
        kind
    } else {
        format!("{kind} -> {cause}")
    }
}
