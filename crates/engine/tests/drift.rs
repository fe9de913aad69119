//! Drift findings every cycle and deduplicated notifications: a level changed by hand in
//! Shopify (no imported order explains it) is one finding, notified once; levels moved by
//! orders are not drift; stale open orders are notified once per order.

mod common;

use common::*;
use punte_engine::{NotificationEvent, RecordingNotifier, SyncScope};
use serde_json::json;

fn new_findings(notes: &RecordingNotifier) -> usize {
    notes
        .events()
        .iter()
        .filter(|e| matches!(e, NotificationEvent::NewFindings { .. }))
        .count()
}

async fn drift_keys(r: &Running) -> Vec<String> {
    r.store
        .call(|s| s.open_findings(1000))
        .await
        .expect("findings")
        .into_iter()
        .filter(|f| f.finding.kind == "shopify_drift")
        .map(|f| f.finding.key)
        .collect()
}

async fn hand_edit(w: &World, sku: &str, quantity: i64) {
    post(
        &w.shop,
        "/shopify/levels",
        json!({"sku": sku, "quantity": quantity}),
    )
    .await;
}

async fn receive(w: &World, sku: &str, quantity: i64) {
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": sku, "quantity": quantity}]}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edit_is_one_finding_notified_once() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let before = new_findings(&r.notes);

    // Code 1 edited by hand to 50, then a receipt: the incremental cycle writes 15 against
    // the 10 it wrote last time, the write comes back stale, the re-read shows 50.
    hand_edit(&w, &code(1), 50).await;
    receive(&w, &code(1), 5).await;
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    assert_eq!(available(&w, &code(1)).await, 15, "{run:?}");
    assert_eq!(drift_keys(&r).await, ["shopify_drift:P-00001"]);
    assert_eq!(new_findings(&r.notes), before + 1);

    // The same drift again: the finding is still open, no second notification.
    hand_edit(&w, &code(1), 40).await;
    receive(&w, &code(1), 1).await;
    r.engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    assert_eq!(available(&w, &code(1)).await, 16);
    assert_eq!(drift_keys(&r).await, ["shopify_drift:P-00001"]);
    assert_eq!(new_findings(&r.notes), before + 1);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_are_not_drift_but_a_hand_edit_beside_an_order_is() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");

    // Two sales not yet imported when the levels are read: the import explains them.
    place_order(&w, &[(&code(0), 1)]).await;
    place_order(&w, &[(&code(0), 2)]).await;
    r.engine.sync_now(SyncScope::Full).await.expect("full");
    place_order(&w, &[(&code(0), 1)]).await;
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("incremental");
    assert_eq!(available(&w, &code(0)).await, 6);
    assert!(drift_keys(&r).await.is_empty());

    // Code 2: a sale of 1 and a hand edit of −3. Its level (6) is read at step 1 of an
    // incremental cycle; the imported sale explains 9 at most.
    place_order(&w, &[(&code(2), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    hand_edit(&w, &code(2), 6).await;
    r.engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    assert_eq!(drift_keys(&r).await, ["shopify_drift:P-00002"]);
    assert_eq!(available(&w, &code(2)).await, 9, "B − R = 10 − 1");
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_open_orders_are_notified_once_per_order() {
    let w = world(2, 0, 10, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.settings.stale_open_days = 0;
    let r = start_with(&w, cfg, memory_store());
    let stale = |notes: &RecordingNotifier| -> Vec<Vec<punte_core::order::OrderId>> {
        notes
            .events()
            .into_iter()
            .filter_map(|e| match e {
                NotificationEvent::StaleOpenOrders { orders } => Some(orders),
                _ => None,
            })
            .collect()
    };
    let first = place_order(&w, &[(&code(0), 1)]).await;
    for _ in 0..3 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders");
    }
    assert_eq!(stale(&r.notes), [vec![first]]);
    let second = place_order(&w, &[(&code(1), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders");
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders");
    assert_eq!(stale(&r.notes), [vec![first], vec![second]]);
    r.engine.stop().await;
}
