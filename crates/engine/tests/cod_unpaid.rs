//! Issue 17: a cash-on-delivery order delivered and still unpaid after the merchant's N days is
//! notified once, when it crosses the line (not before, not again on the next runs, not again
//! after a restart on the same database), and a second order crossing later is told alone.
//! The engine's clock is moved by hand; the Shopify simulator's clock sets when each order was
//! fulfilled. Orders fulfilled before Punte was connected are told once as a count, never one
//! by one, and listed by their own filter.

mod common;

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use common::*;
use punte_core::order::OrderId;
use punte_engine::{Clock, ManualClock, NotificationEvent, SyncScope};
use punte_store::{CodEra, OrderQuery, StatusFilter};
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

/// The `CodUnpaidBeforeConnection` notifications so far: (count, days).
fn told_before(r: &Running) -> Vec<(u64, u32)> {
    r.notes
        .events()
        .into_iter()
        .filter_map(|e| match e {
            NotificationEvent::CodUnpaidBeforeConnection { count, days } => Some((count, days)),
            _ => None,
        })
        .collect()
}

/// The orders the "unpaid" filter of `era` lists at the engine's `now`, and its count.
async fn listed(r: &Running, now: chrono::DateTime<Utc>, era: CodEra) -> (Vec<OrderId>, u64) {
    let before = now - TimeDelta::days(10);
    r.store
        .call(move |s| {
            let q = OrderQuery {
                unpaid_before: Some(before),
                unpaid_era: era,
                ..OrderQuery::new(StatusFilter::All, 1000)
            };
            let mut ids: Vec<OrderId> = s.orders_page(&q)?.items.iter().map(|o| o.id).collect();
            ids.sort_unstable();
            Ok((ids, s.count_unpaid_cod(before, era)?))
        })
        .await
        .expect("unpaid list")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_fulfilled_before_the_connection_are_one_count_not_a_flood() {
    let w = world(1, 0, 1_000, 1.0).await;
    // Before Punte: 30 cash-on-delivery orders fulfilled and still PENDING in Shopify (the
    // merchant collected them the old way, or marked nothing), and 2 placed, not shipped yet.
    let mut old = Vec::new();
    for _ in 0..30 {
        let id = place_order(&w, &[(&code(0), 1)]).await;
        post(
            &w.shop,
            &format!("/shopify/orders/{}/fulfil", id.0),
            json!({}),
        )
        .await;
        old.push(id);
    }
    old.sort_unstable();
    let mut new = vec![
        place_order(&w, &[(&code(0), 1)]).await,
        place_order(&w, &[(&code(0), 1)]).await,
    ];
    new.sort_unstable();
    // Punte is connected 20 days later: the old ones are 20 days past their fulfilment.
    post(&w.shop, "/clock", json!({"advance_seconds": 20 * 86_400})).await;
    let clock = Arc::new(ManualClock::new(Utc::now() + TimeDelta::days(20)));
    let mut cfg = config(&w, 1.0);
    cfg.settings.cod_unpaid_days = 10;
    let r = start_with_clock(&w, cfg, memory_store(), clock.clone());
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    for _ in 0..2 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders");
    }
    assert_eq!(
        told(&r),
        vec![],
        "no order from before Punte is told one by one"
    );
    assert_eq!(told_before(&r), vec![(30, 10)], "one count, once");
    assert_eq!(
        listed(&r, clock.now(), CodEra::BeforeConnection).await,
        (old.clone(), 30)
    );
    assert_eq!(
        listed(&r, clock.now(), CodEra::SinceConnection).await,
        (vec![], 0)
    );

    // The two open ones ship after the connection: Punte's own, told when they cross N days.
    for id in &new {
        post(
            &w.shop,
            &format!("/shopify/orders/{}/fulfil", id.0),
            json!({}),
        )
        .await;
    }
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("fulfilments seen");
    clock.advance(TimeDelta::days(11));
    for _ in 0..2 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("day 11");
    }
    assert_eq!(told(&r), vec![(new.clone(), 10)]);
    assert_eq!(
        told_before(&r),
        vec![(30, 10)],
        "the count is not told again"
    );
    assert_eq!(
        listed(&r, clock.now(), CodEra::SinceConnection).await,
        (new, 2)
    );
    assert_eq!(
        listed(&r, clock.now(), CodEra::BeforeConnection).await,
        (old, 30)
    );
    r.engine.stop().await;
}
