//! "Sync warehouse stock" off (`EngineSettings::sync_stock = false`): the engine imports orders
//! and reads Shopify's levels for InStock, writes no level, and the run says how many writes it
//! held back. Turned on again, the next run writes what billing says.

mod common;

use common::*;
use punte_core::order::OrderId;
use punte_engine::{EngineSettings, SyncScope};

async fn verdict(r: &Running, id: OrderId) -> Option<bool> {
    r.store
        .call(move |s| s.order(id))
        .await
        .expect("order")
        .expect("stored")
        .in_stock
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_stock_sync_off_nothing_is_written_and_instock_reads_shopify() {
    // Shopify shows 2 of each product, billing has 6.
    let w = world(2, 2, 6, 1.0).await;
    let mut config = config(&w, 1.0);
    config.settings.sync_stock = false;
    let store = memory_store();
    let r = start_with(&w, config.clone(), store.clone());
    let (a, b) = (code(0), code(1));
    let o1 = place_order(&w, &[(&a, 2)]).await;
    let o2 = place_order(&w, &[(&a, 1), (&b, 1)]).await;
    assert_eq!(available(&w, &a).await, -1);

    let run = r.engine.sync_now(SyncScope::Full).await.expect("run");
    assert_eq!(run.counts.orders_imported, 2, "{run:?}");
    assert_eq!(run.counts.products_written, 0, "{run:?}");
    assert_eq!(run.calls.shopify_writes, 0, "{run:?}");
    // Both products would be written (6 − 3 = 3 and 6 − 1 = 5).
    assert_eq!(run.counts.products_not_synced, 2, "{run:?}");
    assert_eq!((available(&w, &a).await, available(&w, &b).await), (-1, 1));
    assert_eq!(reserved(&store, &a).await, 3);
    // InStock with Shopify's A as read: code 0 has −1 + 3 = 2, o1 takes both, o2 is short.
    assert_eq!(verdict(&r, o1).await, Some(true));
    assert_eq!(verdict(&r, o2).await, Some(false));
    // A second run still writes nothing.
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("run");
    assert_eq!(run.calls.shopify_writes, 0, "{run:?}");
    assert_eq!(available(&w, &a).await, -1);
    r.engine.stop().await;

    // On again (same database): billing − reserved goes to Shopify, and InStock follows B.
    config.settings.sync_stock = true;
    let r = start_with(&w, config, store);
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("run");
    assert_eq!(run.counts.products_not_synced, 0, "{run:?}");
    assert_eq!(
        (available(&w, &a).await, available(&w, &b).await),
        (3, 5),
        "{run:?}"
    );
    assert_eq!(verdict(&r, o1).await, Some(true));
    assert_eq!(verdict(&r, o2).await, Some(true));
    r.engine.stop().await;
}

#[test]
fn a_saved_config_without_the_switch_loads_with_the_sync_on() {
    let mut saved = serde_json::to_value(EngineSettings::default()).expect("json");
    saved
        .as_object_mut()
        .expect("object")
        .remove("sync_stock")
        .expect("the field is saved");
    let back: EngineSettings = serde_json::from_value(saved).expect("old config loads");
    assert!(back.sync_stock);
    assert!(EngineSettings::default().sync_stock);
}
