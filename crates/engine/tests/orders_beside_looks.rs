//! The orders job keeps its own interval while looks run (the default). A look imports orders
//! but never drains the outbox: credit notes for refunds, the storno of a cancelled invoiced
//! order, collections and e-Factura follow-up only happen in the orders job. Looks once counted
//! as the orders job, so with looks every 10–20 s the job never fell due and a shop left in the
//! tray got no credit note and no storno until someone clicked Sync now. Real scheduler, real
//! ticks and looks; the engine's wall clock is moved by hand in steps shorter than the gap
//! between two looks, so the schedule's 5 minutes pass while the looks go on.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::*;
use punte_core::order::{OrderId, OrderState};
use punte_engine::{InvoiceOutcome, ManualClock, SyncScope};
use punte_store::CreditState;
use serde_json::json;

/// Places an order of one unit of `sku`; returns it and its line item id.
async fn order_of_one(w: &World, sku: &str) -> (OrderId, u64) {
    let body = json!({"lines": [{"sku": sku, "quantity": 1}], "first_name": "Ana",
        "last_name": "Pop", "email": "ana@example.ro", "city": "Cluj-Napoca"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let line = v["lineItems"][0]["numericId"].as_u64().expect("line id");
    (OrderId(v["numericId"].as_u64().expect("order id")), line)
}

async fn credits_confirmed(r: &Running, order: OrderId) -> bool {
    let credits = r
        .store
        .call(move |s| s.credits_of(order))
        .await
        .expect("credits");
    !credits.is_empty() && credits.iter().all(|c| c.state == CreditState::Confirmed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_looks_on_a_refund_gets_its_credit_note_and_a_cancellation_its_storno() {
    let w = world(2, 10, 10, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.timing.scheduled = true;
    assert!(cfg.settings.freshness.watch, "looks are on by default");
    let every = cfg.settings.schedule.order_import_every_minutes;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let r = start_with_clock(&w, cfg, memory_store(), clock.clone());
    let t = Instant::now();
    while r.engine.status().last_sync.is_none() {
        assert!(t.elapsed() < Duration::from_secs(30), "no first run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Two orders, imported and invoiced with stock discharge by the merchant.
    let (p0, p1) = (code(0), code(1));
    let (refunded, line) = order_of_one(&w, &p0).await;
    let (cancelled, _) = order_of_one(&w, &p1).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    for order in [refunded, cancelled] {
        let out = r.engine.issue_invoice(order).await.expect("invoice");
        assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    }
    assert_eq!(
        (billing_stock(&w, &p0).await, billing_stock(&w, &p1).await),
        (9, 9)
    );
    assert_eq!(invoices(&w).await.len(), 2);

    // One is returned and refunded, the other cancelled; nobody clicks Sync now.
    let refund = json!({"lines": [{"line_item_id": line, "quantity": 1,
        "restock_type": "RETURN"}], "shipping": false});
    post(
        &w.shop,
        &format!("/shopify/orders/{}/refund", refunded.0),
        refund,
    )
    .await;
    post(
        &w.shop,
        &format!("/shopify/orders/{}/cancel", cancelled.0),
        json!({"restock": true}),
    )
    .await;

    // The wall clock moves 30 s per step, at most 2.5 minutes between two looks (10 s of
    // real time apart at most); four orders intervals are given.
    let step = TimeDelta::seconds(30);
    let steps = 4 * i64::from(every) * 60 / step.num_seconds();
    let mut moved = 0;
    loop {
        let credited = credits_confirmed(&r, refunded).await;
        let reversed = billing_stock(&w, &p1).await == 10;
        if credited && reversed {
            break;
        }
        assert!(
            moved < steps,
            "after {} minutes of looks: credit note {credited}, storno {reversed}, {:?}",
            moved * step.num_seconds() / 60,
            r.engine.status()
        );
        clock.advance(step);
        moved += 1;
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    assert_eq!(state_of(&r.store, cancelled).await, OrderState::Cancelled);
    assert_eq!(billing_stock(&w, &p0).await, 10, "the credit note restocks");
    assert_eq!(
        invoices(&w).await.len(),
        4,
        "two invoices, one credit note, one storno"
    );
    r.engine.stop().await;
}
