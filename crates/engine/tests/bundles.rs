//! Shopify bundles (issue 18) end to end against the simulators: a bundle of 2×A + 1×B ordered
//! twice reserves its components (A 4, B 2), their levels are written from billing less those
//! reservations, and the bundle parent is never written even when billing has a code for it.
//! A bundle defined only in Shopify's catalogue is read with it (its components and units) and
//! stored for the Stock screen. A merchant's kit is written in the one-location cycle as the
//! multi-location one writes it: the least its recipe allows.

mod common;

use common::*;
use punte_core::product::VariantId;
use punte_engine::SyncScope;
use serde_json::{Value, json};

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

/// The simulator's variant with `sku`: (variant id, inventory item id).
fn variant_of(state: &Value, sku: &str) -> (u64, u64) {
    let v = state["variants"]
        .as_object()
        .expect("variants")
        .values()
        .find(|v| v["sku"] == sku)
        .unwrap_or_else(|| panic!("variant {sku}"));
    (
        v["id"].as_u64().expect("variant id"),
        v["inventory_item_id"].as_u64().expect("item id"),
    )
}

/// The bodies of the `inventorySetQuantities` calls Shopify received.
async fn set_quantities_bodies(w: &World) -> Vec<String> {
    get(&w.shop, "/log")
        .await
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|e| e["body"].as_str())
        .filter(|b| b.contains("inventorySetQuantities"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_only_in_the_catalogue_is_read_with_its_components_and_never_written() {
    let w = world(2, 0, 10, 1.0).await;
    let (a, b) = (code(0), code(1));
    let parent = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": BUNDLE, "price": "300.00", "stock": 0,
        "components": [{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}]}]});
    post(&w.shop, "/shopify/seed", json!({"products": [parent]})).await;
    let r = start(&w);
    place_order(&w, &[(BUNDLE, 1)]).await;
    place_order(&w, &[(BUNDLE, 1)]).await;

    let run = r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(reserved(&r.store, &a).await, 4, "2 bundles × 2 A");
    assert_eq!(reserved(&r.store, &b).await, 2, "2 bundles × 1 B");
    assert_eq!(available(&w, &a).await, 10 - 4, "{run:?}");
    assert_eq!(available(&w, &b).await, 10 - 2);

    // The catalogue read found the parent and its recipe (Shopify's, not an order's groups).
    let state = get(&w.shop, "/state").await;
    let ((pa, _), (pb, _)) = (variant_of(&state, &a), variant_of(&state, &b));
    let (parent_variant, parent_item) = variant_of(&state, BUNDLE);
    let bundles = r.store.call(|s| s.bundles()).await.expect("bundles");
    assert_eq!(bundles.len(), 1, "{bundles:?}");
    assert_eq!(bundles[0].variant_id, VariantId(parent_variant));
    assert_eq!(
        bundles[0].components,
        vec![(VariantId(pa), 2), (VariantId(pb), 1)]
    );
    // The parent's own level is never touched.
    assert_eq!(
        available(&w, BUNDLE).await,
        0,
        "the parent's level is its own"
    );
    let writes = set_quantities_bodies(&w).await;
    assert!(!writes.is_empty(), "components were written");
    let item_gid = format!("gid://shopify/InventoryItem/{parent_item}\"");
    assert!(
        writes.iter().all(|b| !b.contains(&item_gid)),
        "no write attempted on the bundle parent"
    );

    // An incremental cycle after a receipt: still never the parent.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": a, "quantity": 4}]}),
    )
    .await;
    r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(available(&w, &a).await, 14 - 4);
    let writes = set_quantities_bodies(&w).await;
    assert!(writes.iter().all(|b| !b.contains(&item_gid)));
    r.engine.stop().await;
}

/// A merchant's kit of 2×A + 1×B sold as its own Shopify SKU, with one location: its level is
/// the least its recipe allows after the components' reservations, in full and incremental
/// cycles alike (the multi-location cycle's rule, `core::locations_plan`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kit_level_is_written_in_the_one_location_cycle() {
    let w = world(2, 0, 10, 1.0).await;
    let (a, b) = (code(0), code(1));
    seed_gift_box(&w).await;
    let r = start(&w);
    save_gift_box(&r, &a, &b).await;
    place_order(&w, &[(KIT, 1)]).await;

    r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(reserved(&r.store, &a).await, 2);
    assert_eq!(reserved(&r.store, &b).await, 1);
    assert_eq!(available(&w, &a).await, 8);
    assert_eq!(available(&w, &b).await, 9);
    assert_eq!(available(&w, KIT).await, 4, "min(⌊8 / 2⌋, ⌊9 / 1⌋)");

    // A receipt of A, then a second kit order: the incremental cycle follows both.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": a, "quantity": 10}]}),
    )
    .await;
    place_order(&w, &[(KIT, 1)]).await;
    r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(reserved(&r.store, &a).await, 4);
    assert_eq!(available(&w, &a).await, 20 - 4);
    assert_eq!(available(&w, KIT).await, 8, "min(⌊16 / 2⌋, ⌊8 / 1⌋)");
    r.engine.stop().await;
}
