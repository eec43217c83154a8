//! [`CustomerBook::explain`]: a replay of the customer's events that records
//! every move and gathers the factors.

use std::collections::BTreeMap;

use super::describe::{because, cause_of, key_order, source_of};
use super::{ExplainOptions, ExplainedMove, Explanation, Factor, FactorSign, NpsView};
use crate::crm::book::{Code, NONE, effect, replay, voice_score};
use crate::crm::{CustomerBook, EventId, MoneyTotals, Timestamp};
use crate::customer::{CustomerId, LikelihoodToRecommend, NpsClass, Stage, Transition};
use crate::error::{Error, Result};

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

/// `1 day`, `21 days`.
pub(super) fn days_text(days: i64) -> String {
    if days == 1 {
        "1 day".to_string()
    } else {
        format!("{days} days")
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
    /// use social_loop::crm::{CustomerBook, Event, EventId, EventKind, ExplainOptions};
    /// let mut book = CustomerBook::new();
    /// let at = |s: &str| s.parse::<social_loop::crm::Timestamp>();
    /// book.apply(&Event::new(EventId::new("e1")?, at("2024-03-01T10:00:00Z")?, "ann", EventKind::Purchase));
    /// book.apply(&Event::new(EventId::new("e2")?, at("2024-03-02T10:00:00Z")?, "ann",
    ///     EventKind::TicketOpened { ticket: "T-9".into() }));
    /// book.apply(&Event::new(EventId::new("e3")?, at("2024-03-23T10:00:00Z")?, "bob", EventKind::Purchase));
    /// let why = book.explain("ann", ExplainOptions::default())?;
    /// assert_eq!(why.moves[0].events[0].as_str(), "e1");
    /// assert_eq!(why.moves[0].rule.name(), "unaware+purchase");
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
        let as_of = options
            .as_of
            .or(self.options().now_given())
            .or(self.latest());
        // Only what had happened by `as_of` (events are in time order).
        let cutoff = as_of.map_or(i64::MAX, Timestamp::unix_millis);
        let happened = |n: u32| store.record(n).is_some_and(|r| r.at <= cutoff);
        let events = person
            .events
            .get(..person.events.partition_point(|&n| happened(n)))
            .unwrap_or_default();
        let names = self.names();
        let event_id = |n: u32| EventId::new(store.ids.resolve(n)).ok();
        let ids = |ns: &[u32]| -> Vec<EventId> {
            ns.iter()
                .take(options.evidence)
                .filter_map(|&n| event_id(n))
                .collect()
        };
        let mut moves = Vec::new();
        // The events that made a move, oldest first: the last is decisive.
        let mut moved_by: Vec<u32> = Vec::new();
        let mut open: Vec<(u32, u32)> = Vec::new();
        let mut t: BTreeMap<&'static str, Tally> = BTreeMap::new();
        let mut referrer = None;
        let mut answer = None;
        let state = replay(store, events, |n, r, _, made| {
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
                Code::Tie | Code::Other | Code::Criticism => {}
            }
            if let (Some(m), Some(e)) = (made, effect(r))
                && let Some(rule) = m.rule()
            {
                moved_by.push(n);
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
                    rule,
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
                        && r.at <= cutoff
                    {
                        brought.push((n, r.customer));
                    }
                }
            }
        }
        brought.sort_by(|a, b| key_order(store, a.0, b.0));
        let mut factors = Vec::new();
        let decisive = moved_by.last().copied();
        let mut push = |sign, text: String, events: &[u32]| {
            factors.push(Factor {
                sign,
                text,
                events: ids(events),
                moves: events.iter().filter(|n| moved_by.contains(n)).count(),
                decisive: decisive.is_some_and(|d| events.contains(&d)),
            })
        };
        use FactorSign::{Negative, Positive};
        if let Some((who, n)) = referrer
            && let Some(name) = names.get(who as usize)
        {
            push(Positive, format!("referred by {name}"), &[n]);
        }
        if !brought.is_empty() {
            // Each person once, in order of their first referral.
            let mut whom: Vec<&str> = Vec::new();
            for name in brought
                .iter()
                .filter_map(|&(_, c)| names.get(c as usize).map(CustomerId::as_str))
            {
                if !whom.contains(&name) {
                    whom.push(name);
                }
            }
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
            // Opened by `as_of` (later events are not replayed), so never negative.
            let days = as_of.map_or(0, |now| {
                now.unix_millis().saturating_sub(opened).max(0) / 86_400_000
            });
            let name = store.string(ticket).unwrap_or("?");
            push(
                Negative,
                format!("unresolved ticket {name} for {}", days_text(days)),
                &[n],
            );
        }
        let seen = match (events.first(), events.last()) {
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
                let n = events.last().copied().unwrap_or(NONE);
                push(
                    Negative,
                    format!("no contact for {}", days_text(silent)),
                    &[n],
                );
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
        // The decisive factor first, then those that pull toward the current
        // stage, each group by the moves its events made (stable: ties keep
        // the order above).
        let toward = match state.stage() {
            Stage::Adversary | Stage::Lapsed => Negative,
            _ => Positive,
        };
        factors.sort_by_key(|f| (!f.decisive, f.sign != toward, std::cmp::Reverse(f.moves)));
        let nps = NpsView {
            class: answer
                .and_then(|(a, _)| LikelihoodToRecommend::new(a).ok())
                .map_or(state.nps_class(), LikelihoodToRecommend::class),
            answer: answer.and_then(|(a, _)| LikelihoodToRecommend::new(a).ok()),
            answered_in: answer.and_then(|(_, n)| event_id(n)),
            modelled: state.likelihood_to_recommend(),
        };
        if events.len() == person.events.len() && state.stage() != person.state.stage() {
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
            events: events.len(),
            seen,
            moves,
            nps,
            factors,
            engagement: Vec::new(),
        })
    }
}
