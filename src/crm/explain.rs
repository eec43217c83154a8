//! [`Explanation`]: where a customer is, every move that brought them there
//! with the events and rules behind it, and the factors for and against.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::book::{Code, Effect, NONE, Store, Stored, effect, replay, voice_score};
use super::event::Source;
use super::{CustomerBook, EventId, MoneyTotals, Timestamp};
use crate::customer::{
    Cause, CustomerId, Experience, LikelihoodToRecommend, NpsClass, Stage, Transition, Trigger,
};
use crate::error::{Error, Result};

/// Settings of [`CustomerBook::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainOptions {
    as_of: Option<Timestamp>,
    quiet_days: u32,
    evidence: usize,
}

impl Default for ExplainOptions {
    /// As of the book's latest event; silence of 90 days or more is a factor;
    /// at most 20 event ids of evidence per factor.
    fn default() -> Self {
        ExplainOptions {
            as_of: None,
            quiet_days: 90,
            evidence: 20,
        }
    }
}

impl ExplainOptions {
    /// Explain as of `at` (for ages of open tickets and silence) instead of
    /// the book's latest event.
    pub fn as_of(mut self, at: Timestamp) -> Self {
        self.as_of = Some(at);
        self
    }

    /// How many days without any event make "no contact" a factor.
    pub fn quiet_days(mut self, days: u32) -> Self {
        self.quiet_days = days;
        self
    }

    /// At most this many event ids listed as the evidence of one factor.
    pub fn evidence(mut self, ids: usize) -> Self {
        self.evidence = ids;
        self
    }
}

/// One stage move with everything that explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainedMove {
    /// When the event that caused it occurred.
    pub at: Timestamp,
    /// From, to, the customer's event ordinal as the period, and the cause.
    pub transition: Transition,
    /// The row of the transition table that fired
    /// (`customer+experience_outraged`).
    pub rule: String,
    /// How the event became the cause (`nps_response 2 -> outraged experience`).
    pub because: String,
    /// The event that caused the move, then any event it refers to (the
    /// opening of a resolved ticket).
    pub events: Vec<EventId>,
    /// Who recorded the causing event.
    pub source: Source,
}

impl fmt::Display for ExplainedMove {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.events.iter().map(EventId::as_str).collect();
        write!(
            f,
            "{}  {} -> {}  by rule {} on {} ({}) from {}",
            self.at,
            self.transition.from,
            self.transition.to,
            self.rule,
            ids.join(" + "),
            self.because,
            self.source
        )
    }
}

/// Whether a factor speaks for or against the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorSign {
    /// For: it makes the customer more valuable or more loyal.
    Positive,
    /// Against.
    Negative,
}

/// One signed contributing factor, with the events behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// For or against.
    pub sign: FactorSign,
    /// What it is, readable (`two referrals made (bob, cy)`).
    pub text: String,
    /// The events behind it (at most the configured number).
    pub events: Vec<EventId>,
}

impl fmt::Display for Factor {
    /// `+ two referrals made (bob, cy)` or `- unresolved ticket T-9 for 21 days`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.sign {
            FactorSign::Positive => '+',
            FactorSign::Negative => '-',
        };
        write!(f, "{sign} {}", self.text)
    }
}

/// The customer's NPS: their latest answer when they gave one, else the
/// likelihood to recommend modelled from their sentiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsView {
    /// The class of the answer, or of the modelled likelihood.
    pub class: NpsClass,
    /// The latest answer, if any.
    pub answer: Option<LikelihoodToRecommend>,
    /// The event of that answer.
    pub answered_in: Option<EventId>,
    /// The likelihood to recommend modelled from the current sentiment.
    pub modelled: LikelihoodToRecommend,
}

