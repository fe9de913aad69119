//! The way out for a Shopify cancellation in needs-review (issue 16): an order cancelled after a
//! credit note for part of its invoice is not reversed whole (that would credit those lines
//! twice); it waits with the reason the order detail shows, and "Handled in the billing
//! service" takes it out of review with the merchant's note in the history, sending nothing,
//! then or on later runs. A second decision is refused. Against the SmartBill simulator.

mod common;

use common::*;
use punte_core::order::OrderId;
use punte_engine::{InvoiceOutcome, Resolution, SyncScope, cancellation_review};
use serde_json::{Value, json};

async fn in_review(r: &Running, order: OrderId) -> Option<String> {
    r.store
        .call(move |s| cancellation_review(s, order))
        .await
        .expect("review")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_after_a_partial_credit_is_handled_in_billing_with_a_note() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, ids) = invoiced(&w, &r, &[(&code(0), 1), (&code(1), 2)]).await;
    let path = format!("/shopify/orders/{}/refund", order.0);
    let line = json!({"line_item_id": ids[1], "quantity": 1, "restock_type": "RETURN"});
    post(&w.shop, &path, json!({"lines": [line], "shipping": false})).await;
    r.engine.sync_now(SyncScope::All).await.expect("credit");
    assert_eq!(
        invoices(&w).await.len(),
        2,
        "the invoice and one credit note"
    );
    assert_eq!(in_review(&r, order).await, None, "nothing to decide yet");
    let e = r
        .engine
        .resolve_review(order, Resolution::CancelHandled { note: "x".into() })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "engine.not_in_review");

    let path = format!("/shopify/orders/{}/cancel", order.0);
    post(&w.shop, &path, json!({"restock": true})).await;
    r.engine.sync_now(SyncScope::All).await.expect("cancelled");
    let why = in_review(&r, order).await.expect("waits for the merchant");
    assert!(why.contains("credit note for part of its invoice"), "{why}");
    assert!(why.contains("notă de credit"), "Romanian too: {why}");

    let note = "Storno pentru restul facturii emis manual în SmartBill";
    let out = r
        .engine
        .resolve_review(order, Resolution::CancelHandled { note: note.into() })
        .await
        .expect("handled");
    assert_eq!(out, InvoiceOutcome::NotNeeded);
    assert_eq!(in_review(&r, order).await, None, "out of review");
    let detail = r
        .store
        .call(move |s| s.order(order))
        .await
        .unwrap()
        .unwrap();
    let noted = detail.history.iter().find(|h| h.source == "merchant");
    let reason: Value = serde_json::from_str(&noted.expect("history row").reason).unwrap();
    assert_eq!(reason["code"], "cancel_handled_in_billing");
    assert_eq!(reason["note"], note);
    let again = r
        .engine
        .resolve_review(order, Resolution::CancelHandled { note: note.into() })
        .await
        .unwrap_err();
    assert_eq!(again.code(), "engine.not_in_review", "decided once");
    r.engine.sync_now(SyncScope::All).await.expect("later");
    assert_eq!(invoices(&w).await.len(), 2, "nothing sent, then or later");
    r.engine.stop().await;
}
