//! What Shopify changed since a time (the reads of a scheduled cycle): levels at a location with
//! their `updatedAt` (all of them, or only those changed at or after a time) and variants changed
//! since a time, against the simulator's `updated_at` filters.

mod common;

use common::{client, control, primary_location, seed, sim};
use serde_json::json;

#[tokio::test]
async fn levels_and_variants_changed_since_a_time() {
    let sim = sim(false).await;
    seed(&sim, 300, 3).await;
    let c = client(&sim);
    let location = primary_location(&c).await;
    let all = c.levels_since(location, None).await.expect("all levels");
    assert_eq!(all.levels.len(), 300);
    let seeded = all.newest.expect("levels carry their updatedAt");

    // An hour later one level is typed by hand and one product is added.
    control(&sim, "/clock", json!({"advance_seconds": 3600})).await;
    control(
        &sim,
        "/shopify/levels",
        json!({"sku": "P-00007", "quantity": 9}),
    )
    .await;
    control(
        &sim,
        "/shopify/seed",
        json!({"products": [{"title": "Nou", "variants": [{"title": "Default Title",
            "sku": "NEW-1", "price": "1.00", "stock": 4}]}]}),
    )
    .await;
    let since = seeded + chrono::TimeDelta::seconds(1);
    let changed = c
        .levels_since(location, Some(since))
        .await
        .expect("changed");
    let mut skus: Vec<_> = changed
        .levels
        .iter()
        .filter_map(|l| l.sku.clone())
        .collect();
    skus.sort();
    assert_eq!(skus, ["NEW-1", "P-00007"]);
    assert!(changed.newest.is_some_and(|t| t > seeded));
    let hand = changed
        .levels
        .iter()
        .find(|l| l.sku.as_deref() == Some("P-00007"));
    assert_eq!(hand.map(|l| l.available), Some(9));

    let variants = c.variants_changed_since(since).await.expect("variants");
    let codes: Vec<_> = variants.iter().filter_map(|v| v.sku.clone()).collect();
    assert_eq!(codes, ["NEW-1"]);
}

#[tokio::test]
async fn a_read_knows_shopify_time_before_its_first_page() {
    let sim = sim(false).await;
    seed(&sim, 10, 1).await;
    let c = client(&sim);
    assert_eq!(c.shopify_time(), None, "no answer yet");
    let location = primary_location(&c).await;
    let first = c.levels_since(location, None).await.expect("levels");
    let seeded = first.newest.expect("levels carry their updatedAt");
    let asked = first.asked_at.expect("the locations answer's Date");
    assert!(asked >= seeded, "{asked} is before the seed {seeded}");

    // An hour passes on Shopify's clock. The next read's first page went out before any answer
    // told of it, so its lower bound is still the old time; the answers then tell the hour.
    control(&sim, "/clock", json!({"advance_seconds": 3600})).await;
    let hour = seeded + chrono::TimeDelta::hours(1);
    let next = c.levels_since(location, Some(seeded)).await.expect("next");
    assert!(
        next.asked_at.is_some_and(|t| t < hour),
        "{:?}",
        next.asked_at
    );
    assert!(c.shopify_time().is_some_and(|t| t >= hour));
    let after = c.levels_since(location, Some(hour)).await.expect("after");
    assert!(
        after.asked_at.is_some_and(|t| t >= hour),
        "{:?}",
        after.asked_at
    );
    assert!(after.levels.is_empty(), "nothing changed in that hour");
}

/// A look's read of bundle parents: only the parents Shopify changed (here: created) at or
/// after the time come back, with their components; older parents and plain variants do not.
#[tokio::test]
async fn bundle_parents_changed_since_a_time() {
    let sim = sim(false).await;
    seed(&sim, 3, 5).await;
    let bundle = |sku: &str, parts: serde_json::Value| {
        json!({"products": [{"title": sku, "variants": [{"title": "Default Title",
            "sku": sku, "price": "50.00", "stock": 0, "components": parts}]}]})
    };
    let old = bundle("VECHI", json!([{"sku": "P-00000", "quantity": 1}]));
    control(&sim, "/shopify/seed", old).await;
    let c = client(&sim);
    let first = c.bundle_parents().await.expect("all parents");
    assert_eq!(first.len(), 1);

    control(&sim, "/clock", json!({"advance_seconds": 3600})).await;
    let new = bundle(
        "NOU",
        json!([{"sku": "P-00001", "quantity": 3}, {"sku": "P-00002", "quantity": 1}]),
    );
    control(&sim, "/shopify/seed", new).await;
    let since = first_seen(&c, "NOU").await - chrono::TimeDelta::seconds(1);
    let changed = c
        .bundle_parents_changed_since(since)
        .await
        .expect("changed parents");
    assert_eq!(changed.len(), 1, "{changed:?}");
    let all = c.catalogue().await.expect("catalogue");
    let id = |sku: &str| {
        all.iter()
            .find(|v| v.sku.as_deref() == Some(sku))
            .map(|v| v.variant_id)
            .expect("variant")
    };
    assert_eq!(changed[0].variant_id, id("NOU"));
    assert_eq!(
        changed[0].components,
        vec![(id("P-00001"), 3), (id("P-00002"), 1)]
    );
    assert_eq!(c.bundle_parents().await.expect("all").len(), 2);
}

/// When Shopify last changed the product holding `sku` (its `updatedAt`).
async fn first_seen(c: &punte_shopify::ShopifyClient, sku: &str) -> chrono::DateTime<chrono::Utc> {
    let epoch = chrono::DateTime::UNIX_EPOCH;
    c.products_changed_since(epoch)
        .await
        .expect("products")
        .into_iter()
        .find(|p| p.variants.iter().any(|v| v.sku.as_deref() == Some(sku)))
        .map(|p| p.updated_at)
        .expect("product")
}
