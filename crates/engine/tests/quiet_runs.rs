//! Quiet runs (issue 19): an automatic stock run that imports nothing and writes nothing joins
//! the quiet row before it, so History shows one row for a quiet stretch (its end moved, its
//! looks counted) instead of ~180 rows an hour; a run that does something has its own row, and
//! the next quiet one starts a new stretch. Driven by the fixed schedule under a ManualClock
//! (fast and deterministic; looks go through the same path).

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use punte_engine::{Clock, EngineHandle, ManualClock};
use punte_store::SyncRun;
use serde_json::{Value, json};

async fn next_run(engine: &EngineHandle, after: DateTime<Utc>) -> DateTime<Utc> {
    for _ in 0..200 {
        if let Some(t) = engine.status().last_sync.filter(|t| *t > after) {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no run after {after}: {:?}", engine.status());
}

fn looks(run: &SyncRun) -> Option<u64> {
    let detail: Value = serde_json::from_str(run.end.as_ref()?.detail.as_deref()?).ok()?;
    detail["quiet_looks"].as_u64()
}

/// Shopify requests of a quiet incremental run: products, levels and orders changed since.
const QUIET_SHOPIFY: usize = 3;

/// The requests a simulator answered since its log was reset: each GraphQL document's
/// operation line ("query Variants(…", "mutation …"), else the path.
async fn answered(sim: &punte_sim::SimServer) -> Vec<String> {
    let log = get(sim, "/log").await;
    log.as_array()
        .expect("log")
        .iter()
        .map(|r| {
            let operation = r["graphql"].as_str().and_then(|doc| {
                doc.lines()
                    .find(|l| l.starts_with("query") || l.starts_with("mutation"))
            });
            operation
                .or(r["path"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_runs_share_one_row_until_something_happens() {
    let w = world(2, 10, 10, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.timing.scheduled = true;
    cfg.settings.freshness.watch = false;
    // Only the 15-minute stock sync comes due in the hour below.
    cfg.settings.schedule.order_import_every_minutes = 24 * 60;
    let clock = Arc::new(ManualClock::new(
        "2026-12-01T08:00:00Z".parse().expect("time"),
    ));
    let r = start_with_clock(&w, cfg, memory_store(), clock.clone());
    let mut last = next_run(&r.engine, DateTime::<Utc>::MIN_UTC).await;
    r.engine
        .preview_sync()
        .await
        .expect("the first run has ended");
    let runs = || async { r.store.call(|s| s.recent_runs(1000)).await.expect("runs") };
    let before = runs().await.len();
    post(&w.shop, "/reset-log", json!({})).await;
    post(&w.bill, "/reset-log", json!({})).await;

    let mut times = Vec::new();
    for _ in 0..3 {
        clock.advance(TimeDelta::minutes(15));
        last = next_run(&r.engine, last).await;
        times.push(last);
    }
    let after = runs().await;
    assert_eq!(
        after.len(),
        before + 1,
        "three quiet runs, one row: {after:?}"
    );
    let stretch = &after[0];
    assert_eq!(looks(stretch), Some(3), "{stretch:?}");
    let end = stretch.end.as_ref().expect("ended");
    assert_eq!((end.outcome.as_str(), end.products_written), ("ok", 0));
    // What the simulators answered in those three runs: reads only, a fixed few per run (the
    // levels, products and orders Shopify changed since the marks; the warehouse's stock), and
    // the row counts exactly those. A quiet run that wrote or asked more would fail here.
    let (shop, bill) = (answered(&w.shop).await, answered(&w.bill).await);
    let writes: Vec<&String> = shop.iter().filter(|q| q.starts_with("mutation")).collect();
    assert!(writes.is_empty(), "a quiet run wrote: {writes:?}");
    assert_eq!(
        (shop.len(), bill.len()),
        (3 * QUIET_SHOPIFY, 3),
        "a quiet run's requests: {shop:?} {bill:?}"
    );
    assert_eq!(
        (end.shopify_calls, end.billing_calls),
        (shop.len() as u64, bill.len() as u64),
        "the calls of the three add up: {end:?}"
    );
    assert_eq!(
        stretch.started_at, times[0],
        "the stretch starts with the first"
    );
    assert_eq!(
        stretch.ended_at,
        Some(clock.now()),
        "and ends with the last"
    );

    // A receipt: the run that writes it has its own row; the next quiet run starts a stretch.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": code(1), "quantity": 5}]}),
    )
    .await;
    for _ in 0..2 {
        clock.advance(TimeDelta::minutes(15));
        last = next_run(&r.engine, last).await;
    }
    assert_eq!(available(&w, &code(1)).await, 15);
    let rows = runs().await;
    assert_eq!(rows.len(), before + 3, "{rows:?}");
    assert_eq!(rows[1].end.as_ref().map(|e| e.products_written), Some(1));
    assert_eq!(looks(&rows[1]), None, "a run that wrote is not quiet");
    assert_eq!(looks(&rows[0]), Some(1), "a new stretch: {:?}", rows[0]);
    r.engine.stop().await;
}
