//! Orders end to end: import, state changes, refreshes and invoice confirmation keep the
//! reservation table equal to the sum of open lines, and orders read back whole.

mod common;

use common::{at, change, d, order};
use punte_core::order::{OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_store::{
    InvoiceIntent, IssuedInvoice, OrderQuery, OutboxState, StatusFilter, Store, StoreError,
};

fn r(store: &Store, code: &str) -> i64 {
    store.reservation_of(&ProductCode::from(code)).unwrap()
}

fn assert_reservations_derived(store: &Store) {
    assert_eq!(
        store.reservations().unwrap(),
        store.reservations_from_lines().unwrap(),
        "the trigger-kept table must always equal the sum of reserving lines"
    );
}

#[test]
fn order_round_trips_and_reservations_follow_every_change() {
    let mut s = Store::open_in_memory().unwrap();
    let mut o1 = order(1, 0, &[("A", 2), ("B", 1)]);
    let o2 = order(2, 5, &[("A", 3)]);
    let sum = s
        .import_orders(&[o1.clone(), o2.clone()], &change(10, "imported"))
        .unwrap();
    assert_eq!((sum.inserted, sum.updated), (2, 0));
    assert_eq!((r(&s, "A"), r(&s, "B")), (5, 1));

    let back = s
        .order(OrderId(1))
        .unwrap()
        .expect("imported order must be readable");
    assert_eq!(
        back.order, o1,
        "an order must read back exactly as imported"
    );
    assert_eq!(back.history.len(), 1);

    // An edit removes B and lowers A: the refresh replaces lines and the table follows.
    o1.lines.truncate(1);
    o1.lines[0].quantity = 1;
    let sum = s
        .import_orders(&[o1.clone()], &change(20, "edited"))
        .unwrap();
    assert_eq!((sum.inserted, sum.updated, sum.state_changes), (0, 1, 0));
    assert_eq!((r(&s, "A"), r(&s, "B")), (4, 0));
    assert_reservations_derived(&s);

    // Invoiced without discharge still reserves; dispatched does not; reopening does again.
    let kept = OrderState::Invoiced {
        stock_discharged: false,
    };
    assert!(
        s.set_order_state(OrderId(2), kept, &change(30, "invoice"))
            .unwrap()
    );
    assert_eq!(r(&s, "A"), 4);
    s.set_order_state(OrderId(2), OrderState::Dispatched, &change(31, "merchant"))
        .unwrap();
    assert_eq!(r(&s, "A"), 1);
    s.set_order_state(OrderId(1), OrderState::Cancelled, &change(32, "shopify"))
        .unwrap();
    assert_eq!(r(&s, "A"), 0);
    assert_reservations_derived(&s);
    let hist = s.order(OrderId(2)).unwrap().unwrap().history;
    let states: Vec<_> = hist.iter().map(|h| h.to).collect();
    assert_eq!(states, vec![OrderState::Open, kept, OrderState::Dispatched]);

    let missing = s.set_order_state(OrderId(9), OrderState::Open, &change(40, "x"));
    assert!(matches!(missing, Err(StoreError::NotFound { .. })));
}

#[test]
fn confirming_an_invoice_ends_the_reservation_in_the_same_transaction() {
    let mut s = Store::open_in_memory().unwrap();
    s.import_orders(&[order(7, 0, &[("A", 2)])], &change(1, "imported"))
        .unwrap();
    let intent = InvoiceIntent {
        order_id: OrderId(7),
        idempotency_key: "punte-7-1".into(),
        service: "smartbill".into(),
        stock_discharge: true,
        draft: "{}".into(),
    };
    let id = s.add_invoice_intent(&intent, at(2)).unwrap();
    assert_eq!(
        s.add_invoice_intent(&intent, at(3)).unwrap(),
        id,
        "same key, same item"
    );
    s.set_outbox_state(id, OutboxState::Sent, None, at(4))
        .unwrap();
    assert_eq!(s.pending_outbox(10).unwrap()[0].attempts, 1);
    let invoice = IssuedInvoice {
        series: "FCT".into(),
        number: "12".into(),
        link: Some("https://x".into()),
    };
    s.confirm_invoice(id, &invoice, &change(5, "invoice FCT 12"))
        .unwrap();
    assert_eq!(r(&s, "A"), 0);
    assert!(s.pending_outbox(10).unwrap().is_empty());
    let items = s.outbox_for_order(OrderId(7)).unwrap();
    assert_eq!(items[0].state, OutboxState::Confirmed);
    assert_eq!(items[0].invoice.as_ref(), Some(&invoice));
    let again = s.set_outbox_state(id, OutboxState::Sent, None, at(6));
    assert!(
        matches!(again, Err(StoreError::OutboxTransition { .. })),
        "confirmed is final"
    );
    let state = s.order(OrderId(7)).unwrap().unwrap().order.state;
    assert_eq!(
        state,
        OrderState::Invoiced {
            stock_discharged: true
        }
    );
}

#[test]
fn pages_walk_by_status_with_cursor_search_and_in_stock() {
    let mut s = Store::open_in_memory().unwrap();
    let orders: Vec<_> = (1..=25).map(|i| order(i, i as i64, &[("A", 1)])).collect();
    s.import_orders(&orders, &change(100, "imported")).unwrap();
    for id in [3, 4] {
        s.set_order_state(OrderId(id), OrderState::Dispatched, &change(101, "m"))
            .unwrap();
    }
    let mut q = OrderQuery::new(StatusFilter::Pending, 10);
    let mut seen = Vec::new();
    loop {
        let page = s.orders_page(&q).unwrap();
        seen.extend(page.items.iter().map(|o| o.id.0));
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    let expected: Vec<u64> = (1..=25).filter(|i| ![3, 4].contains(i)).collect();
    assert_eq!(
        seen, expected,
        "pages must list every pending order once, oldest first"
    );

    let all = s.orders_page(&OrderQuery {
        newest_first: true,
        ..OrderQuery::new(StatusFilter::All, 3)
    });
    let ids: Vec<u64> = all.unwrap().items.iter().map(|o| o.id.0).collect();
    assert_eq!(ids, vec![25, 24, 23]);

    let search = OrderQuery {
        search: Some("client12@".into()),
        ..OrderQuery::new(StatusFilter::All, 5)
    };
    let found = s.orders_page(&search).unwrap().items;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].total, d("31.50"));

    let report = punte_core::instock::InStockReport {
        verdicts: vec![punte_core::instock::OrderVerdict {
            order_id: OrderId(5),
            position: 0,
            verdict: punte_core::instock::Verdict::NotInStock { shortfalls: vec![] },
            unchecked_lines: vec![],
        }],
        takers: Default::default(),
    };
    s.record_in_stock(&report).unwrap();
    let q = OrderQuery {
        in_stock: Some(false),
        ..OrderQuery::new(StatusFilter::Pending, 5)
    };
    let ids: Vec<u64> = s
        .orders_page(&q)
        .unwrap()
        .items
        .iter()
        .map(|o| o.id.0)
        .collect();
    assert_eq!(ids, vec![5]);
}
