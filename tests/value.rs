//! The value ledger: exact totals, overflow without damage, returns, merge, serde.

use proptest::prelude::*;
use social_loop::value::{Actor, Entry, Ledger, Retention, Totals, ValueKind};
use social_loop::{Decimal, Error};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A valid entry: the amount's sign follows the kind.
fn any_entry() -> impl Strategy<Value = Entry> {
    (
        prop::sample::select(ValueKind::ALL.to_vec()),
        0..6u32,
        any::<i64>(),
        0..6u32,
        prop::option::of(0..4u8),
    )
        .prop_map(|(kind, period, mantissa, scale, who)| {
            let magnitude = Decimal::new(mantissa, scale).abs();
            let amount = if kind.is_cost() {
                -magnitude
            } else {
                magnitude
            };
            let entry = Entry::new(period, kind, amount);
            match who {
                Some(w) => entry.for_customer(format!("c{w}")),
                None => entry,
            }
        })
}

/// Sums by plain folding, independently of the ledger.
fn sum(entries: &[Entry], keep: impl Fn(&Entry) -> bool) -> Decimal {
    entries
        .iter()
        .filter(|e| keep(e))
        .fold(Decimal::ZERO, |acc, e| acc.checked_add(e.amount).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn totals_equal_the_sum_of_the_entries_exactly(
        entries in prop::collection::vec(any_entry(), 0..80),
        split in 0usize..80,
    ) {
        let mut ledger = Ledger::new();
        let mut lean = Ledger::totals_only();
        for e in &entries {
            ledger.record(e.clone()).unwrap();
            lean.record(e.clone()).unwrap();
        }
        prop_assert_eq!(ledger.entries(), &entries[..]);
        prop_assert_eq!(ledger.entry_count(), entries.len() as u64);
        prop_assert!(lean.entries().is_empty());
        prop_assert_eq!(ledger.totals(), lean.totals());
        prop_assert_eq!(ledger.totals().net(), sum(&entries, |_| true));
        for kind in ValueKind::ALL {
            prop_assert_eq!(ledger.total_of(kind), sum(&entries, |e| e.kind == kind));
        }
        for actor in Actor::ALL {
            prop_assert_eq!(ledger.total_for(actor), sum(&entries, |e| e.actor() == actor));
        }
        for period in 0..6 {
            let t = ledger.period(period);
            prop_assert_eq!(t.net(), sum(&entries, |e| e.period == period));
            for kind in ValueKind::ALL {
                prop_assert_eq!(t.of(kind), sum(&entries, |e| e.period == period && e.kind == kind));
            }
            for actor in Actor::ALL {
                prop_assert_eq!(
                    t.for_actor(actor),
                    sum(&entries, |e| e.period == period && e.actor() == actor)
                );
            }
        }

        // Two halves merged give the same ledger as one pass.
        let split = split.min(entries.len());
        let mut left = Ledger::new();
        let mut right = Ledger::new();
        for e in &entries[..split] {
            left.record(e.clone()).unwrap();
        }
        for e in &entries[split..] {
            right.record(e.clone()).unwrap();
        }
        left.merge(right).unwrap();
        prop_assert_eq!(&left, &ledger);

        // Serde keeps everything.
        for l in [&ledger, &lean] {
            let json = serde_json::to_string(l).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Ledger>(&json).unwrap(), l);
        }
    }
}

#[test]
fn overflow_is_an_error_and_leaves_the_ledger_unchanged() {
    let mut ledger = Ledger::new();
    ledger
        .record(Entry::new(0, ValueKind::CostOfSales, Decimal::MIN))
        .unwrap();
    let before = ledger.clone();
    let err = ledger
        .record(Entry::new(1, ValueKind::CostOfSales, -Decimal::ONE))
        .unwrap_err();
    assert!(matches!(err, Error::Overflow { ref context } if context.contains("cost_of_sales")));
    assert_eq!(ledger, before);

    // Another kind of the same account overflows the account's total, not the
    // kind's.
    let err = ledger
        .record(Entry::new(0, ValueKind::Refund, -Decimal::ONE))
        .unwrap_err();
    assert!(matches!(err, Error::Overflow { ref context } if context.contains("actor customer")));
    assert_eq!(ledger, before);

    // Another account overflows the net total.
    let err = ledger
        .record(Entry::new(0, ValueKind::EngagementCost, -Decimal::ONE))
        .unwrap_err();
    assert!(matches!(err, Error::Overflow { ref context } if context.contains("net")));
    assert_eq!(ledger, before);

    // A receipt still fits.
    ledger
        .record(Entry::new(0, ValueKind::Sale, Decimal::ONE))
        .unwrap();
    assert_eq!(ledger.totals().net(), Decimal::MIN + Decimal::ONE);

    // Merging two full ledgers overflows without damage.
    let mut full = before.clone();
    let err = full.merge(before.clone()).unwrap_err();
    assert!(matches!(err, Error::Overflow { .. }));
    assert_eq!(full, before);
}

