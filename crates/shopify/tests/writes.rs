//! Compare-and-set stock writes against the simulator: batches of ≤250, per-item stale and
//! rejected results, and cost-aware pacing that never gets THROTTLED.

mod common;

use std::time::Instant;

use common::{client, control, primary_location, requests, seed, sim, sim_with};
use punte_core::product::InventoryItemId;
use punte_shopify::{Level, QuantityName, QuantityWrite, ShopifyClient, WriteBatch};
use punte_sim::SimOptions;
use serde_json::json;

fn batch(location_id: u64, writes: Vec<QuantityWrite>) -> WriteBatch {
    WriteBatch {
        location_id,
        name: QuantityName::Available,
        reason: "correction".into(),
        reference_document_uri: Some("gid://punte/SyncRun/1".into()),
        writes,
    }
}

/// Target `available + delta` for every level, compared against what was read.
fn plan(levels: &[Level], delta: i64) -> Vec<QuantityWrite> {
    levels
        .iter()
        .map(|l| QuantityWrite {
            inventory_item_id: l.inventory_item_id,
            quantity: l.available + delta,
            change_from: Some(l.available),
        })
        .collect()
}

async fn setup(n: usize) -> (punte_sim::SimServer, ShopifyClient, u64, Vec<Level>) {
    let sim = sim(false).await;
    seed(&sim, n, 10).await;
    let c = client(&sim);
    let loc = primary_location(&c).await;
    let levels = c.levels_at(loc).await.expect("levels");
    (sim, c, loc, levels)
}

#[tokio::test]
async fn writes_in_batches_of_250_with_idempotency_keys() {
    let (sim, c, loc, levels) = setup(600).await;
    let report = c.set_quantities(&batch(loc, plan(&levels, 5))).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.applied.len(), 600);
    assert_eq!(report.mutations, 3, "250 + 250 + 100");
    let after = c.levels_at(loc).await.expect("levels");
    assert!(
        after.iter().all(|l| l.available == 15),
        "every write landed"
    );
    let bodies: Vec<_> = requests(&sim, "/graphql.json")
        .await
        .into_iter()
        .map(|r| r.1)
        .collect();
    let writes: Vec<_> = bodies
        .iter()
        .filter(|b| b.contains("inventorySetQuantities"))
        .collect();
    assert_eq!(writes.len(), 3);
    assert!(
        writes
            .iter()
            .all(|b| b.contains("@idempotent(key: $key)") && b.contains("\"key\":\""))
    );
}

#[tokio::test]
async fn stale_rows_are_reported_and_the_rest_written() {
    let (sim, c, loc, levels) = setup(20).await;
    // Two orders arrive after the read: their items' available moved.
    for sku in ["P-00003", "P-00011"] {
        control(
            &sim,
            "/shopify/orders",
            json!({"lines": [{"sku": sku, "quantity": 1}]}),
        )
        .await;
    }
    let report = c.set_quantities(&batch(loc, plan(&levels, -4))).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    let stale_skus: Vec<_> = report
        .stale
        .iter()
        .map(|w| {
            levels
                .iter()
                .find(|l| l.inventory_item_id == w.inventory_item_id)
        })
        .map(|l| l.and_then(|l| l.sku.clone()).unwrap_or_default())
        .collect();
    assert_eq!(stale_skus, vec!["P-00003", "P-00011"]);
    assert_eq!(report.applied.len(), 18);
    let after = c.levels_at(loc).await.expect("levels");
    for l in &after {
        let expected = if report
            .stale
            .iter()
            .any(|w| w.inventory_item_id == l.inventory_item_id)
        {
            9
        } else {
            6
        };
        assert_eq!(l.available, expected, "{:?}", l.sku);
    }
}

#[tokio::test]
async fn unknown_items_are_rejected_per_item() {
    let (_sim, c, loc, levels) = setup(5).await;
    let mut writes = plan(&levels, 1);
    writes.insert(
        2,
        QuantityWrite {
            inventory_item_id: InventoryItemId(999_999),
            quantity: 1,
            change_from: None,
        },
    );
    let report = c.set_quantities(&batch(loc, writes)).await;
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].code, "INVALID_INVENTORY_ITEM");
    assert_eq!(report.applied.len(), 5);
}

