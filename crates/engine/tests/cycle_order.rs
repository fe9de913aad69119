//! The order of one cycle (design/stock-model.md): Shopify levels A₀ are read before the orders
//! are imported, and billing stock after both. A sale placed while a step runs is never sold
//! twice: each test places an order exactly while one step's request is held by the simulator.

mod common;

use common::*;
use punte_engine::{EngineEvent, Phase, SyncScope};
use punte_sim::{Fault, FaultRule};
use serde_json::json;

const GRAPHQL: &str = "/admin/api/2026-07/graphql.json";

/// Places an order for one unit of `sku` as soon as `phase` starts (done = 0).
fn place_when(r: &Running, w: &World, phase: Phase, sku: String) -> tokio::task::JoinHandle<()> {
    let mut events = r.engine.subscribe();
    let shop_url = w.shop.control_url();
    tokio::spawn(async move {
        while let Ok(e) = events.recv().await {
            if let EngineEvent::Progress {
                phase: p, done: 0, ..
            } = e
                && p == phase
            {
                let body = json!({"lines": [{"sku": sku, "quantity": 1}], "first_name": "Ion"});
                let r = http()
                    .post(format!("{shop_url}/shopify/orders"))
                    .json(&body)
                    .send()
                    .await
                    .expect("order");
                assert!(r.status().is_success());
                return;
            }
        }
    })
}

fn hold(ms: u64, path: &str) -> FaultRule {
    FaultRule {
        path: path.into(),
        fault: Fault::Latency { ms },
        times: Some(1),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_during_the_level_read_is_reserved_not_sold_twice() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    assert_eq!(available(&w, &sku).await, 10);

    // The level read is held 1.5 s and the order is placed as it starts, so A₀ = 9 includes
    // it. Read before the import, the order is in R too: target 10 − 1 = 9 = A₀, nothing to
    // write. Had the import run first, R would be 0 and the write (10, from 9) would pass:
    // Shopify would offer the sold unit again.
    w.shop
        .observer()
        .add_fault_when_body_contains("LocationLevels", hold(1500, GRAPHQL));
    let placer = place_when(&r, &w, Phase::ReadLevels, sku.clone());
    let run = r.engine.sync_now(SyncScope::Full).await.expect("cycle");
    placer.await.expect("placer");
    assert_eq!(available(&w, &sku).await, 9, "A = B − R = 10 − 1: {run:?}");
    assert_eq!(reserved(&r.store, &sku).await, 1, "the sale is imported");
    assert_eq!(run.counts.products_written, 0, "{run:?}");
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_during_the_billing_read_of_a_receipt_is_kept() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(1);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": sku, "quantity": 5}]}),
    )
    .await;
    // B moves 10 → 15, seen only at step 3; the sale lands after the import, while billing is
    // read. The write (15, from the 10 Punte wrote) comes back stale; the re-read, re-import
    // and re-plan write 14.
    w.bill.observer().add_fault(hold(1500, "/SBORO/api/stocks"));
    let placer = place_when(&r, &w, Phase::ReadBilling, sku.clone());
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    placer.await.expect("placer");
    assert!(run.counts.stale_retries >= 1, "{run:?}");
    assert_eq!(reserved(&r.store, &sku).await, 1);
    assert_eq!(available(&w, &sku).await, 14, "A = 15 − 1: {run:?}");
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steps_go_levels_then_orders_then_billing() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    place_order(&w, &[(&code(0), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    // code 0 is dirty (its R changed): the next incremental cycle reads its level at step 1.
    let mut events = r.engine.subscribe();
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    let mut phases = Vec::new();
    while let Ok(e) = events.try_recv() {
        // The variants Shopify changed are read first (new products join this cycle's step 1).
        if let EngineEvent::Progress { phase, done: 0, .. } = e
            && phases.last() != Some(&phase)
            && phase != Phase::ReadCatalogue
        {
            phases.push(phase);
        }
    }
    assert_eq!(
        phases[..4],
        [
            Phase::ReadLevels,
            Phase::ImportOrders,
            Phase::ReadBilling,
            Phase::Plan
        ],
        "{run:?}"
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_whose_sale_lands_after_its_level_read_is_read_again_next_cycle() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    place_order(&w, &[(&sku, 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    // Code 0 is dirty, its level (9) is read at step 1. A receipt of 1 and a second sale that
    // lands while the import is held: B − R = 11 − 2 = 9 = A₀, so nothing is written, yet
    // Shopify shows 8. The code was touched after its read, so it stays dirty.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": sku, "quantity": 1}]}),
    )
    .await;
    w.shop
        .observer()
        .add_fault_when_body_contains("OrdersChanged", hold(1500, GRAPHQL));
    let placer = place_when(&r, &w, Phase::ImportOrders, sku.clone());
    let run = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    placer.await.expect("placer");
    assert_eq!(reserved(&r.store, &sku).await, 2, "{run:?}");
    assert_eq!(available(&w, &sku).await, 8);
    // The next cycle reads it again and writes B − R = 9.
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("next");
    assert_eq!(available(&w, &sku).await, 9, "{run:?}");
    r.engine.stop().await;
}
