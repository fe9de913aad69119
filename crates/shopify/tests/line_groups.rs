//! Shopify's native bundles on order lines (issue 18): an order of a bundle parent comes back
//! as its component lines, each naming the bundle it was sold in (`LineItem.lineItemGroup`:
//! id, title, bundles ordered, the parent's product, variant and SKU), read by the import
//! query and by the query for an order's remaining lines alike; a plain line names none.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{client, control, control_get, seed, sim_with};
use punte_core::product::VariantId;
use punte_shopify::{OrderCursor, ShopifyOrder};
use punte_sim::{SimOptions, SimServer};
use serde_json::{Value, json};

const OVERLAP: Duration = Duration::from_secs(300);
const BUNDLE: &str = "CUTIE-CADOU";

/// Seeds A (P-00000), B (P-00001) and a bundle parent of 2×A + 1×B.
async fn shop() -> SimServer {
    let sim = sim_with(SimOptions {
        shopify_bucket: (20_000.0, 1000.0),
        ..SimOptions::default()
    })
    .await;
    seed(&sim, 12, 50).await;
    let parent = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": BUNDLE, "price": "300.00", "stock": 0,
        "components": [{"sku": "P-00000", "quantity": 2}, {"sku": "P-00001", "quantity": 1}]}]});
    control(&sim, "/shopify/seed", json!({"products": [parent]})).await;
    sim
}

fn variant(state: &Value, sku: &str) -> (u64, u64) {
    let v = state["variants"]
        .as_object()
        .expect("variants")
        .values()
        .find(|v| v["sku"] == sku)
        .unwrap_or_else(|| panic!("variant {sku}"));
    (
        v["id"].as_u64().expect("id"),
        v["product_id"].as_u64().expect("product"),
    )
}

async fn import(sim: &SimServer) -> Vec<ShopifyOrder> {
    client(sim)
        .orders_changed(&OrderCursor::default(), OVERLAP)
        .await
        .expect("import")
        .orders
}

#[tokio::test]
async fn a_bundle_order_comes_back_as_component_lines_with_their_group() {
    let sim = shop().await;
    let placed = control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": BUNDLE, "quantity": 2}, {"sku": "P-00005", "quantity": 1}]}),
    )
    .await;
    let state = control_get(&sim, "/state").await;
    let (parent_variant, parent_product) = variant(&state, BUNDLE);

    let orders = import(&sim).await;
    let order = orders
        .iter()
        .find(|o| o.name == placed["name"])
        .expect("the order");
    let skus: Vec<_> = order.lines.iter().map(|l| l.sku.as_deref()).collect();
    assert_eq!(skus, [Some("P-00000"), Some("P-00001"), Some("P-00005")]);
    let quantities: Vec<_> = order.lines.iter().map(|l| l.quantity).collect();
    assert_eq!(
        quantities,
        [4, 2, 1],
        "2 bundles of 2×A + 1×B, and one plain line"
    );

    let group = order.lines[0].group.clone().expect("A names its bundle");
    assert_eq!(order.lines[1].group.as_ref(), Some(&group), "one group");
    assert_eq!(order.lines[2].group, None, "a plain line has no group");
    assert_eq!(group.title, "Cutie cadou");
    assert_eq!(group.quantity, 2, "bundles ordered");
    assert_eq!(group.variant_sku.as_deref(), Some(BUNDLE));
    assert_eq!(group.variant_id, Some(VariantId(parent_variant)));
    assert_eq!(group.product_id, Some(parent_product));
}

#[tokio::test]
async fn two_bundle_lines_are_two_groups_even_past_the_first_page_of_lines() {
    let sim = shop().await;
    // Ten plain lines first, so both bundles' components come through OrderLines.
    let mut lines: Vec<Value> = (2..12)
        .map(|i| json!({"sku": format!("P-{i:05}"), "quantity": 1}))
        .collect();
    lines.push(json!({"sku": BUNDLE, "quantity": 1}));
    lines.push(json!({"sku": BUNDLE, "quantity": 3}));
    control(&sim, "/shopify/orders", json!({"lines": lines})).await;

    let orders = import(&sim).await;
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order.lines.len(), 14);
    assert!(order.lines[..10].iter().all(|l| l.group.is_none()));
    let groups: BTreeSet<u64> = order.lines[10..]
        .iter()
        .map(|l| l.group.as_ref().expect("a component").id)
        .collect();
    assert_eq!(groups.len(), 2, "each ordered bundle line is its own group");
    let per_group: Vec<(i64, i64)> = order.lines[10..]
        .iter()
        .map(|l| (l.group.as_ref().map_or(0, |g| g.quantity), l.quantity))
        .collect();
    assert_eq!(per_group, [(1, 2), (1, 1), (3, 6), (3, 3)]);
}
