//! The store follows core's order lifecycle: illegal moves are refused with a stable code and
//! write nothing; a late invoice confirmation for an order that can no longer be invoiced
//! records the invoice but leaves the order alone and asks the merchant to review it.

mod common;

use common::{at, change, order};
use punte_core::order::{OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_store::{
    InvoiceConfirmation, InvoiceIntent, IssuedInvoice, OutboxState, Store, StoreError,
};

fn r(store: &Store, code: &str) -> i64 {
    store.reservation_of(&ProductCode::from(code)).unwrap()
}

fn state(store: &Store, id: u64) -> OrderState {
    store.order(OrderId(id)).unwrap().unwrap().order.state
}

#[test]
fn illegal_moves_are_refused_and_write_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    s.import_orders(&[order(1, 0, &[("A", 2)])], &change(1, "imported"))
        .unwrap();
    s.set_order_state(OrderId(1), OrderState::Cancelled, &change(2, "shopify"))
        .unwrap();
    let history = s.order(OrderId(1)).unwrap().unwrap().history.len();
    for to in [
        OrderState::Open,
        OrderState::Dispatched,
        OrderState::Invoiced {
            stock_discharged: true,
        },
    ] {
        let err = s
            .set_order_state(OrderId(1), to, &change(3, "x"))
            .unwrap_err();
        assert!(matches!(err, StoreError::OrderTransition { .. }), "{err:?}");
        assert_eq!(err.code(), "store.order_transition");
        let text = err.to_string();
        assert!(
            text.contains("Comanda 1") && text.contains("Order 1 is cancelled"),
            "{text}"
        );
    }
    assert_eq!(state(&s, 1), OrderState::Cancelled);
    assert_eq!(r(&s, "A"), 0);
    let after = s.order(OrderId(1)).unwrap().unwrap().history.len();
    assert_eq!(after, history, "a refused move adds no history row");
    // Staying put is not a move, and legal moves still work.
    assert!(
        !s.set_order_state(OrderId(1), OrderState::Cancelled, &change(4, "again"))
            .unwrap()
    );
    s.import_orders(&[order(2, 0, &[("A", 1)])], &change(5, "imported"))
        .unwrap();
    let dispatched = s.set_order_state(OrderId(2), OrderState::Dispatched, &change(6, "m"));
    assert!(dispatched.unwrap());
    let twice = s.set_order_state(
        OrderId(2),
        OrderState::Invoiced {
            stock_discharged: true,
        },
        &change(7, "m"),
    );
    assert!(matches!(twice, Err(StoreError::OrderTransition { .. })));
}

fn intent(order: u64) -> InvoiceIntent {
    InvoiceIntent {
        order_id: OrderId(order),
        idempotency_key: format!("punte-{order}-1"),
        service: "smartbill".into(),
        stock_discharge: true,
        draft: "{}".into(),
    }
}

#[test]
fn late_confirmation_for_a_cancelled_order_needs_review() {
    let mut s = Store::open_in_memory().unwrap();
    s.import_orders(&[order(7, 0, &[("A", 2)])], &change(1, "imported"))
        .unwrap();
    let id = s.add_invoice_intent(&intent(7), at(2)).unwrap();
    s.set_outbox_state(id, OutboxState::Sent, None, at(3))
        .unwrap();
    s.set_order_state(OrderId(7), OrderState::Cancelled, &change(4, "shopify"))
        .unwrap();
    let invoice = IssuedInvoice {
        series: "FCT".into(),
        number: "13".into(),
        link: None,
    };
    let outcome = s
        .confirm_invoice_checked(id, &invoice, &change(5, "invoice FCT 13"))
        .unwrap();
    assert_eq!(
        outcome,
        InvoiceConfirmation::NeedsReview {
            order_state: OrderState::Cancelled
        }
    );
    assert_eq!(
        state(&s, 7),
        OrderState::Cancelled,
        "the order is not moved"
    );
    assert_eq!(r(&s, "A"), 0);
    let item = &s.outbox_for_order(OrderId(7)).unwrap()[0];
    assert_eq!(item.state, OutboxState::NeedsReview);
    assert_eq!(
        item.invoice.as_ref(),
        Some(&invoice),
        "the invoice is recorded"
    );
    assert!(item.error.as_deref().unwrap_or("").contains("cancelled"));
    assert_eq!(
        s.pending_outbox(10).unwrap().len(),
        1,
        "the merchant sees it"
    );
}

#[test]
fn late_confirmation_through_the_old_entry_point_for_a_dispatched_order() {
    let mut s = Store::open_in_memory().unwrap();
    s.import_orders(&[order(8, 0, &[("A", 1)])], &change(1, "imported"))
        .unwrap();
    let id = s.add_invoice_intent(&intent(8), at(2)).unwrap();
    s.set_order_state(OrderId(8), OrderState::Dispatched, &change(3, "m"))
        .unwrap();
    let invoice = IssuedInvoice {
        series: "FCT".into(),
        number: "14".into(),
        link: None,
    };
    s.confirm_invoice(id, &invoice, &change(4, "invoice FCT 14"))
        .unwrap();
    assert_eq!(state(&s, 8), OrderState::Dispatched);
    let item = &s.outbox_for_order(OrderId(8)).unwrap()[0];
    assert_eq!(item.state, OutboxState::NeedsReview);
}
