//! Cash-on-delivery collections against the billing simulators, two cases the plain flow does
//! not show. A line refused at the door and refunded: the order's invoice of two lines gets a
//! credit note for one, the courier pays the rest, and Punte records exactly the invoice's
//! total less the credit, not the whole invoice. And a slow service: the collection call's
//! answer is lost (the client times out) and the service commits it later (the simulator's
//! `commit_late` fault); reads of "nothing paid" soon after never cause a second call, and the
//! late commit is found by a read once the grace is over: one collection call in all.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use punte_core::credit_note::CreditDraft;
use punte_core::invoice::InvoiceDraft;
use punte_core::order::OrderId;
use punte_engine::{InvoiceOutcome, SyncScope};
use punte_sim::ServiceKind;
use punte_store::{CollectionState, CreditState, StoreHandle};
use rust_decimal::Decimal;
use serde_json::{Value, json};

const SCALE: f64 = 20.0;

fn payment_path(b: &Billing) -> &'static str {
    match b.kind {
        ServiceKind::SmartBill => "/SBORO/api/payment",
        ServiceKind::Oblio => "/api/docs/invoice/collect",
        _ => "/v1/factura/incasare",
    }
}

/// The collections the billing simulator holds: (invoice number, value).
async fn collects(w: &World) -> Vec<(String, Decimal)> {
    let st = get(&w.bill, "/state").await;
    st["collects"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let v = match &c["value"] {
                Value::String(s) => s.parse().unwrap_or_default(),
                other => other.to_string().parse().unwrap_or_default(),
            };
            (c["number"].as_str().unwrap_or_default().to_owned(), v)
        })
        .collect()
}

/// Collection calls that reached the service (a late commit included).
fn collect_calls(w: &World, b: &Billing) -> usize {
    w.bill
        .observer()
        .log()
        .iter()
        .filter(|r| r.path == payment_path(b))
        .count()
}

async fn collection_state(store: &StoreHandle, id: OrderId) -> Option<CollectionState> {
    store
        .call(move |s| s.collection(id))
        .await
        .expect("collection")
        .map(|c| c.state)
}

