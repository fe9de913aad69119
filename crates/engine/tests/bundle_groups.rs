//! Shopify's native bundles on order lines (issue 18), end to end against the simulators with
//! a SQLite file: a bundle of 2×A + 1×B ordered twice is imported as its component lines,
//! each order keeping one group (the bundle's title, SKU and bundles ordered) over exactly its
//! two component lines, while A reserves 4 and B 2. An order edited in Shopify (a plain line
//! added) is re-imported with its groups replaced, not added to: the new line stays ungrouped.

mod common;

use std::collections::BTreeSet;

use common::*;
use punte_core::order::OrderId;
use punte_engine::SyncScope;
use punte_store::{OrderDetail, StoreHandle};
use serde_json::json;

const BUNDLE: &str = "CUTIE-CADOU";

async fn detail(store: &StoreHandle, id: OrderId) -> OrderDetail {
    store
        .call(move |s| s.order(id))
        .await
        .expect("read")
        .expect("imported")
}

/// (code, quantity) of the lines a group spans, in order.
fn grouped(d: &OrderDetail) -> Vec<(String, i64)> {
    d.order
        .lines
        .iter()
        .filter(|l| d.groups.iter().any(|g| g.line == l.id))
        .map(|l| {
            (
                l.code.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
                l.quantity,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bundle_order_keeps_one_group_over_its_components_and_reserves_them() {
    let w = world(3, 0, 10, 1.0).await;
    let (a, b, c) = (code(0), code(1), code(2));
    let parent = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": BUNDLE, "price": "300.00", "stock": 0,
        "components": [{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}]}]});
    post(&w.shop, "/shopify/seed", json!({"products": [parent]})).await;
    let dir = std::env::temp_dir().join(format!("punte-bundle-groups-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let store = StoreHandle::open(dir.join("punte.db")).expect("store file");
    let r = start_with(&w, config(&w, 1.0), store);
    let first = place_order(&w, &[(BUNDLE, 1)]).await;
    let second = place_order(&w, &[(BUNDLE, 1)]).await;

    r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(reserved(&r.store, &a).await, 4, "2 bundles × 2 A");
    assert_eq!(reserved(&r.store, &b).await, 2, "2 bundles × 1 B");
    let mut ids = BTreeSet::new();
    for order in [first, second] {
        let d = detail(&r.store, order).await;
        assert_eq!(
            d.groups.len(),
            2,
            "A and B name their bundle: {:?}",
            d.groups
        );
        let g = &d.groups[0];
        assert_eq!(d.groups[1].group_id, g.group_id, "one bundle, one group");
        assert_eq!(
            (g.title.as_str(), g.quantity, g.sku.as_deref()),
            ("Cutie cadou", 1, Some(BUNDLE))
        );
        assert_eq!(grouped(&d), [(a.clone(), 2), (b.clone(), 1)]);
        ids.insert(g.group_id);
    }
    assert_eq!(ids.len(), 2, "each order's bundle is its own group");

    // Edited in Shopify: a plain C added to the first order. Re-imported, its groups are the
    // same two rows, and C stands on its own.
    post(
        &w.shop,
        &format!("/shopify/orders/{}/edit", first.0),
        json!({"add": [{"sku": c, "quantity": 1}]}),
    )
    .await;
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    let d = detail(&r.store, first).await;
    assert_eq!(d.order.lines.len(), 3, "{:?}", d.order.lines);
    assert_eq!(d.groups.len(), 2, "{:?}", d.groups);
    assert_eq!(grouped(&d), [(a.clone(), 2), (b.clone(), 1)]);
    assert_eq!(reserved(&r.store, &a).await, 4);
    assert_eq!(reserved(&r.store, &c).await, 1);
    r.engine.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
