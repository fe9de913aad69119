//! Reads against the demo shop: shop, locations, the whole catalogue in pages of 250, variants
//! by exact SKU or barcode, products changed since a time, inventory levels.

mod common;

use chrono::{DateTime, Utc};
use common::{client, control, control_get, primary_location, requests, seed, sim};
use punte_core::product::CodeSource;
use serde_json::json;

#[tokio::test]
async fn shop_and_locations() {
    let sim = sim(true).await;
    let c = client(&sim);
    let shop = c.shop().await.expect("shop");
    assert_eq!(shop.currency.0, "RON");
    assert_eq!(shop.timezone, "Europe/Bucharest");
    let locations = c.locations().await.expect("locations");
    let names: Vec<_> = locations
        .iter()
        .map(|l| (l.name.as_str(), l.primary))
        .collect();
    assert_eq!(
        names,
        vec![("Depozit central", true), ("Magazin Cluj", false)]
    );
}

#[tokio::test]
async fn whole_catalogue_in_pages_of_250() {
    let sim = sim(false).await;
    seed(&sim, 600, 3).await;
    let c = client(&sim);
    let all = c.catalogue().await.expect("catalogue");
    assert_eq!(all.len(), 600);
    assert_eq!(all[0].sku.as_deref(), Some("P-00000"));
    assert!(all.iter().all(|v| v.tracked && v.barcode.is_some()));
    let bodies = requests(&sim, "/graphql.json").await;
    assert_eq!(bodies.len(), 3, "600 variants take 3 pages of 250");
    assert!(bodies.iter().all(|(_, b)| b.contains("\"first\":250")));
}

#[tokio::test]
async fn variants_by_exact_code() {
    let sim = sim(true).await;
    let c = client(&sim);
    let dup = punte_sim::demo::DUPLICATE_SKU;
    let found = c
        .variants_by_code(CodeSource::Sku, &[dup, "PNT-MIE-0002-500g", "NU-EXISTA"])
        .await
        .expect("search");
    let dups = found
        .iter()
        .filter(|v| v.sku.as_deref() == Some(dup))
        .count();
    assert_eq!(dups, 2, "a duplicated SKU returns both variants: {found:?}");
    assert_eq!(found.len(), 3);
    // Shopify's search ignores case; codes must match exactly, so this finds nothing.
    let lower = c
        .variants_by_code(CodeSource::Sku, &["pnt-mie-0002-500g"])
        .await
        .expect("search");
    assert!(lower.is_empty(), "{lower:?}");
    let barcode = found[0]
        .barcode
        .clone()
        .expect("demo variants have barcodes");
    let by_barcode = c
        .variants_by_code(CodeSource::Barcode, &[barcode.as_str()])
        .await
        .expect("search");
    assert_eq!(by_barcode.len(), 1);
    assert_eq!(by_barcode[0].variant_id, found[0].variant_id);
}

#[tokio::test]
async fn products_changed_since_a_time() {
    let sim = sim(false).await;
    seed(&sim, 3, 1).await;
    let now: DateTime<Utc> = control_get(&sim, "/clock").await["now"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("clock");
    control(&sim, "/clock", json!({"advance_seconds": 60})).await;
    let later = now + chrono::TimeDelta::seconds(30);
    let c = client(&sim);
    assert!(
        c.products_changed_since(later)
            .await
            .expect("query")
            .is_empty()
    );
    seed(&sim, 2, 1).await; // two more products, created (and updated) 60 s after `now`
    let changed = c.products_changed_since(later).await.expect("query");
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(
        changed
            .iter()
            .all(|p| p.variants.len() == 1 && p.variants_complete)
    );
    assert!(changed.iter().all(|p| p.updated_at >= later));
    assert_eq!(
        c.products_changed_since(now - chrono::TimeDelta::seconds(5))
            .await
            .expect("q")
            .len(),
        5
    );
}

#[tokio::test]
async fn levels_at_a_location_and_of_some_items() {
    let sim = sim(false).await;
    seed(&sim, 300, 7).await;
    let c = client(&sim);
    let loc = primary_location(&c).await;
    let levels = c.levels_at(loc).await.expect("levels");
    assert_eq!(levels.len(), 300, "two pages");
    assert!(
        levels
            .iter()
            .all(|l| l.available == 7 && l.committed == 0 && l.on_hand == 7)
    );
    control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": "P-00005", "quantity": 2}]}),
    )
    .await;
    let item = levels
        .iter()
        .find(|l| l.sku.as_deref() == Some("P-00005"))
        .expect("item");
    let other = levels[0].inventory_item_id;
    let some = c
        .levels_of(loc, &[item.inventory_item_id, other])
        .await
        .expect("levels");
    let moved = some
        .iter()
        .find(|l| l.inventory_item_id == item.inventory_item_id)
        .expect("re-read");
    assert_eq!((moved.available, moved.committed, moved.on_hand), (5, 2, 7));
    assert_eq!(some.len(), 2);
}

/// Shopify's fixed bundles: only the variants that require components come back, each with its
/// components (variant, units per bundle) in Shopify's order; the catalogue reads the parent as
/// not tracked (Punte never writes it).
#[tokio::test]
async fn bundle_parents_with_their_components() {
    let sim = sim(false).await;
    seed(&sim, 3, 5).await;
    let parent = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": "CUTIE", "price": "300.00", "stock": 0,
        "components": [{"sku": "P-00002", "quantity": 2}, {"sku": "P-00000", "quantity": 1}]}]});
    control(&sim, "/shopify/seed", json!({"products": [parent]})).await;
    let c = client(&sim);
    let all = c.catalogue().await.expect("catalogue");
    let id_of = |sku: &str| {
        all.iter()
            .find(|v| v.sku.as_deref() == Some(sku))
            .map(|v| v.variant_id)
            .expect("variant")
    };
    let box_row = all.iter().find(|v| v.sku.as_deref() == Some("CUTIE"));
    assert!(box_row.is_some_and(|v| !v.tracked), "{box_row:?}");
    let parents = c.bundle_parents().await.expect("bundle parents");
    assert_eq!(parents.len(), 1, "{parents:?}");
    assert_eq!(parents[0].variant_id, id_of("CUTIE"));
    assert_eq!(
        parents[0].components,
        vec![(id_of("P-00002"), 2), (id_of("P-00000"), 1)]
    );
    assert!(parents[0].complete);
}
