//! The first import after connecting a shop: history is not treated as open. Orders older
//! than the 60-day window are not read; orders closed, or fulfilled and paid, before the
//! connection are stored Dispatched (no reservation, no invoice); unfulfilled ones reserve.

mod common;

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use common::*;
use punte_core::order::OrderState;
use punte_engine::{ManualClock, SyncScope};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_import_keeps_history_out_of_the_reservations() {
    let w = world(4, 10, 10, 1.0).await;
    // An order 90 days before the connection, never fulfilled.
    let ancient = place_order(&w, &[(&code(3), 1)]).await;
    post(&w.shop, "/clock", json!({"advance_seconds": 90 * 86_400})).await;
    // Recent orders, before the connection: one open, one fulfilled and paid, one cancelled.
    let open = place_order(&w, &[(&code(0), 1)]).await;
    let done = place_order(&w, &[(&code(1), 2)]).await;
    post(
        &w.shop,
        &format!("/shopify/orders/{}/fulfil", done.0),
        json!({}),
    )
    .await;
    let cancelled = place_order(&w, &[(&code(2), 1)]).await;
    post(
        &w.shop,
        &format!("/shopify/orders/{}/cancel", cancelled.0),
        json!({"restock": true}),
    )
    .await;

    // Punte connects a minute later (its clock follows the simulator's).
    let clock = Arc::new(ManualClock::new(
        Utc::now() + TimeDelta::days(90) + TimeDelta::minutes(1),
    ));
    let r = start_with_clock(&w, config(&w, 1.0), memory_store(), clock.clone());
    r.engine.sync_now(SyncScope::All).await.expect("first sync");

    let known = r
        .store
        .call(move |s| s.order(ancient))
        .await
        .expect("order");
    assert!(
        known.is_none(),
        "an order older than the window is not read"
    );
    assert_eq!(state_of(&r.store, open).await, OrderState::Open);
    assert_eq!(reserved(&r.store, &code(0)).await, 1);
    assert_eq!(state_of(&r.store, done).await, OrderState::Dispatched);
    assert_eq!(
        reserved(&r.store, &code(1)).await,
        0,
        "history reserves nothing"
    );
    let why = r
        .store
        .call(move |s| s.order(done))
        .await
        .expect("order")
        .expect("stored")
        .history;
    assert!(
        why.iter().any(|h| h.reason == "imported_handled_before"),
        "{why:?}"
    );
    assert_eq!(state_of(&r.store, cancelled).await, OrderState::Cancelled);

    // After the connection, a fulfilled and paid order is ordinary work: it stays open.
    clock.advance(TimeDelta::minutes(10));
    post(&w.shop, "/clock", json!({"advance_seconds": 600})).await;
    let later = place_order(&w, &[(&code(1), 1)]).await;
    post(
        &w.shop,
        &format!("/shopify/orders/{}/fulfil", later.0),
        json!({}),
    )
    .await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(state_of(&r.store, later).await, OrderState::Open);
    assert_eq!(reserved(&r.store, &code(1)).await, 1);
    r.engine.stop().await;
}
