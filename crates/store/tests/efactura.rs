//! e-Factura rows: confirmed invoices become tracked once, reads are due until settled, each
//! notification kind is marked once (a new rejection reason may be told again), and the Orders
//! list shows the state and filters by it.

mod common;

use chrono::NaiveDate;
use common::{at, change, order};
use punte_core::efactura::SpvState;
use punte_core::order::OrderId;
use punte_store::{EfacturaNotice, InvoiceIntent, IssuedInvoice, OrderQuery, StatusFilter, Store};

fn invoice(s: &mut Store, o: u64, number: &str) {
    let intent = InvoiceIntent {
        order_id: OrderId(o),
        idempotency_key: format!("punte-{o}-1"),
        service: "oblio".into(),
        stock_discharge: true,
        draft: "{}".into(),
    };
    let id = s.add_invoice_intent(&intent, at(11)).unwrap();
    let issued = IssuedInvoice {
        series: "FCT".into(),
        number: number.into(),
        link: Some(format!("https://oblio.test/{number}")),
    };
    s.confirm_invoice(id, &issued, &change(12, "invoiced"))
        .unwrap();
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

#[test]
fn tracked_once_read_until_settled_notified_once() {
    let mut s = Store::open_in_memory().unwrap();
    let orders: Vec<_> = (1..=3).map(|i| order(i, i as i64, &[("A", 1)])).collect();
    s.import_orders(&orders, &change(10, "imported")).unwrap();
    invoice(&mut s, 1, "0001");
    invoice(&mut s, 2, "0002");

    let new = s.untracked_invoices(at(0), 10).unwrap();
    assert_eq!(new.len(), 2);
    assert!(
        s.untracked_invoices(at(13), 10).unwrap().is_empty(),
        "older than `since`"
    );
    for inv in &new {
        s.track_efactura(inv, day(), at(20)).unwrap();
    }
    assert!(
        s.untracked_invoices(at(0), 10).unwrap().is_empty(),
        "tracked once"
    );

    let due = s.efactura_due(day(), at(30), 10).unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!(due[0].state, SpvState::NotSent);

    s.set_efactura_state(OrderId(1), &SpvState::Accepted, at(30))
        .unwrap();
    let rejected = SpvState::Rejected {
        reason: "BR-RO-110".into(),
    };
    s.set_efactura_state(OrderId(2), &rejected, at(30)).unwrap();
    assert_eq!(
        s.efactura_due(day(), at(30), 10).unwrap().len(),
        0,
        "read just now"
    );
    let due: Vec<u64> = s
        .efactura_due(day(), at(40), 10)
        .unwrap()
        .iter()
        .map(|r| r.order_id.0)
        .collect();
    assert_eq!(due, vec![2], "accepted is settled, rejected is read again");

    assert!(
        s.mark_efactura_notified(OrderId(2), EfacturaNotice::Rejected)
            .unwrap()
    );
    assert!(
        !s.mark_efactura_notified(OrderId(2), EfacturaNotice::Rejected)
            .unwrap()
    );
    s.set_efactura_state(OrderId(2), &rejected, at(41)).unwrap();
    assert!(
        s.efactura_of(OrderId(2))
            .unwrap()
            .unwrap()
            .notified_rejected,
        "the same rejection read again is not told again"
    );
    let other = SpvState::Rejected {
        reason: "BR-RO-120".into(),
    };
    s.set_efactura_state(OrderId(2), &other, at(42)).unwrap();
    assert!(
        s.mark_efactura_notified(OrderId(2), EfacturaNotice::Rejected)
            .unwrap()
    );
    assert!(
        s.mark_efactura_notified(OrderId(2), EfacturaNotice::Deadline)
            .unwrap()
    );
    assert!(
        !s.mark_efactura_notified(OrderId(2), EfacturaNotice::Deadline)
            .unwrap()
    );
}

#[test]
fn orders_list_shows_the_state_and_filters_by_it() {
    let mut s = Store::open_in_memory().unwrap();
    let orders: Vec<_> = (1..=3).map(|i| order(i, i as i64, &[("A", 1)])).collect();
    s.import_orders(&orders, &change(10, "imported")).unwrap();
    invoice(&mut s, 1, "0001");
    invoice(&mut s, 2, "0002");
    for inv in s.untracked_invoices(at(0), 10).unwrap() {
        s.track_efactura(&inv, day(), at(20)).unwrap();
    }
    let rejected = SpvState::Rejected {
        reason: "CUI invalid".into(),
    };
    s.set_efactura_state(OrderId(2), &rejected, at(30)).unwrap();

    let all = s
        .orders_page(&OrderQuery::new(StatusFilter::All, 10))
        .unwrap()
        .items;
    let cells: Vec<_> = all.iter().map(|o| o.efactura.clone()).collect();
    assert_eq!(cells[0].as_ref().unwrap().state, SpvState::NotSent);
    assert_eq!(cells[0].as_ref().unwrap().invoice, "FCT 0001");
    assert_eq!(cells[1].as_ref().unwrap().state, rejected);
    assert_eq!(cells[1].as_ref().unwrap().issued_on, day());
    assert!(cells[2].is_none(), "no invoice, no state");

    for (word, want) in [
        ("rejected", vec![2]),
        ("not_sent", vec![1]),
        ("accepted", vec![]),
    ] {
        let q = OrderQuery {
            efactura: Some(word.into()),
            ..OrderQuery::new(StatusFilter::All, 10)
        };
        let ids: Vec<u64> = s
            .orders_page(&q)
            .unwrap()
            .items
            .iter()
            .map(|o| o.id.0)
            .collect();
        assert_eq!(ids, want, "{word}");
        let searched = OrderQuery {
            search: Some("#".into()),
            ..q
        };
        assert_eq!(s.orders_page(&searched).unwrap().items.len(), want.len());
    }
}
