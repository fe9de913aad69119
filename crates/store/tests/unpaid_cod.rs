//! "Cash on delivery unpaid after N days" (issue 17): the Orders filter and its count list a COD
//! order fulfilled at or before the cut-off, not paid, not cancelled and not collected, invoiced
//! or not; the boundary is inclusive to the nanosecond, and the filter, the count and the
//! engine's `unpaid_cash_on_delivery` agree. An order the first import filed as handled before
//! Punte was connected is listed only in its own era, never in Punte's.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{at, change, order};
use punte_core::order::{OrderId, OrderState};
use punte_store::{
    CodEra, CollectionSource, CollectionState, HANDLED_BEFORE_CONNECTION, OrderQuery, PaymentFacts,
    StatusFilter, Store,
};

fn facts(id: u64, cod: bool, fulfilled: bool, paid: bool, seen: DateTime<Utc>) -> PaymentFacts {
    PaymentFacts {
        order_id: OrderId(id),
        cash_on_delivery: cod,
        financial_status: Some(if paid { "PAID" } else { "PENDING" }.into()),
        fulfillment_status: if fulfilled {
            "FULFILLED"
        } else {
            "UNFULFILLED"
        }
        .into(),
        paid,
        seen_at: seen,
    }
}

fn listed(s: &Store, before: DateTime<Utc>) -> Vec<u64> {
    listed_of(s, before, CodEra::SinceConnection)
}

fn listed_of(s: &Store, before: DateTime<Utc>, era: CodEra) -> Vec<u64> {
    let q = OrderQuery {
        unpaid_before: Some(before),
        unpaid_era: era,
        ..OrderQuery::new(StatusFilter::All, 100)
    };
    let mut ids: Vec<u64> = s
        .orders_page(&q)
        .unwrap()
        .items
        .iter()
        .map(|o| o.id.0)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn unpaid_cod_is_listed_from_the_cut_off_on_and_counted() {
    let mut s = Store::open_in_memory().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let fulfilled = at(60);
    // (order, cash on delivery, fulfilled, paid, cancelled, collection state)
    let table: [(u64, bool, bool, bool, bool, Option<CollectionState>); 8] = [
        (1, true, true, false, false, None),
        (2, true, true, true, false, None),
        (3, false, true, false, false, None),
        (4, true, false, false, false, None),
        (5, true, true, false, true, None),
        (
            6,
            true,
            true,
            false,
            false,
            Some(CollectionState::Confirmed),
        ),
        (7, true, true, false, false, Some(CollectionState::Intent)),
        (
            8,
            true,
            true,
            false,
            false,
            Some(CollectionState::NeedsReview),
        ),
    ];
    let orders: Vec<_> = table
        .iter()
        .map(|&(id, .., cancelled, _)| {
            let mut o = order(id, id as i64, &[("A", 1)]);
            if cancelled {
                o.state = OrderState::Cancelled;
            }
            o
        })
        .collect();
    s.import_orders(&orders, &change(10, "imported")).unwrap();
    // Order 9: unpaid cash on delivery too, but filed as handled before the connection.
    let mut old = order(9, 9, &[("A", 1)]);
    old.state = OrderState::Dispatched;
    s.import_orders(&[old], &change(10, HANDLED_BEFORE_CONNECTION))
        .unwrap();
    let seen: Vec<_> = table
        .iter()
        .map(|&(id, cod, ful, paid, ..)| facts(id, cod, ful, paid, fulfilled))
        .chain([facts(9, true, true, false, fulfilled)])
        .collect();
    s.note_payments(&seen, day, at(61)).unwrap();
    for &(id, .., state) in &table {
        if let Some(state) = state {
            s.add_collection_intent(OrderId(id), CollectionSource::Merchant, day, at(62))
                .unwrap();
            s.set_collection_state(OrderId(id), state, None, at(63))
                .unwrap();
        }
    }

    let unpaid = vec![1, 7, 8];
    let nano = Duration::nanoseconds(1);
    for (before, want) in [
        (fulfilled - nano, vec![]),
        (fulfilled, unpaid.clone()),
        (fulfilled + Duration::days(30), unpaid.clone()),
    ] {
        let history = if want.is_empty() { vec![] } else { vec![9] };
        for (era, want) in [
            (CodEra::SinceConnection, want),
            (CodEra::BeforeConnection, history),
        ] {
            assert_eq!(
                listed_of(&s, before, era),
                want,
                "cut-off {before}, {era:?}"
            );
            assert_eq!(s.count_unpaid_cod(before, era).unwrap(), want.len() as u64);
            let mut engine: Vec<u64> = s
                .unpaid_cash_on_delivery(before, era)
                .unwrap()
                .iter()
                .map(|o| o.0)
                .collect();
            engine.sort_unstable();
            assert_eq!(
                engine, want,
                "the engine's list agrees at {before}, {era:?}"
            );
        }
    }

    // The filter composes with the others and with a search, and no cut-off lists everything.
    let later = fulfilled + Duration::days(1);
    let searched = OrderQuery {
        search: Some("#1007".into()),
        unpaid_before: Some(later),
        ..OrderQuery::new(StatusFilter::All, 100)
    };
    let found: Vec<u64> = s
        .orders_page(&searched)
        .unwrap()
        .items
        .iter()
        .map(|o| o.id.0)
        .collect();
    assert_eq!(found, vec![7]);
    let pending = OrderQuery {
        unpaid_before: Some(later),
        ..OrderQuery::new(StatusFilter::Pending, 100)
    };
    assert_eq!(s.orders_page(&pending).unwrap().items.len(), 3);
    assert_eq!(
        s.orders_page(&OrderQuery::new(StatusFilter::All, 100))
            .unwrap()
            .items
            .len(),
        9
    );

    // Paid later in Shopify: off the list.
    s.note_payments(&[facts(1, true, true, true, at(90))], day, at(91))
        .unwrap();
    assert_eq!(listed(&s, later), vec![7, 8]);
    let payment = s.cod_payment(OrderId(1)).unwrap().expect("facts");
    assert!(payment.cash_on_delivery && payment.paid_at.is_some());
    assert_eq!(payment.fulfilled_at, Some(fulfilled));
    assert_eq!(s.cod_payment(OrderId(99)).unwrap(), None);
}