/// Everything the book knows about why a customer is where they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The customer.
    pub customer: CustomerId,
    /// Their stage now.
    pub stage: Stage,
    /// Whether they have bought.
    pub ever_bought: bool,
    /// The instant factors are computed at.
    pub as_of: Option<Timestamp>,
    /// Their events.
    pub events: usize,
    /// Their first and latest event.
    pub seen: Option<[Timestamp; 2]>,
    /// Every move, oldest first.
    pub moves: Vec<ExplainedMove>,
    /// Their NPS.
    pub nps: NpsView,
    /// Signed contributing factors, positives first.
    pub factors: Vec<Factor>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} is {} ({} events{})",
            self.customer,
            self.stage,
            self.events,
            match self.seen {
                Some([a, b]) => format!(", {a} to {b}"),
                None => String::new(),
            }
        )?;
        let class = match self.nps.class {
            NpsClass::Promoter => "promoter",
            NpsClass::Passive => "passive",
            NpsClass::Detractor => "detractor",
        };
        match self.nps.answer {
            Some(a) => writeln!(
                f,
                "NPS: {class}, answered {} in {}",
                a.get(),
                self.nps.answered_in.as_ref().map_or("?", EventId::as_str)
            )?,
            None => writeln!(
                f,
                "NPS: {class} (modelled likelihood {}, never answered)",
                self.nps.modelled.get()
            )?,
        }
        writeln!(f, "moves:")?;
        if self.moves.is_empty() {
            writeln!(f, "  (none: still {})", self.stage)?;
        }
        for m in &self.moves {
            writeln!(f, "  {m}")?;
        }
        writeln!(f, "factors:")?;
        for factor in &self.factors {
            writeln!(f, "  {factor}")?;
        }
        Ok(())
    }
}

/// A count in words up to twelve (`two`), in digits beyond.
fn count(n: usize, one: &str, many: &str) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let noun = if n == 1 { one } else { many };
    match WORDS.get(n) {
        Some(w) => format!("{w} {noun}"),
        None => format!("{n} {noun}"),
    }
}

/// Events gathered for one factor.
#[derive(Default)]
struct Tally {
    events: Vec<u32>,
    money: MoneyTotals,
}

impl Tally {
    fn add(&mut self, n: u32) {
        self.events.push(n);
    }
}

