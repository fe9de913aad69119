//! Issue 13 item 1: an app without access to protected customer data. Shopify answers `data` and
//! `errors` together; the orders are imported and reserve stock, stock is written, one finding
//! says what is missing and how to request it, and an order whose invoice needs the withheld
//! buyer goes to review instead of being invoiced nameless. Once access is granted the orders
//! are read again and invoiced with their buyer.

mod common;

use common::*;
use punte_engine::{InvoiceOutcome, Outcome, SyncScope};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withheld_customer_data_keeps_orders_and_stock_and_holds_the_invoice() {
    let w = world(3, 0, 10, 1.0).await;
    post(
        &w.shop,
        "/shopify/options",
        json!({"protected_customer_data": false}),
    )
    .await;
    let sku = code(0);
    let order = place_order(&w, &[(&sku, 2)]).await;
    let mut cfg = config(&w, 1.0);
    cfg.settings.plan.confirm_share_percent = 100;
    let r = start_with(&w, cfg, memory_store());

    let run = r.engine.sync_now(SyncScope::Full).await.expect("sync");
    assert_eq!(run.outcome, Outcome::Ok, "{run:?}");
    assert_eq!(run.counts.orders_imported, 1, "{run:?}");
    assert_eq!(reserved(&r.store, &sku).await, 2, "the order reserves");
    assert_eq!(
        available(&w, &sku).await,
        8,
        "stock is written: B − R = 10 − 2"
    );

    let findings = r
        .store
        .call(|s| s.open_findings(100))
        .await
        .expect("findings");
    let withheld: Vec<_> = findings
        .iter()
        .filter(|f| f.finding.key == "shopify_customer_data_withheld")
        .collect();
    assert_eq!(withheld.len(), 1, "one finding: {findings:?}");
    let f = &withheld[0].finding;
    assert!(
        f.message.contains("names") && f.message.contains("addresses"),
        "{f:?}"
    );
    assert!(f.what_to_fix.contains("protected customer data"), "{f:?}");

    let out = r.engine.issue_invoice(order).await.expect("issue");
    match &out {
        InvoiceOutcome::NeedsReview { detail } => {
            assert!(detail.contains("withheld"), "{detail}");
        }
        other => panic!("an invoice without its buyer must wait for review: {other:?}"),
    }
    assert!(invoices(&w).await.is_empty(), "no billing call was made");

    // Access granted: the next order comes with its buyer, the earlier one is read again.
    post(
        &w.shop,
        "/shopify/options",
        json!({"protected_customer_data": true}),
    )
    .await;
    place_order(&w, &[(&code(1), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("access seen");
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders read again");
    let out = r.engine.issue_invoice(order).await.expect("issue");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let inv = invoices(&w).await;
    assert_eq!(inv.len(), 1);
    let body = inv[0]["body"].to_string();
    assert!(
        body.contains("Ana Pop"),
        "the buyer is on the invoice: {body}"
    );
    // The finding is no longer raised: another import does not see it again.
    let count = |r: &Running| {
        let store = r.store.clone();
        async move {
            let rows = store
                .call(|s| s.open_findings(100))
                .await
                .expect("findings");
            rows.iter()
                .find(|f| f.finding.key == "shopify_customer_data_withheld")
                .map(|f| f.seen_count)
        }
    };
    let before = count(&r).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("sync");
    assert_eq!(count(&r).await, before);
}
