//! Shopify bundles (issue 18) end to end against the simulators: a bundle of 2×A + 1×B ordered
//! twice reserves its components (A 4, B 2), their levels are written from billing less those
//! reservations, and the bundle parent is never written even when billing has a code for it.

mod common;

use common::*;
use punte_engine::SyncScope;
use serde_json::json;

const BUNDLE: &str = "CUTIE-CADOU";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_reserves_its_components_and_its_parent_is_never_written() {
    let w = world(2, 0, 10, 1.0).await;
    let (a, b) = (code(0), code(1));
    let parent = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": BUNDLE, "price": "300.00", "stock": 0,
        "components": [{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}]}]});
    post(&w.shop, "/shopify/seed", json!({"products": [parent]})).await;
    // The merchant also keeps the gift box as an article in billing: Punte must still not write
    // Shopify's bundle parent (Shopify derives its stock from the components).
    let article = json!({"code": BUNDLE, "name": "Cutie cadou", "unit": "buc",
        "price": "300.00", "vat_percent": 21, "stock": "5"});
    post(
        &w.bill,
        "/billing/seed",
        json!({"articles": [article], "warehouse": WAREHOUSE}),
    )
    .await;
    let r = start(&w);
    place_order(&w, &[(BUNDLE, 1)]).await;
    place_order(&w, &[(BUNDLE, 1)]).await;

    let run = r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(reserved(&r.store, &a).await, 4, "2 bundles × 2 A");
    assert_eq!(reserved(&r.store, &b).await, 2, "2 bundles × 1 B");
    assert_eq!(available(&w, &a).await, 10 - 4, "{run:?}");
    assert_eq!(available(&w, &b).await, 10 - 2);
    assert_eq!(
        available(&w, BUNDLE).await,
        0,
        "the parent is never written"
    );
    let log = get(&w.shop, "/log").await;
    let writes: Vec<String> = log
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|e| e["body"].as_str())
        .filter(|b| b.contains("inventorySetQuantities"))
        .map(str::to_owned)
        .collect();
    assert!(!writes.is_empty(), "components were written");
    let state = get(&w.shop, "/state").await;
    let parent_item = state["variants"]
        .as_object()
        .expect("variants")
        .values()
        .find(|v| v["sku"] == BUNDLE)
        .and_then(|v| v["inventory_item_id"].as_u64())
        .expect("parent item");
    let item_gid = format!("gid://shopify/InventoryItem/{parent_item}\"");
    assert!(
        writes.iter().all(|b| !b.contains(&item_gid)),
        "no write attempted on the bundle parent"
    );
    r.engine.stop().await;
}
