//! The Orders filter "Needs review" lists an order whose credit note waits for the merchant (in
//! review, or failed: nothing sends it again by itself) beside those whose invoice does; a
//! credit note still on its way, confirmed or not needed does not put its order there.

mod common;

use common::{at, change, d, order};
use punte_core::credit_note::{RefundFacts, RefundedUnits};
use punte_core::order::{LineId, OrderId, OrderState};
use punte_store::{
    CreditIntent, CreditState, InvoiceIntent, IssuedInvoice, OrderQuery, OutboxState, StatusFilter,
    Store,
};

fn refund(id: u64) -> RefundFacts {
    RefundFacts {
        id,
        created_at: at(5),
        lines: vec![RefundedUnits {
            line: LineId(1),
            quantity: 1,
            restocked: true,
        }],
        shipping: d("0"),
        amount: d("30.00"),
    }
}

/// Order `o`'s refund `o * 10` with its credit item moved to `to`.
fn credit(s: &mut Store, o: u64, to: CreditState) {
    let order = OrderId(o);
    s.record_refunds(order, &[refund(o * 10)], at(6)).unwrap();
    let intent = CreditIntent {
        refund_id: o * 10,
        order_id: order,
        idempotency_key: format!("punte-credit-{o}"),
        state: CreditState::Intent,
        draft: Some("{}".into()),
        error: None,
    };
    let id = s.add_credit_intent(&intent, at(7)).unwrap();
    if to == CreditState::Intent {
        return;
    }
    s.set_credit_state(id, CreditState::Sent, None, at(8))
        .unwrap();
    if to == CreditState::Sent {
        return;
    }
    if to == CreditState::Confirmed {
        let doc = IssuedInvoice {
            series: "FCT".into(),
            number: format!("00{o}"),
            link: None,
        };
        s.confirm_credit(id, &doc, at(9)).unwrap();
    } else {
        s.set_credit_state(id, to, Some("SmartBill refused"), at(9))
            .unwrap();
    }
}

fn ids(s: &Store, q: &OrderQuery) -> Vec<u64> {
    let page = s.orders_page(q).unwrap();
    page.items.iter().map(|o| o.id.0).collect()
}

#[test]
fn needs_review_lists_orders_whose_credit_note_waits_for_the_merchant() {
    let mut s = Store::open_in_memory().unwrap();
    let orders: Vec<_> = (1..=6).map(|i| order(i, i as i64, &[("A", 1)])).collect();
    s.import_orders(&orders, &change(0, "imported")).unwrap();
    let invoiced = OrderState::Invoiced {
        stock_discharged: true,
    };
    for o in 2..=6 {
        s.set_order_state(OrderId(o), invoiced, &change(1, "invoiced"))
            .unwrap();
    }
    // 1: its invoice's answer was ambiguous.
    let intent = InvoiceIntent {
        order_id: OrderId(1),
        idempotency_key: "punte-1-1".into(),
        service: "smartbill".into(),
        stock_discharge: true,
        draft: "{}".into(),
    };
    let id = s.add_invoice_intent(&intent, at(2)).unwrap();
    s.set_outbox_state(id, OutboxState::Sent, None, at(3))
        .unwrap();
    s.set_outbox_state(id, OutboxState::NeedsReview, Some("timeout"), at(4))
        .unwrap();
    // 2: a credit note in review; 3: one that failed; 4, 5, 6: on its way, confirmed, sent.
    credit(&mut s, 2, CreditState::NeedsReview);
    credit(&mut s, 3, CreditState::Failed);
    credit(&mut s, 4, CreditState::Intent);
    credit(&mut s, 5, CreditState::Confirmed);
    credit(&mut s, 6, CreditState::Sent);

    let q = OrderQuery::new(StatusFilter::NeedsReview, 10);
    assert_eq!(ids(&s, &q), vec![1, 2, 3]);
    let two = OrderQuery {
        limit: 2,
        ..q.clone()
    };
    let page = s.orders_page(&two).unwrap();
    let rest = OrderQuery {
        after: page.next,
        ..two
    };
    assert_eq!(ids(&s, &rest), vec![3], "the cursor pages through the list");
    let search = OrderQuery {
        search: Some("#1003".into()),
        ..q
    };
    assert_eq!(ids(&s, &search), vec![3]);
}
