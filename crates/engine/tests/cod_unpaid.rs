//! Issue 17: a cash-on-delivery order delivered and still unpaid after the merchant's N days is
//! notified once, when it crosses the line (not before, not again on the next runs, not again
//! after a restart on the same database), and a second order crossing later is told alone.
//! The engine's clock is moved by hand; the Shopify simulator's clock sets when each order was
//! fulfilled.

mod common;

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use common::*;
use punte_core::order::OrderId;
use punte_engine::{ManualClock, NotificationEvent, SyncScope};
use serde_json::json;

/// The `CodUnpaid` notifications so far: (orders, days).
fn told(r: &Running) -> Vec<(Vec<OrderId>, u32)> {
    r.notes
        .events()
        .into_iter()
        .filter_map(|e| match e {
            NotificationEvent::CodUnpaid { orders, days } => Some((orders, days)),
            _ => None,
        })
        .collect()
}

async fn fulfilled_order(w: &World, r: &Running) -> OrderId {
    let id = place_order(w, &[(&code(0), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    post(
        &w.shop,
        &format!("/shopify/orders/{}/fulfil", id.0),
        json!({}),
    )
    .await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("fulfilment seen");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpaid_cod_is_notified_once_when_it_crosses_n_days() {
    let w = world(1, 0, 100, 1.0).await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let mut cfg = config(&w, 1.0);
    cfg.settings.cod_unpaid_days = 10;
    let store = memory_store();
    let r = start_with_clock(&w, cfg.clone(), store.clone(), clock.clone());
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let first = fulfilled_order(&w, &r).await;
    // The second is delivered five days later (Shopify's clock).
    post(&w.shop, "/clock", json!({"advance_seconds": 5 * 86_400})).await;
    let second = fulfilled_order(&w, &r).await;

    clock.advance(TimeDelta::days(9));
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("day 9");
    assert_eq!(told(&r), vec![], "not yet: nine days");

    clock.advance(TimeDelta::days(2));
    for _ in 0..3 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("day 11");
    }
    assert_eq!(
        told(&r),
        vec![(vec![first], 10)],
        "the first order crossed ten days: told once over three runs"
    );
    r.engine.stop().await;

    // A restart on the same database does not tell it again; the second order, crossing
    // later, is told alone.
    let r = start_with_clock(&w, cfg, store, clock.clone());
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("restart");
    assert_eq!(told(&r), vec![], "not again after a restart");
    clock.advance(TimeDelta::days(5));
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("day 16");
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("again");
    assert_eq!(told(&r), vec![(vec![second], 10)]);
    r.engine.stop().await;
}
