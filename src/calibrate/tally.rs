//! One pass over a book's audit trails: every customer's events replayed with
//! the book's rules, counted by period into the tries and successes that the
//! binomial likelihoods of [`super::Calibration`] need.

use rayon::prelude::*;

use crate::brand::EngagementKind;
use crate::crm::{Code, CustomerBook, NONE, Stored, effect};
use crate::customer::{CustomerState, RULE_COUNT, RuleId, Stage, Trigger, Valence};
use crate::sim::{INITIAL_STATE, UNMOVED};

/// Tries and successes of one binomial count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Count {
    pub(crate) tries: u64,
    pub(crate) hits: u64,
}

impl Count {
    fn add(&mut self, hit: bool) {
        self.tries += 1;
        self.hits += u64::from(hit);
    }

    fn add_many(&mut self, tries: u64) {
        self.tries += tries;
    }

    fn merge(&mut self, o: Count) {
        self.tries += o.tries;
        self.hits += o.hits;
    }
}

/// Everything counted from a book.
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    /// Per row of the table: causes that met it (tries), and moved (hits).
    pub(crate) rules: [Count; RULE_COUNT],
    /// Customer-periods as customer or advocate at the purchase step; hits:
    /// purchases.
    pub(crate) repeat: Count,
    /// Prospect-periods without praise; hits: purchases.
    pub(crate) conversion: Count,
    /// Unaware customer-periods; hits: exposures.
    pub(crate) exposure: Count,
    /// Customers known at the chosen date, by stage.
    pub(crate) stages: [u64; 7],
    /// Purchase amounts (in the first currency met), as f64 sums.
    pub(crate) spend: (u64, f64, f64),
    /// Causes recorded without their move (`unmoved` events).
    pub(crate) unmoved: u64,
    /// The periods each customer could speak (advocate or adversary at the
    /// period's start).
    pub(crate) spells: Vec<Spell>,
    /// Every word-of-mouth contact with who told it.
    pub(crate) contacts: Vec<Contact>,
}

/// A customer with a voice from period `from` to `to` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spell {
    pub(crate) customer: u32,
    pub(crate) negative: bool,
    pub(crate) from: i64,
    pub(crate) to: i64,
}

/// Word of mouth that reached `customer` in `period`, credited to `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Contact {
    pub(crate) period: i64,
    pub(crate) customer: u32,
    pub(crate) from: u32,
    pub(crate) negative: bool,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            rules: [Count::default(); RULE_COUNT],
            repeat: Count::default(),
            conversion: Count::default(),
            exposure: Count::default(),
            stages: [0; 7],
            spend: (0, 0.0, 0.0),
            unmoved: 0,
            spells: Vec::new(),
            contacts: Vec::new(),
        }
    }
}

impl Tally {
    fn merge(mut self, o: Tally) -> Tally {
        for (a, b) in self.rules.iter_mut().zip(o.rules) {
            a.merge(b);
        }
        self.repeat.merge(o.repeat);
        self.conversion.merge(o.conversion);
        self.exposure.merge(o.exposure);
        for (a, b) in self.stages.iter_mut().zip(o.stages) {
            *a += b;
        }
        self.spend.0 += o.spend.0;
        self.spend.1 += o.spend.1;
        self.spend.2 += o.spend.2;
        self.unmoved += o.unmoved;
        self.spells.extend(o.spells);
        self.contacts.extend(o.contacts);
        self
    }
}

/// The time grid: the book's first event opens period 0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    pub(crate) origin: i64,
    pub(crate) length: i64,
    /// Periods observed (the last one censored at the book's last event).
    pub(crate) periods: i64,
    /// Stages are read at the end of this instant (inclusive).
    pub(crate) at: i64,
    /// The currency whose amounts make the spend.
    pub(crate) currency: Option<crate::crm::Currency>,
}

impl Grid {
    fn period_of(&self, at: i64) -> i64 {
        (at - self.origin).div_euclid(self.length).max(0)
    }
}

/// What one event is to the calibration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seen {
    /// Sets the starting state: replayed, not counted.
    Initial(Option<Trigger>),
    /// A cause of the table (moved when its row fires in the book).
    Cause(Trigger),
    /// A cause drawn without its move.
    Unmoved(Trigger),
    /// Nothing the table reads.
    Nothing,
}

