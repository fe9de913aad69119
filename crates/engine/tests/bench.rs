//! Benchmarks, run by hand: `cargo test -p punte-engine --release --test bench -- --ignored
//! --nocapture`. A full sync of 20,000 products with 10,000 changed at Shopify Standard limits
//! (bucket 2,000 points, 100 points/s) and SmartBill's 30 calls/10 s, with the simulators' time
//! running `SCALE`× faster; then a quiet cycle with 50 changed products. Figures go to
//! docs/PERFORMANCE.md.

mod common;

use std::time::Instant;

use common::*;
use punte_engine::SyncScope;
use punte_sim::SimOptions;
use serde_json::json;

const SCALE: f64 = 100.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand with --ignored"]
async fn full_sync_20k_then_quiet_cycle() {
    let opts = SimOptions {
        time_scale: SCALE,
        shopify_bucket: (2_000.0, 100.0),
        ..SimOptions::default()
    };
    let w = world_with(10_000, 5, 7, opts).await; // changed: Shopify 5, billing 7
    seed(&w.shop, &w.bill, 10_000..20_000, 5, 5).await; // unchanged
    // A debug-build simulator answering pages of a 20,000-product shop needs more than the
    // tests' 5 s per request (the first attempt failed with shopify.timeout).
    let mut cfg = config(&w, SCALE);
    cfg.connections.request_timeout = std::time::Duration::from_secs(120);
    let r = start_with(&w, cfg, fresh_store());
    let t = Instant::now();
    let run = r.engine.sync_now(SyncScope::Full).await.expect("full sync");
    let wall = t.elapsed().as_secs_f64();
    eprintln!(
        "FULL: wall {wall:.2} s = {:.0} simulated s; {:?}; {:?}",
        wall * SCALE,
        run.counts,
        run.calls
    );
    assert_eq!(run.counts.products_written, 10_000);
    // Calibrate the floor: the same reads again with an endless bucket that does not refill,
    // so the points they cost can be read off the simulator.
    post(
        &w.shop,
        "/shopify/options",
        json!({"bucket_maximum": 1e12,
        "currently_available": 1e12, "restore_rate": 1e-9}),
    )
    .await;
    let again = r
        .engine
        .sync_now(SyncScope::Full)
        .await
        .expect("calibration");
    let state = post(&w.shop, "/shopify/options", json!({})).await;
    eprintln!("CALIBRATION: {:?}; bucket {}", again.calls, state["bucket"]);
    post(
        &w.shop,
        "/shopify/options",
        json!({"bucket_maximum": 2000.0,
        "currently_available": 2000.0, "restore_rate": 100.0}),
    )
    .await;

    let lines: Vec<_> = (0..50)
        .map(|i| json!({"code": code(i * 7), "quantity": 3}))
        .collect();
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": lines}),
    )
    .await;
    let quiet = r
        .engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("quiet");
    let c = quiet.calls;
    eprintln!("QUIET: {:?}; {:?}", quiet.counts, c);
    assert_eq!(quiet.counts.products_written, 50);
    assert!(
        c.shopify - c.shopify_throttled - c.shopify_writes + c.billing <= 3,
        "{c:?}"
    );
}

fn fresh_store() -> punte_store::StoreHandle {
    let store = punte_store::Store::open_in_memory().expect("store");
    punte_store::StoreHandle::from_store(store).expect("thread")
}
