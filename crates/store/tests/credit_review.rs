//! The merchant's way out for a credit note in review (issue 16) at the store: only an item in
//! review moves (retry → intent, by hand → confirmed with its number, not needed → closed with
//! the note), each with a history row on its order; and the Orders filter "refund without credit
//! note" lists an invoiced order while a refund has no credit document, not once it has one or
//! the merchant said none is needed.

mod common;

use common::{at, change, d, order};
use punte_core::credit_note::{RefundFacts, RefundedUnits};
use punte_core::order::{LineId, OrderId, OrderState};
use punte_store::{
    CreditDecision, CreditIntent, CreditState, IssuedInvoice, OrderQuery, StatusFilter, Store,
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

fn without_credit(s: &Store) -> Vec<OrderId> {
    let q = OrderQuery {
        status: StatusFilter::RefundWithoutCredit,
        in_stock: None,
        search: None,
        newest_first: true,
        after: None,
        limit: 50,
        efactura: None,
        unpaid_before: None,
        unpaid_era: punte_store::CodEra::SinceConnection,
    };
    s.orders_page(&q)
        .unwrap()
        .items
        .into_iter()
        .map(|o| o.id)
        .collect()
}

fn in_review(s: &Store, order: OrderId, refund_id: u64) -> i64 {
    s.add_credit_intent(
        &CreditIntent {
            refund_id,
            order_id: order,
            idempotency_key: format!("punte-credit-{refund_id}"),
            state: CreditState::NeedsReview,
            draft: Some("{}".into()),
            error: Some("SmartBill cannot".into()),
        },
        at(10),
    )
    .unwrap()
}

#[test]
fn a_reviewed_credit_moves_once_by_the_merchants_decision_with_history() {
    let mut s = Store::open_in_memory().unwrap();
    let o = order(7, 0, &[("A", 3)]);
    s.import_orders(std::slice::from_ref(&o), &change(0, "imported"))
        .unwrap();
    let invoiced = OrderState::Invoiced {
        stock_discharged: true,
    };
    s.set_order_state(o.id, invoiced, &change(1, "invoiced"))
        .unwrap();
    s.record_refunds(o.id, &[refund(90), refund(91), refund(92)], at(6))
        .unwrap();
    assert_eq!(without_credit(&s), vec![o.id], "refunds, no credit yet");
    let (a, b, c) = (
        in_review(&s, o.id, 90),
        in_review(&s, o.id, 91),
        in_review(&s, o.id, 92),
    );
    assert_eq!(without_credit(&s), vec![o.id], "in review is no credit");

    s.resolve_reviewed_credit(a, &CreditDecision::Retry, &change(11, "retried"))
        .unwrap();
    assert!(
        s.resolve_reviewed_credit(a, &CreditDecision::Retry, &change(12, "again"))
            .is_err(),
        "only an item in review moves"
    );
    let doc = IssuedInvoice {
        series: "FCT".into(),
        number: "0042".into(),
        link: None,
    };
    s.resolve_reviewed_credit(
        b,
        &CreditDecision::ByHand(doc.clone()),
        &change(13, "by hand"),
    )
    .unwrap();
    assert!(s.credit_number_taken("FCT", "0042", a).unwrap());
    assert!(!s.credit_number_taken("FCT", "0042", b).unwrap());
    let note = CreditDecision::NotNeeded("refăcut de contabil".into());
    s.resolve_reviewed_credit(c, &note, &change(14, "not needed"))
        .unwrap();

    let items = s.credits_of(o.id).unwrap();
    let states: Vec<_> = items.iter().map(|i| i.state).collect();
    assert_eq!(
        states,
        [
            CreditState::Intent,
            CreditState::Confirmed,
            CreditState::NotNeeded
        ]
    );
    assert_eq!(items[1].document, Some(doc));
    assert_eq!(items[2].error.as_deref(), Some("refăcut de contabil"));
    let history = s.order(o.id).unwrap().unwrap().history;
    let reasons: Vec<_> = history.iter().map(|h| h.reason.as_str()).collect();
    assert!(
        reasons.ends_with(&["retried", "by hand", "not needed"]),
        "{reasons:?}"
    );
    assert!(history.iter().rev().take(3).all(|h| h.to == invoiced));
    assert_eq!(without_credit(&s), vec![o.id], "refund 90 still waits");
    s.set_credit_state(a, CreditState::Sent, None, at(15))
        .unwrap();
    s.confirm_credit(
        a,
        &IssuedInvoice {
            number: "0043".into(),
            ..items[1].document.clone().unwrap()
        },
        at(16),
    )
    .unwrap();
    assert!(
        without_credit(&s).is_empty(),
        "every refund has its document or none is needed"
    );
}
