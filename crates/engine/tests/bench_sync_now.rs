//! Measurement harness, run by hand (issue 12 item 8: "Sync now is slow: 10–50 s for 7
//! products"): `cargo test -p punte-engine --test bench_sync_now -- --ignored --nocapture`.
//! A 7-product shop with 3 open orders against the simulators in real time at Shopify Standard
//! limits (bucket 2,000 points, 100 points/s). It times the first Sync now after start (a full
//! cycle), then Sync now (orders job + stock cycle) and a full reconciliation three times each,
//! with a receipt in billing before each, and prints every run's wall time, the Shopify
//! requests, THROTTLED answers, points the bucket lost, and each progress event's time from the
//! click, so where the time goes is visible. Figures go to docs/PERFORMANCE.md.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use common::*;
use punte_engine::{EngineEvent, EngineHandle, RunSummary, SyncScope};
use punte_sim::SimOptions;
use serde_json::json;

/// Runs `scope` once and returns (seconds, summary, progress marks).
async fn timed(engine: &EngineHandle, scope: SyncScope) -> (f64, RunSummary, Vec<String>) {
    let mut events = engine.subscribe();
    let t = Instant::now();
    let marks = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&marks);
    let collector = tokio::spawn(async move {
        while let Ok(e) = events.recv().await {
            let at = t.elapsed().as_secs_f64();
            let mark = match e {
                EngineEvent::Progress { phase, done, total } => {
                    format!("{at:.3} {phase:?} {done}/{total}")
                }
                EngineEvent::RunFinished(_) => format!("{at:.3} run finished"),
                _ => continue,
            };
            sink.lock().expect("marks").push(mark);
        }
    });
    let run = engine.sync_now(scope).await.expect("sync");
    let wall = t.elapsed().as_secs_f64();
    collector.abort();
    let marks = marks.lock().expect("marks").clone();
    (wall, run, marks)
}

/// The Shopify requests since the last call, as "Operation(first) HTTP-status", then a reset.
async fn shopify_requests(w: &World) -> Vec<String> {
    let log = get(&w.shop, "/log").await;
    post(&w.shop, "/reset-log", json!({})).await;
    log.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let body: serde_json::Value = serde_json::from_str(r["body"].as_str()?).ok()?;
            let op = body["operationName"].as_str().unwrap_or("?").to_owned();
            Some(format!(
                "{op}({}) {}",
                body["variables"]["first"], r["status"]
            ))
        })
        .collect()
}

async fn bucket(w: &World) -> f64 {
    let s = post(&w.shop, "/shopify/options", json!({})).await;
    s["bucket"]["available"].as_f64().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measurement: run by hand with --ignored"]
async fn sync_now_small_shop() {
    let opts = SimOptions {
        time_scale: 1.0,
        shopify_bucket: (2_000.0, 100.0),
        ..SimOptions::default()
    };
    let w = world_with(7, 5, 7, opts).await;
    for i in 0..3 {
        place_order(&w, &[(&code(i), 1), (&code(i + 3), 2)]).await;
    }
    let mut cfg = config(&w, 1.0);
    // The merchant confirmed the first large run already; every run here writes what it plans.
    cfg.settings.plan.confirm_share_percent = 100;
    let r = start_with(&w, cfg, memory_store());
    let mut rows = Vec::new();
    let plan = [
        ("first Sync now (full)", SyncScope::All),
        ("Sync now", SyncScope::All),
        ("Sync now", SyncScope::All),
        ("Sync now", SyncScope::All),
        ("full reconciliation", SyncScope::Full),
        ("full reconciliation", SyncScope::Full),
        ("full reconciliation", SyncScope::Full),
    ];
    // `PUNTE_BENCH_RUNS=2` runs only the first runs of the plan.
    let runs = std::env::var("PUNTE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(plan.len());
    for (n, (label, scope)) in plan.into_iter().take(runs).enumerate() {
        post(
            &w.bill,
            "/billing/receive",
            json!({"warehouse": WAREHOUSE, "lines": [{"code": code(n % 7), "quantity": 2}]}),
        )
        .await;
        // Each run starts from the bucket the previous runs left, as clicks in a row do.
        let before = bucket(&w).await;
        let _ = shopify_requests(&w).await;
        let (wall, run, marks) = timed(&r.engine, scope).await;
        let after = bucket(&w).await;
        let sent = shopify_requests(&w).await;
        eprintln!(
            "{label}: {wall:.3} s; {:?}; Shopify {} requests ({} THROTTLED, {} writes), billing {}; \
             bucket at the last request {before:.0} → {after:.0}; written {}; requests {sent:?}; events {marks:?}",
            run.outcome,
            run.calls.shopify,
            run.calls.shopify_throttled,
            run.calls.shopify_writes,
            run.calls.billing,
            run.counts.products_written,
        );
        rows.push((label, wall));
    }
    let worst = rows.iter().map(|(_, w)| *w).fold(0.0, f64::max);
    eprintln!("SUMMARY: {rows:?}; worst {worst:.3} s (target ≤ 3 s)");
}
