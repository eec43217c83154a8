//! Money per currency and referral chains.

use super::*;

// ------------------------------------------------------------------ money ---

#[test]
fn money_stays_per_currency_and_mixing_needs_a_rate() {
    let events = [
        ev("p1", 0, "ann", EventKind::Purchase).money(money(1_999, eur())),
        ev("p2", 0, "bob", EventKind::Purchase).money(money(1, eur())),
        ev("p3", 1, "ann", EventKind::Purchase).money(money(500, usd())),
        ev("f1", 2, "ann", EventKind::Refund).money(money(999, eur())),
    ];
    let book = book_of(&events);
    let revenue = book.revenue().unwrap();
    assert_eq!(revenue.purchases.get(eur()), Decimal::new(2_000, 2));
    assert_eq!(revenue.net.get(eur()), Decimal::new(1_001, 2));
    assert_eq!(revenue.net.get(usd()), Decimal::new(500, 2));
    assert_eq!(
        revenue.net.single(),
        Err(Error::CurrencyMismatch {
            left: "EUR".into(),
            right: "USD".into()
        })
    );
    assert!(matches!(
        revenue.net.convert(eur(), &ExchangeRates::new()),
        Err(Error::CurrencyMismatch { .. })
    ));
    let rates = ExchangeRates::new()
        .with(usd(), eur(), Decimal::new(92, 2))
        .unwrap();
    assert_eq!(
        revenue.net.convert(eur(), &rates).unwrap(),
        Money::new(Decimal::new(146_100, 4), eur())
    );
    assert_eq!(
        book.revenue_of("bob").unwrap().purchases,
        MoneyTotals::from_iter_checked([money(1, eur())])
    );
}

/// `MoneyTotals` from amounts, for the assertions above.
trait FromAmounts: Sized {
    fn from_iter_checked(amounts: impl IntoIterator<Item = Money>) -> Self;
}

impl FromAmounts for MoneyTotals {
    fn from_iter_checked(amounts: impl IntoIterator<Item = Money>) -> Self {
        let mut t = MoneyTotals::new();
        for m in amounts {
            t.add(m).unwrap();
        }
        t
    }
}

#[test]
fn referral_chains_are_credited_exactly() {
    // ann -> bob -> cy -> dee, and eve referred by dee; dee also "refers" ann
    // later, which would close a cycle.
    let events = [
        ev("r1", 0, "bob", EventKind::Referral).counterpart("ann"),
        ev("r2", 1, "cy", EventKind::Referral).counterpart("bob"),
        ev("r3", 2, "dee", EventKind::Referral).counterpart("cy"),
        ev("r4", 3, "eve", EventKind::Referral).counterpart("dee"),
        ev("r5", 4, "ann", EventKind::Referral).counterpart("dee"),
        ev("r6", 5, "cy", EventKind::Referral).counterpart("eve"), // not cy's first
        ev("p0", -1, "bob", EventKind::Purchase).money(money(99_999, eur())), // before his referral
        ev("p1", 6, "bob", EventKind::Purchase).money(money(1_000, eur())),
        ev("p2", 6, "cy", EventKind::Purchase).money(money(2_001, eur())),
        ev("p3", 7, "dee", EventKind::Purchase).money(money(333, usd())),
        ev("p4", 7, "eve", EventKind::Purchase).money(money(10_000, eur())),
        ev("f4", 8, "eve", EventKind::Refund).money(money(2_500, eur())),
    ];
    let a = book_of(&events).referral_attribution().unwrap();
    let ids: Vec<&str> = a.cycles_broken.iter().map(EventId::as_str).collect();
    assert_eq!(ids, ["r5"]);
    let credit = |who: &str| {
        a.credits
            .iter()
            .find(|c| c.referrer.as_str() == who)
            .unwrap()
    };
    let ann = credit("ann");
    assert_eq!(ann.chain_customers, 4);
    assert_eq!(ann.direct_revenue.get(eur()), Decimal::new(1_000, 2));
    assert_eq!(ann.chain_revenue.get(eur()), Decimal::new(10_501, 2));
    assert_eq!(ann.chain_revenue.get(usd()), Decimal::new(333, 2));
    let dee = credit("dee");
    assert_eq!(
        dee.referred.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["eve"]
    );
    assert_eq!(dee.direct_revenue.get(eur()), Decimal::new(7_500, 2));
    assert_eq!(a.credits[0].referrer.as_str(), "ann");
    // Direct revenues add up to the value of word of mouth.
    let mut sum = MoneyTotals::new();
    for c in &a.credits {
        sum.merge(&c.direct_revenue).unwrap();
    }
    assert_eq!(sum, a.referred_revenue);
    assert_eq!(a.referred_revenue.get(eur()), Decimal::new(10_501, 2));
}
