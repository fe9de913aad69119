//! Sync now is the article's forced sync: it re-reads the catalogue and every level, so a stock
//! level changed by hand in Shopify is corrected and notified and a product just added is
//! written; its summary counts the orders the whole run imported. Scheduled (incremental)
//! cycles find the same hand edits and new products by reading only what Shopify changed since
//! the last cycle.

mod common;

use common::*;
use punte_engine::{FindingNote, NotificationEvent, RecordingNotifier, SyncScope};
use serde_json::json;

async fn hand_edit(w: &World, sku: &str, quantity: i64) {
    post(
        &w.shop,
        "/shopify/levels",
        json!({"sku": sku, "quantity": quantity}),
    )
    .await;
}

fn notes_of(notes: &RecordingNotifier) -> Vec<FindingNote> {
    notes
        .events()
        .into_iter()
        .flat_map(|e| match e {
            NotificationEvent::NewFindings { findings } => findings,
            _ => Vec::new(),
        })
        .collect()
}

async fn open_keys(r: &Running) -> Vec<String> {
    let mut keys: Vec<String> = r
        .store
        .call(|s| s.open_findings(1000))
        .await
        .expect("findings")
        .into_iter()
        .map(|f| f.finding.key)
        .collect();
    keys.sort();
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_now_corrects_a_hand_edit_and_names_it_in_the_notification() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("first sync");
    assert_eq!(available(&w, &code(1)).await, 10);

    // Someone types 50 in Shopify's admin; billing did not move, no order explains it.
    hand_edit(&w, &code(1), 50).await;
    let run = r.engine.sync_now(SyncScope::All).await.expect("sync now");
    assert_eq!(available(&w, &code(1)).await, 10, "corrected: {run:?}");
    assert_eq!(run.counts.products_written, 1, "{run:?}");
    assert_eq!(open_keys(&r).await, ["shopify_drift:P-00001"]);
    let drift = FindingNote {
        kind: "shopify_drift".into(),
        code: Some(code(1)),
    };
    assert_eq!(
        notes_of(&r.notes),
        [drift],
        "notified once, naming the product"
    );

    // The next Sync now sees the level as written: the drift is gone, the finding closes.
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert!(open_keys(&r).await.is_empty());
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_added_to_both_services_is_written_by_the_next_sync_now() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("first sync");
    // Default "New products: at the next sync".
    seed(&w.shop, &w.bill, 2..3, 0, 7).await;
    let run = r.engine.sync_now(SyncScope::All).await.expect("sync now");
    assert_eq!(available(&w, &code(2)).await, 7, "{run:?}");
    assert_eq!(run.counts.products_written, 1);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sync_now_summary_counts_the_orders_of_the_whole_run() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("first sync");
    for _ in 0..3 {
        place_order(&w, &[(&code(0), 1)]).await;
    }
    let run = r.engine.sync_now(SyncScope::All).await.expect("sync now");
    assert_eq!(run.counts.orders_imported, 3, "{run:?}");
    assert_eq!(available(&w, &code(0)).await, 7);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_cycle_reads_only_what_changed_and_still_finds_drift_and_new_products() {
    // Three pages of products and of levels, an hour old; three levels typed by hand since. A
    // full cycle reads them all and writes the three back.
    let w = world(600, 10, 10, 1.0).await;
    post(&w.shop, "/clock", json!({"advance_seconds": 3600})).await;
    for i in 0..3 {
        hand_edit(&w, &code(i), 9).await;
    }
    let r = start(&w);
    let full = r.engine.sync_now(SyncScope::Full).await.expect("full");
    assert_eq!(full.counts.products_written, 3, "{full:?}");
    // The first scheduled cycle reads back Punte's own writes; the next one is quiet and cheap.
    for _ in 0..2 {
        let quiet = r
            .engine
            .sync_now(SyncScope::StockOnly)
            .await
            .expect("quiet");
        assert_eq!(quiet.counts.products_written, 0, "{quiet:?}");
    }
    let quiet = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("quiet");
    assert!(
        quiet.calls.shopify <= 3,
        "a quiet cycle: variants changed, levels changed, orders changed: {quiet:?}"
    );

    post(&w.shop, "/clock", json!({"advance_seconds": 2})).await;
    hand_edit(&w, &code(5), 99).await;
    seed(&w.shop, &w.bill, 600..601, 0, 4).await;
    w.shop.observer().clear();
    let cycle = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("scheduled cycle");
    // Only changes were asked for: every catalogue and level read carries an updated_at filter.
    let log = w.shop.observer().log();
    let reads: Vec<&str> = log
        .iter()
        .filter(|l| {
            l.graphql
                .as_deref()
                .is_some_and(|d| d.contains("query Variants") || d.contains("query LocationLevels"))
        })
        .map(|l| l.body.as_str())
        .collect();
    assert!(!reads.is_empty());
    for body in reads {
        assert!(body.contains("updated_at:>="), "an unfiltered read: {body}");
    }
    assert!(
        cycle.calls.shopify < full.calls.shopify,
        "incremental {} calls, full {}",
        cycle.calls.shopify,
        full.calls.shopify
    );
    assert_eq!(
        available(&w, &code(5)).await,
        10,
        "drift corrected: {cycle:?}"
    );
    assert_eq!(available(&w, &code(600)).await, 4, "new product written");
    assert!(
        open_keys(&r)
            .await
            .contains(&"shopify_drift:P-00005".to_owned())
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_close_when_a_run_sees_them_gone() {
    let w = world(2, 0, 1, 1.0).await;
    // In billing only: no Shopify product carries the code yet.
    post(
        &w.bill,
        "/billing/seed",
        json!({"warehouse": WAREHOUSE, "articles": [{"code": "SOLO-1", "name": "Solo",
            "unit": "buc", "price": "10.00", "vat_percent": 21, "stock": "3"}]}),
    )
    .await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("first sync");
    // Two sold where billing has one: the target is 1 − 2 = −1.
    place_order(&w, &[(&code(0), 2)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("orders");
    assert_eq!(
        open_keys(&r).await,
        [
            "billing_product_without_shopify_match:SOLO-1",
            "target_below_zero:P-00000"
        ]
    );

    // The product is created in Shopify with the code, and a receipt of 2 makes the target +1.
    post(
        &w.shop,
        "/shopify/seed",
        json!({"products": [{"title": "Solo", "variants": [{"title": "Default Title",
            "sku": "SOLO-1", "price": "10.00", "stock": 0}]}]}),
    )
    .await;
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": code(0), "quantity": 2}]}),
    )
    .await;
    r.engine.sync_now(SyncScope::All).await.expect("sync now");
    assert!(open_keys(&r).await.is_empty(), "{:?}", open_keys(&r).await);
    assert_eq!(available(&w, "SOLO-1").await, 3);
    let closed = r
        .store
        .call(|s| s.resolved_findings(100))
        .await
        .expect("closed");
    let mut closed: Vec<String> = closed.into_iter().map(|f| f.finding.key).collect();
    closed.sort();
    assert_eq!(
        closed,
        [
            "billing_product_without_shopify_match:SOLO-1",
            "target_below_zero:P-00000"
        ]
    );

    // Seen again after closing: it reopens and is notified again.
    let before = notes_of(&r.notes).len();
    place_order(&w, &[(&code(0), 5)]).await;
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("oversold again");
    assert_eq!(open_keys(&r).await, ["target_below_zero:P-00000"]);
    assert_eq!(notes_of(&r.notes).len(), before + 1);
    r.engine.stop().await;
}
