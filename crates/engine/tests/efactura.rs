//! e-Factura through the engine, per service: after an orders job Punte tracks each invoice it
//! issued; on Oblio it uploads one not sent yet and reads its state on later jobs (not sent →
//! in progress → accepted; a rejection shows ANAF's reason and is notified once, however often
//! it is read again); on SmartBill the state is "sent by SmartBill" with no call; an invoice
//! past its deadline and still not accepted is notified once.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::*;
use punte_core::efactura::SpvState;
use punte_core::order::OrderId;
use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{
    BillingAccount, Engine, EngineDeps, InvoiceOutcome, ManualClock, MemorySecrets,
    NotificationEvent, RecordingNotifier, SyncScope,
};
use punte_sim::{ServiceKind, SimOptions};
use serde_json::json;

fn start_oblio(w: &World, clock: Arc<ManualClock>) -> Running {
    let c = w.bill.credentials();
    let mut cfg = config(w, 1.0);
    cfg.connections.billing = BillingAccount::Oblio {
        email: c.get("client_id").into(),
        cif: c.get("cif").into(),
    };
    cfg.connections.request_timeout = Duration::from_secs(10);
    cfg.settings.invoice_series = "FCT".into();
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = Arc::new(RecordingNotifier::default());
    let store = memory_store();
    let deps = EngineDeps {
        store: store.clone(),
        notifier: notes.clone(),
        secrets: Arc::new(MemorySecrets::with(&[
            (SHOPIFY_SECRET, w.shop.credentials().get("static_token")),
            (BILLING_SECRET, c.get("client_secret")),
        ])),
        clock,
        events,
    };
    Running {
        engine: Engine::start(cfg, deps),
        store,
        notes,
    }
}

async fn spv(r: &Running, order: OrderId) -> SpvState {
    r.store
        .call(move |s| s.efactura_of(order))
        .await
        .expect("read")
        .expect("tracked")
        .state
}

fn rejections(r: &Running) -> Vec<NotificationEvent> {
    r.notes
        .events()
        .into_iter()
        .filter(|e| matches!(e, NotificationEvent::EfacturaRejected { .. }))
        .collect()
}

async fn invoiced_order(w: &World, r: &Running) -> OrderId {
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let order = place_order(w, &[(&code(0), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    order
}

async fn oblio_world() -> World {
    let opts = SimOptions::default();
    let w = world_with(1, 0, 10, opts.clone()).await;
    let bill = punte_sim::SimServer::start(ServiceKind::Oblio, opts)
        .await
        .expect("oblio sim");
    post(
        &bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": code(0), "name": "Produs 0",
            "quantity": 10}]}),
    )
    .await;
    World { bill, ..w }
}

async fn anaf(w: &World, number: &str, code: i64, text: &str) {
    post(
        &w.bill,
        "/oblio/einvoice",
        json!({"seriesName": "FCT", "number": number, "code": code, "text": text}),
    )
    .await;
}

#[tokio::test]
async fn oblio_not_sent_to_in_progress_to_accepted() {
    let w = oblio_world().await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let r = start_oblio(&w, clock.clone());
    let order = invoiced_order(&w, &r).await;

    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    assert_eq!(spv(&r, order).await, SpvState::InProgress, "uploaded once");
    anaf(&w, "0001", 1, "").await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    assert_eq!(
        spv(&r, order).await,
        SpvState::InProgress,
        "not read again within 10 min"
    );
    clock.advance(TimeDelta::minutes(11));
    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    assert_eq!(spv(&r, order).await, SpvState::Accepted);
    assert!(rejections(&r).is_empty());
}

#[tokio::test]
async fn oblio_rejection_shows_the_reason_and_notifies_once() {
    let w = oblio_world().await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let r = start_oblio(&w, clock.clone());
    let order = invoiced_order(&w, &r).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    let reason = "E: [BR-RO-110] CUI cumparator invalid";
    anaf(&w, "0001", 2, reason).await;
    for _ in 0..3 {
        clock.advance(TimeDelta::minutes(11));
        r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    }
    assert_eq!(
        spv(&r, order).await,
        SpvState::Rejected {
            reason: reason.into()
        }
    );
    let told = rejections(&r);
    assert_eq!(told.len(), 1, "notified once: {told:?}");
    assert!(
        matches!(&told[0], NotificationEvent::EfacturaRejected { reason: r, .. } if r == reason)
    );
}

#[tokio::test]
async fn smartbill_is_sent_by_smartbill_and_a_late_invoice_is_notified_once() {
    let w = world(1, 0, 10, 1.0).await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let r = start_with_clock(&w, config(&w, 1.0), memory_store(), clock.clone());
    let order = invoiced_order(&w, &r).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    assert!(
        matches!(spv(&r, order).await, SpvState::SentByService { ref service, .. } if service == "SmartBill"),
        "{:?}",
        spv(&r, order).await
    );
    // Nothing to follow for a service that sends by itself: no deadline notice either.
    clock.advance(TimeDelta::days(9));
    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    let late = r
        .notes
        .events()
        .into_iter()
        .filter(|e| matches!(e, NotificationEvent::EfacturaDeadline { .. }))
        .count();
    assert_eq!(late, 0);
}

#[tokio::test]
async fn oblio_invoice_past_its_deadline_is_notified_once() {
    let w = oblio_world().await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let r = start_oblio(&w, clock.clone());
    let order = invoiced_order(&w, &r).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    assert_eq!(spv(&r, order).await, SpvState::InProgress);
    for _ in 0..2 {
        clock.advance(TimeDelta::days(9));
        r.engine.sync_now(SyncScope::OrdersOnly).await.expect("job");
    }
    let late: Vec<_> = r
        .notes
        .events()
        .into_iter()
        .filter(|e| matches!(e, NotificationEvent::EfacturaDeadline { .. }))
        .collect();
    assert_eq!(late.len(), 1, "{late:?}");
    assert!(
        matches!(late[0], NotificationEvent::EfacturaDeadline { working_days_left, .. } if working_days_left <= 1)
    );
}