/// A cash-on-delivery order of one unit of each of `skus`, imported and invoiced by the
/// merchant, then fulfilled; returns it with its line ids.
async fn invoiced_cod(w: &World, r: &Running, skus: &[String]) -> (OrderId, Vec<u64>) {
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let lines: Vec<Value> = skus
        .iter()
        .map(|s| json!({"sku": s, "quantity": 1}))
        .collect();
    let body = json!({"lines": lines, "first_name": "Ana", "last_name": "Pop",
        "email": "ana@example.ro", "city": "Cluj-Napoca", "payment": "cod"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let id = OrderId(v["numericId"].as_u64().expect("order id"));
    let ids = v["lineItems"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["numericId"].as_u64().expect("line id"))
        .collect();
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    let out = r.engine.issue_invoice(id).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    post(
        &w.shop,
        &format!("/shopify/orders/{}/fulfil", id.0),
        json!({}),
    )
    .await;
    (id, ids)
}

async fn refused_line_is_not_collected(b: Billing) {
    let w = world_of(&b, 2, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let (id, lines) = invoiced_cod(&w, &r, &[code(0), code(1)]).await;

    // The second line is refused at the door: refunded (restocked), a credit note follows.
    let refund = json!({"lines": [{"line_item_id": lines[1], "quantity": 1,
        "restock_type": "RETURN"}]});
    post(&w.shop, &format!("/shopify/orders/{}/refund", id.0), refund).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("credit");
    let credits = r
        .store
        .call(move |s| s.credits_of(id))
        .await
        .expect("credits");
    assert_eq!(credits.len(), 1, "{credits:?}");
    assert_eq!(credits[0].state, CreditState::Confirmed, "{credits:?}");
    let credit: CreditDraft =
        serde_json::from_str(credits[0].draft.as_deref().expect("draft")).expect("credit");

    // The courier pays what the customer kept.
    post(&w.shop, "/clock", json!({"advance_seconds": 86_400})).await;
    post(&w.shop, &format!("/shopify/orders/{}/pay", id.0), json!({})).await;
    for _ in 0..2 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders job");
    }
    let items = r
        .store
        .call(move |s| s.outbox_for_order(id))
        .await
        .expect("outbox");
    let item = items.last().expect("invoice");
    let invoice: InvoiceDraft = serde_json::from_str(&item.intent.draft).expect("draft");
    let expected = invoice.total() + credit.total();
    assert!(
        credit.total() < Decimal::ZERO && expected < invoice.total(),
        "{expected}"
    );
    let got = collects(&w).await;
    assert_eq!(got.len(), 1, "{:?}: one collection: {got:?}", b.kind);
    assert_eq!(
        got[0].1.round_dp(2),
        expected.round_dp(2),
        "{:?}: the invoice's {} less the credit's {}",
        b.kind,
        invoice.total(),
        credit.total()
    );
    assert_eq!(
        collection_state(&r.store, id).await,
        Some(CollectionState::Confirmed)
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_collects_the_invoice_less_its_credit_note() {
    refused_line_is_not_collected(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_collects_the_invoice_less_its_credit_note() {
    refused_line_is_not_collected(FGO).await;
}

async fn late_commit_is_not_collected_twice(b: Billing) {
    let w = world_of(&b, 1, 10, SCALE).await;
    let clock = Arc::new(punte_engine::ManualClock::new(chrono::Utc::now()));
    let (mut cfg, secret) = billing_config(&w, &b, SCALE);
    cfg.connections.request_timeout = Duration::from_millis(1500);
    let r = start_with_secret_and_clock(&w, cfg, &secret, clock.clone());
    let (id, _) = invoiced_cod(&w, &r, &[code(0)]).await;

    // The service takes 3.5 s to commit the collection; the client gives up after 1.5 s.
    let late = json!({"path": payment_path(&b), "mode": "commit_late", "ms": 3500, "times": 1});
    post(&w.bill, "/faults", late).await;
    w.bill.observer().clear();
    post(&w.shop, &format!("/shopify/orders/{}/pay", id.0), json!({})).await;
    for _ in 0..3 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders job");
    }
    assert_eq!(
        collection_state(&r.store, id).await,
        Some(CollectionState::Sent),
        "{:?}: unsettled while a slow service may still commit",
        b.kind
    );

    // The late commit lands; once the grace is over a read finds it.
    tokio::time::sleep(Duration::from_millis(4000)).await;
    assert_eq!(collects(&w).await.len(), 1, "{:?}: committed late", b.kind);
    clock.advance(chrono::TimeDelta::hours(1));
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders job");
    assert_eq!(
        collection_state(&r.store, id).await,
        Some(CollectionState::Confirmed),
        "{:?}: found by the read",
        b.kind
    );
    assert_eq!(collects(&w).await.len(), 1, "{:?}: one collection", b.kind);
    assert_eq!(
        collect_calls(&w, &b),
        1,
        "{:?}: one collection call",
        b.kind
    );
    r.engine.stop().await;
}

fn start_with_secret_and_clock(
    w: &World,
    cfg: punte_engine::EngineConfig,
    secret: &str,
    clock: Arc<punte_engine::ManualClock>,
) -> Running {
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = Arc::new(punte_engine::RecordingNotifier::default());
    let store = memory_store();
    let deps = punte_engine::EngineDeps {
        store: store.clone(),
        notifier: notes.clone(),
        secrets: Arc::new(punte_engine::MemorySecrets::with(&[
            (
                punte_engine::secrets::SHOPIFY_SECRET,
                w.shop.credentials().get("static_token"),
            ),
            (punte_engine::secrets::BILLING_SECRET, secret),
        ])),
        clock,
        events,
    };
    Running {
        engine: punte_engine::Engine::start(cfg, deps),
        store,
        notes,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_late_commit_is_not_collected_twice() {
    late_commit_is_not_collected_twice(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_late_commit_is_not_collected_twice() {
    late_commit_is_not_collected_twice(OBLIO).await;
}