fn classify(book: &CustomerBook, r: &Stored) -> Seen {
    let store = book.store();
    let initial = store.string(r.actor) == Some(INITIAL_STATE);
    if r.code == Code::Other {
        let unmoved = store
            .others
            .get(r.payload as usize)
            .filter(|(name, _)| store.strings.resolve(*name) == UNMOVED)
            .and_then(|(_, fields)| fields.get("cause").and_then(|v| v.as_str()))
            .and_then(|name| Trigger::ALL.iter().copied().find(|t| t.name() == name));
        return match unmoved {
            Some(t) if !initial => Seen::Unmoved(t),
            _ if initial => Seen::Initial(None),
            _ => Seen::Nothing,
        };
    }
    let trigger = effect(r).map(|e| e.trigger);
    match (initial, trigger) {
        (true, t) => Seen::Initial(t),
        (false, Some(t)) => Seen::Cause(t),
        (false, None) => Seen::Nothing,
    }
}

fn is_praise(seen: Seen) -> bool {
    matches!(
        seen,
        Seen::Cause(Trigger::WordOfMouth(Valence::Positive))
            | Seen::Unmoved(Trigger::WordOfMouth(Valence::Positive))
    )
}

fn is_purchase(seen: Seen) -> bool {
    matches!(
        seen,
        Seen::Cause(Trigger::Purchase) | Seen::Unmoved(Trigger::Purchase)
    )
}

fn is_exposure(seen: Seen) -> bool {
    matches!(
        seen,
        Seen::Cause(Trigger::Exposure) | Seen::Unmoved(Trigger::Exposure)
    )
}

fn is_drift(seen: Seen) -> bool {
    matches!(
        seen,
        Seen::Cause(Trigger::NoContact) | Seen::Unmoved(Trigger::NoContact)
    )
}

/// Counts the periods `stage` was held without events.
fn quiet(t: &mut Tally, stage: Stage, periods: i64) {
    let n = periods.max(0) as u64;
    match stage {
        Stage::Customer | Stage::Advocate => t.repeat.add_many(n),
        Stage::Prospect => t.conversion.add_many(n),
        Stage::Unaware => t.exposure.add_many(n),
        _ => {}
    }
}

/// The customer numbered `c` holds `stage` from period `from` on: closes
/// the open spell with a voice when the voice changes, opens one for an
/// advocate or an adversary.
fn speaks(t: &mut Tally, c: usize, open: &mut Option<(bool, i64)>, stage: Stage, from: i64) {
    let voice = match stage.voice() {
        0 => None,
        v => Some(v < 0),
    };
    if open.map(|(negative, _)| negative) == voice {
        return;
    }
    if let Some((negative, start)) = open.take()
        && from > start
    {
        t.spells.push(Spell {
            customer: c as u32,
            negative,
            from: start,
            to: from,
        });
    }
    *open = voice.map(|negative| (negative, from));
}

