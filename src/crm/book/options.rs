//! [`BookOptions`]: how relationship events become ties, and what the book
//! accepts (strictness, a plausible time window, id hygiene).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::crm::{Event, EventKind, Timestamp};
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::probability::Probability;

/// 1990-01-01T00:00:00Z: the default earliest plausible event.
const EARLIEST_1990: Timestamp = Timestamp::from_unix_millis_const(631_152_000_000);

/// One day, the default tolerance for events ahead of "now".
const ONE_DAY_MILLIS: i64 = 86_400_000;

/// What the book does with a customer id that has leading or trailing white
/// space (`" ann"`).
///
/// Other hazards in ids (control characters such as NUL, bidirectional
/// overrides such as U+202E, zero-width characters) are always rejected, and
/// event ids, tickets, sources and kind names are never changed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdPolicy {
    /// Reject the record (field `customer` or `counterpart`), so that `" ann"`
    /// and `"ann"` never become two customers silently. The default.
    #[default]
    Reject,
    /// Trim the white space of `customer` and `counterpart` before applying
    /// (`" ann"` is `ann`); the stored event has the trimmed ids.
    Trim,
}

/// How the book reads relationship events and what it accepts.
///
/// * **Ties**: a referral passes influence with probability 0.3, a reply with
///   0.1 (see the [book's rules](super::CustomerBook#rules)).
/// * **Strictness**: by default a kind the library does not know
///   (`"type": "Purchase"`, wrong case) is kept as
///   [`EventKind::Other`] and reported as a warning of its record, as is an
///   unknown field (`"moneyy"`); [`strict`](Self::strict) rejects both.
/// * **Time window**: an event before [`earliest`](Self::earliest) (default
///   1990-01-01, which catches Unix seconds read as milliseconds) or more than
///   [`ahead`](Self::ahead) (default one day) after "now" is rejected (field
///   `at`). "Now" is the caller's [`now`](Self::now) when given, else the wall
///   clock when the event is applied.
/// * **Ids**: see [`IdPolicy`].
///
/// ```
/// use social_loop::Probability;
/// use social_loop::crm::{BookOptions, IdPolicy};
/// let options = BookOptions::default()
///     .referral_tie(Probability::new(0.5)?)
///     .strict(true)
///     .now("2024-06-30T00:00:00Z".parse()?)
///     .ids(IdPolicy::Trim);
/// assert_eq!(options.referral_tie_probability().get(), 0.5);
/// assert!(options.is_strict());
/// assert_eq!(options.earliest_accepted().to_string(), "1990-01-01T00:00:00Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookOptions {
    referral_tie: Probability,
    reply_tie: Probability,
    strict: bool,
    earliest: Timestamp,
    ahead_millis: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<Timestamp>,
    ids: IdPolicy,
}

impl Default for BookOptions {
    /// Referral ties 0.3, reply ties 0.1; lenient (unknowns kept and warned);
    /// events from 1990 to a day after the wall clock; ids with surrounding
    /// white space rejected.
    fn default() -> Self {
        BookOptions {
            referral_tie: Probability::saturating(0.3),
            reply_tie: Probability::saturating(0.1),
            strict: false,
            earliest: EARLIEST_1990,
            ahead_millis: ONE_DAY_MILLIS,
            now: None,
            ids: IdPolicy::Reject,
        }
    }
}

impl BookOptions {
    /// The probability that one referral passes influence from the referrer.
    #[must_use]
    pub fn referral_tie(mut self, p: Probability) -> Self {
        self.referral_tie = p;
        self
    }

    /// The probability that one reply passes influence from the person replied to.
    #[must_use]
    pub fn reply_tie(mut self, p: Probability) -> Self {
        self.reply_tie = p;
        self
    }

    /// Reject unknown kinds and unknown fields instead of keeping them with a
    /// warning.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The earliest plausible occurred-at (default 1990-01-01T00:00:00Z).
    #[must_use]
    pub fn earliest(mut self, earliest: Timestamp) -> Self {
        self.earliest = earliest;
        self
    }

