//! Many levels in one second (issue 19): a bulk import gives 2,000 levels the same `updatedAt`
//! second. A look asks Shopify for the levels changed since its mark, so it must stop reading that
//! second once Shopify's clock shows it old (else every look re-reads the whole shop until
//! something newer happens), yet still see a hand edit made later in that very second. The
//! Shopify simulator's clock stands still (scale 0) so "the same second" is exact, and moves
//! only when the test says; the engine runs the fixed 15-minute stock sync under a ManualClock.
//! Reads are counted from the simulator's log (pages of `LocationLevelsSince`), not timed.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use punte_engine::{EngineHandle, ManualClock};
use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::json;

/// 2,000 products: 8 pages of 250 levels (9 of variants once one more product is created).
const N: usize = 2000;

/// Shopify with its clock stopped (a roomy bucket, since a stopped bucket never refills);
/// SmartBill in real time. Every seeded level shares one instant.
async fn frozen_world(n: usize) -> World {
    let frozen = SimOptions {
        time_scale: 0.0,
        shopify_bucket: (1_000_000.0, 2_000.0),
        ..SimOptions::default()
    };
    let shop = SimServer::start(ServiceKind::Shopify, frozen)
        .await
        .expect("shopify sim");
    let bill = SimServer::start(ServiceKind::SmartBill, SimOptions::default())
        .await
        .expect("smartbill sim");
    seed(&shop, &bill, 0..n, 10, 10).await;
    let mut config = ShopifyConfig::new(
        shop.base_url(),
        Credentials::StaticToken(Secret::new(shop.credentials().get("static_token"))),
    );
    config.request_timeout = Duration::from_secs(10);
    let client = ShopifyClient::new(config).expect("client");
    let location = client.locations().await.expect("locations")[0].id;
    World {
        shop,
        bill,
        location,
        client,
    }
}