/// Counts the customer numbered `c`.
fn customer(book: &CustomerBook, c: usize, grid: &Grid, t: &mut Tally) {
    let Some(person) = book.people().get(c) else {
        return;
    };
    let store = book.store();
    let records: Vec<(Stored, Seen)> = person
        .events
        .iter()
        .filter_map(|&n| store.record(n).copied())
        .map(|r| (r, classify(book, &r)))
        .filter(|(_, seen)| *seen != Seen::Nothing)
        .collect();
    let mut state = CustomerState::default();
    let mut known_at_date = false;
    let mut stage_at_date = Stage::Unaware;
    // The first period the customer is counted in: after their starting state.
    let mut next_period: Option<i64> = None;
    // The open spell with a voice: (negative, from period).
    let mut voice: Option<(bool, i64)> = None;
    let mut i = 0;
    while let Some(&(first, _)) = records.get(i) {
        let period = grid.period_of(first.at);
        // The events of this period.
        let mut end = i;
        while records
            .get(end)
            .is_some_and(|(r, _)| grid.period_of(r.at) == period)
        {
            end += 1;
        }
        let events = records.get(i..end).unwrap_or(&[]);
        i = end;
        if let Some(from) = next_period {
            quiet(t, state.stage(), period - from);
        }
        // The starting state first: replayed, not counted.
        let lead = events
            .iter()
            .take_while(|(_, s)| matches!(s, Seen::Initial(_)))
            .count();
        for &(r, seen) in events.get(..lead).unwrap_or(&[]) {
            if let Seen::Initial(Some(trigger)) = seen {
                state.apply_trigger(trigger, 0, |_| true);
            }
            if r.at <= grid.at {
                known_at_date = true;
                stage_at_date = state.stage();
            }
        }
        let events = events.get(lead..).unwrap_or(&[]);
        if lead > 0 {
            speaks(t, c, &mut voice, state.stage(), period);
        }
        if events.is_empty() {
            next_period = Some(period);
            continue;
        }
        let start_stage = state.stage();
        let praised = events.iter().any(|&(_, s)| is_praise(s));
        // A discount that landed makes buying more likely: not a try of the
        // own rates.
        let discounted = events.iter().any(|(r, seen)| match seen {
            Seen::Unmoved(Trigger::Engagement { relevant: true }) => store
                .others
                .get(r.payload as usize)
                .and_then(|(_, fields)| fields.get("engagement_kind"))
                .is_some_and(|k| k == "discount"),
            _ => {
                r.code == Code::Engagement
                    && r.aux2 != 0
                    && r.engagement_kind() == Some(EngagementKind::Discount)
            }
        });
        let exposed = events.iter().any(|&(_, s)| is_exposure(s));
        let mut purchase_stage = None;
        let mut bought = false;
        for &(r, seen) in events {
            if is_purchase(seen) && purchase_stage.is_none() {
                purchase_stage = Some(state.stage());
                bought = true;
            }
            if is_drift(seen) && purchase_stage.is_none() {
                purchase_stage = Some(state.stage());
            }
            if let Seen::Cause(Trigger::WordOfMouth(v)) | Seen::Unmoved(Trigger::WordOfMouth(v)) =
                seen
                && r.counterpart != NONE
            {
                t.contacts.push(Contact {
                    period,
                    customer: c as u32,
                    from: r.counterpart,
                    negative: v == Valence::Negative,
                });
            }
            match seen {
                Seen::Initial(Some(trigger)) => {
                    state.apply_trigger(trigger, 0, |_| true);
                }
                Seen::Cause(trigger) => {
                    let bought_now = state.ever_bought() || trigger == Trigger::Purchase;
                    let rule = RuleId::find(state.stage(), trigger, bought_now);
                    let moved = state.apply_trigger(trigger, 0, |_| true).is_some();
                    if let Some(count) = rule.and_then(|r| t.rules.get_mut(r.index())) {
                        count.add(moved);
                    }
                }
                Seen::Unmoved(trigger) => {
                    t.unmoved += 1;
                    let bought_now = state.ever_bought() || trigger == Trigger::Purchase;
                    if let Some(count) = RuleId::find(state.stage(), trigger, bought_now)
                        .and_then(|r| t.rules.get_mut(r.index()))
                    {
                        count.add(false);
                    }
                }
                Seen::Initial(None) | Seen::Nothing => {}
            }
            // The list price: sales in periods without a discount.
            if r.code == Code::Purchase
                && !discounted
                && let Some(m) = store.money_of(&r)
                && Some(m.currency) == grid.currency
            {
                let x = f64::try_from(m.amount).unwrap_or(0.0);
                t.spend.0 += 1;
                t.spend.1 += x;
                t.spend.2 += x * x;
            }
            if r.at <= grid.at {
                known_at_date = true;
                stage_at_date = state.stage();
            }
        }
        if start_stage == Stage::Unaware {
            t.exposure.add(exposed);
        }
        match purchase_stage.unwrap_or(state.stage()) {
            _ if discounted => {}
            Stage::Customer | Stage::Advocate => t.repeat.add(bought),
            Stage::Prospect if !praised => t.conversion.add(bought),
            _ => {}
        }
        next_period = Some(period + 1);
        speaks(t, c, &mut voice, state.stage(), period + 1);
    }
    if let Some(from) = next_period {
        quiet(t, state.stage(), grid.periods - from);
    }
    speaks(t, c, &mut voice, Stage::Unaware, grid.periods);
    if known_at_date && let Some(s) = t.stages.get_mut(stage_at_date.index()) {
        *s += 1;
    }
}

/// Counts every customer of `book` on the grid, in parallel.
///
/// # Complexity
/// O(events + customers x periods without events, grouped), parallel over
/// customers.
pub(crate) fn count(book: &CustomerBook, grid: &Grid) -> Tally {
    (0..book.people().len())
        .into_par_iter()
        .fold(Tally::default, |mut t, c| {
            customer(book, c, grid, &mut t);
            t
        })
        .reduce(Tally::default, Tally::merge)
}
