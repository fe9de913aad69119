//! Refunds and the credit outbox (issue 16): a refund stored twice is stored once, an invoiced
//! order's unplanned refunds are listed until planned, and a credit item moves only forward.

mod common;

use common::{at, change, d, order};
use punte_core::credit_note::{RefundFacts, RefundedUnits};
use punte_core::order::{LineId, OrderId, OrderState};
use punte_store::{CreditIntent, CreditState, IssuedInvoice, Store};

fn refund(id: u64, minute: i64) -> RefundFacts {
    RefundFacts {
        id,
        created_at: at(minute),
        lines: vec![RefundedUnits {
            line: LineId(1),
            quantity: 1,
            restocked: true,
        }],
        shipping: d("0"),
        amount: d("30.00"),
    }
}

#[test]
fn refunds_are_stored_once_and_credited_once() {
    let mut s = Store::open_in_memory().unwrap();
    let o = order(7, 0, &[("A", 3)]);
    s.import_orders(std::slice::from_ref(&o), &change(0, "imported"))
        .unwrap();
    assert_eq!(s.record_refunds(o.id, &[refund(90, 5)], at(6)).unwrap(), 1);
    assert_eq!(
        s.record_refunds(o.id, &[refund(90, 5), refund(91, 7)], at(8))
            .unwrap(),
        1,
        "the known refund is not stored again"
    );
    assert_eq!(s.refunds_of(o.id).unwrap().len(), 2);
    // Not invoiced yet: nothing to plan (a refund before the invoice is left out of it).
    assert!(s.orders_with_unplanned_refunds().unwrap().is_empty());
    s.set_order_state(
        o.id,
        OrderState::Invoiced {
            stock_discharged: true,
        },
        &change(9, "invoiced"),
    )
    .unwrap();
    assert_eq!(s.orders_with_unplanned_refunds().unwrap(), vec![OrderId(7)]);
    let intent = |refund_id, state| CreditIntent {
        refund_id,
        order_id: o.id,
        idempotency_key: format!("punte-credit-{refund_id}"),
        state,
        draft: Some("{}".into()),
        error: None,
    };
    let id = s
        .add_credit_intent(&intent(90, CreditState::Intent), at(10))
        .unwrap();
    let again = s
        .add_credit_intent(&intent(90, CreditState::NotNeeded), at(11))
        .unwrap();
    assert_eq!(id, again, "one item per refund");
    s.add_credit_intent(&intent(91, CreditState::NotNeeded), at(11))
        .unwrap();
    assert!(s.orders_with_unplanned_refunds().unwrap().is_empty());
    assert_eq!(s.pending_credits().unwrap().len(), 1);
    s.set_credit_state(id, CreditState::Sent, None, at(12))
        .unwrap();
    let doc = IssuedInvoice {
        series: "FCT".into(),
        number: "0009".into(),
        link: None,
    };
    s.confirm_credit(id, &doc, at(13)).unwrap();
    assert!(s.confirm_credit(id, &doc, at(14)).is_err(), "final");
    assert!(
        s.set_credit_state(id, CreditState::Intent, None, at(14))
            .is_err()
    );
    let items = s.credits_of(o.id).unwrap();
    assert_eq!(items[0].state, CreditState::Confirmed);
    assert_eq!(items[0].document, Some(doc));
    assert_eq!(items[1].state, CreditState::NotNeeded);
    assert_eq!(s.credits_in_series("FCT").unwrap().len(), 1);
}