async fn next_run(engine: &EngineHandle, after: DateTime<Utc>) -> DateTime<Utc> {
    for _ in 0..400 {
        if let Some(t) = engine.status().last_sync.filter(|t| *t > after) {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no run after {after}: {:?}", engine.status());
}

/// Pages of `operation` the simulator answered since its log was last reset.
async fn pages(w: &World, operation: &str) -> usize {
    let log = get(&w.shop, "/log").await;
    log.as_array()
        .expect("log")
        .iter()
        .filter(|r| r["graphql"].as_str().is_some_and(|d| d.contains(operation)))
        .count()
}

/// Pages of "levels changed since" answered since the log was last reset.
async fn level_pages(w: &World) -> usize {
    pages(w, "query LocationLevelsSince").await
}

/// The engine on the fixed schedule only (looks off, orders daily), under a ManualClock; its
/// first (full) run has ended.
async fn started(w: &World) -> (Running, Arc<ManualClock>, DateTime<Utc>) {
    let mut cfg = config(w, 1.0);
    cfg.timing.scheduled = true;
    cfg.settings.freshness.watch = false;
    cfg.settings.schedule.order_import_every_minutes = 24 * 60;
    let clock = Arc::new(ManualClock::new(
        "2026-12-01T08:00:00Z".parse().expect("time"),
    ));
    let r = start_with_clock(w, cfg, memory_store(), clock.clone());
    let first = next_run(&r.engine, DateTime::<Utc>::MIN_UTC).await;
    (r, clock, first)
}

/// A hand edit of `sku`'s level in Shopify, listed by `updated_at` searches `late` s later.
async fn hand_edit(w: &World, sku: &str, quantity: i64, late: Option<i64>) {
    let body = json!({"sku": sku, "quantity": quantity, "listed_after_seconds": late});
    post(&w.shop, "/shopify/levels", body).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_read_whole_is_not_read_again_and_a_change_later_in_it_is_seen() {
    let w = frozen_world(N).await;
    let (r, clock, mut last) = started(&w).await;
    // One 15-minute stock sync (an incremental cycle, as a look is).
    let cycle = |after: DateTime<Utc>| {
        clock.advance(TimeDelta::minutes(15));
        let engine = &r.engine;
        async move { next_run(engine, after).await }
    };
    // After the first (full) run, a stock sync reads the 2,000 levels of the seed's second
    // again: Shopify's clock still shows it as now.
    post(&w.shop, "/reset-log", json!({})).await;
    last = cycle(last).await;
    assert_eq!(
        level_pages(&w).await,
        N / 250,
        "a recent second is read again"
    );

    // A hand edit in that same second, after it was read whole, and a product created in it
    // after the variants were read: the next look must see both (put back what billing says,
    // and write the new product's level).
    hand_edit(&w, &code(7), 3, None).await;
    seed(&w.shop, &w.bill, N..N + 1, 0, 6).await;
    last = cycle(last).await;
    assert_eq!(
        available(&w, &code(7)).await,
        10,
        "the hand edit later in the read second was missed"
    );
    assert_eq!(
        available(&w, &code(N)).await,
        6,
        "the product created later in the read second was missed"
    );

    // Pages of variants and of levels one cycle reads, from a fresh log.
    let read = |after: DateTime<Utc>| {
        let (w, cycle) = (&w, &cycle);
        async move {
            post(&w.shop, "/reset-log", json!({})).await;
            let last = cycle(after).await;
            let read = (pages(w, "query Variants").await, level_pages(w).await);
            (last, read)
        }
    };
    let whole = (N + 1).div_ceil(250);
    // Shopify's clock moves 30 s on: the second is younger than the search lag (a minute), so
    // it is read whole again, variants and levels, even by a read that began 30 s after it (a
    // change in it may not have been listed yet). The variant read comes first in a cycle, so
    // its lower bound of Shopify's time is the previous cycle's last answer: it lags one cycle.
    post(&w.shop, "/clock", json!({"advance_seconds": 30})).await;
    let (l, pages_read) = read(last).await;
    assert_eq!(pages_read, (whole, whole));
    let (l, pages_read) = read(l).await;
    assert_eq!(
        pages_read,
        (whole, whole),
        "a second under a minute old was dropped from the reads"
    );
    // 60 s more (90 s after the second: past the lag, not past twice it). The next read of
    // levels began 90 s after it, so the one after reads one page of levels; the variants
    // follow a cycle later.
    post(&w.shop, "/clock", json!({"advance_seconds": 60})).await;
    let (l, pages_read) = read(l).await;
    assert_eq!(pages_read, (whole, whole));
    let (l, pages_read) = read(l).await;
    assert_eq!(
        pages_read,
        (whole, 1),
        "a quiet look re-read the old shared second's levels"
    );
    let (l, pages_read) = read(l).await;
    assert_eq!(
        pages_read,
        (1, 1),
        "a quiet look re-read the variants of the old shared second"
    );
    last = l;

    // And a change after that is still seen.
    hand_edit(&w, &code(1500), 4, None).await;
    cycle(last).await;
    assert_eq!(available(&w, &code(1500)).await, 10);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_shopify_lists_late_is_read_when_it_is_listed() {
    let w = frozen_world(20).await;
    let (r, clock, mut last) = started(&w).await;
    let cycle = |after: DateTime<Utc>| {
        clock.advance(TimeDelta::minutes(15));
        let engine = &r.engine;
        async move { next_run(engine, after).await }
    };
    post(&w.shop, "/clock", json!({"advance_seconds": 120})).await;
    last = cycle(last).await;
    // A hand edit that Shopify's search lists 30 s late, then one listed at once 5 s later:
    // the look sees only the second, whose time is newer than the first's.
    hand_edit(&w, &code(3), 3, Some(30)).await;
    post(&w.shop, "/clock", json!({"advance_seconds": 5})).await;
    hand_edit(&w, &code(4), 4, None).await;
    last = cycle(last).await;
    assert_eq!(available(&w, &code(4)).await, 10);
    assert_eq!(available(&w, &code(3)).await, 3, "not listed yet");
    // Once listed, the next look reads it: the mark did not jump to the newest time seen.
    post(&w.shop, "/clock", json!({"advance_seconds": 30})).await;
    cycle(last).await;
    assert_eq!(
        available(&w, &code(3)).await,
        10,
        "a change listed late was skipped"
    );
    r.engine.stop().await;
}
