//! The access scopes an installed app was granted, read from Shopify before the first sync
//! (issue 15): the shop's plan, every scope Punte needs granted by default, and an app granted
//! fewer — its missing scopes named, and what each one closes refused as a missing scope
//! (never read as withheld customer data), against the simulator's `shopify/options {"scopes"}`.

mod common;

use common::{client, control, primary_location, seed, sim};
use punte_shopify::{QuantityName, QuantityWrite, ShopifyError, WriteBatch, missing_scopes};
use serde_json::json;

#[tokio::test]
async fn granted_scopes_are_read_and_a_missing_one_is_named_and_refused() {
    let sim = sim(false).await;
    seed(&sim, 3, 5).await;
    let c = client(&sim);
    let shop = c.shop().await.expect("shop");
    assert_eq!(shop.plan.as_deref(), Some("Basic"));
    assert!(!shop.development);
    let granted = c.access_scopes().await.expect("scopes");
    assert!(missing_scopes(&granted).is_empty(), "{granted:?}");
    let location = primary_location(&c).await;

    // The merchant ticked only the reads: no write_inventory, and no read_locations.
    control(
        &sim,
        "/shopify/options",
        json!({"scopes": ["read_products", "read_inventory", "read_orders"], "plan": "Grow"}),
    )
    .await;
    let granted = c.access_scopes().await.expect("scopes");
    assert_eq!(
        missing_scopes(&granted),
        ["write_inventory", "read_locations"]
    );
    assert_eq!(c.shop().await.expect("shop").plan.as_deref(), Some("Grow"));
    // read_inventory still opens the locations and their levels.
    assert!(!c.levels_at(location).await.expect("levels").is_empty());
    let levels = c.levels_at(location).await.expect("levels");
    let write = WriteBatch {
        location_id: location,
        name: QuantityName::Available,
        reason: "correction".into(),
        reference_document_uri: None,
        writes: vec![QuantityWrite {
            inventory_item_id: levels[0].inventory_item_id,
            quantity: 9,
            change_from: Some(levels[0].available),
        }],
    };
    let report = c.set_quantities(&write).await;
    assert!(report.applied.is_empty());
    match report.error {
        Some(ShopifyError::AccessDenied(m)) => assert!(m.contains("write_inventory"), "{m}"),
        other => panic!("a write without write_inventory must be denied, got {other:?}"),
    }

    // Without read_inventory, levels below a location are a missing scope, not withheld data.
    control(
        &sim,
        "/shopify/options",
        json!({"scopes": ["read_products", "read_locations", "read_orders"]}),
    )
    .await;
    let granted = c.access_scopes().await.expect("scopes");
    assert_eq!(
        missing_scopes(&granted),
        ["read_inventory", "write_inventory"]
    );
    match c.levels_at(location).await {
        Err(ShopifyError::AccessDenied(m)) => assert!(m.contains("read_inventory"), "{m}"),
        other => panic!("levels without read_inventory must be denied, got {other:?}"),
    }
    // Without read_products the catalogue is refused as a whole.
    control(&sim, "/shopify/options", json!({"scopes": ["read_orders"]})).await;
    assert!(matches!(
        c.catalogue().await,
        Err(ShopifyError::AccessDenied(_))
    ));
}
