//! End to end against the simulators: a sale between the read and the write is kept (stale
//! compare-and-set → re-read, re-import, re-plan); Dispatched releases stock; a Shopify
//! cancellation reverses the invoice and restores billing stock; 20 cycles with billing down,
//! then up: nothing lost, nothing doubled.

mod common;

use common::*;
use punte_core::order::OrderState;
use punte_engine::{EngineEvent, InvoiceOutcome, Phase, SyncScope};
use serde_json::json;

const GRAPHQL: &str = "/admin/api/2026-07/graphql.json";

async fn state_of(r: &Running, id: punte_core::order::OrderId) -> OrderState {
    let d = r.store.call(move |s| s.order(id)).await.expect("read");
    d.expect("stored").order.state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_between_read_and_write_is_kept() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    assert_eq!(available(&w, &sku).await, 10);
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE,
        "lines": [{"code": sku, "quantity": 5}]}),
    )
    .await;
    // Slow down the next GraphQL calls and place an order as soon as the plan is made: the
    // NIR'd code's A₀ is the level Punte wrote last cycle, and the sale lands before the write.
    post(
        &w.shop,
        "/faults",
        // Four: the variants and the levels Shopify changed, the order import, the write.
        json!({"path": GRAPHQL, "mode": "latency", "ms": 400, "times": 4}),
    )
    .await;
    let mut events = r.engine.subscribe();
    let placer = tokio::spawn({
        let sku = sku.clone();
        let shop_url = w.shop.control_url();
        async move {
            while let Ok(e) = events.recv().await {
                if let EngineEvent::Progress {
                    phase: Phase::Plan,
                    done: 1,
                    ..
                } = e
                {
                    let body = json!({"lines": [{"sku": sku, "quantity": 1}], "first_name": "Ion"});
                    let _ = http()
                        .post(format!("{shop_url}/shopify/orders"))
                        .json(&body)
                        .send()
                        .await;
                    return;
                }
            }
        }
    });
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    placer.await.expect("placer");
    assert!(
        run.counts.stale_retries >= 1,
        "the write must have come back stale: {run:?}"
    );
    assert_eq!(reserved(&r.store, &sku).await, 1, "the sale is imported");
    assert_eq!(billing_stock(&w, &sku).await, 15);
    assert_eq!(
        available(&w, &sku).await,
        14,
        "A = B − R: the sale is not sold twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispatched_releases_stock() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let order = place_order(&w, &[(&sku, 2)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    assert_eq!(
        (available(&w, &sku).await, reserved(&r.store, &sku).await),
        (8, 2)
    );
    r.engine.mark_dispatched(order).await.expect("dispatched");
    assert_eq!(state_of(&r, order).await, OrderState::Dispatched);
    assert_eq!(reserved(&r.store, &sku).await, 0, "the reservation ends");
    r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(
        available(&w, &sku).await,
        10,
        "the quantity goes back to Shopify"
    );
    assert!(
        r.engine.mark_dispatched(order).await.is_err(),
        "twice is refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_reverses_the_invoice_and_restores_stock() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let order = place_order(&w, &[(&sku, 1)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(billing_stock(&w, &sku).await, 9);
    post(
        &w.shop,
        &format!("/shopify/orders/{}/cancel", order.0),
        json!({"restock": true}),
    )
    .await;
    assert_eq!(available(&w, &sku).await, 10, "Shopify restocks");
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(state_of(&r, order).await, OrderState::Cancelled);
    assert_eq!(
        billing_stock(&w, &sku).await,
        10,
        "the storno returns the stock"
    );
    let inv = invoices(&w).await;
    assert_eq!(inv.len(), 2, "the invoice and its storno: {inv:?}");
    assert_eq!(available(&w, &sku).await, 10, "B = A + R = 10 + 0");
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert_eq!(invoices(&w).await.len(), 2, "the storno is never repeated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_cycles_down_then_up_lose_and_double_nothing() {
    let w = world(3, 0, 20, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let mut orders = Vec::new();
    for i in 0..3 {
        orders.push(place_order(&w, &[(&code(i), 1)]).await);
    }
    r.engine.sync_now(SyncScope::All).await.expect("import");
    post(&w.bill, "/faults", json!({"path": "*", "mode": "down"})).await;
    let outs = r
        .engine
        .issue_invoices(orders.clone())
        .await
        .expect("engine");
    for (_, o) in &outs {
        assert!(matches!(o, Ok(InvoiceOutcome::Waiting { .. })), "{o:?}");
    }
    for _ in 0..20 {
        assert!(
            r.engine.sync_now(SyncScope::All).await.is_err(),
            "billing is down"
        );
    }
    assert!(
        r.engine.status().offline_since.is_some(),
        "status says offline since T"
    );
    assert!(invoices(&w).await.is_empty());
    delete(&w.bill, "/faults").await;
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("back online");
    assert!(r.engine.status().offline_since.is_none());
    let inv = invoices(&w).await;
    assert_eq!(inv.len(), 3, "one invoice per order, none doubled: {inv:?}");
    for (i, o) in orders.iter().enumerate() {
        assert_eq!(
            state_of(&r, *o).await,
            OrderState::Invoiced {
                stock_discharged: true
            }
        );
        let sku = code(i);
        assert_eq!(billing_stock(&w, &sku).await, 19);
        assert_eq!(available(&w, &sku).await, 19, "B = A + R after the outage");
    }
}