impl CustomerBook {
    /// Explains customer `id`: their stage, every move with the event ids and
    /// the rule behind it, their NPS and their signed contributing factors.
    ///
    /// Built by replaying their events with the same rules that built the
    /// book, so the explanation always ends in the book's stage.
    ///
    /// ```
    /// use social_loop::Stage;
    /// use social_loop::crm::{CustomerBook, Event, EventId, EventKind, ExplainOptions};
    /// let mut book = CustomerBook::new();
    /// let at = |s: &str| s.parse::<social_loop::crm::Timestamp>();
    /// book.apply(&Event::new(EventId::new("e1")?, at("2024-03-01T10:00:00Z")?, "ann", EventKind::Purchase));
    /// book.apply(&Event::new(EventId::new("e2")?, at("2024-03-02T10:00:00Z")?, "ann",
    ///     EventKind::TicketOpened { ticket: "T-9".into() }));
    /// book.apply(&Event::new(EventId::new("e3")?, at("2024-03-23T10:00:00Z")?, "bob", EventKind::Purchase));
    /// let why = book.explain("ann", ExplainOptions::default())?;
    /// assert_eq!(why.moves[0].events[0].as_str(), "e1");
    /// assert_eq!(why.moves[0].rule, "unaware+purchase");
    /// assert!(why.factors.iter().any(|f| f.to_string() == "- unresolved ticket T-9 for 21 days"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    ///
    /// # Complexity
    /// O(k) for a customer with k events, plus the events of the customers
    /// they influence (to find the referrals they made).
    pub fn explain(&self, id: &str, options: ExplainOptions) -> Result<Explanation> {
        let me = self.number(id)?;
        let person = self.person_of(id)?;
        let store = self.store();
        let names = self.names();
        let event_id = |n: u32| EventId::new(store.ids.resolve(n)).ok();
        let ids = |ns: &[u32]| -> Vec<EventId> {
            ns.iter()
                .take(options.evidence)
                .filter_map(|&n| event_id(n))
                .collect()
        };
        let mut moves = Vec::new();
        let mut open: Vec<(u32, u32)> = Vec::new();
        let mut t: BTreeMap<&'static str, Tally> = BTreeMap::new();
        let mut referrer = None;
        let mut answer = None;
        let state = replay(store, &person.events, |n, r, _, made| {
            let mut evidence = vec![n];
            match r.code {
                Code::Purchase => {
                    let e = t.entry("purchase").or_default();
                    e.add(n);
                    if let Some(m) = store.money_of(r) {
                        let _ = e.money.add(m);
                    }
                }
                Code::Refund => {
                    let e = t.entry("refund").or_default();
                    e.add(n);
                    if let Some(m) = store.money_of(r) {
                        let _ = e.money.add(m);
                    }
                }
                Code::Referral => {
                    if referrer.is_none() {
                        referrer = Some((r.counterpart, n));
                    }
                }
                Code::Review | Code::SocialPost | Code::Feedback => {
                    let key = match (r.code, voice_score(r)) {
                        (Code::Feedback, Some(s)) if s > 0.0 => "feedback+",
                        (Code::Feedback, Some(s)) if s < 0.0 => "feedback-",
                        (_, Some(s)) if s > 0.0 => "voice+",
                        (_, Some(s)) if s < 0.0 => "voice-",
                        _ => "voice=",
                    };
                    t.entry(key).or_default().add(n);
                }
                Code::Nps => answer = Some((r.aux, n)),
                Code::TicketOpened => open.push((r.payload, n)),
                Code::TicketResolved => {
                    t.entry("resolved").or_default().add(n);
                    if let Some(i) = open.iter().position(|&(ticket, _)| ticket == r.payload) {
                        evidence.push(open.remove(i).1);
                    }
                }
                Code::Engagement => {
                    let key = if r.aux2 != 0 { "engaged+" } else { "engaged-" };
                    t.entry(key).or_default().add(n);
                }
                Code::Inactivity => t.entry("inactive").or_default().add(n),
                Code::Tie | Code::Other => {}
            }
            if let (Some(m), Some(e)) = (made, effect(r)) {
                let at = Timestamp::from_unix_millis(r.at).unwrap_or(Timestamp::EPOCH);
                let cause = cause_of(&e, r, names);
                moves.push(ExplainedMove {
                    at,
                    because: because(store, r, &cause),
                    transition: Transition {
                        from: m.from,
                        to: m.to,
                        period: m.period,
                        cause,
                    },
                    rule: m.rule().map_or_else(|| "?".to_string(), |rule| rule.name()),
                    events: ids(&evidence),
                    source: source_of(store, r),
                });
            }
        });
        // Referrals this customer made: referral events of the customers
        // they have ties to, naming them as the counterpart.
        let mut brought: Vec<(u32, u32)> = Vec::new();
        if let Ok(influencees) = self.network().influencees(id) {
            for (who, _) in influencees {
                let Ok(other) = self.person_of(who.as_str()) else {
                    continue;
                };
                for &n in &other.events {
                    if let Some(r) = store.record(n)
                        && r.code == Code::Referral
                        && r.counterpart == me
                    {
                        brought.push((n, r.customer));
                    }
                }
            }
        }
        brought.sort_by(|a, b| key_order(store, a.0, b.0));
        let as_of = options.as_of.or(self.latest());
        let mut factors = Vec::new();
        let mut push = |sign, text: String, events: &[u32]| {
            factors.push(Factor {
                sign,
                text,
                events: ids(events),
            })
        };
        use FactorSign::{Negative, Positive};
        if let Some((who, n)) = referrer
            && let Some(name) = names.get(who as usize)
        {
            push(Positive, format!("referred by {name}"), &[n]);
        }
        if !brought.is_empty() {
            let mut whom: Vec<&str> = brought
                .iter()
                .filter_map(|&(_, c)| names.get(c as usize).map(CustomerId::as_str))
                .collect();
            whom.dedup();
            let shown: Vec<&str> = whom.iter().take(5).copied().collect();
            let more = if whom.len() > 5 { ", ..." } else { "" };
            let events: Vec<u32> = brought.iter().map(|&(n, _)| n).collect();
            push(
                Positive,
                format!(
                    "{} made ({}{more})",
                    count(brought.len(), "referral", "referrals"),
                    shown.join(", ")
                ),
                &events,
            );
        }
        let money = |tally: &Tally| {
            if tally.money.is_empty() {
                String::new()
            } else {
                format!(" ({})", tally.money)
            }
        };
        let rows: [(&str, FactorSign, &str, &str); 10] = [
            ("purchase", Positive, "purchase", "purchases"),
            (
                "voice+",
                Positive,
                "positive review or post",
                "positive reviews or posts",
            ),
            (
                "feedback+",
                Positive,
                "positive product feedback",
                "positive product feedbacks",
            ),
            ("resolved", Positive, "ticket resolved", "tickets resolved"),
            (
                "engaged+",
                Positive,
                "relevant engagement",
                "relevant engagements",
            ),
            ("refund", Negative, "refund", "refunds"),
            (
                "voice-",
                Negative,
                "negative review or post",
                "negative reviews or posts",
            ),
            (
                "feedback-",
                Negative,
                "negative product feedback",
                "negative product feedbacks",
            ),
            (
                "engaged-",
                Negative,
                "irrelevant engagement",
                "irrelevant engagements",
            ),
            (
                "inactive",
                Negative,
                "inactivity report",
                "inactivity reports",
            ),
        ];
        for (key, sign, one, many) in rows {
            if let Some(tally) = t.get(key) {
                let text = format!("{}{}", count(tally.events.len(), one, many), money(tally));
                push(sign, text, &tally.events);
            }
        }
        if let Some((score, n)) = answer {
            let class = LikelihoodToRecommend::new(score).map(LikelihoodToRecommend::class);
            match class {
                Ok(NpsClass::Promoter) => {
                    push(Positive, format!("NPS answer {score} (promoter)"), &[n])
                }
                Ok(NpsClass::Detractor) => {
                    push(Negative, format!("NPS answer {score} (detractor)"), &[n])
                }
                _ => {}
            }
        }
        for &(ticket, n) in &open {
            let opened = store.record(n).map_or(0, |r| r.at);
            let days = as_of.map_or(0, |now| {
                now.unix_millis().saturating_sub(opened) / 86_400_000
            });
            let name = store.string(ticket).unwrap_or("?");
            push(
                Negative,
                format!("unresolved ticket {name} for {days} days"),
                &[n],
            );
        }
        let seen = match (person.events.first(), person.events.last()) {
            (Some(&a), Some(&b)) => store.record(a).zip(store.record(b)).and_then(|(a, b)| {
                Some([
                    Timestamp::from_unix_millis(a.at).ok()?,
                    Timestamp::from_unix_millis(b.at).ok()?,
                ])
            }),
            _ => None,
        };
        if let (Some([_, last]), Some(now)) = (seen, as_of) {
            let silent = now.days_since(last);
            if silent >= i64::from(options.quiet_days) {
                let n = person.events.last().copied().unwrap_or(NONE);
                push(Negative, format!("no contact for {silent} days"), &[n]);
            }
        }
        let reach = self.network().out_degree(id).unwrap_or(0);
        if reach > 0 {
            push(
                Positive,
                format!("influences {}", count(reach, "customer", "customers")),
                &[],
            );
        }
        factors.sort_by_key(|f| f.sign == Negative);
        let nps = NpsView {
            class: answer
                .and_then(|(a, _)| LikelihoodToRecommend::new(a).ok())
                .map_or(state.nps_class(), LikelihoodToRecommend::class),
            answer: answer.and_then(|(a, _)| LikelihoodToRecommend::new(a).ok()),
            answered_in: answer.and_then(|(_, n)| event_id(n)),
            modelled: state.likelihood_to_recommend(),
        };
        if state.stage() != person.state.stage() {
            return Err(Error::invalid(
                "book",
                format!("replay of `{id}` disagrees with the book (a bug)"),
            ));
        }
        Ok(Explanation {
            customer: CustomerId::new(id),
            stage: state.stage(),
            ever_bought: state.ever_bought(),
            as_of,
            events: person.events.len(),
            seen,
            moves,
            nps,
            factors,
        })
    }
}

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

fn source_of(store: &Store, r: &Stored) -> Source {
    let mut s = Source::new(store.strings.resolve(r.system));
    s.actor = store.string(r.actor).map(str::to_string);
    s
}

/// The full cause of an effect, for the audit trail.
fn cause_of(e: &Effect, r: &Stored, names: &[CustomerId]) -> Cause {
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
fn because(store: &Store, r: &Stored, cause: &Cause) -> String {
    let kind = match r.code {
        Code::Purchase => "purchase".to_string(),
        Code::Refund => "refund".to_string(),
        Code::Referral => "referral".to_string(),
        Code::Review => match (r.sentiment(), r.aux) {
            (Some(s), _) => format!("review, {} {:.2}", s.polarity.name(), s.confidence.get()),
            (None, stars @ 1..) => format!("review, {stars} stars"),
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
                .map_or_else(String::new, |k| format!(" {k:?}"));
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
        Code::Inactivity => format!("inactivity {} days", r.payload),
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
