//! The article's T0/T1/T2 story and "a NIR reaches Shopify within one cycle", end to end against
//! the Shopify and SmartBill simulators.

mod common;

use common::*;
use punte_core::order::OrderState;
use punte_engine::{InvoiceOutcome, Outcome, SyncScope};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t0_t1_t2_then_nir() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);

    // T0: stock added in billing reaches Shopify.
    let run = r
        .engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    assert_eq!(run.outcome, Outcome::Ok, "{run:?}");
    assert_eq!(run.counts.products_written, 3);
    assert_eq!(available(&w, &sku).await, 10, "T0: A = B = 10");

    // T1: an order for 1; Shopify itself lowers A, Punte reserves it, nothing to write.
    let order = place_order(&w, &[(&sku, 1)]).await;
    assert_eq!(available(&w, &sku).await, 9);
    let run = r.engine.sync_now(SyncScope::All).await.expect("T1 sync");
    assert_eq!(
        run.counts.products_written, 0,
        "A already equals B − R: {run:?}"
    );
    assert_eq!(reserved(&r.store, &sku).await, 1, "T1: R = 1");
    assert_eq!(available(&w, &sku).await, 9, "T1: A = 9");
    assert_eq!(billing_stock(&w, &sku).await, 10, "T1: B = 10");

    // T2: the invoice discharges stock; the reservation ends; A stays 9.
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(billing_stock(&w, &sku).await, 9, "T2: B = 9");
    assert_eq!(reserved(&r.store, &sku).await, 0, "T2: R = 0");
    let state = r
        .store
        .call(move |s| s.order(order))
        .await
        .expect("order")
        .expect("stored")
        .order
        .state;
    assert_eq!(
        state,
        OrderState::Invoiced {
            stock_discharged: true
        }
    );
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("T2 sync");
    assert_eq!(run.counts.products_written, 0, "{run:?}");
    assert_eq!(available(&w, &sku).await, 9, "T2: A = 9, B = A + R");

    // Issuing again gives the same invoice, never a second one.
    let again = r.engine.issue_invoice(order).await.expect("again");
    assert!(
        matches!(again, InvoiceOutcome::AlreadyIssued { .. }),
        "{again:?}"
    );
    assert_eq!(invoices(&w).await.len(), 1);

    // A NIR of 5 in billing reaches Shopify within one cycle, in at most 3 reads (the variants
    // and the levels Shopify changed since the last cycle, the orders) + 1 write.
    post(
        &w.bill,
        "/billing/receive",
        serde_json::json!({"warehouse": WAREHOUSE,
        "lines": [{"code": sku, "quantity": 5}]}),
    )
    .await;
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("NIR sync");
    assert_eq!(available(&w, &sku).await, 14, "NIR: A = 14 = B − R");
    assert_eq!(run.counts.products_written, 1);
    assert_eq!(run.calls.billing, 1, "{run:?}");
    let c = run.calls;
    assert!(
        c.shopify - c.shopify_throttled - c.shopify_writes <= 3,
        "{run:?}"
    );
    r.engine.stop().await;
}