#[tokio::test]
async fn pacing_waits_for_the_bucket_instead_of_being_throttled() {
    // A 30-point bucket refilled at 100/s: 30 writes of 10 points cannot all go at once.
    let sim = sim_with(SimOptions {
        shopify_bucket: (30.0, 100.0),
        ..SimOptions::default()
    })
    .await;
    seed(&sim, 30, 10).await;
    let c = client(&sim);
    control(
        &sim,
        "/shopify/options",
        json!({"bucket_maximum": 2000.0, "currently_available": 2000.0}),
    )
    .await;
    let loc = primary_location(&c).await;
    let levels = c.levels_at(loc).await.expect("levels");
    control(
        &sim,
        "/shopify/options",
        json!({"bucket_maximum": 30.0, "currently_available": 30.0}),
    )
    .await;
    let throttled_before = c.stats().throttled;
    let started = Instant::now();
    for (i, w) in plan(&levels, 1).into_iter().enumerate() {
        let r = c.set_quantities(&batch(loc, vec![w])).await;
        assert!(
            r.error.is_none() && r.applied.len() == 1,
            "write {i}: {:?}",
            r.error
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(
        c.stats().throttled,
        throttled_before,
        "pacing must avoid THROTTLED"
    );
    // 300 points with 30 in hand: at least (300 − 30) / 100 = 2.7 s, and not much more.
    assert!((2.6..4.0).contains(&elapsed), "took {elapsed:.2} s");
}

#[tokio::test]
async fn a_key_still_in_progress_is_asked_again_with_the_same_key() {
    let (sim, c, loc, levels) = setup(3).await;
    control(
        &sim,
        "/shopify/options",
        json!({"idempotency_in_progress": 2}),
    )
    .await;
    let report = c.set_quantities(&batch(loc, plan(&levels, 1))).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.applied.len(), 3);
    let writes: Vec<_> = requests(&sim, "/graphql.json")
        .await
        .into_iter()
        .filter(|r| r.1.contains("inventorySetQuantities"))
        .collect();
    assert_eq!(writes.len(), 3, "two answers 'in progress', then the write");
    assert!(
        writes.iter().all(|w| w.1 == writes[0].1),
        "the same body and idempotency key each time"
    );
}

/// Issue 20 item 1: a billing stock of 10¹² (beyond a GraphQL `Int`) used to make Shopify refuse
/// the whole batch. It is written as Shopify's maximum, reported as clamped, and the other rows
/// go through in the same call.
#[tokio::test]
async fn a_quantity_beyond_shopifys_range_is_clamped_and_the_rest_written() {
    let (_sim, c, loc, levels) = setup(5).await;
    let mut writes = plan(&levels, 5);
    writes[2].quantity = 1_000_000_000_000;
    let report = c.set_quantities(&batch(loc, writes)).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.applied.len(), 5);
    assert_eq!(report.mutations, 1);
    assert_eq!(report.clamped.len(), 1);
    assert_eq!(report.clamped[0].wanted, 1_000_000_000_000);
    assert_eq!(report.clamped[0].sent, punte_shopify::MAX_QUANTITY);
    let after: Vec<i64> = c
        .levels_at(loc)
        .await
        .expect("levels")
        .iter()
        .map(|l| l.available)
        .collect();
    assert_eq!(after, [15, 15, 1_000_000_000, 15, 15]);
}

/// A row that makes Shopify refuse the whole request never fails the others: a row the refusal
/// names is rejected and the rest sent again; one it does not name is found by halving.
#[tokio::test]
async fn a_row_refusing_the_whole_request_is_isolated() {
    let (sim, c, loc, levels) = setup(8).await;
    let mut writes = plan(&levels, 5);
    writes[1].change_from = Some(1 << 40); // named: "…invalid value for quantities.1.…"
    let report = c.set_quantities(&batch(loc, writes.clone())).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert_eq!(
        report.rejected[0].write.inventory_item_id,
        writes[1].inventory_item_id
    );
    assert_eq!(report.applied.len(), 7);

    let levels = c.levels_at(loc).await.expect("levels");
    let bad = levels[5].inventory_item_id.0;
    control(
        &sim,
        "/shopify/options",
        json!({"refuse_inventory_item": bad}),
    )
    .await;
    let report = c.set_quantities(&batch(loc, plan(&levels, 1))).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    let rejected: Vec<u64> = report
        .rejected
        .iter()
        .map(|r| r.write.inventory_item_id.0)
        .collect();
    assert_eq!(rejected, [bad], "found by halving");
    assert_eq!(report.applied.len(), 7);
}
