//! Bundles and kits in one look, not at the next full cycle (issue 18), against the simulators:
//! a Shopify bundle created after the first full cycle is known (components stored, what it
//! allows readable) after the next incremental cycle, with no write to its parent; and a kit
//! order's components get their new Shopify levels in the very cycle that imported the order,
//! each written once, and nothing else written.

mod common;

use common::*;
use punte_core::product::VariantId;
use punte_engine::SyncScope;
use serde_json::{Value, json};

/// The simulator's variant with `sku`: (variant id, inventory item gid as the client sends it).
async fn variant(w: &World, sku: &str) -> (u64, String) {
    let state = get(&w.shop, "/state").await;
    let v = state["variants"]
        .as_object()
        .expect("variants")
        .values()
        .find(|v| v["sku"] == sku)
        .unwrap_or_else(|| panic!("variant {sku}"))
        .clone();
    let item = v["inventory_item_id"].as_u64().expect("item id");
    (
        v["id"].as_u64().expect("variant id"),
        format!("gid://shopify/InventoryItem/{item}\""),
    )
}

/// The bodies of the `inventorySetQuantities` calls Shopify received since the log was reset.
async fn writes(w: &World) -> Vec<String> {
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

/// How many times `item` (a gid as [`variant`] gives it) was written in `bodies`.
fn written(bodies: &[String], item: &str) -> usize {
    bodies.iter().map(|b| b.matches(item).count()).sum()
}

fn gift_box(components: Value) -> Value {
    json!({"products": [{"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": "CUTIE-NOUA", "price": "300.00", "stock": 0, "components": components}]}]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_created_after_the_full_cycle_is_known_after_the_next_look() {
    let w = world(3, 10, 10, 1.0).await;
    let (a, b) = (code(0), code(1));
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("full cycle");
    assert!(
        r.store
            .call(|s| s.bundles())
            .await
            .expect("bundles")
            .is_empty()
    );

    // The merchant makes a gift box of 2×A + 1×B in Shopify.
    let parts = json!([{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}]);
    post(&w.shop, "/shopify/seed", gift_box(parts)).await;
    post(&w.shop, "/reset-log", json!({})).await;
    r.engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("one look");

    let ((pa, _), (pb, _)) = (variant(&w, &a).await, variant(&w, &b).await);
    let (parent, parent_item) = variant(&w, "CUTIE-NOUA").await;
    let (bundles, levels, rows) = r
        .store
        .call(|s| Ok((s.bundles()?, s.shopify_levels()?, s.products()?)))
        .await
        .expect("store");
    assert_eq!(bundles.len(), 1, "{bundles:?}");
    assert_eq!(bundles[0].variant_id, VariantId(parent));
    assert_eq!(
        bundles[0].components,
        vec![(VariantId(pa), 2), (VariantId(pb), 1)]
    );
    // What it allows is readable from what Punte stored: min(⌊10 / 2⌋, ⌊10 / 1⌋).
    let level_of = |variant: VariantId| {
        let item = rows
            .iter()
            .find(|p| p.variant.variant_id == variant)
            .map(|p| p.variant.inventory_item_id)
            .expect("component stored");
        levels
            .iter()
            .find(|l| l.inventory_item_id == item && l.location_id == w.location)
            .map(|l| l.available)
            .expect("component level stored")
    };
    let allows = bundles[0]
        .components
        .iter()
        .map(|(v, q)| level_of(*v) / q)
        .min();
    assert_eq!(allows, Some(5));
    assert_eq!(
        written(&writes(&w).await, &parent_item),
        0,
        "the parent is never written"
    );
    r.engine.stop().await;
}

/// A kit of 2×A + 1×B ordered once: the one incremental cycle that imports the order writes A
/// and B (Shopify moved only the kit's own level), each once, and leaves C alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kit_order_moves_its_components_in_the_look_that_imports_it() {
    let w = world(4, 10, 10, 1.0).await;
    let (a, b, c) = (code(0), code(1), code(2));
    // A minute after the catalogue was made, D is typed by hand: the full cycle's newest level
    // is D's, so the look's "levels changed since" does not bring A, B and C back by itself.
    post(&w.shop, "/clock", json!({"advance_seconds": 60})).await;
    let hand = json!({"sku": code(3), "quantity": 7});
    post(&w.shop, "/shopify/levels", hand).await;
    seed_gift_box(&w).await;
    let r = start(&w);
    save_gift_box(&r, &a, &b).await;
    r.engine.sync_now(SyncScope::All).await.expect("full cycle");
    assert_eq!(available(&w, KIT).await, 5, "min(⌊10 / 2⌋, ⌊10 / 1⌋)");

    place_order(&w, &[(KIT, 1)]).await;
    post(&w.shop, "/reset-log", json!({})).await;
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("one look");
    assert_eq!(
        run.counts.orders_imported, 1,
        "this look imported the order"
    );
    assert_eq!(reserved(&r.store, &a).await, 2);
    assert_eq!(reserved(&r.store, &b).await, 1);
    assert_eq!(available(&w, &a).await, 8, "{run:?}");
    assert_eq!(available(&w, &b).await, 9);
    assert_eq!(
        available(&w, KIT).await,
        4,
        "Shopify's own sale: min(⌊8 / 2⌋, ⌊9 / 1⌋)"
    );
    let bodies = writes(&w).await;
    let ((_, ia), (_, ib), (_, ic)) = (
        variant(&w, &a).await,
        variant(&w, &b).await,
        variant(&w, &c).await,
    );
    assert_eq!(written(&bodies, &ia), 1, "A once: {bodies:?}");
    assert_eq!(written(&bodies, &ib), 1, "B once");
    assert_eq!(written(&bodies, &ic), 0, "C did not change");
    let (_, ikit) = variant(&w, KIT).await;
    assert_eq!(
        written(&bodies, &ikit),
        0,
        "Shopify already lowered the kit"
    );
    r.engine.stop().await;
}

/// The recipe Punte holds for the gift box: (component SKU, units), in Shopify's order.
async fn recipe(w: &World, r: &Running) -> Vec<(String, i64)> {
    let state = get(&w.shop, "/state").await;
    let sku_of = |id: VariantId| {
        state["variants"][id.0.to_string()]["sku"]
            .as_str()
            .expect("component sku")
            .to_owned()
    };
    let bundles = r.store.call(|s| s.bundles()).await.expect("bundles");
    bundles
        .iter()
        .flat_map(|b| b.components.iter().map(|(v, q)| (sku_of(*v), *q)))
        .collect()
}

/// Shopify's sources do not say whether changing only a bundle's components moves its
/// `updatedAt` (the simulator says no): a look cannot see such a change and the full cycle
/// (the safety net) reads it. A gift box edited and no longer a bundle loses its recipe in the
/// next look.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_look_follows_an_edited_bundle_and_the_full_cycle_any_component_change() {
    let w = world(3, 10, 10, 1.0).await;
    let (a, b, c) = (code(0), code(1), code(2));
    let parts = json!([{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}]);
    post(&w.shop, "/shopify/seed", gift_box(parts)).await;
    // Ten minutes later C is typed by hand: the marks the full cycle leaves are past the
    // catalogue's creation, so a look reads only what changes from now on.
    post(&w.shop, "/clock", json!({"advance_seconds": 600})).await;
    post(&w.shop, "/shopify/levels", json!({"sku": c, "quantity": 7})).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("full cycle");
    assert_eq!(recipe(&w, &r).await, vec![(a.clone(), 2), (b.clone(), 1)]);

    // Only the components change (the parent's updatedAt stays): the look cannot tell.
    let parts = json!([{"sku": a, "quantity": 1}, {"sku": c, "quantity": 1}]);
    let edit = json!({"sku": "CUTIE-NOUA", "components": parts});
    post(&w.shop, "/shopify/bundles", edit).await;
    r.engine.sync_now(SyncScope::StockOnly).await.expect("look");
    assert_eq!(recipe(&w, &r).await, vec![(a.clone(), 2), (b.clone(), 1)]);
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("full cycle");
    assert_eq!(recipe(&w, &r).await, vec![(a.clone(), 1), (c.clone(), 1)]);

    // The merchant turns the box into a plain product and renames it: the next look drops it.
    let plain = json!({"sku": "CUTIE-NOUA", "components": []});
    post(&w.shop, "/shopify/bundles", plain).await;
    let rename = json!({"sku": "CUTIE-NOUA", "title": "Cutie simplă"});
    post(&w.shop, "/shopify/variants/edit", rename).await;
    r.engine.sync_now(SyncScope::StockOnly).await.expect("look");
    assert_eq!(recipe(&w, &r).await, vec![]);
    r.engine.stop().await;
}
