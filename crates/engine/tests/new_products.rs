//! The new-products rule (ScheduleSettings::new_products): "next cycle" writes a product first
//! seen in Shopify at once; "next day after 07:00 Europe/Bucharest" holds it until then. Time
//! comes from the engine's clock.

mod common;

use std::sync::Arc;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use common::*;
use punte_core::schedule::NewProductPolicy;
use punte_engine::{ManualClock, SyncScope};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_day_after_seven_holds_a_new_product_until_then() {
    let w = world(2, 0, 10, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.settings.schedule.new_products = NewProductPolicy::NextDayAfter {
        local_time: NaiveTime::from_hms_opt(7, 0, 0).expect("07:00"),
    };
    // Friday 27 November 2026, 12:00 in Bucharest (UTC+2).
    let clock = Arc::new(ManualClock::new(at("2026-11-27T10:00:00Z")));
    let r = start_with_clock(&w, cfg, memory_store(), clock.clone());
    let run = r.engine.sync_now(SyncScope::Full).await.expect("T0");
    assert_eq!(
        run.counts.products_written, 2,
        "the shop's own products are not new"
    );

    // A product appears in Shopify (0) and billing (10) a minute later.
    seed(&w.shop, &w.bill, 2..3, 0, 10).await;
    clock.advance(TimeDelta::minutes(1));
    let run = r.engine.sync_now(SyncScope::Full).await.expect("seen");
    assert_eq!(run.counts.products_written, 0, "{run:?}");
    assert_eq!(available(&w, &code(2)).await, 0);

    // Still held at 06:59 the next day (04:59 UTC), incremental or full.
    clock.set(at("2026-11-28T04:59:00Z"));
    r.engine
        .sync_now(SyncScope::StockOnly)
        .await
        .expect("cycle");
    r.engine.sync_now(SyncScope::Full).await.expect("cycle");
    assert_eq!(available(&w, &code(2)).await, 0);

    // From 07:00 Bucharest the next cycle writes it.
    clock.set(at("2026-11-28T05:00:00Z"));
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("due");
    assert_eq!(available(&w, &code(2)).await, 10, "{run:?}");
    assert_eq!(run.counts.products_written, 1);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_cycle_writes_a_new_product_at_once() {
    let w = world(2, 0, 10, 1.0).await;
    let clock = Arc::new(ManualClock::new(at("2026-11-27T10:00:00Z")));
    let r = start_with_clock(&w, config(&w, 1.0), memory_store(), clock.clone());
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    seed(&w.shop, &w.bill, 2..3, 0, 10).await;
    clock.advance(TimeDelta::minutes(1));
    let run = r.engine.sync_now(SyncScope::Full).await.expect("seen");
    assert_eq!(run.counts.products_written, 1, "{run:?}");
    assert_eq!(available(&w, &code(2)).await, 10);
    r.engine.stop().await;
}