#[test]
fn a_sum_that_would_lose_digits_is_refused() {
    // 10^28 + 0.1 cannot be held in 96 bits: Decimal would round it silently.
    let mut ledger = Ledger::new();
    let big = Decimal::from_i128_with_scale(10i128.pow(28), 0);
    ledger.record(Entry::new(0, ValueKind::Sale, big)).unwrap();
    let before = ledger.clone();
    let err = ledger
        .record(Entry::new(0, ValueKind::Sale, dec("0.1")))
        .unwrap_err();
    assert!(matches!(err, Error::Overflow { ref context } if context.contains("digits")));
    assert_eq!(ledger, before);
}

#[test]
fn an_amount_of_the_wrong_sign_is_refused() {
    let mut ledger = Ledger::new();
    for bad in [
        Entry::new(2, ValueKind::EngagementCost, dec("10")),
        Entry::new(2, ValueKind::Sale, dec("-10")),
    ] {
        let err = ledger.record(bad).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { ref field, ref reason }
                if field == "entry.amount" && reason.contains("period 2")),
            "{err:?}"
        );
    }
    assert_eq!(ledger, Ledger::new());
    assert!(matches!(
        Entry::cost(0, ValueKind::ChangeCost, dec("-1")),
        Err(Error::InvalidParameter { ref field, .. }) if field == "entry.amount"
    ));
    assert!(matches!(
        Entry::cost(0, ValueKind::Sale, dec("1")),
        Err(Error::InvalidParameter { ref field, .. }) if field == "entry.kind"
    ));
}

#[test]
fn totals_by_account_and_period() {
    let mut ledger = Ledger::new();
    for entry in [
        Entry::cost(1, ValueKind::EngagementCost, dec("120.00")).unwrap(),
        Entry::cost(2, ValueKind::EngagementCost, dec("80.00")).unwrap(),
        Entry::cost(2, ValueKind::ReferralReward, dec("5")).unwrap(),
        Entry::cost(3, ValueKind::AgencyFee, dec("700")).unwrap(),
        Entry::cost(1, ValueKind::ChangeCost, dec("3000")).unwrap(),
        Entry::new(4, ValueKind::Sale, dec("99.99")).for_customer("ann"),
        Entry::cost(4, ValueKind::CostOfSales, dec("40")).unwrap(),
    ] {
        ledger.record(entry).unwrap();
    }
    assert_eq!(ledger.total_for(Actor::Brand), dec("-905"));
    assert_eq!(ledger.total_for(Actor::Business), dec("-3000"));
    assert_eq!(ledger.total_for(Actor::Customer), dec("59.99"));
    assert_eq!(ledger.totals().net(), dec("-3845.01"));
    assert_eq!(ledger.period(2).for_actor(Actor::Brand), dec("-85.00"));
    assert_eq!(ledger.period(9), Totals::default());
    let periods: Vec<u32> = ledger.periods().map(|(p, _)| p).collect();
    assert_eq!(periods, [1, 2, 3, 4]);
}

#[test]
fn serde_writes_amounts_as_strings_and_checks_totals() {
    let mut ledger = Ledger::new();
    ledger
        .record(Entry::new(1, ValueKind::Sale, dec("19.90")).for_customer("bob"))
        .unwrap();
    ledger
        .record(Entry::cost(1, ValueKind::EngagementCost, dec("5.25")).unwrap())
        .unwrap();
    let json = serde_json::to_string(&ledger).unwrap();
    assert!(json.contains(r#""amount":"19.90""#), "{json}");
    assert!(json.contains(r#""amount":"-5.25""#), "{json}");
    let back: Ledger = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ledger);
    assert_eq!(back.entries()[0].customer.as_ref().unwrap().as_str(), "bob");

    // Totals that are not the sum of the entries are refused.
    let tampered = json.replacen(r#""net":"14.65""#, r#""net":"15.65""#, 1);
    assert_ne!(tampered, json);
    assert!(serde_json::from_str::<Ledger>(&tampered).is_err());

    // A totals-only ledger keeps its totals across serde.
    let mut lean = Ledger::with_retention(Retention::TotalsOnly);
    lean.merge(ledger.clone()).unwrap();
    assert_eq!(lean.retention(), Retention::TotalsOnly);
    assert_eq!(lean.totals(), ledger.totals());
    assert_eq!(lean.entry_count(), 2);
    let json = serde_json::to_string(&lean).unwrap();
    assert!(!json.contains("entries"));
    assert_eq!(serde_json::from_str::<Ledger>(&json).unwrap(), lean);
}