    /// How many whole days after "now" an event may occur (default 1).
    #[must_use]
    pub fn ahead(mut self, days: u32) -> Self {
        self.ahead_millis = i64::from(days) * ONE_DAY_MILLIS;
        self
    }

    /// The caller's "now" for the time window, instead of the wall clock (for
    /// replaying an archive, or tests that must not depend on the date).
    #[must_use]
    pub fn now(mut self, now: Timestamp) -> Self {
        self.now = Some(now);
        self
    }

    /// What to do with customer ids that have surrounding white space.
    #[must_use]
    pub fn ids(mut self, policy: IdPolicy) -> Self {
        self.ids = policy;
        self
    }

    /// See [`BookOptions::referral_tie`].
    pub fn referral_tie_probability(&self) -> Probability {
        self.referral_tie
    }

    /// See [`BookOptions::reply_tie`].
    pub fn reply_tie_probability(&self) -> Probability {
        self.reply_tie
    }

    /// See [`BookOptions::strict`].
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// See [`BookOptions::earliest`].
    pub fn earliest_accepted(&self) -> Timestamp {
        self.earliest
    }

    /// The latest occurred-at accepted now: "now" plus [`ahead`](Self::ahead).
    pub fn latest_accepted(&self) -> Timestamp {
        let now = self.now.unwrap_or_else(Timestamp::now);
        Timestamp::from_unix_millis(now.unix_millis().saturating_add(self.ahead_millis))
            .unwrap_or(Timestamp::MAX)
    }

    /// The caller's "now", if given.
    pub fn now_given(&self) -> Option<Timestamp> {
        self.now
    }

    /// See [`BookOptions::ids`].
    pub fn id_policy(&self) -> IdPolicy {
        self.ids
    }

    /// `event` as the book will apply it: with trimmed customer ids under
    /// [`IdPolicy::Trim`], after the checks of these options (time window,
    /// strictness about unknown kinds).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `at` or `kind.type`.
    pub(crate) fn admit<'e>(&self, event: &'e Event) -> Result<Cow<'e, Event>> {
        let at = event.at;
        if at < self.earliest {
            return Err(Error::invalid(
                "at",
                format!(
                    "{at} is before {} (the earliest plausible event; Unix seconds read as milliseconds land in 1970)",
                    self.earliest
                ),
            ));
        }
        let latest = self.latest_accepted();
        if at > latest {
            return Err(Error::invalid(
                "at",
                format!(
                    "{at} is after {latest} ({} after {})",
                    ahead_text(self.ahead_millis),
                    if self.now.is_some() {
                        "the given now"
                    } else {
                        "the wall clock"
                    }
                ),
            ));
        }
        if self.strict
            && let EventKind::Other { kind, .. } = &event.kind
        {
            return Err(Error::invalid("kind.type", unknown_kind(kind)));
        }
        let trim = |id: &CustomerId| {
            let t = id.as_str().trim();
            (t.len() != id.as_str().len()).then(|| CustomerId::new(t))
        };
        if self.ids == IdPolicy::Trim {
            let customer = trim(&event.customer);
            let counterpart = event.counterpart.as_ref().and_then(trim);
            if customer.is_some() || counterpart.is_some() {
                let mut owned = event.clone();
                if let Some(c) = customer {
                    owned.customer = c;
                }
                if let Some(c) = counterpart {
                    owned.counterpart = Some(c);
                }
                return Ok(Cow::Owned(owned));
            }
        }
        Ok(Cow::Borrowed(event))
    }
}

fn ahead_text(millis: i64) -> String {
    match millis / ONE_DAY_MILLIS {
        1 => "one day".to_string(),
        days => format!("{days} days"),
    }
}

/// Why a kind is unknown, with the known kind it resembles if any.
pub(crate) fn unknown_kind(kind: &str) -> String {
    let hint = EventKind::KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(kind) || k.replace('_', "") == kind.to_lowercase())
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    format!("`{kind}` is not a known kind{hint}")
}
